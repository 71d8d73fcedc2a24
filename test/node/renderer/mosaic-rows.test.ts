/**
 * Mosaic rows keep their identity (the virtual row key) when a bin above them is let go or arrives in a range:
 * their display indices shift, what they show does not, so React keeps their DOM instead of remounting the screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowIdentity } from '../../../renderer/components/mosaic.tsx';
import { roiKey } from '../../../shared/mosaic/keys.ts';
import { layoutSections } from '../../../shared/mosaic/sections.ts';

const OPTIONS = { width: 300, zoom: 1, gap: 3, mode: 'true-scale' as const, headerHeight: 30 };
/** Bin `slot` of a range: `n` images of 40 × 30 px, targets 1…n. */
const bin = (slot: number, n: number) => ({ slot, keys: Array.from({ length: n }, (_, i) => roiKey(slot, i + 1)) });
const BINS = [bin(0, 20), bin(1, 20), bin(2, 20)];

/** The layout of the range with the bins in `loaded` laid out, and the display keys in order. */
function rangeLayout(loaded: number[]) {
  const keys = BINS.filter((b) => loaded.includes(b.slot)).flatMap((b) => b.keys);
  const layout = layoutSections(
    BINS.map((b) => ({
      header: true,
      sizes: loaded.includes(b.slot) ? () => b.keys.map(() => ({ width: 40, height: 30 })) : null,
      expectedImages: b.keys.length,
      knownHeight: 100,
    })),
    OPTIONS,
  );
  return { keys, rows: layout.rows };
}

test('a row of the last bin has the same identity before and after the first bin is let go', () => {
  const all = rangeLayout([0, 1, 2]);
  const without = rangeLayout([1, 2]);
  const lastRows = (l: ReturnType<typeof rangeLayout>) => l.rows.filter((r) => r.section === 2 && r.tiles.length > 0);
  const before = lastRows(all);
  const after = lastRows(without);
  assert.ok(before.length > 1);
  // display indices moved by the 20 images of bin 0 …
  assert.deepEqual(after.map((r) => r.start + 20), before.map((r) => r.start));
  // … their identities did not
  assert.deepEqual(after.map((r) => rowIdentity(r, without.keys)), before.map((r) => rowIdentity(r, all.keys)));
  assert.equal(rowIdentity(before[0]!, all.keys), `tiles:2:${roiKey(2, 1)}`);
});

test('identities are unique within a layout: headers, placeholders and rows of tiles', () => {
  for (const loaded of [[0, 1, 2], [1], []]) {
    const { rows, keys } = rangeLayout(loaded);
    const ids = rows.map((r) => rowIdentity(r, keys));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids.filter((id) => id.startsWith('header')), ['header:0:', 'header:1:', 'header:2:']);
    assert.equal(ids.filter((id) => id.startsWith('placeholder')).length, 3 - loaded.length);
  }
});
