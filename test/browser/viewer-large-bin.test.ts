/**
 * A synthetic 10,000-target bin in Chromium: the DOM stays bounded however far the mosaic scrolls, and
 * the last ROI is reachable and painted with exactly the pixels written for it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import type { SyntheticBin } from '../helpers/synthetic-bin.ts';
import { launchBrowser, openBinByPath, openViewer, paintedPixels, screenshot, selectedTargets, startViewer, waitForPaintedTiles } from '../helpers/browser.ts';
import type { ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import { MOSAIC_PADDING } from '../../renderer/components/mosaic.tsx';

/** Elements in the whole document, the app's chrome included (≈230 measured with 38 tiles on a 1440 × 900 screen). */
const MAX_DOM_NODES = 600;

describe('a 10,000-ROI bin', () => {
  let dir: string;
  let bin: SyntheticBin;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    dir = makeTempDir('ifcb-viewer-large-');
    bin = writeSyntheticBin(dir, { targets: 10_000, seed: 3 });
    server = await startViewer({ roots: [dir] });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    await openBinByPath(v.page, `${bin.base}.roi`, bin.id);
    await waitForPaintedTiles(v.page);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    removeTempDir(dir);
  });

  test('all images are counted, few are in the DOM', async () => {
    assert.equal(await v.page.textContent('[data-testid="status-images"]'), `${bin.images.length.toLocaleString('en-US')} / ${bin.images.length.toLocaleString('en-US')} images`);
    const tiles = await v.page.locator('.tile').count();
    assert.ok(tiles > 10 && tiles < 400, `${tiles} tiles rendered`);
    const nodes = await v.page.evaluate(() => document.getElementsByTagName('*').length);
    assert.ok(nodes < MAX_DOM_NODES, `${nodes} DOM nodes`);
  });

  test('scrolling through the middle keeps the DOM bounded', async () => {
    const counts: number[] = [];
    for (const fraction of [0.25, 0.5, 0.75]) {
      await v.page.evaluate((f) => {
        const el = document.querySelector('.mosaic-scroll')!;
        el.scrollTop = f * (el.scrollHeight - el.clientHeight);
      }, fraction);
      await waitForPaintedTiles(v.page);
      counts.push(await v.page.evaluate(() => document.getElementsByTagName('*').length));
    }
    for (const n of counts) assert.ok(n < MAX_DOM_NODES, `DOM nodes ${counts.join(', ')}`);
  });

  test('Home and Page Down move the focus a screen at a time, and the view follows', async () => {
    const p = v.page;
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('Home');
    await p.waitForSelector(`.tile.is-focused[data-target="${bin.images[0]!.target}"]`);
    assert.equal(await p.$eval('.mosaic-scroll', (el) => el.scrollTop), 0);
    await p.keyboard.press('PageDown');
    // one press scrolls about a screen (less a sliver kept in sight, and the row brought whole into view)
    const once = await p.$eval('.mosaic-scroll', (el) => ({ top: el.scrollTop, height: el.clientHeight }));
    assert.ok(once.top >= once.height - 24 - 300 && once.top <= once.height, `one Page Down scrolled ${once.top} px of a ${once.height} px screen`);
    await p.keyboard.press('PageDown');
    // The focused row is rendered once the scroll event has reached the virtualizer.
    await p.waitForFunction((first) => {
      const focus = document.querySelector('.tile.is-focused');
      return focus !== null && focus.getAttribute('data-target') !== String(first);
    }, bin.images[0]!.target);
    const after = await p.evaluate(() => {
      const el = document.querySelector('.mosaic-scroll')!;
      const focus = document.querySelector('.tile.is-focused')!.getBoundingClientRect();
      const view = el.getBoundingClientRect();
      return { scrollTop: el.scrollTop, clientHeight: el.clientHeight, target: Number(document.querySelector<HTMLElement>('.tile.is-focused')!.dataset['target']), inView: focus.top >= view.top && focus.bottom <= view.bottom };
    });
    assert.ok(after.scrollTop > after.clientHeight, `scrolled ${after.scrollTop} px for a ${after.clientHeight} px screen`);
    assert.ok(after.target > bin.images[20]!.target, `focus on ${after.target}`);
    assert.equal(after.inView, true);
    await waitForPaintedTiles(p);
  });

  test('Ctrl+wheel zooms one step around the pointer: the image under it stays under it', async () => {
    const p = v.page;
    await p.keyboard.press('0');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '100 %');
    const scroller = (await p.locator('.mosaic-scroll').boundingBox())!;
    // the tile nearest the middle of the screen
    const { target, box } = await p.evaluate(([cx, cy]) => {
      const tiles = [...document.querySelectorAll<HTMLElement>('.tile')].map((t) => ({ t, r: t.getBoundingClientRect() }));
      const hit = tiles.find(({ r }) => r.left <= cx && cx <= r.right && r.top <= cy && cy <= r.bottom) ?? tiles.sort((a, b) => Math.hypot(a.r.x - cx, a.r.y - cy) - Math.hypot(b.r.x - cx, b.r.y - cy))[0]!;
      return { target: Number(hit.t.dataset['target']), box: { x: hit.r.x, y: hit.r.y, width: hit.r.width, height: hit.r.height } };
    }, [scroller.x + scroller.width / 2, scroller.y + scroller.height / 2] as const);
    const point = { x: box.x + box.width / 2, y: box.y + box.height * 0.75 };
    await p.mouse.move(point.x, point.y);
    await p.keyboard.down('Control');
    await p.mouse.wheel(0, -120);
    await p.keyboard.up('Control');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '125 %');
    await p.waitForFunction((t) => document.querySelector(`.tile[data-target="${t}"]`) !== null, target);
    const after = (await p.locator(`.tile[data-target="${target}"]`).boundingBox())!;
    assert.equal(Math.round(after.height), Math.round(box.height * 1.25));
    // the same point of the image stays under the pointer (vertically: the layout reflows horizontally)
    assert.ok(Math.abs(after.y + after.height * 0.75 - point.y) <= 1.5, `${after.y + after.height * 0.75} vs ${point.y}`);
    await p.keyboard.press('0');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-zoom"]')?.textContent === '100 %');
  });

  test('End reaches the last ROI, painted with its raw pixels', async () => {
    const last = bin.images[bin.images.length - 1]!;
    await v.page.locator('.mosaic-scroll').focus();
    await v.page.keyboard.press('End');
    await v.page.waitForSelector(`.tile.is-focused[data-target="${last.target}"]`);
    await v.page.waitForSelector(`.tile[data-target="${last.target}"][data-state="painted"]`);
    const zoom = await v.page.textContent('[data-testid="status-zoom"]');
    assert.equal(zoom, '100 %');
    const painted = await paintedPixels(v.page, last.target);
    const inView = await v.page.evaluate((t) => {
      const box = document.querySelector(`.tile[data-target="${t}"]`)!.getBoundingClientRect();
      const view = document.querySelector('.mosaic-scroll')!.getBoundingClientRect();
      return box.top >= view.top && box.bottom <= view.bottom;
    }, last.target);
    const expected = createHash('sha256').update(bin.pixelsOf(last.target)).digest('hex');
    assert.deepEqual({ ...painted, inView }, { sha: expected, width: last.width, height: last.height, inView: true });
    const nodes = await v.page.evaluate(() => document.getElementsByTagName('*').length);
    assert.ok(nodes < MAX_DOM_NODES, `${nodes} DOM nodes at the end`);
    await screenshot(v.page, 'large-bin-end');
  });

  test('a fling brings rows in without tile elements: the canvas marks their selection, a click finds the tile, and every tile is back once it settles', async () => {
    const p = v.page;
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('Home');
    await p.keyboard.press('Control+A');
    // Scroll 20 frames at 20 screens a second, then look two frames later (the canvas has drawn where the view
    // stopped) while the fling is still on: a row on screen without tiles, the canvas pixel just left of its first
    // tile, and a click there. A machine that stalls past the fling's end gets another try.
    type Look = { flinging: boolean; bareRows: number; border?: number[]; accent?: number[]; rowY?: number };
    let look: Look = { flinging: false, bareRows: 0 };
    for (let attempt = 0; attempt < 5 && !(look.flinging && look.bareRows > 0); attempt++) {
      look = await p.evaluate(
        (padding) =>
          new Promise<Look>((resolve) => {
            const el = document.querySelector<HTMLElement>('.mosaic-scroll')!;
            const canvas = document.querySelector<HTMLCanvasElement>('.mosaic-canvas')!;
            let frames = 0;
            const tick = () => {
              frames++;
              if (frames <= 20) el.scrollTop += (el.clientHeight * 20) / 60;
              if (frames < 22) return void requestAnimationFrame(tick);
              const top = el.scrollTop;
              const rows = [...el.querySelectorAll<HTMLElement>('.mosaic-row')].map((r) => ({ r, y: Number(/translateY\(([-\d.]+)px\)/.exec(r.style.transform)![1]), h: parseFloat(r.style.height) }));
              const bare = rows.filter(({ r, y, h }) => r.childElementCount === 0 && y >= top && y + h <= top + el.clientHeight);
              const flinging = el.dataset['fling'] === 'true';
              if (!flinging || bare.length === 0) return resolve({ flinging, bareRows: bare.length });
              const y = bare[0]!.y - top + 1;
              const border = [...canvas.getContext('2d')!.getImageData(padding - 2, y, 1, 1).data];
              const hex = getComputedStyle(el).getPropertyValue('--accent').trim();
              const accent = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).concat(255);
              const box = el.getBoundingClientRect();
              el.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: box.left + padding + 1, clientY: box.top + y }));
              resolve({ flinging, bareRows: bare.length, border, accent, rowY: bare[0]!.y });
            };
            requestAnimationFrame(tick);
          }),
        MOSAIC_PADDING,
      );
    }
    assert.ok(look.flinging && look.bareRows > 0, `a fling with rows on screen without tiles (${JSON.stringify(look)})`);
    assert.deepEqual(look.border, look.accent, 'the selection border of a tile without an element is drawn on the canvas');
    // Once the view is still, every row on screen has its tiles again, painted, and the click selected the first
    // tile of the row it hit.
    await p.waitForFunction(() => {
      const el = document.querySelector<HTMLElement>('.mosaic-scroll')!;
      return el.dataset['fling'] === undefined && [...el.querySelectorAll('.mosaic-row')].every((r) => r.childElementCount > 0);
    });
    await waitForPaintedTiles(p);
    const clicked = await p.$eval(`.mosaic-row[style*="translateY(${look.rowY}px)"] .tile`, (t) => Number((t as HTMLElement).dataset['target']));
    assert.deepEqual(await selectedTargets(p), [clicked]);
    await p.keyboard.press('Control+Shift+A');
  });

  test('no console errors', () => {
    assert.deepEqual(v.errors, []);
  });
});
