/**
 * Filtering and sorting a bin's ROIs by class, score, manual label and size, on the columnar `BinClasses`
 * table (`bin:classes`). Pure and allocation-light: the mosaic re-runs it on every slider move, so it works on
 * row indices (positions in `table.targets`) and never builds per-ROI objects. Environment-free.
 */
import type { BinClasses } from '../ipc/contract.ts';

/** Which class column a class filter or sort looks at. */
export type ClassColumn = 'above' | 'auto' | 'manual' | 'effective';

export type SizeColumn = 'esdUm' | 'majorAxisUm' | 'minorAxisUm' | 'biovolumeUm3';

export interface RoiFilter {
  /** Keep ROIs whose class (in `column`) is one of these names. */
  classes?: readonly string[];
  /** Default 'effective': the manual label when reviewed, else the class above threshold. */
  column?: ClassColumn;
  /** Score range of the winning class, inclusive; ROIs without a score fail any score bound. */
  minScore?: number;
  maxScore?: number;
  /** Only ROIs the classifier scored whose manual label differs from its class above threshold. */
  manualDiffers?: boolean;
  /** Only ROIs nobody has labelled. */
  unreviewed?: boolean;
  /** Inclusive ranges per size column; ROIs without a size fail any size bound. */
  sizes?: Partial<Record<SizeColumn, { min?: number; max?: number }>>;
}

/** Class index of row `i` in `column` (-1 = none). */
export function classAt(table: BinClasses, i: number, column: ClassColumn): number {
  switch (column) {
    case 'above':
      return table.above[i]!;
    case 'auto':
      return table.auto[i]!;
    case 'manual':
      return table.manual[i]!;
    case 'effective':
      return table.manual[i]! >= 0 ? table.manual[i]! : table.above[i]!;
  }
}

/** Rows (positions in `table.targets`, ascending) that pass every condition of `filter`. */
export function filterRows(table: BinClasses, filter: RoiFilter): Int32Array {
  const n = table.targets.length;
  const column = filter.column ?? 'effective';
  let wanted: Uint8Array | null = null;
  if (filter.classes) {
    wanted = new Uint8Array(table.classes.length);
    const names = new Set(filter.classes);
    table.classes.forEach((c, j) => (wanted![j] = names.has(c) ? 1 : 0));
  }
  const minScore = filter.minScore ?? -Infinity;
  const maxScore = filter.maxScore ?? Infinity;
  const scoreBound = filter.minScore !== undefined || filter.maxScore !== undefined;
  const sizeBounds = Object.entries(filter.sizes ?? {})
    .filter(([, r]) => r !== undefined)
    .map(([col, r]) => ({ values: table.sizes?.[col as SizeColumn] ?? null, min: r!.min ?? -Infinity, max: r!.max ?? Infinity }));
  const out = new Int32Array(n);
  let k = 0;
  rows: for (let i = 0; i < n; i++) {
    if (wanted) {
      const c = classAt(table, i, column);
      if (c < 0 || wanted[c] === 0) continue;
    }
    if (scoreBound) {
      const s = table.score[i];
      if (s === null || s === undefined || s < minScore || s > maxScore) continue;
    }
    if (filter.manualDiffers && (table.manual[i]! < 0 || table.above[i]! < 0 || table.manual[i] === table.above[i])) continue;
    if (filter.unreviewed && table.manual[i]! >= 0) continue;
    for (const b of sizeBounds) {
      const v = b.values?.[i];
      if (v === null || v === undefined || v < b.min || v > b.max) continue rows;
    }
    out[k++] = i;
  }
  return out.slice(0, k);
}

export type SortKey = 'target' | 'score' | 'class' | SizeColumn;

/**
 * `rows` reordered by `key` (ties and missing values keep target order; missing values go last either way).
 * Class sorts by name in the effective column.
 */
export function sortRows(table: BinClasses, rows: Int32Array, key: SortKey, order: 'asc' | 'desc' = 'asc'): Int32Array {
  if (key === 'target') return order === 'asc' ? rows.slice() : rows.slice().reverse();
  const sign = order === 'asc' ? 1 : -1;
  let value: (i: number) => number | string | null;
  if (key === 'score') value = (i) => table.score[i] ?? null;
  else if (key === 'class') value = (i) => {
    const c = classAt(table, i, 'effective');
    return c < 0 ? null : table.classes[c]!;
  };
  else value = (i) => table.sizes?.[key][i] ?? null;
  return Int32Array.from(rows).sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
    if (va < vb) return -sign;
    if (va > vb) return sign;
    return a - b;
  });
}

/** One ROI as the CLI prints it (`classes --json`). */
export interface RoiClassRow {
  roi: number;
  class: string | null;
  score: number | null;
  classAboveThreshold: string | null;
  manual: string | null;
  features?: { esdUm: number | null; majorAxisUm: number | null; minorAxisUm: number | null; biovolumeUm3: number | null };
}

/** The table as per-ROI objects in target order. */
export function tableRows(table: BinClasses): RoiClassRow[] {
  const name = (j: number): string | null => (j < 0 ? null : table.classes[j]!);
  return table.targets.map((roi, i) => {
    const row: RoiClassRow = { roi, class: name(table.auto[i]!), score: table.score[i] ?? null, classAboveThreshold: name(table.above[i]!), manual: name(table.manual[i]!) };
    if (table.sizes) {
      const s = table.sizes;
      row.features = { esdUm: s.esdUm[i] ?? null, majorAxisUm: s.majorAxisUm[i] ?? null, minorAxisUm: s.minorAxisUm[i] ?? null, biovolumeUm3: s.biovolumeUm3[i] ?? null };
    }
    return row;
  });
}
