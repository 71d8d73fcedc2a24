/** Query functions on a catalogue filled directly (no files): keyset paging, filters, neighbours, time series, index use. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { formatBinId } from '../../../shared/ifcb/bin-id.ts';
import { migrate, readOnlyView } from '../../../main/index/database.ts';
import {
  GET_BIN_SQL,
  NEIGHBOUR_SQL,
  RANGE_SQL,
  bucketForSpan,
  countBins,
  getBin,
  getBinCopies,
  listBins,
  listBinsSql,
  neighbours,
  timeSeries,
  timeSeriesSql,
  type BinFilter,
} from '../../../main/index/queries.ts';
import { deleteBins, deleteRoot, upsertBins, upsertRoot, type ParsedBin } from '../../../main/index/store.ts';
import type { BinRecord } from '../../../main/index/types.ts';
import { explain } from './helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);

function parsed(instrument: number, epochMs: number, images: number, ml: number | null, qc = 0): ParsedBin {
  return {
    id: formatBinId(2, instrument, epochMs), schema: 2, instrument, epochMs, adcRows: images + 1, triggers: images + 1, images,
    runTime: 1, inhibitTime: 0, lookTime: 1, mlAnalyzed: ml, headerRunTime: 1, headerInhibitTime: 0, temperature: 20, humidity: 40,
    headerKeys: 3, headerValues: {}, roiExpectedBytes: 0, qc, errorCode: null, errorMessage: null,
    files: { adc: { size: 1, mtimeMs: 1 }, hdr: { size: 1, mtimeMs: 1 }, roi: { size: 1, mtimeMs: 1 } },
  };
}

/** 3 instruments × 400 bins, 2 roots; instruments 1 and 2 share timestamps (ties in time). */
function fixture(): BetterSqlite3.Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const r1 = upsertRoot(db, '/r1', []);
  const r2 = upsertRoot(db, '/r2', []);
  const stamp = { size: 1, mtimeMs: 1 };
  const writes = [];
  for (let i = 0; i < 400; i++) {
    for (const inst of [1, 2, 3]) {
      const epochMs = T0 + i * 2 * HOUR + (inst === 3 ? 30 * 60_000 : 0);
      const p = parsed(inst, epochMs, i % 7, i % 10 === 0 ? null : 0.5, i % 50 === 0 ? 8 : 0);
      writes.push({ rootId: inst === 3 ? r2 : r1, found: { folder: 'data', id: p.id, adc: stamp, hdr: stamp, roi: stamp }, parsed: p });
    }
  }
  upsertBins(db, writes);
  return db;
}

function all(db: BetterSqlite3.Database, filter: BinFilter, order: 'asc' | 'desc', limit: number): BinRecord[] {
  const out: BinRecord[] = [];
  let after: string | undefined;
  do {
    const page = listBins(db, filter, { limit, order, ...(after ? { after } : {}) });
    assert.ok(page.bins.length <= limit);
    out.push(...page.bins);
    after = page.next;
  } while (after);
  return out;
}

function byTime(a: BinRecord, b: BinRecord): number {
  return a.epochMs - b.epochMs || a.key - b.key;
}

test('keyset pages concatenate to the full, time-ordered list for any filter, order and page size', () => {
  const db = fixture();
  const everything = (db.prepare('SELECT key FROM bins').all() as { key: number }[]).length;
  assert.equal(everything, 1200);
  const full = listBins(db, {}, { limit: 1000 }).bins.concat(listBins(db, {}, { limit: 1000, after: listBins(db, {}, { limit: 1000 }).next! }).bins);
  assert.equal(full.length, 1200);
  fc.assert(
    fc.property(
      fc.record({
        limit: fc.integer({ min: 1, max: 400 }),
        order: fc.constantFrom('asc' as const, 'desc' as const),
        instrument: fc.option(fc.constantFrom(1, 2, 3, 4), { nil: undefined }),
        rootId: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
        qc: fc.option(fc.constantFrom('ok' as const, 'runTimeMismatch' as const, 'partial' as const), { nil: undefined }),
        fromH: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
        spanH: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
      }),
      (p) => {
        const filter: BinFilter = {};
        if (p.instrument !== undefined) filter.instrument = p.instrument;
        if (p.rootId !== undefined) filter.rootId = p.rootId;
        if (p.qc !== undefined) filter.qc = p.qc;
        if (p.fromH !== undefined) filter.from = new Date(T0 + p.fromH * HOUR).toISOString();
        if (p.fromH !== undefined && p.spanH !== undefined) filter.to = T0 + (p.fromH + p.spanH) * HOUR;
        const got = all(db, filter, p.order, p.limit);
        const want = full
          .filter((b) => filter.instrument === undefined || b.instrument === filter.instrument)
          .filter((b) => filter.rootId === undefined || b.rootId === filter.rootId)
          .filter((b) => filter.qc === undefined || (filter.qc === 'ok' ? b.qc.length === 0 : b.qc.includes(filter.qc as never)))
          .filter((b) => filter.from === undefined || b.epochMs >= Date.parse(filter.from as string))
          .filter((b) => filter.to === undefined || b.epochMs < (filter.to as number))
          .sort(byTime);
        if (p.order === 'desc') want.reverse();
        assert.deepEqual(got.map((b) => b.key), want.map((b) => b.key));
        assert.equal(countBins(db, filter), want.length);
      },
    ),
    { numRuns: 60 },
  );
  assert.deepEqual(all(db, { idPrefix: 'D20240101T0' }, 'asc', 3).map((b) => b.id), ['D20240101T000000_IFCB001', 'D20240101T000000_IFCB002', 'D20240101T003000_IFCB003', 'D20240101T020000_IFCB001', 'D20240101T020000_IFCB002', 'D20240101T023000_IFCB003', 'D20240101T040000_IFCB001', 'D20240101T040000_IFCB002', 'D20240101T043000_IFCB003', 'D20240101T060000_IFCB001', 'D20240101T060000_IFCB002', 'D20240101T063000_IFCB003', 'D20240101T080000_IFCB001', 'D20240101T080000_IFCB002', 'D20240101T083000_IFCB003']);
  db.close();
});

test('bad arguments give INVALID_ARGUMENT', () => {
  const db = fixture();
  assert.throws(() => listBins(db, {}, { limit: 0 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => listBins(db, {}, { limit: 1001 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => listBins(db, {}, { after: 'garbage!' }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => listBins(db, { from: 'yesterday' }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => listBins(db, { qc: 'bogus' as never }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => timeSeries(db, { from: T0 + DAY, to: T0 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => neighbours(db, 'D20990101T000000_IFCB001'), { code: 'BIN_NOT_FOUND' });
  db.close();
});

test('lookup by id and neighbours in time', () => {
  const db = fixture();
  const b = getBin(db, 'D20240101T020000_IFCB002')!;
  assert.deepEqual([b.instrument, b.timestamp, b.images, b.path, b.folder, b.qc], [2, '2024-01-01T02:00:00Z', 1, '/r1/data/D20240101T020000_IFCB002', 'data', []]);
  assert.equal(getBin(db, 'D20240101T020000_IFCB009'), undefined);
  const n = neighbours(db, 'D20240101T020000_IFCB002');
  assert.deepEqual([n.previous?.id, n.next?.id], ['D20240101T020000_IFCB001', 'D20240101T023000_IFCB003']);
  assert.equal(neighbours(db, 'D20240101T000000_IFCB001').previous, undefined);
  const last = listBins(db, {}, { limit: 1, order: 'desc' }).bins[0]!;
  assert.equal(neighbours(db, last.id).next, undefined);
  db.close();
});

test('time series: automatic bucket from the span, sums and concentration per bucket', () => {
  assert.deepEqual([bucketForSpan(7 * DAY - 1), bucketForSpan(7 * DAY), bucketForSpan(60 * DAY - 1), bucketForSpan(60 * DAY), bucketForSpan(3 * 365 * DAY - 1), bucketForSpan(3 * 365 * DAY)], ['bin', 'hour', 'hour', 'day', 'day', 'week']);
  const db = fixture();
  // One day: per bin (12 two-hour slots × 3 instruments)
  const day = timeSeries(db, { from: T0, to: T0 + DAY });
  assert.equal(day.bucket, 'bin');
  assert.equal(day.points.length, 36);
  assert.deepEqual(day.points[0], { start: '2024-01-01T00:00:00Z', epochMs: T0, id: 'D20240101T000000_IFCB001', bins: 1, images: 0, mlAnalyzed: null, concentration: null });
  assert.deepEqual(day.points[3], { start: '2024-01-01T02:00:00Z', epochMs: T0 + 2 * HOUR, id: 'D20240101T020000_IFCB001', bins: 1, images: 1, mlAnalyzed: 0.5, concentration: 2 });
  // Whole range (800 h ≈ 33 days): per hour; every bucket holds what the bins in it hold
  const whole = timeSeries(db);
  assert.equal(whole.bucket, 'hour');
  assert.deepEqual([whole.from, whole.to], ['2024-01-01T00:00:00Z', '2024-02-03T06:30:00.001Z']);
  assert.equal(whole.points.length, 400);
  assert.deepEqual(whole.points[1], { start: '2024-01-01T02:00:00Z', epochMs: T0 + 2 * HOUR, bins: 3, images: 3, mlAnalyzed: 1.5, concentration: 2 });
  assert.equal(whole.points.reduce((n, p) => n + p.bins, 0), 1200);
  // Per day: 12 slots a day; slot i has i % 7 images and 0.5 ml unless i % 10 == 0
  const days = timeSeries(db, { bucket: 'day' });
  assert.equal(days.points.length, 34);
  let images = 0;
  let ml = 0;
  let imagesWithMl = 0;
  for (let i = 0; i < 12; i++) {
    images += 3 * (i % 7);
    if (i % 10 !== 0) {
      ml += 1.5;
      imagesWithMl += 3 * (i % 7);
    }
  }
  assert.deepEqual(days.points[0], { start: '2024-01-01T00:00:00Z', epochMs: T0, bins: 36, images, mlAnalyzed: ml, concentration: imagesWithMl / ml });
  // Per week: weeks start on Monday (2024-01-01 is a Monday)
  const weeks = timeSeries(db, { bucket: 'week', instrument: 3 });
  assert.deepEqual(weeks.points.map((p) => [p.start, p.bins]), [['2024-01-01T00:00:00Z', 84], ['2024-01-08T00:00:00Z', 84], ['2024-01-15T00:00:00Z', 84], ['2024-01-22T00:00:00Z', 84], ['2024-01-29T00:00:00Z', 64]]);
  // Empty catalogue
  const empty = new BetterSqlite3(':memory:');
  migrate(empty);
  assert.deepEqual(timeSeries(empty), { bucket: 'bin', from: null, to: null, points: [] });
  empty.close();
  db.close();
});

test('EXPLAIN QUERY PLAN: every hot query is served by an index (no table scan, no sort of the whole table)', () => {
  const db = fixture();
  const plan = (sql: string, params: unknown[]): string => explain(db, sql, params).join(' | ');
  const page = (filter: BinFilter, after?: string, order: 'asc' | 'desc' = 'asc'): string => {
    const q = listBinsSql(filter, { limit: 100, order, ...(after ? { after } : {}) });
    return plan(q.sql, q.params);
  };
  const cursor = listBins(db, {}, { limit: 500 }).next!;
  assert.equal(page({}), 'SCAN bins USING INDEX bins_by_time');
  assert.equal(page({}, cursor), 'SEARCH bins USING INDEX bins_by_time (epoch_ms>?)');
  assert.equal(page({}, cursor, 'desc'), 'SEARCH bins USING INDEX bins_by_time (epoch_ms<?)');
  assert.equal(page({ from: T0, to: T0 + DAY }, cursor), 'SEARCH bins USING INDEX bins_by_time (epoch_ms>? AND epoch_ms<?)');
  assert.equal(page({ instrument: 2, from: T0 }, cursor), 'SEARCH bins USING INDEX bins_by_instrument_time (instrument=? AND epoch_ms>?)');
  assert.equal(page({ rootId: 1 }, cursor), 'SEARCH bins USING INDEX bins_by_root_time (root_id=? AND epoch_ms>?)');
  assert.equal(page({ qc: 'ok' }, cursor), 'SEARCH bins USING INDEX bins_by_time (epoch_ms>?)');
  // search walks the time index in order (it carries id and instrument: no row read to test one),
  // or the instrument's; never a sort of the matches
  assert.equal(page({ search: 'T12' }), 'SCAN bins USING INDEX bins_by_time');
  assert.equal(page({ search: 'T12' }, cursor), 'SEARCH bins USING INDEX bins_by_time (epoch_ms>?)');
  assert.equal(page({ search: 'IFCB2', from: T0, to: T0 + DAY }), 'SEARCH bins USING INDEX bins_by_time (epoch_ms>? AND epoch_ms<?)');
  assert.equal(page({ search: 'T12', instrument: 2 }, cursor), 'SEARCH bins USING INDEX bins_by_instrument_time (instrument=? AND epoch_ms>?)');
  assert.equal(page({ search: 'T12', rootId: 1 }, cursor), 'SEARCH bins USING INDEX bins_by_root_time (root_id=? AND epoch_ms>?)');
  assert.equal(plan(GET_BIN_SQL, ['x']), 'SEARCH bins USING INDEX bins_by_id (id=?)');
  assert.equal(plan(NEIGHBOUR_SQL.previous, [T0, 1]), 'SEARCH bins USING INDEX bins_by_time (epoch_ms<?)');
  assert.equal(plan(NEIGHBOUR_SQL.next, [T0, 1]), 'SEARCH bins USING INDEX bins_by_time (epoch_ms>?)');
  // one probe at either end of an index led by epoch_ms (the planner may take either)
  assert.match(plan(RANGE_SQL.first, []), /^SEARCH bins USING COVERING INDEX (bins_by_time|bins_series)$/);
  assert.match(plan(RANGE_SQL.last, []), /^SEARCH bins USING COVERING INDEX (bins_by_time|bins_series)$/);
  assert.equal(plan(timeSeriesSql('bin', {}), [0, 1]), 'SEARCH bins USING INDEX bins_by_time (epoch_ms>? AND epoch_ms<?)');
  for (const bucket of ['hour', 'day', 'week'] as const) {
    // The covering index answers the whole aggregate; the temp B-tree only orders the (few) buckets.
    assert.equal(plan(timeSeriesSql(bucket, {}), [0, 1]), 'SEARCH bins USING COVERING INDEX bins_series (epoch_ms>? AND epoch_ms<?) | USE TEMP B-TREE FOR GROUP BY');
  }
  assert.equal(plan(timeSeriesSql('day', { instrument: 3 }), [0, 1, 3]), 'SEARCH bins USING INDEX bins_by_instrument_time (instrument=? AND epoch_ms>? AND epoch_ms<?) | USE TEMP B-TREE FOR GROUP BY');
  db.close();
});

test('search matches any part of the id or the instrument name, in any case, exactly as a substring test', () => {
  const db = fixture();
  const full = all(db, {}, 'asc', 1000);
  const ids = (filter: BinFilter): string[] => all(db, filter, 'asc', 1000).map((b) => b.id);
  // the examples users typed: part of the time, a number, a date; the unpadded instrument name
  assert.deepEqual(ids({ search: 'T12' }).slice(0, 3), ['D20240101T120000_IFCB001', 'D20240101T120000_IFCB002', 'D20240101T123000_IFCB003']);
  assert.equal(ids({ search: '20240105' }).length, 36);
  assert.deepEqual(ids({ search: 'ifcb3' }), full.filter((b) => b.instrument === 3).map((b) => b.id));
  assert.deepEqual(ids({ search: 'IFCB003' }), ids({ search: 'IFCB3' }));
  assert.deepEqual(ids({ search: '*' }), []);
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom(...'0123456789DTIFCB_t*?[]'.split('')), minLength: 1, maxLength: 8 }),
      fc.option(fc.constantFrom(1, 2, 3), { nil: undefined }),
      (text, instrument) => {
        const filter: BinFilter = { search: text, ...(instrument === undefined ? {} : { instrument }) };
        const needle = text.toUpperCase();
        const want = full.filter((b) => (b.id.includes(needle) || `IFCB${b.instrument}`.includes(needle)) && (instrument === undefined || b.instrument === instrument));
        assert.deepEqual(ids(filter), want.map((b) => b.id));
        assert.equal(countBins(db, filter), want.length);
      },
    ),
    { numRuns: 200 },
  );
  db.close();
});

test('time filters are exact to the millisecond: from inclusive, to exclusive, in lists and the time series', () => {
  const db = fixture();
  const at = T0 + 2 * HOUR; // bins of instruments 1 and 2
  const ids = (from: number, to: number): string[] => listBins(db, { from, to }).bins.map((b) => b.id);
  assert.deepEqual(ids(at, at + 1000), ['D20240101T020000_IFCB001', 'D20240101T020000_IFCB002']);
  assert.deepEqual(ids(at + 1, at + 30 * 60_000 + 1), ['D20240101T023000_IFCB003']);
  assert.deepEqual(ids(at - 1000, at), []);
  assert.deepEqual(timeSeries(db, { from: at, to: at + 1000 }).points.map((p) => p.id), ['D20240101T020000_IFCB001', 'D20240101T020000_IFCB002']);
  assert.deepEqual(timeSeries(db, { from: at + 1, to: at + 30 * 60_000 }).points, []);
  db.close();
});

test('one bin id in two folders is one bin: listed, counted and neighboured once; the complete copy wins', () => {
  const db = fixture();
  const stamp = { size: 1, mtimeMs: 1 };
  const r3 = upsertRoot(db, '/r3', []);
  // a partial copy (no .roi) of an existing bin in another root, and a partial-then-complete new bin in two roots
  const withoutRoi = (p: ParsedBin): ParsedBin => ({ ...p, files: { ...p.files, roi: null } });
  const copy = parsed(1, T0 + 2 * HOUR, 1, 0.5);
  upsertBins(db, [{ rootId: r3, found: { folder: 'x', id: copy.id, adc: stamp, hdr: stamp, roi: null }, parsed: withoutRoi(copy) }]);
  const twin = parsed(7, T0 + HOUR, 4, 1);
  upsertBins(db, [{ rootId: r3, found: { folder: 'early', id: twin.id, adc: stamp, hdr: stamp, roi: null }, parsed: withoutRoi(twin) }]);
  upsertBins(db, [{ rootId: 1, found: { folder: 'late', id: twin.id, adc: stamp, hdr: stamp, roi: stamp }, parsed: twin }]);

  const listed = all(db, {}, 'asc', 1000);
  assert.equal(listed.length, 1201);
  assert.equal(new Set(listed.map((b) => b.id)).size, 1201);
  assert.equal(countBins(db, { search: twin.id }), 1);
  assert.deepEqual([getBin(db, copy.id)!.path, getBin(db, twin.id)!.path], [`/r1/data/${copy.id}`, `/r1/late/${twin.id}`]);
  assert.deepEqual(getBinCopies(db, twin.id).map((b) => [b.path, b.qc]), [[`/r1/late/${twin.id}`, []], [`/r3/early/${twin.id}`, ['noRoi', 'partial']]]);
  assert.equal(timeSeries(db, { bucket: 'day' }).points.reduce((n, p) => n + p.bins, 0), 1201);
  assert.deepEqual(timeSeries(db, { from: T0 + HOUR, to: T0 + HOUR + 1 }).points.map((p) => [p.id, p.images]), [[twin.id, 4]]);
  assert.equal(neighbours(db, twin.id).next?.id, 'D20240101T020000_IFCB001');

  // the complete copy vanishes: the partial one is shown instead; then it goes too
  const complete = getBin(db, twin.id)!;
  deleteBins(db, [complete.key]);
  assert.equal(getBin(db, twin.id)!.path, `/r3/early/${twin.id}`);
  assert.equal(countBins(db), 1201);
  deleteRoot(db, r3);
  assert.deepEqual([getBin(db, twin.id), getBin(db, copy.id)!.path, countBins(db)], [undefined, `/r1/data/${copy.id}`, 1200]);
  assert.equal(countBins(db, { search: twin.id }), 0);
  db.close();
});

test('the read-only view refuses statements that write, at compile time and at run time', () => {
  const db = fixture();
  const reader = readOnlyView(db);
  assert.equal(listBins(reader, {}, { limit: 5 }).bins.length, 5);
  // @ts-expect-error -- a read statement has no run()
  assert.equal(typeof reader.prepare('SELECT 1').run, 'function'); // the type hides it; the guard below is what stops writes
  assert.throws(() => reader.prepare('DELETE FROM bins'), { code: 'INTERNAL' });
  assert.throws(() => reader.prepare('UPDATE bins SET qc = 0'), { code: 'INTERNAL' });
  assert.equal(countBins(reader), 1200);
  db.close();
});
