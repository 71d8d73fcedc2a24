/** V8's `gc()` without starting node with --expose-gc (leak checks and benchmarks take a collection first). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
export const forceGc = runInNewContext('gc') as () => void;
