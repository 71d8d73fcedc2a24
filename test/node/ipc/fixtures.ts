/**
 * Shared set-up of the app-core tests: a router over a fresh context, and a spy that records every file-system
 * call touching given folders (patched through `syncBuiltinESMExports`, so the reader's named `node:fs` imports
 * see it too) — the proof that a rejected request read nothing.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { createContext, type ContextOptions, type HandlerContext } from '../../../main/ipc/context.ts';
import { HANDLERS } from '../../../main/ipc/handlers/index.ts';
import { Router } from '../../../main/ipc/router.ts';
import type { Bin } from '../../../main/ifcb/bin.ts';
import { openBin } from '../../../main/ifcb/bin.ts';

export interface TestRouter {
  router: Router;
  ctx: HandlerContext;
  /** Paths the bin cache asked the reader to open. */
  opened: string[];
  /** Unexpected errors the router logged. */
  logged: unknown[];
}

/** A router with response validation on (unless turned off for volume tests); `openBin` is spied. */
export function makeRouter(options: Partial<ContextOptions> & { validateResponses?: boolean } = {}): TestRouter {
  const { validateResponses = true, ...contextOptions } = options;
  const opened: string[] = [];
  const logged: unknown[] = [];
  const ctx = createContext({
    app: { name: 'IFCB Viewer', version: '0.0.0-test', transport: 'http', platform: 'linux' },
    ...contextOptions,
    binCache: {
      ...contextOptions.binCache,
      openBin: (p: string): Bin => {
        opened.push(p);
        return openBin(p);
      },
    },
  });
  const router = new Router(ctx, HANDLERS, { validateResponses, log: (_m, e) => logged.push(e) });
  return { router, ctx, opened, logged };
}

type FsName = 'openSync' | 'readSync' | 'readFileSync' | 'statSync' | 'lstatSync' | 'realpathSync' | 'existsSync' | 'readdirSync' | 'open' | 'readFile' | 'stat';

/** Record fs calls whose first argument is a path under one of `prefixes` (fd reads are recorded always). */
export function spyOnFs(prefixes: readonly string[]): { calls: string[]; restore(): void } {
  const calls: string[] = [];
  const names: FsName[] = ['openSync', 'readSync', 'readFileSync', 'statSync', 'lstatSync', 'realpathSync', 'existsSync', 'readdirSync', 'open', 'readFile', 'stat'];
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  const nativeRealpath = fs.realpathSync.native;
  for (const name of names) {
    const original = target[name]!;
    originals.set(name, original);
    const wrapped = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      if (name === 'readSync' || (typeof first === 'string' && prefixes.some((p) => first.startsWith(p)))) calls.push(`${name} ${String(first)}`);
      return original.apply(this, args);
    };
    if (name === 'realpathSync') Object.assign(wrapped, { native: nativeRealpath });
    target[name] = wrapped;
  }
  const patchedNative = (p: fs.PathLike, ...rest: unknown[]) => {
    if (typeof p === 'string' && prefixes.some((x) => p.startsWith(x))) calls.push(`realpathSync.native ${p}`);
    return (nativeRealpath as (...a: unknown[]) => unknown)(p, ...rest);
  };
  (target['realpathSync'] as unknown as { native: unknown }).native = patchedNative;
  syncBuiltinESMExports();
  return {
    calls,
    restore() {
      for (const [name, original] of originals) target[name] = original;
      (fs.realpathSync as unknown as { native: unknown }).native = nativeRealpath;
      syncBuiltinESMExports();
    },
  };
}
