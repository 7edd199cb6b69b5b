// Letterbox exactly as Ultralytics' LetterBox(center=True, scaleup=True): keep aspect, resize with
// OpenCV's INTER_LINEAR arithmetic, pad centred with grey 114. Boxes map back the way ops.scale_boxes does.
import type { Box } from './result.js';

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

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;
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
 * One channel of one output pixel, as OpenCV computes it for 8-bit: the horizontal pass on the upper and lower
 * source rows (weights summing to 2^11), then the vertical blend, which drops 4 bits, multiplies, drops 16
 * and rounds off the last 2.
 */
function bilinear(
  ul: number,
  ur: number,
  ll: number,
  lr: number,
  w0: number,
  w1: number,
  v0: number,
  v1: number,
) {
  return (((v0 * ((ul * w0 + ur * w1) >> 4)) >> 16) + ((v1 * ((ll * w0 + lr * w1) >> 4)) >> 16) + 2) >> 2;
}

/**
 * One output row in the three planes, from source rows `upper` and `lower` (byte offsets), each value computed
 * in one go rather than through intermediate rows (a third faster).
 */
function outputRow(
  rgb: Uint8Array,
  upper: number,
  lower: number,
  left: Int32Array,
  right: Int32Array,
  weights: Int32Array,
  v1: number,
  out: Float32Array,
  at: number,
  plane: number,
  width: number,
): void {
  const v0 = COEF_SCALE - v1;
  for (let x = 0; x < width; x++) {
    const w1 = weights[x]!;
    const w0 = COEF_SCALE - w1;
    const ul = upper + left[x]!;
    const ur = upper + right[x]!;
    const ll = lower + left[x]!;
    const lr = lower + right[x]!;
    // Unrolled over the three channels: a loop over them here costs 40% of the letterbox's time.
    const d = at + x;
    out[d] = UNIT[bilinear(rgb[ul]!, rgb[ur]!, rgb[ll]!, rgb[lr]!, w0, w1, v0, v1)]!;
    out[d + plane] = UNIT[bilinear(rgb[ul + 1]!, rgb[ur + 1]!, rgb[ll + 1]!, rgb[lr + 1]!, w0, w1, v0, v1)]!;
    out[d + 2 * plane] =
      UNIT[bilinear(rgb[ul + 2]!, rgb[ur + 2]!, rgb[ll + 2]!, rgb[lr + 2]!, w0, w1, v0, v1)]!;
  }
}

/**
 * The letterboxed model input as NCHW float32 in [0, 1], RGB. The resize is OpenCV's bilinear with its
 * fixed-point (11-bit) weights and rounding, so the model sees the same pixels as in Ultralytics (cv2
 * INTER_LINEAR does no antialiasing when shrinking); it writes straight into the tensor, one row at a time.
 * `into` (at least 3 x width x height floats) is reused when given: fresh memory costs a page fault per 4 KiB.
 */
export function letterboxTensor(rgb: Uint8Array, geo: LetterboxGeometry, into?: Float32Array): Float32Array {
  const { srcWidth: sw, srcHeight: sh, innerWidth: iw, innerHeight: ih, width, height } = geo;
  const plane = width * height;
  const out = into ? into.subarray(0, 3 * plane) : new Float32Array(3 * plane);
  out.fill(PAD_VALUE / 255);
  if (iw === sw && ih === sh) {
    copyPlanar(rgb, geo, out);
    return out;
  }
  const xs = linearTaps(sw, iw);
  const ys = linearTaps(sh, ih);
  // Byte offsets, within a row, of the left and right source pixel of each destination column.
  const left = new Int32Array(iw);
  const right = new Int32Array(iw);
  for (let x = 0; x < iw; x++) {
    const s = xs.index[x]!;
    left[x] = s * 3;
    right[x] = (s + 1 < sw ? s + 1 : s) * 3;
  }
  for (let y = 0; y < ih; y++) {
    const s0 = ys.index[y]!;
    const s1 = s0 + 1 < sh ? s0 + 1 : s0;
    const at = (y + geo.top) * width + geo.left;
    outputRow(rgb, s0 * sw * 3, s1 * sw * 3, left, right, xs.weight, ys.weight[y]!, out, at, plane, iw);
  }
  return out;
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
