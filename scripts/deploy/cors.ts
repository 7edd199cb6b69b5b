// One CORS policy for both front doors: the Function URL takes it as its Cors config; the REST API
// answers preflights with the same headers from a MOCK integration (apigateway-cors.ts).
import type { Cors } from '@aws-sdk/client-lambda';

export const CORS: Cors = {
  AllowOrigins: ['*'],
  AllowMethods: ['GET', 'POST'],
  AllowHeaders: [
    'content-type',
    'authorization',
    'x-amz-date',
    'x-amz-security-token',
    'x-amz-content-sha256',
    'x-api-key',
  ],
  ExposeHeaders: ['x-checkbox-counts'],
  MaxAge: 3600,
};

/** The preflight answer's headers, as API Gateway header values (quoted literals). */
export function preflightHeaders(): Record<string, string> {
  const quoted = (v: string) => `'${v}'`;
  return {
    'Access-Control-Allow-Origin': quoted(CORS.AllowOrigins!.join(',')),
    'Access-Control-Allow-Methods': quoted([...CORS.AllowMethods!, 'OPTIONS'].join(',')),
    'Access-Control-Allow-Headers': quoted(CORS.AllowHeaders!.join(',')),
    'Access-Control-Max-Age': quoted(String(CORS.MaxAge)),
  };
}
