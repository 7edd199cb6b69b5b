// Direct invocation with the Lambda API (no URL needed, IAM decides who may call). The request is
// wrapped in an API Gateway v2 (Function URL) event, so the function's one handler answers it.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { randomUUID } from 'node:crypto';
import { credentialChain, type CredentialSource } from './sigv4.js';
import { paramEntries, type CloudAnswer, type CloudRequest, type Transport } from './transport.js';

export interface InvokeTarget {
  functionName: string;
  region?: string;
  profile?: string;
  endpoint?: string;
  credentials?: CredentialSource;
}

/** An HTTP-API v2 event for POST /predict with the raw image as a base64 body. */
export function predictEvent(req: CloudRequest): Record<string, unknown> {
  const now = new Date();
  const params = paramEntries(req);
  const rawQueryString = new URLSearchParams(params).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/predict',
    rawQueryString,
    headers: { 'content-type': req.mediaType, accept: 'application/json', host: 'lambda-invoke.local' },
    queryStringParameters: Object.fromEntries(params),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'invoke',
      domainName: 'lambda-invoke.local',
      domainPrefix: 'lambda-invoke',
      http: {
        method: 'POST',
        path: '/predict',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'checkbox-detector',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: Buffer.from(req.image).toString('base64'),
    isBase64Encoded: true,
  };
}

interface ProxyResult {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export function invokeTransport(target: InvokeTarget): Transport {
  let client: Promise<LambdaClient> | undefined;
  const lambda = () =>
    (client ??= import('@aws-sdk/client-lambda').then(async ({ LambdaClient }) => {
      const credentials =
        target.credentials ?? (target.profile ? await credentialChain(target.profile) : undefined);
      return new LambdaClient({
        // Retries are the cloud client's own, one policy for every front door.
        maxAttempts: 1,
        ...(target.region ? { region: target.region } : {}),
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        ...(credentials ? { credentials } : {}),
      });
    }));

  return {
    target: `function ${target.functionName}`,
    async send(req: CloudRequest, signal: AbortSignal): Promise<CloudAnswer> {
      const { InvokeCommand } = await import('@aws-sdk/client-lambda');
      let out;
      try {
        out = await (
          await lambda()
        ).send(
          new InvokeCommand({
            FunctionName: target.functionName,
            Payload: JSON.stringify(predictEvent(req)),
          }),
          { abortSignal: signal },
        );
      } catch (err) {
        // Lambda API errors (throttling, not found, access denied) carry an HTTP status: answer with it,
        // so they are retried or not like any other answer. Network failures have none and are rethrown.
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (!status) throw err;
        return jsonAnswer(status, {
          error: { code: 'cloud_error', message: `${(err as Error).name}: ${(err as Error).message}` },
        });
      }
      const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
      if (out.FunctionError) {
        // The function crashed or timed out: a server-side failure, answered like a 502.
        return jsonAnswer(502, {
          error: {
            code: 'cloud_error',
            message: `function error (${out.FunctionError}): ${text.slice(0, 500)}`,
          },
        });
      }
      let result: ProxyResult;
      try {
        result = JSON.parse(text) as ProxyResult;
      } catch {
        return jsonAnswer(502, {
          error: { code: 'cloud_error', message: 'the function returned a payload that is not JSON' },
        });
      }
      const body = result.body ?? '';
      return {
        status: result.statusCode ?? 200,
        headers: new Headers(result.headers ?? {}),
        body: new Uint8Array(
          result.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
        ),
      };
    },
  };
}

function jsonAnswer(status: number, body: unknown): CloudAnswer {
  return {
    status,
    headers: new Headers({ 'content-type': 'application/json' }),
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
}
