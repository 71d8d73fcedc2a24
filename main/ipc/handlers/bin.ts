/** `bin:*` handlers: open by path, metadata, images, drops. */
import path from 'node:path';
import { IfcbError, isIfcbError } from '../../../shared/errors.ts';
import { MAX_IMAGE_PAYLOAD_BYTES } from '../../../shared/ipc/contract.ts';
import type { BinMetadata, OpenedBin, ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import { BIN_EXTENSIONS } from '../../access/allow-list.ts';
import { readRoiPayload } from '../roi-payload.ts';
import type { HandlerContext } from '../context.ts';
import { binMetadata, summarizeBin } from '../summaries.ts';
import { addRootAt } from './roots.ts';

/** Open a bin whose path main already allows (recent files, files under a library folder). */
export async function openPath(ctx: HandlerContext, request: ParsedRequestOf<'bin:open-path'>): Promise<OpenedBin> {
  const bin = ctx.bins.register(request.path);
  return { bin: summarizeBin(bin) };
}

/**
 * Open a path that came from a trusted place in main (OS launch, dialog, drop): it joins the allow-list first.
 * Only the bin's own three files are allowed, and only if the name is a bin id (`allowBin` throws INVALID_BIN_ID).
 */
export function openTrustedPath(ctx: HandlerContext, p: string): OpenedBin {
  const base = ctx.access.allowBin(p);
  return { bin: summarizeBin(ctx.bins.register(`${base}.adc`)) };
}

/** Deliver a bin the OS asked us to open: queued until the page is ready, then as an event. */
export function deliverOsOpen(ctx: HandlerContext, p: string): OpenedBin {
  const opened = openTrustedPath(ctx, p);
  if (ctx.pageReady) ctx.events.emit({ type: 'bin-opened', bin: opened.bin });
  else ctx.pending.push(opened);
  return opened;
}

/**
 * Deliver a path given at launch (command line, or the OS before the page is ready). One damaged bin must not stop
 * the others or the app: its error is kept for the page (`app:ready`'s `rejected`) and null returned.
 */
export function deliverLaunchPath(ctx: HandlerContext, p: string): OpenedBin | null {
  try {
    return deliverOsOpen(ctx, p);
  } catch (e) {
    if (!isIfcbError(e)) throw e;
    ctx.pendingRejected.push({ name: path.basename(p), code: e.code, message: e.message });
    return null;
  }
}

/** Dropped files open as bins, dropped folders join the library; everything else is reported, not fatal. */
export async function openDropped(ctx: HandlerContext, request: ParsedRequestOf<'bin:open-dropped'>): Promise<ResponseOf<'bin:open-dropped'>> {
  if (ctx.app.transport !== 'electron' && !ctx.pathInput) {
    throw new IfcbError('NOT_AVAILABLE', 'Dropping files needs the desktop app; in the browser, open bins from the library.');
  }
  const result: ResponseOf<'bin:open-dropped'> = { opened: [], roots: [], rejected: [] };
  const seen = new Set<string>();
  for (const p of request.paths) {
    try {
      const ext = path.extname(p).toLowerCase();
      if ((BIN_EXTENSIONS as readonly string[]).includes(ext)) {
        const opened = openTrustedPath(ctx, p);
        if (!seen.has(opened.bin.id)) result.opened.push(opened);
        seen.add(opened.bin.id);
      } else {
        result.roots.push(await addRootAt(ctx, p));
      }
    } catch (e) {
      if (!isIfcbError(e)) throw e;
      result.rejected.push({ name: path.basename(p), code: e.code, message: e.message });
    }
  }
  return result;
}

/** Bin summary, headers and the columnar per-ROI table. */
export async function getBinMetadata(ctx: HandlerContext, request: ParsedRequestOf<'bin:metadata'>): Promise<BinMetadata> {
  return binMetadata(ctx.bins.get(request.binId));
}

/**
 * Raw pixels of the requested targets in one payload. Every target is checked and the payload size bounded
 * from the ADC geometry before the `.roi` is opened, and reserved in the budget of image bytes in flight
 * across requests (BUSY when full; the transport releases it once the payload is delivered). The scope (one fd)
 * closes when this function returns or throws.
 */
export async function getRoiImages(ctx: HandlerContext, request: ParsedRequestOf<'bin:roi-images'>): Promise<ResponseOf<'bin:roi-images'>> {
  const bin = ctx.bins.get(request.binId);
  const geometryMap = bin.images;
  let bytes = 0;
  for (const target of request.targets) {
    const g = geometryMap.geometry(target);
    bytes += g.width * g.height;
  }
  if (bytes > MAX_IMAGE_PAYLOAD_BYTES) {
    throw new IfcbError('INVALID_ARGUMENT', `Too many pixels in one request (${bytes} bytes); ask for fewer targets at a time.`, { bytes, limit: MAX_IMAGE_PAYLOAD_BYTES });
  }
  ctx.imageBytes.reserve(bytes);
  let payload: Uint8Array<ArrayBuffer>;
  try {
    payload = readRoiPayload(bin, request.targets);
  } catch (e) {
    ctx.imageBytes.cancel(bytes);
    throw e;
  }
  ctx.imageBytes.hold(payload, bytes);
  return payload;
}
