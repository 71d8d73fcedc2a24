/**
 * Fuzz over mutated REAL .hdr/.adc/.roi bytes (issue 3): truncations, garbage, huge numbers,
 * negative offsets, offsets past EOF, broken rows. Whatever happens, only IfcbError may escape, and
 * nothing hangs. 20,000 cases run in memory through the same parsers, image maps and pixel slicing
 * the bins use; a few hundred more go through real files (open/scope/read/CLI) with an fd-leak check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SAMPLE } from '../../helpers/data.ts';
import { openFds } from '../../helpers/fd-leak.ts';
import { makeFifo } from '../../helpers/fifo.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { IfcbError } from '../../../shared/errors.ts';
import { parseBinName } from '../../../shared/ifcb/bin-id.ts';
import { parseAdc } from '../../../main/ifcb/adc.ts';
import { decodeHeader, parseHeader } from '../../../main/ifcb/hdr.ts';
import { computeMetrics } from '../../../main/ifcb/metrics.ts';
import { findStitchPairs } from '../../../main/ifcb/stitch.ts';
import { RawImageMap, StitchedImageMap, rawGeometries } from '../../../main/ifcb/image-map.ts';
import { sliceRois } from '../../../main/ifcb/roi.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { binInfo } from '../../../main/cli/commands/info.ts';
import { mulberry32 } from '../../helpers/prng.ts';

const IN_MEMORY_CASES = 20_000;
const FILE_CASES = 300;

interface Source {
  id: string;
  hdr: Uint8Array;
  adc: Uint8Array;
  roi: Uint8Array;
}

const SOURCES: Source[] = [SAMPLE.A, SAMPLE.B, SAMPLE.C, SAMPLE.D, SAMPLE.emptyV1, SAMPLE.emptyV2].map((base) => {
  const read = (ext: string) => {
    try {
      return new Uint8Array(readFileSync(`${base}.${ext}`));
    } catch {
      return new Uint8Array(0);
    }
  };
  return { id: path.basename(base), hdr: read('hdr'), adc: read('adc'), roi: read('roi') };
});

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

const NASTY = ['1e308', '-1e308', '9007199254740993', '1e20', '-1', '-5000', '-0', '0', '3.5', 'NaN', 'nan', 'inf', '-inf', 'abc', '', ' ', '0x10', '1e', '.', '--1', '99999999999999999999999', '65536', '65535', '1380', '4294967296', '\u0000', '"'];

type Mutator = (b: Uint8Array, r: () => number, ctx: { roiSize: number }) => Uint8Array;

const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const BYTE_MUTATORS: Mutator[] = [
  // truncate
  (b, r) => b.subarray(0, Math.floor(r() * (b.length + 1))),
  // overwrite a span with garbage
  (b, r) => {
    const out = b.slice();
    const at = Math.floor(r() * out.length);
    const n = 1 + Math.floor(r() * 16);
    for (let i = at; i < Math.min(out.length, at + n); i++) out[i] = Math.floor(r() * 256);
    return out;
  },
  // insert garbage
  (b, r) => {
    const at = Math.floor(r() * (b.length + 1));
    const junk = Uint8Array.from({ length: 1 + Math.floor(r() * 32) }, () => Math.floor(r() * 256));
    const out = new Uint8Array(b.length + junk.length);
    out.set(b.subarray(0, at));
    out.set(junk, at);
    out.set(b.subarray(at), at + junk.length);
    return out;
  },
  // flip one bit
  (b, r) => {
    const out = b.slice();
    if (out.length > 0) out[Math.floor(r() * out.length)]! ^= 1 << Math.floor(r() * 8);
    return out;
  },
  // empty
  () => new Uint8Array(0),
];

/** Text-level mutations that keep the CSV shape so the interesting columns get reached. */
const ADC_MUTATORS: Mutator[] = [
  // one cell → a nasty value
  (b, r) => {
    const rows = dec.decode(b).split('\n');
    const i = Math.floor(r() * rows.length);
    const cells = rows[i]!.split(',');
    cells[Math.floor(r() * cells.length)] = pick(r, NASTY);
    rows[i] = cells.join(',');
    return enc.encode(rows.join('\n'));
  },
  // a geometry cell (x, y, width, height, START_BYTE of either schema) → extreme or past EOF
  (b, r, ctx) => {
    const rows = dec.decode(b).split('\n');
    const i = Math.floor(r() * rows.length);
    const cells = rows[i]!.split(',');
    const col = pick(r, cells.length >= 24 ? [13, 14, 15, 16, 17] : [9, 10, 11, 12, 13]);
    const values = [String(ctx.roiSize + Math.floor(r() * 1000)), String(ctx.roiSize - 1), String(-1 - Math.floor(r() * 1e6)), String(Math.floor(r() * 5000)), '0', '1e15', '-11', '2147483648'];
    if (col < cells.length) cells[col] = pick(r, values);
    rows[i] = cells.join(',');
    return enc.encode(rows.join('\n'));
  },
  // drop, duplicate or swap rows; drop or add columns
  (b, r) => {
    const rows = dec.decode(b).split('\n');
    const i = Math.floor(r() * rows.length);
    const op = Math.floor(r() * 4);
    if (op === 0) rows.splice(i, 1);
    else if (op === 1) rows.splice(i, 0, rows[i]!);
    else if (op === 2) rows[i] = rows[i]!.split(',').slice(0, Math.floor(r() * 25)).join(',');
    else rows[i] = `${rows[i]!},${pick(r, NASTY)}`;
    return enc.encode(rows.join('\n'));
  },
];

const HDR_MUTATORS: Mutator[] = [
  (b, r) => {
    const lines = dec.decode(b).split('\n');
    const i = Math.floor(r() * lines.length);
    const forms = [`runTime: ${pick(r, NASTY)}`, `inhibitTime: ${pick(r, NASTY)}`, `x: [1, [2, {'a': (3,)}]]`, `y: '${'\\'.repeat(5)}`, `z: ${'['.repeat(200)}`, '"unterminated', `k: ${'9'.repeat(400)}`, ': : :', `SoftwareVersion: ${pick(r, NASTY)}`,
      // past the parser's bounds: 2,000 brackets deep (once a stack overflow), 201 levels, a 100 kB value
      `deep: ${'['.repeat(2000)}${']'.repeat(2000)}`, `deep: ${'('.repeat(201)}1${')'.repeat(201)}`, `long: [${'7,'.repeat(50_000)}]`];
    lines[i] = pick(r, forms);
    return enc.encode(lines.join('\n'));
  },
];

function mutate(b: Uint8Array, r: () => number, kind: 'hdr' | 'adc' | 'roi', roiSize: number): Uint8Array {
  const pool = kind === 'adc' ? [...ADC_MUTATORS, ...ADC_MUTATORS, ...BYTE_MUTATORS] : kind === 'hdr' ? [...HDR_MUTATORS, ...BYTE_MUTATORS] : BYTE_MUTATORS.slice(0, 2);
  let out = b;
  const rounds = 1 + Math.floor(r() * 3);
  for (let i = 0; i < rounds; i++) out = pick(r, pool)(out, r, { roiSize });
  return out;
}

function mutatedCase(seed: number): Source {
  const r = mulberry32(seed);
  const src = pick(r, SOURCES);
  const which = r();
  return {
    id: src.id,
    hdr: which < 0.25 ? mutate(src.hdr, r, 'hdr', src.roi.length) : src.hdr,
    adc: which >= 0.2 && which < 0.85 ? mutate(src.adc, r, 'adc', src.roi.length) : src.adc,
    roi: which >= 0.8 ? mutate(src.roi, r, 'roi', src.roi.length) : src.roi,
  };
}

/** Everything a bin does with its bytes, in memory. */
function exercise(c: Source, codes: Map<string, number>): void {
  const identity = parseBinName(c.id);
  const headers = parseHeader(decodeHeader(c.hdr, `${c.id}.hdr`));
  const adc = parseAdc(c.adc, identity.schema, `${c.id}.adc`);
  const metrics = computeMetrics(identity, adc, headers);
  for (const v of Object.values(metrics)) assert.equal(typeof v, 'number');
  const source = { read: (extents: Parameters<typeof sliceRois>[1]) => sliceRois(c.roi, extents, { binId: c.id }).map((im) => im.pixels) };
  const raw = new RawImageMap(c.id, rawGeometries(adc), source);
  const maps = identity.schema === 1 ? [raw, new StitchedImageMap(c.id, raw, findStitchPairs(adc))] : [raw];
  for (const map of maps) {
    for (const target of map.keys().slice(0, 40)) {
      try {
        const im = map.get(target);
        assert.equal(im.pixels.length, im.width * im.height);
      } catch (e) {
        if (!(e instanceof IfcbError)) throw e;
        codes.set(`image:${e.code}`, (codes.get(`image:${e.code}`) ?? 0) + 1);
      }
    }
  }
}

test(`fuzz: ${IN_MEMORY_CASES} mutated real bins in memory: only IfcbError escapes`, { timeout: 120_000 }, () => {
  const codes = new Map<string, number>();
  const t0 = performance.now();
  for (let seed = 1; seed <= IN_MEMORY_CASES; seed++) {
    const c = mutatedCase(seed);
    try {
      exercise(c, codes);
      codes.set('ok', (codes.get('ok') ?? 0) + 1);
    } catch (e) {
      if (!(e instanceof IfcbError)) {
        assert.fail(`seed ${seed} (${c.id}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    }
  }
  const ms = performance.now() - t0;
  // the mutations must actually reach the interesting failures, not just bounce off the parser
  for (const code of ['ok', 'ADC_MALFORMED_ROW', 'image:ROI_INVALID_GEOMETRY', 'image:ROI_TRUNCATED']) assert.ok((codes.get(code) ?? 0) > 100, `${code}: ${JSON.stringify([...codes])}`);
  assert.ok((codes.get('HEADER_TOO_COMPLEX') ?? 0) > 10, `HEADER_TOO_COMPLEX: ${JSON.stringify([...codes])}`);
  assert.ok(ms < 90_000, `${ms} ms`);
  console.log(`# fuzz outcomes: ${JSON.stringify(Object.fromEntries(codes))} in ${Math.round(ms)} ms`);
});

test('fuzz: ROI geometry errors are reached (invalid geometry, truncated, not in bin)', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= IN_MEMORY_CASES && seen.size < 3; seed++) {
    const c = mutatedCase(seed);
    let identity;
    let adc;
    try {
      identity = parseBinName(c.id);
      adc = parseAdc(c.adc, identity.schema);
    } catch {
      continue;
    }
    const raw = new RawImageMap(c.id, rawGeometries(adc), { read: (ex) => sliceRois(c.roi, ex).map((im) => im.pixels) });
    for (const t of [...raw.keys(), 0]) {
      try {
        raw.get(t);
      } catch (e) {
        if (!(e instanceof IfcbError)) throw e;
        seen.add(e.code);
      }
    }
  }
  assert.deepEqual([...seen].sort(), ['ROI_INVALID_GEOMETRY', 'ROI_NOT_IN_BIN', 'ROI_TRUNCATED']);
});

test(`fuzz: ${FILE_CASES} mutated bins through real files (some files FIFOs): only IfcbError, no fd left open`, { timeout: 60_000 }, (t) => {
  const dir = tempDirFor(t, 'ifcb-fuzz-');
  const before = openFds();
  const codes = new Map<string, number>();
  for (let seed = 1; seed <= FILE_CASES; seed++) {
    const c = mutatedCase(1_000_000 + seed);
    const sub = path.join(dir, String(seed));
    const base = path.join(sub, c.id);
    // real files; every 7th bin has no .roi (partial bin); in every 25th one file is a FIFO (a named pipe that
    // nobody writes: opening it would hang the reader)
    writeBin(sub, base, c, seed % 7 !== 0);
    if (seed % 25 === 0) {
      const fifo = `${base}.${pick(mulberry32(seed), ['adc', 'hdr', 'roi'])}`;
      rmSync(fifo, { force: true });
      makeFifo(t, fifo);
    }
    try {
      const bin = openBin(`${base}.adc`);
      binInfo(bin, bin.hasRoiFile());
      {
        using scope = bin.scope();
        for (const [, im] of scope.images) assert.equal(im.pixels.length, im.width * im.height);
      }
      const mem = bin.read();
      for (const k of mem.images.keys()) mem.images.get(k);
    } catch (e) {
      if (!(e instanceof IfcbError)) assert.fail(`file seed ${seed} (${c.id}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    }
  }
  assert.ok((codes.get('FILE_NOT_REGULAR') ?? 0) >= 8, JSON.stringify([...codes]));
  const after = openFds();
  const leaked = [...after].filter(([fd, target]) => target.startsWith(dir) && before.get(fd) !== target);
  assert.deepEqual(leaked, []);
});

function writeBin(sub: string, base: string, c: Source, withRoi: boolean): void {
  mkdirSync(sub, { recursive: true });
  writeFileSync(`${base}.hdr`, c.hdr);
  writeFileSync(`${base}.adc`, c.adc);
  if (withRoi) writeFileSync(`${base}.roi`, c.roi);
}
