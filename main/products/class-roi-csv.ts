/**
 * iRfcb / ClassiPyR per-ROI class CSV `<bin>.csv` (R write.csv): `file_name` (`<bin>_00002.png`),
 * `class_name` (thresholded), `class_name_auto` (argmax), `score` (the argmax score). No score matrix.
 */
import { IfcbError } from '../../shared/errors.ts';
import { csvNumber, parseCsv, requireWidth } from './csv.ts';
import { parseRoiId } from './roi-id.ts';
import type { ClassScores } from './types.ts';

export const ROI_CSV_COLUMNS = ['file_name', 'class_name', 'class_name_auto', 'score'] as const;

/** True when a CSV header is this format (used by discovery to tell it from a manual/other `<bin>.csv`). */
export function isRoiCsvHeader(header: readonly string[]): boolean {
  return ROI_CSV_COLUMNS.every((c) => header.includes(c));
}

export function readClassRoiCsv(text: string, file: string, binId?: string): ClassScores {
  const [header, ...rows] = parseCsv(text, file);
  if (!header || !isRoiCsvHeader(header)) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: expected columns ${ROI_CSV_COLUMNS.join(', ')}.`, { path: file });
  }
  requireWidth(rows, header.length, file);
  const [fileName, className, auto, score] = ROI_CSV_COLUMNS.map((c) => header.indexOf(c)) as [number, number, number, number];
  const winner = rows.map((r) => r[auto]!);
  const classes = [...new Set([...winner, ...rows.map((r) => r[className]!)])];
  return {
    format: 'roi-csv',
    source: file,
    classifierName: null,
    classes,
    rois: rows.map((r) => parseRoiId(r[fileName]!, file, binId)),
    scores: null,
    winner,
    winnerScore: Float64Array.from(rows, (r, i) => csvNumber(r[score]!, file, i + 2, 'score')),
    thresholds: null,
    aboveThreshold: rows.map((r) => r[className]!),
  };
}
