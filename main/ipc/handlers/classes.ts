/**
 * `bin:classes`, `bin:roi-scores`, `bin:blob-mask`, `labels:set|confirm|undo|redo`, `classes:list`, `classes:counted`,
 * `dialog:add-results-folder`, `results:list`: classifier results and labels for the renderer. Products are found beside the bin and in its root's results
 * folders (as recorded at the last index); labels live in the library database (without a library, labels answer
 * NOT_AVAILABLE and `bin:classes` shows the products alone). Sizes use the instrument's calibration
 * (`calibration:*`).
 */
import { IfcbError } from '../../../shared/errors.ts';
import type { BinClasses, ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import type { Bin } from '../../ifcb/bin.ts';
import { joinClasses, loadBinProducts, type LoadedProducts } from '../../products/bin-classes.ts';
import { binFacts, productsBesideAnd } from '../../products/bin-facts.ts';
import { productStamp } from '../../products/class-counts.ts';
import { currentAnnotator, type LabelChange } from '../../products/label-store.ts';
import type { ClassesServices } from '../classes-services.ts';
import { unwatchRoot, watchRoot, type HandlerContext } from '../context.ts';
import { choose } from './dialog.ts';

/** Products of the last few bins asked for (the ROI view asks for one ROI's scores at a time). */
const CACHED_BINS = 4;
const cache = new WeakMap<HandlerContext, Map<string, { bin: Bin; stamp: string; products: LoadedProducts }>>();

function productsFor(ctx: HandlerContext, binId: string): { bin: Bin; products: LoadedProducts } {
  const bin = ctx.bins.get(binId);
  const files = productsBesideAnd(bin, ctx.catalogue?.classes?.recordedProducts(binId) ?? []);
  const stamp = productStamp(files);
  let perCtx = cache.get(ctx);
  if (!perCtx) cache.set(ctx, (perCtx = new Map()));
  const hit = perCtx.get(binId);
  if (hit && hit.bin === bin && hit.stamp === stamp) return hit;
  const entry = { bin, stamp, products: loadBinProducts(files, binFacts(bin), { strict: false }) };
  perCtx.delete(binId);
  perCtx.set(binId, entry);
  while (perCtx.size > CACHED_BINS) perCtx.delete(perCtx.keys().next().value!);
  return entry;
}

/** The library's classes services, or NOT_AVAILABLE when no library is open. */
export function requireLibrary(ctx: HandlerContext): ClassesServices {
  const services = ctx.catalogue?.classes;
  if (!services) throw new IfcbError('NOT_AVAILABLE', 'Labels and results folders are kept in the library database, which is not open.', { feature: 'catalogue' });
  return services;
}

export async function getBinClasses(ctx: HandlerContext, request: ParsedRequestOf<'bin:classes'>): Promise<BinClasses> {
  const { bin, products } = productsFor(ctx, request.binId);
  const labels = ctx.catalogue?.classes?.labels.labelsOf(request.binId);
  return joinClasses(binFacts(bin), products, { pxPerUm: ctx.calibration.pxPerUm(bin.instrument), ...(labels ? { labels } : {}) });
}

export async function getRoiScores(ctx: HandlerContext, request: ParsedRequestOf<'bin:roi-scores'>): Promise<ResponseOf<'bin:roi-scores'>> {
  const { bin, products } = productsFor(ctx, request.binId);
  bin.images.geometry(request.target); // ROI_NOT_IN_BIN for a target without an image
  const stored = ctx.catalogue?.classes?.labels.storedAt(request.binId, request.target);
  const labelled = stored ? { label: stored.label, annotator: stored.annotator, atMs: stored.atMs } : null;
  const s = products.scores;
  const row = s ? s.rois.indexOf(request.target) : -1;
  if (!s || row < 0) return { scores: [], labelled };
  if (!s.scores) return { scores: [{ class: s.winner[row]!, score: s.winnerScore[row]! }], labelled };
  const c = s.classes.length;
  const all = s.classes.map((name, j) => ({ class: name, score: s.scores![row * c + j]! }));
  all.sort((a, b) => b.score - a.score);
  return { scores: all.slice(0, request.limit), labelled };
}

export async function getBlobMask(ctx: HandlerContext, request: ParsedRequestOf<'bin:blob-mask'>): Promise<ResponseOf<'bin:blob-mask'>> {
  const { bin, products } = productsFor(ctx, request.binId);
  bin.images.geometry(request.target); // ROI_NOT_IN_BIN for a target without an image
  return products.blobs?.png(request.target) ?? new Uint8Array(0);
}

function changeResponse(services: ClassesServices, change: LabelChange | null): ResponseOf<'labels:set'> {
  if (change) services.recountClasses(change.rois.map((r) => r.binId));
  return {
    change,
    canUndo: services.labels.canUndo(),
    canRedo: services.labels.canRedo(),
  };
}

export async function setLabels(ctx: HandlerContext, request: ParsedRequestOf<'labels:set'>): Promise<ResponseOf<'labels:set'>> {
  const services = requireLibrary(ctx);
  for (const { binId, targets } of request.rois) {
    const bin = ctx.bins.get(binId);
    for (const t of targets) bin.images.geometry(t); // only ROIs the bin has
  }
  return changeResponse(services, services.labels.set(request.rois, request.label, { annotator: currentAnnotator() }));
}

/** Each ROI the classifier scored takes its class above threshold (its winning class when the file has no thresholds). */
export async function confirmLabels(ctx: HandlerContext, request: ParsedRequestOf<'labels:confirm'>): Promise<ResponseOf<'labels:confirm'>> {
  const services = requireLibrary(ctx);
  const entries: { binId: string; roi: number; label: string }[] = [];
  for (const { binId, targets } of request.rois) {
    const { bin, products } = productsFor(ctx, binId);
    const s = products.scores;
    for (const t of targets) {
      bin.images.geometry(t); // only ROIs the bin has
      const row = s ? s.rois.indexOf(t) : -1;
      if (row >= 0) entries.push({ binId, roi: t, label: s!.aboveThreshold ? s!.aboveThreshold[row]! : s!.winner[row]! });
    }
  }
  const id = services.labels.apply(entries, { annotator: currentAnnotator(), kind: 'confirm' });
  return changeResponse(services, id === null ? null : services.labels.change(id));
}

export async function undoLabels(ctx: HandlerContext): Promise<ResponseOf<'labels:undo'>> {
  const services = requireLibrary(ctx);
  return changeResponse(services, services.labels.undo());
}

export async function redoLabels(ctx: HandlerContext): Promise<ResponseOf<'labels:redo'>> {
  const services = requireLibrary(ctx);
  return changeResponse(services, services.labels.redo());
}

export async function listClasses(ctx: HandlerContext): Promise<ResponseOf<'classes:list'>> {
  return { classes: requireLibrary(ctx).labels.classes() };
}

export async function listCountedClasses(ctx: HandlerContext): Promise<ResponseOf<'classes:counted'>> {
  return { classes: requireLibrary(ctx).countedClasses() };
}

export async function listResultsFolders(ctx: HandlerContext, request: ParsedRequestOf<'results:list'>): Promise<ResponseOf<'results:list'>> {
  const services = requireLibrary(ctx);
  if (!ctx.catalogue!.getRoot(request.rootId)) throw new IfcbError('INVALID_ARGUMENT', `There is no library folder with id ${request.rootId}.`, { rootId: request.rootId });
  return services.resultsFolders(request.rootId);
}

/** A results folder for a root: chosen in the native folder dialog (or given by the dev bridge), recorded, scanned. */
export async function showAddResultsFolderDialog(ctx: HandlerContext, request: ParsedRequestOf<'dialog:add-results-folder'>): Promise<ResponseOf<'dialog:add-results-folder'>> {
  const services = requireLibrary(ctx);
  if (!ctx.catalogue!.getRoot(request.rootId)) throw new IfcbError('INVALID_ARGUMENT', `There is no library folder with id ${request.rootId}.`, { rootId: request.rootId });
  const chosen = await choose(ctx, request.path, () => ctx.dialogs!.resultsFolder());
  if (chosen === null) return { folder: null, products: 0 };
  const added = services.addResultsFolder(request.rootId, chosen);
  // follow the new folder too (when the library is watched live)
  if (ctx.watches.has(request.rootId)) {
    await unwatchRoot(ctx, request.rootId);
    watchRoot(ctx, request.rootId);
  }
  return added;
}
