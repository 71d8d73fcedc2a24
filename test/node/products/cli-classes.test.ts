/**
 * `ifcb-viewer classes` end to end on the shared bins with the shared products as `--products`: per-ROI rows in
 * target order, counts, concentration, unmatched rows reported, exit 3 with the code on an unreadable product.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../main/cli/main.ts';
import { writeCalibration } from '../../../main/index/calibration-store.ts';
import { openDatabase } from '../../../main/index/database.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { PRODUCTS_ROOT, product } from './paths.ts';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, isTTY: false });
  return { code, out, err };
}

const ML_IRFCB = 2.981272289134838;

// without --db the command reads the default library: none here, so the default calibration (3.4 px/µm) holds
process.env['IFCB_VIEWER_DB'] = path.join(tmpdir(), `ifcb-no-such-library-${process.pid}.sqlite`);

test('classes --json on the iRfcb bin: SMHI h5 + manual .mat + features, joined by ROI number', async () => {
  const r = await cli('classes', `${SAMPLE.C}.adc`, '--products', PRODUCTS_ROOT, '--json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.bin, 'D20220522T003051_IFCB134');
  assert.equal(doc.classifierName, 'SMHI NIVA ResNet50 V5');
  assert.equal(doc.mlAnalyzed, ML_IRFCB);
  assert.deepEqual(
    doc.rois.map((x: { roi: number; class: string; score: number; classAboveThreshold: string; manual: string }) => [x.roi, x.class, x.score, x.classAboveThreshold, x.manual]),
    [
      [2, 'Mesodinium_rubrum', 0.6300000000000001, 'Mesodinium_rubrum', 'Mesodinium_rubrum'],
      [3, 'Mesodinium_rubrum', 0.6900000000000002, 'Mesodinium_rubrum', 'Mesodinium_rubrum'],
    ],
  );
  assert.equal(doc.rois[0].features.esdUm, 79.96379802 / 3.4);
  assert.deepEqual(doc.counts, { Mesodinium_rubrum: 2 });
  assert.deepEqual(doc.concentration, { Mesodinium_rubrum: 2 / ML_IRFCB });
  assert.deepEqual(doc.manualCounts, { Mesodinium_rubrum: 2 });
  assert.deepEqual(doc.unmatched, []);
});

test('classes on the stitched IFCB5 bin: ROIs 1,2,3,5,6; sizes from features_v4 at a given px/µm', async () => {
  const r = await cli('classes', SAMPLE.A, '--products', PRODUCTS_ROOT, '--json', '--px-per-um', '2.77');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.deepEqual(
    doc.rois.map((x: { roi: number }) => x.roi),
    [1, 2, 3, 5, 6],
  );
  assert.equal(doc.rois[2].features.esdUm, 23.72281347 / 2.77);
  assert.equal(doc.rois[2].features.biovolumeUm3, 5147.593414 / 2.77 ** 3);
  assert.deepEqual(doc.counts, {});
  assert.deepEqual(
    doc.sources.map((s: { name: string }) => s.name),
    ['IFCB5_2012_028_081515_features_v4.csv', 'IFCB5_2012_028_081515_blobs_v4.zip'],
  );
});

test('classes takes px/µm from the instrument\'s stored calibration (--db); --px-per-um overrides it', async (t) => {
  const dir = tempDirFor(t);
  const dbPath = path.join(dir, 'lib.sqlite');
  const db = openDatabase(dbPath);
  writeCalibration(db, 134, 2.7);
  writeCalibration(db, 5, 3.1);
  db.close();
  const sizes = async (...extra: string[]) => {
    const r = await cli('classes', SAMPLE.C, '--products', PRODUCTS_ROOT, '--json', ...extra);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    return [doc.pxPerUm, doc.rois[0].features.esdUm, doc.rois[0].features.biovolumeUm3];
  };
  // ROI 2 of the fea_v2 table: EquivDiameter 79.96379802 px, summedBiovolume 204624.4959 px³
  assert.deepEqual(await sizes('--db', dbPath), [2.7, 79.96379802 / 2.7, 204624.4959 / 2.7 ** 3]);
  assert.deepEqual(await sizes(), [3.4, 79.96379802 / 3.4, 204624.4959 / 3.4 ** 3]);
  assert.deepEqual(await sizes('--db', dbPath, '--px-per-um', '3'), [3, 79.96379802 / 3, 204624.4959 / 3 ** 3]);
});

test('classes on the WHOI bin (adc+hdr only): 1346 images = the v3 h5 rows, argmax of float16 scores', async () => {
  const r = await cli('classes', product('raw-partial/D20141117T234033_IFCB102.adc'), '--products', PRODUCTS_ROOT, '--json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.rois.length, 1346);
  assert.deepEqual(doc.rois[0], {
    roi: 2,
    class: 'NanoP_less10',
    score: 0.984375,
    classAboveThreshold: 'NanoP_less10',
    manual: null,
    features: doc.rois[0].features,
  });
  assert.equal(doc.unmatched.length, 0);
  const total = Object.values(doc.counts as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(total, 1346);
});

test('rows for ROIs the bin does not have are reported (human and JSON); the others still join', async (t) => {
  const dir = tempDirFor(t);
  writeFileSync(
    path.join(dir, 'D20220522T003051_IFCB134.csv'),
    '"file_name","class_name","class_name_auto","score"\n"D20220522T003051_IFCB134_00001.png","A","A",0.5\n"D20220522T003051_IFCB134_00003.png","B","B",0.75\n"D20220522T003051_IFCB134_00099.png","C","C",0.9\n',
  );
  const r = await cli('classes', SAMPLE.C, '--products', dir, '--json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.deepEqual(doc.unmatched, [{ source: 'D20220522T003051_IFCB134.csv', rois: [1, 99] }]);
  assert.deepEqual(
    doc.rois.map((x: { roi: number; class: string | null; score: number | null }) => [x.roi, x.class, x.score]),
    [
      [2, null, null],
      [3, 'B', 0.75],
    ],
  );
  const human = await cli('classes', SAMPLE.C, '--products', dir);
  assert.match(human.out, /D20220522T003051_IFCB134\.csv: 2 row\(s\) for ROIs this bin does not have: 1, 99/);
});

test('an unreadable product is exit 3 with its code; usage errors are exit 2', async (t) => {
  const dir = tempDirFor(t);
  const h5 = readFileSync(product('class-scores/D20220522T003051_IFCB134_class.h5'));
  writeFileSync(path.join(dir, 'D20220522T003051_IFCB134_class.h5'), h5.subarray(0, 4000));
  const r = await cli('classes', SAMPLE.C, '--products', dir);
  assert.equal(r.code, 3);
  assert.match(r.err, /error PRODUCT_MALFORMED: .*D20220522T003051_IFCB134_class\.h5/);
  assert.equal((await cli('classes')).code, 2);
  assert.equal((await cli('classes', SAMPLE.C, '--px-per-um', '-1')).code, 2);
});

test('results add/list: a results folder for an indexed root records its bins’ products', async (t) => {
  const dir = tempDirFor(t);
  const db = path.join(dir, 'lib.sqlite');
  const root = path.dirname(SAMPLE.C);
  assert.equal((await cli('index', root, '--db', db)).code, 0);
  const added = await cli('results', 'add', root, PRODUCTS_ROOT, '--db', db);
  assert.equal(added.code, 0, added.err);
  assert.equal(added.out, `${PRODUCTS_ROOT}: 7 product file(s) recorded for the bins of ${root}\n`);
  // the same 7 files, counted in the folder that holds them
  assert.equal((await cli('results', 'list', '--db', db)).out, `${root}\t${PRODUCTS_ROOT}\t7\n`);
  assert.equal((await cli('results', 'add', dir, PRODUCTS_ROOT, '--db', db)).code, 3);
  assert.equal((await cli('results', 'add', root, '--db', db)).code, 2);
});
