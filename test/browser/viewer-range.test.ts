/**
 * The range view in Chromium on a 3-day synthetic archive: a day chosen in the library shows all its bins in one
 * mosaic with a header per bin (exact image counts), the last bin is reached by scrolling and its pixels read back
 * exactly, a selection across two bins exports both, and a sort by area runs across the whole range.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import type { SyntheticBin } from '../helpers/synthetic-bin.ts';
import { indexedCatalogue, launchBrowser, openBinByPath, openViewer, paintedPixels, screenshot, startViewer } from '../helpers/browser.ts';
import type { ViewerPage } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import type { Catalogue } from '../../main/index/catalogue.ts';

const at = (day: number, hour: number) => Date.UTC(2024, 2, day, hour);
/** Bins of the archive: [day of March 2024, hour, targets]. Day 2 is the one viewed. */
const ARCHIVE: [number, number, number][] = [
  [1, 1, 30],
  [1, 9, 50],
  [2, 0, 40],
  [2, 6, 400],
  [2, 12, 25],
  [2, 18, 300],
  [2, 23, 60],
  [3, 10, 20],
];

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** (bin, target) of the tiles in the DOM, in display order (top to bottom, left to right). */
async function tilesShown(page: Page): Promise<string[]> {
  return page.$$eval('.tile', (tiles) =>
    tiles
      .map((t) => ({ id: `${(t as HTMLElement).dataset['bin']}:${(t as HTMLElement).dataset['target']}`, rect: t.getBoundingClientRect() }))
      .sort((a, b) => a.rect.top - b.rect.top || a.rect.left - b.rect.left)
      .map((t) => t.id),
  );
}


describe('range view over a 3-day archive', () => {
  let dir: string;
  let archive: string;
  let catalogue: Catalogue;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;
  let bins: SyntheticBin[];
  let day2: SyntheticBin[];

  before(async () => {
    dir = makeTempDir('ifcb-viewer-range-');
    archive = path.join(dir, 'archive');
    mkdirSync(archive);
    bins = ARCHIVE.map(([day, hour, targets], i) => writeSyntheticBin(archive, { targets, epochMs: at(day, hour), seed: 100 + i, minSize: 16, maxSize: 90 }));
    day2 = bins.filter((_, i) => ARCHIVE[i]![0] === 2);
    const indexed = await indexedCatalogue(dir, [archive], {});
    catalogue = indexed.catalogue;
    server = await startViewer({ roots: [archive, dir], catalogue: indexed.port });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    await v.page.waitForSelector('.day-header[data-day="2024-03-02"]');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    catalogue?.close();
    removeTempDir(dir);
  });

  test('a day is one mosaic: bins in time order, each header with its exact image count', async () => {
    const p = v.page;
    await p.click('.day-header[data-day="2024-03-02"]');
    await p.waitForSelector('[data-testid="status-range"]');
    assert.equal(await p.textContent('[data-testid="status-range"]'), 'Sat, 2 Mar 2024');
    // The first bin is on the first screen, whole: its tiles are all in the DOM.
    const first = day2[0]!;
    await p.waitForSelector(`.bin-header[data-bin="${first.id}"][data-status="ready"]`);
    assert.equal(await p.locator(`.tile[data-bin="${first.id}"]`).count(), first.images.length);
    // Scroll through the day: every header appears once, in time order, with its count.
    const seen = new Map<string, string>();
    for (let step = 0; step < 400 && seen.size < day2.length; step++) {
      // the bins on screen have their geometry (a header on its way is waited for, not skipped)
      await p.waitForFunction(() => [...document.querySelectorAll('.bin-header')].every((h) => h.getAttribute('data-status') === 'ready'));
      const headers = await p.$$eval('.bin-header[data-status="ready"]', (els) => els.map((e) => [e.getAttribute('data-bin')!, e.querySelector('[data-testid="bin-header-images"]')!.textContent!] as [string, string]));
      for (const [id, text] of headers) if (!seen.has(id)) seen.set(id, text);
      await p.locator('.mosaic-scroll').evaluate((el) => {
        el.scrollTop += el.clientHeight / 2;
      });
    }
    assert.deepEqual([...seen.keys()], day2.map((b) => b.id));
    assert.deepEqual([...seen.values()], day2.map((b) => `${b.images.length} images`));
    const total = day2.reduce((n, b) => n + b.images.length, 0);
    await p.waitForFunction((t) => document.querySelector('[data-testid="status-images"]')?.textContent === `${t.toLocaleString('en-US')} / ${t.toLocaleString('en-US')} images`, total);
  });

  test('scrolling to the last bin paints its images with their exact raw pixels', async () => {
    const p = v.page;
    const last = day2[day2.length - 1]!;
    const known = last.images[last.images.length - 1]!;
    // Bins above may still grow as they load: keep going to the end until the known image is painted there, with
    // the view at rest since the last poll (a scroll just made is painted on a later frame).
    await p.waitForFunction(
      ([id, t]) => {
        const el = document.querySelector('.mosaic-scroll')!;
        const before = el.scrollTop;
        el.scrollTop = el.scrollHeight;
        if (el.scrollTop !== before) return false;
        return document.querySelector(`.tile[data-bin="${id}"][data-target="${t}"]`)?.getAttribute('data-state') === 'painted';
      },
      [last.id, known.target] as const,
      { polling: 100 },
    );
    const expected = { sha: sha(last.pixelsOf(known.target)), width: known.width, height: known.height };
    // a bin above that answers late moves the tile once more: read again until the frame after it (at most 5 s)
    let painted = await paintedPixels(p, known.target, last.id);
    for (const t0 = Date.now(); painted.sha !== expected.sha && Date.now() - t0 < 5000; ) painted = await paintedPixels(p, known.target, last.id);
    assert.deepEqual(painted, expected);
    await screenshot(p, 'range-view');
  });

  test('a selection across two bins exports both', async () => {
    const p = v.page;
    await p.locator('.mosaic-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    const [a, b] = day2;
    const ta = a!.images[0]!.target;
    const tb = b!.images[0]!.target;
    await p.click(`.tile[data-bin="${a!.id}"][data-target="${ta}"]`);
    await p.waitForSelector(`.tile[data-bin="${b!.id}"][data-target="${tb}"]`);
    await p.click(`.tile[data-bin="${b!.id}"][data-target="${tb}"]`, { modifiers: ['Control'] });
    assert.equal(await p.locator('.tile.is-selected').count(), 2);
    await p.keyboard.press('Control+e');
    const dialog = p.getByRole('dialog');
    assert.equal(await dialog.getByTestId('export-count').textContent(), '2 images from 2 bins');
    const dest = path.join(dir, 'picked');
    await dialog.getByLabel('Folder').check();
    await dialog.locator('input[name="path"]').fill(dest);
    await dialog.getByRole('button', { name: 'Use this path' }).click();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await p.waitForSelector('[data-testid="export-result"][data-outcome="ok"]');
    const pngs = readdirSync(dest).filter((n) => n.endsWith('.png')).sort();
    assert.deepEqual(pngs, [`${a!.id}_${String(ta).padStart(5, '0')}.png`, `${b!.id}_${String(tb).padStart(5, '0')}.png`]);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  test('the status bar shows its items whole at 1024 × 700 and 1440 × 900: hidden, never cut', async () => {
    const p = v.page;
    const bin = day2[1]!;
    await openBinByPath(p, bin.paths.adc, bin.id);
    for (const [width, height] of [[1024, 700], [1440, 900]] as const) {
      await p.setViewportSize({ width, height });
      await p.waitForFunction((w) => window.innerWidth === w, width);
      // The panes follow the window width on the render after the resize (the inspector comes or goes, the bar
      // narrows or widens): measure the bar and its items together until two measurements agree.
      const measure = () =>
        p.evaluate(async () => {
          // after the next frames have rendered
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          const bar = document.querySelector('.status-bar')!.getBoundingClientRect();
          const items = [...document.querySelectorAll('.status-bar > *')]
            .filter((e) => getComputedStyle(e).display !== 'none')
            .map((e) => ({ text: e.textContent, cut: e.scrollWidth > e.clientWidth + 1, right: e.getBoundingClientRect().right }));
          return JSON.stringify({ barRight: bar.right, items });
        });
      let previous = '';
      const settled = await waitFor(async () => {
        const now = await measure();
        const same = now === previous;
        previous = now;
        return same && now;
      }, 5000, 'the status bar to settle');
      const { barRight, items } = JSON.parse(settled) as { barRight: number; items: { text: string | null; cut: boolean; right: number }[] };
      for (const item of items) {
        assert.equal(item.cut, false, `${item.text} is cut at ${width} px`);
        assert.ok(item.right <= barRight + 0.5, `"${item.text}" runs past the bar (${item.right} > ${barRight}) at ${width} px`);
      }
      assert.ok(items.some((i) => i.text === bin.id));
      const time = items.find((i) => i.text?.startsWith('2024-03-02'));
      if (time) assert.equal(time.text, '2024-03-02 06:00:00 UTC');
    }
    await screenshot(p, 'status-bar-1440');
  });

  test('sort by area runs across the whole range: the largest images of the day come first', async () => {
    const p = v.page;
    await p.click('.day-header[data-day="2024-03-02"]');
    await p.waitForSelector('.bin-header');
    await p.selectOption('#sort-key', 'area');
    await p.click('button[aria-label^="Ascending"]');
    const expected = day2
      .flatMap((b, slot) => b.images.map((im) => ({ id: `${b.id}:${im.target}`, area: im.width * im.height, slot, target: im.target })))
      .sort((x, y) => y.area - x.area || x.slot - y.slot || x.target - y.target)
      .map((x) => x.id);
    await p.waitForFunction(() => document.querySelectorAll('.bin-header').length === 0 && document.querySelectorAll('.tile').length > 0);
    // a new sort starts at the top
    assert.equal(await p.$eval('.mosaic-scroll', (el) => el.scrollTop), 0);
    const shown = await tilesShown(p);
    assert.deepEqual(shown.slice(0, 12), expected.slice(0, 12));
    assert.deepEqual(v.errors, []);
  });

  test('the list footer shows what the list shows as one mosaic: with nothing filtered, every bin of the archive', async () => {
    const p = v.page;
    await p.click('.library-footer button:has-text("Show the list as one mosaic")');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-range"]')?.textContent === 'All bins');
    assert.equal(await p.$eval('[data-testid="status-range"]', (el) => el.nextElementSibling?.textContent), `${bins.length} bins`);
    assert.deepEqual(v.errors, []);
  });

  test('bins selected in the list are one mosaic, in time order, with their headers', async () => {
    const p = v.page;
    // in target order a range keeps its bin headers (the sort by area before runs across them)
    await p.selectOption('#sort-key', 'target');
    const [first, second] = [day2[1]!, day2[0]!];
    for (const b of [first, second]) await p.click(`.bin-row[data-bin="${b.id}"]`, { modifiers: ['Control'] });
    await p.click('.library-footer button:has-text("Show 2 bins as one mosaic")');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-range"]')?.textContent === '2 selected bins');
    await p.waitForFunction(() => document.querySelectorAll('.bin-header').length === 2);
    assert.deepEqual(await p.$$eval('.bin-header', (els) => els.map((e) => (e as HTMLElement).dataset['bin'])), [second.id, first.id]);
    assert.deepEqual(v.errors, []);
  });
});
