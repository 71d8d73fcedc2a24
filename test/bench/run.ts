/**
 * `npm run bench`: runs every test/bench/*.bench.ts (or those named on the command line) in turn and
 * prints each figure as a ratio against a baseline measured in the same run.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchModule, Figure } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const all: Figure[] = [];
for (const file of files) {
  const mod = (await import(path.join(here, file))) as BenchModule;
  console.log(`\n== ${mod.title} (${file})`);
  await mod.run({
    figure(f) {
      all.push(f);
      const verdict = f.target === undefined ? '' : `  target ${f.target}: ${f.met ? 'met' : 'NOT met'}`;
      console.log(`  ${f.name}: ${f.ratio.toFixed(2)}×  [${f.detail}]${verdict}`);
    },
    log(line) {
      console.log(`  ${line}`);
    },
  });
}
const missed = all.filter((f) => f.met === false);
console.log(`\n${all.length} figures, ${all.length - missed.length} with targets met or untargeted, ${missed.length} targets not met`);
for (const f of missed) console.log(`  not met: ${f.name} (${f.target})`);
