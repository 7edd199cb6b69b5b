// A model's own class names, counts and colours, end to end through the real runtime and the annotator.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classStyle, nextClass } from '../../src-shared/class-style.js';
import { overlaySvg } from '../../src-core/annotate.js';
import { Detector, countDetections } from '../../src-core/index.js';
import { THREE_CLASSES, THREE_CLASS_COUNTS, threeClassFixture } from '../helpers/three-class-model.js';

let fx: Awaited<ReturnType<typeof threeClassFixture>>;
beforeAll(async () => {
  fx = await threeClassFixture();
});
afterAll(() => rmSync(fx.dir, { recursive: true, force: true }));

describe('a model with classes unchecked, checked, crossed', () => {
  it('counts each of its classes', async () => {
    const detector = await Detector.create({ modelPath: fx.modelPath, threads: 1 });
    const [result] = await detector.detectFile(readFileSync(fx.pagePath), { conf: 0.2, tiling: 'off' });
    await detector.dispose();
    expect(result!.model.classes).toEqual(THREE_CLASSES);
    expect(result!.counts).toEqual(THREE_CLASS_COUNTS);
    // Boxes are drawn in their class's palette colour; the first class dashed.
    const svg = overlaySvg(640, 480, result!, false);
    for (const [i, name] of THREE_CLASSES.entries()) {
      expect(svg).toContain(`stroke="${classStyle(THREE_CLASSES, name).color}"`);
      expect(classStyle(THREE_CLASSES, name).dash).toBe(i === 0);
    }
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1);
  });
});

describe('class styles and counts', () => {
  it('keep the two-class look: first blue dashed, second vermillion solid', () => {
    expect(classStyle(['empty', 'filled'], 'empty')).toEqual({ color: '#0072B2', dash: true, weight: 1 });
    expect(classStyle(['empty', 'filled'], 'filled')).toEqual({
      color: '#D55E00',
      dash: false,
      weight: 1.75,
    });
    expect(new Set(THREE_CLASSES.map((c) => classStyle(THREE_CLASSES, c).color)).size).toBe(3);
  });

  it('count every class of the model, absent ones as zero, and classes it does not name', () => {
    expect(countDetections([{ class: 'crossed' }, { class: 'other' }], THREE_CLASSES)).toEqual({
      total: 2,
      unchecked: 0,
      checked: 0,
      crossed: 1,
      other: 1,
    });
    // A class named like the total cannot corrupt it.
    expect(countDetections([{ class: 'total' }], ['total']).total).toBe(1);
  });

  it('flip to the next class, wrapping', () => {
    expect(nextClass(['empty', 'filled'], 'filled')).toBe('empty');
    expect(nextClass(THREE_CLASSES, 'checked')).toBe('crossed');
    expect(nextClass(THREE_CLASSES, 'unknown')).toBe('unchecked');
  });
});
