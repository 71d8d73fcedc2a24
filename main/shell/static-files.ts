/**
 * Serving the built renderer (dist/renderer) from the custom `app://` protocol and from the bridge, with path
 * containment: the request path is decoded once, normalised, resolved through symlinks, and must stay inside
 * the renderer folder. Pure decisions + one small fs function, shared by both servers.
 */
import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** MIME type by extension (unknown → octet-stream, which `nosniff` keeps inert). */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Map a URL path (relative to the renderer root, still percent-encoded) to a file inside `root`, or null when it
 * would leave it, is malformed, or names nothing. `''` and directories map to their `index.html`.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  const realRoot = safeRealpath(root);
  if (realRoot === null) return null;
  let candidate = path.join(realRoot, ...segments);
  let real = safeRealpath(candidate);
  if (real !== null && fs.statSync(real).isDirectory()) {
    candidate = path.join(candidate, 'index.html');
    real = safeRealpath(candidate);
  }
  if (real === null || !isInside(realRoot, real) || !fs.statSync(real).isFile()) return null;
  return real;
}

/** True when `child` is `parent` or lies under it. */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function safeRealpath(p: string): string | null {
  try {
    // the JS realpath, not .native: Electron patches it to see inside app.asar
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}
