/**
 * `ifcb-viewer timeline [--db FILE] [--from ISO] [--to ISO] [--bucket bin|hour|day|week] [--json]`:
 * bins, images, summed ml_analyzed and concentration per time bucket (chosen from the span when not
 * given: < 7 days per bin, < 60 days per hour, < 3 years per day, else per week). Without --from/--to,
 * the whole catalogue.
 */
import { openLibrary } from '../../app/library.ts';
import { timeSeries, type Bucket } from '../../index/queries.ts';
import { EXIT_OK, UsageError, parseOptions, type CliIo, type CommandScope } from '../io.ts';
import { filterFrom } from './bins.ts';

const USAGE = 'usage: ifcb-viewer timeline [--db FILE] [--from ISO] [--to ISO] [--bucket bin|hour|day|week] [--instrument N] [--root ID] [--json]';
const BUCKETS: Bucket[] = ['bin', 'hour', 'day', 'week'];

function fmt(n: number | null, digits: number): string {
  return n === null ? '-' : n.toFixed(digits);
}

/** CLI entry. */
export async function run(args: string[], io: CliIo, scope: CommandScope): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      db: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      bucket: { type: 'string' },
      instrument: { type: 'string' },
      root: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  if (values.bucket !== undefined && !(BUCKETS as string[]).includes(values.bucket)) throw new UsageError(`--bucket must be one of ${BUCKETS.join(', ')}`);
  const filter = filterFrom(values);
  const catalogue = openLibrary(scope, values.db, { existing: true });
  const series = timeSeries(catalogue.reader, {
    ...filter,
    ...(values.bucket !== undefined ? { bucket: values.bucket as Bucket } : {}),
  });
  if (values.json) {
    io.stdout.write(JSON.stringify(series, null, 2) + '\n');
    return EXIT_OK;
  }
  io.stdout.write(`${series.from ?? '-'} … ${series.to ?? '-'}, per ${series.bucket}\n`);
  io.stdout.write(`${'start'.padEnd(22)}${'bins'.padStart(7)}${'images'.padStart(9)}${'ml'.padStart(12)}${'images/ml'.padStart(12)}\n`);
  for (const p of series.points) {
    io.stdout.write(`${(p.id ?? p.start).padEnd(22)}${String(p.bins).padStart(7)}${String(p.images).padStart(9)}${fmt(p.mlAnalyzed, 4).padStart(12)}${fmt(p.concentration, 2).padStart(12)}\n`);
  }
  return EXIT_OK;
}
