/**
 * The catalogue's directory walk. A library finds what a scientist points it at: every fileset
 * (`X.adc` + `X.hdr`, `.roi` optional so partial bins are listed) at any depth under any folder
 * names. Only hidden entries (`.name`: `.git`, macOS `._X.adc` resource forks) and blacklisted
 * folders (default `skip`, `beads`) are left out. pyifcb's stricter path rule (spec §7: a folder must
 * be `data` or part of the bin id) stays with `DataDirectory` in main/ifcb, which mirrors pyifcb's API.
 *
 * What a long-running indexer needs beyond that: it never throws for one bad entry (unreadable
 * folders, symlink loops, a `.adc` that is a folder, invalid names, incomplete filesets are recorded
 * as problems); symbolic links are followed only while their target stays inside an added folder
 * (nothing outside the library is read); and it returns the `stat` of each file so an unchanged bin
 * can be skipped without reading it. Synchronous on purpose: it runs inside an index worker.
 */
import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { ErrorCode } from '../../shared/errors.ts';
import { tryParseBinName } from '../../shared/ifcb/bin-id.ts';

/** Folder names never entered (pyifcb's default blacklist). */
export const DEFAULT_BLACKLIST = ['skip', 'beads'];

export interface WalkRules {
  /** Folder names never entered. */
  blacklist: readonly string[];
  /** Every added folder (absolute): a symbolic link is followed only when its target lies inside one. */
  within: readonly string[];
}

/** size + mtime of one file: what "unchanged" means. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** Stamp of a file the walk saw but did not stat (first index: the parser stamps it when reading). */
export const UNSTAMPED: FileStamp = Object.freeze({ size: -1, mtimeMs: -1 });

/** A fileset found by the walk (.adc + .hdr, .roi optional). */
export interface FoundBin {
  /** Folder relative to the root, '/'-separated, '' for the root. */
  folder: string;
  id: string;
  adc: FileStamp;
  hdr: FileStamp;
  roi: FileStamp | null;
}

export interface FoundProblem {
  /** Path relative to the root, '/'-separated ('.' = the root itself). */
  path: string;
  /** 'folder': a folder whose content is unknown (its bins must not be taken as vanished). */
  kind: 'file' | 'folder';
  code: ErrorCode;
  message: string;
}

/** The extensions of a bin's files. */
const BIN_EXTENSIONS = ['adc', 'hdr', 'roi'] as const;
type BinExtension = (typeof BIN_EXTENSIONS)[number];

/** Hidden entries are not part of the library (version control, OS metadata, AppleDouble `._` files). */
export function isHidden(name: string): boolean {
  return name.startsWith('.');
}

/** True when `target` is `folder` or lies inside it (both absolute and normalized). */
export function isInside(target: string, folder: string): boolean {
  if (target === folder) return true;
  return target.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** The real paths of the added folders (those that cannot be resolved now contain nothing). */
export function realFolders(folders: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of folders) {
    try {
      out.push(realpathSync(f));
    } catch {
      // an unmounted or removed folder: nothing can lead into it
    }
  }
  return out;
}

/**
 * What the walk decides for the bin files sharing one stem in one folder (pure; tested on its own):
 * a fileset to index, or a problem naming the file and the reason, or nothing (no bin file at all).
 * `kinds` gives, per extension, whether that name is a file, a folder, or absent.
 */
export function classifyStem(
  stem: string,
  kinds: Readonly<Record<BinExtension, 'file' | 'dir' | undefined>>,
): { bin: true; hasRoi: boolean } | { bin: false; file: string; code: ErrorCode; message: string } | null {
  const present = BIN_EXTENSIONS.filter((e) => kinds[e] !== undefined);
  if (present.length === 0) return null;
  const file = `${stem}.${present[0]!}`;
  const parsed = tryParseBinName(stem);
  if (!parsed || parsed.id !== stem) return { bin: false, file, code: 'INVALID_BIN_ID', message: `"${stem}" is not an IFCB bin name; skipped` };
  for (const e of ['adc', 'hdr'] as const) {
    if (kinds[e] === 'dir') return { bin: false, file: `${stem}.${e}`, code: 'FILE_UNREADABLE', message: `${stem}.${e} is not a file (a folder?); bin skipped` };
  }
  const missing = (['adc', 'hdr'] as const).filter((e) => kinds[e] === undefined);
  if (missing.length > 0) {
    return { bin: false, file, code: 'FILE_MISSING', message: `incomplete fileset: ${missing.map((e) => `${stem}.${e}`).join(' and ')} missing; bin skipped` };
  }
  return { bin: true, hasRoi: kinds.roi === 'file' };
}

function stamp(s: Stats): FileStamp {
  return { size: s.size, mtimeMs: s.mtimeMs };
}

function describe(e: unknown): { code: ErrorCode; message: string } {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'EACCES' || err.code === 'EPERM'
      ? 'permission denied'
      : err.code === 'ELOOP'
        ? 'too many levels of symbolic links'
        : err.code === 'ENOENT'
          ? 'vanished or dangling link'
          : (err.code ?? err.message);
  return { code: 'FILE_UNREADABLE', message: why };
}

function ascending(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface WalkCallbacks {
  onBins(bins: FoundBin[]): void;
  onProblem(problem: FoundProblem): void;
  /** Checked between folders; true stops the walk. */
  cancelled?(): boolean;
}

/**
 * Walk `root`, reporting filesets in batches, then each folder's subfolders, in ascending name order
 * at each level. (pyifcb walks in descending order; ascending, an instrument's DYYYY/DYYYYMMDD tree
 * arrives oldest first, so rows are appended to the time-ordered indexes instead of inserted at their
 * front, which measured 1.5–2× slower to write.) Symbolic links are followed only into the added
 * folders, and never into a folder the walk is already inside (loops) or has already walked.
 */
export function walkRoot(root: string, rules: WalkRules, callbacks: WalkCallbacks, options: { stamps?: boolean; batchSize?: number } = {}): void {
  const stamps = options.stamps ?? true;
  const batchSize = options.batchSize ?? 500;
  const within = realFolders(rules.within.length > 0 ? rules.within : [root]);
  let batch: FoundBin[] = [];
  const flush = (): void => {
    if (batch.length > 0) callbacks.onBins(batch);
    batch = [];
  };
  const seen = new Set<string>();
  const rel = (parts: readonly string[], name?: string): string => (name === undefined ? parts : [...parts, name]).join('/');

  /** What a directory entry is, a symbolic link taken as its target when that stays inside the library. */
  const kindOf = (dir: string, d: Dirent, parts: readonly string[]): 'file' | 'dir' | null => {
    if (d.isFile()) return 'file';
    if (d.isDirectory()) return 'dir';
    if (!d.isSymbolicLink()) return null;
    const link = path.join(dir, d.name);
    try {
      const target = realpathSync(link);
      if (!within.some((w) => isInside(target, w))) {
        callbacks.onProblem({ path: rel(parts, d.name), kind: 'file', code: 'PATH_NOT_ALLOWED', message: 'symbolic link leads outside the library folders; not followed' });
        return null;
      }
      const st = statSync(target);
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
    } catch (e) {
      const { code, message } = describe(e);
      callbacks.onProblem({ path: rel(parts, d.name), kind: 'file', code, message: `symbolic link cannot be followed: ${message}` });
      return null;
    }
  };

  const visit = (dir: string, parts: string[]): void => {
    if (callbacks.cancelled?.()) return;
    let dirStat: Stats;
    let entries: Dirent[];
    try {
      dirStat = statSync(dir);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      const { code, message } = describe(e);
      callbacks.onProblem({ path: rel(parts) || '.', kind: 'folder', code, message: `folder cannot be read: ${message}` });
      return;
    }
    const identity = `${dirStat.dev}:${dirStat.ino}`;
    if (seen.has(identity)) {
      callbacks.onProblem({ path: rel(parts) || '.', kind: 'file', code: 'FILE_UNREADABLE', message: 'folder already walked (symbolic link loop or duplicate link); skipped' });
      return;
    }
    seen.add(identity);

    const stems = new Map<string, Record<BinExtension, 'file' | 'dir' | undefined>>();
    const subfolders: string[] = [];
    for (const d of entries) {
      if (isHidden(d.name)) continue;
      const dot = d.name.lastIndexOf('.');
      const ext = dot > 0 ? d.name.slice(dot + 1) : '';
      const isBinFile = (BIN_EXTENSIONS as readonly string[]).includes(ext);
      if (rules.blacklist.includes(d.name)) continue;
      const kind = kindOf(dir, d, parts);
      if (kind === null) continue;
      if (isBinFile) {
        const stem = d.name.slice(0, dot);
        const kinds = stems.get(stem) ?? { adc: undefined, hdr: undefined, roi: undefined };
        kinds[ext as BinExtension] = kind;
        stems.set(stem, kinds);
      }
      // A folder named like a bin file is both: reported as a bad fileset, and walked.
      if (kind === 'dir') subfolders.push(d.name);
    }

    const folder = rel(parts);
    for (const stem of [...stems.keys()].sort(ascending)) {
      const verdict = classifyStem(stem, stems.get(stem)!);
      if (verdict === null) continue;
      if (!verdict.bin) {
        callbacks.onProblem({ path: rel(parts, verdict.file), kind: 'file', code: verdict.code, message: verdict.message });
        continue;
      }
      const base = path.join(dir, stem);
      try {
        if (!stamps) {
          // Nothing stored yet for this root: every bin will be read anyway, and the reader stamps it then.
          batch.push({ folder, id: stem, adc: UNSTAMPED, hdr: UNSTAMPED, roi: verdict.hasRoi ? UNSTAMPED : null });
        } else {
          const roi = verdict.hasRoi ? statSync(`${base}.roi`) : null;
          batch.push({ folder, id: stem, adc: stamp(statSync(`${base}.adc`)), hdr: stamp(statSync(`${base}.hdr`)), roi: roi?.isFile() ? stamp(roi) : null });
        }
        if (batch.length >= batchSize) flush();
      } catch (e) {
        const { code, message } = describe(e);
        callbacks.onProblem({ path: rel(parts, `${stem}.adc`), kind: 'file', code, message: `bin files cannot be read: ${message}` });
      }
    }

    for (const name of subfolders.sort(ascending)) visit(path.join(dir, name), [...parts, name]);
  };

  visit(root, []);
  flush();
}
