/** `export:*` handlers: run main/export in the background as a job. */
import { IfcbError } from '../../../shared/errors.ts';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import type { HandlerContext } from '../context.ts';
import type { ExportItem } from '../ports.ts';

export async function startExport(ctx: HandlerContext, request: ParsedRequestOf<'export:start'>): Promise<ResponseOf<'export:start'>> {
  const exporter = ctx.exporter;
  if (!exporter) throw new IfcbError('NOT_AVAILABLE', 'Export is not available in this build.', { feature: 'export' });
  const destination = ctx.destinations.get(request.destinationId);
  if (!destination) throw new IfcbError('INVALID_ARGUMENT', 'Unknown export destination; choose it again.', { destinationId: request.destinationId });
  // every bin must resolve (and be allowed) before anything is written; targets without an image are
  // skipped and reported by the exporter
  const items: ExportItem[] = request.items.map((item) => {
    const bin = ctx.bins.get(item.binId);
    return { binId: item.binId, binPath: bin.paths.base, ...(item.targets ? { targets: item.targets } : {}) };
  });
  ctx.destinations.delete(request.destinationId);
  const jobId = ctx.jobs.start('export', (job) =>
    exporter(
      { items, destination: destination.path, format: request.format, ecotaxa: request.ecotaxa, metadata: request.metadata, layout: request.layout },
      { onProgress: (done, total, message) => job.progress(done, total, message), signal: job.signal },
    ),
  );
  return { jobId };
}

export async function cancelExport(ctx: HandlerContext, request: ParsedRequestOf<'export:cancel'>): Promise<ResponseOf<'export:cancel'>> {
  if (!ctx.jobs.cancel(request.jobId, 'export')) {
    throw new IfcbError('INVALID_ARGUMENT', 'No export with that id is running.', { jobId: request.jobId });
  }
  return { ok: true };
}
