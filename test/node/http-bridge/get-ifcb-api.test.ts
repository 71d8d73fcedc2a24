/**
 * `getIfcbApi()` builds the API over the preload's IPC transport (`window.ifcb`) when it exists and otherwise
 * over fetch from the page's bridge URL; without either it fails loudly instead of guessing. Either way every
 * contract channel has exactly one method that sends its request on that channel.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { EVENT_CHANNEL, isRequestChannelName, type PreloadBridge } from '../../../shared/ipc/api.ts';
import { API_METHODS, CHANNELS, CONTRACT } from '../../../shared/ipc/contract.ts';
import { getIfcbApi, setIfcbApiForTesting } from '../../../renderer/api/index.ts';

const g = globalThis as unknown as { window?: unknown; document?: unknown };

describe('getIfcbApi', () => {
  afterEach(() => {
    setIfcbApiForTesting(undefined);
    delete g.window;
    delete g.document;
  });

  it('builds the API over the preload transport when Electron exposed one: each method calls its own channel', async () => {
    const sent: [string, unknown][] = [];
    const preload: PreloadBridge = {
      invoke: async (channel, request) => {
        sent.push([channel, request]);
        return { ok: true, value: channel };
      },
      onEvent: () => () => undefined,
      pathForFile: () => '/drop/D20130526T095207_IFCB013.adc',
    };
    g.window = { ifcb: preload, location: { origin: 'app://ifcb', pathname: '/index.html' } };
    const api = getIfcbApi();
    const methods = api as unknown as Record<string, (request?: unknown) => Promise<unknown>>;
    for (const channel of CHANNELS) await methods[CONTRACT[channel].method]!({ probe: channel });
    assert.deepEqual(sent, CHANNELS.map((channel) => [channel, { probe: channel }]));
    assert.equal(await api.getAppInfo().then((r) => r.ok && r.value), 'app:get-info', 'a request-less method sends {}');
    assert.deepEqual(sent.at(-1), ['app:get-info', {}]);
    assert.equal(api.pathForFile?.(new Blob()), '/drop/D20130526T095207_IFCB013.adc');
  });

  it('builds the fetch client from the /t/<token>/ page URL, with one method per contract channel and nothing else', () => {
    g.window = { location: { origin: 'http://127.0.0.1:4000', pathname: `/t/${'k'.repeat(43)}/index.html` } };
    g.document = { querySelector: () => null };
    const api = getIfcbApi();
    for (const m of [...Object.keys(API_METHODS), 'onEvent']) assert.equal(typeof (api as unknown as Record<string, unknown>)[m], 'function', m);
    assert.deepEqual(Object.keys(api).sort(), [...Object.keys(API_METHODS), 'onEvent'].sort());
    assert.equal(Object.keys(API_METHODS).length, CHANNELS.length, 'one method per channel');
    assert.equal(api.pathForFile, undefined);
    assert.equal(getIfcbApi(), api, 'cached');
  });

  it("the preload forwards every contract channel (its zod-free name check) and nothing else", () => {
    for (const channel of CHANNELS) assert.equal(isRequestChannelName(channel), true, channel);
    for (const bad of [EVENT_CHANNEL, 'bin:open-path\n', 'Bin:open', 'bin', 'bin:', ':open', 'bin:open path', 'x'.repeat(70) + ':a', 42, null]) {
      assert.equal(isRequestChannelName(bad), false, String(bad));
    }
  });

  it('throws when the page has neither the preload API nor a bridge token', () => {
    g.window = { location: { origin: 'http://127.0.0.1:4000', pathname: '/' } };
    g.document = { querySelector: () => null };
    assert.throws(() => getIfcbApi(), /no preload API and no bridge token/);
  });
});
