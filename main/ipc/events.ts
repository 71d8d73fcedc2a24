/**
 * The main → renderer event stream. Handlers and the shell emit; each transport subscribes once (Electron
 * forwards to the window, the bridge to its SSE clients). Events are validated on the way out so a malformed
 * event is a bug caught in main, not a surprise in the page.
 */
import { ifcbEventSchema } from '../../shared/ipc/contract.ts';
import type { IfcbEvent, IfcbEventListener } from '../../shared/ipc/contract.ts';

export class EventHub {
  private readonly listeners = new Set<IfcbEventListener>();

  /** Deliver to every subscriber; a throwing subscriber does not stop the others. */
  emit(event: IfcbEvent): void {
    const parsed = ifcbEventSchema.parse(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(parsed);
      } catch (e) {
        console.error('[ifcb] event listener failed', e);
      }
    }
  }

  /** Subscribe; dispose the result (or call it) to unsubscribe. */
  subscribe(listener: IfcbEventListener): Disposable & (() => void) {
    this.listeners.add(listener);
    const off = () => {
      this.listeners.delete(listener);
    };
    return Object.assign(off, { [Symbol.dispose]: off });
  }

  get size(): number {
    return this.listeners.size;
  }
}
