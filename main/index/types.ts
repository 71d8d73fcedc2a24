/**
 * Public types of the catalogue (the SQLite index of bins). Field names of `BinRecord` match
 * `ifcb-viewer info --json` for the fields both have.
 */
import type { ErrorCode } from '../../shared/errors.ts';
import type { Schema } from '../../shared/ifcb/bin-id.ts';

/** Quality-control flags stored per bin (bit positions in the `qc` column). */
export const QC_FLAGS = {
  /** The `.roi` file does not exist. */
  noRoi: 1,
  /** The `.adc` has no rows. */
  empty: 2,
  /** The `.hdr` gave no keys (0-byte or unparseable). */
  emptyHeader: 4,
  /** Header runTime and the run time computed from the ADC differ by more than 2 %. */
  runTimeMismatch: 8,
  /** The bin could not be parsed; `errorCode` says why. */
  unreadable: 16,
  /** The `.roi` is missing or shorter than the ADC's last START_BYTE + width*height (still being written). */
  partial: 32,
} as const;

export type QcFlag = keyof typeof QC_FLAGS;
/** Every QC flag name, in bit order. */
export const QC_FLAG_NAMES = Object.keys(QC_FLAGS) as QcFlag[];

/** A header value kept in the catalogue (scalars only). */
export type CatalogueHeaderValue = number | string | boolean | null;

/** One bin as the catalogue knows it. NaN metrics are `null` (JSON has no NaN). */
export interface BinRecord {
  /** Catalogue row key: unique even when two roots hold the same bin id. */
  key: number;
  id: string;
  schema: Schema;
  instrument: number;
  /** ISO 8601 UTC, e.g. `2013-05-26T09:52:07Z`. */
  timestamp: string;
  epochMs: number;
  rootId: number;
  /** Base path of the bin (directory + id, no extension). */
  path: string;
  /** Folder relative to the root, `/`-separated, '' for the root itself. */
  folder: string;
  adcRows: number | null;
  triggers: number | null;
  /** Number of targets with an image (ROI_WIDTH != 0; unstitched). */
  images: number | null;
  hasRoiFile: boolean;
  /** Size of the `.roi` in bytes (null when absent). */
  roiBytes: number | null;
  /** Bytes the `.roi` must have according to the ADC (last START_BYTE + w*h); null when unknown. */
  roiExpectedBytes: number | null;
  runTime: number | null;
  inhibitTime: number | null;
  lookTime: number | null;
  mlAnalyzed: number | null;
  /** Header `runTime` / `inhibitTime` as written by the instrument. */
  headerRunTime: number | null;
  headerInhibitTime: number | null;
  temperature: number | null;
  humidity: number | null;
  /** Number of header keys. */
  headerKeys: number | null;
  /** Selected header values users filter by (see HEADER_KEYS in parse-bin.ts). */
  headerValues: Record<string, CatalogueHeaderValue>;
  qc: QcFlag[];
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  /** When this row was last (re)parsed, ms since the epoch. */
  indexedAt: number;
}

/** Per-root walking rules. */
export interface RootOptions {
  /** Folder names never entered (default `skip`, `beads`). */
  blacklist?: string[];
}

export interface RootRecord {
  rootId: number;
  path: string;
  blacklist: string[];
  addedAt: number;
  /** Last scan start / completion (ms since epoch); `scanCompletedAt < scanStartedAt` = interrupted. */
  scanStartedAt: number | null;
  scanCompletedAt: number | null;
  /** 'never' (not indexed yet), 'complete', or 'interrupted' (killed or cancelled: the next index resumes). */
  state: 'never' | 'complete' | 'interrupted';
  /** Rows of this root's bins (copies shadowed by another folder's included). */
  binCount: number;
  /** Files skipped by the last walk plus unreadable bins (listProblems gives them). */
  problemCount: number;
}

/** A file or folder met during a walk that is not a usable bin (recorded, never fatal). */
export interface WalkProblem {
  rootId: number;
  path: string;
  code: ErrorCode;
  message: string;
}

/**
 * Something under a root that the library does not show as a usable bin, with its reason: a file the
 * walk skipped (invalid name, incomplete fileset, unreadable folder, link out of the library), or a bin
 * whose files could not be parsed (stored, flagged unreadable, with the reader's error code).
 */
export interface LibraryProblem extends WalkProblem {
  kind: 'skipped' | 'unreadable';
}

export interface IndexProgress {
  phase: 'walking' | 'indexing' | 'done';
  /** Filesets found so far (all roots). */
  found: number;
  /** Filesets whose stat was unchanged (no file read). */
  unchanged: number;
  /** Filesets parsed and written so far. */
  indexed: number;
  /** Filesets waiting to be parsed. */
  remaining: number;
  /** Parse rate over the run so far (bins/s). */
  perSecond: number;
  /** Estimated seconds left (null while walking or when unknown). */
  etaSeconds: number | null;
  elapsedMs: number;
}

export interface IndexSummary {
  found: number;
  unchanged: number;
  added: number;
  updated: number;
  removed: number;
  /** Bins recorded with the `unreadable` flag in this run. */
  unreadable: number;
  problems: number;
  cancelled: boolean;
  elapsedMs: number;
  /** Files opened and read by the parser in this run (zero `.adc` reads for an unchanged archive). */
  filesRead: { adc: number; hdr: number };
}

export interface IndexOptions {
  onProgress?: (progress: IndexProgress) => void;
  signal?: AbortSignal;
}

/** What a live watch reports after it has applied a change to the database. */
export interface CatalogueChange {
  type: 'added' | 'updated' | 'removed';
  rootId: number;
  id: string;
  key: number;
  qc: QcFlag[];
}
