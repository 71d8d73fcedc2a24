/**
 * The calibration set in the status bar is main's: it reaches main's table (which export and the CLI read),
 * survives a reload of the page, and values the page once kept in localStorage are handed over to main once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DATA_ROOT, SAMPLE } from '../helpers/data.ts';
import { launchBrowser, openBinByPath, openViewer, startViewer } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';

const B = 'D20130526T095207_IFCB013';

describe('calibration in the viewer', () => {
  let server: ViewerServer;
  let browser: Browser;

  before(async () => {
    server = await startViewer({ roots: [DATA_ROOT] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('set in the status bar: stored by main, shown again after a reload', async () => {
    const v = await openViewer(browser, server.url);
    await openBinByPath(v.page, `${SAMPLE.B}.adc`, B);
    const scale = v.page.getByTitle('Calibration of this instrument (click to change)');
    assert.equal(await scale.textContent(), '3.4 px/µm');
    await scale.click();
    const input = v.page.getByLabel('Camera pixels per µm for this instrument');
    await input.fill('2.7');
    await input.press('Enter');
    await waitFor(() => server.ctx.calibration.pxPerUm(13) === 2.7, 10_000, "main's calibration of IFCB13");
    assert.equal(server.ctx.calibration.pxPerUm(134), 3.4, 'other instruments keep the default');
    await v.page.reload();
    await v.page.waitForSelector('.app[data-ready="true"]');
    await openBinByPath(v.page, `${SAMPLE.B}.adc`, B);
    await v.page.waitForFunction(() => document.querySelector('[title="Calibration of this instrument (click to change)"]')?.textContent === '2.7 px/µm');
    assert.deepEqual(v.errors, []);
    await v.context.close();
  });

  test("a value the page kept in localStorage is handed to main once, then forgotten by the page", async () => {
    const context = await browser.newContext();
    await context.addInitScript({ content: `if (!sessionStorage.getItem('seeded')) { localStorage.setItem('ifcb-viewer:px-per-um', '{"134": 5.1}'); sessionStorage.setItem('seeded', '1'); }` });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitFor(() => server.ctx.calibration.pxPerUm(134) === 5.1, 10_000, "main's calibration of IFCB134");
    assert.equal(await page.evaluate(() => localStorage.getItem('ifcb-viewer:px-per-um')), null);
    await context.close();
  });
});
