/**
 * The mosaic's selection model as a pure reducer. Selection is kept by target number, so it survives
 * sorting and filtering; ranges (Shift) are taken in the current display order, which every action
 * that needs it carries as `order` (target numbers as displayed).
 */

export interface SelectionState {
  readonly selected: ReadonlySet<number>;
  /** Where a Shift range starts. */
  readonly anchor: number | null;
  /** The keyboard cursor (dashed outline). */
  readonly focus: number | null;
}

export type SelectionAction =
  /** Plain click: select only this tile. */
  | { type: 'click'; target: number }
  /** Ctrl/Cmd-click or Space: flip one tile, keep the rest. */
  | { type: 'toggle'; target: number }
  /** Shift-click: anchor..target in display order; `additive` (Ctrl+Shift) keeps the rest. */
  | { type: 'range'; target: number; order: readonly number[]; additive?: boolean }
  /** Arrow/Page/Home/End: move the focus; `extend` (Shift) selects anchor..focus. */
  | { type: 'move'; target: number; order: readonly number[]; extend?: boolean }
  /** Rubber band: the tiles under the band; `additive` (Ctrl/Cmd) adds them to the selection. */
  | { type: 'band'; targets: readonly number[]; additive?: boolean }
  | { type: 'all'; order: readonly number[] }
  | { type: 'none' }
  /** Flip every displayed tile; selected tiles hidden by a filter stay selected. */
  | { type: 'invert'; order: readonly number[] }
  /** Replace everything (a new bin, or a restored basket entry). */
  | { type: 'reset'; selected?: readonly number[] };

/** No selection, no focus. */
export const EMPTY_SELECTION: SelectionState = { selected: new Set(), anchor: null, focus: null };

function rangeOf(order: readonly number[], from: number | null, to: number): number[] {
  const j = order.indexOf(to);
  if (j < 0) return [];
  const i = from === null ? -1 : order.indexOf(from);
  if (i < 0) return [to];
  return order.slice(Math.min(i, j), Math.max(i, j) + 1);
}

/** Apply one action; returns the same object when nothing changed. */
export function selectionReducer(state: SelectionState, action: SelectionAction): SelectionState {
  switch (action.type) {
    case 'click':
      return { selected: new Set([action.target]), anchor: action.target, focus: action.target };
    case 'toggle': {
      const selected = new Set(state.selected);
      if (selected.has(action.target)) selected.delete(action.target);
      else selected.add(action.target);
      return { selected, anchor: action.target, focus: action.target };
    }
    case 'range': {
      const anchor = state.anchor ?? state.focus;
      const range = rangeOf(action.order, anchor, action.target);
      const selected = action.additive ? new Set(state.selected) : new Set<number>();
      for (const t of range) selected.add(t);
      return { selected, anchor: anchor ?? action.target, focus: action.target };
    }
    case 'move': {
      if (!action.extend) return { selected: state.selected, anchor: action.target, focus: action.target };
      const anchor = state.anchor ?? state.focus ?? action.target;
      return { selected: new Set(rangeOf(action.order, anchor, action.target)), anchor, focus: action.target };
    }
    case 'band': {
      const selected = action.additive ? new Set(state.selected) : new Set<number>();
      for (const t of action.targets) selected.add(t);
      const last = action.targets.length > 0 ? action.targets[action.targets.length - 1]! : state.focus;
      return { selected, anchor: action.targets[0] ?? state.anchor, focus: last };
    }
    case 'all':
      return { ...state, selected: new Set([...state.selected, ...action.order]) };
    case 'none':
      return state.selected.size === 0 ? state : { ...state, selected: new Set() };
    case 'invert': {
      const selected = new Set(state.selected);
      for (const t of action.order) {
        if (selected.has(t)) selected.delete(t);
        else selected.add(t);
      }
      return { ...state, selected };
    }
    case 'reset':
      return { selected: new Set(action.selected ?? []), anchor: null, focus: null };
  }
}

/** The selected targets in ascending order (what the export receives). */
export function selectedTargets(state: SelectionState): number[] {
  return [...state.selected].sort((a, b) => a - b);
}
