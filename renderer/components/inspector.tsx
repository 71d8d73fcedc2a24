/**
 * The inspector pane: the focus ROI large with display-only contrast/brightness/gamma and its blob outline (B),
 * its size in px and µm, its classes (top scores, manual label, who/when) and feature sizes, every ADC field by
 * name, and the bin's metadata and header values.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { BinClasses, BinMetadata, CatalogueBin, HeaderValue, IfcbApi } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import { formatUm } from '../../shared/mosaic/scale-bar.ts';
import type { GrayImage, PixelLoader } from '../lib/pixel-loader.ts';
import { displayLut, paintGray } from '../lib/paint.ts';
import { QC_LABELS, computed, concentration, count, full, sig, utc } from '../lib/format.ts';
import { instrumentName } from '../../shared/ifcb/bin-id.ts';
import { BreakablePieces, PathText } from './path-text.tsx';
import { BlobOutline, RoiClassDetails, hasBlob } from './roi-classes.tsx';

export interface InspectorProps {
  metadata: BinMetadata | null;
  /** Index into metadata.rois of the ROI to show, or -1. */
  roiIndex: number;
  loader: Pick<PixelLoader, 'fetchOne'> | null;
  pxPerUm: number;
  onCollapse: () => void;
  /** Asked for the catalogue's record of the open bin (the other folders holding the same id), the ROI's scores and blob. */
  api: IfcbApi;
  /** The class table of the ROI's bin, if it has arrived. */
  classes: BinClasses | null;
  /** Draw the blob outline over the image (when the ROI has a blob mask). */
  blobOutline: boolean;
  onToggleBlobOutline: () => void;
}

type Duplicates = NonNullable<CatalogueBin['duplicates']>;

/**
 * The other copies of `binId` in the library (the same id in other folders; the list shows the bin once).
 * None for a bin the library does not hold, or when there is no library.
 */
function useDuplicates(api: IfcbApi, binId: string | null): Duplicates {
  const [found, setFound] = useState<{ binId: string; duplicates: Duplicates } | null>(null);
  useEffect(() => {
    if (binId === null) return;
    let live = true;
    void api.getCatalogueBin({ binId }).then((r) => {
      if (live) setFound({ binId, duplicates: r.ok ? (r.value.duplicates ?? []) : [] });
    });
    return () => {
      live = false;
    };
  }, [api, binId]);
  return found !== null && found.binId === binId ? found.duplicates : [];
}

function headerText(v: HeaderValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

interface RoiPreviewProps {
  width: number;
  height: number;
  target: number;
  loader: Pick<PixelLoader, 'fetchOne'>;
  /** The blob outline to lay over the image, if shown. */
  outline: ReactNode;
}

function RoiPreview({ width, height, target, loader, outline }: RoiPreviewProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [image, setImage] = useState<GrayImage | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [contrast, setContrast] = useState(1);
  const [brightness, setBrightness] = useState(0);
  const [gamma, setGamma] = useState(1);

  useEffect(() => {
    let live = true;
    setImage(null);
    setError(null);
    loader.fetchOne(target).then(
      (img) => live && setImage(img),
      (e: unknown) => {
        const info = (e as { info?: ErrorInfo }).info;
        if (live) setError(info ?? { code: 'INTERNAL', message: String(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [loader, target]);

  const identity = contrast === 1 && brightness === 0 && gamma === 1;
  const lut = useMemo(() => (identity ? undefined : displayLut(contrast, brightness, gamma)), [identity, contrast, brightness, gamma]);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !image) return;
    paintGray(canvas, image.width, image.height, image.pixels, lut);
    canvas.dataset['state'] = 'painted';
  }, [image, lut]);

  return (
    <div className="preview">
      <div className="preview-frame">
        {/* the outline lies exactly over the image: both fill this box */}
        <div className="preview-image" style={{ maxWidth: Math.min(width * 3, 10_000) }}>
          <canvas
            ref={canvasRef}
            className="preview-canvas"
            width={width}
            height={height}
            data-state={error ? 'error' : 'loading'}
            data-target={target}
            style={{ aspectRatio: `${width} / ${height}` }}
          />
          {outline}
        </div>
      </div>
      {error && (
        <div className="preview-error">
          {error.message} <span className="error-code">{error.code}</span>
        </div>
      )}
      <div className="adjust" aria-label="Display adjustments (the exported pixels stay raw)">
        <label>
          <span>Contrast</span>
          <input type="range" min={0.25} max={4} step={0.05} value={contrast} onChange={(e) => setContrast(Number(e.target.value))} />
          <span className="num">{contrast.toFixed(2)}</span>
        </label>
        <label>
          <span>Brightness</span>
          <input type="range" min={-0.5} max={0.5} step={0.01} value={brightness} onChange={(e) => setBrightness(Number(e.target.value))} />
          <span className="num">{brightness.toFixed(2)}</span>
        </label>
        <label>
          <span>Gamma</span>
          <input type="range" min={0.2} max={3} step={0.05} value={gamma} onChange={(e) => setGamma(Number(e.target.value))} />
          <span className="num">{gamma.toFixed(2)}</span>
        </label>
        <div className="adjust-foot">
          <span className="muted">Display only; exports stay raw.</span>
          <button
            type="button"
            className="btn btn-small"
            disabled={identity}
            onClick={() => {
              setContrast(1);
              setBrightness(0);
              setGamma(1);
            }}
          >
            Reset
          </button>
        </div>
      </div>
    </div>
  );
}

/** A bin id: whole where it fits, else wrapped only after its underscore (`D20220522T003051_` / `IFCB134`). */
function Id({ id }: { id: string }) {
  return <BreakablePieces className="id-text" text={id} />;
}

/** A number and its unit: the number is never broken, the unit may go to the next line in a narrow inspector. */
function Quantity({ value, unit }: { value: string; unit: string }) {
  return (
    <>
      <span className="nowrap">{value}</span> {unit}
    </>
  );
}

/**
 * Name–value rows; `numeric` ones never wrap a value (a number broken in two reads as two numbers). A `wide` row (a
 * bin id, a path) goes under its name in a narrow inspector, so the other names need not give way to it.
 */
function Fields({ rows, numeric = false }: { rows: [string, ReactNode, 'wide'?][]; numeric?: boolean }) {
  return (
    <dl className={numeric ? 'fields is-numeric' : 'fields'}>
      {rows.map(([k, v, wide]) => (
        <div className={wide ? 'field is-wide' : 'field'} key={k}>
          {/* the name gives way first in a narrow inspector: whole on hover */}
          <dt title={k}>{k}</dt>
          <dd className="num">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Inspector({ metadata, roiIndex, loader, pxPerUm, onCollapse, api, classes, blobOutline, onToggleBlobOutline }: InspectorProps) {
  const [showHeaders, setShowHeaders] = useState(false);
  const rois = metadata?.rois;
  const bin = metadata?.bin;
  const duplicates = useDuplicates(api, bin?.id ?? null);
  const has = rois && roiIndex >= 0 && roiIndex < rois.count;
  const target = has ? rois.target[roiIndex]! : null;
  const w = has ? rois.width[roiIndex]! : 0;
  const h = has ? rois.height[roiIndex]! : 0;
  const stitched = has ? rois.stitchedWith[roiIndex]! : 0;
  const blob = target !== null && classes !== null && classes.binId === bin?.id && hasBlob(classes, target);

  return (
    <aside className="inspector" aria-label="Inspector">
      <header className="pane-header">
        <h2>Inspector</h2>
        <div className="pane-actions">
          <button type="button" className="btn-icon" title="Hide the inspector" aria-label="Hide the inspector" onClick={onCollapse}>
            ⟩
          </button>
        </div>
      </header>
      <div className="inspector-body">
        {!metadata || !bin ? (
          <p className="muted pad">Open a bin to see its metadata.</p>
        ) : (
          <>
            {has && target !== null ? (
              <section className="section" aria-label={`ROI ${target}`}>
                <h3 className="section-title">
                  ROI {target}
                  {stitched > 0 && <span className="badge badge-info">stitched with {stitched}</span>}
                </h3>
                {loader && bin.hasRoiFile ? (
                  <RoiPreview
                    key={`${bin.id}:${target}`}
                    width={w}
                    height={h}
                    target={target}
                    loader={loader}
                    outline={blob && blobOutline ? <BlobOutline api={api} binId={bin.id} target={target} className="preview-outline" /> : null}
                  />
                ) : (
                  <p className="muted">No pixels: the .roi file of this bin is missing.</p>
                )}
                {blob && (
                  <label className="blob-toggle">
                    <input type="checkbox" checked={blobOutline} onChange={onToggleBlobOutline} /> Blob outline <kbd>B</kbd>
                  </label>
                )}
                <Fields
                  numeric
                  rows={[
                    ['Bin', <Id id={bin.id} />],
                    ['Target', String(target)],
                    ['Size', `${w} × ${h} px`],
                    ['Size (µm)', `${formatUm(w / pxPerUm)} × ${formatUm(h / pxPerUm)} µm`],
                    ['Position', `${rois.x[roiIndex]}, ${rois.y[roiIndex]} px`],
                  ]}
                />
                {classes && classes.binId === bin.id && <RoiClassDetails api={api} table={classes} target={target} />}
                <h4 className="subsection-title">ADC fields</h4>
                <Fields numeric rows={rois.adcColumns.map((name) => [name, full(rois.adc[name]?.[roiIndex])])} />
              </section>
            ) : (
              <p className="muted pad">Select an image to inspect it (click, or arrows then Enter).</p>
            )}
            <section className="section" aria-label="Bin metadata">
              <h3 className="section-title">Bin</h3>
              <Fields
                rows={[
                  ['Bin id', <Id id={bin.id} />, 'wide'],
                  ['Timestamp', utc(bin.timestamp)],
                  ['Instrument', instrumentName(bin.schema, bin.instrument)],
                  ['Schema', `v${bin.schema}`],
                  ['ADC rows', count(bin.adcRows)],
                  ['Triggers', count(bin.triggers)],
                  ['Images', count(bin.imageCount)],
                  ['.roi file', bin.hasRoiFile ? 'present' : 'missing'],
                  ['ml analyzed', bin.mlAnalyzed === null ? '—' : <Quantity value={computed(bin.mlAnalyzed)} unit="mL" />],
                  ['Concentration', <Quantity value={sig(concentration(bin.imageCount, bin.mlAnalyzed))} unit="images/mL" />],
                  ['Run time', bin.runTime === null ? '—' : <Quantity value={computed(bin.runTime)} unit="s" />],
                  ['Inhibit time', bin.inhibitTime === null ? '—' : <Quantity value={computed(bin.inhibitTime)} unit="s" />],
                  ['Look time', bin.lookTime === null ? '—' : <Quantity value={computed(bin.lookTime)} unit="s" />],
                  ['Trigger rate', bin.triggerRate === null ? '—' : <Quantity value={sig(bin.triggerRate, 4)} unit="/s" />],
                  ['File', <PathText path={bin.displayName} />, 'wide'],
                ]}
              />
              {duplicates.length > 0 && (
                <div className="duplicates" role="group" aria-label="Other copies">
                  <h4 className="subsection-title" title="The same bin id in other folders; the library lists it once, from the folder above">
                    Other copies
                  </h4>
                  <ul>
                    {duplicates.map((d) => (
                      <li key={d.path} className="duplicate" title={d.path}>
                        <PathText path={d.path} />
                        {d.qc.map((flag) => (
                          <span key={flag} className={`badge badge-${QC_LABELS[flag]?.tone ?? 'info'}`} title={QC_LABELS[flag]?.title ?? flag}>
                            {QC_LABELS[flag]?.label ?? flag}
                          </span>
                        ))}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <button type="button" className="btn btn-small section-toggle" aria-expanded={showHeaders} onClick={() => setShowHeaders((v) => !v)}>
                {showHeaders ? 'Hide' : 'Show'} header ({Object.keys(metadata.headers).length} keys)
              </button>
              {showHeaders && <Fields rows={Object.entries(metadata.headers).map(([k, v]) => [k, headerText(v)])} />}
            </section>
          </>
        )}
      </div>
    </aside>
  );
}
