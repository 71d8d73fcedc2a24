/**
 * The view being shown and how it gets its data: opening one bin or a range (listed from the catalogue page by
 * page), and fetching `bins:geometry` for the bins that need it, in batches, at most once per bin and view.
 */
import { useCallback, useReducer, useRef } from 'react';
import type { BinSummary, BinsFilter, CatalogueBin, IfcbApi } from '../../shared/ipc/contract.ts';
import { MAX_GEOMETRY_BINS, MAX_PAGE_SIZE } from '../../shared/ipc/contract.ts';
import { decodeBinGeometry } from '../../shared/ipc/bin-geometry.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import { MAX_RANGE_BINS, NO_VIEW, binsNeedingGeometry, binsToDrop, viewBins, viewReducer } from '../state/view.ts';
import type { ViewState } from '../state/view.ts';
import { useLatest } from './use-latest.ts';

/** Bins asked at once while scrolling (those near the viewport and the ones after them): a layout per 8 bins, not per bin. */
const GEOMETRY_BATCH = 8;

/** A range to show: what the catalogue lists for a filter (a day, a brushed span, a search), or given bins. */
export type RangeRequest = { label: string; filter: BinsFilter } | { label: string; bins: readonly CatalogueBin[] };

export interface ViewControl {
  view: ViewState;
  openBin: (binId: string, summary?: BinSummary) => void;
  /** Lists the range (when given as a filter) and shows it; an open in the meantime wins. */
  openRange: (range: RangeRequest) => Promise<void>;
  /** Fetch the geometry of the bins in these slots that need it (with the ADC columns given). */
  fetchGeometry: (slots: Iterable<number>, columns: readonly string[]) => void;
  /** Let go of the geometry of bins far from the slots near the viewport (they are asked again when near). */
  dropFarGeometry: (near: { first: number; last: number }) => void;
  close: () => void;
}

async function listAll(api: IfcbApi, filter: BinsFilter): Promise<{ bins: CatalogueBin[] } | { error: ErrorInfo }> {
  const bins: CatalogueBin[] = [];
  let after: string | undefined;
  do {
    const r = await api.listBins({ filter, page: { limit: MAX_PAGE_SIZE, order: 'asc', ...(after ? { after } : {}) } });
    if (!r.ok) return { error: r.error };
    bins.push(...r.value.bins);
    after = r.value.next;
  } while (after && bins.length < MAX_RANGE_BINS);
  return { bins: bins.slice(0, MAX_RANGE_BINS) };
}

export function useView(api: IfcbApi): ViewControl {
  const [view, dispatch] = useReducer(viewReducer, NO_VIEW);
  const viewRef = useLatest(view);
  // Asked in this generation (the reducer's 'loading' reaches viewRef only after the next render).
  const asked = useRef({ generation: -1, keys: new Set<string>() });

  const openBin = useCallback((binId: string, summary?: BinSummary) => dispatch({ type: 'open-bin', binId, ...(summary ? { summary } : {}) }), []);

  /** Ask for the geometry of these bins of a view (their requests answer into that view only). */
  const request = useCallback(
    (generation: number, binIds: string[], columns: readonly string[]): Promise<void> => {
      const send = async (ids: string[]): Promise<void> => {
        const r = await api.getBinGeometry({ binIds: ids, columns: [...columns] });
        if (!r.ok) return dispatch({ type: 'geometry-failed', generation, binIds: ids, error: r.error });
        try {
          dispatch({ type: 'geometry-arrived', generation, entries: decodeBinGeometry(r.value) });
        } catch (e) {
          dispatch({ type: 'geometry-failed', generation, binIds: ids, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } });
        }
      };
      const chunks = Array.from({ length: Math.ceil(binIds.length / MAX_GEOMETRY_BINS) }, (_, i) => binIds.slice(i * MAX_GEOMETRY_BINS, (i + 1) * MAX_GEOMETRY_BINS));
      return Promise.all(chunks.map(send)).then(() => undefined);
    },
    [api],
  );

  /** Remember what this view has asked for (the reducer's 'loading' reaches viewRef only after the next render). */
  const askedIn = (generation: number): Set<string> => {
    if (asked.current.generation !== generation) asked.current = { generation, keys: new Set() };
    return asked.current.keys;
  };

  const openRange = useCallback(
    async (range: RangeRequest): Promise<void> => {
      const generation = viewRef.current.generation + 1;
      dispatch({ type: 'list-range', label: range.label });
      const listed = 'bins' in range ? { bins: [...range.bins] } : await listAll(api, range.filter);
      dispatch('error' in listed ? { type: 'range-failed', generation, error: listed.error } : { type: 'open-range', generation, bins: listed.bins });
      if ('error' in listed || viewRef.current.generation !== generation) return;
      // The first bin is on the first screen whatever else is: ask now rather than after the first render.
      const first = listed.bins.reduce<CatalogueBin | null>((a, b) => (a === null || b.epochMs < a.epochMs || (b.epochMs === a.epochMs && b.id < a.id) ? b : a), null);
      if (!first) return;
      askedIn(generation).add(`${first.id}:`);
      dispatch({ type: 'geometry-requested', generation, binIds: [first.id] });
      void request(generation, [first.id], []);
    },
    [api, viewRef, request],
  );

  const fetchGeometry = useCallback(
    (slots: Iterable<number>, columns: readonly string[]) => {
      const current = viewRef.current;
      const seen = askedIn(current.generation);
      const key = `:${columns.join(',')}`;
      const fresh = (ids: string[]) => ids.filter((id) => !seen.has(id + key));
      const wanted = [...slots];
      // What is needed now goes first; the bins that follow ride along in a second request once it has answered
      // (and not at all for the first screen of a view), so they never delay what the user is waiting for.
      const opening = !viewBins(current).some((b) => b.status === 'ready' || b.status === 'error');
      const near = fresh(binsNeedingGeometry(current, wanted, columns));
      const ahead = opening ? [] : fresh(binsNeedingGeometry(current, wanted, columns, GEOMETRY_BATCH)).filter((id) => !near.includes(id));
      if (near.length + ahead.length === 0) return;
      for (const id of [...near, ...ahead]) seen.add(id + key);
      const generation = current.generation;
      dispatch({ type: 'geometry-requested', generation, binIds: [...near, ...ahead] });
      void request(generation, near, columns).then(() => (ahead.length > 0 ? request(generation, ahead, columns) : undefined));
    },
    [viewRef, request],
  );

  const dropFarGeometry = useCallback(
    (near: { first: number; last: number }) => {
      const current = viewRef.current;
      const drop = binsToDrop(current, near);
      if (drop.length === 0) return;
      const seen = askedIn(current.generation);
      const dropped = new Set(drop);
      for (const key of seen) if (dropped.has(key.slice(0, key.indexOf(':')))) seen.delete(key);
      dispatch({ type: 'geometry-dropped', generation: current.generation, binIds: drop });
    },
    [viewRef],
  );

  const close = useCallback(() => dispatch({ type: 'close' }), []);
  return { view, openBin, openRange, fetchGeometry, dropFarGeometry, close };
}
