// A YOLO-format dataset: images/ and labels/ side by side, one `class cx cy w h` line (normalised) per box.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Box } from '../src-core/index.js';
import { expandInputs } from './files.js';
import { UsageError } from './common.js';
import type { LabeledBox } from './metrics.js';

export interface DatasetItem {
  image: string;
  /** Null when the image has no label file (Ultralytics treats that as a page without boxes). */
  labels: string | null;
}

export async function listDataset(root: string): Promise<DatasetItem[]> {
  const images = path.join(root, 'images');
  const labels = path.join(root, 'labels');
  const isDir = async (p: string): Promise<boolean> =>
    (await stat(p).catch(() => null))?.isDirectory() ?? false;
  if (!(await isDir(images)))
    throw new UsageError(`${root} has no images/ folder (expected images/ and labels/)`);
  const files = (await expandInputs([images])).map((f) => f.path);
  return Promise.all(
    files.map(async (image) => {
      const rel = path.relative(images, image);
      const label = path.join(labels, rel.slice(0, rel.length - path.extname(rel).length) + '.txt');
      return { image, labels: (await stat(label).catch(() => null))?.isFile() ? label : null };
    }),
  );
}

/** Parse a label file into pixel boxes for an image of width x height. */
export function parseYoloLabels(text: string, width: number, height: number, file = 'labels'): LabeledBox[] {
  const out: LabeledBox[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const fields = line.trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) return;
    const nums = fields.slice(0, 5).map(Number);
    if (fields.length < 5 || nums.some((n) => !Number.isFinite(n)) || !Number.isInteger(nums[0])) {
      throw new UsageError(`${file}:${i + 1}: expected 'class cx cy w h'`);
    }
    const [classId, cx, cy, w, h] = nums as [number, number, number, number, number];
    const box: Box = [
      (cx - w / 2) * width,
      (cy - h / 2) * height,
      (cx + w / 2) * width,
      (cy + h / 2) * height,
    ];
    out.push({ classId, box });
  });
  return out;
}

export async function readYoloLabels(
  item: DatasetItem,
  width: number,
  height: number,
): Promise<LabeledBox[]> {
  if (!item.labels) return [];
  return parseYoloLabels(await readFile(item.labels, 'utf8'), width, height, item.labels);
}
