/**
 * Several bins in the library list shown as one mosaic (issue 10): Ctrl+click (or Ctrl+Space) toggles bins, Shift+click and
 * Shift+arrows extend a run, a plain click still opens its bin, Escape clears; with two or more selected the
 * footer offers "Show N bins as one mosaic", which hands the app exactly the selected bins, oldest first.
 * The real Library pane over the real bridge and catalogue, bundled into a harness page that records what
 * the pane asks of the app (the app shell wires the range into the viewer).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { startViewerServer, type ViewerServer } from '../../main/http-bridge/index.ts';
import type { Catalogue } from '../../main/index/catalogue.ts';
import { PROJECT_ROOT } from '../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { indexedCatalogue, launchBrowser, screenshot } from '../helpers/browser.ts';

const HOUR = 3_600_000;
const START = Date.parse('2024-05-01T22:00:00Z');
/** Six bins an hour apart (across midnight, so the list has two day headings); listed newest first. */
const COUNT = 6;
const idAt = (hour: number) => `D${new Date(START + hour * HOUR).toISOString().replace(/[-:]/g, '').slice(0, 15)}_IFCB007`;

const row = (p: Page, hour: number) => p.locator(`.bin-row[data-bin="${idAt(hour)}"]`);
const selectedIds = (p: Page) => p.$$eval('.bin-row.is-selected', (rows) => rows.map((r) => r.getAttribute('data-bin')));
const rangeIds = (p: Page) => p.evaluate(() => window.openedRanges.map((r) => ({ label: r.label, ids: 'bins' in r ? r.bins.map((b) => b.id) : null })));

describe('library: several bins selected and shown as one mosaic', () => {
  let dir: string;
  let catalogue: Catalogue;
  let server: ViewerServer;
  let browser: Browser;
  let html: string;

  before(async () => {
    dir = makeTempDir('ifcb-library-selection-');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    for (let h = 0; h < COUNT; h++) writeSyntheticBin(data, { epochMs: START + h * HOUR, targets: 3, emptyEvery: 0, instrument: 7, minSize: 16, maxSize: 40, seed: h + 1 });
    const indexed = await indexedCatalogue(dir, [data]);
    catalogue = indexed.catalogue;
    const out = await build({
      entryPoints: [path.join(PROJECT_ROOT, 'test/browser/library-selection.entry.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      jsx: 'automatic',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    const script = out.outputFiles[0]!.text.replaceAll('</script', '<\\/script');
    const css = readFileSync(path.join(PROJECT_ROOT, 'renderer/styles/app.css'), 'utf8');
    html = `<!doctype html><html><head><style>${css}</style></head><body><div id="root"></div><script>${script}</script></body></html>`;
    server = await startViewerServer({ roots: [dir], catalogue: indexed.port });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    catalogue?.close();
    if (dir) removeTempDir(dir);
  });

  async function openLibrary(colorScheme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 360, height: 700 }, colorScheme });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const harness = `${server.url}library-harness.html`;
    await page.route(harness, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(harness);
    await page.waitForFunction((n) => document.querySelectorAll('.bin-row').length === n, COUNT);
    return { page, errors };
  }

  test('Ctrl+click two bins, Shift+click a third: the button hands over exactly those bins, oldest first', async () => {
    const { page, errors } = await openLibrary('light');
    const button = page.getByRole('button', { name: /^Show [\d,]+ bins as one mosaic$/ });
    await row(page, 5).click({ modifiers: ['Control'] });
    assert.deepEqual(await selectedIds(page), [idAt(5)]);
    assert.equal(await button.count(), 0, 'one bin is no mosaic of several');
    await row(page, 3).click({ modifiers: ['Control'] });
    // Shift+click: the run from the last Ctrl+clicked bin (3) to bin 1, added to bin 5.
    await row(page, 1).click({ modifiers: ['Shift'] });
    assert.deepEqual(await selectedIds(page), [idAt(5), idAt(3), idAt(2), idAt(1)]);
    assert.deepEqual(await page.evaluate(() => window.openedBins), [], 'selecting opens nothing');
    assert.equal(await button.textContent(), 'Show 4 bins as one mosaic');
    await screenshot(page, 'library-selection-light');
    await button.click();
    assert.deepEqual(await rangeIds(page), [{ label: '4 selected bins', ids: [idAt(1), idAt(2), idAt(3), idAt(5)] }]);

    // Ctrl+click again takes a bin out; a plain click still opens its bin and keeps the selection.
    await row(page, 2).click({ modifiers: ['Control'] });
    assert.equal(await button.textContent(), 'Show 3 bins as one mosaic');
    await row(page, 0).click();
    assert.deepEqual(await page.evaluate(() => window.openedBins), [idAt(0)]);
    assert.deepEqual(await selectedIds(page), [idAt(5), idAt(3), idAt(1)]);
    // Escape in the list clears the selection and the button goes.
    await page.keyboard.press('Escape');
    assert.deepEqual(await selectedIds(page), []);
    assert.equal(await button.count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Shift+arrows extend from the cursor and shrink back; plain arrows keep the selection; Ctrl+Space toggles', async () => {
    const { page, errors } = await openLibrary('dark');
    await row(page, 4).click();
    assert.deepEqual(await page.evaluate(() => window.openedBins), [idAt(4)]);
    // Down is one bin older; the day heading between bins 2 and 1 is not a stop.
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    assert.deepEqual(await selectedIds(page), [idAt(4), idAt(3), idAt(2), idAt(1)]);
    await page.keyboard.press('Shift+ArrowUp');
    assert.deepEqual(await selectedIds(page), [idAt(4), idAt(3), idAt(2)]);
    assert.equal(await page.getAttribute('.bin-row.is-cursor', 'data-bin'), idAt(2));
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await selectedIds(page), [idAt(4), idAt(3), idAt(2)], 'a plain arrow moves the cursor only');
    // Ctrl+Space toggles the cursor's bin, as Ctrl+click does.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Control+Space');
    assert.deepEqual(await selectedIds(page), [idAt(4), idAt(3), idAt(2), idAt(0)]);
    await screenshot(page, 'library-selection-dark');
    await page.getByRole('button', { name: 'Show 4 bins as one mosaic' }).click();
    assert.deepEqual(await rangeIds(page), [{ label: '4 selected bins', ids: [idAt(0), idAt(2), idAt(3), idAt(4)] }]);
    assert.deepEqual(await page.evaluate(() => window.openedBins), [idAt(4)], 'arrows open nothing');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
