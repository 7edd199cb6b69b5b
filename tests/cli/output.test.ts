import { describe, expect, it } from 'vitest';
import type { DetectionResult } from '../../src-core/index.js';
import { ResultWriter } from '../../src-cli/output.js';
import { DETECTIONS_CSV_HEADER } from '../../src-shared/csv.js';

describe('detect --format csv', () => {
  it('escapes a file name and a class name that a spreadsheet would run as formulas', () => {
    const result: DetectionResult = {
      schemaVersion: '1.0',
      image: { width: 100, height: 50, page: 1, pages: 1, source: '=cmd|" /c calc"!A1.png' },
      model: { name: 'm', version: '1', imgsz: [640, 640], classes: ['@evil'] },
      counts: { total: 1, empty: 0, filled: 0 },
      detections: [{ class: '@evil', confidence: 0.5, box: [1, 2, 3, 4] }],
      timing: { decodeMs: 0, inferMs: 0, totalMs: 0 },
      engine: 'local',
    };
    let out = '';
    const writer = new ResultWriter('csv', (text) => (out += text));
    writer.add(result);
    writer.close();
    expect(out.split('\n')).toEqual([
      DETECTIONS_CSV_HEADER,
      `"'=cmd|"" /c calc""!A1.png",1,100,50,"'@evil",0.5000,1,2,3,4,false,unreviewed,,,,"'=cmd|"" /c calc""!A1.png"`,
      '',
    ]);
  });
});
