/** The real catalogue (main/index) behind the handlers' `CataloguePort`: record mapping, no paths to the page. */
import { IfcbError } from '../../shared/errors.ts';
import type { CatalogueBin, Root } from '../../shared/ipc/contract.ts';
import { isDemoLibrary } from '../demo/demo-library.ts';
import { readCalibrations, writeCalibration } from '../index/calibration-store.ts';
import type { Catalogue } from '../index/catalogue.ts';
import { withDbErrors } from '../index/database.ts';
import { getBin, getBinCopies, getRoot, listBins, listProblems, neighbours, timeSeries } from '../index/queries.ts';
import { QC_FLAG_NAMES, type BinRecord, type QcFlag, type RootRecord } from '../index/types.ts';
import { classBuckets } from '../products/class-counts.ts';
import { refreshProductsAfterIndex } from '../products/product-store.ts';
import { watchResultsFolders } from '../products/results-watch.ts';
import { classesServices } from './classes-services.ts';
import type { CataloguePort } from './ports.ts';

/** Catalogue record → contract record (drops the path; keeps the folder relative to its root). */
export function toCatalogueBin(r: BinRecord): CatalogueBin {
  return {
    id: r.id,
    schema: r.schema,
    instrument: r.instrument,
    timestamp: r.timestamp,
    epochMs: r.epochMs,
    rootId: r.rootId,
    folder: r.folder,
    adcRows: r.adcRows,
    triggers: r.triggers,
    imageCount: r.images,
    hasRoiFile: r.hasRoiFile,
    runTime: r.runTime,
    inhibitTime: r.inhibitTime,
    lookTime: r.lookTime,
    mlAnalyzed: r.mlAnalyzed,
    temperature: r.temperature,
    humidity: r.humidity,
    qc: [...r.qc],
    errorCode: r.errorCode,
  };
}

/** Root record → contract record (the demo library flagged). */
export function toRoot(r: RootRecord): Root {
  return {
    id: r.rootId,
    path: r.path,
    binCount: r.binCount,
    state: r.state,
    indexedAt: r.scanCompletedAt,
    problemCount: r.problemCount,
    ...(isDemoLibrary(r.path) ? { demo: true as const } : {}),
  };
}

function qcFilter(qc: string | undefined): QcFlag | 'ok' | undefined {
  if (qc === undefined || qc === 'ok') return qc;
  if ((QC_FLAG_NAMES as readonly string[]).includes(qc)) return qc as QcFlag;
  throw new IfcbError('INVALID_ARGUMENT', `Unknown quality flag "${qc}"; use one of ${QC_FLAG_NAMES.join(', ')} or ok.`, { qc });
}

/** How long a page request waits for another process's lock on the library before answering DB_LOCKED. */
export const REQUEST_BUSY_TIMEOUT_MS = 200;

/**
 * Run the page's requests against the library so that a database locked by another process answers fast: each
 * waits at most REQUEST_BUSY_TIMEOUT_MS, while the connection's own longer timeout stays for indexing (a
 * locked database stalled every request 3 s per call). SQLite failures become IfcbErrors (DB_LOCKED, …).
 */
function requestGuard(catalogue: { db: Catalogue['db']; path: string }): <T>(fn: () => T) => T {
  const db = catalogue.db;
  return (fn) => {
    // better-sqlite3 is synchronous: nothing else runs on this connection until the timeout is restored
    const previous = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma(`busy_timeout = ${REQUEST_BUSY_TIMEOUT_MS}`);
    try {
      return withDbErrors(catalogue.path, fn);
    } finally {
      db.pragma(`busy_timeout = ${previous}`);
    }
  };
}

/** Wrap an open catalogue. */
export function cataloguePort(catalogue: Catalogue): CataloguePort {
  const db = catalogue.reader;
  const guard = requestGuard(catalogue);
  const port: CataloguePort = {
    classes: classesServices(catalogue.db),
    listBins(filter, page) {
      return guard(() => {
        const { qc: qcName, ...rest } = filter;
        const qc = qcFilter(qcName);
        const result = listBins(
          db,
          { ...rest, ...(qc === undefined ? {} : { qc }) },
          { limit: page.limit, order: page.order, ...(page.after === undefined ? {} : { after: page.after }) },
        );
        return { bins: result.bins.map(toCatalogueBin), ...(result.next === undefined ? {} : { next: result.next }) };
      });
    },
    timeSeries(request) {
      return guard(() => {
        const series = timeSeries(db, request);
        const ofClass = request.class === undefined ? undefined : classBuckets(db, request.class, series, request);
        return {
          bucket: series.bucket,
          from: series.from,
          to: series.to,
          points: series.points.map((p) => ({
            start: p.start,
            epochMs: p.epochMs,
            ...(p.id === undefined ? {} : { id: p.id }),
            bins: p.bins,
            images: p.images,
            mlAnalyzed: p.mlAnalyzed,
            concentration: p.concentration,
            ...(ofClass ? { class: ofClass(p.id ?? p.epochMs) } : {}),
          })),
        };
      });
    },
    neighbours(binId) {
      return guard(() => {
        const n = neighbours(db, binId);
        return { ...(n.previous ? { previous: n.previous.id } : {}), ...(n.next ? { next: n.next.id } : {}) };
      });
    },
    getBin(binId) {
      return guard(() => {
        const r = getBin(db, binId);
        if (!r) return undefined;
        const duplicates = getBinCopies(db, binId)
          .filter((copy) => copy.key !== r.key)
          .map((copy) => ({ rootId: copy.rootId, folder: copy.folder, path: copy.path, qc: [...copy.qc] }));
        return { ...toCatalogueBin(r), duplicates };
      });
    },
    pathOfBin(binId) {
      return guard(() => {
        return catalogue.pathOfBin(binId)?.base;
      });
    },
    listRoots() {
      return guard(() => {
        return catalogue.listRoots().map(toRoot);
      });
    },
    getRoot(rootId) {
      return guard(() => {
        const r = getRoot(db, rootId);
        return r ? toRoot(r) : undefined;
      });
    },
    listProblems(rootId, limit) {
      return guard(() => {
        const all = listProblems(db, rootId === undefined ? undefined : [rootId]);
        return { problems: all.slice(0, limit), total: all.length };
      });
    },
    addRoot(path) {
      return guard(() => {
        return toRoot(catalogue.addRoot(path));
      });
    },
    removeRoot(rootId) {
      guard(() => {
        catalogue.removeRoot(rootId);
      });
    },
    watch(rootId, onChange) {
      // a failed change (chokidar error, database error) is logged; the watch goes on
      const handle = catalogue.watch(rootId, () => onChange(), { onError: (e) => console.error('[ifcb] watch of root', rootId, e) });
      let results: ReturnType<typeof watchResultsFolders>;
      try {
        results = watchResultsFolders(catalogue.db, rootId, onChange, (e) => console.error('[ifcb] watch of results folders of root', rootId, e));
      } catch (e) {
        void handle.close();
        throw e;
      }
      return {
        close: async () => void (await Promise.all([handle.close(), results.close()])),
        ready: Promise.all([handle.ready, results.ready]).then(() => undefined),
      };
    },
    calibrations: {
      read: () => guard(() => readCalibrations(db)),
      write: (instrument, pxPerUm) => guard(() => writeCalibration(catalogue.db, instrument, pxPerUm)),
    },
    async index(rootIds, { onProgress, signal }) {
      const summary = await catalogue.index(rootIds, {
        signal,
        onProgress: (p) => onProgress(p.indexed + p.unchanged, p.found, p.phase),
      });
      if (summary.cancelled) throw new IfcbError('CANCELLED', 'Indexing was cancelled.');
      refreshProductsAfterIndex(catalogue.db, rootIds);
      return `${summary.found} bins found: ${summary.added} added, ${summary.updated} updated, ${summary.removed} removed, ${summary.unreadable} unreadable, ${summary.problems} files skipped`;
    },
  };
  return port;
}
