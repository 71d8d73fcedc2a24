/**
 * What the mosaic displays for a view: the images in display order (as keys, see shared/mosaic/keys.ts) with
 * their native sizes, grouped in sections (one per bin, in time order), and the counts the status bar shows.
 * Filtering applies bin by bin; sorting by anything but the ROI number sorts across the whole range in one
 * section without headers, which needs every bin's geometry first. Pure.
 */
import { arrangeImages, keyValues } from '../../shared/mosaic/arrange.ts';
import type { ArrangeOptions, ArrangeTable, SortSpec } from '../../shared/mosaic/arrange.ts';
import { roiKey, slotOfKey } from '../../shared/mosaic/keys.ts';
import type { BinGeometry } from '../../shared/ipc/bin-geometry.ts';
import type { ViewBin, ViewState } from './view.ts';
import { viewBins } from './view.ts';
import type { MosaicFilter } from '../components/toolbar.tsx';

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
  /** A sort across bins waits for every bin's geometry: nothing is displayed until then. */
  waitingForAll: boolean;
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
  return check('Size filter', filter.sizeMin, filter.sizeMax) ?? (filter.field !== '' ? check(`${filter.field.replace(/^adc:/, '')} filter`, filter.fieldMin, filter.fieldMax) : null);
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
}

export function buildDisplay(view: ViewState, options: DisplayOptions): DisplayModel {
  const bins = viewBins(view);
  const headers = view.kind === 'range';
  const across = headers && sortsAcross(options.sort);
  const model: DisplayModel = { keys: [], width: [], height: [], sections: [], shown: 0, total: 0, binsLoaded: 0, binsTotal: bins.length, across, waitingForAll: false };
  const held = bins.filter((bin) => bin.status === 'ready' || bin.status === 'error').length;
  // a bin let go counts as loaded, but a sort across bins needs every geometry held
  model.binsLoaded = held + bins.filter((bin) => bin.letGo).length;
  if (across && held < bins.length) {
    model.waitingForAll = true;
    return model;
  }
  // Within one bin (or bin by bin): arrangeImages sorts and filters; across bins, filter each and sort the union.
  const perBin = across ? { ...options.sort, key: 'target', descending: false } : options.sort;
  const merged: { slot: number; index: number; value: number }[] = [];
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
    const order = arrangedOnce(g, arrangeOptions(perBin, options.filter, options.pxPerUmOf(bin)));
    if (across) {
      const values = keyValues(tableOf(g), options.sort.key);
      for (const index of order) merged.push({ slot, index, value: values[index]! });
      return;
    }
    for (const index of order) push(model, roiKey(slot, g.target[index]!), g.width[index]!, g.height[index]!);
    model.sections.push({ slot, header: headers, start, end: model.keys.length, loaded: true, expectedImages: g.target.length, identity: order });
  });
  if (across) {
    const sign = options.sort.descending ? -1 : 1;
    merged.sort((a, b) => {
      const na = Number.isNaN(a.value);
      const nb = Number.isNaN(b.value);
      if (na !== nb) return na ? 1 : -1;
      if (!na && a.value !== b.value) return (a.value - b.value) * sign;
      // ties (and NaNs) keep time order, then ROI number
      return a.slot - b.slot || bins[a.slot]!.geometry!.target[a.index]! - bins[b.slot]!.geometry!.target[b.index]!;
    });
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
