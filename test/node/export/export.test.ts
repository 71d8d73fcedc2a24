/**
 * exportRois on the real sample bins: folder and zip listings, every PNG decoded (fast-png) equal to the
 * raw pixels, metadata.csv and EcoTaxa TSV values, pyifcb `to_zip` layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { exportRois, type ExportItem } from '../../../main/export/index.ts';
import { openBin } from '../../../main/ifcb/index.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { assertNoFdLeakAsync } from '../../helpers/fd-leak.ts';
import { decodeGray } from './decode.ts';
import { readZip } from './zip-read.ts';

const A = 'IFCB5_2012_028_081515';
const B = 'D20130526T095207_IFCB013';
const C = 'D20220522T003051_IFCB134';
const item = (key: 'A' | 'B' | 'C', targets?: number[]): ExportItem => {
  const binId = { A, B, C }[key];
  return targets ? { binPath: SAMPLE[key], binId, targets } : { binPath: SAMPLE[key], binId };
};
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const B_TARGETS = [7, 11, 13, 21, 32, 33, 47, 49, 54, 61, 66, 68, 73, 78, 80, 92, 99, 102, 114];
const pad = (t: number) => String(t).padStart(5, '0');

/** Raw (stitched for schema 1) pixels of a sample bin's image, via the reader. */
function rawOf(key: 'A' | 'B' | 'C', target: number) {
  return openBin(SAMPLE[key]).images.get(target);
}

/** Parse a CSV line without quotes (none of the exported values needs quoting). */
const cells = (line: string) => line.split(',');

test('folder export of A, B, C: exact listing, every PNG = raw pixels, no staging left, raw files untouched', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'selection');
  const before = ['A', 'B', 'C'].map((k) => statSync(`${SAMPLE[k as 'A']}.roi`).mtimeMs);
  const result = await assertNoFdLeakAsync(() => exportRois({ items: [item('A'), item('B'), item('C')], destination: out, metadata: true, ecotaxa: true }));
  const expectedImages = [
    ...[1, 2, 3, 5, 6].map((n) => `${A}_${pad(n)}.png`),
    ...B_TARGETS.map((n) => `${B}_${pad(n)}.png`),
    `${C}_00002.png`,
    `${C}_00003.png`,
  ];
  assert.deepEqual(result.entries, [...expectedImages, 'metadata.csv', 'ecotaxa_selection.tsv']);
  assert.equal(result.images, 26);
  assert.equal(result.kind, 'folder');
  assert.deepEqual(readdirSync(out).sort(), [...expectedImages, 'metadata.csv', 'ecotaxa_selection.tsv'].sort());
  assert.deepEqual(readdirSync(dir), ['selection'], 'no staging folder left beside the export');
  for (const name of expectedImages) {
    const [, key, target] = /^(IFCB5_2012_028_081515|D20130526T095207_IFCB013|D20220522T003051_IFCB134)_(\d{5})\.png$/.exec(name)!;
    const k = key === A ? 'A' : key === B ? 'B' : 'C';
    const raw = rawOf(k, Number(target));
    const d = decodeGray(readFileSync(path.join(out, name)));
    assert.equal(d.width, raw.width, name);
    assert.equal(d.height, raw.height, name);
    assert.equal(sha256(d.pixels), sha256(raw.pixels), name);
  }
  // spec §11 checksums of the first ROI of each bin, through the exported files
  assert.equal(sha256(decodeGray(readFileSync(path.join(out, `${A}_00001.png`))).pixels), 'd2dc426fa926ea5ea3025494ba9627a46d04633ab5976e564bc50cd9f4aed14b');
  assert.equal(sha256(decodeGray(readFileSync(path.join(out, `${B}_00007.png`))).pixels), 'e01583a7fa2f689ebfeb21c37041001e9e0665f3b273fcc1bfc60a7cbdfabdfd');
  assert.equal(sha256(decodeGray(readFileSync(path.join(out, `${C}_00002.png`))).pixels), 'c276174049616fa1ba6045248eaf0362c40aacdb5ed522c67164876af17161b0');
  const stitched = decodeGray(readFileSync(path.join(out, `${A}_00003.png`)));
  assert.equal(`${stitched.width}x${stitched.height}`, '263x86');
  assert.equal(sha256(stitched.pixels), '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f');
  assert.deepEqual(
    ['A', 'B', 'C'].map((k) => statSync(`${SAMPLE[k as 'A']}.roi`).mtimeMs),
    before,
    'raw files not modified',
  );
});

test('metadata.csv: header and exact values for bins A (schema 1, stitched) and B (schema 2)', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'm');
  await exportRois({ items: [item('B', [7]), item('A', [1, 3])], destination: out, metadata: true });
  const lines = readFileSync(path.join(out, 'metadata.csv'), 'utf8').split('\n');
  assert.equal(lines.length, 5); // header, 3 rows, trailing newline
  assert.equal(lines[4], '');
  const s2 = 'TRIGGER,ADC_TIME,PMT_A,PMT_B,PMT_C,PMT_D,PEAK_A,PEAK_B,PEAK_C,PEAK_D,TIME_OF_FLIGHT,GRAB_TIME_START,GRAB_TIME_END,ROI_X,ROI_Y,ROI_WIDTH,ROI_HEIGHT,START_BYTE,COMPARATOR_OUT,START_POINT,SIGNAL_LENGTH,STATUS,RUN_TIME,INHIBIT_TIME';
  const s1only = 'PROCESSING_END_TIME,FLUORESCENCE_LOW,FLUORESCENCE_HIGH,SCATTERING_LOW,SCATTERING_HIGH,COMPARATOR_PULSE,TRIGGER_OPEN_TIME,FRAME_GRAB_TIME,VALVE_STATUS';
  assert.equal(lines[0], `bin_id,target,file_name,timestamp,instrument,width_px,height_px,width_um,height_um,px_per_um,stitched_with,${s2},${s1only},ml_analyzed,look_time`);
  const header = cells(lines[0]!);
  const row = (i: number) => Object.fromEntries(cells(lines[i]!).map((v, j) => [header[j]!, v]));
  // rows follow the request order of bins (B first), targets ascending
  const b7 = row(1);
  assert.deepEqual(
    { ...b7, ml_analyzed: undefined, look_time: undefined },
    {
      ...Object.fromEntries(header.map((h) => [h, ''])),
      bin_id: B, target: '7', file_name: `${B}_00007.png`, timestamp: '2013-05-26T09:52:07Z', instrument: '13',
      width_px: '88', height_px: '34', width_um: '25.88', height_um: '10', px_per_um: '3.4', stitched_with: '',
      TRIGGER: '7', ADC_TIME: '54.688', PMT_A: '0.00689', PMT_B: '0.03237', PMT_C: '0.00149', PMT_D: '0.01118',
      PEAK_A: '0.01061', PEAK_B: '0.42563', PEAK_C: '0.0106', PEAK_D: '0.01064', TIME_OF_FLIGHT: '-999',
      GRAB_TIME_START: '54.688', GRAB_TIME_END: '54.735001', ROI_X: '1060', ROI_Y: '161', ROI_WIDTH: '88', ROI_HEIGHT: '34',
      START_BYTE: '0', COMPARATOR_OUT: '-999', START_POINT: '0', SIGNAL_LENGTH: '0', STATUS: '0',
      RUN_TIME: '54.730898', INHIBIT_TIME: '0.592945',
      ml_analyzed: undefined, look_time: undefined,
    },
  );
  assert.ok(Math.abs(Number(b7['ml_analyzed']) - 4.8850699041666665) < 1e-9 * 4.9, b7['ml_analyzed']);
  assert.ok(Math.abs(Number(b7['look_time']) - 1172.416777) < 1e-9 * 1173, b7['look_time']);
  const a1 = row(2);
  assert.equal(a1['file_name'], `${A}_00001.png`);
  assert.equal(a1['timestamp'], '2012-01-28T08:15:15Z');
  assert.equal(a1['instrument'], '5');
  assert.deepEqual([a1['width_px'], a1['height_px'], a1['width_um'], a1['height_um']], ['96', '45', '28.24', '13.24']);
  assert.deepEqual(
    s1only.split(',').map((c) => a1[c]),
    ['0.3105469', '0.06072998046875', '-0.61004638671875', '-0.1776123046875', '-3.6199951171875', '-0.29541015625', '0', '0.2597656', '-0.27557373046875'],
  );
  assert.deepEqual(['TRIGGER', 'ROI_X', 'ROI_Y', 'ROI_WIDTH', 'ROI_HEIGHT', 'START_BYTE', 'ADC_TIME'].map((c) => a1[c]), ['1', '202', '673', '96', '45', '1', '']);
  assert.ok(Math.abs(Number(a1['ml_analyzed']) - 0.003391470833333334) < 1e-15);
  assert.ok(Math.abs(Number(a1['look_time']) - 0.8139530000000001) < 1e-12);
  const a3 = row(3);
  assert.deepEqual(
    [a3['target'], a3['width_px'], a3['height_px'], a3['width_um'], a3['height_um'], a3['stitched_with'], a3['ROI_WIDTH'], a3['START_BYTE']],
    ['3', '263', '86', '77.35', '25.29', '4', '180', '36927'],
  );
});

test("the instrument's calibration changes only the µm columns, and both tables record the px/µm used", async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'k');
  const asked: number[] = [];
  const result = await exportRois({
    items: [item('C', [3])],
    destination: out,
    metadata: true,
    ecotaxa: true,
    pxPerUm: (instrument) => {
      asked.push(instrument);
      return instrument === 134 ? 2 : 99;
    },
  });
  assert.deepEqual(asked, [134], "asked once, for the bin's instrument");
  assert.deepEqual(result.pxPerUm, [{ instrument: 134, pxPerUm: 2 }]);
  const [head, line] = readFileSync(path.join(out, 'metadata.csv'), 'utf8').split('\n');
  const h = cells(head!);
  const v = cells(line!);
  assert.deepEqual(['width_px', 'height_px', 'width_um', 'height_um', 'px_per_um'].map((c) => v[h.indexOf(c)]), ['144', '114', '72', '57', '2']);
  const [names, , row] = readFileSync(path.join(out, 'ecotaxa_k.tsv'), 'latin1').split('\n').map((l) => l.split('\t'));
  assert.deepEqual(['object_width_um', 'object_height_um', 'acq_px_per_um'].map((c) => row![names!.indexOf(c)]), ['72', '57', '2']);
});

test('EcoTaxa TSV: header, type row and values of bin B target 7 exactly', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'cruise-42.zip');
  const result = await exportRois({ items: [item('B', [7, 11])], destination: out, ecotaxa: true });
  assert.deepEqual(result.tables, ['ecotaxa_cruise-42.tsv']);
  const entries = readZip(out);
  assert.deepEqual(entries.map((e) => e.name), [`${B}_00007.png`, `${B}_00011.png`, 'ecotaxa_cruise-42.tsv']);
  const tsv = entries[2]!.data.toString('latin1').split('\n');
  assert.equal(tsv.length, 5);
  const adc = 'trigger,adc_time,pmt_a,pmt_b,pmt_c,pmt_d,peak_a,peak_b,peak_c,peak_d,time_of_flight,grab_time_start,grab_time_end,roi_x,roi_y,roi_width,roi_height,start_byte,comparator_out,start_point,signal_length,status,run_time,inhibit_time'
    .split(',')
    .map((c) => `object_${c}`);
  const names = [
    'img_file_name', 'object_id', 'object_date', 'object_time', 'object_target', 'object_width_px', 'object_height_px',
    'object_width_um', 'object_height_um', ...adc, 'sample_id', 'sample_ml_analyzed', 'sample_look_time', 'acq_id', 'acq_instrument', 'acq_sn', 'acq_px_per_um',
  ];
  assert.equal(tsv[0], names.join('\t'));
  assert.equal(tsv[1], ['[t]', '[t]', '[t]', '[t]', ...Array(5 + adc.length).fill('[f]'), '[t]', '[f]', '[f]', '[t]', '[t]', '[t]', '[f]'].join('\t'));
  const row = Object.fromEntries(tsv[2]!.split('\t').map((v, i) => [names[i]!, v]));
  assert.deepEqual(
    { ...row, sample_ml_analyzed: undefined, sample_look_time: undefined },
    {
      img_file_name: `${B}_00007.png`, object_id: `${B}_00007`, object_date: '20130526', object_time: '095207',
      object_target: '7', object_width_px: '88', object_height_px: '34', object_width_um: '25.88', object_height_um: '10',
      object_trigger: '7', object_adc_time: '54.688', object_pmt_a: '0.00689', object_pmt_b: '0.03237', object_pmt_c: '0.00149',
      object_pmt_d: '0.01118', object_peak_a: '0.01061', object_peak_b: '0.42563', object_peak_c: '0.0106', object_peak_d: '0.01064',
      object_time_of_flight: '-999', object_grab_time_start: '54.688', object_grab_time_end: '54.735001', object_roi_x: '1060',
      object_roi_y: '161', object_roi_width: '88', object_roi_height: '34', object_start_byte: '0', object_comparator_out: '-999',
      object_start_point: '0', object_signal_length: '0', object_status: '0', object_run_time: '54.730898', object_inhibit_time: '0.592945',
      sample_id: B, sample_ml_analyzed: undefined, sample_look_time: undefined, acq_id: B, acq_instrument: 'IFCB', acq_sn: 'IFCB013', acq_px_per_um: '3.4',
    },
  );
  assert.ok(Math.abs(Number(row['sample_ml_analyzed']) - 4.8850699041666665) < 1e-8);
  assert.equal(tsv[3]!.split('\t')[1], `${B}_00011`);
  // every EcoTaxa column is <table>_<field> with a known table prefix, and each used prefix has its _id
  for (const n of names) assert.match(n, /^(object|sample|acq|process|img)_[a-z0-9_]+$/);
  for (const prefix of ['object', 'sample', 'acq']) assert.ok(names.includes(`${prefix}_id`), prefix);
  assert.match(entries[2]!.data.toString('latin1'), /^[\x20-\x7e\t\n]*$/, 'plain ASCII (EcoTaxa reads Latin-1)');
});

test('zip export: exact entry list in order, images stored, every PNG = raw pixels', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'ac.zip');
  const result = await assertNoFdLeakAsync(() => exportRois({ items: [item('A'), item('C')], destination: out, metadata: true }));
  const entries = readZip(out);
  assert.deepEqual(entries.map((e) => e.name), [...[1, 2, 3, 5, 6].map((n) => `${A}_${pad(n)}.png`), `${C}_00002.png`, `${C}_00003.png`, 'metadata.csv']);
  assert.deepEqual(result.entries, entries.map((e) => e.name));
  assert.deepEqual(readdirSync(dir), ['ac.zip']);
  for (const e of entries.slice(0, 7)) {
    assert.equal(e.method, 0, `${e.name} stored, not deflated again`);
    const [, id, target] = /^(.+)_(\d{5})\.png$/.exec(e.name)!;
    const raw = rawOf(id === A ? 'A' : 'C', Number(target));
    const d = decodeGray(e.data);
    assert.deepEqual([d.width, d.height], [raw.width, raw.height]);
    assert.deepEqual(d.pixels, raw.pixels, e.name);
  }
  assert.equal(entries[7]!.data.toString('utf8').split('\n').length, 9);
});

test('TIFF export: .tif names, 8-bit gray TIFFs', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 't');
  const result = await exportRois({ items: [item('C')], destination: out, format: 'tiff' });
  assert.deepEqual(result.entries, [`${C}_00002.tif`, `${C}_00003.tif`]);
  const head = readFileSync(path.join(out, `${C}_00002.tif`)).subarray(0, 4);
  assert.ok(head.equals(Buffer.from('II*\0', 'latin1')) || head.equals(Buffer.from('MM\0*', 'latin1')));
});

test('targets without an image are skipped and reported; duplicates are written once', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 's');
  const result = await exportRois({ items: [item('A', [4, 3, 3, 7]), item('B', [8]), item('A', [1])], destination: out });
  assert.deepEqual(result.entries, [`${A}_00001.png`, `${A}_00003.png`]);
  assert.deepEqual(result.skipped, [
    { binId: A, target: 4, reason: 'stitched-into-previous' },
    { binId: A, target: 3, reason: 'duplicate' },
    { binId: A, target: 7, reason: 'no-image' },
    { binId: B, target: 8, reason: 'no-image' },
  ]);
});

test('pyifcb to_zip layout: members, metadata.json, headers JSON and pandas-style CSV', async (t) => {
  const dir = tempDirFor(t);
  const out = path.join(dir, 'bins');
  const result = await exportRois({ items: [item('A'), item('B')], destination: out, layout: 'pyifcb-zip' });
  assert.deepEqual(result.entries, [`${A}.zip`, `${B}.zip`]);
  assert.deepEqual(readdirSync(out).sort(), [`${A}.zip`, `${B}.zip`].sort());
  const za = readZip(path.join(out, `${A}.zip`));
  assert.deepEqual(za.map((e) => e.name), ['metadata.json', `${A}_headers.json`, `${A}.csv`, ...[1, 2, 3, 5, 6].map((n) => `${A}_${pad(n)}.png`)]);
  assert.ok(za.every((e) => e.method === 0), 'pyifcb writes ZIP_STORED');
  assert.equal(za[0]!.data.toString(), '{"lid": "IFCB5_2012_028_081515", "schema": 1, "timestamp": "2012-01-28T08:15:15+00:00"}');
  const headers = za[1]!.data.toString();
  assert.deepEqual(JSON.parse(headers), {
    context: 'Imaging FlowCytobot Acquisition Software version 1.0; October 2005\nHeidi M. Sosik and Robert J. Olson\nWoods Hole Oceanographic Institution\nSyringeStatus =  0',
    temperature: 11.4799732421875,
    humidity: 32.167437512207,
    binarizeThreshold: 30,
    scatteringPhotomultiplierSetting: 0.675,
    fluorescencePhotomultiplierSetting: 0.6,
    blobSizeThreshold: 10,
  });
  assert.match(headers, /^\{"[^"]+": /, 'Python json.dumps separators');
  const csv = za[2]!.data.toString().split('\n');
  assert.equal(csv.length, 8);
  assert.equal(csv[0], '1,0.3105469,0.06072998046875,-0.61004638671875,-0.1776123046875,-3.6199951171875,-0.29541015625,0.0,0.2597656,202,673,96,45,1,-0.27557373046875');
  assert.equal(csv[6], '6,1.300781,0.05340576171875,-0.4962158203125,-0.1116943359375,-3.8262939453125,-0.27801513671875,1.232422,1.251953,-11,-11,0,0,71082,-0.411376953125');
  const stitched = decodeGray(za[5]!.data);
  assert.equal(sha256(stitched.pixels), '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f');
  const zb = readZip(path.join(out, `${B}.zip`));
  assert.equal(zb.length, 3 + 19);
  assert.equal(zb[0]!.data.toString(), '{"lid": "D20130526T095207_IFCB013", "schema": 2, "timestamp": "2013-05-26T09:52:07+00:00"}');
  assert.equal(zb[2]!.data.toString().split('\n')[0], '1,0.047,0.80304,0.0281,0.00149,0.01139,3.59266,0.26241,0.01078,0.01085,-999.0,0.047,0.094,0,0,0,0,0,-999.0,0,0,0,0.096671,0.000807');
  assert.equal(Object.keys(JSON.parse(zb[1]!.data.toString())).length, 82);
});

test('pyifcb layout into a single .zip takes exactly one bin', async (t) => {
  const dir = tempDirFor(t);
  const one = await exportRois({ items: [item('C')], destination: path.join(dir, 'c.zip'), layout: 'pyifcb-zip' });
  assert.deepEqual(readZip(one.destination).map((e) => e.name), ['metadata.json', `${C}_headers.json`, `${C}.csv`, `${C}_00002.png`, `${C}_00003.png`]);
  await assert.rejects(exportRois({ items: [item('A'), item('C')], destination: path.join(dir, 'two.zip'), layout: 'pyifcb-zip' }), { code: 'INVALID_ARGUMENT' });
  assert.deepEqual(readdirSync(dir), ['c.zip']);
});
