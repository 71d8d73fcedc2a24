/**
 * Build the `bin:roi-images` payload. Fast path (unstitched images — every schema 2 request, and schema 1
 * requests without stitched targets): geometry is validated and bounds-checked first, the payload is laid out
 * uninitialised, and each run of images that is contiguous both in the `.roi` and in the payload (a screenful
 * of consecutive targets usually is) is read with ONE `readSync` straight into its place — no intermediate
 * buffer, no copy. Other runs go through the reader's coalesced plan into a scratch buffer and are copied.
 * Stitched targets (schema 1) use the reader's stitched map. The `.roi` is open only inside the scope.
 */
import { IfcbError } from '../../shared/errors.ts';
import { encodeRoiImages, layoutRoiImages } from '../../shared/ipc/roi-images.ts';
import type { Bin } from '../ifcb/bin.ts';
import { allocBytes, checkRoiBounds, planRoiReads, readChecked, truncated, validateRoiGeometry, type RoiContext, type RoiExtent } from '../ifcb/roi.ts';
import type { ImageMap, RoiImage } from '../ifcb/types.ts';

type BatchMap = ImageMap & { getMany?(targets: readonly number[]): RoiImage[] };

/** The encoded images of `targets` (already known to exist in `bin.images`), in request order. */
export function readRoiPayload(bin: Bin, targets: readonly number[]): Uint8Array<ArrayBuffer> {
  const map = bin.images;
  const extents: RoiExtent[] = targets.map((t) => map.geometry(t));
  const stitched = extents.some((g) => (g as { stitchedWith?: number }).stitchedWith !== undefined);
  using scope = bin.scope();
  if (stitched) {
    const images = scope.images as BatchMap;
    return encodeRoiImages(images.getMany ? images.getMany(targets) : targets.map((t) => images.get(t)));
  }
  const roi = bin.openRoi();
  if (roi === null) throw new IfcbError('INTERNAL', `the .roi of ${bin.id} is not open inside its scope`);
  const ctx: RoiContext = { binId: bin.id, path: bin.paths.roi };
  for (const g of extents) {
    validateRoiGeometry(g, ctx);
    checkRoiBounds(g, roi.size, ctx);
  }
  const { bytes, offsets } = layoutRoiImages(extents, allocBytes);
  for (const group of planRoiReads(extents)) {
    const members = group.members;
    // one read straight into the payload when disk order = payload order with no gap on either side
    let direct = true;
    for (let k = 1; k < members.length && direct; k++) {
      const prev = extents[members[k - 1]!]!;
      const cur = extents[members[k]!]!;
      const prevLen = prev.width * prev.height;
      direct = cur.byteOffset === prev.byteOffset + prevLen && offsets[members[k]!] === offsets[members[k - 1]!]! + prevLen;
    }
    const span = group.end - group.start;
    if (direct) {
      const at = offsets[members[0]!]!;
      const got = readChecked(roi.fd, bytes.subarray(at, at + span), span, group.start, ctx);
      if (got < span) {
        // the file shrank after fstat: name the first image that is now cut short
        const short = members.map((i) => extents[i]!).find((g) => g.byteOffset + g.width * g.height > group.start + got)!;
        throw truncated(short, group.start + got, ctx);
      }
      continue;
    }
    const scratch = allocBytes(span);
    const got = readChecked(roi.fd, scratch, span, group.start, ctx);
    for (const i of members) {
      const g = extents[i]!;
      const rel = g.byteOffset - group.start;
      const len = g.width * g.height;
      if (rel + len > got) throw truncated(g, group.start + got, ctx);
      bytes.set(scratch.subarray(rel, rel + len), offsets[i]!);
    }
  }
  return bytes;
}
