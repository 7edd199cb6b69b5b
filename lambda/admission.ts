// The local server's bound on concurrent work: a few detections at a time, a queue of bounded length
// behind them, and 503 with Retry-After past that, so a burst of big pages cannot take the machine's
// memory (bodies of queued requests stay unread in the socket until their turn). Lambda needs none:
// each container gets one request at a time.
import {
  InFlightLimit,
} from '../src-core/index.js';
import type { Context, Env, MiddlewareHandler } from 'hono';

export interface AdmissionLimits {
  /** Detections at once. */
  running: number;
  /** Requests waiting behind them; the next one gets 503. */
  queued: number;
  /** Retry-After of the 503, in seconds. */
  retryAfterS: number;
}

/** `busy` answers the 503 (the app's error body); the Retry-After header is set here. */
export function admission<E extends Env>(
  limits: AdmissionLimits,
  busy: (c: Context<E>, message: string) => Response,
): MiddlewareHandler<E> {
  const slots = new InFlightLimit(limits.running);
  return async (c, next) => {
    if (slots.full && slots.waiting >= limits.queued) {
      c.header('retry-after', String(limits.retryAfterS));
      return busy(
        c,
        `The server is busy (${limits.running} detections running, ${limits.queued} waiting); retry after ` +
          `${limits.retryAfterS} s.`,
      );
    }
    await slots.run(next);
  };
}
