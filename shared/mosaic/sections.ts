/**
 * The layout of a view over several bins: one mosaic in which each bin's images follow a slim header row, and a
 * bin whose geometry has not arrived yet holds a placeholder row sized from its image count, so the scroll height
 * is about right before anything is fetched. Header and placeholder rows are rows without tiles (`kind`), which
 * the navigation helpers of layout.ts step over. Environment-free.
 */
import { layoutMosaic } from './layout.ts';
import type { LayoutOptions, LayoutRow, MosaicLayout, TileSize } from './layout.ts';

export interface SectionInput {
  /** Whether a header row precedes the tiles (range views; a single bin has none). */
  header: boolean;
  /** Tile sizes in display order (asked only when not cached), or null while the bin's geometry is not known. */
  sizes: (() => ArrayLike<TileSize>) | null;
  /** An object that stands for these sizes while they are unchanged: with a cache, the section is packed once. */
  identity?: object;
  /** Images expected while `sizes` is null (for the placeholder's height). */
  expectedImages: number;
  /** The height its tiles took when last laid out at these options (a bin let go): the placeholder keeps it. */
  knownHeight?: number;
}

export interface SectionLayoutOptions extends LayoutOptions {
  /** Height of a header row, CSS px. */
  headerHeight: number;
}

export interface SectionedLayout extends MosaicLayout {
  /** First row of each section (its header row when it has one). */
  sectionRow: number[];
  /** Height of each section below its header (its tiles or its placeholder; 0 when empty). */
  sectionHeight: number[];
}

/**
 * Packed sections by identity, so a bin arriving in a range packs only itself: the bins above it keep their
 * packing (and their tile objects); only rows are re-placed.
 */
export type SectionCache = WeakMap<object, { key: string; own: MosaicLayout }>;

/** Mean IFCB ROI, native px: sizes a placeholder so the scroll height barely changes when the bin arrives. */
const TYPICAL_ROI = { width: 90, height: 60 };

/** Height of the placeholder of a bin expected to hold `images` images. */
export function placeholderHeight(images: number, width: number, zoom: number, gap: number): number {
  if (images <= 0) return 0;
  const perRow = Math.max(1, Math.floor((width + gap) / (TYPICAL_ROI.width * zoom + gap)));
  return Math.ceil(images / perRow) * (Math.round(TYPICAL_ROI.height * zoom) + gap) - gap;
}

/** Lay out the sections one after the other; tile indices run on across sections (display order). */
export function layoutSections(sections: readonly SectionInput[], options: SectionLayoutOptions, cache?: SectionCache): SectionedLayout {
  const gap = options.gap ?? 3;
  const zoom = options.zoom ?? 1;
  const width = Math.max(1, Math.floor(options.width));
  const rows: LayoutRow[] = [];
  const sectionRow: number[] = [];
  const sectionHeight: number[] = [];
  // Each section is packed with display indices that start where the sections before it end.
  let next = 0;
  const packed = sections.map((s) => {
    if (s.sizes === null) return null;
    const own = packSection(s, next, options, cache);
    next += own.rowOf.length;
    return own;
  });
  const tileCount = next;
  const rowOf = new Int32Array(tileCount);
  let y = 0;
  let start = 0;
  sections.forEach((s, section) => {
    sectionRow.push(rows.length);
    if (s.header) {
      rows.push({ y, height: options.headerHeight, start, end: start, tiles: [], kind: 'header', section });
      y += options.headerHeight + gap;
    }
    if (s.sizes === null) {
      const height = s.knownHeight ?? placeholderHeight(s.expectedImages, width, zoom, gap);
      sectionHeight.push(height);
      if (height > 0) {
        rows.push({ y, height, start, end: start, tiles: [], kind: 'placeholder', section });
        y += height + gap;
      }
      return;
    }
    const own = packed[section]!;
    const firstRow = rows.length;
    for (const row of own.rows) rows.push({ ...row, y: y + row.y, section });
    for (let i = 0; i < own.rowOf.length; i++) rowOf[start + i] = own.rowOf[i]! + firstRow;
    sectionHeight.push(own.rows.length > 0 ? own.totalHeight : 0);
    if (own.rows.length > 0) y += own.totalHeight + gap;
    start += own.rowOf.length;
  });
  const last = rows[rows.length - 1];
  return { rows, totalHeight: last ? last.y + last.height : 0, width, rowOf, sectionRow, sectionHeight };
}

/**
 * A section packed on its own, its tiles numbered from `start` (its first display index), rows at y 0; from the
 * cache when the same sizes were packed at the same place and options.
 */
function packSection(s: SectionInput, start: number, options: SectionLayoutOptions, cache: SectionCache | undefined): MosaicLayout {
  const key = `${start}:${options.width}:${options.zoom ?? 1}:${options.gap ?? 3}:${options.mode ?? 'true-scale'}:${options.rowHeight ?? ''}`;
  const hit = s.identity ? cache?.get(s.identity) : undefined;
  if (hit && hit.key === key) return hit.own;
  const own = layoutMosaic(s.sizes!(), options);
  // freshly packed, so numbered in place
  for (const row of own.rows) {
    row.start += start;
    row.end += start;
    for (const t of row.tiles) t.index += start;
  }
  if (s.identity && cache) cache.set(s.identity, { key, own });
  return own;
}
