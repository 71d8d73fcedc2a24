/** The built-in demo library: deterministic, readable by the reader as written, plankton-like, offered once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs, { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_BINS, DEMO_MARKER, demoLibraryDir, isDemoLibrary, prepareDemoLibrary, writeDemoLibrary } from '../../../main/demo/demo-library.ts';
import { PLANKTON_KINDS, planktonPainter, planktonShape } from '../../../main/demo/plankton.ts';
import { mulberry32 } from '../../../main/demo/prng.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { tempDirFor } from '../../helpers/temp.ts';

function digestOfFolder(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex')]));
}

test('the demo is the same bytes on every machine and every run', (t) => {
  const dir = tempDirFor(t, 'ifcb-demo-');
  writeDemoLibrary(path.join(dir, 'one'));
  writeDemoLibrary(path.join(dir, 'two'));
  const one = digestOfFolder(path.join(dir, 'one'));
  assert.deepEqual(digestOfFolder(path.join(dir, 'two')), one);
  // 5 bins: 4 complete filesets, one without .roi, and the marker
  assert.equal(Object.keys(one).length, 5 * 3 - 1 + 1);
  assert.ok(!readdirSync(dir).some((f) => f.includes('.partial-')), 'no staging folder left behind');
});

test('the reader reads the demo bins back as written: schemas, counts, the empty bin, the missing .roi, stitching', (t) => {
  const dir = path.join(tempDirFor(t, 'ifcb-demo-'), 'demo');
  const written = writeDemoLibrary(dir);
  assert.deepEqual(
    written.map((b) => b.id),
    ['D20240615T091500_IFCB101', 'D20240615T113000_IFCB101', 'D20240615T134500_IFCB101', 'D20240615T160000_IFCB101', 'IFCB5_2012_167_120000'],
  );
  const [typical, multi, empty, noRoi, schema1] = written.map((b) => ({ syn: b, bin: openBin(b.paths.adc) }));

  assert.equal(typical!.bin.schema, 2);
  assert.equal(typical!.bin.adc.rowCount, 160);
  assert.equal(typical!.bin.images.size, 156); // every 40th target has no image
  assert.ok(multi!.bin.adc.triggers < multi!.bin.adc.rowCount, 'some triggers have two ROIs');
  assert.equal(multi!.bin.images.size, 90);
  assert.equal(empty!.bin.adc.rowCount, 0);
  assert.equal(empty!.bin.images.size, 0);
  assert.equal(noRoi!.bin.hasRoiFile(), false);
  assert.equal(noRoi!.bin.adc.rowCount, 60);

  assert.equal(schema1!.bin.schema, 1);
  assert.deepEqual(schema1!.syn.stitchPairs.length, 4);
  const partners = new Set(schema1!.syn.stitchPairs.map(([, second]) => second));
  assert.deepEqual(schema1!.bin.images.keys(), schema1!.syn.images.map((im) => im.target).filter((n) => !partners.has(n)));
  for (const [first, second] of schema1!.syn.stitchPairs) assert.equal(schema1!.bin.images.geometry(first).stitchedWith, second);

  // pixels as the writer painted them (raw map: no stitching involved)
  for (const { syn, bin } of [typical!, multi!, schema1!]) {
    for (const im of syn.images.slice(0, 12)) assert.deepEqual(bin.rawImages.get(im.target).pixels, syn.pixelsOf(im.target), `${syn.id} target ${im.target}`);
  }
});

interface PixelStats {
  /** Median grey of the outermost ring of pixels. */
  borderMedian: number;
  /** Share of pixels at least 60 grey levels darker than the border. */
  darkShare: number;
  /** Mean |difference| between horizontal neighbours, over the standard deviation: small for shapes, ~1.1 for noise. */
  roughness: number;
}

function stats(pixels: Uint8Array, width: number, height: number): PixelStats {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(pixels[x]!, pixels[(height - 1) * width + x]!);
  for (let y = 0; y < height; y++) border.push(pixels[y * width]!, pixels[y * width + width - 1]!);
  border.sort((a, b) => a - b);
  const borderMedian = border[border.length >> 1]!;
  let dark = 0;
  let sum = 0;
  let diff = 0;
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i]! <= borderMedian - 60) dark++;
    sum += pixels[i]!;
    if (i % width !== 0) diff += Math.abs(pixels[i]! - pixels[i - 1]!);
  }
  const mean = sum / pixels.length;
  let variance = 0;
  for (const p of pixels) variance += (p - mean) ** 2;
  const sd = Math.sqrt(variance / pixels.length);
  return { borderMedian, darkShare: dark / pixels.length, roughness: diff / (pixels.length - height) / sd };
}

/** Dark organisms on a light, empty border, with smooth shapes. */
function looksLikePlankton(s: PixelStats): boolean {
  return s.borderMedian >= 190 && s.darkShare >= 0.03 && s.darkShare <= 0.8 && s.roughness < 0.35;
}

test('demo images look like plankton: dark shapes on a light background, not noise; every kind appears', (t) => {
  const dir = path.join(tempDirFor(t, 'ifcb-demo-'), 'demo');
  const written = writeDemoLibrary(dir);
  const kinds = new Set<string>();
  let checked = 0;
  for (const [i, syn] of written.entries()) {
    const seed = DEMO_BINS[i]!.options.seed!;
    for (const im of syn.images) {
      const s = stats(syn.pixelsOf(im.target), im.width, im.height);
      assert.ok(looksLikePlankton(s), `${syn.id} target ${im.target}: ${JSON.stringify(s)}`);
      kinds.add(planktonShape(seed, im.target).kind);
      checked++;
    }
  }
  assert.ok(checked > 300);
  assert.deepEqual([...kinds].sort(), [...PLANKTON_KINDS].sort());

  // the same measures reject what the demo must not look like
  const rnd = mulberry32(5);
  const noise = Uint8Array.from({ length: 64 * 64 }, () => Math.floor(rnd() * 256));
  assert.equal(looksLikePlankton(stats(noise, 64, 64)), false, 'uniform noise');
  const blank = new Uint8Array(64 * 64).fill(200);
  assert.equal(looksLikePlankton(stats(blank, 64, 64)), false, 'an empty frame');
  const { width, height } = planktonPainter.size(1, 1);
  const painted = new Uint8Array(width * height);
  planktonPainter.paint(painted, 0, 1, 1, width, height);
  assert.ok(looksLikePlankton(stats(painted, width, height)));
});

test('the demo is offered once, only to an empty library, and marks its folder', (t) => {
  const appData = tempDirFor(t, 'ifcb-demo-appdata-');
  assert.equal(prepareDemoLibrary(appData, 2), null, 'a library with folders gets no demo');
  assert.equal(existsSync(demoLibraryDir(appData)), false);
  const dir = prepareDemoLibrary(appData, 0);
  assert.equal(dir, demoLibraryDir(appData));
  assert.ok(isDemoLibrary(dir));
  assert.match(readFileSync(path.join(dir, DEMO_MARKER), 'utf8'), /\nIFCB5_2012_167_120000 {2}schema 1 with stitched pairs\n/);
  assert.equal(isDemoLibrary(appData), false);
  // removed from the library later: the folder stays, and an empty library is not given the demo again
  assert.equal(prepareDemoLibrary(appData, 0), null);
});

test('a first start that loses the race to write the demo does not fail: the demo is there already', (t) => {
  const appData = tempDirFor(t, 'ifcb-demo-appdata-');
  const dir = demoLibraryDir(appData);
  // the other start renames its finished demo into place while this one is still writing
  const rename = fs.renameSync;
  t.mock.method(fs, 'renameSync', (from: fs.PathLike, to: fs.PathLike) => {
    fs.mkdirSync(to);
    fs.writeFileSync(path.join(String(to), DEMO_MARKER), 'written by the other start');
    rename(from, to); // fails: the target is a non-empty folder now
  });
  assert.equal(prepareDemoLibrary(appData, 0), null);
  t.mock.restoreAll();
  assert.ok(isDemoLibrary(dir));
  assert.deepEqual(readdirSync(appData), ['demo-library'], 'the loser removed its staging folder');
});
