/**
 * `getIfcbApi()` picks the preload's `window.ifcb` when it exists and otherwise builds the fetch client from the
 * page's bridge URL; without either it fails loudly instead of guessing.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { IfcbApi } from '../../../shared/ipc/contract.ts';
import { getIfcbApi, setIfcbApiForTesting } from '../../../renderer/api/index.ts';

const g = globalThis as unknown as { window?: unknown; document?: unknown };

describe('getIfcbApi', () => {
  afterEach(() => {
    setIfcbApiForTesting(undefined);
    delete g.window;
    delete g.document;
  });

  it('returns the preload API when Electron exposed one', () => {
    const fake = { getAppInfo: async () => ({ ok: true, value: 'electron' }) } as unknown as IfcbApi;
    g.window = { ifcb: fake, location: { origin: 'app://ifcb', pathname: '/index.html' } };
    assert.equal(getIfcbApi(), fake);
  });

  it('builds the fetch client from the /t/<token>/ page URL, with every API method', () => {
    g.window = { location: { origin: 'http://127.0.0.1:4000', pathname: `/t/${'k'.repeat(43)}/index.html` } };
    g.document = { querySelector: () => null };
    const api = getIfcbApi();
    for (const m of ['getAppInfo', 'ready', 'openPath', 'openDropped', 'getBinMetadata', 'getRoiImages', 'listBins', 'getTimeSeries', 'getNeighbours', 'getCatalogueBin', 'listRoots', 'addRoot', 'removeRoot', 'reindex', 'showOpenBinDialog', 'showAddFolderDialog', 'chooseExportDestination', 'startExport', 'cancelExport', 'onEvent']) {
      assert.equal(typeof (api as unknown as Record<string, unknown>)[m], 'function', m);
    }
    assert.equal(api.pathForFile, undefined);
    assert.equal(getIfcbApi(), api, 'cached');
  });

  it('throws when the page has neither the preload API nor a bridge token', () => {
    g.window = { location: { origin: 'http://127.0.0.1:4000', pathname: '/' } };
    g.document = { querySelector: () => null };
    assert.throws(() => getIfcbApi(), /no preload API and no bridge token/);
  });
});
