/**
 * Training-set export: `ifcb-viewer export --by-class` (one folder per class) and the EcoTaxa table's
 * `object_annotation_*` columns, on the shared bins IFCB5_2012_028_081515 and D20220522T003051_IFCB134 with their
 * products recorded from the shared products folder in a library database.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { classFolderName, topLevelEntries } from '../../../main/export/by-class.ts';
import { resolveDestination, Staging } from '../../../main/export/staging.ts';
import { main } from '../../../main/cli/main.ts';
import { openDatabase } from '../../../main/index/database.ts';
import { LabelStore } from '../../../main/products/label-store.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { PRODUCTS_ROOT } from './paths.ts';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, isTTY: false });
  return { code, out, err };
}

/** Every file under `dir`, relative, sorted. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(path.join(dir, p)).isFile())
    .map((p) => p.split(path.sep).join('/'))
    .sort();
}

const IFCB5_FILES = [1, 2, 3, 5, 6].map((t) => `IFCB5_2012_028_081515_0000${t}.png`);

/** A library with both bins' roots indexed and the shared products folder added to each. */
async function library(t: { after(fn: () => void): void }): Promise<{ dir: string; db: string }> {
  const dir = tempDirFor(t);
  const db = path.join(dir, 'lib.sqlite');
  for (const root of [path.dirname(SAMPLE.C), path.join(path.dirname(SAMPLE.A), '..', '..')]) {
    assert.equal((await cli('index', root, '--db', db)).code, 0);
    const added = await cli('results', 'add', root, PRODUCTS_ROOT, '--db', db);
    assert.equal(added.code, 0, added.err);
  }
  return { dir, db };
}

test('class folder names are safe on every OS; top-level entries name each folder once', () => {
  assert.equal(classFolderName('Mesodinium_rubrum'), 'Mesodinium_rubrum');
  assert.equal(classFolderName('Strombidium-like'), 'Strombidium-like');
  assert.equal(classFolderName(''), 'unclassified');
  assert.equal(classFolderName('a/b:c?'), 'a_b_c_');
  assert.equal(classFolderName('..'), '__');
  assert.equal(classFolderName('CON'), 'CON_');
  assert.deepEqual(topLevelEntries(['A/x.png', 'A/y.png', 'B/z.png', 'meta.csv']), ['A', 'B', 'meta.csv']);
});

test('export --by-class --ecotaxa: one folder per class, EcoTaxa annotation columns (manual file = validated)', async (t) => {
  const { dir, db } = await library(t);
  const out = path.join(dir, 'train');
  const r = await cli('export', SAMPLE.A, SAMPLE.C, '--out', out, '--by-class', '--ecotaxa', '--db', db);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(listing(out), [
    'Mesodinium_rubrum/D20220522T003051_IFCB134_00002.png',
    'Mesodinium_rubrum/D20220522T003051_IFCB134_00003.png',
    'ecotaxa_train.tsv',
    ...IFCB5_FILES.map((f) => `unclassified/${f}`),
  ]);
  const [names, types, ...rows] = readFileSync(path.join(out, 'ecotaxa_train.tsv'), 'utf8').replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
  assert.deepEqual(names!.slice(-5), ['object_annotation_category', 'object_annotation_status', 'object_annotation_person_name', 'object_annotation_date', 'object_annotation_time']);
  assert.deepEqual(types!.slice(-5), ['[t]', '[t]', '[t]', '[t]', '[t]']);
  const file = names!.indexOf('img_file_name');
  assert.deepEqual(
    rows.map((row) => [row[file], ...row.slice(-5)]),
    [
      ...IFCB5_FILES.map((f) => [`unclassified/${f}`, '', '', '', '', '']),
      ['Mesodinium_rubrum/D20220522T003051_IFCB134_00002.png', 'Mesodinium_rubrum', 'validated', '', '', ''],
      ['Mesodinium_rubrum/D20220522T003051_IFCB134_00003.png', 'Mesodinium_rubrum', 'validated', '', '', ''],
    ],
  );
});

test('a library label moves a ROI to its folder and signs the EcoTaxa row; zip and TIFF keep the folders', async (t) => {
  const { dir, db } = await library(t);
  const handle = openDatabase(db);
  new LabelStore(handle).set([{ binId: 'D20220522T003051_IFCB134', targets: [3] }], 'Ciliates', { annotator: 'ann', atMs: Date.UTC(2024, 5, 7, 8, 9, 10) });
  handle.close();
  const out = path.join(dir, 'labelled');
  assert.equal((await cli('export', SAMPLE.C, '--out', out, '--by-class', '--ecotaxa', '--db', db)).code, 0);
  assert.deepEqual(listing(out), ['Ciliates/D20220522T003051_IFCB134_00003.png', 'Mesodinium_rubrum/D20220522T003051_IFCB134_00002.png', 'ecotaxa_labelled.tsv']);
  const last = readFileSync(path.join(out, 'ecotaxa_labelled.tsv'), 'utf8').replace(/\n$/, '').split('\n').at(-1)!.split('\t');
  assert.deepEqual(last.slice(-5), ['Ciliates', 'validated', 'ann', '20240607', '080910']);

  const zip = path.join(dir, 'set.zip');
  assert.equal((await cli('export', SAMPLE.C, '--out', zip, '--by-class', '--format', 'tiff', '--db', db)).code, 0);
  const entries = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', zip], { encoding: 'utf8' }).trim().split('\n');
  assert.deepEqual(entries, ['Mesodinium_rubrum/D20220522T003051_IFCB134_00002.tif', 'Ciliates/D20220522T003051_IFCB134_00003.tif']);
});

test('into an existing folder: class folders are placed whole; an existing class folder is a conflict (exit 3)', async (t) => {
  const { dir, db } = await library(t);
  const out = path.join(dir, 'existing');
  mkdirSync(out);
  assert.equal((await cli('export', SAMPLE.C, '--out', out, '--by-class', '--db', db)).code, 0);
  assert.deepEqual(listing(out), ['Mesodinium_rubrum/D20220522T003051_IFCB134_00002.png', 'Mesodinium_rubrum/D20220522T003051_IFCB134_00003.png']);
  const again = await cli('export', SAMPLE.C, '--out', out, '--by-class', '--db', db);
  assert.equal(again.code, 3);
  assert.match(again.err, /EXPORT_TARGET_EXISTS/);
  assert.deepEqual(readdirSync(out), ['Mesodinium_rubrum'], 'nothing else was left behind');
  assert.equal((await cli('export', SAMPLE.C, '--out', path.join(dir, 'p'), '--by-class', '--pyifcb', '--db', db)).code, 3);
});

test('a commit that fails after a class folder was placed takes the whole folder back', async (t) => {
  const dir = tempDirFor(t);
  writeFileSync(path.join(dir, 'ecotaxa_x.tsv'), 'there first');
  const staging = await Staging.create(await resolveDestination(dir, 'folder'));
  mkdirSync(staging.file('Ciliates'));
  await staging.write('Ciliates/a.png', new Uint8Array([1, 2, 3]));
  await staging.write('ecotaxa_x.tsv', new Uint8Array([4]));
  await assert.rejects(staging.commit(['Ciliates', 'ecotaxa_x.tsv']), { code: 'EXPORT_TARGET_EXISTS' });
  assert.deepEqual(readdirSync(dir), ['ecotaxa_x.tsv']);
  assert.equal(readFileSync(path.join(dir, 'ecotaxa_x.tsv'), 'utf8'), 'there first');
});
