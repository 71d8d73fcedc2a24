/**
 * The viewer in Chromium on a synthetic 10,000-target bin (served over the loopback bridge):
 * - open → first screen of tiles painted, against the API's metadata-only round trip (same page, same bin);
 * - a steady scroll through the whole bin: frame intervals p50/p99 against the idle frame interval,
 *   the longest time any on-screen tile stayed blank, and the JS heap after vs before (after GC).
 */
import type { Page } from 'playwright-core';
import type { Bench } from './harness.ts';
import { fmt, percentile } from './harness.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { indexedCatalogue, launchBrowser, openViewer, startViewer, waitForPaintedTiles } from '../helpers/browser.ts';

export const title = 'Viewer (Chromium, 10,000-target synthetic bin)';

const RUNS = 5;
const SCROLL_SECONDS = 20;

/** ms from a click on a library row to every on-screen tile painted (polled each animation frame). */
async function timeOpen(page: Page, binId: string): Promise<number> {
  return page.evaluate(
    (id) =>
      new Promise<number>((resolve) => {
        const row = document.querySelector<HTMLElement>(`.bin-row[data-bin="${id}"]`)!;
        const t0 = performance.now();
        row.click();
        const check = () => {
          const status = document.querySelector('[data-testid="status-bin"]')?.textContent;
          const scroller = document.querySelector('.mosaic-scroll');
          if (status === id && scroller) {
            const view = scroller.getBoundingClientRect();
            const visible = [...document.querySelectorAll<HTMLElement>('.tile')].filter((c) => {
              const r = c.getBoundingClientRect();
              return r.bottom > view.top && r.top < view.bottom;
            });
            if (visible.length > 0 && visible.every((c) => c.dataset['state'] === 'painted')) {
              resolve(performance.now() - t0);
              return;
            }
          }
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    binId,
  );
}

/** ms of one `bin:metadata` round trip through fetch from the page (what opening must at least wait for). */
async function timeMetadata(page: Page, binId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const m = /^\/t\/([A-Za-z0-9_-]+)\//.exec(location.pathname)!;
    const t0 = performance.now();
    const r = await fetch(`/t/${m[1]}/api/bin:metadata`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ifcb-token': m[1]! }, body: JSON.stringify({ binId: id }) });
    await r.json();
    return performance.now() - t0;
  }, binId);
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

export async function run(bench: Bench): Promise<void> {
  const dir = makeTempDir('ifcb-viewer-bench-');
  const bin = writeSyntheticBin(dir, { targets: 10_000, seed: 11 });
  const { catalogue, port } = await indexedCatalogue(dir, [dir], { whitelist: [] });
  const server = await startViewer({ roots: [dir], catalogue: port, validateResponses: false });
  const browser = await launchBrowser();
  try {
    const v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    const page = v.page;
    await page.waitForSelector(`.bin-row[data-bin="${bin.id}"]`);
    // A second, tiny bin to switch to between timed opens (so each open really opens); once its few tiles
    // are painted nothing is loading, so every timing starts from an idle page and an idle server.
    const other = writeSyntheticBin(dir, { targets: 8, seed: 12, emptyEvery: 0, maxSize: 100, epochMs: Date.UTC(2024, 0, 2) });
    await catalogue.index();
    await page.reload();
    await page.waitForSelector(`.bin-row[data-bin="${other.id}"]`);

    // Warm both sides once (parse caches in main, JIT in the page), then time.
    await timeOpen(page, bin.id);
    await timeOpen(page, other.id);
    const opens: number[] = [];
    const metas: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.waitForFunction((n) => document.querySelectorAll('.tile[data-state="painted"]').length === n, other.images.length);
      metas.push(await timeMetadata(page, bin.id));
      opens.push(await timeOpen(page, bin.id));
      await timeOpen(page, other.id);
    }
    const open = percentile(opens, 50);
    const meta = percentile(metas, 50);
    bench.figure({
      name: 'open → first screen of tiles painted',
      ratio: open / meta,
      detail: `${fmt(open, 1)} ms vs ${fmt(meta, 1)} ms for bin:metadata alone (median of ${RUNS}; ${bin.images.length} images)`,
      target: 'first paint < 100 ms',
      met: open < 100,
    });

    await timeOpen(page, bin.id);
    await waitForPaintedTiles(page);
    const heapStart = await heapUsed(page);
    const result = await page.evaluate(
      (seconds) =>
        new Promise<{ idle: number[]; frames: number[]; blanks: number[]; height: number; speed: number; tiles: number }>((resolve) => {
          const el = document.querySelector<HTMLElement>('.mosaic-scroll')!;
          el.scrollTop = 0;
          const idle: number[] = [];
          const frames: number[] = [];
          const blanks: number[] = [];
          const blankSince = new WeakMap<HTMLElement, number>();
          const done = new WeakSet<HTMLElement>();
          const seen = new WeakSet<HTMLElement>();
          let tiles = 0;
          const max = el.scrollHeight - el.clientHeight;
          const speed = max / seconds; // px per second
          let last = performance.now();
          let idleFrames = 0;
          let start = 0;
          const watchBlanks = (now: number) => {
            const view = el.getBoundingClientRect();
            for (const c of el.querySelectorAll<HTMLElement>('.tile')) {
              const r = c.getBoundingClientRect();
              if (r.bottom <= view.top || r.top >= view.bottom) continue;
              if (!seen.has(c)) {
                seen.add(c);
                tiles++;
              }
              if (done.has(c)) continue;
              const painted = c.dataset['state'] === 'painted';
              const since = blankSince.get(c);
              if (painted) {
                if (since !== undefined) blanks.push(now - since);
                done.add(c);
              } else if (since === undefined) blankSince.set(c, now);
            }
          };
          const tick = (now: number) => {
            const dt = now - last;
            last = now;
            if (idleFrames < 60) {
              // The baseline: frame intervals with nothing happening.
              if (idleFrames > 0) idle.push(dt);
              idleFrames++;
              if (idleFrames === 60) start = now;
              requestAnimationFrame(tick);
              return;
            }
            frames.push(dt);
            el.scrollTop = Math.min(max, ((now - start) / 1000) * speed);
            watchBlanks(now);
            if (el.scrollTop >= max - 1) {
              // Let the last screen finish, then report tiles still blank as blank until now.
              const view = el.getBoundingClientRect();
              const settle = (t: number) => {
                watchBlanks(t);
                const pending = [...el.querySelectorAll<HTMLElement>('.tile')].some((c) => {
                  const r = c.getBoundingClientRect();
                  return r.bottom > view.top && r.top < view.bottom && c.dataset['state'] !== 'painted';
                });
                if (pending && t - now < 2000) requestAnimationFrame(settle);
                else resolve({ idle, frames, blanks, height: el.scrollHeight, speed, tiles });
              };
              requestAnimationFrame(settle);
              return;
            }
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      SCROLL_SECONDS,
    );
    const heapEnd = await heapUsed(page);

    const idleP50 = percentile(result.idle, 50);
    const p50 = percentile(result.frames, 50);
    const p99 = percentile(result.frames, 99);
    // A frame counts as dropped when its interval exceeds 1.5 idle frames (rAF timestamps jitter by ~0.1 ms).
    const dropped = result.frames.filter((f) => f > 1.5 * idleP50).length;
    bench.figure({
      name: 'scroll the whole bin: frame interval p99',
      ratio: p99 / idleP50,
      detail: `p50 ${fmt(p50, 1)} ms, p99 ${fmt(p99, 1)} ms, max ${fmt(Math.max(...result.frames), 1)} ms, ${dropped} of ${result.frames.length} frames dropped; idle frame ${fmt(idleP50, 1)} ms; ${Math.round(result.height)} px at ${Math.round(result.speed)} px/s (${fmt(result.speed / 900, 1)} screens/s), ${result.tiles} tiles seen`,
      target: 'p99 ≤ 16.7 ms (+0.5 ms rAF timestamp jitter)',
      met: p99 <= 16.7 + 0.5,
    });
    const longest = result.blanks.length > 0 ? Math.max(...result.blanks) : 0;
    bench.figure({
      name: 'longest time a visible tile stayed blank',
      ratio: longest / idleP50,
      detail: `${fmt(longest, 1)} ms (p99 ${fmt(percentile(result.blanks, 99), 1)} ms over ${result.blanks.length} tiles that were blank when they came into view) vs idle frame ${fmt(idleP50, 1)} ms`,
      target: '< 100 ms',
      met: longest < 100,
    });
    bench.figure({
      name: 'JS heap after scrolling the whole bin vs before',
      ratio: heapEnd / heapStart,
      detail: `${fmt(heapEnd / 1048576, 1)} MB vs ${fmt(heapStart / 1048576, 1)} MB (after GC; pixel buffers and ImageBitmaps live outside the JS heap, bounded by the loader at 128 MB)`,
      target: 'flat (≤ 1.5×)',
      met: heapEnd / heapStart <= 1.5,
    });
    if (v.errors.length > 0) bench.log(`console errors: ${v.errors.join(' | ')}`);
    await v.context.close();
  } finally {
    await browser.close();
    await server.close();
    catalogue.close();
    removeTempDir(dir);
  }
}
