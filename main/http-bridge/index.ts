/**
 * One call that stands up the whole app core over HTTP: context (allow-list, bin cache, events, jobs), router,
 * and the loopback bridge. Used by `npm start` without Electron and by the Node and browser tests:
 *   const bridge = await startViewerServer({ roots: [DATA_ROOT], files: [SAMPLE.B + '.adc'] });
 *   … fetch(bridge.url + 'api/bin:metadata', …) or open bridge.url in Chromium …
 *   await bridge.close();
 */
import os from 'node:os';
import { isIfcbError } from '../../shared/errors.ts';
import { attachCatalogue, createContext, type HandlerContext } from '../ipc/context.ts';
import { runExport } from '../ipc/export-adapter.ts';
import { HANDLERS } from '../ipc/handlers/index.ts';
import { deliverOsOpen } from '../ipc/handlers/bin.ts';
import type { CataloguePort, ExportRunner } from '../ipc/ports.ts';
import { Router } from '../ipc/router.ts';
import { startHttpBridge, type HttpBridge } from './server.ts';

export { startHttpBridge, TOKEN_HEADER, MAX_BODY_BYTES } from './server.ts';
export type { HttpBridge, HttpBridgeOptions } from './server.ts';

export interface ViewerServerOptions {
  /** Folders whose bins the page may open (as if added to the library). */
  roots?: string[];
  /** Bin files opened at start (as if double-clicked); they reach the page through `app:ready`. */
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
}

/** Start context + router + bridge on 127.0.0.1 (port 0 by default). `close()` stops jobs and the server. */
export async function startViewerServer(options: ViewerServerOptions = {}): Promise<ViewerServer> {
  const exporter = options.exporter === null ? undefined : (options.exporter ?? runExport);
  const ctx = createContext({
    app: { name: 'IFCB Viewer', version: options.version ?? '0.0.0', transport: 'http', platform: os.platform() },
    ...(exporter ? { exporter } : {}),
    pathInput: options.pathInput ?? false,
    roots: options.roots ?? [],
    ...(options.maxImageBytesInFlight === undefined ? {} : { maxImageBytesInFlight: options.maxImageBytesInFlight }),
  });
  if (options.catalogue) attachCatalogue(ctx, options.catalogue, { watch: options.watchRoots ?? false });
  // a bin that cannot be opened (missing file, FIFO, a header past the parser's bounds) is reported and skipped:
  // it must not keep the viewer, or the other bins, from starting
  for (const file of options.files ?? []) {
    try {
      deliverOsOpen(ctx, file);
    } catch (e) {
      if (!isIfcbError(e)) throw e;
      (options.log ?? console.error)(`cannot open ${file}: ${e.code}: ${e.message}`);
    }
  }
  const router = new Router(ctx, HANDLERS, { validateResponses: options.validateResponses ?? false });
  const bridge = await startHttpBridge({
    router,
    events: ctx.events,
    ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
    ...(options.token ? { token: options.token } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  return {
    ...bridge,
    ctx,
    router,
    close: async () => {
      await ctx.jobs.dispose();
      await Promise.all([...ctx.watches.values()].map((w) => w.close()));
      await bridge.close();
    },
  };
}
