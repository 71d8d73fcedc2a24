/**
 * One ROI's classes and sizes, shown by the inspector and the ROI view: the classifier's top classes with their
 * scores as small bars (`bin:roi-scores`), the manual label with who gave it and when, the sizes in µm / µm³ from the
 * features file with the px/µm used, and the blob outline drawn over the image (`bin:blob-mask`).
 */
import { useEffect, useRef, useState } from 'react';
import type { BinClasses, IfcbApi, ResponseOf } from '../../shared/ipc/contract.ts';
import { rowOfTarget } from '../state/classes.ts';
import { decodeMask, paintOutline } from '../lib/blob-outline.ts';
import { computed, sig } from '../lib/format.ts';

/** Classes listed with their scores. */
const TOP_CLASSES = 5;

type RoiScores = ResponseOf<'bin:roi-scores'>;

/** The ROI's top scores and library label; asked again when its manual label changes (who/when follow). */
function useRoiScores(api: IfcbApi, binId: string, target: number, manual: number): RoiScores | null {
  const [got, setGot] = useState<{ key: string; value: RoiScores } | null>(null);
  const key = `${binId}:${target}:${manual}`;
  useEffect(() => {
    let live = true;
    void api.getRoiScores({ binId, target, limit: TOP_CLASSES }).then((r) => {
      if (live) setGot({ key, value: r.ok ? r.value : { scores: [], labelled: null } });
    });
    return () => {
      live = false;
    };
  }, [api, binId, target, key]);
  return got?.key === key ? got.value : null;
}

function when(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function RoiClassDetails({ api, table, target }: { api: IfcbApi; table: BinClasses; target: number }) {
  const row = rowOfTarget(table, target);
  const manual = row >= 0 ? table.manual[row]! : -1;
  const scores = useRoiScores(api, table.binId, target, manual);
  const above = row >= 0 ? table.above[row]! : -1;
  const sizes = table.sizes;
  const um = (v: number | null | undefined, unit: string) => (v === null || v === undefined ? '—' : `${sig(v, 4)} ${unit}`);
  const labelled = scores?.labelled ?? null;
  const manualName = manual >= 0 ? table.classes[manual]! : null;
  return (
    <div className="roi-classes" data-target={target}>
      <h4 className="subsection-title">Class of this image</h4>
      {scores === null ? (
        <p className="muted">Loading its scores…</p>
      ) : scores.scores.length === 0 ? (
        <p className="muted">{table.score.some((s) => s !== null) ? 'The classifier did not score this image.' : 'No classifier results for this bin.'}</p>
      ) : (
        <ol className="class-scores" aria-label="Top classes">
          {scores.scores.map((s) => (
            <li key={s.class} className="class-score" data-class={s.class}>
              <span className="class-score-name" title={s.class}>
                {s.class}
              </span>
              <span className="class-score-bar" aria-hidden="true">
                <span style={{ width: `${Math.max(0, Math.min(1, s.score)) * 100}%` }} />
              </span>
              <span className="num">{s.score.toFixed(3)}</span>
            </li>
          ))}
        </ol>
      )}
      <dl className="fields is-numeric">
        {table.hasThresholds && (
          <div className="field">
            <dt>Above threshold</dt>
            <dd>{above >= 0 ? table.classes[above] : '—'}</dd>
          </div>
        )}
        <div className="field">
          <dt>Manual label</dt>
          <dd data-testid="manual-label" data-class={manualName ?? ''}>
            {manualName ?? 'not reviewed'}
          </dd>
        </div>
        {labelled && (
          <div className="field">
            <dt>Labelled by</dt>
            <dd data-testid="labelled-by">
              {labelled.annotator}, {when(labelled.atMs)}
            </dd>
          </div>
        )}
      </dl>
      {sizes && row >= 0 && (
        <>
          <h4 className="subsection-title">
            Size <span className="unit-text">(features, {computed(sizes.pxPerUm)} px/µm)</span>
          </h4>
          <dl className="fields is-numeric" data-testid="roi-sizes">
            <div className="field">
              <dt>ESD</dt>
              <dd className="num">{um(sizes.esdUm[row], 'µm')}</dd>
            </div>
            <div className="field">
              <dt>Major axis</dt>
              <dd className="num">{um(sizes.majorAxisUm[row], 'µm')}</dd>
            </div>
            <div className="field">
              <dt>Minor axis</dt>
              <dd className="num">{um(sizes.minorAxisUm[row], 'µm')}</dd>
            </div>
            <div className="field">
              <dt>Biovolume</dt>
              <dd className="num">{um(sizes.biovolumeUm3[row], 'µm³')}</dd>
            </div>
          </dl>
        </>
      )}
    </div>
  );
}

/** Whether the ROI has a blob mask (from the table; the PNG is fetched only to draw it). */
export function hasBlob(table: BinClasses | null, target: number): boolean {
  if (!table?.blobs) return false;
  const row = rowOfTarget(table, target);
  return row >= 0 && table.blobs[row] === true;
}

/**
 * The blob's outline on a transparent canvas of the mask's own size, stretched by CSS exactly over the image
 * (`className` places it); nothing when the ROI has no mask.
 */
export function BlobOutline({ api, binId, target, className }: { api: IfcbApi; binId: string; target: number; className: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'painted' | 'none' | 'error'>('loading');
  useEffect(() => {
    let live = true;
    setState('loading');
    void api.getBlobMask({ binId, target }).then(async (r) => {
      if (!live) return;
      if (!r.ok || r.value.length === 0) return setState(r.ok ? 'none' : 'error');
      try {
        const decoded = await decodeMask(r.value);
        if (!live || !canvasRef.current) return;
        paintOutline(canvasRef.current, decoded);
        setState('painted');
      } catch {
        // a mask the page cannot decode: the image is still shown, without an outline
        if (live) setState('error');
      }
    });
    return () => {
      live = false;
    };
  }, [api, binId, target]);
  return <canvas ref={canvasRef} className={`blob-outline ${className}`} data-state={state} data-target={target} aria-hidden="true" />;
}
