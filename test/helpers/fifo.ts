/**
 * Real FIFOs (named pipes) for the tests that a FIFO named like a bin file is refused. Should the code under
 * test open one anyway, the open would block the test process forever; a rescuer process opens the write end
 * after `rescueAfterMs` and closes it at once, so such a regression ends in a failed assertion, not a hang.
 */
import { execFileSync, spawn } from 'node:child_process';

/** `mkfifo file`, plus its rescuer (killed after the test). */
export function makeFifo(t: { after(fn: () => void): void }, file: string, rescueAfterMs = 5000): void {
  execFileSync('mkfifo', [file]);
  const rescuer = spawn('sh', ['-c', `sleep ${rescueAfterMs / 1000}; : > "$1"`, 'rescuer', file], { stdio: 'ignore' });
  rescuer.unref();
  t.after(() => {
    rescuer.kill();
  });
}
