// Letterbox exactly as Ultralytics' LetterBox(auto=False, center=True, scaleup=True): keep aspect, resize with
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

/** Geometry for a source of srcWidth x srcHeight into a model input of imgsz = [height, width]. */
export function letterboxGeometry(
  srcWidth: number,
  srcHeight: number,
  imgsz: readonly [number, number],
): LetterboxGeometry {
  const [height, width] = imgsz;
  const r = Math.min(height / srcHeight, width / srcWidth);
  const innerWidth = Math.max(pyRound(srcWidth * r), 1);
  const innerHeight = Math.max(pyRound(srcHeight * r), 1);
  const dw = (width - innerWidth) / 2;
  const dh = (height - innerHeight) / 2;
  return {
    srcWidth,
    srcHeight,
    width,
    height,
    innerWidth,
    innerHeight,
    left: pyRound(dw - 0.1),
    top: pyRound(dh - 0.1),
  };
}

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;

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

/**
 * Resize HWC RGB uint8 pixels bilinearly with OpenCV's fixed-point weights (11-bit), so the model sees the
 * same pixels as in Ultralytics (cv2 INTER_LINEAR does no antialiasing when shrinking).
 */
export function resizeBilinear(
  rgb: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Uint8Array {
  if (dstWidth === srcWidth && dstHeight === srcHeight) return rgb;
  const xs = linearTaps(srcWidth, dstWidth);
  const ys = linearTaps(srcHeight, dstHeight);
  const out = new Uint8Array(dstWidth * dstHeight * 3);
  // Horizontal pass of the two source rows a destination row needs, then the vertical blend.
  const row0 = new Int32Array(dstWidth * 3);
  const row1 = new Int32Array(dstWidth * 3);
  const horizontal = (y: number, into: Int32Array): void => {
    const base = y * srcWidth * 3;
    for (let x = 0; x < dstWidth; x++) {
      const s = xs.index[x]!;
      const w1 = xs.weight[x]!;
      const w0 = COEF_SCALE - w1;
      const a = base + s * 3;
      const b = s + 1 < srcWidth ? a + 3 : a;
      into[x * 3] = rgb[a]! * w0 + rgb[b]! * w1;
      into[x * 3 + 1] = rgb[a + 1]! * w0 + rgb[b + 1]! * w1;
      into[x * 3 + 2] = rgb[a + 2]! * w0 + rgb[b + 2]! * w1;
    }
  };
  for (let y = 0; y < dstHeight; y++) {
    const s = ys.index[y]!;
    const w1 = ys.weight[y]!;
    const w0 = COEF_SCALE - w1;
    horizontal(s, row0);
    horizontal(Math.min(s + 1, srcHeight - 1), row1);
    const o = y * dstWidth * 3;
    for (let i = 0; i < dstWidth * 3; i++) {
      // OpenCV's VResizeLinear rounding for 8-bit: drop 4 bits, multiply, drop 16, round off the last 2.
      out[o + i] = (((w0 * (row0[i]! >> 4)) >> 16) + ((w1 * (row1[i]! >> 4)) >> 16) + 2) >> 2;
    }
  }
  return out;
}

/** The letterboxed model input as NCHW float32 in [0, 1], RGB. */
export function letterboxTensor(rgb: Uint8Array, geo: LetterboxGeometry): Float32Array {
  const inner = resizeBilinear(rgb, geo.srcWidth, geo.srcHeight, geo.innerWidth, geo.innerHeight);
  const plane = geo.width * geo.height;
  const out = new Float32Array(3 * plane).fill(PAD_VALUE / 255);
  for (let y = 0; y < geo.innerHeight; y++) {
    const dstRow = (y + geo.top) * geo.width + geo.left;
    const srcRow = y * geo.innerWidth * 3;
    for (let x = 0; x < geo.innerWidth; x++) {
      const s = srcRow + x * 3;
      out[dstRow + x] = inner[s]! / 255;
      out[plane + dstRow + x] = inner[s + 1]! / 255;
      out[2 * plane + dstRow + x] = inner[s + 2]! / 255;
    }
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
