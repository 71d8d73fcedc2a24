/**
 * The renderer's only way to reach the main process. In Electron the preload exposes `window.ifcb`; in a
 * browser served by the loopback bridge the same `IfcbApi` is built over fetch. Either way the UI has one
 * code path. Results are envelopes: use `unwrap()` for exceptions and `decodeRoiImages()` for image payloads.
 */
import { createIfcbApi } from '../../shared/ipc/contract.ts';
import type { IfcbApi } from '../../shared/ipc/contract.ts';
import { createHttpTransport, locateBridge } from './http-transport.ts';

export type { IfcbApi } from '../../shared/ipc/contract.ts';
export { unwrap, isOk } from '../../shared/ipc/result.ts';
export type { Result } from '../../shared/ipc/result.ts';
export { decodeRoiImages } from '../../shared/ipc/roi-images.ts';
export type { DecodedRoiImage } from '../../shared/ipc/roi-images.ts';
export { createHttpTransport, locateBridge } from './http-transport.ts';

declare global {
  interface Window {
    /** Filled in by preload/index.ts when running inside Electron. */
    ifcb?: IfcbApi;
  }
}

let cached: IfcbApi | undefined;

/** `window.ifcb` under Electron, else a fetch client of the bridge this page was served by. */
export function getIfcbApi(): IfcbApi {
  if (cached) return cached;
  if (window.ifcb) {
    cached = window.ifcb;
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
