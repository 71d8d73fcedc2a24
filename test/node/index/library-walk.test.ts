/**
 * The library finds what a scientist points it at: any folder names, any depth; hidden and blacklisted
 * folders left out; everything not indexed reported with its reason; symbolic links followed only
 * inside the added folders; one damaged `.adc` never stops the others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { getBin, listBins, listProblems, timeSeries } from '../../../main/index/queries.ts';
import { cataloguePort } from '../../../main/ipc/catalogue-adapter.ts';
import { classifyStem, isInside } from '../../../main/index/walk.ts';
import { writeSyntheticBin, type SyntheticBin } from '../../helpers/synthetic-bin.ts';
import type { CatalogueChange } from '../../../main/index/types.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { tempCatalogue } from './helpers.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2022, 6, 1);

/** Replace field `column` (0-based) of ADC row `row` (1-based) of a schema-2 bin. */
function damageAdc(bin: SyntheticBin, row: number, column: number, value: string): void {
  const lines = readFileSync(bin.paths.adc, 'utf8').split('\n');
  const fields = lines[row - 1]!.split(',');
  fields[column] = value;
  lines[row - 1] = fields.join(',');
  writeFileSync(bin.paths.adc, lines.join('\n'));
}

test('bins under folders with any names at any depth are found; hidden and blacklisted folders are not entered', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'cruise2022');
  const at = (folder: string, day: number, seed: number): SyntheticBin =>
    writeSyntheticBin((mkdirSync(path.join(root, folder), { recursive: true }), path.join(root, folder)), { epochMs: T0 + day * DAY, targets: 4, emptyEvery: 0, minSize: 4, maxSize: 6, seed, instrument: 12 });
  const raw = at('raw', 0, 1);
  const deep = at('leg 2/station 14/ctd cast', 1, 2);
  const top = at('', 2, 3);
  at('.snapshot', 3, 4);
  at('raw/beads', 4, 5);
  at('skip', 5, 6);
  catalogue.addRoot(root);
  const s = await catalogue.index();
  assert.deepEqual([s.found, s.added, s.problems], [3, 3, 0]);
  assert.deepEqual(listBins(catalogue.db).bins.map((b) => [b.folder, b.id]), [
    ['raw', raw.id],
    ['leg 2/station 14/ctd cast', deep.id],
    ['', top.id],
  ]);
});

test('incomplete filesets, invalid names and hidden files: the first two reported with their reason, hidden files ignored', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'lab');
  mkdirSync(root);
  const good = writeSyntheticBin(root, { epochMs: T0, targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6 });
  writeFileSync(path.join(root, 'D20220702T000000_IFCB012.adc'), '1,2\n'); // no .hdr
  writeFileSync(path.join(root, 'D20220703T000000_IFCB012.hdr'), 'x: 1\n'); // no .adc
  writeFileSync(path.join(root, 'D20220704T000000_IFCB012.roi'), ''); // only a .roi
  writeFileSync(path.join(root, 'notes.hdr'), '');
  writeFileSync(path.join(root, `._${good.id}.adc`), ''); // macOS resource fork on a shared drive
  writeFileSync(path.join(root, 'README.txt'), '');
  const rootRecord = catalogue.addRoot(root);
  // through the port the app uses: the job's summary says how many files were skipped
  const summary = await cataloguePort(catalogue).index(undefined, { onProgress: () => undefined, signal: new AbortController().signal });
  assert.equal(summary, '1 bins found: 1 added, 0 updated, 0 removed, 0 unreadable, 4 files skipped');
  assert.deepEqual(listBins(catalogue.db).bins.map((b) => b.id), [good.id]);
  assert.deepEqual(listProblems(catalogue.db).map((p) => [p.path, p.code, p.message]), [
    ['D20220702T000000_IFCB012.adc', 'FILE_MISSING', 'incomplete fileset: D20220702T000000_IFCB012.hdr missing; bin skipped'],
    ['D20220703T000000_IFCB012.hdr', 'FILE_MISSING', 'incomplete fileset: D20220703T000000_IFCB012.adc missing; bin skipped'],
    ['D20220704T000000_IFCB012.roi', 'FILE_MISSING', 'incomplete fileset: D20220704T000000_IFCB012.adc and D20220704T000000_IFCB012.hdr missing; bin skipped'],
    ['notes.hdr', 'INVALID_BIN_ID', '"notes" is not an IFCB bin name; skipped'],
  ]);
  assert.equal(catalogue.listRoots().find((r) => r.rootId === rootRecord.rootId)!.problemCount, 4);
});

test('a folder with one corrupted .adc among good ones: the good bins are stored, the bad ones unreadable with their code', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'folder');
  mkdirSync(root);
  const bins = [0, 1, 2, 3, 4, 5].map((i) => writeSyntheticBin(root, { epochMs: T0 + i * DAY, targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6, seed: i + 1 }));
  // schema 2 columns: 15 ROI_WIDTH, 17 START_BYTE, 0 TRIGGER
  damageAdc(bins[1]!, 2, 17, '1e300');
  damageAdc(bins[3]!, 1, 15, '4294967297');
  damageAdc(bins[4]!, 3, 0, '2.5');
  catalogue.addRoot(root);
  const s = await catalogue.index();
  assert.deepEqual([s.found, s.added, s.unreadable, s.cancelled], [6, 6, 3, false]);
  const listed = listBins(catalogue.db).bins;
  assert.deepEqual(listed.map((b) => [b.id, b.errorCode, b.qc.includes('unreadable')]), [
    [bins[0]!.id, null, false],
    [bins[1]!.id, 'ROI_INVALID_GEOMETRY', true],
    [bins[2]!.id, null, false],
    [bins[3]!.id, 'ROI_INVALID_GEOMETRY', true],
    [bins[4]!.id, 'ADC_MALFORMED_ROW', true],
    [bins[5]!.id, null, false],
  ]);
  assert.match(listed[1]!.errorMessage!, /START_BYTE/);
  assert.match(listed[3]!.errorMessage!, /ROI_WIDTH/);
  assert.deepEqual([listed[1]!.roiExpectedBytes, listed[3]!.roiExpectedBytes, listed[4]!.triggers], [null, null, null]);
  assert.deepEqual(listed.filter((b) => b.errorCode === null).map((b) => b.images), [3, 3, 3]);
  assert.deepEqual(catalogue.listRoots().map((r) => r.state), ['complete']);
  assert.deepEqual(listProblems(catalogue.db).map((p) => [p.path, p.code, p.kind]), [
    [`${bins[1]!.id}.adc`, 'ROI_INVALID_GEOMETRY', 'unreadable'],
    [`${bins[3]!.id}.adc`, 'ROI_INVALID_GEOMETRY', 'unreadable'],
    [`${bins[4]!.id}.adc`, 'ADC_MALFORMED_ROW', 'unreadable'],
  ]);
});

test('a symbolic link out of the root is not followed: the outside bin never appears in bins:list or the time series', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'root');
  const outside = path.join(dir, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  const inside = writeSyntheticBin(root, { epochMs: T0, targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6, seed: 1 });
  const secret = writeSyntheticBin(outside, { epochMs: T0 + DAY, targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6, seed: 2 });
  symlinkSync(outside, path.join(root, 'linked-folder'));
  // a bin whose files are links to the outside ones
  mkdirSync(path.join(root, 'files'));
  for (const ext of ['adc', 'hdr', 'roi']) symlinkSync(`${secret.base}.${ext}`, path.join(root, 'files', `${secret.id}.${ext}`));
  // links that stay inside the root are followed (once)
  symlinkSync(path.join(root, 'files'), path.join(root, 'also-files'));
  const linkedInside = path.join(root, 'real');
  mkdirSync(linkedInside);
  const viaLink = writeSyntheticBin(linkedInside, { epochMs: T0 + 2 * DAY, targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6, seed: 3 });
  symlinkSync('real', path.join(root, 'shortcut'));

  catalogue.addRoot(root);
  const s = await catalogue.index();
  assert.equal(s.found, 2);
  assert.deepEqual(listBins(catalogue.db).bins.map((b) => b.id), [inside.id, viaLink.id]);
  assert.equal(getBin(catalogue.db, secret.id), undefined);
  assert.deepEqual(timeSeries(catalogue.db, { bucket: 'day' }).points.map((p) => p.bins), [1, 1]);
  assert.deepEqual(listProblems(catalogue.db).map((p) => [p.path, p.code]), [
    ['also-files/' + `${secret.id}.adc`, 'PATH_NOT_ALLOWED'],
    ['also-files/' + `${secret.id}.hdr`, 'PATH_NOT_ALLOWED'],
    ['also-files/' + `${secret.id}.roi`, 'PATH_NOT_ALLOWED'],
    // also-files/ and files/ are one folder, real/ and shortcut/ too: each walked once (ascending names)
    ['files', 'FILE_UNREADABLE'],
    ['linked-folder', 'PATH_NOT_ALLOWED'],
    ['shortcut', 'FILE_UNREADABLE'],
  ]);
});

test('a link into another added folder is followed; the bin it reaches is one bin', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  mkdirSync(a);
  mkdirSync(b);
  const bin = writeSyntheticBin(b, { epochMs: T0, targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6 });
  symlinkSync(b, path.join(a, 'to-b'));
  catalogue.addRoot(a);
  let s = await catalogue.index();
  // b is not an added folder yet: the link leads outside the library
  assert.deepEqual([s.found, listProblems(catalogue.db).map((p) => p.code)], [0, ['PATH_NOT_ALLOWED']]);
  catalogue.addRoot(b);
  s = await catalogue.index();
  assert.equal(s.found, 2);
  assert.deepEqual(listBins(catalogue.db).bins.map((x) => [x.id, x.path]), [[bin.id, path.join(a, 'to-b', bin.id)]]);
  assert.deepEqual(listProblems(catalogue.db), []);
});

test('classifyStem: a fileset needs a valid name, a .adc and a .hdr that are files; otherwise one problem names why', () => {
  const kind = fc.constantFrom<'file' | 'dir' | undefined>('file', 'dir', undefined);
  fc.assert(
    fc.property(fc.constantFrom('D20220522T003051_IFCB134', 'IFCB5_2012_028_081515', 'foo', 'D20220522T003051_IFCB134_00001', ''), kind, kind, kind, (stem, adc, hdr, roi) => {
      const verdict = classifyStem(stem, { adc, hdr, roi });
      const validName = stem === 'D20220522T003051_IFCB134' || stem === 'IFCB5_2012_028_081515';
      if (adc === undefined && hdr === undefined && roi === undefined) return assert.equal(verdict, null);
      assert.ok(verdict !== null);
      if (verdict.bin) {
        assert.deepEqual([validName, adc, hdr, verdict.hasRoi], [true, 'file', 'file', roi === 'file']);
        return;
      }
      const expected = !validName ? 'INVALID_BIN_ID' : adc === 'dir' || hdr === 'dir' ? 'FILE_UNREADABLE' : 'FILE_MISSING';
      assert.equal(verdict.code, expected);
      assert.ok(verdict.file.startsWith(`${stem}.`));
      assert.ok(!validName || adc !== 'file' || hdr !== 'file');
    }),
  );
});

test('isInside: a folder contains itself and what is below it, never a sibling sharing its prefix', () => {
  assert.deepEqual([isInside('/a/b', '/a/b'), isInside('/a/b/c', '/a/b'), isInside('/a/bc', '/a/b'), isInside('/a', '/a/b'), isInside('/x', '/')], [true, true, false, false, true]);
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b', 'ab'), { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom('a', 'b', 'ab'), { minLength: 1, maxLength: 4 }), (p, q) => {
      const target = '/' + p.join('/');
      const folder = '/' + q.join('/');
      const expected = p.length >= q.length && q.every((part, i) => p[i] === part);
      assert.equal(isInside(target, folder), expected);
    }),
  );
});

test('the same bin id in two folders is one row: the complete copy is listed and opened, the other is its duplicate', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'archive');
  const bin = writeSyntheticBin((mkdirSync(path.join(dir, 'source')), path.join(dir, 'source')), { epochMs: T0, targets: 5, emptyEvery: 0, minSize: 4, maxSize: 6 });
  const place = (folder: string, exts: string[]): void => {
    mkdirSync(path.join(root, folder), { recursive: true });
    for (const ext of exts) writeFileSync(path.join(root, folder, `${bin.id}.${ext}`), readFileSync(`${bin.base}.${ext}`));
  };
  // the partial copy (no .roi) is catalogued first, so it is the older row: completeness must win over age
  place('a-partial', ['adc', 'hdr']);
  const other = writeSyntheticBin(root, { epochMs: T0 + DAY, targets: 2, emptyEvery: 0, minSize: 4, maxSize: 6, seed: 9 });
  catalogue.addRoot(root);
  await catalogue.index();
  const port = cataloguePort(catalogue);
  assert.deepEqual(port.getBin(bin.id)!.folder, 'a-partial');
  place('b-complete', ['adc', 'hdr', 'roi']);
  await catalogue.index();
  assert.deepEqual(port.listBins({}, { limit: 10, order: 'asc' }).bins.map((b) => [b.id, b.folder]), [[bin.id, 'b-complete'], [other.id, '']]);
  assert.deepEqual(port.listBins({ search: bin.id.slice(1, 9) }, { limit: 10, order: 'asc' }).bins.map((b) => b.id), [bin.id]);
  const got = port.getBin(bin.id)!;
  assert.deepEqual([got.folder, got.qc, got.duplicates], [
    'b-complete',
    [],
    [{ rootId: got.rootId, folder: 'a-partial', path: path.join(root, 'a-partial', bin.id), qc: ['noRoi', 'partial'] }],
  ]);
  assert.equal(port.pathOfBin(bin.id), path.join(root, 'b-complete', bin.id));
  assert.deepEqual(port.timeSeries({ bucket: 'day' }).points.map((p) => p.bins), [1, 1]);
  assert.deepEqual(port.neighbours(other.id), { previous: bin.id });
  assert.deepEqual(port.listRoots().map((r) => [r.binCount, r.problemCount]), [[3, 0]]);
});

test('the live watch keeps the same rules: any folder names, not hidden folders, never a file outside the library', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'live');
  const outside = path.join(dir, 'outside');
  mkdirSync(path.join(root, 'any name', 'deeper'), { recursive: true });
  mkdirSync(path.join(root, '.hidden'));
  mkdirSync(outside);
  const r = catalogue.addRoot(root);
  await catalogue.index();
  const events: CatalogueChange[] = [];
  const handle = catalogue.watch(r.rootId, (c) => events.push(c), { debounceMs: 50, onError: (e) => assert.fail(String(e)) });
  t.after(() => handle.close());
  await handle.ready;
  // written first: file events arrive in order and changes are applied one at a time, so the refused
  // ones are decided before the good bin appears
  writeSyntheticBin(path.join(root, '.hidden'), { epochMs: T0, targets: 2, emptyEvery: 0, minSize: 4, maxSize: 6, seed: 1 });
  const secret = writeSyntheticBin(outside, { epochMs: T0 + DAY, targets: 2, emptyEvery: 0, minSize: 4, maxSize: 6, seed: 2 });
  for (const ext of ['adc', 'hdr', 'roi']) symlinkSync(`${secret.base}.${ext}`, path.join(root, 'any name', `${secret.id}.${ext}`));
  const good = writeSyntheticBin(path.join(root, 'any name', 'deeper'), { epochMs: T0 + 2 * DAY, targets: 2, emptyEvery: 0, minSize: 4, maxSize: 6, seed: 3 });
  await waitFor(() => events.find((e) => e.id === good.id && e.qc.length === 0), 5000, 'the good bin');
  assert.deepEqual(listBins(catalogue.db).bins.map((b) => [b.folder, b.id]), [['any name/deeper', good.id]]);
  assert.deepEqual([...new Set(events.map((e) => e.id))], [good.id]);
});
