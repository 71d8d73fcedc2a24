/**
 * The status bar: what is shown (a bin: id, time, instrument, images, volume, concentration; a range: its label,
 * bins and images), jobs in progress, the instrument's calibration and the zoom. Items that repeat the bin id
 * (time, instrument) are hidden whole on narrow windows, never cut mid-text.
 */
import { useState } from 'react';
import { instrumentName } from '../../shared/ifcb/bin-id.ts';
import { JOB_VERBS } from '../lib/jobs.ts';
import type { JobState } from '../lib/jobs.ts';
import { concentration, count, plural, sig, utc } from '../lib/format.ts';
import type { DisplayModel } from '../state/display.ts';
import type { ViewState } from '../state/view.ts';

export interface StatusBarProps {
  view: ViewState;
  model: DisplayModel | null;
  jobs: readonly JobState[];
  /** Calibration of the instrument shown (a single bin, or a range of one instrument); null for mixed ranges. */
  pxPerUm: number | null;
  onPxPerUm: (value: number) => void;
  zoom: number;
}

function ImagesItem({ model }: { model: DisplayModel }) {
  return (
    <span className="status-item num" data-testid="status-images">
      {count(model.shown)} / {plural(model.total, 'image')}
    </span>
  );
}

export function StatusBar({ view, model, jobs, pxPerUm, onPxPerUm, zoom }: StatusBarProps) {
  const [editingScale, setEditingScale] = useState(false);
  const running = jobs.filter((j) => !j.finished);
  const bin = view.kind === 'bin' ? view.bins[0]! : null;
  let what;
  if (bin) {
    what = (
      <>
        <span className="status-item status-bin" data-testid="status-bin">
          {bin.id}
        </span>
        <span className="status-item is-optional status-time">{bin.timestamp ? utc(bin.timestamp) : ''}</span>
        <span className="status-item is-optional status-instrument">{instrumentName(bin.schema, bin.instrument)}</span>
        {model && bin.geometry ? <ImagesItem model={model} /> : <span className="status-item muted">{bin.status === 'error' ? 'Not readable' : 'Opening…'}</span>}
        {bin.geometry && bin.geometry.bin.hasRoiFile && bin.geometry.readable < bin.geometry.target.length && (
          <span className="status-item status-warn num" data-testid="status-truncated" title="The .roi file ends before these images: still being written, or truncated.">
            {count(bin.geometry.target.length - bin.geometry.readable)} past the end of the .roi
          </span>
        )}
        <span className="status-item num is-optional status-volume" title="Volume analyzed">
          {bin.mlAnalyzed === null ? '— mL' : `${sig(bin.mlAnalyzed)} mL`}
        </span>
        <span className="status-item num is-optional status-concentration" title="Concentration">
          {sig(concentration(bin.imageCount ?? 0, bin.mlAnalyzed))} images/mL
        </span>
      </>
    );
  } else if (view.kind === 'range') {
    what = (
      <>
        <span className="status-item status-bin" data-testid="status-range">
          {view.label}
        </span>
        <span className="status-item num">{plural(view.bins.length, 'bin')}</span>
        {model && !model.waitingForAll && <ImagesItem model={model} />}
        {model && model.binsLoaded < model.binsTotal && (
          <span className="status-item num is-optional muted">
            {count(model.binsLoaded)} of {plural(model.binsTotal, 'bin')} loaded
          </span>
        )}
      </>
    );
  } else {
    what = <span className="status-item muted">{view.kind === 'listing' ? `Listing ${view.label}…` : 'No bin open'}</span>;
  }

  return (
    <footer className="status-bar" aria-label="Status">
      {what}
      <span className="status-spacer" />
      {running.map((j) => (
        <span key={j.jobId} className="status-item status-job">
          {JOB_VERBS[j.kind]} {j.total > 0 ? `${Math.round((100 * j.done) / j.total)} %` : '…'}
          <span className="mini-track">
            <span className="mini-fill" style={{ width: j.total > 0 ? `${(100 * j.done) / j.total}%` : '30%' }} />
          </span>
        </span>
      ))}
      {pxPerUm !== null &&
        (editingScale ? (
          <input
            className="input input-num status-input"
            type="number"
            step="0.01"
            min="0.1"
            aria-label="Camera pixels per µm for this instrument"
            autoFocus
            defaultValue={pxPerUm}
            onBlur={(e) => {
              const v = Number(e.target.value);
              if (v > 0 && Number.isFinite(v)) onPxPerUm(v);
              setEditingScale(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === 'Escape') (e.target as HTMLInputElement).blur();
            }}
          />
        ) : (
          <button type="button" className="status-item status-button num is-optional status-calibration" title="Calibration of this instrument (click to change)" onClick={() => setEditingScale(true)}>
            {pxPerUm} px/µm
          </button>
        ))}
      <span className="status-item num" data-testid="status-zoom">
        {Math.round(zoom * 100)} %
      </span>
    </footer>
  );
}
