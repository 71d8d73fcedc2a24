/**
 * The `bin:roi-images` batch read: the bytes equal the spec's, an I/O failure while reading the `.roi` (EIO,
 * a share that went away) reaches the page as FILE_UNREADABLE (not INTERNAL), and a `.roi` that shrank after
 * it was opened is ROI_TRUNCATED naming the image that is cut short.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isIfcbError } from '../../../shared/errors.ts';
import { decodeRoiImages, layoutRoiImages } from '../../../shared/ipc/roi-images.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { readRoisInto } from '../../../main/ifcb/roi.ts';
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

test('a read failure of the .roi surfaces as FILE_UNREADABLE with the errno', (t) => {
  const dir = makeTempDir('ifcb-roi-payload-');
  t.after(() => removeTempDir(dir));
  const extents = [2, 3].map((target) => openBin(SAMPLE.C).images.geometry(target));
  // a directory fd: every read fails with EISDIR, as a vanished share or a bad sector fails with EIO
  const dirFd = fs.openSync(dir, 'r');
  t.after(() => fs.closeSync(dirFd));
  const { bytes, offsets } = layoutRoiImages(extents);
  assert.throws(
    () => readRoisInto(dirFd, extents, bytes, offsets, { binId: 'D20220522T003051_IFCB134', path: `${SAMPLE.C}.roi` }),
    (e: unknown) =>
      isIfcbError(e, 'FILE_UNREADABLE') && e.details?.['errno'] === 'EISDIR' && e.details['path'] === `${SAMPLE.C}.roi` && /check that the disk or share is still available/.test(e.message),
  );
});

test('a .roi that shrank after it was opened is ROI_TRUNCATED naming the first image cut short', (t) => {
  const dir = makeTempDir('ifcb-roi-payload-');
  t.after(() => removeTempDir(dir));
  const synth = writeSyntheticBin(dir, { targets: 20, emptyEvery: 0, maxSize: 40, seed: 3 });
  const bin = openBin(synth.base);
  const [a, b, c] = synth.images;
  const extents = [a!, b!, c!].map((im) => bin.images.geometry(im.target));
  // the size main saw when it opened the file, but the file now ends inside the second image
  const copy = path.join(dir, 'short.roi');
  fs.writeFileSync(copy, fs.readFileSync(synth.paths.roi).subarray(0, b!.byteOffset + 5));
  const shortFd = fs.openSync(copy, 'r');
  t.after(() => fs.closeSync(shortFd));
  const { bytes, offsets } = layoutRoiImages(extents);
  assert.throws(
    () => readRoisInto(shortFd, extents, bytes, offsets),
    (e: unknown) => isIfcbError(e, 'ROI_TRUNCATED') && e.details?.['target'] === b!.target && e.details['fileSize'] === b!.byteOffset + 5,
  );
  // through the payload builder, a .roi already short when opened: the same error, and the .roi is closed again
  fs.truncateSync(synth.paths.roi, b!.byteOffset + 5);
  assert.throws(
    () => readRoiPayload(bin, [a!.target, b!.target, c!.target]),
    (e: unknown) => isIfcbError(e, 'ROI_TRUNCATED') && e.details?.['target'] === b!.target,
  );
  assert.equal(bin.openScopes, 0, 'the scope was released');
});
