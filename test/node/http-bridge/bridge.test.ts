/**
 * The loopback bridge: token on every request (401 without), bound to 127.0.0.1, Host checked, no CORS, strict
 * CSP; the same results as the router; the binary image payload round-trips byte for byte (spec §11 sha256);
 * the renderer build is served with path containment; events arrive over SSE; and the renderer's own fetch
 * client works against it unchanged.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createIfcbApi } from '../../../shared/ipc/contract.ts';
import type { IfcbEvent } from '../../../shared/ipc/contract.ts';
import { unwrap } from '../../../shared/ipc/result.ts';
import { decodeRoiImages } from '../../../shared/ipc/roi-images.ts';
import { deliverOsOpen } from '../../../main/ipc/handlers/bin.ts';
import { startViewerServer, type ViewerServer } from '../../../main/http-bridge/index.ts';
import { contentSecurityPolicy } from '../../../main/shell/csp.ts';
import { createHttpTransport, locateBridge } from '../../../renderer/api/http-transport.ts';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const B_TARGETS = [7, 11, 13, 21, 32, 33, 47, 49, 54, 61, 66, 68, 73, 78, 80, 92, 99, 102, 114];

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw HTTP request (fetch forbids setting Host). */
function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('http bridge', () => {
  let server: ViewerServer;
  let dir: string;
  let outside: string;

  before(async () => {
    dir = makeTempDir('ifcb-bridge-');
    outside = makeTempDir('ifcb-bridge-out-');
    const renderer = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><html><head><title>IFCB</title></head><body><script type="module" src="./assets/app.js"></script></body></html>');
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log("app");');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(dir, 'beside.txt'), 'beside');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(renderer, 'assets', 'leak.txt'));
    server = await startViewerServer({ files: [`${SAMPLE.A}.adc`, `${SAMPLE.B}.adc`, `${SAMPLE.C}.adc`], roots: [path.join(DATA_ROOT, 'irfcb')], rendererDir: renderer, exporter: null, validateResponses: true });
  });
  after(async () => {
    await server.close();
    removeTempDir(dir);
    removeTempDir(outside);
  });

  const post = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('listens on 127.0.0.1 only, on an OS-chosen port, with a 256-bit URL-safe token', () => {
    const address = server.server.address();
    assert.ok(address && typeof address === 'object');
    assert.equal(address.address, '127.0.0.1');
    assert.ok(address.port > 0);
    assert.match(server.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(server.url, `http://127.0.0.1:${address.port}/t/${server.token}/`);
  });

  it('is unreachable on every non-loopback address of this machine', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => i !== undefined && !i.internal && i.family === 'IPv4')
      .map((i) => i.address);
    for (const address of external) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: address, port: server.port, timeout: 2000 });
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('timeout', () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      assert.notEqual(outcome, 'connected', address);
    }
  });

  it('answers 401 to every request without the token', async () => {
    const wrong = server.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const attempts: { path: string; method?: string; headers?: Record<string, string>; body?: string }[] = [
      { path: '/' },
      { path: '/index.html' },
      { path: '/events' },
      { path: '/api/app:get-info', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      { path: `/t/${wrong}/` },
      { path: `/t/${wrong}/api/app:get-info`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      { path: '/api/app:get-info', method: 'POST', headers: { 'content-type': 'application/json', 'x-ifcb-token': wrong }, body: '{}' },
      { path: `/api/app:get-info?token=${server.token}`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      { path: `/t/${server.token}`, method: 'GET' },
      { path: `/x/t/${server.token}/`, method: 'GET' },
    ];
    for (const a of attempts) {
      const r = await raw(server.port, { ...a, headers: { host: `127.0.0.1:${server.port}`, ...a.headers } });
      assert.equal(r.status, 401, `${a.method ?? 'GET'} ${a.path}`);
      assert.doesNotMatch(r.body.toString(), /IFCB5|D2013|\{"ok"/);
    }
  });

  it('accepts the token as a path prefix or as the x-ifcb-token header', async () => {
    const viaPrefix = await post('app:get-info', {});
    assert.equal(viaPrefix.status, 200);
    const viaHeader = await fetch(`${server.origin}/api/app:get-info`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ifcb-token': server.token }, body: '{}' });
    assert.deepEqual(await viaHeader.json(), await viaPrefix.json());
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const r = await raw(server.port, { path: `/t/${server.token}/`, headers: { host: `evil.example:${server.port}` } });
    assert.equal(r.status, 421);
    const ok = await raw(server.port, { path: `/t/${server.token}/`, headers: { host: `localhost:${server.port}` } });
    assert.equal(ok.status, 200);
  });

  it('sends no CORS headers, refuses foreign origins, preflights and non-JSON posts, and sets CSP + no-referrer everywhere', async () => {
    const preflight = await raw(server.port, {
      method: 'OPTIONS',
      path: `/t/${server.token}/api/app:get-info`,
      headers: { host: `127.0.0.1:${server.port}`, origin: `http://127.0.0.1:${server.port}`, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 405);
    const cross = await raw(server.port, {
      method: 'POST',
      path: `/t/${server.token}/api/app:get-info`,
      headers: { host: `127.0.0.1:${server.port}`, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(cross.status, 403);
    const form = await raw(server.port, { method: 'POST', path: `/t/${server.token}/api/app:get-info`, headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(form.status, 415);
    for (const r of [preflight, cross, form]) {
      assert.deepEqual(
        Object.keys(r.headers).filter((h) => h.startsWith('access-control-')),
        [],
      );
      assert.equal(r.headers['content-security-policy'], contentSecurityPolicy());
      assert.equal(r.headers['referrer-policy'], 'no-referrer');
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
    assert.equal(contentSecurityPolicy(), "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' blob:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'");
  });

  it('gives the same results as the router, envelope and all', async () => {
    const requests: [string, unknown][] = [
      ['app:get-info', {}],
      ['bin:metadata', { binId: 'IFCB5_2012_028_081515' }],
      ['bin:metadata', { binId: 'D20130526T095207_IFCB013' }],
      ['bin:open-path', { path: `${SAMPLE.D}.adc` }],
      ['bin:metadata', { binId: 'D20230810T113059_IFCB134' }],
      ['bin:roi-images', { binId: 'IFCB5_2012_028_081515', targets: [4] }],
      ['bin:metadata', { binId: 'D20150411T205456_IFCB012' }],
      ['bin:roi-images', { binId: 'D20130526T095207_IFCB013', targets: [-1] }],
      ['bins:list', {}],
      ['bin:explode', {}],
    ];
    for (const [channel, body] of requests) {
      const viaHttp: unknown = await (await post(channel, body)).json();
      const direct = JSON.parse(JSON.stringify(await server.router.dispatch(channel, body)));
      assert.deepEqual(viaHttp, direct, channel);
    }
  });

  it('the image payload round-trips byte for byte: every ROI hash equals the spec (§11)', async () => {
    const get = async (binId: string, targets: number[]) => {
      const r = await post('bin:roi-images', { binId, targets });
      assert.equal(r.headers.get('content-type'), 'application/octet-stream');
      const bytes = new Uint8Array(await r.arrayBuffer());
      const direct = await server.router.dispatch('bin:roi-images', { binId, targets });
      assert.ok(direct.ok);
      assert.equal(sha(bytes), sha(direct.value as Uint8Array), 'payload identical to the router output');
      return decodeRoiImages(bytes);
    };
    const b = await get('D20130526T095207_IFCB013', B_TARGETS);
    assert.equal(sha(b[0]!.pixels), 'e01583a7fa2f689ebfeb21c37041001e9e0665f3b273fcc1bfc60a7cbdfabdfd');
    assert.equal(sha(Buffer.concat(b.map((i) => i.pixels))), '7997caf70de2f9ff1883ef61a2f7147a56877ce4dbbc3d669dfb4949739799e1');
    const c = await get('D20220522T003051_IFCB134', [2, 3]);
    assert.equal(sha(c[0]!.pixels), 'c276174049616fa1ba6045248eaf0362c40aacdb5ed522c67164876af17161b0');
    assert.equal(sha(Buffer.concat(c.map((i) => i.pixels))), '3a46e47c2db57c95c1aed5d79adacec62398820cfcc544507d072295b5e498fc');
    const a = await get('IFCB5_2012_028_081515', [1, 3, 6]);
    assert.deepEqual(
      a.map((i) => [i.target, sha(i.pixels)]),
      [
        [1, 'd2dc426fa926ea5ea3025494ba9627a46d04633ab5976e564bc50cd9f4aed14b'],
        [3, '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f'],
        [6, sha(a[2]!.pixels)],
      ],
    );
    assert.equal(a[2]!.pixels.reduce((s, v) => s + v, 0), 1842603);
  });

  it('rejects malformed bodies with an envelope: bad JSON 400, oversized 413', async () => {
    const bad = await fetch(`${server.url}api/bin:metadata`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"binId":' });
    assert.equal(bad.status, 400);
    assert.deepEqual(((await bad.json()) as { error: { code: string } }).error.code, 'INVALID_ARGUMENT');
    const big = await fetch(`${server.url}api/bin:metadata`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ binId: 'x'.repeat(5 * 1024 * 1024) }) });
    assert.equal(big.status, 413);
    assert.deepEqual(await big.json(), { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Request body too large.' } });
  });

  it('serves the renderer with the token meta tag, and nothing outside its folder', async () => {
    const index = await fetch(server.url);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await index.text();
    assert.ok(html.includes(`<head><meta name="ifcb-token" content="${server.token}">`), html);
    const js = await fetch(`${server.url}assets/app.js`);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await js.text(), 'console.log("app");');
    for (const p of ['../beside.txt', '..%2fbeside.txt', '%2e%2e/beside.txt', 'assets/..%2f..%2fbeside.txt', 'assets/leak.txt', 'assets%5c..%5c..%5cbeside.txt', 'nope.js', '%']) {
      const r = await raw(server.port, { path: `/t/${server.token}/${p}`, headers: { host: `127.0.0.1:${server.port}` } });
      assert.equal(r.status, 404, p);
      assert.doesNotMatch(r.body.toString(), /secret|beside/);
    }
  });

  it('streams events over SSE (files opened by the OS once the page is ready)', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}events`, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    await post('app:ready', {});
    deliverOsOpen(server.ctx, `${path.join(DATA_ROOT, 'irfcb', 'data', 'D20230810T113059_IFCB134')}.hdr`);
    let text = '';
    const events: IfcbEvent[] = [];
    while (events.length === 0) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      for (const block of text.split('\n\n').slice(0, -1)) {
        if (block.startsWith('data: ')) events.push(JSON.parse(block.slice(6)) as IfcbEvent);
      }
    }
    controller.abort();
    assert.equal(events[0]?.type, 'bin-opened');
    assert.equal(events[0]?.type === 'bin-opened' && events[0].bin.id, 'D20230810T113059_IFCB134');
  });

  it("the renderer's fetch client (same IfcbApi) works unchanged against it", async () => {
    const bridge = locateBridge(new URL(server.url), undefined);
    assert.ok(bridge);
    const api = createIfcbApi(createHttpTransport(bridge, fetch, undefined));
    const info = unwrap(await api.getAppInfo());
    assert.equal(info.transport, 'http');
    const meta = unwrap(await api.getBinMetadata({ binId: 'D20130526T095207_IFCB013' }));
    const images = decodeRoiImages(unwrap(await api.getRoiImages({ binId: 'D20130526T095207_IFCB013', targets: meta.rois.target })));
    assert.equal(sha(Buffer.concat(images.map((i) => i.pixels))), '7997caf70de2f9ff1883ef61a2f7147a56877ce4dbbc3d669dfb4949739799e1');
    const failed = await api.getRoiImages({ binId: 'IFCB5_2012_028_081515', targets: [4] });
    assert.equal(failed.ok ? 'ok' : failed.error.code, 'ROI_NOT_IN_BIN');
    const dialogs = await api.showOpenBinDialog({});
    assert.equal(dialogs.ok ? 'ok' : dialogs.error.code, 'NOT_AVAILABLE');
    // a wrong token: the client reports it instead of throwing
    const stranger = createIfcbApi(createHttpTransport({ base: `${server.origin}/t/${'x'.repeat(43)}/`, token: 'x'.repeat(43) }, fetch, undefined));
    const refused = await stranger.getAppInfo();
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'NOT_AVAILABLE');
  });

  it('locateBridge reads the token from the path prefix or the meta tag, and rejects junk', () => {
    assert.deepEqual(locateBridge({ origin: 'http://127.0.0.1:5', pathname: `/t/${'a'.repeat(43)}/index.html` }), { base: `http://127.0.0.1:5/t/${'a'.repeat(43)}/`, token: 'a'.repeat(43) });
    const doc = { querySelector: () => ({ getAttribute: () => 'b'.repeat(20) }) };
    assert.deepEqual(locateBridge({ origin: 'http://127.0.0.1:5', pathname: '/' }, doc), { base: `http://127.0.0.1:5/t/${'b'.repeat(20)}/`, token: 'b'.repeat(20) });
    assert.equal(locateBridge({ origin: 'http://127.0.0.1:5', pathname: '/t/short/' }), null);
    assert.equal(locateBridge({ origin: 'http://127.0.0.1:5', pathname: '/' }), null);
  });
});
