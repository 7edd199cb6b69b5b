// What every front door (Function URL, API Gateway, direct invoke) sends and answers,
// so the client's retry, error and result handling is written once.

export interface CloudRequest {
  image: Uint8Array;
  /** Media type of `image` (image/png, application/pdf, ...). */
  mediaType: string;
  filename: string;
  conf: number;
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
  /** Resolves with any HTTP answer; rejects on network failure, time-out or cancellation. */
  send(req: CloudRequest, signal: AbortSignal): Promise<CloudAnswer>;
}

export function joinPath(base: URL, route: string): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${route}`;
  return url;
}

export async function fetchAnswer(url: URL, init: RequestInit): Promise<CloudAnswer> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
}
