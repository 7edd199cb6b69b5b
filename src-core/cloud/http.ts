// The two HTTP front doors. Function URL: multipart to /predict, optionally SigV4-signed.
// API Gateway: base64 JSON to /predict/json (the predecessor's contract), with an optional API key.
import { credentialChain, signRequest, type CredentialSource } from './sigv4.js';
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
  auth: { region: string; credentials?: CredentialSource; profile?: string } | undefined,
  maxAnswerBytes: number,
): Transport {
  let credentials: Promise<CredentialSource> | undefined;
  return {
    target: base.href,
    send(req: CloudRequest, signal: AbortSignal) {
      // Built for each URL (a same-origin redirect gets its own signature) and from scratch each time:
      // fetch takes over the bytes it is given, so a body is never handed to it twice.
      const build = async (url: URL): Promise<RequestInit> => {
        const form = new FormData();
        form.set('file', new Blob([req.image], { type: req.mediaType }), req.filename);
        for (const [name, value] of paramEntries(req)) form.set(name, value);
        // Serialise once: the signature covers these exact bytes.
        const encoded = new Response(form);
        const body = new Uint8Array(await encoded.arrayBuffer());
        let headers: Record<string, string> = {
          'content-type': encoded.headers.get('content-type')!,
          accept: 'application/json',
        };
        if (auth) {
          credentials ??= auth.credentials
            ? Promise.resolve(auth.credentials)
            : credentialChain(auth.profile);
          headers = await signRequest(
            url,
            { method: 'POST', headers, body },
            { region: auth.region, credentials: await credentials },
          );
        }
        return { method: 'POST', headers, body };
      };
      return fetchAnswer(joinPath(base, '/predict'), build, { signal, maxBytes: maxAnswerBytes });
    },
  };
}

export function apiGatewayTransport(
  base: URL,
  apiKey: string | undefined,
  maxAnswerBytes: number,
): Transport {
  return {
    target: base.href,
    send(req: CloudRequest, signal: AbortSignal) {
      const body = JSON.stringify({
        image: Buffer.from(req.image).toString('base64'),
        ...requestParams(req),
        filename: req.filename,
      });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (apiKey) headers['x-api-key'] = apiKey;
      return fetchAnswer(joinPath(base, '/predict/json'), () => ({ method: 'POST', headers, body }), {
        signal,
        maxBytes: maxAnswerBytes,
      });
    },
  };
}
