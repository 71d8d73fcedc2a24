/** Our MAT v5 writer: read back by our reader and by scipy.io.loadmat with the same values. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readMat5, stringsOf } from '../../../main/products/mat5.ts';
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
