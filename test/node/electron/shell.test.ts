/**
 * The Electron shell's decisions, as pure functions under Node: which launch arguments are files (Windows,
 * Linux, macOS; first launch and second instance), which files are bins, the CSP, navigation and window-open
 * predicates, the IPC sender check, `app://` path mapping, webPreferences, window bounds and recent files.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, metaContentSecurityPolicy, securityHeaders } from '../../../main/shell/csp.ts';
import { classifyLaunchPaths, isBinFile, parseLaunchArgs, pathFromFileUrl, pathsFromArgv } from '../../../main/shell/launch-args.ts';
import { APP_ENTRY_URL, appRequestPath, isAppUrl, isTrustedSender, shouldAllowNavigation, windowOpenDecision } from '../../../main/shell/navigation.ts';
import { parseRecent, pushRecent } from '../../../main/shell/recent-files.ts';
import { secureWebPreferences } from '../../../main/shell/web-preferences.ts';
import { fitWindowBounds, parseWindowState } from '../../../main/shell/window-state.ts';

describe('launch arguments', () => {
  it('Windows, packaged: a double-clicked .adc arrives as argv[1]; switches are skipped; relative paths use the cwd', () => {
    const argv = ['C:\\Program Files\\IFCB Viewer\\IFCB Viewer.exe', '--allow-file-access-from-files', 'D:\\Data\\D20130526T095207_IFCB013.adc', '"E:\\My Bins\\IFCB5_2012_028_081515.roi"', 'sub\\D20220522T003051_IFCB134.hdr'];
    assert.deepEqual(pathsFromArgv(argv, { platform: 'win32', packaged: true, cwd: 'C:\\Users\\me' }), [
      'D:\\Data\\D20130526T095207_IFCB013.adc',
      'E:\\My Bins\\IFCB5_2012_028_081515.roi',
      'C:\\Users\\me\\sub\\D20220522T003051_IFCB134.hdr',
    ]);
  });

  it('Windows second instance: Chromium appends its own switches; duplicates differing in case collapse', () => {
    const argv = ['C:\\IFCB\\IFCB Viewer.exe', '--original-process-start-time=1', 'd:\\data\\D20130526T095207_IFCB013.adc', 'D:\\DATA\\D20130526T095207_IFCB013.ADC'];
    assert.deepEqual(pathsFromArgv(argv, { platform: 'win32', packaged: true, cwd: 'C:\\' }), ['d:\\data\\D20130526T095207_IFCB013.adc']);
  });

  it('Linux: packaged (AppImage/deb %F) and dev (electron .) layouts', () => {
    assert.deepEqual(pathsFromArgv(['/opt/IFCB Viewer/ifcb-viewer', '--no-sandbox', '/data/a/D20130526T095207_IFCB013.adc', 'rel/IFCB5_2012_028_081515.hdr'], { platform: 'linux', packaged: true, cwd: '/home/me' }), [
      '/data/a/D20130526T095207_IFCB013.adc',
      '/home/me/rel/IFCB5_2012_028_081515.hdr',
    ]);
    assert.deepEqual(pathsFromArgv(['/usr/lib/electron/electron', '/src/ifcb-viewer', '/data/D20130526T095207_IFCB013.roi'], { platform: 'linux', packaged: false, cwd: '/src' }), ['/data/D20130526T095207_IFCB013.roi']);
    assert.deepEqual(pathsFromArgv(['/x/ifcb-viewer', '--', '-odd-name.adc'], { platform: 'linux', packaged: true, cwd: '/d' }), ['/d/-odd-name.adc']);
  });

  it('macOS: argv carries only -psn_ process serials (files come through open-file)', () => {
    assert.deepEqual(pathsFromArgv(['/Applications/IFCB Viewer.app/Contents/MacOS/IFCB Viewer', '-psn_0_123456'], { platform: 'darwin', packaged: true, cwd: '/' }), []);
  });

  it('isBinFile: the three extensions of a valid bin id only', () => {
    for (const p of ['/d/D20130526T095207_IFCB013.adc', 'C:\\d\\IFCB5_2012_028_081515.ROI', 'D20220522T003051_IFCB134.hdr']) assert.equal(isBinFile(p), true, p);
    for (const p of ['/d/decoy.adc', '/d/D20130526T095207_IFCB013.png', '/d/D20130526T095207_IFCB013_00002.adc', '/d/D20131301T101010_IFCB099.adc', '/d/D20130526T095207_IFCB013', '/d/']) assert.equal(isBinFile(p), false, p);
  });

  it('Linux %U and second instances may pass file:// URLs: they become paths (percent-decoded), other hosts are dropped', () => {
    const argv = ['/opt/IFCB Viewer/ifcb-viewer', 'file:///data/My%20Bins/D20130526T095207_IFCB013.adc', 'file://localhost/d/IFCB5_2012_028_081515.roi', 'file://server/share/D20220522T003051_IFCB134.adc', 'FILE:///x/y.hdr'];
    assert.deepEqual(pathsFromArgv(argv, { platform: 'linux', packaged: true, cwd: '/home/me' }), ['/data/My Bins/D20130526T095207_IFCB013.adc', '/d/IFCB5_2012_028_081515.roi', '/x/y.hdr']);
    assert.equal(pathFromFileUrl('file:///C:/Data/My%20Bins/a.adc', 'win32'), 'C:\\Data\\My Bins\\a.adc');
    assert.equal(pathFromFileUrl('file://nas/ifcb/a.adc', 'win32'), '\\\\nas\\ifcb\\a.adc');
    for (const bad of ['file:///a%00b.adc', 'file:///a.adc?x=1', 'file:///%E0%A4%A.adc', 'http://x/a.adc']) assert.equal(pathFromFileUrl(bad, 'linux'), null, bad);
    assert.equal(pathFromFileUrl('file:///no-drive/a.adc', 'win32'), null);
  });

  it("the app's own switches (--db, --no-library, --smoke-test, --out) are taken out; both value forms work", () => {
    const argv = ['/usr/bin/electron', '/src/app', '--db', 'lib.sqlite', '--no-library', '--enable-logging', '--smoke-test=bins/D20130526T095207_IFCB013.adc', '--out', 'out', '/data', 'file:///d/IFCB5_2012_028_081515.roi'];
    assert.deepEqual(parseLaunchArgs(argv, { platform: 'linux', packaged: false, cwd: '/w' }), {
      db: '/w/lib.sqlite',
      noLibrary: true,
      smokeTest: '/w/bins/D20130526T095207_IFCB013.adc',
      out: '/w/out',
      paths: ['/w/bins/D20130526T095207_IFCB013.adc', '/data', '/d/IFCB5_2012_028_081515.roi'],
    });
    assert.deepEqual(parseLaunchArgs(['/x/IFCB Viewer', '--', '--db'], { platform: 'linux', packaged: true, cwd: '/w' }), { db: null, noLibrary: false, smokeTest: null, out: null, paths: ['/w/--db'] });
    assert.deepEqual(parseLaunchArgs(['/x/IFCB Viewer', '--db'], { platform: 'linux', packaged: true, cwd: '/w' }).db, null);
  });

  it('classifyLaunchPaths opens each bin once and keeps the other paths (folders) apart', () => {
    assert.deepEqual(classifyLaunchPaths(['/d/D20130526T095207_IFCB013.adc', '/d/D20130526T095207_IFCB013.roi', '/data', '/d/IFCB5_2012_028_081515.hdr']), {
      bins: ['/d/D20130526T095207_IFCB013.adc', '/d/IFCB5_2012_028_081515.hdr'],
      other: ['/data'],
    });
  });
});

describe('content security policy', () => {
  it('is the checklist policy (item 7) as a header, and as a meta tag without frame-ancestors', () => {
    assert.equal(contentSecurityPolicy(), "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' blob:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'");
    assert.equal(metaContentSecurityPolicy().includes('frame-ancestors'), false);
    assert.doesNotMatch(contentSecurityPolicy(), /unsafe-inline|unsafe-eval|\*|http:|https:/);
    assert.equal(securityHeaders()['Referrer-Policy'], 'no-referrer');
  });
});

describe('navigation and senders', () => {
  it('only app://ifcb pages are ours', () => {
    assert.equal(isAppUrl(APP_ENTRY_URL), true);
    assert.equal(isAppUrl('app://ifcb/index.html?x=1#y'), true);
    for (const url of ['app://evil/index.html', 'app://user:pw@ifcb/index.html', 'file:///etc/passwd', 'https://ifcb/', 'http://127.0.0.1:3000/', 'javascript:alert(1)', 'app:ifcb', '', 'not a url']) {
      assert.equal(isAppUrl(url), false, url);
      assert.equal(shouldAllowNavigation(url), false, url);
    }
  });

  it('window.open is always denied; allow-listed https links go to the system browser, nothing else', () => {
    assert.deepEqual(windowOpenDecision('https://github.com/WHOIGit/pyifcb'), { action: 'deny', openExternally: 'https://github.com/WHOIGit/pyifcb' });
    for (const url of ['http://github.com/', 'https://github.com.evil.example/', 'https://user@github.com/', 'https://github.com:8443/', 'file:///C:/Windows/system32/calc.exe', 'app://ifcb/index.html', 'smb://server/share']) {
      assert.deepEqual(windowOpenDecision(url), { action: 'deny', openExternally: null }, url);
    }
  });

  it('IPC senders must be the main frame of our window showing our origin (item 17)', () => {
    assert.equal(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: true, isOurWindow: true }), true);
    assert.equal(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: false, isOurWindow: true }), false);
    assert.equal(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: true, isOurWindow: false }), false);
    assert.equal(isTrustedSender({ url: 'https://example.com/', isMainFrame: true, isOurWindow: true }), false);
    assert.equal(isTrustedSender(null), false);
  });

  it('app:// requests map to paths relative to the renderer build (containment is checked after)', () => {
    assert.equal(appRequestPath('app://ifcb/index.html'), 'index.html');
    assert.equal(appRequestPath('app://ifcb/assets/a.js?v=1'), 'assets/a.js');
    assert.equal(appRequestPath('app://ifcb/'), '');
    assert.equal(appRequestPath('app://ifcb/../../etc/passwd'), 'etc/passwd');
    assert.equal(appRequestPath('app://other/index.html'), null);
    assert.equal(appRequestPath('file:///etc/passwd'), null);
  });
});

describe('webPreferences', () => {
  it('sandboxed, isolated, no Node anywhere, web security on, no webviews (items 2–10)', () => {
    const prefs = secureWebPreferences('/app/dist/preload/index.cjs');
    assert.deepEqual(prefs, {
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    });
    assert.equal('enableBlinkFeatures' in prefs, false);
  });
});

describe('window bounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  const two = [...screen, { x: 1920, y: 0, width: 1280, height: 1000 }];

  it('parses saved state defensively', () => {
    assert.deepEqual(parseWindowState('{"bounds":{"x":10,"y":20,"width":800,"height":600},"maximized":true}'), { bounds: { x: 10, y: 20, width: 800, height: 600 }, maximized: true });
    for (const text of [null, '', 'nope', '[]', '{"bounds":{"x":"1","y":0,"width":1,"height":1}}', '{"bounds":{"x":1e9,"y":0,"width":800,"height":600}}', '{"bounds":{"x":NaN}}']) {
      assert.equal(parseWindowState(text), null, String(text));
    }
  });

  it('restores a window where it was when that place is still visible', () => {
    assert.deepEqual(fitWindowBounds({ bounds: { x: 2000, y: 50, width: 1000, height: 700 }, maximized: false }, two, two[0]!), { bounds: { x: 2000, y: 50, width: 1000, height: 700 }, maximized: false });
  });

  it('recentres a window saved on a monitor that is gone, and clamps oversize/undersize windows', () => {
    assert.deepEqual(fitWindowBounds({ bounds: { x: 2000, y: 50, width: 1000, height: 700 }, maximized: true }, screen, screen[0]!), { bounds: { x: 460, y: 170, width: 1000, height: 700 }, maximized: true });
    assert.deepEqual(fitWindowBounds({ bounds: { x: -50, y: 900, width: 5000, height: 200 }, maximized: false }, screen, screen[0]!), { bounds: { x: 0, y: 560, width: 1920, height: 480 }, maximized: false });
    assert.deepEqual(fitWindowBounds(null, screen, screen[0]!), { bounds: { x: 320, y: 110, width: 1280, height: 820 }, maximized: false });
  });

  it("centres on the OS's primary display, not on whichever display is listed first", () => {
    // getAllDisplays() may list a secondary monitor first; getPrimaryDisplay() names the real one
    const laptopFirst = [{ x: -1280, y: 0, width: 1280, height: 760 }, { x: 0, y: 0, width: 1920, height: 1040 }];
    assert.deepEqual(fitWindowBounds(null, laptopFirst, laptopFirst[1]!), { bounds: { x: 320, y: 110, width: 1280, height: 820 }, maximized: false });
    assert.deepEqual(fitWindowBounds({ bounds: { x: 5000, y: 0, width: 800, height: 600 }, maximized: false }, laptopFirst, laptopFirst[1]!).bounds, { x: 560, y: 220, width: 800, height: 600 });
  });
});

describe('recent files', () => {
  it('most recent first, unique (case-insensitive on Windows), bounded, parsed defensively', () => {
    assert.deepEqual(pushRecent(['/a', '/b'], '/b', 'linux'), ['/b', '/a']);
    assert.deepEqual(pushRecent(['C:\\A.adc'], 'c:\\a.ADC', 'win32'), ['c:\\a.ADC']);
    assert.deepEqual(pushRecent(['/A.adc'], '/a.adc', 'linux'), ['/a.adc', '/A.adc']);
    assert.equal(pushRecent(Array.from({ length: 20 }, (_, i) => `/${i}`), '/new', 'linux').length, 10);
    assert.deepEqual(parseRecent('["/a", 3, null, "", "/b\\u0000c", "/d"]'), ['/a', '/d']);
    assert.deepEqual(parseRecent('{"x":1}'), []);
    assert.deepEqual(parseRecent('garbage'), []);
  });
});
