/**
 * The tile-sheet worker: turns one `bin:roi-images` payload into the bitmaps of its images off the main thread, so
 * decoding, gray → RGBA and bitmap creation never cost the mosaic a frame. The bitmaps and the index arrays are
 * transferred back, not copied. (One bitmap per image, not one packed sheet: drawing a sub-rectangle of a larger
 * bitmap costs Chromium's software canvas about 1.7 µs more per tile, a millisecond a frame on a screen of them.)
 */
import { isIfcbError } from '../../shared/errors.ts';
import { decodeRoiImages } from '../../shared/ipc/roi-images.ts';
import { grayToRgba } from './paint.ts';
import type { SheetReply, SheetRequest } from './sheet-maker.ts';

async function makeSheet(request: SheetRequest): Promise<SheetReply> {
  try {
    const images = decodeRoiImages(request.payload);
    const bitmaps = await Promise.all(
      images.map((image) => {
        // an empty image has nothing to draw
        if (image.width === 0 || image.height === 0) return null;
        const rgba = new ImageData(image.width, image.height);
        grayToRgba(image.pixels, new Uint32Array(rgba.data.buffer));
        return createImageBitmap(rgba);
      }),
    );
    const targets = Uint32Array.from(images, (i) => i.target);
    const widths = Uint32Array.from(images, (i) => i.width);
    const bytes = images.reduce((n, i) => n + 4 * i.width * i.height, 0);
    return { id: request.id, ok: true, sheet: { bitmaps, targets, widths, bytes } };
  } catch (e) {
    const code = isIfcbError(e) ? e.code : 'INTERNAL';
    return { id: request.id, ok: false, error: { code, message: e instanceof Error ? e.message : String(e) } };
  }
}

self.onmessage = (event: MessageEvent<SheetRequest>) => {
  void makeSheet(event.data).then((reply) => {
    const transfer: Transferable[] = reply.ok ? [...reply.sheet.bitmaps.filter((b) => b !== null), reply.sheet.targets.buffer, reply.sheet.widths.buffer] : [];
    self.postMessage(reply, { transfer });
  });
};
