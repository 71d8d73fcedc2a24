/** `bins:*` handlers: catalogue queries. */
import { IfcbError } from '../../../shared/errors.ts';
import type { CatalogueBin, ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import type { HandlerContext } from '../context.ts';
import { requireCatalogue } from './roots.ts';

export async function listBins(ctx: HandlerContext, request: ParsedRequestOf<'bins:list'>): Promise<ResponseOf<'bins:list'>> {
  return requireCatalogue(ctx).listBins(request.filter, request.page);
}

export async function getTimeSeries(ctx: HandlerContext, request: ParsedRequestOf<'bins:time-series'>): Promise<ResponseOf<'bins:time-series'>> {
  if (request.from !== undefined && request.to !== undefined && request.from > request.to) {
    throw new IfcbError('INVALID_ARGUMENT', 'The time range ends before it starts.', { from: request.from, to: request.to });
  }
  return requireCatalogue(ctx).timeSeries(request);
}

export async function getNeighbours(ctx: HandlerContext, request: ParsedRequestOf<'bins:neighbours'>): Promise<ResponseOf<'bins:neighbours'>> {
  const catalogue = requireCatalogue(ctx);
  if (!catalogue.getBin(request.binId)) throw notCatalogued(request.binId);
  return catalogue.neighbours(request.binId);
}

export async function getCatalogueBin(ctx: HandlerContext, request: ParsedRequestOf<'bins:get'>): Promise<CatalogueBin> {
  const bin = requireCatalogue(ctx).getBin(request.binId);
  if (!bin) throw notCatalogued(request.binId);
  return bin;
}

function notCatalogued(binId: string): IfcbError {
  return new IfcbError('BIN_NOT_FOUND', `Bin ${binId} is not in the library.`, { binId });
}
