/**
 * manual_classify results `<bin>.mat` (ifcb-analysis, iRfcb, ClassiPyR): `classlist` nROI×3(+) doubles with
 * column 1 = ROI number, column 2 = 1-based index into `class2use_manual` (NaN = not reviewed), column 3 =
 * the automatic class at annotation time. Every ADC row is listed, empty ROIs included.
 */
import { IfcbError } from '../../shared/errors.ts';
import { numericOf, readMat5, requireVariable, stringsOf } from './mat5.ts';
import { checkRoiNumber } from './roi-id.ts';
import type { ManualLabels } from './types.ts';

export function readManualMat(bytes: Uint8Array, file: string): ManualLabels {
  const mat = readMat5(bytes, file);
  const classlist = numericOf(requireVariable(mat, 'classlist', file), 'classlist', file);
  const classes = stringsOf(requireVariable(mat, 'class2use_manual', file), 'class2use_manual', file);
  const [n, cols] = classlist.dims as [number, number];
  if (classlist.dims.length !== 2 || (n > 0 && cols < 2)) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: classlist is ${classlist.dims.join('×')}, expected ROIs × (roi, manual, auto).`, { path: file, dims: classlist.dims });
  }
  const rois: number[] = [];
  const labels: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    rois.push(checkRoiNumber(classlist.real[i]!, file));
    const index = classlist.real[n + i]!;
    if (Number.isNaN(index)) {
      labels.push(null);
      continue;
    }
    const name = Number.isInteger(index) ? classes[index - 1] : undefined;
    if (name === undefined) {
      throw new IfcbError('PRODUCT_MALFORMED', `${file}: ROI ${rois[i]} has manual class index ${index}, outside class2use_manual (1..${classes.length}).`, { path: file, roi: rois[i], index });
    }
    labels.push(name);
  }
  return { source: file, classes, rois, labels };
}

/** A `class2use` list file (a single cell of names), or the manual list of a manual result file. */
export function readClassList(bytes: Uint8Array, file: string): string[] {
  const mat = readMat5(bytes, file);
  for (const name of ['class2use', 'class2use_manual']) {
    const v = mat.variables.get(name);
    if (v) return stringsOf(v, name, file);
  }
  throw new IfcbError('PRODUCT_MALFORMED', `${file} has no class2use list.`, { path: file });
}
