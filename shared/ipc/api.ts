/**
 * The runtime half of the API that every transport's client needs: the push channel name, the method → channel
 * table and `createIfcbApi`. Deliberately free of zod (types only from the contract), so the sandboxed preload
 * bundle stays small. Environment-free.
 */
import type { Channel, IfcbApi, IfcbEventListener } from './contract.ts';
import type { Result } from './result.ts';

/** The one push channel (main → renderer events); not a request channel. */
export const EVENT_CHANNEL = 'app:event';

/** Which channel each method calls (one table, used by every transport's client). */
export const API_METHODS = {
  getAppInfo: 'app:get-info',
  ready: 'app:ready',
  openPath: 'bin:open-path',
  openDropped: 'bin:open-dropped',
  getBinMetadata: 'bin:metadata',
  getRoiImages: 'bin:roi-images',
  listBins: 'bins:list',
  getTimeSeries: 'bins:time-series',
  getNeighbours: 'bins:neighbours',
  getCatalogueBin: 'bins:get',
  listRoots: 'roots:list',
  addRoot: 'roots:add',
  removeRoot: 'roots:remove',
  reindex: 'roots:reindex',
  showOpenBinDialog: 'dialog:open-bin',
  showAddFolderDialog: 'dialog:add-folder',
  chooseExportDestination: 'dialog:export-destination',
  startExport: 'export:start',
  cancelExport: 'export:cancel',
  revealExport: 'export:reveal',
  getBinClasses: 'bin:classes',
  getRoiScores: 'bin:roi-scores',
  getBlobMask: 'bin:blob-mask',
  setLabels: 'labels:set',
  undoLabels: 'labels:undo',
  redoLabels: 'labels:redo',
  listClasses: 'classes:list',
  showAddResultsFolderDialog: 'dialog:add-results-folder',
} as const satisfies { [M in Exclude<keyof IfcbApi, 'onEvent' | 'pathForFile'>]: Channel };

// Compile-time: every contract channel has a method (a new channel without one fails to type-check here).
type Unmapped = Exclude<Channel, (typeof API_METHODS)[keyof typeof API_METHODS]>;
const everyChannelMapped: [Unmapped] extends [never] ? true : Unmapped = true;
void everyChannelMapped;

const API_CHANNELS: ReadonlySet<string> = new Set(Object.values(API_METHODS));

/** True for the request channels of the API (what a preload may forward). */
export function isApiChannel(name: unknown): name is Channel {
  return typeof name === 'string' && API_CHANNELS.has(name);
}

/** A transport: send one request, receive its envelope; subscribe to events. */
export interface IfcbTransport {
  invoke(channel: Channel, request: unknown): Promise<Result<unknown>>;
  onEvent(listener: IfcbEventListener): () => void;
}

/** Build the typed API over a transport (the preload and the fetch client both use this). */
export function createIfcbApi(transport: IfcbTransport): IfcbApi {
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(API_METHODS)) {
    api[method] = (request?: unknown) => transport.invoke(channel, request ?? {});
  }
  api['onEvent'] = (listener: IfcbEventListener) => transport.onEvent(listener);
  return Object.freeze(api) as unknown as IfcbApi;
}
