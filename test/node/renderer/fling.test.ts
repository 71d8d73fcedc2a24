/**
 * A fling mounts rows without their tiles; what counts as one, and which rows keep their tiles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dressedRows, flingFrom, FLING_SAMPLE_MS, FLING_SCREENS_PER_SECOND } from '../../../renderer/lib/fling.ts';

const VIEW = 900;
/** px per `dt` ms at exactly the threshold speed. */
const atThreshold = (dt: number) => (FLING_SCREENS_PER_SECOND * VIEW * dt) / 1000;

test('a speed above the threshold is a fling, at or below it is not, in either direction', () => {
  const from = { time: 1000, top: 5000 };
  assert.equal(flingFrom(from, { time: 1016, top: 5000 + atThreshold(16) + 1 }, VIEW), true);
  assert.equal(flingFrom(from, { time: 1016, top: 5000 - atThreshold(16) - 1 }, VIEW), true, 'upwards');
  assert.equal(flingFrom(from, { time: 1010, top: 5000 + atThreshold(10) }, VIEW), false, 'exactly the threshold');
  assert.equal(flingFrom(from, { time: 1040, top: 5100 }, VIEW), false, 'a wheel notch (100 px) every 40 ms is read, not flung');
});

test('a jump is never a fling: the first event, or one long after the last', () => {
  assert.equal(flingFrom(null, { time: 0, top: 300_000 }, VIEW), false);
  assert.equal(flingFrom({ time: 0, top: 0 }, { time: FLING_SAMPLE_MS + 1, top: 300_000 }, VIEW), false);
  assert.equal(flingFrom({ time: 0, top: 0 }, { time: FLING_SAMPLE_MS, top: 300_000 }, VIEW), true, 'within the sample window');
});

test('two events at one instant tell nothing', () => {
  assert.equal(flingFrom({ time: 5, top: 0 }, { time: 5, top: 9000 }, VIEW), null);
  assert.equal(flingFrom({ time: 5, top: 0 }, { time: 4, top: 9000 }, VIEW), null, 'a clock that stepped back');
});

test('the threshold scales with the viewport; a zero-height viewport still has one', () => {
  const from = { time: 0, top: 0 };
  // 30 px in 10 ms = 3,000 px/s: below 4 screens/s of 800 px, above 4 of 700 px
  assert.equal(flingFrom(from, { time: 10, top: 30 }, 800), false);
  assert.equal(flingFrom(from, { time: 10, top: 30 }, 700), true);
  assert.equal(flingFrom(from, { time: 10, top: 1 }, 0), true);
  assert.equal(flingFrom(from, { time: 10, top: 0 }, 0), false);
});

test('during a fling only rows that had their tiles keep them; after it every row has them', () => {
  const before = new Set(['a', 'b']);
  assert.deepEqual([...dressedRows(['b', 'c', 'd'], true, before)], ['b']);
  assert.deepEqual([...dressedRows(['b', 'c', 'd'], false, before)], ['b', 'c', 'd']);
  assert.deepEqual([...dressedRows([], true, before)], []);
});

test('dressed rows are always rows on screen, and all of them when not flinging', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 50 })), fc.uniqueArray(fc.integer({ min: 0, max: 50 })), fc.boolean(), (rows, before, flinging) => {
      const out = dressedRows(rows, flinging, new Set(before));
      for (const key of out) assert.ok(rows.includes(key));
      if (!flinging) assert.equal(out.size, rows.length);
      else for (const key of rows) assert.equal(out.has(key), before.includes(key));
    }),
  );
});
