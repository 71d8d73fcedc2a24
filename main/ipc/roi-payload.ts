/**
 * Build the `bin:roi-images` payload: the shared binary layout (shared/ipc/roi-images.ts) filled by the reader's
 * batch read, which validates every geometry first and reads runs of images straight into their place.
 */
import { layoutRoiImages } from '../../shared/ipc/roi-images.ts';
import type { Bin } from '../ifcb/index.ts';

/** Uninitialised, unpooled memory: the batch read writes every pixel byte, and the payload owns its buffer. */
function allocPayload(n: number): Uint8Array<ArrayBuffer> {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n) as Uint8Array<ArrayBuffer>;
}

/** The encoded images of `targets` (already known to exist in `bin.images`), in request order. */
export function readRoiPayload(bin: Bin, targets: readonly number[]): Uint8Array<ArrayBuffer> {
  using _scope = bin.scope(); // one open of the .roi for the whole request
  return bin.readImagesInto(targets, (sizes) => layoutRoiImages(sizes, allocPayload)).bytes;
}
