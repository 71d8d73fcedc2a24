/**
 * Mosaic packing: ROI sizes (native camera pixels) → rows of placed tiles, computed before any pixel
 * arrives so the layout never jumps. Environment-free and allocation-light (10 000+ tiles per call).
 *
 * Two modes:
 * - `true-scale` (default): every tile is `zoom × native size`, shelf-packed left to right; a new row
 *   starts when the next tile would overflow; row height = tallest tile; nothing stretched. A tile
 *   wider than the available width is scaled down to fit and flagged `downscaled` (never cropped).
 * - `fit-rows`: justified rows of (nearly) equal height `rowHeight × zoom`, each row scaled so it
 *   fills the width exactly; the last row keeps the target height. Relative scale holds within a row only.
 */

export type LayoutMode = 'true-scale' | 'fit-rows';

export interface TileSize {
  /** Native width in pixels (ADC ROI_WIDTH). */
  width: number;
  /** Native height in pixels (ADC ROI_HEIGHT). */
  height: number;
}

export interface LayoutOptions {
  /** Width available for tiles, in CSS px (the viewport minus padding). */
  width: number;
  /** Screen px per native px (true-scale), or row-height multiplier (fit-rows). Default 1. */
  zoom?: number;
  /** Gap between tiles and between rows, in CSS px. Default 3. */
  gap?: number;
  mode?: LayoutMode;
  /** fit-rows: target row height at zoom 1, in CSS px. Default 120. */
  rowHeight?: number;
}

export interface PlacedTile {
  /** Index into the input array. */
  index: number;
  /** Position relative to the row's top-left corner. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Drawn px per native px for this tile. */
  scale: number;
  /** True-scale mode: shrunk to fit the width (its drawn size is not at `zoom`). */
  downscaled: boolean;
}

export interface LayoutRow {
  /** Top of the row in the mosaic, CSS px. */
  y: number;
  height: number;
  /** Position in the input order of the row's first tile, and one past its last. */
  start: number;
  end: number;
  tiles: PlacedTile[];
  /** Rows without tiles in a view of several bins (sections.ts): a bin's header, or the stand-in for its images. */
  kind?: 'header' | 'placeholder';
  /** The bin (section) the row belongs to, in a view of several bins. */
  section?: number;
}

export interface MosaicLayout {
  rows: LayoutRow[];
  totalHeight: number;
  width: number;
  /** Row number of each input tile. */
  rowOf: Int32Array;
}

const DEFAULTS = { zoom: 1, gap: 3, mode: 'true-scale' as LayoutMode, rowHeight: 120 };

/**
 * The percentage a shrunk tile's badge shows: rounded down, so a tile drawn below true size never claims 100 %
 * (a ROI drawn at 814 of its 818 px is 99 %).
 */
export function downscalePercent(scale: number): number {
  return Math.floor(scale * 100);
}

/** Pack tiles (in display order) into rows; see the module comment for the two modes. */
export function layoutMosaic(sizes: ArrayLike<TileSize>, options: LayoutOptions): MosaicLayout {
  const width = Math.max(1, Math.floor(options.width));
  const zoom = options.zoom ?? DEFAULTS.zoom;
  const gap = options.gap ?? DEFAULTS.gap;
  const mode = options.mode ?? DEFAULTS.mode;
  if (!(zoom > 0) || !Number.isFinite(zoom)) throw new RangeError(`zoom must be > 0, got ${zoom}`);
  if (!(gap >= 0)) throw new RangeError(`gap must be >= 0, got ${gap}`);
  const rowOf = new Int32Array(sizes.length);
  const rows =
    mode === 'fit-rows'
      ? packJustified(sizes, width, gap, (options.rowHeight ?? DEFAULTS.rowHeight) * zoom, rowOf)
      : packShelves(sizes, width, gap, zoom, rowOf);
  const last = rows[rows.length - 1];
  return { rows, totalHeight: last ? last.y + last.height : 0, width, rowOf };
}

function packShelves(sizes: ArrayLike<TileSize>, width: number, gap: number, zoom: number, rowOf: Int32Array): LayoutRow[] {
  const rows: LayoutRow[] = [];
  let tiles: PlacedTile[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let start = 0;
  const close = (end: number): void => {
    rows.push({ y, height: rowHeight, start, end, tiles });
    y += rowHeight + gap;
    tiles = [];
    x = 0;
    rowHeight = 0;
    start = end;
  };
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i]!;
    let w = Math.max(1, Math.round(s.width * zoom));
    let h = Math.max(1, Math.round(s.height * zoom));
    let scale = zoom;
    let downscaled = false;
    if (w > width) {
      scale = width / s.width;
      w = width;
      h = Math.max(1, Math.round(s.height * scale));
      downscaled = true;
    }
    if (tiles.length > 0 && x + w > width) close(i);
    tiles.push({ index: i, x, y: 0, w, h, scale, downscaled });
    rowOf[i] = rows.length;
    x += w + gap;
    if (h > rowHeight) rowHeight = h;
  }
  if (tiles.length > 0) close(sizes.length);
  return rows;
}

function packJustified(sizes: ArrayLike<TileSize>, width: number, gap: number, target: number, rowOf: Int32Array): LayoutRow[] {
  const rows: LayoutRow[] = [];
  let y = 0;
  let start = 0;
  let sumAspect = 0;
  const aspect = (i: number): number => {
    const s = sizes[i]!;
    return Math.max(s.width, 1) / Math.max(s.height, 1);
  };
  // Height that makes tiles [start, end) fill the width exactly.
  const fillHeight = (sum: number, count: number): number => (width - gap * (count - 1)) / sum;
  const emit = (end: number, height: number, justify: boolean): void => {
    const h = Math.max(1, Math.round(height));
    const n = end - start;
    const widths = new Array<number>(n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      widths[k] = Math.max(1, Math.round(aspect(start + k) * height));
      sum += widths[k]!;
    }
    if (justify) {
      // Rounding leaves the row a few px short or long: spread the difference over the widest tiles.
      let diff = width - gap * (n - 1) - sum;
      const byWidth = Array.from({ length: n }, (_, k) => k).sort((a, b) => widths[b]! - widths[a]!);
      for (let pass = 0; diff !== 0 && pass < 1000; pass++) {
        for (const k of byWidth) {
          if (diff === 0) break;
          if (diff < 0 && widths[k]! <= 1) continue;
          widths[k]! += Math.sign(diff);
          diff -= Math.sign(diff);
        }
      }
    }
    const tiles: PlacedTile[] = [];
    let x = 0;
    for (let k = 0; k < n; k++) {
      const i = start + k;
      tiles.push({ index: i, x, y: 0, w: widths[k]!, h, scale: h / Math.max(sizes[i]!.height, 1), downscaled: false });
      rowOf[i] = rows.length;
      x += widths[k]! + gap;
    }
    rows.push({ y, height: h, start, end, tiles });
    y += h + gap;
    start = end;
    sumAspect = 0;
  };
  for (let i = 0; i < sizes.length; i++) {
    const a = aspect(i);
    const count = i - start + 1;
    const naturalWidth = (sumAspect + a) * target + gap * (count - 1);
    if (naturalWidth < width) {
      sumAspect += a;
      continue;
    }
    // Overflow: close the row either with tile i (shorter than target) or before it (taller),
    // whichever height is closer to the target. A lone tile always goes in (it shrinks to fit).
    const withH = fillHeight(sumAspect + a, count);
    if (count === 1) {
      sumAspect = a;
      emit(i + 1, withH, true);
      continue;
    }
    const withoutH = fillHeight(sumAspect, count - 1);
    if (Math.abs(withH - target) <= Math.abs(withoutH - target)) {
      sumAspect += a;
      emit(i + 1, withH, true);
    } else {
      emit(i, withoutH, true);
      sumAspect = a;
      if (a * target >= width) emit(i + 1, fillHeight(a, 1), true);
    }
  }
  if (start < sizes.length) emit(sizes.length, target, false);
  return rows;
}

/** Index (into the layout's rows) of the first row whose bottom edge is at or below `y`. */
export function rowAt(layout: MosaicLayout, y: number): number {
  const rows = layout.rows;
  let lo = 0;
  let hi = rows.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid]!;
    if (r.y + r.height < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/** Keyboard navigation: the tile reached from `index` by an arrow key (stays put at the edges). */
export function neighbourTile(layout: MosaicLayout, index: number, direction: Direction): number {
  const count = layout.rowOf.length;
  if (count === 0) return -1;
  if (index < 0) return 0;
  if (direction === 'left') return Math.max(0, index - 1);
  if (direction === 'right') return Math.min(count - 1, index + 1);
  const targetRow = tileRowFrom(layout, layout.rowOf[index]! + (direction === 'up' ? -1 : 1), direction === 'up' ? -1 : 1);
  if (targetRow < 0) return index;
  return tileNearestX(layout, targetRow, tileCentreX(layout, index));
}

/** The first row from `row` on, in steps of `step`, that holds tiles (header and placeholder rows hold none); -1 if none. */
function tileRowFrom(layout: MosaicLayout, row: number, step: 1 | -1): number {
  for (let r = row; r >= 0 && r < layout.rows.length; r += step) if (layout.rows[r]!.tiles.length > 0) return r;
  return -1;
}

/** Horizontal centre of a tile. */
export function tileCentreX(layout: MosaicLayout, index: number): number {
  const row = layout.rows[layout.rowOf[index]!]!;
  const t = row.tiles[index - row.start]!;
  return t.x + t.w / 2;
}

/** The tile of `rowIndex` whose horizontal span is nearest to `x`. */
export function tileNearestX(layout: MosaicLayout, rowIndex: number, x: number): number {
  const row = layout.rows[rowIndex]!;
  let best = row.start;
  let bestDistance = Infinity;
  for (const t of row.tiles) {
    const d = x < t.x ? t.x - x : x > t.x + t.w ? x - (t.x + t.w) : 0;
    if (d < bestDistance) {
      bestDistance = d;
      best = t.index;
    }
  }
  return best;
}

/**
 * The tile whose box holds the point (mosaic coordinates), or -1 in a gap, a header or below the last row: what a
 * click hits. Found from the layout, as the canvas draws it, so it does not need the tile's element in the DOM.
 */
export function tileAt(layout: MosaicLayout, x: number, y: number): number {
  const r = rowAt(layout, y);
  const row = layout.rows[r];
  if (!row || y < row.y) return -1;
  for (const t of row.tiles) {
    const ty = row.y + t.y;
    if (x >= t.x && x < t.x + t.w && y >= ty && y < ty + t.h) return t.index;
  }
  return -1;
}

/** Tiles whose boxes intersect the rectangle (mosaic coordinates), in display order: rubber-band selection. */
export function tilesInRect(layout: MosaicLayout, rect: { x: number; y: number; w: number; h: number }): number[] {
  const out: number[] = [];
  const x0 = Math.min(rect.x, rect.x + rect.w);
  const x1 = Math.max(rect.x, rect.x + rect.w);
  const y0 = Math.min(rect.y, rect.y + rect.h);
  const y1 = Math.max(rect.y, rect.y + rect.h);
  for (let r = Math.max(0, rowAt(layout, y0)); r < layout.rows.length; r++) {
    const row = layout.rows[r]!;
    if (row.y > y1) break;
    for (const t of row.tiles) {
      const ty = row.y + t.y;
      if (t.x < x1 && t.x + t.w > x0 && ty < y1 && ty + t.h > y0) out.push(t.index);
    }
  }
  return out;
}

/** The row that a page-sized jump from `index` lands on: rows whose top lies `pageHeight` further. */
export function pageTile(layout: MosaicLayout, index: number, pageHeight: number, direction: 'up' | 'down'): number {
  const count = layout.rowOf.length;
  if (count === 0) return -1;
  const from = Math.max(0, index);
  const row = layout.rows[layout.rowOf[from]!]!;
  const y = direction === 'down' ? row.y + pageHeight : row.y - pageHeight;
  const landed = Math.min(layout.rows.length - 1, Math.max(0, rowAt(layout, y)));
  const step = direction === 'down' ? 1 : -1;
  let targetRow = tileRowFrom(layout, landed, step);
  if (targetRow < 0) targetRow = tileRowFrom(layout, landed, step === 1 ? -1 : 1);
  return tileNearestX(layout, targetRow, tileCentreX(layout, from));
}
