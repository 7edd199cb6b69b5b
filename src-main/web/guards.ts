// What a request to browser mode's server passes before any route sees it. Any local process can reach
// 127.0.0.1 and forge an Origin header, so every API route needs the per-launch token the user holds (as
// Jupyter does); the Host check stops DNS rebinding (a foreign page whose name resolves to 127.0.0.1).
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { fail } from './answers.js';

export const TOKEN_HEADER = 'x-checkbox-token';

/** Only our own loopback host names; `hosts` is filled once the server listens and knows its port. */
export function hostGuard(hosts: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    if (!hosts.has(c.req.header('host') ?? '')) return fail(c, 403, 'forbidden_host', 'Unknown host.');
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
  };
}

/** The token as the page sends it: a header on fetch, `?token=` where the browser sets no headers
 *  (EventSource, download links). Compared in constant time. */
export function tokenGuard(token: string): MiddlewareHandler {
  const wanted = Buffer.from(token);
  return async (c, next) => {
    const given = Buffer.from(c.req.header(TOKEN_HEADER) ?? c.req.query('token') ?? '');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return fail(
        c,
        401,
        'unauthorized',
        'Open the app with the URL the server printed (it holds the token).',
      );
    }
    await next();
  };
}

/** A state-changing request must come from our own page: browsers always send Origin on a POST. */
export function senderGuard(trusted: (origin: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin || !trusted(origin)) {
      return fail(c, 403, 'forbidden_sender', 'This upload did not come from the app’s own page.');
    }
    await next();
  };
}
