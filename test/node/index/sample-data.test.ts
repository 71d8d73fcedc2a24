/**
 * Index the real sample data (../shared/ifcb-data, read in place) and check every bin, value and QC
 * flag against the spec (§7, §8, §11).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { getBin, getBinCopies, listBins, listProblems, listWalkProblems, neighbours, timeSeries } from '../../../main/index/queries.ts';
import type { BinRecord } from '../../../main/index/types.ts';
import { tempCatalogue } from './helpers.ts';

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), `${what}: ${actual} != ${expected}`);
}

const PYIFCB = path.join(DATA_ROOT, 'pyifcb');
const IRFCB = path.join(DATA_ROOT, 'irfcb/data');

test('indexing the sample data lists exactly the spec bins with their values and QC flags; unchanged re-index reads no .adc', async (t) => {
  const { catalogue } = tempCatalogue(t);
  const py = catalogue.addRoot(PYIFCB);
  const ir = catalogue.addRoot(IRFCB);
  const summary = await catalogue.index();
  assert.deepEqual(
    { found: summary.found, added: summary.added, unchanged: summary.unchanged, removed: summary.removed, unreadable: summary.unreadable, cancelled: summary.cancelled, filesRead: summary.filesRead },
    { found: 8, added: 8, unchanged: 0, removed: 0, unreadable: 0, cancelled: false, filesRead: { adc: 8, hdr: 8 } },
  );
  // Every copy is a row; the list shows each id once (partial/ holds a partial copy of A).
  const bins = [...listBins(catalogue.db, {}, { limit: 100 }).bins, ...getBinCopies(catalogue.db, 'IFCB5_2012_028_081515').slice(1)];
  // Time order; the skip/ bin (blacklisted) and the decoy (no .hdr, invalid id) are absent.
  assert.deepEqual(
    bins.map((b) => [b.id, b.folder, b.rootId]),
    [
      ['IFCB5_2012_028_081515', 'data/2012/IFCB5_2012_028', py.rootId],
      ['D20130101T101010_IFCB099', 'invalid', py.rootId],
      ['D20130526T095207_IFCB013', 'white/D2013/D201305/D20130526', py.rootId],
      ['D20150411T205456_IFCB012', 'empty', py.rootId],
      ['IFCB5_2017_001_033645', 'empty', py.rootId],
      ['D20220522T003051_IFCB134', '', ir.rootId],
      ['D20230810T113059_IFCB134', '', ir.rootId],
      ['IFCB5_2012_028_081515', 'partial', py.rootId],
    ],
  );
  const byPath = new Map<string, BinRecord>(bins.map((b) => [b.path, b]));
  const A = byPath.get(SAMPLE.A)!;
  const B = byPath.get(SAMPLE.B)!;
  const C = byPath.get(SAMPLE.C)!;
  const D = byPath.get(SAMPLE.D)!;
  const E = byPath.get(SAMPLE.E)!;

  // §11 values
  const expect = [
    { b: A, schema: 1, instrument: 5, ts: '2012-01-28T08:15:15Z', rows: 7, trig: 6, images: 6, roi: 71083, run: 1.251953, inh: 0.43799999999999994, look: 0.8139530000000001, ml: 0.003391470833333334, keys: 7 },
    { b: B, schema: 2, instrument: 13, ts: '2013-05-26T09:52:07Z', rows: 118, trig: 118, images: 19, roi: 98472, run: 1184.037103, inh: 11.620325999999977, look: 1172.416777, ml: 4.8850699041666665, keys: 82 },
    { b: C, schema: 2, instrument: 134, ts: '2022-05-22T00:30:51Z', rows: 3, trig: 3, images: 2, roi: 30848, run: 715.6575, inh: 0.15215060763887323, look: 715.5053493923612, ml: 2.981272289134838, keys: 117 },
    { b: D, schema: 2, instrument: 134, ts: '2023-08-10T11:30:59Z', rows: 45, trig: 41, images: 33, roi: null, run: 1186.8013888888888, inh: 3.2460850694444616, look: 1183.5553038194444, ml: 4.931480432581018, keys: 123 },
    { b: E, schema: 1, instrument: 5, ts: '2012-01-28T08:15:15Z', rows: 7, trig: 6, images: 6, roi: null, run: 1.251953, inh: 0.43799999999999994, look: 0.8139530000000001, ml: 0.003391470833333334, keys: 7 },
  ];
  for (const x of expect) {
    const b = x.b;
    assert.deepEqual([b.schema, b.instrument, b.timestamp, b.adcRows, b.triggers, b.images, b.roiBytes, b.hasRoiFile, b.headerKeys], [x.schema, x.instrument, x.ts, x.rows, x.trig, x.images, x.roi, x.roi !== null, x.keys], b.path);
    close(b.runTime, x.run, `${b.id} runTime`);
    close(b.inhibitTime, x.inh, `${b.id} inhibitTime`);
    close(b.lookTime, x.look, `${b.id} lookTime`);
    close(b.mlAnalyzed, x.ml, `${b.id} mlAnalyzed`);
  }
  // A's ADC needs 71082 bytes (last START_BYTE + w*h); its .roi has one byte more: complete, not partial.
  assert.equal(A.roiExpectedBytes, 71082);
  assert.deepEqual([B.roiExpectedBytes, C.roiExpectedBytes], [98472, 30848]);
  assert.deepEqual([A.temperature, A.humidity, A.headerRunTime], [11.4799732421875, 32.167437512207, null]);
  assert.deepEqual(A.headerValues, { binarizeThreshold: 30, blobSizeThreshold: 10, scatteringPhotomultiplierSetting: 0.675, fluorescencePhotomultiplierSetting: 0.6 });
  assert.deepEqual([B.temperature, B.humidity, B.headerRunTime, B.headerInhibitTime], [35.270397, 2.48685, 1231.024861, 11.62298]);
  assert.deepEqual([C.temperature, C.humidity, C.headerRunTime], [19.940374608987575, 53.2310231174182, 715.6575]);
  assert.equal(C.headerValues['sampleType'], 'Normal');
  assert.equal(C.headerValues['triggerCount'], 3);

  // QC flags: B's header runTime is 3.97 % above the computed one; D and E have no .roi.
  const qc = Object.fromEntries(bins.map((b) => [path.relative(DATA_ROOT, b.path), b.qc]));
  assert.deepEqual(qc, {
    'pyifcb/partial/IFCB5_2012_028_081515': ['noRoi', 'partial'],
    'pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515': [],
    'pyifcb/invalid/D20130101T101010_IFCB099': ['empty', 'emptyHeader'],
    'pyifcb/white/D2013/D201305/D20130526/D20130526T095207_IFCB013': ['runTimeMismatch'],
    'pyifcb/empty/D20150411T205456_IFCB012': ['empty'],
    'pyifcb/empty/IFCB5_2017_001_033645': ['empty'],
    'irfcb/data/D20220522T003051_IFCB134': [],
    'irfcb/data/D20230810T113059_IFCB134': ['noRoi', 'partial'],
  });
  // §8: empty/invalid bins keep id-derived identity, NaN metrics become null, headers present for the empty ones
  const emptyV2 = byPath.get(SAMPLE.emptyV2)!;
  assert.deepEqual([emptyV2.instrument, emptyV2.timestamp, emptyV2.schema, emptyV2.adcRows, emptyV2.images, emptyV2.runTime, emptyV2.mlAnalyzed, emptyV2.headerKeys], [12, '2015-04-11T20:54:56Z', 2, 0, 0, null, null, 99]);
  assert.deepEqual([emptyV2.headerRunTime, emptyV2.headerInhibitTime], [0.621083, 0.037422]);
  const emptyV1 = byPath.get(SAMPLE.emptyV1)!;
  assert.deepEqual([emptyV1.instrument, emptyV1.timestamp, emptyV1.schema, emptyV1.temperature, emptyV1.roiBytes, emptyV1.roiExpectedBytes], [5, '2017-01-01T03:36:45Z', 1, 13.3652795166016, 2, 0]);
  const invalid = byPath.get(SAMPLE.invalid)!;
  assert.deepEqual([invalid.instrument, invalid.timestamp, invalid.headerKeys, invalid.errorCode], [99, '2013-01-01T10:10:10Z', 0, null]);

  // The id lookup prefers the complete copy of IFCB5_2012_028_081515; both copies are listed.
  assert.equal(getBin(catalogue.db, 'IFCB5_2012_028_081515')!.path, SAMPLE.A);
  assert.deepEqual(getBinCopies(catalogue.db, 'IFCB5_2012_028_081515').map((b) => b.path), [SAMPLE.A, SAMPLE.E]);
  assert.deepEqual(catalogue.pathOfBin('D20220522T003051_IFCB134'), { base: SAMPLE.C, adc: `${SAMPLE.C}.adc`, hdr: `${SAMPLE.C}.hdr`, roi: `${SAMPLE.C}.roi` });
  assert.equal(catalogue.pathOfBin('D20990101T000000_IFCB001'), undefined);
  const n = neighbours(catalogue.db, 'D20130526T095207_IFCB013');
  assert.deepEqual([n.previous?.id, n.next?.id], ['D20130101T101010_IFCB099', 'D20150411T205456_IFCB012']);
  const first = neighbours(catalogue.db, 'IFCB5_2012_028_081515');
  assert.deepEqual([first.previous?.id, first.next?.id], [undefined, 'D20130101T101010_IFCB099']);
  assert.deepEqual(
    listWalkProblems(catalogue.db).map((p) => [p.rootId, p.path, p.code]),
    [[py.rootId, 'data/2012/IFCB5_2012_028/000_decoy/decoy.adc', 'INVALID_BIN_ID']],
  );
  assert.deepEqual(catalogue.listRoots().map((r) => [r.state, r.binCount, r.problemCount]), [['complete', 6, 1], ['complete', 2, 0]]);

  // Unchanged archive: stat only, zero reads.
  const again = await catalogue.index();
  assert.deepEqual(
    { found: again.found, unchanged: again.unchanged, added: again.added, updated: again.updated, removed: again.removed, filesRead: again.filesRead },
    { found: 8, unchanged: 8, added: 0, updated: 0, removed: 0, filesRead: { adc: 0, hdr: 0 } },
  );
});

test('the whole sample folder as ONE root: every bin under any folder names, each skipped file with its reason', async (t) => {
  const { catalogue } = tempCatalogue(t);
  // pyifcb's DataDirectory rule (folders named `data` or part of the id) found 0 bins here
  const whole = catalogue.addRoot(DATA_ROOT);
  const s = await catalogue.index();
  assert.deepEqual([s.found, s.added, s.unreadable, s.problems], [8, 8, 0, 1]);
  const shown = listBins(catalogue.db, {}, { limit: 100 }).bins;
  const complete = shown.filter((b) => !b.qc.some((f) => f === 'noRoi' || f === 'partial' || f === 'unreadable'));
  assert.deepEqual(complete.map((b) => path.relative(DATA_ROOT, b.path)), [
    'pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515',
    'pyifcb/invalid/D20130101T101010_IFCB099',
    'pyifcb/white/D2013/D201305/D20130526/D20130526T095207_IFCB013',
    'pyifcb/empty/D20150411T205456_IFCB012',
    'pyifcb/empty/IFCB5_2017_001_033645',
    'irfcb/data/D20220522T003051_IFCB134',
  ]);
  // the one partial bin is listed too (flagged), and A's partial copy only as a duplicate of A
  assert.deepEqual(shown.filter((b) => !complete.includes(b)).map((b) => [path.relative(DATA_ROOT, b.path), b.qc]), [['irfcb/data/D20230810T113059_IFCB134', ['noRoi', 'partial']]]);
  assert.deepEqual(getBinCopies(catalogue.db, 'IFCB5_2012_028_081515').map((b) => path.relative(DATA_ROOT, b.path)), ['pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515', 'pyifcb/partial/IFCB5_2012_028_081515']);
  // skip/ is blacklisted (not a problem); reference-png/ holds no bin files; the decoy has no .hdr and no bin name
  assert.deepEqual(listProblems(catalogue.db).map((p) => [p.rootId, p.path, p.code, p.kind]), [
    [whole.rootId, 'pyifcb/data/2012/IFCB5_2012_028/000_decoy/decoy.adc', 'INVALID_BIN_ID', 'skipped'],
  ]);
  assert.deepEqual(timeSeries(catalogue.db, { bucket: 'week' }).points.reduce((n, p) => n + p.bins, 0), 7);
});

test('pyifcb/partial with the default rules: the partial bin is listed (require_roi_files=False) and flagged', async (t) => {
  const { catalogue } = tempCatalogue(t);
  catalogue.addRoot(path.join(PYIFCB, 'partial'));
  await catalogue.index();
  assert.deepEqual(listBins(catalogue.db).bins.map((b) => [b.path, b.qc]), [[SAMPLE.E, ['noRoi', 'partial']]]);
});
