/**
 * What the mosaic displays for a view: the images in display order (as keys, see shared/mosaic/keys.ts) with
 * their native sizes, grouped in sections (one per bin, in time order), and the counts the status bar shows.
 * Filtering applies bin by bin; sorting by anything but the ROI number sorts across the whole range in one
 * section without headers, which needs every bin's geometry first. Pure.
 */
import { arrangeImages, keyValues } from '../../shared/mosaic/arrange.ts';
import type { ArrangeOptions, ArrangeTable, SortSpec } from '../../shared/mosaic/arrange.ts';
import { roiKey } from '../../shared/mosaic/keys.ts';
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
  for (const bin of bins) if (bin.status === 'ready' || bin.status === 'error') model.binsLoaded += 1;
  if (across && model.binsLoaded < bins.length) {
    model.waitingForAll = true;
    return model;
  }
  // Within one bin (or bin by bin): arrangeImages sorts and filters; across bins, filter each and sort the union.
  const perBin = across ? { ...options.sort, key: 'target', descending: false } : options.sort;
  const merged: { slot: number; index: number; value: number }[] = [];
  bins.forEach((bin, slot) => {
    const g = bin.geometry;
    const start = model.keys.length;
    if (!g) {
      if (!across) model.sections.push({ slot, header: headers, start, end: start, loaded: false, expectedImages: bin.status === 'error' ? 0 : (bin.imageCount ?? 0) });
      return;
    }
    model.total += g.target.length;
    const table = tableOf(g);
    const order = arrangeImages(table, arrangeOptions(perBin, options.filter, options.pxPerUmOf(bin)));
    if (across) {
      const values = keyValues(table, options.sort.key);
      for (const index of order) merged.push({ slot, index, value: values[index]! });
      return;
    }
    for (const index of order) push(model, roiKey(slot, g.target[index]!), g.width[index]!, g.height[index]!);
    model.sections.push({ slot, header: headers, start, end: model.keys.length, loaded: true, expectedImages: g.target.length });
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
  model.shown = model.keys.length;
  return model;
}

function push(model: DisplayModel, key: number, width: number, height: number): void {
  model.keys.push(key);
  model.width.push(width);
  model.height.push(height);
}
