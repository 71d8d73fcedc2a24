/**
 * What a tile's class chip says, from the bin's class table: the class (a person's label, else the classifier's class
 * above threshold), the classifier's score when the chip names the class it scored, and whether a person's label
 * disagrees with the classifier. Plain values, so a memoised tile re-renders only when its own chip changes. Pure.
 */
import type { BinClasses } from '../../shared/ipc/contract.ts';
import { roiClass, rowOfTarget } from '../state/classes.ts';

export interface TileClassLabel {
  name: string;
  /** The classifier's score of `name` (null when the chip names another class, or nothing was scored). */
  score: number | null;
  /** A person's label. */
  manual: boolean;
  /** The classifier's class when a person's label differs from it, else null. */
  classifierClass: string | null;
}

export function tileClassLabel(table: BinClasses, target: number): TileClassLabel | null {
  const row = rowOfTarget(table, target);
  if (row < 0) return null;
  const said = roiClass(table, row);
  if (said.name === null) return null;
  const auto = table.auto[row]!;
  const scoredName = auto < 0 ? null : table.classes[auto]!;
  return {
    name: said.name,
    score: scoredName === said.name ? said.score : null,
    manual: said.manual,
    classifierClass: said.differs ? table.classes[table.above[row]!]! : null,
  };
}

/** The chip's tooltip: who said it and what the classifier said. */
export function chipTitle(label: TileClassLabel): string {
  const who = label.manual ? 'labelled by a person' : 'classifier';
  const score = label.score === null ? '' : `, score ${label.score.toFixed(3)}`;
  const differs = label.classifierClass === null ? '' : ` · classifier says ${label.classifierClass}`;
  return `${label.name} (${who}${score})${differs}`;
}
