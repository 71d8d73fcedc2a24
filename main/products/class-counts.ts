/**
 * Per-bin class counts in the library (migration 6) and the one-class time series the library chart plots.
 * A ROI's class is its manual label where it has one (a library label, else the manual `.mat` file's; an explicit
 * "not reviewed" falls back), else the classifier's class above threshold (its winning class when the file has
 * no thresholds); a ROI with neither is not counted. Counts are redone only for bins whose product files or
 * labels changed since (`stamp`).
 */
import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { BinClasses } from '../../shared/ipc/contract.ts';
import { openBin } from '../ifcb/bin.ts';
import type { ReadonlyDatabase } from '../index/database.ts';
import { basePathOf, bucketStartSql, type Bucket } from '../index/queries.ts';
import { joinClasses, loadBinProducts } from './bin-classes.ts';
import { binFacts } from './bin-facts.ts';
import { PRODUCT_KINDS, type ProductFile, type ProductKind } from './discover.ts';
import { LabelStore, type StoredLabel } from './label-store.ts';
import { recordedProducts } from './recorded-products.ts';

/** Which product files a result depends on: paths, sizes and times (a re-run classifier rewrites in place). */
export function productStamp(files: readonly ProductFile[]): string {
  return files
    .map((f) => {
      try {
        const st = statSync(f.path);
        return `${f.path}\u0000${st.size}\u0000${st.mtimeMs}`;
      } catch {
        return `${f.path}\u0000gone`;
      }
    })
    .join('\u0001');
}

/** ROIs per class of one bin by the rule above, and how many ROIs have a class. */
export function effectiveClassCounts(t: BinClasses): { counts: Map<string, number>; classified: number } {
  const counts = new Map<string, number>();
  let classified = 0;
  t.targets.forEach((_, i) => {
    const k = t.manual[i]! >= 0 ? t.manual[i]! : t.above[i]!;
    if (k < 0) return;
    const name = t.classes[k]!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    classified++;
  });
  return { counts, classified };
}

/** Product kinds that give ROIs a class (features and blob masks do not). */
const CLASS_SOURCES: ReadonlySet<ProductKind> = new Set(PRODUCT_KINDS.filter((k) => k !== 'features' && k !== 'blobs'));

/** A root's bins that have a class source (recorded class product or library label) or counts to drop. */
const ROOT_CANDIDATES_SQL = `SELECT b.id, b.folder, r.path AS root FROM bins b JOIN roots r USING (root_id)
  WHERE b.root_id = ? AND b.shadowed = 0 AND (
    EXISTS (SELECT 1 FROM bin_products p WHERE p.bin_id = b.id AND p.kind NOT IN ('features', 'blobs'))
    OR EXISTS (SELECT 1 FROM labels l WHERE l.bin_id = b.id)
    OR EXISTS (SELECT 1 FROM bin_class_state s WHERE s.bin_id = b.id))`;

function labelsStamp(labels: readonly StoredLabel[]): string {
  return labels.map((l) => `${l.roi}=${l.label ?? ''}`).join(',');
}

/**
 * Recount the bins of `rootId` (or only `binIds`) whose products or labels changed; a bin without a class
 * source loses its counts. Returns how many bins were recounted. A bin or product that cannot be read is skipped
 * (its old counts stay): one bad bin never stops the others.
 */
export function refreshClassCounts(db: Database, scope: { rootId: number } | { binIds: readonly string[] }): number {
  type Row = { id: string; folder: string; root: string };
  const rows =
    'rootId' in scope
      ? (db.prepare(ROOT_CANDIDATES_SQL).all(scope.rootId) as Row[])
      : scope.binIds.flatMap((id) => db.prepare('SELECT b.id, b.folder, r.path AS root FROM bins b JOIN roots r USING (root_id) WHERE b.id = ? AND b.shadowed = 0').all(id) as Row[]);
  const labelStore = new LabelStore(db);
  const stampOf = db.prepare('SELECT stamp FROM bin_class_state WHERE bin_id = ?').pluck();
  const forget = db.prepare('DELETE FROM bin_class_state WHERE bin_id = ?');
  const putState = db.prepare('INSERT INTO bin_class_state (bin_id, stamp, classified) VALUES (?, ?, ?)');
  const putCount = db.prepare('INSERT INTO bin_class_counts (class, bin_id, count) VALUES (?, ?, ?)');
  let recounted = 0;
  for (const row of rows) {
    const labels = labelStore.storedOf(row.id);
    // the root's refresh recorded the products beside the bin and in its results folders: no folder is listed here
    const files = recordedProducts(db, row.id).filter((f) => CLASS_SOURCES.has(f.kind));
    if (files.length === 0 && labels.length === 0) {
      if (forget.run(row.id).changes > 0) recounted++;
      continue;
    }
    const stamp = `${productStamp(files)}\u0002${labelsStamp(labels)}`;
    if (stampOf.get(row.id) === stamp) continue;
    try {
      // only a bin whose class sources changed is opened (its ADC parsed) and its products read
      const bin = openBin(basePathOf(row.root, row.folder, row.id));
      const facts = binFacts(bin);
      const table = joinClasses(facts, loadBinProducts(files, facts, { strict: false }), { labels: labelStore.labelsOf(row.id) });
      const { counts, classified } = effectiveClassCounts(table);
      db.transaction(() => {
        forget.run(row.id);
        putState.run(row.id, stamp, classified);
        for (const [name, n] of counts) putCount.run(name, row.id, n);
      })();
      recounted++;
    } catch (e) {
      console.error('[ifcb] class counts of', row.id, 'not updated:', e instanceof Error ? e.message : e);
    }
  }
  return recounted;
}

/** Every class the library counted in some bin (the chart's class picker), with its ROIs and bins. */
export function countedClasses(db: ReadonlyDatabase | Database): { name: string; count: number; bins: number }[] {
  return db.prepare('SELECT class AS name, sum(count) AS count, count(*) AS bins FROM bin_class_counts GROUP BY class ORDER BY class').all() as { name: string; count: number; bins: number }[];
}

/** One class in one bucket: the bins that have class data, their ROIs of the class and its concentration. */
export interface ClassBucket {
  /** Bucket start (epoch ms); bucket 'bin': the bin id. */
  key: number | string;
  bins: number;
  count: number;
  /** Summed ml analyzed of those bins that have one (null when none has). */
  mlAnalyzed: number | null;
  /** ROIs of the class per mL over the bins with a volume (null when the volume is 0 or unknown). */
  concentration: number | null;
}

/** SQL of a one-class series (exported for EXPLAIN QUERY PLAN tests); parameters: class, from, to, [instrument], [rootId]. */
export function classSeriesSql(bucket: Bucket, filter: { instrument?: number; rootId?: number }): string {
  const extra = [filter.instrument !== undefined ? 'AND b.instrument = ?' : '', filter.rootId !== undefined ? 'AND b.root_id = ?' : ''].join(' ');
  const key = bucket === 'bin' ? 'b.id' : bucketStartSql(bucket, 'b.epoch_ms');
  const aggregate = bucket === 'bin' ? '' : 'GROUP BY 1';
  const sum = (x: string): string => (bucket === 'bin' ? x : `sum(${x})`);
  return `SELECT ${key} AS key, ${bucket === 'bin' ? '1' : 'count(*)'} AS bins, ${sum('coalesce(c.count, 0)')} AS count, ${sum('b.ml_analyzed')} AS ml,
            ${sum('CASE WHEN b.ml_analyzed IS NOT NULL THEN coalesce(c.count, 0) END')} AS count_ml
          FROM bins b JOIN bin_class_state s ON s.bin_id = b.id LEFT JOIN bin_class_counts c ON c.class = ? AND c.bin_id = b.id
          WHERE b.shadowed = 0 AND b.epoch_ms >= ? AND b.epoch_ms < ? ${extra} ${aggregate} ORDER BY ${bucket === 'bin' ? 'b.epoch_ms, b.key' : '1'}`;
}

/** The class's buckets over [from, to), only buckets that have a counted bin. */
export function classSeries(db: ReadonlyDatabase | Database, className: string, range: { from: number; to: number; bucket: Bucket; instrument?: number; rootId?: number }): ClassBucket[] {
  const params: unknown[] = [className, range.from, range.to];
  if (range.instrument !== undefined) params.push(range.instrument);
  if (range.rootId !== undefined) params.push(range.rootId);
  const rows = db.prepare(classSeriesSql(range.bucket, range)).raw().all(...params) as [number | string, number, number, number | null, number | null][];
  return rows.map(([key, bins, count, ml, countMl]) => ({ key, bins, count, mlAnalyzed: ml, concentration: ml !== null && ml > 0 && countMl !== null ? countMl / ml : null }));
}

/**
 * The class's figures for each point of a catalogue time series (same range, bucket and filter), looked up by the
 * point's bin id (bucket 'bin') or bucket start; a bucket without counted bins gives zeros.
 */
export function classBuckets(
  db: ReadonlyDatabase | Database,
  className: string,
  series: { bucket: Bucket; from: string | null; to: string | null },
  filter: { instrument?: number; rootId?: number },
): (key: number | string) => Omit<ClassBucket, 'key'> {
  const none = { bins: 0, count: 0, mlAnalyzed: null, concentration: null };
  if (series.from === null || series.to === null) return () => none;
  const range = {
    from: Date.parse(series.from),
    to: Date.parse(series.to),
    bucket: series.bucket,
    ...(filter.instrument === undefined ? {} : { instrument: filter.instrument }),
    ...(filter.rootId === undefined ? {} : { rootId: filter.rootId }),
  };
  const byKey = new Map(classSeries(db, className, range).map(({ key, ...rest }) => [key, rest]));
  return (key) => byKey.get(key) ?? none;
}
