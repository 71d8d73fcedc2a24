/**
 * One request's images packed into ONE RGBA sheet (the mosaic draws each tile as a sub-rectangle of it), instead
 * of one ImageBitmap per ROI: scrolling a day passes thousands of small images a second, and a bitmap, a promise
 * and a cache entry per image cost the main thread more than the drawing did. Environment-free: the sheet worker
 * fills the words, the Node tests check them.
 *
 * Each image sits in a cell one pixel larger on every side whose border repeats the image's edge pixels, so a
 * shrunken (bilinear) draw of the sub-rectangle samples exactly what a bitmap of its own would have given at its
 * edges, never a neighbour.
 */
import { GRAY_RGBA } from './paint.ts';

/** Border pixels around each image in a sheet. */
export const SHEET_GUTTER = 1;

export interface SheetImage {
  width: number;
  height: number;
  /** `height` rows of `width` gray values. */
  pixels: Uint8Array;
}

export interface SheetPlacement {
  width: number;
  height: number;
  /** x, y, width, height of image i (the image itself, inside its border) at 4i … 4i+3. */
  rects: Uint32Array;
}

/**
 * Shelf packing in payload order (next fit): rows of cells left to right, a new row when the next cell does not
 * fit. The sheet is about square, and at least as wide as the widest cell. Zero-sized images take no cell.
 */
export function packSheet(sizes: readonly { width: number; height: number }[]): SheetPlacement {
  const pad = 2 * SHEET_GUTTER;
  let area = 0;
  let widest = 0;
  for (const s of sizes) {
    if (s.width === 0 || s.height === 0) continue;
    area += (s.width + pad) * (s.height + pad);
    widest = Math.max(widest, s.width + pad);
  }
  const sheetWidth = Math.max(widest, Math.ceil(Math.sqrt(area)));
  const rects = new Uint32Array(4 * sizes.length);
  let x = 0;
  let y = 0;
  let shelf = 0;
  let used = 0;
  sizes.forEach((s, i) => {
    if (s.width === 0 || s.height === 0) return;
    const w = s.width + pad;
    const h = s.height + pad;
    if (x + w > sheetWidth) {
      y += shelf;
      x = 0;
      shelf = 0;
    }
    rects[4 * i] = x + SHEET_GUTTER;
    rects[4 * i + 1] = y + SHEET_GUTTER;
    rects[4 * i + 2] = s.width;
    rects[4 * i + 3] = s.height;
    x += w;
    shelf = Math.max(shelf, h);
    used = Math.max(used, x);
  });
  return { width: used, height: y + shelf, rects };
}

/**
 * Write each image (opaque gray: R = G = B = value) and its repeated border into `words`, the little-endian RGBA
 * words of a `placement.width`-wide sheet. Pixels outside every cell are left as they are.
 */
export function fillSheet(words: Uint32Array, placement: SheetPlacement, images: readonly SheetImage[]): void {
  const { rects } = placement;
  const stride = placement.width;
  images.forEach((image, i) => {
    const w = rects[4 * i + 2]!;
    const h = rects[4 * i + 3]!;
    if (w === 0 || h === 0) return;
    const left = rects[4 * i]! - SHEET_GUTTER;
    const top = rects[4 * i + 1]! - SHEET_GUTTER;
    const { pixels } = image;
    for (let row = -SHEET_GUTTER; row < h + SHEET_GUTTER; row++) {
      // rows above and below the image repeat its first and last row
      const from = Math.min(h - 1, Math.max(0, row)) * w;
      let to = (top + SHEET_GUTTER + row) * stride + left;
      const first = GRAY_RGBA[pixels[from]!]!;
      for (let g = 0; g < SHEET_GUTTER; g++) words[to++] = first;
      for (let col = 0; col < w; col++) words[to++] = GRAY_RGBA[pixels[from + col]!]!;
      const last = GRAY_RGBA[pixels[from + w - 1]!]!;
      for (let g = 0; g < SHEET_GUTTER; g++) words[to++] = last;
    }
  });
}
