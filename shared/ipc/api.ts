/**
 * The zod-free half of the API, for the sandboxed preload (whose bundle must stay small, so it cannot import
 * the contract's schemas): the push channel name, the shape of a transport, and what the preload exposes as
 * `window.ifcb`. The typed `IfcbApi` is built over any transport by `createIfcbApi` in contract.ts, from the
 * contract table itself. This file imports nothing from contract.ts (no cycle). Environment-free.
 */
import type { Result } from './result.ts';

/** The one push channel (main → renderer events); not a request channel. */
export const EVENT_CHANNEL = 'app:event';

/**
 * The channel whose paths the preload vouches for (only paths webUtils gave for real dropped/picked files may
 * be sent on it); contract.ts checks at compile time that it names a contract channel.
 */
export const DROPPED_PATHS_CHANNEL = 'bin:open-dropped';

const CHANNEL_NAME = /^[a-z]+:[a-z]+(?:-[a-z]+)*$/;

/** True for a string shaped like a request channel name (`noun:verb-phrase`), never the push channel. */
export function isRequestChannelName(name: unknown): name is string {
  return typeof name === 'string' && name !== EVENT_CHANNEL && name.length <= 64 && CHANNEL_NAME.test(name);
}

/** A transport: send one request, receive its envelope (never rejects); subscribe to events. */
export interface IfcbTransport<Event = unknown> {
  invoke(channel: string, request: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: Event) => void): () => void;
}

/** What the Electron preload exposes as `window.ifcb`: its IPC transport, plus the path of a dropped `File`. */
export interface PreloadBridge<Event = unknown> extends IfcbTransport<Event> {
  pathForFile(file: Blob): string;
}
