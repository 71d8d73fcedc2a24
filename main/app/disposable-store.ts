/**
 * One owner for everything the app starts (in the manner of VS Code's DisposableStore): each part registers how
 * it stops as it is started, and `dispose()` stops them in reverse order — the last started (the server, the
 * jobs) before what they use (watchers, the database). A failing part is logged and does not keep the rest
 * open. Disposing twice is a no-op; adding to a disposed store disposes the newcomer at once.
 */
export type Teardown = (() => unknown) | Disposable | AsyncDisposable;

function run(teardown: Teardown): unknown {
  if (typeof teardown === 'function') return teardown();
  if (Symbol.asyncDispose in teardown) return teardown[Symbol.asyncDispose]();
  return teardown[Symbol.dispose]();
}

export class DisposableStore implements AsyncDisposable {
  private readonly parts: { name: string; teardown: Teardown }[] = [];
  private disposing: Promise<void> | null = null;

  constructor(private readonly log: (message: string, error: unknown) => void = (m, e) => console.error(m, e)) {}

  /** Register how one part stops; `name` appears in the log if stopping it fails. */
  add(name: string, teardown: Teardown): void {
    if (this.disposing) {
      void Promise.resolve()
        .then(() => run(teardown))
        .catch((e: unknown) => this.log(`[ifcb] could not stop ${name}`, e));
      return;
    }
    this.parts.push({ name, teardown });
  }

  get disposed(): boolean {
    return this.disposing !== null;
  }

  /** Stop every part, last added first; resolves when all have stopped (or failed to). */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      for (const { name, teardown } of this.parts.splice(0).reverse()) {
        try {
          await run(teardown);
        } catch (e) {
          this.log(`[ifcb] could not stop ${name}`, e);
        }
      }
    })();
    return this.disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
