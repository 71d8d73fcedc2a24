/**
 * Safety of exportRois: never overwrite (EXPORT_TARGET_EXISTS before anything is written), and a
 * cancelled or failed export (read-only destination, disk full, source vanished) leaves the destination
 * exactly as it was. Tests run as root, so "read-only" is made observable with `chattr +i` (immutable
 * folder: even root gets EPERM) and a destination whose parent is a file (ENOTDIR); "disk full" is a
 * real 1 MB tmpfs. Where the machine does not allow chattr/mount the test is skipped and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportRois, type ExportRequest } from '../../../main/export/index.ts';
import { isIfcbError } from '../../../shared/errors.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { makeTempDir, removeTempDir, tempDirFor } from '../../helpers/temp.ts';
import { writeSyntheticBin, type SyntheticBin } from '../../helpers/synthetic-bin.ts';
import { assertNoFdLeakAsync } from '../../helpers/fd-leak.ts';
import { makeFifo } from '../../helpers/fifo.ts';
import { readZip } from './zip-read.ts';

const C = 'D20220522T003051_IFCB134';
const B = 'D20130526T095207_IFCB013';

/** Every file under `dir` with size and mtime, to prove "untouched". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      // a folder's own mtime changes when the hidden staging folder comes and goes; its contents must not
      out[path.relative(dir, p)] = st.isDirectory() ? 'dir' : `${st.size}:${st.mtimeMs}:${readFileSync(p).toString('base64').slice(0, 40)}`;
    }
  };
  walk(dir);
  return out;
}

async function rejectsWith(p: Promise<unknown>, code: string, errno?: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.ok(isIfcbError(e), `expected an IfcbError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (errno !== undefined) assert.equal(e.details?.['errno'], errno, e.message);
    return e;
  }
  assert.fail(`expected ${code}, but the export succeeded`);
}

function syntheticItem(bin: SyntheticBin) {
  return { binPath: bin.base, binId: bin.id };
}

test('an existing image file in the destination folder: EXPORT_TARGET_EXISTS, nothing written', async (t) => {
  const dir = tempDirFor(t);
  const dest = path.join(dir, 'out');
  mkdirSync(dest);
  writeFileSync(path.join(dest, `${C}_00003.png`), 'not mine');
  writeFileSync(path.join(dest, 'notes.txt'), 'keep');
  const before = snapshot(dir);
  const e = await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: dest }), 'EXPORT_TARGET_EXISTS');
  assert.match(e.message, /D20220522T003051_IFCB134_00003\.png/);
  assert.deepEqual(snapshot(dir), before);
});

test('an existing metadata.csv, an existing .zip, a file named like the folder: EXPORT_TARGET_EXISTS, untouched', async (t) => {
  const dir = tempDirFor(t);
  const folder = path.join(dir, 'f');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'metadata.csv'), 'old');
  writeFileSync(path.join(dir, 'old.zip'), 'PK old');
  writeFileSync(path.join(dir, 'plainfile'), 'x');
  const before = snapshot(dir);
  const items = [{ binPath: SAMPLE.C, binId: C }];
  await rejectsWith(exportRois({ items, destination: folder, metadata: true }), 'EXPORT_TARGET_EXISTS');
  await rejectsWith(exportRois({ items, destination: path.join(dir, 'old.zip') }), 'EXPORT_TARGET_EXISTS');
  await rejectsWith(exportRois({ items, destination: path.join(dir, 'plainfile') }), 'EXPORT_TARGET_EXISTS');
  await rejectsWith(exportRois({ items, destination: path.join(dir, 'x'), layout: 'pyifcb-zip' }).then(() =>
    exportRois({ items, destination: path.join(dir, 'x'), layout: 'pyifcb-zip' }),
  ), 'EXPORT_TARGET_EXISTS');
  rmSync(path.join(dir, 'x'), { recursive: true });
  assert.deepEqual(snapshot(dir), before);
});

test('adding to an existing folder keeps what was there and adds only the new files', async (t) => {
  const dir = tempDirFor(t);
  const dest = path.join(dir, 'out');
  mkdirSync(dest);
  writeFileSync(path.join(dest, 'notes.txt'), 'keep');
  await exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: dest, metadata: true });
  assert.deepEqual(readdirSync(dest).sort(), [`${C}_00002.png`, `${C}_00003.png`, 'metadata.csv', 'notes.txt']);
  assert.equal(readFileSync(path.join(dest, 'notes.txt'), 'utf8'), 'keep');
});

for (const kind of ['folder', 'zip', 'existing folder'] as const) {
  test(`cancel mid-export (${kind}): CANCELLED and the destination is exactly as before`, async (t) => {
    const dir = tempDirFor(t);
    const src = path.join(dir, 'src');
    mkdirSync(src);
    const bin = writeSyntheticBin(src, { targets: 1500, emptyEvery: 0, maxSize: 160 });
    const work = path.join(dir, 'work');
    mkdirSync(work);
    let dest = path.join(work, kind === 'zip' ? 'out.zip' : 'out');
    if (kind === 'existing folder') {
      mkdirSync(dest);
      writeFileSync(path.join(dest, 'keep.txt'), 'keep');
      dest = path.join(work, 'out');
    }
    const before = snapshot(work);
    const controller = new AbortController();
    let doneAtCancel = -1;
    await assertNoFdLeakAsync(() =>
      rejectsWith(
        exportRois(
          { items: [syntheticItem(bin)], destination: dest, metadata: true, ecotaxa: true },
          {
            signal: controller.signal,
            onProgress: (p) => {
              if (p.phase === 'writing' && p.done > 0 && doneAtCancel < 0) {
                doneAtCancel = p.done;
                controller.abort();
              }
            },
          },
        ),
        'CANCELLED',
      ),
    );
    assert.ok(doneAtCancel > 0 && doneAtCancel < 1500, `cancelled mid-way (after ${doneAtCancel} images)`);
    assert.deepEqual(snapshot(work), before);
  });
}

test('a signal aborted before the start: CANCELLED, nothing created', async (t) => {
  const dir = tempDirFor(t);
  const controller = new AbortController();
  controller.abort();
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: path.join(dir, 'o') }, { signal: controller.signal }), 'CANCELLED');
  assert.deepEqual(readdirSync(dir), []);
});

test('destination whose parent is a file (not writable as a folder): EXPORT_FAILED ENOTDIR, nothing created', async (t) => {
  const dir = tempDirFor(t);
  writeFileSync(path.join(dir, 'afile'), 'x');
  const before = snapshot(dir);
  for (const dest of [path.join(dir, 'afile', 'out'), path.join(dir, 'afile', 'out.zip')]) {
    await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: dest }), 'EXPORT_FAILED', 'ENOTDIR');
  }
  assert.deepEqual(snapshot(dir), before);
});

function tryRun(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('read-only destination folder (chattr +i, EPERM even for root): EXPORT_FAILED, folder untouched', async (t) => {
  const dir = makeTempDir();
  const dest = path.join(dir, 'locked');
  mkdirSync(dest);
  writeFileSync(path.join(dest, 'keep.txt'), 'keep');
  // registered first so it runs before the folder is removed
  t.after(() => {
    tryRun('chattr', ['-i', dest]);
    removeTempDir(dir);
  });
  if (!tryRun('chattr', ['+i', dest])) {
    t.skip('chattr +i is not available here (needs root on ext4/xfs); read-only-ness cannot be simulated');
    return;
  }
  const before = snapshot(dir);
  for (const d of [dest, path.join(dest, 'x.zip'), path.join(dest, 'sub')]) {
    await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: d, metadata: true }), 'EXPORT_FAILED', 'EPERM');
  }
  assert.deepEqual(snapshot(dir), before);
});

test('disk full (a 1 MB tmpfs) mid-export: EXPORT_FAILED ENOSPC and nothing left on the disk', async (t) => {
  const dir = tempDirFor(t);
  const src = path.join(dir, 'src');
  mkdirSync(src);
  const bin = writeSyntheticBin(src, { targets: 600, emptyEvery: 0 });
  const mnt = makeTempDir('ifcb-tmpfs-');
  if (!tryRun('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt])) {
    removeTempDir(mnt);
    t.skip('cannot mount a tmpfs here (needs root); disk-full is not simulated');
    return;
  }
  t.after(() => {
    tryRun('umount', [mnt]);
    removeTempDir(mnt);
  });
  writeFileSync(path.join(mnt, 'keep.txt'), 'keep');
  const before = snapshot(mnt);
  for (const dest of [path.join(mnt, 'out'), path.join(mnt, 'out.zip'), mnt]) {
    await rejectsWith(exportRois({ items: [syntheticItem(bin)], destination: dest, metadata: true }), 'EXPORT_FAILED', 'ENOSPC');
    assert.deepEqual(snapshot(mnt), before, dest);
  }
});

test('a source bin that vanishes mid-export: FILE_MISSING and the destination untouched', async (t) => {
  const dir = tempDirFor(t);
  const src = path.join(dir, 'src');
  mkdirSync(src);
  const first = writeSyntheticBin(src, { targets: 300, emptyEvery: 0, seed: 1, epochMs: Date.UTC(2024, 0, 1) });
  const second = writeSyntheticBin(src, { targets: 50, emptyEvery: 0, seed: 2, epochMs: Date.UTC(2024, 0, 2) });
  const work = path.join(dir, 'work');
  mkdirSync(work);
  for (const destName of ['out', 'out.zip']) {
    const before = snapshot(work);
    let removed = false;
    const request: ExportRequest = { items: [syntheticItem(first), syntheticItem(second)], destination: path.join(work, destName), metadata: true };
    const e = await rejectsWith(
      exportRois(request, {
        onProgress: (p) => {
          if (p.phase === 'writing' && !removed) {
            removed = true;
            unlinkSync(second.paths.roi); // the planner saw it; it disappears before its turn
          }
        },
      }),
      'FILE_MISSING',
    );
    assert.match(e.message, new RegExp(second.id));
    assert.deepEqual(snapshot(work), before);
    // restore the second bin for the next round
    rmSync(second.paths.adc);
    rmSync(second.paths.hdr);
    writeSyntheticBin(src, { targets: 50, emptyEvery: 0, seed: 2, epochMs: Date.UTC(2024, 0, 2) });
  }
});

test('a bin without a .roi fails before anything is written (FILE_MISSING)', async (t) => {
  const dir = tempDirFor(t);
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.D, binId: 'D20230810T113059_IFCB134' }], destination: path.join(dir, 'o') }), 'FILE_MISSING');
  assert.deepEqual(readdirSync(dir), []);
});

test('a selection without a single image writes nothing and says so (EXPORT_EMPTY); the pyifcb layout still writes the bin', async (t) => {
  const dir = tempDirFor(t);
  const D = 'D20230810T113059_IFCB134';
  // target 1 of D has no image (spec §11: D's ROIs start at 2), and D has no .roi
  for (const destination of [path.join(dir, 'o'), path.join(dir, 'o.zip')]) {
    const e = await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.D, binId: D, targets: [1] }], destination, metadata: true }), 'EXPORT_EMPTY');
    assert.ok(isIfcbError(e) && e.details?.['skipped'] === 1);
  }
  mkdirSync(path.join(dir, 'existing'));
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C, targets: [1] }], destination: path.join(dir, 'existing'), ecotaxa: true }), 'EXPORT_EMPTY');
  assert.deepEqual(readdirSync(dir), ['existing']);
  assert.deepEqual(readdirSync(path.join(dir, 'existing')), []);
  // the pyifcb layout still writes the bin's metadata, headers and ADC table
  const zipped = await exportRois({ items: [{ binPath: SAMPLE.D, binId: D, targets: [1] }], destination: path.join(dir, 'z'), layout: 'pyifcb-zip' });
  assert.deepEqual([zipped.images, zipped.entries, zipped.skipped.length], [0, [`${D}.zip`], 1]);
  assert.deepEqual(
    readZip(path.join(dir, 'z', `${D}.zip`)).map((e) => e.name),
    ['metadata.json', `${D}_headers.json`, `${D}.csv`],
  );
});

test('bad requests: INVALID_ARGUMENT for a bin id that does not match its file, and bad options', async (t) => {
  const dir = tempDirFor(t);
  const dest = path.join(dir, 'o');
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: 'D20130526T095207_IFCB013' }], destination: dest }), 'INVALID_ARGUMENT');
  await rejectsWith(exportRois({ items: [], destination: dest }), 'INVALID_ARGUMENT');
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C, targets: [0] }], destination: dest }), 'INVALID_ARGUMENT');
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: dest, metadata: true, pxPerUm: () => 0 }), 'INVALID_ARGUMENT');
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: dest, layout: 'pyifcb-zip', metadata: true }), 'INVALID_ARGUMENT');
  assert.deepEqual(readdirSync(dir), []);
});

test('links: a link to a folder is a valid folder destination; a dangling link or a link named .zip is never written through', async (t) => {
  const dir = tempDirFor(t);
  const real = path.join(dir, 'real');
  mkdirSync(real);
  symlinkSync(real, path.join(dir, 'linked'));
  await exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: path.join(dir, 'linked') });
  assert.deepEqual(readdirSync(real).sort(), [`${C}_00002.png`, `${C}_00003.png`]);
  symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
  symlinkSync(path.join(dir, 'nowhere.zip'), path.join(dir, 'dangling.zip'));
  const before = snapshot(real);
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: path.join(dir, 'dangling') }), 'EXPORT_TARGET_EXISTS');
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: path.join(dir, 'dangling.zip') }), 'EXPORT_TARGET_EXISTS');
  assert.deepEqual(readdirSync(dir).sort(), ['dangling', 'dangling.zip', 'linked', 'real']);
  assert.deepEqual(snapshot(real), before);
});

test('the destination kind is honoured whatever the name: a zip without .zip is a zip, a folder named UP.ZIP a folder', async (t) => {
  const dir = tempDirFor(t);
  const zip = await exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: path.join(dir, 'archive'), kind: 'zip' });
  assert.equal(zip.kind, 'zip');
  assert.ok(statSync(path.join(dir, 'archive')).isFile());
  assert.deepEqual(readZip(path.join(dir, 'archive')).map((e) => e.name), [`${C}_00002.png`, `${C}_00003.png`]);
  const folder = await exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: path.join(dir, 'UP.ZIP'), kind: 'folder' });
  assert.equal(folder.kind, 'folder');
  assert.deepEqual(readdirSync(path.join(dir, 'UP.ZIP')).sort(), [`${C}_00002.png`, `${C}_00003.png`]);
  assert.deepEqual(readdirSync(dir).sort(), ['UP.ZIP', 'archive']);
});

test('re-export to the same folder: one short EXPORT_TARGET_EXISTS, then "skip existing files" or "add a suffix"', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'out');
  const first = await exportRois({ items: [{ binPath: SAMPLE.B, binId: B, targets: [7, 11] }], destination: out, metadata: true });
  assert.equal(first.images, 2);
  // the same again, with one more image: refused before anything is written, in one sentence with one example
  const again = { items: [{ binPath: SAMPLE.B, binId: B, targets: [7, 11, 13] }], destination: out, metadata: true };
  const e = await rejectsWith(exportRois(again), 'EXPORT_TARGET_EXISTS');
  assert.equal(e.message, `3 of the files to export already exist in ${out} (for example ${B}_00007.png). Nothing was written.`);
  assert.ok(isIfcbError(e) && e.details?.['count'] === 3 && e.details['canSkip'] === true);
  assert.deepEqual(readdirSync(out).sort(), [`${B}_00007.png`, `${B}_00011.png`, 'metadata.csv']);
  const before = statSync(path.join(out, `${B}_00007.png`)).mtimeMs;
  // skip: only the new image is written, the existing ones are reported, the table takes a free name
  const skipped = await exportRois({ ...again, onExisting: 'skip' });
  assert.equal(skipped.images, 1);
  assert.deepEqual(skipped.skipped, [
    { binId: B, target: 7, reason: 'exists' },
    { binId: B, target: 11, reason: 'exists' },
  ]);
  assert.deepEqual(readdirSync(out).sort(), [`${B}_00007.png`, `${B}_00011.png`, `${B}_00013.png`, 'metadata (2).csv', 'metadata.csv']);
  assert.equal(readFileSync(path.join(out, 'metadata (2).csv'), 'utf8').split('\n').length, 3, 'header + the one new image');
  assert.equal(statSync(path.join(out, `${B}_00007.png`)).mtimeMs, before, 'existing files untouched');
  // suffix: everything into a new "out (2)" beside it
  const suffixed = await exportRois({ ...again, onExisting: 'suffix' });
  assert.equal(suffixed.destination, `${out} (2)`);
  assert.deepEqual(readdirSync(`${out} (2)`).sort(), [`${B}_00007.png`, `${B}_00011.png`, `${B}_00013.png`, 'metadata.csv']);
  // a zip that exists: the suffix goes before .zip; skipping makes no sense for a zip
  const zip = path.join(dir, 'a.zip');
  await exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: zip });
  const zipAgain = await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: zip }), 'EXPORT_TARGET_EXISTS');
  assert.equal(zipAgain.message, `${zip} already exists. Nothing was written.`);
  assert.ok(isIfcbError(zipAgain) && zipAgain.details?.['canSkip'] === false);
  assert.equal((await exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: zip, onExisting: 'suffix' })).destination, path.join(dir, 'a (2).zip'));
  // skipping everything leaves nothing to do: EXPORT_EMPTY, nothing written
  await rejectsWith(exportRois({ items: [{ binPath: SAMPLE.B, binId: B, targets: [7] }], destination: out, onExisting: 'skip' }), 'EXPORT_EMPTY');
});

test('a FIFO as a bin\'s .roi: FILE_NOT_REGULAR before anything is written, never waited on', async (t) => {
  const dir = tempDirFor(t);
  for (const ext of ['adc', 'hdr']) copyFileSync(`${SAMPLE.C}.${ext}`, path.join(dir, `${C}.${ext}`));
  makeFifo(t, path.join(dir, `${C}.roi`));
  const e = await rejectsWith(exportRois({ items: [{ binPath: path.join(dir, C), binId: C }], destination: path.join(dir, 'out') }), 'FILE_NOT_REGULAR');
  assert.match(e.message, /\.roi file .* is a FIFO/);
  assert.deepEqual(readdirSync(dir).sort(), [`${C}.adc`, `${C}.hdr`, `${C}.roi`]);
});
