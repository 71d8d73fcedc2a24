/**
 * Labelling by keyboard: the palette's classes (the classifier's of the bins in view, the library's, and classes
 * made here) in the user's order, number keys 1–9 for its first nine, `/` for type-to-search over all of them, `K`
 * to confirm the classifier, Backspace/Delete for "not reviewed", Ctrl/⌘+Z undo and Ctrl/⌘+Shift+Z or Ctrl+Y redo,
 * `B` the blob outline. A key acts on the selection (any gesture, across the bins of a range: one request, one undo
 * step), else on the focus tile, which then moves on to the next one — manual_classify's one key per image; a
 * selection stays as it is, so what was labelled can be seen and undone. In the ROI view a key labels the ROI shown
 * and steps to the next.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import type { IfcbApi } from '../../shared/ipc/contract.ts';
import type { SelectionState } from '../../shared/mosaic/selection.ts';
import type { Notice } from '../components/toast.tsx';
import { NUMBERED_CLASSES, changeText, labelScope, movedClass, nextInOrder, paletteOrder, roisOfKeys, validClassName } from '../lib/annotation.ts';
import type { LabelTargets } from '../lib/annotation.ts';
import { controlOwnsKey } from '../lib/keys.ts';
import type { ViewBin } from '../state/view.ts';
import type { ClassesControl, LabelChange } from './use-classes.ts';
import { usePersistentState } from './use-persistent-state.ts';
import { useLatest } from './use-latest.ts';

export interface AnnotationOptions {
  api: IfcbApi;
  classes: ClassesControl;
  /** The library is open (labels are stored there; without it a key says so instead of labelling). */
  canLabel: boolean;
  /** The view's bins by slot. */
  bins: readonly ViewBin[];
  selection: SelectionState;
  /** The keys in display order (the focus moves on along it). */
  order: readonly number[];
  /** The ROI shown in the ROI view, if open. */
  roiViewKey: number | null;
  /** Off while a dialog is open. */
  keysEnabled: boolean;
  notify: (notice: Notice) => void;
  /** Move the mosaic's focus to this tile. */
  onFocus: (key: number) => void;
  /** The ROI view shows the next ROI. */
  onRoiViewNext: () => void;
  onToggleBlobOutline: () => void;
}

export interface AnnotationControl {
  /** Every class offered, in palette order (the first nine have number keys). */
  palette: readonly string[];
  canLabel: boolean;
  /** How many images a key press labels now (the selection, the ROI shown, or the focus tile). */
  scope: number;
  assign: (name: string | null) => void;
  confirm: () => void;
  undo: () => void;
  redo: () => void;
  /** As far as the library last said (a library-less palette keeps them enabled: pressing says why nothing happens). */
  canUndo: boolean;
  canRedo: boolean;
  /** Make a class (kept until the library has it through a label); the name stored, or null when not valid. */
  addClass: (typed: string) => string | null;
  move: (name: string, delta: number) => void;
  searchOpen: boolean;
  setSearchOpen: (open: boolean) => void;
}

/** What a labelling key says without a library. */
export const NO_LIBRARY_NOTICE: Notice = {
  tone: 'error',
  text: 'Labels are kept in the library database, which is not open in this session: images cannot be labelled.',
  code: 'NOT_AVAILABLE',
};

const NOTHING_TO_LABEL: Notice = { tone: 'info', text: 'Select images first (click, Shift+click, drag a band, Ctrl/⌘+A), or move the focus to one with the arrows.' };

/**
 * Scroll the mosaic so the tile of `key` is in sight (the focus moved on to the next row): the mosaic scrolls for its
 * own keys only. Only the mosaic's scroller moves.
 */
function revealTile(key: number): void {
  const scroller = document.querySelector<HTMLElement>('.mosaic-scroll');
  const tile = scroller?.querySelector<HTMLElement>(`.tile[data-key="${key}"]`);
  if (!scroller || !tile) return;
  const view = scroller.getBoundingClientRect();
  const box = tile.getBoundingClientRect();
  if (box.top < view.top) scroller.scrollTop -= view.top - box.top;
  else if (box.bottom > view.bottom) scroller.scrollTop += box.bottom - view.bottom;
}

/** The library's classes (`classes:list`), asked again after every label change. */
function useLibraryClasses(api: IfcbApi, canLabel: boolean, version: number): readonly string[] {
  const [names, setNames] = useState<readonly string[]>([]);
  useEffect(() => {
    if (!canLabel) return;
    let live = true;
    void api.listClasses({}).then((r) => {
      if (live && r.ok) setNames(r.value.classes.map((c) => c.name));
    });
    return () => {
      live = false;
    };
  }, [api, canLabel, version]);
  return canLabel ? names : [];
}

export function useAnnotation(o: AnnotationOptions): AnnotationControl {
  const { api, classes, canLabel, bins, selection, order, roiViewKey, keysEnabled } = o;
  // read again after every label change here (a new class) and after an import
  const library = useLibraryClasses(api, canLabel, classes.changes);
  const [made, setMade] = usePersistentState<string[]>('made-classes', []);
  const [pinned, setPinned] = usePersistentState<string[]>('palette-order', []);
  const [searchOpen, setSearchOpen] = useState(false);

  // a class made here is remembered until the library lists it (it got a label)
  useEffect(() => {
    if (library.length > 0 && made.some((n) => library.includes(n))) setMade((m) => m.filter((n) => !library.includes(n)));
  }, [library, made, setMade]);

  const tables = classes.classes.tables;
  const palette = useMemo(() => {
    const known = new Set<string>([...library, ...made]);
    for (const table of tables.values()) for (const name of table.classes) known.add(name);
    return paletteOrder(known, pinned);
  }, [tables, library, made, pinned]);

  const latest = useLatest({ o, selection, roiViewKey, order, bins, canLabel });

  /** Label what a key press acts on with `run`, move on when it was one image, and say what changed. */
  const act = useCallback(
    (run: (rois: LabelTargets[]) => Promise<LabelChange | null>) => {
      const { o: opts, selection: sel, roiViewKey: shown, order: keys, bins: viewBins, canLabel: can } = latest.current;
      if (!can) return opts.notify(NO_LIBRARY_NOTICE);
      const scope = shown !== null ? { keys: [shown], advance: true } : labelScope(sel.selected, sel.focus);
      if (scope.keys.length === 0) return opts.notify(NOTHING_TO_LABEL);
      const rois = roisOfKeys(scope.keys, (slot) => viewBins[slot]?.id);
      if (scope.advance) {
        if (shown !== null) opts.onRoiViewNext();
        else {
          const next = nextInOrder(keys, scope.keys[0]!);
          if (next !== null) {
            opts.onFocus(next);
            requestAnimationFrame(() => revealTile(next));
          }
        }
      }
      void run(rois).then((change) => {
        if (!change) return;
        opts.notify({ tone: 'info', text: changeText('Labelled', change) });
      });
    },
    [latest],
  );

  const assign = useCallback((name: string | null) => act((rois) => classes.label(rois, name)), [act, classes]);
  const confirm = useCallback(() => act((rois) => classes.confirm(rois)), [act, classes]);
  const step = useCallback(
    (verb: 'Undid' | 'Redid', call: () => Promise<LabelChange | null>) => {
      const { o: opts, canLabel: can } = latest.current;
      if (!can) return opts.notify(NO_LIBRARY_NOTICE);
      void call().then((change) => {
        if (!change) return opts.notify({ tone: 'info', text: verb === 'Undid' ? 'Nothing to undo.' : 'Nothing to redo.' });
        opts.notify({ tone: 'info', text: changeText(verb, change) });
      });
    },
    [latest],
  );
  const undo = useCallback(() => step('Undid', classes.undo), [step, classes.undo]);
  const redo = useCallback(() => step('Redid', classes.redo), [step, classes.redo]);

  const addClass = useCallback(
    (typed: string) => {
      const name = validClassName(typed);
      if (name !== null && !palette.includes(name)) setMade((m) => [...m, name]);
      return name;
    },
    [palette, setMade],
  );
  const move = useCallback((name: string, delta: number) => setPinned(movedClass(palette, name, delta)), [palette, setPinned]);

  // The keys (a layout effect, like the mosaic's: a key pressed right after a render acts on what it shows).
  const paletteRef = useLatest(palette);
  useLayoutEffect(() => {
    if (!keysEnabled || searchOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (controlOwnsKey(e) || e.altKey) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key;
      if (mod) {
        if ((key === 'z' || key === 'Z') && !e.shiftKey) undo();
        else if (((key === 'z' || key === 'Z') && e.shiftKey) || ((key === 'y' || key === 'Y') && e.ctrlKey)) redo();
        else return;
      } else if (key.length === 1 && key >= '1' && key <= String(NUMBERED_CLASSES)) {
        const name = paletteRef.current[Number(key) - 1];
        if (name === undefined) return;
        assign(name);
      } else if (key === '/') setSearchOpen(true);
      else if (key === 'k' || key === 'K') confirm();
      else if (key === 'Backspace' || key === 'Delete') assign(null);
      else if (key === 'b' || key === 'B') latest.current.o.onToggleBlobOutline();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keysEnabled, searchOpen, undo, redo, assign, confirm, paletteRef, latest]);

  const scope = roiViewKey !== null ? 1 : labelScope(selection.selected, selection.focus).keys.length;
  const canUndo = !canLabel || classes.canUndo;
  const canRedo = !canLabel || classes.canRedo;
  return { palette, canLabel, scope, assign, confirm, undo, redo, canUndo, canRedo, addClass, move, searchOpen, setSearchOpen };
}
