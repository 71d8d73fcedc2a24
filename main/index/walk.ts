/**
 * The catalogue's directory walk: pyifcb DataDirectory rules (spec §7) with `require_roi_files=False`,
 * so partial bins are listed, plus what a long-running indexer needs that pyifcb lacks: it never
 * throws for one bad entry (unreadable folders, symlink loops, a `.adc` that is a folder, invalid
 * names are recorded as problems), and it returns the `stat` of each file so an unchanged bin can be
 * skipped without reading it. Synchronous on purpose: it runs inside an index worker.
 */
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { tryParseBinName } from '../../shared/ifcb/bin-id.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import { DataDirectory, filesetStems, resolveEntries, subdirectories } from '../ifcb/data-directory.ts';

/** pyifcb's default folder rules (spec §7). */
export const DEFAULT_WHITELIST = ['data'];
export const DEFAULT_BLACKLIST = ['skip', 'beads'];

export interface WalkRules {
  whitelist: readonly string[];
  blacklist: readonly string[];
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

/** The reader's DataDirectory carries the rules (spec §7); throws INVALID_ARGUMENT when the lists overlap. */
export function rulesDirectory(root: string, rules: WalkRules): DataDirectory {
  return new DataDirectory(root, { whitelist: rules.whitelist, blacklist: rules.blacklist, requireRoiFiles: false });
}

/** spec §7 path rule for a bin in `folder` ('/'-separated, relative to the root). */
export function folderAccepted(rules: DataDirectory, folder: string, id: string): boolean {
  return rules.pathIsValid(folder === '' ? '' : folder.split('/').join(path.sep), id);
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

export interface WalkCallbacks {
  onBins(bins: FoundBin[]): void;
  onProblem(problem: FoundProblem): void;
  /** Checked between folders; true stops the walk. */
  cancelled?(): boolean;
}

/**
 * Walk `root`, reporting filesets in batches (descending order at each level, like pyifcb).
 * Follows symbolic links to folders, but never into a folder it is already inside (loops) or has
 * already walked.
 */
export function walkRoot(root: string, rules: WalkRules, callbacks: WalkCallbacks, options: { stamps?: boolean; batchSize?: number } = {}): void {
  const stamps = options.stamps ?? true;
  const batchSize = options.batchSize ?? 500;
  const dd = rulesDirectory(root, rules);
  let batch: FoundBin[] = [];
  const flush = (): void => {
    if (batch.length > 0) callbacks.onBins(batch);
    batch = [];
  };
  const seen = new Set<string>();
  const rel = (parts: readonly string[], name?: string): string => (name === undefined ? parts : [...parts, name]).join('/');

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

    const listing = resolveEntries(dir, entries, (name, e) => {
      const { code, message } = describe(e);
      callbacks.onProblem({ path: rel(parts, name), kind: 'file', code, message: `symbolic link cannot be followed: ${message}` });
    });
    const kinds = new Map<string, 'file' | 'dir'>();
    for (const entry of listing) if (entry.kind !== 'other') kinds.set(entry.name, entry.kind);

    // Folders count here (unlike pyifcb) so that a `.adc` or `.hdr` that is a folder is reported below.
    for (const stem of filesetStems(kinds, false)) {
      const adcName = `${stem}.adc`;
      const hdrName = `${stem}.hdr`;
      const parsed = tryParseBinName(stem);
      const relPath = rel(parts, adcName);
      if (!parsed || parsed.id !== stem) {
        callbacks.onProblem({ path: relPath, kind: 'file', code: 'INVALID_BIN_ID', message: `"${stem}" is not an IFCB bin name; skipped` });
        continue;
      }
      const folder = rel(parts);
      if (!folderAccepted(dd, folder, stem)) continue;
      const base = path.join(dir, stem);
      try {
        if (kinds.get(adcName) !== 'file' || kinds.get(hdrName) !== 'file') {
          const which = kinds.get(adcName) !== 'file' ? adcName : hdrName;
          callbacks.onProblem({ path: rel(parts, which), kind: 'file', code: 'FILE_UNREADABLE', message: `${which} is not a file (a folder?); bin skipped` });
          continue;
        }
        const hasRoi = kinds.get(`${stem}.roi`) === 'file';
        if (!stamps) {
          // Nothing stored yet for this root: every bin will be read anyway, and the reader stamps it then.
          batch.push({ folder, id: stem, adc: UNSTAMPED, hdr: UNSTAMPED, roi: hasRoi ? UNSTAMPED : null });
        } else {
          const adc = statSync(`${base}.adc`);
          const hdr = statSync(`${base}.hdr`);
          let roi: FileStamp | null = null;
          if (hasRoi) {
            const r = statSync(`${base}.roi`);
            roi = r.isFile() ? stamp(r) : null;
          }
          batch.push({ folder, id: stem, adc: stamp(adc), hdr: stamp(hdr), roi });
        }
        if (batch.length >= batchSize) flush();
      } catch (e) {
        const { code, message } = describe(e);
        callbacks.onProblem({ path: relPath, kind: 'file', code, message: `bin files cannot be read: ${message}` });
      }
    }

    for (const name of subdirectories(listing, dd.blacklist)) visit(path.join(dir, name), [...parts, name]);
  };

  visit(root, []);
  flush();
}
