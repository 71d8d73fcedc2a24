/**
 * Browser-mode zip downloads over the bridge: prepared with a validated request (allow-listed bins only), served
 * once as an attachment with exactly the exported images, and never leaving a file behind on the server — after a
 * download, a failed export, or a browser that went away mid-way (which cancels the export).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IfcbError } from '../../../shared/errors.ts';
import type { ZipDownloadTicket } from '../../../shared/ipc/contract.ts';
import type { Result } from '../../../shared/ipc/result.ts';
import { MAX_BODY_BYTES, startHttpBridge, type HttpBridge } from '../../../main/http-bridge/server.ts';
import { zipDownloads } from '../../../main/http-bridge/zip-download.ts';
import { createContext, type HandlerContext } from '../../../main/ipc/context.ts';
import { runExport } from '../../../main/ipc/export-adapter.ts';
import { HANDLERS } from '../../../main/ipc/handlers/index.ts';
import { openTrustedPath } from '../../../main/ipc/handlers/bin.ts';
import type { ExportRunner } from '../../../main/ipc/ports.ts';
import { Router } from '../../../main/ipc/router.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { decodeGray } from '../export/decode.ts';
import { readZip } from '../export/zip-read.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Served {
  ctx: HandlerContext;
  bridge: HttpBridge;
  tempRoot: string;
}

async function serve(exporter: ExportRunner, now?: () => number): Promise<Served> {
  const tempRoot = makeTempDir('ifcb-download-root-');
  const ctx = createContext({ app: { name: 'IFCB Viewer', version: '0', transport: 'http', platform: 'linux' }, exporter });
  openTrustedPath(ctx, `${SAMPLE.B}.adc`);
  const bridge = await startHttpBridge({ router: new Router(ctx, HANDLERS), events: ctx.events, downloads: zipDownloads(ctx, now ? { tempRoot, now } : { tempRoot }) });
  return { ctx, bridge, tempRoot };
}

async function prepare(s: Served, body: unknown): Promise<Result<ZipDownloadTicket>> {
  const response = await fetch(`${s.bridge.url}download`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
  return (await response.json()) as Result<ZipDownloadTicket>;
}

describe('zip downloads', () => {
  let s: Served;
  let dir: string;
  before(async () => {
    s = await serve(runExport);
    dir = makeTempDir('ifcb-download-');
  });
  after(async () => {
    await s.bridge.close();
    removeTempDir(s.tempRoot);
    removeTempDir(dir);
  });

  it('groupByClass puts each image in its class folder (no products, no library: unclassified/)', async () => {
    const ticket = await prepare(s, { items: [{ binId: 'D20130526T095207_IFCB013', targets: [7, 11] }], groupByClass: true });
    assert.ok(ticket.ok);
    const file = path.join(dir, 'by-class.zip');
    fs.writeFileSync(file, Buffer.from(await (await fetch(`${s.bridge.url}${ticket.value.href}`)).arrayBuffer()));
    assert.deepEqual(readZip(file).map((e) => e.name), ['unclassified/D20130526T095207_IFCB013_00007.png', 'unclassified/D20130526T095207_IFCB013_00011.png']);
  });

  it('streams exactly the chosen images as an attachment, once, and leaves no file on the server', async () => {
    const ticket = await prepare(s, { items: [{ binId: 'D20130526T095207_IFCB013', targets: [7, 11, 13] }], metadata: true });
    assert.ok(ticket.ok);
    assert.equal(ticket.value.name, 'D20130526T095207_IFCB013.zip');
    const response = await fetch(`${s.bridge.url}${ticket.value.href}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/zip');
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="D20130526T095207_IFCB013.zip"');
    assert.ok(response.headers.get('content-security-policy'), 'the bridge security headers come along');
    const file = path.join(dir, 'download.zip');
    fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const entries = readZip(file);
    assert.deepEqual(entries.map((e) => e.name).sort(), ['D20130526T095207_IFCB013_00007.png', 'D20130526T095207_IFCB013_00011.png', 'D20130526T095207_IFCB013_00013.png', 'metadata.csv'].sort());
    assert.deepEqual(fs.readdirSync(s.tempRoot), []);
    // each PNG holds the reader's pixels of its target (stitched, schema 1)
    const bin = openBin(SAMPLE.B);
    for (const target of [7, 11, 13]) {
      const png = entries.find((e) => e.name === `D20130526T095207_IFCB013_${String(target).padStart(5, '0')}.png`)!;
      assert.equal(sha(decodeGray(png.data).pixels), sha(bin.images.get(target).pixels), `target ${target}`);
    }

    const again = await fetch(`${s.bridge.url}${ticket.value.href}`);
    assert.equal(again.status, 404, 'a ticket is used once');
  });

  it('refuses what the page may not export, with specific codes', async () => {
    const unknown = await prepare(s, { items: [{ binId: 'D20220522T003051_IFCB134' }] });
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.code, 'BIN_NOT_FOUND', 'a bin that was never opened nor catalogued');
    const invalid = await prepare(s, { items: [], destinationId: 'x' });
    assert.ok(!invalid.ok);
    assert.equal(invalid.error.code, 'INVALID_ARGUMENT');
    const forged = await fetch(`${s.bridge.url}download/AAAAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(forged.status, 404);
    const noToken = await fetch(`${s.bridge.origin}/download`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(noToken.status, 401);
    const notJson = await fetch(`${s.bridge.url}download`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(notJson.status, 415);
    const garbled = await fetch(`${s.bridge.url}download`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"items":' });
    assert.equal(garbled.status, 400);
    const huge = await fetch(`${s.bridge.url}download`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(MAX_BODY_BYTES + 1) });
    assert.equal(huge.status, 413);
    assert.equal((await fetch(`${s.bridge.url}download`)).status, 405, 'preparing takes a POST');
    assert.equal((await fetch(`${s.bridge.url}download/AAAAAAAAAAAAAAAAAAAAAAAA`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 405);
  });
});

describe('zip downloads that do not finish', () => {
  it('a link not followed within a minute expires', async (t) => {
    let clock = 1_000_000;
    const s = await serve(runExport, () => clock);
    t.after(async () => {
      await s.bridge.close();
      removeTempDir(s.tempRoot);
    });
    const ticket = await prepare(s, { items: [{ binId: 'D20130526T095207_IFCB013', targets: [7] }] });
    assert.ok(ticket.ok);
    clock += 60_001;
    assert.equal((await fetch(`${s.bridge.url}${ticket.value.href}`)).status, 404);
    assert.deepEqual(fs.readdirSync(s.tempRoot), []);
  });

  it('at most 16 links wait at once; expired ones make room', async (t) => {
    let clock = 1_000_000;
    const s = await serve(runExport, () => clock);
    t.after(async () => {
      await s.bridge.close();
      removeTempDir(s.tempRoot);
    });
    const request = { items: [{ binId: 'D20130526T095207_IFCB013', targets: [7] }] };
    for (let i = 0; i < 16; i++) assert.ok((await prepare(s, request)).ok);
    const refused = await prepare(s, request);
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'INVALID_ARGUMENT');
    clock += 60_001;
    assert.ok((await prepare(s, request)).ok);
  });

  it('a failed export answers its code and leaves nothing', async (t) => {
    const s = await serve(async () => {
      throw new IfcbError('FILE_UNREADABLE', 'disk went away');
    });
    t.after(async () => {
      await s.bridge.close();
      removeTempDir(s.tempRoot);
    });
    const ticket = await prepare(s, { items: [{ binId: 'D20130526T095207_IFCB013' }] });
    assert.ok(ticket.ok);
    const response = await fetch(`${s.bridge.url}${ticket.value.href}`);
    assert.equal(response.status, 422);
    assert.equal(await response.text(), 'FILE_UNREADABLE: disk went away\n');
    assert.deepEqual(fs.readdirSync(s.tempRoot), []);
  });

  it('a browser that goes away cancels the export and the temporary folder goes with it', async (t) => {
    let started!: () => void;
    const exporting = new Promise<void>((resolve) => (started = resolve));
    let finished!: (aborted: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => (finished = resolve));
    const s = await serve(async (request, { signal }) => {
      // a partial file where the exporter stages, as a real one would
      fs.writeFileSync(`${request.destination}.partial`, 'half');
      started();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      finished(signal.aborted);
      throw new IfcbError('CANCELLED', 'cancelled');
    });
    t.after(async () => {
      await s.bridge.close();
      removeTempDir(s.tempRoot);
    });
    const ticket = await prepare(s, { items: [{ binId: 'D20130526T095207_IFCB013' }] });
    assert.ok(ticket.ok);
    const req = http.get(`${s.bridge.url}${ticket.value.href}`);
    req.on('error', () => undefined);
    await exporting;
    assert.equal(fs.readdirSync(s.tempRoot).length, 1, 'the export runs in its own temporary folder');
    req.destroy();
    assert.equal(await outcome, true);
    // the folder is removed right after the exporter returns
    while (fs.readdirSync(s.tempRoot).length > 0) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(fs.readdirSync(s.tempRoot), []);
  });
});
