/**
 * Selection (mouse, keyboard, rubber band), sort/filter order and the scale bar, on bin B (19 images)
 * in Chromium. Expected orders come from the bin's .adc parsed here, independently of the app.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { DATA_ROOT, SAMPLE } from '../helpers/data.ts';
import { launchBrowser, openBinByPath, openViewer, paintedPixels, screenshot, selectedTargets, startViewer, tileTargets, waitForPaintedTiles } from '../helpers/browser.ts';
import type { ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';

/** Bin B's images straight from its .adc: schema 2 columns 15/16 = ROI_WIDTH/HEIGHT, 6 = PEAK_A. */
const IMAGES = readFileSync(`${SAMPLE.B}.adc`, 'utf8')
  .split(/\r?\n/)
  .filter((line) => line.trim() !== '')
  .map((line, i) => {
    const c = line.split(',').map(Number);
    return { target: i + 1, width: c[15]!, height: c[16]!, peakA: c[6]! };
  })
  .filter((r) => r.width > 0);
const ORDER = IMAGES.map((r) => r.target);

async function selectionCount(page: Page): Promise<string | null> {
  return page.textContent('[data-testid="selection-count"]');
}

async function tileBox(page: Page, target: number) {
  const box = await page.locator(`.tile[data-target="${target}"]`).boundingBox();
  assert.ok(box, `tile ${target} on screen`);
  return box;
}

describe('selection, sort, filter and scale bar on bin B', () => {
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    server = await startViewer({ roots: [DATA_ROOT] });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    await openBinByPath(v.page, `${SAMPLE.B}.adc`, 'D20130526T095207_IFCB013');
    await waitForPaintedTiles(v.page);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  // Every test starts from the same state, whatever the one before it left (they share one page).
  beforeEach(async () => {
    const p = v.page;
    if ((await p.locator('.filter-bar').count()) > 0) {
      const clear = p.locator('.filter-bar button:has-text("Clear")');
      if (await clear.isEnabled()) await clear.click();
      await p.click('button[aria-controls="filter-bar"]');
    }
    if ((await p.inputValue('#sort-key')) !== 'target') await p.selectOption('#sort-key', 'target');
    if ((await p.locator('button[aria-label^="Descending"]').count()) > 0) await p.click('button[aria-label^="Descending"]');
    if ((await p.getAttribute('button[role="radio"]:has-text("True scale")', 'aria-checked')) !== 'true') {
      await p.click('button[role="radio"]:has-text("True scale")');
    }
    const adjustReset = p.locator('.adjust button:has-text("Reset")');
    if ((await adjustReset.count()) > 0 && (await adjustReset.isEnabled())) await adjustReset.click();
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('0');
    await p.keyboard.press('Control+Shift+A');
    await p.locator('.mosaic-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await p.waitForFunction(
      (order) =>
        document.querySelector('[data-testid="status-zoom"]')?.textContent === '100 %' &&
        document.querySelector('.mosaic-scroll')?.scrollTop === 0 &&
        document.querySelectorAll('.tile.is-selected').length === 0 &&
        [...document.querySelectorAll<HTMLElement>('.tile')].map((t) => Number(t.dataset['target'])).join() === order.join(),
      ORDER,
    );
    assert.equal(await p.evaluate(() => document.activeElement?.classList.contains('mosaic-scroll')), true);
  });

  test('the ADC gives the 19 images of the spec', () => {
    assert.deepEqual(ORDER, [7, 11, 13, 21, 32, 33, 47, 49, 54, 61, 66, 68, 73, 78, 80, 92, 99, 102, 114]);
  });

  test('click, Ctrl-click, Shift-click and Ctrl+Shift-click', async () => {
    const p = v.page;
    await p.click('.tile[data-target="11"]');
    assert.deepEqual(await selectedTargets(p), [11]);
    await p.click('.tile[data-target="13"]', { modifiers: ['Control'] });
    await p.click('.tile[data-target="32"]', { modifiers: ['Control'] });
    assert.deepEqual(await selectedTargets(p), [11, 13, 32]);
    await p.click('.tile[data-target="13"]', { modifiers: ['Control'] });
    assert.deepEqual(await selectedTargets(p), [11, 32]);
    assert.equal(await selectionCount(p), '2');
    await p.click('.tile[data-target="21"]');
    await p.click('.tile[data-target="47"]', { modifiers: ['Shift'] });
    assert.deepEqual(await selectedTargets(p), [21, 32, 33, 47]);
    // Ctrl+Shift adds the range anchor (21) … 7 to what is selected.
    await p.click('.tile[data-target="7"]', { modifiers: ['Control', 'Shift'] });
    assert.deepEqual(await selectedTargets(p), [7, 11, 13, 21, 32, 33, 47]);
    assert.equal(await selectionCount(p), '7');
  });

  test('select all, none, invert from the keyboard', async () => {
    const p = v.page;
    await p.keyboard.press('Control+a');
    assert.deepEqual(await selectedTargets(p), ORDER);
    await p.keyboard.press('Control+Shift+A');
    assert.deepEqual(await selectedTargets(p), []);
    await p.click('.tile[data-target="7"]');
    await p.keyboard.press('Control+i');
    assert.deepEqual(await selectedTargets(p), ORDER.slice(1));
    assert.equal(await selectionCount(p), '18');
    await p.keyboard.press('Control+Shift+A');
  });

  test('arrows move the focus, Shift extends, Space toggles, Home/End, Enter shows the ROI view and inspects', async () => {
    const p = v.page;
    await p.keyboard.press('Home');
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '7');
    assert.deepEqual(await selectedTargets(p), []);
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('Shift+ArrowRight');
    await p.keyboard.press('Shift+ArrowRight');
    assert.deepEqual(await selectedTargets(p), [11, 13, 21]);
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '21');
    await p.keyboard.press('Space');
    assert.deepEqual(await selectedTargets(p), [11, 13]);
    await p.keyboard.press('ArrowLeft');
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '13');
    await p.keyboard.press('End');
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '114');
    await p.keyboard.press('Enter');
    // the ROI view: the image at an exact zoom, its id as the Dashboard writes it
    await p.waitForSelector('.roi-view canvas[data-state="painted"][data-target="114"]');
    assert.equal(await p.textContent('.roi-view [data-testid="roi-id"]'), 'D20130526T095207_IFCB013_00114');
    await p.waitForSelector('.inspector .preview-canvas[data-state="painted"][data-target="114"]');
    assert.equal(await p.textContent('.inspector .section-title'), 'ROI 114');
    const size = p.locator('.inspector .field', { hasText: 'Size (µm)' }).locator('dd');
    const w = IMAGES.at(-1)!.width;
    const h = IMAGES.at(-1)!.height;
    assert.equal(await size.textContent(), `${(w / 3.4).toFixed(1)} × ${(h / 3.4).toFixed(1)} µm`);
    // The inspector shows the raw pixels until contrast/gamma change them, on screen only.
    const previewSha = () =>
      p.evaluate(async () => {
        const c = document.querySelector<HTMLCanvasElement>('.inspector .preview-canvas')!;
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        const gray = new Uint8Array(c.width * c.height);
        for (let i = 0; i < gray.length; i++) gray[i] = data[i * 4]!;
        const d = new Uint8Array(await crypto.subtle.digest('SHA-256', gray));
        return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
      });
    const raw = await paintedPixels(p, 114);
    assert.equal(await previewSha(), raw.sha);
    await p.locator('.adjust input[type="range"]').first().fill('2');
    await p.waitForFunction(() => document.querySelector('.adjust .num')?.textContent === '2.00');
    assert.notEqual(await previewSha(), raw.sha);
    assert.deepEqual(await paintedPixels(p, 114), raw);
    await p.click('.adjust button:has-text("Reset")');
    assert.equal(await previewSha(), raw.sha);
    await p.keyboard.press('Escape');
    await p.waitForSelector('.roi-view', { state: 'detached' });
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('Control+Shift+A');
  });

  test('a focused slider keeps its keys: ArrowRight/End zoom, the focus tile stays', async () => {
    const p = v.page;
    await p.keyboard.press('Home');
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '7');
    const slider = p.getByRole('slider', { name: 'Zoom' });
    await slider.focus();
    await p.keyboard.press('ArrowRight');
    // one slider step (0.01 in log2 zoom): 2^0.01 = 1.0070 → 101 %
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '101 %');
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '7');
    await p.keyboard.press('End');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '400 %');
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '7');
    await p.keyboard.press('Home');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '10 %');
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '7');
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Zoom');
    // The inspector's sliders too.
    const contrast = p.locator('.adjust input[type="range"]').first();
    await contrast.focus();
    await p.keyboard.press('ArrowRight');
    await p.waitForFunction(() => document.querySelector('.adjust .num')?.textContent === '1.05');
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '7');
    // Global shortcuts still work from a slider.
    await p.keyboard.press('Control+a');
    assert.deepEqual(await selectedTargets(p), ORDER);
  });

  test('a focused button keeps Enter and Space: they press it, not toggle or inspect a tile', async () => {
    const p = v.page;
    await p.keyboard.press('Home');
    await p.getByRole('button', { name: 'Zoom in' }).focus();
    await p.keyboard.press('Space');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '125 %');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '150 %');
    assert.deepEqual(await selectedTargets(p), []);
    assert.equal(await p.getAttribute('.tile.is-focused', 'data-target'), '7');
    // Back on the mosaic, Space toggles the focus tile again.
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('Space');
    assert.deepEqual(await selectedTargets(p), [7]);
  });

  test('ArrowDown goes to the tile below with the nearest horizontal position', async () => {
    const p = v.page;
    await p.keyboard.press('Home');
    const from = await tileBox(p, 7);
    await p.keyboard.press('ArrowDown');
    const focused = Number(await p.getAttribute('.tile.is-focused', 'data-target'));
    // Expected from geometry: the first row below tile 7, tile whose span is nearest tile 7's centre.
    const boxes = await Promise.all(ORDER.map(async (t) => ({ t, b: await tileBox(p, t) })));
    const nextTop = Math.min(...boxes.filter((x) => x.b.y > from.y + 1).map((x) => x.b.y));
    const row = boxes.filter((x) => Math.abs(x.b.y - nextTop) < 1);
    const cx = from.x + from.width / 2;
    const dist = (b: { x: number; width: number }) => (cx < b.x ? b.x - cx : cx > b.x + b.width ? cx - b.x - b.width : 0);
    const expected = row.reduce((best, x) => (dist(x.b) < dist(best.b) ? x : best)).t;
    assert.equal(focused, expected);
  });

  test('rubber band selects exactly the tiles it touches; Ctrl adds', async () => {
    const p = v.page;
    await p.keyboard.press('Control+Shift+A');
    const scroller = (await p.locator('.mosaic-scroll').boundingBox())!;
    const boxes = await Promise.all(ORDER.map(async (t) => ({ t, b: await tileBox(p, t) })));
    const contentBottom = Math.max(...boxes.map((x) => x.b.y + x.b.height));
    // From empty background below the last row up to the middle of the first row's third tile.
    const start = { x: scroller.x + scroller.width - 30, y: contentBottom + 40 };
    const third = boxes[2]!.b;
    const end = { x: third.x + third.width / 2, y: third.y + third.height / 2 };
    await p.mouse.move(start.x, start.y);
    await p.mouse.down();
    await p.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 4 });
    await p.mouse.move(end.x, end.y, { steps: 4 });
    assert.equal(await p.locator('.rubber-band').count(), 1);
    await p.mouse.up();
    const x0 = Math.min(start.x, end.x);
    const x1 = Math.max(start.x, end.x);
    const y0 = Math.min(start.y, end.y);
    const y1 = Math.max(start.y, end.y);
    const expected = boxes.filter(({ b }) => b.x < x1 && b.x + b.width > x0 && b.y < y1 && b.y + b.height > y0).map((x) => x.t);
    assert.ok(expected.length >= 3, `band covers ${expected.length} tiles`);
    assert.deepEqual(await selectedTargets(p), expected.sort((a, b) => a - b));
    assert.equal(await p.locator('.rubber-band').count(), 0);
    // A plain click on the background clears; Ctrl+band adds to a selection.
    await p.mouse.click(start.x, start.y);
    assert.deepEqual(await selectedTargets(p), []);
    await p.click('.tile[data-target="114"]');
    await p.keyboard.down('Control');
    await p.mouse.move(start.x, start.y);
    await p.mouse.down();
    await p.mouse.move(end.x, end.y, { steps: 6 });
    await p.mouse.up();
    await p.keyboard.up('Control');
    assert.deepEqual(await selectedTargets(p), [...new Set([...expected, 114])].sort((a, b) => a - b));
    await p.keyboard.press('Control+Shift+A');
  });

  test('a drag that starts on a tile is a rubber band too, once past the threshold; a press without moving clicks', async () => {
    const p = v.page;
    await p.keyboard.press('Control+Shift+A');
    const boxes = await Promise.all(ORDER.map(async (t) => ({ t, b: await tileBox(p, t) })));
    const first = boxes[0]!.b;
    const third = boxes[2]!.b;
    const start = { x: first.x + first.width / 2, y: first.y + first.height / 2 };
    const end = { x: third.x + third.width / 2, y: third.y + third.height / 2 };
    // moving less than the threshold is still a click on the tile
    await p.mouse.move(start.x, start.y);
    await p.mouse.down();
    await p.mouse.move(start.x + 2, start.y + 1);
    await p.mouse.up();
    assert.deepEqual(await selectedTargets(p), [ORDER[0]!]);
    assert.equal(await p.locator('.rubber-band').count(), 0);
    await p.mouse.move(start.x, start.y);
    await p.mouse.down();
    await p.mouse.move(end.x, end.y, { steps: 6 });
    assert.equal(await p.locator('.rubber-band').count(), 1);
    await p.mouse.up();
    const x0 = Math.min(start.x, end.x);
    const x1 = Math.max(start.x, end.x);
    const y0 = Math.min(start.y, end.y);
    const y1 = Math.max(start.y, end.y);
    const expected = boxes.filter(({ b }) => b.x < x1 && b.x + b.width > x0 && b.y < y1 && b.y + b.height > y0).map((x) => x.t);
    assert.ok(expected.length >= 3, `band covers ${expected.length} tiles`);
    // the release over a tile does not turn the band into a click on it
    assert.deepEqual(await selectedTargets(p), expected.sort((a, b) => a - b));
    await p.keyboard.press('Control+Shift+A');
  });

  test('sort by width ascending, descending, and by an ADC field: exact orders', async () => {
    const p = v.page;
    const byWidth = [...IMAGES].sort((a, b) => a.width - b.width || a.target - b.target).map((r) => r.target);
    await p.selectOption('#sort-key', 'width');
    await p.waitForFunction((first) => document.querySelector('.tile')?.getAttribute('data-target') === String(first), byWidth[0]);
    assert.deepEqual(await tileTargets(p), byWidth);
    await p.click('button[aria-label^="Ascending"]');
    const byWidthDesc = [...IMAGES].sort((a, b) => b.width - a.width || a.target - b.target).map((r) => r.target);
    await p.waitForFunction((first) => document.querySelector('.tile')?.getAttribute('data-target') === String(first), byWidthDesc[0]);
    assert.deepEqual(await tileTargets(p), byWidthDesc);
    await p.selectOption('#sort-key', 'adc:PEAK_A');
    const byPeak = [...IMAGES].sort((a, b) => b.peakA - a.peakA || a.target - b.target).map((r) => r.target);
    await p.waitForFunction((first) => document.querySelector('.tile')?.getAttribute('data-target') === String(first), byPeak[0]);
    assert.deepEqual(await tileTargets(p), byPeak);
    await p.click('button[aria-label^="Descending"]');
    await p.selectOption('#sort-key', 'target');
    await p.waitForFunction(() => document.querySelector('.tile')?.getAttribute('data-target') === '7');
    assert.deepEqual(await tileTargets(p), ORDER);
  });

  test('filter by size in µm: exact set, and the count shown is of what is visible', async () => {
    const p = v.page;
    const expected = IMAGES.filter((r) => {
      const um = Math.max(r.width, r.height) / 3.4;
      return um >= 20 && um <= 30;
    }).map((r) => r.target);
    assert.ok(expected.length > 0 && expected.length < 19);
    await p.click('button[aria-controls="filter-bar"]');
    await p.fill('input[aria-label="Minimum size in µm"]', '20');
    await p.fill('input[aria-label="Maximum size in µm"]', '30');
    await p.waitForFunction((n) => document.querySelectorAll('.tile').length === n, expected.length);
    assert.deepEqual(await tileTargets(p), expected);
    assert.equal(await p.textContent('[data-testid="status-images"]'), `${expected.length} / 19 images`);
    assert.equal(await p.locator('[data-testid="filter-warning"]').count(), 0);
    // a minimum above the maximum can match nothing: the page says why
    await p.fill('input[aria-label="Minimum size in µm"]', '40');
    await p.waitForSelector('[data-testid="filter-warning"]');
    assert.equal(await p.textContent('[data-testid="filter-warning"]'), 'Size filter: the minimum (40) is above the maximum (30), so no image can match.');
    assert.equal(await p.locator('.tile').count(), 0);
    await p.click('.filter-bar button:has-text("Clear")');
    await p.waitForFunction(() => document.querySelectorAll('.tile').length === 19);
  });

  test('scale bar: a round µm length drawn exactly at 100 %, 200 % and 50 %; hidden in fit mode', async () => {
    const p = v.page;
    const bar = async () => ({
      width: (await p.locator('.scale-bar-line').boundingBox())!.width,
      label: await p.textContent('.scale-bar-label'),
      zoom: await p.textContent('[data-testid="status-zoom"]'),
      tile7: (await tileBox(p, 7)).width,
    });
    await p.keyboard.press('0');
    assert.deepEqual(await bar(), { width: 68, label: '20 µm', zoom: '100 %', tile7: 88 });
    for (let i = 0; i < 3; i++) await p.keyboard.press('+');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '200 %');
    assert.deepEqual(await bar(), { width: 136, label: '20 µm', zoom: '200 %', tile7: 176 });
    await p.keyboard.press('0');
    for (let i = 0; i < 3; i++) await p.keyboard.press('-');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '50 %');
    assert.deepEqual(await bar(), { width: 85, label: '50 µm', zoom: '50 %', tile7: 44 });
    await p.click('button[role="radio"]:has-text("Fit rows")');
    await p.waitForFunction(() => !document.querySelector('.scale-bar'));
    // Justified rows: every full row ends at the same right edge.
    await p.keyboard.press('0');
    await waitForPaintedTiles(p);
    const rights = await p.$$eval('.mosaic-row', (rows) => rows.slice(0, -1).map((r) => Math.max(...[...r.children].map((t) => t.getBoundingClientRect().right))));
    assert.ok(rights.length >= 1);
    assert.equal(new Set(rights).size, 1, `row right edges ${rights.join(', ')}`);
    await screenshot(p, 'fit-rows');
    await p.click('button[role="radio"]:has-text("True scale")');
    await p.keyboard.press('0');
    await p.waitForSelector('.scale-bar');
  });

  test('no console errors', () => {
    assert.deepEqual(v.errors, []);
  });
});
