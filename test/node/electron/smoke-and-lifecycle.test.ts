/**
 * The decisions behind the Electron shell's start-up order (main/shell/lifecycle.ts) and behind
 * `--smoke-test` (main/shell/smoke-test.ts): the plan from the launch arguments, which tile is read, the
 * pixel comparison against the reader (on a real bin's ROI), the verdict and exit code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openBin } from '../../../main/ifcb/bin.ts';
import { parseLaunchArgs } from '../../../main/shell/launch-args.ts';
import { MainWindowSlot } from '../../../main/shell/lifecycle.ts';
import { canvasPixelsScript, comparePixels, pickTile, smokeExitCode, smokePlan, smokeVerdict, SMOKE_TIMEOUT_MS } from '../../../main/shell/smoke-test.ts';
import { SAMPLE } from '../../helpers/data.ts';

describe('MainWindowSlot (start-up order)', () => {
  it('asks for no window before the app runs (macOS activate before ready, recovery dialog up) or while quitting', () => {
    const slot = new MainWindowSlot<{ id: number }>();
    assert.equal(slot.needsWindow(), false, 'starting');
    slot.markRunning();
    assert.equal(slot.needsWindow(), true);
    const first = { id: 1 };
    slot.hold(first);
    assert.equal(slot.needsWindow(), false);
    slot.markQuitting();
    assert.equal(slot.release(first), true);
    assert.equal(slot.needsWindow(), false, 'quitting');
    slot.markRunning();
    assert.equal(slot.phase, 'quitting', 'quitting is final');
  });

  it("a late 'closed' from an older window does not forget the current one", () => {
    const slot = new MainWindowSlot<{ id: number }>();
    slot.markRunning();
    const old = { id: 1 };
    const current = { id: 2 };
    slot.hold(old);
    slot.hold(current);
    assert.equal(slot.release(old), false);
    assert.equal(slot.window, current);
    assert.equal(slot.release(current), true);
    assert.equal(slot.window, null);
  });
});

describe('smoke test plan', () => {
  const launch = (...args: string[]) => parseLaunchArgs(['/opt/IFCB Viewer/ifcb-viewer', ...args], { platform: 'linux', packaged: true, cwd: '/w' });

  it('needs a bin file; --out defaults to ./ifcb-viewer-smoke; normal launches have no plan', () => {
    assert.deepEqual(smokePlan(launch('--smoke-test', 'D20130526T095207_IFCB013.adc', '--out', 'o'), '/w'), { bin: '/w/D20130526T095207_IFCB013.adc', out: '/w/o', timeoutMs: SMOKE_TIMEOUT_MS });
    assert.deepEqual(smokePlan(launch('--smoke-test=/d/IFCB5_2012_028_081515.roi'), '/w'), { bin: '/d/IFCB5_2012_028_081515.roi', out: '/w/ifcb-viewer-smoke', timeoutMs: SMOKE_TIMEOUT_MS });
    assert.equal(smokePlan(launch('/d/D20130526T095207_IFCB013.adc'), '/w'), null);
    assert.match((smokePlan(launch('--smoke-test', '/d/notes.txt'), '/w') as { error: string }).error, /needs a bin file/);
    assert.match((smokePlan(launch('--out', '/o'), '/w') as { error: string }).error, /only used with --smoke-test/);
  });

  it('opens the bin through the launch paths, like a double-click', () => {
    assert.deepEqual(launch('--smoke-test', '/d/D20130526T095207_IFCB013.adc', '--out', '/o').paths, ['/d/D20130526T095207_IFCB013.adc']);
  });
});

describe('smoke test decisions', () => {
  const roi = openBin(`${SAMPLE.C}.adc`).images.get(3);
  const rgba = (gray: Uint8Array) => Uint8Array.from(Array.from(gray).flatMap((g) => [g, g, g, 255]));

  it('reads the first tile shown at native size (a shrunk or unknown tile would not compare)', () => {
    const size = (t: number) => (t === 3 ? { width: roi.width, height: roi.height } : t === 5 ? { width: 40, height: 30 } : undefined);
    const tiles = [
      { target: 5, x: 0, y: 0, width: 20, height: 15 },
      { target: 9, x: 30, y: 0, width: 10, height: 10 },
      { target: 3, x: 50, y: 8, width: roi.width, height: roi.height },
    ];
    assert.equal(pickTile(tiles, size), tiles[2]);
    assert.equal(pickTile(tiles.slice(0, 2), size), null);
    assert.equal(canvasPixelsScript(tiles[2]!), `Array.from(document.querySelector('canvas.mosaic-canvas').getContext('2d').getImageData(50, 8, ${roi.width}, ${roi.height}).data)`);
  });

  it("a faithful read-back of a real ROI matches exactly; one changed, tinted or translucent pixel is caught", () => {
    const exact = comparePixels(roi.pixels, rgba(roi.pixels), roi.width);
    assert.deepEqual(exact, { pixels: roi.width * roi.height, mismatched: 0, maxDifference: 0, firstMismatch: null });
    const off = rgba(roi.pixels);
    const i = roi.width + 2; // pixel (2, 1)
    off[4 * i] = (off[4 * i]! + 7) % 256;
    off[4 * i + 1] = off[4 * i]!;
    off[4 * i + 2] = off[4 * i]!;
    const expected = roi.pixels[i]!;
    assert.deepEqual(comparePixels(roi.pixels, off, roi.width), { pixels: roi.pixels.length, mismatched: 1, maxDifference: Math.abs(((expected + 7) % 256) - expected), firstMismatch: { x: 2, y: 1, expected, actual: [(expected + 7) % 256, (expected + 7) % 256, (expected + 7) % 256, 255] } });
    const tinted = rgba(roi.pixels);
    tinted[2] = (tinted[2]! + 1) % 256;
    assert.equal(comparePixels(roi.pixels, tinted, roi.width).mismatched, 1);
    const translucent = rgba(roi.pixels);
    translucent[3] = 254;
    assert.equal(comparePixels(roi.pixels, translucent, roi.width).mismatched, 1);
    assert.equal(comparePixels(roi.pixels, rgba(roi.pixels).subarray(0, 4 * 10), roi.width).mismatched, roi.pixels.length - 10, 'a short read-back');
  });

  it('passes only with a tile read back and no mismatch; exit code 0 or 1', () => {
    const tile = { target: 3, x: 0, y: 0, width: roi.width, height: roi.height };
    const clean = comparePixels(roi.pixels, rgba(roi.pixels), roi.width);
    assert.deepEqual(smokeVerdict(tile, clean, null), { ok: true, failure: null });
    assert.deepEqual(smokeVerdict(null, null, null), { ok: false, failure: 'no tile was painted at its native size' });
    assert.deepEqual(smokeVerdict(tile, clean, 'no ROI was painted within 60 s'), { ok: false, failure: 'no ROI was painted within 60 s' });
    assert.match(smokeVerdict(tile, { ...clean, mismatched: 4, maxDifference: 9 }, null).failure ?? '', /^4 of \d+ pixels of ROI 3 differ from the reader \(max difference 9\)$/);
    assert.equal(smokeExitCode({ ok: true }), 0);
    assert.equal(smokeExitCode({ ok: false }), 1);
  });
});
