/** Public types of the exporter (main/export/index.ts `exportRois`). */
import type { Bin } from '../ifcb/index.ts';
import type { BinPaths } from '../ifcb/index.ts';
import type { ImageFormat } from '../images/index.ts';
import type { AnnotatorForBin } from './by-class.ts';
import type { OnExisting } from './staging.ts';

/** One bin of the selection. */
export interface ExportItem {
  /** Any of the bin's files, its base path, or its `BinPaths`. */
  binPath: string | BinPaths;
  /** Checked against the file name: a mismatch is `INVALID_ARGUMENT`. */
  binId: string;
  /**
   * The bin already opened by the caller (e.g. the viewer's bin cache): its parsed ADC is reused, so
   * planning a 10,000-row bin costs nothing on the main thread. Must be the bin at `binPath`.
   */
  bin?: Bin;
  /** Targets (ADC rows) to export; omitted = every image of the bin. Targets without an image are skipped and reported. */
  targets?: number[];
}

export interface ExportRequest {
  items: ExportItem[];
  /** A folder (created if missing, or an existing one to add files to) or a path ending in `.zip`. */
  destination: string;
  /** What the destination is, whatever its name (the export dialog's choice); omitted: `.zip` → zip, else a folder. */
  kind?: 'folder' | 'zip';
  /**
   * Files of this export that already exist: 'fail' (default) EXPORT_TARGET_EXISTS before anything is written;
   * 'suffix' writes to the first free `<destination> (n)` instead; 'skip' (an existing folder) leaves existing
   * image files alone and reports them skipped, tables taking the first free `name (n)`.
   */
  onExisting?: OnExisting;
  /** Image format; default `png`. */
  format?: ImageFormat;
  /** Add `ecotaxa_<name>.tsv` (EcoTaxa import table). */
  ecotaxa?: boolean;
  /** Add `metadata.csv` (one row per image). */
  metadata?: boolean;
  /**
   * `rois` (default): the selected images (+ tables) in the folder or zip.
   * `pyifcb-zip`: whole bins in pyifcb's `to_zip` layout — one `<bin id>.zip` per bin in a folder,
   * or exactly one bin into a `.zip` destination.
   */
  layout?: 'rois' | 'pyifcb-zip';
  /**
   * Pixels per micrometre of each instrument for the µm columns (main's calibration table, or the CLI's
   * `--px-per-um` for all); omitted: DEFAULT_PX_PER_UM (IFCB camera with the standard objective).
   */
  pxPerUm?: (instrument: number) => number;
  /**
   * Each bin's ROI annotations (main/products/ecotaxa-annotations.ts `ecotaxaAnnotatorForBin`): the EcoTaxa table
   * gains `object_annotation_*` when any exported ROI has one.
   */
  annotate?: AnnotatorForBin;
  /** Training sets: images in one folder per class (`<class>/<file>`, no class: `unclassified/`); needs `annotate`. */
  groupByClass?: boolean;
}

export interface ExportProgress {
  /** Images written so far / to write in total. */
  done: number;
  total: number;
  /** The bin being written. */
  binId?: string;
  phase: 'planning' | 'writing' | 'finishing';
}

export interface ExportOptions {
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  /** Images in flight (default 64: the PNG workers always have a batch queued). */
  concurrency?: number;
}

/** A requested target that was not exported, and why. */
export interface SkippedTarget {
  binId: string;
  target: number;
  reason: 'no-image' | 'stitched-into-previous' | 'duplicate' | 'exists';
}

export interface ExportResult {
  /** Absolute path of the folder or .zip written. */
  destination: string;
  kind: 'folder' | 'zip';
  /** Images written. */
  images: number;
  /** Names of every file placed (folder) or every zip entry (zip), in write order. */
  entries: string[];
  /** Side tables written (metadata.csv, ecotaxa_<name>.tsv), by entry name. */
  tables: string[];
  skipped: SkippedTarget[];
  /** Bytes of image data written. */
  imageBytes: number;
  /** The pixels per micrometre used for the µm columns, per instrument exported (also a column of both tables). */
  pxPerUm: { instrument: number; pxPerUm: number }[];
  durationMs: number;
}
