/**
 * The layout from 1024×700 up: the side panes give the mosaic room (the inspector waits to be asked for in
 * narrow windows), the toolbar stays one row with nothing cut off (also with a basket), the inspector never
 * breaks a bin id or a path inside a name, and news toasts go away by themselves. Screenshots in
 * test-output/screenshots/layout-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { SampleLibrary } from '../helpers/browser.ts';
import { openViewer, sampleLibrary, screenshot, waitForPaintedTiles } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import { INFO_TOAST_MS } from '../../renderer/components/toast.tsx';

const B = 'D20130526T095207_IFCB013';
const C = 'D20220522T003051_IFCB134';

/** Open bin `id` from the list and wait for its tiles. */
async function openFromList(p: Page, id: string): Promise<void> {
  await p.click(`.bin-row[data-bin="${id}"]`);
  await p.waitForFunction((want) => document.querySelector('[data-testid="status-bin"]')?.textContent === want, id);
  await waitForPaintedTiles(p);
}

/** A basket across two bins: tiles 61 of B and 3 of C, with C open. */
async function makeBasket(p: Page): Promise<void> {
  await openFromList(p, B);
  await p.click('.tile[data-target="61"]');
  await openFromList(p, C);
  await p.click('.tile[data-target="3"]');
  await p.waitForFunction(() => document.querySelector('.selection-count')?.textContent?.includes('2 in 2 bins'));
}

/** The toolbar's geometry: one row, and every control inside its box, drawn whole. */
async function toolbarFits(p: Page): Promise<{ height: number; overflow: number; clipped: string[] }> {
  return p.evaluate(() => {
    const bar = document.querySelector<HTMLElement>('.toolbar')!;
    const box = bar.getBoundingClientRect();
    const clipped = [...bar.children]
      .filter((c) => getComputedStyle(c).display !== 'none')
      .filter((c) => {
        const r = c.getBoundingClientRect();
        return r.right > box.right + 0.5 || c.scrollWidth > c.clientWidth + 1;
      })
      .map((c) => c.className);
    return { height: box.height, overflow: bar.scrollWidth - bar.clientWidth, clipped };
  });
}

/**
 * What runs out of the library or the inspector: elements past their pane's edges (save those cut on purpose with
 * an ellipsis), and time fields whose placeholder is wider than the field.
 */
async function outOfPanes(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const measure = document.createElement('canvas').getContext('2d')!;
    for (const el of document.querySelectorAll<HTMLElement>('.library *, .inspector *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      const pane = el.closest<HTMLElement>('.library, .inspector')!.getBoundingClientRect();
      const ellipsis = (e: Element | null): boolean => !!e && (getComputedStyle(e).textOverflow === 'ellipsis' || ellipsis(e.parentElement));
      if ((r.right > pane.right + 0.5 || r.left < pane.left - 0.5) && !ellipsis(el)) out.push(`${el.className || el.tagName} "${el.textContent?.slice(0, 24)}" past the pane`);
      if (el instanceof HTMLInputElement && el.placeholder) {
        const style = getComputedStyle(el);
        measure.font = `${style.fontSize} ${style.fontFamily}`;
        const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (measure.measureText(el.placeholder).width > room) out.push(`#${el.id} placeholder cut`);
      }
    }
    return out;
  });
}

const width = (p: Page, selector: string) => p.$eval(selector, (el) => Math.round(el.getBoundingClientRect().width));

describe('layout from 1024×700 up', () => {
  let lib: SampleLibrary;
  let server: ViewerServer;
  let browser: Browser;

  before(async () => {
    lib = await sampleLibrary('ifcb-viewer-layout-');
    ({ server, browser } = lib);
  });

  after(() => lib?.close());

  test('1024×700: a 743 px mosaic (was 422), a one-row toolbar with a basket; with the inspector 600 px', async () => {
    const v = await openViewer(browser, server.url, { width: 1024, height: 700 });
    const p = v.page;
    try {
      await p.waitForSelector('.bin-row');
      assert.equal(await p.locator('.inspector').count(), 0, 'the inspector waits to be asked for');
      assert.equal(await width(p, '.library'), 280);
      assert.equal(await width(p, '.centre'), 743);
      await makeBasket(p);
      assert.deepEqual(await toolbarFits(p), { height: 40, overflow: 0, clipped: [] });
      await screenshot(p, 'layout-1024');

      // Shown from the toolbar, the inspector takes the focus tile (Enter opens the ROI view instead): both panes
      // give way, the mosaic keeps 600 px.
      await p.click('button[aria-label="Show the inspector"]');
      await p.waitForSelector('.inspector .preview-canvas[data-state="painted"]');
      assert.equal(await width(p, '.centre'), 600);
      assert.deepEqual([await width(p, '.library'), await width(p, '.inspector')], [201, 221]);
      assert.deepEqual(await toolbarFits(p), { height: 40, overflow: 0, clipped: [] });
      // The narrow library still shows a whole time in its fields.
      const from = p.getByRole('textbox', { name: 'From (UTC)' });
      await from.fill('2013-05-26 09:52:07');
      assert.ok(await from.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the time is not cut off');
      await p.waitForFunction(() => document.querySelectorAll('.bin-row').length === 5);
      await from.fill('');
      await screenshot(p, 'layout-1024-inspector');
      // Hidden again, the mosaic gets its width back.
      await p.click('button[aria-label="Hide the inspector"]');
      await p.waitForSelector('.inspector', { state: 'detached' });
      assert.equal(await width(p, '.centre'), 743);
      assert.deepEqual(v.errors, []);
    } finally {
      await v.context.close();
    }
  });

  test('1440×900 with a basket: one toolbar row with every word; the inspector breaks no id or path', async () => {
    const v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    const p = v.page;
    try {
      await p.waitForSelector('.bin-row');
      await makeBasket(p);
      assert.deepEqual(await toolbarFits(p), { height: 40, overflow: 0, clipped: [] });
      assert.equal(await p.textContent('.selection-count'), '1 selected · basket 2 in 2 bins×');
      // Next to both panes (an 838 px centre) only the layout labels are short; slider and words stay.
      assert.equal(await width(p, '.centre'), 838);
      assert.ok(await p.isVisible('.zoom-slider'));
      assert.ok(await p.isVisible('label[for="sort-key"]'));
      assert.deepEqual(await p.locator('.segmented button').allInnerTexts(), ['Scale', 'Fit']);
      await p.waitForSelector('.inspector .preview-canvas[data-state="painted"]');
      // Each piece of the path and of the id is drawn on one line (a break falls only between them).
      const pieces = await p.$$eval('.inspector .path-text .nowrap, .inspector .id-text .nowrap', (els) => els.map((e) => [e.textContent, e.getClientRects().length]));
      assert.ok(pieces.length >= 4);
      for (const [text, lines] of pieces) assert.equal(lines, 1, `"${text}" is broken across lines`);
      assert.equal(await p.textContent('.inspector .path-text'), `data/${C}`);
      await screenshot(p, 'layout-1440');
      assert.deepEqual(v.errors, []);
    } finally {
      await v.context.close();
    }
  });

  test('a narrow inspector wraps a bin id only after its underscore and a path only after a slash', async () => {
    const v = await openViewer(browser, server.url, { width: 1024, height: 700 });
    const p = v.page;
    try {
      await p.waitForSelector('.bin-row');
      await openFromList(p, B);
      await p.click('button[aria-label="Show the inspector"]');
      await p.waitForSelector('.inspector');
      const pieces = await p.$$eval('.inspector .path-text .nowrap, .inspector .id-text .nowrap', (els) => els.map((e) => [e.textContent, e.getClientRects().length]));
      for (const [text, lines] of pieces) assert.equal(lines, 1, `"${text}" is broken across lines`);
      assert.equal(await p.textContent('.inspector .path-text'), `D20130526/${B}`);
      // the narrowest library (201 px next to the inspector): nothing runs out of either pane, placeholders whole
      assert.equal(await width(p, '.library'), 201);
      assert.deepEqual(await outOfPanes(p), []);
      // ADC values are never split: each sits on one line.
      const split = await p.$$eval('.inspector .fields.is-numeric dd', (els) => els.filter((e) => e.getClientRects().length !== 1 || e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
      assert.deepEqual(split, []);
    } finally {
      await v.context.close();
    }
  });

  test('"300 bins found" goes away by itself; an error is dismissed with its button', async () => {
    const v = await openViewer(browser, server.url, { width: 1024, height: 700 });
    const p = v.page;
    try {
      server.ctx.events.emit({ type: 'job-finished', jobId: 'index-1', kind: 'reindex', outcome: 'ok', summary: '300 bins found' });
      const toast = p.getByRole('status').filter({ hasText: '300 bins found' });
      await toast.waitFor();
      const shownAt = Date.now();
      await toast.waitFor({ state: 'detached', timeout: INFO_TOAST_MS + 10_000 });
      assert.ok(Date.now() - shownAt >= INFO_TOAST_MS - 1000, 'not before its time');

      server.ctx.events.emit({ type: 'job-finished', jobId: 'index-2', kind: 'reindex', outcome: 'failed', error: { code: 'FILE_UNREADABLE', message: 'folder cannot be read' } });
      const alert = p.getByRole('alert').filter({ hasText: 'folder cannot be read' });
      await alert.waitFor();
      await alert.getByRole('button', { name: 'Dismiss' }).click();
      await alert.waitFor({ state: 'detached' });
      assert.deepEqual(v.errors, []);
    } finally {
      await v.context.close();
    }
  });
});
