/**
 * Fuzzing the product and label readers: truncations, mutated bytes, wrong shapes and huge dimensions. Whatever the input,
 * a reader returns a value or throws an IfcbError with a PRODUCT_* code — never another error, never a hang.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { isIfcbError } from '../../../shared/errors.ts';
import { BlobArchive } from '../../../main/products/blobs.ts';
import { readClassH5 } from '../../../main/products/class-h5.ts';
import { readClassMat } from '../../../main/products/class-mat.ts';
import { readClassRoiCsv } from '../../../main/products/class-roi-csv.ts';
import { readFeatures } from '../../../main/products/features.ts';
import { readLabelFile } from '../../../main/products/labels-io.ts';
import { readManualMat } from '../../../main/products/manual-mat.ts';
import { MI, MX, readMat5 } from '../../../main/products/mat5.ts';
import { readScoreMatrixCsv } from '../../../main/products/score-matrix-csv.ts';
import { readSykeProb, readSykeThresholds } from '../../../main/products/syke-prob.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { product } from './paths.ts';
import { pythonWith, skipMessage } from './python.ts';

const PRODUCT_CODES = ['PRODUCT_MALFORMED', 'PRODUCT_UNSUPPORTED', 'PRODUCT_TOO_LARGE'];

/** Run a reader; only a typed product error may escape. Returns the error code, or 'ok'. */
function outcome(read: () => unknown): string {
  try {
    read();
    return 'ok';
  } catch (e) {
    if (!isIfcbError(e) || !PRODUCT_CODES.includes(e.code)) assert.fail(`unexpected ${e instanceof Error ? e.stack : String(e)}`);
    return e.code;
  }
}

const H5_FILES = ['class-scores/D20220522T003051_IFCB134_class.h5', 'class-scores/D20141117T234033_IFCB102_class.h5'];
const MAT_FILES = ['class-scores/D20220522T003051_IFCB134_class_v1.mat', 'manual/D20220522T003051_IFCB134.mat'];

test('HDF5: every truncation and random byte mutations give a value or a typed error', () => {
  for (const rel of H5_FILES) {
    const bytes = new Uint8Array(readFileSync(product(rel)));
    const step = Math.max(1, Math.floor(bytes.length / 300));
    for (let n = 0; n < bytes.length; n += step) outcome(() => readClassH5(bytes.slice(0, n), rel));
    assert.equal(outcome(() => readClassH5(bytes.slice(0, 100), rel)), 'PRODUCT_MALFORMED');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const copy = bytes.slice();
        for (const [at, v] of edits) copy[at] = v;
        outcome(() => readClassH5(copy, rel));
      }),
      { numRuns: 150 },
    );
  }
});

test('MAT v5: every truncation and random byte mutations give a value or a typed error', () => {
  for (const rel of MAT_FILES) {
    const bytes = new Uint8Array(readFileSync(product(rel)));
    const read = rel.includes('class_v1') ? readClassMat : readManualMat;
    for (let n = 0; n < bytes.length; n += 7) outcome(() => read(bytes.slice(0, n), rel));
    assert.equal(outcome(() => read(bytes.slice(0, bytes.length - 1), rel)), 'PRODUCT_MALFORMED');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const copy = bytes.slice();
        for (const [at, v] of edits) copy[at] = v;
        outcome(() => read(copy, rel));
      }),
      { numRuns: 300 },
    );
  }
});

/** An uncompressed MAT v5 file holding one double matrix with the given dims and `values` doubles of data. */
function rawMat(dims: number[], values: number): Uint8Array {
  const header = new Uint8Array(128).fill(0x20);
  header.set(new TextEncoder().encode('MATLAB 5.0 MAT-file, fuzz'));
  const hv = new DataView(header.buffer);
  hv.setUint16(124, 0x0100, true);
  header[126] = 0x49;
  header[127] = 0x4d;
  const body: number[] = [];
  const u32 = (...vs: number[]) => vs.forEach((v) => body.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff));
  u32(MI.UINT32, 8, MX.DOUBLE, 0);
  u32(MI.INT32, dims.length * 4, ...dims);
  if (dims.length % 2 === 1) u32(0);
  u32(MI.INT8, 1);
  body.push(0x78, 0, 0, 0, 0, 0, 0, 0);
  u32(MI.DOUBLE, values * 8);
  for (let i = 0; i < values * 8; i++) body.push(0);
  const el = new Uint8Array(8 + body.length);
  const ev = new DataView(el.buffer);
  ev.setUint32(0, MI.MATRIX, true);
  ev.setUint32(4, body.length, true);
  el.set(body, 8);
  const out = new Uint8Array(128 + el.length);
  out.set(header);
  out.set(el, 128);
  return out;
}

test('MAT v5: huge or inconsistent dimensions are PRODUCT_TOO_LARGE / PRODUCT_MALFORMED before any allocation', () => {
  assert.equal(readMat5(rawMat([2, 3], 6), 'ok').variables.get('x')?.kind, 'numeric');
  assert.equal(outcome(() => readMat5(rawMat([65536, 65536], 1), 'huge')), 'PRODUCT_TOO_LARGE');
  assert.equal(outcome(() => readMat5(rawMat([2147483647, 2147483647, 2147483647], 0), 'huge3')), 'PRODUCT_TOO_LARGE');
  assert.equal(outcome(() => readMat5(rawMat([3, 3], 4), 'short')), 'PRODUCT_MALFORMED');
  assert.equal(outcome(() => readMat5(rawMat([1, 1], 1).map((b, i) => (i === 125 ? 2 : b)), 'v73')), 'PRODUCT_UNSUPPORTED');
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 2 ** 31 - 1 }), { minLength: 0, maxLength: 5 }), fc.nat(16), (dims, values) => {
      outcome(() => readMat5(rawMat(dims, values), 'dims'));
    }),
  );
});

test('HDF5 wrong shapes and types written by h5py: PRODUCT_MALFORMED / PRODUCT_TOO_LARGE', (t) => {
  const py = pythonWith('h5py');
  if (!py) return t.skip(skipMessage('h5py'));
  const dir = tempDirFor(t);
  const script = `
import h5py, numpy as np, sys, os
d = sys.argv[1]
def make(name, **sets):
    with h5py.File(os.path.join(d, name + '.h5'), 'w') as f:
        for k, v in sets.items():
            if isinstance(v, tuple): f.create_dataset(k, shape=v[0], dtype=v[1], chunks=v[2])
            else: f[k] = v
labels = np.array([b'a', b'b'], dtype=h5py.string_dtype())
make('ok', output_scores=np.array([[0.1, 0.9], [0.7, 0.3]], dtype='f2'), class_labels=labels, roi_numbers=np.array([2, 5], dtype='u4'))
make('transposed', output_scores=np.array([[0.1, 0.7, 0.2], [0.9, 0.3, 0.8]]), class_labels=labels, roi_numbers=np.array([2, 5, 6], dtype='i4'))
make('shape', output_scores=np.zeros((3, 2)), class_labels=labels, roi_numbers=np.array([2, 5], dtype='i4'))
make('rank3', output_scores=np.zeros((2, 2, 1)), class_labels=labels, roi_numbers=np.array([2, 5], dtype='i4'))
make('float_rois', output_scores=np.zeros((2, 2)), class_labels=labels, roi_numbers=np.array([2.5, 5]))
make('int_labels', output_scores=np.zeros((2, 2)), class_labels=np.array([1, 2]), roi_numbers=np.array([2, 5]))
make('zero_roi', output_scores=np.zeros((2, 2)), class_labels=labels, roi_numbers=np.array([0, 5]))
make('missing', output_scores=np.zeros((2, 2)), class_labels=labels)
make('huge', output_scores=((10**6, 10**3), 'f4', (1000, 100)), class_labels=labels, roi_numbers=np.array([2, 5]))
make('group', output_scores=np.zeros((2, 2)), class_labels=labels, roi_numbers=np.array([2, 5]))
with h5py.File(os.path.join(d, 'group.h5'), 'a') as f:
    del f['roi_numbers']; f.create_group('roi_numbers')
`;
  execFileSync(py, ['-c', script, dir]);
  const read = (name: string) => () => readClassH5(new Uint8Array(readFileSync(path.join(dir, `${name}.h5`))), name);
  const ok = read('ok')();
  assert.deepEqual([ok.rois, ok.winner, Array.from(ok.winnerScore)], [[2, 5], ['b', 'a'], [0.89990234375, 0.7001953125]]);
  const transposed = read('transposed')();
  assert.deepEqual([transposed.rois, transposed.winner], [[2, 5, 6], ['b', 'a', 'b']]);
  for (const name of ['shape', 'rank3', 'float_rois', 'int_labels', 'zero_roi', 'missing', 'group']) assert.equal(outcome(read(name)), 'PRODUCT_MALFORMED', name);
  assert.equal(outcome(read('huge')), 'PRODUCT_TOO_LARGE');
});

test('CSV readers: arbitrary text gives a value or a typed error', () => {
  const header = fc.constantFrom('roi,a,b\n', 'pid,a,b\n', '"file_name","class_name","class_name_auto","score"\n', 'roi_number,Area,EquivDiameter\n', '');
  const cell = fc.oneof(fc.constantFrom('1', '2.5', 'NaN', '', '"x"', 'D20220522T003051_IFCB134_00002.png', '1e999', '-3', '"a,b"', '"'), fc.string({ maxLength: 6 }));
  const body = fc.array(fc.array(cell, { maxLength: 5 }).map((cells) => cells.join(',')), { maxLength: 6 }).map((lines) => lines.join(fc.sample(fc.constantFrom('\n', '\r\n'), 1)[0]!));
  fc.assert(
    fc.property(header, body, (h, b) => {
      const text = h + b;
      outcome(() => readSykeProb(text, 'p', new Map([['a', 0.5]])));
      outcome(() => readScoreMatrixCsv(text, 's', { binId: 'D20220522T003051_IFCB134', rowTargets: [2, 3] }));
      outcome(() => readClassRoiCsv(text, 'r', 'D20220522T003051_IFCB134'));
      outcome(() => readFeatures(text, 'f', 2));
      outcome(() => readSykeThresholds(text, 't'));
    }),
    { numRuns: 500 },
  );
  // truncating a real table anywhere
  const real = readFileSync(product('features-blobs/IFCB5_2012_028_081515_features_v4.csv'), 'utf8');
  for (let n = 0; n < real.length; n += 13) outcome(() => readFeatures(real.slice(0, n), 'f', 4));
  assert.equal(outcome(() => readFeatures('roi_number,a\n1,2,3\n', 'f', 4)), 'PRODUCT_MALFORMED');
  assert.equal(outcome(() => readFeatures('roi_number,a\n1,x\n', 'f', 4)), 'PRODUCT_MALFORMED');
  assert.equal(outcome(() => readClassRoiCsv('"file_name","class_name","class_name_auto","score"\n"D20220522T000439_IFCB134_00002.png",a,a,1\n', 'r', 'D20220522T003051_IFCB134')), 'PRODUCT_MALFORMED');
});

test('blob zip: truncations and mutations give a value or a typed error', () => {
  const bytes = new Uint8Array(readFileSync(product('features-blobs/IFCB5_2012_028_081515_blobs_v4.zip')));
  for (let n = 0; n < bytes.length; n += 5) outcome(() => new BlobArchive(bytes.slice(0, n), 'z'));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
      const copy = bytes.slice();
      for (const [at, v] of edits) copy[at] = v;
      outcome(() => {
        const zip = new BlobArchive(copy, 'z');
        for (const e of zip.entries) zip.png(e.roi);
      });
    }),
    { numRuns: 300 },
  );
});

test('label files (text class lists, label tables): arbitrary text gives names/labels that are well-formed, or a typed error', (t) => {
  const dir = tempDirFor(t);
  const line = fc.oneof(fc.constantFrom('Ciliates', ' Dinophysis_acuminata ', '', 'Beads 0.90', 'a\tb', '\u0001x', 'x'.repeat(201), 'D20220522T003051_IFCB134', 'nan'), fc.string({ maxLength: 12 }));
  const text = fc.array(line, { maxLength: 8 }).map((lines) => lines.join('\n'));
  const header = fc.constantFrom('sample_name,roi_number,class_name\n', 'sample_name,roi_number,class_name,annotator,timestamp\n', 'a,b\n', '');
  const row = fc
    .tuple(fc.constantFrom('D20220522T003051_IFCB134', 'D20220522T003051_IFCB134_00002.png', 'x', ''), fc.constantFrom('2', 'D20220522T003051_IFCB134_00003', '-1', '1.5', ''), fc.string({ maxLength: 8 }))
    .map((cells) => cells.join(','));
  let n = 0;
  const read = (body: string, ext: string) => {
    const file = path.join(dir, `f${n++}${ext}`);
    writeFileSync(file, body);
    try {
      return readLabelFile(file, { annotator: 'me', now: 0 });
    } catch (e) {
      if (!isIfcbError(e) || ![...PRODUCT_CODES, 'INVALID_ARGUMENT'].includes(e.code)) assert.fail(`unexpected ${e instanceof Error ? e.stack : String(e)}`);
      return null;
    }
  };
  fc.assert(
    fc.property(text, (body) => {
      const list = read(body, '.txt')?.classList?.classes;
      if (!list) return;
      assert.ok(list.length > 0);
      assert.equal(new Set(list).size, list.length);
      for (const name of list) assert.ok(name === name.trim() && name !== '' && name.length <= 200 && !/[\u0000-\u001f\u007f]/.test(name), JSON.stringify(name));
    }),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(header, fc.array(row, { maxLength: 5 }), (h, rows) => {
      const labels = read(h + rows.join('\n'), '.csv')?.labels ?? [];
      for (const l of labels) {
        assert.equal(l.binId, 'D20220522T003051_IFCB134');
        assert.ok(Number.isInteger(l.roi) && l.roi >= 1);
        assert.ok(l.label !== '' && l.label === l.label.trim());
      }
    }),
    { numRuns: 200 },
  );
});
