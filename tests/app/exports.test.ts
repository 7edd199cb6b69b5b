import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DetectionResult } from '../../src-shared/result.js';
import type { Doc } from '../../src-main/services/documents.js';
import type { PageDrawing } from '../../src-core/worker-protocol.js';
import { ExportService, filterResult, yoloLabels } from '../../src-main/services/exports.js';
import { DETECTIONS_CSV_HEADER, detectionRows } from '../../src-shared/csv.js';

function result(page: number, detections: DetectionResult['detections']): DetectionResult {
  return {
    schemaVersion: '1.0',
    image: { width: 1000, height: 500, page, pages: 2 },
    model: { name: 'm', version: '1', imgsz: [640, 640], classes: ['empty', 'filled'] },
    counts: { total: detections.length, empty: 0, filled: 0 },
    detections,
    timing: { decodeMs: 0, inferMs: 0, totalMs: 0 },
    engine: 'local',
  };
}

const doc = (name: string, results: DetectionResult[]): Doc => ({
  id: name,
  path: `/scans/${name}`,
  name,
  status: 'done',
  results,
  engine: 'local',
  elapsedMs: 1,
  error: null,
  batch: 1,
});

const pages = {
  draw: async (_d: Doc, drawings: PageDrawing[]) =>
    drawings.map(({ result: r, formats }) =>
      formats.map((f) =>
        new TextEncoder().encode(
          f === 'page' ? `page${r.image.page}` : `${f}:${r.image.page}:${r.detections.length}`,
        ),
      ),
    ),
};

describe('exports', () => {
  const low = { class: 'empty', confidence: 0.1, box: [0, 0, 10, 10] as [number, number, number, number] };
  const high = {
    class: 'filled',
    confidence: 0.9,
    box: [100, 50, 200, 150] as [number, number, number, number],
  };
  const fixed = {
    class: 'empty',
    confidence: 0.12,
    box: [500, 250, 520, 270] as [number, number, number, number],
    corrected: true,
  };

  it('keeps detections at or above conf, and every corrected one', () => {
    const r = filterResult(result(1, [low, fixed, high]), 0.2);
    // Reading order (top to bottom), each with its review state.
    expect(r.detections).toEqual([
      { ...high, review: 'unreviewed' },
      { ...fixed, review: 'corrected' },
    ]);
    expect(r.counts).toEqual({ total: 2, empty: 1, filled: 1 });
  });

  it('writes CSV rows with quoting, and YOLO labels normalised to the page', () => {
    const rows = detectionRows(
      result(2, [{ ...high, review: 'accepted', label: 'Yes', question: 'Smoker?', group: 3 }, fixed]),
      'a,"b".png',
      '/scans/a,"b".png',
    );
    expect(rows[0]).toBe('"a,""b"".png",2,1000,500,filled,0.9000,100,50,200,150,false,accepted,Yes,Smoker?,3,"/scans/a,""b"".png"');
    expect(rows[1]!.endsWith(',true,corrected,,,,"/scans/a,""b"".png"')).toBe(true);
    expect(yoloLabels(result(1, [high])).trim()).toBe('1 0.150000 0.200000 0.100000 0.200000');
  });

  it('escapes file and class names a spreadsheet would run as formulas, in a batch CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-export-'));
    const evil = doc('=HYPERLINK("http://x","open").png', [result(1, [high])]);
    const plus = { ...doc('+SUM(1;2).pdf', [result(1, [{ ...fixed, class: '-cmd' }])]), id: 'plus' };
    await new ExportService(pages).export({ scope: 'batch', formats: ['csv'], conf: 0.2 }, [evil, plus], dir);
    expect(readFileSync(join(dir, 'batch.csv'), 'utf8').split('\n')).toEqual([
      DETECTIONS_CSV_HEADER,
      `"'=HYPERLINK(""http://x"",""open"").png",1,1000,500,filled,0.9000,100,50,200,150,false,unreviewed,,,,"/scans/=HYPERLINK(""http://x"",""open"").png"`,
      `"'+SUM(1;2).pdf",1,1000,500,"'-cmd",0.1200,500,250,520,270,true,corrected,,,,/scans/+SUM(1;2).pdf`,
      '',
    ]);
  });

  it('exports a document (per-page images, one JSON, one CSV) and a batch with de-duplicated names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-export-'));
    const a = doc('form.pdf', [result(1, [low, high]), result(2, [fixed])]);
    const svc = new ExportService(pages);
    const out = await svc.export(
      { scope: 'document', docId: 'form.pdf', formats: ['png', 'json', 'csv'], conf: 0.2 },
      [a],
      dir,
    );
    expect(readdirSync(dir).sort()).toEqual([
      'form.csv',
      'form.json',
      'form_p1.annotated.png',
      'form_p2.annotated.png',
    ]);
    expect(out.files).toHaveLength(4);
    expect(readFileSync(join(dir, 'form_p1.annotated.png'), 'utf8')).toBe('png:1:1');
    const csv = readFileSync(join(dir, 'form.csv'), 'utf8').trim().split('\n');
    expect(csv).toEqual([
      DETECTIONS_CSV_HEADER,
      expect.stringContaining('form.pdf,1,1000,500,filled'),
      expect.stringContaining('form.pdf,2,1000,500,empty'),
    ]);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);

    const batchDir = mkdtempSync(join(tmpdir(), 'cbd-export-'));
    const b = { ...doc('form.png', [result(1, [high])]), id: 'other' };
    const failed: Doc = {
      ...doc('bad.png', []),
      id: 'bad',
      status: 'error',
      results: null,
      error: { code: 'decode_failed', message: 'not an image' },
    };
    await svc.export(
      { scope: 'batch', formats: ['json', 'csv', 'yolo'], conf: 0.2 },
      [a, b, failed],
      batchDir,
    );
    expect(readdirSync(batchDir).sort()).toEqual([
      'batch-summary.json',
      'batch.csv',
      'form-2.json',
      'form.json',
      'yolo',
    ]);
    expect(JSON.parse(readFileSync(join(batchDir, 'batch-summary.json'), 'utf8'))).toEqual({
      files: 3,
      exported: 2,
      pages: 3,
      boxes: { total: 3, byState: { filled: 2, empty: 1 }, byReview: { unreviewed: 2, corrected: 1 } },
      failures: [{ file: 'bad.png', path: '/scans/bad.png', status: 'error', message: 'not an image' }],
    });
    // Rows keyed by the full path: the two form.* files stay apart.
    const batchCsv = readFileSync(join(batchDir, 'batch.csv'), 'utf8').trim().split('\n').slice(1);
    expect(batchCsv.map((r) => r.split(',').at(-1))).toEqual([
      '/scans/form.pdf',
      '/scans/form.pdf',
      '/scans/form.png',
    ]);
    expect(readdirSync(join(batchDir, 'yolo', 'labels')).sort()).toEqual([
      'form-2.txt',
      'form_p1.txt',
      'form_p2.txt',
    ]);
    expect(readFileSync(join(batchDir, 'yolo', 'classes.txt'), 'utf8')).toBe('empty\nfilled\n');
  });

  it('refuses a page that does not exist and a document without results', async () => {
    const svc = new ExportService(pages);
    const dir = mkdtempSync(join(tmpdir(), 'cbd-export-'));
    const a = doc('x.png', [result(1, [high])]);
    await expect(
      svc.export({ scope: 'page', docId: 'x.png', page: 3, formats: ['json'], conf: 0.2 }, [a], dir),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(
      svc.export(
        { scope: 'document', docId: 'y', formats: ['json'], conf: 0.2 },
        [{ ...doc('y', []), id: 'y', results: null }],
        dir,
      ),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
