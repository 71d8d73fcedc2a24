/**
 * Classes and labels in the library pane, end to end over the bridge: a results folder added in the UI (the real
 * products of ../shared/ifcb-products), the chart of one class over time (its points exactly the router's
 * `bins:time-series` with that class), and labels imported through the Import labels dialog reaching the open bin's
 * class table and the class picker. Screenshots at 1024×700 and 1440×900.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { BinClasses, TimeSeries } from '../../shared/ipc/contract.ts';
import type { Result } from '../../shared/ipc/result.ts';
import { DATA_ROOT } from '../helpers/data.ts';
import { openViewer, sampleLibrary, screenshot } from '../helpers/browser.ts';
import type { SampleLibrary, ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import { PRODUCTS_ROOT } from '../node/products/paths.ts';

const IRFCB = 'D20220522T003051_IFCB134';
const CLASS = 'Mesodinium_rubrum';

function value<T>(r: Result<unknown>): T {
  if (!r.ok) assert.fail(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('classes and labels in the library', () => {
  let lib: SampleLibrary;
  let dir: string;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    lib = await sampleLibrary('ifcb-viewer-labels-');
    ({ dir, server, browser } = lib);
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    await v.page.waitForSelector('.bin-row');
  });

  after(() => lib?.close());

  /** The chart's points as drawn: [bin id or null, images/mL]. */
  const drawnPoints = () => v.page.$$eval('.chart-point', (points) => points.map((p) => [p.getAttribute('data-bin'), Number(p.getAttribute('data-value'))]));

  /** What the router answers for the chart's request, as the chart plots it. */
  async function expectedPoints(request: Record<string, unknown>): Promise<[string | null, number][]> {
    const series = value<TimeSeries>(await server.router.dispatch('bins:time-series', request));
    return series.points.flatMap((p) => (p.class && p.class.bins > 0 && p.class.concentration !== null ? [[p.id ?? null, p.class.concentration] as [string | null, number]] : []));
  }

  test('a results folder added in the library lists the product files found for the folder’s bins', async () => {
    const p = v.page;
    await p.getByRole('button', { name: `Add a results folder for ${DATA_ROOT}` }).click();
    const dialog = p.getByRole('dialog', { name: 'Add a results folder' });
    await dialog.getByRole('textbox').fill(PRODUCTS_ROOT);
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.waitFor({ state: 'detached' });
    const listed = value<{ folders: { path: string; products: number }[]; products: number }>(await server.router.dispatch('results:list', { rootId: value<{ roots: { id: number }[] }>(await server.router.dispatch('roots:list', {})).roots[0]!.id }));
    assert.deepEqual(listed.folders.map((f) => f.path), [PRODUCTS_ROOT]);
    assert.ok(listed.products > 0);
    const row = p.locator('.results-folder');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-products'), String(listed.folders[0]!.products));
    assert.equal(await row.getAttribute('title'), PRODUCTS_ROOT);
    assert.equal(await p.textContent('.results-note'), `${listed.products} product ${listed.products === 1 ? 'file' : 'files'} found for this folder’s bins`);
  });

  test('the chart plots one class: every point is the router’s time series for that class, the axis names it', async () => {
    const p = v.page;
    const picker = p.getByRole('combobox', { name: 'Class to plot' });
    // the total stays the default
    assert.equal(await picker.inputValue(), '');
    assert.equal(await p.getAttribute('.chart-svg', 'aria-label'), 'Concentration in images/mL over time');
    await p.waitForFunction((name) => [...document.querySelectorAll('#chart-class option')].some((o) => o.textContent === name), CLASS);
    const counted = value<{ classes: { name: string }[] }>(await server.router.dispatch('classes:counted', {}));
    const options = await picker.locator('option').allTextContents();
    for (const c of counted.classes) assert.ok(options.includes(c.name), c.name);
    await picker.selectOption(CLASS);
    await p.waitForSelector(`.chart-svg[aria-label="Concentration in ${CLASS} images/mL over time"]`);
    const expected = await expectedPoints({ class: CLASS });
    assert.ok(expected.length > 0);
    await p.waitForFunction((n) => document.querySelectorAll('.chart-point').length === n, expected.length);
    assert.deepEqual(await drawnPoints(), expected);
    // the y axis's words (its tooltip aside)
    assert.equal(await p.$eval('.chart-unit', (el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('')), `${CLASS} images/mL`);
    // one day: bin by bin, the iRfcb bin's two ROIs of the class over its mL analyzed
    await p.fill('#library-from', '2022-05-22');
    await p.fill('#library-to', '2022-05-22');
    const day = await expectedPoints({ class: CLASS, from: Date.UTC(2022, 4, 22), to: Date.UTC(2022, 4, 23) });
    assert.equal(day.length, 1);
    assert.equal(day[0]![0], IRFCB);
    await p.waitForFunction((id) => document.querySelectorAll('.chart-point').length === 1 && document.querySelector('.chart-point')?.getAttribute('data-bin') === id, IRFCB);
    assert.deepEqual(await drawnPoints(), day);
    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await p.setViewportSize({ width, height });
      await screenshot(p, `library-class-chart-${width}`);
    }
    await p.setViewportSize({ width: 1440, height: 900 });
    await p.click('button[aria-label="Clear the time span"]');
    // the dark theme: the axis words and the picker stay legible
    const dark = await openViewer(browser, server.url, { width: 1024, height: 700, colorScheme: 'dark' });
    await dark.page.waitForFunction((name) => [...document.querySelectorAll('#chart-class option')].some((o) => o.textContent === name), CLASS);
    await dark.page.getByRole('combobox', { name: 'Class to plot' }).selectOption(CLASS);
    await dark.page.waitForFunction((n) => document.querySelectorAll('.chart-point').length === n, expected.length);
    await screenshot(dark.page, 'library-class-chart-dark-1024');
    assert.deepEqual(dark.errors, []);
    await dark.context.close();
  });

  test('Import labels: a label table and a class list in one import; the open bin’s class table and the picker follow', async () => {
    const p = v.page;
    await p.click(`.bin-row[data-bin="${IRFCB}"]`);
    await p.waitForFunction((id) => document.querySelector('[data-testid="status-bin"]')?.textContent === id, IRFCB);
    const csv = path.join(dir, 'relabelled.csv');
    writeFileSync(csv, `sample_name,roi_number,class_name\n${IRFCB},${IRFCB}_00002,Dinophysis\n`);
    const list = path.join(dir, 'lab-classes.txt');
    writeFileSync(list, 'Alpha_lab\nBeta_lab\n');
    await p.getByRole('button', { name: 'Import labels…' }).click();
    const dialog = p.getByRole('dialog', { name: 'Import labels' });
    await dialog.getByRole('textbox').fill(`${csv}\n${list}`);
    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await p.setViewportSize({ width, height });
      await screenshot(p, `import-labels-dialog-${width}`);
    }
    await p.setViewportSize({ width: 1440, height: 900 });
    // the open bin's table is asked again once the import is done
    const reread = p.waitForResponse((r) => r.url().endsWith(`api/bin:classes`) && r.request().postData()?.includes(IRFCB) === true);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const result = dialog.getByTestId('labels-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-outcome'), 'ok');
    assert.equal(await result.textContent(), '1 label from 1 file, 1 class list');
    const table = (await (await reread).json()) as Result<BinClasses>;
    const t = value<BinClasses>(table);
    assert.deepEqual(
      t.manual.map((i) => (i < 0 ? null : t.classes[i])),
      ['Dinophysis', CLASS],
    );
    assert.deepEqual(t, value<BinClasses>(await server.router.dispatch('bin:classes', { binId: IRFCB })));
    // the class list and the new label reach classes:list and the chart's picker
    const known = value<{ classes: { name: string; labelled: number }[] }>(await server.router.dispatch('classes:list', {}));
    assert.deepEqual(
      known.classes.filter((c) => ['Alpha_lab', 'Beta_lab', 'Dinophysis'].includes(c.name)),
      [
        { name: 'Alpha_lab', labelled: 0 },
        { name: 'Beta_lab', labelled: 0 },
        { name: 'Dinophysis', labelled: 1 },
      ],
    );
    await p.waitForFunction(() => ['Alpha_lab', 'Beta_lab', 'Dinophysis'].every((n) => [...document.querySelectorAll('#chart-class option')].some((o) => o.textContent === n)));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(v.errors, []);
  });

  test('Export labels: the open bin’s labels as a manual_classify .mat in a typed folder; never over an existing file', async () => {
    const p = v.page;
    const out = path.join(dir, 'labels-out');
    const exportTo = async () => {
      await p.getByRole('button', { name: 'Export labels…' }).click();
      const dialog = p.getByRole('dialog', { name: 'Export labels' });
      assert.equal(await dialog.getByRole('radio', { name: `the open bin ${IRFCB}` }).isChecked(), true);
      await dialog.getByRole('textbox', { name: 'Folder path' }).fill(out);
      await dialog.getByRole('button', { name: 'Use this path' }).click();
      await p.waitForFunction((o) => document.querySelector('[data-testid="labels-destination"]')?.textContent === o, out);
      return dialog;
    };
    const dialog = await exportTo();
    await screenshot(p, 'export-labels-dialog');
    await dialog.getByRole('button', { name: 'Export' }).click();
    const result = dialog.getByTestId('labels-result');
    await result.waitFor();
    // the library's own label (the manual file's stay in the file)
    assert.equal(await result.textContent(), `1 label of 1 bin written to ${out} (1 file)`);
    assert.deepEqual(readdirSync(out), [`${IRFCB}.mat`]);
    const written = readFileSync(path.join(out, `${IRFCB}.mat`));
    await dialog.getByRole('button', { name: 'Close' }).click();
    const again = await exportTo();
    await again.getByRole('button', { name: 'Export' }).click();
    await again.locator('.error-note .error-code', { hasText: 'EXPORT_TARGET_EXISTS' }).waitFor();
    assert.deepEqual(readFileSync(path.join(out, `${IRFCB}.mat`)), written);
    await again.getByRole('button', { name: 'Cancel' }).click();
    await again.waitFor({ state: 'detached' });
    assert.deepEqual(v.errors, []);
  });
});
