/**
 * Run time, inhibit time, look time, ml analyzed and trigger rate (spec §6, §8, §11). The sample values
 * are pyifcb's; the synthetic schema-1/2 cases were computed by a numpy transcription of pyifcb's
 * `compute_ml_analyzed_s1_adc` / `compute_ml_analyzed_s2_adc` (numpy round, median, pairwise sum).
 * The spec allows a relative 1e-9 (summation order); numpy's pairwise summation is reproduced, so
 * every value here is asserted bit-exact.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SAMPLE } from '../../helpers/data.ts';
import { parseBinName } from '../../../shared/ifcb/bin-id.ts';
import { parseAdc } from '../../../main/ifcb/adc.ts';
import { decodeHeader, parseHeader } from '../../../main/ifcb/hdr.ts';
import { computeMetrics, pairwiseSum } from '../../../main/ifcb/metrics.ts';
import type { AdcTable, BinMetrics, Headers } from '../../../main/ifcb/types.ts';

type Sample = keyof typeof SAMPLE;

function load(bin: Sample): { adc: AdcTable; headers: Headers; metrics: BinMetrics } {
  const base = SAMPLE[bin];
  const id = parseBinName(base);
  const adc = parseAdc(readFileSync(`${base}.adc`), id.schema, `${base}.adc`);
  const headers = parseHeader(decodeHeader(readFileSync(`${base}.hdr`)));
  return { adc, headers, metrics: computeMetrics(id, adc, headers) };
}

function exactly(actual: number, expected: number, what: string): void {
  assert.ok(Object.is(actual, expected), `${what}: ${actual} !== ${expected} (rel. ${Math.abs(actual - expected) / Math.abs(expected)})`);
}

function assertMetrics(m: BinMetrics, e: { runTime: number; inhibitTime: number; lookTime: number; mlAnalyzed: number; triggerRate?: number }): void {
  exactly(m.runTime, e.runTime, 'runTime');
  exactly(m.inhibitTime, e.inhibitTime, 'inhibitTime');
  exactly(m.lookTime, e.lookTime, 'lookTime');
  exactly(m.mlAnalyzed, e.mlAnalyzed, 'mlAnalyzed');
  if (e.triggerRate !== undefined) exactly(m.triggerRate, e.triggerRate, 'triggerRate');
}

describe('sample bins (spec §11)', () => {
  test('A and E (schema 1, IFCB5 2012: min_proc_time 0.073)', () => {
    const expected = {
      runTime: 1.251953,
      inhibitTime: 0.43799999999999994,
      lookTime: 0.8139530000000001,
      mlAnalyzed: 0.003391470833333334,
      triggerRate: 4.792512178971575,
    };
    assertMetrics(load('A').metrics, expected);
    assertMetrics(load('E').metrics, expected);
  });

  test('B: computed from the ADC, not the header (header runTime 1231.024861)', () => {
    assertMetrics(load('B').metrics, {
      runTime: 1184.037103,
      inhibitTime: 11.620325999999977,
      lookTime: 1172.416777,
      mlAnalyzed: 4.8850699041666665,
      triggerRate: 0.09965903914752577,
    });
  });

  test('C (3 rows) and D (45 rows, 41 triggers)', () => {
    const c = load('C').metrics;
    assertMetrics(c, { runTime: 715.6575, inhibitTime: 0.15215060763887323, lookTime: 715.5053493923612, mlAnalyzed: 2.981272289134838 });
    exactly(c.triggerRate, 3 / 715.6575, 'C triggerRate');
    const d = load('D').metrics;
    assertMetrics(d, { runTime: 1186.8013888888888, inhibitTime: 3.2460850694444616, lookTime: 1183.5553038194444, mlAnalyzed: 4.931480432581018 });
    exactly(d.triggerRate, 41 / 1186.8013888888888, 'D triggerRate');
  });

  test('§8: empty, invalid and skip bins give NaN everywhere', () => {
    for (const bin of ['emptyV1', 'emptyV2', 'invalid', 'skip'] as const) {
      const m = load(bin).metrics;
      for (const v of Object.values(m)) assert.ok(Number.isNaN(v), `${bin}: ${JSON.stringify(m)}`);
    }
  });

  test('pure: the ADC table is not modified (pyifcb renames the cached columns in place)', () => {
    for (const bin of ['A', 'B', 'D'] as const) {
      const { adc, headers } = load(bin);
      const before = adc.columnNames.map((_, c) => Float64Array.from(adc.column(c)));
      const names = [...adc.columnNames];
      const id = parseBinName(SAMPLE[bin]);
      const first = computeMetrics(id, adc, headers);
      assert.deepEqual(computeMetrics(id, adc, headers), first);
      assert.deepEqual([...adc.columnNames], names);
      before.forEach((col, c) => assert.deepEqual(adc.column(c), col));
    }
  });
});

const enc = (s: string) => new TextEncoder().encode(s);

/** Schema-1 rows from trigger, TRIGGER_OPEN_TIME (col 7), FRAME_GRAB_TIME (col 8). */
function v1(trigger: number[], open: number[], grab: number[]): AdcTable {
  const rows = trigger.map((t, i) => `${t},0,0,0,0,0,0,${open[i]},${grab[i]},0,0,0,0,0,0,`);
  return parseAdc(enc(rows.join('\n')), 1);
}

/** Schema-2 rows from ADC_TIME (col 1), RUN_TIME (col 22), INHIBIT_TIME (col 23); `width` columns. */
function v2(adcTime: number[], run: number[], inh: number[], width = 24): AdcTable {
  const rows = adcTime.map((a, i) => {
    const cells = new Array<number>(width).fill(0);
    cells[0] = i + 1;
    cells[1] = a;
    if (width > 22) cells[22] = run[i]!;
    if (width > 23) cells[23] = inh[i]!;
    return cells.join(',');
  });
  return parseAdc(enc(rows.join('\n')), 2);
}

const ID_V2 = parseBinName('D20200101T000000_IFCB010');

function fromLook(runTime: number, lookTime: number, mlAnalyzed: number) {
  return { runTime, lookTime, mlAnalyzed, inhibitTime: runTime - lookTime };
}

describe('schema 1 rules', () => {
  // Duplicated trigger 2 (second row dropped), negative times after midnight (+86400 s).
  const adc = v1([1, 2, 2, 3, 4, 5], [86399.0, 86399.5, 86399.6, -0.4, -0.2, 0.4], [86399.2, 86399.9, 1, -0.3, -0.1, 0.9]);
  const at0073 = fromLook(0.9, 0.28099999999126885, 0.0011708333332969534);
  const at005 = fromLook(0.9, 0.3499999999912689, 0.0014583333332969539);

  test('min_proc_time 0.05 only for IFCB5 from 2015-06-01 UTC on', () => {
    assertMetrics(computeMetrics(parseBinName('IFCB5_2015_152_000000'), adc, {}), at005); // 2015-06-01
    assertMetrics(computeMetrics(parseBinName('IFCB5_2017_001_033645'), adc, {}), at005);
    assertMetrics(computeMetrics(parseBinName('IFCB5_2015_151_235959'), adc, {}), at0073); // 2015-05-31
    assertMetrics(computeMetrics(parseBinName('IFCB6_2016_001_000000'), adc, {}), at0073);
  });

  test('trigger rate is n_triggers (TRIGGER of the last row) / run time', () => {
    exactly(computeMetrics(parseBinName('IFCB6_2016_001_000000'), adc, {}).triggerRate, 5 / 0.9, 'triggerRate');
  });
});

describe('schema 2 rules (compute_ml_analyzed_s2_adc)', () => {
  test('all rows good, no offset, no switch', () => {
    assertMetrics(computeMetrics(ID_V2, v2([0.1, 1.0, 2.0, 3.0], [0.2, 1.1, 2.1, 3.1], [0.01, 0.02, 0.03, 0.04]), {}), fromLook(3.1, 3.06, 0.012750000000000001));
  });

  test('run_time - adc_time > 10 s on row 2: both offsets applied', () => {
    const adc = v2([0.1, 1.0, 2.0, 3.0, 4.5], [100.1, 101.0, 102.0, 103.0, 104.5], [0.01, 0.02, 0.03, 0.045, 0.05]);
    assertMetrics(computeMetrics(ID_V2, adc, {}), fromLook(4.5, 4.49, 0.018708333333333334));
  });

  test('bad rows: last good inhibit + mode per bad row; the mode rounds half to even (2.5e-4 → 2e-4)', () => {
    const adc = v2([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5], [0, 0.00025, 0.0005, 0, 0.00075, 10.0]);
    assertMetrics(computeMetrics(ID_V2, adc, {}), fromLook(5, 4.99885, 0.020828541666666665));
  });

  test('mode ties resolve to the smallest value', () => {
    const adc = v2([0, 1, 2, 3, 4], [20, 21, 22, 23, 24], [0.01, 0.02, 0.04, 0.05, 0.07]);
    assertMetrics(computeMetrics(ID_V2, adc, {}), fromLook(4, 3.97, 0.016541666666666666));
  });

  test('|runtime - runtime2| > 0.2 switches to adc_time[last] + median(run - adc)', () => {
    assertMetrics(computeMetrics(ID_V2, v2([0, 1, 2, 3], [0.5, 1.5, 2.5, 9.0], [0.1, 0.2, 0.3, 0.4]), {}), fromLook(3.5, 3.1, 0.012916666666666667));
    // Even count: the median is the mean of the middle two.
    assertMetrics(computeMetrics(ID_V2, v2([0, 1, 2, 3], [0.1, 1.3, 2.2, 3.9], [0.1, 0.2, 0.3, 0.4]), {}), fromLook(3.25, 2.85, 0.011875));
  });

  test('runtime2 uses the median of the first 50 rows only', () => {
    // Offsets run - adc: 0.1 (rows 1–20), 0.5 (rows 21–50), 0.1 (rows 51–60): first-50 median 0.5, all-60 median 0.3.
    const adcTime = Array.from({ length: 60 }, (_, i) => i);
    const run = adcTime.map((a, i) => a + (i < 20 || i >= 50 ? 0.1 : 0.5));
    const inh = adcTime.map((_, i) => 0.01 * (i + 1));
    assertMetrics(computeMetrics(ID_V2, v2(adcTime, run, inh), {}), fromLook(59.5, 58.9, 0.24541666666666667));
  });

  test('inhibit column all zero → NaN; only row 1 good → NaN look time (pyifcb raises IndexError)', () => {
    const zero = computeMetrics(ID_V2, v2([0, 1, 2], [0, 1, 2], [0, 0, 0]), { runTime: 5, inhibitTime: 1 });
    for (const v of Object.values(zero)) assert.ok(Number.isNaN(v));
    const one = computeMetrics(ID_V2, v2([0, 1, 2], [0, 1, 2], [1, 0, 0]), {});
    assert.equal(one.runTime, 2);
    assert.ok(Number.isNaN(one.lookTime) && Number.isNaN(one.inhibitTime) && Number.isNaN(one.mlAnalyzed));
  });

  test('exactly one row, or fewer than 24 columns: the header runTime/inhibitTime (case-insensitive)', () => {
    const headers = { RUNTIME: 100, InhibitTime: 4 };
    const expected = { runTime: 100, inhibitTime: 4, lookTime: 96, mlAnalyzed: 0.4, triggerRate: 1 / 100 };
    assertMetrics(computeMetrics(ID_V2, v2([5], [6], [7]), headers), expected);
    const narrow = v2([0, 1, 2], [0, 0, 0], [0, 0, 0], 20);
    assert.equal(narrow.columnNames.length, 20);
    assertMetrics(computeMetrics(ID_V2, narrow, headers), { ...expected, triggerRate: 3 / 100 });
    const missing = computeMetrics(ID_V2, v2([5], [6], [7]), { runTime: 'n/a' });
    assert.ok(Number.isNaN(missing.runTime) && Number.isNaN(missing.lookTime));
  });
});

describe('pairwiseSum (numpy add.reduce)', () => {
  test('8 to 128 values: eight strided accumulators combined ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))', () => {
    // numpy: np.array([1e16, 1, 1, 1, -1e16, 1, 1, 1] * 2 + [3]).sum() == 11.0 (sequential: 10.0)
    exactly(pairwiseSum([...[1e16, 1, 1, 1, -1e16, 1, 1, 1], ...[1e16, 1, 1, 1, -1e16, 1, 1, 1], 3]), 11, 'pairwise 17');
  });

  test('matches numpy 2.4 np.sum bit for bit where sequential summation does not', () => {
    // numpy: np.array([0.1] * 200 + [1e16, -1e16] + [0.3] * 37).sum()
    const values = [...new Array<number>(200).fill(0.1), 1e16, -1e16, ...new Array<number>(37).fill(0.3)];
    let sequential = 0;
    for (const v of values) sequential += v;
    exactly(pairwiseSum(values), NUMPY_SUM, 'pairwise');
    assert.notEqual(sequential, NUMPY_SUM);
  });
});

const NUMPY_SUM = 31.1;
