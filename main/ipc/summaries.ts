/** Reader objects → contract records (no paths; NaN → null because JSON has none). */
import path from 'node:path';
import type { BinMetadata, BinSummary, RoiTable } from '../../shared/ipc/contract.ts';
import type { Bin } from '../ifcb/index.ts';
import type { HeaderValue } from '../ifcb/index.ts';

/** NaN/±Infinity → null. */
export function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** Identity, counts and metrics of a bin (reads .hdr and .adc once; the `Bin` caches them). */
export function summarizeBin(bin: Bin): BinSummary {
  const adc = bin.adc;
  const metrics = bin.metrics;
  return {
    id: bin.id,
    schema: bin.schema,
    instrument: bin.instrument,
    timestamp: bin.timestamp,
    epochMs: bin.epochMs,
    adcRows: adc.rowCount,
    triggers: adc.triggers,
    imageCount: bin.images.size,
    hasRoiFile: bin.hasRoiFile(),
    runTime: finiteOrNull(metrics.runTime),
    inhibitTime: finiteOrNull(metrics.inhibitTime),
    lookTime: finiteOrNull(metrics.lookTime),
    mlAnalyzed: finiteOrNull(metrics.mlAnalyzed),
    triggerRate: finiteOrNull(metrics.triggerRate),
    displayName: `${path.basename(path.dirname(bin.paths.base))}/${bin.id}`,
  };
}

/** The per-ROI table, columnar, in target order (stitched geometry for schema 1). */
export function roiTable(bin: Bin): RoiTable {
  const adc = bin.adc;
  const geometries = bin.images.geometries();
  const n = geometries.length;
  const target = new Array<number>(n);
  const width = new Array<number>(n);
  const height = new Array<number>(n);
  const x = new Array<number>(n);
  const y = new Array<number>(n);
  const stitchedWith = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const g = geometries[i]!;
    target[i] = g.target;
    width[i] = g.width;
    height[i] = g.height;
    x[i] = g.x;
    y[i] = g.y;
    stitchedWith[i] = g.stitchedWith ?? 0;
  }
  const columns: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  for (const name of adc.columnNames) {
    const column = adc.column(name);
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) values[i] = column[target[i]! - 1]!;
    columns[name] = values;
  }
  return { count: n, target, width, height, x, y, stitchedWith, adcColumns: [...adc.columnNames], adc: { ...columns } };
}

/** Headers as plain JSON (the reader's values are already JSON-safe except non-finite numbers). */
export function plainHeaders(headers: Record<string, HeaderValue>): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [key, value] of Object.entries(headers)) {
    Object.defineProperty(out, key, { value: jsonSafe(value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function jsonSafe(value: HeaderValue): HeaderValue {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') return plainHeaders(value);
  return value;
}

/** `bin:metadata` response. */
export function binMetadata(bin: Bin): BinMetadata {
  return { bin: summarizeBin(bin), headers: plainHeaders(bin.headers), rois: roiTable(bin) };
}
