import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_SELECTION, selectedTargets, selectionReducer as r } from '../../../shared/mosaic/selection.ts';
import type { SelectionAction, SelectionState } from '../../../shared/mosaic/selection.ts';

const order = [7, 11, 13, 21, 32, 33];
const run = (...actions: SelectionAction[]): SelectionState => actions.reduce(r, EMPTY_SELECTION);

test('click selects one; ctrl-click toggles; shift-click selects a range in display order', () => {
  let s = run({ type: 'click', target: 11 });
  assert.deepEqual(selectedTargets(s), [11]);
  s = r(s, { type: 'toggle', target: 32 });
  assert.deepEqual(selectedTargets(s), [11, 32]);
  s = r(s, { type: 'toggle', target: 11 });
  assert.deepEqual(selectedTargets(s), [32]);
  // The last clicked tile (even a ctrl-click that deselected it) anchors the next range.
  s = r(s, { type: 'range', target: 21, order });
  assert.deepEqual(selectedTargets(s), [11, 13, 21]);
  assert.equal(s.anchor, 11);
  assert.equal(s.focus, 21);
  s = r(s, { type: 'range', target: 7, order });
  assert.deepEqual(selectedTargets(s), [7, 11]);
  // Ctrl+Shift adds a range to what is there.
  s = r(r(s, { type: 'toggle', target: 32 }), { type: 'range', target: 33, order, additive: true });
  assert.deepEqual(selectedTargets(s), [7, 11, 32, 33]);
});

test('ranges follow the display order, not target numbers', () => {
  const sorted = [33, 7, 21, 11, 32, 13];
  const s = run({ type: 'click', target: 21 }, { type: 'range', target: 13, order: sorted });
  assert.deepEqual(selectedTargets(s), [11, 13, 21, 32]);
});

test('keyboard: arrows move focus only; shift extends from the anchor; space toggles', () => {
  let s = run({ type: 'move', target: 7, order });
  assert.equal(s.focus, 7);
  assert.equal(s.selected.size, 0);
  s = r(s, { type: 'move', target: 11, order, extend: true });
  s = r(s, { type: 'move', target: 13, order, extend: true });
  assert.deepEqual(selectedTargets(s), [7, 11, 13]);
  s = r(s, { type: 'move', target: 11, order, extend: true });
  assert.deepEqual(selectedTargets(s), [7, 11]);
  s = r(s, { type: 'move', target: 33, order });
  assert.deepEqual(selectedTargets(s), [7, 11]);
  s = r(s, { type: 'toggle', target: s.focus! });
  assert.deepEqual(selectedTargets(s), [7, 11, 33]);
});

test('all / none / invert act on the displayed tiles; hidden selections survive invert', () => {
  let s = run({ type: 'click', target: 99 }, { type: 'toggle', target: 7 });
  s = r(s, { type: 'invert', order });
  assert.deepEqual(selectedTargets(s), [11, 13, 21, 32, 33, 99]);
  s = r(s, { type: 'none' });
  assert.equal(s.selected.size, 0);
  assert.equal(r(s, { type: 'none' }), s);
  s = r(s, { type: 'all', order });
  assert.deepEqual(selectedTargets(s), order);
});

test('rubber band replaces, or adds with ctrl', () => {
  let s = run({ type: 'click', target: 7 }, { type: 'band', targets: [13, 21] });
  assert.deepEqual(selectedTargets(s), [13, 21]);
  s = r(s, { type: 'band', targets: [32], additive: true });
  assert.deepEqual(selectedTargets(s), [13, 21, 32]);
  assert.equal(s.focus, 32);
  s = r(s, { type: 'reset', selected: [1, 2] });
  assert.deepEqual([selectedTargets(s), s.anchor, s.focus], [[1, 2], null, null]);
});
