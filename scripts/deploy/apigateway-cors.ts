// CORS on the REST API, as the Function URL has it: OPTIONS answered by API Gateway itself (no
// auth, no function call), and API Gateway's own errors (403 missing key or signature, 429
// throttled) carrying Access-Control-Allow-Origin so that a browser can read them.
import {
  GetGatewayResponseCommand,
  PutGatewayResponseCommand,
  type GatewayResponseType,
} from '@aws-sdk/client-api-gateway';
import { type Context, orAbsent } from './context.js';
import { CORS, preflightHeaders } from './cors.js';
import type { MethodSpec } from './apigateway-method.js';

/**
 * The preflight as a MOCK method. CONVERT_TO_TEXT because `*\/*` is a binary media type: without
 * it API Gateway tries to answer the empty mock body as binary and fails with a 500.
 */
export function preflightSpec(restApiId: string, resourceId: string): MethodSpec {
  return {
    restApiId,
    resourceId,
    httpMethod: 'OPTIONS',
    authorizationType: 'NONE',
    apiKeyRequired: false,
    integration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 204}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      contentHandling: 'CONVERT_TO_TEXT',
    },
    response: { statusCode: '204', headers: preflightHeaders(), contentHandling: 'CONVERT_TO_TEXT' },
  };
}

const GATEWAY_ERRORS: GatewayResponseType[] = ['DEFAULT_4XX', 'DEFAULT_5XX'];

/** Returns whether anything changed. */
export async function ensureGatewayErrorCors(ctx: Context, restApiId: string): Promise<boolean> {
  const responseParameters = {
    'gatewayresponse.header.Access-Control-Allow-Origin': `'${CORS.AllowOrigins!.join(',')}'`,
  };
  let changed = false;
  for (const responseType of GATEWAY_ERRORS) {
    const what = `rest api ${ctx.names.restApi} gateway response ${responseType}`;
    const current = await orAbsent(
      ctx.aws.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType })),
    );
    const same = JSON.stringify(current?.responseParameters ?? {}) === JSON.stringify(responseParameters);
    // Without a PUT, GET answers a default response (defaultResponse: true) rather than "not found".
    if (current && same && !current.defaultResponse) {
      ctx.log.report('unchanged', what);
      continue;
    }
    await ctx.aws.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType, responseParameters }));
    ctx.log.report(current && !current.defaultResponse ? 'updated' : 'created', what, 'CORS header');
    changed = true;
  }
  return changed;
}
