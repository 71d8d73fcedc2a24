/**
 * `ifcb-viewer bins [--db FILE] [--from ISO] [--to ISO] [--instrument N] [--json]`: the catalogued
 * bins in time order. `--json` prints an array of objects whose field names match `info --json` for
 * the fields both have (id, schema, instrument, timestamp, adcRows, triggers, hasRoiFile, runTime,
 * inhibitTime, lookTime, mlAnalyzed; `images` is a count here) plus `path` and the catalogue's own.
 */
import { openLibrary } from '../../app/library.ts';
import { listBins, type BinFilter } from '../../index/queries.ts';
import { QC_FLAG_NAMES, type BinRecord, type QcFlag } from '../../index/types.ts';
import { EXIT_OK, UsageError, parseOptions, type CliIo, type CommandScope } from '../io.ts';

const USAGE = `usage: ifcb-viewer bins [--db FILE] [--from ISO] [--to ISO] [--instrument N] [--root ID] [--search TEXT] [--qc FLAG|ok] [--limit N] [--desc] [--json]
  --search any part of the id or instrument name (T12, 901, 20240501, IFCB13)
  --qc     one of ${QC_FLAG_NAMES.join(', ')}, or ok (bins without any flag)`;

/** Parse the shared filter options of `bins` and `timeline`. */
export function filterFrom(values: { from?: string | undefined; to?: string | undefined; instrument?: string | undefined; root?: string | undefined }): BinFilter {
  const filter: BinFilter = {};
  const date = (v: string, name: string): string => {
    if (!Number.isFinite(Date.parse(v))) throw new UsageError(`--${name} "${v}" is not an ISO date (e.g. 2013-05-26 or 2013-05-26T09:52:07Z)`);
    return v;
  };
  const int = (v: string, name: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, not "${v}"`);
    return n;
  };
  if (values.from !== undefined) filter.from = date(values.from, 'from');
  if (values.to !== undefined) filter.to = date(values.to, 'to');
  if (values.instrument !== undefined) filter.instrument = int(values.instrument, 'instrument');
  if (values.root !== undefined) filter.rootId = int(values.root, 'root');
  return filter;
}

function fmt(n: number | null, digits: number): string {
  return n === null ? '-' : n.toFixed(digits);
}

function line(b: BinRecord): string {
  const qc = b.qc.length > 0 ? b.qc.join(',') : 'ok';
  return [b.id.padEnd(25), b.timestamp, String(b.adcRows ?? '-').padStart(6), String(b.images ?? '-').padStart(6), fmt(b.mlAnalyzed, 4).padStart(9), qc.padEnd(16), b.path].join('  ');
}

/** CLI entry. */
export async function run(args: string[], io: CliIo, scope: CommandScope): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      db: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      instrument: { type: 'string' },
      root: { type: 'string' },
      qc: { type: 'string' },
      search: { type: 'string' },
      limit: { type: 'string' },
      desc: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  const filter = filterFrom(values);
  if (values.qc !== undefined) {
    if (values.qc !== 'ok' && !(QC_FLAG_NAMES as string[]).includes(values.qc)) throw new UsageError(`--qc "${values.qc}" is not one of ${QC_FLAG_NAMES.join(', ')}, ok`);
    filter.qc = values.qc as QcFlag | 'ok';
  }
  if (values.search !== undefined) filter.search = values.search;
  let max = Infinity;
  if (values.limit !== undefined) {
    max = Number(values.limit);
    if (!Number.isInteger(max) || max < 1) throw new UsageError(`--limit must be a positive whole number`);
  }
  const catalogue = openLibrary(scope, values.db, { existing: true });
  let after: string | undefined;
  let written = 0;
  if (values.json) io.stdout.write('[');
  // Keyset pages of 1000: memory stays flat for any catalogue size.
  do {
    const page = listBins(catalogue.reader, filter, { limit: Math.min(1000, max - written), order: values.desc ? 'desc' : 'asc', ...(after ? { after } : {}) });
    for (const b of page.bins) {
      if (values.json) io.stdout.write(`${written === 0 ? '\n' : ',\n'}${JSON.stringify(b)}`);
      else io.stdout.write(line(b) + '\n');
      written++;
    }
    after = page.next;
  } while (after !== undefined && written < max);
  if (values.json) io.stdout.write(written === 0 ? ']\n' : '\n]\n');
  return EXIT_OK;
}
