import { describe, expect, it } from 'vitest';
import {
  letterboxGeometry,
  letterboxTensor,
  PAD_VALUE,
  pyRound,
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

  // Ultralytics' LetterBox(auto=True, stride=32), as it runs PyTorch and dynamic-shape ONNX models.
  it.each([
    [1237, 1751, { width: 480, height: 640, innerWidth: 452, left: 14, top: 0 }],
    [1080, 441, { width: 640, height: 288, innerHeight: 261, left: 0, top: 13 }],
    [640, 640, { width: 640, height: 640, left: 0, top: 0 }],
  ])('%i x %i with a free input size pads only to the stride', (w, h, expected) => {
    expect(letterboxGeometry(w, h, [640, 640], 32)).toMatchObject(expected);
  });

  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(pyRound)).toEqual([0, 2, 2, 4, 2, 3]);
  });
});

describe('letterboxTensor', () => {
  /** The red channel of a one-row image resized to `to` pixels wide, back in bytes. */
  const resizedRow = (values: number[], to: number): number[] => {
    const rgb = Uint8Array.from(values.flatMap((v) => [v, v, v]));
    const geo = {
      srcWidth: values.length,
      srcHeight: 1,
      width: to,
      height: 1,
      innerWidth: to,
      innerHeight: 1,
    };
    return Array.from(letterboxTensor(rgb, { ...geo, left: 0, top: 0 }).slice(0, to), (v) =>
      Math.round(v * 255),
    );
  };

  it('samples pixel centres without antialiasing, like cv2.INTER_LINEAR', () => {
    // A 4x1 ramp shrunk to 2x1: cv2 samples at x = 0.5 and 2.5, i.e. halfway between neighbours.
    expect(resizedRow([0, 100, 200, 255], 2)).toEqual([50, 228]);
    // Enlarging 2x1 to 4x1: edges clamp, inner pixels blend 3:1.
    expect(resizedRow([0, 200], 4)).toEqual([0, 50, 150, 200]);
    // Same size: the bytes themselves.
    expect(resizedRow([0, 7, 255], 3)).toEqual([0, 7, 255]);
  });

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
