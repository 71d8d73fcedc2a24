/**
 * Everything a handler may touch, passed explicitly (no globals): the allow-list, the bin cache, the event
 * hub, the job registry, and the optional services. Both transports build one with `createContext`.
 */
import { AccessList, type AccessListOptions } from '../access/allow-list.ts';
import { MAX_IMAGE_PAYLOAD_BYTES, type OpenedBin, type RejectedPath } from '../../shared/ipc/contract.ts';
import { BinCache, type BinCacheOptions } from './bin-cache.ts';
import { ByteBudget } from './byte-budget.ts';
import { CalibrationTable } from './calibration.ts';
import { EventHub } from './events.ts';
import { JobRegistry } from './jobs.ts';
import type { CataloguePort, DesktopPort, DialogPort, ExportDestinationKind, ExportRunner } from './ports.ts';

export interface AppIdentity {
  name: string;
  version: string;
  transport: 'electron' | 'http';
  platform: string;
}

export interface HandlerContext {
  readonly app: AppIdentity;
  readonly access: AccessList;
  readonly bins: BinCache;
  readonly events: EventHub;
  readonly jobs: JobRegistry;
  /** Image bytes being built or sent, across every request (bounded). */
  readonly imageBytes: ByteBudget;
  /** Each instrument's pixels per micrometre (in the library database once one is attached). */
  readonly calibration: CalibrationTable;
  /** Absent until/unless the library database is open. */
  catalogue: CataloguePort | undefined;
  readonly dialogs: DialogPort | undefined;
  readonly exporter: ExportRunner | undefined;
  readonly desktop: DesktopPort | undefined;
  /** Where finished exports went, by job id (for "Show in folder"; the page never holds the path). */
  readonly finishedExports: Map<string, string>;
  /** The bridge accepts typed paths in `dialog:*` requests (tests/dev only; never in Electron). */
  readonly pathInput: boolean;
  /** Bins the OS opened before the page said it was ready. */
  readonly pending: OpenedBin[];
  /** Launch paths that could not be opened, kept for the page until it is ready (`app:ready`). */
  readonly pendingRejected: RejectedPath[];
  /** Export destinations chosen in a dialog, by id (the renderer never sends the path back). */
  readonly destinations: Map<string, { path: string; kind: ExportDestinationKind }>;
  /** Set by `app:ready`; until then OS opens are queued in `pending`. */
  pageReady: boolean;
  /** Live watches of library roots (when the catalogue is attached with `watch: true`). */
  readonly watches: Map<number, { close(): Promise<void>; ready: Promise<void> }>;
  watchRoots: boolean;
}

export interface ContextOptions {
  app: AppIdentity;
  catalogue?: CataloguePort;
  dialogs?: DialogPort;
  exporter?: ExportRunner;
  desktop?: DesktopPort;
  pathInput?: boolean;
  access?: AccessListOptions;
  binCache?: BinCacheOptions;
  /** Extra folders to allow from the start (e.g. a folder given on the command line). */
  roots?: string[];
  /** Default MAX_IMAGE_BYTES_IN_FLIGHT. */
  maxImageBytesInFlight?: number;
}

/** Image payload bytes all requests together may hold: four of the largest single payloads. */
export const MAX_IMAGE_BYTES_IN_FLIGHT = 4 * MAX_IMAGE_PAYLOAD_BYTES;

/** Build a context; catalogue roots join the allow-list and the catalogue resolves unknown ids. */
export function createContext(options: ContextOptions): HandlerContext {
  const access = new AccessList(options.access);
  const bins = new BinCache(access, options.binCache);
  const events = new EventHub();
  const ctx: HandlerContext = {
    app: options.app,
    access,
    bins,
    events,
    jobs: new JobRegistry(events),
    imageBytes: new ByteBudget(options.maxImageBytesInFlight ?? MAX_IMAGE_BYTES_IN_FLIGHT),
    calibration: new CalibrationTable(),
    catalogue: undefined,
    dialogs: options.dialogs,
    exporter: options.exporter,
    desktop: options.desktop,
    finishedExports: new Map(),
    pathInput: options.pathInput ?? false,
    pending: [],
    pendingRejected: [],
    destinations: new Map(),
    pageReady: false,
    watches: new Map(),
    watchRoots: false,
  };
  for (const root of options.roots ?? []) access.allowRoot(root);
  if (options.catalogue) attachCatalogue(ctx, options.catalogue);
  return ctx;
}

/**
 * Plug the catalogue in (it may open after the window): its roots become allowed, its bins resolvable.
 * With `watch`, every root is followed live and changes reach the page as (throttled) `catalogue-changed` events.
 */
export function attachCatalogue(ctx: HandlerContext, catalogue: CataloguePort, options: { watch?: boolean } = {}): void {
  ctx.catalogue = catalogue;
  if (catalogue.calibrations) ctx.calibration.attach(catalogue.calibrations);
  ctx.watchRoots = options.watch === true && catalogue.watch !== undefined;
  for (const root of catalogue.listRoots()) {
    try {
      ctx.access.allowRoot(root.path);
    } catch {
      // a root folder that disappeared (unplugged disk) simply contributes nothing until it is back
      continue;
    }
    watchRoot(ctx, root.id);
  }
  ctx.bins.resolver = (id) => catalogue.pathOfBin(id);
  ctx.events.emit({ type: 'catalogue-changed' });
}

/** Bursts of file changes (an instrument writing a bin) become one event per root per this many ms. */
const CHANGE_EVENT_INTERVAL_MS = 500;

/** Follow one root live (no-op unless the catalogue was attached with `watch`). */
export function watchRoot(ctx: HandlerContext, rootId: number): void {
  const catalogue = ctx.catalogue;
  if (!ctx.watchRoots || !catalogue?.watch || ctx.watches.has(rootId)) return;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const handle = catalogue.watch(rootId, () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      ctx.events.emit({ type: 'catalogue-changed', rootId });
    }, CHANGE_EVENT_INTERVAL_MS);
    timer.unref();
  });
  ctx.watches.set(rootId, {
    ready: handle.ready,
    close: async () => {
      if (timer !== null) clearTimeout(timer);
      ctx.watches.delete(rootId);
      await handle.close();
    },
  });
}

/** Stop following a root (removed from the library). */
export async function unwatchRoot(ctx: HandlerContext, rootId: number): Promise<void> {
  await ctx.watches.get(rootId)?.close();
}
