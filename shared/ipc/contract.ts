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

export const appReadyResponseSchema = z.strictObject({
  /** Bins the OS asked us to open before the page was ready (double-click, argv). */
  opened: z.array(openedBinSchema),
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
  targets: z.array(targetSchema).min(1).max(MAX_TARGETS_PER_REQUEST),
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
});
export type ExportStartRequest = z.input<typeof exportStartRequestSchema>;

export const dropOpenRequestSchema = z.strictObject({
  /** Paths of files/folders the user dropped (Electron: from `webUtils.getPathForFile` in the preload). */
  paths: z.array(pathSchema).min(1).max(MAX_DROPPED_PATHS),
});
export const dropOpenResponseSchema = z.strictObject({
  opened: z.array(openedBinSchema),
  roots: z.array(rootSchema),
  /** Dropped paths that are neither bin files nor folders, with the reason. */
  rejected: z.array(z.strictObject({ name: z.string(), code: z.string(), message: z.string() })),
});

const okResponse = z.strictObject({ ok: z.literal(true) });

// ---------------------------------------------------------------------------------------------------------
// The channel table

/** Every request/response channel, with its schemas. Nothing else spells a channel name. */
export const CONTRACT = {
  'app:get-info': { request: emptyRequest, response: appInfoSchema },
  'app:ready': { request: emptyRequest, response: appReadyResponseSchema },
  'bin:open-path': { request: binOpenPathRequestSchema, response: openedBinSchema },
  'bin:open-dropped': { request: dropOpenRequestSchema, response: dropOpenResponseSchema },
  'bin:metadata': { request: binRefRequestSchema, response: binMetadataSchema },
  'bin:roi-images': { request: roiImagesRequestSchema, response: roiImagesPayloadSchema },
  'bins:list': { request: binsListRequestSchema, response: binsListResponseSchema },
  'bins:time-series': { request: timeSeriesRequestSchema, response: timeSeriesResponseSchema },
  'bins:neighbours': { request: binRefRequestSchema, response: neighboursResponseSchema },
  'bins:get': { request: binRefRequestSchema, response: catalogueBinSchema },
  'roots:list': { request: emptyRequest, response: rootsListResponseSchema },
  'roots:add': { request: rootAddRequestSchema, response: rootSchema },
  'roots:remove': { request: rootRefRequestSchema, response: okResponse },
  'roots:reindex': { request: reindexRequestSchema, response: jobStartedSchema },
  'roots:problems': { request: rootsProblemsRequestSchema, response: rootsProblemsResponseSchema },
  'dialog:open-bin': { request: dialogOpenBinRequestSchema, response: dialogOpenBinResponseSchema },
  'dialog:add-folder': { request: dialogAddFolderRequestSchema, response: dialogAddFolderResponseSchema },
  'dialog:export-destination': { request: exportDestinationRequestSchema, response: exportDestinationResponseSchema },
  'export:start': { request: exportStartRequestSchema, response: jobStartedSchema },
  'export:cancel': { request: jobRefRequestSchema, response: okResponse },
  'export:reveal': { request: jobRefRequestSchema, response: exportRevealResponseSchema },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

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

// The push channel name, the method → channel table and the client factory live in api.ts (no zod there, so the
// sandboxed preload bundle stays small); re-exported here so everything can be imported from the contract.
export { API_METHODS, EVENT_CHANNEL, createIfcbApi, isApiChannel } from './api.ts';
export type { IfcbTransport } from './api.ts';

export const jobKindSchema = z.enum(['reindex', 'export']);
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
  z.strictObject({ type: z.literal('catalogue-changed'), rootId: rootIdSchema.optional() }),
  /** The File menu asked the page to do something it owns (e.g. show the library). */
  z.strictObject({ type: z.literal('menu-command'), command: z.enum(['show-library', 'export-selection']) }),
]);
export type IfcbEvent = z.infer<typeof ifcbEventSchema>;
export type IfcbEventListener = (event: IfcbEvent) => void;

// ---------------------------------------------------------------------------------------------------------
// The API the renderer programs against: `window.ifcb` (preload) or the fetch client (bridge).

type Call<C extends Channel> = Promise<Result<ResponseOf<C>>>;

/** Every method resolves to a `Result`; use `unwrap()` from result.ts for exceptions. */
export interface IfcbApi {
  getAppInfo(): Call<'app:get-info'>;
  /** The page is ready for events; returns bins opened by the OS before it was. */
  ready(): Call<'app:ready'>;
  openPath(request: RequestOf<'bin:open-path'>): Call<'bin:open-path'>;
  openDropped(request: RequestOf<'bin:open-dropped'>): Call<'bin:open-dropped'>;
  getBinMetadata(request: RequestOf<'bin:metadata'>): Call<'bin:metadata'>;
  /** Raw 8-bit pixels of the targets in one payload; `decodeRoiImages()` gives views per target. */
  getRoiImages(request: RequestOf<'bin:roi-images'>): Call<'bin:roi-images'>;
  listBins(request: RequestOf<'bins:list'>): Call<'bins:list'>;
  getTimeSeries(request: RequestOf<'bins:time-series'>): Call<'bins:time-series'>;
  getNeighbours(request: RequestOf<'bins:neighbours'>): Call<'bins:neighbours'>;
  getCatalogueBin(request: RequestOf<'bins:get'>): Call<'bins:get'>;
  listRoots(): Call<'roots:list'>;
  addRoot(request: RequestOf<'roots:add'>): Call<'roots:add'>;
  removeRoot(request: RequestOf<'roots:remove'>): Call<'roots:remove'>;
  reindex(request: RequestOf<'roots:reindex'>): Call<'roots:reindex'>;
  listProblems(request: RequestOf<'roots:problems'>): Call<'roots:problems'>;
  showOpenBinDialog(request: RequestOf<'dialog:open-bin'>): Call<'dialog:open-bin'>;
  showAddFolderDialog(request: RequestOf<'dialog:add-folder'>): Call<'dialog:add-folder'>;
  chooseExportDestination(request: RequestOf<'dialog:export-destination'>): Call<'dialog:export-destination'>;
  startExport(request: RequestOf<'export:start'>): Call<'export:start'>;
  cancelExport(request: RequestOf<'export:cancel'>): Call<'export:cancel'>;
  /** Show a finished export in the OS file manager (desktop app); always returns its path. */
  revealExport(request: RequestOf<'export:reveal'>): Call<'export:reveal'>;
  /** Subscribe to main's events; returns the unsubscribe function. */
  onEvent(listener: IfcbEventListener): () => void;
  /** Electron only: the local path of a dropped `File` (for `openDropped`); absent in the browser. */
  pathForFile?(file: Blob): string;
}
