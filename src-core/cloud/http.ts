// The two HTTP front doors. Function URL: multipart to /predict. API Gateway: base64 JSON to
// /predict/json (the predecessor's contract), with an optional API key. Either SigV4-signed when
// deployed with AWS_IAM: each URL gets its own signature, so a same-origin redirect is signed again.
import { iamSigner, type IamAuth } from './sigv4.js';
import {
  fetchAnswer,
  joinPath,
  paramEntries,
  requestParams,
  type CloudRequest,
  type Transport,
} from './transport.js';

export function functionUrlTransport(
  base: URL,
  auth: IamAuth | undefined,
  maxAnswerBytes: number,
): Transport {
  const sign = auth && iamSigner(auth, 'lambda');
  return {
    target: base.href,
    send(req: CloudRequest, signal: AbortSignal) {
      // Built for each URL (a same-origin redirect gets its own signature) and from scratch each time:
      // fetch takes over the bytes it is given, so a body is never handed to it twice.
      const build = async (url: URL): Promise<RequestInit> => {
        const form = new FormData();
        form.set('file', new Blob([req.image.slice()], { type: req.mediaType }), req.filename);
        for (const [name, value] of paramEntries(req)) form.set(name, value);
        // Serialise once: the signature covers these exact bytes.
        const encoded = new Response(form);
        const body = new Uint8Array(await encoded.arrayBuffer());
        const headers: Record<string, string> = {
          'content-type': encoded.headers.get('content-type')!,
          accept: 'application/json',
        };
        return { method: 'POST', headers: sign ? await sign(url, { method: 'POST', headers, body }) : headers, body };
      };
      return fetchAnswer(joinPath(base, '/predict'), build, { signal, maxBytes: maxAnswerBytes });
    },
  };
}

export function apiGatewayTransport(
  base: URL,
  apiKey: string | undefined,
  auth: IamAuth | undefined,
  maxAnswerBytes: number,
): Transport {
  const sign = auth && iamSigner(auth, 'execute-api');
  return {
    target: base.href,
    send(req: CloudRequest, signal: AbortSignal) {
      const body = new TextEncoder().encode(
        JSON.stringify({
          image: Buffer.from(req.image).toString('base64'),
          ...requestParams(req),
          filename: req.filename,
        }),
      );
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (apiKey) headers['x-api-key'] = apiKey;
      const build = async (url: URL): Promise<RequestInit> => ({
        method: 'POST',
        headers: sign ? await sign(url, { method: 'POST', headers, body }) : headers,
        body: body.slice(), // fetch takes over the bytes it is given: a redirect needs its own copy
      });
      return fetchAnswer(joinPath(base, '/predict/json'), build, { signal, maxBytes: maxAnswerBytes });
    },
  };
}
