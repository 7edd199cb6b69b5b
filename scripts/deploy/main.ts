// npm run deploy -- --region R [--profile P] [--auth NONE|AWS_IAM] [--destroy] ...
// Creates or updates everything the cloud engine needs, idempotently, and says per resource
// whether it was created, updated or unchanged. --destroy removes what this script made (by tag).
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { destroyRestApi, ensureRestApi } from './apigateway.js';
import {
  type Context,
  type DeployConfig,
  OWNER_TAG,
  Reporter,
  makeClients,
  resourceNames,
} from './context.js';
import { destroyRepository, ensureImage, ensureRepository } from './ecr.js';
import {
  destroyFunction,
  ensureFunction,
  ensureFunctionUrl,
  ensurePermissions,
  type Permission,
} from './function.js';
import { destroyRole, ensureRole } from './iam.js';
import { writeSettings } from './settings.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const USAGE = `Usage: npm run deploy -- --region <region> [options]

  --region <r>            AWS region (default: $AWS_REGION)
  --profile <p>           AWS profile (default: the standard credential chain)
  --auth <NONE|AWS_IAM>   Function URL auth (default NONE: public; AWS_IAM: SigV4-signed callers only)
  --name <n>              resource name prefix and ownership tag (default checkbox-detector)
  --stage <s>             API Gateway stage (default prod)
  --memory <MB>           function memory (default 2048)
  --timeout <s>           function timeout (default 30)
  --image-uri <uri>       use this image instead of building and pushing one
  --skip-push             do not build or push; the bundle's image must already be in ECR
  --endpoint-url <url>    send every AWS call here (moto, LocalStack)
  --write-settings <file> put the Function URL into the app's settings JSON
  --destroy               delete everything this script made
`;

/**
 * Memory and timeout, measured by scripts/bench/lambda-latency.ts on the bundle: peak RSS ~0.4 GB, so
 * memory buys CPU, not room. A warm 1100x1400 page costs ~0.47 s of CPU (two threads, 0.23 s wall),
 * a cold start ~0.9 s of CPU to the first answer. Lambda gives one full vCPU at 1769 MB; 2048 MB
 * (~1.2 vCPU) answers a warm page in about half a second. 30 s leaves room for a cold start and
 * the largest pages; API Gateway stops at 29 s anyway.
 */
const DEFAULT_MEMORY_MB = 2048;
const DEFAULT_TIMEOUT_S = 30;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      region: { type: 'string' },
      profile: { type: 'string' },
      auth: { type: 'string', default: 'NONE' },
      name: { type: 'string', default: 'checkbox-detector' },
      stage: { type: 'string', default: 'prod' },
      memory: { type: 'string', default: String(DEFAULT_MEMORY_MB) },
      timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_S) },
      'image-uri': { type: 'string' },
      'skip-push': { type: 'boolean', default: false },
      'endpoint-url': { type: 'string' },
      'write-settings': { type: 'string' },
      destroy: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const region = values.region ?? process.env.AWS_REGION;
  if (!region) throw new Error('--region is required (or set AWS_REGION)');
  const auth = values.auth.toUpperCase();
  if (auth !== 'NONE' && auth !== 'AWS_IAM') throw new Error('--auth must be NONE or AWS_IAM');
  if (!/^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(values.name))
    throw new Error('--name: letters, digits and dashes, at most 41');
  const memoryMb = Number(values.memory);
  const timeoutS = Number(values.timeout);
  if (!Number.isInteger(memoryMb) || memoryMb < 128 || memoryMb > 10240)
    throw new Error('--memory must be 128..10240 MB');
  if (!Number.isInteger(timeoutS) || timeoutS < 1 || timeoutS > 900)
    throw new Error('--timeout must be 1..900 s');
  const cfg: DeployConfig = {
    region,
    name: values.name,
    auth,
    memoryMb,
    timeoutS,
    stage: values.stage,
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values['endpoint-url'] ? { endpointUrl: values['endpoint-url'] } : {}),
  };
  return { cfg, values };
}

/** Who may invoke the function: the public Function URL (auth NONE only) and our REST API. */
function permissions(ctx: Context, restApiId: string): { wanted: Permission[]; ours: string[] } {
  const api: Permission = {
    StatementId: 'checkbox-detector-apigateway',
    Action: 'lambda:InvokeFunction',
    Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${ctx.cfg.region}:${ctx.accountId}:${restApiId}/*/*/*`,
  };
  // Since October 2025 a public Function URL needs both statements.
  const publicUrl: Permission[] = [
    {
      StatementId: 'checkbox-detector-url-public',
      Action: 'lambda:InvokeFunctionUrl',
      Principal: '*',
      FunctionUrlAuthType: 'NONE',
    },
    {
      StatementId: 'checkbox-detector-url-public-invoke',
      Action: 'lambda:InvokeFunction',
      Principal: '*',
      InvokedViaFunctionUrl: true,
    },
  ];
  const wanted = ctx.cfg.auth === 'NONE' ? [api, ...publicUrl] : [api];
  return { wanted, ours: [api, ...publicUrl].map((p) => p.StatementId) };
}

async function main(): Promise<void> {
  const { cfg, values } = parse(process.argv.slice(2));
  const aws = makeClients(cfg);
  const identity = await aws.sts.send(new GetCallerIdentityCommand({}));
  const ctx: Context = {
    cfg,
    aws,
    log: new Reporter(),
    accountId: identity.Account!,
    names: resourceNames(cfg.name),
    tags: { [OWNER_TAG]: cfg.name },
  };
  console.log(
    `${values.destroy ? 'Destroying' : 'Deploying'} ${cfg.name} in ${cfg.region} (account ${ctx.accountId})`,
  );

  if (values.destroy) {
    await destroyRestApi(ctx);
    await destroyFunction(ctx);
    await destroyRole(ctx);
    await destroyRepository(ctx);
    console.log(`\nDone: ${ctx.log.summary()}`);
    return;
  }

  const repositoryUri = await ensureRepository(ctx);
  const imageUri = await ensureImage(ctx, repositoryUri, {
    ...(values['image-uri'] ? { imageUri: values['image-uri'] } : {}),
    skipPush: values['skip-push'],
    bundleDir: path.join(repoRoot, 'dist/lambda'),
    repoRoot,
  });
  const role = await ensureRole(ctx);
  const functionArn = await ensureFunction(ctx, { imageUri, roleArn: role.arn });
  const functionUrl = await ensureFunctionUrl(ctx);
  const restApi = await ensureRestApi(ctx, functionArn);
  const { wanted, ours } = permissions(ctx, restApi.id);
  await ensurePermissions(ctx, wanted, ours);

  console.log(`\nDone: ${ctx.log.summary()}`);
  console.log(
    `Function URL:    ${functionUrl}  (auth ${cfg.auth}${cfg.auth === 'NONE' ? ': public, anyone with the URL can call it' : ''})`,
  );
  console.log(`API Gateway URL: ${restApi.url}`);
  console.log(`Function name:   ${ctx.names.function}`);
  console.log(
    cfg.auth === 'NONE'
      ? `Try it:          curl -F "file=@page.jpg" -F "conf=0.2" ${functionUrl.replace(/\/$/, '')}/predict`
      : `Try it:          checkbox-detector detect --cloud ${functionUrl} --auth AWS_IAM page.jpg`,
  );
  if (values['write-settings']) {
    writeSettings(values['write-settings'], {
      functionUrl,
      functionName: ctx.names.function,
      region: cfg.region,
      auth: cfg.auth,
      ...(cfg.profile ? { profile: cfg.profile } : {}),
    });
    console.log(`Settings:        wrote the cloud endpoint into ${values['write-settings']}`);
  }
}

main().catch((err: unknown) => {
  console.error(`deploy failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  process.exit(1);
});
