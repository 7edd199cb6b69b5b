// Retries with exponential backoff and full jitter, for throttling (429), server errors (5xx)
// and network failures only: a 4xx is the caller's mistake and would fail the same way again.
import { CheckboxError } from '../../src-shared/errors.js';

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After honoured; a server asking for more gets no retry and the user a message. */
  maxRetryAfterMs: number;
}

/** One attempt's outcome, as the retry loop sees it. */
export type Attempt<T> =
  | { kind: 'done'; value: T }
  | { kind: 'retry'; reason: string; retryAfterMs?: number; final: () => CheckboxError };

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After in seconds or as an HTTP date. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function backoffMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

const cancelled = () => new CheckboxError('cancelled', 'The cloud request was cancelled.');

/**
 * Run `attempt` until it is done, throws (not retryable), or the retries are spent; then the last
 * attempt's `final()` error is thrown, which says how many attempts were made.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<Attempt<T>>,
  opts: { signal?: AbortSignal; onRetry?: (n: number, reason: string, delayMs: number) => void } = {},
): Promise<T> {
  for (let n = 0; ; n++) {
    if (opts.signal?.aborted) throw cancelled();
    const outcome = await attempt(n);
    if (outcome.kind === 'done') return outcome.value;
    if (n >= policy.retries) throw outcome.final();
    const asked = outcome.retryAfterMs;
    if (asked !== undefined && asked > policy.maxRetryAfterMs) {
      const final = outcome.final();
      throw new CheckboxError(
        final.code,
        `${final.message} It asks to be retried after ${seconds(asked)}, longer than the ${seconds(policy.maxRetryAfterMs)} ` +
          'this client waits; try again later.',
        { httpStatus: final.httpStatus },
      );
    }
    // The server's Retry-After as it asked (within the limit), else jittered backoff.
    const delay = Math.max(asked ?? 0, backoffMs(n, policy));
    opts.onRetry?.(n + 1, outcome.reason, delay);
    await sleep(delay, opts.signal);
  }
}
