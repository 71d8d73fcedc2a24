/** Waiting for a condition in tests, instead of sleeping a fixed time and hoping it happened. */

/** Poll `fn` (sync or async) until it returns a truthy value and return it; fail after `timeoutMs` naming `what`. */
export async function waitFor<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'a condition'): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
