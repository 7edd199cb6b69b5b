// Tiled inference for big pages: a 20 px checkbox on a 2550x3300 scan is 4 px once the whole page is shrunk to
// the 640 px model input. Overlapping tiles show the model the page larger; boxes from every tile and from the
// whole-page pass are mapped to page pixels and merged by the usual NMS (see docs/tiling.md for the measurements).
import type { Box } from '../src-shared/result.js';

export const TILING_MODES = ['auto', 'off', 'on'] as const;
export type TilingMode = (typeof TILING_MODES)[number];

/** Tiles show the page this many times larger than the whole-page pass (never beyond its own pixels). 1.7, not 2:
 *  then two tiles, not three, span a Letter/A4 page's long side with the overlap, for the same recall. */
export const TILE_ZOOM = 1.7;
/** Neighbouring tiles overlap by this fraction of the tile side, and by at least MIN_TILE_OVERLAP page pixels:
 *  more than the largest checkbox, so a box cut by one tile's edge lies whole in the next tile. */
export const TILE_OVERLAP_FRACTION = 0.15;
export const MIN_TILE_OVERLAP = 64;
/** 'auto' tiles a page whose long side is more than this many times the model input's side. */
export const AUTO_TILE_FACTOR = 2;
/** Passes see one checkbox at different scales and place it a little differently (IoU 0.5-0.7 is common); two
 *  real checkboxes never overlap. So passes are merged at this IoU, or the caller's if lower. */
export const MERGE_IOU = 0.3;
/** A tile sees part of the page, large: its unsure boxes are mostly letters and rules, its sure ones real boxes
 *  the whole page missed. So a tile's box counts from this confidence on (or the caller's conf, if higher). */
export const TILE_CONF = 0.5;
/** A tile's box closer than this (model-input pixels) to an inner tile edge was cut by that edge. */
export const EDGE_MARGIN = 2;

/** A tile in page pixels. */
export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether `mode` asks for tiles on a width x height page for a model input of imgsz = [height, width]. */
export function wantsTiles(
  mode: TilingMode,
  width: number,
  height: number,
  imgsz: readonly [number, number],
): boolean {
  if (mode === 'off') return false;
  if (mode === 'on') return true;
  return Math.max(width, height) > AUTO_TILE_FACTOR * Math.max(...imgsz);
}

/** Offsets of tiles of side `tile` covering `length`, evenly spread, neighbours overlapping by >= `overlap`. */
export function axisStarts(length: number, tile: number, overlap: number): number[] {
  if (tile >= length) return [0];
  const n = Math.ceil((length - overlap) / (tile - overlap));
  const stride = (length - tile) / (n - 1);
  // Flooring keeps every step <= tile - overlap (an integer), so no overlap rounds below `overlap`.
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? length - tile : Math.floor(i * stride)));
}

/**
 * Tiles covering a width x height page, each seen by the model at TILE_ZOOM times the whole-page scale (capped
 * at 1:1). Empty when one tile would be the whole page: the whole-page pass already sees it at that scale.
 */
export function tileGrid(width: number, height: number, imgsz: readonly [number, number]): Tile[] {
  const [inH, inW] = imgsz;
  const scale = Math.min(1, TILE_ZOOM * Math.min(inH / height, inW / width));
  const tileW = Math.min(width, Math.ceil(inW / scale));
  const tileH = Math.min(height, Math.ceil(inH / scale));
  if (tileW === width && tileH === height) return [];
  const overlap = (side: number): number =>
    Math.min(Math.max(MIN_TILE_OVERLAP, Math.ceil(TILE_OVERLAP_FRACTION * side)), Math.floor(side / 2));
  const xs = axisStarts(width, tileW, overlap(tileW));
  const ys = axisStarts(height, tileH, overlap(tileH));
  return ys.flatMap((y) => xs.map((x) => ({ x, y, width: tileW, height: tileH })));
}

/** The tile's pixels, HWC RGB, cut from a page `pageWidth` pixels wide. */
export function cropRgb(rgb: Uint8Array, pageWidth: number, tile: Tile): Uint8Array {
  const out = new Uint8Array(tile.width * tile.height * 3);
  const rowBytes = tile.width * 3;
  for (let r = 0; r < tile.height; r++) {
    const from = ((tile.y + r) * pageWidth + tile.x) * 3;
    out.set(rgb.subarray(from, from + rowBytes), r * rowBytes);
  }
  return out;
}

/** A box in tile pixels, in page pixels. */
export function tileToPage(box: Box, tile: Tile): Box {
  return [box[0] + tile.x, box[1] + tile.y, box[2] + tile.x, box[3] + tile.y];
}

/**
 * Whether a box (page pixels) reaches within `margin` of one of the tile's inner edges, those that are not the
 * page's edge: such a box was cut by the tile, and the neighbouring tile sees it whole.
 */
export function touchesInnerEdge(
  box: Box,
  tile: Tile,
  pageWidth: number,
  pageHeight: number,
  margin: number,
): boolean {
  const right = tile.x + tile.width;
  const bottom = tile.y + tile.height;
  return (
    (tile.x > 0 && box[0] <= tile.x + margin) ||
    (tile.y > 0 && box[1] <= tile.y + margin) ||
    (right < pageWidth && box[2] >= right - margin) ||
    (bottom < pageHeight && box[3] >= bottom - margin)
  );
}
