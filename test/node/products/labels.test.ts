/**
 * Labels in the library database: undo/redo as data, import of the real manual/ClassiPyR files, export as
 * manual_classify `.mat` that scipy reads back equal to the original file, CSV round trip, never overwriting,
 * the labels CLI, and the EcoTaxa annotation columns.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../main/cli/main.ts';
import { openDatabase } from '../../../main/index/database.ts';
import { ecotaxaAnnotation, ecotaxaAnnotator, ecotaxaAnnotatorForBin } from '../../../main/products/ecotaxa-annotations.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { scanProductFolder } from '../../../main/products/discover.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { PRODUCTS_ROOT } from './paths.ts';
import { LabelStore } from '../../../main/products/label-store.ts';
import { exportLabels, importLabelFile } from '../../../main/products/labels-io.ts';
import { readManualMat } from '../../../main/products/manual-mat.ts';
import { makeFifo } from '../../helpers/fifo.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { product } from './paths.ts';
import { pythonJson, pythonWith, skipMessage } from './python.ts';

function store(t: { after(fn: () => void): void }): { store: LabelStore; dir: string; dbPath: string } {
  const dir = tempDirFor(t);
  const dbPath = path.join(dir, 'library.sqlite');
  const db = openDatabase(dbPath);
  t.after(() => db.close());
  return { store: new LabelStore(db), dir, dbPath };
}

const BIN = 'D20220522T003051_IFCB134';

test('set, undo, redo restore exactly the state before (label, author, time); a new change drops the redo stack', (t) => {
  const { store: s } = store(t);
  s.set([{ binId: BIN, targets: [2, 3] }], 'A', { annotator: 'ann', atMs: 1000 });
  s.set([{ binId: BIN, targets: [3, 4] }], 'B', { annotator: 'bob', atMs: 2000 });
  assert.deepEqual([...s.labelsOf(BIN)], [[2, 'A'], [3, 'B'], [4, 'B']]);
  assert.deepEqual(s.undo(), { id: 2, kind: 'set', rois: [{ binId: BIN, targets: [3, 4] }], label: 'B' });
  assert.deepEqual(s.storedOf(BIN), [
    { binId: BIN, roi: 2, label: 'A', annotator: 'ann', atMs: 1000 },
    { binId: BIN, roi: 3, label: 'A', annotator: 'ann', atMs: 1000 },
  ]);
  assert.equal(s.canRedo(), true);
  assert.deepEqual(s.redo()?.rois, [{ binId: BIN, targets: [3, 4] }]);
  assert.deepEqual(s.storedOf(BIN).map((l) => [l.roi, l.label, l.annotator, l.atMs]), [
    [2, 'A', 'ann', 1000],
    [3, 'B', 'bob', 2000],
    [4, 'B', 'bob', 2000],
  ]);
  s.undo();
  s.set([{ binId: BIN, targets: [5] }], null, { annotator: 'cy', atMs: 3000 }); // clearing is a change too
  assert.equal(s.canRedo(), false, 'a new change discards what was undone');
  assert.equal(s.redo(), null);
  assert.deepEqual([...s.labelsOf(BIN)], [[2, 'A'], [3, 'A'], [5, null]]);
  s.undo();
  s.undo();
  assert.deepEqual([...s.labelsOf(BIN)], []);
  // a ROI listed twice in one change: undo still restores what was there before
  s.set([{ binId: BIN, targets: [7] }], 'X', { annotator: 'dan', atMs: 4000 });
  assert.deepEqual(s.set([{ binId: BIN, targets: [8, 7, 7] }], 'Y', { annotator: 'dan', atMs: 5000 }).rois, [{ binId: BIN, targets: [7, 8] }]);
  s.undo();
  assert.deepEqual([...s.labelsOf(BIN)], [[7, 'X']]);
  s.undo();
  // ROIs of two bins with one key press are one change: one undo takes both back
  const OTHER = 'D20230314T001205_IFCB134';
  assert.deepEqual(s.set([{ binId: OTHER, targets: [4] }, { binId: BIN, targets: [9, 2] }], 'Z', { annotator: 'eve', atMs: 6000 }), {
    id: 1, // every earlier change was undone, so dropped
    kind: 'set',
    rois: [{ binId: BIN, targets: [2, 9] }, { binId: OTHER, targets: [4] }],
    label: 'Z',
  });
  assert.deepEqual([[...s.labelsOf(BIN)], [...s.labelsOf(OTHER)]], [[[2, 'Z'], [9, 'Z']], [[4, 'Z']]]);
  assert.deepEqual(s.undo()?.rois, [{ binId: BIN, targets: [2, 9] }, { binId: OTHER, targets: [4] }]);
  assert.deepEqual([[...s.labelsOf(BIN)], [...s.labelsOf(OTHER)]], [[], []]);
  assert.equal(s.undo(), null);
  assert.equal(s.canUndo(), false);
});

test('import the real files: manual .mat (NaN rows skipped), ClassiPyR sqlite (who/when kept), class2use lists', (t) => {
  const { store: s } = store(t);
  const a = importLabelFile(s, product('manual/D20220522T000439_IFCB134.mat'), { annotator: 'me', now: 5000 });
  assert.deepEqual(a, { file: product('manual/D20220522T000439_IFCB134.mat'), kind: 'manual-mat', labels: 7, bins: 1 });
  assert.deepEqual([...s.labelsOf('D20220522T000439_IFCB134').keys()], [2, 3, 4, 5, 6, 7, 8]);
  assert.equal(s.labelsOf('D20220522T000439_IFCB134').get(4), 'unclassified');
  assert.equal(s.classList('D20220522T000439_IFCB134')!.length, 127);
  const b = importLabelFile(s, product('derived/annotations.sqlite'), { annotator: 'me', now: 6000 });
  assert.deepEqual([b.kind, b.labels, b.bins], ['classipyr-sqlite', 9, 2]);
  assert.deepEqual(s.storedOf(BIN), [
    { binId: BIN, roi: 2, label: 'Mesodinium_rubrum', annotator: 'imported', atMs: Date.UTC(2026, 10, 30) },
    { binId: BIN, roi: 3, label: 'Mesodinium_rubrum', annotator: 'imported', atMs: Date.UTC(2026, 10, 30) },
  ]);
  const c = importLabelFile(s, product('manual/class2use_classipyr.mat'), { annotator: 'me' });
  assert.equal(c.kind, 'class-list');
  assert.equal(s.classes().length, 127 + 11); // both spellings of the 11 names that differ
  assert.throws(() => importLabelFile(s, product('class-scores/syke_thresholds-2021.txt'), { annotator: 'me' }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => importLabelFile(s, product('class-scores/D20220522T003051_IFCB134_class_v1.mat'), { annotator: 'me' }), { code: 'PRODUCT_MALFORMED' });
});

test('a pipe, a folder or a missing file chosen for import is refused before it is opened (no hang)', (t) => {
  const { store: s, dir } = store(t);
  for (const ext of ['.mat', '.csv', '.txt', '.sqlite']) {
    const fifo = path.join(dir, `pipe${ext}`);
    makeFifo(t, fifo);
    assert.throws(() => importLabelFile(s, fifo, { annotator: 'me' }), { code: 'FILE_NOT_REGULAR' }, ext);
  }
  const folder = path.join(dir, 'folder.csv');
  mkdirSync(folder);
  assert.throws(() => importLabelFile(s, folder, { annotator: 'me' }), { code: 'FILE_UNREADABLE' });
  assert.throws(() => importLabelFile(s, path.join(dir, 'none.sqlite'), { annotator: 'me' }), { code: 'FILE_MISSING' });
});

test('export .mat: manual_classify layout that our reader and scipy read back as the original classlist', (t) => {
  const { store: s, dir } = store(t);
  const original = product('manual/D20220522T000439_IFCB134.mat');
  importLabelFile(s, original, { annotator: 'me' });
  const out = path.join(dir, 'out');
  const files = exportLabels(s, { out, format: 'mat' });
  assert.deepEqual(files, [path.join(out, 'D20220522T000439_IFCB134.mat')]);
  const ours = readManualMat(readFileSync(files[0]!), files[0]!);
  const theirs = readManualMat(readFileSync(original), original);
  assert.deepEqual(ours.rois, theirs.rois);
  assert.deepEqual(ours.labels, theirs.labels);
  assert.deepEqual(ours.classes, theirs.classes);
  // never overwrite, nothing half-written
  assert.throws(() => exportLabels(s, { out, format: 'mat' }), { code: 'EXPORT_TARGET_EXISTS' });
  const py = pythonWith('scipy');
  if (!py) return t.skip(skipMessage('scipy'));
  const script = `
import scipy.io as sio, json, sys
def dump(f):
    m = sio.loadmat(f)
    cl = [[None if x != x else float(x) for x in row] for row in m['classlist'][:, :2]]
    return {'classlist': cl, 'class2use_manual': [str(x[0]) for x in m['class2use_manual'].ravel()],
            'list_titles': [str(x[0]) for x in m['list_titles'].ravel()], 'default': str(m['default_class_original'].ravel()[0][0])}
print(json.dumps([dump(sys.argv[1]), dump(sys.argv[2])]))`;
  const [mine, orig] = pythonJson<unknown[]>(py, script, [files[0]!, original]);
  assert.deepEqual(mine, orig);
});

test('export CSV → import CSV round trip; --from/--to select bins by their time', (t) => {
  const { store: s, dir } = store(t);
  s.set([{ binId: BIN, targets: [2] }], 'Ciliates, "large"', { annotator: 'ann', atMs: Date.UTC(2026, 0, 2, 3, 4, 5) });
  s.set([{ binId: 'D20230314T001205_IFCB134', targets: [7] }], 'Dinophysis', { annotator: 'bob', atMs: 0 });
  const files = exportLabels(s, { out: path.join(dir, 'a'), format: 'csv', fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2023, 0, 1) });
  assert.equal(readFileSync(files[0]!, 'utf8'), 'sample_name,roi_number,class_name,annotator,timestamp\nD20220522T003051_IFCB134,2,"Ciliates, ""large""",ann,2026-01-02T03:04:05.000Z\n');
  const { store: other } = store(t);
  assert.deepEqual(importLabelFile(other, files[0]!, { annotator: 'x' }), { file: files[0], kind: 'labels-csv', labels: 1, bins: 1 });
  assert.deepEqual(other.storedOf(BIN), [{ binId: BIN, roi: 2, label: 'Ciliates, "large"', annotator: 'ann', atMs: Date.UTC(2026, 0, 2, 3, 4, 5) }]);
  const bad = path.join(dir, 'bad.csv');
  writeFileSync(bad, 'a,b\n1,2\n');
  assert.throws(() => importLabelFile(other, bad, { annotator: 'x' }), { code: 'PRODUCT_MALFORMED' });
});

test('labels CLI: import into a new database, export mat and csv, exit codes', async (t) => {
  const dir = tempDirFor(t);
  const db = path.join(dir, 'lib.sqlite');
  let out = '';
  let err = '';
  const io = { stdout: { write: (x: string) => (out += x) }, stderr: { write: (x: string) => (err += x) }, isTTY: false };
  assert.equal(await main(['labels', 'import', product('manual/D20220522T003051_IFCB134.mat'), '--db', db, '--annotator', 'tester'], io), 0, err);
  assert.match(out, /manual-mat, 2 label\(s\) for 1 bin\(s\)/);
  assert.equal(await main(['labels', 'export', '--out', path.join(dir, 'm'), '--db', db], io), 0, err);
  const exported = readManualMat(readFileSync(path.join(dir, 'm', `${BIN}.mat`)), 'x');
  assert.deepEqual(exported.labels, [null, 'Mesodinium_rubrum', 'Mesodinium_rubrum']);
  assert.equal(await main(['labels', 'export', '--out', path.join(dir, 'm'), '--db', db], io), 3);
  assert.match(err, /EXPORT_TARGET_EXISTS/);
  assert.equal(await main(['labels', 'export', '--out', path.join(dir, 'c'), '--format', 'csv', '--from', '2022-05-22', '--to', '2022-05-23', '--db', db], io), 0);
  assert.equal(readFileSync(path.join(dir, 'c', 'labels.csv'), 'utf8').split('\n').length, 4);
  assert.equal(await main(['labels', 'export', '--out', dir, '--format', 'xls', '--db', db], io), 2);
  assert.equal(await main(['labels', 'import', path.join(dir, 'missing.mat'), '--db', db], io), 3);
  // a bad file is reported and the others are imported all the same
  const list = path.join(dir, 'classes.txt');
  writeFileSync(list, 'Alpha\nBeta\n');
  out = '';
  err = '';
  assert.equal(await main(['labels', 'import', path.join(dir, 'missing.mat'), list, '--db', db], io), 3);
  assert.equal(out, `${list}: class-list, 0 label(s) for 0 bin(s)\n`);
  assert.match(err, /^ifcb-viewer labels: .*missing\.mat: error FILE_MISSING: /);
  const check = openDatabase(db);
  assert.deepEqual(new LabelStore(check).classList('classes'), ['Alpha', 'Beta']);
  check.close();
  assert.equal(await main(['labels', 'frobnicate'], io), 2);
});

test('EcoTaxa annotation columns: validated library label, else validated manual-file label, else predicted class, else empty', () => {
  const label = { binId: BIN, roi: 2, label: 'Ciliates', annotator: 'ann', atMs: Date.UTC(2024, 5, 7, 8, 9, 10) };
  assert.deepEqual(ecotaxaAnnotation(label, 'Mesodinium_rubrum'), {
    object_annotation_category: 'Ciliates',
    object_annotation_status: 'validated',
    object_annotation_person_name: 'ann',
    object_annotation_date: '20240607',
    object_annotation_time: '080910',
  });
  const annotate = ecotaxaAnnotator([label], {
    binId: BIN,
    classes: ['Mesodinium_rubrum', 'unclassified'],
    classifierName: null,
    sources: [],
    hasThresholds: true,
    targets: [2, 3, 4],
    auto: [0, 0, -1],
    score: [0.9, 0.3, null],
    above: [0, 1, -1],
    manual: [-1, -1, 0],
    sizes: null,
    blobs: null,
    counts: [],
    mlAnalyzed: null,
    unmatched: [],
    problems: [],
  });
  assert.equal(annotate(2).object_annotation_status, 'validated');
  assert.deepEqual(annotate(3), { object_annotation_category: 'unclassified', object_annotation_status: 'predicted', object_annotation_person_name: '', object_annotation_date: '', object_annotation_time: '' });
  assert.deepEqual(annotate(4), { object_annotation_category: 'Mesodinium_rubrum', object_annotation_status: 'validated', object_annotation_person_name: '', object_annotation_date: '', object_annotation_time: '' });
  // a library label cleared to "not reviewed" hides the manual file's label
  assert.equal(ecotaxaAnnotator([{ ...label, roi: 4, label: null }], null)(4).object_annotation_category, '');
});

test('EcoTaxa columns for a real bin: the library label for ROI 2, the manual file’s (else the SMHI classifier’s) class for ROI 3', (t) => {
  const { store: s } = store(t);
  s.set([{ binId: BIN, targets: [2] }], 'Ciliates', { annotator: 'ann', atMs: Date.UTC(2024, 0, 1) });
  const recorded = scanProductFolder(PRODUCTS_ROOT).filter((f) => f.binId === BIN);
  const annotate = ecotaxaAnnotatorForBin(openBin(SAMPLE.C), s, recorded);
  assert.deepEqual([annotate(2).object_annotation_category, annotate(2).object_annotation_status], ['Ciliates', 'validated']);
  // ROI 3: the manual file beside the products says Mesodinium_rubrum (so does the SMHI classifier)
  assert.deepEqual([annotate(3).object_annotation_category, annotate(3).object_annotation_status], ['Mesodinium_rubrum', 'validated']);
  const classifierOnly = ecotaxaAnnotatorForBin(openBin(SAMPLE.C), undefined, recorded.filter((f) => f.kind !== 'manual-mat'));
  assert.deepEqual([classifierOnly(3).object_annotation_category, classifierOnly(3).object_annotation_status], ['Mesodinium_rubrum', 'predicted']);
  assert.equal(ecotaxaAnnotatorForBin(openBin(SAMPLE.C), undefined)(3).object_annotation_category, '');
});
