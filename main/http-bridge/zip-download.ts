/**
 * Zip downloads for the browser mode, where the page cannot name a file on the user's machine: the export dialog
 * POSTs what to export (`prepare`: validated, every bin resolved through the allow-list, a one-time ticket kept for a
 * minute), then follows the ticket's link (`serve`): the exporter writes the zip into a private temporary folder,
 * which is removed before the file is streamed as an attachment (from its open descriptor), or as soon as the export
 * fails or the browser goes away mid-way (which also cancels the export). Nothing is left on the server side.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { IfcbError } from '../../shared/errors.ts';
import { zipDownloadRequestSchema, ZIP_DOWNLOAD_ROUTE, type ZipDownloadTicket } from '../../shared/ipc/contract.ts';
import { err, ok, toErrorInfo, type Result } from '../../shared/ipc/result.ts';
import { exportClassOptions } from '../ipc/classes-services.ts';
import type { HandlerContext } from '../ipc/context.ts';
import type { ExportItem, ExportJobRequest } from '../ipc/ports.ts';

/** A prepared download not fetched within this time is forgotten. */
const TICKET_TTL_MS = 60_000;
/** At most this many prepared downloads wait at once (each holds resolved bins, not files). */
const MAX_TICKETS = 16;

interface Ticket {
  request: ExportJobRequest;
  name: string;
  expires: number;
}

export interface ZipDownloads {
  /** Validate a download request; a ticket whose `href` (relative to the bridge base) streams the zip once. */
  prepare(body: unknown): Result<ZipDownloadTicket>;
  /** Stream the zip of a ticket (`id` from the href) to `res`. */
  serve(id: string, req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): Promise<void>;
}

/** The archive's name: the first bin id, plus "+N" when the export spans several bins (as the save dialog proposes). */
function archiveName(binIds: string[]): string {
  return `${binIds[0]}${binIds.length > 1 ? `+${binIds.length - 1}` : ''}.zip`;
}

export function zipDownloads(ctx: HandlerContext, options: { tempRoot?: string; now?: () => number } = {}): ZipDownloads {
  const tickets = new Map<string, Ticket>();
  const now = options.now ?? Date.now;
  const tempRoot = options.tempRoot ?? os.tmpdir();

  function forgetExpired(): void {
    for (const [id, t] of tickets) if (t.expires <= now()) tickets.delete(id);
  }

  return {
    prepare(body) {
      const exporter = ctx.exporter;
      if (!exporter) return err('NOT_AVAILABLE', 'Export is not available in this build.', { feature: 'export' });
      const parsed = zipDownloadRequestSchema.safeParse(body);
      if (!parsed.success) return err('INVALID_ARGUMENT', 'Invalid download request.', { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
      forgetExpired();
      if (tickets.size >= MAX_TICKETS) return err('INVALID_ARGUMENT', 'Too many downloads are waiting; let them finish first.');
      try {
        // as export:start does: every bin resolves (and is allowed) before anything is written
        const items: ExportItem[] = parsed.data.items.map((item) => {
          const bin = ctx.bins.get(item.binId);
          return { binId: item.binId, binPath: bin.paths.base, bin, ...(item.targets ? { targets: item.targets } : {}) };
        });
        const id = randomBytes(18).toString('base64url');
        const name = archiveName(items.map((i) => i.binId));
        const { format, metadata, ecotaxa } = parsed.data;
        // the calibration in force when the user asked for the download, as export:start freezes it
        const request = { items, destination: '', kind: 'zip' as const, onExisting: 'fail' as const, pxPerUm: ctx.calibration.snapshot(), format, metadata, ecotaxa, layout: 'rois' as const, ...exportClassOptions(ctx.catalogue, parsed.data) };
        tickets.set(id, { request, name, expires: now() + TICKET_TTL_MS });
        return ok({ href: `${ZIP_DOWNLOAD_ROUTE}/${id}`, name });
      } catch (e) {
        if (!(e instanceof IfcbError)) throw e;
        return { ok: false, error: toErrorInfo(e) };
      }
    },

    async serve(id, req, res, headers) {
      forgetExpired();
      const ticket = tickets.get(id);
      tickets.delete(id);
      if (!ticket || !ctx.exporter) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('This download link has expired or was already used; export again.\n');
        return;
      }
      const folder = fs.mkdtempSync(path.join(tempRoot, 'ifcb-download-'));
      const controller = new AbortController();
      // the browser cancelled the download (or the page closed): stop exporting
      const onGone = () => {
        if (!res.writableFinished) controller.abort();
      };
      res.on('close', onGone);
      try {
        const file = path.join(folder, ticket.name);
        await ctx.exporter({ ...ticket.request, destination: file }, { onProgress: () => undefined, signal: controller.signal });
        // unlinked before the first byte is sent: the open descriptor keeps the bytes readable, and nothing stays
        // on disk even if this process dies mid-stream
        const fd = fs.openSync(file, 'r');
        const size = fs.fstatSync(fd).size;
        fs.rmSync(folder, { recursive: true, force: true });
        res.writeHead(200, {
          ...headers,
          'Content-Type': 'application/zip',
          'Content-Length': String(size),
          'Content-Disposition': `attachment; filename="${ticket.name}"`,
          'Cache-Control': 'no-store',
        });
        await pipeline(fs.createReadStream('', { fd }), res);
      } catch (e) {
        if (controller.signal.aborted || res.destroyed) return;
        const info = toErrorInfo(e);
        if (!(e instanceof IfcbError)) console.error('[ifcb] zip download failed', e);
        if (res.headersSent) res.destroy();
        else {
          res.writeHead(422, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`${info.code}: ${info.message}\n`);
        }
      } finally {
        res.off('close', onGone);
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
