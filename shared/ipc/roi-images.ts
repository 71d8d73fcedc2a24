/**
 * The binary encoding of `bin:roi-images` responses: ONE byte array that travels unchanged as a structured-clone
 * `Uint8Array` over Electron IPC and as an `application/octet-stream` body over the HTTP bridge, decoded by
 * the one decoder below on either side.
 *
 * Layout (all integers little-endian uint32):
 *   0   magic 'IFRI' (0x49 0x46 0x52 0x49)
 *   4   version (1)
 *   8   count
 *   12  total pixel bytes
 *   16  count × 16-byte records: target, width, height, offset (absolute byte offset of the pixels in this array)
 *   16 + 16·count  pixels, `height` rows of `width` unsigned 8-bit values per image, in record order
 * A fixed binary index (not JSON) keeps encode/decode O(count) without a parser, and the pixel area starts on an
 * 8-byte boundary. Environment-free.
 */
import { IfcbError } from '../errors.ts';

export const ROI_IMAGES_MAGIC = 0x49524649; // 'IFRI' read as little-endian uint32
export const ROI_IMAGES_VERSION = 1;
const HEADER_BYTES = 16;
const RECORD_BYTES = 16;

export interface RoiImageSize {
  target: number;
  width: number;
  height: number;
}

/** One decoded image; `pixels` is a view into the payload (no copy). */
export interface DecodedRoiImage extends RoiImageSize {
  pixels: Uint8Array;
}

/** A payload laid out but not yet filled: write each image's pixels at `offsets[i]`. */
export interface RoiImagesLayout {
  bytes: Uint8Array<ArrayBuffer>;
  /** Absolute offset of image i's pixels in `bytes`. */
  offsets: number[];
}

/** Size in bytes of a payload holding these images. */
export function roiImagesPayloadSize(sizes: readonly RoiImageSize[]): number {
  let total = HEADER_BYTES + RECORD_BYTES * sizes.length;
  for (const s of sizes) total += s.width * s.height;
  return total;
}

/**
 * Allocate a payload with its header and index written; the caller fills the pixel areas in place.
 * `alloc` may return uninitialised memory (main uses an unpooled Buffer) when every pixel byte will be written.
 */
export function layoutRoiImages(sizes: readonly RoiImageSize[], alloc: (bytes: number) => Uint8Array<ArrayBuffer> = (n) => new Uint8Array(n)): RoiImagesLayout {
  const total = roiImagesPayloadSize(sizes);
  if (total > 0xffff_ffff) throw new IfcbError('INVALID_ARGUMENT', 'Too many pixels for one image request.', { bytes: total });
  const bytes = alloc(total);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(0, ROI_IMAGES_MAGIC, true);
  view.setUint32(4, ROI_IMAGES_VERSION, true);
  view.setUint32(8, sizes.length, true);
  view.setUint32(12, total - HEADER_BYTES - RECORD_BYTES * sizes.length, true);
  const offsets: number[] = new Array<number>(sizes.length);
  let offset = HEADER_BYTES + RECORD_BYTES * sizes.length;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i]!;
    const at = HEADER_BYTES + RECORD_BYTES * i;
    view.setUint32(at, s.target, true);
    view.setUint32(at + 4, s.width, true);
    view.setUint32(at + 8, s.height, true);
    view.setUint32(at + 12, offset, true);
    offsets[i] = offset;
    offset += s.width * s.height;
  }
  return { bytes, offsets };
}

/** Encode images whose pixels are already in memory. */
export function encodeRoiImages(images: readonly DecodedRoiImage[]): Uint8Array<ArrayBuffer> {
  const { bytes, offsets } = layoutRoiImages(images);
  images.forEach((image, i) => {
    if (image.pixels.length !== image.width * image.height) {
      throw new IfcbError('INTERNAL', `Image ${image.target} has ${image.pixels.length} pixels, expected ${image.width * image.height}.`);
    }
    bytes.set(image.pixels, offsets[i]!);
  });
  return bytes;
}

function corrupt(why: string): IfcbError {
  return new IfcbError('INTERNAL', `Malformed image payload: ${why}.`);
}

/** Decode a payload into per-image views (validates every bound; never reads outside the array). */
export function decodeRoiImages(bytes: Uint8Array): DecodedRoiImage[] {
  if (bytes.byteLength < HEADER_BYTES) throw corrupt('shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== ROI_IMAGES_MAGIC) throw corrupt('bad magic');
  if (view.getUint32(4, true) !== ROI_IMAGES_VERSION) throw corrupt(`unsupported version ${view.getUint32(4, true)}`);
  const count = view.getUint32(8, true);
  const pixelBytes = view.getUint32(12, true);
  const pixelStart = HEADER_BYTES + RECORD_BYTES * count;
  if (pixelStart + pixelBytes !== bytes.byteLength) throw corrupt('length does not match its index');
  const images: DecodedRoiImage[] = new Array<DecodedRoiImage>(count);
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + RECORD_BYTES * i;
    const target = view.getUint32(at, true);
    const width = view.getUint32(at + 4, true);
    const height = view.getUint32(at + 8, true);
    const offset = view.getUint32(at + 12, true);
    const size = width * height;
    if (offset < pixelStart || offset + size > bytes.byteLength) throw corrupt(`image ${target} lies outside the payload`);
    images[i] = { target, width, height, pixels: bytes.subarray(offset, offset + size) };
  }
  return images;
}
