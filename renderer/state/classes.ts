/**
 * The class tables (`bin:classes`) of the bins in view, as a pure reducer, and what one ROI's class is. Tables
 * follow the view like geometry does (fetched when a bin is here, let go with it). A label the user assigns is
 * applied to the tables at once (`labelled`), so every tile shows it in the same frame; the library's answer then
 * replaces the bin's table (`arrived`) with what it stored. Every view starts a new generation; answers for an
 * older one are ignored.
 */
import type { BinClasses } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';

export interface ClassesState {
  /** The view generation these tables belong to. */
  generation: number;
  tables: ReadonlyMap<string, BinClasses>;
  /** Bins whose table could not be fetched (their tiles show no class). */
  failed: ReadonlyMap<string, ErrorInfo>;
}

export type ClassesAction =
  | { type: 'reset'; generation: number }
  | { type: 'arrived'; generation: number; table: BinClasses }
  | { type: 'failed'; generation: number; binId: string; error: ErrorInfo }
  /** Far from the viewport (their geometry was let go): fetched again when near. */
  | { type: 'dropped'; generation: number; binIds: readonly string[] }
  /** The user gave these ROIs a label (null clears it): shown at once, before the library answers. */
  | { type: 'labelled'; generation: number; rois: readonly { binId: string; targets: readonly number[] }[]; label: string | null }
  /** The user confirmed the classifier for these ROIs: each takes its class above threshold, shown at once. */
  | { type: 'confirmed'; generation: number; rois: readonly { binId: string; targets: readonly number[] }[] };

export const NO_CLASSES: ClassesState = { generation: -1, tables: new Map(), failed: new Map() };

export function classesReducer(state: ClassesState, action: ClassesAction): ClassesState {
  if (action.type === 'reset') return action.generation === state.generation ? state : { generation: action.generation, tables: new Map(), failed: new Map() };
  if (action.generation !== state.generation) return state;
  switch (action.type) {
    case 'arrived': {
      const tables = new Map(state.tables).set(action.table.binId, action.table);
      if (!state.failed.has(action.table.binId)) return { ...state, tables };
      const failed = new Map(state.failed);
      failed.delete(action.table.binId);
      return { ...state, tables, failed };
    }
    case 'failed':
      return { ...state, failed: new Map(state.failed).set(action.binId, action.error) };
    case 'dropped': {
      if (!action.binIds.some((id) => state.tables.has(id))) return state;
      const tables = new Map(state.tables);
      for (const id of action.binIds) tables.delete(id);
      return { ...state, tables };
    }
    case 'labelled': {
      let tables: Map<string, BinClasses> | null = null;
      for (const { binId, targets } of action.rois) {
        const table = state.tables.get(binId);
        if (!table) continue;
        tables ??= new Map(state.tables);
        tables.set(binId, withLabel(table, targets, action.label));
      }
      return tables ? { ...state, tables } : state;
    }
    case 'confirmed': {
      let tables: Map<string, BinClasses> | null = null;
      for (const { binId, targets } of action.rois) {
        const table = state.tables.get(binId);
        if (!table) continue;
        tables ??= new Map(state.tables);
        tables.set(binId, withClassifierConfirmed(table, targets));
      }
      return tables ? { ...state, tables } : state;
    }
  }
}

/** The table with these ROIs labelled with their class above threshold (ROIs the classifier did not score stay as they are). */
export function withClassifierConfirmed(table: BinClasses, targets: readonly number[]): BinClasses {
  const byClass = new Map<number, number[]>();
  for (const target of targets) {
    const row = rowOfTarget(table, target);
    const above = row >= 0 ? table.above[row]! : -1;
    if (above < 0) continue;
    let list = byClass.get(above);
    if (!list) byClass.set(above, (list = []));
    list.push(target);
  }
  let out = table;
  for (const [index, list] of byClass) out = withLabel(out, list, table.classes[index]!);
  return out;
}

/** Row of a target in a table (its targets ascend), -1 when the table has no such ROI. */
export function rowOfTarget(table: BinClasses, target: number): number {
  const t = table.targets;
  let lo = 0;
  let hi = t.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = t[mid]!;
    if (v === target) return mid;
    if (v < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The table with these ROIs manually labelled `label` (null: not reviewed any more): the class joins the list
 * when new, and the per-class manual counts follow. ROIs the table does not have are ignored.
 */
export function withLabel(table: BinClasses, targets: readonly number[], label: string | null): BinClasses {
  let classes = table.classes;
  let index = label === null ? -1 : classes.indexOf(label);
  if (label !== null && index < 0) {
    classes = [...classes, label];
    index = classes.length - 1;
  }
  const manual = table.manual.slice();
  for (const target of targets) {
    const row = rowOfTarget(table, target);
    if (row >= 0) manual[row] = index;
  }
  // counted as main counts them (bin:classes), so the table equals the library's own next answer
  const autoCounts = new Array<number>(classes.length).fill(0);
  const manualCounts = new Array<number>(classes.length).fill(0);
  for (const a of table.above) if (a >= 0) autoCounts[a]!++;
  for (const m of manual) if (m >= 0) manualCounts[m]!++;
  const ml = table.mlAnalyzed !== null && table.mlAnalyzed > 0 ? table.mlAnalyzed : null;
  const counts = classes
    .map((name, i) => ({ class: name, count: autoCounts[i]!, concentration: ml === null ? null : autoCounts[i]! / ml, manual: manualCounts[i]! }))
    .filter((c) => c.count > 0 || c.manual > 0);
  return { ...table, classes, manual, counts };
}

/** What a tile says about its ROI's class. */
export interface RoiClass {
  /** The manual label when reviewed, else the classifier's class above threshold; null when neither. */
  name: string | null;
  /** The classifier's score of its winning class (null when it did not score this ROI). */
  score: number | null;
  /** `name` is a person's label. */
  manual: boolean;
  /** A person's label that differs from the classifier's class above threshold. */
  differs: boolean;
}

export function roiClass(table: BinClasses, row: number): RoiClass {
  const m = table.manual[row]!;
  const above = table.above[row]!;
  const pick = m >= 0 ? m : above;
  return { name: pick < 0 ? null : table.classes[pick]!, score: table.score[row] ?? null, manual: m >= 0, differs: m >= 0 && above >= 0 && m !== above };
}
