/**
 * Hostile arguments for every channel: wrong types, huge arrays and strings, negative/NaN/fractional numbers,
 * prototype-pollution keys, ids never opened, path traversal, symlinks out of the allow-list. Each must end in
 * a validation (or access) error — and NOTHING may be read: the reader's `openBin` is never called and no
 * `open`/`read` reaches the file system (spied through node:fs, which the reader's named imports share).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHANNELS, CONTRACT, MAX_TARGETS_PER_REQUEST } from '../../../shared/ipc/contract.ts';
import type { Channel } from '../../../shared/ipc/contract.ts';
import type { Result } from '../../../shared/ipc/result.ts';
import { deliverOsOpen } from '../../../main/ipc/handlers/bin.ts';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { makeRouter, spyOnFs, type TestRouter } from './fixtures.ts';

/** A valid request for each channel (the mutations below start from it). */
const VALID: Record<Channel, Record<string, unknown>> = {
  'app:get-info': {},
  'app:ready': {},
  'bin:open-path': { path: `${SAMPLE.A}.adc` },
  'bin:open-dropped': { paths: [`${SAMPLE.A}.adc`] },
  'bin:metadata': { binId: 'IFCB5_2012_028_081515' },
  'bin:roi-images': { binId: 'IFCB5_2012_028_081515', targets: [1, 2] },
  'bins:list': { filter: { from: 0, to: 1, instrument: 5, rootId: 1, qc: 'ok', idPrefix: 'D2013' }, page: { limit: 10, order: 'asc' } },
  'bins:time-series': { from: 0, to: 1000, bucket: 'day', instrument: 1, rootId: 1 },
  'bins:neighbours': { binId: 'IFCB5_2012_028_081515' },
  'bins:get': { binId: 'IFCB5_2012_028_081515' },
  'bins:geometry': { binIds: ['IFCB5_2012_028_081515'], columns: ['PMTA'] },
  'roots:list': {},
  'roots:add': { path: DATA_ROOT },
  'roots:remove': { rootId: 1 },
  'roots:reindex': { rootIds: [1] },
  'roots:problems': { rootId: 1 },
  'dialog:open-bin': { path: `${SAMPLE.A}.adc` },
  'dialog:add-folder': { path: DATA_ROOT },
  'dialog:export-destination': { kind: 'zip', suggestedName: 'a.zip', path: '/tmp/a.zip' },
  'export:start': { items: [{ binId: 'IFCB5_2012_028_081515', targets: [1] }], destinationId: 'abc', format: 'png', ecotaxa: false, metadata: false, layout: 'rois' },
  'export:cancel': { jobId: 'export-abc' },
  'export:reveal': { jobId: 'export-abc' },
  'calibration:get': {},
  'calibration:set': { instrument: 13, pxPerUm: 2.7 },
  'bin:classes': { binId: 'IFCB5_2012_028_081515' },
  'bin:roi-scores': { binId: 'IFCB5_2012_028_081515', target: 1, limit: 5 },
  'bin:blob-mask': { binId: 'IFCB5_2012_028_081515', target: 3 },
  'labels:set': { rois: [{ binId: 'IFCB5_2012_028_081515', targets: [1] }], label: 'Ciliates' },
  'labels:confirm': { rois: [{ binId: 'IFCB5_2012_028_081515', targets: [1] }] },
  'labels:undo': {},
  'labels:redo': {},
  'classes:list': {},
  'dialog:add-results-folder': { rootId: 1, path: DATA_ROOT },
  'classes:counted': {},
  'results:list': { rootId: 1 },
  'dialog:import-labels': { paths: [`${DATA_ROOT}/labels.csv`] },
  'labels:export': { destinationId: 'abc', format: 'mat', binIds: ['IFCB5_2012_028_081515'], from: 0, to: 1000 },
};

const WHOLE_REQUEST_HOSTILES: [string, unknown][] = [
  ['null', null],
  ['number', 42],
  ['NaN', NaN],
  ['string', 'IFCB5_2012_028_081515'],
  ['array', [1, 2, 3]],
  ['boolean', true],
  ['function-like string', 'function(){}'],
  ['extra key', { __extra: 1 }],
  ['__proto__ key (JSON)', JSON.parse('{"__proto__": {"polluted": "yes"}}')],
  ['constructor key', { constructor: { prototype: { polluted: 'yes' } } }],
  ['prototype key', { prototype: { polluted: 'yes' } }],
];

const BIG_STRING = 'x'.repeat(100_000);
const FIELD_HOSTILES: [string, unknown][] = [
  ['null', null],
  ['negative', -1],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['fraction', 1.5],
  ['huge number', 1e300],
  ['empty string', ''],
  ['huge string', BIG_STRING],
  ['traversal string', '../../../../etc/passwd'],
  ['NUL string', 'a\0b'],
  ['empty array', []],
  ['array of strings', ['1']],
  ['huge array', new Array(MAX_TARGETS_PER_REQUEST + 1).fill(1)],
  ['object', { length: 3 }],
  ['boolean', true],
];

/** Field mutations that happen to be valid requests (an optional object field replaced with defaults etc.). */
function isStillValid(channel: Channel, request: unknown): boolean {
  return CONTRACT[channel].request.safeParse(request).success;
}

function errorCode(r: Result<unknown>): string {
  return r.ok ? 'OK' : r.error.code;
}

describe('hostile arguments', () => {
  let dir: string;
  let outsideDir: string;
  let t: TestRouter;

  before(() => {
    dir = makeTempDir('ifcb-hostile-');
    outsideDir = makeTempDir('ifcb-outside-');
    const allowed = path.join(dir, 'allowed');
    fs.mkdirSync(allowed);
    writeSyntheticBin(allowed, { targets: 20, seed: 3 });
    // a bin outside every allowed place, reachable through symlinks inside an allowed root
    const outside = writeSyntheticBin(outsideDir, { targets: 5, seed: 9, epochMs: Date.UTC(2020, 0, 1) });
    for (const ext of ['adc', 'hdr', 'roi'] as const) fs.symlinkSync(outside.paths[ext], path.join(allowed, `${outside.id}.${ext}`));
    fs.symlinkSync(outsideDir, path.join(allowed, 'escape'));
    // a bin whose .adc/.hdr are real files in the root but whose .roi links out of it
    const half = writeSyntheticBin(outsideDir, { targets: 5, seed: 11, epochMs: Date.UTC(2021, 0, 1) });
    fs.copyFileSync(half.paths.adc, path.join(allowed, `${half.id}.adc`));
    fs.copyFileSync(half.paths.hdr, path.join(allowed, `${half.id}.hdr`));
    fs.symlinkSync(half.paths.roi, path.join(allowed, `${half.id}.roi`));
    t = makeRouter({ roots: [allowed] });
    deliverOsOpen(t.ctx, `${SAMPLE.A}.adc`);
    t.opened.length = 0;
  });
  after(() => {
    removeTempDir(dir);
    removeTempDir(outsideDir);
  });

  /** Run `fn` and assert it neither opened a bin nor opened/read any file. */
  async function readsNothing(label: string, fn: () => Promise<void>): Promise<void> {
    const spy = spyOnFs([DATA_ROOT, dir, outsideDir, '/etc']);
    try {
      await fn();
    } finally {
      spy.restore();
    }
    const io = spy.calls.filter((c) => /^(openSync|readSync|readFileSync|open|readFile|readdirSync) /.test(c));
    assert.deepEqual(io, [], `${label}: file reads happened`);
    assert.deepEqual(t.opened, [], `${label}: the reader was asked to open a bin`);
  }

  for (const channel of CHANNELS) {
    it(`${channel}: malformed requests are INVALID_ARGUMENT and read nothing`, async () => {
      let cases = 0;
      await readsNothing(channel, async () => {
        for (const [label, args] of WHOLE_REQUEST_HOSTILES) {
          const r = await t.router.dispatch(channel, args);
          assert.equal(errorCode(r), 'INVALID_ARGUMENT', `${channel} with ${label}`);
          cases++;
        }
        const valid = VALID[channel];
        const mutate = (target: Record<string, unknown>, prefix: string, apply: (request: Record<string, unknown>) => Record<string, unknown>) => {
          for (const [key, original] of Object.entries(target)) {
            for (const [label, bad] of FIELD_HOSTILES) {
              const mutated = apply({ ...target, [key]: bad });
              if (isStillValid(channel, mutated)) continue;
              yieldCase(`${prefix}${key} = ${label}`, mutated);
            }
            if (original && typeof original === 'object' && !Array.isArray(original)) {
              mutate(original as Record<string, unknown>, `${prefix}${key}.`, (inner) => apply({ ...target, [key]: inner }));
            }
          }
        };
        const pending: [string, unknown][] = [];
        const yieldCase = (label: string, request: unknown) => pending.push([label, request]);
        mutate(valid, '', (r) => r);
        for (const [label, request] of pending) {
          const r = await t.router.dispatch(channel, request);
          assert.equal(errorCode(r), 'INVALID_ARGUMENT', `${channel} with ${label}`);
          cases++;
        }
      });
      assert.ok(cases >= WHOLE_REQUEST_HOSTILES.length, `${channel}: ${cases} cases`);
    });
  }

  it('bin ids: traversal, wrong syntax, impossible dates, suffixes → INVALID_ARGUMENT; never opened → BIN_NOT_FOUND', async () => {
    await readsNothing('bin ids', async () => {
      for (const binId of [
        '../IFCB5_2012_028_081515',
        'IFCB5_2012_028_081515/../../etc',
        'IFCB5_2012_028_081515.adc',
        'IFCB5_2012_028_081515_00001',
        'D20131301T101010_IFCB099',
        'IFCB5_2012_400_081515',
        'ifcb5_2012_028_081515',
        ' IFCB5_2012_028_081515',
        'IFCB12_2012_028_081515',
      ]) {
        for (const channel of ['bin:metadata', 'bins:get', 'bins:neighbours'] as const) {
          assert.equal(errorCode(await t.router.dispatch(channel, { binId })), 'INVALID_ARGUMENT', `${channel} ${binId}`);
        }
        assert.equal(errorCode(await t.router.dispatch('bin:roi-images', { binId, targets: [1] })), 'INVALID_ARGUMENT', binId);
      }
      assert.equal(errorCode(await t.router.dispatch('bin:metadata', { binId: 'D20130526T095207_IFCB013' })), 'BIN_NOT_FOUND');
      assert.equal(errorCode(await t.router.dispatch('bin:roi-images', { binId: 'D20130526T095207_IFCB013', targets: [7] })), 'BIN_NOT_FOUND');
    });
  });

  it('targets: negative, zero, NaN, fractional, too many, too large → INVALID_ARGUMENT without touching the open bin', async () => {
    await readsNothing('targets', async () => {
      for (const targets of [[-1], [0], [NaN], [1.5], [Infinity], [10_000_001], ['1'], [null], new Array(MAX_TARGETS_PER_REQUEST + 1).fill(1), []]) {
        const r = await t.router.dispatch('bin:roi-images', { binId: 'IFCB5_2012_028_081515', targets });
        assert.equal(errorCode(r), 'INVALID_ARGUMENT', JSON.stringify(targets).slice(0, 40));
      }
    });
  });

  it('paths: traversal out of a root, relative paths, and symlinks out of the allow-list → PATH_NOT_ALLOWED, nothing opened', async () => {
    const allowed = path.join(dir, 'allowed');
    const symlinkedBin = fs.readdirSync(allowed).find((f) => f.startsWith('D2020') && f.endsWith('.adc'))!;
    await readsNothing('paths', async () => {
      for (const p of [
        `${allowed}/../../../etc/passwd`,
        `${allowed}/../${path.basename(outsideDir)}/x.adc`,
        path.join(allowed, symlinkedBin),
        path.join(allowed, 'escape', symlinkedBin),
        `${SAMPLE.B}.adc`,
        '/etc/passwd',
      ]) {
        const r = await t.router.dispatch('bin:open-path', { path: p });
        assert.ok(['PATH_NOT_ALLOWED', 'FILE_MISSING'].includes(errorCode(r)), `${p}: ${errorCode(r)}`);
      }
      for (const p of ['IFCB5_2012_028_081515.adc', './x.adc', 'C:\\data\\x.adc']) {
        assert.equal(errorCode(await t.router.dispatch('bin:open-path', { path: p })), 'PATH_NOT_ALLOWED', p);
      }
      // the page may not add library folders or pick dialog paths on its own outside path-input mode
      assert.equal(errorCode(await t.router.dispatch('dialog:open-bin', { path: '/etc/passwd' })), 'NOT_AVAILABLE');
      assert.equal(errorCode(await t.router.dispatch('bin:open-dropped', { paths: ['/etc/passwd'] })), 'NOT_AVAILABLE');
    });
  });

  it('a bin whose .roi links out of the allowed root is refused before anything is read', async () => {
    const allowed = path.join(dir, 'allowed');
    const adc = fs.readdirSync(allowed).find((f) => f.startsWith('D2021') && f.endsWith('.adc'))!;
    await readsNothing('half-linked bin', async () => {
      const r = await t.router.dispatch('bin:open-path', { path: path.join(allowed, adc) });
      assert.equal(errorCode(r), 'PATH_NOT_ALLOWED');
    });
  });

  it('unknown channels and non-string channel names are refused', async () => {
    await readsNothing('channels', async () => {
      for (const channel of ['bin:read-file', '__proto__', 'constructor', 'toString', '', 42, null, {}]) {
        assert.equal(errorCode(await t.router.dispatch(channel, {})), 'INVALID_ARGUMENT', String(channel));
      }
    });
  });

  it('the read detector itself sees the reads of a valid image request (so the checks above can fail)', async () => {
    const spy = spyOnFs([DATA_ROOT]);
    let r: Result<unknown>;
    try {
      r = await t.router.dispatch('bin:roi-images', { binId: 'IFCB5_2012_028_081515', targets: [1] });
    } finally {
      spy.restore();
    }
    assert.equal(r.ok, true);
    assert.ok(spy.calls.some((c) => c.startsWith('openSync') && c.endsWith('IFCB5_2012_028_081515.roi')), spy.calls.join('\n'));
    assert.ok(spy.calls.some((c) => c.startsWith('readSync')));
    const fresh = makeRouter({ roots: [DATA_ROOT] });
    await fresh.router.dispatch('bin:open-path', { path: `${SAMPLE.B}.adc` });
    assert.deepEqual(fresh.opened, [`${SAMPLE.B}.adc`]);
  });

  it('no request polluted Object.prototype', () => {
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  it('the router never logged an unexpected error for hostile input', () => {
    assert.deepEqual(t.logged, []);
  });
});
