// Letterbox exactly as Ultralytics' LetterBox(center=True, scaleup=True): keep aspect, resize with
// OpenCV's INTER_LINEAR arithmetic, pad centred with grey 114. Boxes map back the way ops.scale_boxes does.
import type { Box } from './result.js';
import { WASM_BASE64 } from './wasm/letterbox.wasm.js';

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
/** Spare bytes after each source row in WebAssembly memory: the resampler reads 8 bytes at a pixel. */
const ROW_SLACK = 16;
const WASM_PAGE = 65536;

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

let compiled: WebAssembly.Module | undefined;
const resamplerModule = (): WebAssembly.Module =>
  (compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64')));

interface Resampler {
  memory: WebAssembly.Memory;
  row: (
    upper: number,
    lower: number,
    v1: number,
    out: number,
    planeBytes: number,
    width: number,
    lefts: number,
    weights: number,
  ) => void;
}

/**
 * Writes the model input: the letterboxed page as NCHW float32 in [0, 1], RGB. The resize is OpenCV's
 * bilinear with its fixed-point (11-bit) weights and rounding, so the model sees the same pixels as in
 * Ultralytics (cv2 INTER_LINEAR does no antialiasing when shrinking). It runs in WebAssembly, four pixels at a
 * time (src-core/wasm/letterbox.wat, 2.5x faster than the same arithmetic in JavaScript), and the tensor
 * lives in that module's memory: what `tensor` returns is valid until its next call. One per Detector.
 */
export class Letterboxer {
  private readonly wasm = new WebAssembly.Instance(resamplerModule(), {}).exports as unknown as Resampler;

  tensor(rgb: Uint8Array, geo: LetterboxGeometry): Float32Array {
    const { srcWidth: sw, srcHeight: sh, innerWidth: iw, innerHeight: ih, width, height } = geo;
    const plane = width * height;
    // Memory layout: the tensor, the per-column taps, two source rows, a scratch row for images under 4
    // pixels wide (the resampler writes 4 at a time).
    const columns = Math.max(iw, 4);
    const rowBytes = sw * 3;
    const lefts = plane * 12;
    const weights = lefts + columns * 4;
    const upper = weights + columns * 4;
    const lower = upper + rowBytes + ROW_SLACK;
    const scratch = (lower + rowBytes + ROW_SLACK + 15) & ~15;
    this.reserve(scratch + 48);
    const out = new Float32Array(this.wasm.memory.buffer, 0, 3 * plane);
    fillPadding(out, geo);
    if (iw === sw && ih === sh) {
      copyPlanar(rgb, geo, out);
      return out;
    }
    const xs = linearTaps(sw, iw);
    const ys = linearTaps(sh, ih);
    const leftAt = new Int32Array(this.wasm.memory.buffer, lefts, columns);
    const weightAt = new Int16Array(this.wasm.memory.buffer, weights, 2 * columns);
    for (let x = 0; x < columns; x++) {
      const t = Math.min(x, iw - 1); // narrow images: repeat the last column
      leftAt[x] = xs.index[t]! * 3;
      weightAt[2 * x] = COEF_SCALE - xs.weight[t]!;
      weightAt[2 * x + 1] = xs.weight[t]!;
    }
    const bytes = new Uint8Array(this.wasm.memory.buffer);
    const narrow = iw < 4;
    for (let y = 0; y < ih; y++) {
      const s0 = ys.index[y]!;
      const s1 = s0 + 1 < sh ? s0 + 1 : s0;
      bytes.set(rgb.subarray(s0 * rowBytes, (s0 + 1) * rowBytes), upper);
      bytes.set(rgb.subarray(s1 * rowBytes, (s1 + 1) * rowBytes), lower);
      const at = (y + geo.top) * width + geo.left;
      if (narrow) {
        this.wasm.row(upper, lower, ys.weight[y]!, scratch, 16, 4, lefts, weights);
        const written = new Float32Array(this.wasm.memory.buffer, scratch, 12);
        for (let c = 0; c < 3; c++) out.set(written.subarray(4 * c, 4 * c + iw), c * plane + at);
      } else {
        this.wasm.row(upper, lower, ys.weight[y]!, 4 * at, 4 * plane, iw, lefts, weights);
      }
    }
    return out;
  }

  /** Grows the module's memory to at least `bytes` (it never shrinks: the largest page sets it). */
  private reserve(bytes: number): void {
    const have = this.wasm.memory.buffer.byteLength;
    if (bytes > have) this.wasm.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
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
