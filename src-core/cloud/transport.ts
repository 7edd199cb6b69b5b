// What every front door (Function URL, API Gateway, direct invoke) sends and answers,
// so the client's retry, error and result handling is written once.
import type { TilingMode } from '../tiling.js';
import type { TextMode } from '../../src-shared/result.js';
import { CheckboxError } from '../../src-shared/errors.js';

/** Detection options that change the result: all of them travel with every request. */
export interface DetectParams {
  conf: number;
  iou?: number;
  /** PDF render resolution. */
  dpi?: number;
  tiling?: TilingMode;
  /** Each box's label and question, read on the server (off unless set), in OCR language(s) `lang`. */
  text?: TextMode;
  lang?: string;
}

export interface CloudRequest {
  image: Uint8Array;
  /** Media type of `image` (image/png, application/pdf, ...). */
  mediaType: string;
  filename: string;
  params: DetectParams;
  /** 1-based page of a multi-page source. */
  page: number;
}

export interface CloudAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export interface Transport {
  /** Where requests go, for messages (a URL or a function name). */
  readonly target: string;
  /** Resolves with any HTTP answer; rejects on network failure, time-out or cancellation, and with a
   *  CheckboxError (not worth retrying) on a cross-origin redirect or an answer over the size cap. */
  send(req: CloudRequest, signal: AbortSignal): Promise<CloudAnswer>;
}

/** The request's parameters, for a JSON body; unset options stay unset (the server's defaults apply). */
export function requestParams(req: CloudRequest): Record<string, number | string> {
  const { conf, ...optional } = req.params;
  const set = Object.entries(optional).filter(([, value]) => value !== undefined) as [string, number | string][];
  return { conf, page: req.page, ...Object.fromEntries(set) };
}

/** The same parameters as strings, for a query string or a form. */
export const paramEntries = (req: CloudRequest): [string, string][] =>
  Object.entries(requestParams(req)).map(([name, value]) => [name, String(value)]);

export function joinPath(base: URL, route: string): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${route}`;
  return url;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * POSTs to `url` and reads the answer up to `maxBytes`. Redirects are followed only within the URL's
 * origin (scheme, host and port), re-sending the same request built afresh for the new URL (a new
 * signature, a body that was never handed to fetch before); a redirect anywhere else is an error, so
 * neither the image nor the credentials ever leave the endpoint the user chose.
 */
export async function fetchAnswer(
  url: URL,
  build: (url: URL) => Promise<RequestInit> | RequestInit,
  opts: { signal: AbortSignal; maxBytes: number },
): Promise<CloudAnswer> {
  let target = url;
  for (let hops = 0; ; hops++) {
    const res = await fetch(target, { ...(await build(target)), redirect: 'manual', signal: opts.signal });
    if (!REDIRECTS.has(res.status)) {
      return { status: res.status, headers: res.headers, body: await readCapped(res, opts.maxBytes, url) };
    }
    await res.body?.cancel();
    const location = res.headers.get('location');
    const next = location ? safeUrl(location, target) : undefined;
    if (!next) {
      throw new CheckboxError(
        'cloud_error',
        `The cloud endpoint ${url.origin} answered ${res.status} with no usable Location.`,
      );
    }
    if (next.origin !== url.origin) {
      throw new CheckboxError(
        'cloud_error',
        `The cloud endpoint ${url.origin} redirected to another origin (${next.origin}); the client does not ` +
          'follow it, so neither the image nor the credentials were sent there. Use that URL directly if you trust it.',
      );
    }
    if (hops >= MAX_REDIRECTS) {
      throw new CheckboxError(
        'cloud_error',
        `The cloud endpoint ${url.origin} redirected more than ${MAX_REDIRECTS} times.`,
      );
    }
    target = next;
  }
}

function safeUrl(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

/** Streams the body and stops at `maxBytes`: a runaway answer never fills the client's memory. */
async function readCapped(res: Response, maxBytes: number, url: URL): Promise<Uint8Array> {
  const tooLarge = () =>
    new CheckboxError(
      'cloud_error',
      `The cloud endpoint ${url.origin} sent an answer over ${maxBytes} bytes; a detection result is far smaller, so it was not read.`,
    );
  if (Number(res.headers.get('content-length')) > maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
