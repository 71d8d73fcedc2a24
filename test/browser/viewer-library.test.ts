/**
 * The library (catalogue of the sample data), bins opened from it, previous/next in time, the basket
 * across bins, and screenshots of the main states in light and dark (test-output/screenshots/).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DATA_ROOT, SAMPLE } from '../helpers/data.ts';
import { openBinByPath, openViewer, sampleLibrary, screenshot, selectedTargets, waitForPaintedTiles } from '../helpers/browser.ts';
import type { SampleLibrary, ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';

/** The catalogued sample bins, newest first (SAMPLE_LIBRARY_RULES: no partial, no skip). */
const NEWEST_FIRST = [
  'D20230810T113059_IFCB134',
  'D20220522T003051_IFCB134',
  'IFCB5_2017_001_033645',
  'D20150411T205456_IFCB012',
  'D20130526T095207_IFCB013',
  'D20130101T101010_IFCB099',
  'IFCB5_2012_028_081515',
];

describe('library, navigation and screenshots', () => {
  let lib: SampleLibrary;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    lib = await sampleLibrary('ifcb-viewer-library-');
    ({ server, browser } = lib);
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    await v.page.waitForSelector('.bin-row');
  });

  after(() => lib?.close());

  test('bins grouped by day, newest first, with QC badges', async () => {
    const p = v.page;
    assert.deepEqual(await p.$$eval('.bin-row', (rows) => rows.map((r) => r.getAttribute('data-bin'))), NEWEST_FIRST);
    assert.equal(await p.locator('.day-header').count(), 7);
    assert.equal(await p.textContent('.day-header >> nth=0'), 'Thu, 10 Aug 20231');
    const d = p.locator('.bin-row[data-bin="D20230810T113059_IFCB134"]');
    assert.deepEqual(await d.locator('.badge').allTextContents(), ['no .roi', 'partial']);
    assert.match((await d.getAttribute('class')) ?? '', /is-partial/);
    assert.equal(await p.textContent('.bin-row[data-bin="D20130526T095207_IFCB013"] .bin-ml'), '4.89 mL');
    await screenshot(p, 'library');
  });

  test('search by instrument name and by a piece of the id', async () => {
    const p = v.page;
    const search = p.getByRole('searchbox', { name: 'Search bins by id or instrument' });
    await search.fill('IFCB134');
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 2);
    assert.deepEqual(await p.$$eval('.bin-row', (rows) => rows.map((r) => r.getAttribute('data-bin'))), NEWEST_FIRST.slice(0, 2));
    await search.fill('d2013');
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 2 && document.querySelector('.bin-row')?.getAttribute('data-bin')?.startsWith('D2013'));
    assert.deepEqual(await p.$$eval('.bin-row', (rows) => rows.map((r) => r.getAttribute('data-bin'))), ['D20130526T095207_IFCB013', 'D20130101T101010_IFCB099']);
    await search.fill('');
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 7);
  });

  test('brushing the chart filters the list to that time range', async () => {
    const p = v.page;
    const chart = (await p.locator('.chart-svg').boundingBox())!;
    // The right 4 % of the plot: mid-2023 onwards, where only D20230810 lies.
    const y = chart.y + chart.height * 0.2;
    await p.mouse.move(chart.x + chart.width * 0.96, y);
    await p.mouse.down();
    await p.mouse.move(chart.x + chart.width * 0.995, y, { steps: 4 });
    await p.mouse.up();
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 1);
    assert.deepEqual(await p.$$eval('.bin-row', (rows) => rows.map((r) => r.getAttribute('data-bin'))), ['D20230810T113059_IFCB134']);
    // The brush ends past the last point: the span ends at that bin's second, shown whole.
    assert.equal(await p.inputValue('input[aria-label="To (UTC)"]'), '2023-08-10 11:30:59');
    await p.click('button[aria-label="Clear the time span"]');
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 7);
  });

  test('a click in the list opens the bin; a chart point opens its bin', async () => {
    const p = v.page;
    await p.click('.bin-row[data-bin="D20130526T095207_IFCB013"]');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20130526T095207_IFCB013');
    await waitForPaintedTiles(p);
    assert.equal(await p.locator('.tile').count(), 19);
    assert.match((await p.getAttribute('.bin-row[data-bin="D20130526T095207_IFCB013"]', 'class')) ?? '', /is-active/);
    await screenshot(p, 'mosaic');
    await p.click('circle[data-bin="D20220522T003051_IFCB134"]');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20220522T003051_IFCB134');
    await waitForPaintedTiles(p);
    assert.equal(await p.locator('.tile').count(), 2);
  });

  test('[ and ] step to the previous and next bin in time', async () => {
    const p = v.page;
    await p.click('.bin-row[data-bin="D20130526T095207_IFCB013"]');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20130526T095207_IFCB013');
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press(']');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20150411T205456_IFCB012');
    await p.keyboard.press('[');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20130526T095207_IFCB013');
    await p.keyboard.press('[');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20130101T101010_IFCB099');
  });

  test('inspector and selection states; the basket spans bins', async () => {
    const p = v.page;
    await p.click('.bin-row[data-bin="D20130526T095207_IFCB013"]');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20130526T095207_IFCB013');
    await waitForPaintedTiles(p);
    await p.click('.tile[data-target="61"]');
    await p.waitForSelector('.inspector .preview-canvas[data-state="painted"][data-target="61"]');
    await screenshot(p, 'inspector');
    await p.click('.tile[data-target="7"]', { modifiers: ['Control'] });
    await p.click('.tile[data-target="32"]', { modifiers: ['Control'] });
    await p.click('.tile[data-target="99"]', { modifiers: ['Control'] });
    await p.hover('.tile[data-target="80"]');
    await screenshot(p, 'selection');
    assert.deepEqual(await selectedTargets(p), [7, 32, 61, 99]);
    // Another bin: its own selection; coming back restores the first.
    await p.click('.bin-row[data-bin="D20220522T003051_IFCB134"]');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20220522T003051_IFCB134');
    await waitForPaintedTiles(p);
    assert.deepEqual(await selectedTargets(p), []);
    await p.click('.tile[data-target="3"]');
    assert.match((await p.textContent('.selection-count')) ?? '', /1 selected · basket 5 in 2 bins/);
    await p.click('.bin-row[data-bin="D20130526T095207_IFCB013"]');
    await p.waitForFunction(() => document.querySelectorAll('.tile.is-selected').length === 4);
    assert.deepEqual(await selectedTargets(p), [7, 32, 61, 99]);
    // Ctrl+E hands the whole basket to the export dialog.
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('Control+e');
    const dialog = p.getByRole('dialog', { name: 'Export selection' });
    await dialog.waitFor();
    assert.equal(await dialog.getByTestId('export-count').textContent(), '5 images from 2 bins');
    await screenshot(p, 'export-dialog');
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  test('menu commands: Export Selection opens the dialog once, View › Library focuses the search', async () => {
    const p = v.page;
    const menu = (command: 'export-selection' | 'show-library') => server.ctx.events.emit({ type: 'menu-command', command });
    // Two React commits: effects of the last change have run by then.
    const settled = () => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await p.click('.bin-row[data-bin="D20130526T095207_IFCB013"]');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20130526T095207_IFCB013');
    await waitForPaintedTiles(p);
    await p.click('.tile[data-target="11"]');
    menu('export-selection');
    const dialog = p.getByRole('dialog', { name: 'Export selection' });
    await dialog.waitFor();
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Changing the selection (and so the number of bins to export) must not bring the dialog back unasked.
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('Control+Shift+A');
    await p.waitForFunction(() => document.querySelectorAll('.tile.is-selected').length === 0);
    // What the previous test left in bin C is still in the basket, and the toolbar says so.
    assert.match((await p.textContent('.selection-count')) ?? '', /^0 selected · basket 1 in 1 bin×$/);
    await p.click('.tile[data-target="13"]');
    await p.waitForFunction(() => document.querySelectorAll('.tile.is-selected').length === 1);
    await settled();
    assert.equal(await p.getByRole('dialog').count(), 0);

    await p.locator('.mosaic-scroll').focus();
    menu('show-library');
    await p.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Search bins by id or instrument');
    // Typing goes to the search, not to the mosaic's shortcuts.
    await p.keyboard.type('IFCB134');
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 2);
    await p.getByRole('searchbox', { name: 'Search bins by id or instrument' }).fill('');
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 7);
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('Control+Shift+A');
  });

  test('error and empty states, in place', async () => {
    const p = v.page;
    await p.click('.bin-row[data-bin="D20230810T113059_IFCB134"]');
    await p.waitForSelector('.state-panel.state-error');
    await screenshot(p, 'error-no-roi');
    await p.click('.bin-row[data-bin="D20150411T205456_IFCB012"]');
    await p.waitForSelector('.state-panel.state-empty');
    await screenshot(p, 'empty-bin');
    // A path that is not a bin: the Open dialog says why, with the code.
    await p.keyboard.press('Control+o');
    await p.getByRole('dialog').getByRole('textbox').fill(`${DATA_ROOT}/no-such-bin.adc`);
    await p.getByRole('dialog').getByRole('textbox').press('Enter');
    await p.waitForSelector('[role="dialog"] .error-note');
    assert.ok(((await p.textContent('[role="dialog"] .error-code')) ?? '').length > 0);
    await screenshot(p, 'error-open-dialog');
    await p.keyboard.press('Escape');
    await p.waitForSelector('[role="dialog"]', { state: 'detached' });
  });

  test('dark theme follows the OS', async () => {
    const dark = await openViewer(browser, server.url, { width: 1440, height: 900, colorScheme: 'dark' });
    try {
      await dark.page.waitForSelector('.bin-row');
      await openBinByPath(dark.page, `${SAMPLE.B}.adc`, 'D20130526T095207_IFCB013');
      await waitForPaintedTiles(dark.page);
      const bg = await dark.page.$eval('.centre-body', (el) => getComputedStyle(el).backgroundColor);
      assert.equal(bg, 'rgb(43, 43, 43)');
      await dark.page.click('.tile[data-target="13"]');
      await dark.page.click('.tile[data-target="54"]', { modifiers: ['Control'] });
      await dark.page.waitForSelector('.inspector .preview-canvas[data-state="painted"]');
      await screenshot(dark.page, 'dark');
      await dark.page.click('.bin-row[data-bin="D20230810T113059_IFCB134"]');
      await dark.page.waitForSelector('.state-panel.state-error');
      await screenshot(dark.page, 'dark-error');
      assert.deepEqual(dark.errors, []);
    } finally {
      await dark.context.close();
    }
    const light = await v.page.$eval('.centre-body', (el) => getComputedStyle(el).backgroundColor);
    assert.equal(light, 'rgb(236, 236, 236)');
  });

  test('no console errors', () => {
    assert.deepEqual(v.errors, []);
  });
});
