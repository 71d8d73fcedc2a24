/**
 * Reader benchmark (issue 3): a 10,000-target synthetic bin (~120 MB .roi).
 * - all images in one scope, and `read()`, each against `fs.readFileSync` of the whole .roi (the
 *   images are raw bytes; the limit is the copy). Target ≥ 0.8×.
 * - the same against the copy-limit baseline of toolchain.md (1 MB chunks into one reused buffer),
 *   because readFileSync's fresh 120 MB allocation flatters whatever is compared with it.
 * - 1,000 random single-image reads outside a scope (open/read/close each) vs inside one.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { openBin } from '../../main/ifcb/bin.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { fmt, percentile, timeMedian, timeOnce, type Bench } from './harness.ts';
import { mulberry32 } from '../helpers/prng.ts';
import { forceGc } from '../helpers/gc.ts';

export const title = 'IFCB reader: 10,000-ROI synthetic bin';

// A GC before each timed call keeps one side's garbage from being collected on the other's clock.

function chunkedRead(file: string): number {
  const buf = Buffer.allocUnsafe(1024 * 1024);
  const fd = openSync(file, 'r');
  let total = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

export async function run(bench: Bench): Promise<void> {
  const dir = makeTempDir('ifcb-bench-');
  try {
    const syn = writeSyntheticBin(dir, { targets: 10_000 });
    const mb = syn.roiBytes / 1e6;
    bench.log(`bin ${syn.id}: ${syn.images.length} images, ${fmt(mb, 1)} MB .roi`);
    const runs = 9;
    let sink = 0;
    const bin = openBin(syn.paths.roi);
    void bin.images.keys(); // ADC parsed outside the timing for the scope figure: it is about pixels

    const baseline = () => (sink += readFileSync(syn.paths.roi).length);
    const chunked = () => (sink += chunkedRead(syn.paths.roi));
    const inScope = () => {
      using scope = bin.scope();
      for (const im of scope.images.values()) sink += im.pixels.length;
    };
    const readWarm = () => {
      const mem = bin.read(); // .hdr/.adc already parsed, as for the scope figure
      for (const im of mem.images.values()) sink += im.pixels.length;
    };
    const readAll = () => {
      const mem = openBin(syn.paths.roi).read(); // fresh bin: .hdr + .adc parse + every image
      for (const im of mem.images.values()) sink += im.pixels.length;
    };
    // Interleaved: each run times the baselines and the subjects back to back (after a GC), and the
    // figure is the median of the per-run ratios, so load from other processes hits both sides alike.
    const t = { readFile: [] as number[], chunked: [] as number[], scope: [] as number[], warm: [] as number[], read: [] as number[] };
    for (let i = 0; i < runs + 1; i++) {
      const row = { readFile: 0, chunked: 0, scope: 0, warm: 0, read: 0 };
      for (const [k, fn] of [['readFile', baseline], ['scope', inScope], ['chunked', chunked], ['warm', readWarm], ['read', readAll]] as const) {
        forceGc();
        row[k] = await timeOnce(fn);
      }
      if (i === 0) continue; // warm-up
      for (const k of Object.keys(row) as (keyof typeof row)[]) t[k].push(row[k]);
    }
    const ratio = (base: number[], subject: number[]) => percentile(base.map((b, i) => b / subject[i]!), 50);
    const med = (xs: number[]) => percentile(xs, 50);
    const rate = (ms: number) => `${fmt(mb / (ms / 1000), 0)} MB/s`;
    const scopeRatio = ratio(t.readFile, t.scope);
    const warmRatio = ratio(t.readFile, t.warm);
    const readRatio = ratio(t.readFile, t.read);
    bench.figure({
      name: 'all images in one scope (ADC parsed) vs fs.readFileSync(.roi)',
      ratio: scopeRatio,
      detail: `median ${fmt(med(t.scope), 1)} ms (${rate(med(t.scope))}) vs ${fmt(med(t.readFile), 1)} ms (${rate(med(t.readFile))})`,
      target: '≥ 0.8×',
      met: scopeRatio >= 0.8,
    });
    bench.figure({
      name: 'read() of an opened bin (ADC parsed) vs fs.readFileSync(.roi)',
      ratio: warmRatio,
      detail: `median ${fmt(med(t.warm), 1)} ms (${rate(med(t.warm))}) vs ${fmt(med(t.readFile), 1)} ms`,
      target: '≥ 0.8×',
      met: warmRatio >= 0.8,
    });
    bench.figure({
      name: 'read() from a fresh bin (incl. .hdr/.adc parse) vs fs.readFileSync(.roi)',
      ratio: readRatio,
      detail: `median ${fmt(med(t.read), 1)} ms (${rate(med(t.read))}) vs ${fmt(med(t.readFile), 1)} ms; the difference to the line above is parseAdc (see adc.bench.ts)`,
      target: '≥ 0.8×',
      met: readRatio >= 0.8,
    });
    bench.figure({
      name: 'all images in one scope vs copy limit (1 MB chunks, reused buffer)',
      ratio: ratio(t.chunked, t.scope),
      detail: `median ${fmt(med(t.scope), 1)} ms vs ${fmt(med(t.chunked), 1)} ms (${rate(med(t.chunked))}); no target: the chunked loop allocates nothing`,
    });
    bench.figure({
      name: 'read() of an opened bin vs copy limit (1 MB chunks, reused buffer)',
      ratio: ratio(t.chunked, t.warm),
      detail: `median ${fmt(med(t.warm), 1)} ms vs ${fmt(med(t.chunked), 1)} ms`,
    });

    const r = mulberry32(42);
    const keys = bin.images.keys();
    const picks = Array.from({ length: 1000 }, () => keys[Math.floor(r() * keys.length)]!);
    const outsideMs = await timeMedian(() => {
      for (const t of picks) sink += bin.images.get(t).pixels.length;
    }, 5, 1);
    const insideMs = await timeMedian(() => {
      using scope = bin.scope();
      for (const t of picks) sink += scope.images.get(t).pixels.length;
    }, 5, 1);
    bench.figure({
      name: '1,000 random single-image reads: inside a scope vs outside (open/close each)',
      ratio: outsideMs / insideMs,
      detail: `inside ${fmt(insideMs, 1)} ms (${fmt((insideMs * 1000) / 1000, 1)} µs/read) vs outside ${fmt(outsideMs, 1)} ms (${fmt((outsideMs * 1000) / 1000, 1)} µs/read)`,
    });
    if (sink === 0) bench.log('(nothing read?)');
  } finally {
    removeTempDir(dir);
  }
}
