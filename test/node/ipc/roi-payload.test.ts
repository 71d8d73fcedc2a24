/**
 * The `bin:roi-images` fast path: the bytes equal the spec's, an I/O failure while reading the `.roi` (EIO,
 * a share that went away) reaches the page as FILE_UNREADABLE (not INTERNAL), and a `.roi` that shrank after
 * it was opened is ROI_TRUNCATED naming the image that is cut short.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isIfcbError } from '../../../shared/errors.ts';
import { decodeRoiImages } from '../../../shared/ipc/roi-images.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { readRoiPayload } from '../../../main/ipc/roi-payload.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('the fast path returns the spec pixels of bin C (§11)', () => {
  const images = decodeRoiImages(readRoiPayload(openBin(SAMPLE.C), [2, 3]));
  assert.deepEqual(
    images.map((i) => [i.target, i.height, i.width]),
    [
      [2, 82, 176],
      [3, 114, 144],
    ],
  );
  assert.equal(sha(images[0]!.pixels), 'c276174049616fa1ba6045248eaf0362c40aacdb5ed522c67164876af17161b0');
});

test('a read failure of the .roi surfaces as FILE_UNREADABLE with the errno, and the .roi is closed again', (t) => {
  const dir = makeTempDir('ifcb-roi-payload-');
  t.after(() => removeTempDir(dir));
  const bin = openBin(SAMPLE.C);
  const realSize = fs.statSync(`${SAMPLE.C}.roi`).size;
  // a directory fd: every read fails with EISDIR, as a vanished share or a bad sector fails with EIO
  const dirFd = fs.openSync(dir, 'r');
  t.after(() => fs.closeSync(dirFd));
  t.mock.method(bin, 'openRoi', () => ({ fd: dirFd, size: realSize }));
  assert.throws(
    () => readRoiPayload(bin, [2, 3]),
    (e: unknown) =>
      isIfcbError(e, 'FILE_UNREADABLE') && e.details?.['errno'] === 'EISDIR' && e.details['path'] === `${SAMPLE.C}.roi` && /check that the disk or share is still available/.test(e.message),
  );
  assert.equal(bin.openScopes, 0, 'the scope was released');
});

test('a .roi that shrank after it was opened is ROI_TRUNCATED naming the first image cut short', (t) => {
  const dir = makeTempDir('ifcb-roi-payload-');
  t.after(() => removeTempDir(dir));
  const synth = writeSyntheticBin(dir, { targets: 20, emptyEvery: 0, maxSize: 40, seed: 3 });
  const bin = openBin(synth.base);
  const [a, b, c] = synth.images;
  // the size main saw when it opened the file, but the file now ends inside the second image
  const copy = path.join(dir, 'short.roi');
  fs.writeFileSync(copy, fs.readFileSync(synth.paths.roi).subarray(0, b!.byteOffset + 5));
  const shortFd = fs.openSync(copy, 'r');
  t.after(() => fs.closeSync(shortFd));
  t.mock.method(bin, 'openRoi', () => ({ fd: shortFd, size: synth.roiBytes }));
  assert.throws(
    () => readRoiPayload(bin, [a!.target, b!.target, c!.target]),
    (e: unknown) => isIfcbError(e, 'ROI_TRUNCATED') && e.details?.['target'] === b!.target && e.details['fileSize'] === b!.byteOffset + 5,
  );
});
