/**
 * One call that stands up the whole app over HTTP: the app core from the composition root (main/app/composition.ts)
 * plus the loopback bridge. Used by `npm start` without Electron and by the Node and browser tests:
 *   const bridge = await startViewerServer({ roots: [DATA_ROOT], files: [SAMPLE.B + '.adc'] });
 *   … fetch(bridge.url + 'api/bin:metadata', …) or open bridge.url in Chromium …
 *   await bridge.close();
 */
import os from 'node:os';
import { composeApp, type AppCore } from '../app/composition.ts';
import type { HandlerContext } from '../ipc/context.ts';
import { runExport } from '../ipc/export-adapter.ts';
import { deliverLaunchPath } from '../ipc/handlers/bin.ts';
import type { CataloguePort, ExportRunner } from '../ipc/ports.ts';
import type { Router } from '../ipc/router.ts';
import { PRODUCT_NAME } from '../shell/app-identity.ts';
import { startHttpBridge, type HttpBridge } from './server.ts';
import { zipDownloads } from './zip-download.ts';

export { startHttpBridge, TOKEN_HEADER, MAX_BODY_BYTES } from './server.ts';
export type { HttpBridge, HttpBridgeOptions } from './server.ts';

export interface ViewerServerOptions {
  /** Folders whose bins the page may open (as if added to the library). */
  roots?: string[];
  /** Bin files opened at start (as if double-clicked); they reach the page through `app:ready`, a damaged one with its error. */
  files?: string[];
  catalogue?: CataloguePort;
  /** Default: main/export. Pass null to run without export. */
  exporter?: ExportRunner | null;
  /** Accept typed paths in `dialog:*`/`roots:add`/drops (tests and dev only). */
  pathInput?: boolean;
  /** Follow library roots live (catalogue-changed events); off by default (tests). */
  watchRoots?: boolean;
  /** The built renderer to serve (dist/renderer). */
  rendererDir?: string;
  token?: string;
  port?: number;
  /** Check every response against the contract (tests). */
  validateResponses?: boolean;
  /** Where problems with `files` are reported (default console.error). */
  log?: (message: string) => void;
  /** Image bytes all requests together may hold (default MAX_IMAGE_BYTES_IN_FLIGHT). */
  maxImageBytesInFlight?: number;
  version?: string;
}

export interface ViewerServer extends HttpBridge {
  ctx: HandlerContext;
  router: Router;
  /** The composed app behind the bridge (its store also owns the server). */
  core: AppCore;
}

/**
 * Compose the app (main/app/composition.ts) and serve it on 127.0.0.1 (port 0 by default). `close()` stops the
 * server, then jobs and watchers; a catalogue passed in stays open (its owner closes it).
 */
export async function startViewerServer(options: ViewerServerOptions = {}): Promise<ViewerServer> {
  const exporter = options.exporter === null ? undefined : (options.exporter ?? runExport);
  const core = composeApp({
    app: { name: PRODUCT_NAME, version: options.version ?? '0.0.0', transport: 'http', platform: os.platform() },
    ...(exporter ? { exporter } : {}),
    pathInput: options.pathInput ?? false,
    roots: options.roots ?? [],
    validateResponses: options.validateResponses ?? false,
    ...(options.maxImageBytesInFlight === undefined ? {} : { maxImageBytesInFlight: options.maxImageBytesInFlight }),
  });
  if (options.catalogue) core.attachLibrary({ port: options.catalogue, watch: options.watchRoots ?? false });
  // a bin that cannot be opened (missing file, FIFO, a header past the parser's bounds) is reported (to the page,
  // with its code, and in the log) and skipped: it must not keep the viewer, or the other bins, from starting
  for (const file of options.files ?? []) {
    if (deliverLaunchPath(core.ctx, file)) continue;
    const rejected = core.ctx.pendingRejected.at(-1);
    (options.log ?? console.error)(`cannot open ${file}: ${rejected?.code}: ${rejected?.message}`);
  }
  let bridge: HttpBridge;
  try {
    bridge = await startHttpBridge({
      router: core.router,
      events: core.ctx.events,
      ...(exporter ? { downloads: zipDownloads(core.ctx) } : {}),
      ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
      ...(options.token ? { token: options.token } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
  } catch (e) {
    await core.dispose();
    throw e;
  }
  core.store.add('http bridge', () => bridge.close());
  return { ...bridge, ctx: core.ctx, router: core.router, core, close: () => core.dispose() };
}
