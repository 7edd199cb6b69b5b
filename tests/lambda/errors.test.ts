// Every kind of bad input gets a 4xx JSON error with a stable code, and the server keeps serving.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lambda/app.js';
import { LAMBDA_SYNC_PAYLOAD_BYTES } from '../../lambda/limits.js';
import { CheckboxError, Detector, ErrorBodySchema } from '../../src-core/index.js';
import { fixture, listen, multipart, type TestServer } from './helpers.js';

let detector: Detector;
let server: TestServer;
/** Same app with tight limits, to reach the pixel and response limits with small fixtures. */
let tight: TestServer;

beforeAll(async () => {
  detector = await Detector.create();
  server = await listen(createApp({ detector: Promise.resolve(detector) }).fetch);
  tight = await listen(
    createApp({
      detector: Promise.resolve(detector),
      limits: { maxPixels: 1_000_000, maxResponseBytes: 10_000 },
    }).fetch,
  );
});
afterAll(async () => {
  await server?.close();
  await tight?.close();
  await detector?.dispose();
});

async function expectError(res: Response, status: number, code: string): Promise<string> {
  const body = ErrorBodySchema.parse(await res.json());
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error.message;
}

const post = (path: string, contentType: string | undefined, body: string | Uint8Array, base = server.url) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    body,
  });

const file = async (data: Uint8Array, extra: Record<string, string> = {}) =>
  multipart({ file: { name: 'x', data }, ...extra });

describe('bad input', () => {
  it('no Content-Type: 415', async () => {
    await expectError(
      await fetch(`${server.url}/predict`, { method: 'POST', body: new Uint8Array(fixture('page.png')) }),
      415,
      'unsupported_type',
    );
  });

  it('a Content-Type we do not take: 415', async () => {
    await expectError(await post('/predict', 'text/plain', 'hello'), 415, 'unsupported_type');
  });

  it('bytes that are no image: 415', async () => {
    const m = await file(new TextEncoder().encode('GIF89a not really'));
    await expectError(await post('/predict', m.contentType, m.body), 415, 'unsupported_type');
  });

  it('a truncated PNG: 422', async () => {
    await expectError(
      await post('/predict', 'image/png', fixture('page.png').subarray(0, 3000)),
      422,
      'corrupt_image',
    );
  });

  it('an empty file: 400', async () => {
    const m = await file(new Uint8Array(0));
    await expectError(await post('/predict', m.contentType, m.body), 400, 'empty_file');
  });

  it('malformed multipart: 400', async () => {
    const body = '--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\nno closing boundary';
    await expectError(
      await post('/predict', 'multipart/form-data; boundary=xyz', body),
      400,
      'invalid_argument',
    );
  });

  it('multipart without a file part, or with text in it: 400', async () => {
    const noFile = await multipart({ conf: '0.5' });
    expect(
      await expectError(await post('/predict', noFile.contentType, noFile.body), 400, 'invalid_argument'),
    ).toMatch(/"file"/);
    const text = await multipart({ file: 'not a file' });
    await expectError(await post('/predict', text.contentType, text.body), 400, 'invalid_argument');
  });

  it.each([['-0.1'], ['1.5'], ['abc'], ['NaN'], ['Infinity']])('conf=%s: 400', async (conf) => {
    const m = await file(fixture('page.png'), { conf });
    expect(await expectError(await post('/predict', m.contentType, m.body), 400, 'invalid_argument')).toMatch(
      /conf/,
    );
  });

  it('a bad query value is an error even when the body gives a good one', async () => {
    const m = await file(fixture('page.png'), { page: '1', conf: '0.5' });
    await expectError(await post('/predict?page=0', m.contentType, m.body), 400, 'invalid_argument');
    await expectError(await post('/predict?conf=9', m.contentType, m.body), 400, 'invalid_argument');
  });

  it('conf out of range in JSON and in the query: 400', async () => {
    const body = JSON.stringify({ image: fixture('page.png').toString('base64'), conf: 2 });
    await expectError(await post('/predict/json', 'application/json', body), 400, 'invalid_argument');
    await expectError(
      await post('/predict?conf=-1', 'image/png', fixture('page.png')),
      400,
      'invalid_argument',
    );
  });

  it('a page that is not a page number: 400; one past the end of the file: 422', async () => {
    await expectError(
      await post('/predict?page=4', 'application/pdf', fixture('form-3p.pdf')),
      422,
      'invalid_argument',
    );
    await expectError(
      await post('/predict?page=0', 'image/png', fixture('page.png')),
      400,
      'invalid_argument',
    );
    await expectError(
      await post('/predict?page=1.5', 'image/png', fixture('page.png')),
      400,
      'invalid_argument',
    );
  });

  it('an unknown annotated-image format: 400', async () => {
    await expectError(
      await post('/predict/image?format=gif', 'image/png', fixture('page.png')),
      400,
      'invalid_argument',
    );
  });

  it('bad base64, bad JSON, a missing image, a JSON array: 400', async () => {
    await expectError(
      await post('/predict/json', 'application/json', '{"image": "@@not base64@@"}'),
      400,
      'invalid_argument',
    );
    await expectError(
      await post('/predict/json', 'application/json', '{"image": "abcde"}'),
      400,
      'invalid_argument',
    );
    await expectError(await post('/predict/json', 'application/json', '{"image": '), 400, 'invalid_argument');
    await expectError(
      await post('/predict/json', 'application/json', '{"conf": 0.2}'),
      400,
      'invalid_argument',
    );
    await expectError(await post('/predict/json', 'application/json', '[1, 2]'), 400, 'invalid_argument');
    await expectError(await post('/predict/json', 'application/json', '{"image": ""}'), 400, 'empty_file');
  });

  it("a value the route's schema refuses: 400 naming each field and its value, with the request id", async () => {
    const res = await post('/predict?conf=abc&tiling=sideways', 'image/png', fixture('page.png'));
    const body = ErrorBodySchema.parse(await res.json());
    expect(res.status).toBe(400);
    expect(body.error).toEqual({
      code: 'invalid_argument',
      message:
        'conf must be a number from 0 to 1 (got "abc"). tiling must be one of auto, off, on (got "sideways").',
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('a form that is not multipart: 415; /predict/json reads JSON whatever its Content-Type', async () => {
    await expectError(
      await post('/predict', 'application/x-www-form-urlencoded', 'conf=0.5'),
      415,
      'unsupported_type',
    );
    // `curl -d` sends a form type: still JSON, so the missing image is what is wrong.
    const asForm = await post('/predict/json', 'application/x-www-form-urlencoded', '{"conf": 0.2}');
    expect(await expectError(asForm, 400, 'invalid_argument')).toMatch(/"image"/);
  });

  it('takes the other names of image types (image/jpg, application/octet-stream)', async () => {
    for (const type of ['image/jpg', 'application/octet-stream']) {
      const res = await post('/predict', type, fixture('page.jpg'));
      expect(res.status, type).toBe(200);
      expect(((await res.json()) as { image: { width: number } }).image.width).toBe(1100);
    }
  });

  it('a body over the 6 MB Lambda limit: 413', async () => {
    const big = new Uint8Array(LAMBDA_SYNC_PAYLOAD_BYTES + 1);
    big.set(fixture('page.png'));
    expect(await expectError(await post('/predict', 'image/png', big), 413, 'payload_too_large')).toMatch(
      /6291456/,
    );
  });

  it('a page over the pixel limit: 413, before decoding its pixels', async () => {
    await expectError(
      await post('/predict', 'image/png', fixture('page.png'), tight.url),
      413,
      'image_too_large',
    );
    // 8000 x 6000 = 48 MP of white compresses to a tiny PNG: a decompression bomb against the default 40 MP.
    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    await expectError(await post('/predict', 'image/png', bomb), 413, 'image_too_large');
  });

  it('an annotated image over the response limit: 413 that suggests JPEG', async () => {
    const small = await sharp(fixture('page.png')).resize(600).png().toBuffer();
    const message = await expectError(
      await post('/predict/image', 'image/png', small, tight.url),
      413,
      'payload_too_large',
    );
    expect(message).toMatch(/jpeg/);
  });

  it('unknown routes: 404; wrong methods: 405 with Allow', async () => {
    await expectError(await fetch(`${server.url}/nope`), 404, 'not_found');
    const res = await fetch(`${server.url}/predict`, { method: 'GET' });
    expect(res.headers.get('allow')).toBe('POST');
    await expectError(res, 405, 'method_not_allowed');
  });

  it('still answers after all of that', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('a model that failed to load', () => {
  it('answers 503 on /health and a 500 with the cause on detection, never crashing', async () => {
    const failed = Promise.reject(new CheckboxError('model_not_found', 'model not found: /nowhere.onnx'));
    const broken = await listen(createApp({ detector: failed }).fetch);
    try {
      await expectError(await fetch(`${broken.url}/health`), 503, 'model_not_found');
      await expectError(
        await post('/predict', 'image/png', fixture('page.png'), broken.url),
        500,
        'model_not_found',
      );
    } finally {
      await broken.close();
    }
  });
});
