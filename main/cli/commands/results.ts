/**
 * `ifcb-viewer results add ROOT RESULTS_DIR [--db FILE]`: a folder of derived products (class scores,
 * features, blobs, manual files) for a library folder ROOT (as given to `index`); its products are recorded
 * for ROOT's bins at once and after every index. `ifcb-viewer results list [--db FILE]` shows them
 * (library folder, results folder, product files recorded in it; tab-separated).
 */
import path from 'node:path';
import { IfcbError } from '../../../shared/errors.ts';
import { openLibraryDatabase } from '../../app/library.ts';
import { addResultsFolder, refreshRootProducts, resultsFolderProducts } from '../../products/product-store.ts';
import { EXIT_OK, UsageError, parseOptions, type CliIo, type CommandScope } from '../io.ts';

const USAGE = `usage: ifcb-viewer results add ROOT RESULTS_DIR [--db FILE]
       ifcb-viewer results list [--db FILE]`;

/** CLI entry. */
export async function run(args: string[], io: CliIo, scope: CommandScope): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseOptions(rest, { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help || action === '--help' || action === '-h') {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (action !== 'add' && action !== 'list') throw new UsageError(`results needs "add" or "list"\n${USAGE}`);
  if (action === 'add' && positionals.length !== 2) throw new UsageError(`results add needs ROOT and RESULTS_DIR\n${USAGE}`);
  if (action === 'list' && positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  const db = openLibraryDatabase(scope, values.db, { existing: true });
  const roots = db.prepare('SELECT root_id AS id, path FROM roots ORDER BY path').all() as { id: number; path: string }[];
  if (action === 'add') {
    const rootPath = path.resolve(positionals[0]!);
    const root = roots.find((r) => r.path === rootPath);
    if (!root) throw new IfcbError('INVALID_ARGUMENT', `${rootPath} is not a library folder; add it with "ifcb-viewer index" first.`, { path: rootPath });
    const folder = addResultsFolder(db, root.id, positionals[1]!);
    io.stdout.write(`${folder}: ${refreshRootProducts(db, root.id)} product file(s) recorded for the bins of ${root.path}\n`);
    return EXIT_OK;
  }
  // the product files recorded in each, as the library pane shows them
  for (const r of roots) for (const f of resultsFolderProducts(db, r.id).folders) io.stdout.write(`${r.path}\t${f.path}\t${f.products}\n`);
  return EXIT_OK;
}
