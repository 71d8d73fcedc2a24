/**
 * The mosaic toolbar: zoom, layout mode, sort, filter, selection count and export. Always one row: as the centre narrows (CSS container queries in app.css) the layout labels take their short forms
 * ("Scale", "Fit"), then the zoom slider, the "Sort" label and the word "basket" go, then the zoom steps (+ / − keys
 * do the same; the readout resets to 100 %). The full words stay in the tooltips. The filter bar below it holds
 * the size and field ranges, and a second row for classifier results, labels and feature sizes.
 */
import type { LayoutMode } from '../../shared/mosaic/layout.ts';
import type { SortKeyOption, SortSpec } from '../../shared/mosaic/arrange.ts';
import { MAX_ZOOM, MIN_ZOOM, stepZoom } from '../lib/keys.ts';
import { count, plural } from '../lib/format.ts';
import { NO_FILTER, filterActive, type MosaicFilter } from '../state/filter.ts';


export interface ToolbarProps {
  zoom: number;
  onZoom: (zoom: number) => void;
  mode: LayoutMode;
  onMode: (mode: LayoutMode) => void;
  sort: SortSpec;
  onSort: (sort: SortSpec) => void;
  sortOptions: SortKeyOption[];
  /** The keys the filter's Field range can use (the image and ADC columns). */
  fieldOptions: SortKeyOption[];
  filter: MosaicFilter;
  onFilter: (filter: MosaicFilter) => void;
  filterOpen: boolean;
  onFilterOpen: (open: boolean) => void;
  selected: number;
  basket: { images: number; bins: number };
  onClearBasket: () => void;
  onExport: () => void;
  disabled: boolean;
  inspectorHidden: boolean;
  onShowInspector: () => void;
  /** The classes of the bins' tables held now (what the class filter offers), by name. */
  classOptions: readonly string[];
  /** What the filter shows (null before a display exists). */
  shown: FilterOutcome | null;
}

/** The filter's outcome, said in the filter bar ("120 of 1,432 images"; bins it could not judge). */
export interface FilterOutcome {
  shown: number;
  total: number;
  /** Bins without classifier results or labels under a class condition, without features under a size one. */
  withoutResults: number;
  withoutFeatures: number;
  /** Bins whose class table has not arrived yet. */
  pending: number;
}

/** The slider works in log2(zoom), step 0.01. Its min sits on that grid so End reaches MAX_ZOOM exactly. */
const LOG_STEP = 0.01;
const LOG_MIN = Math.ceil(Math.log2(MIN_ZOOM) * 100) / 100;
const LOG_MAX = Math.log2(MAX_ZOOM);

export function Toolbar(p: ToolbarProps) {
  const set = (patch: Partial<MosaicFilter>) => p.onFilter({ ...p.filter, ...patch });
  const active = filterActive(p.filter);
  const addable = p.classOptions.filter((c) => !p.filter.classes.includes(c));
  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label="Mosaic">
        <div className="tool-group" aria-label="Zoom">
          <button type="button" className="btn-icon zoom-step" aria-label="Zoom out" title="Zoom out (−)" disabled={p.disabled} onClick={() => p.onZoom(stepZoom(p.zoom, -1))}>
            −
          </button>
          <input
            type="range"
            className="zoom-slider"
            aria-label="Zoom"
            min={LOG_MIN}
            max={LOG_MAX}
            step={LOG_STEP}
            value={Math.log2(p.zoom)}
            disabled={p.disabled}
            onChange={(e) => p.onZoom(Math.round(2 ** Number(e.target.value) * 100) / 100)}
          />
          <button type="button" className="btn-icon zoom-step" aria-label="Zoom in" title="Zoom in (+)" disabled={p.disabled} onClick={() => p.onZoom(stepZoom(p.zoom, 1))}>
            +
          </button>
          <button type="button" className="btn btn-small zoom-readout num" title="Actual size (0)" disabled={p.disabled} onClick={() => p.onZoom(1)}>
            {Math.round(p.zoom * 100)} %
          </button>
        </div>
        <div className="segmented" role="radiogroup" aria-label="Layout">
          <button type="button" role="radio" aria-checked={p.mode === 'true-scale'} className={p.mode === 'true-scale' ? 'is-on' : ''} onClick={() => p.onMode('true-scale')} title="True scale: every ROI at the same scale">
            <span className="wide-only">True scale</span>
            <span className="narrow-only">Scale</span>
          </button>
          <button type="button" role="radio" aria-checked={p.mode === 'fit-rows'} className={p.mode === 'fit-rows' ? 'is-on' : ''} onClick={() => p.onMode('fit-rows')} title="Fit rows: rows scaled to fill the width">
            <span className="wide-only">Fit rows</span>
            <span className="narrow-only">Fit</span>
          </button>
        </div>
        <div className="tool-group">
          <label className="tool-label roomy-only" htmlFor="sort-key">
            Sort
          </label>
          <select id="sort-key" className="input" title="Sort by" value={p.sort.key} disabled={p.disabled} onChange={(e) => p.onSort({ ...p.sort, key: e.target.value })}>
            {p.sortOptions.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn-icon"
            aria-label={p.sort.descending ? 'Descending; switch to ascending' : 'Ascending; switch to descending'}
            title={p.sort.descending ? 'Descending' : 'Ascending'}
            disabled={p.disabled}
            onClick={() => p.onSort({ ...p.sort, descending: !p.sort.descending })}
          >
            {p.sort.descending ? '↓' : '↑'}
          </button>
        </div>
        <button
          type="button"
          className={`btn btn-small${active ? ' is-active' : ''}`}
          aria-expanded={p.filterOpen}
          aria-controls="filter-bar"
          disabled={p.disabled}
          onClick={() => p.onFilterOpen(!p.filterOpen)}
        >
          Filter{active ? ' •' : ''}
        </button>
        <div className="toolbar-spacer" />
        <div
          className="selection-count"
          aria-live="polite"
          title={`${count(p.selected)} selected in this bin${p.basket.images > p.selected ? `; ${count(p.basket.images)} in ${p.basket.bins} ${p.basket.bins === 1 ? 'bin' : 'bins'} in all` : ''}`}
        >
          <span className="num" data-testid="selection-count">
            {count(p.selected)}
          </span>{' '}
          selected
          {/* shown whenever other bins hold part of what Export would take */}
          {p.basket.images > p.selected && (
            <span className="basket" title={`Basket: ${count(p.basket.images)} images selected in ${p.basket.bins} ${p.basket.bins === 1 ? 'bin' : 'bins'} (the export takes them all)`}>
              {' '}
              · <span className="roomy-only">basket </span>
              {count(p.basket.images)} in {p.basket.bins} {p.basket.bins === 1 ? 'bin' : 'bins'}
              <button type="button" className="btn-icon" aria-label="Clear the basket" title="Clear the basket" onClick={p.onClearBasket}>
                ×
              </button>
            </span>
          )}
        </div>
        <button type="button" className="btn btn-primary" disabled={p.basket.images === 0} onClick={p.onExport} title="Export the selection (Ctrl/⌘+E)">
          Export…
        </button>
        {p.inspectorHidden && (
          <button type="button" className="btn-icon" aria-label="Show the inspector" title="Show the inspector" onClick={p.onShowInspector}>
            ⟨
          </button>
        )}
      </div>
      {p.filterOpen && (
        <div className="filter-bar" id="filter-bar" role="group" aria-label="Filter">
          <span className="filter-group">
            <label className="tool-label">Longest side</label>
            <RangeInputs minLabel="Minimum size in µm" maxLabel="Maximum size in µm" min={p.filter.sizeMin} max={p.filter.sizeMax} nonNegative onMin={(v) => set({ sizeMin: v })} onMax={(v) => set({ sizeMax: v })} />
            <span className="unit">µm</span>
          </span>
          <span className="divider" />
          <span className="filter-group">
            <label className="tool-label" htmlFor="filter-field">
              Field
            </label>
            <select id="filter-field" className="input" value={p.filter.field} onChange={(e) => set({ field: e.target.value })}>
              <option value="">(none)</option>
              {p.fieldOptions.map((o) => (
                <option key={o.key} value={o.key}>
                  {o.label}
                </option>
              ))}
            </select>
            <RangeInputs minLabel="Field minimum" maxLabel="Field maximum" min={p.filter.fieldMin} max={p.filter.fieldMax} disabled={p.filter.field === ''} onMin={(v) => set({ fieldMin: v })} onMax={(v) => set({ fieldMax: v })} />
          </span>
          <div className="filter-break" />
          <span className="filter-group">
            <label className="tool-label" htmlFor="filter-class">
              Class
            </label>
            {p.filter.classes.map((c) => (
              <span key={c} className="filter-class" data-class={c}>
                {c}
                <button type="button" className="btn-icon" aria-label={`Remove ${c} from the class filter`} title="Remove" onClick={() => set({ classes: p.filter.classes.filter((x) => x !== c) })}>
                  ×
                </button>
              </span>
            ))}
            <select
              id="filter-class"
              className="input filter-class-add"
              value=""
              disabled={addable.length === 0}
              title={p.classOptions.length === 0 ? 'No classifier results or labels in the bins here' : 'Add a class to the filter (images of any chosen class are shown)'}
              onChange={(e) => e.target.value !== '' && set({ classes: [...p.filter.classes, e.target.value] })}
            >
              <option value="">{p.filter.classes.length === 0 ? 'any' : 'add…'}</option>
              {addable.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </span>
          <label className="tool-label filter-score" title="Least score of the classifier's winning class (0: every image, scored or not)">
            Score ≥
            <input type="range" className="score-slider" aria-label="Least classifier score" min={0} max={1} step={0.01} value={p.filter.minScore} onChange={(e) => set({ minScore: Number(e.target.value) })} />
            <span className="num score-readout">{p.filter.minScore.toFixed(2)}</span>
          </label>
          <label className="tool-label filter-check" title="A person's label differs from the classifier's class">
            <input type="checkbox" checked={p.filter.manualDiffers} onChange={(e) => set({ manualDiffers: e.target.checked })} /> Manual ≠ classifier
          </label>
          <label className="tool-label filter-check" title="Images nobody has labelled">
            <input type="checkbox" checked={p.filter.unreviewed} onChange={(e) => set({ unreviewed: e.target.checked })} /> Not reviewed
          </label>
          <span className="divider" />
          <span className="filter-group">
            <label className="tool-label" title="Equivalent spherical diameter, from the features file">
              ESD
            </label>
            <RangeInputs minLabel="Minimum ESD in µm" maxLabel="Maximum ESD in µm" min={p.filter.esdMin} max={p.filter.esdMax} nonNegative onMin={(v) => set({ esdMin: v })} onMax={(v) => set({ esdMax: v })} />
            <span className="unit">µm</span>
          </span>
          <span className="filter-group">
            <label className="tool-label" title="Biovolume, from the features file">
              Biovolume
            </label>
            <RangeInputs minLabel="Minimum biovolume in µm³" maxLabel="Maximum biovolume in µm³" min={p.filter.biovolumeMin} max={p.filter.biovolumeMax} nonNegative onMin={(v) => set({ biovolumeMin: v })} onMax={(v) => set({ biovolumeMax: v })} />
            <span className="unit">µm³</span>
          </span>
          {/* at the end, beside the count of what the filter keeps */}
          <button type="button" className="btn btn-small" disabled={!active} onClick={() => p.onFilter(NO_FILTER)}>
            Clear
          </button>
          {p.shown && active && <FilterCount outcome={p.shown} />}
        </div>
      )}
    </div>
  );
}

function FilterCount({ outcome }: { outcome: FilterOutcome }) {
  const notes: string[] = [];
  if (outcome.withoutResults > 0) notes.push(`${plural(outcome.withoutResults, 'bin')} ${outcome.withoutResults === 1 ? 'has' : 'have'} no classifier results`);
  if (outcome.withoutFeatures > 0) notes.push(`${plural(outcome.withoutFeatures, 'bin')} ${outcome.withoutFeatures === 1 ? 'has' : 'have'} no features`);
  if (outcome.pending > 0) notes.push(`reading the results of ${plural(outcome.pending, 'bin')}…`);
  return (
    <span className="filter-count" data-testid="filter-count" aria-live="polite">
      <span className="num">
        {count(outcome.shown)} of {plural(outcome.total, 'image')}
      </span>
      {notes.length > 0 && <span className="filter-count-note"> · {notes.join(' · ')}</span>}
    </span>
  );
}

/** A min–max pair of number fields (typed text kept as typed; the display model parses it). */
function RangeInputs(p: { minLabel: string; maxLabel: string; min: string; max: string; onMin: (v: string) => void; onMax: (v: string) => void; nonNegative?: boolean; disabled?: boolean }) {
  const bound = p.nonNegative ? 0 : undefined;
  return (
    <>
      <input className="input input-num" type="number" min={bound} step="any" aria-label={p.minLabel} placeholder="min" disabled={p.disabled} value={p.min} onChange={(e) => p.onMin(e.target.value)} />
      <span className="muted">–</span>
      <input className="input input-num" type="number" min={bound} step="any" aria-label={p.maxLabel} placeholder="max" disabled={p.disabled} value={p.max} onChange={(e) => p.onMax(e.target.value)} />
    </>
  );
}
