// The REST API in front of the function: `/` and `/{proxy+}` with ANY -> AWS_PROXY behind the
// chosen auth (AWS_IAM, or an API key), OPTIONS answered by API Gateway for CORS, binary media
// types so multipart uploads and images pass through untouched, and a throttled stage. A new
// deployment is made only when something in the API changed.
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetResourcesCommand,
  GetStageCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  paginateGetRestApis,
  type RestApi,
} from '@aws-sdk/client-api-gateway';
import { ensureGatewayErrorCors, preflightSpec } from './apigateway-cors.js';
import { ensureMethod } from './apigateway-method.js';
import { type Context, OWNER_TAG, orAbsent } from './context.js';

/**
 * Request bodies of these types reach the function base64-encoded and byte-exact (without them,
 * API Gateway treats multipart and images as UTF-8 text and corrupts them). The catch-all also
 * makes API Gateway return the annotated image as binary whatever the client's Accept header.
 */
export const BINARY_MEDIA_TYPES = [
  'multipart/form-data',
  'image/*',
  'application/pdf',
  'application/octet-stream',
  '*/*',
];

/** API Gateway's integration limit is 29 s. */
const INTEGRATION_TIMEOUT_MS = 29_000;

async function findRestApi(ctx: Context): Promise<RestApi | undefined> {
  for await (const page of paginateGetRestApis({ client: ctx.aws.apigw }, { limit: 500 })) {
    const api = page.items?.find((a) => a.name === ctx.names.restApi);
    if (api) return api;
  }
  return undefined;
}

const patchPath = (type: string) => `/binaryMediaTypes/${type.replace(/~/g, '~0').replace(/\//g, '~1')}`;

export async function ensureRestApi(ctx: Context, functionArn: string): Promise<{ id: string; url: string }> {
  const what = `rest api ${ctx.names.restApi}`;
  let api = await findRestApi(ctx);
  let changed = false;
  if (!api) {
    api = await ctx.aws.apigw.send(
      new CreateRestApiCommand({
        name: ctx.names.restApi,
        description: 'Checkbox Detector API',
        binaryMediaTypes: BINARY_MEDIA_TYPES,
        endpointConfiguration: { types: ['REGIONAL'] },
        tags: ctx.tags,
      }),
    );
    ctx.log.report('created', what, api.id);
    changed = true;
  } else if (api.tags?.[OWNER_TAG] !== ctx.cfg.name) {
    throw new Error(`${what} exists but is not tagged ${OWNER_TAG}=${ctx.cfg.name}; choose another --name`);
  } else ctx.log.report('unchanged', what, api.id);

  const current = api.binaryMediaTypes ?? [];
  // AWS names the type in the path; moto (5.x) reads it from `value` and ignores it on create.
  const value = (type: string) => (ctx.cfg.endpointUrl ? { value: type } : {});
  const ops = [
    ...BINARY_MEDIA_TYPES.filter((t) => !current.includes(t)).map((t) => ({
      op: 'add' as const,
      path: patchPath(t),
      ...value(t),
    })),
    ...current
      .filter((t) => !BINARY_MEDIA_TYPES.includes(t))
      .map((t) => ({ op: 'remove' as const, path: patchPath(t), ...value(t) })),
  ];
  if (ops.length) {
    await ctx.aws.apigw.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: ops }));
    ctx.log.report(
      current.length ? 'updated' : 'created',
      `${what} binary media types`,
      BINARY_MEDIA_TYPES.join(' '),
    );
    changed = true;
  } else ctx.log.report('unchanged', `${what} binary media types`);
  const restApiId = api.id!;

  const resources =
    (await ctx.aws.apigw.send(new GetResourcesCommand({ restApiId, limit: 500 }))).items ?? [];
  const root = resources.find((r) => r.path === '/');
  if (!root?.id) throw new Error(`${what} has no root resource`);
  let proxy = resources.find((r) => r.path === '/{proxy+}');
  if (!proxy) {
    proxy = await ctx.aws.apigw.send(
      new CreateResourceCommand({ restApiId, parentId: root.id, pathPart: '{proxy+}' }),
    );
    ctx.log.report('created', `${what} resource /{proxy+}`);
    changed = true;
  } else ctx.log.report('unchanged', `${what} resource /{proxy+}`);

  const uri = `arn:aws:apigateway:${ctx.cfg.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
  const auth = ctx.cfg.auth;
  for (const [path, resourceId] of [
    ['/', root.id],
    ['/{proxy+}', proxy.id!],
  ] as const) {
    const proxied = await ensureMethod(ctx, `${what} ANY ${path}`, {
      restApiId,
      resourceId,
      httpMethod: 'ANY',
      authorizationType: auth === 'AWS_IAM' ? 'AWS_IAM' : 'NONE',
      apiKeyRequired: auth === 'API_KEY',
      integration: {
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri,
        timeoutInMillis: INTEGRATION_TIMEOUT_MS,
      },
    });
    const preflight = await ensureMethod(
      ctx,
      `${what} OPTIONS ${path}`,
      preflightSpec(restApiId, resourceId),
    );
    changed = proxied || preflight || changed;
  }
  changed = (await ensureGatewayErrorCors(ctx, restApiId)) || changed;
  await ensureStage(ctx, restApiId, changed);

  return {
    id: restApiId,
    url: `https://${restApiId}.execute-api.${ctx.cfg.region}.amazonaws.com/${ctx.cfg.stage}`,
  };
}

/**
 * Deploys the API when it changed, and throttles every method of the stage: a leaked key or URL
 * costs at most this rate (API Gateway answers the excess with 429 before anything is billed).
 */
async function ensureStage(ctx: Context, restApiId: string, changed: boolean): Promise<void> {
  const stageName = ctx.cfg.stage;
  const what = `rest api ${ctx.names.restApi} stage ${stageName}`;
  const getStage = () => orAbsent(ctx.aws.apigw.send(new GetStageCommand({ restApiId, stageName })));
  let stage = await getStage();
  const existed = stage !== undefined;
  if (!existed || changed) {
    await ctx.aws.apigw.send(
      new CreateDeploymentCommand({ restApiId, stageName, description: 'npm run deploy' }),
    );
    ctx.log.report(existed ? 'updated' : 'created', what, 'new deployment');
    // Read again: moto makes the stage anew on a deployment, without its method settings.
    stage = await getStage();
  } else ctx.log.report('unchanged', what);

  const { rateLimit, burstLimit } = ctx.cfg.throttle;
  const all = stage?.methodSettings?.['*/*'];
  const detail = `${rateLimit} requests/s, burst ${burstLimit}`;
  if (all?.throttlingRateLimit === rateLimit && all.throttlingBurstLimit === burstLimit)
    return ctx.log.report('unchanged', `${what} throttling`, detail);
  await ctx.aws.apigw.send(
    new UpdateStageCommand({
      restApiId,
      stageName,
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: String(rateLimit) },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: String(burstLimit) },
      ],
    }),
  );
  ctx.log.report(existed ? 'updated' : 'created', `${what} throttling`, detail);
}

export async function destroyRestApi(ctx: Context): Promise<void> {
  const what = `rest api ${ctx.names.restApi}`;
  const api = await findRestApi(ctx);
  if (!api) return ctx.log.report('absent', what);
  if (api.tags?.[OWNER_TAG] !== ctx.cfg.name) {
    return ctx.log.report('skipped', what, `not tagged ${OWNER_TAG}=${ctx.cfg.name}; left alone`);
  }
  await ctx.aws.apigw.send(new DeleteRestApiCommand({ restApiId: api.id }));
  ctx.log.report('deleted', what, 'with its stage and deployments');
}
