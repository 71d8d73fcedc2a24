/**
 * The `ifcb-viewer` command as a user runs it: whole processes (start-up included), wall time, medians. Each figure
 * is a ratio against a baseline measured in the same run:
 * - `info` on a small real bin vs `node -e 0` (target: under 150 ms absolute), and vs the dev CLI through tsx;
 * - `info --json --checksums` on a 10,000-ROI bin (every image read and hashed) vs the dev CLI, and vs pyifcb doing
 *   the same work when Python can import it (target ≥ 2× pyifcb);
 * - `index` of 2,000 small bins into a new library vs the dev CLI, and vs pyifcb's DataDirectory walk reading each
 *   bin's header and ADC (target ≥ 10× pyifcb).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCli } from '../../scripts/build.ts';
import { PROJECT_ROOT, SAMPLE } from '../helpers/data.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { fmt, percentile, type Bench } from './harness.ts';

export const title = 'Command line (whole processes)';

const BUNDLED = [path.join(PROJECT_ROOT, 'bin/ifcb-viewer.js')];
const DEV = [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(PROJECT_ROOT, 'main/cli/main.ts')];

/** Wall time of one process, ms; throws when it fails (a figure of a failing command means nothing). */
function wall(command: string, args: string[], options: { cwd?: string } = {}): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd: options.cwd ?? PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.slice(0, 500)}`);
  return ms;
}

/** Median wall time of `runs` runs after one untimed warm-up; `before` runs untimed ahead of each. */
function median(runs: number, run: () => number, before: () => void = () => undefined): number {
  before();
  run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    before();
    times.push(run());
  }
  return percentile(times, 50);
}

/** Why pyifcb cannot be compared here, or null when `python3 -c "import ifcb"` works. */
function pyifcbMissing(): string | null {
  const r = spawnSync('python3', ['-c', 'import ifcb'], { encoding: 'utf8' });
  if (r.error) return `python3 not runnable (${r.error.message})`;
  return r.status === 0 ? null : `python3 -c "import ifcb" failed: ${r.stderr.trim().split('\n').pop()}`;
}

/** pyifcb reading every image of a bin and hashing its pixels (what `info --checksums` does). */
const PY_CHECKSUMS = `
import hashlib, sys, ifcb
with ifcb.open_raw(sys.argv[1]) as b:
    for target, image in b.images.items():
        hashlib.sha256(image.tobytes()).hexdigest()
`;
/** pyifcb walking a folder of bins, reading each one's header and ADC (what `index` parses). */
const PY_WALK = `
import sys, ifcb
for b in ifcb.DataDirectory(sys.argv[1]):
    with b:
        b.headers
        len(b.adc)
`;

export async function run(bench: Bench): Promise<void> {
  await buildCli();
  const missing = pyifcbMissing();
  const dir = makeTempDir('ifcb-bench-cli-');
  try {
    // --- start-up: info on a small real bin
    const info = ['info', `${SAMPLE.C}.adc`];
    const nodeMs = median(15, () => wall(process.execPath, ['-e', '0']));
    const bundledInfoMs = median(15, () => wall(process.execPath, [...BUNDLED, ...info]));
    const devInfoMs = median(7, () => wall(process.execPath, [...DEV, ...info]));
    bench.figure({
      name: '`ifcb-viewer info` (small bin) vs `node -e 0`',
      ratio: bundledInfoMs / nodeMs,
      detail: `${fmt(bundledInfoMs, 1)} ms vs ${fmt(nodeMs, 1)} ms`,
      target: '< 150 ms absolute',
      met: bundledInfoMs < 150,
    });
    bench.figure({ name: '`ifcb-viewer info` (small bin): dev CLI (tsx) / bundle', ratio: devInfoMs / bundledInfoMs, detail: `${fmt(devInfoMs, 1)} ms (tsx) vs ${fmt(bundledInfoMs, 1)} ms (bundle)` });

    // --- read: every image of a 10,000-ROI bin, hashed
    const big = writeSyntheticBin(dir, { targets: 10_000, emptyEvery: 0, seed: 9 });
    const checksums = ['info', big.paths.adc, '--json', '--checksums'];
    const bundledReadMs = median(3, () => wall(process.execPath, [...BUNDLED, ...checksums]));
    const devReadMs = median(3, () => wall(process.execPath, [...DEV, ...checksums]));
    bench.figure({
      name: '`info --json --checksums` (10,000 ROIs): dev CLI (tsx) / bundle',
      ratio: devReadMs / bundledReadMs,
      detail: `${fmt(devReadMs, 0)} ms (tsx) vs ${fmt(bundledReadMs, 0)} ms (bundle), ${fmt(big.roiBytes / 1e6, 0)} MB of pixels`,
    });
    if (missing === null) {
      const pyMs = median(3, () => wall('python3', ['-c', PY_CHECKSUMS, big.paths.adc]));
      bench.figure({ name: '`info --json --checksums` (10,000 ROIs) vs pyifcb', ratio: pyMs / bundledReadMs, detail: `${fmt(bundledReadMs, 0)} ms vs ${fmt(pyMs, 0)} ms (pyifcb)`, target: '≥ 2×', met: pyMs / bundledReadMs >= 2 });
    } else bench.log(`skipped: \`info --checksums\` vs pyifcb: ${missing}`);
    rmSync(path.dirname(big.paths.adc), { recursive: true, force: true });

    // --- index: 2,000 small bins into a new library
    const data = path.join(dir, 'data');
    mkdirSync(data, { recursive: true });
    for (let i = 0; i < 2000; i++) writeSyntheticBin(data, { epochMs: Date.UTC(2024, 0, 1) + i * 20 * 60_000, targets: 30, emptyEvery: 10, minSize: 8, maxSize: 24, seed: i + 1 });
    const db = path.join(dir, 'library.sqlite');
    const freshDb = () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
    };
    const index = ['index', data, '--db', db];
    const bundledIndexMs = median(3, () => wall(process.execPath, [...BUNDLED, ...index]), freshDb);
    const devIndexMs = median(3, () => wall(process.execPath, [...DEV, ...index]), freshDb);
    bench.figure({
      name: '`index` (2,000 bins, new library): dev CLI (tsx) / bundle',
      ratio: devIndexMs / bundledIndexMs,
      detail: `${fmt(devIndexMs, 0)} ms (tsx) vs ${fmt(bundledIndexMs, 0)} ms (bundle, ${fmt(2000 / (bundledIndexMs / 1000), 0)} bins/s end to end)`,
    });
    if (missing === null) {
      const pyMs = median(3, () => wall('python3', ['-c', PY_WALK, data]));
      bench.figure({ name: '`index` (2,000 bins) vs pyifcb DataDirectory walk', ratio: pyMs / bundledIndexMs, detail: `${fmt(bundledIndexMs, 0)} ms vs ${fmt(pyMs, 0)} ms (pyifcb)`, target: '≥ 10×', met: pyMs / bundledIndexMs >= 10 });
    } else bench.log(`skipped: \`index\` vs pyifcb: ${missing}`);
  } finally {
    removeTempDir(dir);
  }
}
