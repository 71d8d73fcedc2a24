/**
 * Encoders (main/images): every PNG decodes with an independent decoder (fast-png) to the exact raw
 * pixels, checked against the spec's SHA-256 values (§11); TIFF decodes (utif2) to the raw pixels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import UTIF from 'utif2';
import fc from 'fast-check';
import { openBin } from '../../../main/ifcb/index.ts';
import { encodeGrayPng, encodeGrayPngPooled, encodeGrayPngSync, encodeGrayTiff, PngWorkerPool } from '../../../main/images/index.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { decodeGray } from './decode.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function decodeTiff(tifBytes: Uint8Array): { width: number; height: number; pixels: Uint8Array; bps: number; spp: number } {
  const tif = Buffer.from(tifBytes.buffer, tifBytes.byteOffset, tifBytes.byteLength);
  const ifds = UTIF.decode(tif);
  const ifd = ifds[0]!;
  UTIF.decodeImage(tif, ifd);
  const tags = ifd as unknown as { width: number; height: number; data: Uint8Array; t258: number[]; t277?: number[] };
  return { width: tags.width, height: tags.height, pixels: tags.data, bps: tags.t258[0]!, spp: tags.t277?.[0] ?? 1 };
}

test('PNG round trip of every image of bins A (stitched), B and C equals the spec checksums', async () => {
  const expected = {
    A: { first: 'd2dc426fa926ea5ea3025494ba9627a46d04633ab5976e564bc50cd9f4aed14b', count: 5 },
    B: { first: 'e01583a7fa2f689ebfeb21c37041001e9e0665f3b273fcc1bfc60a7cbdfabdfd', count: 19 },
    C: { first: 'c276174049616fa1ba6045248eaf0362c40aacdb5ed522c67164876af17161b0', count: 2 },
  } as const;
  for (const key of ['A', 'B', 'C'] as const) {
    const bin = openBin(SAMPLE[key]);
    const scope = bin.scope();
    try {
      const shas: string[] = [];
      for (const [target, im] of scope.images) {
        const png = await encodeGrayPngPooled(im.pixels, im.width, im.height);
        const d = decodeGray(png);
        assert.equal(d.width, im.width, `${key} ${target} width`);
        assert.equal(d.height, im.height, `${key} ${target} height`);
        shas.push(sha256(d.pixels));
        assert.deepEqual(d.pixels, im.pixels, `${key} ${target} pixels`);
      }
      assert.equal(shas.length, expected[key].count);
      if (key !== 'A') assert.equal(shas[0], expected[key].first);
      else assert.equal(shas[0], expected.A.first); // ROI 1 is not part of a stitch pair
    } finally {
      scope[Symbol.dispose]();
    }
  }
});

test('raw ROIs of B and C concatenated after a PNG round trip give the spec SHA-256', async () => {
  for (const [key, want] of [
    ['B', '7997caf70de2f9ff1883ef61a2f7147a56877ce4dbbc3d669dfb4949739799e1'],
    ['C', '3a46e47c2db57c95c1aed5d79adacec62398820cfcc544507d072295b5e498fc'],
    ['A', '4e4c7648ce06e8f1fe9aaa6fedc619d69ded5898a7b9d6e8f8af4a950330cd3d'],
  ] as const) {
    const bin = openBin(SAMPLE[key]);
    const h = createHash('sha256');
    for (const [, im] of bin.rawImages) h.update(decodeGray(await encodeGrayPng(im.pixels, im.width, im.height)).pixels);
    assert.equal(h.digest('hex'), want, key);
  }
});

test('stitched ROI 3 of bin A: PNG is 263×86 and decodes to the spec SHA-256', async () => {
  const bin = openBin(SAMPLE.A);
  const im = bin.images.get(3);
  const d = decodeGray(await encodeGrayPngPooled(im.pixels, im.width, im.height));
  assert.equal(d.width, 263);
  assert.equal(d.height, 86);
  assert.equal(sha256(d.pixels), '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f');
});

test('the pooled, libuv and synchronous encoders write identical bytes', async () => {
  const bin = openBin(SAMPLE.B);
  for (const [, im] of bin.images) {
    const a = encodeGrayPngSync(im.pixels, im.width, im.height);
    assert.deepEqual(await encodeGrayPng(im.pixels, im.width, im.height), a);
    assert.deepEqual(await encodeGrayPngPooled(im.pixels, im.width, im.height), a);
  }
});

test('PNG property: any size 1..300 and any pixels round-trip through fast-png exactly', async () => {
  const pool = new PngWorkerPool(2);
  try {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer(), async (w, h, seed) => {
        const px = new Uint8Array(w * h);
        let s = seed >>> 0 || 1;
        for (let i = 0; i < px.length; i++) {
          s ^= s << 13;
          s ^= s >>> 17;
          s ^= s << 5;
          px[i] = s & 0xff;
        }
        const d = decodeGray(await pool.encode(px, w, h));
        assert.equal(d.width, w);
        assert.equal(d.height, h);
        assert.deepEqual(d.pixels, px);
      }),
      { numRuns: 60 },
    );
  } finally {
    await pool.close();
  }
});

test('PNG encoder rejects a buffer that does not match width × height', async () => {
  assert.throws(() => encodeGrayPngSync(new Uint8Array(10), 3, 3), /needs 9/);
  await assert.rejects(encodeGrayPngPooled(new Uint8Array(10), 3, 3), RangeError);
  await assert.rejects(encodeGrayPngPooled(new Uint8Array(0), 0, 0), RangeError);
});

test('TIFF (sharp): 8-bit, one sample per pixel, decodes (utif2) to the raw pixels of bin C', async () => {
  const bin = openBin(SAMPLE.C);
  for (const [target, im] of bin.images) {
    const d = decodeTiff(await encodeGrayTiff(im.pixels, im.width, im.height));
    assert.equal(d.bps, 8);
    assert.equal(d.spp, 1);
    assert.equal(d.width, im.width, `target ${target}`);
    assert.equal(d.height, im.height);
    assert.deepEqual(new Uint8Array(d.pixels), im.pixels);
  }
});
