// Letterbox exactly as Ultralytics' LetterBox(center=True, scaleup=True): keep aspect, resize with
// OpenCV's INTER_LINEAR arithmetic, pad centred with grey 114. Boxes map back the way ops.scale_boxes does.
import type { Box } from '../src-shared/result.js';
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

/** Where the resampler's inputs sit in its memory, after the output. */
interface RowBuffers {
  lefts: number;
  weights: number;
  /** The two source rows of the output row being written. */
  upper: number;
  lower: number;
  /** Room for one group of four pixels, for images under 4 pixels wide (the resampler writes 4 at a time). */
  scratch: number;
  /** Per output row: its upper source row and the lower one's 11-bit weight. */
  ys: { index: Int32Array; weight: Int32Array };
}

/** Writes a page's model input: letterboxed as Ultralytics does, NCHW float32 in [0, 1]. */
export interface Letterboxer {
  /** The input for `rgb` (HWC bytes) under `geo`; valid until the next call (the memory is reused). */
  tensor(rgb: Uint8Array, geo: LetterboxGeometry): Float32Array;
}

/**
 * The letterbox in plain JavaScript -- the resize is OpenCV's bilinear with its fixed-point (11-bit) weights and
 * rounding, so the model sees the same pixels as in Ultralytics (cv2 INTER_LINEAR does no antialiasing when
 * shrinking). Each source row's horizontal pass is computed once and kept while the output rows still need it.
 */
export class JsLetterboxer implements Letterboxer {
  private out = new Float32Array(0);
  private upper = new Int32Array(0);
  private lower = new Int32Array(0);

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

/**
 * The same letterbox in WebAssembly, four pixels at a time (src-core/wasm/letterbox.wat); the input lives in that
 * module's memory.
 */
export class WasmLetterboxer implements Letterboxer {
  private readonly wasm = new WebAssembly.Instance(resamplerModule(), {}).exports as unknown as Resampler;

  tensor(rgb: Uint8Array, geo: LetterboxGeometry): Float32Array {
    const { srcWidth: sw, srcHeight: sh, innerWidth: iw, innerHeight: ih, width, height } = geo;
    const plane = width * height;
    const buffers = this.rowBuffers(geo, plane * 12);
    const out = new Float32Array(this.wasm.memory.buffer, 0, 3 * plane);
    fillPadding(out, geo);
    if (iw === sw && ih === sh) {
      copyPlanar(rgb, geo, out);
      return out;
    }
    const { lefts, weights, upper, lower, scratch, ys } = buffers;
    const bytes = new Uint8Array(this.wasm.memory.buffer);
    for (let y = 0; y < ih; y++) {
      this.loadRows(bytes, rgb, geo, buffers, y);
      const at = (y + geo.top) * width + geo.left;
      if (iw < 4) {
        this.wasm.row(upper, lower, ys.weight[y]!, scratch, 16, 4, lefts, weights);
        const written = new Float32Array(this.wasm.memory.buffer, scratch, 12);
        for (let c = 0; c < 3; c++) out.set(written.subarray(4 * c, 4 * c + iw), c * plane + at);
      } else {
        this.wasm.row(upper, lower, ys.weight[y]!, 4 * at, 4 * plane, iw, lefts, weights);
      }
    }
    return out;
  }

  /** Reserves memory for `outputBytes` of output and the row buffers after it, and writes the column taps. */
  private rowBuffers(geo: LetterboxGeometry, outputBytes: number): RowBuffers {
    const { srcWidth: sw, srcHeight: sh, innerWidth: iw, innerHeight: ih } = geo;
    const columns = Math.max(iw, 4);
    const rowBytes = sw * 3;
    const lefts = (outputBytes + 15) & ~15;
    const weights = lefts + columns * 4;
    const upper = weights + columns * 4;
    const lower = upper + rowBytes + ROW_SLACK;
    const scratch = (lower + rowBytes + ROW_SLACK + 15) & ~15;
    this.reserve(scratch + 48);
    const xs = linearTaps(sw, iw);
    const leftAt = new Int32Array(this.wasm.memory.buffer, lefts, columns);
    const weightAt = new Int16Array(this.wasm.memory.buffer, weights, 2 * columns);
    for (let x = 0; x < columns; x++) {
      const t = Math.min(x, iw - 1); // narrow images: repeat the last column
      leftAt[x] = xs.index[t]! * 3;
      weightAt[2 * x] = COEF_SCALE - xs.weight[t]!;
      weightAt[2 * x + 1] = xs.weight[t]!;
    }
    return { lefts, weights, upper, lower, scratch, ys: linearTaps(sh, ih) };
  }

  /** Copies output row y's two source rows next to the resampler. */
  private loadRows(
    bytes: Uint8Array,
    rgb: Uint8Array,
    geo: LetterboxGeometry,
    buffers: RowBuffers,
    y: number,
  ) {
    const rowBytes = geo.srcWidth * 3;
    const s0 = buffers.ys.index[y]!;
    const s1 = s0 + 1 < geo.srcHeight ? s0 + 1 : s0;
    bytes.set(rgb.subarray(s0 * rowBytes, (s0 + 1) * rowBytes), buffers.upper);
    bytes.set(rgb.subarray(s1 * rowBytes, (s1 + 1) * rowBytes), buffers.lower);
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
