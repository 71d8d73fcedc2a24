/**
 * electron-builder.yml beyond what packaging.test.ts runs: it passes electron-builder's own schema validation,
 * has the structure the issue asks for (targets, associations per OS, fuses, the staged app directory), keeps
 * electron-builder's defaults where ours used to replace them, every file it references exists, the names the OS
 * matches on equal the shell's (main/shell/app-identity.ts), the esbuild bundles are produced under the names
 * the app uses, the stage step writes a runtime-only package.json, and `electron` is imported only by the shell
 * and the preload.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appManifest, buildMainAndPreload, electronNpmEnv } from '../../../scripts/build.ts';
import { APP_USER_MODEL_ID, DESKTOP_NAME, PRODUCT_NAME } from '../../../main/shell/app-identity.ts';
import { PROJECT_ROOT } from '../../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  electronVersion: string;
  electronFuses: Record<string, boolean>;
  fileAssociations: { ext: string; name: string; role: string; mimeType: string; rank: string }[];
  linux: { target: string[]; maintainer: string; syncDesktopName: boolean; desktop?: unknown; mimeTypes?: unknown };
  deb: { executableArgs: string[]; depends?: string[]; afterInstall?: string; afterRemove?: string };
  win: { target: { target: string }[] };
  nsis: { perMachine: boolean };
  mac: { target: string[]; entitlements: string; entitlementsInherit: string; fileAssociations: { ext: string; rank: string; role: string }[] };
  directories: { app: string; output: string; buildResources: string };
  extraResources?: unknown;
}

const CONFIG_PATH = path.join(PROJECT_ROOT, 'electron-builder.yml');
const config = yaml.load(fs.readFileSync(CONFIG_PATH, 'utf8')) as BuilderConfig;

async function validate(cfg: unknown): Promise<string | null> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
  const { DebugLogger } = require('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown };
  try {
    await validateConfiguration(cfg, new DebugLogger(false));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema validation (and a broken copy does not)", async () => {
    assert.equal(await validate(config), null);
    assert.match((await validate({ ...config, fileAssociations: 'adc' })) ?? '', /fileAssociations/);
    assert.match((await validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })) ?? '', /runAsNode/);
    assert.notEqual(await validate({ ...config, notAnOption: true }), null);
  });

  it('targets AppImage + deb, NSIS (per-machine, so associations register) and dmg', () => {
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.deepEqual(
      config.win.target.map((t) => t.target),
      ['nsis'],
    );
    assert.equal(config.nsis.perMachine, true);
    assert.deepEqual(config.mac.target, ['dmg']);
  });

  it('associates .adc and .roi everywhere; .hdr only on macOS, ranked Alternate; no MIME file of our own', () => {
    assert.deepEqual(
      config.fileAssociations.map((f) => [f.ext, f.mimeType, f.rank, f.role]),
      [
        ['adc', 'application/x-ifcb-adc', 'Owner', 'Viewer'],
        ['roi', 'application/x-ifcb-roi', 'Owner', 'Viewer'],
      ],
    );
    assert.deepEqual(
      config.mac.fileAssociations.map((f) => [f.ext, f.rank, f.role]),
      [['hdr', 'Alternate', 'Viewer']],
    );
    // electron-builder writes the MIME file and the desktop entry's MimeType from fileAssociations itself
    assert.equal(config.extraResources, undefined);
    assert.equal(config.linux.mimeTypes, undefined);
  });

  it("keeps electron-builder's deb scripts and default depends; deb metadata is complete; names match the shell's", () => {
    assert.equal(config.deb.afterInstall, undefined, 'the default after-install links /usr/bin, fixes chrome-sandbox and installs the AppArmor profile');
    assert.equal(config.deb.afterRemove, undefined);
    assert.equal(config.deb.depends, undefined, "deb.depends would replace electron-builder's list (xdg-utils, libnotify4, …)");
    assert.deepEqual(config.deb.executableArgs, ['%F']);
    assert.match(config.linux.maintainer, /^[^<>]+ <[^@\s]+@[^>\s]+>$/);
    assert.equal(config.linux.syncDesktopName, true);
    assert.equal(config.linux.desktop, undefined, 'StartupWMClass comes from desktopName, as Electron derives the window class from it');
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { homepage: string; author: { name: string; email: string }; desktopName: string; productName: string };
    assert.match(pkg.homepage, /^https:\/\//);
    assert.match(pkg.author.email, /@/);
    assert.equal(pkg.desktopName, DESKTOP_NAME);
    assert.equal(pkg.productName, PRODUCT_NAME);
    assert.equal(config.productName, PRODUCT_NAME);
    assert.equal(config.appId, APP_USER_MODEL_ID, 'NSIS gives the shortcut this AppUserModelID; app.ts sets the same');
  });

  it('packages the staged app (built for Electron, so no rebuild), unpacks native modules, pins Electron, flips the fuses (item 19)', () => {
    for (const m of ['node_modules/better-sqlite3/**', 'node_modules/sharp/**']) assert.ok(config.asarUnpack.includes(m), m);
    assert.equal(config.asar, true);
    assert.equal(config.directories.app, 'build/app');
    assert.equal(config.npmRebuild, false, 'a rebuild would run in the project, not in build/app');
    assert.equal(config.electronFuses['resetAdHocDarwinSignature'], true, 'an unsigned Apple Silicon build must still launch');
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; main: string; scripts: Record<string, string> };
    assert.equal(config.electronVersion, pkg.devDependencies['electron']);
    assert.deepEqual(
      {
        runAsNode: config.electronFuses['runAsNode'],
        enableNodeOptionsEnvironmentVariable: config.electronFuses['enableNodeOptionsEnvironmentVariable'],
        enableNodeCliInspectArguments: config.electronFuses['enableNodeCliInspectArguments'],
        enableEmbeddedAsarIntegrityValidation: config.electronFuses['enableEmbeddedAsarIntegrityValidation'],
        onlyLoadAppFromAsar: config.electronFuses['onlyLoadAppFromAsar'],
        grantFileProtocolExtraPrivileges: config.electronFuses['grantFileProtocolExtraPrivileges'],
      },
      {
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
        grantFileProtocolExtraPrivileges: false,
      },
    );
    assert.match(pkg.scripts['dist'] ?? '', /^tsx scripts\/build\.ts --stage && electron-builder --config electron-builder.yml$/);
    assert.match(pkg.scripts['build'] ?? '', /scripts\/build\.ts/);
    assert.match(pkg.scripts['start'] ?? '', /main\/start\.ts/);
  });

  it('every file it references exists (build resources, entitlements)', () => {
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, file)), file);
    assert.ok(fs.statSync(path.join(PROJECT_ROOT, config.directories.buildResources)).isDirectory());
  });
});

describe('the staged app', () => {
  it('package.json: identity and entry from the root, runtime dependencies at installed versions, nothing for development', () => {
    const root = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as Parameters<typeof appManifest>[0];
    const manifest = appManifest(root, (d) => `${d}-installed`);
    assert.deepEqual(Object.keys(manifest).sort(), ['author', 'dependencies', 'description', 'desktopName', 'homepage', 'license', 'main', 'name', 'private', 'productName', 'type', 'version']);
    assert.deepEqual(manifest['dependencies'], Object.fromEntries(Object.keys(root.dependencies).map((d) => [d, `${d}-installed`])));
    assert.equal(manifest['main'], 'dist/main/electron/app.js');
  });

  it("installs native modules against Electron's headers (npm's documented variables)", () => {
    assert.deepEqual(electronNpmEnv('41.7.1', 'arm64'), {
      npm_config_runtime: 'electron',
      npm_config_target: '41.7.1',
      npm_config_disturl: 'https://electronjs.org/headers',
      npm_config_arch: 'arm64',
      npm_config_target_arch: 'arm64',
    });
  });
});

describe('bundles for packaging', () => {
  let out: string;
  before(async () => {
    out = makeTempDir('ifcb-bundle-');
    await buildMainAndPreload(out);
  });
  after(() => removeTempDir(out));

  it('produce the main entry package.json names, the index worker beside it, and a small CJS preload', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { main: string };
    assert.equal(pkg.main, 'dist/main/electron/app.js');
    const main = fs.readFileSync(path.join(out, 'main', 'electron', 'app.js'), 'utf8');
    assert.match(main, /from "electron"/);
    assert.match(main, /requestSingleInstanceLock/);
    // sharp (native) loads only when a TIFF is written: a failure to load it must not stop the app starting
    assert.doesNotMatch(main, /from "sharp"/);
    assert.match(main, /import\("sharp"\)/);
    assert.ok(fs.existsSync(path.join(out, 'main', 'electron', 'index-worker.js')));
    const preload = fs.readFileSync(path.join(out, 'preload', 'index.cjs'), 'utf8');
    assert.match(preload, /require\("electron"\)/);
    assert.match(preload, /exposeInMainWorld\("ifcb"/);
    // the sandboxed preload may require only electron: everything else is bundled in
    assert.deepEqual([...new Set([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))], ['electron']);
    assert.ok(preload.length < 20_000, `preload is ${preload.length} bytes`);
    // everything the main bundle leaves external is a runtime dependency (shipped in the app's node_modules)
    const pkgDeps = Object.keys((JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const file of ['app.js', 'index-worker.js']) {
      const code = fs.readFileSync(path.join(out, 'main', 'electron', file), 'utf8');
      const externals = new Set([...code.matchAll(/(?:from |import\()"([^"]+)"/g)].map((m) => m[1]!));
      const missing = [...externals].filter((e) => !e.startsWith('node:') && e !== 'electron' && !pkgDeps.includes(e.split('/')[0]!));
      assert.deepEqual(missing, [], `${file} needs packages that are not dependencies`);
    }
    // the window loads the preload from this exact place
    assert.match(fs.readFileSync(path.join(PROJECT_ROOT, 'main/electron/window-state.ts'), 'utf8'), /'dist', 'preload', 'index\.cjs'/);
  });
});

describe('environment discipline', () => {
  function sources(dir: string): string[] {
    return fs.readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && /\.(ts|tsx)$/.test(d.name))
      .map((d) => path.join(d.parentPath, d.name));
  }

  it("only main/electron/ and preload/ import 'electron'", () => {
    const offenders = ['main', 'shared', 'renderer', 'preload']
      .flatMap(sources)
      .filter((f) => /from\s+['"]electron['"]|require\(['"]electron['"]\)/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(PROJECT_ROOT, f))
      .filter((f) => !f.startsWith('main/electron/') && !f.startsWith('preload/') && f !== 'main/start.ts');
    assert.deepEqual(offenders, []);
  });
});
