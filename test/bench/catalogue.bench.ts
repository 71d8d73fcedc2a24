/**
 * Catalogue: 20,000 synthetic bins in the instrument layout DYYYY/DYYYYMMDD/, and 20,000 more under
 * folders with arbitrary names (what a lab's disk looks like). Every figure is a ratio against a
 * baseline measured in the same run:
 * - first index vs reading the same .hdr + .adc bytes with fs.readFile (target ≥ 0.5×);
 * - first index of the arbitrary-names archive vs the instrument layout (target: same rate, ≥ 0.9×);
 * - a search page ("any part of the id") walking the time index vs reading and sorting every row;
 * - unchanged re-index (target < 2 s) vs that same readFile pass;
 * - time series over everything (target < 50 ms) vs a full-table scan aggregated in JS;
 * - a deep keyset page (target < 10 ms) vs the same page with OFFSET;
 * - main-thread event-loop stalls while indexing (target: none > 50 ms) vs an idle loop.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openCatalogue } from '../../main/index/catalogue.ts';
import { countBins, listBins, timeSeries } from '../../main/index/queries.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { fmt, percentile, timeMedian, type Bench } from './harness.ts';

export const title = 'Catalogue (2 × 20,000 bins)';

const BINS = 20_000;
const STEP_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

/** The instrument's own layout: DYYYY/DYYYYMMDD/<bin files>. */
function instrumentFolder(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return path.join(`D${iso.slice(0, 4)}`, `D${iso.slice(0, 10).replace(/-/g, '')}`);
}

/** A lab's layout: one folder per day as well, but 1–4 levels deep under names unrelated to the bin ids. */
function arbitraryFolder(epochMs: number): string {
  const day = Math.floor(epochMs / DAY_MS);
  const names = [`cruise ${Math.floor(day / 60)}`, `leg-${Math.floor(day / 15) % 4}`, `station ${day % 15}`, 'raw data'];
  return path.join(...names.slice(0, 1 + (day % 4)), `cast ${day}`);
}

/** Write an archive of BINS bins starting at `t0`, foldered by `folderOf`; returns every bin's base path. */
function generate(root: string, t0: number, folderOf: (epochMs: number) => string): string[] {
  const bases: string[] = [];
  let lastDir = '';
  for (let i = 0; i < BINS; i++) {
    const epochMs = t0 + i * STEP_MS;
    const dir = path.join(root, folderOf(epochMs));
    if (dir !== lastDir) {
      mkdirSync(dir, { recursive: true });
      lastDir = dir;
    }
    // Small ADCs (30 rows) with small ROIs: the walk/stat/parse/write path is what is measured.
    bases.push(writeSyntheticBin(dir, { epochMs, targets: 30, emptyEvery: 10, minSize: 8, maxSize: 24, seed: i + 1 }).base);
  }
  return bases;
}

/** The baseline: read every .hdr and .adc with fs.readFile, 64 at a time. */
async function readAll(bases: string[]): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < bases.length; i += 64) {
    const chunk = bases.slice(i, i + 64);
    const bufs = await Promise.all(chunk.flatMap((b) => [readFile(`${b}.hdr`), readFile(`${b}.adc`)]));
    for (const b of bufs) bytes += b.length;
  }
  return bytes;
}

function cpuSeconds(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}

/** Longest gap between 5 ms timer ticks while `fn` runs, and the event-loop delay histogram's max. */
async function stalls(fn: () => Promise<unknown>): Promise<{ maxGapMs: number; p99GapMs: number; histMaxMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const gaps: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 5);
  await fn();
  clearInterval(timer);
  h.disable();
  return { maxGapMs: Math.max(0, ...gaps), p99GapMs: percentile(gaps, 99), histMaxMs: h.max / 1e6 };
}

export async function run(bench: Bench): Promise<void> {
  const dir = makeTempDir('ifcb-bench-catalogue-');
  try {
    const tGen = performance.now();
    const bases = generate(path.join(dir, 'archive'), Date.UTC(2024, 0, 1), instrumentFolder);
    // Other timestamps: the two archives are different bins, not copies of each other.
    const labBases = generate(path.join(dir, 'lab'), Date.UTC(2020, 0, 1), arbitraryFolder);
    bench.log(`generated 2 × ${BINS} bins in ${fmt((performance.now() - tGen) / 1000)} s; load average ${loadavg().map((l) => fmt(l)).join(' ')} on ${availableParallelism()} cores`);

    // Warm the page cache the same way for every side, then measure the baseline.
    await readAll(labBases);
    await readAll(bases);
    const tRead = performance.now();
    const cpuRead = process.cpuUsage();
    const bytes = await readAll(bases);
    const readMs = performance.now() - tRead;
    const readCpuS = cpuSeconds(process.cpuUsage(cpuRead));

    // CATALOGUE_WORKERS=n overrides the default number of parse workers (cores − 1), for comparisons.
    const workers = process.env['CATALOGUE_WORKERS'] ? Number(process.env['CATALOGUE_WORKERS']) : undefined;
    const catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'), workers ? { workers } : {});
    try {
      // Start the index workers before timing: from source each start compiles TypeScript (tsx),
      // ~0.3 CPU-s per worker, which the bundled app does not pay. An empty root does it.
      mkdirSync(path.join(dir, 'empty'));
      const warm = catalogue.addRoot(path.join(dir, 'empty'));
      await catalogue.index([warm.rootId]);
      const archive = catalogue.addRoot(path.join(dir, 'archive'));
      let summary = undefined as Awaited<ReturnType<typeof catalogue.index>> | undefined;
      const tIndex = performance.now();
      const cpuIndex = process.cpuUsage();
      const loop = await stalls(async () => {
        summary = await catalogue.index([archive.rootId]);
      });
      const indexMs = performance.now() - tIndex;
      // All threads of the process (workers included): what the index cost, whatever the machine's load.
      const indexCpuS = cpuSeconds(process.cpuUsage(cpuIndex));
      // The idle baseline: the same machine, the same length of time, nothing running in this process.
      const idle = await stalls(() => new Promise((r) => setTimeout(r, indexMs)));
      if (!summary || summary.added !== BINS) throw new Error(`first index added ${summary?.added} bins, expected ${BINS}`);
      bench.figure({
        name: 'first index vs fs.readFile of the same .hdr+.adc',
        ratio: readMs / indexMs,
        detail: `${fmt(indexMs / 1000)} s (${fmt(BINS / (indexMs / 1000), 0)} bins/s, ${fmt(indexCpuS)} CPU-s) vs ${fmt(readMs / 1000)} s (${fmt(readCpuS)} CPU-s) to read ${fmt(bytes / 1e6, 1)} MB`,
        target: '≥ 0.5×',
        met: readMs / indexMs >= 0.5,
      });
      bench.log(`load average after indexing ${loadavg().map((l) => fmt(l)).join(' ')}`);
      bench.figure({
        name: 'main-thread event-loop stalls while indexing (max gap, idle loop = 1×)',
        ratio: loop.maxGapMs / Math.max(idle.maxGapMs, 1e-3),
        detail: `max ${fmt(loop.maxGapMs, 1)} ms (p99 ${fmt(loop.p99GapMs, 1)} ms, histogram max ${fmt(loop.histMaxMs, 1)} ms) vs idle max ${fmt(idle.maxGapMs, 1)} ms`,
        target: 'no stall > 50 ms',
        met: loop.maxGapMs <= 50,
      });

      // The same number of bins under arbitrary folder names, on the same warm workers. The machine's
      // load drifts: a second round in the opposite order (after forgetting every bin) evens it out.
      const lab = catalogue.addRoot(path.join(dir, 'lab'));
      const firstIndex = async (rootId: number): Promise<number> => {
        const t = performance.now();
        const s = await catalogue.index([rootId]);
        if (s.added !== BINS || s.problems !== 0) throw new Error(`first index of root ${rootId}: ${JSON.stringify(s)}`);
        return performance.now() - t;
      };
      const labMs = [await firstIndex(lab.rootId)];
      const layoutMs = [indexMs];
      catalogue.rebuild();
      labMs.push(await firstIndex(lab.rootId));
      layoutMs.push(await firstIndex(archive.rootId));
      const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      const rate = (xs: number[]): string => xs.map((ms) => fmt(BINS / (ms / 1000), 0)).join(', ');
      bench.figure({
        name: 'first index, arbitrary folder names vs instrument layout DYYYY/DYYYYMMDD (2 rounds, opposite order)',
        ratio: sum(layoutMs) / sum(labMs),
        detail: `${rate(labMs)} bins/s vs ${rate(layoutMs)} bins/s`,
        target: 'same rate (≥ 0.9×)',
        met: sum(layoutMs) / sum(labMs) >= 0.9,
      });

      const tRe = performance.now();
      const again = await catalogue.index([archive.rootId]);
      const reMs = performance.now() - tRe;
      if (again.unchanged !== BINS || again.filesRead.adc !== 0) throw new Error(`re-index was not stat-only: ${JSON.stringify(again)}`);
      bench.figure({
        name: 'unchanged re-index (stat only) vs fs.readFile pass',
        ratio: readMs / reMs,
        detail: `${fmt(reMs)} ms, 0 files read, vs ${fmt(readMs)} ms`,
        target: '< 2 s',
        met: reMs < 2000,
      });

      const db = catalogue.reader;
      const seriesMs = await timeMedian(() => timeSeries(db), 7, 2);
      const series = timeSeries(db);
      const scanMs = await timeMedian(
        () => {
          const sums = new Map<number, [number, number]>();
          for (const [t, images, ml] of db.prepare('SELECT epoch_ms, images, ml_analyzed FROM bins NOT INDEXED').raw().iterate() as Iterable<[number, number, number]>) {
            const day = Math.floor(t / 86_400_000);
            const s = sums.get(day) ?? [0, 0];
            s[0] += images;
            s[1] += ml ?? 0;
            sums.set(day, s);
          }
          return sums;
        },
        7,
        2,
      );
      bench.figure({
        name: 'time series over all bins vs full-table scan in JS',
        ratio: scanMs / seriesMs,
        detail: `${fmt(seriesMs)} ms (${series.points.length} ${series.bucket} buckets) vs ${fmt(scanMs)} ms`,
        target: '< 50 ms',
        met: seriesMs < 50,
      });

      // A cursor ~19,000 bins deep, then the next page of 100.
      let cursor: string | undefined;
      for (let i = 0; i < 19; i++) cursor = listBins(db, {}, { limit: 1000, ...(cursor ? { after: cursor } : {}) }).next;
      const after = cursor!;
      const pageMs = await timeMedian(() => listBins(db, {}, { limit: 100, after }), 21, 3);
      const offsetStmt = db.prepare('SELECT * FROM bins WHERE shadowed = 0 ORDER BY epoch_ms, key LIMIT 100 OFFSET 19000');
      const offsetMs = await timeMedian(() => offsetStmt.all(), 21, 3);
      bench.figure({
        name: 'deep page (keyset, 19,000 bins in) vs OFFSET',
        ratio: offsetMs / pageMs,
        detail: `${fmt(pageMs, 3)} ms vs ${fmt(offsetMs, 3)} ms with OFFSET`,
        target: '< 10 ms',
        met: pageMs < 10,
      });

      // Search over all 40,000 bins: a rare text (one day, 48 bins), a common one (every bin of 2024),
      // and one no bin has (the worst case: the whole time index is walked).
      const scan = db.prepare("SELECT * FROM bins NOT INDEXED WHERE shadowed = 0 AND instr(id || ' IFCB' || instrument, ?) > 0 ORDER BY epoch_ms, key LIMIT 100");
      // one bin every 30 min: 48 a day, and the archive starting 2024-01-01 holds all 366 days of 2024
      for (const [what, text, count] of [['one day', '20240501', 48], ['every bin of a year', 'D2024', 366 * 48], ['no bin', 'D2019', 0]] as const) {
        const got = countBins(db, { search: text });
        if (got !== count) throw new Error(`search "${text}" found ${got} bins, expected ${count}`);
        const searchMs = await timeMedian(() => listBins(db, { search: text }, { limit: 100 }), 21, 3);
        const scanMs = await timeMedian(() => scan.all(text), 21, 3);
        bench.figure({
          name: `search page "${text}" (${what}) in ${2 * BINS} bins vs reading and sorting every row`,
          ratio: scanMs / searchMs,
          detail: `${fmt(searchMs, 3)} ms vs ${fmt(scanMs, 3)} ms`,
          target: '< 50 ms',
          met: searchMs < 50,
        });
      }
    } finally {
      await catalogue.close();
    }
  } finally {
    removeTempDir(dir);
  }
}
