/**
 * The centre of the window for the view being shown: the empty, listing, loading and error states, or the mosaic
 * (with its read-error banner, filter warning and scale bar strip), and the ROI view over it.
 */
import type { ReactNode } from 'react';
import type { LayoutMode } from '../../shared/mosaic/layout.ts';
import type { SelectionAction, SelectionState } from '../../shared/mosaic/selection.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import type { PixelLoader } from '../lib/pixel-loader.ts';
import { count, plural } from '../lib/format.ts';
import type { DisplayModel } from '../state/display.ts';
import type { ViewState } from '../state/view.ts';
import { ErrorNote, StatePanel, adviceFor } from './error-state.tsx';
import { Mosaic } from './mosaic.tsx';
import type { MosaicProps } from './mosaic.tsx';
import { ScaleBar } from './scale-bar.tsx';

export interface CentrePanelProps {
  view: ViewState;
  model: DisplayModel | null;
  loader: PixelLoader | null;
  imageError: { binId: string; error: ErrorInfo } | null;
  onDismissImageError: () => void;
  /** Why the filter can match nothing, if it cannot. */
  filterWarning: string | null;
  onClearFilter: () => void;
  onOpenFile: () => void;
  zoom: number;
  mode: LayoutMode;
  pxPerUmOf: (slot: number) => number;
  /** The calibration the scale bar uses (null in a range of several instruments: no single bar is right). */
  scalePxPerUm: number | null;
  selection: SelectionState;
  dispatch: (action: SelectionAction) => void;
  onActivate: (key: number) => void;
  keyboardActive: boolean;
  arrangement: string;
  onZoomStep: (direction: 1 | -1) => void;
  onNearSlots: (slots: readonly number[]) => void;
  onNearRange: (near: { first: number; last: number }) => void;
  /** The ROI view, drawn over the mosaic when open. */
  roiView: ReactNode;
  /** Class chips on the tiles (absent: hidden), and their switch in the strip under the mosaic. */
  classLabelOf?: MosaicProps['classLabelOf'];
  labelsShown: boolean;
  onLabelsShown: (shown: boolean) => void;
}

function Loading({ text }: { text: string }) {
  return (
    <div className="state-panel state-loading" role="status">
      <div className="spinner" aria-hidden="true" />
      <div>{text}</div>
    </div>
  );
}

export function CentrePanel(props: CentrePanelProps) {
  const { view, model, loader } = props;
  if (view.kind === 'none') {
    return (
      <StatePanel
        tone="info"
        title="No bin open"
        actions={
          <button type="button" className="btn btn-primary" onClick={props.onOpenFile}>
            Open bin…
          </button>
        }
      >
        <p>Pick a bin or a day in the library, or open a .roi, .adc or .hdr file (Ctrl/⌘+O).</p>
        <p className="muted">Arrows move, Shift extends, Space toggles, Ctrl/⌘+A selects all, Enter shows one image large, + / − / 0 zoom, [ and ] step through bins.</p>
        <p className="muted">Labelling: 1–9 give the palette's classes, / finds any class, K confirms the classifier, Backspace clears, Ctrl/⌘+Z undoes, B shows the blob outline.</p>
      </StatePanel>
    );
  }
  if (view.kind === 'listing') return <Loading text={`Listing ${view.label}…`} />;
  if (view.kind === 'failed') {
    return (
      <StatePanel tone="error" title={`Could not list ${view.label}`} code={view.error.code}>
        <p>{view.error.message}</p>
        <p className="muted">{adviceFor(view.error.code)}</p>
      </StatePanel>
    );
  }
  if (view.kind === 'range' && view.bins.length === 0) {
    return (
      <StatePanel tone="empty" title={`No bins in ${view.label}`}>
        <p>The library has no bins in this range.</p>
      </StatePanel>
    );
  }
  const single = view.kind === 'bin' ? view.bins[0]! : null;
  if (single) {
    if (single.status === 'waiting' || single.status === 'loading') return <Loading text={`Opening ${single.id}…`} />;
    if (single.status === 'error' || !single.geometry) {
      const error = single.error ?? { code: 'INTERNAL', message: 'No geometry.' };
      return (
        <StatePanel tone="error" title={`Could not open ${single.id}`} code={error.code}>
          <p>{error.message}</p>
          <p className="muted">{adviceFor(error.code)}</p>
        </StatePanel>
      );
    }
    const bin = single.geometry.bin;
    if (!bin.hasRoiFile) {
      return (
        <StatePanel tone="error" title={`The .roi file of ${bin.id} is missing`} code="FILE_MISSING">
          <p>
            Images cannot be shown; its metadata ({plural(bin.adcRows, 'ADC row')}, {plural(bin.imageCount, 'image')} listed) is in the inspector.
          </p>
          <p className="muted">If the instrument is still writing this bin, re-open it when it is complete.</p>
        </StatePanel>
      );
    }
    if (single.geometry.target.length === 0) {
      return (
        <StatePanel tone="empty" title={`${bin.id} has no images`}>
          <p>{bin.adcRows === 0 ? 'The .adc file has no rows: no targets were recorded in this bin.' : `None of its ${plural(bin.adcRows, 'trigger')} produced an image.`}</p>
        </StatePanel>
      );
    }
  }
  if (!model || !loader) return <Loading text="Opening…" />;
  if (model.waitingForAll) {
    if (model.binsLoaded === model.binsTotal && model.classes.pending > 0) return <Loading text={`Reading the classifier results of ${plural(model.classes.pending, 'bin')}…`} />;
    return <Loading text={`Sorting across the range needs every bin: ${count(model.binsLoaded)} of ${plural(model.binsTotal, 'bin')} loaded…`} />;
  }
  const emptyAfterFilter = model.shown === 0 && model.binsLoaded === model.binsTotal && model.classes.pending === 0 && model.total > 0;
  return (
    <div className="mosaic-wrap">
      {(props.imageError || props.filterWarning) && (
        <div className="mosaic-banner">
          {props.filterWarning && (
            <div className="filter-warning" role="alert" data-testid="filter-warning">
              {props.filterWarning}
            </div>
          )}
          {props.imageError && (
            <ErrorNote
              error={{ ...props.imageError.error, message: `Images of ${props.imageError.binId} could not be read: ${props.imageError.error.message}` }}
              onDismiss={props.onDismissImageError}
            />
          )}
        </div>
      )}
      {emptyAfterFilter ? (
        <StatePanel
          tone="empty"
          title="No images match the filter"
          actions={
            <button type="button" className="btn" onClick={props.onClearFilter}>
              Clear the filter
            </button>
          }
        >
          <p>{count(model.total)} images are hidden by the filter.</p>
          {model.classes.withoutResults > 0 && <p className="muted">{plural(model.classes.withoutResults, 'bin')} {model.classes.withoutResults === 1 ? 'has' : 'have'} no classifier results or labels.</p>}
          {model.classes.withoutFeatures > 0 && <p className="muted">{plural(model.classes.withoutFeatures, 'bin')} {model.classes.withoutFeatures === 1 ? 'has' : 'have'} no features file (ESD, biovolume).</p>}
        </StatePanel>
      ) : (
        <div className="mosaic-area">
          <Mosaic
            model={model}
            bins={view.kind === 'bin' || view.kind === 'range' ? view.bins : []}
            zoom={props.zoom}
            mode={props.mode}
            pxPerUmOf={props.pxPerUmOf}
            loader={loader}
            selection={props.selection}
            dispatch={props.dispatch}
            onActivate={props.onActivate}
            keyboardActive={props.keyboardActive}
            arrangement={props.arrangement}
            onZoomStep={props.onZoomStep}
            onNearSlots={props.onNearSlots}
            onNearRange={props.onNearRange}
            {...(props.classLabelOf ? { classLabelOf: props.classLabelOf } : {})}
          />
        </div>
      )}
      {!emptyAfterFilter && (
        <div className="mosaic-footer">
          {props.mode !== 'true-scale' ? (
            <span className="muted">Fit rows: sizes compare within a row only</span>
          ) : props.scalePxPerUm === null ? (
            <span className="muted">Instruments of different calibrations: no single scale bar</span>
          ) : (
            <ScaleBar zoom={props.zoom} pxPerUm={props.scalePxPerUm} />
          )}
          {/* here rather than in the toolbar, whose one row has no room left in a 1024 px window */}
          <button
            type="button"
            className={`btn-icon labels-toggle${props.labelsShown ? ' is-on' : ''}`}
            aria-pressed={props.labelsShown}
            title={props.labelsShown ? 'Hide the class labels on the images' : 'Show the class labels on the images'}
            onClick={() => props.onLabelsShown(!props.labelsShown)}
          >
            <span className="labels-glyph" aria-hidden="true" />
            Class labels
          </button>
        </div>
      )}
      {props.roiView}
    </div>
  );
}
