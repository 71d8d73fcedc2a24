/**
 * The composition root (main/app/composition.ts) and its owner (DisposableStore): every part the app starts is
 * stopped by one dispose, in reverse start-up order (jobs → watchers → database), a failing part does not keep
 * the others open, the HTTP bridge built on it stops its server first and leaves a caller's catalogue open, and
 * openLibrary (main/app/library.ts) hands the database to the owner that closes it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DisposableStore } from '../../../main/app/disposable-store.ts';
import { composeApp } from '../../../main/app/composition.ts';
import { openLibrary, openLibraryDatabase, rebuildLibrary } from '../../../main/app/library.ts';
import { startViewerServer } from '../../../main/http-bridge/index.ts';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import { listBins } from '../../../main/index/queries.ts';
import { cataloguePort } from '../../../main/ipc/catalogue-adapter.ts';
import { isIfcbError } from '../../../shared/errors.ts';
import type { IfcbEvent } from '../../../shared/ipc/contract.ts';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';

const APP = { name: 'IFCB Viewer', version: '0.0.0-test', transport: 'http' as const, platform: 'linux' };

describe('launch folders', () => {
  it('one folder that cannot be added does not stop the next one; the failure is still reported', async (t) => {
    const core = composeApp({ app: APP });
    t.after(() => core.dispose());
    const missing = path.join(tempDirFor(t, 'ifcb-launch-folders-'), 'gone');
    await assert.rejects(core.addLaunchFolders([missing, path.join(DATA_ROOT, 'irfcb')]), (e: unknown) => isIfcbError(e));
    assert.equal(core.ctx.access.isAllowed(`${SAMPLE.C}.adc`), true, 'the folder after the failing one was added');
  });
});

describe('DisposableStore', () => {
  it('stops parts last-first, each once, and goes on past a failing one', async () => {
    const order: string[] = [];
    const logged: string[] = [];
    const store = new DisposableStore((m) => logged.push(m));
    store.add('database', async () => {
      await Promise.resolve();
      order.push('database');
    });
    store.add('broken watcher', () => {
      throw new Error('boom');
    });
    store.add('sync disposable', { [Symbol.dispose]: () => order.push('sync') });
    store.add('async disposable', { [Symbol.asyncDispose]: async () => void order.push('async') });
    await Promise.all([store.dispose(), store.dispose()]);
    await store.dispose();
    assert.deepEqual(order, ['async', 'sync', 'database']);
    assert.deepEqual(logged, ['[ifcb] could not stop broken watcher']);
    assert.equal(store.disposed, true);
  });

  it('a part added after dispose is stopped at once instead of leaking', async () => {
    const store = new DisposableStore();
    await store.dispose();
    const stopped = new Promise<string>((resolve) => store.add('late server', () => resolve('stopped')));
    assert.equal(await stopped, 'stopped');
  });
});

describe('composeApp', () => {
  it('one dispose cancels the indexing job, then stops the watchers, then closes the library database', async (t) => {
    const dir = tempDirFor(t, 'ifcb-compose-');
    const catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'));
    const events: IfcbEvent[] = [];
    const core = composeApp({ app: APP });
    core.ctx.events.subscribe((e) => events.push(e));
    const steps: string[] = [];
    const port = cataloguePort(catalogue);
    const watch = port.watch!.bind(port);
    port.watch = (rootId, onChange) => {
      const handle = watch(rootId, onChange);
      return { close: async () => (steps.push(`watcher ${rootId} closed, jobs running: ${core.ctx.jobs.size}`), handle.close()), ready: handle.ready };
    };
    core.attachLibrary({ port, watch: true, close: async () => (steps.push(`database closed, watchers left: ${core.ctx.watches.size}`), catalogue.close()) });
    assert.throws(() => core.attachLibrary({ port, watch: false }), /already attached/);

    await core.addLaunchFolders([path.join(DATA_ROOT, 'pyifcb')]);
    const root = port.listRoots()[0]!;
    assert.equal(core.ctx.jobs.size, 1, 'the new folder is being indexed');
    assert.equal(core.ctx.watches.size, 1);
    assert.equal(core.ctx.access.isAllowed(`${SAMPLE.B}.adc`), true);

    await core.dispose();
    assert.deepEqual(steps, [`watcher ${root.id} closed, jobs running: 0`, 'database closed, watchers left: 0']);
    assert.equal(catalogue.db.open, false);
    assert.equal(events.filter((e) => e.type === 'job-finished').length, 1, 'the job reported its end before the database closed');
  });

  it('a library opened into core.libraryStore (as the Electron shell does) closes after the jobs and watchers', async (t) => {
    const dir = tempDirFor(t, 'ifcb-compose-');
    const core = composeApp({ app: APP });
    const catalogue = openLibrary(core.libraryStore, path.join(dir, 'catalogue.sqlite'));
    const steps: string[] = [];
    const port = cataloguePort(catalogue);
    const watch = port.watch!.bind(port);
    port.watch = (rootId, onChange) => {
      const handle = watch(rootId, onChange);
      return { close: async () => (steps.push(`watcher closed, jobs running: ${core.ctx.jobs.size}, database open: ${catalogue.db.open}`), handle.close()), ready: handle.ready };
    };
    core.attachLibrary({ port, watch: true });
    await core.addLaunchFolders([path.join(DATA_ROOT, 'pyifcb')]);
    assert.equal(core.ctx.jobs.size, 1);
    await core.dispose();
    assert.deepEqual(steps, ['watcher closed, jobs running: 0, database open: true']);
    assert.equal(catalogue.db.open, false);
    assert.equal(core.libraryStore.disposed, true);
  });

  it('without a library, launch folders are only allowed', async () => {
    await using core = composeApp({ app: APP });
    await core.addLaunchFolders([path.join(DATA_ROOT, 'irfcb')]);
    assert.equal(core.ctx.catalogue, undefined);
    assert.equal(core.ctx.access.isAllowed(`${SAMPLE.C}.adc`), true);
    assert.equal(core.ctx.access.isAllowed(`${SAMPLE.B}.adc`), false);
  });
});

describe('startViewerServer on the composition root', () => {
  it('close() stops the server and the core but leaves a catalogue it did not open', async (t) => {
    const dir = tempDirFor(t, 'ifcb-compose-');
    const catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'));
    t.after(() => catalogue.close());
    const server = await startViewerServer({ catalogue: cataloguePort(catalogue), files: [`${SAMPLE.B}.adc`] });
    assert.equal(server.core.ctx, server.ctx);
    assert.equal(server.ctx.pending.length, 1);
    const alive = await fetch(server.url);
    assert.ok(alive.status > 0);
    await server.close();
    assert.equal(server.core.store.disposed, true);
    await assert.rejects(fetch(server.url));
    assert.equal(catalogue.db.open, true);
  });
});

describe('openLibrary: the one way every front end opens the library database', () => {
  it('the owner closes it; `existing` refuses to create a missing file; `rebuild` forgets the bins and keeps the folders', async (t) => {
    const dir = tempDirFor(t, 'ifcb-library-');
    const file = path.join(dir, 'catalogue.sqlite');
    const owner = new DisposableStore();
    assert.throws(() => openLibrary(owner, file, { existing: true }), (e: unknown) => isIfcbError(e, 'FILE_MISSING'));
    assert.throws(() => openLibraryDatabase(owner, file, { existing: true }), (e: unknown) => isIfcbError(e, 'FILE_MISSING'));
    assert.equal(existsSync(file), false);

    const first = openLibrary(owner, file);
    first.addRoot(path.join(DATA_ROOT, 'irfcb/data'));
    await first.index();
    assert.equal(listBins(first.reader, {}).bins.length, 2);
    await owner.dispose();
    assert.equal(first.db.open, false);

    const again = new DisposableStore();
    const fresh = openLibrary(again, file, { existing: true, rebuild: true });
    assert.equal(listBins(fresh.reader, {}).bins.length, 0, 'every bin forgotten');
    assert.deepEqual(fresh.listRoots().map((r) => r.path), [path.join(DATA_ROOT, 'irfcb/data')]);
    const database = openLibraryDatabase(again, file);
    await again.dispose();
    assert.deepEqual([fresh.db.open, database.open], [false, false]);
  });

  it('a damaged file is moved aside, never deleted, by `rebuild` and by rebuildLibrary', async (t) => {
    const dir = tempDirFor(t, 'ifcb-library-');
    const file = path.join(dir, 'catalogue.sqlite');
    const owner = new DisposableStore();
    const garbage = 'this is not a database, just text that is long enough to be looked at '.repeat(100);
    writeFileSync(file, garbage);
    assert.throws(() => openLibrary(owner, file), (e: unknown) => isIfcbError(e, 'DB_CORRUPT'));
    const rebuilt = openLibrary(owner, file, { rebuild: true });
    assert.equal(rebuilt.listRoots().length, 0);
    await owner.dispose();
    writeFileSync(file, garbage);
    const desktop = new DisposableStore();
    const again = rebuildLibrary(desktop, file);
    await desktop.dispose();
    assert.equal(again.db.open, false);
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('catalogue.sqlite.broken-') && !f.endsWith('-wal') && !f.endsWith('-shm')).length, 2);
  });
});
