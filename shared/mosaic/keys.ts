/**
 * Keys of the images in a view of one or more bins: `slot × KEY_STRIDE + target`, where `slot` is the bin's place in
 * the view (0 for a single bin, so there the key IS the target number). One number per image lets the selection,
 * the layout and the pixel cache work across bins exactly as they do in one. Environment-free.
 */

/** Above every target number the contract accepts (MAX_TARGET = 10,000,000), so keys never collide. */
export const KEY_STRIDE = 2 ** 24;

export function roiKey(slot: number, target: number): number {
  return slot * KEY_STRIDE + target;
}

export function slotOfKey(key: number): number {
  return Math.floor(key / KEY_STRIDE);
}

export function targetOfKey(key: number): number {
  return key % KEY_STRIDE;
}

/** The ROI id users know from the IFCB Dashboard and pyifcb: `<bin>_<target, 5 digits>`. */
export function roiId(binId: string, target: number): string {
  return `${binId}_${String(target).padStart(5, '0')}`;
}
