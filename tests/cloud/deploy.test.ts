// `npm run deploy` against moto in server mode on 127.0.0.1, each auth mode read back from the
// resources made: the default run is private (AWS_IAM on both front doors), API_KEY binds a key to
// a throttled usage plan, --public opens both and warns of the cost; reserved concurrency, stage
// throttling, log retention and the CORS preflight are set; a second run changes nothing; --destroy
// removes it all and leaves resources it did not make alone.
// Needs .cache/venv-moto (scripts/ci/setup-python-tools.sh moto).
import {
  APIGatewayClient,
  GetApiKeysCommand,
  GetGatewayResponseCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  type GetMethodCommandOutput,
} from '@aws-sdk/client-api-gateway';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { ECRClient, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore, profileKeyCipher } from '../../src-main/services/secrets.js';
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
function deploy(...args: string[]): { code: number; out: string; stderr: string; lines: [string, string][] } {
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
  return { code: res.status ?? -1, out, stderr: res.stderr, lines };
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
    logs: new CloudWatchLogsClient(cfg),
  };
};

beforeAll(async () => {
  if (!hasMoto) return;
  work = mkdtempSync(path.join(tmpdir(), 'cbd-deploy-'));
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    // Lambda's account quota as AWS has it: 1000, of which 100 must stay unreserved.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', MOTO_LAMBDA_CONCURRENCY_QUOTA: '1000' },
    stdio: 'ignore',
  });
  await waitForHttp(`${endpoint}/moto-api/`);
});

afterAll(() => {
  moto?.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

const FN = 'checkbox-detector';

/** The REST API's methods by "METHOD /path", read back through the AWS API. */
async function restMethods(aws: ReturnType<typeof clients>) {
  const api = (await aws.apigw.send(new GetRestApisCommand({}))).items!.find((a) => a.name === FN)!;
  const resources = (await aws.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items!;
  const methods: Record<string, GetMethodCommandOutput> = {};
  for (const r of resources)
    for (const httpMethod of ['ANY', 'OPTIONS'])
      methods[`${httpMethod} ${r.path}`] = await aws.apigw.send(
        new GetMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod }),
      );
  return { api, methods };
}

/** Who each front door lets in: the Function URL's auth type and each proxied method's. */
async function frontDoors(aws: ReturnType<typeof clients>) {
  const url = await aws.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: FN }));
  const { methods } = await restMethods(aws);
  return {
    functionUrl: url.AuthType,
    rest: ['ANY /', 'ANY /{proxy+}'].map((k) => [
      k,
      methods[k]!.authorizationType,
      Boolean(methods[k]!.apiKeyRequired),
    ]),
  };
}

async function policySids(aws: ReturnType<typeof clients>): Promise<string[]> {
  const policy = (await aws.lambda.send(new GetPolicyCommand({ FunctionName: FN }))).Policy!;
  return (JSON.parse(policy) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid).sort();
}

const usagePlan = async (aws: ReturnType<typeof clients>) =>
  (await aws.apigw.send(new GetUsagePlansCommand({}))).items?.find((p) => p.name === `${FN}-plan`);

const apiKeys = async (aws: ReturnType<typeof clients>) =>
  (await aws.apigw.send(new GetApiKeysCommand({ includeValues: true }))).items ?? [];

const noChanges = (run: ReturnType<typeof deploy>) => ({
  created: withOutcome(run.lines, 'created'),
  updated: withOutcome(run.lines, 'updated'),
  deleted: withOutcome(run.lines, 'deleted'),
});

describe.skipIf(!hasMoto)('npm run deploy against moto', () => {
  it('is private by default: AWS_IAM on both front doors, with its limits, logs and CORS', async () => {
    const settingsFile = path.join(work, 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ engine: 'local', theme: 'dark' }));

    const first = deploy('--image-uri', imageUri('v1'), '--write-settings', settingsFile);
    expect(first.code, first.out).toBe(0);
    expect(withOutcome(first.lines, 'created')).toEqual([
      'ecr repository checkbox-detector',
      'ecr repository checkbox-detector lifecycle policy',
      'iam role checkbox-detector-lambda-role',
      'iam role checkbox-detector-lambda-role policy AWSLambdaBasicExecutionRole',
      'log group /aws/lambda/checkbox-detector',
      'lambda function checkbox-detector',
      'lambda function checkbox-detector reserved concurrency',
      'function url (AWS_IAM)',
      'rest api checkbox-detector',
      'rest api checkbox-detector binary media types',
      'rest api checkbox-detector resource /{proxy+}',
      'rest api checkbox-detector ANY /',
      'rest api checkbox-detector OPTIONS /',
      'rest api checkbox-detector ANY /{proxy+}',
      'rest api checkbox-detector OPTIONS /{proxy+}',
      'rest api checkbox-detector gateway response DEFAULT_4XX',
      'rest api checkbox-detector gateway response DEFAULT_5XX',
      'rest api checkbox-detector stage prod',
      'rest api checkbox-detector stage prod throttling',
      'permission checkbox-detector-apigateway',
    ]);
    expect(withOutcome(first.lines, 'updated')).toEqual([]);
    expect(first.stderr).not.toContain('WARNING');

    const aws = clients();
    expect(await frontDoors(aws)).toEqual({
      functionUrl: 'AWS_IAM',
      rest: [
        ['ANY /', 'AWS_IAM', false],
        ['ANY /{proxy+}', 'AWS_IAM', false],
      ],
    });
    // Only API Gateway may invoke: no statement lets anyone call the URL.
    expect(await policySids(aws)).toEqual(['checkbox-detector-apigateway']);

    const fn = await aws.lambda.send(new GetFunctionCommand({ FunctionName: FN }));
    expect(fn.Configuration).toMatchObject({ PackageType: 'Image', MemorySize: 2048, Timeout: 30 });
    expect(fn.Code?.ImageUri).toBe(imageUri('v1'));
    expect(fn.Tags).toEqual({ 'checkbox-detector:stack': FN });
    expect(
      (await aws.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: FN })))
        .ReservedConcurrentExecutions,
    ).toBe(20);
    const logs = await aws.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${FN}` }),
    );
    expect(logs.logGroups?.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([
      [`/aws/lambda/${FN}`, 14],
    ]);

    const { api, methods } = await restMethods(aws);
    expect(api.binaryMediaTypes).toEqual(
      expect.arrayContaining(['multipart/form-data', 'image/*', 'application/pdf', '*/*']),
    );
    for (const path of ['/', '/{proxy+}']) {
      expect(methods[`ANY ${path}`]!.methodIntegration).toMatchObject({
        type: 'AWS_PROXY',
        httpMethod: 'POST',
      });
      expect(methods[`ANY ${path}`]!.methodIntegration!.uri).toContain(fn.Configuration!.FunctionArn!);
      // The preflight is answered by API Gateway, without auth, with the Function URL's CORS.
      const preflight = methods[`OPTIONS ${path}`]!;
      expect(preflight.authorizationType).toBe('NONE');
      expect(preflight.methodIntegration).toMatchObject({ type: 'MOCK', contentHandling: 'CONVERT_TO_TEXT' });
      expect(preflight.methodIntegration!.integrationResponses!['204']!.responseParameters).toEqual({
        'method.response.header.Access-Control-Allow-Origin': "'*'",
        'method.response.header.Access-Control-Allow-Methods': "'GET,POST,OPTIONS'",
        'method.response.header.Access-Control-Allow-Headers':
          "'content-type,authorization,x-amz-date,x-amz-security-token,x-amz-content-sha256,x-api-key'",
        'method.response.header.Access-Control-Max-Age': "'3600'",
      });
    }
    const denied = await aws.apigw.send(
      new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'DEFAULT_4XX' }),
    );
    expect(denied.responseParameters).toEqual({
      'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
    });
    const stage = await aws.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }));
    expect(stage.methodSettings?.['*/*']).toMatchObject({
      throttlingRateLimit: 40,
      throttlingBurstLimit: 40,
    });

    const url = await aws.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: FN }));
    expect(first.out).toContain(
      `Function URL:    ${url.FunctionUrl}  (auth AWS_IAM: SigV4-signed requests only)`,
    );
    expect(first.out).toContain(
      `API Gateway URL: https://${api.id}.execute-api.${region}.amazonaws.com/prod  (auth AWS_IAM: SigV4-signed requests only)`,
    );
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, Record<string, string>>;
    expect(settings.theme).toBe('dark');
    expect(settings.cloud).toEqual({
      endpoint: url.FunctionUrl,
      mode: 'function-url',
      auth: 'aws-iam',
      region,
      functionName: FN,
      awsProfile: '',
      reservedConcurrency: 20,
    });

    const second = deploy('--image-uri', imageUri('v1'));
    expect(second.code, second.out).toBe(0);
    expect(noChanges(second)).toEqual({ created: [], updated: [], deleted: [] });
    expect(withOutcome(second.lines, 'unchanged')).toEqual(
      expect.arrayContaining([
        'log group /aws/lambda/checkbox-detector',
        'lambda function checkbox-detector reserved concurrency',
        'function url (AWS_IAM)',
        'rest api checkbox-detector ANY /{proxy+}',
        'rest api checkbox-detector OPTIONS /{proxy+}',
        'rest api checkbox-detector stage prod throttling',
      ]),
    );
  });

  it('--auth API_KEY: methods need a key bound to a throttled usage plan; the key is shown once and stored', async () => {
    const profile = path.join(work, 'web-profile');
    mkdirSync(profile);
    const settingsFile = path.join(profile, 'settings.json');
    const run = deploy('--image-uri', imageUri('v1'), '--auth', 'API_KEY', '--write-settings', settingsFile);
    expect(run.code, run.out).toBe(0);
    expect(noChanges(run)).toEqual({
      created: [
        'usage plan checkbox-detector-plan',
        'api key checkbox-detector-key',
        'api key checkbox-detector-key in checkbox-detector-plan',
      ],
      updated: [
        'rest api checkbox-detector ANY /',
        'rest api checkbox-detector ANY /{proxy+}',
        'rest api checkbox-detector stage prod',
        'rest api checkbox-detector stage prod throttling',
      ],
      deleted: [],
    });

    const aws = clients();
    expect(await frontDoors(aws)).toEqual({
      functionUrl: 'AWS_IAM', // a Function URL knows no keys: it stays SigV4-only
      rest: [
        ['ANY /', 'NONE', true],
        ['ANY /{proxy+}', 'NONE', true],
      ],
    });
    const { api } = await restMethods(aws);
    const plan = await usagePlan(aws);
    expect(plan).toMatchObject({
      apiStages: [{ apiId: api.id, stage: 'prod' }],
      throttle: { rateLimit: 40, burstLimit: 40 },
      quota: { limit: 20000, period: 'DAY' },
    });
    const [key] = await apiKeys(aws);
    expect(key).toMatchObject({ name: `${FN}-key`, enabled: true });
    const bound = await aws.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan!.id }));
    expect(bound.items?.map((k) => k.id)).toEqual([key!.id]);

    expect(run.out).toContain(`API key:         ${key!.value}  (shown once`);
    expect(run.out).toContain('(auth API_KEY: send the key as the x-api-key header)');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, Record<string, string>>;
    expect(settings.cloud).toMatchObject({
      endpoint: `https://${api.id}.execute-api.${region}.amazonaws.com/prod`,
      mode: 'api-gateway',
      auth: 'api-key',
    });
    // Encrypted at rest, readable by the app's own secret store.
    expect(readFileSync(path.join(profile, 'secrets.json'), 'utf8')).not.toContain(key!.value);
    expect(
      new FileSecretStore(path.join(profile, 'secrets.json'), profileKeyCipher(profile)).get('cloudApiKey'),
    ).toBe(key!.value);

    const again = deploy('--image-uri', imageUri('v1'), '--auth', 'API_KEY', '--quota', '500');
    expect(again.code, again.out).toBe(0);
    expect(noChanges(again)).toEqual({
      created: [],
      updated: ['usage plan checkbox-detector-plan'],
      deleted: [],
    });
    // moto keeps a patched value as the string it was sent; AWS answers a number.
    const quota = (await usagePlan(aws))?.quota;
    expect([Number(quota?.limit), quota?.period]).toEqual([500, 'DAY']);
    expect(again.out).not.toContain(key!.value);
    expect(again.out).toContain(`API key:         ${key!.id}, made earlier`);
  });

  it('--public opens both front doors, warns of the cost, and updates the limits in place', async () => {
    const run = deploy(
      '--image-uri',
      imageUri('v2'),
      '--public',
      '--memory',
      '3008',
      '--reserved-concurrency',
      '5',
      '--throttle-rate',
      '10',
      '--throttle-burst',
      '20',
      '--log-retention',
      '30',
    );
    expect(run.code, run.out).toBe(0);
    expect(withOutcome(run.lines, 'created')).toEqual([
      'permission checkbox-detector-url-public',
      'permission checkbox-detector-url-public-invoke',
    ]);
    expect(withOutcome(run.lines, 'updated')).toEqual([
      'log group /aws/lambda/checkbox-detector',
      'lambda function checkbox-detector configuration',
      'lambda function checkbox-detector image',
      'lambda function checkbox-detector reserved concurrency',
      'function url (NONE)',
      'rest api checkbox-detector ANY /',
      'rest api checkbox-detector ANY /{proxy+}',
      'rest api checkbox-detector stage prod',
      'rest api checkbox-detector stage prod throttling',
    ]);
    expect(withOutcome(run.lines, 'deleted')).toEqual([
      'usage plan checkbox-detector-plan',
      'api key checkbox-detector-key',
    ]);
    expect(run.stderr).toContain('WARNING: --public: both URLs accept calls from anyone');
    // 5 instances x 3008 MB all day at $0.0000166667 per GB-s; 10 requests/s at $3.50 per million.
    expect(run.stderr).toContain('up to $21/day of Lambda time');
    expect(run.stderr).toContain('up to $3/day of API Gateway requests');
    expect(run.out).toContain('(auth NONE: public, anyone with the URL can call it)');

    const aws = clients();
    expect(await frontDoors(aws)).toEqual({
      functionUrl: 'NONE',
      rest: [
        ['ANY /', 'NONE', false],
        ['ANY /{proxy+}', 'NONE', false],
      ],
    });
    expect(await policySids(aws)).toEqual([
      'checkbox-detector-apigateway',
      'checkbox-detector-url-public',
      'checkbox-detector-url-public-invoke',
    ]);
    expect([await usagePlan(aws), await apiKeys(aws)]).toEqual([undefined, []]);
    const fn = await aws.lambda.send(new GetFunctionCommand({ FunctionName: FN }));
    expect([fn.Configuration?.MemorySize, fn.Code?.ImageUri]).toEqual([3008, imageUri('v2')]);
    expect(
      (await aws.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: FN })))
        .ReservedConcurrentExecutions,
    ).toBe(5);
    const logs = await aws.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${FN}` }),
    );
    expect(logs.logGroups?.[0]?.retentionInDays).toBe(30);
    const { api } = await restMethods(aws);
    const stage = await aws.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }));
    expect(stage.methodSettings?.['*/*']).toMatchObject({
      throttlingRateLimit: 10,
      throttlingBurstLimit: 20,
    });

    const greedy = deploy(
      '--image-uri',
      imageUri('v2'),
      '--public',
      '--memory',
      '3008',
      '--reserved-concurrency',
      '950',
    );
    expect(greedy.code).toBe(1);
    expect(greedy.out).toContain('(--reserved-concurrency 950: ask for a lower number, or "none")');
  });

  it('--destroy removes everything it made, and nothing it did not', async () => {
    const aws = clients();
    await aws.iam.send(
      new CreateRoleCommand({ RoleName: 'someone-else-lambda-role', AssumeRolePolicyDocument: '{}' }),
    );
    // A key to destroy as well: the last run removed the API_KEY one.
    expect(deploy('--image-uri', imageUri('v2'), '--auth', 'API_KEY').code).toBe(0);

    const destroy = deploy('--destroy');
    expect(destroy.code, destroy.out).toBe(0);
    expect(withOutcome(destroy.lines, 'deleted')).toEqual([
      'usage plan checkbox-detector-plan',
      'api key checkbox-detector-key',
      'rest api checkbox-detector',
      'lambda function checkbox-detector',
      'log group /aws/lambda/checkbox-detector',
      'iam role checkbox-detector-lambda-role',
      'ecr repository checkbox-detector',
    ]);
    const gone = (p: Promise<unknown>) =>
      p.then(
        () => 'exists',
        (e: Error) => e.name,
      );
    expect(await gone(aws.lambda.send(new GetFunctionCommand({ FunctionName: FN })))).toBe(
      'ResourceNotFoundException',
    );
    expect(await gone(aws.iam.send(new GetRoleCommand({ RoleName: 'checkbox-detector-lambda-role' })))).toBe(
      'NoSuchEntityException',
    );
    expect(
      await gone(aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['checkbox-detector'] }))),
    ).toBe('RepositoryNotFoundException');
    expect((await aws.apigw.send(new GetRestApisCommand({}))).items ?? []).toEqual([]);
    expect([await usagePlan(aws), await apiKeys(aws)]).toEqual([undefined, []]);
    const logs = await aws.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${FN}` }),
    );
    expect(logs.logGroups ?? []).toEqual([]);

    const again = deploy('--destroy');
    expect(withOutcome(again.lines, 'absent')).toHaveLength(7);

    const foreign = deploy('--destroy', '--name', 'someone-else');
    expect(withOutcome(foreign.lines, 'skipped')).toEqual(['iam role someone-else-lambda-role']);
    expect(await gone(aws.iam.send(new GetRoleCommand({ RoleName: 'someone-else-lambda-role' })))).toBe(
      'exists',
    );
  });

  it.each([
    [['--auth', 'MAYBE'], '--auth must be AWS_IAM or API_KEY (or --public for none), not "MAYBE"'],
    [['--auth', 'NONE'], 'a deploy without auth must be asked for with --public'],
    [
      ['--public', '--auth', 'AWS_IAM'],
      '--public means auth NONE; it cannot be combined with --auth AWS_IAM',
    ],
    [['--reserved-concurrency', '0'], '--reserved-concurrency must be an integer 1..1000, not "0"'],
    [['--throttle-rate', 'fast'], '--throttle-rate must be an integer 1..10000, not "fast"'],
    [['--log-retention', '10'], '--log-retention must be one of 1, 3, 5, 7, 14, 30,'],
  ])('refuses %j with a clear message', (args, message) => {
    const bad = deploy(...args);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`deploy failed: Error: ${message}`);
  });
});
