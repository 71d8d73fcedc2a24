/**
 * The ROI view (Enter or double-click on a tile): one image large, at an exact zoom (a whole multiple of its
 * camera pixels, or a whole fraction when it is larger than the window) with its own µm scale bar and blob outline
 * (B), its classes, sizes and ADC fields, previous/next in display order by the arrow keys, and "copy id"
 * (`<bin>_<00005>`) — the Dashboard's per-ROI page. Labelling keys label the ROI shown and step to the next.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';
import type { BinClasses, BinMetadata, IfcbApi } from '../../shared/ipc/contract.ts';
import { roiId, targetOfKey } from '../../shared/mosaic/keys.ts';
import { formatUm } from '../../shared/mosaic/scale-bar.ts';
import type { GrayImage, PixelLoader } from '../lib/pixel-loader.ts';
import { paintGray } from '../lib/paint.ts';
import { count, full } from '../lib/format.ts';
import { isTypingTarget } from '../lib/keys.ts';
import { ScaleBar } from './scale-bar.tsx';
import { BlobOutline, RoiClassDetails, hasBlob } from './roi-classes.tsx';

/** Largest enlargement offered: beyond it single camera pixels are bigger than anything worth seeing. */
const MAX_ROI_ZOOM = 8;

/** The exact zoom at which a `width` × `height` image fits `available`: 1…8 ×, or 1/2, 1/3 … when it is larger. */
export function exactZoom(width: number, height: number, available: { width: number; height: number }): number {
  if (width <= 0 || height <= 0 || available.width <= 0 || available.height <= 0) return 1;
  const fit = Math.min(available.width / width, available.height / height);
  if (fit >= 1) return Math.min(MAX_ROI_ZOOM, Math.floor(fit));
  return 1 / Math.ceil(1 / fit);
}

export interface RoiViewProps {
  binId: string;
  roiKey: number;
  width: number;
  height: number;
  pxPerUm: number;
  loader: Pick<PixelLoader, 'fetchOne'>;
  /** The bin's full metadata (ADC fields), null while it is on its way. */
  metadata: BinMetadata | null;
  /** Place in the display order (0-based) and how many are displayed. */
  position: number;
  total: number;
  onStep: (direction: 1 | -1) => void;
  onClose: () => void;
  /** Asked for the ROI's scores and blob mask. */
  api: IfcbApi;
  /** The class table of the ROI's bin, if it has arrived. */
  classes: BinClasses | null;
  blobOutline: boolean;
  onToggleBlobOutline: () => void;
}

export function RoiView(props: RoiViewProps) {
  const { binId, roiKey, width, height, pxPerUm, loader, metadata, position, total, onStep, onClose, api, classes, blobOutline, onToggleBlobOutline } = props;
  const target = targetOfKey(roiKey);
  const id = roiId(binId, target);
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [stage, setStage] = useState({ width: 0, height: 0 });
  const [image, setImage] = useState<GrayImage | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [copied, setCopied] = useState(false);

  useLayoutEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    const measure = () => setStage({ width: el.clientWidth - 32, height: el.clientHeight - 32 });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    let live = true;
    setImage(null);
    setError(null);
    setCopied(false);
    loader.fetchOne(roiKey).then(
      (img) => live && setImage(img),
      (e: unknown) => live && setError((e as { info?: ErrorInfo }).info ?? { code: 'INTERNAL', message: String(e) }),
    );
    return () => {
      live = false;
    };
  }, [loader, roiKey]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !image) return;
    paintGray(canvas, image.width, image.height, image.pixels);
    canvas.dataset['state'] = 'painted';
  }, [image]);

  // Its own keys while open: arrows step, Escape closes (the mosaic's keyboard is off meanwhile).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // a field over the view (the class search) keeps its keys
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (e.key === 'Escape') onClose();
      else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') onStep(1);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') onStep(-1);
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose, onStep]);

  const zoom = exactZoom(width, height, stage);
  const blob = classes !== null && classes.binId === binId && hasBlob(classes, target);
  const zoomLabel = zoom >= 1 ? `${zoom * 100} %` : `1/${Math.round(1 / zoom)} (${Math.round(zoom * 1000) / 10} %)`;
  const index = metadata ? metadata.rois.target.indexOf(target) : -1;
  const copy = () => {
    void navigator.clipboard?.writeText(id).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  return (
    <div className="roi-view" role="dialog" aria-label={`ROI ${id}`} data-key={roiKey}>
      <header className="roi-view-bar">
        <button type="button" className="btn" onClick={() => onStep(-1)} disabled={position <= 0} aria-label="Previous ROI" title="Previous ROI (←)">
          ‹
        </button>
        <span className="roi-view-position num">
          {count(position + 1)} / {count(total)}
        </span>
        <button type="button" className="btn" onClick={() => onStep(1)} disabled={position >= total - 1} aria-label="Next ROI" title="Next ROI (→)">
          ›
        </button>
        <span className="roi-view-id" data-testid="roi-id">
          {id}
        </span>
        <button type="button" className="btn" onClick={copy} title="Copy the ROI id">
          {copied ? 'Copied' : 'Copy id'}
        </button>
        <span className="roi-view-size num muted">
          {width} × {height} px · {formatUm(width / pxPerUm)} × {formatUm(height / pxPerUm)} µm
        </span>
        <span className="roi-view-zoom num" data-testid="roi-zoom">
          {zoomLabel}
        </span>
        <span className="toolbar-spacer" />
        <button type="button" className="btn-icon" onClick={onClose} aria-label="Close the ROI view" title="Close (Esc)">
          ×
        </button>
      </header>
      <div className="roi-view-body">
        <div className="roi-view-stage" ref={stageRef}>
          {error ? (
            <p className="roi-view-error">
              <span className="error-code">{error.code}</span> {error.message}
            </p>
          ) : (
            // the outline lies exactly over the image: both fill this box
            <div className="roi-view-image" style={{ width: width * zoom, height: height * zoom }}>
              <canvas
                ref={canvasRef}
                className={zoom > 1 ? 'roi-view-canvas is-enlarged' : 'roi-view-canvas'}
                data-target={target}
                data-state="loading"
                style={{ width: width * zoom, height: height * zoom }}
              />
              {blob && blobOutline && <BlobOutline api={api} binId={binId} target={target} className="roi-view-outline" />}
            </div>
          )}
          <div className="roi-view-scale">
            <ScaleBar zoom={zoom} pxPerUm={pxPerUm} />
          </div>
        </div>
        <aside className="roi-view-fields" aria-label="Classes and ADC fields">
          {blob && (
            <label className="blob-toggle">
              <input type="checkbox" checked={blobOutline} onChange={onToggleBlobOutline} /> Blob outline <kbd>B</kbd>
            </label>
          )}
          {classes && classes.binId === binId && <RoiClassDetails api={api} table={classes} target={target} />}
          <h4 className="subsection-title">ADC fields</h4>
          {index < 0 || !metadata ? (
            <p className="muted">Loading its ADC fields…</p>
          ) : (
            <dl className="fields is-numeric">
              {metadata.rois.adcColumns.map((name) => (
                <div key={name} className="field">
                  <dt title={name}>{name}</dt>
                  <dd className="num">{full(metadata.rois.adc[name]?.[index])}</dd>
                </div>
              ))}
            </dl>
          )}
        </aside>
      </div>
    </div>
  );
}
