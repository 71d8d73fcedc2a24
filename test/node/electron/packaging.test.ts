/**
 * The packaging that can run here: electron-builder 26 builds the Linux `dir` app from electron-builder.yml with a
 * stand-in Electron distribution (`electronDist`: a folder this test builds, with a fake `electron` executable
 * that carries a real fuse wire), and computes the deb's and the AppImage's desktop entry, MIME file and package
 * scripts up to the point where it would download fpm / the AppImage tools (`effectiveOptionComputed` stops it
 * there). Asserted: the app.asar listing, what is unpacked (native modules, the index worker), the flipped fuses,
 * the desktop entries, the MIME file, and that the deb keeps electron-builder's own install scripts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildMainAndPreload, stageApp } from '../../../scripts/build.ts';
import { DESKTOP_NAME } from '../../../main/shell/app-identity.ts';
import { PROJECT_ROOT } from '../../helpers/data.ts';
import { RENDERER_DIR, buildRenderer } from '../../helpers/browser.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as { listPackage(archive: string, options: { isPack: boolean }): string[]; extractFile(archive: string, file: string): Buffer };
const fuses = require('@electron/fuses') as { getCurrentFuseWire(binary: string): Promise<Record<string, number | string>>; FuseV1Options: Record<string, number> };
const builder = require('electron-builder') as {
  build(options: Record<string, unknown>): Promise<string[]>;
  Platform: { LINUX: { createTarget(targets: string[], ...archs: number[]): unknown } };
  Arch: { x64: number };
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron 41's fuse wire as shipped: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, … */
const SHIPPED_WIRE = '101100011';

/** A folder shaped like an unzipped Electron for Linux, whose `electron` is a script carrying a fuse wire. */
function standInElectron(dir: string): void {
  fs.mkdirSync(path.join(dir, 'locales'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(`#!/bin/sh\n# stand-in for Electron 41.7.1: no binary can be downloaded here\nexit 0\n# ${SENTINEL}`), Buffer.from([1, SHIPPED_WIRE.length]), Buffer.from(SHIPPED_WIRE), Buffer.from('\n')]);
  fs.writeFileSync(path.join(dir, 'electron'), wire, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'chrome-sandbox'), '', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'locales', 'en-US.pak'), 'stand-in');
  fs.writeFileSync(path.join(dir, 'version'), '41.7.1');
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stand-in');
}

// Linux only: the stand-in is a Linux Electron layout (CI's Windows and macOS runners package their own for real)
describe('electron-builder --linux dir (+ deb and AppImage metadata) with a stand-in Electron', { timeout: 600_000, skip: process.platform !== 'linux' ? 'Linux packaging is checked on Linux' : false }, () => {
  let tmp: string;
  let unpacked: string;
  let appAsar: string;
  let debArgs: string[] = [];
  let debDesktop = '';
  const debFiles = new Map<string, string>();
  let appImageDesktop = '';
  let appImageDesktopName = '';

  before(async () => {
    tmp = makeTempDir('ifcb-package-');
    buildRenderer();
    const dist = path.join(tmp, 'dist');
    await buildMainAndPreload(dist);
    fs.cpSync(RENDERER_DIR, path.join(dist, 'renderer'), { recursive: true });
    const app = stageApp({ dist, out: path.join(tmp, 'app'), dependencies: 'copy-from-project' });
    standInElectron(path.join(tmp, 'electron-dist'));
    // electron-builder loads electron-builder.yml itself and merges these overrides into it
    await builder.build({
      projectDir: PROJECT_ROOT,
      targets: builder.Platform.LINUX.createTarget(['dir', 'deb', 'AppImage'], builder.Arch.x64),
      publish: 'never',
      config: {
        directories: { app, output: path.join(tmp, 'release') },
        electronDist: path.join(tmp, 'electron-dist'),
      },
      // deb and AppImage stop here, just before downloading fpm / the AppImage tools
      effectiveOptionComputed: async (computed: unknown) => {
        if (Array.isArray(computed)) {
          debArgs = computed[0] as string[];
          debDesktop = fs.readFileSync(computed[1] as string, 'utf8');
          // the scripts and the MIME file live in electron-builder's temp folder: read them before it is removed
          for (const file of [debArgs[debArgs.indexOf('--after-install') + 1]!, ...debArgs.filter((a) => a.includes('=/usr/share/mime/')).map((a) => a.split('=')[0]!)]) {
            debFiles.set(file, fs.readFileSync(file, 'utf8'));
          }
          return true;
        }
        const appImage = computed as { desktop?: string; desktopFileName?: string };
        if (appImage.desktop !== undefined) {
          appImageDesktop = appImage.desktop;
          appImageDesktopName = appImage.desktopFileName ?? '';
          return true;
        }
        return false;
      },
    });
    unpacked = path.join(tmp, 'release', 'linux-unpacked');
    appAsar = path.join(unpacked, 'resources', 'app.asar');
  });
  after(() => removeTempDir(tmp));

  it('app.asar holds the bundles, the renderer and the runtime dependencies only', () => {
    const listing = asar.listPackage(appAsar, { isPack: false }).map((p) => p.split(path.sep).join('/'));
    for (const f of ['/package.json', '/dist/main/electron/app.js', '/dist/main/electron/index-worker.js', '/dist/preload/index.cjs', '/dist/renderer/index.html', '/node_modules/better-sqlite3/package.json', '/node_modules/sharp/package.json', '/node_modules/chokidar/package.json', '/node_modules/yazl/package.json', '/node_modules/zod/package.json']) {
      assert.ok(listing.includes(f), `${f} in app.asar`);
    }
    // the mosaic's tile-sheet worker: its own module file beside the page's chunks
    assert.ok(listing.some((p) => /^\/dist\/renderer\/assets\/sheet-worker-[\w-]+\.js$/.test(p)), 'the tile-sheet worker in app.asar');
    const top = [...new Set(listing.map((p) => p.split('/')[1]))].sort();
    assert.deepEqual(top, ['dist', 'node_modules', 'package.json']);
    assert.deepEqual(listing.filter((p) => p.endsWith('.map')), []);
    for (const dev of ['electron', 'electron-builder', 'typescript', 'vite', 'esbuild', 'tsx', 'playwright-core', 'fast-check']) {
      assert.equal(listing.some((p) => p.startsWith(`/node_modules/${dev}/`)), false, `${dev} is not shipped`);
    }
    const manifest = JSON.parse(asar.extractFile(appAsar, 'package.json').toString('utf8')) as Record<string, unknown>;
    assert.equal(manifest['main'], 'dist/main/electron/app.js');
    assert.equal(manifest['desktopName'], DESKTOP_NAME);
    assert.equal(manifest['devDependencies'], undefined);
    console.log(`# app.asar: ${listing.length} entries; top level ${top.join(', ')}; dist/: ${listing.filter((p) => p.startsWith('/dist/') && !p.slice(6).includes('/renderer/assets/')).join(' ')}`);
  });

  it('native modules, their loaders and the index worker are unpacked beside the asar', () => {
    const u = (p: string) => path.join(unpacked, 'resources', 'app.asar.unpacked', p);
    assert.ok(fs.statSync(u('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).size > 100_000);
    for (const p of ['node_modules/bindings/bindings.js', 'node_modules/file-uri-to-path/package.json', 'dist/main/electron/index-worker.js', 'node_modules/sharp/package.json']) assert.ok(fs.existsSync(u(p)), p);
    const sharpNative = fs.readdirSync(u('node_modules/@img'), { recursive: true }).map(String).filter((p) => p.endsWith('.node'));
    assert.ok(sharpNative.length >= 1, 'sharp native binding unpacked');
    assert.equal(fs.existsSync(u('dist/main/electron/app.js')), false, 'the main bundle stays inside the asar');
  });

  it('the executable is named after the package, and the security fuses are flipped', async () => {
    const exe = path.join(unpacked, 'ifcb-viewer');
    assert.ok((fs.statSync(exe).mode & 0o111) !== 0);
    const wire = await fuses.getCurrentFuseWire(exe);
    const state = (name: string) => String.fromCharCode(wire[fuses.FuseV1Options[name]!] as number);
    assert.deepEqual(
      ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'GrantFileProtocolExtraPrivileges'].map(state),
      ['0', '1', '0', '0', '1', '1', '0'],
    );
  });

  it('deb: metadata complete, electron-builder keeps its own install scripts (link, sandbox, AppArmor)', () => {
    const arg = (name: string) => debArgs[debArgs.indexOf(name) + 1];
    assert.equal(arg('--url'), 'https://ifcb-viewer.invalid/');
    assert.match(arg('--maintainer') ?? '', /^IFCB Viewer developers <dev@ifcb-viewer\.invalid>$/);
    const afterInstall = debFiles.get(arg('--after-install')!) ?? '';
    assert.match(afterInstall, /\/usr\/bin\/ifcb-viewer/);
    assert.match(afterInstall, /chrome-sandbox/);
    assert.match(afterInstall, /apparmor/i);
    assert.ok(fs.existsSync(path.join(unpacked, 'resources', 'apparmor-profile')));
    const mime = debArgs.find((a) => a.endsWith('=/usr/share/mime/packages/ifcb-viewer.xml'));
    assert.ok(mime, 'the generated MIME file is installed');
    const xml = debFiles.get(mime.split('=')[0]!) ?? '';
    assert.match(xml, /<mime-type type="application\/x-ifcb-adc">\s*<glob pattern="\*\.adc"\/>/);
    assert.match(xml, /<mime-type type="application\/x-ifcb-roi">\s*<glob pattern="\*\.roi"\/>/);
    assert.doesNotMatch(xml, /hdr/, 'no claim on every program\'s .hdr files');
    assert.ok(debArgs.some((a) => a.endsWith(`=/usr/share/applications/${DESKTOP_NAME}`)), DESKTOP_NAME);
  });

  it('deb desktop entry: local paths (%F), the MIME types, and StartupWMClass equal to the app id Electron sets', () => {
    const entry = Object.fromEntries(debDesktop.trim().split('\n').slice(1).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.equal(entry['Exec'], '"/opt/IFCB Viewer/ifcb-viewer" %F');
    assert.equal(entry['StartupWMClass'], DESKTOP_NAME.replace(/\.desktop$/, ''));
    assert.equal(entry['MimeType'], 'application/x-ifcb-adc;application/x-ifcb-roi;');
    assert.equal(entry['Categories'], 'Science;');
    assert.equal(entry['Name'], 'IFCB Viewer');
  });

  it('AppImage desktop entry: %U (launch-args accepts file:// URLs), same MIME types and window class', () => {
    assert.equal(appImageDesktopName, DESKTOP_NAME);
    assert.match(appImageDesktop, /^Exec=AppRun --no-sandbox %U$/m);
    assert.match(appImageDesktop, /^MimeType=application\/x-ifcb-adc;application\/x-ifcb-roi;$/m);
    assert.match(appImageDesktop, /^StartupWMClass=ifcb-viewer$/m);
  });
});
