/**
 * The bridge against the faults and probes of the trust issue: a FIFO named as a bin file, a header nested
 * 2,000 deep, a linked .adc whose sibling .hdr lies outside every root, probing which paths exist through
 * `roots:add`, foreign Origins, near-JSON content types, source maps, and more event streams than a page needs.
 * Each is answered with a specific code at once, and the server keeps answering everything else.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_EVENT_STREAMS, isJsonContentType } from '../../../main/http-bridge/server.ts';
import { startViewerServer, type ViewerServer } from '../../../main/http-bridge/index.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { makeFifo } from '../../helpers/fifo.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';

interface Answer {
  status: number;
  body: string;
}

function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('http bridge hardening', () => {
  let server: ViewerServer;
  let dir: string;
  let outside: string;
  const id = path.basename(SAMPLE.B);

  before(async () => {
    dir = makeTempDir('ifcb-bridge-hard-');
    outside = makeTempDir('ifcb-bridge-hard-out-');
    const renderer = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log("app");\n//# sourceMappingURL=app.js.map');
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js.map'), '{"version":3,"sources":["../../main/secret.ts"]}');
    const root = path.join(dir, 'root');
    // fifo/: a valid .adc/.hdr and a FIFO as the .roi
    fs.mkdirSync(path.join(root, 'fifo'), { recursive: true });
    for (const ext of ['adc', 'hdr']) fs.copyFileSync(`${SAMPLE.B}.${ext}`, path.join(root, 'fifo', `${id}.${ext}`));
    // deep/: a header line nested 2,000 brackets deep
    fs.mkdirSync(path.join(root, 'deep'));
    for (const ext of ['adc', 'roi']) fs.copyFileSync(`${SAMPLE.B}.${ext}`, path.join(root, 'deep', `${id}.${ext}`));
    fs.writeFileSync(path.join(root, 'deep', `${id}.hdr`), `${fs.readFileSync(`${SAMPLE.B}.hdr`, 'latin1')}deep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`, 'latin1');
    // linked/a/X.adc -> ../b/X.adc; b/X.hdr links outside every root; a/X.hdr is a harmless real file
    const [a, b] = [path.join(root, 'linked', 'a'), path.join(root, 'linked', 'b')];
    fs.mkdirSync(a, { recursive: true });
    fs.mkdirSync(b);
    fs.copyFileSync(`${SAMPLE.B}.adc`, path.join(b, `${id}.adc`));
    fs.copyFileSync(`${SAMPLE.B}.hdr`, path.join(outside, `${id}.hdr`));
    fs.symlinkSync(path.join(outside, `${id}.hdr`), path.join(b, `${id}.hdr`));
    fs.symlinkSync(path.join('..', 'b', `${id}.adc`), path.join(a, `${id}.adc`));
    fs.copyFileSync(`${SAMPLE.B}.hdr`, path.join(a, `${id}.hdr`));
    server = await startViewerServer({ roots: [root], rendererDir: renderer, exporter: null, validateResponses: true });
  });
  after(async () => {
    await server.close();
    removeTempDir(dir);
    removeTempDir(outside);
  });

  const post = async (channel: string, body: unknown) => {
    const res = await fetch(`${server.url}api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const type = res.headers.get('content-type') ?? '';
    return type.startsWith('application/json') ? ((await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } }) : { ok: true, value: new Uint8Array(await res.arrayBuffer()) };
  };
  const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'OK' : r.error!.code);

  it('a FIFO as the .roi: the bin opens, its images answer FILE_NOT_REGULAR at once, and the server keeps answering', async (t) => {
    makeFifo(t, path.join(dir, 'root', 'fifo', `${id}.roi`));
    const opened = await post('bin:open-path', { path: path.join(dir, 'root', 'fifo', `${id}.adc`) });
    assert.equal(codeOf(opened), 'OK');
    const images = await post('bin:roi-images', { binId: id, targets: [7] });
    assert.equal(codeOf(images), 'FILE_NOT_REGULAR');
    assert.equal(codeOf(await post('app:get-info', {})), 'OK');
    // a FIFO as the .adc is refused when the bin is opened
    const adcFifo = path.join(dir, 'root', 'fifo', 'D20130526T095208_IFCB013.adc');
    makeFifo(t, adcFifo);
    fs.copyFileSync(`${SAMPLE.B}.hdr`, path.join(dir, 'root', 'fifo', 'D20130526T095208_IFCB013.hdr'));
    assert.equal(codeOf(await post('bin:open-path', { path: adcFifo })), 'FILE_NOT_REGULAR');
    assert.equal(codeOf(await post('app:get-info', {})), 'OK');
  });

  it('a header nested 2,000 deep: HEADER_TOO_COMPLEX naming the line, not INTERNAL', async () => {
    const opened = await post('bin:open-path', { path: path.join(dir, 'root', 'deep', `${id}.adc`) });
    assert.equal(codeOf(opened), 'HEADER_TOO_COMPLEX');
    assert.equal(opened.error?.details?.['path'], fs.realpathSync(path.join(dir, 'root', 'deep', `${id}.hdr`)));
    assert.equal(typeof opened.error?.details?.['line'], 'number');
  });

  it('a linked .adc whose sibling .hdr links outside every root: PATH_NOT_ALLOWED, the outside header is never read', async () => {
    const before = fs.statSync(path.join(outside, `${id}.hdr`)).atimeMs;
    const opened = await post('bin:open-path', { path: path.join(dir, 'root', 'linked', 'a', `${id}.adc`) });
    assert.equal(codeOf(opened), 'PATH_NOT_ALLOWED');
    assert.equal(opened.error?.details?.['path'], fs.realpathSync(path.join(outside, `${id}.hdr`)));
    assert.equal(fs.statSync(path.join(outside, `${id}.hdr`)).atimeMs, before);
  });

  it('roots:add answers an existing and a missing path outside the roots identically', async () => {
    const answers = await Promise.all(['/etc/shadow', '/etc/shadowx', path.join(outside, `${id}.hdr`), path.join(outside, 'nothing-here')].map((p) => post('roots:add', { path: p })));
    const shapes = answers.map((r, i) => JSON.stringify(r.error).replaceAll(JSON.stringify(['/etc/shadow', '/etc/shadowx', path.join(outside, `${id}.hdr`), path.join(outside, 'nothing-here')][i]).slice(1, -1), '<path>'));
    assert.deepEqual(new Set(shapes).size, 1, shapes.join('\n'));
    assert.match(shapes[0]!, /"code":"NOT_AVAILABLE"|"code":"PATH_NOT_ALLOWED"/);
    // with a library the check runs: the same answer for all four again
    const opened = await Promise.all(['/etc/shadow', '/etc/shadowx'].map((p) => post('bin:open-path', { path: p })));
    assert.deepEqual(
      opened.map((r) => [r.error?.code, r.error?.message.replace(/\/etc\/shadowx?/, '<path>')]),
      [
        ['PATH_NOT_ALLOWED', opened[0]!.error!.message.replace('/etc/shadow', '<path>')],
        ['PATH_NOT_ALLOWED', opened[0]!.error!.message.replace('/etc/shadow', '<path>')],
      ],
    );
  });

  it('refuses a foreign Origin (403) and accepts its own or none', async () => {
    const api = { method: 'POST', path: `/t/${server.token}/api/app:get-info`, body: '{}' };
    const headers = (extra: Record<string, string>) => ({ 'content-type': 'application/json', ...extra });
    assert.equal((await request(server.port, { ...api, headers: headers({ origin: 'http://evil.example' }) })).status, 403);
    assert.equal((await request(server.port, { ...api, headers: headers({ origin: `http://127.0.0.1:${server.port + 1}` }) })).status, 403);
    assert.equal((await request(server.port, { ...api, headers: headers({ origin: 'null' }) })).status, 403);
    assert.equal((await request(server.port, { ...api, headers: headers({ origin: `http://127.0.0.1:${server.port}` }) })).status, 200);
    assert.equal((await request(server.port, { ...api, headers: headers({}) })).status, 200);
  });

  it('takes exactly application/json (optionally charset=utf-8) for API requests', async () => {
    for (const [type, ok] of [
      ['application/json', true],
      ['application/json; charset=utf-8', true],
      ['Application/JSON; Charset=UTF-8', true],
      ['application/jsonx', false],
      ['application/json-patch+json', false],
      ['application/json; charset=latin1', false],
      ['text/plain', false],
    ] as const) {
      assert.equal(isJsonContentType(type), ok, type);
      const r = await request(server.port, { method: 'POST', path: `/t/${server.token}/api/app:get-info`, headers: { 'content-type': type }, body: '{}' });
      assert.equal(r.status, ok ? 200 : 415, type);
    }
  });

  it('does not serve source maps', async () => {
    assert.equal((await request(server.port, { path: `/t/${server.token}/assets/app.js` })).status, 200);
    const map = await request(server.port, { path: `/t/${server.token}/assets/app.js.map` });
    assert.equal(map.status, 404);
    assert.doesNotMatch(map.body, /secret/);
  });

  it('compares the token as a whole: a token with one character changed, longer or shorter is 401', async () => {
    const t = server.token;
    for (const wrong of [`${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`, `${t}x`, t.slice(0, -1), '']) {
      assert.equal((await request(server.port, { path: `/t/${wrong}/index.html` })).status, 401, wrong);
    }
    assert.equal((await request(server.port, { path: `/t/${t}/index.html` })).status, 200);
  });

  it(`bounds the event streams at ${MAX_EVENT_STREAMS}; a closed one frees its place`, async () => {
    const controllers = Array.from({ length: MAX_EVENT_STREAMS }, () => new AbortController());
    const open = await Promise.all(controllers.map((c) => fetch(`${server.url}events`, { signal: c.signal })));
    assert.deepEqual(
      open.map((r) => r.status),
      new Array(MAX_EVENT_STREAMS).fill(200),
    );
    const extra = await fetch(`${server.url}events`);
    assert.equal(extra.status, 503);
    await extra.body?.cancel();
    controllers[0]!.abort();
    // once the server has seen the stream close (asynchronously), a new one is accepted
    const replacement = new AbortController();
    let again = await fetch(`${server.url}events`, { signal: replacement.signal });
    for (let attempt = 0; again.status === 503 && attempt < 500; attempt++) {
      await again.body?.cancel();
      again = await fetch(`${server.url}events`, { signal: replacement.signal });
    }
    assert.equal(again.status, 200);
    replacement.abort();
    for (const c of controllers) c.abort();
  });
});

describe('starting with a bin that cannot be opened', () => {
  it('reports it and serves the other bins (a 2,000-deep header once made npm start exit 1)', async () => {
    const dir = makeTempDir('ifcb-bridge-start-');
    try {
      const id = path.basename(SAMPLE.B);
      for (const ext of ['adc', 'roi']) fs.copyFileSync(`${SAMPLE.B}.${ext}`, path.join(dir, `${id}.${ext}`));
      fs.writeFileSync(path.join(dir, `${id}.hdr`), `softwareVersion: 1\ndeep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`);
      const logged: string[] = [];
      const server = await startViewerServer({ files: [path.join(dir, `${id}.adc`), `${SAMPLE.C}.adc`], exporter: null, log: (m) => logged.push(m) });
      try {
        assert.equal(logged.length, 1);
        assert.match(logged[0]!, /^cannot open .*\.adc: HEADER_TOO_COMPLEX: .* line 2: /);
        const ready = (await (await fetch(`${server.url}api/app:ready`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { value: { opened: { bin: { id: string } }[] } };
        assert.deepEqual(
          ready.value.opened.map((o) => o.bin.id),
          ['D20220522T003051_IFCB134'],
        );
      } finally {
        await server.close();
      }
    } finally {
      removeTempDir(dir);
    }
  });
});
