/** The library list's multi-selection: Ctrl/⌘+click toggles, Shift extends a run from the anchor, Escape clears. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NO_SELECTION, anchorAt, extendTo, selectedInTimeOrder, toggleBin } from '../../../renderer/lib/bin-selection.ts';
import type { BinSelection } from '../../../renderer/lib/bin-selection.ts';
import type { CatalogueBin } from '../../../shared/ipc/contract.ts';

const ORDER = ['a', 'b', 'c', 'd', 'e', 'f'];
const ids = (sel: BinSelection) => [...sel.selected].sort();

test('toggle: a bin goes in, then out again, and is the anchor either way', () => {
  const one = toggleBin(NO_SELECTION, 'c');
  assert.deepEqual(ids(one), ['c']);
  assert.equal(one.anchor, 'c');
  const two = toggleBin(one, 'e');
  assert.deepEqual(ids(two), ['c', 'e']);
  const back = toggleBin(two, 'c');
  assert.deepEqual(ids(back), ['e']);
  assert.equal(back.anchor, 'c');
  assert.deepEqual(ids(NO_SELECTION), [], 'the empty selection is never changed in place');
});

test('extend: the run from the anchor is added to what was selected, and shrinks when the target comes back', () => {
  const base = toggleBin(toggleBin(NO_SELECTION, 'a'), 'c');
  const far = extendTo(base, ORDER, 'e');
  assert.deepEqual(ids(far), ['a', 'c', 'd', 'e']);
  assert.equal(far.anchor, 'c');
  assert.deepEqual(ids(extendTo(far, ORDER, 'd')), ['a', 'c', 'd'], 'the run shrinks, the earlier selection stays');
  assert.deepEqual(ids(extendTo(far, ORDER, 'b')), ['a', 'b', 'c'], 'the run may go the other way');
  assert.deepEqual(ids(extendTo(far, ORDER, 'zz')), ids(far), 'a bin not in the list changes nothing');
});

test('extend with no anchor: from the given start (the cursor), else the target alone', () => {
  assert.deepEqual(ids(extendTo(NO_SELECTION, ORDER, 'd', 'b')), ['b', 'c', 'd']);
  assert.deepEqual(ids(extendTo(NO_SELECTION, ORDER, 'd')), ['d']);
  const moved = anchorAt(toggleBin(NO_SELECTION, 'a'), 'e');
  assert.deepEqual(ids(moved), ['a'], 'a plain move keeps the selection');
  assert.deepEqual(ids(extendTo(moved, ORDER, 'f')), ['a', 'e', 'f'], 'and the next run starts where it moved');
});

test('selected bins come out oldest first, whatever the list order', () => {
  const bin = (id: string, epochMs: number) => ({ id, epochMs }) as CatalogueBin;
  const newestFirst = [bin('D3', 3000), bin('D2b', 2000), bin('D2a', 2000), bin('D1', 1000)];
  assert.deepEqual(
    selectedInTimeOrder(newestFirst, new Set(['D3', 'D2b', 'D2a', 'D1', 'gone'])).map((b) => b.id),
    ['D1', 'D2a', 'D2b', 'D3'],
  );
  assert.deepEqual(selectedInTimeOrder(newestFirst, new Set(['D1', 'D3'])).map((b) => b.id), ['D1', 'D3']);
});

test('property: any sequence of toggles and runs equals a plain model of set operations', () => {
  const action = fc.oneof(
    fc.record({ kind: fc.constant('toggle' as const), at: fc.integer({ min: 0, max: ORDER.length - 1 }) }),
    fc.record({ kind: fc.constant('extend' as const), at: fc.integer({ min: 0, max: ORDER.length - 1 }) }),
    fc.record({ kind: fc.constant('move' as const), at: fc.integer({ min: 0, max: ORDER.length - 1 }) }),
  );
  fc.assert(
    fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
      let sel = NO_SELECTION;
      let model = new Set<string>();
      let base = new Set<string>();
      let anchor: number | null = null;
      for (const { kind, at } of actions) {
        const id = ORDER[at]!;
        if (kind === 'toggle') {
          model = new Set(model);
          if (model.has(id)) model.delete(id);
          else model.add(id);
          base = model;
          anchor = at;
          sel = toggleBin(sel, id);
        } else if (kind === 'move') {
          base = model;
          anchor = at;
          sel = anchorAt(sel, id);
        } else {
          anchor ??= at;
          model = new Set(base);
          for (let i = Math.min(anchor, at); i <= Math.max(anchor, at); i++) model.add(ORDER[i]!);
          sel = extendTo(sel, ORDER, id);
        }
        assert.deepEqual(ids(sel), [...model].sort());
        // A run always holds both of its ends.
        if (kind === 'extend') assert.ok(sel.selected.has(id) && sel.selected.has(ORDER[anchor]!));
      }
    }),
  );
});
