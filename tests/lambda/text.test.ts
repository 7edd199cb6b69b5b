// The Lambda's `text` parameter: labels and questions on /predict from a PDF text layer, in /openapi.json,
// and bad text/lang values answered 400 before any work.
import { describe, expect, it } from 'vitest';
import { DetectionResultSchema } from '../../src-core/index.js';
import { fixture, servedLambda } from './helpers.js';

const lambda = servedLambda();

const post = (query: string, body: Uint8Array, type = 'application/pdf') =>
  fetch(`${lambda.server.url}/predict${query}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('/predict?text=', () => {
  it('reads labels, questions and groups from a PDF text layer', async () => {
    const res = await post('?text=auto&page=2', fixture('text/forms.pdf'));
    expect(res.status).toBe(200);
    const result = DetectionResultSchema.parse(await res.json());
    expect(result.schemaVersion).toBe('1.1');
    expect(result.text).toMatchObject({ source: 'pdf' });
    expect(result.detections.filter((d) => d.label).length).toBeGreaterThan(0.9 * result.detections.length);
    expect(result.groups!.length).toBeGreaterThan(5);
  });

  it('leaves text out by default', async () => {
    const result = DetectionResultSchema.parse(await (await post('', fixture('text/forms.pdf'))).json());
    expect(result.groups).toBeUndefined();
  });

  it('answers 400 to an unknown mode or a language without data', async () => {
    const mode = await post('?text=maybe', fixture('text/forms.pdf'));
    expect(mode.status).toBe(400);
    expect(((await mode.json()) as { error: { message: string } }).error.message).toMatch(
      /text must be one of/,
    );
    const lang = await post('?text=ocr&lang=xyz', fixture('text/scan-1.jpg'), 'image/jpeg');
    expect(lang.status).toBe(400);
    expect(((await lang.json()) as { error: { message: string } }).error.message).toMatch(
      /no OCR data for xyz/,
    );
  });

  it('documents text and lang and the 1.1 fields in /openapi.json', async () => {
    const doc = (await (await fetch(`${lambda.server.url}/openapi.json`)).json()) as {
      paths: Record<string, { post: { parameters: { name: string }[] } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.paths['/predict']!.post.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['text', 'lang']),
    );
    expect(Object.keys(doc.components.schemas.DetectionResult!.properties)).toEqual(
      expect.arrayContaining(['groups', 'text']),
    );
  });
});
