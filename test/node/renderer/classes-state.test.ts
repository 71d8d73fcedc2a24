/**
 * The renderer's class tables (renderer/state/classes.ts): a label applied in the renderer gives exactly the table
 * the library answers next (checked against main's own join, on generated tables and on the real products of
 * D20220522T003051_IFCB134), generations, and what a tile says about its ROI.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { joinClasses, loadBinProducts, type LoadedProducts } from '../../../main/products/bin-classes.ts';
import { binFacts } from '../../../main/products/bin-facts.ts';
import { findProducts } from '../../../main/products/discover.ts';
import { argmaxRows } from '../../../main/products/scores.ts';
import type { BinClasses } from '../../../shared/ipc/contract.ts';
import { openBin } from '../../../main/ifcb/index.ts';
import { NO_CLASSES, classesReducer, roiClass, rowOfTarget, withLabel } from '../../../renderer/state/classes.ts';
import { DATA_ROOT } from '../../helpers/data.ts';
import { product } from '../products/paths.ts';
import path from 'node:path';

const none: LoadedProducts = { files: [], scores: null, manual: null, features: null, blobs: null, problems: [] };

/**
 * A table by class names: the renderer appends a new class where main may list it earlier, and keeps a class cleared
 * from every ROI; indices and the order of the counts differ, what each ROI and each class says does not.
 */
function byName(t: BinClasses) {
  const name = (i: number) => (i < 0 ? null : t.classes[i]);
  const counts = [...t.counts].sort((a, b) => a.class.localeCompare(b.class));
  return { ...t, classes: null, auto: t.auto.map(name), above: t.above.map(name), manual: t.manual.map(name), counts };
}

test('a label applied in the renderer equals the library join with that label stored (generated tables)', () => {
  const CLASSES = ['A', 'B', 'C'];
  const arb = fc.record({
    targets: fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 30 }).map((t) => t.sort((a, b) => a - b)),
    ml: fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: null }),
    seed: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 60, maxLength: 60 }),
    stored: fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.option(fc.constantFrom('A', 'B', 'D'), { nil: null }))),
    pick: fc.array(fc.integer({ min: 0, max: 29 }), { minLength: 1, maxLength: 10 }),
    label: fc.option(fc.constantFrom('A', 'C', 'D', 'E'), { nil: null }),
  });
  fc.assert(
    fc.property(arb, ({ targets, ml, seed, stored, pick, label }) => {
      const scored = targets.filter((_, i) => i % 3 !== 2); // some ROIs the classifier did not score
      const flat = Float64Array.from(scored.flatMap((t) => seed[t - 1]!));
      const { winner, winnerScore } = argmaxRows(flat, CLASSES);
      const products: LoadedProducts = { ...none, scores: { format: 'dashboard-csv', source: '/s.csv', classifierName: null, classes: CLASSES, rois: scored, scores: flat, winner, winnerScore, thresholds: null, aboveThreshold: null } };
      const facts = { binId: 'D20220522T003051_IFCB134', adcRows: 60, imageTargets: targets, mlAnalyzed: ml };
      const labels = new Map(stored.filter(([t]) => targets.includes(t)));
      const chosen = pick.map((i) => targets[i % targets.length]!);
      const next = new Map<number, string | null>(labels);
      for (const t of chosen) next.set(t, label);
      assert.deepEqual(byName(withLabel(joinClasses(facts, products, { labels }), chosen, label)), byName(joinClasses(facts, products, { labels: next })));
    }),
  );
});

test('on the real products of D20220522T003051_IFCB134: relabelling equals the re-joined table; the tile says what the person said', () => {
  const BIN = 'D20220522T003051_IFCB134';
  const bin = openBin(path.join(DATA_ROOT, 'irfcb/data', `${BIN}.adc`));
  // its classifier scores (h5), the manual_classify file and the features
  const files = ['class-scores', 'manual', 'features-blobs'].flatMap((dir) => findProducts(BIN, product(dir)));
  const products = loadBinProducts(files, binFacts(bin), { strict: false });
  assert.deepEqual(products.problems, []);
  assert.ok(products.scores && products.manual && products.features);
  const before = joinClasses(binFacts(bin), products, { pxPerUm: 2.77 });
  const target = before.targets[1]!;
  const row = rowOfTarget(before, target);
  assert.equal(row, 1);
  const after = withLabel(before, [target, 999_999], 'Ciliates');
  assert.deepEqual(after, joinClasses(binFacts(bin), products, { pxPerUm: 2.77, labels: new Map([[target, 'Ciliates']]) }));
  const said = roiClass(after, row);
  assert.equal(said.name, 'Ciliates');
  assert.equal(said.manual, true);
  assert.equal(said.score, before.score[row]);
  assert.equal(said.differs, before.classes[before.above[row]!] !== 'Ciliates');
  // cleared: not reviewed, even where the manual_classify file had a label (a person took it back)
  assert.deepEqual(withLabel(after, [target], null), joinClasses(binFacts(bin), products, { pxPerUm: 2.77, labels: new Map([[target, null]]) }));
  assert.deepEqual(roiClass(withLabel(after, [target], null), row), { ...roiClass(before, row), manual: false, differs: false, name: before.classes[before.above[row]!] });
});

test('rowOfTarget finds every target and nothing else', () => {
  const table = { targets: [2, 3, 5, 8, 13] } as Parameters<typeof rowOfTarget>[0];
  assert.deepEqual([1, 2, 3, 4, 5, 8, 13, 14].map((t) => rowOfTarget(table, t)), [-1, 0, 1, -1, 2, 3, 4, -1]);
});

test('the reducer keeps tables per generation: older answers are ignored, dropped bins leave, labels touch only held tables', () => {
  const facts = { binId: 'D20220522T003051_IFCB134', adcRows: 3, imageTargets: [1, 2], mlAnalyzed: 1 };
  const table = joinClasses(facts, none);
  let s = classesReducer(NO_CLASSES, { type: 'reset', generation: 4 });
  assert.equal(classesReducer(s, { type: 'arrived', generation: 3, table }), s, 'an answer for an older view');
  s = classesReducer(s, { type: 'failed', generation: 4, binId: table.binId, error: { code: 'PRODUCT_MALFORMED', message: 'x' } });
  s = classesReducer(s, { type: 'arrived', generation: 4, table });
  assert.deepEqual([...s.tables.keys(), s.failed.size], [table.binId, 0]);
  const labelled = classesReducer(s, { type: 'labelled', generation: 4, rois: [{ binId: table.binId, targets: [2] }, { binId: 'D20230314T001205_IFCB134', targets: [1] }], label: 'X' });
  assert.deepEqual(labelled.tables.get(table.binId)!.manual, [-1, 0]);
  assert.equal(classesReducer(s, { type: 'labelled', generation: 4, rois: [{ binId: 'D20230314T001205_IFCB134', targets: [1] }], label: 'X' }), s);
  assert.equal(classesReducer(labelled, { type: 'dropped', generation: 4, binIds: [table.binId] }).tables.size, 0);
  assert.equal(classesReducer(labelled, { type: 'reset', generation: 5 }).tables.size, 0);
});
