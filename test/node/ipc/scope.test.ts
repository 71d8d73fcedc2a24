/**
 * Scope discipline: no file handle outlives a request (10,000 mixed requests, successes and failures, leave
 * zero extra fds), concurrent requests for one bin are all correct, the parsed-bin cache stays bounded, and a
 * bin rewritten on disk is re-read instead of served stale.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Result } from '../../../shared/ipc/result.ts';
import { decodeRoiImages } from '../../../shared/ipc/roi-images.ts';
import { deliverOsOpen } from '../../../main/ipc/handlers/bin.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { openFdCount, openFdsUnder } from '../../helpers/fd-leak.ts';
import { writeSyntheticBin, type SyntheticBin } from '../../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { makeRouter } from './fixtures.ts';
import { mulberry32 } from '../../helpers/prng.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('scope discipline', () => {
  let dir: string;
  let synth: SyntheticBin;
  let synthV1: SyntheticBin;

  before(() => {
    dir = makeTempDir('ifcb-scope-');
    synth = writeSyntheticBin(dir, { targets: 2000, seed: 11, maxSize: 96 });
    synthV1 = writeSyntheticBin(dir, { schema: 1, targets: 300, seed: 12, stitchPairs: 10, maxSize: 80 });
  });
  after(() => removeTempDir(dir));

  it('10,000 mixed requests (images, metadata, errors) leave no extra file descriptor open', async () => {
    // responses are contract-checked in router.test.ts; here only lifetimes matter (and zod on 1,000 big tables is slow)
    const { router, ctx } = makeRouter({ binCache: { maxEntries: 3 }, validateResponses: false });
    for (const p of [synth.paths.adc, synthV1.paths.adc, `${SAMPLE.A}.adc`, `${SAMPLE.B}.adc`, `${SAMPLE.D}.adc`]) deliverOsOpen(ctx, p);
    const v1Targets = decodeMetadataTargets(await router.dispatch('bin:metadata', { binId: synthV1.id }));
    const random = mulberry32(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const imageTargets = synth.images.map((i) => i.target);
    const before = openFdCount();
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 10;
      let r: Result<unknown>;
      if (kind < 5) {
        const n = 1 + Math.floor(random() * 20);
        r = await router.dispatch('bin:roi-images', { binId: synth.id, targets: [...new Set(Array.from({ length: n }, () => pick(imageTargets)))] });
      } else if (kind === 5) {
        r = await router.dispatch('bin:roi-images', { binId: synthV1.id, targets: [...new Set([pick(v1Targets), pick(v1Targets)])] });
      } else if (kind === 6) {
        r = await router.dispatch('bin:metadata', { binId: pick([synth.id, synthV1.id, 'IFCB5_2012_028_081515', 'D20130526T095207_IFCB013']) });
      } else if (kind === 7) {
        // a target without an image: fails after the geometry check, before any .roi open
        r = await router.dispatch('bin:roi-images', { binId: 'IFCB5_2012_028_081515', targets: [1, 4] });
      } else if (kind === 8) {
        // partial bin: the scope cannot open the missing .roi
        r = await router.dispatch('bin:roi-images', { binId: 'D20230810T113059_IFCB134', targets: [2] });
      } else {
        r = await router.dispatch('bin:roi-images', { binId: 'D20130526T095207_IFCB013', targets: [7, 114, 61] });
      }
      const key = r.ok ? 'ok' : r.error.code;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      if (i % 1000 === 999) assert.deepEqual(openFdsUnder(dir), [], `fds open under the data after request ${i + 1}`);
    }
    assert.equal(openFdCount(), before, 'open fds after 10,000 requests');
    assert.deepEqual(Object.fromEntries(outcomes), { ok: 8000, ROI_NOT_IN_BIN: 1000, FILE_MISSING: 1000 });
    assert.ok(ctx.bins.size <= 3, `cache holds ${ctx.bins.size} bins`);
  });

  it('a failing request in the middle of a read closes its scope (truncated .roi)', async () => {
    const sub = path.join(dir, 'trunc');
    fs.mkdirSync(sub);
    const bin = writeSyntheticBin(sub, { targets: 50, seed: 5 });
    fs.truncateSync(bin.paths.roi, Math.floor(bin.roiBytes / 2));
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, bin.paths.adc);
    const last = bin.images.at(-1)!.target;
    const before = openFdCount();
    const r = await router.dispatch('bin:roi-images', { binId: bin.id, targets: [bin.images[0]!.target, last] });
    assert.equal(r.ok ? 'ok' : r.error.code, 'ROI_TRUNCATED');
    assert.equal(openFdCount(), before);
  });

  it('200 concurrent image requests for the same bin each get exactly their pixels', async () => {
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, synth.paths.adc);
    const random = mulberry32(7);
    const requests = Array.from({ length: 200 }, () => [...new Set(Array.from({ length: 1 + Math.floor(random() * 30) }, () => synth.images[Math.floor(random() * synth.images.length)]!.target))]);
    const before = openFdCount();
    const results = await Promise.all(requests.map((targets) => router.dispatch('bin:roi-images', { binId: synth.id, targets })));
    assert.equal(openFdCount(), before);
    results.forEach((r, i) => {
      assert.ok(r.ok);
      const images = decodeRoiImages(r.value as Uint8Array);
      assert.deepEqual(
        images.map((im) => im.target),
        requests[i],
      );
      for (const im of images) assert.equal(sha(im.pixels), sha(synth.pixelsOf(im.target)), `target ${im.target}`);
    });
  });

  it('a bin rewritten on disk is re-parsed, not served from the cache', async () => {
    const sub = path.join(dir, 'rewrite');
    fs.mkdirSync(sub);
    const first = writeSyntheticBin(sub, { targets: 10, seed: 1, emptyEvery: 0 });
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, first.paths.adc);
    const m1 = await router.dispatch('bin:metadata', { binId: first.id });
    assert.ok(m1.ok);
    assert.equal((m1.value as { bin: { adcRows: number } }).bin.adcRows, 10);
    // the instrument appends rows: same id, bigger files (written elsewhere, copied over the originals)
    const staging = path.join(dir, 'rewrite-staging');
    fs.mkdirSync(staging);
    const second = writeSyntheticBin(staging, { targets: 25, seed: 2, emptyEvery: 0 });
    assert.equal(second.id, first.id);
    for (const ext of ['adc', 'hdr', 'roi'] as const) fs.copyFileSync(second.paths[ext], first.paths[ext]);
    const m2 = await router.dispatch('bin:metadata', { binId: first.id });
    assert.ok(m2.ok);
    assert.equal((m2.value as { bin: { adcRows: number } }).bin.adcRows, 25);
    const img = await router.dispatch('bin:roi-images', { binId: first.id, targets: [25] });
    assert.ok(img.ok);
    assert.equal(sha(decodeRoiImages(img.value as Uint8Array)[0]!.pixels), sha(second.pixelsOf(25)));
  });
});

function decodeMetadataTargets(r: Result<unknown>): number[] {
  assert.ok(r.ok);
  return (r.value as { rois: { target: number[] } }).rois.target;
}
