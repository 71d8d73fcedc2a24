/**
 * THE contract between the renderer and the main process, shared by both sides and by both transports
 * (Electron IPC through the preload, and the loopback HTTP bridge). Every channel has a zod schema for its
 * request and its response; the main-process router parses every request with it before a handler runs.
 *
 * Rules: channel names are `noun:verb-phrase` and spelled only here; requests are `.strict()` objects with
 * bounded strings, arrays and integer ranges; the renderer sends bin ids, targets and root ids, never paths
 * (paths come from the OS, native dialogs, the catalogue, or a drop the user made). Every method of `IfcbApi`
 * resolves to a `Result` envelope (it never rejects for an application error), so `window.ifcb` is plain data
 * across the context bridge. Environment-free.
 */
import { z } from 'zod';
import { isBinId } from '../ifcb/bin-id.ts';
import { MAX_PX_PER_UM, MIN_PX_PER_UM } from '../mosaic/scale-bar.ts';
import { DROPPED_PATHS_CHANNEL } from './api.ts';
import type { IfcbTransport } from './api.ts';
import type { Result } from './result.ts';

// ---------------------------------------------------------------------------------------------------------
// Limits (exported so handlers, tests and the UI agree on them)

/** Most targets in one `bin:roi-images` request (a screenful is ~200). */
export const MAX_TARGETS_PER_REQUEST = 10_000;
/** Largest target number accepted (ADC row, 1-based). */
export const MAX_TARGET = 10_000_000;
/** Largest image payload the main process builds for one request, in bytes. */
export const MAX_IMAGE_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** Longest path accepted (dialogs, drops, argv). */
export const MAX_PATH_LENGTH = 4096;
/** Most paths in one drop. */
export const MAX_DROPPED_PATHS = 256;
/** Most bins in one export request. */
export const MAX_EXPORT_ITEMS = 10_000;
/** Most targets of one bin in an export request. */
export const MAX_EXPORT_TARGETS_PER_BIN = 200_000;
/** Page size bounds of `bins:list`. */
export const MAX_PAGE_SIZE = 1000;
/** Largest epoch milliseconds accepted (year 2200); IFCB data starts in 2006. */
export const MAX_EPOCH_MS = 7_258_118_400_000;

// ---------------------------------------------------------------------------------------------------------
// Building blocks

/** A bin id such as `D20130526T095207_IFCB013` or `IFCB5_2012_028_081515` (nothing before or after). */
export const binIdSchema = z
  .string()
  .min(21)
  .max(24)
  .regex(/^(?:IFCB\d_\d{4}_\d{3}_\d{6}|D\d{8}T\d{6}_IFCB\d{3})$/)
  .refine(isBinId, 'not a valid bin id');

/** A 1-based target (ADC row) number. */
export const targetSchema = z.int().min(1).max(MAX_TARGET);

/** A file-system path from the OS, a dialog or a drop: bounded, no NUL byte. */
export const pathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte');

/** Milliseconds since the epoch. */
export const epochMsSchema = z.int().min(0).max(MAX_EPOCH_MS);

/** Opaque ids chosen by main (roots, jobs, export destinations). */
export const rootIdSchema = z.int().min(1).max(2_147_483_647);
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const destinationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Numbers that may be NaN in the reader travel as `null` (JSON has no NaN). */
const metric = z.number().nullable();

const emptyRequest = z.strictObject({});

/** Header values as Python's `ast.literal_eval` gives them. */
export type HeaderValue = number | string | boolean | null | HeaderValue[] | { [key: string]: HeaderValue };
export const headerValueSchema: z.ZodType<HeaderValue> = z.lazy(() =>
  z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(headerValueSchema), z.record(z.string(), headerValueSchema)]),
);

// ---------------------------------------------------------------------------------------------------------
// Shared records

/** What the app knows about a bin once it is open (no paths). */
export const binSummarySchema = z.strictObject({
  id: binIdSchema,
  schema: z.union([z.literal(1), z.literal(2)]),
  instrument: z.int().min(0),
  /** ISO 8601 UTC, e.g. `2013-05-26T09:52:07Z`. */
  timestamp: z.string(),
  epochMs: z.number(),
  /** ADC rows (= targets). */
  adcRows: z.int().min(0),
  /** `n_triggers`: TRIGGER of the last row. */
  triggers: z.int().min(0),
  /** Targets with an image (after stitching for schema 1). */
  imageCount: z.int().min(0),
  hasRoiFile: z.boolean(),
  runTime: metric,
  inhibitTime: metric,
  lookTime: metric,
  mlAnalyzed: metric,
  triggerRate: metric,
  /** The bin's file name without extension and its folder, for display only. */
  displayName: z.string(),
});
export type BinSummary = z.infer<typeof binSummarySchema>;

/**
 * The per-ROI table, columnar (the mosaic layout's input): entry i of every array describes one image,
 * in target order. `adc[name][i]` is the ADC value of that image's row, for every column by pyifcb name.
 */
export const roiTableSchema = z.strictObject({
  count: z.int().min(0),
  target: z.array(z.int()),
  width: z.array(z.int()),
  height: z.array(z.int()),
  /** ROI_X / ROI_Y of the (stitched) box in the camera frame. */
  x: z.array(z.number()),
  y: z.array(z.number()),
  /** Schema 1: the target merged into this one by stitching, 0 when none. */
  stitchedWith: z.array(z.int()),
  adcColumns: z.array(z.string()),
  adc: z.record(z.string(), z.array(z.number())),
});
export type RoiTable = z.infer<typeof roiTableSchema>;

/** A bin as the catalogue lists it (no paths but the display paths of its duplicates). Counts are null when the bin could not be parsed. */
export const catalogueBinSchema = z.strictObject({
  id: binIdSchema,
  schema: z.union([z.literal(1), z.literal(2)]),
  instrument: z.int().min(0),
  timestamp: z.string(),
  epochMs: z.number(),
  rootId: z.int(),
  /** Folder relative to its root, `/`-separated ('' for the root itself), for display. */
  folder: z.string(),
  adcRows: z.int().min(0).nullable(),
  triggers: z.int().min(0).nullable(),
  /** Targets with an image (unstitched count). */
  imageCount: z.int().min(0).nullable(),
  hasRoiFile: z.boolean(),
  runTime: metric,
  inhibitTime: metric,
  lookTime: metric,
  mlAnalyzed: metric,
  temperature: metric,
  humidity: metric,
  /** Quality flags the catalogue computed: noRoi, empty, emptyHeader, runTimeMismatch, unreadable, partial. */
  qc: z.array(z.string()),
  /** Why the bin could not be parsed (an error code), null when it could. */
  errorCode: z.string().nullable(),
  /** `bins:get` only: other folders holding the same bin id (this record is the best copy; the list shows it once). */
  duplicates: z.array(z.strictObject({ rootId: z.int(), folder: z.string(), path: z.string(), qc: z.array(z.string()) })).optional(),
});
export type CatalogueBin = z.infer<typeof catalogueBinSchema>;

export const rootSchema = z.strictObject({
  id: rootIdSchema,
  /** The folder the user chose (shown in the library; never sent back by the renderer). */
  path: z.string(),
  binCount: z.int().min(0),
  /** 'never' indexed, 'complete', or 'interrupted' (the next reindex resumes). */
  state: z.enum(['never', 'complete', 'interrupted']),
  /** Epoch ms of the last completed index, null when never indexed. */
  indexedAt: z.number().nullable(),
  /** Present (true) for the built-in demo library (main/demo): labelled as such, removable like any folder. */
  demo: z.literal(true).optional(),
  /** Files under the folder the library does not show as usable bins (`roots:problems` lists them). */
  problemCount: z.int().min(0),
});
export type Root = z.infer<typeof rootSchema>;

// ---------------------------------------------------------------------------------------------------------
// Requests and responses

export const appInfoSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  /** How this page reaches main. */
  transport: z.enum(['electron', 'http']),
  platform: z.string(),
  features: z.strictObject({
    /** Native open/save dialogs (Electron only). */
    dialogs: z.boolean(),
    /** The library/catalogue is available. */
    catalogue: z.boolean(),
    export: z.boolean(),
    /** The bridge accepts typed paths (tests and dev only). */
    pathInput: z.boolean(),
  }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const openedBinSchema = z.strictObject({ bin: binSummarySchema });
export type OpenedBin = z.infer<typeof openedBinSchema>;

/** A path that was given to open (dropped, or passed at launch) but could not be, with the reason. */
export const rejectedPathSchema = z.strictObject({ name: z.string(), code: z.string(), message: z.string() });
export type RejectedPath = z.infer<typeof rejectedPathSchema>;

export const appReadyResponseSchema = z.strictObject({
  /** Bins the OS asked us to open before the page was ready (double-click, argv). */
  opened: z.array(openedBinSchema),
  /** Launch paths that could not be opened (a damaged bin, a file that is not one); the others opened all the same. */
  rejected: z.array(rejectedPathSchema),
});

export const binOpenPathRequestSchema = z.strictObject({ path: pathSchema });
export const binRefRequestSchema = z.strictObject({ binId: binIdSchema });

export const binMetadataSchema = z.strictObject({
  bin: binSummarySchema,
  headers: z.record(z.string(), headerValueSchema),
  rois: roiTableSchema,
});
export type BinMetadata = z.infer<typeof binMetadataSchema>;

export const roiImagesRequestSchema = z.strictObject({
  binId: binIdSchema,
  /** Each target once: a duplicate would only multiply the payload (10,000 copies of one large image). */
  targets: z
    .array(targetSchema)
    .min(1)
    .max(MAX_TARGETS_PER_REQUEST)
    .refine((targets) => new Set(targets).size === targets.length, 'targets must not repeat'),
});
export type RoiImagesRequest = z.infer<typeof roiImagesRequestSchema>;
/** Encoded with `encodeRoiImages`-compatible layout; decode with `decodeRoiImages` (shared/ipc/roi-images.ts). */
export const roiImagesPayloadSchema = z.instanceof(Uint8Array);

export const binsFilterSchema = z.strictObject({
  from: epochMsSchema.optional(),
  to: epochMsSchema.optional(),
  instrument: z.int().min(0).max(999).optional(),
  rootId: rootIdSchema.optional(),
  /** Only bins with this quality flag (noRoi, empty, emptyHeader, runTimeMismatch, unreadable, partial), or `ok` for bins with none. */
  qc: z.string().regex(/^[A-Za-z]{1,32}$/).optional(),
  idPrefix: z.string().regex(/^[A-Za-z0-9_]{1,24}$/).optional(),
  /** Any part of the id or the instrument name, in any case ("t12", "901", "20240501", "IFCB13"). */
  search: z.string().regex(/^[A-Za-z0-9_]{1,24}$/).optional(),
});
export type BinsFilter = z.infer<typeof binsFilterSchema>;

export const binsListRequestSchema = z.strictObject({
  filter: binsFilterSchema.default({}),
  page: z
    .strictObject({
      /** The `next` cursor of the previous page. */
      after: z.string().min(1).max(512).optional(),
      limit: z.int().min(1).max(MAX_PAGE_SIZE).default(200),
      order: z.enum(['asc', 'desc']).default('asc'),
    })
    .default({ limit: 200, order: 'asc' }),
});
export type BinsListRequest = z.input<typeof binsListRequestSchema>;
export const binsListResponseSchema = z.strictObject({
  bins: z.array(catalogueBinSchema),
  next: z.string().optional(),
});
export type BinsListResponse = z.infer<typeof binsListResponseSchema>;

export const timeBucketSchema = z.enum(['bin', 'hour', 'day', 'week']);
export const timeSeriesRequestSchema = z.strictObject({
  /** Omitted: the catalogue's first / last bin. `from` inclusive, `to` exclusive. */
  from: epochMsSchema.optional(),
  to: epochMsSchema.optional(),
  /** Omitted: chosen from the span (< 7 d → bin, < 60 d → hour, < 3 y → day, else week). */
  bucket: timeBucketSchema.optional(),
  instrument: z.int().min(0).max(999).optional(),
  rootId: rootIdSchema.optional(),
  /** A class name: each point also gives that class's counts (`class`), for the bins whose classes were counted. */
  class: z.string().min(1).max(200).optional(),
});
export type TimeSeriesRequest = z.infer<typeof timeSeriesRequestSchema>;
export const timeSeriesResponseSchema = z.strictObject({
  bucket: timeBucketSchema,
  /** The range covered, ISO UTC (null for an empty catalogue). */
  from: z.string().nullable(),
  to: z.string().nullable(),
  points: z.array(
    z.strictObject({
      /** Bucket start (the bin's own timestamp for bucket 'bin'), ISO UTC and epoch ms. */
      start: z.string(),
      epochMs: z.number(),
      /** Bucket 'bin' only. */
      id: binIdSchema.optional(),
      bins: z.int().min(0),
      images: z.int().min(0),
      /** Summed ml_analyzed of the bins that have one (null when none has). */
      mlAnalyzed: z.number().nullable(),
      /** images / mL (null when the volume is 0 or unknown). */
      concentration: z.number().nullable(),
      /**
       * With a `class` request: of the bucket's bins with counted classes (`bins`), the ROIs of the class (manual label
       * where present, else the classifier's class above threshold), their ml analyzed and the class's images / mL.
       */
      class: z
        .strictObject({ bins: z.int().min(0), count: z.int().min(0), mlAnalyzed: z.number().nullable(), concentration: z.number().nullable() })
        .optional(),
    }),
  ),
});
export type TimeSeries = z.infer<typeof timeSeriesResponseSchema>;

export const neighboursResponseSchema = z.strictObject({
  previous: binIdSchema.optional(),
  next: binIdSchema.optional(),
});
export type Neighbours = z.infer<typeof neighboursResponseSchema>;

export const rootsListResponseSchema = z.strictObject({ roots: z.array(rootSchema) });
export const rootAddRequestSchema = z.strictObject({ path: pathSchema });
export const rootRefRequestSchema = z.strictObject({ rootId: rootIdSchema });
export const reindexRequestSchema = z.strictObject({
  /** Omitted: every root. */
  rootIds: z.array(rootIdSchema).min(1).max(1000).optional(),
});
export const rootsProblemsRequestSchema = z.strictObject({
  /** Omitted: every root. */
  rootId: rootIdSchema.optional(),
});
/** Most problems in one `roots:problems` answer (`total` says how many there are). */
export const MAX_PROBLEMS_LISTED = 1000;
export const rootsProblemsResponseSchema = z.strictObject({
  /** Skipped files (invalid names, incomplete filesets, unreadable folders, links out of the library), then unreadable bins. */
  problems: z.array(
    z.strictObject({
      rootId: rootIdSchema,
      /** Relative to the root, `/`-separated ('.' = the root itself); an unreadable bin's `.adc`. */
      path: z.string(),
      code: z.string(),
      message: z.string(),
      kind: z.enum(['skipped', 'unreadable']),
    }),
  ),
  total: z.int().min(0),
});
export type LibraryProblems = z.infer<typeof rootsProblemsResponseSchema>;
export const jobStartedSchema = z.strictObject({ jobId: jobIdSchema });
export const jobRefRequestSchema = z.strictObject({ jobId: jobIdSchema });
/** `export:reveal`: where a finished export went, and whether the OS file manager was asked to show it. */
export const exportRevealResponseSchema = z.strictObject({ path: pathSchema, shown: z.boolean() });

export const dialogOpenBinRequestSchema = z.strictObject({
  /** Bridge in dev/test mode only (`features.pathInput`); Electron refuses it and shows its native dialog. */
  path: pathSchema.optional(),
});
export const dialogOpenBinResponseSchema = z.strictObject({
  /** null when the user cancelled. */
  opened: openedBinSchema.nullable(),
});
export const dialogAddFolderRequestSchema = dialogOpenBinRequestSchema;
export const dialogAddFolderResponseSchema = z.strictObject({ root: rootSchema.nullable() });

export const exportDestinationRequestSchema = z.strictObject({
  kind: z.enum(['folder', 'zip']),
  /** File name the save dialog proposes (zip only), no directory part. */
  suggestedName: z
    .string()
    .regex(/^[^/\\\0]{1,255}$/)
    .optional(),
  /** Bridge in dev/test mode only. */
  path: pathSchema.optional(),
});
export const exportDestinationResponseSchema = z.strictObject({
  /** null when the user cancelled. */
  destination: z.strictObject({ id: destinationIdSchema, displayPath: z.string(), kind: z.enum(['folder', 'zip']) }).nullable(),
});

export const exportStartRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        binId: binIdSchema,
        /** Omitted: every image of the bin. */
        targets: z.array(targetSchema).min(1).max(MAX_EXPORT_TARGETS_PER_BIN).optional(),
      }),
    )
    .min(1)
    .max(MAX_EXPORT_ITEMS),
  /** From `dialog:export-destination`. */
  destinationId: destinationIdSchema,
  format: z.enum(['png', 'tiff']).default('png'),
  ecotaxa: z.boolean().default(false),
  metadata: z.boolean().default(false),
  layout: z.enum(['rois', 'pyifcb-zip']).default('rois'),
  /**
   * Files of this export that already exist at the destination: 'fail' answers EXPORT_TARGET_EXISTS (details:
   * count, canSkip) before anything is written; 'suffix' writes to `<destination> (2)`; 'skip' leaves existing
   * files in an existing folder alone.
   */
  onExisting: z.enum(['fail', 'suffix', 'skip']).default('fail'),
  /** Training set: images in one folder per class (manual label, else the classifier's; no class: `unclassified/`). */
  groupByClass: z.boolean().optional(),
});
export type ExportStartRequest = z.input<typeof exportStartRequestSchema>;

/**
 * Browser mode only (not a channel): `POST <bridge>/download` with this body prepares a zip of the images, and the
 * answer's `href` (relative to the bridge base, used once) streams it as a download. See main/http-bridge/zip-download.ts.
 */
export const ZIP_DOWNLOAD_ROUTE = 'download';
export const zipDownloadRequestSchema = exportStartRequestSchema.omit({ destinationId: true, layout: true });
export type ZipDownloadRequest = z.input<typeof zipDownloadRequestSchema>;
export const zipDownloadTicketSchema = z.strictObject({
  href: z.string().regex(/^download\/[A-Za-z0-9_-]{16,64}$/),
  /** The file name the browser saves (`<bin id>[+N].zip`). */
  name: z.string().regex(/^[A-Za-z0-9_+-]{1,100}\.zip$/),
});
export type ZipDownloadTicket = z.infer<typeof zipDownloadTicketSchema>;

export const dropOpenRequestSchema = z.strictObject({
  /** Paths of files/folders the user dropped (Electron: from `webUtils.getPathForFile` in the preload). */
  paths: z.array(pathSchema).min(1).max(MAX_DROPPED_PATHS),
});
export const dropOpenResponseSchema = z.strictObject({
  opened: z.array(openedBinSchema),
  roots: z.array(rootSchema),
  /** Dropped paths that are neither bin files nor folders, with the reason. */
  rejected: z.array(rejectedPathSchema),
});

/** Most bins in one `bins:geometry` request, and most ADC columns asked with them. */
export const MAX_GEOMETRY_BINS = 64;
export const MAX_GEOMETRY_COLUMNS = 16;
export const binsGeometryRequestSchema = z.strictObject({
  binIds: z.array(binIdSchema).min(1).max(MAX_GEOMETRY_BINS),
  /** ADC columns (pyifcb names) to include for a sort or filter; a bin without one leaves it out. */
  columns: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)).max(MAX_GEOMETRY_COLUMNS).default([]),
});
/** Encoded with `encodeBinGeometry`; decode with `decodeBinGeometry` (shared/ipc/bin-geometry.ts). */
export const binGeometryPayloadSchema = z.instanceof(Uint8Array);

/** An instrument number as bin ids spell it (IFCB1 … IFCB999). */
export const instrumentSchema = z.int().min(0).max(999);

/** Every instrument's calibration: the one source of each µm value (viewer, filters, scale bar, export, CLI). */
export const calibrationsSchema = z.strictObject({
  /** Instruments the user calibrated, by instrument number, in camera pixels per micrometre. */
  instruments: z.array(z.strictObject({ instrument: instrumentSchema, pxPerUm: z.number().min(MIN_PX_PER_UM).max(MAX_PX_PER_UM) })),
  /** What every other instrument uses (standard IFCB optics). */
  defaultPxPerUm: z.number(),
  /** True when stored in the library database (kept across restarts); false: kept until the app quits. */
  persistent: z.boolean(),
});
export type Calibrations = z.infer<typeof calibrationsSchema>;
export const calibrationSetRequestSchema = z.strictObject({
  instrument: instrumentSchema,
  /** null: forget this instrument's calibration (it falls back to the default). */
  pxPerUm: z.number().min(MIN_PX_PER_UM).max(MAX_PX_PER_UM).nullable(),
});

// ---------------------------------------------------------------------------------------------------------
// Classes (derived products and labels)

/** A class name as products and labels spell it (no control characters). */
export const classNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/);

/**
 * `bin:classes`: a bin's classifier results, manual labels and sizes, columnar (entry i of every per-ROI array is
 * `targets[i]`, the bin's images in target order). Class columns are indices into `classes`, -1 = none.
 */
export const binClassesSchema = z.strictObject({
  binId: binIdSchema,
  /** The classifier's classes, then label classes it does not have. */
  classes: z.array(z.string()),
  classifierName: z.string().nullable(),
  /** The product files used (file names only), by kind. */
  sources: z.array(z.strictObject({ kind: z.string(), name: z.string() })),
  /** The classifier gave per-class thresholds (else `above` equals `auto`, or the file's own decision). */
  hasThresholds: z.boolean(),
  targets: z.array(z.int()),
  /** Winning (argmax) class, -1 when the classifier did not score this ROI. */
  auto: z.array(z.int()),
  score: z.array(z.number().nullable()),
  /** Class above threshold (`unclassified` when the score is below it). */
  above: z.array(z.int()),
  /** Manual label (library label over a manual file's), -1 = not reviewed. */
  manual: z.array(z.int()),
  /** Sizes from the features file in µm / µm³ (null per ROI without a features row; null when no file). */
  sizes: z
    .strictObject({
      pxPerUm: z.number(),
      esdUm: z.array(z.number().nullable()),
      majorAxisUm: z.array(z.number().nullable()),
      minorAxisUm: z.array(z.number().nullable()),
      biovolumeUm3: z.array(z.number().nullable()),
    })
    .nullable(),
  /** A blob mask exists for the ROI (null when there is no blob file). */
  blobs: z.array(z.boolean()).nullable(),
  /** Per class: ROIs whose class (above threshold) it is, and per mL; manual: ROIs labelled with it. */
  counts: z.array(z.strictObject({ class: z.string(), count: z.int().min(0), concentration: z.number().nullable(), manual: z.int().min(0) })),
  mlAnalyzed: z.number().nullable(),
  /** Product rows naming ROIs this bin does not have (reported, not dropped silently). */
  unmatched: z.array(z.strictObject({ source: z.string(), rois: z.array(z.int()) })),
  /** Product files that could not be read (the rest is still shown). */
  problems: z.array(z.strictObject({ source: z.string(), code: z.string(), message: z.string() })),
});
export type BinClasses = z.infer<typeof binClassesSchema>;

export const roiScoresRequestSchema = z.strictObject({ binId: binIdSchema, target: targetSchema, limit: z.int().min(1).max(1000).default(5) });
/**
 * `bin:roi-scores`: the top classes of one ROI, best first (empty when the classifier did not score it), and the
 * library's label of it with who gave it and when (null when the library holds none for it, or there is no library).
 */
export const roiScoresResponseSchema = z.strictObject({
  scores: z.array(z.strictObject({ class: z.string(), score: z.number() })),
  /** `label` null: explicitly cleared ("not reviewed"). */
  labelled: z.strictObject({ label: z.string().nullable(), annotator: z.string(), atMs: z.number() }).nullable(),
});

export const blobMaskRequestSchema = z.strictObject({ binId: binIdSchema, target: targetSchema });
/** `bin:blob-mask`: the ROI's blob mask as stored (an 8-bit gray 0/255 PNG, the ROI image's size); empty when it has none. */
export const blobMaskResponseSchema = z.instanceof(Uint8Array);

/** ROIs of one bin (a `labels:set` may name several bins: one key press over a range is one undo step). */
const binTargetsSchema = z.strictObject({ binId: binIdSchema, targets: z.array(targetSchema).min(1).max(MAX_TARGETS_PER_REQUEST) });
export const labelsSetRequestSchema = z.strictObject({
  rois: z
    .array(binTargetsSchema)
    .min(1)
    .max(MAX_TARGETS_PER_REQUEST)
    .refine((rois) => rois.reduce((n, r) => n + r.targets.length, 0) <= MAX_TARGETS_PER_REQUEST, `At most ${MAX_TARGETS_PER_REQUEST} ROIs in one request.`),
  /** null clears the label (back to "not reviewed"). */
  label: classNameSchema.nullable(),
});
/** `labels:confirm`: these ROIs take the classifier's class above threshold as their label (one undo step). */
export const labelsConfirmRequestSchema = z.strictObject({ rois: labelsSetRequestSchema.shape.rois });
/** One undo step = one `labels:set` or `labels:confirm` (however many ROIs and bins it touched). */
export const labelsChangeResponseSchema = z.strictObject({
  /**
   * The change applied (or undone/redone), null when there was nothing to undo/redo. Targets ascending per bin;
   * `label` is what a `set` gave them all (null: cleared), null for an `import` or a `confirm` (each ROI had its own).
   */
  change: z
    .strictObject({ id: z.int(), kind: z.enum(['set', 'import', 'confirm']), rois: z.array(z.strictObject({ binId: binIdSchema, targets: z.array(z.int()) })), label: z.string().nullable() })
    .nullable(),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
});
export const resultsFolderRequestSchema = z.strictObject({
  rootId: rootIdSchema,
  /** Bridge in dev/test mode only (`features.pathInput`); Electron shows its native folder dialog. */
  path: pathSchema.optional(),
});
export const resultsFolderResponseSchema = z.strictObject({
  /** The folder added (for display), null when the user cancelled. */
  folder: z.string().nullable(),
  /** Product files the library now records for the root's bins. */
  products: z.int().min(0),
});
export const classesListResponseSchema = z.strictObject({
  /** Every class the library knows (its labels and the imported class2use lists), with how many ROIs carry it. */
  classes: z.array(z.strictObject({ name: z.string(), labelled: z.int().min(0) })),
});

export const resultsListRequestSchema = z.strictObject({ rootId: rootIdSchema });
export const resultsListResponseSchema = z.strictObject({
  /** The results folders added for the root, each with the product files the library records in it. */
  folders: z.array(z.strictObject({ path: z.string(), products: z.int().min(0) })),
  /** Every product file recorded for the root's bins (beside them and in its results folders). */
  products: z.int().min(0),
});

/** Most files in one label import. */
export const MAX_LABEL_IMPORT_FILES = 1000;
export const labelsImportRequestSchema = z.strictObject({
  /** Bridge in dev/test mode only (`features.pathInput`); Electron shows its native multi-file dialog. */
  paths: z.array(pathSchema).min(1).max(MAX_LABEL_IMPORT_FILES).optional(),
});
export const labelsImportResponseSchema = z.strictObject({
  /** The import job (progress and summary arrive as job events), null when the user cancelled. */
  jobId: jobIdSchema.nullable(),
});
export const labelsExportRequestSchema = z
  .strictObject({
    /** A folder from `dialog:export-destination`. */
    destinationId: destinationIdSchema,
    /** manual_classify `<bin>.mat` files, or one `labels.csv`. */
    format: z.enum(['mat', 'csv']),
    /** These bins only (the open bin, the range in view). */
    binIds: z.array(binIdSchema).min(1).max(MAX_EXPORT_ITEMS).optional(),
    /** Bins whose time lies in [from, to). Neither bins nor a span: every label of the library. */
    from: epochMsSchema.optional(),
    to: epochMsSchema.optional(),
  })
  .refine((r) => r.from === undefined || r.to === undefined || r.from < r.to, 'from must be before to');

export const classesCountedResponseSchema = z.strictObject({
  /** Every class some bin of the library has ROIs of (manual label, else the classifier's class above threshold), with how many ROIs and bins. */
  classes: z.array(z.strictObject({ name: z.string(), count: z.int().min(0), bins: z.int().min(0) })),
});

const okResponse = z.strictObject({ ok: z.literal(true) });

// ---------------------------------------------------------------------------------------------------------
// The channel table

/**
 * Every request/response channel: the `IfcbApi` method that calls it and its schemas. Nothing else spells a
 * channel name or a method name; the API type, the method list and the router's handler table follow from here.
 */
export const CONTRACT = {
  'app:get-info': { method: 'getAppInfo', request: emptyRequest, response: appInfoSchema },
  /** The page is ready for events; answers the bins the OS asked to open before it was. */
  'app:ready': { method: 'ready', request: emptyRequest, response: appReadyResponseSchema },
  'bin:open-path': { method: 'openPath', request: binOpenPathRequestSchema, response: openedBinSchema },
  'bin:open-dropped': { method: 'openDropped', request: dropOpenRequestSchema, response: dropOpenResponseSchema },
  'bin:metadata': { method: 'getBinMetadata', request: binRefRequestSchema, response: binMetadataSchema },
  /** Raw 8-bit pixels of the targets in one payload; `decodeRoiImages()` gives views per target. */
  'bin:roi-images': { method: 'getRoiImages', request: roiImagesRequestSchema, response: roiImagesPayloadSchema },
  'bins:list': { method: 'listBins', request: binsListRequestSchema, response: binsListResponseSchema },
  'bins:time-series': { method: 'getTimeSeries', request: timeSeriesRequestSchema, response: timeSeriesResponseSchema },
  'bins:neighbours': { method: 'getNeighbours', request: binRefRequestSchema, response: neighboursResponseSchema },
  'bins:get': { method: 'getCatalogueBin', request: binRefRequestSchema, response: catalogueBinSchema },
  /** What the layout of these bins needs, binary (`decodeBinGeometry()`); much smaller than `bin:metadata`. */
  'bins:geometry': { method: 'getBinGeometry', request: binsGeometryRequestSchema, response: binGeometryPayloadSchema },
  'roots:list': { method: 'listRoots', request: emptyRequest, response: rootsListResponseSchema },
  'roots:add': { method: 'addRoot', request: rootAddRequestSchema, response: rootSchema },
  'roots:remove': { method: 'removeRoot', request: rootRefRequestSchema, response: okResponse },
  'roots:reindex': { method: 'reindex', request: reindexRequestSchema, response: jobStartedSchema },
  /** What the library does not show as usable bins under a root (or every root), with the reason. */
  'roots:problems': { method: 'listProblems', request: rootsProblemsRequestSchema, response: rootsProblemsResponseSchema },
  'dialog:open-bin': { method: 'showOpenBinDialog', request: dialogOpenBinRequestSchema, response: dialogOpenBinResponseSchema },
  'dialog:add-folder': { method: 'showAddFolderDialog', request: dialogAddFolderRequestSchema, response: dialogAddFolderResponseSchema },
  'dialog:export-destination': { method: 'chooseExportDestination', request: exportDestinationRequestSchema, response: exportDestinationResponseSchema },
  'export:start': { method: 'startExport', request: exportStartRequestSchema, response: jobStartedSchema },
  'export:cancel': { method: 'cancelExport', request: jobRefRequestSchema, response: okResponse },
  /** Show a finished export in the OS file manager (desktop app); always answers its path. */
  'export:reveal': { method: 'revealExport', request: jobRefRequestSchema, response: exportRevealResponseSchema },
  'calibration:get': { method: 'getCalibrations', request: emptyRequest, response: calibrationsSchema },
  'calibration:set': { method: 'setCalibration', request: calibrationSetRequestSchema, response: calibrationsSchema },
  'bin:classes': { method: 'getBinClasses', request: binRefRequestSchema, response: binClassesSchema },
  'bin:roi-scores': { method: 'getRoiScores', request: roiScoresRequestSchema, response: roiScoresResponseSchema },
  /** PNG bytes of one ROI's blob mask (empty when the bin has no blob file or no mask for it). */
  'bin:blob-mask': { method: 'getBlobMask', request: blobMaskRequestSchema, response: blobMaskResponseSchema },
  'labels:set': { method: 'setLabels', request: labelsSetRequestSchema, response: labelsChangeResponseSchema },
  /** The classifier's class above threshold becomes the label of each ROI it scored (the others are left alone). */
  'labels:confirm': { method: 'confirmLabels', request: labelsConfirmRequestSchema, response: labelsChangeResponseSchema },
  'labels:undo': { method: 'undoLabels', request: emptyRequest, response: labelsChangeResponseSchema },
  'labels:redo': { method: 'redoLabels', request: emptyRequest, response: labelsChangeResponseSchema },
  'classes:list': { method: 'listClasses', request: emptyRequest, response: classesListResponseSchema },
  /** Add a folder of derived products (class scores, features…) to a library root, chosen in a dialog. */
  'dialog:add-results-folder': { method: 'showAddResultsFolderDialog', request: resultsFolderRequestSchema, response: resultsFolderResponseSchema },
  /** The classes `bins:time-series` can plot (counted in some bin). */
  'classes:counted': { method: 'listCountedClasses', request: emptyRequest, response: classesCountedResponseSchema },
  /** A library folder's results folders and the product files found. */
  'results:list': { method: 'listResultsFolders', request: resultsListRequestSchema, response: resultsListResponseSchema },
  /** Import label files (manual .mat, ClassiPyR .sqlite/.csv) and class lists (.mat, .txt) chosen in a dialog, as a job: one undo step. */
  'dialog:import-labels': { method: 'showImportLabelsDialog', request: labelsImportRequestSchema, response: labelsImportResponseSchema },
  /** Export labels (manual_classify .mat or CSV) to a folder from `dialog:export-destination`, as a job. */
  'labels:export': { method: 'exportLabels', request: labelsExportRequestSchema, response: jobStartedSchema },
} as const satisfies Record<string, { method: string; request: z.ZodType; response: z.ZodType }>;

export type Channel = keyof typeof CONTRACT;
export const CHANNELS = Object.keys(CONTRACT) as Channel[];

/** What the caller sends (defaults may be omitted). */
export type RequestOf<C extends Channel> = z.input<(typeof CONTRACT)[C]['request']>;
/** What a handler receives after parsing (defaults filled in). */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof CONTRACT)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof CONTRACT)[C]['response']>;

/** Narrow an unknown string to a channel name. */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CONTRACT, name);
}

// ---------------------------------------------------------------------------------------------------------
// Events (main → renderer): one stream; Electron `webContents.send(EVENT_CHANNEL)`, the bridge uses SSE.

// The push channel name lives in api.ts (zod-free, for the preload); re-exported so main can import it from here.
export { EVENT_CHANNEL } from './api.ts';

export const jobKindSchema = z.enum(['reindex', 'export', 'labels-import', 'labels-export']);
export type JobKind = z.infer<typeof jobKindSchema>;
export const ifcbEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('job-progress'),
    jobId: jobIdSchema,
    kind: jobKindSchema,
    done: z.int().min(0),
    total: z.int().min(0),
    message: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('job-finished'),
    jobId: jobIdSchema,
    kind: jobKindSchema,
    /** 'ok' | 'failed' | 'cancelled' */
    outcome: z.enum(['ok', 'failed', 'cancelled']),
    error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
    /** A short human summary ("12 bins indexed", "200 images written to …"). */
    summary: z.string().optional(),
  }),
  /** The OS asked us to open a bin (double-click, second instance, macOS open-file) or the File menu did. */
  z.strictObject({ type: z.literal('bin-opened'), bin: binSummarySchema }),
  /** A path the OS asked us to open after the page was ready could not be opened (before, it is in `app:ready`'s `rejected`). */
  z.strictObject({ type: z.literal('bin-rejected'), rejected: rejectedPathSchema }),
  z.strictObject({ type: z.literal('catalogue-changed'), rootId: rootIdSchema.optional() }),
  /** The File menu asked the page to do something it owns (e.g. show the library). */
  z.strictObject({ type: z.literal('menu-command'), command: z.enum(['show-library', 'export-selection', 'import-labels', 'export-labels']) }),
]);
export type IfcbEvent = z.infer<typeof ifcbEventSchema>;
export type IfcbEventListener = (event: IfcbEvent) => void;

// ---------------------------------------------------------------------------------------------------------
// The API the renderer programs against: `window.ifcb` (preload) or the fetch client (bridge), derived from CONTRACT.

type Call<C extends Channel> = Promise<Result<ResponseOf<C>>>;
type MethodOf<C extends Channel> = (typeof CONTRACT)[C]['method'];
/** A request with nothing required may be left out (`api.getAppInfo()`). */
type MethodFor<C extends Channel> = Record<never, never> extends RequestOf<C> ? (request?: RequestOf<C>) => Call<C> : (request: RequestOf<C>) => Call<C>;

/** Every method resolves to a `Result` (it never rejects for an application error); use `unwrap()` from result.ts for exceptions. */
export type IfcbApi = { readonly [C in Channel as MethodOf<C>]: MethodFor<C> } & {
  /** Subscribe to main's events; returns the unsubscribe function. */
  onEvent(listener: IfcbEventListener): () => void;
  /** Electron only: the local path of a dropped `File` (for `openDropped`); absent in the browser. */
  pathForFile?(file: Blob): string;
};

/** Which channel each method calls. */
export const API_METHODS = Object.fromEntries(CHANNELS.map((channel) => [CONTRACT[channel].method, channel])) as { readonly [C in Channel as MethodOf<C>]: C };

// Compile-time: method names are unique (two channels sharing one would collapse into a single method).
type MethodCollision = { [C in Channel]: { [D in Exclude<Channel, C>]: MethodOf<D> extends MethodOf<C> ? [C, D] : never }[Exclude<Channel, C>] }[Channel];
const methodsUnique: [MethodCollision] extends [never] ? true : MethodCollision = true;
void methodsUnique;
// Compile-time: the channel the preload vouches paths for is a contract channel.
const droppedPathsChannel: Channel = DROPPED_PATHS_CHANNEL;
void droppedPathsChannel;

/** Build the typed API over a transport (the renderer over the preload's IPC, and the bridge's fetch client). */
export function createIfcbApi(transport: IfcbTransport<IfcbEvent>, pathForFile?: (file: Blob) => string): IfcbApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    api[CONTRACT[channel].method] = (request?: unknown) => transport.invoke(channel, request ?? {});
  }
  api['onEvent'] = (listener: IfcbEventListener) => transport.onEvent(listener);
  if (pathForFile) api['pathForFile'] = pathForFile;
  return Object.freeze(api) as unknown as IfcbApi;
}
