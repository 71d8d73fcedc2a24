/** Bad input never aborts an index: each problem is recorded with a code, the rest is indexed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE } from '../../helpers/data.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import { listBins, listWalkProblems } from '../../../main/index/queries.ts';
import type { IndexSummary, WalkProblem } from '../../../main/index/types.ts';
import { copyBin, tempCatalogue } from './helpers.ts';

test('symlink loops, a .adc that is a folder, non-bin names and a damaged .adc are recorded, never fatal', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'root');
  const data = path.join(root, 'data');
  copyBin(SAMPLE.C, data);
  // symlink loops: data/loop -> .. (back to root) and a link to itself
  symlinkSync('..', path.join(data, 'loop'));
  symlinkSync('self', path.join(data, 'self'));
  // a .adc that is a folder, beside a real .hdr
  mkdirSync(path.join(data, 'D20240101T000000_IFCB001.adc'));
  writeFileSync(path.join(data, 'D20240101T000000_IFCB001.hdr'), 'SoftwareVersion: 2.0.0.0\n');
  // names that are not bins: a trio with a bad name, a bin id with a suffix, stray files
  for (const ext of ['adc', 'hdr', 'roi']) writeFileSync(path.join(data, `foo.${ext}`), '');
  for (const ext of ['adc', 'hdr']) writeFileSync(path.join(data, `D20240101T000000_IFCB001_extra.${ext}`), '');
  writeFileSync(path.join(data, 'notes.txt'), 'hello');
  writeFileSync(path.join(data, 'decoy.adc'), '');
  // a damaged .adc (letters in a numeric column): listed, flagged unreadable with the reader's code
  const bad = writeSyntheticBin(data, { epochMs: Date.UTC(2024, 1, 2), targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6 });
  writeFileSync(bad.paths.adc, '1,2,three\n');

  catalogue.addRoot(root);
  const summary = await catalogue.index();
  assert.deepEqual([summary.found, summary.added, summary.unreadable, summary.cancelled], [2, 2, 1, false]);
  const bins = listBins(catalogue.db).bins;
  assert.deepEqual(bins.map((b) => [b.folder, b.id, b.qc]), [
    ['data', 'D20220522T003051_IFCB134', []],
    ['data', bad.id, ['unreadable']],
  ]);
  assert.equal(bins[1]!.errorCode, 'ADC_MALFORMED_ROW');
  assert.match(bins[1]!.errorMessage!, /three|column|row/i);
  const problems = listWalkProblems(catalogue.db).map((p) => [p.path, p.code]);
  assert.deepEqual(problems, [
    ['data/D20240101T000000_IFCB001.adc', 'FILE_UNREADABLE'],
    ['data/D20240101T000000_IFCB001_extra.adc', 'INVALID_BIN_ID'],
    ['data/decoy.adc', 'INVALID_BIN_ID'],
    ['data/foo.adc', 'INVALID_BIN_ID'],
    ['data/loop', 'FILE_UNREADABLE'],
    ['data/self', 'FILE_UNREADABLE'],
  ]);
  const byPath = new Map<string, WalkProblem>(listWalkProblems(catalogue.db).map((p) => [p.path, p]));
  assert.match(byPath.get('data/loop')!.message, /already walked|loop/);
  assert.match(byPath.get('data/self')!.message, /symbolic links/);
  assert.match(byPath.get('data/D20240101T000000_IFCB001.adc')!.message, /not a file/);
  assert.equal(summary.problems, 6);
});

test('adding a missing folder, a file, or nested/overlapping roots is refused with a specific code', (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  assert.throws(() => catalogue.addRoot(path.join(dir, 'nope')), { code: 'FILE_MISSING' });
  writeFileSync(path.join(dir, 'file.txt'), '');
  assert.throws(() => catalogue.addRoot(path.join(dir, 'file.txt')), { code: 'INVALID_ARGUMENT' });
  mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
  catalogue.addRoot(path.join(dir, 'a'));
  assert.throws(() => catalogue.addRoot(path.join(dir, 'a', 'b')), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => catalogue.addRoot(dir), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => catalogue.addRoot(path.join(dir, 'a'), { blacklist: ['x/y'] }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => catalogue.addRoot(path.join(dir, 'a'), { blacklist: [''] }), { code: 'INVALID_ARGUMENT' });
  // re-adding the same folder keeps its id and takes the new rules
  const again = catalogue.addRoot(path.join(dir, 'a'), { blacklist: ['skip', 'calibration'] });
  assert.deepEqual([catalogue.listRoots().length, again.blacklist], [1, ['skip', 'calibration']]);
});

test('a root that vanished (unmounted share) keeps its bins instead of deleting them', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'share');
  copyBin(SAMPLE.C, root);
  catalogue.addRoot(root);
  await catalogue.index();
  const { renameSync } = await import('node:fs');
  renameSync(root, `${root}-unmounted`);
  const s = await catalogue.index();
  assert.deepEqual([s.found, s.removed, s.problems], [0, 0, 1]);
  assert.equal(listBins(catalogue.db).bins.length, 1);
  assert.deepEqual(listWalkProblems(catalogue.db).map((p) => [p.path, p.code]), [['.', 'FILE_UNREADABLE']]);
});

/** A root where `data/locked` holds a bin but cannot be listed, and bin D's .adc cannot be read. */
function lockedTree(dir: string): string {
  const root = path.join(dir, 'root');
  copyBin(SAMPLE.C, path.join(root, 'data'));
  const d = copyBin(SAMPLE.D, path.join(root, 'data'));
  chmodSync(`${d}.adc`, 0o000);
  const locked = path.join(root, 'data', 'locked');
  copyBin(SAMPLE.B, locked);
  chmodSync(locked, 0o000);
  return root;
}

function checkLocked(out: { summary: IndexSummary; problems: WalkProblem[]; bins: [string, string, string[], string | null][] }): void {
  assert.deepEqual(out.bins, [
    ['data', 'D20220522T003051_IFCB134', [], null],
    ['data', 'D20230810T113059_IFCB134', ['noRoi', 'unreadable', 'partial'], 'FILE_UNREADABLE'],
  ]);
  assert.equal(out.summary.unreadable, 1);
  assert.deepEqual(out.problems.map((p) => [p.path, p.code]), [['data/locked', 'FILE_UNREADABLE']]);
  assert.match(out.problems[0]!.message, /permission denied/);
  assert.equal(out.summary.cancelled, false);
}

test('an unreadable folder (permission denied) is recorded and its siblings are indexed', async (t) => {
  const dir = makeTempDir('ifcb-perm-');
  const root = lockedTree(dir);
  // Restore the permission first, so that a non-root user can remove the tree.
  t.after(() => {
    chmodSync(path.join(root, 'data', 'locked'), 0o755);
    removeTempDir(dir);
  });
  if (process.getuid?.() !== 0) {
    const catalogue = openCatalogue(path.join(dir, 'c.sqlite'));
    t.after(() => catalogue.close());
    catalogue.addRoot(root);
    const summary = await catalogue.index();
    checkLocked({ summary, problems: listWalkProblems(catalogue.db), bins: listBins(catalogue.db).bins.map((b) => [b.folder, b.id, b.qc, b.errorCode]) });
    return;
  }
  // Root ignores permissions: run the indexer as the unprivileged user "nobody" (65534) instead.
  chmodSync(dir, 0o755);
  const dbDir = path.join(dir, 'db');
  mkdirSync(dbDir);
  chownSync(dbDir, 65534, 65534);
  const child = fileURLToPath(new URL('./fixtures/walk-child.ts', import.meta.url));
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', child, root, path.join(dbDir, 'c.sqlite')], {
    uid: 65534,
    gid: 65534,
    cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    env: { ...process.env, HOME: dbDir, TMPDIR: dbDir },
    encoding: 'utf8',
  });
  checkLocked(JSON.parse(stdout) as Parameters<typeof checkLocked>[0]);
});
