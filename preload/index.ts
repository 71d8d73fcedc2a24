/**
 * The preload (sandboxed, bundled to one small CJS file by esbuild, so it imports no zod): exposes `window.ifcb`
 * — an `ipcRenderer.invoke` transport for request channels, the event subscription and `pathForFile` — and
 * nothing else; the renderer builds the typed `IfcbApi` over it from the contract. The raw `ipcRenderer`, the
 * IPC event object and every Electron module stay here (checklist 3, 20). Main registers handlers only for the
 * contract's channels and validates every request and sender; this file only forwards them.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { DROPPED_PATHS_CHANNEL, EVENT_CHANNEL, isRequestChannelName } from '../shared/ipc/api.ts';
import type { PreloadBridge } from '../shared/ipc/api.ts';
import type { Result } from '../shared/ipc/result.ts';

const listeners = new Set<(event: unknown) => void>();

// the Electron event object never reaches the page, only the payload
ipcRenderer.on(EVENT_CHANNEL, (_event, payload: unknown) => {
  for (const listener of [...listeners]) listener(payload);
});

// Main cannot tell a real drop from a page that invents paths, so the preload vouches for them: only paths that
// webUtils gave for real File objects (dropped or picked by the user) may be sent on the dropped-paths channel.
const droppedPaths = new Set<string>();

function vouchedDrop(request: unknown): { paths: string[] } {
  const paths = (request as { paths?: unknown } | null)?.paths;
  return { paths: Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string' && droppedPaths.has(p)) : [] };
}

const bridge: PreloadBridge = {
  invoke(channel, request): Promise<Result<unknown>> {
    if (!isRequestChannelName(channel)) return Promise.resolve({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Unknown request channel.' } });
    const args = channel === DROPPED_PATHS_CHANNEL ? vouchedDrop(request) : request;
    // an unknown channel has no handler in main: answer an envelope, never a rejection
    return (ipcRenderer.invoke(channel, args) as Promise<Result<unknown>>).catch(() => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Unknown request channel.' } }));
  },
  onEvent(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  pathForFile(file) {
    const p = webUtils.getPathForFile(file as File);
    if (p !== '') droppedPaths.add(p);
    return p;
  },
};

contextBridge.exposeInMainWorld('ifcb', bridge);
