/**
 * The export dialog in Chromium against the real app core (loopback bridge → router → export handler →
 * main/export): choose format, tables and destination, watch the progress, get the files; files that already
 * exist are one short error with the choice to skip them or add a suffix; cancel leaves nothing behind. The dialog is bundled with esbuild into a
 * harness page served on the bridge's origin (the app shell wires the dialog into the viewer itself).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { startViewerServer, type ViewerServer } from '../../main/http-bridge/index.ts';
import { DATA_ROOT, PROJECT_ROOT, SAMPLE } from '../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin, type SyntheticBin } from '../helpers/synthetic-bin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { runExport } from '../../main/ipc/export-adapter.ts';
import type { ExportRunner } from '../../main/ipc/ports.ts';

const B = 'D20130526T095207_IFCB013';
const C = 'D20220522T003051_IFCB134';

/**
 * The real exporter, stopped (by its own abort signal) right after its first image is written and held there
 * until the user cancels: a cancel that lands mid-export every time, however fast the machine.
 */
function exporterHeldAfterFirstImage(): ExportRunner {
  return async (request, { onProgress, signal }) => {
    const inner = new AbortController();
    signal.addEventListener('abort', () => inner.abort(), { once: true });
    try {
      return await runExport(request, {
        signal: inner.signal,
        // Only the first image's progress goes out (main throttles progress, so a 0 just before it would hide it).
        onProgress: (done, total, message) => {
          if (inner.signal.aborted || done === 0) return;
          onProgress(done, total, message);
          inner.abort();
        },
      });
    } catch (e) {
      // The exporter has cleaned up after the abort; answer only once the user has pressed Cancel.
      if (!inner.signal.aborted) throw e;
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      throw e;
    }
  };
}

describe('export dialog', () => {
  let server: ViewerServer;
  let browser: Browser;
  let tmp: string;
  let script: string;
  let big: SyntheticBin;

  before(async () => {
    tmp = makeTempDir('ifcb-export-dialog-');
    mkdirSync(path.join(tmp, 'src'));
    big = writeSyntheticBin(path.join(tmp, 'src'), { targets: 3000, emptyEvery: 0 });
    const out = await build({
      entryPoints: [path.join(PROJECT_ROOT, 'test/browser/export-dialog.entry.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      jsx: 'automatic',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    script = out.outputFiles[0]!.text;
    server = await startViewerServer({ roots: [DATA_ROOT, tmp], files: [`${SAMPLE.B}.adc`, `${SAMPLE.C}.adc`, big.paths.adc], pathInput: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) removeTempDir(tmp);
  });

  async function openDialog(selection: { binId: string; targets: number[] }[], on: ViewerServer = server): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const harness = `${on.url}export-dialog-harness.html`;
    await page.route(harness, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html><body><div id="root"></div><script>window.exportSelection = ${JSON.stringify(selection)};</script><script>${script.replaceAll('</script', '<\\/script')}</script></body></html>`,
      }),
    );
    await page.goto(harness);
    await page.getByRole('dialog').waitFor();
    return { page, errors };
  }

  async function chooseDestination(page: Page, kind: 'folder' | 'zip', dest: string) {
    await page.getByLabel(kind === 'zip' ? 'One .zip file' : 'Folder', { exact: true }).check();
    await page.locator('input[name="path"]').fill(dest);
    await page.getByRole('button', { name: 'Use this path' }).click();
    await page.waitForFunction((d) => document.querySelector('[data-testid="export-destination"]')?.textContent === d, dest);
  }

  test('PNG + metadata + EcoTaxa into a zip: progress, summary, show in folder, exact entries', async () => {
    const { page, errors } = await openDialog([
      { binId: B, targets: [7, 11] },
      { binId: C, targets: [2, 3] },
    ]);
    assert.equal(await page.getByTestId('export-count').textContent(), '4 images from 2 bins');
    await page.getByLabel('EcoTaxa table (ecotaxa_*.tsv)').check();
    const dest = path.join(tmp, 'sel.zip');
    assert.equal(await page.getByRole('button', { name: 'Export', exact: true }).isDisabled(), true, 'no destination yet');
    await chooseDestination(page, 'zip', dest);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.waitForSelector('[data-testid="export-result"][data-outcome="ok"]');
    // the summary says which calibration the µm columns used, per instrument
    assert.match((await page.getByTestId('export-result').textContent())!, /^4 images written to .*sel\.zip; µm at 3\.4 px\/µm \(IFCB13\), 3\.4 px\/µm \(IFCB134\)$/);
    // over the bridge there is no file manager to open: main answers with the path, which the dialog shows
    await page.getByRole('button', { name: 'Show in folder' }).click();
    assert.equal(await page.getByTestId('export-revealed-path').textContent(), `Saved in ${dest}`);
    await page.getByRole('button', { name: 'Close' }).click();
    assert.deepEqual(await page.evaluate(() => window.dialogLog), ['close']);
    assert.deepEqual(readdirSync(tmp).filter((n) => n.endsWith('.zip')), ['sel.zip']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('existing files: one short error, then "Skip existing files" or "Add a suffix"', async () => {
    const dest = path.join(tmp, 'folder-a');
    mkdirSync(dest);
    writeFileSync(path.join(dest, `${C}_00002.png`), 'mine');
    const { page } = await openDialog([{ binId: C, targets: [2, 3] }]);
    await page.getByLabel('TIFF').check();
    await page.getByLabel('metadata.csv').uncheck();
    await chooseDestination(page, 'folder', dest);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    // TIFF names (.tif) do not clash with the existing .png: this one succeeds
    await page.waitForSelector('[data-testid="export-result"][data-outcome="ok"]');
    assert.deepEqual(readdirSync(dest).sort(), [`${C}_00002.png`, `${C}_00002.tif`, `${C}_00003.tif`]);
    await page.close();

    // the same folder again with PNGs: ONE short error, no failed job, and the choice to skip or add a suffix
    const second = await openDialog([{ binId: C, targets: [2, 3] }]);
    await chooseDestination(second.page, 'folder', dest);
    await second.page.getByRole('button', { name: 'Export', exact: true }).click();
    await second.page.getByTestId('export-existing').waitFor();
    assert.deepEqual(await second.page.getByRole('alert').allTextContents(), [`${path.join(dest, `${C}_00002.png`)} already exists. Nothing was written.EXPORT_TARGET_EXISTS`]);
    await second.page.getByRole('button', { name: 'Skip existing files' }).click();
    await second.page.waitForSelector('[data-testid="export-result"][data-outcome="ok"]');
    assert.match((await second.page.getByTestId('export-result').textContent())!, /^1 image written to .*folder-a \(1 targets skipped\)/);
    assert.deepEqual(readdirSync(dest).sort(), [`${C}_00002.png`, `${C}_00002.tif`, `${C}_00003.png`, `${C}_00003.tif`, 'metadata.csv']);
    await second.page.close();

    const third = await openDialog([{ binId: C, targets: [2, 3] }]);
    await chooseDestination(third.page, 'folder', dest);
    await third.page.getByRole('button', { name: 'Export', exact: true }).click();
    await third.page.getByTestId('export-existing').waitFor();
    assert.match((await third.page.getByRole('alert').textContent())!, /^3 of the files to export already exist in .*folder-a \(for example D20220522T003051_IFCB134_00002\.png\)\. Nothing was written\.EXPORT_TARGET_EXISTS$/);
    await third.page.getByRole('button', { name: 'Add a suffix' }).click();
    await third.page.waitForSelector('[data-testid="export-result"][data-outcome="ok"]');
    assert.deepEqual(readdirSync(`${dest} (2)`).sort(), [`${C}_00002.png`, `${C}_00003.png`, 'metadata.csv']);
    assert.equal(readFileSync(path.join(dest, `${C}_00002.png`), 'utf8'), 'mine', 'the first folder is untouched');
    await third.page.close();
  });

  test('By class: a training set, one directory per class, each image in the folder of its class (unclassified/ without class results)', async () => {
    const { page, errors } = await openDialog([{ binId: C, targets: [2, 3] }]);
    await page.getByLabel('By class: a directory per class (training set)').check();
    await page.getByLabel('metadata.csv').uncheck();
    const dest = path.join(tmp, 'training-set');
    await chooseDestination(page, 'folder', dest);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.waitForSelector('[data-testid="export-result"][data-outcome="ok"]');
    assert.deepEqual(readdirSync(dest, { recursive: true, encoding: 'utf8' }).map((p) => p.split(path.sep).join('/')).sort(), ['unclassified', `unclassified/${C}_00002.png`, `unclassified/${C}_00003.png`]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('cancel during a 3,000-image export: progress counted, "cancelled", nothing written', async (t) => {
    const held = await startViewerServer({ roots: [tmp], files: [big.paths.adc], pathInput: true, exporter: exporterHeldAfterFirstImage() });
    t.after(() => held.close());
    const targets = big.images.map((im) => im.target);
    const { page, errors } = await openDialog([{ binId: big.id, targets }], held);
    const dest = path.join(tmp, 'big-out');
    await chooseDestination(page, 'folder', dest);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.waitForFunction(() => {
      const m = /^(\d+) \/ 3000 images$/.exec(document.querySelector('[data-testid="export-progress-text"]')?.textContent ?? '');
      return m !== null && Number(m[1]) > 0;
    });
    await page.getByRole('button', { name: 'Cancel export' }).click();
    await page.waitForSelector('[data-testid="export-result"][data-outcome="cancelled"]');
    assert.equal(await page.getByTestId('export-result').textContent(), 'Export cancelled. Nothing was written.');
    assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('big-out') || n.startsWith('.ifcb-export')), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
