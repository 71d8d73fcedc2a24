/**
 * A bin on disk (pyifcb `open_raw` / `FilesetBin`). Opening parses nothing and touches no file: the
 * `.hdr` and `.adc` are read (and cached) on first use, the `.roi` only when pixels are read.
 *
 * Pixel access:
 * - `bin.scope()` (`using scope = bin.scope()`) keeps the `.roi` open until the scope is disposed.
 *   Scopes are reference-counted: the file closes when the *last* live scope ends (pyifcb closes it
 *   when any inner `with bin:` exits). A read through a disposed scope throws `SCOPE_CLOSED`.
 * - Outside any scope, each read opens the `.roi`, reads and closes it (inside one, `bin.images`
 *   shares the scope's open file).
 * - `bin.read()` returns an in-memory bin with every file closed: every image's bytes read with
 *   coalesced reads, each image in memory of its own (see `readRoiPixels`).
 * Files are only ever opened with flag 'r', and closed in `finally` on every path.
 */
import { closeSync, statSync } from 'node:fs';
import path from 'node:path';
import { IfcbError } from '../../shared/errors.ts';
import { parseBinName, type ParsedName } from '../../shared/ifcb/bin-id.ts';
import { parseAdc } from './adc.ts';
import { decodeHeader, headerLookup, parseHeader } from './hdr.ts';
import { openBinFile, readBinFile } from './files.ts';
import { computeMetrics } from './metrics.ts';
import { findStitchPairs, type StitchPair } from './stitch.ts';
import { RawImageMap, StitchedImageMap, rawGeometries, type PixelSource } from './image-map.ts';
import { checkRoiBounds, readRoiPixels, readRoisInto, validateRoiGeometry, type RoiContext, type RoiExtent } from './roi.ts';
import type { AdcTable, BinData, BinMetrics, BinPaths, BinScope, HeaderValue, Headers, ImageMap, RoiGeometry, Schema } from './types.ts';

const BIN_EXTENSIONS = new Set(['adc', 'hdr', 'roi']);

/** Split a path to any of a bin's files (or its base path) into base path and id; throws `INVALID_BIN_ID` naming the file. */
export function binBasePath(p: string): { base: string; name: ParsedName } {
  const resolved = path.resolve(p);
  const file = path.basename(resolved);
  const name = parseBinName(file);
  const rest = file.slice(name.id.length);
  const ext = rest.startsWith('.') ? rest.slice(1) : null;
  if (rest !== '' && !(ext !== null && BIN_EXTENSIONS.has(ext))) {
    throw new IfcbError(
      'INVALID_BIN_ID',
      `"${file}" is not one of a bin's files: give the .adc, .hdr or .roi of a bin, or its base path (e.g. ${name.id})`,
      { path: p },
    );
  }
  return { base: path.join(path.dirname(resolved), name.id), name };
}

function scopeClosed(binId: string): IfcbError {
  return new IfcbError(
    'SCOPE_CLOSED',
    `the scope of ${binId} has been closed, so its .roi is no longer open: read images inside the scope (using scope = bin.scope()), or use bin.images or bin.read()`,
    { binId },
  );
}

/** Geometry object, image-map entry and stitching data per ADC row (errs high: six 10⁶-row bins held 1.7 GB, ~280 MB each). */
const PARSED_BYTES_PER_ROW = 160;

/** Identity + lazily parsed, cached `.hdr` / `.adc` / metrics: shared by the file-backed bin and its scopes. */
class BinFiles {
  private headersCache: Headers | undefined;
  private adcCache: AdcTable | undefined;
  private metricsCache: BinMetrics | undefined;
  private geometriesCache: RoiGeometry[] | undefined;
  private pairsCache: StitchPair[] | undefined;

  constructor(
    readonly identity: ParsedName,
    readonly paths: BinPaths,
  ) {}

  headers(): Headers {
    if (this.headersCache === undefined) {
      const bytes = readBinFile(this.paths.hdr, 'hdr', this.identity.id);
      this.headersCache = parseHeader(decodeHeader(bytes, this.paths.hdr), this.paths.hdr);
    }
    return this.headersCache;
  }

  adc(): AdcTable {
    if (this.adcCache === undefined) {
      const bytes = readBinFile(this.paths.adc, 'adc', this.identity.id);
      this.adcCache = parseAdc(bytes, this.identity.schema, this.paths.adc);
    }
    return this.adcCache;
  }

  metrics(): BinMetrics {
    this.metricsCache ??= computeMetrics(this.identity, this.adc(), this.headers());
    return this.metricsCache;
  }

  geometries(): RoiGeometry[] {
    this.geometriesCache ??= rawGeometries(this.adc());
    return this.geometriesCache;
  }

  pairs(): StitchPair[] {
    this.pairsCache ??= this.identity.schema === 1 ? findStitchPairs(this.adc()) : [];
    return this.pairsCache;
  }

  /** Raw + (schema 1) stitched maps over `source`. */
  /** Approximate memory held once the ADC is parsed: its Float64 columns plus per-row geometry and map entries. */
  parsedBytes(): number {
    const adc = this.adcCache;
    return adc === undefined ? 0 : adc.rowCount * (adc.columnNames.length * 8 + PARSED_BYTES_PER_ROW);
  }

  maps(source: PixelSource): { raw: ImageMap; images: ImageMap } {
    const raw = new RawImageMap(this.identity.id, this.geometries(), source, { binId: this.identity.id, path: this.paths.roi });
    return { raw, images: this.identity.schema === 1 ? new StitchedImageMap(this.identity.id, raw, this.pairs()) : raw };
  }
}

/** A bin on disk. Create with `openBin(path)`. */
export class Bin implements BinData {
  readonly paths: BinPaths;
  readonly id: string;
  readonly schema: Schema;
  readonly instrument: number;
  readonly timestamp: string;
  readonly epochMs: number;
  private readonly files: BinFiles;
  private roi: { fd: number; size: number } | null = null;
  private scopeCount = 0;
  private mapsCache: { raw: ImageMap; images: ImageMap } | undefined;

  /** Use `openBin`; `base` is the directory + bin id, without extension. */
  constructor(base: string, identity: ParsedName) {
    this.paths = { base, adc: `${base}.adc`, hdr: `${base}.hdr`, roi: `${base}.roi` };
    this.id = identity.id;
    this.schema = identity.schema;
    this.instrument = identity.instrument;
    this.timestamp = identity.timestamp;
    this.epochMs = identity.epochMs;
    this.files = new BinFiles({ id: identity.id, schema: identity.schema, instrument: identity.instrument, timestamp: identity.timestamp, epochMs: identity.epochMs }, this.paths);
  }

  /** Parsed `.hdr` (read on first use; an empty file gives `{}`). */
  get headers(): Headers {
    return this.files.headers();
  }

  /** Case-insensitive header lookup (pyifcb `bin.header(key)`). */
  header(key: string): HeaderValue | undefined {
    return headerLookup(this.files.headers(), key);
  }

  /** Parsed `.adc` (read on first use). */
  get adc(): AdcTable {
    return this.files.adc();
  }

  /** Run/inhibit/look time, ml analyzed, trigger rate (spec §6). */
  get metrics(): BinMetrics {
    return this.files.metrics();
  }

  /** Approximate bytes this bin holds in memory (0 until its ADC is parsed): what a cache of bins bounds. */
  get parsedBytes(): number {
    return this.files.parsedBytes();
  }

  /** Stitched + infilled for schema 1; each read opens and closes the `.roi` unless a scope is alive. */
  get images(): ImageMap {
    return this.maps().images;
  }

  /** Never stitched. */
  get rawImages(): ImageMap {
    return this.maps().raw;
  }

  /** Whether the `.roi` exists as a regular file (partial bins have none). */
  hasRoiFile(): boolean {
    try {
      return statSync(this.paths.roi).isFile();
    } catch {
      return false;
    }
  }

  /** Number of live scopes (the `.roi` is open exactly when this is > 0). */
  get openScopes(): number {
    return this.scopeCount;
  }

  /** Open (or share) the `.roi` until the returned scope is disposed; `FILE_MISSING` when there is no `.roi`. */
  scope(): BinScope {
    const scope = new FileBinScope(this, this.files, this.acquire());
    FORGOTTEN_SCOPES.register(scope, this, scope);
    return scope;
  }

  /** Everything in memory (headers, ADC, every image), every file closed (pyifcb `bin.read()`). */
  read(): MemoryBin {
    this.files.headers();
    this.files.adc();
    const shared = this.roi;
    const { fd, size } = shared ?? openBinFile(this.paths.roi, 'roi', this.id);
    try {
      return new MemoryBin(this.files, readAllPixels(fd, size, this.files.geometries(), { binId: this.id, path: this.paths.roi }));
    } finally {
      if (!shared) closeSync(fd);
    }
  }

  /** @internal shared fd for scopes */
  acquire(): { fd: number; size: number } {
    if (this.roi === null) this.roi = openBinFile(this.paths.roi, 'roi', this.id);
    this.scopeCount++;
    return this.roi;
  }

  /** @internal */
  release(): void {
    if (this.scopeCount === 0) return;
    this.scopeCount--;
    if (this.scopeCount === 0 && this.roi) {
      const { fd } = this.roi;
      this.roi = null;
      closeSync(fd);
    }
  }

  /**
   * The batch read behind `bin:roi-images`: the pixels of `targets` (each must have an image) written into the
   * one destination that `layout` allocates from their sizes, image i at `offsets[i]`. Every geometry is
   * validated and bounds-checked before `layout` runs or a byte is read; unstitched images go straight from the
   * `.roi` into place (`readRoisInto`), stitched ones (schema 1) are assembled by the stitched map and copied.
   * Uses the open `.roi` of a live scope, else opens and closes it.
   */
  readImagesInto<T extends { bytes: Uint8Array; offsets: readonly number[] }>(targets: readonly number[], layout: (sizes: readonly RoiGeometry[]) => T): T {
    const map = this.images;
    const extents = targets.map((t) => map.geometry(t));
    if (extents.some((g) => g.stitchedWith !== undefined)) {
      const images = map.getMany(targets);
      const out = layout(images.map((im) => ({ target: im.target, width: im.width, height: im.height, byteOffset: 0, x: 0, y: 0 })));
      images.forEach((im, i) => out.bytes.set(im.pixels, out.offsets[i]!));
      return out;
    }
    const ctx: RoiContext = { binId: this.id, path: this.paths.roi };
    for (const g of extents) validateRoiGeometry(g, ctx);
    const shared = this.roi;
    const { fd, size } = shared ?? openBinFile(this.paths.roi, 'roi', this.id);
    try {
      for (const g of extents) checkRoiBounds(g, size, ctx);
      const out = layout(extents);
      readRoisInto(fd, extents, out.bytes, out.offsets, ctx);
      return out;
    } finally {
      if (!shared) closeSync(fd);
    }
  }

  private maps(): { raw: ImageMap; images: ImageMap } {
    this.mapsCache ??= this.files.maps({ read: (extents) => this.readPixels(extents) });
    return this.mapsCache;
  }

  private readPixels(extents: readonly RoiExtent[]): Uint8Array[] {
    const ctx: RoiContext = { binId: this.id, path: this.paths.roi };
    if (this.roi) return readRoiPixels(this.roi.fd, this.roi.size, extents, ctx);
    const { fd, size } = openBinFile(this.paths.roi, 'roi', this.id);
    try {
      return readRoiPixels(fd, size, extents, ctx);
    } finally {
      closeSync(fd);
    }
  }

  toString(): string {
    return this.paths.base;
  }
}

/**
 * Safety net: a scope dropped without being disposed still gives its reference back when it is
 * garbage-collected, so a forgotten `using` cannot keep a .roi open for the life of the app.
 */
const FORGOTTEN_SCOPES = new FinalizationRegistry<Bin>((bin) => bin.release());

class FileBinScope implements BinScope {
  readonly id: string;
  readonly schema: Schema;
  readonly instrument: number;
  readonly timestamp: string;
  readonly epochMs: number;
  private isClosed = false;
  private mapsCache: { raw: ImageMap; images: ImageMap } | undefined;

  constructor(
    private readonly bin: Bin,
    private readonly files: BinFiles,
    /** The bin's shared `.roi`, open for as long as this scope is. */
    private readonly roi: { fd: number; size: number },
  ) {
    this.id = bin.id;
    this.schema = bin.schema;
    this.instrument = bin.instrument;
    this.timestamp = bin.timestamp;
    this.epochMs = bin.epochMs;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private check(): void {
    if (this.isClosed) throw scopeClosed(this.id);
  }

  get headers(): Headers {
    this.check();
    return this.files.headers();
  }

  header(key: string): HeaderValue | undefined {
    this.check();
    return headerLookup(this.files.headers(), key);
  }

  get adc(): AdcTable {
    this.check();
    return this.files.adc();
  }

  get metrics(): BinMetrics {
    this.check();
    return this.files.metrics();
  }

  get images(): ImageMap {
    this.check();
    return this.maps().images;
  }

  get rawImages(): ImageMap {
    this.check();
    return this.maps().raw;
  }

  /** Everything in memory (see `Bin.read`), reusing this scope's open `.roi`. */
  read(): MemoryBin {
    this.check();
    return this.bin.read();
  }

  [Symbol.dispose](): void {
    if (this.isClosed) return;
    this.isClosed = true;
    FORGOTTEN_SCOPES.unregister(this);
    this.bin.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this[Symbol.dispose]();
  }

  private maps(): { raw: ImageMap; images: ImageMap } {
    this.mapsCache ??= this.files.maps({
      read: (extents) => {
        this.check();
        return readRoiPixels(this.roi.fd, this.roi.size, extents, { binId: this.id, path: this.bin.paths.roi });
      },
    });
    return this.mapsCache;
  }
}

/** Pixels of every image of a bin, by target; a target whose geometry is bad keeps its error for `get`. */
interface PixelStore {
  pixels: Map<number, Uint8Array>;
  errors: Map<number, IfcbError>;
}

function readAllPixels(fd: number, size: number, geometries: readonly RoiGeometry[], ctx: RoiContext): PixelStore {
  const good: RoiGeometry[] = [];
  const errors = new Map<number, IfcbError>();
  for (const g of geometries) {
    try {
      validateRoiGeometry(g, ctx);
      checkRoiBounds(g, size, ctx);
      good.push(g);
    } catch (e) {
      if (!(e instanceof IfcbError)) throw e;
      // one corrupt row must not make the whole bin unreadable: the error surfaces on get()
      errors.set(g.target, e);
    }
  }
  const read = readRoiPixels(fd, size, good, ctx);
  const pixels = new Map<number, Uint8Array>();
  for (let i = 0; i < good.length; i++) pixels.set(good[i]!.target, read[i]!);
  return { pixels, errors };
}

/** A bin held entirely in memory (`bin.read()`): no file is open, every image owns its pixels. */
export class MemoryBin implements BinData {
  readonly id: string;
  readonly schema: Schema;
  readonly instrument: number;
  readonly timestamp: string;
  readonly epochMs: number;
  readonly headers: Headers;
  readonly adc: AdcTable;
  readonly images: ImageMap;
  readonly rawImages: ImageMap;

  /** @internal built by `Bin.read()`; `files` has headers and ADC cached, so nothing here reads a file. */
  constructor(
    private readonly files: BinFiles,
    store: PixelStore,
  ) {
    const identity = files.identity;
    this.id = identity.id;
    this.schema = identity.schema;
    this.instrument = identity.instrument;
    this.timestamp = identity.timestamp;
    this.epochMs = identity.epochMs;
    this.headers = files.headers();
    this.adc = files.adc();
    const maps = files.maps({
      read: (extents) =>
        extents.map((g) => {
          const error = store.errors.get(g.target);
          if (error) throw error;
          return store.pixels.get(g.target)!;
        }),
    });
    this.images = maps.images;
    this.rawImages = maps.raw;
  }

  /** Computed from the in-memory headers and ADC on first use. */
  get metrics(): BinMetrics {
    return this.files.metrics();
  }

  /** Case-insensitive header lookup. */
  header(key: string): HeaderValue | undefined {
    return headerLookup(this.headers, key);
  }
}

/** Open a bin from any of its three files or its base path (pyifcb `open_raw`): validates the name, reads nothing. */
export function openBin(p: string): Bin {
  const { base, name } = binBasePath(p);
  return new Bin(base, name);
}

/** `openBin(path).read()`: the whole bin in memory, every file closed. */
export function readBin(p: string): MemoryBin {
  return openBin(p).read();
}
