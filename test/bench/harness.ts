/**
 * Benchmark plumbing. Every figure is printed as a ratio against a baseline measured in the same run,
 * with the absolute numbers beside it and the target, so a reader can judge both.
 */
import { performance } from 'node:perf_hooks';

export interface Figure {
  /** What was measured, e.g. "read all images in one scope". */
  name: string;
  /** The ratio printed first. Convention: > 1 means faster/better than the baseline when `higherIsBetter`. */
  ratio: number;
  /** Absolute values for context, e.g. "412 MB/s vs 335 MB/s (fs.readFile)". */
  detail: string;
  /** The target in words, e.g. "≥ 0.8×", and whether it was met. */
  target?: string;
  met?: boolean;
}

export interface Bench {
  figure(f: Figure): void;
  log(line: string): void;
}

export interface BenchModule {
  /** A title for the group of figures. */
  title: string;
  run(bench: Bench): Promise<void>;
}

/** Milliseconds of one call. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Median of `runs` timings after `warmup` untimed calls. */
export async function timeMedian(fn: () => unknown, runs = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeOnce(fn));
  return percentile(times, 50);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}
