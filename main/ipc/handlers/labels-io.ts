/**
 * `dialog:import-labels` and `labels:export`: the CLI's `labels import|export` (main/products/labels-io.ts) as jobs
 * of the app. Import files come from the native multi-file dialog (or, over the dev bridge, the request's paths):
 * files the user chose, read once and never written. Every file is read before anything is stored; the labels of
 * all of them are one undo step; a bad file is reported with its code and the others are imported. Export goes to a
 * folder chosen with `dialog:export-destination`, planned (existing files refused) before the job starts, each file
 * written atomically and never over another.
 */
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { IfcbError } from '../../../shared/errors.ts';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import { currentAnnotator } from '../../products/label-store.ts';
import { importLabelFiles, planLabelExport, writeLabelExport, type ImportOutcome } from '../../products/labels-io.ts';
import type { HandlerContext } from '../context.ts';
import { requireLibrary } from './classes.ts';
import { choose } from './dialog.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Labelled ROIs the library cannot place: bins it does not know, and ROIs their bin has no image for. */
function misplaced(ctx: HandlerContext, rois: ImportOutcome['rois']): { unknownBins: number; missingRois: number } {
  let unknownBins = 0;
  let missingRois = 0;
  for (const [binId, targets] of rois) {
    let has: (target: number) => boolean;
    try {
      const images = ctx.bins.get(binId).images;
      has = (t) => images.has(t);
    } catch {
      // not catalogued, not open, or unreadable: its labels are kept for when it is
      unknownBins++;
      continue;
    }
    missingRois += new Set(targets.filter((t) => !has(t))).size;
  }
  return { unknownBins, missingRois };
}

/** "12 labels from 2 files, 1 class list; 3 ROIs not in their bin; 1 file not imported: x.csv (PRODUCT_MALFORMED: …)" */
function importSummary(outcome: ImportOutcome, placed: { unknownBins: number; missingRois: number }): string {
  const labelled = outcome.imported.filter((s) => s.kind !== 'class-list');
  const lists = outcome.imported.length - labelled.length;
  const labels = labelled.reduce((n, s) => n + s.labels, 0);
  const what = [...(labelled.length > 0 ? [`${plural(labels, 'label')} from ${plural(labelled.length, 'file')}`] : []), ...(lists > 0 ? [plural(lists, 'class list')] : [])];
  const parts = [what.join(', ')];
  if (placed.missingRois > 0) parts.push(`${plural(placed.missingRois, 'ROI')} not in their bin`);
  if (placed.unknownBins > 0) parts.push(`${plural(placed.unknownBins, 'bin')} not in the library`);
  if (outcome.problems.length > 0) {
    const shown = outcome.problems.slice(0, 3).map((p) => `${path.basename(p.file)} (${p.code}: ${p.message})`);
    parts.push(`${plural(outcome.problems.length, 'file')} not imported: ${shown.join('; ')}${outcome.problems.length > 3 ? '; …' : ''}`);
  }
  return parts.join('; ');
}

export async function showImportLabelsDialog(ctx: HandlerContext, request: ParsedRequestOf<'dialog:import-labels'>): Promise<ResponseOf<'dialog:import-labels'>> {
  const services = requireLibrary(ctx);
  const files = await choose(ctx, request.paths, () => ctx.dialogs!.importLabels());
  if (files === null) return { jobId: null };
  const jobId = ctx.jobs.start('labels-import', async (job) => {
    await setImmediate();
    const outcome = await importLabelFiles(services.labels, files, {
      annotator: currentAnnotator(),
      signal: job.signal,
      // the page hears of each file, and other requests are served between files
      onFile: async (done, total, file) => {
        job.progress(done, total, path.basename(file));
        await setImmediate();
      },
    });
    const first = outcome.problems[0];
    if (outcome.imported.length === 0 && first) {
      throw new IfcbError(first.code, files.length === 1 ? first.message : `None of the ${files.length} files could be imported; ${first.message}`, { path: first.file });
    }
    // the chart's class counts follow the labels
    services.recountClasses([...outcome.rois.keys()]);
    return importSummary(outcome, misplaced(ctx, outcome.rois));
  });
  return { jobId };
}

export async function exportLabelsTo(ctx: HandlerContext, request: ParsedRequestOf<'labels:export'>): Promise<ResponseOf<'labels:export'>> {
  const services = requireLibrary(ctx);
  const destination = ctx.destinations.get(request.destinationId);
  if (!destination) throw new IfcbError('INVALID_ARGUMENT', 'Unknown export destination; choose it again.', { destinationId: request.destinationId });
  if (destination.kind !== 'folder') throw new IfcbError('INVALID_ARGUMENT', 'Labels are exported to a folder, not a zip file.', { destinationId: request.destinationId });
  const plan = planLabelExport(services.labels, {
    out: destination.path,
    format: request.format,
    ...(request.binIds ? { binIds: new Set(request.binIds) } : {}),
    ...(request.from === undefined ? {} : { fromMs: request.from }),
    ...(request.to === undefined ? {} : { toMs: request.to }),
  });
  if (plan.labels === 0) throw new IfcbError('EXPORT_EMPTY', 'No image of these bins has a label: nothing to export.');
  ctx.destinations.delete(request.destinationId);
  const jobId = ctx.jobs.start('labels-export', async (job) => {
    // answer the request first; the files are written after
    await setImmediate();
    job.progress(0, plan.files.length);
    const files = writeLabelExport(plan);
    job.progress(files.length, files.length);
    return `${plural(plan.labels, 'label')} of ${plural(plan.bins, 'bin')} written to ${plan.out} (${plural(files.length, 'file')})`;
  });
  return { jobId };
}
