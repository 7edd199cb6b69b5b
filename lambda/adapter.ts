// The Lambda entry around Hono's adapter: an event that is not a Function URL (payload v2) or API Gateway
// REST (payload v1) request, or whose base64 body is not base64, gets the API's JSON 400 with a request
// id, where Hono's adapter would answer a plain-text 500 or route `{}` to GET /.
import type { Env, Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { randomUUID } from 'node:crypto';
import { isBase64 } from './request.js';
import { logRequest, type RequestLog } from './request-log.js';

type Json = Record<string, unknown>;
export interface LambdaContextLike {
  awsRequestId?: string;
}
export interface ProxyResult {
  statusCode: number;
  /** Payload v2 answers carry headers; Hono answers v1 events with multiValueHeaders. */
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** What is wrong with the event, or undefined when Hono's adapter can take it. */
export function eventProblem(event: unknown): string | undefined {
  if (!isObject(event)) return 'The event is not a JSON object.';
  const context = event.requestContext;
  const v2 = event.version === '2.0' || 'rawPath' in event;
  if (v2) {
    const http = isObject(context) ? context.http : undefined;
    if (!isString(event.rawPath) || !isObject(http) || !isString(http.method))
      return 'The event looks like payload v2 but lacks rawPath or requestContext.http.method.';
  } else if (!isString(event.httpMethod) || !isString(event.path)) {
    return 'The event is neither a Function URL / HTTP API (payload v2) nor an API Gateway REST (payload v1) request.';
  }
  if (event.headers !== undefined && event.headers !== null && !isObject(event.headers))
    return 'The event headers are not an object.';
  const body = event.body;
  if (body !== undefined && body !== null && !isString(body)) return 'The event body is not a string.';
  if (event.isBase64Encoded === true && isString(body) && !isBase64(body))
    return 'The event says its body is base64 (isBase64Encoded), but it is not valid base64.';
  return undefined;
}

/** Lambda's own id for the invocation, else the front door's, else a new one. */
function requestIdOf(event: unknown, context: LambdaContextLike | undefined): string {
  if (context?.awsRequestId) return context.awsRequestId;
  const id = isObject(event) && isObject(event.requestContext) ? event.requestContext.requestId : undefined;
  return isString(id) && id ? id : randomUUID();
}

export function lambdaHandler<E extends Env>(app: Hono<E>, log: RequestLog = logRequest) {
  const handler = handle(app);
  return async (event: unknown, context?: LambdaContextLike): Promise<ProxyResult> => {
    const problem = eventProblem(event);
    if (problem === undefined) return (await handler(event as never, context as never)) as ProxyResult;
    const requestId = requestIdOf(event, context);
    log({ route: 'invalid event', status: 400, ms: 0, requestId });
    return {
      statusCode: 400,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ error: { code: 'invalid_argument', message: problem, requestId } }),
      isBase64Encoded: false,
    };
  };
}
