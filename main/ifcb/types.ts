/**
 * The reader's public types (pyifcb 1.3 semantics; spec: ../shared/docs/ifcb-format.md).
 * Everything else in the app (catalogue, IPC, export, CLI) programs against these.
 */
import type { BinIdentity, Schema } from '../../shared/ifcb/bin-id.ts';

export type { BinIdentity, Schema };

/** A header value as Python's `ast.literal_eval` gives it (strings when it fails). */
export type HeaderValue = number | string | boolean | null | HeaderValue[] | { [key: string]: HeaderValue };
export type Headers = Record<string, HeaderValue>;

/** The three files of a bin. `roi` may not exist (partial bins). */
export interface BinPaths {
  /** Directory + bin id, no extension. */
  base: string;
  adc: string;
  hdr: string;
  roi: string;
}

/** Columnar ADC table: one Float64Array per column, row i ↔ target i + 1. */
export interface AdcTable {
  readonly schema: Schema;
  readonly rowCount: number;
  /** pyifcb's column names for the schema (15 for schema 1, 24 for schema 2). */
  readonly columnNames: readonly string[];
  /** Column by 0-based index or pyifcb name (the table's own array: never write into it). Empty cells read NaN, as in pandas. */
  column(indexOrName: number | string): Float64Array;
  /** One row (target is 1-based), as numbers in column order. */
  row(target: number): number[];
  /** `n_triggers`: TRIGGER of the last row (0 when empty). */
  readonly triggers: number;
}

/** Where one image lives and its size (after stitching for schema 1: the union box). */
export interface RoiGeometry {
  target: number;
  width: number;
  height: number;
  /** START_BYTE of the target (for a stitched ROI: of its first part). */
  byteOffset: number;
  /** ROI_X / ROI_Y of the box in the camera frame. */
  x: number;
  y: number;
  /** Schema 1 only: the target merged into this one by stitching. */
  stitchedWith?: number;
}

/** One image: `height` rows of `width` unsigned 8-bit pixels, row-major. */
export interface RoiImage {
  target: number;
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * Images keyed by target number, iterated in target order (pyifcb `bin.images`).
 * Zero-width targets are absent. `get` of an absent target throws `ROI_NOT_IN_BIN`.
 */
export interface ImageMap extends Iterable<[number, RoiImage]> {
  readonly size: number;
  keys(): number[];
  has(target: number): boolean;
  get(target: number): RoiImage;
  /** Several images at once, in the order asked, with coalesced reads (few syscalls); throws like `get`. */
  getMany(targets: readonly number[]): RoiImage[];
  /** Geometry without reading pixels. */
  geometry(target: number): RoiGeometry;
  geometries(): RoiGeometry[];
  values(): Iterable<RoiImage>;
  entries(): Iterable<[number, RoiImage]>;
}

/** §6 of the spec. NaN where pyifcb gives NaN (no ADC rows, unusable inhibit column). */
export interface BinMetrics {
  runTime: number;
  inhibitTime: number;
  lookTime: number;
  mlAnalyzed: number;
  /** n_triggers / run_time, per second. */
  triggerRate: number;
}

/** What both the file-backed and the in-memory bin offer. */
export interface BinData extends BinIdentity {
  readonly headers: Headers;
  /** Case-insensitive header lookup (`header('runtime')` finds `runTime`). */
  header(key: string): HeaderValue | undefined;
  readonly adc: AdcTable;
  /** Stitched + infilled for schema 1; raw for schema 2. */
  readonly images: ImageMap;
  /** Never stitched. */
  readonly rawImages: ImageMap;
  readonly metrics: BinMetrics;
}

/** A scope keeps the `.roi` open until disposed; reads through it after that throw `SCOPE_CLOSED`. */
export interface BinScope extends BinData, Disposable {
  readonly closed: boolean;
  /** Everything in memory (as `Bin.read()`), reusing the scope's open `.roi`. */
  read(): BinData;
}
