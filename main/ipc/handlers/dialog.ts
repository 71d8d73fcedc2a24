/**
 * `dialog:*` handlers. In Electron a native dialog picks the path (main never takes one from the page);
 * over the bridge there are no dialogs: NOT_AVAILABLE, unless it runs with path input (tests/dev), where
 * the request's `path` stands in for the user's choice.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { IfcbError } from '../../../shared/errors.ts';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import type { HandlerContext } from '../context.ts';
import { openTrustedPath } from './bin.ts';
import { addRootAt } from './roots.ts';

export async function choose<T>(ctx: HandlerContext, requested: T | undefined, show: () => Promise<T | null>): Promise<T | null> {
  if (ctx.dialogs) {
    if (requested !== undefined) throw new IfcbError('INVALID_ARGUMENT', 'The desktop app picks paths with its own dialog; do not send one.');
    return show();
  }
  if (ctx.pathInput && requested !== undefined) return requested;
  throw new IfcbError('NOT_AVAILABLE', 'File dialogs are only available in the desktop app.', { feature: 'dialogs' });
}

export async function showOpenBinDialog(ctx: HandlerContext, request: ParsedRequestOf<'dialog:open-bin'>): Promise<ResponseOf<'dialog:open-bin'>> {
  const chosen = await choose(ctx, request.path, () => ctx.dialogs!.openBin());
  return { opened: chosen === null ? null : openTrustedPath(ctx, chosen) };
}

export async function showAddFolderDialog(ctx: HandlerContext, request: ParsedRequestOf<'dialog:add-folder'>): Promise<ResponseOf<'dialog:add-folder'>> {
  const chosen = await choose(ctx, request.path, () => ctx.dialogs!.addFolder());
  return { root: chosen === null ? null : await addRootAt(ctx, chosen) };
}

export async function chooseExportDestination(ctx: HandlerContext, request: ParsedRequestOf<'dialog:export-destination'>): Promise<ResponseOf<'dialog:export-destination'>> {
  const chosen = await choose(ctx, request.path, () => ctx.dialogs!.exportDestination(request.kind, request.suggestedName));
  if (chosen === null) return { destination: null };
  if (!path.isAbsolute(chosen)) throw new IfcbError('PATH_NOT_ALLOWED', 'Export destinations must be absolute paths.', { path: chosen });
  const id = randomBytes(12).toString('base64url');
  ctx.destinations.set(id, { path: chosen, kind: request.kind });
  return { destination: { id, displayPath: chosen, kind: request.kind } };
}
