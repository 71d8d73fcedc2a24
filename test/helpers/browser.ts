/**
 * Browser tests of the renderer: build it once (skipped when dist/renderer is newer than every source
 * file), serve it with the app core over the loopback bridge, and drive Chromium with playwright-core.
 * The browser is found without downloading one (findBrowser): IFCB_TEST_CHROMIUM, else the system's
 * Chromium/Chrome/Edge, else the Chromium that the `@sparticuz/chromium` npm package carries in its tarball.
 * Helpers wait on conditions, never on timers.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DATA_ROOT, PROJECT_ROOT } from './data.ts';
import { makeTempDir, removeTempDir } from './temp.ts';
import { startViewerServer } from '../../main/http-bridge/index.ts';
import type { ViewerServer, ViewerServerOptions } from '../../main/http-bridge/index.ts';
import { openCatalogue } from '../../main/index/catalogue.ts';
import type { Catalogue } from '../../main/index/catalogue.ts';
import { cataloguePort } from '../../main/ipc/catalogue-adapter.ts';
import type { CataloguePort } from '../../main/ipc/ports.ts';

export const RENDERER_DIR = path.join(PROJECT_ROOT, 'dist/renderer');
export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-output/screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** `vite build` the renderer unless the build is newer than renderer/, shared/ and the config. */
export function buildRenderer(): void {
  const index = path.join(RENDERER_DIR, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(PROJECT_ROOT, 'renderer')),
    newestMtime(path.join(PROJECT_ROOT, 'shared')),
    statSync(path.join(PROJECT_ROOT, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  execFileSync(path.join(PROJECT_ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

/** Names the browser binary to test with, ahead of any other. */
export const BROWSER_ENV = 'IFCB_TEST_CHROMIUM';

/** Where Chromium, Chrome and Edge install themselves, per platform (the first that exists is used). */
export const SYSTEM_BROWSERS: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge'],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

export type BrowserChoice = { source: 'env' | 'system'; executablePath: string } | { source: 'npm' };

/**
 * Which browser to launch: the environment variable's path (an error if it names nothing, rather than silently
 * testing another browser), else the first system browser that is an executable file, else the npm package's.
 */
export function findBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, isExecutable: (p: string) => boolean): BrowserChoice {
  const named = env[BROWSER_ENV];
  if (named !== undefined && named !== '') {
    if (!isExecutable(named)) throw new Error(`${BROWSER_ENV}=${named} is not an executable file`);
    return { source: 'env', executablePath: named };
  }
  const system = (SYSTEM_BROWSERS[platform] ?? []).find(isExecutable);
  return system !== undefined ? { source: 'system', executablePath: system } : { source: 'npm' };
}

/** A regular, non-empty file we may execute (a bind-mounted /dev/null, as without-system-chromium leaves, is not). */
function isExecutableFile(p: string): boolean {
  try {
    const stat = statSync(p);
    if (!stat.isFile() || stat.size === 0) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Chromium, headless: the one findBrowser picks. */
export async function launchBrowser(): Promise<Browser> {
  const choice = findBrowser(process.env, process.platform, isExecutableFile);
  if (choice.source !== 'npm') return chromium.launch({ executablePath: choice.executablePath, headless: true, args: CHROMIUM_ARGS });
  // the package unpacks its Chromium into the temp folder on first use (a few seconds) and reuses it afterwards
  const { default: packaged } = await import('@sparticuz/chromium');
  const args = packaged.args.filter((a) => !WEAKENING_ARGS.includes(a));
  return chromium.launch({ executablePath: await packaged.executablePath(), headless: true, args: [...args, ...CHROMIUM_ARGS] });
}

/**
 * Flags of the package's serverless preset left out: two would switch off the same-origin rules the viewer's tests
 * rely on, and `--single-process` makes closing one browser context take the whole browser down.
 */
const WEAKENING_ARGS = ['--disable-web-security', '--allow-running-insecure-content', '--single-process'];

/** The app core + the built renderer on 127.0.0.1, typed paths accepted (the Open dialog's path field). */
export async function startViewer(options: ViewerServerOptions = {}): Promise<ViewerServer> {
  buildRenderer();
  return startViewerServer({ pathInput: true, validateResponses: true, rendererDir: RENDERER_DIR, ...options });
}

/**
 * The sample data's folders worth listing in the library: both projects, the white and empty sets; not
 * `partial` (its bin has the same id as bin A).
 */
export const SAMPLE_LIBRARY_RULES = { blacklist: ['skip', 'beads', 'partial'] };

/** A catalogue in `dir` with `roots` added and indexed. */
export async function indexedCatalogue(
  dir: string,
  roots: string[],
  rules: { blacklist?: string[] } = SAMPLE_LIBRARY_RULES,
): Promise<{ catalogue: Catalogue; port: CataloguePort }> {
  const catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'), { workers: 1 });
  for (const root of roots) catalogue.addRoot(root, rules);
  await catalogue.index();
  return { catalogue, port: cataloguePort(catalogue) };
}

/** The sample data as an indexed library behind a viewer server, with a browser to open pages on. */
export interface SampleLibrary {
  /** A temporary folder holding the library database; tests may write their own files there. */
  dir: string;
  catalogue: Catalogue;
  port: CataloguePort;
  server: ViewerServer;
  browser: Browser;
  /** Closes the browser, the server and the catalogue, and removes `dir`. */
  close(): Promise<void>;
}

/**
 * `../shared/ifcb-data` indexed in a new library in a temp folder named from `prefix`, served, and a browser
 * launched. `prepare` runs on the indexed port before the server starts (results folders, a recording wrapper).
 */
export async function sampleLibrary(prefix: string, prepare?: (port: CataloguePort) => CataloguePort | void): Promise<SampleLibrary> {
  const dir = makeTempDir(prefix);
  const { catalogue, port } = await indexedCatalogue(dir, [DATA_ROOT]);
  const served = prepare?.(port) ?? port;
  const server = await startViewer({ roots: [DATA_ROOT], catalogue: served });
  const browser = await launchBrowser();
  return {
    dir,
    catalogue,
    port,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      catalogue.close();
      removeTempDir(dir);
    },
  };
}

export interface ViewerPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (a test asserts it stays empty). */
  errors: string[];
}

/** A fresh page at the viewer's URL, ready for open actions, with console errors collected. */
export async function openViewer(browser: Browser, url: string, options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<ViewerPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  // tsx compiles test files with esbuild's keepNames, which wraps named functions inside page.evaluate
  // callbacks in a `__name` helper that only exists in Node; give the page an identity one.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  // The app marks itself ready once main has said what it offers: open actions work from then on.
  await page.waitForSelector('.app[data-ready="true"]');
  return { context, page, errors };
}

/** Open a bin through the Open dialog (Ctrl+O, path field) and wait until the status bar shows it. */
export async function openBinByPath(page: Page, filePath: string, binId: string): Promise<void> {
  await page.keyboard.press('Control+o');
  const input = page.getByRole('dialog').getByRole('textbox');
  await input.fill(filePath);
  await input.press('Enter');
  await page.waitForFunction((id) => document.querySelector('[data-testid="status-bin"]')?.textContent === id, binId);
}

/** Wait until every tile on screen has its pixels painted. */
export async function waitForPaintedTiles(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const scroller = document.querySelector('.mosaic-scroll');
    if (!scroller) return false;
    const view = scroller.getBoundingClientRect();
    const tiles = [...document.querySelectorAll<HTMLElement>('.tile')];
    const visible = tiles.filter((t) => {
      const r = t.getBoundingClientRect();
      return r.bottom > view.top && r.top < view.bottom;
    });
    return visible.length > 0 && visible.every((t) => t.dataset['state'] === 'painted');
  });
}

export interface PaintedPixels {
  /** SHA-256 (hex) of the gray values drawn for the tile (the R channel of each pixel, row-major). */
  sha: string;
  /** The tile's size on screen, CSS px. */
  width: number;
  height: number;
}

/**
 * Read back what the mosaic canvas shows under a tile (at 100 % zoom: the ROI's raw pixels); in a range, name the
 * tile's bin. The canvas is redrawn on the frame after a scroll or a layout change: this reads what that frame drew.
 */
export async function paintedPixels(page: Page, target: number, binId?: string): Promise<PaintedPixels> {
  return page.evaluate(async ([t, id]) => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const tile = document.querySelector<HTMLElement>(`.tile${id ? `[data-bin="${id}"]` : ''}[data-target="${t}"]`)!.getBoundingClientRect();
    const canvas = document.querySelector<HTMLCanvasElement>('.mosaic-canvas')!;
    const origin = canvas.getBoundingClientRect();
    const { data } = canvas.getContext('2d')!.getImageData(tile.left - origin.left, tile.top - origin.top, tile.width, tile.height);
    const gray = new Uint8Array(tile.width * tile.height);
    for (let i = 0; i < gray.length; i++) gray[i] = data[i * 4]!;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', gray));
    return { sha: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''), width: tile.width, height: tile.height };
  }, [target, binId] as const);
}

/** Save a screenshot to test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Target numbers of the tiles in the DOM, in display order. */
export async function tileTargets(page: Page): Promise<number[]> {
  return page.$$eval('.tile', (tiles) =>
    tiles
      .map((t) => ({ target: Number((t as HTMLElement).dataset['target']), rect: t.getBoundingClientRect() }))
      .sort((a, b) => a.rect.top - b.rect.top || a.rect.left - b.rect.left)
      .map((t) => t.target),
  );
}

/** Selected target numbers (ascending). */
export async function selectedTargets(page: Page): Promise<number[]> {
  const targets = await page.$$eval('.tile.is-selected', (tiles) => tiles.map((t) => Number((t as HTMLElement).dataset['target'])));
  return targets.sort((a, b) => a - b);
}
