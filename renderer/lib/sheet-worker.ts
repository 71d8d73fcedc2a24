/**
 * The tile-sheet worker: turns one `bin:roi-images` payload into one RGBA sheet bitmap (tile-sheet.ts) off the
 * main thread, so decoding, gray → RGBA and bitmap creation never cost the mosaic a frame. The bitmap and the
 * index arrays are transferred back, not copied.
 */
import { isIfcbError } from '../../shared/errors.ts';
import { decodeRoiImages } from '../../shared/ipc/roi-images.ts';
import type { SheetReply, SheetRequest } from './sheet-maker.ts';
import { fillSheet, packSheet } from './tile-sheet.ts';

async function makeSheet(request: SheetRequest): Promise<SheetReply> {
  try {
    const images = decodeRoiImages(request.payload);
    const placement = packSheet(images);
    // a sheet of empty images still needs a bitmap: 1 × 1 transparent
    const image = new ImageData(Math.max(1, placement.width), Math.max(1, placement.height));
    fillSheet(new Uint32Array(image.data.buffer), placement, images);
    const bitmap = await createImageBitmap(image);
    const targets = Uint32Array.from(images, (i) => i.target);
    return { id: request.id, ok: true, sheet: { bitmap, targets, rects: placement.rects, bytes: 4 * image.width * image.height } };
  } catch (e) {
    const code = isIfcbError(e) ? e.code : 'INTERNAL';
    return { id: request.id, ok: false, error: { code, message: e instanceof Error ? e.message : String(e) } };
  }
}

self.onmessage = (event: MessageEvent<SheetRequest>) => {
  void makeSheet(event.data).then((reply) => {
    const transfer = reply.ok ? [reply.sheet.bitmap, reply.sheet.targets.buffer, reply.sheet.rects.buffer] : [];
    self.postMessage(reply, { transfer });
  });
};
