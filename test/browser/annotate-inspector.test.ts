/**
 * A ROI's classes, sizes and blob outline in Chromium, on the real products of ../shared/ifcb-products added as the
 * library's results folder: the outline of the stitched 263×86 blob of IFCB5_2012_028_081515 ROI 3 is drawn exactly
 * at the mask's edge pixels (the page's canvas read back, against the edge scipy computes from the same PNG decoded
 * by fast-png), over the image, in the inspector and the ROI view, with B toggling it for every ROI. Screenshots of
 * the palette and the inspector at 1024×700 and 1440×900 land in test-output/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { decode } from 'fast-png';
import { openViewer, sampleLibrary, screenshot, waitForPaintedTiles } from '../helpers/browser.ts';
import type { SampleLibrary, ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import { OUTLINE_RGBA } from '../../renderer/lib/blob-outline.ts';
import { PRODUCTS_ROOT } from '../node/products/paths.ts';
import { pythonJson, pythonWith, skipMessage } from '../node/products/python.ts';

const IFCB5 = 'IFCB5_2012_028_081515';
const IRFCB = 'D20220522T003051_IFCB134';

/** The stored mask PNG of a ROI, fetched through the bridge as the page does. */
async function blobPng(page: Page, binId: string, target: number): Promise<Uint8Array> {
  const bytes = await page.evaluate(
    async ([id, t]) => {
      const token = /^\/t\/([A-Za-z0-9_-]+)\//.exec(location.pathname)![1]!;
      const r = await fetch(`/t/${token}/api/bin:blob-mask`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ifcb-token': token }, body: JSON.stringify({ binId: id, target: t }) });
      return [...new Uint8Array(await r.arrayBuffer())];
    },
    [binId, target] as const,
  );
  return Uint8Array.from(bytes);
}

/** Indices (row-major) of the mask's edge: mask minus its erosion by the 4-neighbour cross, outside = background. */
function scipyEdge(mask: Uint8Array, width: number, height: number): number[] {
  const python = pythonWith('scipy')!;
  const script = `
import sys, json, numpy as np
from scipy.ndimage import binary_erosion
w, h = int(sys.argv[1]), int(sys.argv[2])
m = np.frombuffer(bytes.fromhex(sys.argv[3]), dtype=np.uint8).reshape(h, w) > 0
edge = m & ~binary_erosion(m, structure=[[0,1,0],[1,1,1],[0,1,0]], border_value=0)
print(json.dumps(np.flatnonzero(edge).tolist()))`;
  return pythonJson<number[]>(python, script, [String(width), String(height), Buffer.from(mask).toString('hex')]);
}

/** What an outline canvas holds: its size, the indices painted in the outline colour, and how many other pixels are not transparent. */
async function outlinePixels(page: Page, selector: string): Promise<{ width: number; height: number; painted: number[]; other: number }> {
  return page.$eval(
    selector,
    (canvas, rgba) => {
      const c = canvas as HTMLCanvasElement;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      const painted: number[] = [];
      let other = 0;
      for (let i = 0; i < c.width * c.height; i++) {
        const px = [data[i * 4], data[i * 4 + 1], data[i * 4 + 2], data[i * 4 + 3]];
        if (px.every((v, k) => v === rgba[k])) painted.push(i);
        else if (px[3] !== 0) other++;
      }
      return { width: c.width, height: c.height, painted, other };
    },
    [...OUTLINE_RGBA],
  );
}

async function rectOf(page: Page, selector: string): Promise<[number, number, number, number]> {
  const r = (await page.locator(selector).boundingBox())!;
  return [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 100) / 100) as [number, number, number, number];
}

describe('a ROI’s classes, sizes and blob outline', () => {
  let lib: SampleLibrary;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    lib = await sampleLibrary('ifcb-viewer-annotate-inspector-', (port) => void port.classes!.addResultsFolder(port.listRoots()[0]!.id, PRODUCTS_ROOT));
    ({ server, browser } = lib);
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    await v.page.waitForSelector(`.bin-row[data-bin="${IFCB5}"]`);
  });

  after(() => lib?.close());

  test('the stitched blob’s outline is drawn exactly at the mask’s edge pixels, over the image', { skip: pythonWith('scipy') ? false : skipMessage('scipy') }, async () => {
    const p = v.page;
    await p.click(`.bin-row[data-bin="${IFCB5}"]`);
    await waitForPaintedTiles(p);
    await p.click('.tile[data-target="3"]');
    const outline = '.inspector .blob-outline[data-target="3"][data-state="painted"]';
    await p.waitForSelector(outline);
    const png = decode(await blobPng(p, IFCB5, 3));
    assert.deepEqual([png.width, png.height, png.channels], [263, 86, 1]);
    const mask = Uint8Array.from(png.data as Uint8Array, (g) => (g >= 128 ? 1 : 0));
    const edge = scipyEdge(mask, png.width, png.height);
    assert.ok(edge.length > 200, `${edge.length} edge pixels`);
    const drawn = await outlinePixels(p, outline);
    assert.deepEqual([drawn.width, drawn.height], [263, 86]);
    assert.equal(drawn.other, 0, 'nothing but the edge is painted');
    assert.deepEqual(drawn.painted, edge);
    // laid exactly over the image
    assert.deepEqual(await rectOf(p, outline), await rectOf(p, '.inspector .preview-canvas'));
    // sizes from the features_v4 file at 3.4 px/µm
    assert.match((await p.textContent('.inspector [data-testid="roi-sizes"]'))!, /^ESD6\.977 µm/);
    await screenshot(p, 'annotate-inspector-blob-1440');
  });

  test('the ROI view draws it over the enlarged image; B hides it for every ROI until pressed again', async () => {
    const p = v.page;
    await p.keyboard.press('Enter');
    const outline = '.roi-view .blob-outline[data-target="3"][data-state="painted"]';
    await p.waitForSelector(outline);
    assert.deepEqual(await rectOf(p, outline), await rectOf(p, '.roi-view-canvas'));
    const drawn = await outlinePixels(p, outline);
    const inspector = await outlinePixels(p, '.inspector .blob-outline');
    assert.deepEqual(drawn.painted, inspector.painted);
    await screenshot(p, 'annotate-roi-view-blob-1440');
    await p.keyboard.press('b');
    await p.waitForFunction(() => document.querySelectorAll('.blob-outline').length === 0);
    assert.equal(await p.isChecked('.roi-view .blob-toggle input'), false);
    await p.keyboard.press('ArrowRight');
    await p.waitForSelector('.roi-view .roi-classes[data-target="5"]');
    assert.equal(await p.locator('.blob-outline').count(), 0);
    await p.keyboard.press('b');
    await p.waitForSelector('.roi-view .blob-outline[data-target="5"][data-state="painted"]');

    // labelling in the ROI view: the ROI shown, then the next one; Esc in the search closes the search only
    await p.keyboard.press('/');
    await p.keyboard.press('Escape');
    await p.waitForSelector('.class-search', { state: 'detached' });
    assert.equal(await p.textContent('[data-testid="roi-id"]'), `${IFCB5}_00005`);
    await p.keyboard.press('/');
    await p.locator('.class-search input').fill('Diatom');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => [...document.querySelectorAll('.toast .toast-text')].some((e) => e.textContent === 'Labelled: 1 image → Diatom'));
    assert.equal(await p.textContent('[data-testid="roi-id"]'), `${IFCB5}_00006`);
    const table = await p.evaluate(async (id) => {
      const token = /^\/t\/([A-Za-z0-9_-]+)\//.exec(location.pathname)![1]!;
      const r = await fetch(`/t/${token}/api/bin:classes`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ifcb-token': token }, body: JSON.stringify({ binId: id }) });
      return ((await r.json()) as { value: { targets: number[]; manual: number[]; classes: string[] } }).value;
    }, IFCB5);
    assert.deepEqual(
      table.targets.map((t, i) => [t, table.manual[i]! < 0 ? null : table.classes[table.manual[i]!]]),
      [[1, null], [2, null], [3, null], [5, 'Diatom'], [6, null]],
    );
    await p.keyboard.press('Escape');
    await p.waitForSelector('.roi-view', { state: 'detached' });
  });

  test('classes and scores of a classified bin; screenshots of the palette and inspector at 1440×900 and 1024×700', async () => {
    const p = v.page;
    await p.click(`.bin-row[data-bin="${IRFCB}"]`);
    await waitForPaintedTiles(p);
    await p.click('.tile[data-target="3"]');
    await p.waitForSelector('.inspector .class-score');
    // the five best of ROI 3 as h5py reads the SMHI file (ties in file order), scores to 3 decimals
    assert.deepEqual(await p.$$eval('.inspector .class-score', (els) => els.map((e) => [e.getAttribute('data-class'), e.querySelector('.num')!.textContent])), [
      ['Mesodinium_rubrum', '0.690'],
      ['Lingulodinium_polyedra', '0.060'],
      ['Dino_larger_than_30unidentified', '0.060'],
      ['Prorocentrum_micans', '0.040'],
      ['Thalassiosira_gravida', '0.030'],
    ]);
    // a bar per score, its length the score
    assert.deepEqual(await p.$$eval('.inspector .class-score-bar > span', (els) => els.map((e) => (e as HTMLElement).style.width)), ['69%', '6%', '6%', '4%', '3%']);
    await screenshot(p, 'annotate-inspector-classes-1440');
    await p.keyboard.press('/');
    await p.locator('.class-search input').fill('pro');
    await screenshot(p, 'annotate-palette-search-1440');
    await p.keyboard.press('Escape');
    await p.click('.palette-actions button:has-text("Edit")');
    await screenshot(p, 'annotate-palette-edit-1440');
    await p.click('.palette-editor button:has-text("Done")');

    await p.setViewportSize({ width: 1024, height: 700 });
    await p.waitForFunction(() => window.innerWidth === 1024);
    await screenshot(p, 'annotate-palette-1024');
    await p.keyboard.press('/');
    await p.locator('.class-search input').fill('dino');
    await screenshot(p, 'annotate-palette-search-1024');
    await p.keyboard.press('Escape');
    await p.emulateMedia({ colorScheme: 'dark' });
    await p.setViewportSize({ width: 1440, height: 900 });
    await p.click(`.bin-row[data-bin="${IFCB5}"]`);
    await waitForPaintedTiles(p);
    await p.click('.tile[data-target="3"]');
    await p.waitForSelector('.inspector .blob-outline[data-state="painted"]');
    await screenshot(p, 'annotate-inspector-blob-dark-1440');
    assert.deepEqual(v.errors, []);
  });
});
