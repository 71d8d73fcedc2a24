/**
 * Atomic, no-overwrite placement of export output.
 *
 * Everything is written into a hidden staging folder created *inside the destination's folder* (same
 * file system, so the final step is a rename/link, never a copy). On commit the staged entries are
 * moved into place with `link()` + `unlink()`: `link` fails with EEXIST instead of replacing a file
 * that appeared meanwhile (plain `rename` would silently overwrite). If anything fails or the export
 * is cancelled, the staging folder is removed and entries already placed are taken back, so the
 * destination ends up exactly as it was.
 */
import { randomBytes } from 'node:crypto';
import { close, open, promises as fsp, unlink, write } from 'node:fs';
import path from 'node:path';
import { IfcbError } from '../../shared/errors.ts';
import { errnoCode, exportWriteError } from './fs-errors.ts';

/** Prefix of staging folders (hidden; a crash can leave one, named so users recognise it). */
export const STAGING_PREFIX = '.ifcb-export-';

export type DestinationKind = 'folder' | 'zip';

/** Where the export goes and whether the folder already exists. */
export interface Destination {
  kind: DestinationKind;
  /** Absolute path of the folder or .zip file. */
  path: string;
  /** The folder the staging area is made in. */
  parent: string;
  /** Folder destination that already exists (entries are placed into it one by one). */
  existingFolder: boolean;
}

/** Classify a destination path: `.zip` → a file; anything else → a folder (existing or to create). */
export async function resolveDestination(dest: string, kind?: DestinationKind): Promise<Destination> {
  const abs = path.resolve(dest);
  const k: DestinationKind = kind ?? (/\.zip$/i.test(abs) ? 'zip' : 'folder');
  const probe = async (follow: boolean) =>
    (follow ? fsp.stat(abs) : fsp.lstat(abs)).catch((e: unknown) => {
      if (errnoCode(e) === 'ENOENT') return null;
      throw exportWriteError(e, abs);
    });
  // never write through a link for a .zip; a folder may be a link to a folder (e.g. a linked Desktop)
  const st = await probe(k === 'folder');
  if (k === 'zip') {
    if (st) throw targetExists([abs]);
    return { kind: k, path: abs, parent: path.dirname(abs), existingFolder: false };
  }
  if (!st && (await probe(false))) throw targetExists([abs]); // a dangling link is in the way
  if (st && !st.isDirectory()) throw targetExists([abs]);
  return { kind: k, path: abs, parent: st ? abs : path.dirname(abs), existingFolder: st !== null };
}

/** What to do when files of the export already exist at the destination (the export dialog's choice). */
export type OnExisting = 'fail' | 'suffix' | 'skip';

/**
 * EXPORT_TARGET_EXISTS, short: how many of the export's files exist and one example, not a wall of paths.
 * `details.canSkip`: the destination is an existing folder, so "skip existing files" is possible.
 */
export function targetExists(paths: string[], canSkip = false): IfcbError {
  const first = paths[0] ?? '';
  const message =
    paths.length === 1
      ? `${first} already exists. Nothing was written.`
      : `${paths.length} of the files to export already exist in ${path.dirname(first)} (for example ${path.basename(first)}). Nothing was written.`;
  return new IfcbError('EXPORT_TARGET_EXISTS', message, { paths: paths.slice(0, 100), count: paths.length, canSkip });
}

/** Which of `names` already exist in the destination (a new folder or a new .zip: none). */
export async function conflictingNames(dest: Destination, names: readonly string[]): Promise<string[]> {
  if (dest.kind === 'zip' || !dest.existingFolder) return [];
  // One readdir instead of thousands of stat calls (keeps the main thread free).
  const present = new Set(await fsp.readdir(dest.path).catch((e: unknown) => {
    throw exportWriteError(e, dest.path);
  }));
  return names.filter((n) => present.has(n));
}

/** Fail with EXPORT_TARGET_EXISTS when any of `names` already exists in an existing destination folder. */
export async function checkNoConflicts(dest: Destination, names: readonly string[]): Promise<void> {
  if (dest.kind === 'zip') return; // resolveDestination already refused an existing .zip
  if (!dest.existingFolder) {
    if (await exists(dest.path)) throw targetExists([dest.path]);
    return;
  }
  const clash = await conflictingNames(dest, names);
  if (clash.length > 0) throw targetExists(clash.map((n) => path.join(dest.path, n)), true);
}

/** `name` with ` (n)` before its extension (`metadata.csv` → `metadata (2).csv`; a folder: `out` → `out (2)`). */
export function withSuffix(name: string, n: number, keepExtension = true): string {
  const ext = keepExtension ? path.extname(name) : '';
  return `${name.slice(0, name.length - ext.length)} (${n})${ext}`;
}

/** The first `dest (n)` (before `.zip` for a zip) that does not exist yet, as a new destination. */
export async function suffixedDestination(dest: string, kind: DestinationKind): Promise<Destination> {
  const abs = path.resolve(dest);
  for (let n = 2; n < 1000; n++) {
    const candidate = withSuffix(abs, n, kind === 'zip');
    if (!(await exists(candidate))) return resolveDestination(candidate, kind);
  }
  throw targetExists([abs]);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false;
    throw exportWriteError(e, p);
  }
}

/** A hidden staging folder next to / inside the destination. Dispose to remove it (idempotent). */
export class Staging {
  private placed: string[] = [];
  private removed = false;

  private constructor(
    readonly dest: Destination,
    /** The staging folder. */
    readonly dir: string,
  ) {}

  /**
   * Create the staging folder (this is the first thing an export writes). Plain `mkdir` with a random name,
   * not `mkdtemp`: a new destination folder IS this folder renamed, so it must get the mode (umask, default
   * ACLs) of any folder the user creates, not mkdtemp's private 0700.
   */
  static async create(dest: Destination): Promise<Staging> {
    const base = dest.kind === 'folder' && dest.existingFolder ? '' : `${path.basename(dest.path)}`;
    const prefix = path.join(dest.parent, `${STAGING_PREFIX}${base ? base + '-' : ''}`);
    for (let attempt = 0; ; attempt++) {
      const dir = prefix + randomBytes(6).toString('base64url');
      try {
        await fsp.mkdir(dir);
        return new Staging(dest, dir);
      } catch (e) {
        if (errnoCode(e) === 'EEXIST' && attempt < 8) continue; // a leftover of a crash with the same name
        throw exportWriteError(e, dest.path);
      }
    }
  }

  /** Path of a staged entry. */
  file(name: string): string {
    return path.join(this.dir, name);
  }

  /**
   * Write a staged entry (exclusive create) on the libuv pool (TIFF images; PNGs are written by their
   * worker). The callback API costs the main thread less than fs.promises.writeFile.
   */
  write(name: string, data: Uint8Array): Promise<void> {
    const file = this.file(name);
    return new Promise<void>((resolve, reject) => {
      const fail = (e: unknown) => reject(exportWriteError(e, this.dest.path));
      open(file, 'wx', (openError, fd) => {
        if (openError) return fail(openError);
        const finish = (writeError: unknown) =>
          close(fd, (closeError) => {
            const e = writeError ?? closeError;
            if (!e) return resolve();
            unlink(file, () => fail(e)); // no half-written file, even inside the staging folder
          });
        const writeFrom = (offset: number) =>
          write(fd, data, offset, data.length - offset, null, (writeError, n) => {
            if (writeError) return finish(writeError);
            if (offset + n < data.length) return writeFrom(offset + n);
            finish(null);
          });
        writeFrom(0);
      });
    });
  }

  /**
   * Move the result into place. `entries` = staged names for a folder destination that already exists;
   * a new folder is the staging folder renamed; a .zip is the staged `zipName` linked to its final name.
   */
  async commit(entries: readonly string[], zipName?: string): Promise<void> {
    const dest = this.dest;
    try {
      if (dest.kind === 'zip') {
        await placeNoReplace(this.file(zipName!), dest.path);
        this.placed.push(dest.path);
      } else if (!dest.existingFolder) {
        if (await exists(dest.path)) throw targetExists([dest.path]);
        await fsp.rename(this.dir, dest.path);
        this.removed = true;
        return;
      } else {
        for (const name of entries) {
          const target = path.join(dest.path, name);
          await placeNoReplace(this.file(name), target);
          this.placed.push(target);
        }
      }
    } catch (e) {
      await this.rollback();
      throw e instanceof IfcbError ? e : exportWriteError(e, dest.path);
    }
    await this.remove();
  }

  /** Take back entries already placed, then remove the staging folder. */
  async rollback(): Promise<void> {
    // rm, not unlink: a placed entry can be a whole folder (a class folder of a training-set export)
    for (const p of this.placed.reverse()) await fsp.rm(p, { recursive: true, force: true }).catch(() => undefined);
    this.placed = [];
    await this.remove();
  }

  /** Remove the staging folder and everything in it. */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    await fsp.rm(this.dir, { recursive: true, force: true, maxRetries: 2 });
  }
}

/** Hard-link `from` to `to` (fails if `to` exists), then drop `from`; plain rename where links are unsupported. */
async function placeNoReplace(from: string, to: string): Promise<void> {
  try {
    await fsp.link(from, to);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'EEXIST') throw targetExists([to]);
    // FAT/exFAT and some network shares have no hard links: check, then rename (a tiny race remains).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV') {
      if (await exists(to)) throw targetExists([to]);
      await fsp.rename(from, to);
      return;
    }
    throw e;
  }
  await fsp.unlink(from);
}
