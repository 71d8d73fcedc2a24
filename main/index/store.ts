/**
 * Write side of the catalogue: plain functions taking the database first. Batches are written in
 * one transaction each, so a kill leaves whole batches or nothing (resumable, always consistent).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ErrorCode } from '../../shared/errors.ts';
import { BEST_COPY_ORDER } from './queries.ts';
import { QC_FLAGS, type CatalogueHeaderValue } from './types.ts';
import type { FileStamp, FoundBin, FoundProblem } from './walk.ts';

/** What the parser learns from a bin's .hdr and .adc (computed in a worker). */
export interface ParsedBin {
  id: string;
  schema: 1 | 2;
  instrument: number;
  epochMs: number;
  adcRows: number | null;
  triggers: number | null;
  images: number | null;
  runTime: number | null;
  inhibitTime: number | null;
  lookTime: number | null;
  mlAnalyzed: number | null;
  headerRunTime: number | null;
  headerInhibitTime: number | null;
  temperature: number | null;
  humidity: number | null;
  headerKeys: number | null;
  headerValues: Record<string, CatalogueHeaderValue>;
  roiExpectedBytes: number | null;
  /** QC bits known from the content (the file-presence bits are added from the stamps). */
  qc: number;
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  /** The stamps of the files as the parser found them (null: could not be stat'ed). */
  files: BinStamps;
}

export interface BinStamps {
  adc: FileStamp | null;
  hdr: FileStamp | null;
  roi: FileStamp | null;
}

/** The walk's stamps, replaced by the parser's (taken when the files were read, so they match the content). */
export function withParsedStamps(found: FoundBin, parsed: ParsedBin): FoundBin {
  return { folder: found.folder, id: found.id, adc: parsed.files.adc ?? found.adc, hdr: parsed.files.hdr ?? found.hdr, roi: parsed.files.roi };
}

/** The stamps stored for one bin, to decide "unchanged" by stat alone. */
export interface StoredStamp {
  key: number;
  qc: number;
  roiExpectedBytes: number | null;
  adc: FileStamp;
  hdr: FileStamp;
  roi: FileStamp | null;
}

/** Map key of a bin inside a root. */
export function binSlot(folder: string, id: string): string {
  return folder === '' ? id : `${folder}/${id}`;
}

/** True when all three files have the same size and mtime as stored (or are absent in both). */
export function sameStamps(a: Pick<FoundBin, 'adc' | 'hdr' | 'roi'>, b: Pick<StoredStamp, 'adc' | 'hdr' | 'roi'>): boolean {
  const eq = (x: FileStamp | null, y: FileStamp | null): boolean =>
    x === null || y === null ? x === y : x.size === y.size && x.mtimeMs === y.mtimeMs;
  return eq(a.adc, b.adc) && eq(a.hdr, b.hdr) && eq(a.roi, b.roi);
}

/** Add a root; returns its id (an existing root with the same path keeps its id and gets the new blacklist). */
export function upsertRoot(db: Database, rootPath: string, blacklist: readonly string[], now = Date.now()): number {
  const row = db
    .prepare(
      `INSERT INTO roots (path, blacklist, added_at) VALUES (?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET blacklist = excluded.blacklist
       RETURNING root_id`,
    )
    .get(rootPath, JSON.stringify(blacklist), now) as { root_id: number };
  return row.root_id;
}

/** Remove a root and (by cascade) its bins and problems; copies of its bins in other roots are shown again. */
export function deleteRoot(db: Database, rootId: number): boolean {
  return db.transaction(() => {
    const ids = db.prepare('SELECT id FROM bins WHERE root_id = ?').pluck().all(rootId) as string[];
    const removed = db.prepare('DELETE FROM roots WHERE root_id = ?').run(rootId).changes > 0;
    electCopies(db, ids);
    return removed;
  })();
}

/**
 * One bin id, one bin shown: of the rows holding each of `ids`, the best copy (BEST_COPY_ORDER: a
 * usable one, then the oldest) is shown and the others are shadowed. Run after every write that adds,
 * removes or re-flags rows, inside the same transaction.
 */
export function electCopies(db: Database, ids: Iterable<string>): void {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  // Unqualified names in the subquery are b's (SQLite resolves the innermost table first).
  db.prepare(
    `UPDATE bins SET shadowed = (key != (SELECT b.key FROM bins b WHERE b.id = bins.id ORDER BY ${BEST_COPY_ORDER} LIMIT 1))
     WHERE id IN (SELECT value FROM json_each(?))`,
  ).run(JSON.stringify(unique));
}

/** Record that a scan of the root began (until it completes, the root reads as 'interrupted'). */
export function markScanStarted(db: Database, rootId: number, at = Date.now()): void {
  db.prepare('UPDATE roots SET scan_started_at = ? WHERE root_id = ?').run(at, rootId);
}

/** Record that a scan of the root ran to the end. */
export function markScanCompleted(db: Database, rootId: number, at = Date.now()): void {
  db.prepare('UPDATE roots SET scan_completed_at = max(?, coalesce(scan_started_at, 0)) WHERE root_id = ?').run(at, rootId);
}

type StampRow = [number, string, string, number, number, number, number, number | null, number | null, number, number | null];

function stampOf([key, , , as, am, hs, hm, rs, rm, qc, expected]: StampRow): StoredStamp {
  return { key, qc, roiExpectedBytes: expected, adc: { size: as, mtimeMs: am }, hdr: { size: hs, mtimeMs: hm }, roi: rs === null ? null : { size: rs, mtimeMs: rm ?? 0 } };
}

/** The stamps of one bin of a root, if catalogued. */
export function loadStamp(db: Database, rootId: number, folder: string, id: string): StoredStamp | undefined {
  const row = db
    .prepare(
      'SELECT key, folder, id, adc_size, adc_mtime_ms, hdr_size, hdr_mtime_ms, roi_size, roi_mtime_ms, qc, roi_expected_bytes FROM bins WHERE root_id = ? AND folder = ? AND id = ?',
    )
    .raw()
    .get(rootId, folder, id) as StampRow | undefined;
  return row ? stampOf(row) : undefined;
}

/** True when only the .roi changed (the .adc and .hdr, hence every parsed value, are the same). */
export function onlyRoiChanged(found: Pick<FoundBin, 'adc' | 'hdr'>, stored: Pick<StoredStamp, 'adc' | 'hdr'>): boolean {
  return found.adc.size === stored.adc.size && found.adc.mtimeMs === stored.adc.mtimeMs && found.hdr.size === stored.hdr.size && found.hdr.mtimeMs === stored.hdr.mtimeMs;
}

/** Record a new .roi stamp and recompute the file-dependent QC bits, without re-reading anything. */
export function updateRoiStamps(db: Database, updates: readonly { stored: StoredStamp; found: FoundBin }[], now = Date.now()): number[] {
  const stmt = db.prepare('UPDATE bins SET roi_size = ?, roi_mtime_ms = ?, qc = ?, indexed_at = ? WHERE key = ?');
  const fileBits = QC_FLAGS.noRoi | QC_FLAGS.partial;
  return db.transaction(() => {
    const flags = updates.map(({ stored, found }) => {
      const qc = qcWithFiles({ qc: stored.qc & ~fileBits, roiExpectedBytes: stored.roiExpectedBytes }, found);
      stmt.run(found.roi?.size ?? null, found.roi?.mtimeMs ?? null, qc, now, stored.key);
      return qc;
    });
    // a copy that became complete may now be the best one
    electCopies(db, updates.map((u) => u.found.id));
    return flags;
  })();
}

/** Stamps of every bin of a root, keyed by binSlot(folder, id). */
export function loadStamps(db: Database, rootId: number): Map<string, StoredStamp> {
  const rows = db
    .prepare(
      'SELECT key, folder, id, adc_size, adc_mtime_ms, hdr_size, hdr_mtime_ms, roi_size, roi_mtime_ms, qc, roi_expected_bytes FROM bins WHERE root_id = ?',
    )
    .raw()
    .all(rootId) as StampRow[];
  const out = new Map<string, StoredStamp>();
  for (const row of rows) out.set(binSlot(row[1], row[2]), stampOf(row));
  return out;
}

export interface BinWrite {
  rootId: number;
  found: FoundBin;
  parsed: ParsedBin;
}

const UPSERT_SQL = `
  INSERT INTO bins (root_id, folder, id, schema, instrument, epoch_ms, adc_rows, triggers, images, run_time, inhibit_time,
    look_time, ml_analyzed, header_run_time, header_inhibit_time, temperature, humidity, header_keys, header_values,
    roi_expected_bytes, adc_size, adc_mtime_ms, hdr_size, hdr_mtime_ms, roi_size, roi_mtime_ms, qc, error_code,
    error_message, indexed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (root_id, folder, id) DO UPDATE SET
    schema = excluded.schema, instrument = excluded.instrument, epoch_ms = excluded.epoch_ms, adc_rows = excluded.adc_rows,
    triggers = excluded.triggers, images = excluded.images, run_time = excluded.run_time, inhibit_time = excluded.inhibit_time,
    look_time = excluded.look_time, ml_analyzed = excluded.ml_analyzed, header_run_time = excluded.header_run_time,
    header_inhibit_time = excluded.header_inhibit_time, temperature = excluded.temperature, humidity = excluded.humidity,
    header_keys = excluded.header_keys, header_values = excluded.header_values, roi_expected_bytes = excluded.roi_expected_bytes,
    adc_size = excluded.adc_size, adc_mtime_ms = excluded.adc_mtime_ms, hdr_size = excluded.hdr_size,
    hdr_mtime_ms = excluded.hdr_mtime_ms, roi_size = excluded.roi_size, roi_mtime_ms = excluded.roi_mtime_ms, qc = excluded.qc,
    error_code = excluded.error_code, error_message = excluded.error_message, indexed_at = excluded.indexed_at
  RETURNING key`;

const statements = new WeakMap<Database, Statement>();

/** The QC bits of a bin: the parser's plus those that depend on the .roi file (missing, or shorter than the ADC says). */
export function qcWithFiles(parsed: Pick<ParsedBin, 'qc' | 'roiExpectedBytes'>, found: Pick<FoundBin, 'roi'>): number {
  let qc = parsed.qc;
  if (found.roi === null) qc |= QC_FLAGS.noRoi | QC_FLAGS.partial;
  else if (parsed.roiExpectedBytes !== null && found.roi.size < parsed.roiExpectedBytes) qc |= QC_FLAGS.partial;
  return qc;
}

/** Insert or update bins in one transaction; returns their keys in order. */
export function upsertBins(db: Database, writes: readonly BinWrite[], now = Date.now()): number[] {
  let stmt = statements.get(db);
  if (!stmt) {
    stmt = db.prepare(UPSERT_SQL);
    statements.set(db, stmt);
  }
  const s = stmt;
  return db.transaction(() => {
    const keys = writes.map(({ rootId, found: walked, parsed: p }) => {
      const found = withParsedStamps(walked, p);
      const row = s.get(
        rootId, found.folder, p.id, p.schema, p.instrument, p.epochMs, p.adcRows, p.triggers, p.images, p.runTime, p.inhibitTime,
        p.lookTime, p.mlAnalyzed, p.headerRunTime, p.headerInhibitTime, p.temperature, p.humidity, p.headerKeys,
        JSON.stringify(p.headerValues), p.roiExpectedBytes, found.adc.size, found.adc.mtimeMs, found.hdr.size, found.hdr.mtimeMs,
        found.roi?.size ?? null, found.roi?.mtimeMs ?? null, qcWithFiles(p, found), p.errorCode, p.errorMessage, now,
      ) as { key: number };
      return row.key;
    });
    electCopies(db, writes.map((w) => w.parsed.id));
    return keys;
  })();
}

/** Delete bins by key in one transaction (another copy of a deleted bin is shown instead). */
export function deleteBins(db: Database, keys: readonly number[]): number {
  const stmt = db.prepare('DELETE FROM bins WHERE key = ? RETURNING id').pluck();
  return db.transaction(() => {
    const ids = keys.flatMap((k) => stmt.all(k) as string[]);
    electCopies(db, ids);
    return ids.length;
  })();
}

/** Replace the recorded walk problems of a root. */
export function replaceWalkProblems(db: Database, rootId: number, problems: readonly FoundProblem[]): void {
  const insert = db.prepare('INSERT OR REPLACE INTO walk_problems (root_id, path, code, message) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM walk_problems WHERE root_id = ?').run(rootId);
    for (const p of problems) insert.run(rootId, p.path, p.code, p.message);
  })();
}
