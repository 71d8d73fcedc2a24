/**
 * The mosaic toolbar: zoom, layout mode, sort, filter, selection count and export. Always one row: as the
 * centre narrows (CSS container queries in app.css) the layout labels take their short forms ("Scale",
 * "Fit"), then the zoom slider, the "Sort" label and the word "basket" go, then the zoom steps (+ / − keys
 * do the same; the readout resets to 100 %). The full words stay in the tooltips.
 */
import type { LayoutMode } from '../../shared/mosaic/layout.ts';
import type { SortKeyOption, SortSpec } from '../../shared/mosaic/arrange.ts';
import { MAX_ZOOM, MIN_ZOOM, stepZoom } from '../lib/keys.ts';
import { count } from '../lib/format.ts';

export interface MosaicFilter {
  /** Longest side in µm (from the image size). */
  sizeMin: string;
  sizeMax: string;
  /** An image or ADC column and its range. */
  field: string;
  fieldMin: string;
  fieldMax: string;
  /** Classifier results and labels (the bin's class table): any of these classes (the manual label, else the classifier's). */
  classes: readonly string[];
  /** Least score of the classifier's winning class; 0 = no bound (unscored images stay). */
  minScore: number;
  /** Only images whose manual label differs from the classifier's class. */
  manualDiffers: boolean;
  /** Only images nobody has labelled. */
  unreviewed: boolean;
  /** Sizes from the features file: equivalent spherical diameter (µm) and biovolume (µm³). */
  esdMin: string;
  esdMax: string;
  biovolumeMin: string;
  biovolumeMax: string;
}

export const NO_FILTER: MosaicFilter = {
  sizeMin: '',
  sizeMax: '',
  field: '',
  fieldMin: '',
  fieldMax: '',
  classes: [],
  minScore: 0,
  manualDiffers: false,
  unreviewed: false,
  esdMin: '',
  esdMax: '',
  biovolumeMin: '',
  biovolumeMax: '',
};

/** Whether a condition on the classifier's results or the labels is set (bins without any then show nothing). */
export function classConditionActive(f: MosaicFilter): boolean {
  return f.classes.length > 0 || f.minScore > 0 || f.manualDiffers || f.unreviewed;
}

/** Whether a condition on the features file's sizes is set. */
export function featureConditionActive(f: MosaicFilter): boolean {
  return f.esdMin !== '' || f.esdMax !== '' || f.biovolumeMin !== '' || f.biovolumeMax !== '';
}

/** Whether any filter value is set. */
export function filterActive(f: MosaicFilter): boolean {
  return f.sizeMin !== '' || f.sizeMax !== '' || (f.field !== '' && (f.fieldMin !== '' || f.fieldMax !== '')) || classConditionActive(f) || featureConditionActive(f);
}

export interface ToolbarProps {
  zoom: number;
  onZoom: (zoom: number) => void;
  mode: LayoutMode;
  onMode: (mode: LayoutMode) => void;
  sort: SortSpec;
  onSort: (sort: SortSpec) => void;
  sortOptions: SortKeyOption[];
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
}

/** The slider works in log2(zoom), step 0.01. Its min sits on that grid so End reaches MAX_ZOOM exactly. */
const LOG_STEP = 0.01;
const LOG_MIN = Math.ceil(Math.log2(MIN_ZOOM) * 100) / 100;
const LOG_MAX = Math.log2(MAX_ZOOM);

export function Toolbar(p: ToolbarProps) {
  const set = (patch: Partial<MosaicFilter>) => p.onFilter({ ...p.filter, ...patch });
  const active = filterActive(p.filter);
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
          <label className="tool-label">Longest side</label>
          <input className="input input-num" type="number" min={0} step="any" aria-label="Minimum size in µm" placeholder="min" value={p.filter.sizeMin} onChange={(e) => set({ sizeMin: e.target.value })} />
          <span className="muted">–</span>
          <input className="input input-num" type="number" min={0} step="any" aria-label="Maximum size in µm" placeholder="max" value={p.filter.sizeMax} onChange={(e) => set({ sizeMax: e.target.value })} />
          <span className="unit">µm</span>
          <span className="divider" />
          <label className="tool-label" htmlFor="filter-field">
            Field
          </label>
          <select id="filter-field" className="input" value={p.filter.field} onChange={(e) => set({ field: e.target.value })}>
            <option value="">(none)</option>
            {p.sortOptions.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
          <input className="input input-num" type="number" step="any" aria-label="Field minimum" placeholder="min" disabled={p.filter.field === ''} value={p.filter.fieldMin} onChange={(e) => set({ fieldMin: e.target.value })} />
          <span className="muted">–</span>
          <input className="input input-num" type="number" step="any" aria-label="Field maximum" placeholder="max" disabled={p.filter.field === ''} value={p.filter.fieldMax} onChange={(e) => set({ fieldMax: e.target.value })} />
          <button type="button" className="btn btn-small" disabled={!active} onClick={() => p.onFilter(NO_FILTER)}>
            Clear
          </button>
        </div>
      )}
    </div>
  );
}
