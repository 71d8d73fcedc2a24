/**
 * The shell's start-up order as a small state holder, so the rules are tested under Node: no window before the
 * app is running (context composed, library decided — its recovery dialog answered — and IPC registered), none
 * while quitting, and a `closed` event forgets the window only if it is the one we hold (a late event from an
 * older window must not orphan the new one). macOS `activate` and OS opens ask `needsWindow()`.
 */
export type ShellPhase = 'starting' | 'running' | 'quitting';

export class MainWindowSlot<W> {
  private current: W | null = null;
  private state: ShellPhase = 'starting';

  get phase(): ShellPhase {
    return this.state;
  }

  get window(): W | null {
    return this.current;
  }

  /** Everything a window talks to exists now. */
  markRunning(): void {
    if (this.state === 'starting') this.state = 'running';
  }

  markQuitting(): void {
    this.state = 'quitting';
  }

  /** Whether a window should be created now (none held, app running). */
  needsWindow(): boolean {
    return this.state === 'running' && this.current === null;
  }

  /** Hold a newly created window. */
  hold(win: W): void {
    this.current = win;
  }

  /** A window closed; true when it was ours (and is now forgotten). */
  release(win: W): boolean {
    if (this.current !== win) return false;
    this.current = null;
    return true;
  }
}
