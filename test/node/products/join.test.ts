/**
 * The join by ROI number (main/products/bin-classes.ts): order-independence, rows for ROIs the bin lacks, library
 * labels over a manual file's, counts and concentration, and a bad product beside good ones (viewer: a problem).
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { joinClasses, loadBinProducts, type LoadedProducts } from '../../../main/products/bin-classes.ts';
import { findProducts } from '../../../main/products/discover.ts';
import { argmaxRows } from '../../../main/products/scores.ts';
import type { ClassScores } from '../../../main/products/types.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { product } from './paths.ts';

const BIN = 'D20220522T003051_IFCB134';

function scores(rois: number[], rows: number[][], classes = ['A', 'B']): ClassScores {
  const flat = Float64Array.from(rows.flat());
  const { winner, winnerScore } = argmaxRows(flat, classes);
  return { format: 'dashboard-csv', source: '/x/s.csv', classifierName: null, classes, rois, scores: flat, winner, winnerScore, thresholds: null, aboveThreshold: null };
}

const none: LoadedProducts = { files: [], scores: null, manual: null, features: null, blobs: null, problems: [] };
const facts = { binId: BIN, adcRows: 10, imageTargets: [2, 3, 5, 7], mlAnalyzed: 4 };

test('rows join by ROI value whatever their order; unknown ROIs are reported, empty ROIs too', () => {
  const t = joinClasses(facts, { ...none, scores: scores([7, 2, 11, 4], [[0.2, 0.8], [0.9, 0.1], [0.5, 0.5], [0.3, 0.7]]) });
  assert.deepEqual(t.targets, [2, 3, 5, 7]);
  assert.deepEqual(t.auto, [0, -1, -1, 1]);
  assert.deepEqual(t.score, [0.9, null, null, 0.8]);
  assert.deepEqual(t.unmatched, [{ source: 's.csv', rois: [11, 4] }]); // 11 beyond the ADC, 4 an empty ROI
  assert.deepEqual(t.counts, [
    { class: 'A', count: 1, concentration: 0.25, manual: 0 },
    { class: 'B', count: 1, concentration: 0.25, manual: 0 },
  ]);
});

test('manual labels: every ADC row may be listed; library labels override them, null clears', () => {
  const manual = { source: '/m/x.mat', classes: ['A', 'C'], rois: [1, 2, 3, 4, 5, 12], labels: [null, 'C', 'A', 'A', null, 'C'] };
  const t = joinClasses(facts, { ...none, manual }, { labels: new Map([[3, null], [7, 'D']]) });
  assert.deepEqual(t.classes, ['C', 'A', 'D']);
  assert.deepEqual(t.manual, [0, -1, -1, 2]);
  assert.deepEqual(t.unmatched, [{ source: 'x.mat', rois: [12] }]);
  assert.equal(t.mlAnalyzed, 4);
  assert.deepEqual(
    t.counts.map((c) => [c.class, c.count, c.manual]),
    [
      ['C', 0, 1],
      ['D', 0, 1],
    ],
  );
  assert.equal(joinClasses({ ...facts, mlAnalyzed: 0 }, { ...none, scores: scores([2], [[1, 0]]) }).counts[0]!.concentration, null);
});

test('viewer mode: an unreadable class file is a problem, the features beside it still give sizes', (t) => {
  const dir = tempDirFor(t);
  writeFileSync(path.join(dir, `${BIN}_class.h5`), 'not hdf5');
  copyFileSync(product(`features-blobs/${BIN}_fea_v2.csv`), path.join(dir, `${BIN}_fea_v2.csv`));
  const files = findProducts(BIN, dir);
  const loaded = loadBinProducts(files, { binId: BIN, imageTargets: [2, 3] }, { strict: false });
  assert.equal(loaded.scores, null);
  assert.deepEqual(
    loaded.problems.map((p) => [p.source, p.code]),
    [[`${BIN}_class.h5`, 'PRODUCT_MALFORMED']],
  );
  const table = joinClasses({ binId: BIN, adcRows: 3, imageTargets: [2, 3], mlAnalyzed: 1 }, loaded);
  assert.equal(table.sizes!.esdUm[0], 79.96379802 / 3.4);
  assert.throws(() => loadBinProducts(files, { binId: BIN, imageTargets: [2, 3] }, { strict: true }), { code: 'PRODUCT_MALFORMED' });
});
