// A user's model whose classes are not the bundled model's: ["unchecked", "checked", "crossed"]. Its end-to-end
// output ([1, N, 6]: x1, y1, x2, y2, score, class in model-input pixels) is constant: one unchecked, one checked
// and two crossed boxes, plus one box below the default conf. On a 640x480 page (letterboxed at scale 1, 80 px
// of padding above) they land apart, and tiling never starts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { constantOutputModel, ULTRALYTICS_METADATA } from './onnx-builder.js';

export const THREE_CLASSES = ['unchecked', 'checked', 'crossed'];
/** What the page gives at the default conf (0.2). */
export const THREE_CLASS_COUNTS = { total: 4, unchecked: 1, checked: 1, crossed: 2 };

const ROWS = [
  [100, 200, 140, 240, 0.9, 0],
  [200, 200, 240, 240, 0.85, 1],
  [300, 200, 340, 240, 0.8, 2],
  [400, 200, 440, 240, 0.75, 2],
  [500, 200, 540, 240, 0.1, 0],
];

/** Writes the model and a blank 640x480 PNG page into a fresh temp folder. */
export async function threeClassFixture(): Promise<{ dir: string; modelPath: string; pagePath: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cbd-3class-'));
  const modelPath = path.join(dir, 'three-class.onnx');
  writeFileSync(
    modelPath,
    constantOutputModel([1, ROWS.length, 6], Float32Array.from(ROWS.flat()), {
      ...ULTRALYTICS_METADATA,
      names: "{0: 'unchecked', 1: 'checked', 2: 'crossed'}",
      end2end: 'True',
    }),
  );
  const pagePath = path.join(dir, 'page.png');
  await sharp({ create: { width: 640, height: 480, channels: 3, background: '#ffffff' } })
    .png()
    .toFile(pagePath);
  return { dir, modelPath, pagePath };
}
