/** A mosaic over several bins: headers, placeholders sized from image counts, tiles numbered on across bins, navigation over headers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neighbourTile, pageTile, rowAt, tilesInRect } from '../../../shared/mosaic/layout.ts';
import { layoutSections, placeholderHeight } from '../../../shared/mosaic/sections.ts';
import { KEY_STRIDE, roiId, roiKey, slotOfKey, targetOfKey } from '../../../shared/mosaic/keys.ts';

const sizes = (n: number, w = 100, h = 50) => Array.from({ length: n }, () => ({ width: w, height: h }));

test('each bin is a header row then its tiles; indices and rowOf run on across bins', () => {
  const l = layoutSections(
    [
      { header: true, sizes: () => sizes(3), expectedImages: 3 },
      { header: true, sizes: () => sizes(2, 40, 20), expectedImages: 2 },
    ],
    { width: 210, gap: 5, headerHeight: 30 },
  );
  assert.deepEqual(
    l.rows.map((r) => [r.kind ?? 'tiles', r.section, r.y, r.height, r.start, r.end]),
    [
      ['header', 0, 0, 30, 0, 0],
      ['tiles', 0, 35, 50, 0, 2],
      ['tiles', 0, 90, 50, 2, 3],
      ['header', 1, 145, 30, 3, 3],
      ['tiles', 1, 180, 20, 3, 5],
    ],
  );
  assert.deepEqual([...l.rowOf], [1, 1, 2, 4, 4]);
  assert.deepEqual(l.sectionRow, [0, 3]);
  assert.deepEqual(l.rows[4]!.tiles.map((t) => [t.index, t.x]), [[3, 0], [4, 45]]);
  assert.equal(l.totalHeight, 200);
});

test('a bin without geometry holds a placeholder as tall as its expected images at the typical ROI size', () => {
  assert.equal(placeholderHeight(0, 1000, 1, 3), 0);
  // 1000 px fit 10 tiles of 90 + 3: 25 images are 3 rows of 60 + 3, less the last gap
  assert.equal(placeholderHeight(25, 1000, 1, 3), 3 * 63 - 3);
  const l = layoutSections([{ header: true, sizes: null, expectedImages: 25 }, { header: true, sizes: () => sizes(1), expectedImages: 1 }], { width: 1000, gap: 3, headerHeight: 30 });
  assert.deepEqual(l.rows.map((r) => r.kind ?? 'tiles'), ['header', 'placeholder', 'header', 'tiles']);
  assert.equal(l.rows[1]!.height, 186);
  assert.equal(l.rows[3]!.start, 0);
});

test('arrows, Page keys and the rubber band step over header rows into the next bin', () => {
  const l = layoutSections(
    [
      { header: true, sizes: () => sizes(2), expectedImages: 2 },
      { header: true, sizes: null, expectedImages: 0 },
      { header: true, sizes: () => sizes(2), expectedImages: 2 },
    ],
    { width: 150, gap: 5, headerHeight: 30 },
  );
  // rows: h0, [0], [1], h1, h2, [2], [3]
  assert.equal(neighbourTile(l, 1, 'down'), 2);
  assert.equal(neighbourTile(l, 2, 'up'), 1);
  assert.equal(neighbourTile(l, 0, 'up'), 0);
  assert.equal(pageTile(l, 0, 100, 'down'), 1);
  assert.equal(pageTile(l, 0, 150, 'down'), 2); // lands on the next bin's header: its first tile
  assert.equal(pageTile(l, 3, 1000, 'up'), 0);
  assert.equal(l.rows[rowAt(l, 0)]!.kind, 'header');
  assert.deepEqual(tilesInRect(l, { x: 0, y: 0, w: 150, h: 1000 }), [0, 1, 2, 3]);
});

test('a cached section is packed once; moved or at another zoom it is packed again', () => {
  const cache = new WeakMap();
  const first = { id: {} };
  const second = { id: {} };
  let packs = 0;
  const input = (id: object, n: number) => ({ header: true, sizes: () => (packs++, sizes(n)), expectedImages: n, identity: id });
  const options = { width: 210, gap: 5, headerHeight: 30 };
  const a = layoutSections([input(first.id, 3), input(second.id, 2)], options, cache);
  const b = layoutSections([input(first.id, 3), input(second.id, 2), { header: true, sizes: null, expectedImages: 9 }], options, cache);
  assert.equal(packs, 2);
  assert.deepEqual(b.rows.slice(0, 5).map((r) => [r.y, r.start, r.end]), a.rows.map((r) => [r.y, r.start, r.end]));
  assert.equal(b.rows[1]!.tiles, a.rows[1]!.tiles);
  // a bin arriving above shifts the second: it is packed again with its new indices
  const c = layoutSections([input({}, 1), input(first.id, 3), input(second.id, 2)], options, cache);
  assert.equal(packs, 5);
  assert.deepEqual(c.rows.filter((r) => r.tiles.length > 0).map((r) => r.tiles.map((t) => t.index)), [[0], [1, 2], [3], [4, 5]]);
  layoutSections([input(first.id, 3)], { ...options, zoom: 2 }, cache);
  assert.equal(packs, 6);
});

test('keys: slot and target come back out; a single bin keeps its target numbers; ids are 5-digit padded', () => {
  for (const [slot, target] of [[0, 1], [0, 10_000_000], [999, 1], [5000, 10_000_000]] as const) {
    const key = roiKey(slot, target);
    assert.equal(slotOfKey(key), slot);
    assert.equal(targetOfKey(key), target);
  }
  assert.equal(roiKey(0, 42), 42);
  assert.ok(KEY_STRIDE > 10_000_000);
  assert.equal(roiId('D20240101T000000_IFCB001', 5), 'D20240101T000000_IFCB001_00005');
  assert.equal(roiId('D20240101T000000_IFCB001', 123456), 'D20240101T000000_IFCB001_123456');
});

test('a bin let go keeps the height its tiles took, so the bins after it stay where they were', () => {
  const options = { width: 210, gap: 5, headerHeight: 30 };
  const loaded = layoutSections(
    [
      { header: true, sizes: () => sizes(3), expectedImages: 3 },
      { header: true, sizes: () => sizes(2, 40, 20), expectedImages: 2 },
    ],
    options,
  );
  assert.deepEqual(loaded.sectionHeight, [105, 20]);
  const dropped = layoutSections(
    [
      { header: true, sizes: null, expectedImages: 3, knownHeight: loaded.sectionHeight[0]! },
      { header: true, sizes: () => sizes(2, 40, 20), expectedImages: 2 },
    ],
    options,
  );
  assert.deepEqual(
    dropped.rows.map((r) => [r.kind ?? 'tiles', r.section, r.y, r.height]),
    [
      ['header', 0, 0, 30],
      ['placeholder', 0, 35, 105],
      ['header', 1, 145, 30],
      ['tiles', 1, 180, 20],
    ],
  );
  assert.equal(dropped.totalHeight, loaded.totalHeight);
  assert.deepEqual(dropped.sectionHeight, [105, 20]);
});
