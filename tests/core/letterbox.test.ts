import { describe, expect, it } from 'vitest';
import {
  letterboxGeometry,
  letterboxTensor,
  PAD_VALUE,
  pyRound,
  resizeBilinear,
  unletterboxBox,
} from '../../src-core/letterbox.js';

describe('letterboxGeometry', () => {
  // Expected values printed by ultralytics.data.augment.LetterBox((640, 640), auto=False).get_params.
  it.each([
    [1237, 1751, { innerWidth: 452, innerHeight: 640, left: 94, top: 0 }],
    [300, 200, { innerWidth: 640, innerHeight: 427, left: 0, top: 106 }],
    [100, 1000, { innerWidth: 64, innerHeight: 640, left: 288, top: 0 }],
    [640, 640, { innerWidth: 640, innerHeight: 640, left: 0, top: 0 }],
    [1000, 999, { innerWidth: 640, innerHeight: 639, left: 0, top: 0 }],
  ])('%i x %i matches Ultralytics', (w, h, expected) => {
    expect(letterboxGeometry(w, h, [640, 640])).toMatchObject(expected);
  });

  it('handles non-square inputs and keeps thin images one pixel wide', () => {
    expect(letterboxGeometry(2000, 1000, [480, 640])).toMatchObject({
      innerWidth: 640,
      innerHeight: 320,
      top: 80,
      left: 0,
    });
    expect(letterboxGeometry(10000, 2, [640, 640]).innerHeight).toBe(1);
  });

  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(pyRound)).toEqual([0, 2, 2, 4, 2, 3]);
  });
});

describe('resizeBilinear', () => {
  it('returns the input when the size is unchanged', () => {
    const rgb = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(resizeBilinear(rgb, 2, 1, 2, 1)).toBe(rgb);
  });

  it('samples pixel centres without antialiasing, like cv2.INTER_LINEAR', () => {
    // A 4x1 ramp shrunk to 2x1: cv2 samples at x = 0.5 and 2.5, i.e. halfway between neighbours.
    const rgb = Uint8Array.from([0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]);
    expect(Array.from(resizeBilinear(rgb, 4, 1, 2, 1))).toEqual([50, 50, 50, 228, 228, 228]);
    // Enlarging 2x1 to 4x1: edges clamp, inner pixels blend 3:1.
    const two = Uint8Array.from([0, 0, 0, 200, 200, 200]);
    expect(Array.from(resizeBilinear(two, 2, 1, 4, 1)).filter((_, i) => i % 3 === 0)).toEqual([
      0, 50, 150, 200,
    ]);
  });
});

describe('letterboxTensor', () => {
  it('writes planar RGB in [0, 1] centred in grey 114', () => {
    const w = 4;
    const h = 2;
    const rgb = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) rgb.set([255, 0, 51], i * 3);
    const geo = letterboxGeometry(w, h, [8, 8]);
    expect(geo).toMatchObject({ innerWidth: 8, innerHeight: 4, top: 2, left: 0 });
    const t = letterboxTensor(rgb, geo);
    const at = (c: number, y: number, x: number): number => t[c * 64 + y * 8 + x]!;
    expect(at(0, 0, 0)).toBeCloseTo(PAD_VALUE / 255);
    expect(at(0, 7, 7)).toBeCloseTo(PAD_VALUE / 255);
    expect([at(0, 3, 4), at(1, 3, 4), at(2, 3, 4)]).toEqual([1, 0, 51 / 255].map(Math.fround));
  });
});

describe('unletterboxBox', () => {
  it('maps model-input boxes back to source pixels and clips them', () => {
    const geo = letterboxGeometry(1000, 500, [640, 640]); // inner 640x320, top 160
    expect(unletterboxBox([64, 160 + 32, 128, 160 + 64], geo)).toEqual([100, 50, 200, 100]);
    expect(unletterboxBox([-10, 100, 700, 500], geo)).toEqual([0, 0, 1000, 500]);
  });
});
