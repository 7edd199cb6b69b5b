// The tile grid: it covers the page, neighbours overlap by more than a checkbox, tiles see the page larger than
// the whole-page pass, and every box that one tile cuts lies whole in another.
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src-core/index.js';
import { letterboxGeometry } from '../../src-core/letterbox.js';
import {
  AUTO_TILE_FACTOR,
  axisStarts,
  cropRgb,
  MIN_TILE_OVERLAP,
  TILE_OVERLAP_FRACTION,
  TILE_ZOOM,
  tileGrid,
  tileToPage,
  touchesInnerEdge,
  wantsTiles,
  type Tile,
} from '../../src-core/tiling.js';

const IMGSZ = [640, 640] as const;

/** The distinct spans of the grid along one axis. */
function spans(tiles: Tile[], axis: 'x' | 'y'): [number, number][] {
  const size = axis === 'x' ? 'width' : 'height';
  const starts = [...new Set(tiles.map((t) => t[axis]))].sort((a, b) => a - b);
  return starts.map((s) => [s, s + tiles[0]![size]]);
}

describe('axisStarts', () => {
  it.each([
    [3300, 1650, 248],
    [2550, 1650, 248],
    [1281, 640, 96],
    [10000, 700, 105],
  ])('covers %i px with tiles of %i overlapping by >= %i', (length, tile, overlap) => {
    const starts = axisStarts(length, tile, overlap);
    expect(starts[0]).toBe(0);
    expect(starts.at(-1)! + tile).toBe(length);
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]).toBeGreaterThan(starts[i - 1]!);
      expect(starts[i - 1]! + tile - starts[i]!).toBeGreaterThanOrEqual(overlap);
    }
    // No more tiles than the overlap needs.
    expect(starts.length).toBe(Math.ceil((length - overlap) / (tile - overlap)));
  });

  it('gives one tile when the tile spans the axis', () => {
    expect(axisStarts(500, 640, 64)).toEqual([0]);
    expect(axisStarts(640, 640, 64)).toEqual([0]);
  });
});

describe('tileGrid', () => {
  it.each([
    [2550, 3300],
    [3300, 2550],
    [2481, 3507],
    [1700, 2200],
    [1300, 1000],
    [1000, 1080], // tiles at 1:1
  ])(
    'tiles a %ix%i page at TILE_ZOOM times the whole-page scale, overlapping, covering it',
    (width, height) => {
      const tiles = tileGrid(width, height, IMGSZ);
      expect(tiles.length).toBeGreaterThan(1);
      const pageScale = letterboxGeometry(width, height, IMGSZ).innerWidth / width;
      for (const t of tiles) {
        expect(t.x).toBeGreaterThanOrEqual(0);
        expect(t.y).toBeGreaterThanOrEqual(0);
        expect(t.x + t.width).toBeLessThanOrEqual(width);
        expect(t.y + t.height).toBeLessThanOrEqual(height);
        const tileScale = letterboxGeometry(t.width, t.height, IMGSZ).innerWidth / t.width;
        expect(tileScale).toBeCloseTo(Math.min(1, TILE_ZOOM * pageScale), 2);
      }
      for (const [axis, length] of [
        ['x', width],
        ['y', height],
      ] as const) {
        const s = spans(tiles, axis);
        const side = s[0]![1] - s[0]![0];
        expect(s[0]![0]).toBe(0);
        expect(s.at(-1)![1]).toBe(length);
        for (let i = 1; i < s.length; i++) {
          const overlap = s[i - 1]![1] - s[i]![0];
          expect(overlap).toBeGreaterThanOrEqual(MIN_TILE_OVERLAP);
          expect(overlap).toBeGreaterThanOrEqual(TILE_OVERLAP_FRACTION * side);
        }
      }
      // A full grid: every row of tiles has every column.
      expect(tiles).toHaveLength(spans(tiles, 'x').length * spans(tiles, 'y').length);
    },
  );

  it('never shows the model a tile larger than its own pixels', () => {
    const tiles = tileGrid(900, 1000, IMGSZ);
    expect(tiles.length).toBeGreaterThan(1);
    for (const t of tiles) expect([t.width, t.height]).toEqual([640, 640]);
  });

  it('gives no tiles when one tile would be the whole page', () => {
    expect(tileGrid(640, 640, IMGSZ)).toEqual([]);
    expect(tileGrid(300, 500, IMGSZ)).toEqual([]);
  });

  it('follows a non-square model input', () => {
    const tiles = tileGrid(4000, 3000, [480, 640]);
    for (const t of tiles) expect(t.width / t.height).toBeCloseTo(640 / 480, 2);
  });
});

describe('wantsTiles', () => {
  it('tiles by mode, and in auto only pages much larger than the model input', () => {
    const limit = AUTO_TILE_FACTOR * 640;
    expect(wantsTiles('off', 5000, 5000, IMGSZ)).toBe(false);
    expect(wantsTiles('on', 700, 500, IMGSZ)).toBe(true);
    expect(wantsTiles('auto', limit, 500, IMGSZ)).toBe(false);
    expect(wantsTiles('auto', 500, limit + 1, IMGSZ)).toBe(true);
  });
});

describe('cropRgb and tileToPage', () => {
  it('cuts the tile pixels out of the page and maps tile boxes back to page pixels', () => {
    const width = 7;
    const height = 5;
    // Each pixel holds its own coordinates.
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set([x, y, 9], (y * width + x) * 3);
    const tile = { x: 2, y: 1, width: 4, height: 3 };
    const crop = cropRgb(rgb, width, tile);
    expect(crop).toHaveLength(4 * 3 * 3);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++)
        expect([...crop.subarray((y * 4 + x) * 3, (y * 4 + x) * 3 + 3)]).toEqual([x + 2, y + 1, 9]);
    expect(tileToPage([0, 0, 4, 3], tile)).toEqual([2, 1, 6, 4]);
  });
});

describe('touchesInnerEdge', () => {
  const page = { width: 3000, height: 2000 };
  const tile = { x: 1000, y: 0, width: 1200, height: 1200 };
  const cut = (box: Box): boolean => touchesInnerEdge(box, tile, page.width, page.height, 3);

  it('drops boxes cut by an inner tile edge', () => {
    expect(cut([1000, 500, 1020, 520])).toBe(true); // left edge
    expect(cut([2185, 500, 2200, 520])).toBe(true); // right edge
    expect(cut([1500, 1190, 1520, 1200])).toBe(true); // bottom edge
    expect(cut([1002, 500, 1030, 528])).toBe(true); // within the margin
  });

  it('keeps boxes inside the tile and boxes on the page edge', () => {
    expect(cut([1500, 500, 1530, 530])).toBe(false);
    expect(cut([1500, 0, 1530, 20])).toBe(false); // the tile's top edge is the page's
    const corner = { x: 1800, y: 800, width: 1200, height: 1200 };
    expect(touchesInnerEdge([2980, 1980, 3000, 2000], corner, page.width, page.height, 3)).toBe(false);
  });

  it.each([
    [2550, 3300],
    [1700, 2200],
    [1000, 1080],
  ])('on a %ix%i page every box up to the overlap lies whole in some tile', (width, height) => {
    const tiles = tileGrid(width, height, IMGSZ);
    const margin = 6;
    for (const side of [12, 40, MIN_TILE_OVERLAP - 2 * margin]) {
      for (let y = 0; y + side <= height; y += 29) {
        for (let x = 0; x + side <= width; x += 31) {
          const box: Box = [x, y, x + side, y + side];
          const whole = tiles.some(
            (t) =>
              x >= t.x &&
              y >= t.y &&
              x + side <= t.x + t.width &&
              y + side <= t.y + t.height &&
              !touchesInnerEdge(box, t, width, height, margin),
          );
          if (!whole) expect.fail(`box ${JSON.stringify(box)} is cut by every tile that holds it`);
        }
      }
    }
  });
});
