/** `export:*` handlers: run main/export in the background as a job. */
import { IfcbError } from '../../../shared/errors.ts';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import { exportClassOptions } from '../classes-services.ts';
import type { HandlerContext } from '../context.ts';
import type { ExportItem, ExportJobRequest } from '../ports.ts';

export async function startExport(ctx: HandlerContext, request: ParsedRequestOf<'export:start'>): Promise<ResponseOf<'export:start'>> {
  const exporter = ctx.exporter;
  if (!exporter) throw new IfcbError('NOT_AVAILABLE', 'Export is not available in this build.', { feature: 'export' });
  const destination = ctx.destinations.get(request.destinationId);
  if (!destination) throw new IfcbError('INVALID_ARGUMENT', 'Unknown export destination; choose it again.', { destinationId: request.destinationId });
  // every bin must resolve (and be allowed) before anything is written; targets without an image are
  // skipped and reported by the exporter, which reuses the cached bin's parsed ADC
  const items: ExportItem[] = request.items.map((item) => {
    const bin = ctx.bins.get(item.binId);
    return { binId: item.binId, binPath: bin.paths.base, bin, ...(item.targets ? { targets: item.targets } : {}) };
  });
  // the calibration in force when the user pressed Export, for the whole export
  const job: ExportJobRequest = {
    items,
    destination: destination.path,
    kind: destination.kind,
    pxPerUm: ctx.calibration.snapshot(),
    format: request.format,
    ecotaxa: request.ecotaxa,
    metadata: request.metadata,
    layout: request.layout,
    onExisting: request.onExisting,
    ...exportClassOptions(ctx.catalogue, request),
  };
  // existing files are one answer to this request (the destination stays usable for the user's choice), not a failed job
  await exporter.check?.(job);
  ctx.destinations.delete(request.destinationId);
  const jobId = ctx.jobs.start('export', async (running) => {
    const done = await exporter(job, { onProgress: (n, total, message) => running.progress(n, total, message), signal: running.signal });
    rememberFinishedExport(ctx, running.jobId, done.destination);
    return done.summary;
  });
  return { jobId };
}

export async function cancelExport(ctx: HandlerContext, request: ParsedRequestOf<'export:cancel'>): Promise<ResponseOf<'export:cancel'>> {
  if (!ctx.jobs.cancel(request.jobId, 'export')) {
    throw new IfcbError('INVALID_ARGUMENT', 'No export with that id is running.', { jobId: request.jobId });
  }
  return { ok: true };
}

const REMEMBERED_EXPORTS = 100;

function rememberFinishedExport(ctx: HandlerContext, jobId: string, destination: string): void {
  ctx.finishedExports.set(jobId, destination);
  if (ctx.finishedExports.size > REMEMBERED_EXPORTS) ctx.finishedExports.delete(ctx.finishedExports.keys().next().value!);
}

/** "Show in folder" for a finished export: only paths main itself just exported to are ever shown. */
export async function revealExport(ctx: HandlerContext, request: ParsedRequestOf<'export:reveal'>): Promise<ResponseOf<'export:reveal'>> {
  const destination = ctx.finishedExports.get(request.jobId);
  if (destination === undefined) {
    throw new IfcbError('INVALID_ARGUMENT', 'No finished export with that id.', { jobId: request.jobId });
  }
  if (!ctx.desktop) return { path: destination, shown: false };
  ctx.desktop.showItemInFolder(destination);
  return { path: destination, shown: true };
}
