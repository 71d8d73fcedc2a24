/**
 * Score matrices with a class-name header:
 *  - the IFCB Dashboard autoclass CSV `<bin>_class_scores.csv`: `pid` (`<bin>_00002`) then one column per class;
 *  - the axiom `_class_v2.csv` quirk: the class header only, no ROI column; row i belongs to the i-th scored
 *    ROI, so the caller must pass the bin's scored targets (the same order as the features file).
 */
import { IfcbError } from '../../shared/errors.ts';
import { csvNumber, parseCsv, requireWidth } from './csv.ts';
import { parseRoiId } from './roi-id.ts';
import { argmaxRows } from './scores.ts';
import type { ClassScores } from './types.ts';

/**
 * `rowTargets`: for a matrix without ROI column, the targets its rows belong to in order (the bin's non-empty
 * ROIs); without it such a file is refused.
 */
export function readScoreMatrixCsv(text: string, file: string, options: { binId?: string; rowTargets?: readonly number[] } = {}): ClassScores {
  const [header, ...rows] = parseCsv(text, file);
  if (!header || header.length === 0) throw new IfcbError('PRODUCT_MALFORMED', `${file} is empty.`, { path: file });
  requireWidth(rows, header.length, file);
  const hasPid = header[0] === 'pid';
  const first = hasPid ? 1 : 0;
  const classes = header.slice(first);
  let rois: number[];
  if (hasPid) {
    rois = rows.map((r) => parseRoiId(r[0]!, file, options.binId));
  } else {
    const targets = options.rowTargets;
    if (!targets || targets.length !== rows.length) {
      throw new IfcbError('PRODUCT_MALFORMED', `${file} has no ROI column and ${rows.length} rows; it can only be matched to a bin with exactly that many scored ROIs (this one has ${targets?.length ?? 'unknown'}).`, {
        path: file,
        rows: rows.length,
        targets: targets?.length ?? null,
      });
    }
    rois = [...targets];
  }
  const c = classes.length;
  const scores = new Float64Array(rows.length * c);
  rows.forEach((r, i) => {
    for (let j = 0; j < c; j++) scores[i * c + j] = csvNumber(r[j + first]!, file, i + 2, classes[j]!);
  });
  const { winner, winnerScore } = argmaxRows(scores, classes);
  return {
    format: hasPid ? 'dashboard-csv' : 'score-matrix-csv',
    source: file,
    classifierName: null,
    classes,
    rois,
    scores,
    winner,
    winnerScore,
    thresholds: null,
    aboveThreshold: null,
  };
}
