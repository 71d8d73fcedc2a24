/**
 * The preload (sandboxed, bundled to one CJS file by esbuild): exposes `window.ifcb` — the `IfcbApi` over
 * `ipcRenderer.invoke`, for the API's channels only — and nothing else. The raw `ipcRenderer`, the IPC event
 * object and every Electron module stay here (checklist 3, 20). Main validates requests and events; this file
 * only forwards them.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_CHANNEL, createIfcbApi, isApiChannel } from '../shared/ipc/api.ts';
import type { IfcbTransport } from '../shared/ipc/api.ts';
import type { IfcbEvent, IfcbEventListener } from '../shared/ipc/contract.ts';
import type { Result } from '../shared/ipc/result.ts';

const listeners = new Set<IfcbEventListener>();

// the Electron event object never reaches the page, only the payload
ipcRenderer.on(EVENT_CHANNEL, (_event, payload: IfcbEvent) => {
  for (const listener of [...listeners]) listener(payload);
});

const transport: IfcbTransport = {
  invoke(channel, request): Promise<Result<unknown>> {
    if (!isApiChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Unknown request channel.' } });
    return ipcRenderer.invoke(channel, request) as Promise<Result<unknown>>;
  },
  onEvent(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

// Main cannot tell a real drop from a page that invents paths, so the preload vouches for them: only paths that
// webUtils gave for real File objects (dropped or picked by the user) may be sent on `bin:open-dropped`.
const droppedPaths = new Set<string>();
const api = createIfcbApi(transport);

contextBridge.exposeInMainWorld('ifcb', {
  ...api,
  pathForFile: (file: File) => {
    const p = webUtils.getPathForFile(file);
    if (p !== '') droppedPaths.add(p);
    return p;
  },
  openDropped: (request: { paths: string[] }) => {
    const paths = Array.isArray(request?.paths) ? request.paths.filter((p) => typeof p === 'string' && droppedPaths.has(p)) : [];
    return api.openDropped({ paths });
  },
});
