/**
 * Run time, inhibit time, look time and volume analyzed (pyifcb `ifcb.metrics.ml_analyzed`:
 * `compute_ml_analyzed_s1_adc`, `compute_ml_analyzed_s2_adc`; spec §6). Pure: reads the ADC table,
 * never writes it (pyifcb renames the bin's cached ADC columns in place; we do not).
 */
import type { AdcTable, BinIdentity, BinMetrics, Headers } from './types.ts';
import { headerLookup } from './hdr.ts';

/** pyifcb schema 1: 5/48000 ml per syringe step, 40 steps/s (computed as pyifcb does, not as 1/240). */
const S1_FLOW_RATE = (5 / 48000) * 40;
const S1_MIN_PROC_TIME = 0.073;
/** IFCB5 bins from June 2015 on need a shorter minimum processing time. */
const S1_MIN_PROC_TIME_IFCB5_2015 = 0.05;
const IFCB5_2015_CUTOVER = Date.UTC(2015, 5, 1);
/** ml/minute of the schema-2 syringe. */
const S2_FLOW_RATE = 0.25;

// Column indices (pyifcb SCHEMA_VERSION_1 / compute_ml_analyzed_s2_adc names).
const S1_TRIGGER = 0;
const S1_TRIGGER_OPEN_TIME = 7;
const S1_FRAME_GRAB_TIME = 8;
const S2_ADC_TIME = 1;
const S2_RUN_TIME = 22;
const S2_INHIBIT_TIME = 23;
const S2_COLUMNS = 24;

const SECONDS_PER_DAY = 24 * 60 * 60;

interface Times {
  runTime: number;
  lookTime: number;
}

const NO_TIMES: Times = { runTime: NaN, lookTime: NaN };

/** Compute a bin's metrics (pyifcb `compute_ml_analyzed` plus `trigger_rate` = n_triggers / run_time). */
export function computeMetrics(identity: BinIdentity, adc: AdcTable, headers: Headers): BinMetrics {
  let times: Times;
  let mlAnalyzed: number;
  if (identity.schema === 1) {
    const minProcTime = identity.instrument === 5 && identity.epochMs >= IFCB5_2015_CUTOVER ? S1_MIN_PROC_TIME_IFCB5_2015 : S1_MIN_PROC_TIME;
    times = schema1Times(adc, minProcTime);
    mlAnalyzed = times.lookTime * S1_FLOW_RATE;
  } else {
    times = schema2Times(adc, headers);
    mlAnalyzed = (S2_FLOW_RATE * times.lookTime) / 60;
  }
  return {
    runTime: times.runTime,
    inhibitTime: times.runTime - times.lookTime,
    lookTime: times.lookTime,
    mlAnalyzed,
    triggerRate: adc.triggers / times.runTime,
  };
}

/** numpy's pairwise summation (`add.reduce` on a contiguous float64 array), for bit-identical sums. */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = a[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    }
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** pyifcb `compute_ml_analyzed_s1_adc`. */
function schema1Times(adc: AdcTable, minProcTime: number): Times {
  if (adc.rowCount === 0) return NO_TIMES;
  const trigger = adc.column(S1_TRIGGER);
  const openRaw = adc.column(S1_TRIGGER_OPEN_TIME);
  const grabRaw = adc.column(S1_FRAME_GRAB_TIME);
  // drop_duplicates(subset=TRIGGER, keep='first'), then +86400 s on negative times (bins spanning midnight).
  const seen = new Set<number>();
  const open: number[] = [];
  const grab: number[] = [];
  for (let i = 0; i < adc.rowCount; i++) {
    const t = trigger[i]!;
    if (seen.has(t)) continue;
    seen.add(t);
    const o = openRaw[i]!;
    const g = grabRaw[i]!;
    open.push(o < 0 ? o + SECONDS_PER_DAY : o);
    grab.push(g < 0 ? g + SECONDS_PER_DAY : g);
  }
  const runTime = grab[grab.length - 1]!;
  const proc = new Float64Array(grab.length - 1);
  for (let i = 0; i < proc.length; i++) {
    const p = open[i + 1]! - grab[i]!;
    proc[i] = p < minProcTime ? minProcTime : p;
  }
  // "not sure why subtracting min_proc_time here is necessary" (pyifcb, matching the MATLAB code)
  const lookTime = runTime - pairwiseSum(proc) - minProcTime;
  return { runTime, lookTime };
}

function headerNumber(headers: Headers, key: string): number {
  const v = headerLookup(headers, key);
  return typeof v === 'number' ? v : NaN;
}

/** numpy `round(x, 4)`: rint(x * 1e4) / 1e4, rint being round-half-to-even. */
function round4(x: number): number {
  const y = x * 1e4;
  let r = Math.round(y);
  if (r - y === 0.5 && r % 2 !== 0) r -= 1;
  return r / 1e4;
}

/** pandas `Series.mode().values[0]`: the most frequent non-NaN value, the smallest on ties; NaN when none. */
function smallestMode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = NaN;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/** pandas `Series.median()` (NaN skipped; the mean of the two middle values for an even count). */
function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** pyifcb `compute_ml_analyzed_s2_adc` (the function `bin.ml_analyzed` calls for schema 2). */
function schema2Times(adc: AdcTable, headers: Headers): Times {
  const rows = adc.rowCount;
  if (adc.columnNames.length < S2_COLUMNS || rows === 1) {
    // Too little ADC to work with: the header's runTime / inhibitTime (case-insensitive keys).
    const runTime = headerNumber(headers, 'runTime');
    return { runTime, lookTime: runTime - headerNumber(headers, 'inhibitTime') };
  }
  if (rows === 0) return NO_TIMES;
  const inh = adc.column(S2_INHIBIT_TIME);
  const run = adc.column(S2_RUN_TIME);
  const adcTime = adc.column(S2_ADC_TIME);
  // pandas sum skips NaN; an all-zero inhibit column means the instrument did not record it.
  if (pairwiseSum(inh.map((v) => (Number.isNaN(v) ? 0 : v))) === 0) return NO_TIMES;

  // Good rows: position 0, plus rows with inhibit time > 0 that did not jump back (> 0.1 s) or ahead (≥ 5 s).
  const good = [0];
  for (let i = 1; i < rows; i++) {
    const d = inh[i]! - inh[i - 1]!;
    if (inh[i]! > 0 && d > -0.1 && d < 5) good.push(i);
  }
  const diffs: number[] = [];
  for (let k = 1; k < good.length; k++) diffs.push(round4(inh[good[k]!]! - inh[good[k - 1]!]!));
  // pyifcb raises IndexError when no diff exists; NaN lets the results below come out NaN instead.
  const mode = smallestMode(diffs);

  let runOffset = 0;
  let inhibitOffset = 0;
  const offsetTest = run[1]! - adcTime[1]!;
  if (offsetTest > 10) {
    runOffset = offsetTest;
    // "use the second row since the first one is bad occasionally, add two mode increments"
    inhibitOffset = inh[1]! + mode * 2;
  }
  const last = rows - 1;
  const inhibitTime =
    good.length === rows ? inh[last]! - inhibitOffset : inh[good[good.length - 1]!]! + (rows - good.length) * mode - inhibitOffset;
  let runTime = run[last]! - runOffset;
  const n = Math.min(rows, 50);
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) offsets.push(run[i]! - adcTime[i]!);
  const runTime2 = adcTime[last]! + median(offsets) - runOffset;
  if (Math.abs(runTime - runTime2) > 0.2) runTime = runTime2;
  return { runTime, lookTime: runTime - inhibitTime };
}
