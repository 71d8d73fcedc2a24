/**
 * An AppImage registers its own file types for the user (nothing installs it): the desktop entry points at the
 * AppImage (quoted per the Desktop Entry spec), the MIME file declares the same types as electron-builder.yml,
 * and shared-mime-info — run for real on the generated file — maps *.adc and *.roi to them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FILE_TYPES } from '../../../main/shell/app-identity.ts';
import { appImageIntegration, quoteExecArgument } from '../../../main/shell/appimage-integration.ts';
import { PROJECT_ROOT } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const hasUpdateMimeDatabase = spawnSync('update-mime-database', ['-v']).error === undefined;

describe('AppImage self-registration', () => {
  it('only when running as an AppImage, into $XDG_DATA_HOME (else ~/.local/share)', () => {
    assert.equal(appImageIntegration({ HOME: '/home/me' }), null);
    assert.equal(appImageIntegration({ APPIMAGE: 'relative/IFCB.AppImage', HOME: '/home/me' }), null);
    assert.equal(appImageIntegration({ APPIMAGE: '/a/b\nExec=evil', HOME: '/home/me' }), null, 'a newline would inject keys');
    assert.deepEqual(appImageIntegration({ APPIMAGE: '/opt/IFCB.AppImage', HOME: '/home/me' })?.map((f) => f.path), ['/home/me/.local/share/mime/packages/ifcb-viewer.xml', '/home/me/.local/share/applications/ifcb-viewer.desktop']);
    assert.deepEqual(appImageIntegration({ APPIMAGE: '/opt/IFCB.AppImage', HOME: '/home/me', XDG_DATA_HOME: '/xdg' })?.map((f) => f.path), ['/xdg/mime/packages/ifcb-viewer.xml', '/xdg/applications/ifcb-viewer.desktop']);
  });

  it('the desktop entry runs the AppImage with %U, claims the MIME types and matches the window class', () => {
    const desktop = appImageIntegration({ APPIMAGE: '/home/me/Apps/IFCB Viewer-0.1.0.AppImage', HOME: '/home/me' })![1]!.content;
    assert.match(desktop, /^Exec="\/home\/me\/Apps\/IFCB Viewer-0\.1\.0\.AppImage" %U$/m);
    assert.match(desktop, /^MimeType=application\/x-ifcb-adc;application\/x-ifcb-roi;$/m);
    assert.match(desktop, /^StartupWMClass=ifcb-viewer$/m);
    assert.equal(quoteExecArgument('/a/$HOME/"x"`y`\\z'), '"/a/\\\\$HOME/\\\\"x\\\\"\\\\`y\\\\`\\\\\\\\z"');
  });

  it("declares exactly electron-builder.yml's Linux associations", () => {
    const config = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'electron-builder.yml'), 'utf8')) as { fileAssociations: { ext: string; mimeType: string; description: string }[] };
    assert.deepEqual(
      FILE_TYPES.map((t) => [t.ext, t.mimeType, t.description]),
      config.fileAssociations.map((f) => [f.ext, f.mimeType, f.description]),
    );
  });

  it('shared-mime-info maps *.adc and *.roi (not *.hdr) to our types from the generated file', { skip: hasUpdateMimeDatabase ? false : 'update-mime-database not installed' }, (t) => {
    const home = tempDirFor(t, 'ifcb-appimage-');
    const [mime] = appImageIntegration({ APPIMAGE: '/opt/IFCB.AppImage', HOME: home })!;
    fs.mkdirSync(path.dirname(mime!.path), { recursive: true });
    fs.writeFileSync(mime!.path, mime!.content);
    const run = spawnSync('update-mime-database', [path.join(home, '.local/share/mime')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const globs = fs.readFileSync(path.join(home, '.local/share/mime/globs2'), 'utf8');
    assert.match(globs, /^\d+:application\/x-ifcb-adc:\*\.adc$/m);
    assert.match(globs, /^\d+:application\/x-ifcb-roi:\*\.roi$/m);
    assert.doesNotMatch(globs, /hdr/);
  });
});
