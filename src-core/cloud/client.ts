// The cloud client: detection on the user's own Lambda through one of three front doors
// (Function URL, API Gateway, direct invoke), with the same DetectionResult as local detection.
// Retries only what can succeed on a second try; every failure ends in a CheckboxError.
import { CheckboxError, type ErrorCode } from '../../src-shared/errors.js';
import { DEFAULT_CONF, DetectionResultSchema, ErrorBodySchema, type DetectionResult } from '../../src-shared/result.js';
import { fitRequest, type FittedRequest } from './fit.js';
import { DEFAULT_IN_FLIGHT, InFlightLimit } from './limiter.js';
import { openFilePages, type FilePages } from './pages.js';
import { apiGatewayTransport, functionUrlTransport } from './http.js';
import { invokeTransport } from './invoke.js';
import type { IamAuth } from './sigv4.js';
import {
  MAX_ANSWER_BYTES,
  PAYLOAD_BUDGET,
  checkEndpointUrl,
  regionFromUrl,
  resolveMode,
  type CloudMode,
  type CloudOptions,
} from './options.js';
import {
  isRetryableStatus,
  parseRetryAfter,
  withRetries,
  type Attempt,
  type RetryPolicy,
} from './retry.js';
import type { CloudAnswer, DetectParams, Transport } from './transport.js';

export { DEFAULT_IN_FLIGHT, InFlightLimit, cloudInFlight } from './limiter.js';
export { MAX_CLOUD_PAGES, splitPages, type FilePages, type SplitFile } from './pages.js';
export {
  CLOUD_MODES,
  PAYLOAD_BUDGET,
  checkEndpointUrl,
  type CloudAuth,
  type CloudMode,
  type CloudOptions,
} from './options.js';

/** The detection options (conf, the NMS IoU threshold, PDF render resolution, tiling, text), sent with every
 *  request, and how to run the file's requests. */
export interface CloudDetectOptions extends Partial<DetectParams> {
  /** 1-based page of a multi-page file; default 1. */
  page?: number;
  /** File name, reported as image.source. */
  source?: string;
  signal?: AbortSignal;
  /** Told before each retry, so the user sees why a page is taking longer. */
  onRetry?: (notice: RetryNotice) => void;
}

export interface RetryNotice {
  page: number;
  /** The attempt about to be made (2 for the first retry) and how many there will be at most. */
  attempt: number;
  attempts: number;
  reason: string;
  delayMs: number;
}

const KNOWN_CODES = new Set<string>([
  'empty_file',
  'unsupported_type',
  'corrupt_image',
  'image_too_large',
  'payload_too_large',
  'invalid_argument',
]);

function buildTransport(mode: CloudMode, opts: CloudOptions): Transport {
  if (mode === 'invoke') {
    if (!opts.functionName)
      throw new CheckboxError('invalid_argument', 'cloud mode "invoke" needs a function name');
    if (opts.endpoint) checkEndpointUrl(opts.endpoint, 'Lambda endpoint');
    return invokeTransport({
      functionName: opts.functionName,
      ...(opts.region ? { region: opts.region } : {}),
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
    });
  }
  if (!opts.url) throw new CheckboxError('invalid_argument', `cloud mode "${mode}" needs a URL`);
  const url = checkEndpointUrl(opts.url, 'Cloud URL');
  const maxAnswerBytes = opts.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const iam = opts.auth === 'AWS_IAM' ? iamAuth(opts, url) : undefined;
  if (mode === 'api-gateway') return apiGatewayTransport(url, opts.apiKey, iam, maxAnswerBytes);
  return functionUrlTransport(url, iam, maxAnswerBytes);
}

function iamAuth(opts: CloudOptions, url: URL): IamAuth {
  const region = opts.region ?? regionFromUrl(url) ?? process.env.AWS_REGION;
  if (!region) {
    throw new CheckboxError(
      'invalid_argument',
      'AWS_IAM auth needs a region (not found in the URL; pass one)',
    );
  }
  return {
    region,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
  };
}

function answerError(answer: CloudAnswer): { code: string; message: string } | undefined {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(new TextDecoder().decode(answer.body)));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

const HINTS: Record<number, string> = {
  401: ' Check the credentials.',
  403: ' The endpoint refused access: an endpoint deployed with AWS_IAM needs --auth AWS_IAM and credentials allowed to invoke it; API Gateway may need an API key instead.',
  404: ' Check the URL (an API Gateway URL includes the stage, e.g. /prod).',
};

export class CloudClient {
  readonly mode: CloudMode;
  readonly target: string;
  readonly #transport: Transport;
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #maxImageBytes: number;
  readonly #inFlight: InFlightLimit;

  constructor(opts: CloudOptions) {
    this.mode = resolveMode(opts);
    this.#transport = buildTransport(this.mode, opts);
    this.target = this.#transport.target;
    this.#policy = {
      retries: opts.retries ?? 3,
      baseDelayMs: opts.baseDelayMs ?? 250,
      maxDelayMs: opts.maxDelayMs ?? 4000,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 60_000,
    };
    if (!Number.isInteger(this.#policy.retries) || this.#policy.retries < 0)
      throw new CheckboxError(
        'invalid_argument',
        `retries must be a whole number from 0, got ${opts.retries}`,
      );
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    if (!(this.#timeoutMs > 0))
      throw new CheckboxError('invalid_argument', `the time-out must be positive, got ${opts.timeoutMs}`);
    this.#maxImageBytes = opts.maxImageBytes ?? PAYLOAD_BUDGET[this.mode];
    this.#inFlight = opts.inFlight ?? new InFlightLimit(opts.maxInFlight ?? DEFAULT_IN_FLIGHT);
  }

  /** Detect on one page (default 1); the result's image.pages tells how many pages the file has. */
  async detect(data: Uint8Array, opts: CloudDetectOptions = {}): Promise<DetectionResult> {
    return this.#detectPage(await openFilePages(data, opts.dpi), opts.page ?? 1, opts);
  }

  /**
   * Every page of a file, like Detector.detectFile: one request per page, as many in flight as the limit
   * allows, results in page order. The page count is the file's own, never the server's. `file`: its bytes,
   * or its pages already made (splitFile on a worker).
   */
  async detectFile(file: Uint8Array | FilePages, opts: CloudDetectOptions = {}): Promise<DetectionResult[]> {
    const pages = file instanceof Uint8Array ? await openFilePages(file, opts.dpi) : file;
    // The first failure stops the pages still waiting or in flight.
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    const all = Array.from({ length: pages.count ?? 1 }, (_, i) =>
      this.#detectPage(pages, i + 1, { ...opts, signal }).catch((err: unknown) => {
        stop.abort();
        throw err;
      }),
    );
    try {
      return await Promise.all(all);
    } finally {
      await Promise.allSettled(all);
    }
  }

  async #detectPage(pages: FilePages, page: number, opts: CloudDetectOptions): Promise<DetectionResult> {
    if (pages.count !== undefined && !(Number.isInteger(page) && page >= 1 && page <= pages.count)) {
      throw new CheckboxError(
        'invalid_argument',
        `page ${page} does not exist: the file has ${pages.count}`,
        {
          httpStatus: 422,
        },
      );
    }
    return this.#inFlight.run(async () => {
      if (opts.signal?.aborted) throw new CheckboxError('cancelled', 'The cloud request was cancelled.');
      const started = performance.now();
      const part = await pages.part(page);
      const { iou, dpi, tiling, text, lang } = opts;
      const params: DetectParams = { conf: opts.conf ?? DEFAULT_CONF, iou, dpi, tiling, text, lang };
      const req = await fitRequest(part.data, {
        params,
        page: part.page,
        filename: opts.source ?? 'image',
        maxBytes: this.#maxImageBytes,
      });
      const onRetry = opts.onRetry;
      const answer = await withRetries(this.#policy, (n) => this.#attempt(req, n, opts.signal), {
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(onRetry
          ? {
              onRetry: (n: number, reason: string, delayMs: number) =>
                onRetry({ page, attempt: n + 1, attempts: this.#policy.retries + 1, reason, delayMs }),
            }
          : {}),
      });
      const sent = req.original ? { page: 1, pages: 1 } : { page: part.page, pages: part.pages };
      const result = this.#toResult(answer, req, sent, opts.source, performance.now() - started);
      return { ...result, image: { ...result.image, page, pages: pages.count ?? result.image.pages } };
    });
  }

  async #attempt(req: FittedRequest, n: number, signal?: AbortSignal): Promise<Attempt<CloudAnswer>> {
    const attempts = `after ${n + 1} attempt${n ? 's' : ''}`;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let answer: CloudAnswer;
    try {
      answer = await this.#transport.send(req, signal ? AbortSignal.any([signal, timeout]) : timeout);
    } catch (err) {
      if (signal?.aborted) throw new CheckboxError('cancelled', 'The cloud request was cancelled.');
      // A redirect elsewhere or an oversized answer: the same would happen again.
      if (err instanceof CheckboxError) throw err;
      const reason = timeout.aborted ? `no answer within ${this.#timeoutMs} ms` : networkReason(err);
      return {
        kind: 'retry',
        reason,
        final: () =>
          new CheckboxError(
            'cloud_unreachable',
            `Cannot reach the cloud detector at ${this.target} ${attempts}: ${reason}.`,
            {
              cause: err,
            },
          ),
      };
    }
    if (answer.status >= 200 && answer.status < 300) return { kind: 'done', value: answer };
    const error = answerError(answer);
    const detail =
      error?.message ?? (new TextDecoder().decode(answer.body.subarray(0, 300)).trim() || 'no details');
    if (isRetryableStatus(answer.status)) {
      const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
      return {
        kind: 'retry',
        reason: `HTTP ${answer.status}`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        final: () =>
          new CheckboxError(
            'cloud_error',
            `The cloud detector at ${this.target} answered ${answer.status} ${attempts}: ${detail}`,
            {
              httpStatus: 502,
            },
          ),
      };
    }
    // 4xx: the request itself is wrong; keep the server's code when it is one of ours.
    const code = (error && KNOWN_CODES.has(error.code) ? error.code : 'cloud_error') as ErrorCode;
    throw new CheckboxError(
      code,
      `The cloud detector refused the request (${answer.status}): ${detail}${HINTS[answer.status] ?? ''}`,
      {
        httpStatus: answer.status,
      },
    );
  }

  /** `sent`: the page asked for and the page count of what was uploaded, which the answer must repeat. */
  #toResult(
    answer: CloudAnswer,
    req: FittedRequest,
    sent: { page: number; pages: number | undefined },
    source: string | undefined,
    totalMs: number,
  ): DetectionResult {
    let parsed;
    try {
      parsed = DetectionResultSchema.safeParse(JSON.parse(new TextDecoder().decode(answer.body)));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      throw new CheckboxError(
        'cloud_error',
        `The cloud detector at ${this.target} answered something that is not a detection result.`,
      );
    }
    const result = parsed.data;
    const { page, pages } = result.image;
    if (page !== sent.page || (sent.pages !== undefined && pages !== sent.pages)) {
      throw new CheckboxError(
        'cloud_error',
        `The cloud detector at ${this.target} answered for page ${page} of ${pages}, but was sent page ${sent.page} ` +
          `of ${sent.pages ?? 'a file'}${sent.pages === 1 ? ' page' : ' pages'}; its answer is not used.`,
      );
    }
    const original = req.original;
    const sx = original ? original.width / result.image.width : 1;
    const sy = original ? original.height / result.image.height : 1;
    return {
      ...result,
      image: {
        ...(original ?? {
          width: result.image.width,
          height: result.image.height,
          page: result.image.page,
          pages: result.image.pages,
        }),
        ...(source ? { source } : {}),
      },
      detections: result.detections.map((d) => ({
        ...d,
        box: [d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy],
      })),
      timing: { ...result.timing, totalMs: totalMs },
      engine: 'cloud',
    };
  }
}

function networkReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return cause?.message ? `${message} (${cause.message})` : message;
}
