/**
 * Export of selected ROIs (or whole bins in pyifcb's `to_zip` layout) to a folder or one streaming
 * .zip, with metadata.csv and an EcoTaxa table on request.
 *
 * Safety: the destination is checked before anything is written (EXPORT_TARGET_EXISTS), output goes to
 * a hidden staging folder on the same file system and is moved into place only when complete
 * (staging.ts), and a cancelled or failed export removes everything it wrote. Raw files are only read.
 * Encoding runs off the main thread: PNGs on a worker_threads pool (which also writes each file of a
 * folder export), TIFFs in libvips (sharp). The main thread reads pixels (one pread per image), queues
 * work in batches and appends zip entries; its longest single task is the reader's ADC parse of a bin.
 */
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { IfcbError } from '../../shared/errors.ts';
import { roiFileName } from '../../shared/ifcb/bin-id.ts';
import { checkBinFile, openBin, type Bin } from '../ifcb/index.ts';
import type { BinData, RoiGeometry, Schema } from '../ifcb/index.ts';
import { encodeGray, IMAGE_EXTENSION, PngWorkerError, writeGrayPngPooled, type ImageFormat } from '../images/index.ts';
import { anyAnnotation, classEntries, makeClassFolders, topLevelEntries, withAnnotation, withAnnotationHead, type EntryNamer } from './by-class.ts';
import { exportWriteError } from './fs-errors.ts';
import { pandasAdcCsv, pyifcbHeadersJson, pyifcbMetadataJson, readAdcText } from './pyifcb.ts';
import { checkNoConflicts, conflictingNames, resolveDestination, Staging, suffixedDestination, targetExists, withSuffix, type Destination } from './staging.ts';
import { adcColumnUnion, ecotaxaFileName, ecotaxaHead, ecotaxaRow, metadataHeader, metadataRow, type RoiRecord } from './tables.ts';
import { TextFileWriter } from './text-writer.ts';
import { DEFAULT_PX_PER_UM } from '../../shared/mosaic/scale-bar.ts';
import {
  type ExportItem,
  type ExportOptions,
  type ExportProgress,
  type ExportRequest,
  type ExportResult,
  type SkippedTarget,
} from './types.ts';
import { ZipWriter } from './zip-writer.ts';

export * from './types.ts';
export { STAGING_PREFIX } from './staging.ts';

/** Name of the metadata table in the export. */
export const METADATA_FILE_NAME = 'metadata.csv';
const STAGED_ZIP = 'archive.zip.partial';
const PROGRESS_INTERVAL_MS = 50;
/** Images in flight: each PNG worker always has a batch queued behind the one it works on; a few MB. */
export const DEFAULT_CONCURRENCY = 64;

interface PlannedBin {
  path: string;
  id: string;
  schema: Schema;
  targets: number[];
  /**
   * The parsed bin to write from: the caller's (`item.bin`, held by the request anyway), or the one opened
   * while planning for the first bins, so no ADC is parsed twice.
   */
  opened: Bin | undefined;
}

/** Bins kept open (ADC parsed) between planning and writing; beyond this they are re-opened. */
const KEEP_OPENED_BINS = 16;

interface Plan {
  bins: PlannedBin[];
  total: number;
  adcNames: Map<Schema, readonly string[]>;
  skipped: SkippedTarget[];
}

function itemPath(item: ExportItem): string {
  return typeof item.binPath === 'string' ? item.binPath : item.binPath.base;
}

function cancelled(): IfcbError {
  return new IfcbError('CANCELLED', 'The export was cancelled; nothing was left behind.');
}

function checkRequest(request: ExportRequest): void {
  const bad = (message: string) => new IfcbError('INVALID_ARGUMENT', message);
  if (!Array.isArray(request.items) || request.items.length === 0) throw bad('Nothing to export: the selection is empty.');
  if (typeof request.destination !== 'string' || request.destination.length === 0) throw bad('No destination given.');
  if (request.format !== undefined && request.format !== 'png' && request.format !== 'tiff') throw bad(`Unknown image format "${String(request.format)}".`);
  if (request.kind !== undefined && request.kind !== 'folder' && request.kind !== 'zip') throw bad(`Unknown destination kind "${String(request.kind)}".`);
  if (request.onExisting !== undefined && !['fail', 'suffix', 'skip'].includes(request.onExisting)) throw bad(`Unknown choice for existing files "${String(request.onExisting)}".`);
  for (const item of request.items) {
    for (const t of item.targets ?? []) if (!Number.isInteger(t) || t < 1) throw bad(`${item.binId}: target ${t} is not a positive integer.`);
  }
  if (request.layout === 'pyifcb-zip') {
    if ((request.format ?? 'png') !== 'png') throw bad('The pyifcb zip layout holds PNG images only.');
    if (request.ecotaxa || request.metadata) throw bad('metadata.csv and the EcoTaxa table belong to the ROI layout, not the pyifcb zip layout.');
    if (request.groupByClass) throw bad('Folders per class belong to the ROI layout, not the pyifcb zip layout.');
  }
  if (request.groupByClass && request.onExisting === 'skip') {
    throw bad('Folders per class are placed whole: an existing one cannot be added to file by file (choose fail or suffix).');
  }
}

/** Open every bin once (ADC only), resolve targets to images, and report what cannot be exported. */
async function plan(request: ExportRequest, signal: AbortSignal | undefined): Promise<Plan> {
  const byId = new Map<string, { bin: PlannedBin; seen: Set<number> }>();
  const bins: PlannedBin[] = [];
  const skipped: SkippedTarget[] = [];
  const adcNames = new Map<Schema, readonly string[]>();
  let total = 0;
  for (const item of request.items) {
    if (signal?.aborted) throw cancelled();
    const bin = item.bin ?? openBin(itemPath(item));
    if (bin.id !== item.binId) {
      throw new IfcbError('INVALID_ARGUMENT', `The file ${itemPath(item)} belongs to bin ${bin.id}, not ${item.binId}.`, { path: itemPath(item), binId: item.binId });
    }
    const images = bin.images;
    if (!adcNames.has(bin.schema)) adcNames.set(bin.schema, bin.adc.columnNames);
    let entry = byId.get(bin.id);
    if (!entry) {
      entry = { bin: { path: itemPath(item), id: bin.id, schema: bin.schema, targets: [], opened: item.bin ?? (bins.length < KEEP_OPENED_BINS ? bin : undefined) }, seen: new Set() };
      byId.set(bin.id, entry);
      bins.push(entry.bin);
    }
    const wanted = item.targets ?? images.keys();
    const partners = new Set(bin.schema === 1 ? images.geometries().flatMap((g: RoiGeometry) => (g.stitchedWith === undefined ? [] : [g.stitchedWith])) : []);
    for (const t of wanted) {
      if (entry.seen.has(t)) {
        skipped.push({ binId: bin.id, target: t, reason: 'duplicate' });
      } else if (images.has(t)) {
        entry.seen.add(t);
        entry.bin.targets.push(t);
        total++;
      } else {
        skipped.push({ binId: bin.id, target: t, reason: partners.has(t) ? 'stitched-into-previous' : 'no-image' });
      }
    }
    // a missing .roi, or a FIFO or device in its place, fails before anything is written
    if (entry.bin.targets.length > 0) checkBinFile(bin.paths.roi, 'roi', bin.id);
    await yieldToLoop(); // one bin per tick: a long selection never blocks the main thread
  }
  for (const b of bins) b.targets.sort((a, c) => a - c); // file order: sequential reads of the .roi
  return { bins, total, adcNames, skipped };
}

class Progress {
  private done = 0;
  private last = 0;
  constructor(
    private readonly total: number,
    private readonly cb: ((p: ExportProgress) => void) | undefined,
  ) {}
  start(): void {
    this.cb?.({ done: 0, total: this.total, phase: 'writing' });
  }
  tick(binId: string): void {
    this.done++;
    const now = performance.now();
    if (this.cb && (now - this.last >= PROGRESS_INTERVAL_MS || this.done === this.total)) {
      this.last = now;
      this.cb({ done: this.done, total: this.total, binId, phase: 'writing' });
    }
  }
  finishing(): void {
    this.cb?.({ done: this.done, total: this.total, phase: 'finishing' });
  }
}

/**
 * Bounded pipeline: images start encoding in request order, at most `limit` in flight. With `ordered`
 * (zip entries) each image's `finish` runs in request order; otherwise as soon as it is ready.
 */
class Pipeline {
  private active = 0;
  private wakeUp: (() => void) | null = null;
  private readonly all = new Set<Promise<void>>();
  private lastFinish: Promise<void> = Promise.resolve();
  private error: unknown = null;

  constructor(
    private readonly limit: number,
    private readonly ordered: boolean,
  ) {}

  async push<T>(started: Promise<T>, finish: (result: T) => Promise<void> | void): Promise<void> {
    if (this.error !== null) throw this.error;
    const previous = this.lastFinish;
    this.active++;
    const task = (async () => {
      try {
        const result = await started;
        if (this.ordered) await previous;
        await finish(result);
      } catch (e) {
        this.error ??= e;
        throw e;
      } finally {
        this.active--;
        const wake = this.wakeUp;
        this.wakeUp = null;
        wake?.();
      }
    })();
    task.catch(() => undefined);
    this.all.add(task);
    void task.finally(() => this.all.delete(task)).catch(() => undefined);
    this.lastFinish = task;
    // one waiter, woken by whichever task ends first (cheaper than Promise.race over everything in flight)
    while (this.active >= this.limit && this.error === null) {
      await new Promise<void>((resolve) => (this.wakeUp = resolve));
    }
    if (this.error !== null) throw this.error;
  }

  /** Wait for everything in flight; rethrow the first failure. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.all]);
    if (this.error !== null) throw this.error;
  }

  /** Wait for everything in flight, ignoring failures (before cleaning up). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.all]);
  }
}

/** Export the selection; see ExportRequest. Resolves when every file is in place. */
export async function exportRois(request: ExportRequest, options: ExportOptions = {}): Promise<ExportResult> {
  const t0 = performance.now();
  checkRequest(request);
  const { signal } = options;
  if (signal?.aborted) throw cancelled();
  options.onProgress?.({ done: 0, total: 0, phase: 'planning' });
  const planned = await plan(request, signal);
  if (request.layout === 'pyifcb-zip') return exportPyifcbZips(request, planned, options, t0);
  return exportRoiLayout(request, planned, options, t0);
}

/**
 * What an export would do about files that already exist, decided before anything is written: with
 * `onExisting` 'fail' (the default) EXPORT_TARGET_EXISTS, short, naming how many exist. The export dialog calls
 * this before starting the job, so a conflict is one answer to "Export", with the choice to add a suffix or
 * skip existing files.
 */
export async function checkExportDestination(request: ExportRequest): Promise<void> {
  checkRequest(request);
  const planned = await plan(request, undefined);
  if (request.layout === 'pyifcb-zip') await settleDestination(request, () => planned.bins.map((b) => `${b.id}.zip`));
  else await settleDestination(request, (dest) => roiLayoutNames(request, planned, dest, classEntries(request, planned.bins).entryName).all);
}

/**
 * The destination to write to and the names that exist there already, per `onExisting`: 'fail' refuses any
 * conflict; 'suffix' writes to the first free `name (n)` instead; 'skip' (an existing folder only) leaves
 * existing files as they are.
 */
async function settleDestination(request: ExportRequest, namesFor: (dest: Destination) => string[]): Promise<{ dest: Destination; existing: Set<string> }> {
  const mode = request.onExisting ?? 'fail';
  let dest: Destination;
  try {
    dest = await resolveDestination(request.destination, request.kind);
  } catch (e) {
    if (mode !== 'suffix' || !(e instanceof IfcbError) || e.code !== 'EXPORT_TARGET_EXISTS') throw e;
    return { dest: await suffixedDestination(request.destination, request.kind ?? (/\.zip$/i.test(request.destination) ? 'zip' : 'folder')), existing: new Set() };
  }
  const clash = await conflictingNames(dest, namesFor(dest));
  if (clash.length === 0) return { dest, existing: new Set() };
  if (mode === 'skip') return { dest, existing: new Set(clash) };
  if (mode === 'suffix') return { dest: await suffixedDestination(dest.path, dest.kind), existing: new Set() };
  throw targetExists(clash.map((n) => path.join(dest.path, n)), dest.kind === 'folder' && dest.existingFolder);
}

/** The image and table names of the ROI layout at `dest`. */
function roiLayoutNames(request: ExportRequest, planned: Plan, dest: Destination, entryName: EntryNamer): { images: string[]; tables: string[]; all: string[] } {
  const ext = IMAGE_EXTENSION[request.format ?? 'png'];
  const images: string[] = [];
  for (const b of planned.bins) for (const t of b.targets) images.push(entryName(b.id, t, roiFileName(b.id, t, ext)));
  const tables: string[] = [];
  if (request.metadata) tables.push(METADATA_FILE_NAME);
  if (request.ecotaxa) tables.push(ecotaxaFileName(path.basename(dest.path)));
  return { images, tables, all: topLevelEntries([...images, ...tables]) };
}

/** `name` if free, else its first free `name (n)` (tables describe this export: they are never skipped). */
function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(withSuffix(name, n))) return withSuffix(name, n);
}

async function exportRoiLayout(request: ExportRequest, planned: Plan, options: ExportOptions, t0: number): Promise<ExportResult> {
  const { signal } = options;
  const format: ImageFormat = request.format ?? 'png';
  const ext = IMAGE_EXTENSION[format];
  // class-aware export (training sets, EcoTaxa annotation columns): by-class.ts
  const { annotations, entryName } = classEntries(request, planned.bins);
  const { dest, existing } = await settleDestination(request, (d) => roiLayoutNames(request, planned, d, entryName).all);
  if (existing.size > 0) skipExisting(planned, existing, ext);
  if (planned.total === 0) {
    throw new IfcbError('EXPORT_EMPTY', `Nothing to export: none of the selected targets has an image${existing.size > 0 ? ' that is not already there' : ''} (${planned.skipped.length} skipped). Nothing was written.`, {
      skipped: planned.skipped.length,
    });
  }
  const pxPerUm = calibrationLookup(request);
  const adcColumns = adcColumnUnion(planned.adcNames);
  const tables: string[] = [];
  if (request.metadata) tables.push(freeName(METADATA_FILE_NAME, existing));
  const ecotaxaName = request.ecotaxa ? freeName(ecotaxaFileName(path.basename(dest.path)), existing) : null;
  if (ecotaxaName) tables.push(ecotaxaName);
  const annotated = ecotaxaName !== null && anyAnnotation(annotations, planned.bins);

  const imageNames: string[] = [];
  for (const b of planned.bins) for (const t of b.targets) imageNames.push(entryName(b.id, t, roiFileName(b.id, t, ext)));
  await checkNoConflicts(dest, topLevelEntries([...imageNames, ...tables]));
  if (signal?.aborted) throw cancelled();

  const staging = await Staging.create(dest);
  const zip = dest.kind === 'zip' ? new ZipWriter(staging.file(STAGED_ZIP)) : null;
  const metadataName = request.metadata ? tables[0]! : null;
  const metadata = metadataName ? new TextFileWriter(staging.file(metadataName), dest.path) : null;
  const ecotaxa = ecotaxaName ? new TextFileWriter(staging.file(ecotaxaName), dest.path) : null;
  const pipeline = new Pipeline(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY), zip !== null);
  const progress = new Progress(planned.total, options.onProgress);
  let imageBytes = 0;
  try {
    if (!zip && request.groupByClass) await makeClassFolders(staging, imageNames);
    await metadata?.write(metadataHeader(adcColumns));
    await ecotaxa?.write(annotated ? withAnnotationHead(ecotaxaHead(adcColumns)) : ecotaxaHead(adcColumns));
    progress.start();
    for (const planBin of planned.bins) {
      // every requested target was skipped (reported in `skipped`): nothing to read, and a bin without
      // a .roi must not fail on opening one
      if (planBin.targets.length === 0) {
        planBin.opened = undefined;
        continue;
      }
      const bin = planBin.opened ?? openBin(planBin.path);
      planBin.opened = undefined;
      const scope = bin.scope();
      try {
        // metrics (run/look time) only when a table needs them: a sync pass over the whole ADC
        const metrics = metadata || ecotaxa ? scope.metrics : null;
        const adc = scope.adc;
        for (const target of planBin.targets) {
          if (signal?.aborted) throw cancelled();
          const image = scope.images.get(target);
          const name = entryName(planBin.id, target, roiFileName(planBin.id, target, ext));
          if (metadata || ecotaxa) {
            const record: RoiRecord = {
              binId: planBin.id,
              target,
              fileName: name,
              timestamp: scope.timestamp,
              epochMs: scope.epochMs,
              instrument: scope.instrument,
              width: image.width,
              height: image.height,
              stitchedWith: scope.images.geometry(target).stitchedWith,
              adcNames: adc.columnNames,
              adcRow: adc.row(target),
              mlAnalyzed: metrics!.mlAnalyzed,
              lookTime: metrics!.lookTime,
              pxPerUm: pxPerUm.of(scope.instrument),
            };
            await metadata?.write(metadataRow(record, adcColumns));
            await ecotaxa?.write(annotated ? withAnnotation(ecotaxaRow(record, adcColumns), annotations!.get(planBin.id)!(target)) : ecotaxaRow(record, adcColumns));
          }
          if (zip || format !== 'png') {
            await pipeline.push(encodeGray(format, image.pixels, image.width, image.height), async (bytes) => {
              if (zip) await zip.add(name, bytes);
              else await staging.write(name, bytes);
              imageBytes += bytes.byteLength;
              progress.tick(planBin.id);
            });
          } else {
            // the PNG worker writes the staged file itself: no per-file work on the main thread
            const written = writeGrayPngPooled(staging.file(name), image.pixels, image.width, image.height).catch((e: unknown) => {
              throw e instanceof PngWorkerError && e.code !== null ? exportWriteError(Object.assign(new Error(e.message), { code: e.code }), dest.path) : e;
            });
            await pipeline.push(written, (size) => {
              imageBytes += size;
              progress.tick(planBin.id);
            });
          }
        }
      } finally {
        scope[Symbol.dispose]();
      }
    }
    await pipeline.drain();
    if (signal?.aborted) throw cancelled();
    progress.finishing();
    await metadata?.close();
    await ecotaxa?.close();
    if (zip) {
      for (const t of tables) zip.addFile(staging.file(t), t);
      await zip.finish();
    }
    if (signal?.aborted) throw cancelled();
    await staging.commit(topLevelEntries([...imageNames, ...tables]), STAGED_ZIP);
  } catch (e) {
    await pipeline.settle();
    await metadata?.destroy();
    await ecotaxa?.destroy();
    await zip?.destroy();
    await staging.rollback();
    throw e;
  }
  return {
    destination: dest.path,
    kind: dest.kind,
    images: imageNames.length,
    entries: [...imageNames, ...tables],
    tables,
    skipped: planned.skipped,
    imageBytes,
    pxPerUm: pxPerUm.used(),
    durationMs: performance.now() - t0,
  };
}

/** Leave out the images whose files already exist (onExisting 'skip'), reporting them as skipped. */
function skipExisting(planned: Plan, existing: ReadonlySet<string>, ext: string): void {
  for (const b of planned.bins) {
    const kept = b.targets.filter((t) => !existing.has(roiFileName(b.id, t, ext)));
    for (const t of b.targets) if (existing.has(roiFileName(b.id, t, ext))) planned.skipped.push({ binId: b.id, target: t, reason: 'exists' });
    planned.total -= b.targets.length - kept.length;
    b.targets = kept;
  }
}

/** The request's calibration, checked once per instrument, remembering which values the tables used. */
function calibrationLookup(request: ExportRequest): { of(instrument: number): number; used(): { instrument: number; pxPerUm: number }[] } {
  const seen = new Map<number, number>();
  return {
    of(instrument) {
      let k = seen.get(instrument);
      if (k === undefined) {
        k = request.pxPerUm?.(instrument) ?? DEFAULT_PX_PER_UM;
        if (!(Number.isFinite(k) && k > 0)) throw new IfcbError('INVALID_ARGUMENT', `Pixels per micrometre of IFCB${instrument} must be a positive number, got ${k}.`, { instrument });
        seen.set(instrument, k);
      }
      return k;
    },
    used: () => [...seen].sort(([a], [b]) => a - b).map(([instrument, pxPerUm]) => ({ instrument, pxPerUm })),
  };
}

async function exportPyifcbZips(request: ExportRequest, planned: Plan, options: ExportOptions, t0: number): Promise<ExportResult> {
  const { signal } = options;
  const { dest, existing } = await settleDestination(request, () => planned.bins.map((b) => `${b.id}.zip`));
  // skipping an existing <bin>.zip skips that whole bin
  if (existing.size > 0) planned.bins = planned.bins.filter((b) => !existing.has(`${b.id}.zip`));
  if (dest.kind === 'zip' && planned.bins.length !== 1) {
    throw new IfcbError('INVALID_ARGUMENT', `A .zip destination holds one bin in the pyifcb layout; ${planned.bins.length} were selected. Choose a folder instead.`);
  }
  if (planned.bins.length === 0) throw new IfcbError('EXPORT_EMPTY', 'Nothing to export: every bin is already there. Nothing was written.', { skipped: existing.size });
  const zipNames = planned.bins.map((b) => `${b.id}.zip`);
  await checkNoConflicts(dest, zipNames);
  if (signal?.aborted) throw cancelled();
  const staging = await Staging.create(dest);
  const pipeline = new Pipeline(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY), true);
  const progress = new Progress(planned.total, options.onProgress);
  const entries: string[] = [];
  let imageBytes = 0;
  let zip: ZipWriter | null = null;
  try {
    progress.start();
    for (const planBin of planned.bins) {
      const stagedName = dest.kind === 'zip' ? STAGED_ZIP : `${planBin.id}.zip`;
      zip = new ZipWriter(staging.file(stagedName));
      const current = zip;
      const bin = planBin.opened ?? openBin(planBin.path);
      planBin.opened = undefined;
      // the .roi is opened only when there are images to read: a bin without one still gets its
      // metadata, headers and ADC table when every requested target was skipped
      const scope = planBin.targets.length > 0 ? bin.scope() : null;
      const data: BinData = scope ?? bin;
      try {
        const id = planBin.id;
        // pyifcb writes every member stored (ZIP_STORED)
        await current.add('metadata.json', Buffer.from(pyifcbMetadataJson(id, data.schema, data.epochMs)));
        await current.add(`${id}_headers.json`, Buffer.from(pyifcbHeadersJson(data.headers)));
        await current.add(`${id}.csv`, Buffer.from(pandasAdcCsv(readAdcText(bin.paths.adc, id), data.schema), 'latin1'));
        entries.push(...(dest.kind === 'zip' ? [] : [stagedName]));
        for (const target of planBin.targets) {
          if (signal?.aborted) throw cancelled();
          const image = data.images.get(target);
          const name = roiFileName(id, target, 'png');
          await pipeline.push(encodeGray('png', image.pixels, image.width, image.height), async (bytes) => {
            await current.add(name, bytes);
            imageBytes += bytes.byteLength;
            progress.tick(id);
          });
        }
        await pipeline.drain();
        await current.finish();
        zip = null;
      } finally {
        scope?.[Symbol.dispose]();
      }
    }
    if (signal?.aborted) throw cancelled();
    progress.finishing();
    await staging.commit(entries, STAGED_ZIP);
  } catch (e) {
    await pipeline.settle();
    await zip?.destroy();
    await staging.rollback();
    throw e;
  }
  return {
    destination: dest.path,
    kind: dest.kind,
    images: planned.total,
    entries: dest.kind === 'zip' ? [path.basename(dest.path)] : entries,
    tables: [],
    skipped: planned.skipped,
    imageBytes,
    pxPerUm: [],
    durationMs: performance.now() - t0,
  };
}
