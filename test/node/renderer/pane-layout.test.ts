/** Side panes give way to the mosaic in narrow windows, in proportion, never below their minimums. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AUTO_INSPECTOR_MIN_WINDOW, CENTRE_MIN_WIDTH, INSPECTOR_WIDTH, LIBRARY_WIDTH, paneWidths } from '../../../renderer/lib/pane-layout.ts';

const DEFAULTS = { library: 280, inspector: 320 };

test('wide windows draw the widths the user chose; the inspector shows unless hidden', () => {
  assert.deepEqual(paneWidths(1440, { ...DEFAULTS, inspectorShown: null }), { library: 280, inspector: 320 });
  assert.deepEqual(paneWidths(1440, { ...DEFAULTS, inspectorShown: true }), { library: 280, inspector: 320 });
  assert.deepEqual(paneWidths(1440, { ...DEFAULTS, inspectorShown: false }), { library: 280, inspector: null });
});

test('1024 px, not chosen: library and a 743 px mosaic (was 422), the inspector hidden until asked for', () => {
  assert.deepEqual(paneWidths(1024, { ...DEFAULTS, inspectorShown: null }), { library: 280, inspector: null });
  assert.equal(AUTO_INSPECTOR_MIN_WINDOW, 1200);
  assert.deepEqual(paneWidths(1199, { ...DEFAULTS, inspectorShown: null }).inspector, null);
  assert.notEqual(paneWidths(1200, { ...DEFAULTS, inspectorShown: null }).inspector, null);
});

test('1024 px with the inspector asked for: both panes shrink in proportion, the mosaic keeps 600 px', () => {
  // 178 px must go, from 80 px of slack in the library and 100 in the inspector.
  assert.deepEqual(paneWidths(1024, { ...DEFAULTS, inspectorShown: true }), { library: 201, inspector: 221 });
  assert.equal(1024 - 2 - 201 - 221, CENTRE_MIN_WIDTH);
  // 1100 px: 102 px must go, from 80 px of slack in the library and 100 in the inspector, in proportion.
  assert.deepEqual(paneWidths(1100, { ...DEFAULTS, inspectorShown: true }), { library: 235, inspector: 263 });
  assert.equal(1100 - 2 - 235 - 263, CENTRE_MIN_WIDTH);
});

test('below what the minimums allow, the panes stay at their minimums', () => {
  assert.deepEqual(paneWidths(800, { ...DEFAULTS, inspectorShown: true }), { library: LIBRARY_WIDTH.min, inspector: INSPECTOR_WIDTH.min });
  assert.deepEqual(paneWidths(800, { library: 100, inspector: 9999, inspectorShown: true }), { library: LIBRARY_WIDTH.min, inspector: INSPECTOR_WIDTH.min });
});

test('property: within bounds, never wider than wished, the centre gets its minimum whenever the minimums allow it', () => {
  fc.assert(
    fc.property(fc.integer({ min: 600, max: 4000 }), fc.integer({ min: 0, max: 900 }), fc.option(fc.integer({ min: 0, max: 900 })), (win, lib, ins) => {
      const out = paneWidths(win, { library: lib, inspector: ins ?? 320, inspectorShown: ins !== null });
      assert.ok(out.library >= LIBRARY_WIDTH.min && out.library <= LIBRARY_WIDTH.max);
      assert.ok(out.library <= Math.max(lib, LIBRARY_WIDTH.min));
      assert.equal(out.inspector === null, ins === null);
      if (out.inspector !== null) assert.ok(out.inspector >= INSPECTOR_WIDTH.min && out.inspector <= INSPECTOR_WIDTH.max && out.inspector <= Math.max(ins!, INSPECTOR_WIDTH.min));
      const centre = win - 2 - out.library - (out.inspector ?? 0);
      const minimums = LIBRARY_WIDTH.min + (ins === null ? 0 : INSPECTOR_WIDTH.min);
      if (win - 2 - minimums >= CENTRE_MIN_WIDTH) assert.ok(centre >= CENTRE_MIN_WIDTH, `centre ${centre} at ${win}`);
      assert.ok(Number.isInteger(out.library) && (out.inspector === null || Number.isInteger(out.inspector)));
    }),
  );
});
