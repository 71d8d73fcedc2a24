/** shared/classes/filter.ts: class, score, manual-differs, unreviewed and size filters; sorts; per-ROI rows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { classAt, filterRows, sortRows, tableRows } from '../../../shared/classes/filter.ts';
import type { BinClasses } from '../../../shared/ipc/contract.ts';

// classes: 0 Ciliates, 1 Diatom, 2 unclassified, 3 Dino (manual only)
const TABLE: BinClasses = {
  binId: 'D20220522T003051_IFCB134',
  classes: ['Ciliates', 'Diatom', 'unclassified', 'Dino'],
  classifierName: 'm',
  sources: [],
  hasThresholds: true,
  targets: [2, 3, 5, 8, 9],
  auto: [0, 1, 1, -1, 0],
  score: [0.9, 0.4, 0.8, null, 0.55],
  above: [0, 2, 1, -1, 0],
  manual: [-1, 1, 3, 3, 0],
  sizes: { pxPerUm: 3.4, esdUm: [5, 12, 30, null, 8], majorAxisUm: [6, 13, 31, null, 9], minorAxisUm: [4, 11, 29, null, 7], biovolumeUm3: [65, 900, 14000, null, 260] },
  blobs: null,
  counts: [],
  mlAnalyzed: 5,
  unmatched: [],
  problems: [],
};

const targets = (rows: Int32Array) => Array.from(rows, (i) => TABLE.targets[i]);

test('class filter looks at the chosen column; effective = manual when reviewed, else above threshold', () => {
  assert.deepEqual(targets(filterRows(TABLE, { classes: ['Ciliates'] })), [2, 9]);
  assert.deepEqual(targets(filterRows(TABLE, { classes: ['Diatom'], column: 'auto' })), [3, 5]);
  assert.deepEqual(targets(filterRows(TABLE, { classes: ['Diatom'], column: 'above' })), [5]);
  assert.deepEqual(targets(filterRows(TABLE, { classes: ['Diatom'] })), [3]);
  assert.deepEqual(targets(filterRows(TABLE, { classes: ['Dino', 'unclassified'], column: 'manual' })), [5, 8]);
  assert.deepEqual(targets(filterRows(TABLE, { classes: ['nope'] })), []);
  assert.equal(classAt(TABLE, 3, 'above'), -1);
});

test('score bounds are inclusive and drop unscored ROIs; manual differs; unreviewed', () => {
  assert.deepEqual(targets(filterRows(TABLE, { minScore: 0.55 })), [2, 5, 9]);
  assert.deepEqual(targets(filterRows(TABLE, { minScore: 0.4, maxScore: 0.55 })), [3, 9]);
  assert.deepEqual(targets(filterRows(TABLE, { manualDiffers: true })), [3, 5]);
  assert.deepEqual(targets(filterRows(TABLE, { unreviewed: true })), [2]);
  assert.deepEqual(targets(filterRows(TABLE, {})), [2, 3, 5, 8, 9]);
});

test('size ranges (µm, µm³) combine with the rest; ROIs without sizes fail any size bound', () => {
  assert.deepEqual(targets(filterRows(TABLE, { sizes: { esdUm: { min: 8 } } })), [3, 5, 9]);
  assert.deepEqual(targets(filterRows(TABLE, { sizes: { esdUm: { min: 6, max: 12 }, biovolumeUm3: { max: 500 } } })), [9]);
  assert.deepEqual(targets(filterRows(TABLE, { classes: ['Ciliates'], sizes: { biovolumeUm3: { min: 100 } } })), [9]);
  assert.deepEqual(targets(filterRows({ ...TABLE, sizes: null }, { sizes: { esdUm: { min: 0 } } })), []);
});

test('sorting: by score / size / class, missing values last, ties in target order', () => {
  const all = filterRows(TABLE, {});
  assert.deepEqual(targets(sortRows(TABLE, all, 'score', 'desc')), [2, 5, 9, 3, 8]);
  assert.deepEqual(targets(sortRows(TABLE, all, 'score', 'asc')), [3, 9, 5, 2, 8]);
  assert.deepEqual(targets(sortRows(TABLE, all, 'biovolumeUm3', 'desc')), [5, 3, 9, 2, 8]);
  assert.deepEqual(targets(sortRows(TABLE, all, 'class')), [2, 9, 3, 5, 8]);
  assert.deepEqual(targets(sortRows(TABLE, all, 'target', 'desc')), [9, 8, 5, 3, 2]);
});

test('tableRows: per-ROI objects in target order, names instead of indices', () => {
  const rows = tableRows(TABLE);
  assert.deepEqual(rows[1], { roi: 3, class: 'Diatom', score: 0.4, classAboveThreshold: 'unclassified', manual: 'Diatom', features: { esdUm: 12, majorAxisUm: 13, minorAxisUm: 11, biovolumeUm3: 900 } });
  assert.deepEqual(rows[3], { roi: 8, class: null, score: null, classAboveThreshold: null, manual: 'Dino', features: { esdUm: null, majorAxisUm: null, minorAxisUm: null, biovolumeUm3: null } });
});

test('property: a filter result is an ascending subset, equal to checking each ROI on its own', () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.subarray(TABLE.classes), (minScore, differs, classes) => {
      const rows = Array.from(filterRows(TABLE, { minScore, manualDiffers: differs, classes }));
      const expected = TABLE.targets
        .map((_, i) => i)
        .filter((i) => {
          const c = classAt(TABLE, i, 'effective');
          const s = TABLE.score[i];
          return c >= 0 && classes.includes(TABLE.classes[c]!) && s !== null && s! >= minScore && (!differs || (TABLE.manual[i]! >= 0 && TABLE.above[i]! >= 0 && TABLE.manual[i] !== TABLE.above[i]));
        });
      assert.deepEqual(rows, expected);
    }),
  );
});
