import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { DATA_ROOT } from '../../helpers/data.ts';
import { assertNoFdLeak, assertNoFdLeakAsync } from '../../helpers/fd-leak.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { IfcbError } from '../../../shared/errors.ts';
import { DataDirectory, type DataDirectoryOptions } from '../../../main/ifcb/data-directory.ts';

const rel = (root: string) => (base: string) => path.relative(root, base);

async function walked(dd: DataDirectory): Promise<string[]> {
  const out: string[] = [];
  for await (const bin of dd.walk()) out.push(bin.paths.base);
  return out;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IfcbError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('spec §7 table on the sample data (sync iteration and async walk agree)', () => {
  const table: [string, DataDirectoryOptions, string[]][] = [
    ['pyifcb', {}, ['pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515']],
    [
      'pyifcb',
      { whitelist: ['data', 'white'] },
      ['pyifcb/white/D2013/D201305/D20130526/D20130526T095207_IFCB013', 'pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515'],
    ],
    [
      'pyifcb',
      { whitelist: ['data', 'white', 'empty', 'invalid'] },
      [
        'pyifcb/white/D2013/D201305/D20130526/D20130526T095207_IFCB013',
        'pyifcb/invalid/D20130101T101010_IFCB099',
        'pyifcb/empty/IFCB5_2017_001_033645',
        'pyifcb/empty/D20150411T205456_IFCB012',
        'pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515',
      ],
    ],
    ['.', {}, []],
    ['irfcb/data', {}, ['irfcb/data/D20220522T003051_IFCB134']],
    ['irfcb/data', { requireRoiFiles: false }, ['irfcb/data/D20230810T113059_IFCB134', 'irfcb/data/D20220522T003051_IFCB134']],
    ['pyifcb/partial', {}, []],
    ['pyifcb/partial', { requireRoiFiles: false }, ['pyifcb/partial/IFCB5_2012_028_081515']],
  ];
  for (const [root, options, expected] of table) {
    test(`DataDirectory('${root}', ${JSON.stringify(options)})`, async () => {
      const dd = new DataDirectory(path.join(DATA_ROOT, root), options);
      const sync = assertNoFdLeak(() => [...dd].map((b) => b.paths.base));
      assert.deepEqual(sync.map(rel(DATA_ROOT)), expected);
      assert.deepEqual(dd.problems, []);
      assert.deepEqual((await assertNoFdLeakAsync(() => walked(dd))).map(rel(DATA_ROOT)), expected);
      assert.equal(dd.size, expected.length);
    });
  }

  test('never yielded: the skip/ bin, the decoy, partial bins (default options, from the data root with everything whitelisted)', () => {
    const dd = new DataDirectory(DATA_ROOT, { whitelist: ['data', 'pyifcb', 'irfcb', 'white', 'empty', 'invalid', 'partial', '2012', 'D2013'] });
    const ids = [...dd].map((b) => path.relative(DATA_ROOT, b.paths.base));
    assert.ok(!ids.some((p) => p.includes('skip') || p.includes('decoy') || p.includes('partial')), ids.join());
    assert.ok(ids.includes('pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515'));
    assert.deepEqual(dd.problems, []);
  });

  test('get(id) searches whitelisted or id-substring directories; BIN_NOT_FOUND with pyifcb\'s message', () => {
    const root = path.join(DATA_ROOT, 'pyifcb');
    const dd = new DataDirectory(root);
    assert.equal(dd.get('IFCB5_2012_028_081515').paths.base, path.join(root, 'data/2012/IFCB5_2012_028/IFCB5_2012_028_081515'));
    assert.equal(dd.has('IFCB5_2012_028_081515'), true);
    try {
      dd.get('D20130526T095207_IFCB013'); // under white/, which is not whitelisted
      assert.fail('found');
    } catch (e) {
      assert.ok(e instanceof IfcbError);
      assert.equal(e.code, 'BIN_NOT_FOUND');
      assert.equal(e.message, `No fileset for D20130526T095207_IFCB013 found at or under ${root}`);
    }
    assert.equal(new DataDirectory(root, { whitelist: ['data', 'white'] }).get('D20130526T095207_IFCB013').id, 'D20130526T095207_IFCB013');
    assert.equal(dd.has('IFCB5_2006_001_121212'), false); // blacklisted skip/
    assert.equal(codeOf(() => dd.get('decoy')), 'INVALID_BIN_ID');
    assert.equal(codeOf(() => new DataDirectory(path.join(DATA_ROOT, 'irfcb/data')).get('D20230810T113059_IFCB134')), 'BIN_NOT_FOUND');
    assert.equal(new DataDirectory(path.join(DATA_ROOT, 'irfcb/data'), { requireRoiFiles: false }).get('D20230810T113059_IFCB134').hasRoiFile(), false);
  });

  test('whitelist and blacklist must be disjoint (INVALID_ARGUMENT)', () => {
    assert.equal(codeOf(() => new DataDirectory('.', { whitelist: ['data', 'skip'] })), 'INVALID_ARGUMENT');
    assert.equal(codeOf(() => new DataDirectory('.', { whitelist: ['x'], blacklist: ['x'] })), 'INVALID_ARGUMENT');
  });
});

describe('walks that meet trouble', () => {
  test('a fileset with a bad name is skipped and reported; the walk goes on; order is descending', async (t) => {
    const root = tempDirFor(t);
    const data = path.join(root, 'data');
    mkdirSync(path.join(data, 'beads'), { recursive: true });
    const a = writeSyntheticBin(data, { targets: 3, epochMs: Date.UTC(2020, 0, 1) });
    const b = writeSyntheticBin(data, { targets: 3, epochMs: Date.UTC(2021, 0, 1) });
    for (const ext of ['adc', 'hdr', 'roi']) writeFileSync(path.join(data, `foo.${ext}`), '');
    for (const ext of ['adc', 'hdr', 'roi']) writeFileSync(path.join(data, `D20200101T000000_IFCB999_extra.${ext}`), '');
    writeSyntheticBin(path.join(data, 'beads'), { targets: 3 });
    writeFileSync(path.join(data, 'decoy.adc'), '');
    const dd = new DataDirectory(root);
    const ids = [...dd].map((x) => x.id);
    assert.deepEqual(ids, [b.id, a.id]);
    assert.deepEqual(
      dd.problems.map((p) => [path.basename(p.path), p.error.code]),
      [
        ['foo.adc', 'INVALID_BIN_ID'],
        ['D20200101T000000_IFCB999_extra.adc', 'INVALID_BIN_ID'],
      ],
    );
    assert.match(dd.problems[0]!.error.message, /foo\.adc: "foo" is not an IFCB bin id/);
    const reported: string[] = [];
    const asyncIds: string[] = [];
    for await (const bin of dd.walk({ onProblem: (p) => reported.push(path.basename(p.path)) })) asyncIds.push(bin.id);
    assert.deepEqual(asyncIds, ids);
    assert.deepEqual(reported, ['foo.adc', 'D20200101T000000_IFCB999_extra.adc']);
    // blacklist is configurable; validatePaths off accepts any directory name
    assert.equal([...new DataDirectory(root, { whitelist: ['data', 'beads'], blacklist: ['skip'] })].length, 3);
    const other = path.join(root, 'elsewhere');
    mkdirSync(other);
    writeSyntheticBin(other, { targets: 2, epochMs: Date.UTC(2019, 0, 1) });
    assert.equal([...new DataDirectory(root)].length, 2);
    assert.equal([...new DataDirectory(root, { validatePaths: false })].length, 3);
  });

  test('symbolic-link loops do not hang and yield each bin once; links to bin directories are followed', async (t) => {
    const root = tempDirFor(t);
    const data = path.join(root, 'data');
    mkdirSync(data);
    const bin = writeSyntheticBin(data, { targets: 2 });
    symlinkSync('..', path.join(data, 'data')); // data/data → root: a loop
    symlinkSync(data, path.join(root, 'D2024')); // a second way to the same directory
    const elsewhere = tempDirFor(t);
    const linked = writeSyntheticBin(elsewhere, { targets: 2, epochMs: Date.UTC(2023, 5, 1) });
    symlinkSync(elsewhere, path.join(data, 'D2023'));
    const dd = new DataDirectory(root);
    const ids = [...dd].map((b) => b.id);
    assert.deepEqual(ids.sort(), [linked.id, bin.id].sort());
    assert.deepEqual((await walked(dd)).length, 2);
    assert.deepEqual(dd.problems, []);
  });

  test('a missing root is FILE_MISSING, a file root FILE_UNREADABLE; cancelling a walk is CANCELLED', async (t) => {
    const root = tempDirFor(t);
    assert.equal(codeOf(() => [...new DataDirectory(path.join(root, 'nope'))]), 'FILE_MISSING');
    writeFileSync(path.join(root, 'file'), 'x');
    assert.equal(codeOf(() => [...new DataDirectory(path.join(root, 'file'))]), 'FILE_UNREADABLE');
    await assert.rejects(walked(new DataDirectory(path.join(root, 'nope'))), (e) => e instanceof IfcbError && e.code === 'FILE_MISSING');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      (async () => {
        for await (const _ of new DataDirectory(root).walk({ signal: ac.signal })) void _;
      })(),
      (e) => e instanceof IfcbError && e.code === 'CANCELLED',
    );
  });

  test('an unreadable directory is reported and skipped, sync and async', async (t) => {
    const root = tempDirFor(t);
    const data = path.join(root, 'data');
    const locked = path.join(data, 'data');
    mkdirSync(locked, { recursive: true });
    writeSyntheticBin(locked, { targets: 2, epochMs: Date.UTC(2022, 0, 1) });
    const bin = writeSyntheticBin(data, { targets: 2 });
    // Permissions do not stop root, so EACCES is injected for that one directory.
    const eacces = () => Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES' });
    const origSync = fs.readdirSync;
    const origAsync = fsp.readdir;
    fs.readdirSync = ((p: string, o: never) => {
      if (p === locked) throw eacces();
      return origSync(p, o);
    }) as typeof fs.readdirSync;
    fsp.readdir = (async (p: string, o: never) => {
      if (p === locked) throw eacces();
      return origAsync(p, o);
    }) as typeof fsp.readdir;
    syncBuiltinESMExports();
    t.after(() => {
      fs.readdirSync = origSync;
      fsp.readdir = origAsync;
      syncBuiltinESMExports();
    });
    const dd = new DataDirectory(root);
    assert.deepEqual([...dd].map((b) => b.id), [bin.id]);
    assert.deepEqual(dd.problems.map((p) => [p.path, p.error.code]), [[locked, 'FILE_UNREADABLE']]);
    assert.match(dd.problems[0]!.error.message, /cannot list the directory .* \(permission denied\); its bins were skipped/);
    assert.deepEqual((await walked(dd)).map((b) => path.basename(b)), [bin.id]);
    assert.deepEqual(dd.problems.map((p) => [p.path, p.error.code]), [[locked, 'FILE_UNREADABLE']]);
  });
});
