/**
 * Which bins the renderer may name, and a bounded LRU of their parsed state. The renderer sends bin ids only;
 * an id resolves to a base path that main learnt from a trusted place (OS launch, dialog, drop, the catalogue),
 * and the path is checked against the allow-list again on every resolution. A cached `Bin` keeps its parsed
 * header/ADC/geometry (the reader caches them inside), never an open file: pixels are read inside a scope that
 * the image handler opens and closes within one request. An entry is dropped when its `.adc`/`.roi` size or
 * mtime changes (a bin still being written). The cache is bounded by the memory its parsed bins hold (six
 * 10⁶-row bins took 1.7 GB when it was bounded by count only), and by count.
 */
import fs from 'node:fs';
import { IfcbError } from '../../shared/errors.ts';
import { openBin as readerOpenBin, type Bin } from '../ifcb/index.ts';
import { stripBinExtension, type AccessList } from '../access/allow-list.ts';

/** Looks up a bin's base path in the catalogue (undefined when unknown there). */
export type BinPathResolver = (binId: string) => string | undefined;

/** Parsed bins held together by default: two 10⁶-row bins, or hundreds of ordinary ones. */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export interface BinCacheOptions {
  /** Parsed bins kept in memory (LRU). */
  maxEntries?: number;
  /** Memory the parsed bins may hold together (`Bin.parsedBytes`); the bin in use always stays. Default 512 MiB. */
  maxBytes?: number;
  /** Ids remembered from opens (bounded so a page cannot grow it without limit). */
  maxKnown?: number;
  /** The reader's `openBin` (injectable so tests can prove nothing was opened). */
  openBin?: (path: string) => Bin;
}

interface Entry {
  bin: Bin;
  stamp: string;
}

function stampOf(base: string): string {
  const one = (p: string) => {
    try {
      const st = fs.statSync(p);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return `${one(`${base}.adc`)}|${one(`${base}.roi`)}`;
}

export class BinCache {
  private readonly known = new Map<string, string>(); // id → base path (insertion order = age)
  private readonly entries = new Map<string, Entry>(); // id → parsed bin (insertion order = LRU)
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxKnown: number;
  private readonly open: (path: string) => Bin;
  /** Consulted for ids not opened in this session (set when the catalogue is available). */
  resolver: BinPathResolver | undefined;

  constructor(
    private readonly access: AccessList,
    options: BinCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 32;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxKnown = options.maxKnown ?? 100_000;
    this.open = options.openBin ?? readerOpenBin;
  }

  /**
   * Every file the reader will open must be allowed, not only the `.adc`: under an allowed root a `.roi` or
   * `.hdr` can be a symlink to somewhere the user never opened or indexed, and a linked `.adc` makes the reader
   * open the `.hdr`/`.roi` beside its target. Returns the real `.adc` path, which the reader then opens.
   */
  private checkFiles(base: string): string {
    return `${this.access.checkBin(`${base}.adc`)}.adc`;
  }

  /** Remember a bin whose path is already allowed (checked here again); returns the opened `Bin`. */
  register(path: string): Bin {
    const bin = this.open(this.checkFiles(stripBinExtension(path)));
    this.known.delete(bin.id);
    this.known.set(bin.id, bin.paths.base);
    while (this.known.size > this.maxKnown) this.known.delete(this.known.keys().next().value!);
    this.entries.delete(bin.id);
    this.remember(bin.id, { bin, stamp: stampOf(bin.paths.base) });
    return bin;
  }

  /** The bin for an id the renderer sent: BIN_NOT_FOUND when never opened nor catalogued. */
  get(binId: string): Bin {
    let base = this.known.get(binId);
    if (base === undefined) base = this.resolver?.(binId);
    if (base === undefined) {
      throw new IfcbError('BIN_NOT_FOUND', `Bin ${binId} is not open and not in the library. Open its .adc file or add its folder to the library.`, { binId });
    }
    // the allow-list may have shrunk (root removed) since the id was learnt, or a file been swapped for a link
    const adc = this.checkFiles(base);
    const stamp = stampOf(base);
    const cached = this.entries.get(binId);
    if (cached && cached.stamp === stamp && cached.bin.paths.adc === adc) {
      this.entries.delete(binId);
      this.remember(binId, cached);
      return cached.bin;
    }
    const bin = this.open(adc);
    this.entries.delete(binId);
    this.remember(binId, { bin, stamp });
    return bin;
  }

  /** Forget ids whose files lie under a removed root (their paths are no longer allowed). */
  prune(): void {
    for (const [id, base] of this.known) if (!this.access.isAllowed(`${base}.adc`)) this.known.delete(id);
    for (const [id, entry] of this.entries) if (!this.access.isAllowed(entry.bin.paths.adc)) this.entries.delete(id);
  }

  /** Bins currently parsed in memory. */
  get size(): number {
    return this.entries.size;
  }

  /** Memory the cached bins hold (their estimates; a bin counts once its ADC has been parsed). */
  get bytes(): number {
    let total = 0;
    for (const { bin } of this.entries.values()) total += bin.parsedBytes;
    return total;
  }

  /**
   * Add `entry` as the most recent one and evict the least recently used beyond the bounds. A bin is parsed
   * after it is handed out, so its bytes count from the next call on: the cache exceeds `maxBytes` by at most
   * the one bin in use.
   */
  private remember(id: string, entry: Entry): void {
    this.entries.set(id, entry);
    let bytes = this.bytes;
    while (this.entries.size > 1 && (this.entries.size > this.maxEntries || bytes > this.maxBytes)) {
      const oldest = this.entries.keys().next().value!;
      bytes -= this.entries.get(oldest)!.bin.parsedBytes;
      this.entries.delete(oldest);
    }
  }
}
