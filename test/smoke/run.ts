/**
 * `npm run smoke -- BIN.adc|--synthetic [--out DIR] [--app EXECUTABLE]`: run the packaged app's self-check
 * (`IFCB Viewer --smoke-test BIN --out DIR`, see main/electron/smoke-test.ts) and exit with its code. By default
 * the app is the one `npm run dist` left in release/ for this OS; on Linux without a display, run it under
 * `xvfb-run -a`. The report and screenshot land in DIR (default ./ifcb-viewer-smoke). `--synthetic` writes a bin
 * with the project's own writer into DIR/bin first (CI machines have no sample data).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { packagedExecutable } from '../../main/shell/electron-launch.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, app: { type: 'string' }, synthetic: { type: 'boolean' } } });
  const out = path.resolve(values.out ?? 'ifcb-viewer-smoke');
  if (values.synthetic ? positionals.length !== 0 : positionals.length !== 1) {
    console.error('usage: npm run smoke -- BIN.adc|--synthetic [--out DIR] [--app EXECUTABLE]');
    return 2;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; productName: string };
  const app = values.app ?? packagedExecutable(path.join(ROOT, 'release'), process.platform, process.arch, pkg.productName, pkg.name);
  if (!fs.existsSync(app)) {
    console.error(`no packaged app at ${app}: run npm run dist first, or pass --app`);
    return 2;
  }
  let bin = positionals[0]!;
  if (values.synthetic) {
    fs.mkdirSync(path.join(out, 'bin'), { recursive: true });
    bin = writeSyntheticBin(path.join(out, 'bin'), { targets: 40, seed: 12 }).paths.adc;
  }
  const args = ['--smoke-test', path.resolve(bin), '--out', out];
  const child = spawn(app, args, { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', (e) => {
      console.error(`could not start ${app}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().then((code) => process.exit(code));
