/**
 * What the centre of the window shows, as a pure reducer: nothing, one bin, or a range of bins (a day, a brushed
 * span, a search result, bins picked in the list) that the mosaic shows as one continuous scroll. Each bin of the
 * view carries what is known before its geometry arrives (from the catalogue or the open), then its geometry or
 * its error. Every open starts a new generation; answers for an older one are ignored.
 */
import type { ErrorInfo } from '../../shared/errors.ts';
import type { BinGeometry, BinGeometryEntry } from '../../shared/ipc/bin-geometry.ts';
import { isGeometryError } from '../../shared/ipc/bin-geometry.ts';
import type { BinSummary, CatalogueBin } from '../../shared/ipc/contract.ts';
import { tryParseBinName } from '../../shared/ifcb/bin-id.ts';

export type BinStatus = 'waiting' | 'loading' | 'ready' | 'error';

export interface ViewBin {
  id: string;
  schema: 1 | 2;
  instrument: number;
  timestamp: string;
  epochMs: number;
  /** Images the bin lists (catalogue or summary), null when not known yet. */
  imageCount: number | null;
  mlAnalyzed: number | null;
  /** The catalogue's quality flags (empty for a bin opened outside the library). */
  qc: readonly string[];
  status: BinStatus;
  geometry: BinGeometry | null;
  error: ErrorInfo | null;
  /** What the bin showed before its geometry was let go (far from the viewport), so the counts stay whole. */
  letGo?: { images: number; shown: number };
}

export type ViewState =
  | { kind: 'none'; generation: number }
  /** A range is being listed from the catalogue. */
  | { kind: 'listing'; generation: number; label: string }
  | { kind: 'failed'; generation: number; label: string; error: ErrorInfo }
  | { kind: 'bin' | 'range'; generation: number; label: string; bins: readonly ViewBin[] };

export type ViewAction =
  /** Show one bin (a summary, when the open already gave one, fills the status bar at once). */
  | { type: 'open-bin'; binId: string; summary?: BinSummary }
  | { type: 'list-range'; label: string }
  | { type: 'open-range'; generation: number; bins: readonly CatalogueBin[] }
  | { type: 'range-failed'; generation: number; error: ErrorInfo }
  | { type: 'geometry-requested'; generation: number; binIds: readonly string[] }
  | { type: 'geometry-arrived'; generation: number; entries: readonly BinGeometryEntry[] }
  | { type: 'geometry-failed'; generation: number; binIds: readonly string[]; error: ErrorInfo }
  /** Far from the viewport: their geometry is let go (to be fetched again when they come near). */
  | { type: 'geometry-dropped'; generation: number; binIds: readonly string[] }
  | { type: 'close' };

export const NO_VIEW: ViewState = { kind: 'none', generation: 0 };

/** Most bins in one range view (the catalogue is listed page by page up to this). */
export const MAX_RANGE_BINS = 5000;

function fromSummary(s: BinSummary): Omit<ViewBin, 'status' | 'geometry' | 'error'> {
  return { id: s.id, schema: s.schema, instrument: s.instrument, timestamp: s.timestamp, epochMs: s.epochMs, imageCount: s.imageCount, mlAnalyzed: s.mlAnalyzed, qc: [] };
}

function fromId(binId: string): Omit<ViewBin, 'status' | 'geometry' | 'error'> {
  const parsed = tryParseBinName(binId);
  return { id: binId, schema: parsed?.schema ?? 2, instrument: parsed?.instrument ?? 0, timestamp: parsed?.timestamp ?? '', epochMs: parsed?.epochMs ?? 0, imageCount: null, mlAnalyzed: null, qc: [] };
}

function fromCatalogue(b: CatalogueBin): ViewBin {
  const { id, schema, instrument, timestamp, epochMs, imageCount, mlAnalyzed, qc } = b;
  return { id, schema, instrument, timestamp, epochMs, imageCount, mlAnalyzed, qc, status: 'waiting', geometry: null, error: null };
}

/** Merge newly arrived columns into what the bin already had (a sort may ask for a column later). */
function merge(old: BinGeometry | null, next: BinGeometry): BinGeometry {
  if (!old || old.target.length !== next.target.length) return next;
  return { ...next, columns: { ...old.columns, ...next.columns } };
}

export function viewReducer(state: ViewState, action: ViewAction): ViewState {
  const generation = state.generation + 1;
  switch (action.type) {
    case 'open-bin': {
      const known = action.summary ? fromSummary(action.summary) : fromId(action.binId);
      return { kind: 'bin', generation, label: action.binId, bins: [{ ...known, status: 'waiting', geometry: null, error: null }] };
    }
    case 'list-range':
      return { kind: 'listing', generation, label: action.label };
    case 'close':
      return { kind: 'none', generation };
    default:
      break;
  }
  if (action.generation !== state.generation) return state;
  switch (action.type) {
    case 'open-range': {
      if (state.kind !== 'listing') return state;
      const seen = new Set<string>();
      const bins = [...action.bins]
        .sort((a, b) => a.epochMs - b.epochMs || a.id.localeCompare(b.id))
        .filter((b) => !seen.has(b.id) && seen.add(b.id))
        .map(fromCatalogue);
      return { kind: 'range', generation: state.generation, label: state.label, bins };
    }
    case 'range-failed':
      return state.kind === 'listing' ? { kind: 'failed', generation: state.generation, label: state.label, error: action.error } : state;
    default:
      break;
  }
  if (state.kind !== 'bin' && state.kind !== 'range') return state;
  const update = (ids: readonly string[], change: (bin: ViewBin) => ViewBin): ViewState => {
    const wanted = new Set(ids);
    let changed = false;
    const bins = state.bins.map((bin) => {
      if (!wanted.has(bin.id)) return bin;
      changed = true;
      return change(bin);
    });
    return changed ? { ...state, bins } : state;
  };
  switch (action.type) {
    case 'geometry-requested':
      return update(action.binIds, (bin) => ({ ...bin, status: 'loading' }));
    case 'geometry-failed':
      return update(action.binIds, (bin) => (bin.status === 'ready' ? bin : { ...bin, status: 'error', error: action.error }));
    case 'geometry-dropped':
      return update(action.binIds, (bin) => {
        if (bin.status !== 'ready' || !bin.geometry) return bin;
        const images = bin.geometry.target.length;
        return { ...bin, status: 'waiting', geometry: null, letGo: { images, shown: bin.geometry.bin.hasRoiFile ? images : 0 } };
      });
    case 'geometry-arrived': {
      const byId = new Map(action.entries.map((e) => [isGeometryError(e) ? e.binId : e.bin.id, e]));
      return update([...byId.keys()], (bin) => {
        const entry = byId.get(bin.id)!;
        // here again: nothing let go any more
        const { letGo: _letGo, ...held } = bin;
        if (isGeometryError(entry)) return { ...held, status: 'error', error: entry.error };
        return { ...held, ...fromSummary(entry.bin), qc: bin.qc, status: 'ready', geometry: merge(bin.geometry, entry), error: null };
      });
    }
    default:
      return state;
  }
}

/** The bins of the view (none while listing or after a failure). */
export function viewBins(state: ViewState): readonly ViewBin[] {
  return state.kind === 'bin' || state.kind === 'range' ? state.bins : [];
}

/**
 * Bins among `slots` whose geometry must be fetched: not asked yet, or ready without an ADC column that a sort
 * or filter needs and the bin has. Bins being fetched or failed are left alone. With `fill`, bins not asked yet
 * that follow the last of them join, up to `fill` in all: scrolling on, they are next, and one request for
 * several bins costs the page one layout instead of several.
 */
export function binsNeedingGeometry(state: ViewState, slots: Iterable<number>, columns: readonly string[], fill = 0): string[] {
  const bins = viewBins(state);
  const out: string[] = [];
  let last = -1;
  for (const slot of slots) {
    const bin = bins[slot];
    if (!bin) continue;
    last = Math.max(last, slot);
    if (bin.status === 'waiting') out.push(bin.id);
    else if (bin.status === 'ready' && bin.geometry && columns.some((c) => bin.geometry!.adcColumns.includes(c) && !(c in bin.geometry!.columns))) out.push(bin.id);
  }
  for (let slot = last + 1; out.length > 0 && out.length < fill && slot < bins.length; slot++) if (bins[slot]!.status === 'waiting') out.push(bins[slot]!.id);
  return out;
}

/** Bins kept around the viewport: a couple behind it, and ahead at least what is fetched ahead (so none is asked twice). */
export const KEEP_BEHIND = 2;
export const KEEP_AHEAD = 12;

/**
 * Bins whose geometry can be let go: ready, and more than KEEP_BEHIND bins before the first slot near the viewport
 * or KEEP_AHEAD after the last. Their section keeps its height (the mosaic remembers it), so nothing moves.
 */
export function binsToDrop(state: ViewState, near: { first: number; last: number }): string[] {
  if (state.kind !== 'range') return [];
  const out: string[] = [];
  state.bins.forEach((bin, slot) => {
    if (bin.status === 'ready' && (slot < near.first - KEEP_BEHIND || slot > near.last + KEEP_AHEAD)) out.push(bin.id);
  });
  return out;
}
