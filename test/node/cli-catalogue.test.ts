/** The catalogue commands of the CLI: index, bins, timeline (in-process), and index --watch (a real process and SIGINT). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_ROOT, PROJECT_ROOT, SAMPLE } from '../helpers/data.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { tempDirFor } from '../helpers/temp.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { main } from '../../main/cli/main.ts';
import { binInfo } from '../../main/cli/commands/info.ts';
import { openBin } from '../../main/ifcb/bin.ts';

async function cli(args: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, isTTY });
  return { code, out, err };
}

test('index, bins and timeline on the sample data: the whole folder as one root, each skipped file listed with its reason', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-');
  const db = path.join(dir, 'cat.sqlite');
  const indexed = await cli(['index', DATA_ROOT, '--db', db]);
  assert.equal(indexed.code, 0, indexed.err);
  // Plain progress lines (at most one a second) may come first on a slow machine.
  const lines = indexed.out.trim().split('\n').filter((l) => !l.startsWith('progress: '));
  assert.ok(indexed.out.split('\n').filter((l) => l.startsWith('progress: ')).every((l) => /^progress: found \d+, unchanged \d+, indexed \d+, remaining \d+, \d+ bins\/s/.test(l)));
  assert.equal(lines[0], `catalogue: ${db}`);
  assert.match(lines[1]!, /^indexed: 8 bins found, 8 added, 0 updated, 0 removed, 0 unchanged, 0 unreadable, 1 problems in \d+\.\d\d s \(8 \.adc files read\)$/);
  assert.deepEqual(lines.slice(2), [`  skipped: ${DATA_ROOT}/pyifcb/data/2012/IFCB5_2012_028/000_decoy/decoy.adc: INVALID_BIN_ID: "decoy" is not an IFCB bin name; skipped`]);
  // Again, no DIR: every catalogued folder, nothing read.
  const again = await cli(['index', '--db', db]);
  assert.match(again.out, /indexed: 8 bins found, 0 added, 0 updated, 0 removed, 8 unchanged, 0 unreadable, 1 problems in .* \(0 \.adc files read\)\n  skipped: .*decoy\.adc: INVALID_BIN_ID/);

  const json = await cli(['bins', '--db', db, '--json']);
  assert.equal(json.code, 0, json.err);
  const bins = JSON.parse(json.out) as Record<string, unknown>[];
  // 8 filesets, 7 bins: pyifcb/partial holds a partial copy of IFCB5_2012_028_081515 (the complete one is listed)
  assert.deepEqual(bins.map((b) => b['id']), ['IFCB5_2012_028_081515', 'D20130101T101010_IFCB099', 'D20130526T095207_IFCB013', 'D20150411T205456_IFCB012', 'IFCB5_2017_001_033645', 'D20220522T003051_IFCB134', 'D20230810T113059_IFCB134']);
  // Same field names and values as `info --json` for the shared fields, plus path.
  const c = bins.find((b) => b['path'] === SAMPLE.C)!;
  const info = binInfo(openBin(SAMPLE.C)) as unknown as Record<string, unknown>;
  for (const key of ['id', 'schema', 'instrument', 'timestamp', 'adcRows', 'triggers', 'hasRoiFile', 'runTime', 'inhibitTime', 'lookTime', 'mlAnalyzed']) {
    assert.deepEqual(c[key], info[key], key);
  }
  assert.equal(c['images'], (info['images'] as unknown[]).length);
  const d = bins.find((b) => b['path'] === SAMPLE.D)!;
  assert.deepEqual([d['hasRoiFile'], d['qc'], d['images']], [false, ['noRoi', 'partial'], 33]);

  const filtered = await cli(['bins', '--db', db, '--instrument', '134', '--from', '2023-01-01']);
  assert.equal(filtered.out.trim().split('\n').length, 1);
  assert.equal(filtered.out, `D20230810T113059_IFCB134   2023-08-10T11:30:59Z      45      33     4.9315  noRoi,partial     ${SAMPLE.D}\n`);
  const flagged = await cli(['bins', '--db', db, '--qc', 'runTimeMismatch', '--json']);
  assert.deepEqual((JSON.parse(flagged.out) as { id: string }[]).map((b) => b.id), ['D20130526T095207_IFCB013']);
  const none = await cli(['bins', '--db', db, '--from', '2030-01-01', '--json']);
  assert.deepEqual(JSON.parse(none.out), []);
  const ids = async (...args: string[]): Promise<string[]> => (JSON.parse((await cli(['bins', '--db', db, '--json', ...args])).out) as { id: string }[]).map((b) => b.id);
  assert.deepEqual(await ids('--search', 't0952'), ['D20130526T095207_IFCB013']);
  assert.deepEqual(await ids('--search', 'IFCB134'), ['D20220522T003051_IFCB134', 'D20230810T113059_IFCB134']);
  assert.deepEqual(await ids('--search', '028'), ['IFCB5_2012_028_081515']);
  assert.deepEqual(await ids('--search', '2012', '--from', '2012-01-28T08:15:15Z', '--to', '2012-01-28T08:15:16Z'), ['IFCB5_2012_028_081515']);
  assert.deepEqual(await ids('--from', '2012-01-28T08:15:16Z', '--to', '2013-01-01T10:10:11Z'), ['D20130101T101010_IFCB099']);

  const tl = await cli(['timeline', '--db', db, '--from', '2022-01-01', '--to', '2024-01-01', '--json']);
  const series = JSON.parse(tl.out) as { bucket: string; points: { start: string; bins: number; images: number; mlAnalyzed: number }[] };
  assert.equal(series.bucket, 'day');
  assert.deepEqual(series.points.map((p) => [p.start, p.bins, p.images]), [['2022-05-22T00:00:00Z', 1, 2], ['2023-08-10T00:00:00Z', 1, 33]]);
  const text = await cli(['timeline', '--db', db, '--bucket', 'week']);
  assert.match(text.out, /^2012-01-28T08:15:15Z … 2023-08-10T11:30:59\.001Z, per week\n/);
  assert.match(text.out, /\n2013-05-20T00:00:00Z {8}1 {7}19 {6}4\.8851 {8}3\.89\n/);
});

test('CLI errors: no catalogue, bad options, a damaged catalogue offers --rebuild', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-');
  const missing = await cli(['bins', '--db', path.join(dir, 'none.sqlite')]);
  assert.deepEqual([missing.code, missing.err.startsWith('ifcb-viewer bins: error FILE_MISSING: No catalogue at')], [3, true]);
  assert.equal((await cli(['bins', '--db', path.join(dir, 'x'), '--qc', 'bogus'])).code, 2);
  assert.equal((await cli(['timeline', '--bucket', 'month'])).code, 2);
  assert.equal((await cli(['index', '--db', path.join(dir, 'empty.sqlite')])).code, 2);
  // pyifcb's folder-name whitelist is not the library's rule any more
  assert.equal((await cli(['index', DATA_ROOT, '--whitelist', 'data', '--db', path.join(dir, 'w.sqlite')])).code, 2);
  const broken = path.join(dir, 'broken.sqlite');
  writeFileSync(broken, 'this is not a database, just text that is long enough to be looked at '.repeat(100));
  const bad = await cli(['index', path.join(DATA_ROOT, 'irfcb/data'), '--db', broken]);
  assert.equal(bad.code, 3);
  assert.match(bad.err, /error DB_CORRUPT: .*--rebuild/);
  const rebuilt = await cli(['index', path.join(DATA_ROOT, 'irfcb/data'), '--db', broken, '--rebuild']);
  assert.equal(rebuilt.code, 0, rebuilt.err);
  // what the rebuild did comes first: where the old file went, what it could carry over (nothing from text)
  const lines = rebuilt.out.split('\n');
  assert.match(lines[1]!, new RegExp(`^The old library file was moved to ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.broken-\\d{4}-`));
  assert.deepEqual(lines.slice(2, 4), [
    'Carried over: 0 library folders, 0 labels, 0 results folders, 0 calibrations, 0 class lists.',
    'Could not be read, whole or in part, from the old file: library folders, results folders, calibrations, labels, class lists.',
  ]);
  assert.match(rebuilt.out, /indexed: 2 bins found, 2 added/);
});

test('index of a folder with one corrupted .adc among good ones lists the bad bin with its code', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-');
  const data = path.join(dir, 'cruise', 'raw');
  mkdirSync(data, { recursive: true });
  const bins = [0, 1, 2, 3].map((i) => writeSyntheticBin(data, { epochMs: Date.UTC(2024, 0, 1, i), targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6, seed: i + 1 }));
  const adc = readFileSync(bins[2]!.paths.adc, 'utf8').split('\n');
  adc[1] = adc[1]!.split(',').map((v, i) => (i === 17 ? '1e300' : v)).join(',');
  writeFileSync(bins[2]!.paths.adc, adc.join('\n'));
  const r = await cli(['index', path.join(dir, 'cruise'), '--db', path.join(dir, 'c.sqlite')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /indexed: 4 bins found, 4 added, 0 updated, 0 removed, 0 unchanged, 1 unreadable, 0 problems/);
  assert.match(r.out, new RegExp(`\n  unreadable: ${path.join(dir, 'cruise')}/raw/${bins[2]!.id}\\.adc: ROI_INVALID_GEOMETRY: .*START_BYTE.*\n$`));
  const listed = await cli(['bins', '--db', path.join(dir, 'c.sqlite'), '--json']);
  assert.deepEqual((JSON.parse(listed.out) as { id: string; errorCode: string | null }[]).map((b) => [b.id, b.errorCode]), bins.map((b, i) => [b.id, i === 2 ? 'ROI_INVALID_GEOMETRY' : null]));
});

test('index draws a progress bar on a terminal', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-');
  const data = path.join(dir, 'data');
  mkdirSync(data);
  for (let i = 0; i < 50; i++) writeSyntheticBin(data, { epochMs: Date.UTC(2024, 0, 1, i), targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6 });
  const r = await cli(['index', data, '--db', path.join(dir, 'c.sqlite')], true);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\r\x1b\[K\[#{30}\] 50\/50 bins, 50 read, \d+ bins\/s, 0 s left\n/);
});

test('index --watch picks up a new bin and stops cleanly on SIGINT', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-');
  const data = path.join(dir, 'data');
  mkdirSync(data);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../main/cli/main.ts', import.meta.url)), 'index', data, '--db', path.join(dir, 'c.sqlite'), '--watch'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const seen = (re: RegExp) => waitFor(() => re.test(out), 10_000, `${re} in the output`);
  await seen(/watching 1 folder\(s\); Ctrl-C to stop\n/);
  writeFileSync(path.join(data, 'D20220522T003051_IFCB134.hdr'), readFileSync(`${SAMPLE.C}.hdr`));
  writeFileSync(path.join(data, 'D20220522T003051_IFCB134.adc'), readFileSync(`${SAMPLE.C}.adc`));
  writeFileSync(path.join(data, 'D20220522T003051_IFCB134.roi'), readFileSync(`${SAMPLE.C}.roi`));
  await seen(/(added|updated) D20220522T003051_IFCB134\n(?![\s\S]*partial)/);
  child.kill('SIGINT');
  assert.equal(await exited, 0, err);
  assert.match(out, /stopped watching\n$/);
});
