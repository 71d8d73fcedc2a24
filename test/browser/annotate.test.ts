/**
 * Annotating in Chromium: the sample data as a library with ../shared/ifcb-products as its results folder, plus a
 * day of two synthetic bins. Number keys, type-to-search, "confirm the classifier", clearing, undo/redo, on a click,
 * a Shift+click range across two bins of a day (one request, one undo step) and a rubber band; every label read back
 * through the bridge (what the library stored, with its annotator). Without a library a key says labels need one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DATA_ROOT, SAMPLE } from '../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import type { SyntheticBin } from '../helpers/synthetic-bin.ts';
import { indexedCatalogue, launchBrowser, openBinByPath, openViewer, screenshot, selectedTargets, startViewer, waitForPaintedTiles } from '../helpers/browser.ts';
import type { ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import type { Catalogue } from '../../main/index/catalogue.ts';
import type { BinClasses } from '../../shared/ipc/contract.ts';
import { currentAnnotator } from '../../main/products/label-store.ts';
import { PRODUCTS_ROOT } from '../node/products/paths.ts';

const IRFCB = 'D20220522T003051_IFCB134';
const DAY = '2024-03-02';

/** A channel called from the page through the bridge, as the renderer's transport does. */
export async function callBridge<T>(page: Page, channel: string, request: unknown): Promise<T> {
  return page.evaluate(
    async ([c, body]) => {
      const token = /^\/t\/([A-Za-z0-9_-]+)\//.exec(location.pathname)![1]!;
      const r = await fetch(`/t/${token}/api/${c}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ifcb-token': token }, body: JSON.stringify(body) });
      const result = (await r.json()) as { ok: boolean; value?: unknown; error?: { code: string } };
      if (!result.ok) throw new Error(`${c}: ${result.error?.code}`);
      return result.value;
    },
    [channel, request] as const,
  ) as Promise<T>;
}

/** The labels the library holds for a bin, by target (null: not reviewed), as `bin:classes` answers them. */
export async function storedLabels(page: Page, binId: string): Promise<Record<number, string | null>> {
  const t = await callBridge<BinClasses>(page, 'bin:classes', { binId });
  return Object.fromEntries(t.targets.map((target, i) => [target, t.manual[i]! < 0 ? null : t.classes[t.manual[i]!]!]));
}

/** The palette's numbered classes, in order. */
async function paletteClasses(page: Page): Promise<string[]> {
  return page.$$eval('.palette-class', (els) => els.map((e) => e.getAttribute('data-class')!));
}

/** Wait for an info toast with exactly this text. */
async function toast(page: Page, text: string): Promise<void> {
  try {
    await page.waitForFunction((t) => [...document.querySelectorAll('.toast .toast-text')].some((e) => e.textContent === t), text, { timeout: 10_000 });
  } catch (e) {
    const shown = await page.$$eval('.toast .toast-text', (els) => els.map((el) => el.textContent));
    throw new Error(`no toast "${text}"; shown: ${JSON.stringify(shown)}`, { cause: e });
  }
}

/** Count the requests made on one channel. */
function countRequests(page: Page, channel: string): { count: number } {
  const counter = { count: 0 };
  page.on('request', (r) => {
    if (r.url().endsWith(`/api/${channel}`)) counter.count++;
  });
  return counter;
}

async function openFromLibrary(page: Page, binId: string): Promise<void> {
  await page.click(`.bin-row[data-bin="${binId}"]`);
  await page.waitForFunction((id) => document.querySelector('[data-testid="status-bin"]')?.textContent === id, binId);
  await waitForPaintedTiles(page);
}

/** The inspector's manual label of the focus ROI once it reads `name` (null: not reviewed). */
async function inspectorLabel(page: Page, name: string | null): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('.inspector [data-testid="manual-label"]')?.getAttribute('data-class') === n, name ?? '');
}

/** The class chip of each tile by target (a person's labels only: `data-manual`). */
async function tileLabels(p: Page): Promise<Record<number, string | null>> {
  return p.$$eval('.tile', (tiles) =>
    Object.fromEntries(tiles.map((t) => {
      const chip = t.querySelector('.tile-class[data-manual="true"]');
      return [Number(t.getAttribute('data-target')), chip ? chip.getAttribute('data-class') : null];
    })),
  );
}

describe('annotating with a library and a results folder', () => {
  let dir: string;
  let catalogue: Catalogue;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;
  let day: SyntheticBin[];

  before(async () => {
    dir = makeTempDir('ifcb-viewer-annotate-');
    const archive = path.join(dir, 'archive');
    mkdirSync(archive);
    day = [0, 6].map((hour, i) => writeSyntheticBin(archive, { targets: i === 0 ? 14 : 9, epochMs: Date.parse(`${DAY}T0${hour}:00:00Z`), seed: 300 + i, minSize: 16, maxSize: 48, emptyEvery: 0 }));
    const indexed = await indexedCatalogue(dir, [DATA_ROOT, archive]);
    catalogue = indexed.catalogue;
    const root = indexed.port.listRoots().find((r) => r.path === DATA_ROOT)!;
    indexed.port.classes!.addResultsFolder(root.id, PRODUCTS_ROOT);
    server = await startViewer({ roots: [DATA_ROOT, dir], catalogue: indexed.port });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    await v.page.waitForSelector(`.bin-row[data-bin="${IRFCB}"]`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    catalogue?.close();
    removeTempDir(dir);
  });

  test('number keys label the clicked image; undo and redo say what they did; the inspector shows who and when', async () => {
    const p = v.page;
    await openFromLibrary(p, IRFCB);
    const table = await callBridge<BinClasses>(p, 'bin:classes', { binId: IRFCB });
    // the classifier's 45 classes, by name (nothing pinned yet)
    const expected = [...table.classes].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })).slice(0, 9);
    await p.waitForFunction((n) => document.querySelectorAll('.palette-class').length === n, 9);
    assert.deepEqual(await paletteClasses(p), expected);
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: 'Mesodinium_rubrum', 3: 'Mesodinium_rubrum' });

    await p.click('.tile[data-target="2"]');
    await inspectorLabel(p, 'Mesodinium_rubrum');
    // top classes with h5py's scores, as bars
    await p.waitForSelector('.inspector .class-score');
    assert.deepEqual(await p.$$eval('.inspector .class-score', (els) => els.slice(0, 3).map((e) => [e.getAttribute('data-class'), e.querySelector('.num')!.textContent])), [
      ['Mesodinium_rubrum', '0.630'],
      ['Prorocentrum_micans', '0.170'],
      ['Double_cells', '0.110'],
    ]);
    // sizes from the fea_v2 file at 3.4 px/µm (EquivDiameter 79.96379802 px)
    assert.match((await p.textContent('.inspector [data-testid="roi-sizes"]'))!, /ESD23\.52 µm/);

    assert.deepEqual(await tileLabels(p), { 2: 'Mesodinium_rubrum', 3: 'Mesodinium_rubrum' });
    await p.keyboard.press('3');
    await toast(p, `Labelled: 1 image → ${expected[2]}`);
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: expected[2], 3: 'Mesodinium_rubrum' });
    await inspectorLabel(p, expected[2]!);
    // the tile's chip says it too, as a person's label
    assert.deepEqual(await tileLabels(p), { 2: expected[2], 3: 'Mesodinium_rubrum' });
    await p.waitForFunction((who) => document.querySelector('.inspector [data-testid="labelled-by"]')?.textContent?.startsWith(`${who}, `), currentAnnotator());

    await p.keyboard.press('Control+z');
    await toast(p, `Undid: 1 image → ${expected[2]}`);
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: 'Mesodinium_rubrum', 3: 'Mesodinium_rubrum' });
    await inspectorLabel(p, 'Mesodinium_rubrum');
    await p.waitForFunction(() => document.querySelector('.tile[data-target="2"] .tile-class')?.getAttribute('data-class') === 'Mesodinium_rubrum');
    await p.keyboard.press('Control+Shift+z');
    await toast(p, `Redid: 1 image → ${expected[2]}`);
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: expected[2], 3: 'Mesodinium_rubrum' });
    await p.keyboard.press('Control+z');
    await toast(p, `Undid: 1 image → ${expected[2]}`);
    await p.keyboard.press('Control+y');
    await toast(p, `Redid: 1 image → ${expected[2]}`);
    await inspectorLabel(p, expected[2]!);
  });

  test('with nothing selected a key labels the focus tile and the focus moves on; Backspace clears; K confirms the classifier', async () => {
    const p = v.page;
    // Escape-free way to an empty selection with the focus kept: Ctrl+Shift+A selects none
    await p.click('.tile[data-target="2"]');
    await p.keyboard.press('Control+Shift+a');
    assert.deepEqual(await selectedTargets(p), []);
    const palette = await paletteClasses(p);
    await p.keyboard.press('1');
    await toast(p, `Labelled: 1 image → ${palette[0]}`);
    // the focus went on to ROI 3
    await p.waitForSelector('.tile.is-focused[data-target="3"]');
    await p.keyboard.press('Backspace');
    await toast(p, 'Labelled: 1 image → not reviewed');
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: palette[0], 3: null });

    await p.keyboard.press('Control+a');
    assert.deepEqual(await selectedTargets(p), [2, 3]);
    const confirms = countRequests(p, 'labels:confirm');
    await p.keyboard.press('k');
    await toast(p, 'Confirmed: classifier confirmed for 2 images');
    assert.equal(confirms.count, 1);
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: 'Mesodinium_rubrum', 3: 'Mesodinium_rubrum' });
    // a selection keeps its focus
    assert.deepEqual(await selectedTargets(p), [2, 3]);
    await p.keyboard.press('Control+z');
    await toast(p, 'Undid: classifier confirmed for 2 images');
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: palette[0], 3: null });
  });

  test('type-to-search: / opens it, typing narrows, arrows choose, Enter labels, Esc closes; a new name becomes a class', async () => {
    const p = v.page;
    await p.keyboard.press('Control+a');
    await p.keyboard.press('/');
    const input = p.locator('.class-search input');
    await input.waitFor();
    await input.fill('micans');
    // the one class that matches, and the typed name as a new class
    assert.deepEqual(await p.$$eval('.class-search [role="option"]', (els) => els.map((e) => e.getAttribute('data-class'))), ['Prorocentrum_micans', 'micans']);
    await input.fill('dino');
    const options = await p.$$eval('.class-search [role="option"]', (els) => els.map((e) => e.getAttribute('data-class')!));
    assert.ok(options.length >= 2, options.join());
    await input.press('ArrowDown');
    assert.equal(await p.getAttribute('.class-search [aria-selected="true"]', 'data-class'), options[1]);
    await input.press('Enter');
    await toast(p, `Labelled: 2 images → ${options[1]}`);
    assert.equal(await p.locator('.class-search').count(), 0);
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: options[1], 3: options[1] });

    await p.keyboard.press('/');
    await input.fill('Ciliate, stalked');
    assert.deepEqual(await p.$$eval('.class-search [role="option"]', (els) => els.map((e) => e.textContent)), ['New class “Ciliate, stalked”']);
    await input.press('Escape');
    assert.equal(await p.locator('.class-search').count(), 0);
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: options[1], 3: options[1] });
    await p.keyboard.press('/');
    await input.fill('Ciliate, stalked');
    await input.press('Enter');
    await toast(p, 'Labelled: 2 images → Ciliate, stalked');
    assert.deepEqual(await storedLabels(p, IRFCB), { 2: 'Ciliate, stalked', 3: 'Ciliate, stalked' });
    const listed = await callBridge<{ classes: { name: string; labelled: number }[] }>(p, 'classes:list', {});
    assert.deepEqual(
      listed.classes.find((c) => c.name === 'Ciliate, stalked'),
      { name: 'Ciliate, stalked', labelled: 2 },
    );
  });

  test('the palette order is edited with up/down and remembered; the number keys follow it', async () => {
    const p = v.page;
    const before = await paletteClasses(p);
    await p.click('.palette-actions button:has-text("Edit")');
    await p.click(`.palette-editor [aria-label="Move ${before[1]} up"]`);
    await p.click('.palette-editor button:has-text("Done")');
    assert.deepEqual((await paletteClasses(p)).slice(0, 3), [before[1], before[0], before[2]]);
    await p.reload();
    await p.waitForSelector('.app[data-ready="true"]');
    await openFromLibrary(p, IRFCB);
    assert.deepEqual((await paletteClasses(p)).slice(0, 3), [before[1], before[0], before[2]]);
    await p.click('.tile[data-target="3"]');
    await p.keyboard.press('1');
    await toast(p, `Labelled: 1 image → ${before[1]}`);
    assert.equal((await storedLabels(p, IRFCB))[3], before[1]);

    // a row dragged onto another takes its place
    const order = await paletteClasses(p);
    await p.click('.palette-actions button:has-text("Edit")');
    await p.dragAndDrop(`.palette-order li[data-class="${order[3]}"]`, `.palette-order li[data-class="${order[0]}"]`);
    await p.click('.palette-editor button:has-text("Done")');
    assert.deepEqual((await paletteClasses(p)).slice(0, 5), [order[3], order[0], order[1], order[2], order[4]]);
  });

  test('across two bins of a day: Shift+click selects a range over both, one key is one request and one undo step', async () => {
    const p = v.page;
    await p.click(`.day-header[data-day="${DAY}"]`);
    const [a, b] = day as [SyntheticBin, SyntheticBin];
    await p.waitForSelector(`.bin-header[data-bin="${b.id}"][data-status="ready"]`);
    await waitForPaintedTiles(p);
    const sets = countRequests(p, 'labels:set');
    const first = a.images[10]!.target;
    const last = b.images[3]!.target;
    await p.click(`.tile[data-bin="${a.id}"][data-target="${first}"]`);
    await p.click(`.tile[data-bin="${b.id}"][data-target="${last}"]`, { modifiers: ['Shift'] });
    const inA = a.images.slice(10).map((i) => i.target);
    const inB = b.images.slice(0, 4).map((i) => i.target);
    const palette = await paletteClasses(p);
    await p.keyboard.press('2');
    await toast(p, `Labelled: ${inA.length + inB.length} images → ${palette[1]}`);
    assert.equal(sets.count, 1);
    const labelsOf = async (bin: SyntheticBin) => {
      const stored = await storedLabels(p, bin.id);
      return Object.keys(stored)
        .map(Number)
        .filter((t) => stored[t] === palette[1]);
    };
    assert.deepEqual(await labelsOf(a), inA);
    assert.deepEqual(await labelsOf(b), inB);
    await p.keyboard.press('Control+z');
    await toast(p, `Undid: ${inA.length + inB.length} images → ${palette[1]}`);
    assert.deepEqual(await labelsOf(a), []);
    assert.deepEqual(await labelsOf(b), []);
    await p.keyboard.press('Control+Shift+z');
    await toast(p, `Redid: ${inA.length + inB.length} images → ${palette[1]}`);
    assert.deepEqual(await labelsOf(a), inA);
    assert.deepEqual(await labelsOf(b), inB);
    // stored with who gave them
    const { labelled } = await callBridge<{ labelled: { label: string; annotator: string } }>(p, 'bin:roi-scores', { binId: b.id, target: inB[0] });
    assert.deepEqual([labelled.label, labelled.annotator], [palette[1], currentAnnotator()]);
  });

  test('a rubber band selection is labelled exactly', async () => {
    const p = v.page;
    const [a] = day as [SyntheticBin];
    // drag from the padding left of the first tile down to the middle of the fourth
    const box = (await p.locator(`.tile[data-bin="${a.id}"][data-target="${a.images[0]!.target}"]`).boundingBox())!;
    const to = (await p.locator(`.tile[data-bin="${a.id}"][data-target="${a.images[3]!.target}"]`).boundingBox())!;
    const band = { left: box.x - 6, top: box.y - 2, right: to.x + to.width / 2, bottom: to.y + to.height / 2 };
    await p.mouse.move(band.left, band.top);
    await p.mouse.down();
    await p.mouse.move(band.right, band.bottom, { steps: 5 });
    await p.mouse.up();
    // the tiles the band touches, from their boxes on screen
    const touched = await p.$$eval(
      `.tile[data-bin="${a.id}"]`,
      (tiles, r) =>
        tiles
          .filter((t) => {
            const b = t.getBoundingClientRect();
            return b.left < r.right && b.right > r.left && b.top < r.bottom && b.bottom > r.top;
          })
          .map((t) => Number((t as HTMLElement).dataset['target']))
          .sort((x, y) => x - y),
      band,
    );
    const banded = await selectedTargets(p);
    assert.ok(touched.length >= 4, `band touched ${touched.join()}`);
    assert.deepEqual(banded, touched);
    // the library's classes (those labelled above) are the palette here: these bins have no classifier results
    const palette = await paletteClasses(p);
    await p.keyboard.press('1');
    await toast(p, `Labelled: ${banded.length} images → ${palette[0]}`);
    const stored = await storedLabels(p, a.id);
    assert.deepEqual(
      Object.keys(stored)
        .map(Number)
        .filter((t) => stored[t] === palette[0]),
      banded,
    );
    assert.deepEqual(v.errors, []);
  });

  test('a key on the focus tile at the bottom edge moves the focus to the next row and scrolls it into sight', async () => {
    const p = v.page;
    const [a] = day as [SyntheticBin];
    await p.setViewportSize({ width: 1024, height: 500 });
    // large tiles: the day's rows reach far below the window
    for (let i = 0; i < 8; i++) await p.keyboard.press('+');
    await waitForPaintedTiles(p);
    // a tile that ends its row, and the next one (first of the next row), far enough down to be scrolled below the edge
    const { focus, next } = await p.evaluate((binId) => {
      const scroller = document.querySelector<HTMLElement>('.mosaic-scroll')!;
      const top = scroller.getBoundingClientRect().top - scroller.scrollTop;
      const tiles = [...document.querySelectorAll<HTMLElement>(`.tile[data-bin="${binId}"]`)]
        .map((t) => ({ key: Number(t.dataset['key']), r: t.getBoundingClientRect() }))
        .sort((x, y) => x.r.top - y.r.top || x.r.left - y.r.left);
      const i = tiles.findIndex((t, k) => k + 1 < tiles.length && tiles[k + 1]!.r.top > t.r.top && tiles[k + 1]!.r.top - top > scroller.clientHeight);
      return { focus: tiles[i]!.key, next: tiles[i + 1]!.key };
    }, a.id);
    await p.click(`.tile[data-key="${focus}"]`);
    await p.keyboard.press('Control+Shift+a');
    // scroll until the focus tile's row ends at the scroller's bottom edge: the next tile is out of sight below
    await p.waitForFunction(
      ([f, k]) => {
        const scroller = document.querySelector<HTMLElement>('.mosaic-scroll')!;
        const view = scroller.getBoundingClientRect();
        const focusBox = document.querySelector(`.tile[data-key="${f}"]`)!.getBoundingClientRect();
        const nextBox = document.querySelector(`.tile[data-key="${k}"]`)!.getBoundingClientRect();
        if (focusBox.bottom <= view.bottom && nextBox.top >= view.bottom) return true;
        scroller.scrollTop += nextBox.top - view.bottom;
        return false;
      },
      [focus, next] as const,
      { polling: 'raf' },
    );
    await p.keyboard.press('1');
    await p.waitForSelector(`.tile.is-focused[data-key="${next}"]`);
    await p.waitForFunction((k) => {
      const view = document.querySelector('.mosaic-scroll')!.getBoundingClientRect();
      const box = document.querySelector(`.tile[data-key="${k}"]`)!.getBoundingClientRect();
      return box.top >= view.top && box.bottom <= view.bottom;
    }, next);
    await p.setViewportSize({ width: 1440, height: 900 });
  });
});

describe('annotating without a library', () => {
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;
  before(async () => {
    server = await startViewer({ roots: [DATA_ROOT] });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1024, height: 700 });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a labelling key says that labels need a library (NOT_AVAILABLE) and changes nothing', async () => {
    const p = v.page;
    await openBinByPath(p, `${SAMPLE.B}.adc`, path.basename(SAMPLE.B));
    await waitForPaintedTiles(p);
    assert.equal(await p.getAttribute('.class-palette', 'data-can-label'), 'false');
    await p.click('.tile >> nth=0');
    for (const key of ['k', 'Backspace', 'Control+z']) {
      if (await p.locator('.toast').count()) await p.click('.toast .btn-icon');
      await p.waitForFunction(() => !document.querySelector('.toast'));
      await p.keyboard.press(key);
      await p.waitForSelector('.toast[role="alert"] .error-code');
      assert.equal(await p.textContent('.toast[role="alert"] .error-code'), 'NOT_AVAILABLE');
      assert.match((await p.textContent('.toast[role="alert"] .toast-text'))!, /Labels are kept in the library/);
    }
    await screenshot(p, 'annotate-no-library-1024');
  });
});
