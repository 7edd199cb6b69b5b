// Letterbox exactly as Ultralytics' LetterBox(center=True, scaleup=True): keep aspect, resize with
// OpenCV's INTER_LINEAR arithmetic, pad centred with grey 114. Boxes map back the way ops.scale_boxes does.
import type { Box } from '../src-shared/result.js';

export const PAD_VALUE = 114;

export interface LetterboxGeometry {
  /** Source size. */
  srcWidth: number;
  srcHeight: number;
  /** Model input size. */
  width: number;
  height: number;
  /** Resized image size inside the padding (Ultralytics' new_unpad). */
  innerWidth: number;
  innerHeight: number;
  /** Padding before the image. */
  left: number;
  top: number;
}

/** Python 3 round(): halves go to the even neighbour. */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Geometry for a source of srcWidth x srcHeight into a model input of imgsz = [height, width]. With a stride
 * (models whose input size is free), pad only up to the next multiple of it, like Ultralytics' LetterBox(auto=True):
 * a wide crop then costs the model 640x288 pixels rather than 640x640.
 */
export function letterboxGeometry(
  srcWidth: number,
  srcHeight: number,
  imgsz: readonly [number, number],
  stride?: number,
): LetterboxGeometry {
  const r = Math.min(imgsz[0] / srcHeight, imgsz[1] / srcWidth);
  const innerWidth = Math.max(pyRound(srcWidth * r), 1);
  const innerHeight = Math.max(pyRound(srcHeight * r), 1);
  const width = stride ? innerWidth + ((imgsz[1] - innerWidth) % stride) : imgsz[1];
  const height = stride ? innerHeight + ((imgsz[0] - innerHeight) % stride) : imgsz[0];
  return {
    srcWidth,
    srcHeight,
    width,
    height,
    innerWidth,
    innerHeight,
    left: pyRound((width - innerWidth) / 2 - 0.1),
    top: pyRound((height - innerHeight) / 2 - 0.1),
  };
}

const COEF_SCALE = 1 << 11;
/** Byte value to model input, looked up rather than divided per pixel. */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** Source index and fixed-point weight of the right/lower neighbour per destination pixel (cv2 INTER_LINEAR). */
function linearTaps(src: number, dst: number): { index: Int32Array; weight: Int32Array } {
  const scale = 1 / (dst / src);
  const index = new Int32Array(dst);
  const weight = new Int32Array(dst);
  for (let d = 0; d < dst; d++) {
    // OpenCV computes the position in float32 and rounds the weights half to even.
    const f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    let frac = Math.fround(f - s);
    if (s < 0) {
      s = 0;
      frac = 0;
    }
    if (s >= src - 1) {
      s = src - 1;
      frac = 0;
    }
    index[d] = s;
    weight[d] = COEF_SCALE - pyRound(Math.fround(1 - frac) * COEF_SCALE);
  }
  return { index, weight };
}

/** Grey 114 around the image, plane by plane (the image's own pixels are written over anyway). */
function fillPadding(out: Float32Array, geo: LetterboxGeometry): void {
  const { width, height, innerWidth, innerHeight, left, top } = geo;
  const pad = UNIT[PAD_VALUE]!;
  const plane = width * height;
  for (let c = 0; c < 3; c++) {
    const base = c * plane;
    out.fill(pad, base, base + top * width);
    out.fill(pad, base + (top + innerHeight) * width, base + plane);
    for (let y = top; y < top + innerHeight; y++) {
      const row = base + y * width;
      out.fill(pad, row, row + left);
      out.fill(pad, row + left + innerWidth, row + width);
    }
  }
}

/** A page already at the model's size: bytes to planar floats, no resampling. */
function copyPlanar(rgb: Uint8Array, geo: LetterboxGeometry, out: Float32Array): void {
  const plane = geo.width * geo.height;
  for (let y = 0, s = 0; y < geo.innerHeight; y++) {
    let d = (y + geo.top) * geo.width + geo.left;
    for (let x = 0; x < geo.innerWidth; x++, s += 3, d++) {
      out[d] = UNIT[rgb[s]!]!;
      out[plane + d] = UNIT[rgb[s + 1]!]!;
      out[2 * plane + d] = UNIT[rgb[s + 2]!]!;
    }
  }
}

/**
 * Writes a page's model input: letterboxed as Ultralytics does, NCHW float32 in [0, 1]. The resize is OpenCV's
 * bilinear with its fixed-point (11-bit) weights and rounding, so the model sees the same pixels as in Ultralytics
 * (cv2 INTER_LINEAR does no antialiasing when shrinking). Each source row's horizontal pass is computed once and
 * kept while the output rows still need it. The output memory is reused from call to call.
 */
export class LetterboxWriter {
  private out = new Float32Array(0);
  private upper = new Int32Array(0);
  private lower = new Int32Array(0);

  /** The input for `rgb` (HWC bytes) under `geo`; valid until the next call (the memory is reused). */
  tensor(rgb: Uint8Array, geo: LetterboxGeometry): Float32Array {
    const { srcWidth: sw, srcHeight: sh, innerWidth: iw, innerHeight: ih, width, height } = geo;
    const plane = width * height;
    if (this.out.length < 3 * plane) this.out = new Float32Array(3 * plane);
    const out = this.out.subarray(0, 3 * plane);
    fillPadding(out, geo);
    if (iw === sw && ih === sh) {
      copyPlanar(rgb, geo, out);
      return out;
    }
    const xs = linearTaps(sw, iw);
    const ys = linearTaps(sh, ih);
    const lefts = new Int32Array(iw);
    const rights = new Int32Array(iw);
    for (let x = 0; x < iw; x++) {
      lefts[x] = xs.index[x]! * 3;
      rights[x] = Math.min(xs.index[x]! + 1, sw - 1) * 3;
    }
    if (this.upper.length < iw * 3) {
      this.upper = new Int32Array(iw * 3);
      this.lower = new Int32Array(iw * 3);
    }
    let upperRow = -1;
    let lowerRow = -1;
    for (let y = 0; y < ih; y++) {
      const s0 = ys.index[y]!;
      const s1 = Math.min(s0 + 1, sh - 1);
      if (upperRow !== s0) {
        if (lowerRow === s0) {
          [this.upper, this.lower] = [this.lower, this.upper];
          lowerRow = -1;
        } else horizontalPass(rgb, s0 * sw * 3, lefts, rights, xs.weight, this.upper);
        upperRow = s0;
      }
      if (lowerRow !== s1) {
        horizontalPass(rgb, s1 * sw * 3, lefts, rights, xs.weight, this.lower);
        lowerRow = s1;
      }
      const v1 = ys.weight[y]!;
      const v0 = COEF_SCALE - v1;
      const red = (y + geo.top) * width + geo.left;
      const green = red + plane;
      const blue = green + plane;
      const upper = this.upper;
      const lower = this.lower;
      for (let x = 0, i = 0; x < iw; x++, i += 3) {
        out[red + x] = UNIT[(((v0 * upper[i]!) >> 16) + ((v1 * lower[i]!) >> 16) + 2) >> 2]!;
        out[green + x] = UNIT[(((v0 * upper[i + 1]!) >> 16) + ((v1 * lower[i + 1]!) >> 16) + 2) >> 2]!;
        out[blue + x] = UNIT[(((v0 * upper[i + 2]!) >> 16) + ((v1 * lower[i + 2]!) >> 16) + 2) >> 2]!;
      }
    }
    return out;
  }
}

/** OpenCV's horizontal pass over one source row: each output pixel's two neighbours, 11-bit weights, >> 4. */
function horizontalPass(
  rgb: Uint8Array,
  row: number,
  lefts: Int32Array,
  rights: Int32Array,
  weights: Int32Array,
  into: Int32Array,
): void {
  for (let x = 0, i = 0; x < lefts.length; x++) {
    const w1 = weights[x]!;
    const w0 = COEF_SCALE - w1;
    const l = row + lefts[x]!;
    const r = row + rights[x]!;
    into[i++] = (rgb[l]! * w0 + rgb[r]! * w1) >> 4;
    into[i++] = (rgb[l + 1]! * w0 + rgb[r + 1]! * w1) >> 4;
    into[i++] = (rgb[l + 2]! * w0 + rgb[r + 2]! * w1) >> 4;
  }
}

/** Map a box from model-input pixels back to source pixels and clip it, as Ultralytics' scale_boxes does. */
export function unletterboxBox(box: Box, geo: LetterboxGeometry): Box {
  const gainX = geo.innerWidth / geo.srcWidth;
  const gainY = geo.innerHeight / geo.srcHeight;
  const clip = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
  return [
    clip((box[0] - geo.left) / gainX, geo.srcWidth),
    clip((box[1] - geo.top) / gainY, geo.srcHeight),
    clip((box[2] - geo.left) / gainX, geo.srcWidth),
    clip((box[3] - geo.top) / gainY, geo.srcHeight),
  ];
}
