/**
 * Finding a bin's products by the file names each producer uses, beside the bin or in "results folders":
 *   `<bin>_class.h5` (WHOI v3, SMHI), `<bin>_class_vN.mat` (ifcb-analysis; the Dashboard also serves h5 under
 *   that name, so readers sniff), `<bin>_class_scores.csv` / `<bin>_class_vN.csv` (Dashboard, axiom),
 *   `<bin>.csv` (iRfcb/ClassiPyR), `<bin>.prob.csv` (SYKE), `<bin>_features_vN.csv` / `<bin>_fea_vN.csv`,
 *   `<bin>_blobs_vN.zip`, and the manual_classify result `<bin>.mat`.
 */
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { tryParseBinName } from '../../shared/ifcb/bin-id.ts';

export const PRODUCT_KINDS = ['class-h5', 'class-mat', 'class-scores-csv', 'class-roi-csv', 'class-prob-csv', 'features', 'blobs', 'manual-mat'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

export interface ProductFile {
  binId: string;
  kind: ProductKind;
  path: string;
  /** The N of `_vN` names (0 when the name has none). */
  version: number;
}

const SUFFIXES: { pattern: RegExp; kind: ProductKind }[] = [
  { pattern: /^_class\.h5$/, kind: 'class-h5' },
  { pattern: /^_class_v(\d+)\.mat$/, kind: 'class-mat' },
  { pattern: /^_class_scores\.csv$/, kind: 'class-scores-csv' },
  { pattern: /^_class_v(\d+)\.csv$/, kind: 'class-scores-csv' },
  { pattern: /^\.csv$/, kind: 'class-roi-csv' },
  { pattern: /^\.prob\.csv$/, kind: 'class-prob-csv' },
  { pattern: /^_(?:features|fea)_v(\d+)\.csv$/, kind: 'features' },
  { pattern: /^_blobs_v(\d+)\.zip$/, kind: 'blobs' },
  { pattern: /^\.mat$/, kind: 'manual-mat' },
];

/** What product a file name is, or null. */
export function classifyProductName(fileName: string): Omit<ProductFile, 'path'> | null {
  const m = /^(D\d{8}T\d{6}_IFCB\d{3}|IFCB\d+_\d{4}_\d{3}_\d{6})(.*)$/.exec(fileName);
  if (!m || !tryParseBinName(m[1]!)) return null;
  for (const { pattern, kind } of SUFFIXES) {
    const s = pattern.exec(m[2]!);
    if (s) return { binId: m[1]!, kind, version: s[1] === undefined ? 0 : Number(s[1]) };
  }
  return null;
}

/** Most folder levels below a results folder that are searched. */
export const MAX_PRODUCT_DEPTH = 8;

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    // an unreadable or vanished folder contributes nothing; the bins themselves are unaffected
    return [];
  }
}

/** Product files directly in `dir` (not below). */
export function productsIn(dir: string): ProductFile[] {
  const out: ProductFile[] = [];
  for (const e of entries(dir)) {
    if (!e.isFile()) continue;
    const c = classifyProductName(e.name);
    if (c) out.push({ ...c, path: path.join(dir, e.name) });
  }
  return out;
}

/** Every product file in a results folder and its subfolders (hidden folders and symlinked folders skipped). */
export function scanProductFolder(root: string): ProductFile[] {
  const out: ProductFile[] = [];
  const visit = (dir: string, depth: number): void => {
    out.push(...productsIn(dir));
    if (depth >= MAX_PRODUCT_DEPTH) return;
    for (const e of entries(dir)) if (e.isDirectory() && !e.name.startsWith('.')) visit(path.join(dir, e.name), depth + 1);
  };
  visit(root, 0);
  return out;
}

/** SYKE keeps its per-class thresholds in a text file beside the probabilities: the one `*thresholds*.txt` there. */
export function thresholdsFileFor(probCsv: string): string | null {
  const dir = path.dirname(probCsv);
  const found = entries(dir).filter((e) => e.isFile() && /thresholds.*\.txt$/i.test(e.name));
  return found.length === 1 ? path.join(dir, found[0]!.name) : null;
}

/** Which class file wins when a bin has several: full score tables before summaries, newest version first. */
const CLASS_PREFERENCE: ProductKind[] = ['class-h5', 'class-mat', 'class-scores-csv', 'class-prob-csv', 'class-roi-csv'];

export interface ChosenProducts {
  classes: ProductFile | null;
  manual: ProductFile | null;
  features: ProductFile | null;
  blobs: ProductFile | null;
}

function newest(files: ProductFile[]): ProductFile | null {
  return files.reduce<ProductFile | null>((best, f) => (best === null || f.version > best.version ? f : best), null);
}

/** The one file of each kind a bin's view uses. */
export function chooseProducts(files: readonly ProductFile[]): ChosenProducts {
  let classes: ProductFile | null = null;
  for (const kind of CLASS_PREFERENCE) {
    classes = newest(files.filter((f) => f.kind === kind));
    if (classes) break;
  }
  return {
    classes,
    manual: newest(files.filter((f) => f.kind === 'manual-mat')),
    features: newest(files.filter((f) => f.kind === 'features')),
    blobs: newest(files.filter((f) => f.kind === 'blobs')),
  };
}

/** A bin's products: beside its files, then in each results folder (recursively). */
export function findProducts(binId: string, binDir: string, resultsFolders: readonly string[] = []): ProductFile[] {
  const all = [...productsIn(binDir), ...resultsFolders.flatMap((d) => scanProductFolder(d))];
  const seen = new Set<string>();
  return all.filter((f) => f.binId === binId && !seen.has(f.path) && seen.add(f.path));
}
