/**
 * The allow-list of what the user opened or indexed (Signal's protocol filter idea). Paths enter only from
 * trusted places in main — OS launches, native dialogs, drops, catalogue roots — and every later read is
 * checked against it after `realpath`, so `..` segments and symlinks pointing out of an allowed root are
 * refused. Comparison is case-insensitive on Windows (and the path flavour follows the platform, so the
 * Windows rules are testable on Linux with an injected file system).
 */
import fs from 'node:fs';
import path from 'node:path';
import { IfcbError } from '../../shared/errors.ts';
import { tryParseBinName } from '../../shared/ifcb/bin-id.ts';

/** The file-system calls the allow-list needs (injectable for tests of other platforms). */
export interface AccessFs {
  realpath(p: string): string;
  stat(p: string): { isFile(): boolean; isDirectory(): boolean } | undefined;
}

export const NODE_ACCESS_FS: AccessFs = {
  realpath: (p) => fs.realpathSync.native(p),
  stat: (p) => {
    try {
      return fs.statSync(p);
    } catch {
      return undefined;
    }
  },
};

export interface AccessListOptions {
  platform?: NodeJS.Platform;
  fs?: AccessFs;
}

/** The three extensions of a bin's files. */
export const BIN_EXTENSIONS = ['.adc', '.hdr', '.roi'] as const;

function denied(p: string, why: string): IfcbError {
  return new IfcbError('PATH_NOT_ALLOWED', `${p} is not in a file or folder you opened or added to the library (${why}).`, { path: p });
}

/** The one answer for a path outside every allowed place, whether it exists or not (the page cannot probe). */
const OUTSIDE = 'it lies outside every allowed location';

export class AccessList {
  private readonly files = new Map<string, string>(); // key → realpath
  private readonly roots = new Map<string, string>();
  private readonly platform: NodeJS.Platform;
  private readonly fs: AccessFs;
  private readonly p: path.PlatformPath;

  constructor(options: AccessListOptions = {}) {
    this.platform = options.platform ?? process.platform;
    this.fs = options.fs ?? NODE_ACCESS_FS;
    this.p = this.platform === 'win32' ? path.win32 : path.posix;
  }

  private key(real: string): string {
    return this.platform === 'win32' ? real.toLowerCase() : real;
  }

  /** Resolve an absolute path through symlinks; throws PATH_NOT_ALLOWED for relative or missing paths. */
  resolve(input: string): string {
    if (input.includes('\0')) throw denied(JSON.stringify(input), 'it contains a NUL byte');
    if (!this.p.isAbsolute(input)) throw denied(input, 'only absolute paths are accepted');
    try {
      return this.fs.realpath(this.p.normalize(input));
    } catch {
      throw new IfcbError('FILE_MISSING', `${input} does not exist or cannot be resolved.`, { path: input });
    }
  }

  /**
   * Allow one bin: every existing file of `<base>.{adc,hdr,roi}` for a path to any of them (or to the base);
   * the name must be a bin id (INVALID_BIN_ID otherwise), so only IFCB files are ever granted this way.
   * Returns the resolved base path (directory of the real `.adc` + bin name).
   */
  allowBin(binPath: string): string {
    const base = stripBinExtension(binPath, this.p);
    const name = this.p.basename(base);
    if (tryParseBinName(name)?.id !== name) {
      throw new IfcbError('INVALID_BIN_ID', `${this.p.basename(binPath)} is not an IFCB bin file (expected a name like D20130526T095207_IFCB013.adc).`, { path: binPath });
    }
    if (!this.fs.stat(`${base}.adc`)?.isFile()) {
      throw new IfcbError('FILE_MISSING', `${base}.adc does not exist; a bin needs its .adc and .hdr files.`, { path: binPath });
    }
    // exactly the files the reader opens: the siblings of the REAL .adc (a linked .adc brings its own folder's
    // .hdr/.roi), each through its own links
    const files = this.readerFiles(this.resolve(`${base}.adc`));
    for (const real of files) this.files.set(this.key(real), real);
    return files[0]!.slice(0, -'.adc'.length);
  }

  /**
   * The real paths of the files the reader opens for the bin whose `.adc` is `adcReal` (already resolved): that
   * `.adc`, and its `.hdr`/`.roi` siblings where they exist, each resolved through its own links.
   */
  readerFiles(adcReal: string): string[] {
    const base = adcReal.slice(0, -'.adc'.length);
    const out = [adcReal];
    for (const ext of ['.hdr', '.roi'] as const) if (this.fs.stat(base + ext) !== undefined) out.push(this.resolve(base + ext));
    return out;
  }

  /**
   * The real base path of the bin whose `.adc` is at `adcPath`, when every file the reader will open for it
   * (see `readerFiles`) is allowed; PATH_NOT_ALLOWED naming the first file that is not.
   */
  checkBin(adcPath: string): string {
    const adcReal = this.check(adcPath);
    for (const real of this.readerFiles(adcReal).slice(1)) {
      if (!this.contains(real)) throw denied(real, OUTSIDE);
    }
    return adcReal.slice(0, -'.adc'.length);
  }

  /** Allow a folder and everything under it (after realpath). Returns the real folder path. */
  allowRoot(dir: string): string {
    const real = this.resolve(dir);
    if (!this.fs.stat(real)?.isDirectory()) throw new IfcbError('FILE_UNREADABLE', `${dir} is not a folder.`, { path: dir });
    this.roots.set(this.key(real), real);
    return real;
  }

  /** Forget a folder (after its root was removed from the library). */
  removeRoot(dir: string): void {
    let real: string;
    try {
      real = this.resolve(dir);
    } catch {
      real = this.p.normalize(dir);
    }
    this.roots.delete(this.key(real));
  }

  /** True when `real` (already resolved) is an allowed file or lies inside an allowed root. */
  private contains(real: string): boolean {
    const k = this.key(real);
    if (this.files.has(k)) return true;
    for (const rootKey of this.roots.keys()) {
      const rel = this.p.relative(rootKey, k);
      if (rel === '' || (!rel.startsWith('..') && !this.p.isAbsolute(rel))) return true;
    }
    return false;
  }

  /**
   * The real path of `input` if it is allowed; throws PATH_NOT_ALLOWED otherwise (nothing is opened). A path
   * that does not exist is FILE_MISSING only where the user may look (its deepest existing folder, resolved,
   * is allowed); elsewhere it gets the very answer an existing outside path gets, so requests cannot probe
   * which files exist (`/etc/shadow` and `/etc/shadowx` look the same).
   */
  check(input: string): string {
    let real: string;
    try {
      real = this.resolve(input);
    } catch (e) {
      if (!(e instanceof IfcbError) || e.code !== 'FILE_MISSING') throw e;
      if (this.existingAncestorAllowed(input)) throw e;
      throw denied(input, OUTSIDE);
    }
    if (!this.contains(real)) throw denied(input, OUTSIDE);
    return real;
  }

  /** Whether the deepest existing folder above a missing `input` lies (after links) in an allowed place. */
  private existingAncestorAllowed(input: string): boolean {
    for (let dir = this.p.dirname(this.p.normalize(input)); ; dir = this.p.dirname(dir)) {
      let real: string | undefined;
      try {
        real = this.fs.realpath(dir);
      } catch {
        real = undefined;
      }
      if (real !== undefined) return this.contains(real);
      if (this.p.dirname(dir) === dir) return false;
    }
  }

  /** Like `check` but false instead of throwing. */
  isAllowed(input: string): boolean {
    try {
      this.check(input);
      return true;
    } catch {
      return false;
    }
  }

  /** Allowed roots (real paths), for diagnostics and tests. */
  listRoots(): string[] {
    return [...this.roots.values()];
  }
}

/** `dir/X.adc` → `dir/X` (also `.hdr`, `.roi`, case-insensitively); other paths unchanged. */
export function stripBinExtension(p: string, flavour: path.PlatformPath = path): string {
  const ext = flavour.extname(p).toLowerCase();
  return (BIN_EXTENSIONS as readonly string[]).includes(ext) ? p.slice(0, -ext.length) : p;
}
