/**
 * `ifcb-viewer info` (issue 3): exact JSON for bins A–E, checksums, human summary, exit codes 0/2/3.
 * Image offsets and checksums are cross-checked against an independent minimal reading of the raw
 * files here (split the .adc on commas, hash the .roi byte ranges).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, SAMPLE } from '../../helpers/data.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { assertNoFdLeakAsync } from '../../helpers/fd-leak.ts';
import { makeFifo } from '../../helpers/fifo.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { main } from '../../../main/cli/main.ts';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, isTTY: false });
  return { code, out, err };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Independent reading: [target, width, height, offset] of every row with a non-zero width. */
function adcImages(base: string, schema: 1 | 2): [number, number, number, number][] {
  const [w, h, o] = schema === 1 ? [11, 12, 13] : [15, 16, 17];
  return readFileSync(`${base}.adc`, 'latin1')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const c = l.split(',').map(Number);
      return [i + 1, c[w]!, c[h]!, c[o]!] as [number, number, number, number];
    })
    .filter(([, width]) => width !== 0);
}

const FIELDS = ['id', 'schema', 'instrument', 'timestamp', 'adcRows', 'triggers', 'hasRoiFile', 'headers', 'runTime', 'inhibitTime', 'lookTime', 'mlAnalyzed', 'images'];

const A_HEADERS = {
  context: 'Imaging FlowCytobot Acquisition Software version 1.0; October 2005\nHeidi M. Sosik and Robert J. Olson\nWoods Hole Oceanographic Institution\nSyringeStatus =  0',
  temperature: 11.4799732421875,
  humidity: 32.167437512207,
  binarizeThreshold: 30,
  scatteringPhotomultiplierSetting: 0.675,
  fluorescencePhotomultiplierSetting: 0.6,
  blobSizeThreshold: 10,
};

const A_IMAGES = [
  { roi: 1, width: 96, height: 45, byteOffset: 1 },
  { roi: 2, width: 238, height: 137, byteOffset: 4321 },
  { roi: 3, width: 263, height: 86, byteOffset: 36927 },
  { roi: 5, width: 105, height: 45, byteOffset: 57492 },
  { roi: 6, width: 197, height: 45, byteOffset: 62217 },
];

function close(actual: unknown, expected: number): void {
  assert.equal(typeof actual, 'number');
  assert.ok(Math.abs((actual as number) - expected) <= 1e-9 * Math.abs(expected), `${String(actual)} vs ${expected}`);
}

describe('info --json: exact fields for bins A–E', () => {
  const cases = [
    { letter: 'A', base: SAMPLE.A, id: 'IFCB5_2012_028_081515', schema: 1, instrument: 5, timestamp: '2012-01-28T08:15:15Z', adcRows: 7, triggers: 6, hasRoiFile: true, keys: 7, m: [1.251953, 0.43799999999999994, 0.8139530000000001, 0.003391470833333334] },
    { letter: 'B', base: SAMPLE.B, id: 'D20130526T095207_IFCB013', schema: 2, instrument: 13, timestamp: '2013-05-26T09:52:07Z', adcRows: 118, triggers: 118, hasRoiFile: true, keys: 82, m: [1184.037103, 11.620325999999977, 1172.416777, 4.8850699041666665] },
    { letter: 'C', base: SAMPLE.C, id: 'D20220522T003051_IFCB134', schema: 2, instrument: 134, timestamp: '2022-05-22T00:30:51Z', adcRows: 3, triggers: 3, hasRoiFile: true, keys: 117, m: [715.6575, 0.15215060763887323, 715.5053493923612, 2.981272289134838] },
    { letter: 'D', base: SAMPLE.D, id: 'D20230810T113059_IFCB134', schema: 2, instrument: 134, timestamp: '2023-08-10T11:30:59Z', adcRows: 45, triggers: 41, hasRoiFile: false, keys: 123, m: [1186.8013888888888, 3.2460850694444616, 1183.5553038194444, 4.931480432581018] },
    { letter: 'E', base: SAMPLE.E, id: 'IFCB5_2012_028_081515', schema: 1, instrument: 5, timestamp: '2012-01-28T08:15:15Z', adcRows: 7, triggers: 6, hasRoiFile: false, keys: 7, m: [1.251953, 0.43799999999999994, 0.8139530000000001, 0.003391470833333334] },
  ] as const;
  for (const c of cases) {
    test(`bin ${c.letter}: ${c.id}`, async () => {
      const { code, out, err } = await assertNoFdLeakAsync(() => cli('info', `${c.base}.adc`, '--json'));
      assert.equal(err, '');
      assert.equal(code, 0);
      const json = JSON.parse(out) as Record<string, unknown>;
      assert.deepEqual(Object.keys(json), FIELDS);
      assert.deepEqual(
        [json.id, json.schema, json.instrument, json.timestamp, json.adcRows, json.triggers, json.hasRoiFile],
        [c.id, c.schema, c.instrument, c.timestamp, c.adcRows, c.triggers, c.hasRoiFile],
      );
      const headers = json.headers as Record<string, unknown>;
      assert.equal(Object.keys(headers).length, c.keys);
      close(json.runTime, c.m[0]);
      close(json.inhibitTime, c.m[1]);
      close(json.lookTime, c.m[2]);
      close(json.mlAnalyzed, c.m[3]);
      if (c.schema === 1) {
        assert.deepEqual({ ...headers }, A_HEADERS);
        assert.deepEqual(json.images, A_IMAGES);
      } else {
        const expected = adcImages(c.base, 2).map(([roi, width, height, byteOffset]) => ({ roi, width, height, byteOffset }));
        assert.deepEqual(json.images, expected);
      }
      if (c.letter === 'B') {
        assert.deepEqual(
          [headers.KloehnPort, headers.laserMotorSmallStep_ms, headers.blobXgrowAmount, headers.temperature, headers.humidity, headers.runTime, headers.inhibitTime],
          ['COM3', 1000, 20, 35.270397, 2.48685, 1231.024861, 11.62298],
        );
        assert.deepEqual((json.images as { roi: number }[]).slice(0, 3), [
          { roi: 7, width: 88, height: 34, byteOffset: (json.images as { byteOffset: number }[])[0]!.byteOffset },
          { roi: 11, width: 104, height: 66, byteOffset: (json.images as { byteOffset: number }[])[1]!.byteOffset },
          { roi: 13, width: 72, height: 34, byteOffset: (json.images as { byteOffset: number }[])[2]!.byteOffset },
        ]);
      }
      if (c.letter === 'C') assert.deepEqual([headers.temperature, headers.humidity], [19.940374608987575, 53.2310231174182]);
      if (c.letter === 'D') assert.deepEqual((json.images as { roi: number }[]).map((i) => i.roi), [2, 3, 4, 5, 10, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 32, 33, 35, 36, 37, 38, 39, 42, 43, 44, 45]);
    });
  }

  test('NaN metrics are null (empty bins), headers {} for the all-empty invalid bin', async () => {
    const v2 = JSON.parse((await cli('info', SAMPLE.emptyV2, '--json')).out) as Record<string, unknown>;
    assert.deepEqual([v2.runTime, v2.inhibitTime, v2.lookTime, v2.mlAnalyzed, v2.adcRows, v2.triggers, v2.images], [null, null, null, null, 0, 0, []]);
    assert.equal(Object.keys(v2.headers as object).length, 99);
    const inv = await cli('info', `${SAMPLE.invalid}.hdr`, '--json', '--checksums');
    assert.equal(inv.code, 0);
    assert.deepEqual(JSON.parse(inv.out), {
      id: 'D20130101T101010_IFCB099', schema: 2, instrument: 99, timestamp: '2013-01-01T10:10:10Z', adcRows: 0, triggers: 0, hasRoiFile: true,
      headers: {}, runTime: null, inhibitTime: null, lookTime: null, mlAnalyzed: null, images: [],
    });
  });
});

describe('info --checksums', () => {
  test('A: SHA-256 of each stitched image (ROI 3 stitched + infilled)', async () => {
    const { code, out } = await cli('info', SAMPLE.A, '--json', '--checksums');
    assert.equal(code, 0);
    const images = (JSON.parse(out) as { images: { roi: number; sha256: string }[] }).images;
    assert.equal(images[0]!.sha256, 'd2dc426fa926ea5ea3025494ba9627a46d04633ab5976e564bc50cd9f4aed14b');
    assert.equal(images[2]!.sha256, '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f');
    const roi = readFileSync(`${SAMPLE.A}.roi`);
    const raw = new Map(adcImages(SAMPLE.A, 1).map(([t, w, h, o]) => [t, sha(roi.subarray(o, o + w * h))]));
    for (const im of images.filter((i) => i.roi !== 3)) assert.equal(im.sha256, raw.get(im.roi));
    assert.deepEqual(Object.keys(images[0]!), ['roi', 'width', 'height', 'byteOffset', 'sha256']);
  });

  for (const [letter, base, first] of [
    ['B', SAMPLE.B, 'e01583a7fa2f689ebfeb21c37041001e9e0665f3b273fcc1bfc60a7cbdfabdfd'],
    ['C', SAMPLE.C, 'c276174049616fa1ba6045248eaf0362c40aacdb5ed522c67164876af17161b0'],
  ] as const) {
    test(`${letter}: every SHA-256 equals a hash of the raw byte range`, async () => {
      const images = (JSON.parse((await cli('info', base, '--json', '--checksums')).out) as { images: { roi: number; sha256: string }[] }).images;
      assert.equal(images[0]!.sha256, first);
      const roi = readFileSync(`${base}.roi`);
      assert.deepEqual(
        images.map((i) => [i.roi, i.sha256]),
        adcImages(base, 2).map(([t, w, h, o]) => [t, sha(roi.subarray(o, o + w * h))]),
      );
    });
  }

  test('a FIFO as the .roi beside a valid .adc/.hdr: info --checksums answers at once, exit 3 FILE_NOT_REGULAR', async (t) => {
    const dir = tempDirFor(t);
    const id = path.basename(SAMPLE.B);
    for (const ext of ['adc', 'hdr']) copyFileSync(`${SAMPLE.B}.${ext}`, path.join(dir, `${id}.${ext}`));
    makeFifo(t, path.join(dir, `${id}.roi`));
    const r = await cli('info', path.join(dir, `${id}.adc`), '--checksums');
    assert.equal(r.code, 3);
    assert.match(r.err, /^ifcb-viewer info: error FILE_NOT_REGULAR: .*\.roi file .* is a FIFO/);
  });

  test('a header value nested 2,000 brackets deep: exit 3 HEADER_TOO_COMPLEX naming the file and line, no stack trace', async (t) => {
    const dir = tempDirFor(t);
    const id = path.basename(SAMPLE.B);
    for (const ext of ['adc', 'hdr', 'roi']) copyFileSync(`${SAMPLE.B}.${ext}`, path.join(dir, `${id}.${ext}`));
    const lines = readFileSync(`${SAMPLE.B}.hdr`, 'latin1').split(/\r?\n/).length;
    appendFileSync(path.join(dir, `${id}.hdr`), `deep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`);
    const r = await cli('info', path.join(dir, `${id}.adc`), '--json');
    assert.equal(r.code, 3);
    assert.equal(r.err, `ifcb-viewer info: error HEADER_TOO_COMPLEX: ${path.join(dir, `${id}.hdr`)} line ${lines}: a header value nests brackets more than 200 deep; the header cannot be read.\n`);
  });

  test('checksums of a bin without .roi: exit 3 FILE_MISSING', async () => {
    const r = await cli('info', SAMPLE.D, '--checksums');
    assert.equal(r.code, 3);
    assert.match(r.err, /^ifcb-viewer info: error FILE_MISSING: D20230810T113059_IFCB134: the \.roi file is missing/);
  });
});

describe('info: human output and exit codes', () => {
  test('human summary names the bin, counts and metrics', async () => {
    const { code, out } = await cli('info', `${SAMPLE.B}.roi`);
    assert.equal(code, 0);
    assert.match(out, /^D20130526T095207_IFCB013 {2}\(schema 2, IFCB013, 2013-05-26T09:52:07Z\)\n/);
    assert.match(out, /ADC +118 rows, 118 triggers/);
    assert.match(out, /header +82 keys/);
    assert.match(out, /run time +1184\.037103 s +inhibit 11\.620326 s +look 1172\.416777 s/);
    assert.match(out, /ml analyzed +4\.88507 ml/);
    assert.match(out, /images +19\n/);
    assert.match(out, /\n +99 +64×34 +\d+\n/);
    const partial = await cli('info', SAMPLE.E);
    assert.match(partial.out, /no \.roi: images cannot be read/);
    assert.match(partial.out, /images +5 \(after stitching\)/);
    const empty = await cli('info', SAMPLE.invalid);
    assert.match(empty.out, /header +EMPTY \(no keys\)/);
    assert.match(empty.out, /run time +n\/a/);
  });

  test('exit 2 for usage mistakes, 3 for data errors with the code on stderr', async () => {
    for (const args of [['info'], ['info', 'a', 'b'], ['info', SAMPLE.A, '--bogus']]) {
      const r = await cli(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '');
      assert.match(r.err, /^ifcb-viewer info: /);
    }
    const decoy = await cli('info', SAMPLE.decoy);
    assert.equal(decoy.code, 3);
    assert.match(decoy.err, /^ifcb-viewer info: error INVALID_BIN_ID: "decoy\.adc" is not an IFCB bin name/);
    const missing = await cli('info', '/nonexistent/D20130526T095207_IFCB013.adc', '--json');
    assert.equal(missing.code, 3);
    assert.match(missing.err, /error FILE_MISSING: D20130526T095207_IFCB013: the \.adc file is missing \(\/nonexistent\/D20130526T095207_IFCB013\.adc\)/);
    assert.equal(missing.out, '');
    const help = await cli('info', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /^usage: ifcb-viewer info PATH/);
  });
});

test('piped into a reader that closes early (| head -c 800): stops quietly, exit 0, nothing on stderr', async (t) => {
  const dir = tempDirFor(t);
  // ~5,000 images in the JSON: far more than a pipe buffers, so writes go on after the reader has gone
  const synth = writeSyntheticBin(dir, { targets: 5000, maxSize: 16, emptyEvery: 0 });
  const launcher = path.join(PROJECT_ROOT, 'bin', 'ifcb-viewer.js');
  // The launcher rebuilds a missing or stale bundle and says so on stderr: build it first, so this test does not
  // depend on which test ran the launcher before it.
  spawnSync(process.execPath, [launcher, '--help'], { stdio: 'ignore' });
  const child = spawn(process.execPath, [launcher, 'info', synth.paths.adc, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  let got = 0;
  child.stdout.on('data', (c: Buffer) => {
    got += c.length;
    if (got >= 800) child.stdout.destroy(); // what `head -c 800` does
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.ok(got >= 800);
  assert.equal(err, '');
  assert.equal(code, 0);
});
