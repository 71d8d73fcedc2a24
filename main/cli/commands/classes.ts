/**
 * `ifcb-viewer classes PATH [--products DIR]... [--px-per-um N] [--db FILE] [--json]`: a bin's classifier results,
 * manual labels and sizes, joined by ROI number. Sizes use the instrument's calibration stored in the library
 * (--db, as the app sets it), the default without one; --px-per-um overrides it. Products are looked for beside the bin and in each --products folder
 * (recursively). `--json` prints `{ bin, classifierName, sources, rois: [{roi, class, score, classAboveThreshold,
 * manual, features?}] (target order), counts, concentration (images/mL), manualCounts, unmatched }`.
 * An unreadable product is exit 3 with its error code.
 */
import { tableRows } from '../../../shared/classes/filter.ts';
import { openBin } from '../../ifcb/bin.ts';
import { joinClasses, loadBinProducts } from '../../products/bin-classes.ts';
import { binFacts, productsOfBin } from '../../products/bin-facts.ts';
import { storedCalibration } from './export.ts';
import { EXIT_OK, UsageError, parseOptions, parsePxPerUm, type CliIo, type CommandScope } from '../io.ts';

const USAGE = 'usage: ifcb-viewer classes PATH [--products DIR]... [--px-per-um N] [--db FILE] [--json]   (PATH: a bin\'s .adc, .hdr, .roi or base path)';
const LISTED = 20;

function fixed(n: number | null, digits: number): string {
  return n === null ? '-' : n.toFixed(digits);
}

/** CLI entry. */
export async function run(args: string[], io: CliIo, scope: CommandScope): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    products: { type: 'string', multiple: true },
    'px-per-um': { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`expected exactly one PATH, got ${positionals.length}\n${USAGE}`);
  const override = parsePxPerUm(values['px-per-um']);
  const bin = openBin(positionals[0]!);
  const pxPerUm = override ?? (await storedCalibration(scope, values.db))(bin.instrument);
  const facts = binFacts(bin);
  const products = loadBinProducts(productsOfBin(bin, values.products ?? []), facts, { strict: true });
  const table = joinClasses(facts, products, { pxPerUm });
  const rows = tableRows(table);
  if (values.json) {
    const doc = {
      bin: bin.id,
      classifierName: table.classifierName,
      sources: table.sources,
      mlAnalyzed: table.mlAnalyzed,
      pxPerUm,
      rois: rows,
      counts: Object.fromEntries(table.counts.filter((c) => c.count > 0).map((c) => [c.class, c.count])),
      concentration: Object.fromEntries(table.counts.filter((c) => c.count > 0).map((c) => [c.class, c.concentration])),
      manualCounts: Object.fromEntries(table.counts.filter((c) => c.manual > 0).map((c) => [c.class, c.manual])),
      unmatched: table.unmatched,
    };
    io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return EXIT_OK;
  }
  const lines = [`${bin.id}: ${rows.length} images, ml analyzed ${fixed(table.mlAnalyzed, 4)}`];
  lines.push(table.sources.length === 0 ? '  no products found' : `  products     ${table.sources.map((s) => `${s.name} (${s.kind})`).join(', ')}`);
  if (table.classifierName) lines.push(`  classifier   ${table.classifierName}`);
  for (const u of table.unmatched) lines.push(`  ${u.source}: ${u.rois.length} row(s) for ROIs this bin does not have: ${u.rois.slice(0, 10).join(', ')}${u.rois.length > 10 ? ' …' : ''}`);
  const counted = [...table.counts].sort((a, b) => b.count - a.count || a.class.localeCompare(b.class));
  if (counted.length > 0) lines.push('', `  ${'class'.padEnd(40)} ${'count'.padStart(6)} ${'per mL'.padStart(10)} ${'manual'.padStart(6)}`);
  for (const c of counted) lines.push(`  ${c.class.padEnd(40)} ${String(c.count).padStart(6)} ${fixed(c.concentration, 2).padStart(10)} ${String(c.manual).padStart(6)}`);
  lines.push('', `  ${'ROI'.padStart(6)}  ${'class'.padEnd(32)} ${'score'.padStart(6)}  ${'above threshold'.padEnd(24)} manual`);
  for (const r of rows.slice(0, LISTED)) {
    lines.push(`  ${String(r.roi).padStart(6)}  ${(r.class ?? '-').padEnd(32)} ${fixed(r.score, 3).padStart(6)}  ${(r.classAboveThreshold ?? '-').padEnd(24)} ${r.manual ?? '-'}`);
  }
  if (rows.length > LISTED) lines.push(`  … ${rows.length - LISTED} more (--json lists all)`);
  io.stdout.write(lines.join('\n') + '\n');
  return EXIT_OK;
}
