import { describe, expect, it } from 'vitest';
import {
  letterboxGeometry,
  LetterboxWriter,
  PAD_VALUE,
  pyRound,
  unletterboxBox,
  type LetterboxGeometry,
} from '../../src-core/letterbox.js';

/**
 * OpenCV's INTER_LINEAR for 8-bit images (modules/imgproc/src/resize.cpp), one value at a time: positions in
 * float32, 11-bit weights rounded half to even, the horizontal pass >> 4, the vertical one through 16-bit
 * products (mulhi) and a final rounding by 2 bits. The oracle the SIMD resampler must match bit for bit.
 */
function cv2ResizeLinear(rgb: Uint8Array, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  const taps = (src: number, dst: number) =>
    Array.from({ length: dst }, (_, d) => {
      const f = Math.fround((d + 0.5) * (1 / (dst / src)) - 0.5); // cv2: 1 / inv_scale
      let s = Math.floor(f);
      let frac = Math.fround(f - s);
      if (s < 0) [s, frac] = [0, 0];
      if (s >= src - 1) [s, frac] = [src - 1, 0];
      const w1 = 2048 - pyRound(Math.fround(1 - frac) * 2048);
      return { s, s1: Math.min(s + 1, src - 1), w0: 2048 - w1, w1 };
    });
  const xs = taps(sw, dw);
  const ys = taps(sh, dh);
  const out = new Uint8Array(dw * dh * 3);
  for (let y = 0; y < dh; y++) {
    const { s: r0, s1: r1, w0: v0, w1: v1 } = ys[y]!;
    for (let x = 0; x < dw; x++) {
      const { s: c0, s1: c1, w0, w1 } = xs[x]!;
      for (let c = 0; c < 3; c++) {
        const px = (r: number, col: number) => rgb[(r * sw + col) * 3 + c]!;
        const top = (px(r0, c0) * w0 + px(r0, c1) * w1) >> 4;
        const bottom = (px(r1, c0) * w0 + px(r1, c1) * w1) >> 4;
        out[(y * dw + x) * 3 + c] = (((v0 * top) >> 16) + ((v1 * bottom) >> 16) + 2) >> 2;
      }
    }
  }
  return out;
}

/** Pseudo-random bytes, the same every run. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** The whole letterboxed page as the oracle sees it: OpenCV's resize inside, grey 114 around, RGB bytes. */
function letterboxedBytes(rgb: Uint8Array, geo: LetterboxGeometry): Uint8Array {
  const inner = cv2ResizeLinear(rgb, geo.srcWidth, geo.srcHeight, geo.innerWidth, geo.innerHeight);
  const out = new Uint8Array(geo.width * geo.height * 3).fill(PAD_VALUE);
  for (let y = 0; y < geo.innerHeight; y++)
    out.set(
      inner.subarray(y * geo.innerWidth * 3, (y + 1) * geo.innerWidth * 3),
      ((y + geo.top) * geo.width + geo.left) * 3,
    );
  return out;
}

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

describe('LetterboxWriter', () => {
  /** A copy of the tensor (a LetterboxWriter's result is only valid until its next call). */
  const letterboxTensor = (rgb: Uint8Array, geo: LetterboxGeometry): Float32Array =>
    new LetterboxWriter().tensor(rgb, geo).slice();

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

  it.each([
    [1000, 1300, 32], // the usual scan: shrink by 2
    [2550, 3300, 32], // 300 dpi: shrink by 5, taps far apart
    [1080, 441, 32], // wide crop, rectangular input
    [480, 360, undefined], // enlarge into a square input
    [641, 13, 32], // one pixel too wide: shrunk by a hair
    [7, 5, 32], // enlarge a lot
    [5, 2000, 32], // a few pixels wide once shrunk
  ])('%i x %i matches OpenCV INTER_LINEAR bit for bit', (w, h, stride) => {
    const rgb = noise(w * h * 3, w * 31 + h);
    const geo = letterboxGeometry(w, h, [640, 640], stride);
    const expected = letterboxedBytes(rgb, geo);
    const letterbox = new LetterboxWriter();
    letterbox.tensor(noise(100 * 100 * 3, 1), letterboxGeometry(100, 100, [640, 640])); // memory used before
    const t = letterbox.tensor(rgb, geo);
    const plane = geo.width * geo.height;
    let mismatches = 0;
    for (let i = 0; i < plane; i++)
      for (let c = 0; c < 3; c++)
        if (t[c * plane + i] !== Math.fround(expected[i * 3 + c]! / 255)) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('maps every byte value to the float Ultralytics computes (x / 255 in float32)', () => {
    const rgb = Uint8Array.from({ length: 256 * 3 }, (_, i) => Math.floor(i / 3));
    const geo = letterboxGeometry(256, 1, [1, 256]); // same size: bytes straight through
    const t = letterboxTensor(rgb, geo);
    expect(Array.from(t.subarray(0, 256))).toEqual(
      Array.from({ length: 256 }, (_, v) => Math.fround(v / 255)),
    );
    // And through the resampler: a flat image keeps its value whatever the scale.
    for (const v of [0, 1, 127, 128, 254, 255]) {
      const flat = new Uint8Array(50 * 40 * 3).fill(v);
      const g = letterboxGeometry(50, 40, [64, 64]);
      expect(letterboxTensor(flat, g)[g.top * g.width + g.left]).toBe(Math.fround(v / 255));
    }
  });
});

describe('unletterboxBox', () => {
  it('maps model-input boxes back to source pixels and clips them', () => {
    const geo = letterboxGeometry(1000, 500, [640, 640]); // inner 640x320, top 160
    expect(unletterboxBox([64, 160 + 32, 128, 160 + 64], geo)).toEqual([100, 50, 200, 100]);
    expect(unletterboxBox([-10, 100, 700, 500], geo)).toEqual([0, 0, 1000, 500]);
  });
});
