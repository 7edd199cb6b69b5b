// The cloud client against the real Lambda app over HTTP on 127.0.0.1: every front door gives the
// same boxes as local detection; retries happen only where a second try can succeed.
import { handle } from 'hono/aws-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lambda/app.js';
import { CloudClient, type CloudOptions } from '../../src-core/cloud/client.js';
import { CheckboxError, Detector, decodeImage, type DetectionResult } from '../../src-core/index.js';
import { boxesOf, fixture, listen, type TestServer } from '../lambda/helpers.js';

const fast = { baseDelayMs: 1, maxDelayMs: 5 } satisfies Partial<CloudOptions>;
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret/test/key' };

let detector: Detector;
let app: ReturnType<typeof createApp>;
let api: TestServer;
const servers: TestServer[] = [];

async function serve(fetch: (req: Request) => Response | Promise<Response>): Promise<string> {
  const s = await listen(fetch);
  servers.push(s);
  return s.url;
}

beforeAll(async () => {
  detector = await Detector.create();
  app = createApp({ detector: Promise.resolve(detector) });
  api = await listen(app.fetch);
});
afterAll(async () => {
  await Promise.all([api, ...servers].map((s) => s?.close()));
  await detector?.dispose();
});

async function local(name: string, page = 1): Promise<DetectionResult> {
  const [decoded] = await decodeImage(fixture(name), { pages: [page] });
  return detector.detectPage(decoded!, {});
}

/** Whether `req` carries the SigV4 signature (eu-west-1, `service`) of its own method, URL, headers and body. */
async function validSignature(req: Request, body: Uint8Array, service = 'lambda'): Promise<boolean> {
  const verifier = new SignatureV4({ service, region: 'eu-west-1', credentials, sha256: Sha256 });
  const auth = req.headers.get('authorization') ?? '';
  const signedNames = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
  const amzDate = req.headers.get('x-amz-date') ?? '';
  const u = new URL(req.url);
  const resigned = await verifier.sign(
    new HttpRequest({
      method: req.method,
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: u.pathname,
      headers: Object.fromEntries(signedNames.map((h) => [h, req.headers.get(h) ?? ''])),
      body,
    }),
    {
      signingDate: new Date(
        amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
      ),
    },
  );
  return auth !== '' && resigned.headers.authorization === auth;
}

async function rejection(promise: Promise<unknown>): Promise<CheckboxError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CheckboxError);
  return err as CheckboxError;
}

describe('front doors', () => {
  it('function-url: multipart gives the same boxes as local detection, engine cloud', async () => {
    const client = new CloudClient({ url: api.url });
    expect(client.mode).toBe('function-url');
    const result = await client.detect(fixture('page.jpg'), { source: 'page.jpg' });
    expect(result.engine).toBe('cloud');
    expect(result.image).toMatchObject({ width: 1100, height: 1400, source: 'page.jpg' });
    expect(boxesOf(result)).toEqual(boxesOf(await local('page.jpg')));
  });

  it('api-gateway: base64 JSON with the API key; every page of a PDF', async () => {
    let keys: (string | null)[] = [];
    const gateway = await serve((req) => {
      keys.push(req.headers.get('x-api-key'));
      return req.headers.get('x-api-key') === 'k-123'
        ? app.fetch(req)
        : Response.json({ message: 'Forbidden' }, { status: 403 });
    });
    const client = new CloudClient({ mode: 'api-gateway', url: `${gateway}/`, apiKey: 'k-123' });
    const results = await client.detectFile(fixture('form-3p.pdf'));
    expect(results.map((r) => [r.image.page, r.image.pages])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(boxesOf(results[2]!)).toEqual(boxesOf(await local('form-3p.pdf', 3)));
    expect(keys).toEqual(['k-123', 'k-123', 'k-123']);

    keys = [];
    const refused = await rejection(
      new CloudClient({ mode: 'api-gateway', url: gateway, ...fast }).detect(fixture('page.png')),
    );
    expect(refused.message).toMatch(/403.*API key/);
    expect(keys).toEqual([null]); // a 403 is not retried
  });

  it('function-url with AWS_IAM: a SigV4 signature the server can verify', async () => {
    const seen: string[] = [];
    const url = await serve(async (req) => {
      const auth = req.headers.get('authorization') ?? '';
      seen.push(auth.split(',')[0]!);
      const body = new Uint8Array(await req.clone().arrayBuffer());
      if (!(await validSignature(req, body))) return Response.json({ Message: 'Forbidden' }, { status: 403 });
      return app.fetch(new Request(req.url, { method: req.method, headers: req.headers, body }));
    });
    const client = new CloudClient({ url, auth: 'AWS_IAM', region: 'eu-west-1', credentials });
    const result = await client.detect(fixture('page.png'));
    expect(boxesOf(result)).toEqual(boxesOf(await local('page.png')));
    expect(seen[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/lambda\/aws4_request$/);

    const wrongKey = new CloudClient({
      url,
      auth: 'AWS_IAM',
      region: 'eu-west-1',
      credentials: { ...credentials, secretAccessKey: 'x' },
    });
    expect((await rejection(wrongKey.detect(fixture('page.png')))).httpStatus).toBe(403);
  });

  it('api-gateway with AWS_IAM: an execute-api SigV4 signature the gateway can verify', async () => {
    const seen: string[] = [];
    const gateway = await serve(async (req) => {
      seen.push((req.headers.get('authorization') ?? '').split(',')[0]!);
      const body = new Uint8Array(await req.clone().arrayBuffer());
      if (!(await validSignature(req, body, 'execute-api')))
        return Response.json({ message: 'Missing Authentication Token' }, { status: 403 });
      return app.fetch(new Request(req.url, { method: req.method, headers: req.headers, body }));
    });
    const iam = { mode: 'api-gateway', url: gateway, auth: 'AWS_IAM', region: 'eu-west-1' } as const;
    const result = await new CloudClient({ ...iam, credentials }).detect(fixture('page.png'));
    expect(boxesOf(result)).toEqual(boxesOf(await local('page.png')));
    expect(seen[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/execute-api\/aws4_request$/);

    const wrongKey = new CloudClient({ ...iam, credentials: { ...credentials, secretAccessKey: 'x' }, ...fast });
    expect((await rejection(wrongKey.detect(fixture('page.png')))).httpStatus).toBe(403);
  });

  it('AWS_IAM: a same-origin redirect is signed again for its own path; another origin gets no signature', async () => {
    const seen: string[] = [];
    const elsewhere: (string | null)[] = [];
    const other = await serve((req) => {
      elsewhere.push(req.headers.get('authorization'));
      return Response.json({ Message: 'should not be called' });
    });
    const url = await serve(async (req) => {
      const { pathname } = new URL(req.url);
      const body = new Uint8Array(await req.clone().arrayBuffer());
      const valid = await validSignature(req, body);
      seen.push(`${pathname} ${valid ? 'signed' : 'unsigned'}`);
      if (!valid) return Response.json({ Message: 'Forbidden' }, { status: 403 });
      if (pathname === '/predict')
        return new Response(null, { status: 307, headers: { location: '/v2/predict' } });
      if (pathname === '/away/predict')
        return new Response(null, { status: 307, headers: { location: `${other}/predict` } });
      return app.fetch(new Request(`${url}/predict`, { method: req.method, headers: req.headers, body }));
    });
    const iam = { auth: 'AWS_IAM', region: 'eu-west-1', credentials, ...fast } as const;
    const result = await new CloudClient({ url, ...iam }).detect(fixture('page.png'));
    expect(boxesOf(result)).toEqual(boxesOf(await local('page.png')));
    // The signature covers the path: the one made for /predict would not pass at /v2/predict.
    expect(seen).toEqual(['/predict signed', '/v2/predict signed']);

    const err = await rejection(new CloudClient({ url: `${url}/away`, ...iam }).detect(fixture('page.png')));
    expect(err.message).toContain(`redirected to another origin (${other})`);
    expect(elsewhere).toEqual([]);
  });

  it('invoke: the Lambda Invoke API with an HTTP-API v2 event, answered by the real handler', async () => {
    const handler = handle(app);
    const names: string[] = [];
    const lambdaApi = await serve(async (req) => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(new URL(req.url).pathname);
      if (!match) return Response.json({ message: 'unknown operation' }, { status: 404 });
      names.push(decodeURIComponent(match[1]!));
      return Response.json(await handler((await req.json()) as Parameters<typeof handler>[0]));
    });
    const client = new CloudClient({
      functionName: 'checkbox-detector',
      endpoint: lambdaApi,
      region: 'us-east-1',
      credentials,
    });
    expect(client.mode).toBe('invoke');
    const result = await client.detect(fixture('form-2p.tif'), { page: 2 });
    expect(result.image).toMatchObject({ page: 2, pages: 2 });
    expect(boxesOf(result)).toEqual(boxesOf(await local('form-2p.tif', 2)));
    expect(names).toEqual(['checkbox-detector']);
  });
});

describe('payload limit', () => {
  it('re-encodes and scales a page that is over the limit, and maps boxes back to its pixels', async () => {
    const sizes: number[] = [];
    const url = await serve(async (req) => {
      sizes.push(Number(req.headers.get('content-length')));
      return app.fetch(req);
    });
    const original = fixture('page.jpg'); // 89 KB, 1100 x 1400
    const client = new CloudClient({ url, maxImageBytes: 40_000 });
    const result = await client.detect(original);
    expect(sizes[0]).toBeLessThan(40_000 + 1000);
    expect(result.image).toMatchObject({ width: 1100, height: 1400, page: 1, pages: 1 });
    const reference = (await local('page.jpg')).detections;
    // Boxes found on the smaller copy land on boxes found at full size (a wrong scale would match none).
    const iou = (a: number[], b: number[]) => {
      const w = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
      const h = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
      return (w * h) / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - w * h);
    };
    const matched = result.detections.filter(
      (d) => Math.max(...reference.map((r) => iou(d.box, r.box))) > 0.5,
    );
    expect(result.detections.length).toBeGreaterThan(reference.length / 2);
    expect(matched.length).toBeGreaterThanOrEqual(0.8 * result.detections.length);
  });
});

describe('retries', () => {
  it('retries a 503 and then gives up with a clear message', async () => {
    let calls = 0;
    const url = await serve(() => {
      calls++;
      return Response.json({ error: { code: 'internal', message: 'overloaded' } }, { status: 503 });
    });
    const retried: number[] = [];
    const err = await rejection(
      new CloudClient({ url, retries: 2, ...fast }).detect(fixture('page.png'), {
        onRetry: (n) => retried.push(n.attempt),
      }),
    );
    expect(calls).toBe(3);
    expect(retried).toEqual([2, 3]);
    expect(err.code).toBe('cloud_error');
    expect(err.message).toBe(`The cloud detector at ${url}/ answered 503 after 3 attempts: overloaded`);
  });

  it('recovers when a retry succeeds (429, then 502, then the real answer)', async () => {
    const statuses = [429, 502];
    const url = await serve((req) => {
      const status = statuses.shift();
      return status ? new Response('busy', { status, headers: { 'retry-after': '0' } }) : app.fetch(req);
    });
    const result = await new CloudClient({ url, ...fast }).detect(fixture('page.png'));
    expect(statuses).toEqual([]);
    expect(boxesOf(result)).toEqual(boxesOf(await local('page.png')));
  });

  it("does not retry a 400, and keeps the server's error code", async () => {
    let calls = 0;
    const url = await serve((req) => {
      calls++;
      return app.fetch(req);
    });
    const err = await rejection(
      new CloudClient({ url, ...fast }).detect(new TextEncoder().encode('not an image at all')),
    );
    expect(calls).toBe(1);
    expect(err.code).toBe('unsupported_type');
    expect(err.httpStatus).toBe(415);

    const badConf = await rejection(
      new CloudClient({ url, ...fast }).detect(fixture('page.png'), { conf: 7 }),
    );
    expect(calls).toBe(2);
    expect([badConf.code, badConf.httpStatus]).toEqual(['invalid_argument', 400]);
  });

  it('retries network failures and time-outs, then says the cloud is unreachable', async () => {
    const closed = await listen(() => new Response('x'));
    await closed.close(); // nothing listens on this port any more
    const refused = await rejection(
      new CloudClient({ url: closed.url, retries: 1, ...fast }).detect(fixture('page.png')),
    );
    expect(refused.code).toBe('cloud_unreachable');
    expect(refused.message).toMatch(/after 2 attempts: ECONNREFUSED/);

    let calls = 0;
    const silent = await serve(() => {
      calls++;
      return new Promise<Response>(() => undefined);
    });
    const slow = await rejection(
      new CloudClient({ url: silent, retries: 1, timeoutMs: 300, ...fast }).detect(fixture('page.png')),
    );
    expect(calls).toBe(2);
    expect(slow.message).toMatch(/after 2 attempts: no answer within 300 ms/);
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    const url = await serve(() => {
      controller.abort();
      return new Response('busy', { status: 503 });
    });
    const err = await rejection(
      new CloudClient({ url, ...fast }).detect(fixture('page.png'), { signal: controller.signal }),
    );
    expect(err.code).toBe('cancelled');
  });
});

describe('endpoint checks', () => {
  it('takes https anywhere and http only on loopback', () => {
    expect(() => new CloudClient({ url: 'https://abc.lambda-url.us-east-1.on.aws/' })).not.toThrow();
    expect(() => new CloudClient({ url: 'http://localhost:8080' })).not.toThrow();
    expect(() => new CloudClient({ url: 'http://[::1]:8080' })).not.toThrow();
    for (const url of ['http://example.com', 'http://10.0.0.5:8080', 'ftp://x', 'not a url']) {
      expect(() => new CloudClient({ url })).toThrow(CheckboxError);
    }
    expect(() => new CloudClient({ mode: 'invoke' })).toThrow(/function name/);
  });

  it('infers API Gateway from an execute-api URL and the region of a Function URL', () => {
    expect(new CloudClient({ url: 'https://a1.execute-api.eu-west-1.amazonaws.com/prod' }).mode).toBe(
      'api-gateway',
    );
    expect(
      () => new CloudClient({ url: 'https://x.lambda-url.eu-west-1.on.aws/', auth: 'AWS_IAM' }),
    ).not.toThrow();
  });
});
