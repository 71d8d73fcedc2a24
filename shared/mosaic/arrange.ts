/**
 * Sorting and filtering the mosaic over the columnar ADC table. Pure; returns the display order as
 * indices into the bin's image list, so the layout, the selection and the pixel requests share one order.
 */
import { DEFAULT_PX_PER_UM } from './scale-bar.ts';

/**
 * The bin's per-image table, columnar (the IPC contract's `RoiTable` fits it): entry i of every array
 * describes image i, in target order; `adc[name][i]` is the ADC value of image i's row.
 */
export interface ArrangeTable {
  count: number;
  target: ArrayLike<number>;
  width: ArrayLike<number>;
  height: ArrayLike<number>;
  adcColumns?: readonly string[];
  adc?: Readonly<Record<string, ArrayLike<number>>>;
}

export type SortKey = string;

export interface SortSpec {
  key: SortKey;
  descending?: boolean;
}

export interface RangeFilter {
  min?: number;
  max?: number;
}

export interface ArrangeOptions {
  sort?: SortSpec;
  /** Keep images whose longest side, in µm, lies in the range (inclusive). */
  sizeUm?: RangeFilter;
  /** Keep images whose value of `key` lies in the range (inclusive). */
  column?: RangeFilter & { key: SortKey };
  /** Camera px per µm for `sizeUm`. */
  pxPerUm?: number;
}

export interface SortKeyOption {
  key: SortKey;
  label: string;
}

const IMAGE_KEYS: SortKeyOption[] = [
  { key: 'target', label: 'ROI number' },
  { key: 'width', label: 'Width (px)' },
  { key: 'height', label: 'Height (px)' },
  { key: 'area', label: 'Area (px²)' },
];

/** The keys offered for a bin: image geometry first, then every ADC column by its pyifcb name. */
export function sortKeyOptions(table: Pick<ArrangeTable, 'adcColumns'>): SortKeyOption[] {
  const fromAdc = (table.adcColumns ?? []).map((name) => ({ key: `adc:${name}`, label: name }));
  return [...IMAGE_KEYS, ...fromAdc];
}

/** The value of `key` for every image, NaN where the table has no such column. */
export function keyValues(table: ArrangeTable, key: SortKey): Float64Array {
  const n = table.count;
  const out = new Float64Array(n);
  if (key === 'target' || key === 'width' || key === 'height') {
    const column = table[key];
    for (let i = 0; i < n; i++) out[i] = column[i]!;
    return out;
  }
  if (key === 'area') {
    for (let i = 0; i < n; i++) out[i] = table.width[i]! * table.height[i]!;
    return out;
  }
  const name = key.startsWith('adc:') ? key.slice(4) : key;
  const column = table.adc?.[name];
  for (let i = 0; i < n; i++) {
    const v = column?.[i];
    out[i] = v === undefined || v === null ? NaN : v;
  }
  return out;
}

const inRange = (v: number, r: RangeFilter): boolean =>
  (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);

/**
 * Display order: filter, then a stable sort by the key (ties and NaNs keep target order; NaNs last
 * whichever the direction). Without a sort, target order.
 */
export function arrangeImages(table: ArrangeTable, options: ArrangeOptions = {}): Int32Array {
  const pxPerUm = options.pxPerUm ?? DEFAULT_PX_PER_UM;
  const keep: number[] = [];
  const columnValues = options.column ? keyValues(table, options.column.key) : undefined;
  const { target, width, height } = table;
  for (let i = 0; i < table.count; i++) {
    if (options.sizeUm && !inRange(Math.max(width[i]!, height[i]!) / pxPerUm, options.sizeUm)) continue;
    if (options.column && columnValues && !inRange(columnValues[i]!, options.column)) continue;
    keep.push(i);
  }
  const order = Int32Array.from(keep);
  const sort = options.sort;
  if (!sort || (sort.key === 'target' && !sort.descending)) {
    // The table normally comes in target order already: skip the sort then (10,000 images per open).
    let sorted = true;
    for (let k = 1; k < order.length && sorted; k++) sorted = target[order[k - 1]!]! <= target[order[k]!]!;
    return sorted ? order : order.sort((a, b) => target[a]! - target[b]!);
  }
  const values = keyValues(table, sort.key);
  const sign = sort.descending ? -1 : 1;
  return order.sort((a, b) => {
    const va = values[a]!;
    const vb = values[b]!;
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na || nb) {
      if (na && nb) return target[a]! - target[b]!;
      return na ? 1 : -1;
    }
    if (va !== vb) return (va - vb) * sign;
    return target[a]! - target[b]!;
  });
}
