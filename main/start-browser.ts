/**
 * `npm start` where no Electron binary exists (or with --browser): the whole viewer served on 127.0.0.1 behind a
 * per-run token, as a real mode rather than a test harness. The page stands in for the desktop's dialogs: "Open
 * bin…", "Add folder…" and export destinations take a typed path (checked against the same rules as a dialog's
 * choice), and a zip can also come back as a download. Every bin passed at launch reaches the page, a damaged one
 * with its error. With no arguments and an empty library, the built-in demo library (main/demo) is added.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DisposableStore } from './app/disposable-store.ts';
import { libraryPath, openLibrary } from './app/library.ts';
import { prepareDemoLibrary } from './demo/demo-library.ts';
import { startViewerServer } from './http-bridge/index.ts';
import type { Catalogue } from './index/catalogue.ts';
import { cataloguePort } from './ipc/catalogue-adapter.ts';
import { addRootAt } from './ipc/handlers/roots.ts';
import { classifyLaunchPaths } from './shell/launch-args.ts';

export interface BrowserModeOptions {
  /** Launch paths as typed (resolved against the working directory here). */
  paths: string[];
  /** The library database; default: the per-user app-data folder. */
  db?: string;
  /** Open bins one by one, without the library. */
  noLibrary?: boolean;
  port?: number;
  rendererDir: string;
  version: string;
}

export interface BrowserMode {
  url: string;
  close(): Promise<void>;
}

/**
 * What to do with each launch path: folders join the library; everything else is opened as a bin, so that a path
 * that is none (a decoy `.adc`, a missing file) reaches the page with its error like a damaged bin does.
 */
export function sortLaunchPaths(paths: string[]): { files: string[]; folders: string[] } {
  const { bins, other } = classifyLaunchPaths(paths.map((p) => path.resolve(p)));
  const folders = other.filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
  return { files: [...bins, ...other.filter((p) => !folders.includes(p))], folders };
}

/** Serve the viewer; resolves once it listens. */
export async function serveInBrowser(options: BrowserModeOptions): Promise<BrowserMode> {
  const { files, folders } = sortLaunchPaths(options.paths);
  const dbPath = libraryPath(options.db);
  // the library's owner: closed after the server's core has stopped the jobs and watchers that use it
  const library = new DisposableStore();
  let catalogue: Catalogue | null = null;
  if (!options.noLibrary) {
    try {
      catalogue = openLibrary(library, dbPath);
    } catch (e) {
      console.error(`library unavailable (${e instanceof Error ? e.message : String(e)}); opening bins one by one`);
    }
  }
  // a first start with nothing to show: the demo, written beside the library database (offered once)
  let demo: string | null = null;
  try {
    demo = catalogue && options.paths.length === 0 ? prepareDemoLibrary(path.dirname(dbPath), catalogue.listRoots().length) : null;
  } catch (e) {
    console.error(`could not write the demo library (${e instanceof Error ? e.message : String(e)}); starting without it`);
  }
  const server = await startViewerServer({
    files,
    roots: catalogue ? [] : folders,
    rendererDir: options.rendererDir,
    pathInput: true,
    ...(catalogue ? { catalogue: cataloguePort(catalogue), watchRoots: true } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    version: options.version,
  }).catch(async (e: unknown) => {
    await library.dispose();
    throw e;
  });
  for (const rejected of server.ctx.pendingRejected) console.error(`cannot open ${rejected.name}: ${rejected.code}: ${rejected.message}`);
  if (catalogue) {
    for (const folder of [...folders, ...(demo ? [demo] : [])]) {
      try {
        await addRootAt(server.ctx, folder);
      } catch (e) {
        console.error(`cannot add ${folder} to the library: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  if (demo) console.log(`Your library is empty: added the demo library (${demo}); remove it in the library pane.`);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await library.dispose();
    },
  };
}
