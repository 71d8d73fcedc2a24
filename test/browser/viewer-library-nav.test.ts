/**
 * The library pane on a 31-bin synthetic archive at 1024×700: `[` / `]` where every press counts, the list
 * following the open bin, arrows and Enter in the list, a time span exact to the second (typed or brushed),
 * the search box, what could not be indexed, the "Open bins" group (OS opens, a damaged bin, no library).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DATA_ROOT, SAMPLE } from '../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import type { SyntheticBin } from '../helpers/synthetic-bin.ts';
import { indexedCatalogue, launchBrowser, openBinByPath, openViewer, screenshot, startViewer } from '../helpers/browser.ts';
import type { ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import type { Catalogue } from '../../main/index/catalogue.ts';
import type { CataloguePort } from '../../main/ipc/ports.ts';
import type { BinsFilter } from '../../shared/ipc/contract.ts';
import { deliverOsOpen, openTrustedPath } from '../../main/ipc/handlers/bin.ts';

const HOUR = 3_600_000;
const START = Date.parse('2024-05-01T00:00:00Z');
/** Good bins, one an hour from START: D20240501T000000 … D20240502T050000 (instrument 7). */
const GOOD = 30;
const idAt = (hour: number) => `D${new Date(START + hour * HOUR).toISOString().replace(/[-:]/g, '').slice(0, 15)}_IFCB007`;
const BAD_ID = 'D20240503T000000_IFCB007';

const statusBin = (p: Page) => p.textContent('[data-testid="status-bin"]');
const waitForStatusBin = (p: Page, id: string) => p.waitForFunction((want) => document.querySelector('[data-testid="status-bin"]')?.textContent === want, id);
const rowIds = (p: Page) => p.$$eval('.bin-row', (rows) => rows.map((r) => r.getAttribute('data-bin')));
/** Whether the row of `id` is drawn wholly inside the list's visible area. */
const rowInView = (p: Page, id: string) =>
  p.evaluate((want) => {
    const row = document.querySelector(`.bin-row[data-bin="${want}"]`);
    const list = document.querySelector('.bin-list');
    if (!row || !list) return false;
    const r = row.getBoundingClientRect();
    const l = list.getBoundingClientRect();
    return r.top >= l.top - 0.5 && r.bottom <= l.bottom + 0.5;
  }, id);

describe('library pane: navigation, time span, search, not indexed, open bins', () => {
  let dir: string;
  let catalogue: Catalogue;
  let port: CataloguePort;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;
  const filtersSent: BinsFilter[] = [];
  let damaged: SyntheticBin;

  before(async () => {
    dir = makeTempDir('ifcb-viewer-library-nav-');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    for (let h = 0; h < GOOD; h++) writeSyntheticBin(data, { epochMs: START + h * HOUR, targets: 4, emptyEvery: 0, instrument: 7, minSize: 16, maxSize: 40, seed: h + 1 });
    const bad = writeSyntheticBin(data, { epochMs: Date.parse('2024-05-03T00:00:00Z'), targets: 4, instrument: 7, minSize: 16, maxSize: 40 });
    writeFileSync(bad.paths.adc, 'this,is,not\nan,adc\n');
    // Outside the library: a bin that will be damaged after it was opened.
    const loose = path.join(dir, 'loose');
    mkdirSync(loose);
    damaged = writeSyntheticBin(loose, { epochMs: Date.parse('2024-06-01T00:00:00Z'), targets: 4, instrument: 8, minSize: 16, maxSize: 40 });

    const indexed = await indexedCatalogue(dir, [data]);
    catalogue = indexed.catalogue;
    port = indexed.port;
    // The real catalogue, with the filters the page sends recorded.
    const recording: CataloguePort = { ...port, listBins: (filter, page) => (filtersSent.push(filter), port.listBins(filter, page)) };
    server = await startViewer({ roots: [dir, DATA_ROOT], catalogue: recording });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1024, height: 700 });
    await v.page.waitForSelector('.bin-row');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    catalogue?.close();
    removeTempDir(dir);
  });

  test('arrows and Enter in the list: End reaches the oldest bin, Enter opens it, the mosaic keeps its keys', async () => {
    const p = v.page;
    await p.locator('.bin-list').focus();
    await p.keyboard.press('End');
    await p.waitForFunction((id) => document.querySelector('.bin-row.is-cursor')?.getAttribute('data-bin') === id, idAt(0));
    assert.ok(await rowInView(p, idAt(0)));
    await p.keyboard.press('Enter');
    await waitForStatusBin(p, idAt(0));
    assert.match((await p.getAttribute(`.bin-row[data-bin="${idAt(0)}"]`, 'class')) ?? '', /is-active/);
    // Up goes one bin newer, across a day boundary too; Enter opens it. The mosaic's focus did not move.
    await p.keyboard.press('ArrowUp');
    await p.keyboard.press('Enter');
    await waitForStatusBin(p, idAt(1));
    assert.equal(await p.locator('.tile.is-focused').count(), 0);
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown'); // the oldest bin is the last row: the cursor stays on it
    assert.equal(await p.getAttribute('.bin-row.is-cursor', 'data-bin'), idAt(0));
    await p.keyboard.press('Home');
    assert.equal(await p.getAttribute('.bin-row.is-cursor', 'data-bin'), BAD_ID);
    assert.equal(await p.getAttribute('.bin-list', 'aria-activedescendant'), `bin-option-${BAD_ID}`);
    await screenshot(p, 'library-keyboard-1024');
  });

  test('[ / ]: five presses 100 ms apart move five bins; the list follows the open bin', async () => {
    const p = v.page;
    await p.locator('.bin-list').focus();
    await p.keyboard.press('End');
    await p.keyboard.press('Enter');
    await waitForStatusBin(p, idAt(0));
    await p.locator('.mosaic-scroll').focus();
    for (let i = 0; i < 5; i++) {
      await p.keyboard.press(']');
      // The user's pace, not a wait for the app: each press lands 100 ms after the last.
      await p.waitForTimeout(100);
    }
    await waitForStatusBin(p, idAt(5));
    // Twenty presses as fast as keys repeat: twenty bins, and the list scrolled up to show where we are.
    for (let i = 0; i < 20; i++) await p.keyboard.press(']');
    await waitForStatusBin(p, idAt(25));
    await p.waitForFunction((id) => document.querySelector('.bin-row.is-active')?.getAttribute('data-bin') === id, idAt(25));
    assert.ok(await rowInView(p, idAt(25)), 'the open bin is scrolled into view');
    // Past the newest good bin there is only the unreadable one: presses beyond the end do nothing.
    for (let i = 0; i < 9; i++) await p.keyboard.press(']');
    await p.waitForFunction((id) => document.querySelector('.state-panel.state-error .state-title')?.textContent === `Could not open ${id}`, BAD_ID);
    for (let i = 0; i < 3; i++) await p.keyboard.press('[');
    await waitForStatusBin(p, idAt(27));
    assert.equal(await statusBin(p), idAt(27));
  });

  test('a chart point opens its bin and the list scrolls to it', async () => {
    const p = v.page;
    await p.locator('.bin-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await p.click(`circle[data-bin="${idAt(29)}"]`);
    await waitForStatusBin(p, idAt(29));
    await p.waitForFunction((id) => document.querySelector('.bin-row.is-active')?.getAttribute('data-bin') === id, idAt(29));
    await p.waitForFunction(() => (document.querySelector('.bin-list')?.scrollTop ?? 1) < 100);
    assert.ok(await rowInView(p, idAt(29)));
  });

  test('a typed time span is exact to the second, both ends included; a day alone is the whole day', async () => {
    const p = v.page;
    const from = p.getByRole('textbox', { name: 'From (UTC)' });
    const to = p.getByRole('textbox', { name: 'To (UTC)' });
    const expectRows = async (ids: string[]) => {
      await p.waitForFunction((want) => [...document.querySelectorAll('.bin-row')].map((r) => r.getAttribute('data-bin')).join() === want.join(), ids);
      assert.deepEqual(await rowIds(p), ids);
    };
    await from.fill('2024-05-01 03:00:00');
    await to.fill('2024-05-01 05:00:00');
    await expectRows([idAt(5), idAt(4), idAt(3)]);
    await to.fill('2024-05-01 04:59:59');
    await expectRows([idAt(4), idAt(3)]);
    await from.fill('2024-05-01 03:00:01');
    await expectRows([idAt(4)]);
    // Half-typed text is not a bound: the list stays as it was and the field says so.
    await from.fill('2024-05-01 03:');
    assert.equal(await from.getAttribute('aria-invalid'), 'true');
    await expectRows([idAt(4)]);
    await from.fill('2024-05-02');
    await to.fill('2024-05-02');
    await expectRows([5, 4, 3, 2, 1, 0].map((h) => idAt(24 + h)));
    await p.click('button[aria-label="Clear the time span"]');
    await p.waitForFunction((n) => document.querySelectorAll('.bin-row').length >= n, 12);
    assert.equal(await from.inputValue(), '');
  });

  test('a brush selects exactly the seconds it covers, and the fields show them whole', async () => {
    const p = v.page;
    const chart = (await p.locator('.chart-svg').boundingBox())!;
    const y = chart.y + chart.height * 0.5;
    await p.mouse.move(chart.x + chart.width * 0.3, y);
    await p.mouse.down();
    await p.mouse.move(chart.x + chart.width * 0.55, y, { steps: 4 });
    await p.mouse.up();
    await p.waitForFunction(() => (document.querySelector<HTMLInputElement>('input[aria-label="To (UTC)"]')?.value ?? '') !== '');
    const shownFrom = await p.inputValue('input[aria-label="From (UTC)"]');
    const shownTo = await p.inputValue('input[aria-label="To (UTC)"]');
    assert.match(shownFrom, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.match(shownTo, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const a = Date.parse(`${shownFrom.replace(' ', 'T')}Z`);
    const b = Date.parse(`${shownTo.replace(' ', 'T')}Z`);
    // Not whole days: the brush spans about a quarter of the 52 h archive.
    assert.ok(b - a > 6 * HOUR && b - a < 24 * HOUR, `${shownFrom} – ${shownTo}`);
    assert.notEqual(shownFrom.slice(11), '00:00:00');
    const want: string[] = [];
    for (let h = GOOD - 1; h >= 0; h--) if (START + h * HOUR >= a && START + h * HOUR <= b) want.push(idAt(h));
    await p.waitForFunction((ids) => [...document.querySelectorAll('.bin-row')].map((r) => r.getAttribute('data-bin')).join() === ids.join(), want);
    assert.ok(want.length >= 6);
    const sent = filtersSent[filtersSent.length - 1]!;
    assert.deepEqual({ from: sent.from, to: sent.to }, { from: a, to: b + 1000 });
    await screenshot(p, 'library-brush-1024');
    await p.click('button[aria-label="Clear the time span"]');
  });

  test('search sends what was typed, upper-cased, and lists what the catalogue answers', async () => {
    const p = v.page;
    const search = p.getByRole('searchbox', { name: 'Search bins by id or instrument' });
    await search.fill('d20240502t00');
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 1);
    assert.deepEqual(await rowIds(p), [idAt(24)]);
    assert.equal(filtersSent[filtersSent.length - 1]!.search, 'D20240502T00');
    // Any part of the id: 03:00 on both days.
    await search.fill('t03');
    await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 2);
    assert.equal(filtersSent[filtersSent.length - 1]!.search, 'T03');
    assert.deepEqual(await rowIds(p), [idAt(27), idAt(3)]);
    await search.fill('#7');
    await p.waitForFunction((n) => document.querySelector('.library-footer')?.textContent?.startsWith(`${n} bins`), GOOD + 1);
    assert.equal(filtersSent[filtersSent.length - 1]!.instrument, 7);
    await search.fill('');
  });

  test('what could not be indexed is listed with its code', async () => {
    const p = v.page;
    const toggle = p.locator('.not-indexed-toggle');
    assert.equal((await toggle.textContent())?.replace(/\s+/g, ' ').trim(), '1 file not indexed▸');
    await toggle.click();
    const item = p.locator('.not-indexed-list li');
    assert.equal(await item.count(), 1);
    // Its .adc, relative to its library folder (the bin lies at the top of it).
    assert.equal(await item.locator('.not-indexed-path').textContent(), `${BAD_ID}.adc`);
    assert.equal(await item.locator('.error-code').textContent(), 'ADC_MALFORMED_ROW');
    await toggle.click();
  });

  test('Open bins: a bin from the OS and one from the Open dialog stay reachable; a damaged one shows its code', async () => {
    const p = v.page;
    deliverOsOpen(server.ctx, SAMPLE.C + '.adc');
    await waitForStatusBin(p, 'D20220522T003051_IFCB134');
    await openBinByPath(p, `${SAMPLE.B}.adc`, 'D20130526T095207_IFCB013');
    const group = p.getByRole('region', { name: 'Open bins' });
    assert.deepEqual(await group.locator('.open-bin-id').allTextContents(), ['D20220522T003051_IFCB134', 'D20130526T095207_IFCB013']);
    await p.click(`.bin-row[data-bin="${idAt(28)}"]`);
    await waitForStatusBin(p, idAt(28));
    await group.locator('[data-open-bin="D20220522T003051_IFCB134"]').click();
    await waitForStatusBin(p, 'D20220522T003051_IFCB134');
    assert.equal(await group.locator('[data-open-bin="D20220522T003051_IFCB134"]').getAttribute('aria-current'), 'true');
    // The OS opens a bin whose .adc is damaged by the time the page reads it: listed, with its error code.
    const opened = openTrustedPath(server.ctx, damaged.paths.adc);
    writeFileSync(damaged.paths.adc, 'this,is,not\nan,adc\n');
    server.ctx.events.emit({ type: 'bin-opened', bin: opened.bin });
    await p.waitForSelector(`[data-open-bin="${damaged.id}"] + .open-bin-error .error-code`);
    assert.equal(await p.textContent(`[data-open-bin="${damaged.id}"] + .open-bin-error .error-code`), 'ADC_MALFORMED_ROW');
    assert.match((await p.textContent(`[data-open-bin="${damaged.id}"] + .open-bin-error`)) ?? '', /is not a number/);
    assert.equal(await p.textContent('.state-panel .error-code'), 'Error code ADC_MALFORMED_ROW');
    assert.deepEqual(await group.locator('.open-bin-id').allTextContents(), ['D20220522T003051_IFCB134', 'D20130526T095207_IFCB013', damaged.id]);
    await screenshot(p, 'library-open-bins-1024');
  });

  test('no console errors', () => {
    assert.deepEqual(v.errors, []);
  });
});

describe('Open bins without a library', () => {
  test('a bin opened with no library folder is listed and reopens', async () => {
    const server = await startViewer({ roots: [DATA_ROOT] });
    const browser = await launchBrowser();
    try {
      const v = await openViewer(browser, server.url, { width: 1024, height: 700 });
      await v.page.waitForSelector('.library-empty');
      deliverOsOpen(server.ctx, SAMPLE.C + '.adc');
      await waitForStatusBin(v.page, 'D20220522T003051_IFCB134');
      await openBinByPath(v.page, `${SAMPLE.B}.adc`, 'D20130526T095207_IFCB013');
      await v.page.click('[data-open-bin="D20220522T003051_IFCB134"]');
      await waitForStatusBin(v.page, 'D20220522T003051_IFCB134');
      assert.deepEqual(await v.page.locator('.open-bin-id').allTextContents(), ['D20220522T003051_IFCB134', 'D20130526T095207_IFCB013']);
      assert.deepEqual(v.errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
