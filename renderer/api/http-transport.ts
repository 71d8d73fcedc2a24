/**
 * The fetch transport of `IfcbApi`, for pages served by the loopback bridge (main/http-bridge). The page
 * lives under `/t/<token>/`; every request carries the token in its path and in the `x-ifcb-token` header.
 * Requests are JSON; `bin:roi-images` answers `application/octet-stream` (the shared binary payload), everything
 * else a JSON `Result`. Events arrive over Server-Sent Events at `/t/<token>/events`.
 */
import { ifcbEventSchema } from '../../shared/ipc/contract.ts';
import type { IfcbTransport } from '../../shared/ipc/api.ts';
import type { IfcbEvent, IfcbEventListener } from '../../shared/ipc/contract.ts';
import { err, errorInfoSchema, ok } from '../../shared/ipc/result.ts';
import type { Result } from '../../shared/ipc/result.ts';

/** The header the bridge checks (besides the path prefix). */
export const TOKEN_HEADER = 'x-ifcb-token';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Where the bridge is and the token it requires. */
export interface BridgeLocation {
  /** Absolute base URL ending in `/t/<token>/`. */
  base: string;
  token: string;
}

/** Find the bridge from the page: the `/t/<token>/` path prefix, else `<meta name="ifcb-token">`. */
export function locateBridge(location: { origin: string; pathname: string }, doc?: { querySelector(s: string): { getAttribute(n: string): string | null } | null }): BridgeLocation | null {
  const fromPath = /^\/t\/([A-Za-z0-9_-]+)\//.exec(location.pathname)?.[1];
  const fromMeta = doc?.querySelector('meta[name="ifcb-token"]')?.getAttribute('content') ?? undefined;
  const token = fromPath ?? fromMeta;
  if (token === undefined || !TOKEN_PATTERN.test(token)) return null;
  return { base: `${location.origin}/t/${token}/`, token };
}

function isResultShape(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const v = value as { ok: unknown; value?: unknown; error?: unknown };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && errorInfoSchema.safeParse(v.error).success;
}

/** A transport over fetch + EventSource (`fetchImpl`/`eventSourceImpl` injectable for tests under Node). */
export function createHttpTransport(
  bridge: BridgeLocation,
  fetchImpl: typeof fetch = fetch,
  eventSourceImpl: (new (url: string) => EventSource) | undefined = typeof EventSource === 'undefined' ? undefined : EventSource,
): IfcbTransport<IfcbEvent> {
  const listeners = new Set<IfcbEventListener>();
  let source: EventSource | null = null;

  async function invoke(channel: string, request: unknown): Promise<Result<unknown>> {
    let response: Response;
    try {
      response = await fetchImpl(`${bridge.base}api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token },
        body: JSON.stringify(request ?? {}),
        cache: 'no-store',
      });
    } catch {
      return err('NOT_AVAILABLE', 'Lost the connection to the viewer server. Is `npm start` still running?');
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && type.startsWith('application/octet-stream')) {
      return ok(new Uint8Array(await response.arrayBuffer()));
    }
    if (type.startsWith('application/json')) {
      const body: unknown = await response.json().catch(() => undefined);
      if (isResultShape(body)) return body;
    }
    if (response.status === 401) return err('NOT_AVAILABLE', 'The viewer server refused this page (wrong or missing token); reopen the URL it printed.');
    return err('INTERNAL', `Unexpected answer from the viewer server (HTTP ${response.status}).`);
  }

  function onEvent(listener: IfcbEventListener): () => void {
    listeners.add(listener);
    if (source === null && eventSourceImpl !== undefined) {
      source = new eventSourceImpl(`${bridge.base}events`);
      source.onmessage = (message: MessageEvent<string>) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        const parsed = ifcbEventSchema.safeParse(data);
        if (!parsed.success) return;
        for (const l of [...listeners]) l(parsed.data);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source !== null) {
        source.close();
        source = null;
      }
    };
  }

  return { invoke, onEvent };
}
