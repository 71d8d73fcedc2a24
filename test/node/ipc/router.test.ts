/**
 * The router's happy path for every channel, on the real sample bins (spec §11 values) and a real catalogue on
 * a temp database. Responses are validated against the contract on the way out (validateResponses).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHANNELS, MAX_IMAGE_PAYLOAD_BYTES } from '../../../shared/ipc/contract.ts';
import type { BinMetadata, IfcbEvent, OpenedBin } from '../../../shared/ipc/contract.ts';
import type { Result } from '../../../shared/ipc/result.ts';
import { decodeRoiImages } from '../../../shared/ipc/roi-images.ts';
import { openCatalogue, type Catalogue } from '../../../main/index/catalogue.ts';
import { cataloguePort } from '../../../main/ipc/catalogue-adapter.ts';
import { attachCatalogue } from '../../../main/ipc/context.ts';
import { decodeBinGeometry, isGeometryError } from '../../../shared/ipc/bin-geometry.ts';
import { deliverOsOpen } from '../../../main/ipc/handlers/bin.ts';
import type { DialogPort, ExportJobRequest } from '../../../main/ipc/ports.ts';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { makeRouter } from './fixtures.ts';
import { describeClassesChannels } from '../products/ipc-cases.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function value<T>(r: Result<unknown>): T {
  if (!r.ok) assert.fail(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function code(r: Result<unknown>): string {
  assert.equal(r.ok, false, 'expected a failure');
  return (r as { error: { code: string } }).error.code;
}

const touched = new Set<string>();
const track = (channel: string) => touched.add(channel);

describe('router: bins opened from the OS', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('ifcb-router-bins-');
  });
  after(() => removeTempDir(dir));

  it('app:get-info reports the transport and which features exist', async () => {
    const { router } = makeRouter();
    track('app:get-info');
    assert.deepEqual(value(await router.dispatch('app:get-info', {})), {
      name: 'IFCB Viewer',
      version: '0.0.0-test',
      transport: 'http',
      platform: 'linux',
      features: { dialogs: false, catalogue: false, export: false, pathInput: false },
    });
  });

  it('app:ready hands over bins opened before the page was ready, then events take over', async () => {
    const { router, ctx } = makeRouter();
    const events: IfcbEvent[] = [];
    ctx.events.subscribe((e) => events.push(e));
    deliverOsOpen(ctx, `${SAMPLE.B}.roi`);
    track('app:ready');
    const ready = value<{ opened: OpenedBin[] }>(await router.dispatch('app:ready', {}));
    assert.deepEqual(
      ready.opened.map((o) => o.bin.id),
      ['D20130526T095207_IFCB013'],
    );
    assert.equal(events.length, 0);
    deliverOsOpen(ctx, `${SAMPLE.C}.adc`);
    assert.deepEqual(
      events.map((e) => (e.type === 'bin-opened' ? e.bin.id : e.type)),
      ['D20220522T003051_IFCB134'],
    );
    assert.deepEqual(value<{ opened: OpenedBin[] }>(await router.dispatch('app:ready', {})).opened, []);
  });

  it('bin:open-path opens an allowed bin and summarises it (spec §11, bin B)', async () => {
    const { router } = makeRouter({ roots: [DATA_ROOT] });
    track('bin:open-path');
    const { bin } = value<OpenedBin>(await router.dispatch('bin:open-path', { path: `${SAMPLE.B}.hdr` }));
    assert.deepEqual(bin, {
      id: 'D20130526T095207_IFCB013',
      schema: 2,
      instrument: 13,
      timestamp: '2013-05-26T09:52:07Z',
      epochMs: Date.UTC(2013, 4, 26, 9, 52, 7),
      adcRows: 118,
      triggers: 118,
      imageCount: 19,
      hasRoiFile: true,
      runTime: 1184.037103,
      inhibitTime: 11.620325999999977,
      lookTime: 1172.416777,
      mlAnalyzed: 4.8850699041666665,
      triggerRate: 0.09965903914752577,
      displayName: 'D20130526/D20130526T095207_IFCB013',
    });
  });

  it('bin:open-path on an empty bin gives null metrics (NaN never crosses the boundary)', async () => {
    const { router } = makeRouter({ roots: [DATA_ROOT] });
    const { bin } = value<OpenedBin>(await router.dispatch('bin:open-path', { path: `${SAMPLE.emptyV2}.adc` }));
    assert.equal(bin.adcRows, 0);
    assert.equal(bin.imageCount, 0);
    assert.equal(bin.runTime, null);
    assert.equal(bin.mlAnalyzed, null);
  });

  it('bin:metadata of schema 1 gives the stitched, columnar ROI table (spec §5, bin A)', async () => {
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, `${SAMPLE.A}.adc`);
    track('bin:metadata');
    const meta = value<BinMetadata>(await router.dispatch('bin:metadata', { binId: 'IFCB5_2012_028_081515' }));
    assert.equal(meta.bin.imageCount, 5);
    assert.deepEqual(meta.rois.target, [1, 2, 3, 5, 6]);
    assert.deepEqual(meta.rois.width, [96, 238, 263, 105, 197]);
    assert.deepEqual(meta.rois.height, [45, 137, 86, 45, 45]);
    assert.deepEqual(meta.rois.stitchedWith, [0, 0, 4, 0, 0]);
    assert.equal(meta.rois.adcColumns.length, 15);
    assert.deepEqual(meta.rois.adc['TRIGGER'], [1, 2, 3, 4, 5]);
    assert.deepEqual(meta.rois.adc['ROI_WIDTH'], [96, 238, 180, 105, 197]);
    assert.equal(Object.keys(meta.headers).length, 7);
    assert.equal(meta.headers['temperature'], 11.4799732421875);
  });

  it('bins:geometry of schema 1 gives the stitched geometry as binary (spec §5, bin A)', async () => {
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, `${SAMPLE.A}.adc`);
    track('bins:geometry');
    const [g] = decodeBinGeometry(value<Uint8Array>(await router.dispatch('bins:geometry', { binIds: ['IFCB5_2012_028_081515'], columns: ['TRIGGER'] })));
    assert.ok(g && !isGeometryError(g));
    assert.deepEqual([...g.target], [1, 2, 3, 5, 6]);
    assert.deepEqual([...g.width], [96, 238, 263, 105, 197]);
    assert.deepEqual([...g.height], [45, 137, 86, 45, 45]);
    assert.deepEqual([...g.columns['TRIGGER']!], [1, 2, 3, 4, 5]);
  });

  it('bin:metadata of schema 2 has every ADC column by name, aligned with the targets (bin B)', async () => {
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, `${SAMPLE.B}.adc`);
    const meta = value<BinMetadata>(await router.dispatch('bin:metadata', { binId: 'D20130526T095207_IFCB013' }));
    assert.deepEqual(meta.rois.target, [7, 11, 13, 21, 32, 33, 47, 49, 54, 61, 66, 68, 73, 78, 80, 92, 99, 102, 114]);
    assert.deepEqual(meta.rois.width.slice(0, 3), [88, 104, 72]);
    assert.deepEqual(meta.rois.height.slice(0, 3), [34, 66, 34]);
    assert.equal(meta.rois.adcColumns.length, 24);
    for (const name of meta.rois.adcColumns) assert.equal(meta.rois.adc[name]!.length, 19, name);
    assert.deepEqual(meta.rois.adc['ROI_WIDTH'], meta.rois.width);
    assert.equal(Object.keys(meta.headers).length, 82);
    assert.equal(meta.headers['KloehnPort'], 'COM3');
  });

  it('bin:roi-images returns raw pixels whose sha256 match the spec (A stitched, B all, C all)', async () => {
    const { router, ctx } = makeRouter();
    for (const s of [SAMPLE.A, SAMPLE.B, SAMPLE.C]) deliverOsOpen(ctx, `${s}.adc`);
    track('bin:roi-images');
    const a = decodeRoiImages(value(await router.dispatch('bin:roi-images', { binId: 'IFCB5_2012_028_081515', targets: [1, 3] })));
    assert.deepEqual(
      a.map((i) => [i.target, i.width, i.height, sha(i.pixels)]),
      [
        [1, 96, 45, 'd2dc426fa926ea5ea3025494ba9627a46d04633ab5976e564bc50cd9f4aed14b'],
        [3, 263, 86, '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f'],
      ],
    );
    const bTargets = [7, 11, 13, 21, 32, 33, 47, 49, 54, 61, 66, 68, 73, 78, 80, 92, 99, 102, 114];
    const b = decodeRoiImages(value(await router.dispatch('bin:roi-images', { binId: 'D20130526T095207_IFCB013', targets: bTargets })));
    assert.equal(sha(b[0]!.pixels), 'e01583a7fa2f689ebfeb21c37041001e9e0665f3b273fcc1bfc60a7cbdfabdfd');
    const hashB = createHash('sha256');
    for (const im of b) hashB.update(im.pixels);
    assert.equal(hashB.digest('hex'), '7997caf70de2f9ff1883ef61a2f7147a56877ce4dbbc3d669dfb4949739799e1');
    const c = decodeRoiImages(value(await router.dispatch('bin:roi-images', { binId: 'D20220522T003051_IFCB134', targets: [2, 3] })));
    assert.equal(sha(Buffer.concat(c.map((i) => i.pixels))), '3a46e47c2db57c95c1aed5d79adacec62398820cfcc544507d072295b5e498fc');
    assert.deepEqual(
      c.map((i) => [i.width, i.height]),
      [
        [176, 82],
        [144, 114],
      ],
    );
  });

  it('bin:roi-images keeps the requested order; a repeated target is refused before anything is read', async () => {
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, `${SAMPLE.B}.adc`);
    const images = decodeRoiImages(value(await router.dispatch('bin:roi-images', { binId: 'D20130526T095207_IFCB013', targets: [114, 7] })));
    assert.deepEqual(
      images.map((i) => i.target),
      [114, 7],
    );
    assert.equal(images[0]!.pixels.reduce((s, v) => s + v, 0), 2564526);
    const repeated = await router.dispatch('bin:roi-images', { binId: 'D20130526T095207_IFCB013', targets: [114, 7, 114] });
    assert.equal(code(repeated), 'INVALID_ARGUMENT');
    assert.deepEqual(!repeated.ok && repeated.error.details?.['issues'], [{ path: 'targets', message: 'targets must not repeat' }]);
    assert.equal(ctx.imageBytes.inFlight, 0);
  });

  it('bin:roi-images refuses a request above 64 MiB of pixels (checked from the ADC, before any read)', async () => {
    assert.equal(MAX_IMAGE_PAYLOAD_BYTES, 64 * 1024 * 1024);
    const big = writeSyntheticBin(dir, { targets: 65, emptyEvery: 0, minSize: 1024, maxSize: 1024, seed: 4 });
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, big.paths.adc);
    // every image is 1024×1024 = 1 MiB: 64 fit, 65 do not
    const targets = big.images.map((i) => i.target);
    const over = await router.dispatch('bin:roi-images', { binId: big.id, targets });
    assert.equal(code(over), 'INVALID_ARGUMENT');
    assert.deepEqual(!over.ok && over.error.details, { bytes: 65 * 1024 * 1024, limit: MAX_IMAGE_PAYLOAD_BYTES });
    const atLimit = decodeRoiImages(value(await router.dispatch('bin:roi-images', { binId: big.id, targets: targets.slice(0, 64) })));
    assert.deepEqual(
      atLimit.map((i) => i.pixels.length),
      new Array(64).fill(1024 * 1024),
    );
    assert.equal(ctx.imageBytes.inFlight, 0, 'released once the answer was handed over');
  });

  it('bin:roi-images reports ROI_NOT_IN_BIN for a target without image and FILE_MISSING for a bin without .roi', async () => {
    const { router, ctx } = makeRouter();
    deliverOsOpen(ctx, `${SAMPLE.A}.adc`);
    deliverOsOpen(ctx, `${SAMPLE.D}.adc`);
    assert.equal(code(await router.dispatch('bin:roi-images', { binId: 'IFCB5_2012_028_081515', targets: [4] })), 'ROI_NOT_IN_BIN');
    assert.equal(code(await router.dispatch('bin:roi-images', { binId: 'D20230810T113059_IFCB134', targets: [2] })), 'FILE_MISSING');
  });

  it('bin:open-dropped opens bin files, adds nothing without a library, and reports the rest (path input mode)', async () => {
    const { router } = makeRouter({ pathInput: true });
    track('bin:open-dropped');
    const dropped = value<{ opened: OpenedBin[]; roots: unknown[]; rejected: { name: string; code: string }[] }>(
      await router.dispatch('bin:open-dropped', { paths: [`${SAMPLE.C}.roi`, `${SAMPLE.C}.adc`, path.join(DATA_ROOT, 'irfcb'), `${SAMPLE.decoy}`] }),
    );
    assert.deepEqual(
      dropped.opened.map((o) => o.bin.id),
      ['D20220522T003051_IFCB134'],
    );
    assert.deepEqual(
      dropped.rejected.map((r) => [r.name, r.code]),
      [
        ['irfcb', 'NOT_AVAILABLE'],
        ['decoy.adc', 'INVALID_BIN_ID'],
      ],
    );
  });

  it('dialog:* over the bridge: NOT_AVAILABLE, or the typed path in path-input mode', async () => {
    const plain = makeRouter();
    track('dialog:open-bin');
    track('dialog:add-folder');
    track('dialog:export-destination');
    assert.equal(code(await plain.router.dispatch('dialog:open-bin', {})), 'NOT_AVAILABLE');
    assert.equal(code(await plain.router.dispatch('dialog:add-folder', {})), 'NOT_AVAILABLE');
    assert.equal(code(await plain.router.dispatch('dialog:export-destination', { kind: 'zip' })), 'NOT_AVAILABLE');
    const dev = makeRouter({ pathInput: true });
    const opened = value<{ opened: OpenedBin }>(await dev.router.dispatch('dialog:open-bin', { path: `${SAMPLE.A}.roi` }));
    assert.equal(opened.opened.bin.id, 'IFCB5_2012_028_081515');
  });

  it('dialog:* in the desktop app use the native dialog and refuse a path from the page', async () => {
    const chosen: string[] = [];
    const dialogs: DialogPort = {
      openBin: async () => `${SAMPLE.C}.adc`,
      addFolder: async () => null,
      exportDestination: async (kind, name) => {
        chosen.push(`${kind}:${name ?? ''}`);
        return null;
      },
      resultsFolder: async () => null,
      importLabels: async () => null,
    };
    const { router } = makeRouter({ dialogs });
    assert.equal(value<{ opened: OpenedBin }>(await router.dispatch('dialog:open-bin', {})).opened.bin.id, 'D20220522T003051_IFCB134');
    assert.deepEqual(value(await router.dispatch('dialog:add-folder', {})), { root: null });
    assert.deepEqual(value(await router.dispatch('dialog:export-destination', { kind: 'zip', suggestedName: 'x.zip' })), { destination: null });
    assert.deepEqual(chosen, ['zip:x.zip']);
    assert.equal(code(await router.dispatch('dialog:open-bin', { path: '/etc/passwd' })), 'INVALID_ARGUMENT');
  });
});

describe('router: export jobs', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('ifcb-ipc-export-');
  });
  after(() => removeTempDir(dir));

  it('export:start resolves ids to paths, runs the exporter as a job and reports it finished', async () => {
    const requests: ExportJobRequest[] = [];
    const { router, ctx } = makeRouter({
      pathInput: true,
      exporter: async (request, { onProgress }) => {
        requests.push(request);
        onProgress(1, 1);
        return { summary: 'done', destination: request.destination };
      },
    });
    const events: IfcbEvent[] = [];
    ctx.events.subscribe((e) => events.push(e));
    deliverOsOpen(ctx, `${SAMPLE.B}.adc`);
    track('export:start');
    const dest = value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind: 'folder', path: path.join(dir, 'out') }));
    const { jobId } = value<{ jobId: string }>(await router.dispatch('export:start', { items: [{ binId: 'D20130526T095207_IFCB013', targets: [7, 11] }], destinationId: dest.destination.id }));
    await ctx.jobs.settle(jobId);
    // the exporter gets the bin cache's parsed bin (its ADC is not parsed again), plus its path
    assert.equal(requests[0]?.items[0]?.bin, ctx.bins.get('D20130526T095207_IFCB013'));
    // the calibration main holds (the default here) is what the exporter gets
    assert.equal(requests[0]?.pxPerUm(13), 3.4);
    assert.deepEqual(requests, [
      {
        items: [{ binId: 'D20130526T095207_IFCB013', binPath: SAMPLE.B, bin: ctx.bins.get('D20130526T095207_IFCB013'), targets: [7, 11] }],
        destination: path.join(dir, 'out'),
        kind: 'folder',
        pxPerUm: requests[0]?.pxPerUm,
        format: 'png',
        ecotaxa: false,
        metadata: false,
        layout: 'rois',
        onExisting: 'fail',
      },
    ]);
    assert.deepEqual(events.at(-1), { type: 'job-finished', jobId, kind: 'export', outcome: 'ok', summary: 'done' });
    // a destination is used once
    assert.equal(code(await router.dispatch('export:start', { items: [{ binId: 'D20130526T095207_IFCB013' }], destinationId: dest.destination.id })), 'INVALID_ARGUMENT');
  });

  it('export:start with the real exporter writes PNGs; export:cancel stops a running export', async () => {
    const { runExport } = await import('../../../main/ipc/export-adapter.ts');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { router, ctx } = makeRouter({
      pathInput: true,
      exporter: async (request, options) => {
        if (request.destination.endsWith('slow')) {
          await gate;
          if (options.signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        }
        return runExport(request, options);
      },
    });
    const events: IfcbEvent[] = [];
    ctx.events.subscribe((e) => events.push(e));
    deliverOsOpen(ctx, `${SAMPLE.C}.adc`);
    const real = value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind: 'folder', path: path.join(dir, 'real') }));
    const started = value<{ jobId: string }>(await router.dispatch('export:start', { items: [{ binId: 'D20220522T003051_IFCB134' }], destinationId: real.destination.id }));
    await ctx.jobs.settle(started.jobId);
    const finished = events.find((e) => e.type === 'job-finished' && e.jobId === started.jobId);
    assert.equal(finished?.type === 'job-finished' && finished.outcome, 'ok', JSON.stringify(finished));
    assert.deepEqual(fs.readdirSync(path.join(dir, 'real')).filter((f) => f.endsWith('.png')).sort(), ['D20220522T003051_IFCB134_00002.png', 'D20220522T003051_IFCB134_00003.png']);
    // "Show in folder": the path main exported to, and no file manager over the bridge
    track('export:reveal');
    assert.deepEqual(value(await router.dispatch('export:reveal', { jobId: started.jobId })), { path: path.join(dir, 'real'), shown: false });

    const slow = value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind: 'folder', path: path.join(dir, 'slow') }));
    const job = value<{ jobId: string }>(await router.dispatch('export:start', { items: [{ binId: 'D20220522T003051_IFCB134' }], destinationId: slow.destination.id }));
    track('export:cancel');
    assert.deepEqual(value(await router.dispatch('export:cancel', { jobId: job.jobId })), { ok: true });
    release();
    await ctx.jobs.settle(job.jobId);
    const cancelled = events.find((e) => e.type === 'job-finished' && e.jobId === job.jobId);
    assert.equal(cancelled?.type === 'job-finished' && cancelled.outcome, 'cancelled');
    assert.equal(fs.existsSync(path.join(dir, 'slow')), false);
  });
});

describe('router: export to a destination that already holds the files', () => {
  it('export:start answers EXPORT_TARGET_EXISTS itself (no failed job), and the same destination then takes "skip"', async () => {
    const { runExport } = await import('../../../main/ipc/export-adapter.ts');
    const { router, ctx } = makeRouter({ pathInput: true, exporter: runExport });
    const dir = makeTempDir('ifcb-router-existing-');
    try {
      const events: IfcbEvent[] = [];
      ctx.events.subscribe((e) => events.push(e));
      deliverOsOpen(ctx, `${SAMPLE.C}.adc`);
      const choose = async () => value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind: 'folder', path: path.join(dir, 'out') })).destination.id;
      const first = value<{ jobId: string }>(await router.dispatch('export:start', { items: [{ binId: 'D20220522T003051_IFCB134', targets: [2] }], destinationId: await choose() }));
      await ctx.jobs.settle(first.jobId);
      const destinationId = await choose();
      const again = await router.dispatch('export:start', { items: [{ binId: 'D20220522T003051_IFCB134' }], destinationId });
      assert.equal(code(again), 'EXPORT_TARGET_EXISTS');
      assert.deepEqual(!again.ok && [again.error.message, again.error.details?.['canSkip']], [`${path.join(dir, 'out', 'D20220522T003051_IFCB134_00002.png')} already exists. Nothing was written.`, true]);
      assert.equal(events.filter((e) => e.type === 'job-finished' && e.outcome === 'failed').length, 0, 'no failed job to report twice');
      const skip = value<{ jobId: string }>(await router.dispatch('export:start', { items: [{ binId: 'D20220522T003051_IFCB134' }], destinationId, onExisting: 'skip' }));
      await ctx.jobs.settle(skip.jobId);
      const done = events.find((e) => e.type === 'job-finished' && e.jobId === skip.jobId);
      assert.equal(done?.type === 'job-finished' && done.summary, `1 image written to ${path.join(dir, 'out')} (1 targets skipped)`);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'out')).sort(), ['D20220522T003051_IFCB134_00002.png', 'D20220522T003051_IFCB134_00003.png']);
    } finally {
      removeTempDir(dir);
    }
  });
});

describe('router: export:reveal shows only what main exported', () => {
  it('asks the desktop to show the finished destination, and refuses unknown or unfinished jobs', async () => {
    const shown: string[] = [];
    const { runExport } = await import('../../../main/ipc/export-adapter.ts');
    const { router, ctx } = makeRouter({ pathInput: true, exporter: runExport, desktop: { showItemInFolder: (p) => shown.push(p) } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ifcb-reveal-'));
    try {
      deliverOsOpen(ctx, `${SAMPLE.C}.adc`);
      assert.equal(code(await router.dispatch('export:reveal', { jobId: 'export-never' })), 'INVALID_ARGUMENT');
      const dest = path.join(dir, 'out.zip');
      const chosen = value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind: 'zip', path: dest }));
      const { jobId } = value<{ jobId: string }>(await router.dispatch('export:start', { items: [{ binId: 'D20220522T003051_IFCB134' }], destinationId: chosen.destination.id }));
      await ctx.jobs.settle(jobId);
      assert.deepEqual(value(await router.dispatch('export:reveal', { jobId })), { path: dest, shown: true });
      assert.deepEqual(shown, [dest]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('router: library channels with a real catalogue', () => {
  let dir: string;
  let catalogue: Catalogue;
  before(() => {
    dir = makeTempDir('ifcb-ipc-cat-');
    catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'), { workers: 1 });
  });
  after(async () => {
    await catalogue.close();
    removeTempDir(dir);
  });

  it('roots:add indexes in the background; bins:* answer from the catalogue; roots:remove forgets and revokes', async () => {
    const { router, ctx } = makeRouter({ catalogue: cataloguePort(catalogue), pathInput: true });
    const events: IfcbEvent[] = [];
    ctx.events.subscribe((e) => events.push(e));
    track('roots:add');
    const root = value<{ id: number; path: string }>(await router.dispatch('roots:add', { path: path.join(DATA_ROOT, 'irfcb', 'data') }));
    assert.equal(root.path, path.join(DATA_ROOT, 'irfcb', 'data'));
    const reindexStarted = events.find((e) => e.type === 'catalogue-changed');
    assert.ok(reindexStarted);
    // the add started a reindex job: wait for its finish event
    await waitFor(() => events.some((e) => e.type === 'job-finished' && e.kind === 'reindex'));
    const finished = events.find((e) => e.type === 'job-finished');
    assert.equal(finished?.type === 'job-finished' && finished.outcome, 'ok', JSON.stringify(finished));

    track('roots:list');
    const roots = value<{ roots: { id: number; binCount: number; state: string }[] }>(await router.dispatch('roots:list', {}));
    assert.deepEqual(
      roots.roots.map((r) => [r.id, r.binCount, r.state]),
      [[root.id, 2, 'complete']],
    );
    track('roots:problems');
    assert.deepEqual(value(await router.dispatch('roots:problems', { rootId: root.id })), { problems: [], total: 0 });
    assert.equal(code(await router.dispatch('roots:problems', { rootId: root.id + 1 })), 'INVALID_ARGUMENT');

    track('bins:list');
    const list = value<{ bins: { id: string; imageCount: number | null; hasRoiFile: boolean }[]; next?: string }>(await router.dispatch('bins:list', { page: { limit: 1 } }));
    assert.deepEqual(
      list.bins.map((b) => [b.id, b.imageCount, b.hasRoiFile]),
      [['D20220522T003051_IFCB134', 2, true]],
    );
    assert.ok(list.next);
    const page2 = value<{ bins: { id: string }[]; next?: string }>(await router.dispatch('bins:list', { page: { limit: 1, after: list.next } }));
    assert.deepEqual(
      page2.bins.map((b) => b.id),
      ['D20230810T113059_IFCB134'],
    );
    const qc = value<{ bins: { id: string }[] }>(await router.dispatch('bins:list', { filter: { qc: 'noRoi' } }));
    assert.deepEqual(
      qc.bins.map((b) => b.id),
      ['D20230810T113059_IFCB134'],
    );

    track('bins:get');
    const got = value<{ id: string; folder: string; mlAnalyzed: number }>(await router.dispatch('bins:get', { binId: 'D20220522T003051_IFCB134' }));
    assert.equal(got.folder, '');
    assert.equal(got.mlAnalyzed, 2.981272289134838);
    track('bins:neighbours');
    assert.deepEqual(value(await router.dispatch('bins:neighbours', { binId: 'D20220522T003051_IFCB134' })), { next: 'D20230810T113059_IFCB134' });
    track('bins:time-series');
    const series = value<{ bucket: string; points: { id?: string; images: number }[] }>(await router.dispatch('bins:time-series', {}));
    assert.equal(series.bucket, 'day'); // a 445-day span (< 3 years)
    assert.deepEqual(
      series.points.map((p) => p.images).reduce((a, b) => a + b, 0),
      35,
    );

    // a catalogued bin opens by id without any open-path (its root is allowed)
    const images = decodeRoiImages(value(await router.dispatch('bin:roi-images', { binId: 'D20220522T003051_IFCB134', targets: [2] })));
    assert.equal(sha(images[0]!.pixels), 'c276174049616fa1ba6045248eaf0362c40aacdb5ed522c67164876af17161b0');

    track('roots:reindex');
    const { jobId } = value<{ jobId: string }>(await router.dispatch('roots:reindex', { rootIds: [root.id] }));
    await ctx.jobs.settle(jobId);
    const again = events.find((e) => e.type === 'job-finished' && e.jobId === jobId);
    assert.equal(again?.type === 'job-finished' && again.summary, '2 bins found: 0 added, 0 updated, 0 removed, 0 unreadable, 0 files skipped');

    track('roots:remove');
    assert.deepEqual(value(await router.dispatch('roots:remove', { rootId: root.id })), { ok: true });
    assert.deepEqual(value(await router.dispatch('roots:list', {})), { roots: [] });
    assert.equal(code(await router.dispatch('bin:metadata', { binId: 'D20220522T003051_IFCB134' })), 'BIN_NOT_FOUND');
    assert.equal(code(await router.dispatch('bin:open-path', { path: `${SAMPLE.C}.adc` })), 'PATH_NOT_ALLOWED');
  });

  it('with live watching, a bin appearing in a library folder reaches the page as catalogue-changed', async () => {
    const rootDir = path.join(dir, 'live');
    fs.mkdirSync(rootDir);
    const { router, ctx } = makeRouter({ pathInput: true });
    attachCatalogue(ctx, cataloguePort(catalogue), { watch: true });
    const events: IfcbEvent[] = [];
    ctx.events.subscribe((e) => events.push(e));
    const root = value<{ id: number }>(await router.dispatch('roots:add', { path: rootDir }));
    await waitFor(() => events.some((e) => e.type === 'job-finished'));
    assert.equal(ctx.watches.size, 1);
    events.length = 0;
    await ctx.watches.get(root.id)!.ready; // the watcher has scanned the empty folder
    const bin = writeSyntheticBin(rootDir, { targets: 12, seed: 4 });
    await waitFor(() => events.some((e) => e.type === 'catalogue-changed' && e.rootId === root.id));
    const listed = value<{ bins: { id: string }[] }>(await router.dispatch('bins:list', { filter: { rootId: root.id } }));
    assert.deepEqual(
      listed.bins.map((b) => b.id),
      [bin.id],
    );
    assert.deepEqual(value(await router.dispatch('roots:remove', { rootId: root.id })), { ok: true });
    assert.equal(ctx.watches.size, 0);
  });

  it('without a catalogue the library channels answer NOT_AVAILABLE', async () => {
    const { router } = makeRouter();
    for (const [channel, args] of [
      ['bins:list', {}],
      ['bins:time-series', {}],
      ['bins:neighbours', { binId: 'D20220522T003051_IFCB134' }],
      ['bins:get', { binId: 'D20220522T003051_IFCB134' }],
      ['roots:list', {}],
      ['roots:remove', { rootId: 1 }],
      ['roots:reindex', {}],
      ['roots:problems', {}],
    ] as const) {
      assert.equal(code(await router.dispatch(channel, args)), 'NOT_AVAILABLE', channel);
    }
  });
});

describe('router: calibration', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('ifcb-router-calibration-');
  });
  after(() => removeTempDir(dir));

  it('calibration:set/get: one value per instrument, used by the next export, stored in the library so it survives a restart', async () => {
    const requests: ExportJobRequest[] = [];
    const { router, ctx } = makeRouter({
      pathInput: true,
      exporter: async (request) => {
        requests.push(request);
        return { summary: 'done', destination: request.destination };
      },
    });
    track('calibration:get');
    track('calibration:set');
    assert.deepEqual(value(await router.dispatch('calibration:get', {})), { instruments: [], defaultPxPerUm: 3.4, persistent: false });
    // no library yet: kept for the session
    assert.deepEqual(value(await router.dispatch('calibration:set', { instrument: 13, pxPerUm: 2.7 })), {
      instruments: [{ instrument: 13, pxPerUm: 2.7 }],
      defaultPxPerUm: 3.4,
      persistent: false,
    });
    deliverOsOpen(ctx, `${SAMPLE.B}.adc`);
    const dest = value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind: 'folder', path: path.join(dir, 'out') }));
    const { jobId } = value<{ jobId: string }>(await router.dispatch('export:start', { items: [{ binId: 'D20130526T095207_IFCB013' }], destinationId: dest.destination.id }));
    // a change after the export started does not change that export
    value(await router.dispatch('calibration:set', { instrument: 13, pxPerUm: 3.1 }));
    await ctx.jobs.settle(jobId);
    assert.deepEqual([requests[0]?.pxPerUm(13), requests[0]?.pxPerUm(134)], [2.7, 3.4]);

    // the library opens: the session's value is written to it
    const db = path.join(dir, 'library.sqlite');
    const first = openCatalogue(db, { workers: 1 });
    attachCatalogue(ctx, cataloguePort(first));
    assert.deepEqual(value(await router.dispatch('calibration:get', {})), { instruments: [{ instrument: 13, pxPerUm: 3.1 }], defaultPxPerUm: 3.4, persistent: true });
    value(await router.dispatch('calibration:set', { instrument: 5, pxPerUm: 6.8 }));
    value(await router.dispatch('calibration:set', { instrument: 13, pxPerUm: null }));
    await first.close();

    // a restart: a new context over the same library
    const restarted = makeRouter();
    const second = openCatalogue(db, { workers: 1 });
    attachCatalogue(restarted.ctx, cataloguePort(second));
    assert.deepEqual(value(await restarted.router.dispatch('calibration:get', {})), { instruments: [{ instrument: 5, pxPerUm: 6.8 }], defaultPxPerUm: 3.4, persistent: true });
    assert.equal(restarted.ctx.calibration.pxPerUm(13), 3.4, 'forgotten: the default again');
    await second.close();
    // out of range or not a number: refused before anything is stored
    for (const pxPerUm of [0, -1, 1e6, Number.NaN, '2.7']) {
      assert.equal(code(await router.dispatch('calibration:set', { instrument: 13, pxPerUm })), 'INVALID_ARGUMENT', String(pxPerUm));
    }
  });
});
describeClassesChannels(track);

describe('router: coverage', () => {
  it('every contract channel had a happy-path test above', () => {
    assert.deepEqual(
      CHANNELS.filter((c) => !touched.has(c)),
      [],
    );
  });
});
