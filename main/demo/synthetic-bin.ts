/**
 * Writes real IFCB bins (both schemas) into a directory, for fixtures bigger or stranger than the
 * sample data. The files follow the spec exactly (../shared/docs/ifcb-format.md): schema 2 has a
 * `key: value` header and 24 ADC columns; schema 1 the 6-line quoted header, 15 ADC columns plus a
 * trailing comma, and a `.roi` that starts with one unused byte (first START_BYTE = 1).
 * Timing columns are consistent (increasing ADC/run times, a cumulative inhibit time with positive
 * steps), so every §6 metric of a synthetic bin is finite.
 *
 * Everything is derived from `seed`: sizes, positions and pixels. `pixelsOf(target)` regenerates a
 * target's pixels instead of keeping 100 MB in memory. The tests' fixtures use the default painter (a
 * dark blob on a light background); the demo library passes a `painter` that draws plankton.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { formatBinId } from '../../shared/ifcb/bin-id.ts';
import { mulberry32 } from './prng.ts';

export interface SyntheticBinOptions {
  schema?: 1 | 2; // default 2
  instrument?: number; // default 999 (schema 2) / 9 (schema 1)
  epochMs?: number; // bin timestamp; default 2024-01-01T00:00:00Z
  targets?: number; // ADC rows, default 100
  emptyEvery?: number; // every n-th target has no image (width 0); default 25, 0 = never
  minSize?: number;
  maxSize?: number; // ROI width/height range in px, default 16..256
  seed?: number; // deterministic PRNG seed, default 1
  withRoi?: boolean; // write the .roi (default true); false = partial bin
  stitchPairs?: number; // schema 1 only: this many overlapping same-trigger pairs
  multiRoiEvery?: number; // schema 2 only: every n-th trigger gets a second ADC row (two ROIs, like bin D); default 0
  header?: Record<string, string | number>; // schema 2: extra/overriding `key: value` lines; schema 1: values of its six last-line keys (temperature, humidity, …)
  painter?: RoiPainter; // what each image shows (and its size); default: one dark blob, sizes from minSize..maxSize
}

/** Draws a target's image. Both functions are pure in (seed, target), so pixels can be regenerated at will. */
export interface RoiPainter {
  /** The image's size in px. */
  size(seed: number, target: number): { width: number; height: number };
  /** Fill `width × height` bytes of `out`, row-major, from `offset`. */
  paint(out: Uint8Array, offset: number, seed: number, target: number, width: number, height: number): void;
}

export interface SyntheticImage {
  target: number;
  width: number;
  height: number;
  byteOffset: number;
  x: number;
  y: number;
}

export interface SyntheticBin {
  id: string;
  base: string; // base = dir/id (no extension)
  paths: { adc: string; hdr: string; roi: string };
  /** Targets with pixels, in target order (raw, unstitched). */
  images: SyntheticImage[];
  roiBytes: number;
  /** Schema 1: the [first, second] target numbers of every stitch pair written. */
  stitchPairs: [number, number][];
  /** Every ADC row (target = index + 1) with its trigger number. */
  triggers: number[];
  /** The raw pixels written for that target (regenerated deterministically). */
  pixelsOf(target: number): Uint8Array;
}

const CAMERA_WIDTH = 1380;
const CAMERA_HEIGHT = 1034;
const CHUNK = 16 * 1024 * 1024;

/** ROI-like pixels: smooth background near 200, a darker elliptical blob, ±3 noise. */
function fillPixels(out: Uint8Array, offset: number, seed: number, target: number, width: number, height: number): void {
  const rnd = mulberry32((seed * 2654435761) ^ (target * 40503) ^ 0x9e3779b9);
  const bg = 190 + Math.floor(rnd() * 20);
  const cx = width * (0.35 + rnd() * 0.3);
  const cy = height * (0.35 + rnd() * 0.3);
  const rx = Math.max(2, width * (0.15 + rnd() * 0.2));
  const ry = Math.max(2, height * (0.15 + rnd() * 0.2));
  const dark = 60 + Math.floor(rnd() * 60);
  let noise = (rnd() * 4294967296) >>> 0 || 1;
  const irx2 = 1 / (rx * rx);
  const iry2 = 1 / (ry * ry);
  let p = offset;
  for (let y = 0; y < height; y++) {
    const dy2 = (y - cy) * (y - cy) * iry2;
    const rowBg = bg + ((y * 8) / height) | 0;
    for (let x = 0; x < width; x++) {
      // xorshift32 for the noise: one PRNG step per pixel keeps 100 MB well under a second
      noise ^= noise << 13;
      noise ^= noise >>> 17;
      noise ^= noise << 5;
      const n = ((noise >>> 0) % 7) - 3;
      const d = (x - cx) * (x - cx) * irx2 + dy2;
      const base = d < 1 ? dark + ((d * (rowBg - dark)) | 0) : rowBg;
      const v = base + n;
      out[p++] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
}

interface Row {
  target: number;
  trigger: number;
  width: number;
  height: number;
  x: number;
  y: number;
  byteOffset: number;
}

function fixed(n: number, digits = 6): string {
  return n.toFixed(digits);
}

/** Write a bin into `dir` (synchronous) and describe what was written. */
export function writeSyntheticBin(dir: string, options: SyntheticBinOptions = {}): SyntheticBin {
  const schema = options.schema ?? 2;
  const instrument = options.instrument ?? (schema === 2 ? 999 : 9);
  const epochMs = options.epochMs ?? Date.UTC(2024, 0, 1);
  const targets = options.targets ?? 100;
  const emptyEvery = options.emptyEvery ?? 25;
  const minSize = options.minSize ?? 16;
  const maxSize = options.maxSize ?? 256;
  const seed = options.seed ?? 1;
  const withRoi = options.withRoi ?? true;
  const stitchCount = options.stitchPairs ?? 0;
  const multiRoiEvery = options.multiRoiEvery ?? 0;
  const paint = options.painter?.paint ?? fillPixels;
  if (multiRoiEvery > 0 && schema !== 2) throw new RangeError('multiRoiEvery is only meaningful for schema 2');
  if (!Number.isInteger(targets) || targets < 0) throw new RangeError(`targets must be a non-negative integer, got ${targets}`);
  if (!(minSize >= 1 && maxSize >= minSize)) throw new RangeError(`bad size range ${minSize}..${maxSize}`);
  if (stitchCount > 0 && schema !== 1) throw new RangeError('stitchPairs is only meaningful for schema 1');
  if (stitchCount * 2 > targets) throw new RangeError(`${stitchCount} stitch pairs need at least ${stitchCount * 2} targets`);

  const id = formatBinId(schema, instrument, epochMs);
  const base = path.join(dir, id);
  const paths = { adc: `${base}.adc`, hdr: `${base}.hdr`, roi: `${base}.roi` };

  // Stitch pairs spread evenly; both members always have images.
  const pairFirst = new Set<number>();
  const pairSecond = new Set<number>();
  const stitchPairs: [number, number][] = [];
  for (let p = 0; p < stitchCount; p++) {
    const first = Math.min(targets - 1, 1 + Math.floor((p * targets) / stitchCount));
    pairFirst.add(first);
    pairSecond.add(first + 1);
    stitchPairs.push([first, first + 1]);
  }

  const rnd = mulberry32(seed);
  const span = maxSize - minSize;
  // Skewed toward small ROIs, as in real bins (a 10,000-target bin is ~120 MB, not ~180).
  const size = () => minSize + Math.round(span * Math.pow(rnd(), 1.5));
  const rows: Row[] = [];
  let offset = schema === 1 ? 1 : 0;
  let trigger = 0;
  let extraRow = false;
  for (let target = 1; target <= targets; target++) {
    const second = pairSecond.has(target);
    const sameTrigger = second || extraRow;
    extraRow = false;
    if (!sameTrigger) {
      trigger++;
      extraRow = multiRoiEvery > 0 && trigger % multiRoiEvery === 0;
    }
    const empty = !second && !pairFirst.has(target) && emptyEvery > 0 && target % emptyEvery === 0;
    if (empty) {
      rows.push({ target, trigger, width: 0, height: 0, x: 0, y: 0, byteOffset: schema === 1 ? offset : 0 });
      continue;
    }
    let { width, height } = options.painter ? options.painter.size(seed, target) : { width: size(), height: size() };
    let x = Math.floor(rnd() * Math.max(1, CAMERA_WIDTH - width));
    let y = Math.floor(rnd() * Math.max(1, CAMERA_HEIGHT - height));
    if (second) {
      // Overlap the previous box by well over 2 px on both axes.
      const prev = rows[rows.length - 1]!;
      width = Math.max(width, 8);
      height = Math.max(height, 8);
      x = prev.x + Math.floor(prev.width / 2);
      y = prev.y + Math.floor(prev.height / 4);
    }
    rows.push({ target, trigger, width, height, x, y, byteOffset: offset });
    offset += width * height;
  }
  const roiBytes = offset;

  // .adc
  const lines: string[] = new Array(rows.length);
  let t = 0.05;
  let inhibit = 0;
  let lastRun = 0;
  let prevTrigger = 0;
  let rowTime = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.trigger !== prevTrigger) {
      // a new trigger advances the clock; rows of one trigger share their times
      if (i > 0) t += 0.15 + rnd() * 0.3;
      rowTime = t;
      inhibit += 0.02 + rnd() * 0.08;
      prevTrigger = r.trigger;
    }
    const pmt = [rnd() * 0.5, rnd() * 0.1, -rnd() * 0.01, rnd() * 0.01].map((v) => fixed(v, 7));
    if (schema === 2) {
      const run = rowTime + 0.03;
      lastRun = run;
      lines[i] = [
        r.trigger, fixed(rowTime), ...pmt, fixed(3 + rnd()), fixed(rnd()), fixed(rnd() * 0.02, 7), fixed(rnd() * 0.02, 7),
        fixed(50 + rnd() * 10, 5), fixed(rowTime), fixed(rowTime + 0.04), r.x, r.y, r.width, r.height, r.byteOffset,
        0, 0, 0, 0, fixed(run), fixed(inhibit),
      ].join(',');
    } else {
      const frameGrab = rowTime + 0.1;
      lastRun = frameGrab;
      const x = r.width === 0 ? -11 : r.x;
      const y = r.width === 0 ? -11 : r.y;
      lines[i] = [
        r.trigger, fixed(rowTime + 0.02, 7), ...pmt, fixed(-rnd(), 7), fixed(rowTime, 7), fixed(frameGrab, 7),
        x, y, r.width, r.height, r.byteOffset, fixed(-rnd() * 0.5, 7), '',
      ].join(',');
    }
  }
  writeFileSync(paths.adc, lines.length === 0 ? '' : lines.join('\r\n') + '\r\n', { flag: 'wx' });

  // .hdr
  const extra = options.header ?? {};
  let hdr: string;
  if (schema === 2) {
    const head: [string, string | number][] = [
      ['sampleNumber', 1],
      ['sampleType', 'Normal'],
      ['triggerCount', trigger],
      ['roiCount', rows.filter((r) => r.width > 0).length],
      ['humidity', 41.5],
      ['temperature', 21.25],
      ['runTime', Number(fixed(lastRun))],
      ['inhibitTime', Number(fixed(inhibit))],
      [
        'ADCFileFormat',
        'trigger#, ADCtime, PMTA, PMTB, PMTC, PMTD, PeakA, PeakB, PeakC, PeakD, TimeOfFlight, GrabTimeStart, GrabTimeEnd, RoiX, RoiY, RoiWidth, RoiHeight, StartByte, ComparatorOut, StartPoint, SignalLength, Status, RunTime, InhibitTime',
      ],
      ['DAQ_MCCserialPort_DAC_MCConly', '/dev/ttyS2'],
      ['laserState', 'True'],
    ];
    const merged = new Map<string, string | number>(head);
    for (const [k, v] of Object.entries(extra)) merged.set(k, v);
    hdr = ['SoftwareVersion: 2.0.0.0', ...[...merged].map(([k, v]) => `${k}: ${v}`)].join('\r\n') + '\r\n';
  } else {
    const v1: Record<string, string | number> = {
      temperature: 11.4799732421875,
      humidity: 32.167437512207,
      binarizeThreshold: 30,
      scatteringPhotomultiplierSetting: '.675',
      fluorescencePhotomultiplierSetting: '.6',
      blobSizeThreshold: 10,
    };
    for (const [k, v] of Object.entries(extra)) {
      if (!(k in v1)) throw new RangeError(`schema 1 headers have no line for "${k}"`);
      v1[k] = v;
    }
    hdr =
      [
        '"Imaging FlowCytobot Acquisition Software version 1.0; October 2005"',
        '"Heidi M. Sosik and Robert J. Olson"',
        '"Woods Hole Oceanographic Institution"',
        '"SyringeStatus =  0"',
        '"Temp Humidity BinarizeThresh PMT1hv(ssc) PMT2hv(chl) BlobSizeThresh"',
        Object.values(v1)
          .map((v) => `" ${v}"`)
          .join(','),
      ].join('\r\n') + '\r\n';
  }
  writeFileSync(paths.hdr, hdr, { flag: 'wx' });

  // .roi: a few large writes of a reused 16 MB buffer
  const images = rows.filter((r) => r.width > 0).map(({ target, width, height, byteOffset, x, y }) => ({ target, width, height, byteOffset, x, y }));
  if (withRoi) {
    const fd = openSync(paths.roi, 'wx');
    try {
      const buf = new Uint8Array(Math.min(CHUNK, Math.max(roiBytes, 1)));
      let used = 0;
      if (schema === 1) buf[used++] = 0; // the unused leading byte of old .roi files
      for (const im of images) {
        const n = im.width * im.height;
        if (used + n > buf.length) {
          writeAll(fd, buf, used);
          used = 0;
        }
        if (n > buf.length) {
          const big = new Uint8Array(n);
          paint(big, 0, seed, im.target, im.width, im.height);
          writeAll(fd, big, n);
        } else {
          paint(buf, used, seed, im.target, im.width, im.height);
          used += n;
        }
      }
      writeAll(fd, buf, used);
    } finally {
      closeSync(fd);
    }
  }

  const byTarget = new Map(images.map((im) => [im.target, im]));
  return {
    id,
    base,
    paths,
    images,
    roiBytes,
    stitchPairs,
    triggers: rows.map((r) => r.trigger),
    pixelsOf(target: number): Uint8Array {
      const im = byTarget.get(target);
      if (!im) throw new RangeError(`synthetic bin ${id} has no image for target ${target}`);
      const out = new Uint8Array(im.width * im.height);
      paint(out, 0, seed, target, im.width, im.height);
      return out;
    },
  };
}

function writeAll(fd: number, buf: Uint8Array, length: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, buf, done, length - done);
}
