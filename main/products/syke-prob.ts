/**
 * SYKE probabilities `<bin>.prob.csv`: `roi` (target number) then one column per class, and a separate
 * thresholds file (`class threshold` per line, space-separated). A class whose score reaches its threshold
 * is accepted (same rule as SMHI; classes missing from the thresholds file have none).
 */
import { IfcbError } from '../../shared/errors.ts';
import { csvNumber, parseCsv, requireWidth } from './csv.ts';
import { parseRoiId } from './roi-id.ts';
import { applyThresholds, argmaxRows } from './scores.ts';
import type { ClassScores } from './types.ts';

/** `class threshold` lines → map (blank lines skipped). */
export function readSykeThresholds(text: string, file: string): Map<string, number> {
  const out = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    const parts = t.split(/\s+/);
    const value = parts.length === 2 ? csvNumber(parts[1]!, file, i + 1, 'threshold') : Number.NaN;
    if (parts.length !== 2 || Number.isNaN(value)) {
      throw new IfcbError('PRODUCT_MALFORMED', `${file} line ${i + 1}: expected "class threshold".`, { path: file, line: i + 1 });
    }
    out.set(parts[0]!, value);
  });
  return out;
}

export function readSykeProb(text: string, file: string, thresholds?: Map<string, number>): ClassScores {
  const [header, ...rows] = parseCsv(text, file);
  if (!header || header[0] !== 'roi' || header.length < 2) throw new IfcbError('PRODUCT_MALFORMED', `${file}: expected a "roi" column then class columns.`, { path: file });
  requireWidth(rows, header.length, file);
  const classes = header.slice(1);
  const c = classes.length;
  const scores = new Float64Array(rows.length * c);
  rows.forEach((r, i) => {
    for (let j = 0; j < c; j++) scores[i * c + j] = csvNumber(r[j + 1]!, file, i + 2, classes[j]!);
  });
  const { winner, winnerScore, winnerIndex } = argmaxRows(scores, classes);
  const perClass = thresholds ? Float64Array.from(classes, (name) => thresholds.get(name) ?? Number.NaN) : null;
  return {
    format: 'syke-prob-csv',
    source: file,
    classifierName: null,
    classes,
    rois: rows.map((r) => parseRoiId(r[0]!, file)),
    scores,
    winner,
    winnerScore,
    thresholds: perClass,
    aboveThreshold: perClass ? applyThresholds(winnerIndex, winnerScore, classes, perClass) : null,
  };
}
