/** `app:*` handlers. */
import type { HandlerContext } from '../context.ts';
import type { AppInfo, ResponseOf } from '../../../shared/ipc/contract.ts';

/** Name, version, transport and which features this transport offers. */
export async function getAppInfo(ctx: HandlerContext): Promise<AppInfo> {
  return {
    name: ctx.app.name,
    version: ctx.app.version,
    transport: ctx.app.transport,
    platform: ctx.app.platform,
    features: {
      dialogs: ctx.dialogs !== undefined,
      catalogue: ctx.catalogue !== undefined,
      export: ctx.exporter !== undefined,
      pathInput: ctx.pathInput,
    },
  };
}

/** The page is listening: hand over the bins the OS opened before it was (and those that failed), then stream the rest as events. */
export async function appReady(ctx: HandlerContext): Promise<ResponseOf<'app:ready'>> {
  ctx.pageReady = true;
  const opened = ctx.pending.splice(0, ctx.pending.length);
  const rejected = ctx.pendingRejected.splice(0, ctx.pendingRejected.length);
  return { opened, rejected };
}
