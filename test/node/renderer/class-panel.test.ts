/**
 * The class panel's pure parts (components/class-panel.tsx) and the tile chip (lib/tile-label.ts) on the real
 * products: counts per class summed over bins with the volume of the bins the classifier counted, search and order,
 * click and Ctrl/⌘+click, product problems and unmatched rows one line each; what a chip says for the classifier's
 * class, a person's agreeing label and a person's differing label.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openBin } from '../../../main/ifcb/index.ts';
import { joinClasses, loadBinProducts } from '../../../main/products/bin-classes.ts';
import { binFacts } from '../../../main/products/bin-facts.ts';
import { findProducts } from '../../../main/products/discover.ts';
import type { BinClasses } from '../../../shared/ipc/contract.ts';
import { clickedClasses, sourceKindName, summarizeClasses, visibleRows } from '../../../renderer/components/class-panel.tsx';
import { withLabel } from '../../../renderer/state/classes.ts';
import { chipTitle, tileClassLabel } from '../../../renderer/lib/tile-label.ts';
import { DATA_ROOT } from '../../helpers/data.ts';
import { product } from '../products/paths.ts';

const IRFCB = 'D20220522T003051_IFCB134';
/** ml analyzed of the iRfcb bin (as `info` gives it). */
const IRFCB_ML = 2.981272289134838;

function table(adc: string, folders: string[]): BinClasses {
  const bin = openBin(adc);
  const files = folders.flatMap((dir) => findProducts(bin.id, product(dir)));
  return joinClasses(binFacts(bin), loadBinProducts(files, binFacts(bin), { strict: false }), { pxPerUm: 3.4 });
}

const irfcb = table(path.join(DATA_ROOT, 'irfcb/data', `${IRFCB}.adc`), ['class-scores', 'manual']);
const ifcb5 = table(path.join(DATA_ROOT, 'pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515.adc'), ['features-blobs']);

test('one bin: its classes, counts and /mL, classifier and sources', () => {
  const s = summarizeClasses([irfcb]);
  assert.deepEqual(s.rows, [{ name: 'Mesodinium_rubrum', classifier: 2, manual: 2, concentration: 2 / IRFCB_ML }]);
  assert.equal(s.counted, 1);
  assert.equal(s.withResults, 1);
  assert.deepEqual(s.classifiers, ['SMHI NIVA ResNet50 V5']);
  // the SMHI file's thresholds (0.5 for every class) decide what "Auto" counts
  assert.equal(s.thresholds, true);
  assert.equal(summarizeClasses([ifcb5]).thresholds, false);
  assert.deepEqual(s.sources, [
    { kind: 'smhi-h5', name: `${IRFCB}_class.h5` },
    { kind: 'manual', name: `${IRFCB}.mat` },
  ]);
  assert.deepEqual(s.problems, []);
});

test('a range: counts summed; a bin without a classifier neither counts nor dilutes the concentration; its files listed', () => {
  const relabelled = withLabel(irfcb, [3], 'Ciliates');
  const s = summarizeClasses([relabelled, ifcb5]);
  assert.equal(s.counted, 2);
  assert.equal(s.withResults, 1);
  assert.deepEqual(visibleRows(s.rows, '', 'count'), [
    { name: 'Mesodinium_rubrum', classifier: 2, manual: 1, concentration: 2 / IRFCB_ML },
    { name: 'Ciliates', classifier: 0, manual: 1, concentration: 0 },
  ]);
  assert.deepEqual(visibleRows(s.rows, '', 'name').map((r) => r.name), ['Ciliates', 'Mesodinium_rubrum']);
  assert.deepEqual(visibleRows(s.rows, 'RUBR', 'count').map((r) => r.name), ['Mesodinium_rubrum']);
  assert.deepEqual(visibleRows(s.rows, 'nothing', 'count'), []);
  assert.deepEqual(s.sources.map((x) => sourceKindName(x.kind)), ['Scores (SMHI h5)', 'Manual labels', 'Features v4', 'Blob masks']);
});

test('problems: an unreadable product, rows for ROIs the bin does not have, a table that could not be fetched', () => {
  const broken: BinClasses = {
    ...irfcb,
    problems: [{ source: `${IRFCB}_class_v1.mat`, code: 'PRODUCT_MALFORMED', message: 'truncated' }],
    unmatched: [{ source: `${IRFCB}_fea_v2.csv`, rois: [4, 5, 6, 7, 8, 9, 10] }],
  };
  const s = summarizeClasses([broken], new Map([['D20220522T000439_IFCB134', { code: 'FILE_MISSING', message: 'gone' }]]));
  assert.deepEqual(s.problems, [
    { binId: IRFCB, source: `${IRFCB}_class_v1.mat`, code: 'PRODUCT_MALFORMED', message: 'truncated' },
    { binId: IRFCB, source: `${IRFCB}_fea_v2.csv`, code: 'ROI_NOT_IN_BIN', message: '7 rows name ROIs the bin does not have (4, 5, 6, 7, 8, …); they are not shown.' },
    { binId: 'D20220522T000439_IFCB134', source: '', code: 'FILE_MISSING', message: 'gone' },
  ]);
});

test('click: only this class (again: none); Ctrl/⌘+click adds or takes away', () => {
  assert.deepEqual(clickedClasses([], 'A', false), ['A']);
  assert.deepEqual(clickedClasses(['A', 'B'], 'A', false), ['A']);
  assert.deepEqual(clickedClasses(['A'], 'A', false), []);
  assert.deepEqual(clickedClasses(['A'], 'B', true), ['A', 'B']);
  assert.deepEqual(clickedClasses(['A', 'B'], 'A', true), ['B']);
});

test('the tile chip: the person’s label with the classifier’s score when they agree; no score and the classifier’s class when not', () => {
  assert.deepEqual(tileClassLabel(irfcb, 2), { name: 'Mesodinium_rubrum', score: irfcb.score[0]!, manual: true, classifierClass: null });
  assert.equal(irfcb.score[0]!.toFixed(2), '0.63');
  const relabelled = withLabel(irfcb, [3], 'Ciliates');
  const chip = tileClassLabel(relabelled, 3)!;
  assert.deepEqual(chip, { name: 'Ciliates', score: null, manual: true, classifierClass: 'Mesodinium_rubrum' });
  assert.equal(chipTitle(chip), 'Ciliates (labelled by a person) · classifier says Mesodinium_rubrum');
  // cleared: the classifier's class and score again
  const cleared = tileClassLabel(withLabel(irfcb, [3], null), 3)!;
  assert.deepEqual(cleared, { name: 'Mesodinium_rubrum', score: irfcb.score[1]!, manual: false, classifierClass: null });
  assert.equal(chipTitle(cleared), `Mesodinium_rubrum (classifier, score ${irfcb.score[1]!.toFixed(3)})`);
  // no classifier, no label: no chip; a ROI the table does not have: none
  assert.equal(tileClassLabel(ifcb5, 1), null);
  assert.equal(tileClassLabel(irfcb, 1), null);
});
