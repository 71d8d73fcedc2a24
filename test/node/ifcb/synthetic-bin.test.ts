import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { parseBinName } from '../../../shared/ifcb/bin-id.ts';

test('schema 2 synthetic bin reads back: id, headers, ADC, every image byte for byte, finite metrics', (t) => {
  const dir = tempDirFor(t);
  const syn = writeSyntheticBin(dir, { targets: 300, seed: 7, instrument: 42, epochMs: Date.UTC(2021, 6, 4, 12, 30, 5), header: { sampleType: 'Beads', cameraGain: 6 } });
  assert.equal(syn.id, 'D20210704T123005_IFCB042');
  const bin = openBin(syn.paths.adc);
  assert.equal(bin.schema, 2);
  assert.equal(bin.adc.rowCount, 300);
  assert.equal(bin.adc.columnNames.length, 24);
  assert.equal(bin.adc.triggers, 300);
  assert.equal(bin.header('SAMPLETYPE'), 'Beads');
  assert.equal(bin.header('cameraGain'), 6);
  assert.equal(bin.header('triggerCount'), 300);
  assert.equal(syn.images.length, 300 - 12); // every 25th target empty
  assert.equal(statSync(syn.paths.roi).size, syn.roiBytes);
  assert.deepEqual(bin.images.keys(), syn.images.map((im) => im.target));
  using scope = bin.scope();
  for (const [target, image] of scope.images) {
    const want = syn.images.find((im) => im.target === target)!;
    assert.deepEqual([image.width, image.height], [want.width, want.height]);
    assert.deepEqual(image.pixels, syn.pixelsOf(target));
  }
  assert.deepEqual(
    bin.images.geometries().map(({ target, width, height, byteOffset, x, y }) => ({ target, width, height, byteOffset, x, y })),
    syn.images,
  );
  const m = bin.metrics;
  for (const v of [m.runTime, m.inhibitTime, m.lookTime, m.mlAnalyzed, m.triggerRate]) assert.ok(Number.isFinite(v) && v > 0, JSON.stringify(m));
  assert.ok(Math.abs(m.runTime - Number(bin.header('runTime'))) < 1e-6);
  assert.ok(Math.abs(m.inhibitTime - Number(bin.header('inhibitTime'))) < 0.2);
});

test('schema 1 synthetic bin: quoted header, 15 columns, START_BYTE from 1, stitch pairs found and stitched', (t) => {
  const dir = tempDirFor(t);
  const syn = writeSyntheticBin(dir, { schema: 1, targets: 60, stitchPairs: 3, emptyEvery: 10, seed: 3 });
  assert.equal(syn.id, 'IFCB9_2024_001_000000');
  assert.equal(syn.images[0]!.byteOffset, 1);
  assert.equal(readFileSync(syn.paths.roi)[0], 0);
  assert.match(readFileSync(syn.paths.adc, 'latin1').split('\n')[0]!, /,\r?$/);
  const bin = openBin(syn.base);
  assert.equal(bin.adc.columnNames.length, 15);
  assert.equal(Object.keys(bin.headers).length, 7);
  assert.equal(bin.header('temperature'), 11.4799732421875);
  assert.deepEqual(syn.stitchPairs, [[1, 2], [21, 22], [41, 42]]);
  assert.equal(bin.adc.triggers, 57);
  assert.deepEqual(bin.rawImages.keys(), syn.images.map((im) => im.target));
  const partners = new Set(syn.stitchPairs.map(([, b]) => b));
  assert.deepEqual(bin.images.keys(), syn.images.map((im) => im.target).filter((n) => !partners.has(n)));
  using scope = bin.scope();
  for (const [first, second] of syn.stitchPairs) {
    const g = scope.images.geometry(first);
    const a = syn.images.find((im) => im.target === first)!;
    const b = syn.images.find((im) => im.target === second)!;
    assert.equal(g.stitchedWith, second);
    assert.equal(g.width, Math.max(a.x + a.width, b.x + b.width) - Math.min(a.x, b.x));
    assert.equal(g.height, Math.max(a.y + a.height, b.y + b.height) - Math.min(a.y, b.y));
    const stitched = scope.images.get(first);
    // the second part wins where they overlap: its pixels appear verbatim at its position
    const bp = syn.pixelsOf(second);
    const ox = b.x - Math.min(a.x, b.x);
    const oy = b.y - Math.min(a.y, b.y);
    for (let r = 0; r < b.height; r++) {
      assert.deepEqual(stitched.pixels.subarray((oy + r) * g.width + ox, (oy + r) * g.width + ox + b.width), bp.subarray(r * b.width, (r + 1) * b.width));
    }
  }
  for (const im of syn.images) assert.deepEqual(scope.rawImages.get(im.target).pixels, syn.pixelsOf(im.target));
  const m = bin.metrics;
  for (const v of [m.runTime, m.inhibitTime, m.lookTime, m.mlAnalyzed]) assert.ok(Number.isFinite(v) && v > 0, JSON.stringify(m));
});

test('withRoi false writes a partial bin; files are never overwritten; output is deterministic', (t) => {
  const dir = tempDirFor(t);
  const a = writeSyntheticBin(dir, { withRoi: false, targets: 10 });
  assert.equal(openBin(a.paths.hdr).hasRoiFile(), false);
  assert.equal(openBin(a.paths.hdr).images.size, 10);
  assert.throws(() => writeSyntheticBin(dir, { targets: 10 }), /EEXIST/);
  const dir2 = tempDirFor(t);
  const b = writeSyntheticBin(dir2, { targets: 10 });
  assert.deepEqual(readFileSync(b.paths.adc), readFileSync(a.paths.adc));
  assert.equal(parseBinName(b.id).timestamp, '2024-01-01T00:00:00Z');
});

test('a 10,000-target bin (~120 MB .roi) is written in well under the test budget', (t) => {
  const dir = tempDirFor(t);
  const t0 = performance.now();
  const syn = writeSyntheticBin(dir, { targets: 10_000 });
  const ms = performance.now() - t0;
  assert.equal(syn.images.length, 9_600);
  assert.ok(syn.roiBytes > 90e6 && syn.roiBytes < 150e6, String(syn.roiBytes));
  assert.ok(ms < 5000, `took ${ms} ms`);
  const last = syn.images.at(-1)!;
  assert.equal(last.byteOffset + last.width * last.height, syn.roiBytes);
});

test('multiRoiEvery: schema 2 triggers with two ADC rows (targets ≠ triggers, as in bin D)', (t) => {
  const dir = tempDirFor(t);
  const syn = writeSyntheticBin(dir, { targets: 100, multiRoiEvery: 10, emptyEvery: 0 });
  assert.equal(syn.triggers.length, 100);
  assert.equal(syn.triggers.at(-1), 91);
  assert.deepEqual(syn.triggers.slice(8, 13), [9, 10, 10, 11, 12]);
  const bin = openBin(syn.base);
  assert.equal(bin.adc.triggers, 91);
  assert.equal(bin.images.size, 100);
  const m = bin.metrics;
  for (const v of [m.runTime, m.inhibitTime, m.lookTime, m.mlAnalyzed]) assert.ok(Number.isFinite(v) && v > 0, JSON.stringify(m));
  close(m.triggerRate, 91 / m.runTime);
});

function close(a: number, b: number): void {
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b), `${a} vs ${b}`);
}
