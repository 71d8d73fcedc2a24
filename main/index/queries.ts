/**
 * Read queries of the catalogue: plain functions taking a read-only handle first (Signal-Desktop's
 * style), so they are trivial to test and to call from IPC handlers, and cannot write. Every hot
 * query is served by an index (asserted with EXPLAIN QUERY PLAN in test/node/index/queries.test.ts).
 * The library shows one row per bin id: rows shadowed by a better copy of the same id (store.ts's
 * electCopies) are left out of lists, neighbours and the time series.
 */
import path from 'node:path';
import type { ReadonlyDatabase } from './database.ts';
import { IfcbError, isErrorCode } from '../../shared/errors.ts';
import type { Schema } from '../../shared/ifcb/bin-id.ts';
import { QC_FLAGS, QC_FLAG_NAMES, type BinRecord, type CatalogueHeaderValue, type QcFlag, type LibraryProblem, type RootRecord, type WalkProblem } from './types.ts';

/** Which bins: every field narrows the set. `from` inclusive, `to` exclusive (ISO string or ms). */
export interface BinFilter {
  from?: string | number;
  to?: string | number;
  instrument?: number;
  rootId?: number;
  /** Bins having ANY of these flags; `'ok'` = bins with no flag at all. */
  qc?: QcFlag | QcFlag[] | 'ok';
  /** Bins whose id starts with this text. */
  idPrefix?: string;
  /** Bins whose id or instrument name (`IFCB13`) contains this text, in any case ("t12", "901", "20240501"). */
  search?: string;
}

export interface PageRequest {
  /** Opaque cursor from a previous page's `next`. */
  after?: string;
  /** 1…1000; default 100. */
  limit?: number;
  order?: 'asc' | 'desc';
}

export interface BinPage {
  bins: BinRecord[];
  /** Present when more bins follow; pass as `after`. */
  next?: string;
}

export type Bucket = 'bin' | 'hour' | 'day' | 'week';

export interface TimeSeriesRequest {
  /** Range (ISO or ms); default: the catalogue's first and last bin. */
  from?: string | number;
  to?: string | number;
  /** Default: chosen from the span (< 7 d → bin, < 60 d → hour, < 3 y → day, else week). */
  bucket?: Bucket;
  instrument?: number;
  rootId?: number;
}

export interface TimeSeriesPoint {
  /** Start of the bucket (the bin's timestamp for bucket 'bin'), ISO UTC. */
  start: string;
  epochMs: number;
  /** Bucket 'bin' only: the bin's id. */
  id?: string;
  bins: number;
  images: number;
  /** Summed ml_analyzed of the bins that have one (null when none has). */
  mlAnalyzed: number | null;
  /** images / mL over the bins with a volume (null when the volume is 0 or unknown). */
  concentration: number | null;
}

export interface TimeSeries {
  bucket: Bucket;
  from: string | null;
  to: string | null;
  points: TimeSeriesPoint[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Weeks start on Monday: 1970-01-05T00:00Z. */
const MONDAY_ORIGIN = 4 * DAY;
const MAX_LIMIT = 1000;

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

/** ISO string or ms → ms; INVALID_ARGUMENT for anything else. */
export function toEpochMs(value: string | number, field: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new IfcbError('INVALID_ARGUMENT', `${field}: "${String(value)}" is not a date (use ISO 8601, e.g. 2013-05-26T09:52:07Z)`, { field });
  return ms;
}

/** The automatic bucket for a span, like the IFCB Dashboard's timeline. */
export function bucketForSpan(spanMs: number): Bucket {
  if (spanMs < 7 * DAY) return 'bin';
  if (spanMs < 60 * DAY) return 'hour';
  if (spanMs < 3 * 365 * DAY) return 'day';
  return 'week';
}

/** QC flag names ↔ the bitmask stored in `bins.qc`. */
export function qcMask(flags: readonly QcFlag[]): number {
  let mask = 0;
  for (const f of flags) {
    const bit = QC_FLAGS[f];
    if (bit === undefined) throw new IfcbError('INVALID_ARGUMENT', `unknown QC flag "${String(f)}" (known: ${QC_FLAG_NAMES.join(', ')})`);
    mask |= bit;
  }
  return mask;
}

/** The flag names set in a `bins.qc` bitmask. */
export function qcFlags(mask: number): QcFlag[] {
  return QC_FLAG_NAMES.filter((f) => (mask & QC_FLAGS[f]) !== 0);
}

/** The raw row of `bins` (snake_case, as stored). */
export interface BinRow {
  key: number;
  root_id: number;
  folder: string;
  id: string;
  schema: number;
  instrument: number;
  epoch_ms: number;
  adc_rows: number | null;
  triggers: number | null;
  images: number | null;
  run_time: number | null;
  inhibit_time: number | null;
  look_time: number | null;
  ml_analyzed: number | null;
  header_run_time: number | null;
  header_inhibit_time: number | null;
  temperature: number | null;
  humidity: number | null;
  header_keys: number | null;
  header_values: string;
  roi_expected_bytes: number | null;
  adc_size: number;
  adc_mtime_ms: number;
  hdr_size: number;
  hdr_mtime_ms: number;
  roi_size: number | null;
  roi_mtime_ms: number | null;
  qc: number;
  error_code: string | null;
  error_message: string | null;
  indexed_at: number;
}

function rootPaths(db: ReadonlyDatabase): Map<number, string> {
  const rows = db.prepare('SELECT root_id, path FROM roots').all() as { root_id: number; path: string }[];
  return new Map(rows.map((r) => [r.root_id, r.path]));
}

/** Absolute base path (folder + id, no extension) of a bin row. */
export function basePathOf(rootPath: string, folder: string, id: string): string {
  return folder === '' ? path.join(rootPath, id) : path.join(rootPath, ...folder.split('/'), id);
}

/** Convert a stored row into the public record. */
export function toBinRecord(row: BinRow, rootPath: string): BinRecord {
  const code = row.error_code;
  return {
    key: row.key,
    id: row.id,
    schema: row.schema as Schema,
    instrument: row.instrument,
    timestamp: iso(row.epoch_ms),
    epochMs: row.epoch_ms,
    rootId: row.root_id,
    path: basePathOf(rootPath, row.folder, row.id),
    folder: row.folder,
    adcRows: row.adc_rows,
    triggers: row.triggers,
    images: row.images,
    hasRoiFile: row.roi_size !== null,
    roiBytes: row.roi_size,
    roiExpectedBytes: row.roi_expected_bytes,
    runTime: row.run_time,
    inhibitTime: row.inhibit_time,
    lookTime: row.look_time,
    mlAnalyzed: row.ml_analyzed,
    headerRunTime: row.header_run_time,
    headerInhibitTime: row.header_inhibit_time,
    temperature: row.temperature,
    humidity: row.humidity,
    headerKeys: row.header_keys,
    headerValues: JSON.parse(row.header_values) as Record<string, CatalogueHeaderValue>,
    qc: qcFlags(row.qc),
    errorCode: code !== null && isErrorCode(code) ? code : code === null ? null : 'INTERNAL',
    errorMessage: row.error_message,
    indexedAt: row.indexed_at,
  };
}

function encodeCursor(epochMs: number, key: number): string {
  return `${epochMs.toString(36)}.${key.toString(36)}`;
}

function decodeCursor(cursor: string): [number, number] {
  const m = /^(-?[0-9a-z]+)\.([0-9a-z]+)$/.exec(cursor);
  const epoch = m ? parseInt(m[1]!, 36) : NaN;
  const key = m ? parseInt(m[2]!, 36) : NaN;
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(key)) {
    throw new IfcbError('INVALID_ARGUMENT', `"${cursor}" is not a page cursor from this catalogue`, { cursor });
  }
  return [epoch, key];
}

/**
 * Bins whose id or instrument name contains the text. The time-ordered indexes carry id and
 * instrument (migration 003): a page walks one of them in order, testing each entry without reading
 * its row, and stops when the page is full.
 */
const SEARCH_CLAUSE = "instr(id || ' IFCB' || instrument, ?) > 0";

/** WHERE clauses + parameters for a filter (without the keyset condition). */
function whereOf(filter: BinFilter): { clauses: string[]; params: unknown[] } {
  // a literal, so that the partial indexes (WHERE shadowed = 0) serve every list
  const clauses: string[] = ['shadowed = 0'];
  const params: unknown[] = [];
  if (filter.from !== undefined) {
    clauses.push('epoch_ms >= ?');
    params.push(toEpochMs(filter.from, 'from'));
  }
  if (filter.to !== undefined) {
    clauses.push('epoch_ms < ?');
    params.push(toEpochMs(filter.to, 'to'));
  }
  if (filter.instrument !== undefined) {
    if (!Number.isInteger(filter.instrument)) throw new IfcbError('INVALID_ARGUMENT', `instrument must be an integer, not ${filter.instrument}`);
    clauses.push('instrument = ?');
    params.push(filter.instrument);
  }
  if (filter.rootId !== undefined) {
    clauses.push('root_id = ?');
    params.push(filter.rootId);
  }
  if (filter.qc !== undefined) {
    if (filter.qc === 'ok') clauses.push('qc = 0');
    else {
      clauses.push('(qc & ?) != 0');
      params.push(qcMask(Array.isArray(filter.qc) ? filter.qc : [filter.qc]));
    }
  }
  if (filter.idPrefix !== undefined && filter.idPrefix !== '') {
    // A range on the id index instead of LIKE (which would be case-insensitive and unindexed).
    clauses.push('id >= ? AND id < ?');
    params.push(filter.idPrefix, filter.idPrefix + '\uffff');
  }
  if (filter.search !== undefined && filter.search !== '') {
    clauses.push(SEARCH_CLAUSE);
    // upper case, as ids and 'IFCB' are
    params.push(filter.search.toUpperCase());
  }
  return { clauses, params };
}

/** SQL and parameters of a listBins page (exported for EXPLAIN QUERY PLAN tests). */
export function listBinsSql(filter: BinFilter, page: PageRequest = {}): { sql: string; params: unknown[]; limit: number } {
  const limit = page.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new IfcbError('INVALID_ARGUMENT', `limit must be an integer from 1 to ${MAX_LIMIT}, not ${limit}`);
  }
  const desc = page.order === 'desc';
  const { clauses, params } = whereOf(filter);
  if (page.after !== undefined) {
    const [epoch, key] = decodeCursor(page.after);
    clauses.push(desc ? '(epoch_ms, key) < (?, ?)' : '(epoch_ms, key) > (?, ?)');
    params.push(epoch, key);
  }
  const where = `WHERE ${clauses.join(' AND ')}`;
  const dir = desc ? 'DESC' : 'ASC';
  // One more row than asked tells whether a next page exists.
  const sql = `SELECT * FROM bins ${where} ORDER BY epoch_ms ${dir}, key ${dir} LIMIT ?`;
  return { sql, params: [...params, limit + 1], limit };
}

/** Bins matching `filter`, in time order, one keyset page at a time (deep pages cost the same as the first). */
export function listBins(db: ReadonlyDatabase, filter: BinFilter = {}, page: PageRequest = {}): BinPage {
  const { sql, params, limit } = listBinsSql(filter, page);
  const rows = db.prepare(sql).all(...params) as BinRow[];
  const roots = rootPaths(db);
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const bins = rows.map((r) => toBinRecord(r, roots.get(r.root_id) ?? ''));
  const last = rows[rows.length - 1];
  return more && last ? { bins, next: encodeCursor(last.epoch_ms, last.key) } : { bins };
}

/** How many bins match `filter`. */
export function countBins(db: ReadonlyDatabase, filter: BinFilter = {}): number {
  const { clauses, params } = whereOf(filter);
  const where = `WHERE ${clauses.join(' AND ')}`;
  return (db.prepare(`SELECT count(*) AS n FROM bins ${where}`).get(...params) as { n: number }).n;
}

/**
 * Several folders may hold a bin with the same id (e.g. a complete copy and a partial one): the best
 * copy is a usable one (no noRoi, partial or unreadable flag), then the oldest row. ORDER BY terms.
 */
export const BEST_COPY_ORDER = `(qc & ${QC_FLAGS.unreadable | QC_FLAGS.partial | QC_FLAGS.noRoi}) != 0, key`;
/** Lookup by id: the copy shown (exported for EXPLAIN QUERY PLAN tests). */
export const GET_BIN_SQL = 'SELECT * FROM bins WHERE id = ? AND shadowed = 0';

/** One bin by id (the best copy when several folders hold it), or undefined. */
export function getBin(db: ReadonlyDatabase, id: string): BinRecord | undefined {
  const row = db.prepare(GET_BIN_SQL).get(id) as BinRow | undefined;
  if (!row) return undefined;
  return toBinRecord(row, rootPaths(db).get(row.root_id) ?? '');
}

/** Every copy of a bin id, best first. */
export function getBinCopies(db: ReadonlyDatabase, id: string): BinRecord[] {
  const rows = db.prepare(`SELECT * FROM bins WHERE id = ? ORDER BY ${BEST_COPY_ORDER}`).all(id) as BinRow[];
  const roots = rootPaths(db);
  return rows.map((r) => toBinRecord(r, roots.get(r.root_id) ?? ''));
}

/** Previous / next bin in time (exported for EXPLAIN QUERY PLAN tests). */
export const NEIGHBOUR_SQL = {
  previous: 'SELECT * FROM bins WHERE shadowed = 0 AND (epoch_ms, key) < (?, ?) ORDER BY epoch_ms DESC, key DESC LIMIT 1',
  next: 'SELECT * FROM bins WHERE shadowed = 0 AND (epoch_ms, key) > (?, ?) ORDER BY epoch_ms ASC, key ASC LIMIT 1',
} as const;

/** The bins just before and after `id` in time (other copies of the same id are shadowed, hence skipped). */
export function neighbours(db: ReadonlyDatabase, id: string): { previous?: BinRecord; next?: BinRecord } {
  const self = db.prepare(GET_BIN_SQL).get(id) as BinRow | undefined;
  if (!self) throw new IfcbError('BIN_NOT_FOUND', `No bin ${id} in the catalogue`, { id });
  const roots = rootPaths(db);
  const prev = db.prepare(NEIGHBOUR_SQL.previous).get(self.epoch_ms, self.key) as BinRow | undefined;
  const next = db.prepare(NEIGHBOUR_SQL.next).get(self.epoch_ms, self.key) as BinRow | undefined;
  const out: { previous?: BinRecord; next?: BinRecord } = {};
  if (prev) out.previous = toBinRecord(prev, roots.get(prev.root_id) ?? '');
  if (next) out.next = toBinRecord(next, roots.get(next.root_id) ?? '');
  return out;
}

/** SQL expression for the start (epoch ms) of the bucket a bin's `column` time falls in (also used by the class series). */
export function bucketStartSql(bucket: Exclude<Bucket, 'bin'>, column: string): string {
  const size = bucket === 'hour' ? HOUR : bucket === 'day' ? DAY : WEEK;
  const origin = bucket === 'week' ? MONDAY_ORIGIN : 0;
  return `((${column} - ${origin}) / ${size}) * ${size} + ${origin}`;
}

/** SQL of a time series (exported for EXPLAIN QUERY PLAN tests). */
export function timeSeriesSql(bucket: Bucket, filter: { instrument?: number; rootId?: number }): string {
  const extra = [filter.instrument !== undefined ? 'AND instrument = ?' : '', filter.rootId !== undefined ? 'AND root_id = ?' : ''].join(' ');
  const withMl = 'CASE WHEN ml_analyzed IS NOT NULL THEN images END';
  if (bucket === 'bin') {
    return `SELECT epoch_ms AS start, id, 1 AS bins, coalesce(images, 0) AS images, ml_analyzed AS ml, ${withMl} AS images_ml
            FROM bins WHERE shadowed = 0 AND epoch_ms >= ? AND epoch_ms < ? ${extra} ORDER BY epoch_ms, key`;
  }
  const start = bucketStartSql(bucket, 'epoch_ms');
  return `SELECT ${start} AS start, count(*) AS bins, coalesce(sum(images), 0) AS images, sum(ml_analyzed) AS ml, sum(${withMl}) AS images_ml
          FROM bins WHERE shadowed = 0 AND epoch_ms >= ? AND epoch_ms < ? ${extra} GROUP BY 1 ORDER BY 1`;
}

/** First and last bin time (exported for EXPLAIN QUERY PLAN tests). */
export const RANGE_SQL = { first: 'SELECT min(epoch_ms) FROM bins WHERE shadowed = 0', last: 'SELECT max(epoch_ms) FROM bins WHERE shadowed = 0' } as const;

/** Bins, images, volume and concentration per bucket over a range (automatic bucket from the span). */
export function timeSeries(db: ReadonlyDatabase, request: TimeSeriesRequest = {}): TimeSeries {
  let from = request.from === undefined ? undefined : toEpochMs(request.from, 'from');
  let to = request.to === undefined ? undefined : toEpochMs(request.to, 'to');
  if (from === undefined || to === undefined) {
    // Separate min() and max(): each alone is one index probe; together they scan the index.
    const ends = { lo: db.prepare(RANGE_SQL.first).pluck().get() as number | null, hi: db.prepare(RANGE_SQL.last).pluck().get() as number | null };
    if (ends.lo === null || ends.hi === null) {
      return { bucket: request.bucket ?? 'bin', from: from === undefined ? null : iso(from), to: to === undefined ? null : iso(to), points: [] };
    }
    from ??= ends.lo;
    to ??= ends.hi + 1;
  }
  if (to < from) throw new IfcbError('INVALID_ARGUMENT', `the range ends (${iso(to)}) before it starts (${iso(from)})`);
  const bucket = request.bucket ?? bucketForSpan(to - from);
  const params: unknown[] = [from, to];
  if (request.instrument !== undefined) params.push(request.instrument);
  if (request.rootId !== undefined) params.push(request.rootId);
  const rows = db.prepare(timeSeriesSql(bucket, request)).raw().all(...params) as [number, ...unknown[]][];
  const points = rows.map((r): TimeSeriesPoint => {
    if (bucket === 'bin') {
      const [start, id, bins, images, ml, imagesMl] = r as [number, string, number, number, number | null, number | null];
      return { start: iso(start), epochMs: start, id, bins, images, mlAnalyzed: ml, concentration: ml !== null && ml > 0 && imagesMl !== null ? imagesMl / ml : null };
    }
    const [start, bins, images, ml, imagesMl] = r as [number, number, number, number | null, number | null];
    return { start: iso(start), epochMs: start, bins, images, mlAnalyzed: ml, concentration: ml !== null && ml > 0 && imagesMl !== null ? imagesMl / ml : null };
  });
  return { bucket, from: iso(from), to: iso(to), points };
}

interface RootRow {
  root_id: number;
  path: string;
  blacklist: string;
  added_at: number;
  scan_started_at: number | null;
  scan_completed_at: number | null;
  bin_count: number;
  problem_count: number;
}

function toRootRecord(r: RootRow): RootRecord {
  const state =
    r.scan_started_at === null ? 'never' : r.scan_completed_at !== null && r.scan_completed_at >= r.scan_started_at ? 'complete' : 'interrupted';
  return {
    rootId: r.root_id,
    path: r.path,
    blacklist: JSON.parse(r.blacklist) as string[],
    addedAt: r.added_at,
    scanStartedAt: r.scan_started_at,
    scanCompletedAt: r.scan_completed_at,
    state,
    binCount: r.bin_count,
    problemCount: r.problem_count,
  };
}

const ROOT_SELECT = `SELECT r.*, (SELECT count(*) FROM bins b WHERE b.root_id = r.root_id) AS bin_count,
  (SELECT count(*) FROM walk_problems w WHERE w.root_id = r.root_id)
    + (SELECT count(*) FROM bins b WHERE b.root_id = r.root_id AND (b.qc & ${QC_FLAGS.unreadable}) != 0) AS problem_count
  FROM roots r`;

/** Every root (folder the user added), in the order they were added. */
export function listRoots(db: ReadonlyDatabase): RootRecord[] {
  return (db.prepare(`${ROOT_SELECT} ORDER BY r.root_id`).all() as RootRow[]).map(toRootRecord);
}

/** One root by id. */
export function getRoot(db: ReadonlyDatabase, rootId: number): RootRecord | undefined {
  const row = db.prepare(`${ROOT_SELECT} WHERE r.root_id = ?`).get(rootId) as RootRow | undefined;
  return row ? toRootRecord(row) : undefined;
}

/** Files and folders the last walk of each root could not use. */
export function listWalkProblems(db: ReadonlyDatabase, rootId?: number): WalkProblem[] {
  const rows = (
    rootId === undefined
      ? db.prepare('SELECT * FROM walk_problems ORDER BY root_id, path').all()
      : db.prepare('SELECT * FROM walk_problems WHERE root_id = ? ORDER BY path').all(rootId)
  ) as { root_id: number; path: string; code: string; message: string }[];
  return rows.map((r) => ({ rootId: r.root_id, path: r.path, code: isErrorCode(r.code) ? r.code : 'INTERNAL', message: r.message }));
}

/**
 * Everything under the given roots (default: all) that the library does not show as a usable bin:
 * the walk's skipped files, then the unreadable bins (path of their `.adc`), each with its code.
 */
export function listProblems(db: ReadonlyDatabase, rootIds?: readonly number[]): LibraryProblem[] {
  const wanted = (rootId: number): boolean => rootIds === undefined || rootIds.includes(rootId);
  const skipped = listWalkProblems(db)
    .filter((p) => wanted(p.rootId))
    .map((p): LibraryProblem => ({ ...p, kind: 'skipped' }));
  const rows = db
    .prepare(`SELECT root_id, folder, id, error_code, error_message FROM bins WHERE (qc & ${QC_FLAGS.unreadable}) != 0 ORDER BY root_id, folder, id`)
    .all() as { root_id: number; folder: string; id: string; error_code: string | null; error_message: string | null }[];
  const unreadable = rows
    .filter((r) => wanted(r.root_id))
    .map((r): LibraryProblem => ({
      rootId: r.root_id,
      path: r.folder === '' ? `${r.id}.adc` : `${r.folder}/${r.id}.adc`,
      code: r.error_code !== null && isErrorCode(r.error_code) ? r.error_code : 'INTERNAL',
      message: r.error_message ?? 'the bin could not be read',
      kind: 'unreadable',
    }));
  return [...skipped, ...unreadable];
}
