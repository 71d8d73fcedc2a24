/**
 * `[` / `]`: step to the previous / next bin in time, where every press counts. Presses that arrive while a
 * step is still being looked up are queued as a signed count (`]` +1, `[` −1, so they cancel each other),
 * and the walk continues from the bin the last step reached, not from the bin on screen. Only the bin where
 * the walk stops is opened: five quick presses open one bin, five bins further on, not five bins in turn.
 * No DOM and no React: the lookups are injected, so Node tests drive it with fake ones.
 */

export type StepDirection = 'previous' | 'next';

export interface BinStepDeps {
  /** The neighbour of `binId` in time; `undefined` at either end of the catalogue or when the lookup failed. */
  neighbour(binId: string, direction: StepDirection): Promise<string | undefined>;
  /** Open the bin the walk stopped at. */
  open(binId: string): void;
}

export class BinStepQueue {
  /** Steps not yet taken: positive forward in time, negative backward. */
  private pending = 0;
  private walking = false;

  constructor(private readonly deps: BinStepDeps) {}

  /** Steps still queued. */
  get queued(): number {
    return this.pending;
  }

  /** A press of `[` or `]` while `fromBinId` is the bin on screen (ignored while a walk is running: it continues). */
  press(fromBinId: string, direction: StepDirection): void {
    this.pending += direction === 'next' ? 1 : -1;
    if (this.walking) return;
    this.walking = true;
    void this.walk(fromBinId);
  }

  private async walk(start: string): Promise<void> {
    let at = start;
    try {
      while (this.pending !== 0) {
        const direction: StepDirection = this.pending > 0 ? 'next' : 'previous';
        const found = await this.deps.neighbour(at, direction).catch(() => undefined);
        // The end of the catalogue (or a failed lookup): presses beyond it do nothing; stop where the walk is.
        if (found === undefined) break;
        this.pending += direction === 'next' ? -1 : 1;
        at = found;
      }
      if (at !== start) this.deps.open(at);
    } finally {
      this.walking = false;
      this.pending = 0;
    }
  }
}
