/**
 * File › Import labels… and Export labels…: the CLI's `labels import|export` in the app. Import takes manual_classify
 * `.mat` files, ClassiPyR `.sqlite` or `.csv` tables and class lists (`.mat` class2use, or text one class per line),
 * chosen in the native dialog (or typed, on the dev bridge); main imports them as one job and one undo step and says
 * what it did. Export writes the labels of the open bin, the bins in view, a time span or the whole library as
 * manual_classify `.mat` files or one CSV into a folder, never over an existing file.
 */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';
import { MAX_EXPORT_ITEMS } from '../../shared/ipc/contract.ts';
import type { IfcbApi } from '../../shared/ipc/contract.ts';
import { useJob } from '../hooks/use-job.ts';
import type { JobPhase } from '../hooks/use-job.ts';
import { fromDateTimeField } from '../lib/library-filter.ts';
import { ErrorNote } from './error-state.tsx';

/** Progress while the job runs, its summary or error when it is done. */
function JobStatus({ phase, unit }: { phase: JobPhase; unit: string }) {
  if (phase.name === 'running') {
    return (
      <div className="export-progress" aria-live="polite">
        <progress max={Math.max(1, phase.total)} value={phase.done} />
        <span data-testid="labels-progress">{phase.total > 0 ? `${phase.done} / ${phase.total} ${unit}${phase.message ? ` · ${phase.message}` : ''}` : 'Starting…'}</span>
      </div>
    );
  }
  if (phase.name !== 'finished') return null;
  return (
    <div className="export-result labels-result" role="status" data-testid="labels-result" data-outcome={phase.outcome}>
      {phase.outcome === 'ok' && <span>{phase.summary}</span>}
      {phase.outcome === 'failed' && phase.error && <ErrorNote error={phase.error} />}
      {phase.outcome === 'cancelled' && <span>Cancelled; nothing was changed.</span>}
    </div>
  );
}

export interface ImportLabelsDialogProps {
  api: IfcbApi;
  /** The dev bridge takes typed paths; the desktop app shows its native dialog. */
  pathInput: boolean;
  onClose: () => void;
  /** The import finished and stored labels or class lists (tables and the chart are read again). */
  onImported: () => void;
}

export function ImportLabelsDialog({ api, pathInput, onClose, onImported }: ImportLabelsDialogProps) {
  const [paths, setPaths] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [asking, setAsking] = useState(false);
  const { phase, follow } = useJob(api, 'labels-import');
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (phase.name === 'finished' && phase.outcome === 'ok' && reported.current !== phase.jobId) {
      reported.current = phase.jobId;
      onImported();
    }
  }, [phase, onImported]);
  const running = asking || phase.name === 'running';

  const typed = paths
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (running || (pathInput && typed.length === 0)) return;
    setError(null);
    setAsking(true);
    const r = await api.showImportLabelsDialog(pathInput ? { paths: typed } : {});
    setAsking(false);
    if (!r.ok) return setError(r.error);
    if (r.value.jobId !== null) follow(r.value.jobId);
  };
  const onKeyDown = (e: KeyboardEvent) => e.key === 'Escape' && !running && onClose();

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !running && onClose()}>
      <form className="modal labels-dialog" role="dialog" aria-modal="true" aria-labelledby="import-labels-title" onSubmit={start} onKeyDown={onKeyDown}>
        <h2 id="import-labels-title">Import labels</h2>
        <ul className="labels-formats">
          <li>
            <b>manual_classify</b> results, <code>&lt;bin&gt;.mat</code> (rows not reviewed are left out)
          </li>
          <li>
            <b>ClassiPyR</b> annotations, <code>.sqlite</code>, or a label table <code>.csv</code> (sample_name, roi_number, class_name)
          </li>
          <li>
            <b>Class lists</b>: a <code>class2use</code> <code>.mat</code>, or a <code>.txt</code> with one class per line
          </li>
        </ul>
        <p className="muted labels-note">All the files chosen are one undo step. Labels stay in the library, never beside the data.</p>
        {pathInput && phase.name === 'idle' && (
          <label className="modal-field">
            <span>Files, one path a line</span>
            <textarea className="input labels-paths" rows={4} spellCheck={false} placeholder="/data/manual/D20220522T003051_IFCB134.mat" value={paths} onChange={(e) => setPaths(e.target.value)} />
          </label>
        )}
        <JobStatus phase={phase} unit="files" />
        {error && <ErrorNote error={error} />}
        <div className="modal-actions">
          {phase.name === 'finished' ? (
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Close
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={onClose} disabled={running}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" disabled={running || (pathInput && typed.length === 0)}>
                {pathInput ? 'Import' : 'Choose files…'}
              </button>
            </>
          )}
        </div>
      </form>
    </div>
  );
}

/** Which labels to export. */
type Scope = 'bin' | 'view' | 'span' | 'all';

export interface ExportLabelsDialogProps {
  api: IfcbApi;
  pathInput: boolean;
  /** The bin shown alone (null: none). */
  openBinId: string | null;
  /** The bins of the range in view (empty: none). */
  viewBinIds: readonly string[];
  onClose: () => void;
}

export function ExportLabelsDialog({ api, pathInput, openBinId, viewBinIds, onClose }: ExportLabelsDialogProps) {
  const [scope, setScope] = useState<Scope>(openBinId ? 'bin' : viewBinIds.length > 0 ? 'view' : 'all');
  const [format, setFormat] = useState<'mat' | 'csv'>('mat');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [typedPath, setTypedPath] = useState('');
  const [destination, setDestination] = useState<{ id: string; displayPath: string } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [starting, setStarting] = useState(false);
  const { phase, follow } = useJob(api, 'labels-export');

  const fromMs = fromDateTimeField(from, 'from');
  // the "to" second is included, as in the library's span
  const toField = fromDateTimeField(to, 'to');
  const toMs = toField === null ? null : toField + 1000;
  const spanInvalid = (from.trim() !== '' && fromMs === null) || (to.trim() !== '' && toMs === null) || (fromMs !== null && toMs !== null && fromMs >= toMs);
  const tooMany = scope === 'view' && viewBinIds.length > MAX_EXPORT_ITEMS;
  const running = starting || phase.name === 'running';

  const chooseDestination = async () => {
    setError(null);
    const r = await api.chooseExportDestination(pathInput ? { kind: 'folder', path: typedPath.trim() } : { kind: 'folder' });
    if (!r.ok) setError(r.error);
    else if (r.value.destination) setDestination(r.value.destination);
  };

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!destination || running || (scope === 'span' && spanInvalid) || tooMany) return;
    setError(null);
    setStarting(true);
    const which =
      scope === 'bin' && openBinId
        ? { binIds: [openBinId] }
        : scope === 'view'
          ? { binIds: [...viewBinIds] }
          : scope === 'span'
            ? { ...(fromMs === null ? {} : { from: fromMs }), ...(toMs === null ? {} : { to: toMs }) }
            : {};
    const r = await api.exportLabels({ destinationId: destination.id, format, ...which });
    setStarting(false);
    // refused (existing files, nothing to export): the folder stays chosen, the user changes what is needed
    if (!r.ok) return setError(r.error);
    follow(r.value.jobId);
  };
  const onKeyDown = (e: KeyboardEvent) => e.key === 'Escape' && !running && onClose();
  const editing = phase.name === 'idle';

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !running && onClose()}>
      <form className="modal labels-dialog" role="dialog" aria-modal="true" aria-labelledby="export-labels-title" onSubmit={start} onKeyDown={onKeyDown}>
        <h2 id="export-labels-title">Export labels</h2>
        {editing && (
          <>
            <fieldset className="modal-field">
              <legend>Labels of</legend>
              {openBinId && (
                <label>
                  <input type="radio" name="scope" checked={scope === 'bin'} onChange={() => setScope('bin')} /> the open bin <code>{openBinId}</code>
                </label>
              )}
              {viewBinIds.length > 0 && (
                <label>
                  <input type="radio" name="scope" checked={scope === 'view'} onChange={() => setScope('view')} /> the {viewBinIds.length.toLocaleString('en-US')} bins in view
                </label>
              )}
              <label>
                <input type="radio" name="scope" checked={scope === 'span'} onChange={() => setScope('span')} /> a time span (UTC)
              </label>
              {scope === 'span' && (
                <div className="labels-span">
                  <input className={`input input-time${from.trim() !== '' && fromMs === null ? ' is-invalid' : ''}`} aria-label="From (UTC)" placeholder="YYYY-MM-DD hh:mm:ss" spellCheck={false} value={from} onChange={(e) => setFrom(e.target.value)} />
                  <span>–</span>
                  <input className={`input input-time${to.trim() !== '' && toMs === null ? ' is-invalid' : ''}`} aria-label="To (UTC)" placeholder="YYYY-MM-DD hh:mm:ss" spellCheck={false} value={to} onChange={(e) => setTo(e.target.value)} />
                </div>
              )}
              <label>
                <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} /> the whole library
              </label>
            </fieldset>
            <fieldset className="modal-field">
              <legend>Format</legend>
              <label>
                <input type="radio" name="format" checked={format === 'mat'} onChange={() => setFormat('mat')} /> manual_classify <code>&lt;bin&gt;.mat</code>, one per bin
              </label>
              <label>
                <input type="radio" name="format" checked={format === 'csv'} onChange={() => setFormat('csv')} /> one <code>labels.csv</code> (ClassiPyR columns, with who and when)
              </label>
            </fieldset>
            <fieldset className="modal-field">
              <legend>Folder</legend>
              {pathInput && (
                <input
                  className="input"
                  type="text"
                  aria-label="Folder path"
                  spellCheck={false}
                  placeholder="/path/to/folder"
                  value={typedPath}
                  onChange={(e) => {
                    setTypedPath(e.target.value);
                    setDestination(null);
                  }}
                />
              )}
              <div className="export-destination-row">
                <button type="button" className="btn" onClick={() => void chooseDestination()} disabled={pathInput && typedPath.trim() === ''}>
                  {pathInput ? 'Use this path' : 'Choose…'}
                </button>
                <span className="export-destination-path" data-testid="labels-destination">
                  {destination ? destination.displayPath : 'No folder chosen'}
                </span>
              </div>
            </fieldset>
          </>
        )}
        <JobStatus phase={phase} unit="files" />
        {scope === 'span' && editing && spanInvalid && <p className="export-unavailable">Give the span as YYYY-MM-DD [hh:mm:ss], from before to.</p>}
        {tooMany && <p className="export-unavailable">At most {MAX_EXPORT_ITEMS.toLocaleString('en-US')} bins at once: choose a time span instead.</p>}
        {error && <ErrorNote error={error} />}
        <div className="modal-actions">
          {editing ? (
            <>
              <button type="button" className="btn" onClick={onClose} disabled={running}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" disabled={!destination || running || (scope === 'span' && spanInvalid) || tooMany}>
                Export
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-primary" onClick={onClose} disabled={running}>
              Close
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
