// Options of the cloud client and their checks: which front door, where it is, how to authenticate.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { CheckboxError } from '../../src-shared/errors.js';
import type { InFlightLimit } from './limiter.js';

export type CloudMode = 'function-url' | 'api-gateway' | 'invoke';
export type CloudAuth = 'NONE' | 'AWS_IAM';
export const CLOUD_MODES: readonly CloudMode[] = ['function-url', 'api-gateway', 'invoke'];

export interface CloudOptions {
  /** Default: 'invoke' when only functionName is given, 'api-gateway' for execute-api URLs, else 'function-url'. */
  mode?: CloudMode;
  /** Base URL of the Function URL or the API Gateway stage (https; http only on loopback). */
  url?: string;
  /** Function name or ARN, for mode 'invoke'. */
  functionName?: string;
  /** AWS region; for Function URLs it is read from the host name when not given. */
  region?: string;
  /** Named profile from the shared AWS config; default: the standard credential chain. */
  profile?: string;
  /** AWS_IAM signs each request with SigV4: service 'lambda' for a Function URL, 'execute-api' for API Gateway. */
  auth?: CloudAuth;
  /** API Gateway key, sent as x-api-key. */
  apiKey?: string;
  /** Lambda API endpoint for mode 'invoke' (tests, local emulators). */
  endpoint?: string;
  /** Explicit credentials, instead of the chain or profile. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Per-attempt time limit; default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, on throttling, 5xx and network errors; default 3. */
  retries?: number;
  /** Backoff: full jitter over base * 2^attempt, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After the client waits for; default 60 s. A longer one ends the request with a message. */
  maxRetryAfterMs?: number;
  /** Largest answer read; default 8 MiB (a detection result is a few hundred KB at most). */
  maxAnswerBytes?: number;
  /** Requests in flight at once; default 16. Ignored when `inFlight` is given. */
  maxInFlight?: number;
  /** A limit shared by several clients (the app makes one client per file of a batch). */
  inFlight?: InFlightLimit;
  /** Largest image sent in one request; default depends on the mode (see PAYLOAD_BUDGET). */
  maxImageBytes?: number;
}

/**
 * Largest image per request so the Lambda event stays under the 6 MiB synchronous limit.
 * Function URL and invoke carry a binary body base64-encoded (4/3). Through API Gateway the base64
 * JSON body is base64-encoded once more when binaryMediaTypes match it (16/9).
 */
export const PAYLOAD_BUDGET: Record<CloudMode, number> = {
  'function-url': 4_500_000,
  invoke: 4_500_000,
  'api-gateway': 3_300_000,
};

/** Lambda answers at most 6 MB; anything much bigger is not a detection result. */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** https only, except plain http to this machine (local server, tests). */
export function checkEndpointUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CheckboxError('invalid_argument', `${what} is not a URL: ${raw}`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))) return url;
  throw new CheckboxError(
    'invalid_argument',
    `${what} must use https (plain http is allowed only for localhost): ${url.origin}`,
  );
}

export function resolveMode(opts: CloudOptions): CloudMode {
  if (opts.mode) {
    if (!CLOUD_MODES.includes(opts.mode)) {
      throw new CheckboxError('invalid_argument', `cloud mode must be one of ${CLOUD_MODES.join(', ')}`);
    }
    return opts.mode;
  }
  if (!opts.url && opts.functionName) return 'invoke';
  if (opts.url && /\.execute-api\./.test(opts.url)) return 'api-gateway';
  return 'function-url';
}

/** Function URL hosts look like <id>.lambda-url.<region>.on.aws. */
export function regionFromUrl(url: URL): string | undefined {
  return (
    /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1] ??
    /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1]
  );
}
