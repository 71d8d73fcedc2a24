/**
 * The library list's multi-selection, as in file managers: Ctrl/⌘+click toggles one bin and makes it the
 * anchor; Shift+click (or Shift+arrows) selects the run from the anchor to the target on top of what was
 * selected when the anchor was set, so moving the target back and forth grows and shrinks that one run.
 * Bins are named by id; `order` is the list's order of bin ids (what a run spans).
 */
import type { CatalogueBin } from '../../shared/ipc/contract.ts';

export interface BinSelection {
  readonly selected: ReadonlySet<string>;
  /** Where the next Shift run starts; null = the run starts at its target. */
  readonly anchor: string | null;
  /** The selection the current run is added to (what was selected when the anchor was set). */
  readonly base: ReadonlySet<string>;
}

export const NO_SELECTION: BinSelection = { selected: new Set(), anchor: null, base: new Set() };

/** Ctrl/⌘+click: the bin goes in or out of the selection and becomes the anchor. */
export function toggleBin(sel: BinSelection, id: string): BinSelection {
  const selected = new Set(sel.selected);
  if (!selected.delete(id)) selected.add(id);
  return { selected, anchor: id, base: selected };
}

/**
 * Shift+click or Shift+arrow: the run from the anchor (or from `from` when there is none, e.g. the keyboard
 * cursor before it moved) to `id`, added to the base. Ids not in `order` leave the selection as it is.
 */
export function extendTo(sel: BinSelection, order: readonly string[], id: string, from: string | null = null): BinSelection {
  const anchor = sel.anchor ?? from ?? id;
  const a = order.indexOf(anchor);
  const b = order.indexOf(id);
  if (a < 0 || b < 0) return sel;
  const selected = new Set(sel.base);
  for (let i = Math.min(a, b); i <= Math.max(a, b); i++) selected.add(order[i]!);
  return { selected, anchor, base: sel.base };
}

/** A plain move of the cursor (arrows, a plain click): the selection stays and the next run starts here. */
export function anchorAt(sel: BinSelection, id: string): BinSelection {
  return { selected: sel.selected, anchor: id, base: sel.selected };
}

/** The selected bins among `bins`, oldest first (ties by id): the order a mosaic of them reads in. */
export function selectedInTimeOrder(bins: readonly CatalogueBin[], selected: ReadonlySet<string>): CatalogueBin[] {
  return bins.filter((b) => selected.has(b.id)).sort((x, y) => x.epochMs - y.epochMs || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
