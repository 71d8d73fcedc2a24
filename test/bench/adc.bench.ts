/**
 * ADC parse rate: `parseAdc` on a generated 10,000-row schema-2 `.adc` (and on a real file's rows
 * repeated to ~10,000), against a naive `split('\n').map(l => l.split(',').map(Number))` of the same
 * bytes, measured in the same run.
 */
import { readFileSync } from 'node:fs';
import { parseAdc } from '../../main/ifcb/adc.ts';
import { SAMPLE } from '../helpers/data.ts';
import { fmt, timeMedian, type Bench } from './harness.ts';

export const title = 'ADC parsing';

const ROWS = 10_000;

/** Rows shaped like a modern IFCB's (cf. D20230810T113059_IFCB134): times from float arithmetic, so many 16–17-digit cells. */
function generateAdc(rows: number): Uint8Array {
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  let adcTime = 0.0506643;
  let inhibit = 0;
  const lines: string[] = [];
  let startByte = 0;
  for (let t = 1; t <= rows; t++) {
    adcTime += rnd() * 0.5 + 0.0000001;
    inhibit += 0.0000834 + rnd() * 0.0001;
    const hasRoi = rnd() < 0.8;
    const w = hasRoi ? 16 + Math.floor(rnd() * 200) : 0;
    const h = hasRoi ? 16 + Math.floor(rnd() * 150) : 0;
    const cells = [
      t,
      adcTime,
      rnd() * 0.7,
      rnd() * 0.03,
      -rnd() * 0.004,
      rnd() * 0.001,
      rnd() * 4,
      rnd() * 0.4,
      0.0108 + rnd() * 0.0001,
      0.0099 + rnd() * 0.0001,
      Math.round(rnd() * 60 * 1e6) / 1e6,
      adcTime,
      adcTime + 0.0418,
      hasRoi ? Math.floor(rnd() * 1300) : 0,
      hasRoi ? Math.floor(rnd() * 1000) : 0,
      w,
      h,
      hasRoi ? startByte : 0,
      0,
      0,
      0,
      0,
      adcTime + 0.0304,
      inhibit,
    ];
    startByte += w * h;
    lines.push(cells.map(String).join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

function naive(bytes: Uint8Array): number[][] {
  return new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(',').map(Number));
}

async function measure(bench: Bench, name: string, bytes: Uint8Array): Promise<void> {
  // Sanity: both parse the same rows and the same last value.
  const ours = parseAdc(bytes, 2);
  const ref = naive(bytes);
  const rows = ours.rowCount;
  if (ref.length !== rows || ours.column(23)[rows - 1] !== ref[rows - 1]![23]) throw new Error('ADC bench: parsers disagree');
  const tNaive = await timeMedian(() => naive(bytes), 15, 3);
  const tOurs = await timeMedian(() => parseAdc(bytes, 2), 15, 3);
  const mb = bytes.length / 1e6;
  const rowsPerSec = (t: number) => rows / (t / 1000);
  bench.figure({
    name: `parseAdc, ${name}: ${rows} rows (${fmt(mb, 1)} MB)`,
    ratio: tNaive / tOurs,
    detail: `${fmt(rowsPerSec(tOurs) / 1e6, 2)} M rows/s (${fmt(tOurs, 2)} ms, ${fmt(mb / (tOurs / 1000), 0)} MB/s) vs naive split+Number ${fmt(rowsPerSec(tNaive) / 1e6, 2)} M rows/s (${fmt(tNaive, 2)} ms)`,
    target: '≥ 1× the naive split (which validates nothing)',
    met: tOurs <= tNaive,
  });
}

export async function run(bench: Bench): Promise<void> {
  await measure(bench, 'generated schema 2', generateAdc(ROWS));
  // Real cell spellings: D20230810T113059_IFCB134's 45 rows (read in place) repeated.
  const real = readFileSync(`${SAMPLE.D}.adc`);
  const copies = Math.ceil(ROWS / 45);
  const repeated = new Uint8Array(real.length * copies);
  for (let i = 0; i < copies; i++) repeated.set(real, i * real.length);
  await measure(bench, `${SAMPLE.D.split('/').pop()} ×${copies}`, repeated);
}
