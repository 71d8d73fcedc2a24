/**
 * The class tables of the view's bins (state/classes.ts) and labelling. A bin's table is fetched once its geometry
 * is here (so a range asks only for what is near the viewport, a few at a time) and let go with it. A label is
 * shown at once and then stored by the library (`labels:set`, one undo step however many bins it touched); undo and
 * redo re-read the tables of the bins they changed. Without a library, labels answer NOT_AVAILABLE and the tables
 * show the products alone.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { BinClasses, IfcbApi, ResponseOf } from '../../shared/ipc/contract.ts';
import { MAX_TARGETS_PER_REQUEST } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import type { Result } from '../../shared/ipc/result.ts';
import { NO_CLASSES, classesReducer } from '../state/classes.ts';
import type { ClassesState } from '../state/classes.ts';
import type { ViewState } from '../state/view.ts';
import { viewBins } from '../state/view.ts';
import { useLatest } from './use-latest.ts';

/** Class tables asked at once (each is one bin's products, read and joined in main). */
const IN_FLIGHT = 4;

export interface BinRois {
  binId: string;
  targets: readonly number[];
}

export type LabelChange = NonNullable<ResponseOf<'labels:set'>['change']>;

export interface ClassesControl {
  classes: ClassesState;
  /** Label these ROIs (null: back to not reviewed). Resolves to the change stored, or null when it failed (reported). */
  label: (rois: readonly BinRois[], label: string | null) => Promise<LabelChange | null>;
  /** Each ROI takes the classifier's class above threshold (one undo step); the change, or null (reported). */
  confirm: (rois: readonly BinRois[]) => Promise<LabelChange | null>;
  /** Undo / redo the last label change (of any view): the change, or null when there was none or it failed. */
  undo: () => Promise<LabelChange | null>;
  redo: () => Promise<LabelChange | null>;
  /** Read the tables of the view's bins again (labels changed elsewhere: an import). */
  refresh: () => void;
  /** Counts the label changes stored, undone, redone or refreshed here (what shows class counts asks again when it moves). */
  changes: number;
  /** From the library's last answer (unknown until the first label change: assumed possible). */
  canUndo: boolean;
  canRedo: boolean;
}

export function useClasses(api: IfcbApi, view: ViewState, onError: (error: ErrorInfo) => void): ClassesControl {
  const [classes, dispatch] = useReducer(classesReducer, NO_CLASSES);
  const [stack, setStack] = useState({ canUndo: true, canRedo: true });
  const [changes, setChanges] = useState(0);
  const generation = view.generation;
  const generationRef = useLatest(generation);
  const onErrorRef = useLatest(onError);
  // What this generation asked for, and what waits for a free request slot.
  const asked = useRef({ generation: -1, ids: new Set<string>(), queue: [] as string[], inFlight: 0 });

  useEffect(() => dispatch({ type: 'reset', generation }), [generation]);

  const pump = useCallback(() => {
    const a = asked.current;
    while (a.inFlight < IN_FLIGHT && a.queue.length > 0) {
      const binId = a.queue.shift()!;
      const from = a.generation;
      a.inFlight++;
      void api.getBinClasses({ binId }).then((r) => {
        if (asked.current.generation === from) asked.current.inFlight--;
        if (r.ok) dispatch({ type: 'arrived', generation: from, table: r.value });
        else dispatch({ type: 'failed', generation: from, binId, error: r.error });
        pump();
      });
    }
  }, [api]);

  /** Ask (again) for these bins' tables. */
  const fetchTables = useCallback(
    (binIds: readonly string[]) => {
      const a = asked.current;
      for (const id of binIds) {
        a.ids.add(id);
        if (!a.queue.includes(id)) a.queue.push(id);
      }
      pump();
    },
    [pump],
  );

  // Tables follow geometry: asked when a bin is ready, let go when its geometry is.
  const bins = viewBins(view);
  useEffect(() => {
    if (asked.current.generation !== generation) asked.current = { generation, ids: new Set(), queue: [], inFlight: 0 };
    const a = asked.current;
    const wanted: string[] = [];
    const gone: string[] = [];
    for (const bin of bins) {
      if (bin.status === 'ready' && !a.ids.has(bin.id)) wanted.push(bin.id);
      else if (bin.status === 'waiting' && bin.letGo && a.ids.has(bin.id)) gone.push(bin.id);
    }
    if (gone.length > 0) {
      for (const id of gone) a.ids.delete(id);
      a.queue = a.queue.filter((id) => a.ids.has(id));
      dispatch({ type: 'dropped', generation, binIds: gone });
    }
    if (wanted.length > 0) fetchTables(wanted);
  }, [bins, generation, fetchTables]);

  /** Re-read the tables of the bins a change touched that this view holds. */
  const reread = useCallback(
    (rois: readonly { binId: string }[]) => {
      const held = rois.map((r) => r.binId).filter((id) => asked.current.ids.has(id));
      if (held.length > 0) fetchTables(held);
    },
    [fetchTables],
  );

  /** Show the change at once (`show`), store it (`store`); on failure show what the library holds again. */
  const change = useCallback(
    async (rois: readonly BinRois[], show: (wanted: readonly BinRois[]) => void, store: (wanted: { binId: string; targets: number[] }[]) => Promise<Result<ResponseOf<'labels:set'>>>): Promise<LabelChange | null> => {
      const wanted = rois.filter((r) => r.targets.length > 0);
      const total = wanted.reduce((n, r) => n + r.targets.length, 0);
      if (total === 0) return null;
      if (total > MAX_TARGETS_PER_REQUEST) {
        onErrorRef.current({ code: 'INVALID_ARGUMENT', message: `At most ${MAX_TARGETS_PER_REQUEST.toLocaleString('en-US')} images can be labelled at once; ${total.toLocaleString('en-US')} are selected.` });
        return null;
      }
      show(wanted);
      const r = await store(wanted.map((x) => ({ binId: x.binId, targets: [...x.targets] })));
      if (!r.ok) {
        reread(wanted);
        onErrorRef.current(r.error);
        return null;
      }
      setStack({ canUndo: r.value.canUndo, canRedo: r.value.canRedo });
      setChanges((n) => n + 1);
      return r.value.change;
    },
    [onErrorRef, reread],
  );
  const label = useCallback(
    (rois: readonly BinRois[], name: string | null) =>
      change(
        rois,
        (wanted) => dispatch({ type: 'labelled', generation: generationRef.current, rois: wanted, label: name }),
        (wanted) => api.setLabels({ rois: wanted, label: name }),
      ),
    [api, change, generationRef],
  );
  const confirm = useCallback(
    (rois: readonly BinRois[]) =>
      change(
        rois,
        (wanted) => dispatch({ type: 'confirmed', generation: generationRef.current, rois: wanted }),
        (wanted) => api.confirmLabels({ rois: wanted }),
      ),
    [api, change, generationRef],
  );

  const step = useCallback(
    async (call: () => Promise<Result<ResponseOf<'labels:undo'>>>): Promise<LabelChange | null> => {
      const r = await call();
      if (!r.ok) {
        onErrorRef.current(r.error);
        return null;
      }
      setStack({ canUndo: r.value.canUndo, canRedo: r.value.canRedo });
      if (r.value.change) {
        reread(r.value.change.rois);
        setChanges((n) => n + 1);
      }
      return r.value.change;
    },
    [onErrorRef, reread],
  );
  const undo = useCallback(() => step(() => api.undoLabels({})), [api, step]);
  const redo = useCallback(() => step(() => api.redoLabels({})), [api, step]);

  const refresh = useCallback(() => {
    fetchTables([...asked.current.ids]);
    setStack({ canUndo: true, canRedo: true });
    setChanges((n) => n + 1);
  }, [fetchTables]);

  return { classes, label, confirm, undo, redo, refresh, changes, canUndo: stack.canUndo, canRedo: stack.canRedo };
}

/** The table of a bin of the view, if here. */
export function tableOf(classes: ClassesState, binId: string | undefined): BinClasses | null {
  return binId === undefined ? null : (classes.tables.get(binId) ?? null);
}
