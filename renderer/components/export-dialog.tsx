/**
 * "Export selection…": format, tables, one folder per class (a training set) and destination, then live progress with a count and Cancel, then
 * "Show in folder". Self-contained: it talks to main only through `api` (dialog:export-destination,
 * export:start, export:cancel and the job events). Nothing is written until the user presses Export; a
 * cancelled or failed export leaves nothing behind (main/export guarantees it), and files that already exist
 * at the destination are one short answer to Export, with the choice to add a suffix, skip existing files
 * (an existing folder) or choose another destination. Served to a browser (`npm start` without Electron), a zip
 * can also be saved by the browser itself ("Download .zip").
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { IfcbApi, IfcbEvent } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import { downloadZip } from '../api/zip-download.ts';
import { ErrorNote } from './error-state.tsx';

export interface ExportSelection {
  binId: string;
  targets: number[];
}

export interface ExportDialogProps {
  api: IfcbApi;
  selection: ExportSelection[];
  onClose: () => void;
}

type Format = 'png' | 'tiff';
type Kind = 'folder' | 'zip';
type OnExisting = 'fail' | 'suffix' | 'skip';
interface Destination {
  id: string;
  displayPath: string;
  kind: Kind;
}
/** How a finished job reports its failure (any code main sends, not only the known ones). */
type JobError = NonNullable<Extract<IfcbEvent, { type: 'job-finished' }>['error']>;

type Phase =
  | { name: 'choose' }
  | { name: 'starting' }
  | { name: 'running'; jobId: string; done: number; total: number }
  | { name: 'finished'; jobId: string; outcome: 'ok' | 'failed' | 'cancelled'; summary?: string; error?: JobError };

function canEditPhase(phase: Phase): boolean {
  return phase.name === 'choose';
}

/** Default archive name: the first bin id, plus "+N" when the selection spans several bins. */
function suggestedName(selection: ExportSelection[]): string {
  const first = selection[0]?.binId ?? 'export';
  return selection.length > 1 ? `${first}+${selection.length - 1}` : first;
}

export function ExportDialog({ api, selection, onClose }: ExportDialogProps) {
  // "Show in folder": main reveals only what it just exported; without a desktop (browser) it tells us where.
  const [revealedPath, setRevealedPath] = useState<string | null>(null);
  const [format, setFormat] = useState<Format>('png');
  const [kind, setKind] = useState<Kind>('folder');
  const [metadata, setMetadata] = useState(true);
  const [ecotaxa, setEcotaxa] = useState(false);
  const [groupByClass, setGroupByClass] = useState(false);
  const [destination, setDestination] = useState<Destination | null>(null);
  const [typedPath, setTypedPath] = useState('');
  const [pathInput, setPathInput] = useState(false);
  const [available, setAvailable] = useState(true);
  const [downloadable, setDownloadable] = useState(false);
  const [download, setDownload] = useState<'idle' | 'preparing' | 'handed-over'>('idle');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'choose' });
  // Events may arrive before export:start answers: keep the latest per job and replay it.
  const latest = useRef(new Map<string, IfcbEvent>());
  const jobRef = useRef<string | null>(null);

  const imageCount = useMemo(() => selection.reduce((n, s) => n + s.targets.length, 0), [selection]);

  useEffect(() => {
    let live = true;
    void api.getAppInfo().then((r) => {
      if (!live || !r.ok) return;
      setPathInput(r.value.features.pathInput);
      setAvailable(r.value.features.export);
      setDownloadable(r.value.transport === 'http' && r.value.features.export);
    });
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    const apply = (e: IfcbEvent) => {
      if ((e.type !== 'job-progress' && e.type !== 'job-finished') || e.kind !== 'export') return;
      if (e.jobId !== jobRef.current) {
        latest.current.set(e.jobId, e);
        return;
      }
      if (e.type === 'job-progress') setPhase((p) => (p.name === 'running' ? { ...p, done: e.done, total: e.total } : p));
      else {
        const finished: Phase = { name: 'finished', jobId: e.jobId, outcome: e.outcome };
        if (e.summary !== undefined) finished.summary = e.summary;
        if (e.error !== undefined) finished.error = e.error;
        setPhase(finished);
      }
    };
    return api.onEvent(apply);
  }, [api]);

  const running = phase.name === 'running' || phase.name === 'starting';

  // Escape: cancel a running export, otherwise close.
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    if (phase.name === 'running') void cancel();
    else if (!running) onClose();
  };

  async function chooseDestination() {
    setError(null);
    const request = pathInput
      ? { kind, path: typedPath.trim() }
      : kind === 'zip'
        ? { kind, suggestedName: `${suggestedName(selection)}.zip` }
        : { kind };
    const r = await api.chooseExportDestination(request);
    if (!r.ok) setError(r.error);
    else if (r.value.destination) setDestination(r.value.destination);
  }

  async function startDownload() {
    setError(null);
    setDownload('preparing');
    const r = await downloadZip({ items: selection.map((s) => ({ binId: s.binId, targets: s.targets })), format, metadata, ecotaxa, groupByClass });
    if (r.ok) return setDownload('handed-over');
    setError(r.error);
    setDownload('idle');
  }

  async function start(e: FormEvent | null, onExisting: OnExisting = 'fail') {
    e?.preventDefault();
    if (!destination) return;
    setError(null);
    setPhase({ name: 'starting' });
    const r = await api.startExport({
      items: selection.map((s) => ({ binId: s.binId, targets: s.targets })),
      destinationId: destination.id,
      format,
      metadata,
      ecotaxa,
      groupByClass,
      onExisting,
    });
    if (!r.ok) {
      setError(r.error);
      setPhase({ name: 'choose' });
      // files already there: the destination stays chosen for "Add a suffix" / "Skip existing files"
      if (r.error.code !== 'EXPORT_TARGET_EXISTS') setDestination(null); // a destination id is used once
      return;
    }
    const jobId = r.value.jobId;
    jobRef.current = jobId;
    setPhase({ name: 'running', jobId, done: 0, total: imageCount });
    const early = latest.current.get(jobId);
    if (early?.type === 'job-finished') {
      const finished: Phase = { name: 'finished', jobId, outcome: early.outcome };
      if (early.summary !== undefined) finished.summary = early.summary;
      if (early.error !== undefined) finished.error = early.error;
      setPhase(finished);
    } else if (early?.type === 'job-progress') {
      setPhase({ name: 'running', jobId, done: early.done, total: early.total });
    }
  }

  async function cancel() {
    if (phase.name !== 'running') return;
    const r = await api.cancelExport({ jobId: phase.jobId });
    if (!r.ok) setError(r.error);
  }

  function chooseAgain() {
    jobRef.current = null;
    setDestination(null);
    setError(null);
    setPhase({ name: 'choose' });
  }

  const canEdit = canEditPhase(phase);
  const emptySelection = imageCount === 0;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !running && onClose()}>
      <form className="modal export-dialog" role="dialog" aria-modal="true" aria-labelledby="export-dialog-title" onSubmit={start} onKeyDown={onKeyDown}>
        <h2 id="export-dialog-title">Export selection</h2>
        <p className="export-summary" data-testid="export-count">
          {imageCount} {imageCount === 1 ? 'image' : 'images'} from {selection.length} {selection.length === 1 ? 'bin' : 'bins'}
        </p>

        {canEdit && (
          <>
            <fieldset className="modal-field export-format">
              <legend>Format</legend>
              <label>
                <input type="radio" name="format" value="png" checked={format === 'png'} onChange={() => setFormat('png')} /> PNG (8-bit gray, raw values)
              </label>
              <label>
                <input type="radio" name="format" value="tiff" checked={format === 'tiff'} onChange={() => setFormat('tiff')} /> TIFF
              </label>
            </fieldset>
            <fieldset className="modal-field export-tables">
              <legend>Tables</legend>
              <label>
                <input type="checkbox" name="metadata" checked={metadata} onChange={(e) => setMetadata(e.target.checked)} /> metadata.csv
              </label>
              <label title="With each image's class (the manual label, else the classifier's) as object_annotation_category">
                <input type="checkbox" name="ecotaxa" checked={ecotaxa} onChange={(e) => setEcotaxa(e.target.checked)} /> EcoTaxa table (ecotaxa_*.tsv)
              </label>
            </fieldset>
            <fieldset className="modal-field export-layout">
              <legend>Layout</legend>
              <label title="A training set: each image under the name of its class (the manual label, else the classifier's; unclassified/ when it has neither)">
                <input type="checkbox" name="groupByClass" checked={groupByClass} onChange={(e) => setGroupByClass(e.target.checked)} /> By class: a directory per class (training set)
              </label>
            </fieldset>
            <fieldset className="modal-field export-destination">
              <legend>Destination</legend>
              <label>
                <input
                  type="radio"
                  name="kind"
                  value="folder"
                  checked={kind === 'folder'}
                  onChange={() => {
                    setKind('folder');
                    setDestination(null);
                  }}
                />{' '}
                Folder
              </label>
              <label>
                <input
                  type="radio"
                  name="kind"
                  value="zip"
                  checked={kind === 'zip'}
                  onChange={() => {
                    setKind('zip');
                    setDestination(null);
                  }}
                />{' '}
                One .zip file
              </label>
              {pathInput && (
                <input
                  className="input"
                  type="text"
                  name="path"
                  spellCheck={false}
                  placeholder={kind === 'zip' ? '/path/to/export.zip' : '/path/to/folder'}
                  value={typedPath}
                  onChange={(e) => {
                    setTypedPath(e.target.value);
                    setDestination(null);
                  }}
                />
              )}
              <div className="export-destination-row">
                <button type="button" className="btn" onClick={() => void chooseDestination()} disabled={!available || (pathInput && typedPath.trim() === '')}>
                  {pathInput ? 'Use this path' : 'Choose…'}
                </button>
                <span className="export-destination-path" data-testid="export-destination">
                  {destination ? destination.displayPath : 'No destination chosen'}
                </span>
              </div>
              {downloadable && kind === 'zip' && (
                <div className="export-destination-row">
                  <button type="button" className="btn" onClick={() => void startDownload()} disabled={emptySelection || download === 'preparing'}>
                    Download .zip
                  </button>
                  <span className="export-destination-path" data-testid="export-download">
                    {download === 'handed-over' ? 'Your browser saves the zip as soon as it is written.' : 'or let this browser save it'}
                  </span>
                </div>
              )}
            </fieldset>
          </>
        )}

        {(phase.name === 'running' || phase.name === 'starting') && (
          <div className="export-progress" aria-live="polite">
            <progress max={phase.name === 'running' ? Math.max(1, phase.total) : 1} value={phase.name === 'running' ? phase.done : 0} />
            <span data-testid="export-progress-text">
              {phase.name === 'running' ? `${phase.done} / ${phase.total} images` : 'Starting…'}
            </span>
          </div>
        )}

        {phase.name === 'finished' && (
          <div className="export-result" role="status" data-testid="export-result" data-outcome={phase.outcome}>
            {phase.outcome === 'ok' && <span>{phase.summary ?? 'Export complete.'}</span>}
            {phase.outcome === 'ok' && revealedPath !== null && (
              <span className="export-destination-path" data-testid="export-revealed-path">
                Saved in {revealedPath}
              </span>
            )}
            {phase.outcome === 'cancelled' && <span>Export cancelled. Nothing was written.</span>}
            {phase.outcome === 'failed' && phase.error && <ErrorNote error={phase.error} />}
          </div>
        )}

        {error && <ErrorNote error={error} />}
        {error?.code === 'EXPORT_TARGET_EXISTS' && destination && canEditPhase(phase) && (
          <div className="export-existing" data-testid="export-existing">
            <button type="button" className="btn" onClick={() => void start(null, 'suffix')}>
              Add a suffix
            </button>
            {error.details?.['canSkip'] === true && (
              <button type="button" className="btn" onClick={() => void start(null, 'skip')}>
                Skip existing files
              </button>
            )}
          </div>
        )}
        {!available && <p className="export-unavailable">Export is not available in this build.</p>}

        <div className="modal-actions">
          {canEdit && (
            <>
              <button type="button" className="btn" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" disabled={!destination || emptySelection || !available}>
                Export
              </button>
            </>
          )}
          {phase.name === 'running' && (
            <button type="button" className="btn" onClick={() => void cancel()}>
              Cancel export
            </button>
          )}
          {phase.name === 'finished' && (
            <>
              {phase.outcome === 'failed' && phase.error?.code === 'EXPORT_TARGET_EXISTS' && (
                <button type="button" className="btn" onClick={chooseAgain}>
                  Choose another destination
                </button>
              )}
              {phase.outcome !== 'ok' && phase.error?.code !== 'EXPORT_TARGET_EXISTS' && (
                <button type="button" className="btn" onClick={chooseAgain}>
                  Back
                </button>
              )}
              {phase.outcome === 'ok' && (
                <button
                  type="button"
                  className="btn"
                  onClick={() =>
                    void api.revealExport({ jobId: phase.jobId }).then((r) => {
                      if (r.ok) setRevealedPath(r.value.shown ? null : r.value.path);
                      else setError(r.error);
                    })
                  }
                >
                  Show in folder
                </button>
              )}
              <button type="button" className="btn btn-primary" onClick={onClose}>
                Close
              </button>
            </>
          )}
        </div>
      </form>
    </div>
  );
}
