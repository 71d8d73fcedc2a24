/** Incremental indexing: exactly what changes when files are touched, removed or added; cancel and kill-safe resume. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, truncateSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { SAMPLE } from '../../helpers/data.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import { countBins, getBin, listBins } from '../../../main/index/queries.ts';
import type { IndexProgress, IndexSummary } from '../../../main/index/types.ts';
import { copyBin, tempCatalogue } from './helpers.ts';

const HOUR = 3_600_000;

function changes(s: IndexSummary): object {
  return { found: s.found, unchanged: s.unchanged, added: s.added, updated: s.updated, removed: s.removed, filesRead: s.filesRead };
}

/** `n` small schema-2 bins in the instrument layout DYYYY/DYYYYMMDD/. */
function archive(root: string, n: number, start = Date.UTC(2024, 0, 1)): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const epochMs = start + i * HOUR;
    const d = new Date(epochMs).toISOString();
    const dir = path.join(root, `D${d.slice(0, 4)}`, `D${d.slice(0, 10).replace(/-/g, '')}`);
    mkdirSync(dir, { recursive: true });
    ids.push(writeSyntheticBin(dir, { epochMs, targets: 4, emptyEvery: 0, minSize: 4, maxSize: 8, seed: i + 1 }).id);
  }
  return ids;
}

test('touch, grow, remove and add files: exactly those bins change, and only changed .adc files are read', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'archive');
  const ids = archive(root, 6);
  const a = copyBin(SAMPLE.A, path.join(root, 'data'));
  catalogue.addRoot(root);
  assert.deepEqual(changes(await catalogue.index()), { found: 7, unchanged: 0, added: 7, updated: 0, removed: 0, filesRead: { adc: 7, hdr: 7 } });
  const before = new Map(listBins(catalogue.db).bins.map((b) => [b.id, b]));

  // New mtime on one .adc: that bin is re-read, nothing else.
  const base0 = getBin(catalogue.db, ids[0]!)!.path;
  utimesSync(`${base0}.adc`, new Date(), new Date(Date.now() + 5000));
  assert.deepEqual(changes(await catalogue.index()), { found: 7, unchanged: 6, added: 0, updated: 1, removed: 0, filesRead: { adc: 1, hdr: 1 } });

  // A .roi that changes alone: updated from stored values, no .adc read. Truncated → partial; restored → complete.
  const base1 = getBin(catalogue.db, ids[1]!)!.path;
  const roiSize = before.get(ids[1]!)!.roiBytes!;
  truncateSync(`${base1}.roi`, roiSize - 10);
  assert.deepEqual(changes(await catalogue.index()), { found: 7, unchanged: 6, added: 0, updated: 1, removed: 0, filesRead: { adc: 0, hdr: 0 } });
  assert.deepEqual(getBin(catalogue.db, ids[1]!)!.qc, ['partial']);
  truncateSync(`${base1}.roi`, roiSize);
  await catalogue.index();
  assert.deepEqual(getBin(catalogue.db, ids[1]!)!.qc, []);

  // Removing the .roi: flagged, still listed. Removing the .adc: the bin is gone.
  rmSync(`${a}.roi`);
  assert.deepEqual(changes(await catalogue.index()), { found: 7, unchanged: 6, added: 0, updated: 1, removed: 0, filesRead: { adc: 0, hdr: 0 } });
  assert.deepEqual(getBin(catalogue.db, 'IFCB5_2012_028_081515')!.qc, ['noRoi', 'partial']);
  rmSync(`${base0}.adc`);
  assert.deepEqual(changes(await catalogue.index()), { found: 6, unchanged: 6, added: 0, updated: 0, removed: 1, filesRead: { adc: 0, hdr: 0 } });
  assert.equal(getBin(catalogue.db, ids[0]!), undefined);

  // A new bin: added, and only it is read.
  mkdirSync(path.join(root, 'D2024', 'D20240301'), { recursive: true });
  const extra = writeSyntheticBin(path.join(root, 'D2024', 'D20240301'), { epochMs: Date.UTC(2024, 2, 1, 12), targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6 });
  assert.deepEqual(changes(await catalogue.index()), { found: 7, unchanged: 6, added: 1, updated: 0, removed: 0, filesRead: { adc: 1, hdr: 1 } });
  assert.equal(getBin(catalogue.db, extra.id)!.adcRows, 3);

  // A .hdr edit (appended line) re-reads that bin.
  appendFileSync(`${a}.hdr`, '\n');
  assert.deepEqual(changes(await catalogue.index()), { found: 7, unchanged: 6, added: 0, updated: 1, removed: 0, filesRead: { adc: 1, hdr: 1 } });
  // Bins that did not change kept their rows (same key).
  assert.equal(getBin(catalogue.db, ids[5]!)!.key, before.get(ids[5]!)!.key);
});

test('progress reports found / indexed / remaining / rate, and cancel stops early; the next run resumes without deleting', async (t) => {
  const { catalogue, dir } = tempCatalogue(t, { workers: 1 });
  const root = path.join(dir, 'archive');
  archive(root, 1500);
  const r = catalogue.addRoot(root);
  const controller = new AbortController();
  const seen: IndexProgress[] = [];
  const summary = await catalogue.index(undefined, {
    signal: controller.signal,
    onProgress: (p) => {
      seen.push(p);
      // The first event comes with the first bins found: cancel right there.
      if (p.found > 0) controller.abort();
    },
  });
  assert.equal(summary.cancelled, true);
  const written = countBins(catalogue.db);
  assert.ok(written < 1500, `cancelled run wrote ${written} bins`);
  assert.equal(catalogue.listRoots()[0]!.state, 'interrupted');
  for (const p of seen) {
    assert.ok(p.found >= p.indexed + p.unchanged && p.remaining >= 0 && p.perSecond >= 0 && p.elapsedMs >= 0);
  }
  const final: IndexProgress[] = [];
  const resumed = await catalogue.index([r.rootId], { onProgress: (p) => final.push(p) });
  assert.deepEqual(changes(resumed), { found: 1500, unchanged: written, added: 1500 - written, updated: 0, removed: 0, filesRead: { adc: 1500 - written, hdr: 1500 - written } });
  assert.deepEqual({ ...final.at(-1)!, perSecond: 0, elapsedMs: 0 }, { phase: 'done', found: 1500, unchanged: written, indexed: 1500 - written, remaining: 0, perSecond: 0, etaSeconds: 0, elapsedMs: 0 });
  assert.equal(catalogue.listRoots()[0]!.state, 'complete');
});

test('a process killed mid-index leaves a consistent database, and the next run resumes where it stopped', async (t) => {
  const dir = tempDirFor(t, 'ifcb-kill-');
  const root = path.join(dir, 'archive');
  archive(root, 3000);
  const dbPath = path.join(dir, 'kill.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/index-child.ts', import.meta.url)), root, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  let killedAt = -1;
  let buffered = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const p = JSON.parse(line) as Partial<IndexProgress>;
      if (killedAt < 0 && (p.indexed ?? 0) > 0) {
        killedAt = p.indexed!;
        child.kill('SIGKILL');
      }
    }
  });
  assert.equal(await exited, 'SIGKILL', 'the child finished before it could be killed');
  const raw = new BetterSqlite3(dbPath);
  assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  const written = (raw.prepare('SELECT count(*) AS n FROM bins').get() as { n: number }).n;
  // Whole batches only: every row is fully written (no half-parsed bins).
  assert.equal((raw.prepare('SELECT count(*) AS n FROM bins WHERE adc_rows IS NULL OR images IS NULL').get() as { n: number }).n, 0);
  raw.close();
  assert.ok(written >= killedAt && written < 3000, `written ${written}, killed after ${killedAt}`);

  const catalogue = openCatalogue(dbPath);
  t.after(() => catalogue.close());
  assert.equal(catalogue.listRoots()[0]!.state, 'interrupted');
  const resumed = await catalogue.index();
  assert.deepEqual(changes(resumed), { found: 3000, unchanged: written, added: 3000 - written, updated: 0, removed: 0, filesRead: { adc: 3000 - written, hdr: 3000 - written } });
  assert.equal(listBins(catalogue.db, {}, { limit: 1000 }).next !== undefined, true);
});
