/** The one binary encoding of image responses: exact layout, round trips (property), and refusal of bad payloads. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeRoiImages, encodeRoiImages, layoutRoiImages, roiImagesPayloadSize } from '../../../shared/ipc/roi-images.ts';

describe('roi image payload', () => {
  it('has the documented layout: magic, version, count, pixel bytes, 16-byte records, pixels', () => {
    const bytes = encodeRoiImages([
      { target: 7, width: 2, height: 3, pixels: Uint8Array.from([1, 2, 3, 4, 5, 6]) },
      { target: 300000, width: 1, height: 1, pixels: Uint8Array.from([255]) },
    ]);
    const view = new DataView(bytes.buffer);
    assert.equal(String.fromCharCode(...bytes.subarray(0, 4)), 'IFRI');
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => view.getUint32(4 * i, true)), [1, 2, 7, 7, 2, 3, 48, 300000, 1, 1, 54]);
    assert.equal(bytes.byteLength, 16 + 32 + 7);
    assert.deepEqual([...bytes.subarray(48)], [1, 2, 3, 4, 5, 6, 255]);
    assert.equal(roiImagesPayloadSize([{ target: 1, width: 10, height: 10 }]), 16 + 16 + 100);
  });

  it('round-trips any list of images byte for byte, as views without copies', () => {
    const image = fc.record({ target: fc.integer({ min: 1, max: 10_000_000 }), width: fc.integer({ min: 0, max: 40 }), height: fc.integer({ min: 0, max: 40 }), seed: fc.integer() }).map(({ target, width, height, seed }) => ({
      target,
      width,
      height,
      pixels: Uint8Array.from({ length: width * height }, (_, i) => (seed + i * 31) & 0xff),
    }));
    fc.assert(
      fc.property(fc.array(image, { maxLength: 30 }), (images) => {
        const bytes = encodeRoiImages(images);
        const decoded = decodeRoiImages(bytes);
        assert.deepEqual(
          decoded.map((d) => ({ target: d.target, width: d.width, height: d.height, pixels: [...d.pixels] })),
          images.map((d) => ({ target: d.target, width: d.width, height: d.height, pixels: [...d.pixels] })),
        );
        for (const d of decoded) assert.equal(d.pixels.buffer, bytes.buffer);
        // a copy of the bytes (what structured clone / fetch produce) decodes the same
        assert.deepEqual(decodeRoiImages(new Uint8Array(bytes)).map((d) => [...d.pixels]), decoded.map((d) => [...d.pixels]));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes a payload that starts inside a larger buffer (byteOffset ≠ 0)', () => {
    const bytes = encodeRoiImages([{ target: 3, width: 2, height: 2, pixels: Uint8Array.from([9, 8, 7, 6]) }]);
    const host = new Uint8Array(bytes.byteLength + 13);
    host.set(bytes, 13);
    assert.deepEqual([...decodeRoiImages(host.subarray(13))[0]!.pixels], [9, 8, 7, 6]);
  });

  it('refuses truncated, padded, mislabelled or out-of-bounds payloads', () => {
    const good = encodeRoiImages([{ target: 1, width: 4, height: 4, pixels: new Uint8Array(16).fill(3) }]);
    const bad: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['short header', good.subarray(0, 10)],
      ['truncated pixels', good.subarray(0, good.byteLength - 1)],
      ['padded', Uint8Array.from([...good, 0])],
    ];
    const magic = new Uint8Array(good);
    magic[0] = 0;
    bad.push(['bad magic', magic]);
    const version = new Uint8Array(good);
    version[4] = 2;
    bad.push(['future version', version]);
    const offset = new Uint8Array(good);
    new DataView(offset.buffer).setUint32(16 + 12, 0, true);
    bad.push(['offset into the index', offset]);
    const count = new Uint8Array(good);
    new DataView(count.buffer).setUint32(8, 0xffffffff, true);
    bad.push(['huge count', count]);
    for (const [label, bytes] of bad) assert.throws(() => decodeRoiImages(bytes), /Malformed image payload/, label);
  });

  it('layoutRoiImages leaves each image area for the caller to fill in place', () => {
    const { bytes, offsets } = layoutRoiImages([
      { target: 1, width: 2, height: 1 },
      { target: 2, width: 1, height: 3 },
    ]);
    assert.deepEqual(offsets, [48, 50]);
    bytes.set([1, 2], offsets[0]);
    bytes.set([3, 4, 5], offsets[1]);
    assert.deepEqual(decodeRoiImages(bytes).map((d) => [...d.pixels]), [[1, 2], [3, 4, 5]]);
  });

  it('refuses to encode an image whose pixel count does not match its size', () => {
    assert.throws(() => encodeRoiImages([{ target: 1, width: 2, height: 2, pixels: new Uint8Array(3) }]), /expected 4/);
  });
});
