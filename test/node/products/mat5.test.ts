/** Our MAT v5 writer: read back by our reader and by scipy.io.loadmat with the same values. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readMat5, stringOf, stringsOf } from '../../../main/products/mat5.ts';
import { writeMat5, type MatWritable } from '../../../main/products/mat5-writer.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { pythonJson, pythonWith, skipMessage } from './python.ts';

const VARIABLES: [string, MatWritable][] = [
  ['classlist', { kind: 'double', rows: 3, cols: 3, data: [1, 2, 3, Number.NaN, 5, 1, Number.NaN, Number.NaN, Number.NaN] }],
  ['class2use_manual', { kind: 'cell', shape: 'row', items: ['unclassified', 'Mesodinium_rubrum', 'Tångesund_ß', 'Dinophysis_acuminata'] }],
  ['class2use_auto', { kind: 'double', rows: 0, cols: 0, data: [] }],
  ['list_titles', { kind: 'cell', shape: 'row', items: ['roi number', 'manual', 'auto'] }],
  ['default_class_original', { kind: 'cell', shape: 'row', items: ['unclassified'] }],
  ['column', { kind: 'cell', shape: 'column', items: ['a', '', 'ccc'] }],
  ['note', { kind: 'char', text: 'written by IFCB Viewer – µm' }],
  ['big', { kind: 'double', rows: 2, cols: 2, data: [1e300, -0, Number.POSITIVE_INFINITY, 2 ** -1074] }],
];

test('writeMat5 → readMat5 gives back every variable exactly (NaN, empty, UTF-16 text, column/row cells)', () => {
  const mat = readMat5(writeMat5(VARIABLES), 'roundtrip');
  assert.match(mat.description, /^MATLAB 5\.0 MAT-file/);
  assert.deepEqual([...mat.variables.keys()], VARIABLES.map(([n]) => n));
  const classlist = mat.variables.get('classlist')!;
  assert.equal(classlist.kind, 'numeric');
  assert.deepEqual(classlist.dims, [3, 3]);
  assert.deepEqual(Array.from(classlist.kind === 'numeric' ? classlist.real : []), [1, 2, 3, Number.NaN, 5, 1, Number.NaN, Number.NaN, Number.NaN]);
  assert.deepEqual(stringsOf(mat.variables.get('class2use_manual')!, 'c', 'f'), ['unclassified', 'Mesodinium_rubrum', 'Tångesund_ß', 'Dinophysis_acuminata']);
  assert.deepEqual(mat.variables.get('class2use_manual')!.dims, [1, 4]);
  assert.deepEqual(mat.variables.get('column')!.dims, [3, 1]);
  assert.deepEqual(stringsOf(mat.variables.get('column')!, 'c', 'f'), ['a', '', 'ccc']);
  assert.deepEqual(mat.variables.get('class2use_auto')!.dims, [0, 0]);
  const note = mat.variables.get('note')!;
  assert.deepEqual(note.kind === 'char' ? note.rows : [], ['written by IFCB Viewer – µm']);
  const big = mat.variables.get('big')!;
  assert.deepEqual(Array.from(big.kind === 'numeric' ? big.real : []), [1e300, -0, Number.POSITIVE_INFINITY, 2 ** -1074]);
});

test('scipy.io.loadmat reads our file with the same values', (t) => {
  const py = pythonWith('scipy');
  if (!py) return t.skip(skipMessage('scipy'));
  const dir = tempDirFor(t);
  const file = path.join(dir, 'labels.mat');
  writeFileSync(file, writeMat5(VARIABLES));
  const script = `
import scipy.io as sio, json, sys, math
m = sio.loadmat(sys.argv[1])
def conv(v):
    if v.dtype == object: return [conv(x) for x in v.ravel(order='F')]
    if v.dtype.kind == 'U': return ''.join(v.ravel().tolist())
    return [None if x != x else ('inf' if x == math.inf else float(x)) for x in v.ravel(order='F')]
print(json.dumps({k: {'shape': list(v.shape), 'dtype': v.dtype.kind, 'value': conv(v)} for k, v in m.items() if not k.startswith('__')}))`;
  const r = pythonJson<Record<string, { shape: number[]; dtype: string; value: unknown }>>(py, script, [file]);
  assert.deepEqual(r['classlist'], { shape: [3, 3], dtype: 'f', value: [1, 2, 3, null, 5, 1, null, null, null] });
  assert.deepEqual(r['class2use_manual'], { shape: [1, 4], dtype: 'O', value: ['unclassified', 'Mesodinium_rubrum', 'Tångesund_ß', 'Dinophysis_acuminata'] });
  assert.deepEqual(r['class2use_auto']!.shape, [0, 0]);
  assert.deepEqual(r['list_titles']!.value, ['roi number', 'manual', 'auto']);
  assert.deepEqual(r['default_class_original'], { shape: [1, 1], dtype: 'O', value: ['unclassified'] });
  assert.deepEqual(r['column'], { shape: [3, 1], dtype: 'O', value: ['a', '', 'ccc'] });
  assert.equal(r['note']!.value, 'written by IFCB Viewer – µm');
  assert.deepEqual(r['big']!.value, [1e300, -0, 'inf', 2 ** -1074]);
});

test('our reader on scipy-written files of every class we read: ints, single, logical, complex, struct, char matrix, nested cells', (t) => {
  const py = pythonWith('scipy');
  if (!py) return t.skip(skipMessage('scipy'));
  const dir = tempDirFor(t);
  const script = `
import scipy.io as sio, numpy as np, sys
v = {
  'i8': np.array([[-128, 127]], dtype='i1'), 'u16': np.array([[0], [65535]], dtype='u2'), 'i32': np.array([[-2**31, 2**31 - 1]], dtype='i4'),
  'u64': np.array([[2**53]], dtype='u8'), 'f32': np.array([[1.5, -0.25]], dtype='f4'), 'flag': np.array([[True, False, True]]),
  'z': np.array([[1 + 2j, -3.5j]]), 'cube': np.arange(24, dtype='f8').reshape(2, 3, 4),
  'rows': np.array(['ab', 'cd']), 's': {'name': 'Tångesund', 'n': 3.0},
  'nested': np.array([[np.array(['x'], dtype=object), np.zeros((0, 0))]], dtype=object),
}
sio.savemat(sys.argv[1], v, do_compression=False)
sio.savemat(sys.argv[2], v, do_compression=True)
`;
  const plain = path.join(dir, 'plain.mat');
  const packed = path.join(dir, 'packed.mat');
  execFileSync(py, ['-c', script, plain, packed]);
  for (const file of [plain, packed]) {
    const m = readMat5(readFileSync(file), file).variables;
    const nums = (name: string) => {
      const v = m.get(name)!;
      return v.kind === 'numeric' ? Array.from(v.real) : v.kind;
    };
    assert.deepEqual(nums('i8'), [-128, 127]);
    assert.deepEqual(nums('u16'), [0, 65535]);
    assert.deepEqual(nums('i32'), [-(2 ** 31), 2 ** 31 - 1]);
    assert.deepEqual(nums('u64'), [2 ** 53]);
    assert.deepEqual(nums('f32'), [1.5, -0.25]);
    const flag = m.get('flag')!;
    assert.ok(flag.kind === 'numeric' && flag.logical);
    assert.deepEqual(nums('flag'), [1, 0, 1]);
    const z = m.get('z')!;
    assert.ok(z.kind === 'numeric');
    assert.deepEqual([Array.from(z.real), Array.from(z.imag!)], [[1, -0], [2, -3.5]]);
    const cube = m.get('cube')!;
    assert.deepEqual(cube.dims, [2, 3, 4]);
    // column-major: element (i, j, k) at i + 2j + 6k holds the row-major value 12i + 4j + k
    assert.equal(cube.kind === 'numeric' && cube.real[1 + 2 * 2 + 6 * 3], 12 + 4 * 2 + 3);
    const rows = m.get('rows')!;
    assert.deepEqual(rows.kind === 'char' ? rows.rows : [], ['ab', 'cd']);
    const s = m.get('s')!;
    assert.ok(s.kind === 'struct');
    assert.deepEqual(s.fieldNames.sort(), ['n', 'name']);
    assert.equal(stringOf(s.items[0]!['name']!, 'name', file), 'Tångesund');
    const nested = m.get('nested')!;
    assert.ok(nested.kind === 'cell' && nested.items[0]!.kind === 'cell' && nested.items[1]!.kind === 'numeric');
  }
});
