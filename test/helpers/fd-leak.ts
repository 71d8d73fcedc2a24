/**
 * File-descriptor leak checks (Linux /proc/self/fd). Reader tests wrap every path, including
 * error paths, so an fd left open by a missing try/finally fails a test instead of a user's session.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import assert from 'node:assert/strict';

/** Open fds of this process, fd number → what it points at. */
export function openFds(): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      out.set(Number(name), readlinkSync(`/proc/self/fd/${name}`));
    } catch {
      // the fd used by readdirSync itself is gone by the time we readlink it
    }
  }
  return out;
}

/** Number of open fds of this process. */
export function openFdCount(): number {
  return openFds().size;
}

/** Open fds whose target path starts with `prefix` (e.g. a temp dir or the sample data root). */
export function openFdsUnder(prefix: string): string[] {
  return [...openFds().values()].filter((p) => p.startsWith(prefix));
}

function leaked(before: Map<number, string>): string[] {
  const after = openFds();
  const out: string[] = [];
  for (const [fd, target] of after) {
    // only regular files count: the test runner's pipes/sockets/eventfds come and go on their own
    if (!target.startsWith('/')) continue;
    if (before.get(fd) !== target) out.push(`fd ${fd} → ${target}`);
  }
  return out;
}

/**
 * Run `fn` and assert that no file fd it opened is still open afterwards, whether it returned or threw.
 * Returns fn's result; rethrows its error (after the check).
 */
export function assertNoFdLeak<T>(fn: () => T): T {
  const before = openFds();
  let result: T;
  try {
    result = fn();
  } finally {
    const extra = leaked(before);
    assert.deepEqual(extra, [], `file descriptors left open: ${extra.join(', ')}`);
  }
  return result;
}

/** `assertNoFdLeak` for async work. */
export async function assertNoFdLeakAsync<T>(fn: () => Promise<T>): Promise<T> {
  const before = openFds();
  try {
    return await fn();
  } finally {
    const extra = leaked(before);
    assert.deepEqual(extra, [], `file descriptors left open: ${extra.join(', ')}`);
  }
}
