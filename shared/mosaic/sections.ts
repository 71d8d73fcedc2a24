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
  /** Tile sizes in display order, or null while the bin's geometry is not known. */
  sizes: ArrayLike<TileSize> | null;
  /** Images expected while `sizes` is null (for the placeholder's height). */
  expectedImages: number;
}

export interface SectionLayoutOptions extends LayoutOptions {
  /** Height of a header row, CSS px. */
  headerHeight: number;
}

export interface SectionedLayout extends MosaicLayout {
  /** First row of each section (its header row when it has one). */
  sectionRow: number[];
}

/** Mean IFCB ROI, native px: sizes a placeholder so the scroll height barely changes when the bin arrives. */
const TYPICAL_ROI = { width: 90, height: 60 };

/** Height of the placeholder of a bin expected to hold `images` images. */
export function placeholderHeight(images: number, width: number, zoom: number, gap: number): number {
  if (images <= 0) return 0;
  const perRow = Math.max(1, Math.floor((width + gap) / (TYPICAL_ROI.width * zoom + gap)));
  return Math.ceil(images / perRow) * (Math.round(TYPICAL_ROI.height * zoom) + gap) - gap;
}

/** Lay out the sections one after the other; tile indices run on across sections (display order). */
export function layoutSections(sections: readonly SectionInput[], options: SectionLayoutOptions): SectionedLayout {
  const gap = options.gap ?? 3;
  const zoom = options.zoom ?? 1;
  const width = Math.max(1, Math.floor(options.width));
  const rows: LayoutRow[] = [];
  const sectionRow: number[] = [];
  let tileCount = 0;
  for (const s of sections) tileCount += s.sizes?.length ?? 0;
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
      const height = placeholderHeight(s.expectedImages, width, zoom, gap);
      if (height > 0) {
        rows.push({ y, height, start, end: start, tiles: [], kind: 'placeholder', section });
        y += height + gap;
      }
      return;
    }
    const own = layoutMosaic(s.sizes, options);
    for (const row of own.rows) {
      for (const t of row.tiles) t.index += start;
      rows.push({ ...row, y: y + row.y, start: row.start + start, end: row.end + start, section });
    }
    const firstRow = rows.length - own.rows.length;
    for (let i = 0; i < own.rowOf.length; i++) rowOf[start + i] = own.rowOf[i]! + firstRow;
    if (own.rows.length > 0) y += own.totalHeight + gap;
    start += s.sizes.length;
  });
  const last = rows[rows.length - 1];
  return { rows, totalHeight: last ? last.y + last.height : 0, width, rowOf, sectionRow };
}
