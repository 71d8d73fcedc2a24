/**
 * The renderer's only way to reach the main process. In Electron the `IfcbApi` is built over the preload's IPC
 * transport (`window.ifcb`); in a browser served by the loopback bridge, over fetch. Either way the UI has one
 * code path. Results are envelopes: use `unwrap()` for exceptions and `decodeRoiImages()` for image payloads.
 */
import type { PreloadBridge } from '../../shared/ipc/api.ts';
import { createIfcbApi } from '../../shared/ipc/contract.ts';
import type { IfcbApi, IfcbEvent } from '../../shared/ipc/contract.ts';
import { createHttpTransport, locateBridge } from './http-transport.ts';

export type { IfcbApi } from '../../shared/ipc/contract.ts';
export { unwrap, isOk } from '../../shared/ipc/result.ts';
export type { Result } from '../../shared/ipc/result.ts';
export { decodeRoiImages } from '../../shared/ipc/roi-images.ts';
export type { DecodedRoiImage } from '../../shared/ipc/roi-images.ts';
export { createHttpTransport, locateBridge } from './http-transport.ts';

declare global {
  interface Window {
    /** Filled in by preload/index.ts when running inside Electron: its IPC transport. */
    ifcb?: PreloadBridge<IfcbEvent>;
  }
}

let cached: IfcbApi | undefined;

/** The API over the preload's IPC under Electron, else a fetch client of the bridge this page was served by. */
export function getIfcbApi(): IfcbApi {
  if (cached) return cached;
  const preload = window.ifcb;
  if (preload) {
    cached = createIfcbApi(preload, (file) => preload.pathForFile(file));
    return cached;
  }
  const bridge = locateBridge(window.location, document);
  if (!bridge) {
    throw new Error('IFCB Viewer: no preload API and no bridge token in this page (open the URL that `npm start` printed).');
  }
  cached = createIfcbApi(createHttpTransport(bridge));
  return cached;
}

/** Replace the API (tests and storybook-like harnesses); pass undefined to reset. */
export function setIfcbApiForTesting(api: IfcbApi | undefined): void {
  cached = api;
}
