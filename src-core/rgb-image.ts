// A decoded page's pixels: 8-bit RGB, row by row, no padding — what every decoder hands the detector.

export interface RgbImage {
  width: number;
  height: number;
  rgb: Buffer;
}

/** RGB from a canvas's RGBA pixels; the canvas was filled white first, so alpha is already flattened. */
export function rgbFromRgba(width: number, height: number, rgba: Uint8ClampedArray): RgbImage {
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    rgb[o] = rgba[i]!;
    rgb[o + 1] = rgba[i + 1]!;
    rgb[o + 2] = rgba[i + 2]!;
  }
  return { width, height, rgb };
}
