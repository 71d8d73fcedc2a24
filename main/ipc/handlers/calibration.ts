/** `calibration:*` handlers: each instrument's pixels per micrometre, the one source of every µm value. */
import type { ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import type { HandlerContext } from '../context.ts';

export async function getCalibrations(ctx: HandlerContext): Promise<ResponseOf<'calibration:get'>> {
  return ctx.calibration.describe();
}

export async function setCalibration(ctx: HandlerContext, request: ParsedRequestOf<'calibration:set'>): Promise<ResponseOf<'calibration:set'>> {
  ctx.calibration.set(request.instrument, request.pxPerUm);
  return ctx.calibration.describe();
}
