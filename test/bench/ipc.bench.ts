/**
 * App-core benchmark (issue 5): images for 200 visible ROIs (a screenful: 200 consecutive images at a random
 * scroll position) of a 10,000-target synthetic bin, fetched
 *   - directly with the reader (`bin.scope()` + a coalesced `getMany`, the parsed bin kept) — the baseline;
 *   - the copy limit: the same coalesced reads into one buffer allocated once (a second, stricter baseline);
 *   - through the router (validation, bin cache, scope per request, one binary payload) + the shared decoder;
 *   - through the loopback bridge (HTTP POST, octet-stream body) + the decoder;
 *   - through the router + `structuredClone` of the payload (what Electron IPC adds: one copy).
 * Latency p50/p99 and MB/s, each as a ratio to the reader baseline in the same run (target ≥ 0.7× through the router).
 */
import fs from 'node:fs';
import { openBin } from '../../main/ifcb/bin.ts';
import { planRoiReads, readFully } from '../../main/ifcb/roi.ts';
import { startViewerServer } from '../../main/http-bridge/index.ts';
import type { ImageMap, RoiImage } from '../../main/ifcb/types.ts';
import { decodeRoiImages } from '../../shared/ipc/roi-images.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { fmt, percentile, type Bench } from './harness.ts';
import { mulberry32 } from '../helpers/prng.ts';
import { forceGc } from '../helpers/gc.ts';

export const title = 'App core: 200 visible ROIs of a 10,000-ROI bin through router and bridge';


interface Series {
  times: number[];
  bytes: number;
}

export async function run(bench: Bench): Promise<void> {
  const dir = makeTempDir('ifcb-bench-ipc-');
  const server = await startViewerServer({ roots: [dir], exporter: null });
  try {
    const syn = writeSyntheticBin(dir, { targets: 10_000 });
    const targets = syn.images.map((i) => i.target);
    bench.log(`bin ${syn.id}: ${syn.images.length} images, ${fmt(syn.roiBytes / 1e6, 1)} MB .roi`);
    const opened = await server.router.dispatch('bin:open-path', { path: syn.paths.adc });
    if (!opened.ok) throw new Error(opened.error.message);

    const random = mulberry32(5);
    const windows = Array.from({ length: 60 }, () => {
      const start = Math.floor(random() * (targets.length - 200));
      return targets.slice(start, start + 200);
    });

    const bin = openBin(syn.paths.adc);
    void bin.images.keys();
    let sink = 0;

    const direct = (t: number[]) => {
      using scope = bin.scope();
      const images = scope.images as ImageMap & { getMany(targets: readonly number[]): RoiImage[] };
      let n = 0;
      for (const im of images.getMany(t)) n += im.pixels.length;
      return n;
    };
    // the copy limit: the same coalesced reads into one buffer allocated once (no per-request allocation)
    const scratch = new Uint8Array(64 * 1024 * 1024);
    const roiFd = fs.openSync(syn.paths.roi, 'r'); // kept open, as a scope keeps it
    const copyLimit = (t: number[]) => {
      const extents = t.map((x) => bin.images.geometry(x)); // the cached map (a scope builds its own per scope)
      let n = 0;
      for (const g of planRoiReads(extents)) n += readFully(roiFd, scratch, g.end - g.start, g.start);
      return n;
    };
    const viaRouter = async (t: number[]) => {
      const r = await server.router.dispatch('bin:roi-images', { binId: syn.id, targets: t });
      if (!r.ok) throw new Error(r.error.message);
      let n = 0;
      for (const im of decodeRoiImages(r.value as Uint8Array)) n += im.pixels.length;
      return n;
    };
    const viaIpcCopy = async (t: number[]) => {
      const r = await server.router.dispatch('bin:roi-images', { binId: syn.id, targets: t });
      if (!r.ok) throw new Error(r.error.message);
      let n = 0;
      for (const im of decodeRoiImages(structuredClone(r.value as Uint8Array))) n += im.pixels.length;
      return n;
    };
    const viaBridge = async (t: number[]) => {
      const res = await fetch(`${server.url}api/bin:roi-images`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ binId: syn.id, targets: t }) });
      const bytes = new Uint8Array(await res.arrayBuffer());
      let n = 0;
      for (const im of decodeRoiImages(bytes)) n += im.pixels.length;
      return n;
    };

    const series: Record<'direct' | 'limit' | 'router' | 'ipc' | 'bridge', Series> = {
      direct: { times: [], bytes: 0 },
      limit: { times: [], bytes: 0 },
      router: { times: [], bytes: 0 },
      ipc: { times: [], bytes: 0 },
      bridge: { times: [], bytes: 0 },
    };
    const runners: [keyof typeof series, (t: number[]) => number | Promise<number>][] = [
      ['direct', direct],
      ['limit', copyLimit],
      ['router', viaRouter],
      ['ipc', viaIpcCopy],
      ['bridge', viaBridge],
    ];
    // warm up every path (page cache, JIT, keep-alive connection)
    for (const [, fn] of runners) for (const w of windows.slice(0, 5)) sink += await fn(w);
    // interleaved, so drift in the machine affects every path alike
    for (let round = 0; round < 3; round++) {
      for (const w of windows) {
        for (const [name, fn] of runners) {
          forceGc();
          const t0 = performance.now();
          const n = await fn(w);
          series[name].times.push(performance.now() - t0);
          series[name].bytes += n;
          sink += n;
        }
      }
    }

    const stats = (s: Series) => {
      const total = s.times.reduce((a, b) => a + b, 0);
      return { p50: percentile(s.times, 50), p99: percentile(s.times, 99), mbps: s.bytes / 1e6 / (total / 1000) };
    };
    const base = stats(series.direct);
    const perRequest = series.direct.bytes / series.direct.times.length / 1e6;
    bench.log(`${series.direct.times.length} requests per path, ${fmt(perRequest, 2)} MB of pixels each`);
    bench.log(`reader direct: p50 ${fmt(base.p50, 3)} ms, p99 ${fmt(base.p99, 3)} ms, ${fmt(base.mbps, 0)} MB/s`);
    const limit = stats(series.limit);
    bench.log(`copy limit (same reads into one reused buffer): p50 ${fmt(limit.p50, 3)} ms, ${fmt(limit.mbps, 0)} MB/s`);
    const label: Record<string, string> = { router: 'router', ipc: 'router + IPC copy (structuredClone)', bridge: 'loopback bridge (HTTP)' };
    for (const name of ['router', 'ipc', 'bridge'] as const) {
      const s = stats(series[name]);
      const throughput = s.mbps / base.mbps;
      const targeted = name === 'router';
      bench.figure({
        name: `${label[name]}: MB/s vs reader`,
        ratio: throughput,
        detail: `${fmt(s.mbps, 0)} MB/s vs ${fmt(base.mbps, 0)} MB/s direct`,
        ...(targeted ? { target: '≥ 0.7×', met: throughput >= 0.7 } : {}),
      });
      bench.figure({
        name: `${label[name]}: MB/s vs the copy limit`,
        ratio: s.mbps / limit.mbps,
        detail: `${fmt(s.mbps, 0)} MB/s vs ${fmt(limit.mbps, 0)} MB/s reading into a reused buffer`,
      });
      bench.figure({
        name: `${label[name]}: p50 latency vs reader (reader/path)`,
        ratio: base.p50 / s.p50,
        detail: `p50 ${fmt(s.p50, 3)} ms vs ${fmt(base.p50, 3)} ms`,
      });
      bench.figure({
        name: `${label[name]}: p99 latency vs reader (reader/path)`,
        ratio: base.p99 / s.p99,
        detail: `p99 ${fmt(s.p99, 3)} ms vs ${fmt(base.p99, 3)} ms`,
      });
    }
    fs.closeSync(roiFd);
    if (sink === 0) bench.log('(no bytes read?)');
  } finally {
    await server.close();
    removeTempDir(dir);
  }
}
