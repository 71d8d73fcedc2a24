/**
 * `<bin>_class.h5` through jsfive (pure JS, public domain; it decodes the float16 scores of WHOI v3 files,
 * which h5wasm cannot). Two layouts share the name:
 *  - WHOI v3 (ifcb_classifier / ifcb-inference / axiom): `output_scores` (float16, N×C), `class_labels`,
 *    `roi_numbers`, optional `/metadata` attributes; no thresholds, so the class is the argmax.
 *  - SMHI / iRfcb / ClassiPyR: float64 scores plus `thresholds` (NaN = none), `classifier_name`,
 *    `class_name(_auto)`; the class above threshold follows the SMHI rule (scores.ts).
 * Scores are accepted as N×C or C×N (hdf5r writers reverse axes), ROI numbers as any integer type.
 * Everything jsfive throws (it throws non-Error values too) becomes PRODUCT_MALFORMED.
 */
import { File, type Dataset, type Dtype, type Group } from 'jsfive';
import { IfcbError, isIfcbError } from '../../shared/errors.ts';
import { checkRoiNumber } from './roi-id.ts';
import { applyThresholds, argmaxRows } from './scores.ts';
import type { ClassScores } from './types.ts';

export const HDF5_MAGIC = Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Most score cells (ROIs × classes) we decode: 100k ROIs × 500 classes. */
export const MAX_SCORE_CELLS = 50_000_000;

export function looksLikeHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && HDF5_MAGIC.every((b, i) => bytes[i] === b);
}

function malformed(file: string, message: string, details: Record<string, unknown> = {}): IfcbError {
  return new IfcbError('PRODUCT_MALFORMED', `${file}: ${message}`, { path: file, ...details });
}

function dataset(root: Group, name: string, file: string, required: true): Dataset;
function dataset(root: Group, name: string, file: string, required: false): Dataset | undefined;
function dataset(root: Group, name: string, file: string, required: boolean): Dataset | undefined {
  if (!root.keys.includes(name)) {
    if (required) throw malformed(file, `no /${name} dataset; not a class-score file.`, { dataset: name });
    return undefined;
  }
  const d = root.get(name);
  if (!('shape' in d)) throw malformed(file, `/${name} is a group, not a dataset.`, { dataset: name });
  return d as Dataset;
}

function shapeOf(d: Dataset, name: string, file: string, rank: number): number[] {
  const shape = d.shape;
  if (!Array.isArray(shape) || shape.length !== rank || shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw malformed(file, `/${name} has shape ${JSON.stringify(shape)}, expected ${rank} dimension(s).`, { dataset: name });
  }
  const cells = shape.reduce((a, b) => a * b, 1);
  if (cells > MAX_SCORE_CELLS) throw new IfcbError('PRODUCT_TOO_LARGE', `${file}: /${name} has ${cells} values, beyond what we read.`, { path: file, dataset: name, shape });
  return shape;
}

function isNumericDtype(dtype: Dtype, kinds: string): boolean {
  return typeof dtype === 'string' && new RegExp(`^[<>|]?[${kinds}][1248]$`).test(dtype);
}

function isStringDtype(dtype: Dtype): boolean {
  return (Array.isArray(dtype) && dtype[0] === 'VLEN_STRING') || (typeof dtype === 'string' && /^\|?S\d+$/.test(dtype));
}

function numbers(d: Dataset, name: string, file: string, count: number, kinds: string): number[] {
  if (!isNumericDtype(d.dtype, kinds)) throw malformed(file, `/${name} has type ${JSON.stringify(d.dtype)}, expected numbers.`, { dataset: name });
  const v = d.value;
  if (!Array.isArray(v) || v.length !== count || v.some((x) => typeof x !== 'number')) throw malformed(file, `/${name} holds ${Array.isArray(v) ? v.length : 0} values, expected ${count}.`, { dataset: name });
  return v as number[];
}

function strings(d: Dataset, name: string, file: string, count?: number): string[] {
  if (!isStringDtype(d.dtype)) throw malformed(file, `/${name} has type ${JSON.stringify(d.dtype)}, expected strings.`, { dataset: name });
  const v = d.value;
  if (!Array.isArray(v) || (count !== undefined && v.length !== count) || v.some((x) => typeof x !== 'string')) {
    throw malformed(file, `/${name} does not hold ${count ?? 'its'} strings.`, { dataset: name });
  }
  return v as string[];
}

function read(bytes: Uint8Array, file: string): ClassScores {
  if (!looksLikeHdf5(bytes)) throw malformed(file, 'not an HDF5 file (no signature at byte 0).');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const root = new File(buffer, file);
  const scoresSet = dataset(root, 'output_scores', file, true);
  const labelsSet = dataset(root, 'class_labels', file, true);
  const roisSet = dataset(root, 'roi_numbers', file, true);
  const [c] = shapeOf(labelsSet, 'class_labels', file, 1) as [number];
  const [n] = shapeOf(roisSet, 'roi_numbers', file, 1) as [number];
  const [a, b] = shapeOf(scoresSet, 'output_scores', file, 2) as [number, number];
  const transposed = !(a === n && b === c) && a === c && b === n;
  if (!transposed && !(a === n && b === c)) {
    throw malformed(file, `/output_scores is ${a}×${b}, but there are ${n} ROI numbers and ${c} classes.`, { shape: [a, b], rois: n, classes: c });
  }
  const classes = strings(labelsSet, 'class_labels', file, c);
  const rois = numbers(roisSet, 'roi_numbers', file, n, 'iu').map((r) => checkRoiNumber(r, file));
  const flat = numbers(scoresSet, 'output_scores', file, n * c, 'f');
  const wide = scoresSet.dtype === '<f8' || scoresSet.dtype === '>f8';
  const scores = wide ? new Float64Array(n * c) : new Float32Array(n * c);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) scores[i * c + j] = transposed ? flat[j * n + i]! : flat[i * c + j]!;

  const { winner, winnerScore, winnerIndex } = argmaxRows(scores, classes);
  const thresholdsSet = dataset(root, 'thresholds', file, false);
  const thresholds = thresholdsSet ? Float64Array.from(numbers(thresholdsSet, 'thresholds', file, c, 'f')) : null;
  const nameSet = dataset(root, 'classifier_name', file, false);
  let classifierName: string | null = nameSet ? (strings(nameSet, 'classifier_name', file)[0] ?? null) : null;
  if (classifierName === null && root.keys.includes('metadata')) {
    const modelId = root.get('metadata').attrs['model_id'];
    classifierName = typeof modelId === 'string' ? modelId : null;
  }
  return {
    format: thresholds ? 'smhi-h5' : 'whoi-h5-v3',
    source: file,
    classifierName,
    classes,
    rois,
    scores,
    winner,
    winnerScore,
    thresholds,
    aboveThreshold: thresholds ? applyThresholds(winnerIndex, winnerScore, classes, thresholds) : null,
  };
}

/** Read a `_class.h5` file's bytes (the whole file: HDF5 needs random access). */
export function readClassH5(bytes: Uint8Array, file: string): ClassScores {
  try {
    return read(bytes, file);
  } catch (e) {
    if (isIfcbError(e)) throw e;
    const why = e instanceof Error ? e.message : typeof e === 'string' ? e : 'unreadable HDF5 structure';
    throw malformed(file, `damaged or unsupported HDF5 file (${why.slice(0, 200)}).`);
  }
}
