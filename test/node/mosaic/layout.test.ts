import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { downscalePercent, layoutMosaic, neighbourTile, pageTile, rowAt, tileAt, tilesInRect } from '../../../shared/mosaic/layout.ts';

const box = (t: { x: number; y: number; w: number; h: number }) => [t.x, t.y, t.w, t.h];

test('true scale: shelf packing, row height = tallest tile, exact positions', () => {
  const sizes = [
    { width: 100, height: 50 },
    { width: 120, height: 80 },
    { width: 60, height: 30 },
    { width: 90, height: 40 },
  ];
  const l = layoutMosaic(sizes, { width: 300, gap: 4 });
  assert.equal(l.rows.length, 2);
  assert.deepEqual(l.rows[0]!.tiles.map(box), [[0, 0, 100, 50], [104, 0, 120, 80], [228, 0, 60, 30]]);
  assert.deepEqual([l.rows[0]!.y, l.rows[0]!.height, l.rows[0]!.start, l.rows[0]!.end], [0, 80, 0, 3]);
  assert.deepEqual(l.rows[1]!.tiles.map(box), [[0, 0, 90, 40]]);
  assert.deepEqual([l.rows[1]!.y, l.rows[1]!.height], [84, 40]);
  assert.equal(l.totalHeight, 124);
  assert.deepEqual([...l.rowOf], [0, 0, 0, 1]);
});

test('true scale: zoom multiplies every tile (a 300 px ROI is twice a 150 px one)', () => {
  const l = layoutMosaic([{ width: 150, height: 40 }, { width: 300, height: 41 }], { width: 2000, zoom: 1.5, gap: 2 });
  assert.deepEqual(l.rows[0]!.tiles.map(box), [[0, 0, 225, 60], [227, 0, 450, 62]]);
  assert.equal(l.rows[0]!.tiles[1]!.w / l.rows[0]!.tiles[0]!.w, 2);
  assert.equal(l.totalHeight, 62);
});

test('true scale: a ROI wider than the viewport is scaled down to fit and flagged', () => {
  const l = layoutMosaic([{ width: 50, height: 50 }, { width: 800, height: 200 }, { width: 10, height: 10 }], { width: 400, gap: 3 });
  assert.equal(l.rows.length, 3);
  const big = l.rows[1]!.tiles[0]!;
  assert.deepEqual(box(big), [0, 0, 400, 100]);
  assert.equal(big.downscaled, true);
  assert.equal(big.scale, 0.5);
  assert.equal(l.rows[0]!.tiles[0]!.downscaled, false);
  assert.deepEqual([l.rows[0]!.y, l.rows[1]!.y, l.rows[2]!.y], [0, 53, 156]);
});

test('a ROI drawn at 814 of its 818 px is badged 99 %, never 100 % (trial finding)', () => {
  const l = layoutMosaic([{ width: 818, height: 40 }], { width: 814, gap: 3 });
  const tile = l.rows[0]!.tiles[0]!;
  assert.deepEqual([tile.w, tile.downscaled, downscalePercent(tile.scale)], [814, true, 99]);
  assert.equal(downscalePercent(0.5), 50);
});

test('true scale: a tile that exactly fills the remaining width stays on the row', () => {
  const l = layoutMosaic([{ width: 100, height: 10 }, { width: 97, height: 10 }], { width: 200, gap: 3 });
  assert.equal(l.rows.length, 1);
  assert.deepEqual(l.rows[0]!.tiles.map(box), [[0, 0, 100, 10], [103, 0, 97, 10]]);
});

test('fit rows: justified rows fill the width exactly; the last row keeps the target height', () => {
  const sizes = [
    { width: 100, height: 100 },
    { width: 200, height: 100 },
    { width: 100, height: 100 },
    { width: 100, height: 50 },
    { width: 50, height: 100 },
  ];
  const l = layoutMosaic(sizes, { width: 400, gap: 4, mode: 'fit-rows', rowHeight: 100 });
  // Row 1: aspects 1 + 2 + 1 = 4 → height (400 − 8) / 4 = 98.
  assert.deepEqual(l.rows[0]!.tiles.map(box), [[0, 0, 98, 98], [102, 0, 196, 98], [302, 0, 98, 98]]);
  // Row 2: aspects 2 + 0.5 = 2.5 → 254 px at height 100: under 400, so it is the last (unjustified) row.
  assert.deepEqual(l.rows[1]!.tiles.map(box), [[0, 0, 200, 100], [204, 0, 50, 100]]);
  assert.deepEqual([l.rows[1]!.y, l.totalHeight], [102, 202]);
  const first = l.rows[0]!.tiles;
  assert.equal(first[first.length - 1]!.x + first[first.length - 1]!.w, 400);
});

test('fit rows: zoom scales the target row height', () => {
  const l = layoutMosaic([{ width: 30, height: 60 }, { width: 40, height: 40 }], { width: 1000, mode: 'fit-rows', rowHeight: 100, zoom: 0.5, gap: 2 });
  assert.deepEqual(l.rows[0]!.tiles.map(box), [[0, 0, 25, 50], [27, 0, 50, 50]]);
});

test('fit rows: a sliver ROI (aspect 1:245) still gets 1 px and the row still ends at the width', () => {
  const l = layoutMosaic([{ width: 30, height: 24 }, { width: 2, height: 6 }, { width: 1, height: 245 }, { width: 1, height: 1 }], { width: 200, mode: 'fit-rows', gap: 3 });
  const row = l.rows[0]!;
  assert.deepEqual(row.tiles.map((t) => [t.x, t.w]), [[0, 152], [155, 41], [199, 1]]);
  assert.equal(row.height, 122);
});

test('fit rows: every full row ends exactly at the width, for any sizes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ width: fc.integer({ min: 1, max: 1400 }), height: fc.integer({ min: 1, max: 1000 }) }), { minLength: 1, maxLength: 200 }),
      fc.integer({ min: 200, max: 2000 }),
      (sizes, width) => {
        const l = layoutMosaic(sizes, { width, mode: 'fit-rows', gap: 3 });
        const placed = l.rows.reduce((n, r) => n + r.tiles.length, 0);
        assert.equal(placed, sizes.length);
        for (const row of l.rows.slice(0, -1)) {
          const last = row.tiles[row.tiles.length - 1]!;
          assert.equal(last.x + last.w, width);
          for (const t of row.tiles) assert.ok(t.w >= 1);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('true scale invariants: no overlap, nothing beyond the width, order kept', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ width: fc.integer({ min: 1, max: 1400 }), height: fc.integer({ min: 1, max: 1000 }) }), { maxLength: 300 }),
      fc.integer({ min: 50, max: 2000 }),
      fc.constantFrom(0.25, 0.5, 1, 2, 3),
      (sizes, width, zoom) => {
        const l = layoutMosaic(sizes, { width, zoom, gap: 3 });
        let expected = 0;
        let prevBottom = -3;
        for (const row of l.rows) {
          assert.equal(row.y, prevBottom + 3);
          prevBottom = row.y + row.height;
          let x = 0;
          for (const t of row.tiles) {
            assert.equal(t.index, expected++);
            assert.equal(t.x, x);
            assert.ok(t.x + t.w <= width);
            assert.ok(t.h <= row.height);
            if (!t.downscaled) assert.equal(t.w, Math.max(1, Math.round(sizes[t.index]!.width * zoom)));
            x = t.x + t.w + 3;
          }
        }
        assert.equal(expected, sizes.length);
        assert.equal(l.totalHeight, Math.max(0, prevBottom));
      },
    ),
  );
});

// Its speed is measured in test/bench/mosaic-layout.bench.ts (wall-clock limits make flaky tests).
test('packs 100 000 tiles: every tile in exactly one row, rows in order', () => {
  const sizes = Array.from({ length: 100_000 }, (_, i) => ({ width: 16 + ((i * 37) % 240), height: 16 + ((i * 53) % 240) }));
  const l = layoutMosaic(sizes, { width: 1200 });
  assert.equal(l.rowOf.length, 100_000);
  let next = 0;
  for (const [r, row] of l.rows.entries()) {
    assert.equal(row.start, next);
    for (let i = row.start; i < row.end; i++) assert.equal(l.rowOf[i], r);
    next = row.end;
  }
  assert.equal(next, 100_000);
});

test('navigation: arrows, rows above/below by x, page jumps, rubber band', () => {
  const sizes = Array.from({ length: 10 }, () => ({ width: 100, height: 100 }));
  const l = layoutMosaic(sizes, { width: 320, gap: 10 }); // 3 per row: x 0, 110, 220; rows at y 0, 110, 220, 330
  assert.equal(l.rows.length, 4);
  assert.equal(neighbourTile(l, 4, 'up'), 1);
  assert.equal(neighbourTile(l, 4, 'down'), 7);
  assert.equal(neighbourTile(l, 8, 'down'), 9); // last row has one tile at x 0: the nearest
  assert.equal(neighbourTile(l, 9, 'down'), 9);
  assert.equal(neighbourTile(l, 0, 'left'), 0);
  assert.equal(neighbourTile(l, 9, 'right'), 9);
  assert.equal(neighbourTile(l, -1, 'right'), 0);
  assert.equal(rowAt(l, 215), 2);
  assert.equal(rowAt(l, 205), 1);
  assert.equal(pageTile(l, 1, 220, 'down'), 7);
  assert.equal(pageTile(l, 7, 1000, 'up'), 1);
  assert.deepEqual(tilesInRect(l, { x: 50, y: 50, w: 100, h: 100 }), [0, 1, 3, 4]);
  assert.deepEqual(tilesInRect(l, { x: 150, y: 150, w: -100, h: -100 }), [0, 1, 3, 4]);
  assert.deepEqual(tilesInRect(l, { x: 101, y: 0, w: 8, h: 500 }), []);
});

test('hit test: the tile under a point, none in the gaps, in a header row or past the end', () => {
  // 100×50, 60×40 on one row (gap 3), then 120×30 on the next at width 200
  const l = layoutMosaic([{ width: 100, height: 50 }, { width: 60, height: 40 }, { width: 120, height: 30 }], { width: 200, zoom: 1, gap: 3, mode: 'true-scale' });
  assert.equal(tileAt(l, 0, 0), 0);
  assert.equal(tileAt(l, 99.5, 49.5), 0);
  assert.equal(tileAt(l, 100, 10), -1, 'the gap after tile 0');
  assert.equal(tileAt(l, 103, 10), 1);
  assert.equal(tileAt(l, 110, 45), -1, 'below the shorter tile 1, inside its row');
  assert.equal(tileAt(l, 10, 51), -1, 'the gap between rows');
  assert.equal(tileAt(l, 10, 53), 2);
  assert.equal(tileAt(l, 130, 60), -1, 'right of the last tile');
  assert.equal(tileAt(l, 10, 500), -1, 'past the last row');
  assert.equal(tileAt(l, -1, 10), -1);
  assert.equal(tileAt(layoutMosaic([], { width: 200, zoom: 1, gap: 3, mode: 'true-scale' }), 0, 0), -1);
});

test('hit test agrees with the tiles\' boxes for any layout and point', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ width: fc.integer({ min: 1, max: 400 }), height: fc.integer({ min: 1, max: 300 }) }), { minLength: 1, maxLength: 60 }),
      fc.constantFrom<'true-scale' | 'fit-rows'>('true-scale', 'fit-rows'),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (sizes, mode, fx, fy) => {
        const l = layoutMosaic(sizes, { width: 500, zoom: 1, gap: 3, mode });
        const height = l.rows.length > 0 ? l.rows[l.rows.length - 1]!.y + l.rows[l.rows.length - 1]!.height : 0;
        const x = fx * 520 - 10;
        const y = fy * (height + 20) - 10;
        const inside = l.rows.flatMap((r) => r.tiles.filter((t) => x >= t.x && x < t.x + t.w && y >= r.y + t.y && y < r.y + t.y + t.h).map((t) => t.index));
        assert.ok(inside.length <= 1, 'tiles never overlap');
        assert.equal(tileAt(l, x, y), inside[0] ?? -1);
      },
    ),
  );
});
