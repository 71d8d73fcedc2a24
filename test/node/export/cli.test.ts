/** `ifcb-viewer export` through the CLI dispatcher (main/cli/main.ts), with captured output. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../../main/cli/main.ts';
import { parseRoiList } from '../../../main/cli/commands/export.ts';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { writeCalibration } from '../../../main/index/calibration-store.ts';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import { openDatabase } from '../../../main/index/database.ts';
import { makeTempDir, tempDirFor } from '../../helpers/temp.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { readZip } from './zip-read.ts';

// the CLI reads calibrations from the default library: never the real one of whoever runs the tests
before(() => {
  process.env['IFCB_VIEWER_DB'] = path.join(makeTempDir('ifcb-cli-no-library-'), 'absent.sqlite');
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, isTTY: false });
  return { code, out, err };
}

test('--rois parses lists and ranges, rejects nonsense', () => {
  assert.deepEqual(parseRoiList('1,3,5-9'), [1, 3, 5, 6, 7, 8, 9]);
  assert.deepEqual(parseRoiList('9-9, 2,2'), [2, 9]);
  for (const bad of ['0', '5-3', 'a', '1,,2', '-4']) assert.throws(() => parseRoiList(bad), /--rois/, bad);
});

test('export PATH --rois --out DIR --metadata: exact files, exit 0, summary line', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'o');
  const r = await cli(['export', `${SAMPLE.B}.adc`, '--rois', '7,8,11-13', '--out', out, '--metadata']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(out).sort(), ['D20130526T095207_IFCB013_00007.png', 'D20130526T095207_IFCB013_00011.png', 'D20130526T095207_IFCB013_00013.png', 'metadata.csv']);
  assert.match(r.out, /^wrote 3 image\(s\) to .*\/o \(\+ metadata\.csv; µm at 3\.4 px\/µm for IFCB13\); skipped 2 target\(s\) without an image in \d+\.\d\d s\n$/);
  assert.match(r.err, /skipped D20130526T095207_IFCB013 target 8: no-image/);
  assert.equal(readFileSync(path.join(out, 'metadata.csv'), 'utf8').split('\n').length, 5);
});

test('export to FILE.zip --ecotaxa --format tiff --json', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'x.zip');
  const r = await cli(['export', SAMPLE.C, '--out', out, '--ecotaxa', '--format', 'tiff', '--json']);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as { images: number; entries: string[] };
  assert.equal(json.images, 2);
  assert.deepEqual(readZip(out).map((e) => e.name), ['D20220522T003051_IFCB134_00002.tif', 'D20220522T003051_IFCB134_00003.tif', 'ecotaxa_x.tsv']);
});

test('export of a folder of bins and --pyifcb whole-bin zips', async (t) => {
  const dir = tempDirFor(t);
  const src = path.join(dir, 'src');
  mkdirSync(src);
  const a = writeSyntheticBin(src, { targets: 5, emptyEvery: 0, epochMs: Date.UTC(2024, 0, 1) });
  const b = writeSyntheticBin(src, { targets: 3, emptyEvery: 0, epochMs: Date.UTC(2024, 0, 2), seed: 7 });
  const out = path.join(dir, 'zips');
  const r = await cli(['export', src, '--pyifcb', '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(out).sort(), [`${a.id}.zip`, `${b.id}.zip`]);
  assert.equal(readZip(path.join(out, `${b.id}.zip`)).length, 3 + 3);
});

test('errors: existing target → exit 3 EXPORT_TARGET_EXISTS; usage mistakes → exit 2', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'o');
  assert.equal((await cli(['export', SAMPLE.C, '--out', out])).code, 0);
  const again = await cli(['export', SAMPLE.C, '--out', out]);
  assert.equal(again.code, 3);
  assert.match(again.err, /error EXPORT_TARGET_EXISTS/);
  assert.equal((await cli(['export', SAMPLE.C])).code, 2, 'no --out');
  assert.equal((await cli(['export', SAMPLE.C, SAMPLE.B, '--rois', '2', '--out', path.join(dir, 'p')])).code, 2, '--rois with two bins');
  assert.equal((await cli(['export', SAMPLE.C, '--format', 'jpeg', '--out', path.join(dir, 'q')])).code, 2);
  assert.equal((await cli(['export', SAMPLE.C, '--from', '2020-01-01', '--out', path.join(dir, 'r')])).code, 2, 'paths and --from together');
  const missing = await cli(['export', SAMPLE.D, '--out', path.join(dir, 's')]);
  assert.equal(missing.code, 3);
  assert.match(missing.err, /FILE_MISSING/);
});

test('export --db --from --to: the catalogue selects the bins (bins without a .roi are left out)', async (t) => {
  const dir = tempDirFor(t);
  const db = path.join(dir, 'catalogue.sqlite');
  const catalogue = openCatalogue(db, { workers: 1 });
  catalogue.addRoot(path.join(DATA_ROOT, 'irfcb/data'));
  await catalogue.index();
  await catalogue.close();
  const out = path.join(dir, 'o');
  const r = await cli(['export', '--db', db, '--from', '2022-01-01T00:00:00Z', '--to', '2024-01-01T00:00:00Z', '--out', out, '--json']);
  assert.equal(r.code, 0, r.err);
  // C (2022) has 2 images; D (2023) has no .roi and is not exported
  assert.deepEqual(readdirSync(out).sort(), ['D20220522T003051_IFCB134_00002.png', 'D20220522T003051_IFCB134_00003.png']);
  const none = await cli(['export', '--db', db, '--from', '2030-01-01T00:00:00Z', '--out', path.join(dir, 'p')]);
  assert.equal(none.code, 3);
  assert.match(none.err, /BIN_NOT_FOUND/);
});

test("export uses each instrument's calibration stored in the library (--db) unless --px-per-um overrides it", async (t) => {
  const dir = tempDirFor(t);
  const db = path.join(dir, 'library.sqlite');
  const raw = openDatabase(db);
  writeCalibration(raw, 13, 2.7);
  raw.close();
  const widthUm = (out: string) => {
    const [head, row] = readFileSync(path.join(out, 'metadata.csv'), 'utf8').split('\n').map((l) => l.split(','));
    return ['width_px', 'width_um', 'px_per_um'].map((c) => row![head!.indexOf(c)]);
  };
  const stored = await cli(['export', `${SAMPLE.B}.adc`, '--rois', '7', '--db', db, '--out', path.join(dir, 'stored'), '--metadata', '--json']);
  assert.equal(stored.code, 0, stored.err);
  assert.deepEqual(widthUm(path.join(dir, 'stored')), ['88', '32.59', '2.7']);
  assert.deepEqual((JSON.parse(stored.out) as { pxPerUm: unknown }).pxPerUm, [{ instrument: 13, pxPerUm: 2.7 }]);
  const forced = await cli(['export', `${SAMPLE.B}.adc`, '--rois', '7', '--db', db, '--px-per-um', '4', '--out', path.join(dir, 'forced'), '--metadata']);
  assert.equal(forced.code, 0, forced.err);
  assert.deepEqual(widthUm(path.join(dir, 'forced')), ['88', '22', '4']);
  // another instrument of the same library has no calibration: the default
  const other = await cli(['export', SAMPLE.C, '--rois', '3', '--db', db, '--out', path.join(dir, 'other'), '--metadata']);
  assert.equal(other.code, 0, other.err);
  assert.deepEqual(widthUm(path.join(dir, 'other')), ['144', '42.35', '3.4']);
});
