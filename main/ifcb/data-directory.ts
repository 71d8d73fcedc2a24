/**
 * A tree of raw IFCB data (pyifcb `DataDirectory`, spec §7).
 *
 * Walk rules:
 * - Every directory under the root is visited, except those named in `blacklist` (default `skip`,
 *   `beads`), which are not descended. Symbolic links to directories are followed, but a directory
 *   already visited (same device + inode) is not entered again, so link loops cannot hang the walk.
 * - A fileset is `X.adc` with `X.hdr` beside it, and `X.roi` too unless `requireRoiFiles` is false.
 * - Path validation (`validatePaths`, default on): each component of the directory path relative to
 *   the root must be non-blacklisted and either whitelisted (default `data`) or a substring of the
 *   bin id (`2012`, `D201305`, ...). Files directly in the root always pass.
 * - A fileset whose name is not a bin id is skipped and reported in `problems` (INVALID_BIN_ID), as
 *   is a directory that cannot be listed (FILE_UNREADABLE). Neither aborts the walk (pyifcb raises).
 *
 * Order (as pyifcb 1.3): depth-first, pre-order. In each directory its filesets come first, in
 * descending (reverse code-point) order of file name, then its subdirectories, also in descending
 * order of name. E.g. `white/…` before `invalid/…` before `empty/…` before `data/…`.
 */
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { IfcbError } from '../../shared/errors.ts';
import { isBinId, parseBinName } from '../../shared/ifcb/bin-id.ts';
import { openBin, type Bin } from './bin.ts';

export interface DataDirectoryOptions {
  /** Directory names allowed in a bin's path even when they are not part of its id (default `['data']`). */
  whitelist?: readonly string[];
  /** Directory names never descended (default `['skip', 'beads']`). Must not overlap the whitelist. */
  blacklist?: readonly string[];
  /** Only yield filesets with a `.roi` (default true; pyifcb `require_roi_files`). */
  requireRoiFiles?: boolean;
  /** Apply the path-component rule (default true). */
  validatePaths?: boolean;
}

/** Something skipped during a walk, with the reason. */
export interface DirectoryProblem {
  path: string;
  error: IfcbError;
}

/** One directory entry, a symbolic link taken as what it points at ('other': neither, or a link that cannot be followed). */
export interface DirectoryEntry {
  name: string;
  kind: 'file' | 'dir' | 'other';
}

interface DirResult {
  bins: Bin[];
  problems: DirectoryProblem[];
  /** Subdirectories to descend, in walk order. */
  subdirs: string[];
}

function descending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function unreadableDir(dir: string, e: unknown): IfcbError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return new IfcbError(
    'FILE_UNREADABLE',
    `cannot list the directory ${dir} (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(e))}); its bins were skipped`,
    { path: dir, ...(code ? { errno: code } : {}) },
    { cause: e },
  );
}

function kindOf(d: Dirent, resolve: () => Stats | null): DirectoryEntry['kind'] {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'dir';
  if (d.isSymbolicLink()) {
    const st = resolve();
    if (st?.isFile()) return 'file';
    if (st?.isDirectory()) return 'dir';
  }
  return 'other';
}

/**
 * The entries of `dir` (its `readdirSync(dir, { withFileTypes: true })`), symbolic links followed with
 * `statSync`; a link that cannot be followed is 'other' and, when given, reported to `onLinkError`.
 */
export function resolveEntries(dir: string, dirents: readonly Dirent[], onLinkError?: (name: string, e: unknown) => void): DirectoryEntry[] {
  return dirents.map((d) => ({
    name: d.name,
    kind: kindOf(d, () => {
      try {
        return statSync(path.join(dir, d.name));
      } catch (e) {
        onLinkError?.(d.name, e);
        return null;
      }
    }),
  }));
}

/**
 * Filesets among `names` (spec §7): each X with `X.adc` and `X.hdr` present (and `X.roi` when
 * `requireRoi`), in descending order of the `.adc` name. Which names count (files only, or folders
 * too) is the caller's choice.
 */
export function filesetStems(names: { has(name: string): boolean; keys(): Iterable<string> }, requireRoi: boolean): string[] {
  const stems: string[] = [];
  for (const f of [...names.keys()].filter((n) => n.endsWith('.adc')).sort(descending)) {
    const stem = f.slice(0, -4);
    if (names.has(`${stem}.hdr`) && (!requireRoi || names.has(`${stem}.roi`))) stems.push(stem);
  }
  return stems;
}

/** Names of the subdirectories of a listing that are walked (not blacklisted), in descending order. */
export function subdirectories(entries: readonly DirectoryEntry[], blacklist: readonly string[]): string[] {
  return entries
    .filter((e) => e.kind === 'dir' && !blacklist.includes(e.name))
    .map((e) => e.name)
    .sort(descending);
}

/** A directory of raw data. Iterate it (sync) or `walk()` it (async) to get `Bin`s. */
export class DataDirectory implements Iterable<Bin> {
  readonly root: string;
  readonly whitelist: readonly string[];
  readonly blacklist: readonly string[];
  readonly requireRoiFiles: boolean;
  readonly validatePaths: boolean;
  /** What the last (or current) iteration skipped. */
  problems: DirectoryProblem[] = [];

  /** Throws `INVALID_ARGUMENT` when whitelist and blacklist overlap (pyifcb: ValueError). */
  constructor(root: string, options: DataDirectoryOptions = {}) {
    this.root = path.resolve(root);
    this.whitelist = [...(options.whitelist ?? ['data'])];
    this.blacklist = [...(options.blacklist ?? ['skip', 'beads'])];
    this.requireRoiFiles = options.requireRoiFiles ?? true;
    this.validatePaths = options.validatePaths ?? true;
    const both = this.whitelist.filter((w) => this.blacklist.includes(w));
    if (both.length > 0) {
      throw new IfcbError('INVALID_ARGUMENT', `whitelist and blacklist must be disjoint; both contain: ${both.join(', ')}`, { both });
    }
  }

  /** pyifcb `validate_path`: every component of `relDir` is non-blacklisted and whitelisted or part of `name`. */
  pathIsValid(relDir: string, name: string): boolean {
    if (!this.validatePaths || relDir === '') return true;
    for (const c of relDir.split(path.sep)) {
      if (this.blacklist.includes(c)) return false;
      if (!this.whitelist.includes(c) && !name.includes(c)) return false;
    }
    return true;
  }

  private process(dir: string, entries: DirectoryEntry[]): DirResult {
    const files = new Set(entries.filter((e) => e.kind === 'file').map((e) => e.name));
    const rel = path.relative(this.root, dir);
    const bins: Bin[] = [];
    const problems: DirectoryProblem[] = [];
    for (const name of filesetStems(files, this.requireRoiFiles)) {
      if (!this.pathIsValid(rel, name)) continue;
      const file = path.join(dir, `${name}.adc`);
      if (!isBinId(name)) {
        problems.push({
          path: file,
          error: new IfcbError('INVALID_BIN_ID', `skipped ${file}: "${name}" is not an IFCB bin id (e.g. D20130526T095207_IFCB013 or IFCB5_2012_028_081515); rename the files if they are a bin`, { path: file }),
        });
        continue;
      }
      bins.push(openBin(path.join(dir, name)));
    }
    const subdirs = subdirectories(entries, this.blacklist).map((n) => path.join(dir, n));
    return { bins, problems, subdirs };
  }

  private listSync(dir: string): DirectoryEntry[] {
    return resolveEntries(dir, readdirSync(dir, { withFileTypes: true }));
  }

  private async list(dir: string): Promise<DirectoryEntry[]> {
    const dirents = await readdir(dir, { withFileTypes: true });
    const out: DirectoryEntry[] = [];
    for (const d of dirents) {
      let st: Stats | null = null;
      if (d.isSymbolicLink()) st = await stat(path.join(dir, d.name)).catch(() => null);
      out.push({ name: d.name, kind: kindOf(d, () => st) });
    }
    return out;
  }

  private rootStats(st: () => Stats): void {
    let s: Stats;
    try {
      s = st();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new IfcbError('FILE_MISSING', `the data directory ${this.root} does not exist`, { path: this.root }, { cause: e });
      throw unreadableDir(this.root, e);
    }
    if (!s.isDirectory()) throw new IfcbError('FILE_UNREADABLE', `${this.root} is not a directory`, { path: this.root });
  }

  /** Every bin, in the documented order (synchronous, like pyifcb); problems go to `this.problems`. */
  *[Symbol.iterator](): Iterator<Bin> {
    this.problems = [];
    this.rootStats(() => statSync(this.root));
    const visited = new Set<string>();
    const stack = [this.root];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let key: string;
      let entries: DirectoryEntry[];
      try {
        const st = statSync(dir);
        key = `${st.dev}:${st.ino}`;
        if (visited.has(key)) continue;
        visited.add(key);
        entries = this.listSync(dir);
      } catch (e) {
        this.problems.push({ path: dir, error: unreadableDir(dir, e) });
        continue;
      }
      const r = this.process(dir, entries);
      this.problems.push(...r.problems);
      yield* r.bins;
      for (let i = r.subdirs.length - 1; i >= 0; i--) stack.push(r.subdirs[i]!);
    }
  }

  /**
   * The same walk without blocking the event loop (for big network shares). Problems are appended to
   * `this.problems` and passed to `onProblem` as they are met; `signal` aborts with `CANCELLED`.
   */
  async *walk(options: { signal?: AbortSignal; onProblem?: (p: DirectoryProblem) => void } = {}): AsyncGenerator<Bin, void, undefined> {
    this.problems = [];
    let rootStat: Stats | undefined;
    let rootError: unknown;
    try {
      rootStat = await stat(this.root);
    } catch (e) {
      rootError = e;
    }
    this.rootStats(() => {
      if (rootStat === undefined) throw rootError;
      return rootStat;
    });
    const report = (p: DirectoryProblem) => {
      this.problems.push(p);
      options.onProblem?.(p);
    };
    const visited = new Set<string>();
    const stack = [this.root];
    while (stack.length > 0) {
      if (options.signal?.aborted) throw new IfcbError('CANCELLED', `walk of ${this.root} was cancelled`, { path: this.root });
      const dir = stack.pop()!;
      let entries: DirectoryEntry[];
      try {
        const st = await stat(dir);
        const key = `${st.dev}:${st.ino}`;
        if (visited.has(key)) continue;
        visited.add(key);
        entries = await this.list(dir);
      } catch (e) {
        report({ path: dir, error: unreadableDir(dir, e) });
        continue;
      }
      const r = this.process(dir, entries);
      r.problems.forEach(report);
      yield* r.bins;
      for (let i = r.subdirs.length - 1; i >= 0; i--) stack.push(r.subdirs[i]!);
    }
  }

  /**
   * The bin with this id (pyifcb `dd[lid]`): searches only directories that are whitelisted or part of
   * the id (any non-blacklisted one when `validatePaths` is off). `BIN_NOT_FOUND` when absent.
   */
  get(id: string): Bin {
    parseBinName(id);
    if (!isBinId(id)) throw new IfcbError('INVALID_BIN_ID', `"${id}" is not a bin id (a bin id has no target number, product or extension)`, { id });
    const found = this.find(this.root, id, new Set());
    if (!found) {
      throw new IfcbError('BIN_NOT_FOUND', `No fileset for ${id} found at or under ${this.root}`, { id, root: this.root });
    }
    return found;
  }

  /** Whether `get(id)` would find the bin. */
  has(id: string): boolean {
    try {
      this.get(id);
      return true;
    } catch (e) {
      if (e instanceof IfcbError && (e.code === 'BIN_NOT_FOUND' || e.code === 'INVALID_BIN_ID')) return false;
      throw e;
    }
  }

  private find(dir: string, id: string, visited: Set<string>): Bin | null {
    let entries: DirectoryEntry[];
    try {
      const st = statSync(dir);
      const key = `${st.dev}:${st.ino}`;
      if (visited.has(key)) return null;
      visited.add(key);
      entries = this.listSync(dir);
    } catch {
      return null;
    }
    const files = new Set(entries.filter((e) => e.kind === 'file').map((e) => e.name));
    if (files.has(`${id}.adc`) && files.has(`${id}.hdr`) && (!this.requireRoiFiles || files.has(`${id}.roi`))) {
      return openBin(path.join(dir, id));
    }
    const subdirs = subdirectories(entries, this.blacklist).filter((n) => !this.validatePaths || this.whitelist.includes(n) || id.includes(n));
    for (const name of subdirs) {
      const bin = this.find(path.join(dir, name), id, visited);
      if (bin) return bin;
    }
    return null;
  }

  /** Number of bins (counts by walking, like pyifcb's `len(dd)`). */
  get size(): number {
    let n = 0;
    for (const _ of this) n++;
    return n;
  }
}
