/**
 * `.roi` pixel reading (spec §4). An image is `width*height` unsigned bytes at the absolute offset
 * START_BYTE, row-major (`height` rows of `width`). Offsets are always taken from the ADC, never
 * computed cumulatively. Geometry is validated before any byte is read, and a read past the end of
 * the file is a specific `ROI_TRUNCATED` error instead of pyifcb's numpy reshape failure.
 *
 * Many images are read with few syscalls: `readRois` sorts the requests by offset and reads each
 * run of contiguous or nearby images with a single `readSync` into one reused scratch buffer, and
 * each image is copied out into memory of its own.
 */
import { readSync } from 'node:fs';
import { IfcbError } from '../../shared/errors.ts';
import type { RoiImage } from './types.ts';

/** Where an image's raw bytes are: the part of `RoiGeometry` that reading needs. */
export interface RoiExtent {
  target: number;
  width: number;
  height: number;
  byteOffset: number;
}

/** Names used in error messages. */
export interface RoiContext {
  /** The `.roi` path. */
  path?: string;
  /** The bin id. */
  binId?: string;
}

/** Largest side accepted (the IFCB camera is 1380×1034; stitched boxes stay within it). */
export const MAX_ROI_SIDE = 65_535;
/** Largest image accepted, in pixels (a sanity bound against corrupt ADC rows). */
export const MAX_ROI_PIXELS = 64 * 1024 * 1024;
/** Images closer than this many bytes are read together (the gap is read and discarded). */
export const DEFAULT_MAX_GAP = 64 * 1024;
/** Upper bound on one coalesced read. */
export const DEFAULT_MAX_SPAN = 16 * 1024 * 1024;

function where(ctx: RoiContext | undefined): string {
  if (ctx?.binId) return ` of ${ctx.binId}`;
  if (ctx?.path) return ` of ${ctx.path}`;
  return '';
}

function invalid(g: RoiExtent, field: string, value: number, rule: string, ctx?: RoiContext): IfcbError {
  return new IfcbError(
    'ROI_INVALID_GEOMETRY',
    `ROI ${g.target}${where(ctx)} has an invalid ${field} (${value}) in its .adc row: ${rule}. The .adc file is probably corrupt.`,
    { target: g.target, width: g.width, height: g.height, byteOffset: g.byteOffset, ...(ctx?.path ? { path: ctx.path } : {}), ...(ctx?.binId ? { binId: ctx.binId } : {}) },
  );
}

// A module function, not a closure per call: the indexer validates every image of every bin.
function checkSide(g: RoiExtent, field: 'width' | 'height', v: number, ctx: RoiContext | undefined): void {
  if (!Number.isInteger(v) || v < 0 || v > MAX_ROI_SIDE) {
    throw invalid(g, field, v, `ROI_${field.toUpperCase()} must be an integer from 0 to ${MAX_ROI_SIDE}`, ctx);
  }
}

/** Throws `ROI_INVALID_GEOMETRY` unless width/height/offset are sane non-negative integers (height > 0 when width > 0). */
export function validateRoiGeometry(g: RoiExtent, ctx?: RoiContext): void {
  checkSide(g, 'width', g.width, ctx);
  checkSide(g, 'height', g.height, ctx);
  if (g.width !== 0 && g.height === 0) {
    throw invalid(g, 'height', 0, `a ${g.width}-pixel-wide ROI cannot be 0 rows tall (pyifcb: "roi #${g.target} is 0x0")`, ctx);
  }
  if (g.width * g.height > MAX_ROI_PIXELS) {
    throw invalid(g, 'size', g.width * g.height, `at most ${MAX_ROI_PIXELS} pixels are accepted`, ctx);
  }
  if (!Number.isSafeInteger(g.byteOffset) || g.byteOffset < 0) {
    throw invalid(g, 'START_BYTE', g.byteOffset, 'it must be a non-negative integer byte offset', ctx);
  }
}

/** Throws `ROI_TRUNCATED` when the image's bytes run past the end of a file of `fileSize` bytes. */
export function checkRoiBounds(g: RoiExtent, fileSize: number, ctx?: RoiContext): void {
  const end = g.byteOffset + g.width * g.height;
  if (end > fileSize) {
    throw truncated(g, fileSize, ctx);
  }
}

/** The `ROI_TRUNCATED` error for an image whose bytes end past a file of `fileSize` bytes. */
export function truncated(g: RoiExtent, fileSize: number, ctx?: RoiContext): IfcbError {
  const file = ctx?.path ?? (ctx?.binId ? `${ctx.binId}.roi` : 'the .roi file');
  const length = g.width * g.height;
  return new IfcbError(
    'ROI_TRUNCATED',
    `${file} is truncated: ROI ${g.target} (${g.width}×${g.height}) needs bytes ${g.byteOffset}–${g.byteOffset + length} but the file has only ${fileSize} bytes. ` +
      'The file may still be copying or was cut short; copy it again from the instrument.',
    { target: g.target, byteOffset: g.byteOffset, length, fileSize, ...(ctx?.path ? { path: ctx.path } : {}), ...(ctx?.binId ? { binId: ctx.binId } : {}) },
  );
}

/** One coalesced read: bytes [start, end) covering the listed request indices. */
export interface ReadGroup {
  start: number;
  end: number;
  members: number[];
}

/** Plan coalesced reads: sort by offset and merge requests whose gap is ≤ maxGap while the span stays ≤ maxSpan. */
export function planRoiReads(extents: readonly RoiExtent[], maxGap = DEFAULT_MAX_GAP, maxSpan = DEFAULT_MAX_SPAN): ReadGroup[] {
  const order = extents.map((_, i) => i).filter((i) => extents[i]!.width * extents[i]!.height > 0);
  order.sort((a, b) => extents[a]!.byteOffset - extents[b]!.byteOffset || a - b);
  const groups: ReadGroup[] = [];
  let current: ReadGroup | null = null;
  for (const i of order) {
    const g = extents[i]!;
    const start = g.byteOffset;
    const end = start + g.width * g.height;
    if (current && start <= current.end + maxGap && Math.max(end, current.end) - current.start <= maxSpan) {
      current.end = Math.max(current.end, end);
      current.members.push(i);
    } else {
      current = { start, end, members: [i] };
      groups.push(current);
    }
  }
  return groups;
}

/** Fill `buf[0, length)` from `fd` at `position`; returns the bytes actually read (short only at EOF). */
export function readFully(fd: number, buf: Uint8Array, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** `readFully` with I/O failures (EIO, a vanished network share) turned into `FILE_UNREADABLE`. */
export function readChecked(fd: number, buf: Uint8Array, length: number, position: number, ctx?: RoiContext): number {
  try {
    return readFully(fd, buf, length, position);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const file = ctx?.path ?? (ctx?.binId ? `${ctx.binId}.roi` : 'the .roi file');
    throw new IfcbError(
      'FILE_UNREADABLE',
      `cannot read ${file} (${code ?? 'I/O error'}: ${e instanceof Error ? e.message : String(e)}); check that the disk or share is still available`,
      { ...(ctx?.path ? { path: ctx.path } : {}), ...(code ? { errno: code } : {}) },
      { cause: e },
    );
  }
}

/** An uninitialised byte array (no zero-fill: every byte is overwritten by the read). */
export function allocBytes(n: number): Uint8Array<ArrayBuffer> {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n) as Uint8Array<ArrayBuffer>;
}

/**
 * Pixels of many images from an open `.roi`, in the order given (what `readRois` returns, without the
 * wrapping objects). Geometry is validated and bounds-checked against `fileSize` before any read;
 * nearby images share one `readSync`, and each returned array owns exactly its image's bytes.
 */
export function readRoiPixels(
  fd: number,
  fileSize: number,
  extents: readonly RoiExtent[],
  ctx?: RoiContext,
  options: { maxGap?: number; maxSpan?: number } = {},
): Uint8Array[] {
  for (const g of extents) {
    validateRoiGeometry(g, ctx);
    checkRoiBounds(g, fileSize, ctx);
  }
  if (extents.length === 1) {
    // the IPC single-image path: no planning, one exact-size read
    const g = extents[0]!;
    const len = g.width * g.height;
    const buf = allocBytes(len);
    const got = len > 0 ? readChecked(fd, buf, len, g.byteOffset, ctx) : 0;
    if (got < len) throw truncated(g, g.byteOffset + got, ctx); // the file shrank after fstat
    return [buf];
  }
  const pixels: Uint8Array[] = new Array(extents.length);
  const groups = planRoiReads(extents, options.maxGap, options.maxSpan);
  // Each group is read into one reused scratch buffer and every image copied out into memory of its own:
  // a view into a 16 MiB group would keep the whole group alive and be copied whole by structured clone,
  // and fresh group buffers page-faulted on every call (measured slower than the copies).
  let scratchSize = 0;
  for (const group of groups) scratchSize = Math.max(scratchSize, group.end - group.start);
  const scratch = allocBytes(scratchSize);
  for (const group of groups) {
    const span = group.end - group.start;
    const got = readChecked(fd, scratch, span, group.start, ctx);
    for (const i of group.members) {
      const g = extents[i]!;
      const rel = g.byteOffset - group.start;
      const len = g.width * g.height;
      // the file shrank after fstat (still being written or replaced)
      if (rel + len > got) throw truncated(g, group.start + got, ctx);
      const own = allocBytes(len); // not Buffer's shared pool: the image owns exactly its bytes
      own.set(scratch.subarray(rel, rel + len));
      pixels[i] = own;
    }
  }
  for (let i = 0; i < pixels.length; i++) pixels[i] ??= new Uint8Array(0);
  return pixels;
}

/**
 * Pixels of many images from an open `.roi` written into one destination, image i at `offsets[i]` (the
 * geometry must already be validated and bounds-checked). Each run of images contiguous both in the `.roi`
 * and in `dest` (a screenful of consecutive targets usually is) is read with ONE `readSync` straight into
 * place — no intermediate buffer, no copy; other runs go through a scratch buffer and are copied.
 */
export function readRoisInto(fd: number, extents: readonly RoiExtent[], dest: Uint8Array, offsets: readonly number[], ctx?: RoiContext): void {
  for (const group of planRoiReads(extents)) {
    const members = group.members;
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
      const got = readChecked(fd, dest.subarray(at, at + span), span, group.start, ctx);
      if (got < span) {
        // the file shrank after fstat: name the first image that is now cut short
        const short = members.map((i) => extents[i]!).find((g) => g.byteOffset + g.width * g.height > group.start + got)!;
        throw truncated(short, group.start + got, ctx);
      }
      continue;
    }
    const scratch = allocBytes(span);
    const got = readChecked(fd, scratch, span, group.start, ctx);
    for (const i of members) {
      const g = extents[i]!;
      const rel = g.byteOffset - group.start;
      const len = g.width * g.height;
      if (rel + len > got) throw truncated(g, group.start + got, ctx);
      dest.set(scratch.subarray(rel, rel + len), offsets[i]!);
    }
  }
}

/**
 * Read many images from an open `.roi` (pyifcb `RoiFile[n]` for each), in the order given, with
 * coalesced reads (see `readRoiPixels`).
 */
export function readRois(
  fd: number,
  fileSize: number,
  extents: readonly RoiExtent[],
  ctx?: RoiContext,
  options: { maxGap?: number; maxSpan?: number } = {},
): RoiImage[] {
  const pixels = readRoiPixels(fd, fileSize, extents, ctx, options);
  return extents.map((g, i) => ({ target: g.target, width: g.width, height: g.height, pixels: pixels[i]! }));
}

/** Read one image from an open `.roi` (pyifcb `RoiFile[n]`). */
export function readRoi(fd: number, fileSize: number, extent: RoiExtent, ctx?: RoiContext): RoiImage {
  return readRois(fd, fileSize, [extent], ctx)[0]!;
}

/** Images from a `.roi` already in memory: validated, bounds-checked views into `bytes`. */
export function sliceRois(bytes: Uint8Array, extents: readonly RoiExtent[], ctx?: RoiContext): RoiImage[] {
  return extents.map((g) => {
    validateRoiGeometry(g, ctx);
    checkRoiBounds(g, bytes.length, ctx);
    const len = g.width * g.height;
    return { target: g.target, width: g.width, height: g.height, pixels: bytes.subarray(g.byteOffset, g.byteOffset + len) };
  });
}
