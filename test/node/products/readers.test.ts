/**
 * Every real product file in ../shared/ifcb-products, read by our readers, with exact values — and, where a
 * Python reader exists on the machine (h5py, scipy), compared value for value against it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decode } from 'fast-png';
import { BlobArchive } from '../../../main/products/blobs.ts';
import { File, type Dataset } from 'jsfive';
import { readClassH5 } from '../../../main/products/class-h5.ts';
import { readClassMat } from '../../../main/products/class-mat.ts';
import { readClassRoiCsv } from '../../../main/products/class-roi-csv.ts';
import { readClassipyrSqlite } from '../../../main/products/classipyr-sqlite.ts';
import { readFeatures, roiSize } from '../../../main/products/features.ts';
import { readClassList, readManualMat } from '../../../main/products/manual-mat.ts';
import { readMat5 } from '../../../main/products/mat5.ts';
import { readScoreMatrixCsv } from '../../../main/products/score-matrix-csv.ts';
import { readSykeProb, readSykeThresholds } from '../../../main/products/syke-prob.ts';
import { product } from './paths.ts';
import { pythonJson, pythonWith, skipMessage } from './python.ts';

const H5 = {
  whoi: 'class-scores/D20141117T234033_IFCB102_class.h5',
  irfcb: 'class-scores/D20220522T003051_IFCB134_class.h5',
  classipyr: 'class-scores/D20220522T000439_IFCB134_class.h5',
  algaware: 'class-scores/D20250714T110535_IFCB134_class.h5',
};
const V1_MAT = ['class-scores/D20220522T003051_IFCB134_class_v1.mat', 'class-scores/D20230314T001205_IFCB134_class_v1.mat', 'class-scores/D20230810T113059_IFCB134_class_v1.mat'];
const MANUAL_MAT = [
  'manual/D20220522T003051_IFCB134.mat',
  'manual/D20220522T000439_IFCB134.mat',
  'manual/D20220712T210855_IFCB134.mat',
  'manual/ifcb-analysis-2011/IFCB1_2006_158_000036.mat',
  'manual/ifcb-analysis-2011/IFCB1_2009_087_010150.mat',
  'manual/ifcb-analysis-2011/IFCB5_2011_188_163602.mat',
];

type H5Dump = { classes: string[]; rois: number[]; scores: number[]; thresholds?: (number | null)[] };
type MatDump = Record<string, { shape: number[]; value: unknown }>;

/** The argmax and thresholded class names the SMHI writers stored beside the scores. */
function storedClassNames(bytes: Uint8Array): { classNameAuto: string[]; className: string[] } {
  const file = new File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const names = (key: string) => (file.get(key) as Dataset).value as string[];
  return { classNameAuto: names('class_name_auto'), className: names('class_name') };
}

const h5 = (rel: string) => readClassH5(readFileSync(product(rel)), product(rel));
const text = (rel: string) => readFileSync(product(rel), 'utf8');

test('WHOI v3 class.h5: 51 classes, ROIs 2..1357, float16 scores decoded to their exact values, argmax class', () => {
  const s = h5(H5.whoi);
  assert.equal(s.format, 'whoi-h5-v3');
  assert.equal(s.classifierName, 'test'); // /metadata model_id
  assert.equal(s.classes.length, 51);
  assert.equal(s.classes[0], 'Akashiwo');
  assert.equal(s.classes[50], 'Vicicitus');
  assert.equal(s.rois.length, 1346);
  assert.deepEqual(s.rois.slice(0, 3), [2, 3, 4]);
  assert.equal(s.rois.at(-1), 1357);
  assert.ok(s.scores instanceof Float32Array);
  assert.equal(s.scores[0], 4.571676254272461e-5); // float16 0x02FF, as h5py gives it
  assert.equal(s.scores[1346 * 51 - 1], 0);
  assert.equal(s.winner[0], 'NanoP_less10');
  assert.equal(s.winnerScore[0], 0.984375);
  assert.equal(s.thresholds, null);
  assert.equal(s.aboveThreshold, null);
});

test('SMHI class.h5 files: thresholds, classifier name, and the threshold rule reproduces class_name in all three', () => {
  const expected = {
    [H5.irfcb]: { classes: 45, rois: [2, 3], name: 'SMHI NIVA ResNet50 V5', unclassified: 0, first: 'Alexandrium_pseudogonyaulax' },
    [H5.classipyr]: { classes: 109, rois: [2, 3, 4, 5, 6, 7, 8], name: 'SMHI NIVA ResNet50 V5', unclassified: 0, first: 'Actinocyclus_spp' },
    [H5.algaware]: { classes: 176, rois: Array.from({ length: 27 }, (_, i) => i + 1), name: 'SMHI-NIVA-SYKE-SAMS-SZN-ResNet50-V6', unclassified: 1, first: 'Actinocyclus_spp' },
  };
  for (const [rel, e] of Object.entries(expected)) {
    const bytes = readFileSync(product(rel));
    const s = readClassH5(bytes, rel);
    assert.equal(s.format, 'smhi-h5', rel);
    assert.equal(s.classifierName, e.name, rel);
    assert.equal(s.classes.length, e.classes, rel);
    assert.equal(s.classes[0], e.first, rel);
    assert.deepEqual(s.rois, e.rois, rel);
    assert.ok(s.scores instanceof Float64Array, rel);
    assert.equal(s.thresholds!.length, e.classes, rel);
    const stored = storedClassNames(bytes);
    assert.deepEqual(s.winner, stored.classNameAuto, `${rel}: argmax = class_name_auto`);
    assert.deepEqual(s.aboveThreshold, stored.className, `${rel}: SMHI rule = class_name`);
    assert.equal(s.aboveThreshold!.filter((c) => c === 'unclassified').length, e.unclassified, rel);
  }
  const irfcb = h5(H5.irfcb);
  assert.deepEqual(Array.from(irfcb.thresholds!).slice(0, 2), [0.5, 0.5]);
  assert.deepEqual(irfcb.winner, ['Mesodinium_rubrum', 'Mesodinium_rubrum']);
  assert.deepEqual(Array.from(irfcb.winnerScore), [0.6300000000000001, 0.6900000000000002]);
  // the one algaware ROI below its class's threshold
  const algaware = h5(H5.algaware);
  const i = algaware.aboveThreshold!.indexOf('unclassified');
  const j = algaware.classes.indexOf(algaware.winner[i]!);
  assert.ok(algaware.winnerScore[i]! < algaware.thresholds![j]!);
});

test('class.h5 values equal h5py’s, float16 included (independent reader)', (t) => {
  const py = pythonWith('h5py');
  if (!py) return t.skip(skipMessage('h5py'));
  const script = `
import h5py, json, sys
f = h5py.File(sys.argv[1], 'r')
s = lambda v: v.decode() if isinstance(v, bytes) else v
n = lambda v: None if v != v else float(v)
out = {'classes': [s(x) for x in f['class_labels'][()]], 'rois': [int(x) for x in f['roi_numbers'][()]],
       'scores': [float(x) for x in f['output_scores'][()].ravel()]}
if 'thresholds' in f: out['thresholds'] = [n(x) for x in f['thresholds'][()]]
print(json.dumps(out))`;
  for (const rel of Object.values(H5)) {
    const ours = h5(rel);
    const theirs: H5Dump = pythonJson<H5Dump>(py, script, [product(rel)]);
    assert.deepEqual(ours.classes, theirs.classes, rel);
    assert.deepEqual(ours.rois, theirs.rois, rel);
    assert.deepEqual(Array.from(ours.scores!), theirs.scores, rel);
    if (theirs.thresholds) assert.deepEqual(Array.from(ours.thresholds!, (x) => (Number.isNaN(x) ? null : x)), theirs.thresholds, rel);
  }
});

test('class_v1.mat: roinum stored as uint8/uint16, column-major TBscores, class list minus the final unclassified', () => {
  const expected = [
    { rois: 2, classes: 45, belowThreshold: 0, firstRois: [2, 3] },
    { rois: 1218, classes: 36, belowThreshold: 88, firstRois: [2, 3, 4] },
    { rois: 4802, classes: 37, belowThreshold: 732, firstRois: [2, 3, 5] },
  ];
  V1_MAT.forEach((rel, k) => {
    const s = readClassMat(readFileSync(product(rel)), rel);
    const e = expected[k]!;
    assert.equal(s.format, 'class-v1-mat');
    assert.equal(s.rois.length, e.rois, rel);
    assert.deepEqual(s.rois.slice(0, e.firstRois.length), e.firstRois, rel);
    assert.equal(s.classes.length, e.classes, rel);
    assert.ok(!s.classes.includes('unclassified'), rel);
    assert.equal(s.aboveThreshold!.filter((c) => c === 'unclassified').length, e.belowThreshold, rel);
  });
  const small = readClassMat(readFileSync(product(V1_MAT[0]!)), V1_MAT[0]!);
  // stored as miUTF16 with a non-ASCII letter
  assert.equal(small.classifierName, 'Z:\\data\\manual\\Skagerrak-Kattegat-Tångesund\\summary\\results_12June202412Jun2024.mat');
  assert.deepEqual(Array.from(small.winnerScore), [0.6300000000000001, 0.6900000000000002]);
  const big = readClassMat(readFileSync(product(V1_MAT[2]!)), V1_MAT[2]!);
  assert.deepEqual(big.winner.slice(0, 3), ['Apedinella_radians', 'Apedinella_radians', 'Skeletonema_marinoi']);
  assert.deepEqual(big.aboveThreshold!.slice(0, 3), ['Apedinella_radians', 'Apedinella_radians', 'unclassified']);
});

test('every .mat file: our reader equals scipy.io.loadmat (numbers, NaN, cells of strings)', (t) => {
  const py = pythonWith('scipy');
  if (!py) return t.skip(skipMessage('scipy'));
  const script = `
import scipy.io as sio, json, sys, math
m = sio.loadmat(sys.argv[1])
def conv(v):
    if v.dtype == object: return [conv(x) for x in v.ravel(order='F')]
    if v.dtype.kind == 'U': return ''.join(v.ravel().tolist())
    return [None if x != x else float(x) for x in v.ravel(order='F')]
print(json.dumps({k: {'shape': list(v.shape), 'value': conv(v)} for k, v in m.items() if not k.startswith('__')}))`;
  const ourValue = (v: ReturnType<typeof readMat5>['variables'] extends Map<string, infer V> ? V : never): unknown => {
    if (v.kind === 'numeric') return Array.from(v.real, (x) => (Number.isNaN(x) ? null : x));
    if (v.kind === 'char') return v.rows.join('');
    if (v.kind === 'cell') return v.items.map(ourValue);
    return v.kind;
  };
  for (const rel of [...V1_MAT, ...MANUAL_MAT, 'manual/class2use_classipyr.mat', 'manual/class2use_irfcb.mat']) {
    const ours = readMat5(readFileSync(product(rel)), rel);
    const theirs: MatDump = pythonJson<MatDump>(py, script, [product(rel)]);
    assert.deepEqual([...ours.variables.keys()].sort(), Object.keys(theirs).sort(), rel);
    for (const [name, v] of ours.variables) {
      const their = theirs[name]!;
      // scipy squeezes nothing by default but makes 1×L chars a 1-element array of one string
      if (v.kind !== 'char') assert.deepEqual(v.dims, their.shape, `${rel} ${name} shape`);
      const mine = ourValue(v);
      const normalize = (x: unknown): unknown => (Array.isArray(x) ? x.map(normalize) : typeof x === 'string' ? x : x);
      assert.deepEqual(normalize(mine), normalize(v.kind === 'char' ? (their.value as string) : their.value), `${rel} ${name}`);
    }
  }
});

test('manual .mat: classlist with NaN = not reviewed, 1-based class2use_manual indices', () => {
  const a = readManualMat(readFileSync(product(MANUAL_MAT[0]!)), MANUAL_MAT[0]!);
  assert.deepEqual(a.rois, [1, 2, 3]);
  assert.deepEqual(a.labels, [null, 'Mesodinium_rubrum', 'Mesodinium_rubrum']);
  assert.equal(a.classes.length, 127);
  assert.equal(a.classes[0], 'unclassified');
  const b = readManualMat(readFileSync(product(MANUAL_MAT[1]!)), MANUAL_MAT[1]!);
  assert.deepEqual(b.rois, [1, 2, 3, 4, 5, 6, 7, 8]);
  // ROI 4 was annotated as unclassified (index 1): not the same as ROI 1's NaN
  assert.deepEqual(b.labels, [null, 'Mesodinium_rubrum', 'Strombidium_like', 'unclassified', 'Ciliates', 'Mesodinium_rubrum', 'Mesodinium_rubrum', 'Mesodinium_rubrum']);
  const c = readManualMat(readFileSync(product(MANUAL_MAT[2]!)), MANUAL_MAT[2]!);
  assert.equal(c.rois.length, 184);
  assert.equal(c.labels.filter((l) => l === null).length, 0);
  const expected2011 = [
    { rois: 1873, classes: 53, unreviewed: 1338 },
    { rois: 7176, classes: 28, unreviewed: 7170 },
    { rois: 6053, classes: 52, unreviewed: 0 },
  ];
  MANUAL_MAT.slice(3).forEach((rel, k) => {
    const m = readManualMat(readFileSync(product(rel)), rel);
    assert.equal(m.rois.length, expected2011[k]!.rois, rel);
    assert.equal(m.classes.length, expected2011[k]!.classes, rel);
    assert.equal(m.labels.filter((l) => l === null).length, expected2011[k]!.unreviewed, rel);
    assert.deepEqual(m.rois.slice(0, 3), [1, 2, 3], rel);
  });
  const classipyr = readClassList(readFileSync(product('manual/class2use_classipyr.mat')), 'x');
  const irfcb = readClassList(readFileSync(product('manual/class2use_irfcb.mat')), 'y');
  assert.equal(classipyr.length, 127);
  assert.equal(irfcb.length, 127);
  // the two lists spell 11 names differently (the shared README says one; the files say 11)
  const onlyClassipyr = classipyr.filter((n) => !irfcb.includes(n));
  assert.equal(onlyClassipyr.length, 11);
  assert.deepEqual(onlyClassipyr.slice(0, 3), ['Helicostomella_spp', 'Stenosemella_spp', 'Strombidium-like']);
  assert.ok(irfcb.includes('Helicostomella') && irfcb.includes('Strombidium_like'));
});

test('iRfcb/ClassiPyR per-ROI CSVs equal the h5 of the same bin (ROIs, classes, scores)', () => {
  for (const [csv, h5rel] of [
    ['class-scores/D20220522T003051_IFCB134.csv', H5.irfcb],
    ['class-scores/D20220522T000439_IFCB134.csv', H5.classipyr],
  ] as const) {
    const c = readClassRoiCsv(text(csv), csv, csv.slice(13, 37));
    const s = h5(h5rel);
    assert.equal(c.format, 'roi-csv');
    assert.deepEqual(c.rois, s.rois, csv);
    assert.deepEqual(c.winner, s.winner, csv);
    assert.deepEqual(c.aboveThreshold, s.aboveThreshold, csv);
    // R prints 15 significant digits
    c.winnerScore.forEach((v, i) => assert.ok(Math.abs(v - s.winnerScore[i]!) < 1e-14, `${csv} row ${i}`));
  }
});

test('SYKE prob.csv with its thresholds file: 255 ROIs, 50 classes, rule checked against a plain Python reading', (t) => {
  const thresholds = readSykeThresholds(text('class-scores/syke_thresholds-2021.txt'), 't');
  assert.equal(thresholds.size, 50);
  assert.equal(thresholds.get('Amylax_triacantha'), 0.35);
  const s = readSykeProb(text('class-scores/D20220101T221311_IFCB114.prob.csv'), 'p', thresholds);
  assert.equal(s.rois.length, 255);
  assert.equal(s.classes.length, 50);
  assert.deepEqual(s.rois.slice(0, 4), [1, 2, 3, 4]);
  assert.deepEqual(s.winner.slice(0, 2), ['Cryptophyceae-Teleaulax', 'Centrales_sp']);
  assert.equal(s.aboveThreshold!.filter((c) => c === 'unclassified').length, 86);
  const py = pythonWith('csv');
  if (!py) return t.skip(skipMessage('csv'));
  const script = `
import csv, json, sys
th = dict((l.split()[0], float(l.split()[1])) for l in open(sys.argv[2]) if l.strip())
rows = list(csv.reader(open(sys.argv[1])))
h = rows[0]; out = []
for r in rows[1:]:
    v = [float(x) for x in r[1:]]; j = v.index(max(v)); c = h[j + 1]
    out.append([int(r[0]), c, c if v[j] >= th.get(c, float('nan')) or th.get(c) is None else 'unclassified'])
print(json.dumps(out))`;
  const theirs = pythonJson<[number, string, string][]>(py, script, [product('class-scores/D20220101T221311_IFCB114.prob.csv'), product('class-scores/syke_thresholds-2021.txt')]);
  assert.deepEqual(s.rois.map((r, i) => [r, s.winner[i], s.aboveThreshold![i]]), theirs);
});

test('Dashboard autoclass CSVs (derived) and the headerless-ROI score matrix', () => {
  const d = readScoreMatrixCsv(text('derived/D20220522T003051_IFCB134_class_scores.csv'), 'd', { binId: 'D20220522T003051_IFCB134' });
  assert.equal(d.format, 'dashboard-csv');
  assert.deepEqual(d.rois, [2, 3]);
  assert.deepEqual(d.classes, h5(H5.irfcb).classes);
  assert.deepEqual(Array.from(d.winnerScore), [0.6300000000000001, 0.6900000000000002]);
  const w = readScoreMatrixCsv(text('derived/D20141117T234033_IFCB102_class_scores.csv'), 'w');
  assert.equal(w.rois.length, 1346);
  assert.deepEqual(w.rois.slice(0, 2), [2, 3]);
  assert.equal(w.scores![0], 4.57e-5); // float16 printed in its short form
  const features = readFeatures(text('features-blobs/D20141117T234033_IFCB102_fea_v2.csv'), 'f', 2);
  const m = readScoreMatrixCsv(text('class-scores/D20141117T234033_IFCB102_class_v2.csv'), 'm', { rowTargets: features.rois });
  assert.equal(m.format, 'score-matrix-csv');
  assert.equal(m.classes.length, 50);
  assert.deepEqual(m.rois, h5(H5.whoi).rois);
  assert.throws(() => readScoreMatrixCsv(text('class-scores/D20141117T234033_IFCB102_class_v2.csv'), 'm', { rowTargets: [1, 2] }), { code: 'PRODUCT_MALFORMED' });
});

test('features: v4 slim and both v2 lineages; sizes in µm with 3.4 px/µm', () => {
  const v4 = readFeatures(text('features-blobs/IFCB5_2012_028_081515_features_v4.csv'), 'v4', 4);
  assert.deepEqual(v4.rois, [1, 2, 3, 5, 6]);
  assert.equal(v4.columns.length, 30);
  assert.equal(v4.values.get('EquivDiameter')![0], 14.27299293);
  assert.equal(v4.values.get('summedBiovolume')![2], 5147.593414);
  const size = roiSize(v4, 0, 3.4)!;
  assert.equal(size.esdUm.toFixed(2), '4.20');
  assert.equal(size.biovolumeUm3.toFixed(2), '26.92');
  assert.equal(size.majorAxisUm, 21.63457855 / 3.4);
  assert.equal(size.minorAxisUm, 9.926001909 / 3.4);
  // ROI 3 has four blobs: biovolume is the summed one
  assert.equal(roiSize(v4, 2, 3.4)!.biovolumeUm3, 5147.593414 / 3.4 ** 3);
  assert.equal(roiSize(v4, 2, 2.77)!.esdUm, 23.72281347 / 2.77);
  const multi = readFeatures(text('features-blobs/IFCB5_2012_028_081515_multiblob_v4.csv'), 'mb', 4);
  assert.deepEqual(multi.rois, [3, 3, 3, 3, 6, 6]);
  assert.deepEqual(Array.from(multi.values.get('blob_number')!), [1, 2, 3, 4, 1, 2]);
  const matlab = readFeatures(text('features-blobs/D20220522T003051_IFCB134_fea_v2.csv'), 'm', 2);
  assert.deepEqual(matlab.rois, [2, 3]);
  assert.equal(matlab.columns.length, 236);
  assert.ok(matlab.columns.includes('FeretDiameter') && !matlab.columns.includes('RepresentativeWidth'));
  assert.ok(matlab.columns.every((c) => !c.includes('\r')), 'CRLF header trimmed');
  const python = readFeatures(text('features-blobs/D20141117T234033_IFCB102_fea_v2.csv'), 'p', 2);
  assert.equal(python.rois.length, 1346);
  assert.equal(python.columns.length, 240);
  assert.ok(python.columns.includes('maxFeretDiameter') && python.columns.includes('SurfaceArea'));
});

test('blob zips: one 8-bit 0/255 mask per scored ROI; stitched ROI 3 of IFCB5 is 263×86', () => {
  const zip = new BlobArchive(readFileSync(product('features-blobs/IFCB5_2012_028_081515_blobs_v4.zip')), 'z', 'IFCB5_2012_028_081515');
  assert.deepEqual(
    zip.entries.map((e) => [e.roi, e.width, e.height]),
    [
      [1, 96, 45],
      [2, 238, 137],
      [3, 263, 86],
      [5, 105, 45],
      [6, 197, 45],
    ],
  );
  const png = decode(zip.png(3)!);
  assert.equal(png.width, 263);
  assert.equal(png.height, 86);
  assert.equal(png.depth, 8);
  assert.equal(png.channels, 1);
  assert.deepEqual([...new Set(png.data)].sort((a, b) => a - b), [0, 255]);
  assert.equal(zip.png(4), undefined); // stitched away
  const whoi = new BlobArchive(readFileSync(product('features-blobs/D20141117T234033_IFCB102_blobs_v2.zip')), 'w', 'D20141117T234033_IFCB102');
  assert.deepEqual(
    whoi.entries.map((e) => e.roi),
    h5(H5.whoi).rois,
  );
});

test('ClassiPyR annotations.sqlite (derived), read-only: 11 rows, is_manual=0 / NaN rows are unreviewed', () => {
  const rows = readClassipyrSqlite(product('derived/annotations.sqlite'));
  assert.equal(rows.length, 11);
  assert.deepEqual(
    rows.filter((r) => r.bin === 'D20220522T003051_IFCB134').map((r) => [r.roi, r.label]),
    [
      [1, null],
      [2, 'Mesodinium_rubrum'],
      [3, 'Mesodinium_rubrum'],
    ],
  );
  assert.deepEqual(rows[3], { bin: 'D20220522T000439_IFCB134', roi: 4, label: 'unclassified', annotator: 'imported', timestamp: '2026-11-30 00:00:00' });
  assert.throws(() => readClassipyrSqlite(product('manual/class2use_irfcb.mat')), { code: 'PRODUCT_MALFORMED' });
});
