/**
 * `bins:geometry`: what the mosaic layout needs of a batch of bins (summary, target, width, height, and the ADC
 * columns a sort or filter asked for), as one binary payload. The renderer asks for it first when a bin or a range
 * opens, and for the bins of a range as they come near the viewport; the full JSON `bin:metadata` only when an
 * image's ADC fields are shown.
 */
import { IfcbError, isIfcbError } from '../../../shared/errors.ts';
import { binGeometryBlockSize, encodeBinGeometry } from '../../../shared/ipc/bin-geometry.ts';
import type { BinGeometryEntry } from '../../../shared/ipc/bin-geometry.ts';
import { MAX_IMAGE_PAYLOAD_BYTES } from '../../../shared/ipc/contract.ts';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import type { Bin } from '../../ifcb/bin.ts';
import type { HandlerContext } from '../context.ts';
import { summarizeBin } from '../summaries.ts';

/** One bin's geometry block; a bin that cannot be read becomes an error entry (the others still answer). */
function geometryOf(bin: Bin, columns: readonly string[]): BinGeometryEntry {
  const geometries = bin.images.geometries();
  const n = geometries.length;
  const target = new Uint32Array(n);
  const width = new Uint32Array(n);
  const height = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const g = geometries[i]!;
    target[i] = g.target;
    width[i] = g.width;
    height[i] = g.height;
  }
  const adc = bin.adc;
  const values = Object.create(null) as Record<string, Float64Array>;
  for (const name of columns) {
    if (!adc.columnNames.includes(name)) continue;
    const column = adc.column(name);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = column[target[i]! - 1]!;
    values[name] = out;
  }
  return { bin: summarizeBin(bin), adcColumns: [...adc.columnNames], target, width, height, columns: values };
}

export async function getBinGeometry(ctx: HandlerContext, request: ParsedRequestOf<'bins:geometry'>): Promise<ResponseOf<'bins:geometry'>> {
  const columns = [...new Set(request.columns)];
  const entries: BinGeometryEntry[] = [];
  let bytes = 0;
  for (const binId of [...new Set(request.binIds)]) {
    let entry: BinGeometryEntry;
    try {
      entry = geometryOf(ctx.bins.get(binId), columns);
    } catch (e) {
      // A bin the user may open (allowed, known) but cannot read answers with its code; anything else is ours.
      if (!isIfcbError(e) || e.code === 'INTERNAL') throw e;
      entry = { binId, error: { code: e.code, message: e.message } };
    }
    bytes += 'error' in entry ? 0 : binGeometryBlockSize(0, entry.target.length, Object.keys(entry.columns).length);
    if (bytes > MAX_IMAGE_PAYLOAD_BYTES) {
      throw new IfcbError('INVALID_ARGUMENT', `Too much geometry in one request (over ${MAX_IMAGE_PAYLOAD_BYTES} bytes); ask for fewer bins at a time.`, { limit: MAX_IMAGE_PAYLOAD_BYTES });
    }
    entries.push(entry);
  }
  return encodeBinGeometry(entries);
}
