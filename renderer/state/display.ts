/**
 * What the mosaic displays for a view: the images in display order (as keys, see shared/mosaic/keys.ts) with
 * their native sizes, grouped in sections (one per bin, in time order), and the counts the status bar shows.
 * Filtering applies bin by bin; sorting by anything but the ROI number sorts across the whole range in one
 * section without headers, which needs every bin's geometry first. Conditions and sorts on classifier results,
 * labels and feature sizes read each bin's class table (`bin:classes`), joined to its images by target number; a
 * sort across bins by them, like any other, waits for every bin's geometry and table. Pure.
 */
import { arrangeImages, keyValues } from '../../shared/mosaic/arrange.ts';
import type { ArrangeOptions, ArrangeTable, SortKeyOption, SortSpec } from '../../shared/mosaic/arrange.ts';
import { roiKey, slotOfKey } from '../../shared/mosaic/keys.ts';
import type { BinGeometry } from '../../shared/ipc/bin-geometry.ts';
import type { BinClasses } from '../../shared/ipc/contract.ts';
import { classAt, filterRows } from '../../shared/classes/filter.ts';
import type { RoiFilter, SizeColumn } from '../../shared/classes/filter.ts';
import type { ViewBin, ViewState } from './view.ts';
import { viewBins } from './view.ts';
import { rowOfTarget } from './classes.ts';
import type { ClassesState } from './classes.ts';
import { classConditionActive, featureConditionActive } from './filter.ts';
import type { MosaicFilter } from './filter.ts';

export interface DisplaySection {
  /** The bin's place in the view. */
  slot: number;
  header: boolean;
  /** Display indices [start, end) of its tiles. */
  start: number;
  end: number;
  /** Whether its geometry is here (otherwise a placeholder for `expectedImages`). */
  loaded: boolean;
  expectedImages: number;
  /** Stands for the section's tiles while they are unchanged (the bin's arranged order): layouts are cached by it. */
  identity?: object;
}

export interface DisplayModel {
  keys: number[];
  width: number[];
  height: number[];
  sections: DisplaySection[];
  /** Tiles displayed (after the filter). */
  shown: number;
  /** Images of the bins whose geometry is here. */
  total: number;
  binsLoaded: number;
  binsTotal: number;
  /** Sorted across bins: one section, no headers. */
  across: boolean;
  /** A sort across bins waits for every bin's geometry (and class table, when it reads them): nothing is displayed until then. */
  waitingForAll: boolean;
  /** What the class conditions and sorts found (all zero when none is set). */
  classes: ClassCounts;
}

export interface ClassCounts {
  /** A condition or sort reads the class tables. */
  needed: boolean;
  /** Bins whose geometry is here but whose class table is not yet (their images wait). */
  pending: number;
  /** Bins without classifier results or labels, while a class condition is set (they show no image). */
  withoutResults: number;
  /** Bins without a features file, while a size (ESD, biovolume) condition is set (they show no image). */
  withoutFeatures: number;
}

const num = (s: string): number | undefined => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

/** The arrange options of one bin (its instrument's calibration converts the µm size filter). */
export function arrangeOptions(sort: SortSpec, filter: MosaicFilter, pxPerUm: number): ArrangeOptions {
  const options: ArrangeOptions = { sort, pxPerUm };
  const sizeMin = num(filter.sizeMin);
  const sizeMax = num(filter.sizeMax);
  if (sizeMin !== undefined || sizeMax !== undefined) options.sizeUm = { ...(sizeMin !== undefined ? { min: sizeMin } : {}), ...(sizeMax !== undefined ? { max: sizeMax } : {}) };
  const fMin = num(filter.fieldMin);
  const fMax = num(filter.fieldMax);
  if (filter.field !== '' && (fMin !== undefined || fMax !== undefined)) {
    options.column = { key: filter.field, ...(fMin !== undefined ? { min: fMin } : {}), ...(fMax !== undefined ? { max: fMax } : {}) };
  }
  return options;
}

/** Why the filter can match nothing (a minimum above its maximum), for a warning; null when it can. */
export function filterProblem(filter: MosaicFilter): string | null {
  const check = (what: string, min: string, max: string): string | null => {
    const a = num(min);
    const b = num(max);
    return a !== undefined && b !== undefined && a > b ? `${what}: the minimum (${a}) is above the maximum (${b}), so no image can match.` : null;
  };
  return (
    check('Size filter', filter.sizeMin, filter.sizeMax) ??
    (filter.field !== '' ? check(`${filter.field.replace(/^adc:/, '')} filter`, filter.fieldMin, filter.fieldMax) : null) ??
    check('ESD filter', filter.esdMin, filter.esdMax) ??
    check('Biovolume filter', filter.biovolumeMin, filter.biovolumeMax)
  );
}

/** Sort keys read from the class tables, by the column of the table they sort on. */
const CLASS_SORTS = {
  'class:score': { label: 'Score', column: 'score' },
  'class:name': { label: 'Class', column: 'class' },
  'class:esd': { label: 'ESD (µm)', column: 'esdUm' },
  'class:biovolume': { label: 'Biovolume (µm³)', column: 'biovolumeUm3' },
} as const satisfies Record<string, { label: string; column: 'score' | 'class' | SizeColumn }>;
type ClassSortKey = keyof typeof CLASS_SORTS;

/** The class sorts offered beside the image and ADC keys. */
export const CLASS_SORT_OPTIONS: readonly SortKeyOption[] = Object.entries(CLASS_SORTS).map(([key, { label }]) => ({ key, label }));

function classSortOf(sort: SortSpec): ClassSortKey | null {
  return Object.hasOwn(CLASS_SORTS, sort.key) ? (sort.key as ClassSortKey) : null;
}

/** The filter's conditions on the class table, as shared/classes/filter.ts takes them; null when it sets none. */
export function roiFilterOf(filter: MosaicFilter): RoiFilter | null {
  if (!classConditionActive(filter) && !featureConditionActive(filter)) return null;
  const out: RoiFilter = {};
  if (filter.classes.length > 0) out.classes = filter.classes;
  if (filter.minScore > 0) out.minScore = filter.minScore;
  if (filter.manualDiffers) out.manualDiffers = true;
  if (filter.unreviewed) out.unreviewed = true;
  const range = (min: string, max: string): { min?: number; max?: number } | undefined => {
    const a = num(min);
    const b = num(max);
    return a === undefined && b === undefined ? undefined : { ...(a !== undefined ? { min: a } : {}), ...(b !== undefined ? { max: b } : {}) };
  };
  const esd = range(filter.esdMin, filter.esdMax);
  const biovolume = range(filter.biovolumeMin, filter.biovolumeMax);
  if (esd || biovolume) out.sizes = { ...(esd ? { esdUm: esd } : {}), ...(biovolume ? { biovolumeUm3: biovolume } : {}) };
  return out;
}

/** Whether the sort or the filter reads the bins' class tables. */
export function classesNeeded(sort: SortSpec, filter: MosaicFilter): boolean {
  return classSortOf(sort) !== null || roiFilterOf(filter) !== null;
}

/** ADC columns a sort or filter reads (what `bins:geometry` must bring along). */
export function columnsNeeded(sort: SortSpec, filter: MosaicFilter): string[] {
  const out = new Set<string>();
  if (sort.key.startsWith('adc:')) out.add(sort.key.slice(4));
  if (filter.field.startsWith('adc:') && (filter.fieldMin !== '' || filter.fieldMax !== '')) out.add(filter.field.slice(4));
  return [...out];
}

/** Whether the display order crosses bins (any sort but the ROI number). */
export function sortsAcross(sort: SortSpec): boolean {
  return sort.key !== 'target';
}

export function tableOf(g: BinGeometry): ArrangeTable {
  return { count: g.target.length, target: g.target, width: g.width, height: g.height, adcColumns: g.adcColumns, adc: g.columns };
}

/**
 * The last display order of each bin's geometry, by the options that made it: a bin arriving in a range re-arranges
 * only itself, not every bin already shown.
 */
const orders = new WeakMap<BinGeometry, { key: string; order: Int32Array }>();

function arrangedOnce(g: BinGeometry, options: ArrangeOptions): Int32Array {
  const key = JSON.stringify(options);
  const hit = orders.get(g);
  if (hit && hit.key === key) return hit.order;
  const order = arrangeImages(tableOf(g), options);
  orders.set(g, { key, order });
  return order;
}

export interface DisplayOptions {
  sort: SortSpec;
  filter: MosaicFilter;
  pxPerUmOf: (bin: ViewBin) => number;
  /** The bins' class tables (read only when a class condition or sort is set). */
  classes?: Pick<ClassesState, 'tables' | 'failed'>;
}

/** Row of each image of `g` in `table` (-1: the table has no such ROI), kept per geometry while its table is the same. */
const tableRows = new WeakMap<BinGeometry, { table: BinClasses; rows: Int32Array }>();

function rowsOf(g: BinGeometry, table: BinClasses): Int32Array {
  const hit = tableRows.get(g);
  if (hit && hit.table === table) return hit.rows;
  const rows = new Int32Array(g.target.length);
  for (let i = 0; i < rows.length; i++) rows[i] = rowOfTarget(table, g.target[i]!);
  tableRows.set(g, { table, rows });
  return rows;
}

/** The sort value of table row `row` (null: missing, sorted last). */
function classValue(table: BinClasses, row: number, key: ClassSortKey): number | string | null {
  if (row < 0) return null;
  const column = CLASS_SORTS[key].column;
  if (column === 'score') return table.score[row] ?? null;
  if (column === 'class') {
    const c = classAt(table, row, 'effective');
    return c < 0 ? null : table.classes[c]!;
  }
  return table.sizes?.[column][row] ?? null;
}

/** Ascending order of two sort values, missing ones last whichever the direction (0 = tie). */
function compareValues(a: number | string | null, b: number | string | null, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (a < b) return -sign;
  if (a > b) return sign;
  return 0;
}

/** The class step of one bin: which of `base` (its arranged order) pass the class conditions, sorted within the bin by a class key. */
interface ClassStep {
  roiFilter: RoiFilter | null;
  /** The class conditions need classifier results or labels (a bin with neither shows nothing). */
  needsResults: boolean;
  /** Sort within the bin (null: keep `base`'s order). */
  sortKey: ClassSortKey | null;
  descending: boolean;
}

const classOrders = new WeakMap<BinGeometry, { key: string; table: BinClasses | null; base: Int32Array; order: Int32Array }>();

function classOrdered(g: BinGeometry, table: BinClasses | null, base: Int32Array, step: ClassStep): Int32Array {
  const key = JSON.stringify(step);
  const hit = classOrders.get(g);
  if (hit && hit.key === key && hit.table === table && hit.base === base) return hit.order;
  let order = base;
  if (step.roiFilter) {
    if (!table || (step.needsResults && table.classes.length === 0)) order = new Int32Array(0);
    else {
      const pass = new Uint8Array(table.targets.length);
      for (const row of filterRows(table, step.roiFilter)) pass[row] = 1;
      const rows = rowsOf(g, table);
      order = base.filter((i) => rows[i]! >= 0 && pass[rows[i]!] === 1);
    }
  }
  if (step.sortKey && table) {
    const rows = rowsOf(g, table);
    const sign = step.descending ? -1 : 1;
    const k = step.sortKey;
    const values = new Array<number | string | null>(g.target.length);
    for (const i of order) values[i] = classValue(table, rows[i]!, k);
    order = Int32Array.from(order).sort((a, b) => compareValues(values[a]!, values[b]!, sign) || g.target[a]! - g.target[b]!);
  }
  classOrders.set(g, { key, table, base, order });
  return order;
}

export function buildDisplay(view: ViewState, options: DisplayOptions): DisplayModel {
  const bins = viewBins(view);
  const headers = view.kind === 'range';
  const across = headers && sortsAcross(options.sort);
  const classSort = classSortOf(options.sort);
  const roiFilter = roiFilterOf(options.filter);
  const needed = classSort !== null || roiFilter !== null;
  const counts: ClassCounts = { needed, pending: 0, withoutResults: 0, withoutFeatures: 0 };
  const model: DisplayModel = { keys: [], width: [], height: [], sections: [], shown: 0, total: 0, binsLoaded: 0, binsTotal: bins.length, across, waitingForAll: false, classes: counts };
  const held = bins.filter((bin) => bin.status === 'ready' || bin.status === 'error').length;
  // a bin let go counts as loaded, but a sort across bins needs every geometry held
  model.binsLoaded = held + bins.filter((bin) => bin.letGo).length;
  // A bin's class table: here, failed (read as none), or pending (its images wait).
  const classTableOf = (bin: ViewBin): BinClasses | null | 'pending' => {
    const table = options.classes?.tables.get(bin.id);
    if (table) return table;
    return options.classes?.failed.has(bin.id) ? null : 'pending';
  };
  if (needed) {
    for (const bin of bins) {
      if (bin.status !== 'ready' || !bin.geometry?.bin.hasRoiFile) continue;
      const table = classTableOf(bin);
      if (table === 'pending') counts.pending++;
      else if (classConditionActive(options.filter) && (!table || table.classes.length === 0)) counts.withoutResults++;
      else if (featureConditionActive(options.filter) && !table?.sizes) counts.withoutFeatures++;
    }
  }
  if (across && (held < bins.length || counts.pending > 0)) {
    model.waitingForAll = true;
    return model;
  }
  // Within one bin (or bin by bin): arrangeImages sorts and filters; across bins, filter each and sort the union.
  // A class sort orders within the bin after the class conditions (arrangeImages keeps target order then).
  const perBin = across || classSort ? { ...options.sort, key: 'target', descending: false } : options.sort;
  const step: ClassStep = { roiFilter, needsResults: classConditionActive(options.filter), sortKey: across ? null : classSort, descending: options.sort.descending === true };
  const merged: { slot: number; index: number; value: number | string | null }[] = [];
  let letGoShown = 0;
  bins.forEach((bin, slot) => {
    const g = bin.geometry;
    const start = model.keys.length;
    if (!g) {
      // a bin let go (only ever without a filter or a sort across bins) still counts what it showed
      model.total += bin.letGo?.images ?? 0;
      letGoShown += bin.letGo?.shown ?? 0;
      if (!across) model.sections.push({ slot, header: headers, start, end: start, loaded: false, expectedImages: bin.status === 'error' ? 0 : (bin.imageCount ?? 0) });
      return;
    }
    model.total += g.target.length;
    // Without its .roi a bin's images are counted but cannot be shown.
    if (!g.bin.hasRoiFile) {
      if (!across) model.sections.push({ slot, header: headers, start, end: start, loaded: true, expectedImages: 0 });
      return;
    }
    let order = arrangedOnce(g, arrangeOptions(perBin, options.filter, options.pxPerUmOf(bin)));
    let table: BinClasses | null = null;
    if (needed) {
      const t = classTableOf(bin);
      if (t === 'pending') {
        // its images wait for the table (never shown unfiltered, then taken away)
        model.sections.push({ slot, header: headers, start, end: start, loaded: false, expectedImages: 0 });
        return;
      }
      table = t;
      order = classOrdered(g, table, order, step);
    }
    if (across) {
      if (classSort) {
        const rows = table ? rowsOf(g, table) : null;
        for (const index of order) merged.push({ slot, index, value: table && rows ? classValue(table, rows[index]!, classSort) : null });
      } else {
        const values = keyValues(tableOf(g), options.sort.key);
        for (const index of order) merged.push({ slot, index, value: Number.isNaN(values[index]!) ? null : values[index]! });
      }
      return;
    }
    for (const index of order) push(model, roiKey(slot, g.target[index]!), g.width[index]!, g.height[index]!);
    model.sections.push({ slot, header: headers, start, end: model.keys.length, loaded: true, expectedImages: g.target.length, identity: order });
  });
  if (across) {
    const sign = options.sort.descending ? -1 : 1;
    // ties (and missing values) keep time order, then ROI number
    merged.sort((a, b) => compareValues(a.value, b.value, sign) || a.slot - b.slot || bins[a.slot]!.geometry!.target[a.index]! - bins[b.slot]!.geometry!.target[b.index]!);
    for (const m of merged) {
      const g = bins[m.slot]!.geometry!;
      push(model, roiKey(m.slot, g.target[m.index]!), g.width[m.index]!, g.height[m.index]!);
    }
    model.sections.push({ slot: 0, header: false, start: 0, end: model.keys.length, loaded: true, expectedImages: model.keys.length });
  }
  model.shown = model.keys.length + letGoShown;
  return model;
}

function push(model: DisplayModel, key: number, width: number, height: number): void {
  model.keys.push(key);
  model.width.push(width);
  model.height.push(height);
}

/**
 * Whether two states of a view display the same (a bin going from waiting to loading changes nothing shown): a
 * range asking for its next bins then costs no rebuild of the display and its layout.
 */
export function sameDisplayInputs(a: ViewState, b: ViewState): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  const x = viewBins(a);
  const y = viewBins(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (p.geometry !== q.geometry || (p.status === 'error') !== (q.status === 'error') || p.imageCount !== q.imageCount || p.letGo !== q.letGo) return false;
  }
  return true;
}

/** Display index by key for displays sorted across bins (built once per display, when first asked). */
const acrossIndex = new WeakMap<DisplayModel, Map<number, number>>();

/**
 * Where a tile (its key) is in the display, -1 when not shown. Bin by bin the key's slot names its section, so
 * only that section is searched: no index of every key is built each time a bin of a range arrives.
 */
export function displayIndexOf(model: DisplayModel, key: number): number {
  if (model.across) {
    let index = acrossIndex.get(model);
    if (!index) {
      index = new Map();
      model.keys.forEach((k, i) => index!.set(k, i));
      acrossIndex.set(model, index);
    }
    return index.get(key) ?? -1;
  }
  const slot = slotOfKey(key);
  const section = model.sections[slot]?.slot === slot ? model.sections[slot] : model.sections.find((s) => s.slot === slot);
  if (!section) return -1;
  for (let i = section.start; i < section.end; i++) if (model.keys[i] === key) return i;
  return -1;
}
