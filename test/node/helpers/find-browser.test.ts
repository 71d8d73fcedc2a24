/** The browser tests find a browser without downloading one: the environment variable, the system's, then npm's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_ENV, findBrowser } from '../../helpers/browser.ts';

const only = (...present: string[]) => (p: string) => present.includes(p);

test('IFCB_TEST_CHROMIUM wins over a system browser, and a wrong value is an error, not a fallback', () => {
  assert.deepEqual(findBrowser({ [BROWSER_ENV]: '/opt/chrome/chrome' }, 'linux', only('/opt/chrome/chrome', '/usr/bin/chromium')), {
    source: 'env',
    executablePath: '/opt/chrome/chrome',
  });
  assert.throws(() => findBrowser({ [BROWSER_ENV]: '/nowhere/chrome' }, 'linux', only('/usr/bin/chromium')), /IFCB_TEST_CHROMIUM=\/nowhere\/chrome is not an executable file/);
});

test('the system browsers are tried in order, then the npm package', () => {
  assert.deepEqual(findBrowser({}, 'linux', only('/usr/bin/chromium', '/usr/bin/google-chrome')), { source: 'system', executablePath: '/usr/bin/chromium' });
  assert.deepEqual(findBrowser({}, 'linux', only('/usr/bin/google-chrome-stable')), { source: 'system', executablePath: '/usr/bin/google-chrome-stable' });
  assert.deepEqual(findBrowser({ [BROWSER_ENV]: '' }, 'linux', only()), { source: 'npm' });
  assert.deepEqual(findBrowser({}, 'darwin', only('/usr/bin/chromium')), { source: 'npm' });
  assert.deepEqual(findBrowser({}, 'darwin', only('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge')), {
    source: 'system',
    executablePath: '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  });
});
