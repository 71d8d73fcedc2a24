/**
 * An independent reader for cross-checks: a Python 3 that has the module a test needs (h5py, scipy). The
 * default `python3` may be a pyenv one without Debian's python3-h5py/scipy, so /usr/bin/python3 is tried too.
 * Tests skip with a clear message when none has it.
 */
import { execFileSync } from 'node:child_process';

const CANDIDATES = ['python3', '/usr/bin/python3'];
const found = new Map<string, string | null>();

/** The first Python that can import `module`, or null. */
export function pythonWith(module: string): string | null {
  if (!found.has(module)) {
    let hit: string | null = null;
    for (const exe of CANDIDATES) {
      try {
        execFileSync(exe, ['-c', `import ${module}`], { stdio: 'ignore' });
        hit = exe;
        break;
      } catch {
        // not this interpreter
      }
    }
    found.set(module, hit);
  }
  return found.get(module)!;
}

/** Run a Python script (argv after it) and parse its JSON stdout. */
export function pythonJson<T>(exe: string, script: string, args: string[] = []): T {
  return JSON.parse(execFileSync(exe, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as T;
}

export function skipMessage(module: string): string {
  return `no python3 with ${module} (install Debian's python3-${module}) — independent cross-check skipped`;
}
