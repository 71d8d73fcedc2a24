/** The decisions every score table shares: argmax per row and the threshold rule. */
import { UNCLASSIFIED } from './types.ts';

/**
 * SMHI / iRfcb / ifcb-analysis rule: the winning class if its score reaches that class's threshold (or the
 * class has none: NaN), else `unclassified`.
 */
export function classAboveThreshold(winner: string, score: number, threshold: number): string {
  return Number.isNaN(threshold) || score >= threshold ? winner : UNCLASSIFIED;
}

/** Argmax class and score of every row of a row-major rows×classes table (first maximum wins, NaN never wins). */
export function argmaxRows(scores: ArrayLike<number>, classes: readonly string[]): { winner: string[]; winnerScore: Float64Array; winnerIndex: Int32Array } {
  const c = classes.length;
  const rows = c === 0 ? 0 : scores.length / c;
  const winner: string[] = new Array<string>(rows);
  const winnerScore = new Float64Array(rows);
  const winnerIndex = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let j = 0; j < c; j++) {
      const s = scores[i * c + j]!;
      if (s > bestScore) {
        bestScore = s;
        best = j;
      }
    }
    winnerIndex[i] = best;
    winner[i] = best < 0 ? UNCLASSIFIED : classes[best]!;
    winnerScore[i] = best < 0 ? Number.NaN : bestScore;
  }
  return { winner, winnerScore, winnerIndex };
}

/** Class above threshold for every row, given per-class thresholds. */
export function applyThresholds(winnerIndex: Int32Array, winnerScore: Float64Array, classes: readonly string[], thresholds: Float64Array): string[] {
  return Array.from(winnerIndex, (j, i) => (j < 0 ? UNCLASSIFIED : classAboveThreshold(classes[j]!, winnerScore[i]!, thresholds[j]!)));
}
