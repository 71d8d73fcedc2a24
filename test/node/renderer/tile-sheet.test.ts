/**
 * Tile sheets: where each image of a request lands in its sheet, and the exact RGBA words written there,
 * including the border that repeats each image's edge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SHEET_GUTTER, fillSheet, packSheet } from '../../../renderer/lib/tile-sheet.ts';
import type { SheetImage } from '../../../renderer/lib/tile-sheet.ts';

/** The RGBA word of an opaque gray (little-endian: R, G, B, A bytes). */
const gray = (v: number) => (0xff000000 | (v << 16) | (v << 8) | v) >>> 0;

function sheetOf(images: SheetImage[]) {
  const placement = packSheet(images);
  const words = new Uint32Array(placement.width * placement.height);
  fillSheet(words, placement, images);
  return { placement, words, at: (x: number, y: number) => words[y * placement.width + x]! };
}

test('images are shelved in payload order, each inside a one-pixel border', () => {
  // cells (image + border): 4×3, 5×4, 3×3; area 41 → shelves 7 wide (⌈√41⌉)
  const { placement } = sheetOf([
    { width: 2, height: 1, pixels: new Uint8Array(2) },
    { width: 3, height: 2, pixels: new Uint8Array(6) },
    { width: 1, height: 1, pixels: new Uint8Array(1) },
  ]);
  assert.equal(SHEET_GUTTER, 1);
  // each cell overflows 7 beside the one before it (4 + 5, 5 + 3), so each starts a shelf: y 0, 3, 3 + 4;
  // the sheet is as wide as its widest cell
  assert.deepEqual([...placement.rects], [1, 1, 2, 1, 1, 4, 3, 2, 1, 8, 1, 1]);
  assert.deepEqual([placement.width, placement.height], [5, 10]);
});

test('every pixel is copied exactly as opaque gray, and the border repeats the nearest edge pixel', () => {
  const pixels = Uint8Array.from([0, 1, 2, 100, 254, 255]); // 3 × 2
  const { placement, at } = sheetOf([{ width: 3, height: 2, pixels }]);
  assert.deepEqual([...placement.rects], [1, 1, 3, 2]);
  assert.deepEqual([placement.width, placement.height], [5, 4]);
  const rows = Array.from({ length: 4 }, (_, y) => Array.from({ length: 5 }, (_, x) => at(x, y)));
  assert.deepEqual(rows, [
    [0, 0, 1, 2, 2].map(gray),
    [0, 0, 1, 2, 2].map(gray),
    [100, 100, 254, 255, 255].map(gray),
    [100, 100, 254, 255, 255].map(gray),
  ]);
});

test('zero-sized images take no cell and write nothing', () => {
  const { placement, words } = sheetOf([
    { width: 0, height: 5, pixels: new Uint8Array(0) },
    { width: 1, height: 1, pixels: Uint8Array.from([7]) },
    { width: 4, height: 0, pixels: new Uint8Array(0) },
  ]);
  assert.deepEqual([...placement.rects], [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual([...words], Array(9).fill(gray(7)));
  assert.deepEqual(packSheet([]), { width: 0, height: 0, rects: new Uint32Array(0) });
});

test('property: cells never overlap or leave the sheet, and each image reads back exactly with its border', () => {
  const image = fc
    .record({ width: fc.integer({ min: 0, max: 40 }), height: fc.integer({ min: 0, max: 40 }), seed: fc.integer({ min: 0, max: 255 }) })
    .map(({ width, height, seed }) => ({ width, height, pixels: Uint8Array.from({ length: width * height }, (_, i) => (seed + i * 31) % 256) }));
  fc.assert(
    fc.property(fc.array(image, { maxLength: 60 }), (images) => {
      const { placement, at } = sheetOf(images);
      const { rects } = placement;
      const cells = images.flatMap((img, i) => {
        if (img.width === 0 || img.height === 0) return [];
        const [x, y, w, h] = [rects[4 * i]!, rects[4 * i + 1]!, rects[4 * i + 2]!, rects[4 * i + 3]!];
        assert.deepEqual([w, h], [img.width, img.height]);
        assert.ok(x >= SHEET_GUTTER && y >= SHEET_GUTTER && x + w + SHEET_GUTTER <= placement.width && y + h + SHEET_GUTTER <= placement.height);
        for (let yy = -SHEET_GUTTER; yy < h + SHEET_GUTTER; yy++) {
          for (let xx = -SHEET_GUTTER; xx < w + SHEET_GUTTER; xx++) {
            const sx = Math.min(w - 1, Math.max(0, xx));
            const sy = Math.min(h - 1, Math.max(0, yy));
            assert.equal(at(x + xx, y + yy), gray(img.pixels[sy * w + sx]!));
          }
        }
        return [{ x0: x - SHEET_GUTTER, y0: y - SHEET_GUTTER, x1: x + w + SHEET_GUTTER, y1: y + h + SHEET_GUTTER }];
      });
      for (let a = 0; a < cells.length; a++) {
        for (let b = a + 1; b < cells.length; b++) {
          const p = cells[a]!;
          const q = cells[b]!;
          assert.ok(p.x1 <= q.x0 || q.x1 <= p.x0 || p.y1 <= q.y0 || q.y1 <= p.y0, 'cells overlap');
        }
      }
    }),
  );
});
