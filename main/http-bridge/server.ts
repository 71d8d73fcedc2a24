/**
 * The loopback bridge: the same router and the built renderer over HTTP on 127.0.0.1, for browser tests and for
 * `npm start` where Electron cannot run (VS Code's test server idea). Every request needs the per-run random
 * token — in the path prefix `/t/<token>/` (pages, scripts, EventSource) or the `x-ifcb-token` header — else 401.
 * No CORS headers are ever sent, the Host header must name the loopback address (DNS-rebinding guard) and an
 * Origin header, when a browser sends one, this server's own origin; the token is compared in constant time;
 * API requests must be exactly `application/json`; source maps are not served; event streams are bounded in
 * number; the renderer gets the strict CSP, and `Referrer-Policy: no-referrer` keeps the token out of Referer
 * headers.
 *
 *   POST /t/<token>/api/<channel>   JSON request → JSON Result, or application/octet-stream for image payloads
 *   GET  /t/<token>/events          Server-Sent Events, one `data:` JSON event per message
 *   POST /t/<token>/download        browser mode: prepare a zip download (JSON → JSON Result with a one-time href)
 *   GET  /t/<token>/download/<id>   stream that zip as an attachment (zip-download.ts)
 *   GET  /t/<token>/<file>          the built renderer (index.html for the folder), path-contained
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { err } from '../../shared/ipc/result.ts';
import { ZIP_DOWNLOAD_ROUTE } from '../../shared/ipc/contract.ts';
import { securityHeaders } from '../shell/csp.ts';
import { contentTypeFor, resolveStaticPath } from '../shell/static-files.ts';
import type { EventHub } from '../ipc/events.ts';
import type { Router } from '../ipc/router.ts';
import type { ZipDownloads } from './zip-download.ts';

/** The header alternative to the path prefix. */
export const TOKEN_HEADER = 'x-ifcb-token';
/** Largest JSON request body accepted. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
const SSE_KEEPALIVE_MS = 15_000;
/** Open event streams at most (a page needs one; a reload briefly two). */
export const MAX_EVENT_STREAMS = 8;

export interface HttpBridgeOptions {
  router: Router;
  events: EventHub;
  /** The built renderer (dist/renderer); omit to serve the API only. */
  rendererDir?: string;
  /** Fixed token (tests); default 32 random bytes, base64url. */
  token?: string;
  /** Default 0 (the OS picks a free port). */
  port?: number;
  /** Zip downloads (browser mode); omit to answer 404 on the download routes. */
  downloads?: ZipDownloads;
}

export interface HttpBridge {
  /** `http://127.0.0.1:<port>/t/<token>/` — the page URL. */
  url: string;
  origin: string;
  token: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** Constant-time token comparison (the length of the expected token is public: it is fixed). */
function sameToken(candidate: string, token: string): boolean {
  const x = Buffer.from(candidate);
  const y = Buffer.from(token);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `application/json`, optionally with `charset=utf-8`, and nothing else (`application/jsonx` is not JSON). */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type, ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  return type === 'application/json' && params.every((p) => p === 'charset=utf-8');
}

const TOKEN_PATH = /^\/t\/([^/]*)\/(.*)$/;

/** Start the bridge on 127.0.0.1. */
export async function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const prefix = `/t/${token}/`;
  const sseClients = new Set<http.ServerResponse>();
  let port = 0;

  const base = (extra: Record<string, string> = {}) => ({ ...securityHeaders(), ...extra });

  function send(res: http.ServerResponse, status: number, type: string, body: string | Uint8Array): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, base({ 'Content-Type': type, 'Content-Length': String(bytes.byteLength) }));
    res.end(bytes);
  }

  function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    // an oversized body is drained (not stored) so the client can read the 413
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    }
    return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only\n');
    if (!isJsonContentType(req.headers['content-type'])) return send(res, 415, 'text/plain', 'application/json only\n');
    const body = await readBody(req);
    if (body === null) return sendJson(res, 413, err('INVALID_ARGUMENT', 'Request body too large.'));
    let args: unknown;
    try {
      args = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, err('INVALID_ARGUMENT', 'The request body is not valid JSON.'));
    }
    // image bytes stay counted as in flight until the response is written or the client went away
    const { result, release } = await options.router.dispatchHeld(channel, args);
    res.once('close', release);
    if (result.ok && result.value instanceof Uint8Array) {
      return send(res, 200, 'application/octet-stream', result.value);
    }
    sendJson(res, 200, result);
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'GET only\n');
    if (sseClients.size >= MAX_EVENT_STREAMS) return send(res, 503, 'text/plain', 'Too many event streams; close other viewer tabs.\n');
    res.writeHead(200, base({ 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' }));
    res.write(': connected\n\n');
    sseClients.add(res);
    const subscription = options.events.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
    keepalive.unref();
    res.on('close', () => {
      clearInterval(keepalive);
      subscription();
      sseClients.delete(res);
    });
  }

  async function handleDownload(req: http.IncomingMessage, res: http.ServerResponse, rest: string): Promise<void> {
    if (!options.downloads) return send(res, 404, 'text/plain', 'Downloads are not offered here.\n');
    if (rest === ZIP_DOWNLOAD_ROUTE) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only\n');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain', 'application/json only\n');
      const body = await readBody(req);
      if (body === null) return sendJson(res, 413, err('INVALID_ARGUMENT', 'Request body too large.'));
      let request: unknown;
      try {
        request = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, err('INVALID_ARGUMENT', 'The request body is not valid JSON.'));
      }
      return sendJson(res, 200, options.downloads.prepare(request));
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'GET only\n');
    await options.downloads.serve(rest.slice(ZIP_DOWNLOAD_ROUTE.length + 1), req, res, base());
  }

  function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, rest: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only\n');
    if (!options.rendererDir) return send(res, 404, 'text/plain', 'No renderer build is served here.\n');
    // source maps would hand out the app's sources; the page does not need them
    if (/\.map$/i.test(rest)) return send(res, 404, 'text/plain', 'Not found\n');
    const file = resolveStaticPath(options.rendererDir, rest);
    if (file === null) return send(res, 404, 'text/plain', 'Not found\n');
    let body: Buffer = fs.readFileSync(file);
    if (file.endsWith('.html')) {
      const meta = `<meta name="ifcb-token" content="${token}">`;
      const html = body.toString('utf8');
      body = Buffer.from(html.includes('<head>') ? html.replace('<head>', `<head>${meta}`) : meta + html);
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, base({ 'Content-Type': contentTypeFor(file), 'Content-Length': String(body.length) }));
      return void res.end();
    }
    send(res, 200, contentTypeFor(file), body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 421, 'text/plain', 'Wrong host\n');
    // a browser names the page that sent the request: only this server's own pages may use it
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return send(res, 403, 'text/plain', 'Wrong origin\n');
    }
    const url = req.url ?? '/';
    const pathOnly = url.split('?')[0]!;
    let rest: string | null = null;
    const inPath = TOKEN_PATH.exec(pathOnly);
    if (inPath && sameToken(inPath[1]!, token)) rest = inPath[2]!;
    else {
      const header = req.headers[TOKEN_HEADER];
      if (typeof header === 'string' && sameToken(header, token) && pathOnly.startsWith('/')) rest = pathOnly.slice(1);
    }
    if (rest === null) return send(res, 401, 'text/plain', 'Unauthorized: open the URL the viewer printed (it carries a per-run token).\n');
    if (rest.startsWith('api/')) return handleApi(req, res, rest.slice(4));
    if (rest === 'events') return handleEvents(req, res);
    if (rest === ZIP_DOWNLOAD_ROUTE || rest.startsWith(`${ZIP_DOWNLOAD_ROUTE}/`)) return handleDownload(req, res, rest);
    handleStatic(req, res, rest);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[ifcb] bridge request failed', e);
      if (!res.headersSent) sendJson(res, 500, err('INTERNAL', 'The viewer server failed; see its log.'));
      else res.destroy();
    });
  });
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${prefix}`,
    origin,
    token,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of sseClients) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
