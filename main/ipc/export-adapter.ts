/** main/export's `exportRois` behind the handlers' `ExportRunner` port (loaded on first use: it pulls in sharp). */
import type { ExportRequest } from '../export/types.ts';
import type { ExportJobRequest, ExportRunner } from './ports.ts';

function exportRequest(request: ExportJobRequest): ExportRequest {
  return {
    items: request.items.map((item) => ({
      binPath: item.binPath,
      binId: item.binId,
      ...(item.bin ? { bin: item.bin } : {}),
      ...(item.targets ? { targets: item.targets } : {}),
    })),
    destination: request.destination,
    kind: request.kind,
    pxPerUm: request.pxPerUm,
    format: request.format,
    ecotaxa: request.ecotaxa,
    metadata: request.metadata,
    layout: request.layout,
    onExisting: request.onExisting,
    ...(request.annotate ? { annotate: request.annotate } : {}),
    ...(request.groupByClass ? { groupByClass: true } : {}),
  };
}

/** Run one export; resolves to a one-line summary for the `job-finished` event, and where it went. */
export const runExport: ExportRunner = async (request, { onProgress, signal }) => {
  const { exportRois } = await import('../export/index.ts');
  const result = await exportRois(exportRequest(request), { onProgress: (p) => onProgress(p.done, p.total, p.binId), signal });
  const skipped = result.skipped.length > 0 ? ` (${result.skipped.length} targets skipped)` : '';
  const scale = result.pxPerUm.length > 0 ? `; µm at ${result.pxPerUm.map((c) => `${c.pxPerUm} px/µm (IFCB${c.instrument})`).join(', ')}` : '';
  return { summary: `${result.images} ${result.images === 1 ? 'image' : 'images'} written to ${result.destination}${skipped}${scale}`, destination: result.destination };
};

runExport.check = async (request) => {
  const { checkExportDestination } = await import('../export/index.ts');
  await checkExportDestination(exportRequest(request));
};
