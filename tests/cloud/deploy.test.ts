// `npm run deploy` against moto in server mode on 127.0.0.1: the first run creates every resource,
// a second run creates nothing, switching auth updates in place, --destroy removes it all and
// leaves resources it did not make alone. Needs .cache/venv-moto (scripts/ci/setup-python-tools.sh).
import {
  APIGatewayClient,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStageCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { ECRClient, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import {
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../lambda/helpers.js';

const motoServer = path.join(repoRoot, '.cache/venv-moto/bin/moto_server');
const hasMoto = existsSync(motoServer);
if (!hasMoto)
  console.warn(`deploy tests skipped: ${motoServer} is missing; run scripts/ci/setup-python-tools.sh moto`);

const region = 'eu-central-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const imageUri = (tag: string) => `123456789012.dkr.ecr.${region}.amazonaws.com/checkbox-detector:${tag}`;

let moto: ChildProcess;
let endpoint: string;
let work: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto did not start at ${url}`);
}

const awsEnv = {
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** The deploy script as a user runs it; every output line split into outcome and resource. */
function deploy(...args: string[]): { code: number; out: string; lines: [string, string][] } {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/deploy/main.ts', '--region', region, '--endpoint-url', endpoint, ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: work, ...awsEnv },
    },
  );
  const out = `${res.stdout}${res.stderr}`;
  const lines = res.stdout
    .split('\n')
    .map((l) => /^(created|updated|unchanged|deleted|absent|skipped)\s+(.*?)(\s{2}\(.*\))?$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!] as [string, string]);
  return { code: res.status ?? -1, out, lines };
}

const withOutcome = (lines: [string, string][], outcome: string) =>
  lines.filter(([o]) => o === outcome).map(([, what]) => what);

const clients = () => {
  const cfg = { region, endpoint, credentials };
  return {
    lambda: new LambdaClient(cfg),
    apigw: new APIGatewayClient(cfg),
    iam: new IAMClient(cfg),
    ecr: new ECRClient(cfg),
  };
};

beforeAll(async () => {
  if (!hasMoto) return;
  work = mkdtempSync(path.join(tmpdir(), 'cbd-deploy-'));
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: 'ignore',
  });
  await waitForHttp(`${endpoint}/moto-api/`);
});

afterAll(() => {
  moto?.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasMoto)('npm run deploy against moto', () => {
  it('creates every resource, then creates nothing on a second run', async () => {
    const settingsFile = path.join(work, 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ engine: 'local', theme: 'dark' }));

    const first = deploy('--image-uri', imageUri('v1'), '--write-settings', settingsFile);
    expect(first.code, first.out).toBe(0);
    expect(withOutcome(first.lines, 'created')).toEqual([
      'ecr repository checkbox-detector',
      'ecr repository checkbox-detector lifecycle policy',
      'iam role checkbox-detector-lambda-role',
      'iam role checkbox-detector-lambda-role policy AWSLambdaBasicExecutionRole',
      'lambda function checkbox-detector',
      'function url (NONE)',
      'rest api checkbox-detector',
      'rest api checkbox-detector binary media types',
      'rest api checkbox-detector resource /{proxy+}',
      'rest api checkbox-detector ANY /',
      'rest api checkbox-detector ANY / integration',
      'rest api checkbox-detector ANY /{proxy+}',
      'rest api checkbox-detector ANY /{proxy+} integration',
      'rest api checkbox-detector stage prod',
      'permission checkbox-detector-apigateway',
      'permission checkbox-detector-url-public',
      'permission checkbox-detector-url-public-invoke',
    ]);
    expect(withOutcome(first.lines, 'updated')).toEqual([]);

    // What was made, read back through the AWS API.
    const aws = clients();
    const fn = await aws.lambda.send(new GetFunctionCommand({ FunctionName: 'checkbox-detector' }));
    expect(fn.Configuration).toMatchObject({ PackageType: 'Image', MemorySize: 2048, Timeout: 30 });
    expect(fn.Code?.ImageUri).toBe(imageUri('v1'));
    expect(fn.Tags).toEqual({ 'checkbox-detector:stack': 'checkbox-detector' });
    const url = await aws.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'checkbox-detector' }));
    expect(url.AuthType).toBe('NONE');
    expect(url.Cors?.AllowMethods).toEqual(['GET', 'POST']);
    const policy = JSON.parse(
      (await aws.lambda.send(new GetPolicyCommand({ FunctionName: 'checkbox-detector' }))).Policy!,
    ) as {
      Statement: { Sid: string }[];
    };
    expect(policy.Statement.map((s) => s.Sid).sort()).toEqual([
      'checkbox-detector-apigateway',
      'checkbox-detector-url-public',
      'checkbox-detector-url-public-invoke',
    ]);

    const api = (await aws.apigw.send(new GetRestApisCommand({}))).items!.find(
      (a) => a.name === 'checkbox-detector',
    )!;
    expect(api.binaryMediaTypes).toEqual(
      expect.arrayContaining(['multipart/form-data', 'image/*', 'application/pdf', '*/*']),
    );
    const resources = (await aws.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items!;
    expect(resources.map((r) => r.path).sort()).toEqual(['/', '/{proxy+}']);
    for (const r of resources) {
      const integration = await aws.apigw.send(
        new GetIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'ANY' }),
      );
      expect(integration).toMatchObject({ type: 'AWS_PROXY', httpMethod: 'POST' });
      expect(integration.uri).toContain(fn.Configuration!.FunctionArn!);
    }
    expect(
      (await aws.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }))).stageName,
    ).toBe('prod');

    expect(first.out).toContain(
      `API Gateway URL: https://${api.id}.execute-api.${region}.amazonaws.com/prod`,
    );
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, Record<string, string>>;
    expect(settings.theme).toBe('dark');
    expect(settings.cloud).toMatchObject({
      endpoint: url.FunctionUrl,
      mode: 'function-url',
      auth: 'none',
      region,
      functionName: 'checkbox-detector',
    });

    const second = deploy('--image-uri', imageUri('v1'));
    expect(second.code, second.out).toBe(0);
    expect(withOutcome(second.lines, 'created')).toEqual([]);
    expect(withOutcome(second.lines, 'updated')).toEqual([]);
    expect(withOutcome(second.lines, 'unchanged')).toEqual(
      expect.arrayContaining([
        'ecr repository checkbox-detector',
        'iam role checkbox-detector-lambda-role',
        'lambda function checkbox-detector configuration',
        'lambda function checkbox-detector image',
        'function url (NONE)',
        'rest api checkbox-detector binary media types',
        'rest api checkbox-detector ANY /{proxy+} integration',
        'rest api checkbox-detector stage prod',
        'permission checkbox-detector-url-public-invoke',
      ]),
    );
  });

  it('updates in place: a new image, more memory, a private Function URL', async () => {
    const run = deploy('--image-uri', imageUri('v2'), '--memory', '3008', '--auth', 'AWS_IAM');
    expect(run.code, run.out).toBe(0);
    expect(withOutcome(run.lines, 'created')).toEqual([]);
    expect(withOutcome(run.lines, 'updated')).toEqual([
      'lambda function checkbox-detector configuration',
      'lambda function checkbox-detector image',
      'function url (AWS_IAM)',
    ]);
    expect(withOutcome(run.lines, 'deleted')).toEqual([
      'permission checkbox-detector-url-public',
      'permission checkbox-detector-url-public-invoke',
    ]);
    const aws = clients();
    const fn = await aws.lambda.send(new GetFunctionCommand({ FunctionName: 'checkbox-detector' }));
    expect([fn.Configuration?.MemorySize, fn.Code?.ImageUri]).toEqual([3008, imageUri('v2')]);
    expect(
      (await aws.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'checkbox-detector' })))
        .AuthType,
    ).toBe('AWS_IAM');
  });

  it('--destroy removes everything it made, and nothing it did not', async () => {
    const aws = clients();
    await aws.iam.send(
      new CreateRoleCommand({ RoleName: 'someone-else-lambda-role', AssumeRolePolicyDocument: '{}' }),
    );

    const destroy = deploy('--destroy');
    expect(destroy.code, destroy.out).toBe(0);
    expect(withOutcome(destroy.lines, 'deleted')).toEqual([
      'rest api checkbox-detector',
      'lambda function checkbox-detector',
      'iam role checkbox-detector-lambda-role',
      'ecr repository checkbox-detector',
    ]);
    const gone = (p: Promise<unknown>) =>
      p.then(
        () => 'exists',
        (e: Error) => e.name,
      );
    expect(await gone(aws.lambda.send(new GetFunctionCommand({ FunctionName: 'checkbox-detector' })))).toBe(
      'ResourceNotFoundException',
    );
    expect(await gone(aws.iam.send(new GetRoleCommand({ RoleName: 'checkbox-detector-lambda-role' })))).toBe(
      'NoSuchEntityException',
    );
    expect(
      await gone(aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['checkbox-detector'] }))),
    ).toBe('RepositoryNotFoundException');
    expect((await aws.apigw.send(new GetRestApisCommand({}))).items ?? []).toEqual([]);

    const again = deploy('--destroy');
    expect(withOutcome(again.lines, 'absent')).toHaveLength(4);

    const foreign = deploy('--destroy', '--name', 'someone-else');
    expect(withOutcome(foreign.lines, 'skipped')).toEqual(['iam role someone-else-lambda-role']);
    expect(await gone(aws.iam.send(new GetRoleCommand({ RoleName: 'someone-else-lambda-role' })))).toBe(
      'exists',
    );
  });

  it('fails clearly on bad arguments', () => {
    const bad = deploy('--auth', 'MAYBE');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('--auth must be NONE or AWS_IAM');
  });
});
