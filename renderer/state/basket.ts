/**
 * The basket: images picked in bins that are not in the view any more, by bin id, so a selection spans bins and
 * views (and export takes all of it). The view's own selection is the selection reducer's, by key; these pure
 * functions move it into the basket when the view changes and back when a bin returns.
 */
import { roiKey, slotOfKey, targetOfKey } from '../../shared/mosaic/keys.ts';

export type Basket = ReadonlyMap<string, readonly number[]>;

/** The basket after leaving a view of `binIds` (slot order) with `selected` keys: its bins' entries replaced. */
export function stashSelection(basket: Basket, binIds: readonly string[], selected: Iterable<number>): Basket {
  const byBin = new Map<string, number[]>();
  for (const key of selected) {
    const id = binIds[slotOfKey(key)];
    if (id === undefined) continue;
    let list = byBin.get(id);
    if (!list) byBin.set(id, (list = []));
    list.push(targetOfKey(key));
  }
  const next = new Map(basket);
  for (const id of binIds) {
    const targets = byBin.get(id);
    if (targets) next.set(id, targets.sort((a, b) => a - b));
    else next.delete(id);
  }
  return next;
}

/** The keys of the basket's images that belong to a view of `binIds` (its selection when it opens). */
export function restoreSelection(basket: Basket, binIds: readonly string[]): number[] {
  const keys: number[] = [];
  binIds.forEach((id, slot) => {
    for (const target of basket.get(id) ?? []) keys.push(roiKey(slot, target));
  });
  return keys;
}

/** Everything picked, in the view and in the basket, per bin (bin id order): what export writes. */
export function exportItems(basket: Basket, binIds: readonly string[], selected: Iterable<number>): { binId: string; targets: number[] }[] {
  const merged = stashSelection(basket, binIds, selected);
  return [...merged]
    .filter(([, targets]) => targets.length > 0)
    .map(([binId, targets]) => ({ binId, targets: [...targets] }))
    .sort((a, b) => a.binId.localeCompare(b.binId));
}

/** Images and bins picked in all. */
export function basketCounts(basket: Basket, binIds: readonly string[], selected: Iterable<number>): { images: number; bins: number } {
  let images = 0;
  let bins = 0;
  for (const [, targets] of stashSelection(basket, binIds, selected)) {
    if (targets.length === 0) continue;
    images += targets.length;
    bins += 1;
  }
  return { images, bins };
}
