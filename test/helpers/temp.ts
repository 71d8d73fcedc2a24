/** Temporary directories for tests: created under the OS temp dir, removed by the caller (or `t.after`). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh empty directory `<tmp>/<prefix>XXXXXX`. */
export function makeTempDir(prefix = 'ifcb-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Remove a directory made by `makeTempDir` (recursive, ignores absence). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A temp dir removed automatically after the test: `const dir = tempDirFor(t)`. */
export function tempDirFor(t: { after(fn: () => void): void }, prefix = 'ifcb-test-'): string {
  const dir = makeTempDir(prefix);
  t.after(() => removeTempDir(dir));
  return dir;
}
