// Browser mode's answers: the IPC envelope `{ok, value} | {ok: false, error: {code, message}}` for every
// route, so the page reads one shape whether a call, an upload or the server itself refused.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { encodeWire } from '../../src-shared/wire.js';

/** JSON with bytes wrapped as the renderer's wire format expects; never cached. */
export function send(c: Context, status: ContentfulStatusCode, body: unknown): Response {
  const text = encodeWire(body, (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
  return c.body(text, status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
}

export const fail = (c: Context, status: ContentfulStatusCode, code: string, message: string): Response =>
  send(c, status, { ok: false, error: { code, message } });
