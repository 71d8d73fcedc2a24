/**
 * `ifcb-viewer info PATH [--json] [--checksums]`: describe one bin. PATH is any of the bin's three
 * files or its base path. `--json` prints the fields of issue 3 exactly; `--checksums` adds the
 * SHA-256 of each image's row-major pixels (stitched + infilled for schema 1).
 */
import { createHash } from 'node:crypto';
import { openBin, type Bin } from '../../ifcb/index.ts';
import type { Headers, RoiGeometry } from '../../ifcb/index.ts';
import { EXIT_OK, UsageError, parseOptions, type CliIo } from '../io.ts';

export interface InfoImage {
  roi: number;
  width: number;
  height: number;
  byteOffset: number;
  sha256?: string;
}

/** The JSON document of `info --json` (NaN numbers become null). */
export interface InfoJson {
  id: string;
  schema: 1 | 2;
  instrument: number;
  timestamp: string;
  adcRows: number;
  triggers: number;
  hasRoiFile: boolean;
  headers: Headers;
  runTime: number | null;
  inhibitTime: number | null;
  lookTime: number | null;
  mlAnalyzed: number | null;
  images: InfoImage[];
}

const USAGE = 'usage: ifcb-viewer info PATH [--json] [--checksums]   (PATH: a bin\'s .adc, .hdr, .roi or base path)';

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** Build the `info --json` document for a bin (reads .hdr and .adc; the .roi only with `checksums`). */
export function binInfo(bin: Bin, checksums = false): InfoJson {
  const adc = bin.adc;
  const headers = bin.headers;
  const metrics = bin.metrics;
  const geometries: RoiGeometry[] = bin.images.geometries();
  const images: InfoImage[] = geometries.map((g) => ({ roi: g.target, width: g.width, height: g.height, byteOffset: g.byteOffset }));
  if (checksums && images.length > 0) {
    using scope = bin.scope();
    let i = 0;
    for (const [, image] of scope.images) {
      images[i++]!.sha256 = createHash('sha256').update(image.pixels).digest('hex');
    }
  }
  return {
    id: bin.id,
    schema: bin.schema,
    instrument: bin.instrument,
    timestamp: bin.timestamp,
    adcRows: adc.rowCount,
    triggers: adc.triggers,
    hasRoiFile: bin.hasRoiFile(),
    headers,
    runTime: finite(metrics.runTime),
    inhibitTime: finite(metrics.inhibitTime),
    lookTime: finite(metrics.lookTime),
    mlAnalyzed: finite(metrics.mlAnalyzed),
    images,
  };
}

function num(n: number | null, unit: string, digits = 6): string {
  return n === null ? 'n/a' : `${Number(n.toFixed(digits))} ${unit}`;
}

const LISTED = 20;

function human(bin: Bin, info: InfoJson, checksums: boolean): string {
  const instrument = bin.schema === 1 ? `IFCB${info.instrument}` : `IFCB${String(info.instrument).padStart(3, '0')}`;
  const keyCount = Object.keys(info.headers).length;
  const lines = [
    `${info.id}  (schema ${info.schema}, ${instrument}, ${info.timestamp})`,
    `  files        ${bin.paths.base}.{adc,hdr,roi}${info.hasRoiFile ? '' : '  (no .roi: images cannot be read)'}`,
    `  ADC          ${info.adcRows} rows, ${info.triggers} triggers`,
    `  header       ${keyCount === 0 ? 'EMPTY (no keys)' : `${keyCount} keys`}`,
    `  run time     ${num(info.runTime, 's')}   inhibit ${num(info.inhibitTime, 's')}   look ${num(info.lookTime, 's')}`,
    `  ml analyzed  ${num(info.mlAnalyzed, 'ml')}   trigger rate ${num(finite(bin.metrics.triggerRate), '/s', 4)}`,
    `  images       ${info.images.length}${bin.schema === 1 ? ' (after stitching)' : ''}`,
  ];
  const shown = checksums ? info.images : info.images.slice(0, LISTED);
  if (shown.length > 0) lines.push(`    ${'ROI'.padStart(6)}  ${'w×h'.padEnd(9)}  ${'offset'.padStart(9)}${checksums ? '  sha256' : ''}`);
  for (const im of shown) {
    lines.push(`    ${String(im.roi).padStart(6)}  ${`${im.width}×${im.height}`.padEnd(9)}  ${String(im.byteOffset).padStart(9)}${im.sha256 ? `  ${im.sha256}` : ''}`);
  }
  if (shown.length < info.images.length) lines.push(`    … ${info.images.length - shown.length} more (--json lists all)`);
  return lines.join('\n') + '\n';
}

/** CLI entry: exit 0, or throws UsageError (2) / IfcbError (3) for main.ts to report. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    json: { type: 'boolean' },
    checksums: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`expected exactly one PATH, got ${positionals.length}\n${USAGE}`);
  const bin = openBin(positionals[0]!);
  const info = binInfo(bin, values.checksums === true);
  io.stdout.write(values.json ? JSON.stringify(info, null, 2) + '\n' : human(bin, info, values.checksums === true));
  return EXIT_OK;
}
