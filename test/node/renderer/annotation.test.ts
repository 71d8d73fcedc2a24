/**
 * The annotation decisions (renderer/lib/annotation.ts), the blob edge (renderer/lib/blob-outline.ts) and the
 * class tables' "confirm the classifier" (renderer/state/classes.ts), with exact values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { changeText, labelScope, movedClass, nextInOrder, paletteOrder, roisOfKeys, searchClasses, validClassName } from '../../../renderer/lib/annotation.ts';
import { maskEdge } from '../../../renderer/lib/blob-outline.ts';
import { withClassifierConfirmed } from '../../../renderer/state/classes.ts';
import { roiKey } from '../../../shared/mosaic/keys.ts';
import type { BinClasses } from '../../../shared/ipc/contract.ts';

describe('palette order', () => {
  it('the user’s order first (known names only, once), then the rest by name, case-insensitively', () => {
    assert.deepEqual(paletteOrder(['diatom', 'Ciliates', 'Akashiwo', 'zoo', 'Bacillaria'], ['zoo', 'gone', 'diatom', 'zoo']), ['zoo', 'diatom', 'Akashiwo', 'Bacillaria', 'Ciliates']);
    assert.deepEqual(paletteOrder(new Set(['b', 'B', 'a']), []), ['a', 'B', 'b']);
  });

  it('moving a class keeps every other in place and stops at the ends', () => {
    assert.deepEqual(movedClass(['a', 'b', 'c', 'd'], 'c', -1), ['a', 'c', 'b', 'd']);
    assert.deepEqual(movedClass(['a', 'b', 'c', 'd'], 'a', -1), ['a', 'b', 'c', 'd']);
    assert.deepEqual(movedClass(['a', 'b', 'c', 'd'], 'b', 5), ['a', 'c', 'd', 'b']);
    assert.deepEqual(movedClass(['a', 'b'], 'x', 1), ['a', 'b']);
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1 }), fc.nat(), fc.integer({ min: -20, max: 20 }), (names, pick, delta) => {
        const name = names[pick % names.length]!;
        const moved = movedClass(names, name, delta);
        assert.deepEqual([...moved].sort(), [...names].sort());
        assert.equal(moved.indexOf(name), Math.max(0, Math.min(names.length - 1, names.indexOf(name) + delta)));
      }),
    );
  });

  it('a new class name is trimmed and must be one the library can store', () => {
    assert.equal(validClassName('  Ciliates '), 'Ciliates');
    assert.equal(validClassName('   '), null);
    assert.equal(validClassName('bad\nname'), null);
    assert.equal(validClassName('x'.repeat(201)), null);
  });
});

describe('type-to-search', () => {
  const names = ['Mesodinium_rubrum', 'Dinophysis', 'dino', 'Prorocentrum_micans', 'Ciliates', 'Akashiwo'];
  it('exact, then prefix, then word start, then substring, then letters in order; ties in palette order', () => {
    assert.deepEqual(searchClasses('dino', names), ['dino', 'Dinophysis']);
    assert.deepEqual(searchClasses('rub', names), ['Mesodinium_rubrum']);
    assert.deepEqual(searchClasses('mic', names), ['Prorocentrum_micans']);
    assert.deepEqual(searchClasses('mesrub', names), ['Mesodinium_rubrum']);
    assert.deepEqual(searchClasses('A', names), ['Akashiwo', 'Prorocentrum_micans', 'Ciliates']);
    assert.deepEqual(searchClasses('  ', names), names);
    assert.deepEqual(searchClasses('zzz', names), []);
  });

  it('every result holds the query’s letters in order; every name that does is found', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 8 }), { maxLength: 12 }), fc.string({ minLength: 1, maxLength: 3 }), (list, query) => {
        const q = query.trim().toLowerCase();
        fc.pre(q !== '');
        const found = searchClasses(query, list);
        const holds = (n: string) => {
          let j = 0;
          for (const ch of n.toLowerCase()) if (ch === q[j]) j++;
          return j >= q.length;
        };
        assert.deepEqual([...found].sort(), list.filter(holds).sort());
      }),
    );
  });
});

describe('what a key press labels', () => {
  it('the selection (focus stays), else the focus tile (focus moves on), else nothing', () => {
    assert.deepEqual(labelScope(new Set([5, 3]), 3), { keys: [5, 3], advance: false });
    assert.deepEqual(labelScope(new Set(), 7), { keys: [7], advance: true });
    assert.deepEqual(labelScope(new Set(), null), { keys: [], advance: false });
    assert.equal(nextInOrder([4, 9, 2], 9), 2);
    assert.equal(nextInOrder([4, 9, 2], 2), null);
    assert.equal(nextInOrder([4, 9, 2], 5), null);
  });

  it('keys of several bins become one request per bin, targets ascending, slots without a bin left out', () => {
    const ids = ['A', 'B'];
    assert.deepEqual(
      roisOfKeys([roiKey(1, 7), roiKey(0, 9), roiKey(1, 2), roiKey(0, 3), roiKey(4, 1)], (slot) => ids[slot]),
      [
        { binId: 'A', targets: [3, 9] },
        { binId: 'B', targets: [2, 7] },
      ],
    );
  });

  it('the toast names the change', () => {
    assert.equal(changeText('Undid', { kind: 'set', rois: [{ targets: [1, 2] }, { targets: Array.from({ length: 10 }, (_, i) => i) }], label: 'Ciliates' }), 'Undid: 12 images → Ciliates');
    assert.equal(changeText('Labelled', { kind: 'set', rois: [{ targets: [4] }], label: null }), 'Labelled: 1 image → not reviewed');
    assert.equal(changeText('Redid', { kind: 'confirm', rois: [{ targets: [1, 2, 3] }], label: null }), 'Redid: classifier confirmed for 3 images');
    assert.equal(changeText('Labelled', { kind: 'confirm', rois: [{ targets: [1] }], label: null }), 'Confirmed: classifier confirmed for 1 image');
    assert.equal(changeText('Undid', { kind: 'import', rois: [{ targets: [1, 2] }], label: null }), 'Undid: import of 2 labels');
  });
});

describe('blob edge', () => {
  it('mask pixels with a 4-neighbour outside the mask or the image', () => {
    // prettier-ignore
    const mask = Uint8Array.from([
      0, 255, 255, 255, 0,
      0, 255, 255, 255, 0,
      0, 255, 255, 255, 255,
      0, 0,   0,   255, 0,
    ]);
    // prettier-ignore
    assert.deepEqual([...maskEdge(mask, 5, 4)], [
      0, 1, 1, 1, 0,
      0, 1, 0, 1, 0,
      0, 1, 1, 0, 1,
      0, 0, 0, 1, 0,
    ]);
    assert.deepEqual([...maskEdge(Uint8Array.from([255, 255, 255, 255]), 2, 2)], [1, 1, 1, 1]);
  });
});

describe('confirm the classifier in the class tables', () => {
  const table: BinClasses = {
    binId: 'D20220522T003051_IFCB134',
    classes: ['A', 'B', 'unclassified'],
    classifierName: null,
    sources: [],
    hasThresholds: true,
    targets: [2, 3, 5, 8],
    auto: [0, 1, 1, -1],
    score: [0.9, 0.4, 0.8, null],
    above: [0, 2, 1, -1],
    manual: [-1, 0, -1, -1],
    sizes: null,
    blobs: null,
    counts: [],
    mlAnalyzed: 2,
    unmatched: [],
    problems: [],
  };
  it('each ROI takes its class above threshold; an unscored one is left alone; counts follow', () => {
    const t = withClassifierConfirmed(table, [2, 3, 5, 8]);
    assert.deepEqual(t.manual, [0, 2, 1, -1]);
    assert.deepEqual(t.counts, [
      { class: 'A', count: 1, concentration: 0.5, manual: 1 },
      { class: 'B', count: 1, concentration: 0.5, manual: 1 },
      { class: 'unclassified', count: 1, concentration: 0.5, manual: 1 },
    ]);
    assert.deepEqual(withClassifierConfirmed(table, [8]).manual, table.manual);
  });
});
