/**
 * Packaging that cannot run here (no Electron download) is still checked: electron-builder.yml passes
 * electron-builder's own schema validation and has the structure the issue asks for, every file it references
 * exists, the esbuild bundles the config packages are produced under the names package.json and app.ts use,
 * and `electron` is imported only by the shell and the preload.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildMainAndPreload } from '../../../scripts/build.ts';
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
  extraResources: { from: string; to: string }[];
  fileAssociations: { ext: string; name: string; role: string; mimeType: string }[];
  linux: { target: string[]; mimeTypes: string[] };
  deb: { afterInstall: string; afterRemove: string };
  win: { target: { target: string }[] };
  nsis: { perMachine: boolean };
  mac: { target: string[]; entitlements: string; entitlementsInherit: string };
  directories: { output: string; buildResources: string };
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

  it('associates .adc, .hdr and .roi with a name, role and MIME type that Linux also declares', () => {
    assert.deepEqual(
      config.fileAssociations.map((f) => f.ext),
      ['adc', 'hdr', 'roi'],
    );
    for (const f of config.fileAssociations) {
      assert.ok(f.name.length > 0 && f.role === 'Viewer', f.ext);
      assert.ok(config.linux.mimeTypes.includes(f.mimeType), f.mimeType);
    }
    const mimeXml = fs.readFileSync(path.join(PROJECT_ROOT, config.extraResources[0]!.from), 'utf8');
    for (const f of config.fileAssociations) assert.ok(mimeXml.includes(`<mime-type type="${f.mimeType}">`) && mimeXml.includes(`<glob pattern="*.${f.ext}"/>`), f.ext);
  });

  it('unpacks and rebuilds the native modules, pins Electron, and flips the security fuses (item 19)', () => {
    for (const m of ['node_modules/better-sqlite3/**', 'node_modules/sharp/**']) assert.ok(config.asarUnpack.includes(m), m);
    assert.equal(config.asar, true);
    assert.equal(config.npmRebuild, true);
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
    assert.match(pkg.scripts['dist'] ?? '', /electron-builder --config electron-builder.yml/);
    assert.match(pkg.scripts['build'] ?? '', /scripts\/build\.ts/);
    assert.match(pkg.scripts['start'] ?? '', /main\/start\.ts/);
  });

  it('every file it references exists (build resources, install scripts, entitlements, MIME xml)', () => {
    const referenced = [config.deb.afterInstall, config.deb.afterRemove, config.mac.entitlements, config.mac.entitlementsInherit, ...config.extraResources.map((r) => r.from)];
    for (const file of referenced) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, file)), file);
    assert.ok(fs.statSync(path.join(PROJECT_ROOT, config.directories.buildResources)).isDirectory());
    for (const script of [config.deb.afterInstall, config.deb.afterRemove]) {
      assert.ok((fs.statSync(path.join(PROJECT_ROOT, script)).mode & 0o111) !== 0, `${script} is executable`);
    }
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
