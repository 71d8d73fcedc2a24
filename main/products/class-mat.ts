/**
 * ifcb-analysis TreeBagger results `<bin>_class_v1.mat` (MAT v5): `roinum` (N×1), `TBscores` (N×K,
 * column-major), `class2useTB` (K classes plus a final `unclassified`), `TBclass` (argmax) and
 * `TBclass_above_threshold` (as the classifier decided with its per-class optimal thresholds, which the file
 * does not store). The score of column j belongs to `class2useTB[j]`; the extra last name has no column.
 */
import { IfcbError } from '../../shared/errors.ts';
import { numericOf, readMat5, requireVariable, stringOf, stringsOf } from './mat5.ts';
import { checkRoiNumber } from './roi-id.ts';
import { argmaxRows } from './scores.ts';
import type { ClassScores } from './types.ts';

export function readClassMat(bytes: Uint8Array, file: string): ClassScores {
  const mat = readMat5(bytes, file);
  const roinum = numericOf(requireVariable(mat, 'roinum', file), 'roinum', file);
  const scores = numericOf(requireVariable(mat, 'TBscores', file), 'TBscores', file);
  const classList = stringsOf(requireVariable(mat, 'class2useTB', file), 'class2useTB', file);
  const n = roinum.real.length;
  const [rows, k] = scores.dims as [number, number];
  if (scores.dims.length !== 2 || rows !== n || (n > 0 && classList.length < k)) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: TBscores is ${scores.dims.join('×')} for ${n} ROIs and ${classList.length} class names.`, { path: file, dims: scores.dims, rois: n, classes: classList.length });
  }
  const classes = classList.slice(0, k);
  const rowMajor = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) rowMajor[i * k + j] = scores.real[j * n + i]!;
  const { winner, winnerScore } = argmaxRows(rowMajor, classes);
  const above = mat.variables.has('TBclass_above_threshold') ? stringsOf(mat.variables.get('TBclass_above_threshold')!, 'TBclass_above_threshold', file) : null;
  if (above !== null && above.length !== n) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: TBclass_above_threshold has ${above.length} entries for ${n} ROIs.`, { path: file });
  }
  return {
    format: 'class-v1-mat',
    source: file,
    classifierName: mat.variables.has('classifierName') ? stringOf(mat.variables.get('classifierName')!, 'classifierName', file) : null,
    classes,
    rois: Array.from(roinum.real, (r) => checkRoiNumber(r, file)),
    scores: rowMajor,
    winner,
    winnerScore,
    thresholds: null,
    aboveThreshold: above,
  };
}
