/**
 * Joining a bin's products to its images by ROI (target) number — never by row position — into the columnar
 * `BinClasses` table the renderer, the CLI and the exporter share. Rows naming ROIs the bin does not have are
 * collected in `unmatched`; a product that cannot be read is a `problem` (or, with `strict`, the error).
 */
import path from 'node:path';
import { isIfcbError } from '../../shared/errors.ts';
import type { BinClasses } from '../../shared/ipc/contract.ts';
import type { BlobArchive } from './blobs.ts';
import { chooseProducts, type ProductFile } from './discover.ts';
import { DEFAULT_PX_PER_UM } from '../../shared/mosaic/scale-bar.ts';
import { roiSize } from './features.ts';
import { loadBlobs, loadClassScores, loadFeatures, loadManual, type BinContext } from './load.ts';
import type { ClassScores, FeatureTable, ManualLabels } from './types.ts';

/** What the join needs to know about the bin itself. */
export interface BinFacts extends BinContext {
  adcRows: number;
  mlAnalyzed: number | null;
}

export interface LoadedProducts {
  files: ProductFile[];
  scores: ClassScores | null;
  manual: ManualLabels | null;
  features: FeatureTable | null;
  blobs: BlobArchive | null;
  problems: BinClasses['problems'];
}

/**
 * Read the chosen product of each kind. `strict`: the first unreadable product throws (CLI: exit 3);
 * otherwise it becomes a problem and the other products are still used (the viewer).
 */
export function loadBinProducts(files: ProductFile[], bin: BinContext, options: { strict: boolean }): LoadedProducts {
  const chosen = chooseProducts(files);
  const problems: BinClasses['problems'] = [];
  const attempt = <T>(file: ProductFile | null, read: (f: ProductFile) => T): T | null => {
    if (!file) return null;
    try {
      return read(file);
    } catch (e) {
      if (options.strict || !isIfcbError(e)) throw e;
      problems.push({ source: path.basename(file.path), code: e.code, message: e.message });
      return null;
    }
  };
  return {
    files,
    scores: attempt(chosen.classes, (f) => loadClassScores(f, bin)),
    manual: attempt(chosen.manual, loadManual),
    features: attempt(chosen.features, loadFeatures),
    blobs: attempt(chosen.blobs, (f) => loadBlobs(f, bin.binId)),
    problems,
  };
}

/** Row index by ROI number (first row wins), and the ROIs that are not in `accepted`. */
function index(rois: readonly number[], accepted: (roi: number) => boolean): { rowOf: Map<number, number>; unmatched: number[] } {
  const rowOf = new Map<number, number>();
  const unmatched: number[] = [];
  rois.forEach((roi, row) => {
    if (!accepted(roi)) unmatched.push(roi);
    else if (!rowOf.has(roi)) rowOf.set(roi, row);
  });
  return { rowOf, unmatched };
}

/** Library labels (by target; null = explicitly cleared) override a manual file's. */
export type LabelOverrides = ReadonlyMap<number, string | null>;

export function joinClasses(bin: BinFacts, products: LoadedProducts, options: { pxPerUm?: number; labels?: LabelOverrides } = {}): BinClasses {
  const pxPerUm = options.pxPerUm ?? DEFAULT_PX_PER_UM;
  const targets = [...bin.imageTargets];
  const isImage = new Set(targets);
  const isRow = (roi: number): boolean => roi >= 1 && roi <= bin.adcRows;
  const unmatched: BinClasses['unmatched'] = [];
  const report = (source: string, rois: number[]): void => {
    if (rois.length > 0) unmatched.push({ source: path.basename(source), rois });
  };

  const classes: string[] = [];
  const classIndex = new Map<string, number>();
  const indexOf = (name: string): number => {
    let i = classIndex.get(name);
    if (i === undefined) {
      i = classes.length;
      classes.push(name);
      classIndex.set(name, i);
    }
    return i;
  };

  const n = targets.length;
  const auto = new Array<number>(n).fill(-1);
  const above = new Array<number>(n).fill(-1);
  const score = new Array<number | null>(n).fill(null);
  const manual = new Array<number>(n).fill(-1);
  const s = products.scores;
  if (s) {
    for (const c of s.classes) indexOf(c);
    const { rowOf, unmatched: extra } = index(s.rois, (r) => isImage.has(r));
    report(s.source, extra);
    targets.forEach((t, i) => {
      const row = rowOf.get(t);
      if (row === undefined) return;
      auto[i] = indexOf(s.winner[row]!);
      score[i] = s.winnerScore[row]!;
      above[i] = indexOf(s.aboveThreshold ? s.aboveThreshold[row]! : s.winner[row]!);
    });
  }
  const m = products.manual;
  if (m) {
    const { rowOf, unmatched: extra } = index(m.rois, isRow);
    report(m.source, extra);
    targets.forEach((t, i) => {
      const row = rowOf.get(t);
      const label = row === undefined ? null : m.labels[row]!;
      if (label !== null) manual[i] = indexOf(label);
    });
  }
  if (options.labels) {
    targets.forEach((t, i) => {
      if (!options.labels!.has(t)) return;
      const label = options.labels!.get(t)!;
      manual[i] = label === null ? -1 : indexOf(label);
    });
  }

  let sizes: BinClasses['sizes'] = null;
  const f = products.features;
  if (f) {
    const { rowOf, unmatched: extra } = index(f.rois, (r) => isImage.has(r));
    report(f.source, extra);
    const perRoi = targets.map((t) => {
      const row = rowOf.get(t);
      return row === undefined ? null : roiSize(f, row, pxPerUm);
    });
    sizes = {
      pxPerUm,
      esdUm: perRoi.map((r) => r?.esdUm ?? null),
      majorAxisUm: perRoi.map((r) => r?.majorAxisUm ?? null),
      minorAxisUm: perRoi.map((r) => r?.minorAxisUm ?? null),
      biovolumeUm3: perRoi.map((r) => r?.biovolumeUm3 ?? null),
    };
  }
  let blobs: boolean[] | null = null;
  const b = products.blobs;
  if (b) {
    const have = new Set(b.entries.map((e) => e.roi));
    report(b.file, b.entries.map((e) => e.roi).filter((r) => !isImage.has(r)));
    blobs = targets.map((t) => have.has(t));
  }

  const autoCounts = new Array<number>(classes.length).fill(0);
  const manualCounts = new Array<number>(classes.length).fill(0);
  for (const i of above) if (i >= 0) autoCounts[i]!++;
  for (const i of manual) if (i >= 0) manualCounts[i]!++;
  const ml = bin.mlAnalyzed !== null && bin.mlAnalyzed > 0 ? bin.mlAnalyzed : null;
  return {
    binId: bin.binId,
    classes,
    classifierName: s?.classifierName ?? null,
    sources: [
      ...[s, m, f].filter((p) => p !== null).map((p) => ({ kind: kindOf(p), name: path.basename(p.source) })),
      ...(b ? [{ kind: 'blobs', name: path.basename(b.file) }] : []),
    ],
    hasThresholds: s?.thresholds !== null && s?.thresholds !== undefined,
    targets,
    auto,
    score,
    above,
    manual,
    sizes,
    blobs,
    counts: classes
      .map((name, i) => ({ class: name, count: autoCounts[i]!, concentration: ml === null ? null : autoCounts[i]! / ml, manual: manualCounts[i]! }))
      .filter((c) => c.count > 0 || c.manual > 0),
    mlAnalyzed: bin.mlAnalyzed,
    unmatched,
    problems: products.problems,
  };
}

function kindOf(p: ClassScores | ManualLabels | FeatureTable): string {
  if ('format' in p) return p.format;
  if ('labels' in p) return 'manual';
  return `features-v${p.version}`;
}
