/**
 * The class panel, under the inspector: the classes of the bin or the range with their classifier count, manual
 * count and concentration (images/mL), summed over the class tables held (it says when not every bin of the range
 * is counted yet); sortable by count or name, searchable. A click filters the mosaic by that class, Ctrl/⌘+click
 * adds it to (or takes it from) the filter. Below the list: the classifier, the product files, and what `bin:classes`
 * reported (files it could not read, rows naming ROIs the bin does not have), one line each with its code.
 */
import { useMemo, useState } from 'react';
import type { CSSProperties, KeyboardEvent as ReactKeyboardEvent, MouseEvent as ReactMouseEvent } from 'react';
import type { BinClasses } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import { classColour } from '../lib/class-colours.ts';
import { count, plural, sig } from '../lib/format.ts';

/** What each `sources[].kind` of `bin:classes` is, in words (the product's format; unknown kinds as given). */
const SOURCE_KINDS: Record<string, string> = {
  'whoi-h5-v3': 'Scores (WHOI h5 v3)',
  'smhi-h5': 'Scores (SMHI h5)',
  'class-v1-mat': 'Scores (MATLAB v1)',
  'roi-csv': 'Classes (CSV)',
  'syke-prob-csv': 'Scores (SYKE CSV)',
  'dashboard-csv': 'Scores (Dashboard CSV)',
  'score-matrix-csv': 'Scores (CSV matrix)',
  manual: 'Manual labels',
  blobs: 'Blob masks',
};

export function sourceKindName(kind: string): string {
  const features = /^features-v(\d+)$/.exec(kind);
  return features ? `Features v${features[1]}` : (SOURCE_KINDS[kind] ?? kind);
}

export interface ClassRow {
  name: string;
  /** Images whose class above threshold it is (the classifier's), summed over the bins. */
  classifier: number;
  /** Images a person labelled with it. */
  manual: number;
  /** Classifier count per mL over the bins with classifier results and a volume (null when none has one). */
  concentration: number | null;
}

export interface ClassSummary {
  rows: ClassRow[];
  /** Bins whose table is counted. */
  counted: number;
  /** Counted bins with classifier results or labels. */
  withResults: number;
  classifiers: string[];
  /** Some counted classifier gives per-class thresholds ("Auto" then counts the class above threshold). */
  thresholds: boolean;
  /** Product files by kind (file names; in a range, how many bins use each kind). */
  sources: { kind: string; name: string }[];
  /** One line per product problem, unmatched product rows and table that could not be fetched. */
  problems: { binId: string; source: string; code: string; message: string }[];
}

/** The classes of `tables` (the bins of the view held now) and what they report. Pure. */
export function summarizeClasses(tables: Iterable<BinClasses>, failed: ReadonlyMap<string, ErrorInfo> = new Map()): ClassSummary {
  const byName = new Map<string, { classifier: number; manual: number }>();
  const classifiers = new Set<string>();
  const sources = new Map<string, Set<string>>();
  const problems: ClassSummary['problems'] = [];
  let counted = 0;
  let withResults = 0;
  let ml = 0;
  let thresholds = false;
  for (const t of tables) {
    counted++;
    thresholds ||= t.hasThresholds;
    if (t.classes.length > 0) withResults++;
    // the volume of the bins the classifier counted in, so bins never classified do not dilute a concentration
    if (t.auto.some((a) => a >= 0) && t.mlAnalyzed !== null && t.mlAnalyzed > 0) ml += t.mlAnalyzed;
    if (t.classifierName) classifiers.add(t.classifierName);
    for (const s of t.sources) {
      const names = sources.get(s.kind) ?? new Set<string>();
      names.add(s.name);
      sources.set(s.kind, names);
    }
    for (const c of t.counts) {
      const row = byName.get(c.class) ?? { classifier: 0, manual: 0 };
      row.classifier += c.count;
      row.manual += c.manual;
      byName.set(c.class, row);
    }
    for (const p of t.problems) problems.push({ binId: t.binId, ...p });
    for (const u of t.unmatched) {
      const shown = u.rois.slice(0, 5).join(', ') + (u.rois.length > 5 ? ', …' : '');
      problems.push({ binId: t.binId, source: u.source, code: 'ROI_NOT_IN_BIN', message: `${plural(u.rois.length, 'row')} name ROIs the bin does not have (${shown}); they are not shown.` });
    }
  }
  for (const [binId, error] of failed) problems.push({ binId, source: '', code: error.code, message: error.message });
  const rows = [...byName].map(([name, r]) => ({ name, classifier: r.classifier, manual: r.manual, concentration: ml > 0 ? r.classifier / ml : null }));
  return {
    rows,
    counted,
    withResults,
    classifiers: [...classifiers].sort(),
    thresholds,
    sources: [...sources].map(([kind, names]) => ({ kind, name: names.size === 1 ? [...names][0]! : `${plural(names.size, 'file')}` })),
    problems,
  };
}

export type ClassOrder = 'count' | 'name';

/** The rows matching `search` (case-insensitive, anywhere in the name), by count (classifier + manual, most first) or name. */
export function visibleRows(rows: readonly ClassRow[], search: string, order: ClassOrder): ClassRow[] {
  const q = search.trim().toLowerCase();
  const out = q === '' ? [...rows] : rows.filter((r) => r.name.toLowerCase().includes(q));
  const byName = (a: ClassRow, b: ClassRow) => a.name.localeCompare(b.name, 'en');
  return out.sort(order === 'name' ? byName : (a, b) => b.classifier - a.classifier || b.manual - a.manual || byName(a, b));
}

/** The class filter after a click on `name` (Ctrl/⌘: add or take away; else only it, or none when it was the only one). */
export function clickedClasses(current: readonly string[], name: string, additive: boolean): string[] {
  if (additive) return current.includes(name) ? current.filter((c) => c !== name) : [...current, name];
  return current.length === 1 && current[0] === name ? [] : [name];
}

export interface ClassPanelProps {
  tables: ReadonlyMap<string, BinClasses>;
  failed: ReadonlyMap<string, ErrorInfo>;
  /** Bins of the view (the range's, or the one bin). */
  binCount: number;
  scope: 'bin' | 'range';
  selected: readonly string[];
  onSelect: (classes: string[]) => void;
  palette: ReadonlyMap<string, number>;
  open: boolean;
  onOpen: (open: boolean) => void;
}

export function ClassPanel(p: ClassPanelProps) {
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<ClassOrder>('count');
  const summary = useMemo(() => summarizeClasses(p.tables.values(), p.failed), [p.tables, p.failed]);
  const rows = useMemo(() => visibleRows(summary.rows, search, order), [summary.rows, search, order]);
  const click = (name: string, e: ReactMouseEvent | ReactKeyboardEvent) => p.onSelect(clickedClasses(p.selected, name, e.ctrlKey || e.metaKey));
  const partial = p.scope === 'range' && summary.counted < p.binCount;
  return (
    <section className={p.open ? 'class-panel is-open' : 'class-panel'} aria-label="Classes">
      <header className="pane-header class-panel-header">
        <h2>Classes</h2>
        <span className="class-panel-scope muted num">{p.scope === 'bin' ? 'this bin' : `${count(summary.counted)} of ${plural(p.binCount, 'bin')}`}</span>
        <button type="button" className="btn-icon" aria-expanded={p.open} aria-label={p.open ? 'Collapse the class panel' : 'Expand the class panel'} title={p.open ? 'Collapse' : 'Expand'} onClick={() => p.onOpen(!p.open)}>
          {p.open ? '▾' : '▸'}
        </button>
      </header>
      {p.open && (
        <div className="class-panel-body">
          {summary.withResults === 0 ? (
            <p className="muted pad">
              {summary.counted === 0 ? 'Reading classifier results…' : `No classifier results or labels for ${p.scope === 'bin' ? 'this bin' : 'the bins counted'}.`} Results are found beside the bins and in a library folder&apos;s results folders.
            </p>
          ) : (
            <>
              <div className="class-panel-tools">
                <input className="input class-panel-search" type="search" placeholder="Search classes" aria-label="Search classes" value={search} onChange={(e) => setSearch(e.target.value)} />
                <div className="segmented" role="radiogroup" aria-label="Order of the classes">
                  <button type="button" role="radio" aria-checked={order === 'count'} className={order === 'count' ? 'is-on' : ''} onClick={() => setOrder('count')}>
                    Count
                  </button>
                  <button type="button" role="radio" aria-checked={order === 'name'} className={order === 'name' ? 'is-on' : ''} onClick={() => setOrder('name')}>
                    Name
                  </button>
                </div>
              </div>
              {partial && (
                <p className="class-panel-partial" data-testid="classes-partial">
                  Counted {count(summary.counted)} of {plural(p.binCount, 'bin')}: the rest are counted as they load.
                </p>
              )}
              <div className="class-table" role="listbox" aria-multiselectable="true" aria-label="Classes (click to filter, Ctrl/⌘+click to add)">
                <div className="class-row class-row-head" aria-hidden="true">
                  <span />
                  <span>Class</span>
                  <span title={summary.thresholds ? "Images the classifier puts in this class (its score reaches the class's threshold)" : 'Images the classifier puts in this class (its best score)'}>Auto</span>
                  <span title="Images a person labelled with this class">Manual</span>
                  <span title="Classifier count per mL analyzed">/mL</span>
                </div>
                {rows.map((r) => {
                  const colour = classColour(r.name, p.palette);
                  const chosen = p.selected.includes(r.name);
                  return (
                    <div
                      key={r.name}
                      className={chosen ? 'class-row is-chosen' : 'class-row'}
                      role="option"
                      aria-selected={chosen}
                      data-class={r.name}
                      title={`${r.name}: click to show only this class, Ctrl/⌘+click to add it`}
                      tabIndex={0}
                      onClick={(e) => click(r.name, e)}
                      onKeyDown={(e) => {
                        if (e.key !== 'Enter' && e.key !== ' ') return;
                        e.preventDefault();
                        click(r.name, e);
                      }}
                    >
                      <span className="class-swatch" style={{ '--chip-light': colour.light.background, '--chip-dark': colour.dark.background } as CSSProperties} />
                      <span className="class-name">{r.name}</span>
                      <span className="num" data-testid="class-count">
                        {count(r.classifier)}
                      </span>
                      <span className="num">{count(r.manual)}</span>
                      <span className="num">{sig(r.concentration)}</span>
                    </div>
                  );
                })}
                {rows.length === 0 && <p className="muted pad">No class matches “{search}”.</p>}
              </div>
            </>
          )}
          <dl className="class-sources">
            {summary.classifiers.length > 0 && (
              <div>
                <dt>Classifier</dt>
                <dd>{summary.classifiers.join(', ')}</dd>
              </div>
            )}
            {summary.withResults > 0 && (
              <div>
                <dt>Auto counts</dt>
                <dd>{summary.thresholds ? 'class above the threshold' : 'best-scoring class'}</dd>
              </div>
            )}
            {summary.sources.map((s) => (
              <div key={s.kind}>
                <dt>{sourceKindName(s.kind)}</dt>
                <dd className="class-source-name">{s.name}</dd>
              </div>
            ))}
          </dl>
          {summary.problems.length > 0 && (
            <ul className="class-problems" aria-label="Problems with the results">
              {summary.problems.map((x, i) => (
                <li key={i} title={x.message}>
                  {p.scope === 'range' && <span className="muted">{x.binId} </span>}
                  {x.source && <span className="class-problem-source">{x.source}: </span>}
                  {x.message} <span className="error-code">{x.code}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
