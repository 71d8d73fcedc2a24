/**
 * The composition root: the one place the app core is assembled — allow-list, bin cache, events and jobs (the
 * handler context), the router over every handler, the library (catalogue + live watchers) — and the one owner
 * that stops it all. The Electron shell, the loopback bridge (`startViewerServer`), `npm start` and the tests
 * all build the app here; each adds only its transport:
 *   const core = composeApp({ app: { name, version, transport: 'http', platform } });
 *   const catalogue = openLibrary(core.libraryStore, dbPath);          // main/app/library.ts
 *   core.attachLibrary({ port: cataloguePort(catalogue), watch: true });
 *   … core.router.dispatch(channel, args) …
 *   await core.dispose();   // jobs, then watchers, then the database (reverse of start-up)
 */
import { attachCatalogue, createContext, type ContextOptions, type HandlerContext } from '../ipc/context.ts';
import { HANDLERS } from '../ipc/handlers/index.ts';
import { addRootAt, startReindex } from '../ipc/handlers/roots.ts';
import type { CataloguePort } from '../ipc/ports.ts';
import { Router } from '../ipc/router.ts';
import { DisposableStore } from './disposable-store.ts';

export interface AppCoreOptions extends Omit<ContextOptions, 'catalogue'> {
  /** Check every response against the contract (tests). */
  validateResponses?: boolean;
  /** Where unexpected failures are reported (default console.error). */
  log?: (message: string, error: unknown) => void;
}

export interface LibraryAttachment {
  port: CataloguePort;
  /** How the library's database closes, when the core owns it and it was not opened into `libraryStore` (absent: the caller closes it). */
  close?: () => Promise<void> | void;
  /** Follow the library's folders live (catalogue-changed events). */
  watch: boolean;
  /** The database was just rebuilt: index every folder again, as a job the page can follow. */
  reindex?: boolean;
}

export interface AppCore extends AsyncDisposable {
  readonly ctx: HandlerContext;
  readonly router: Router;
  /** Add a transport's own teardown (server, IPC handlers); it stops before the core does. */
  readonly store: DisposableStore;
  /** Owns the library database (`openLibrary(core.libraryStore, …)`); it closes after the jobs and watchers that use it. */
  readonly libraryStore: DisposableStore;
  /** Plug the library in; it may open after the core (Electron first asks about a damaged database). */
  attachLibrary(library: LibraryAttachment): void;
  /** Folders given at launch: added to the library when there is one, otherwise only allowed. */
  addLaunchFolders(folders: readonly string[]): Promise<void>;
  dispose(): Promise<void>;
}

/** Build the app core once. Nothing is started that `dispose()` does not stop. */
export function composeApp(options: AppCoreOptions): AppCore {
  const { validateResponses = false, log, ...contextOptions } = options;
  const store = new DisposableStore(log);
  const ctx = createContext(contextOptions);
  const router = new Router(ctx, HANDLERS, { validateResponses, ...(log ? { log } : {}) });
  const libraryStore = new DisposableStore(log);

  // registered in start-up order; dispose runs them backwards: jobs → watchers → database
  store.add('library', libraryStore);
  store.add('library watchers', () => Promise.all([...ctx.watches.values()].map((w) => w.close())));
  store.add('jobs', () => ctx.jobs.dispose());

  return {
    ctx,
    router,
    store,
    libraryStore,
    attachLibrary(library) {
      if (ctx.catalogue !== undefined) throw new Error('the library is already attached');
      if (library.close) libraryStore.add('library database', library.close);
      attachCatalogue(ctx, library.port, { watch: library.watch });
      if (library.reindex) startReindex(ctx, undefined);
    },
    async addLaunchFolders(folders) {
      // one folder that cannot be added (missing, unreadable, nested in another root) never stops the others
      const failures: unknown[] = [];
      for (const folder of folders) {
        try {
          if (ctx.catalogue) await addRootAt(ctx, folder);
          else ctx.access.allowRoot(folder);
        } catch (e) {
          failures.push(e);
        }
      }
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, `${failures.length} folders could not be added`);
    },
    dispose: () => store.dispose(),
    [Symbol.asyncDispose]: () => store.dispose(),
  };
}
