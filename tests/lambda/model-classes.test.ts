// The Lambda serving a user's model with classes unchecked, checked, crossed: its counts, in the result and
// in the annotated page's X-Checkbox-Counts header.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lambda/app.js';
import { DetectionResultSchema, Detector } from '../../src-core/index.js';
import { THREE_CLASSES, THREE_CLASS_COUNTS, threeClassFixture } from '../helpers/three-class-model.js';
import { listen, type TestServer } from './helpers.js';

let fx: Awaited<ReturnType<typeof threeClassFixture>>;
let detector: Detector;
let server: TestServer;

beforeAll(async () => {
  fx = await threeClassFixture();
  detector = await Detector.create({ modelPath: fx.modelPath, threads: 1 });
  server = await listen(createApp({ detector: Promise.resolve(detector) }).fetch);
});
afterAll(async () => {
  await server?.close();
  await detector?.dispose();
  rmSync(fx.dir, { recursive: true, force: true });
});

const post = (route: string) =>
  fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: readFileSync(fx.pagePath),
  });

describe('the Lambda with a three-class model', () => {
  it('answers each class with its count', async () => {
    const res = await post('/predict');
    expect(res.status).toBe(200);
    const result = DetectionResultSchema.parse(await res.json());
    expect(result.model.classes).toEqual(THREE_CLASSES);
    expect(result.counts).toEqual(THREE_CLASS_COUNTS);
  });

  it('names every class in X-Checkbox-Counts', async () => {
    const res = await post('/predict/image');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-checkbox-counts')).toBe('total=4, unchecked=1, checked=1, crossed=2');
  });
});
