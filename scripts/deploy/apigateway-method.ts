// One method of the REST API with its integration (and, for a MOCK, its responses), made to match a
// spec. A method that differs is deleted and made again: moto has no UpdateMethod, and the stage
// keeps serving its deployed snapshot until the next deployment, so callers see no gap.
import {
  DeleteMethodCommand,
  GetMethodCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type Method,
  type PutIntegrationRequest,
} from '@aws-sdk/client-api-gateway';
import { type Context, orAbsent } from './context.js';

export interface MethodSpec {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
  authorizationType: 'NONE' | 'AWS_IAM';
  apiKeyRequired: boolean;
  integration: Omit<PutIntegrationRequest, 'restApiId' | 'resourceId' | 'httpMethod'>;
  /** A fixed answer (MOCK integrations): status code, header values, content handling. */
  response?: { statusCode: string; headers: Record<string, string>; contentHandling?: 'CONVERT_TO_TEXT' };
}

const headerParams = <T>(headers: Record<string, string>, value: (v: string) => T) =>
  Object.fromEntries(Object.entries(headers).map(([h, v]) => [`method.response.header.${h}`, value(v)]));

/** Whether what API Gateway holds is what the spec asks for (only the fields we set). */
function matches(m: Method, spec: MethodSpec): boolean {
  const i = m.methodIntegration;
  const want = spec.integration;
  const base =
    m.authorizationType === spec.authorizationType &&
    Boolean(m.apiKeyRequired) === spec.apiKeyRequired &&
    i?.type === want.type &&
    (want.uri === undefined || i?.uri === want.uri) &&
    (want.contentHandling === undefined || i?.contentHandling === want.contentHandling);
  if (!base || !spec.response) return base;
  const answer = i?.integrationResponses?.[spec.response.statusCode];
  const sorted = (m: Record<string, string> | undefined) => JSON.stringify(Object.entries(m ?? {}).sort());
  return sorted(answer?.responseParameters) === sorted(headerParams(spec.response.headers, (v) => v));
}

const describe = (spec: MethodSpec) =>
  `auth ${spec.authorizationType}${spec.apiKeyRequired ? ' + API key' : ''}, ${spec.integration.type}`;

/** Returns whether anything changed (so that the stage needs a new deployment). */
export async function ensureMethod(ctx: Context, what: string, spec: MethodSpec): Promise<boolean> {
  const { restApiId, resourceId, httpMethod } = spec;
  const key = { restApiId, resourceId, httpMethod };
  const current = await orAbsent(ctx.aws.apigw.send(new GetMethodCommand(key)));
  if (current && matches(current, spec)) {
    ctx.log.report('unchanged', what, describe(spec));
    return false;
  }
  if (current) await ctx.aws.apigw.send(new DeleteMethodCommand(key));
  await ctx.aws.apigw.send(
    new PutMethodCommand({
      ...key,
      authorizationType: spec.authorizationType,
      apiKeyRequired: spec.apiKeyRequired,
    }),
  );
  await ctx.aws.apigw.send(new PutIntegrationCommand({ ...key, ...spec.integration }));
  if (spec.response) {
    const { statusCode, headers, contentHandling } = spec.response;
    await ctx.aws.apigw.send(
      new PutMethodResponseCommand({
        ...key,
        statusCode,
        responseParameters: headerParams(headers, () => false),
      }),
    );
    await ctx.aws.apigw.send(
      new PutIntegrationResponseCommand({
        ...key,
        statusCode,
        responseParameters: headerParams(headers, (v) => v),
        ...(contentHandling ? { contentHandling } : {}),
      }),
    );
  }
  ctx.log.report(current ? 'updated' : 'created', what, describe(spec));
  return true;
}
