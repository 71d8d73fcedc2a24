/**
 * Annotation decisions as pure functions: which classes the palette offers and in what order (number keys 1–9 are
 * its first nine), type-to-search over them, which ROIs a key press labels, and what the toast says about a change.
 */
import { classNameSchema } from '../../shared/ipc/contract.ts';
import { slotOfKey, targetOfKey } from '../../shared/mosaic/keys.ts';

/** Classes reachable by a number key (1–9). */
export const NUMBERED_CLASSES = 9;

/**
 * Every class the palette offers, in palette order: the user's own order first (the names of `order` that are
 * known, as arranged), then the others by name. Known = the classifier's classes of the bins in view, the library's
 * classes, and classes made in the app.
 */
export function paletteOrder(known: Iterable<string>, order: readonly string[]): string[] {
  const names = new Set(known);
  const pinned = order.filter((n, i) => names.has(n) && order.indexOf(n) === i);
  const placed = new Set(pinned);
  const rest = [...names].filter((n) => !placed.has(n)).sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : 1));
  return [...pinned, ...rest];
}

/** The palette's order with `name` moved `delta` places (the whole order is kept, so it stays as shown). */
export function movedClass(palette: readonly string[], name: string, delta: number): string[] {
  const from = palette.indexOf(name);
  if (from < 0) return [...palette];
  const to = Math.max(0, Math.min(palette.length - 1, from + delta));
  const out = palette.filter((n) => n !== name);
  out.splice(to, 0, name);
  return out;
}

/** A name typed for a new class, trimmed, if the library can store it (else null). */
export function validClassName(typed: string): string | null {
  const name = typed.trim();
  return classNameSchema.safeParse(name).success ? name : null;
}

/**
 * Classes matching a typed query, best first: the name itself, then names starting with it, then names with a word
 * starting with it, then names containing it, then names holding its letters in order (`mesrub` → `Mesodinium_rubrum`).
 * Case-insensitive; ties keep palette order. An empty query lists everything.
 */
export function searchClasses(query: string, names: readonly string[]): string[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...names];
  const ranked: { name: string; rank: number; at: number }[] = [];
  names.forEach((name, at) => {
    const n = name.toLowerCase();
    const i = n.indexOf(q);
    let rank: number;
    if (n === q) rank = 0;
    else if (i === 0) rank = 1;
    else if (i > 0 && /[^a-z0-9]/.test(n[i - 1]!)) rank = 2;
    else if (i > 0) rank = 3;
    else if (isSubsequence(q, n)) rank = 4;
    else return;
    ranked.push({ name, rank, at });
  });
  return ranked.sort((a, b) => a.rank - b.rank || a.at - b.at).map((r) => r.name);
}

function isSubsequence(q: string, n: string): boolean {
  let j = 0;
  for (let i = 0; i < n.length && j < q.length; i++) if (n[i] === q[j]) j++;
  return j === q.length;
}

/** ROIs of one bin, targets ascending (what `labels:set` takes per bin). */
export interface LabelTargets {
  binId: string;
  targets: number[];
}

/** The ROIs behind view keys, grouped by bin (in slot order; keys of slots without a bin are left out). */
export function roisOfKeys(keys: Iterable<number>, binIdOfSlot: (slot: number) => string | undefined): LabelTargets[] {
  const bySlot = new Map<number, number[]>();
  for (const key of keys) {
    const slot = slotOfKey(key);
    let list = bySlot.get(slot);
    if (!list) bySlot.set(slot, (list = []));
    list.push(targetOfKey(key));
  }
  const out: LabelTargets[] = [];
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) {
    const binId = binIdOfSlot(slot);
    if (binId !== undefined) out.push({ binId, targets: bySlot.get(slot)!.sort((a, b) => a - b) });
  }
  return out;
}

/**
 * What a labelling key acts on: the selection when there is one, else the focus tile alone (then the focus moves
 * on to the next tile, as in manual_classify: one key per image). `advance` says whether to move the focus.
 */
export function labelScope(selected: ReadonlySet<number>, focus: number | null): { keys: number[]; advance: boolean } {
  if (selected.size > 0) return { keys: [...selected], advance: false };
  if (focus !== null) return { keys: [focus], advance: true };
  return { keys: [], advance: false };
}

/** The tile after `key` in display order (null at the end, or when `key` is not displayed). */
export function nextInOrder(order: readonly number[], key: number): number | null {
  const at = order.indexOf(key);
  return at < 0 || at + 1 >= order.length ? null : order[at + 1]!;
}

/** A change as the library reports it (`labels:set`, `labels:confirm`, undo, redo). */
export interface ChangeSummary {
  kind: 'set' | 'import' | 'confirm';
  rois: readonly { targets: readonly number[] }[];
  label: string | null;
}

function images(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'image' : 'images'}`;
}

/** What the toast says: "Undid: 12 images → Ciliates", "Labelled: 1 image → not reviewed", "Redid: classifier confirmed for 3 images". */
export function changeText(verb: 'Labelled' | 'Undid' | 'Redid', change: ChangeSummary): string {
  const n = change.rois.reduce((sum, r) => sum + r.targets.length, 0);
  if (change.kind === 'confirm') return `${verb === 'Labelled' ? 'Confirmed' : verb}: classifier confirmed for ${images(n)}`;
  if (change.kind === 'import') return `${verb}: import of ${n.toLocaleString('en-US')} ${n === 1 ? 'label' : 'labels'}`;
  return `${verb}: ${images(n)} → ${change.label ?? 'not reviewed'}`;
}
