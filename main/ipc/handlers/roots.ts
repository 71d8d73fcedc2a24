/** `roots:*` handlers: the library folders. */
import { IfcbError } from '../../../shared/errors.ts';
import { MAX_PROBLEMS_LISTED, type ParsedRequestOf, type ResponseOf, type Root } from '../../../shared/ipc/contract.ts';
import { unwatchRoot, watchRoot, type HandlerContext } from '../context.ts';
import type { CataloguePort } from '../ports.ts';

/** The catalogue, or NOT_AVAILABLE (the library database could not be opened, or this build has none). */
export function requireCatalogue(ctx: HandlerContext): CataloguePort {
  if (!ctx.catalogue) throw new IfcbError('NOT_AVAILABLE', 'The library is not available; bins can still be opened one by one.', { feature: 'catalogue' });
  return ctx.catalogue;
}

/** Add a folder that came from a trusted place (dialog, drop, dev path input): allow it, record it, index it. */
export async function addRootAt(ctx: HandlerContext, folder: string): Promise<Root> {
  const catalogue = requireCatalogue(ctx);
  const real = ctx.access.allowRoot(folder);
  const root = catalogue.addRoot(real);
  ctx.events.emit({ type: 'catalogue-changed', rootId: root.id });
  startReindex(ctx, [root.id]);
  watchRoot(ctx, root.id);
  return root;
}

/** Start indexing in the background; progress and completion arrive as events. */
export function startReindex(ctx: HandlerContext, rootIds: number[] | undefined): string {
  const catalogue = requireCatalogue(ctx);
  return ctx.jobs.start('reindex', async (job) => {
    const summary = await catalogue.index(rootIds, { onProgress: (done, total, message) => job.progress(done, total, message), signal: job.signal });
    ctx.events.emit({ type: 'catalogue-changed' });
    return summary;
  });
}

export async function listRoots(ctx: HandlerContext): Promise<ResponseOf<'roots:list'>> {
  return { roots: requireCatalogue(ctx).listRoots() };
}

/**
 * `roots:add` from the page: only a folder main already allows (e.g. re-adding one under an allowed root),
 * or any folder when the bridge runs with path input (tests/dev). In Electron new folders come from the
 * Add-folder dialog or a drop.
 */
export async function addRoot(ctx: HandlerContext, request: ParsedRequestOf<'roots:add'>): Promise<Root> {
  requireCatalogue(ctx);
  if (!ctx.pathInput) ctx.access.check(request.path);
  return addRootAt(ctx, request.path);
}

export async function removeRoot(ctx: HandlerContext, request: ParsedRequestOf<'roots:remove'>): Promise<ResponseOf<'roots:remove'>> {
  const catalogue = requireCatalogue(ctx);
  const root = catalogue.getRoot(request.rootId);
  if (!root) throw new IfcbError('INVALID_ARGUMENT', `There is no library folder with id ${request.rootId}.`, { rootId: request.rootId });
  await unwatchRoot(ctx, request.rootId);
  catalogue.removeRoot(request.rootId);
  ctx.access.removeRoot(root.path);
  ctx.bins.prune();
  ctx.events.emit({ type: 'catalogue-changed', rootId: request.rootId });
  return { ok: true };
}

export async function reindex(ctx: HandlerContext, request: ParsedRequestOf<'roots:reindex'>): Promise<ResponseOf<'roots:reindex'>> {
  const catalogue = requireCatalogue(ctx);
  for (const id of request.rootIds ?? []) {
    if (!catalogue.getRoot(id)) throw new IfcbError('INVALID_ARGUMENT', `There is no library folder with id ${id}.`, { rootId: id });
  }
  return { jobId: startReindex(ctx, request.rootIds) };
}

export async function listProblems(ctx: HandlerContext, request: ParsedRequestOf<'roots:problems'>): Promise<ResponseOf<'roots:problems'>> {
  const catalogue = requireCatalogue(ctx);
  if (request.rootId !== undefined && !catalogue.getRoot(request.rootId)) {
    throw new IfcbError('INVALID_ARGUMENT', `There is no library folder with id ${request.rootId}.`, { rootId: request.rootId });
  }
  return catalogue.listProblems(request.rootId, MAX_PROBLEMS_LISTED);
}
