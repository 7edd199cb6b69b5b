// npm run deploy -- --region R [--profile P] [--auth AWS_IAM|API_KEY | --public] [--destroy] ...
// Creates or updates everything the cloud engine needs, idempotently, and says per resource
// whether it was created, updated or unchanged. --destroy removes what this script made (by tag).
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { destroyRestApi, ensureRestApi } from './apigateway.js';
import { destroyApiKey, ensureApiKey } from './apikey.js';
import { parse } from './args.js';
import { type Context, OWNER_TAG, Reporter, makeClients, resourceNames } from './context.js';
import { destroyRepository, ensureImage, ensureRepository } from './ecr.js';
import {
  destroyFunction,
  ensureConcurrency,
  ensureFunction,
  ensureFunctionUrl,
  ensurePermissions,
  type Permission,
} from './function.js';
import { destroyRole, ensureRole } from './iam.js';
import { destroyLogGroup, ensureLogGroup } from './logs.js';
import { printOutcome } from './output.js';
import { PENDING_SECRETS_FILE, writeSettings } from './settings.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
    // The usage plan first: AWS refuses to delete a REST API that a plan is bound to.
    await destroyApiKey(ctx);
    await destroyRestApi(ctx);
    await destroyFunction(ctx);
    await destroyLogGroup(ctx);
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
  await ensureLogGroup(ctx);
  const functionArn = await ensureFunction(ctx, { imageUri, roleArn: role.arn });
  await ensureConcurrency(ctx);
  const functionUrl = await ensureFunctionUrl(ctx);
  const restApi = await ensureRestApi(ctx, functionArn);
  const apiKey = cfg.auth === 'API_KEY' ? await ensureApiKey(ctx, restApi.id) : undefined;
  if (!apiKey) await destroyApiKey(ctx, `not wanted with auth ${cfg.auth}`);
  const { wanted, ours } = permissions(ctx, restApi.id);
  await ensurePermissions(ctx, wanted, ours);

  console.log(`\nDone: ${ctx.log.summary()}`);
  printOutcome(ctx, { functionUrl, restApiUrl: restApi.url, ...(apiKey ? { apiKey } : {}) });
  const settingsFile = values['write-settings'];
  if (settingsFile) {
    const stored = writeSettings(settingsFile, {
      functionUrl,
      restApiUrl: restApi.url,
      functionName: ctx.names.function,
      region: cfg.region,
      auth: cfg.auth,
      reservedConcurrency: cfg.reservedConcurrency,
      ...(cfg.profile ? { profile: cfg.profile } : {}),
      ...(apiKey ? { apiKey: apiKey.value } : {}),
    });
    console.log(
      `Settings:        wrote the cloud endpoint${cfg.reservedConcurrency !== null ? ` and its reserved concurrency (${cfg.reservedConcurrency})` : ''} into ${settingsFile}`,
    );
    if (stored.apiKey === 'stored')
      console.log(`                 and the API key into the secret store beside it (secrets.json)`);
    if (stored.apiKey === 'pending')
      console.log(
        `                 and the API key into ${PENDING_SECRETS_FILE} (0600), which the app moves into the OS keychain at its next start`,
      );
  }
}

main().catch((err: unknown) => {
  console.error(`deploy failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  process.exit(1);
});
