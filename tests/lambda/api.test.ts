// The HTTP API over real HTTP on 127.0.0.1 with the real model: every route, the predecessor's
// client commands (multipart with conf, base64 JSON, /predict/image), multi-page inputs.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONF, DetectionResultSchema, decodeImage, type DetectionResult } from '../../src-core/index.js';
import { boxesOf, fixture, multipart, servedLambda } from './helpers.js';

const lambda = servedLambda();

async function local(name: string, page = 1, conf = DEFAULT_CONF): Promise<DetectionResult> {
  const [decoded] = await decodeImage(fixture(name), { pages: [page] });
  return lambda.detector.detectPage(decoded!, { conf });
}

async function postJson(path: string, init: RequestInit): Promise<{ status: number; body: DetectionResult }> {
  const res = await fetch(`${lambda.server.url}${path}`, { method: 'POST', ...init });
  return { status: res.status, body: (await res.json()) as DetectionResult };
}

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, unknown>;
  components: {
    schemas: Record<
      string,
      {
        required: string[];
        properties: { detections: { items: { properties: { box: { prefixItems: unknown[] } } } } };
      }
    >;
  };
}

describe('info routes', () => {
  it('GET / names the service, model and routes', async () => {
    const body = (await (await fetch(`${lambda.server.url}/`)).json()) as {
      name: string;
      model: { classes: string[] };
      routes: string[];
    };
    expect(body.name).toBe('checkbox-detector');
    expect(body.model.classes).toEqual(lambda.detector.info.classes);
    expect(body.routes).toContain('POST /predict/json');
  });

  it('GET /health is ok once the model is loaded', async () => {
    const res = await fetch(`${lambda.server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      model: { name: lambda.detector.info.name, imgsz: lambda.detector.info.imgsz },
    });
  });

  it('GET /openapi.json publishes the result schema from the core', async () => {
    const doc = (await (await fetch(`${lambda.server.url}/openapi.json`)).json()) as OpenApiDoc;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/',
        '/health',
        '/predict',
        '/predict/json',
        '/predict/image',
        '/openapi.json',
        '/docs',
      ]),
    );
    const result = doc.components.schemas.DetectionResult!;
    expect(result.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'image', 'model', 'counts', 'detections', 'timing', 'engine']),
    );
    expect(result.properties.detections.items.properties.box).toEqual({
      type: 'array',
      items: { type: 'number' },
      minItems: 4,
      maxItems: 4,
    });
  });

  it('GET / and /openapi.json list the same routes, each declared once', async () => {
    const info = (await (await fetch(`${lambda.server.url}/`)).json()) as { routes: string[] };
    const doc = (await (await fetch(`${lambda.server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { required?: boolean; content: object } }>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...info.routes].sort());
    // A body of several types is still required, and lists every type a raw image may come as.
    const predict = doc.paths['/predict']!.post!.requestBody!;
    expect(predict.required).toBe(true);
    expect(Object.keys(predict.content)).toEqual(
      expect.arrayContaining([
        'multipart/form-data',
        'application/json',
        'image/png',
        'application/pdf',
        'image/jpg',
      ]),
    );
  });

  it('GET /docs is a self-contained page of the contract', async () => {
    const res = await fetch(`${lambda.server.url}/docs`);
    const html = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('/predict/json');
    expect(html).toContain('DetectionResult');
    expect(html).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });
});

describe('POST /predict', () => {
  it('multipart file + conf (curl -F) gives the same boxes as local detection', async () => {
    const { contentType, body } = await multipart({
      file: { name: 'page.jpg', data: fixture('page.jpg') },
      conf: '0.2',
    });
    const res = await postJson('/predict', { headers: { 'content-type': contentType }, body });
    expect(res.status).toBe(200);
    const result = DetectionResultSchema.parse(res.body);
    expect(result.image).toMatchObject({ width: 1100, height: 1400, page: 1, pages: 1, source: 'page.jpg' });
    expect(result.detections.length).toBeGreaterThan(0);
    expect(boxesOf(result)).toEqual(boxesOf(await local('page.jpg', 1, 0.2)));
  });

  it('a higher conf keeps fewer boxes', async () => {
    const send = async (conf: string) => {
      const { contentType, body } = await multipart({
        file: { name: 'page.png', data: fixture('page.png') },
        conf,
      });
      return (await postJson('/predict', { headers: { 'content-type': contentType }, body })).body;
    };
    const [low, high] = [await send('0.05'), await send('0.9')];
    expect(high.detections.every((d) => d.confidence >= 0.9)).toBe(true);
    expect(low.counts.total).toBeGreaterThanOrEqual(high.counts.total);
  });

  it('takes a raw image body with conf in the query', async () => {
    const res = await postJson('/predict?conf=0.3', {
      headers: { 'content-type': 'image/webp' },
      body: fixture('page.webp'),
    });
    expect(res.status).toBe(200);
    expect(boxesOf(res.body)).toEqual(boxesOf(await local('page.webp', 1, 0.3)));
  });

  it('detects on the requested page of a PDF and tells the page count', async () => {
    const res = await postJson('/predict?page=3', {
      headers: { 'content-type': 'application/pdf' },
      body: fixture('form-3p.pdf'),
    });
    expect(res.status).toBe(200);
    expect(res.body.image).toMatchObject({ page: 3, pages: 3, width: 1300, height: 1000 });
    expect(boxesOf(res.body)).toEqual(boxesOf(await local('form-3p.pdf', 3)));
  });

  it('takes the page of a multi-page TIFF as a multipart field', async () => {
    const { contentType, body } = await multipart({
      file: { name: 'form.tif', data: fixture('form-2p.tif') },
      page: '2',
    });
    const res = await postJson('/predict', { headers: { 'content-type': contentType }, body });
    expect(res.body.image).toMatchObject({ page: 2, pages: 2 });
    expect(boxesOf(res.body)).toEqual(boxesOf(await local('form-2p.tif', 2)));
  });
});

describe('POST /predict/json', () => {
  it("takes the predecessor's base64 JSON", async () => {
    const res = await postJson('/predict/json', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: fixture('page.png').toString('base64'), conf: 0.2 }),
    });
    expect(res.status).toBe(200);
    expect(boxesOf(DetectionResultSchema.parse(res.body))).toEqual(boxesOf(await local('page.png', 1, 0.2)));
  });

  it('takes a data: URL and a BMP', async () => {
    const res = await postJson('/predict/json', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        image: `data:image/bmp;base64,${fixture('page.bmp').toString('base64')}`,
        filename: 'scan.bmp',
      }),
    });
    expect(res.status).toBe(200);
    expect(res.body.image).toMatchObject({ width: 480, height: 360, source: 'scan.bmp' });
  });
});

describe('POST /predict/image', () => {
  it('answers a valid PNG of the original size, with the counts in a header', async () => {
    const { contentType, body } = await multipart({ file: { name: 'page.png', data: fixture('page.png') } });
    const res = await fetch(`${lambda.server.url}/predict/image`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 1000, height: 1300 });
    const expected = (await local('page.png')).counts;
    expect(res.headers.get('x-checkbox-counts')).toBe(
      `total=${expected.total}, empty=${expected.empty}, filled=${expected.filled}`,
    );
  });

  it('answers a JPEG for format=jpeg, from base64 JSON too', async () => {
    const res = await fetch(`${lambda.server.url}/predict/image`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: fixture('page.jpg').toString('base64'), format: 'jpeg' }),
    });
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(await sharp(Buffer.from(await res.arrayBuffer())).metadata()).toMatchObject({
      format: 'jpeg',
      width: 1100,
    });
  });
});
