/** The slim header above each bin's images in a range: id, time, instrument, images, volume, concentration, QC. */
import { instrumentName } from '../../shared/ifcb/bin-id.ts';
import { QC_LABELS, concentration, count, plural, sig, utc } from '../lib/format.ts';
import type { ViewBin } from '../state/view.ts';

export function BinHeader({ bin, shown }: { bin: ViewBin; /** Tiles displayed (after the filter), null while loading. */ shown: number | null }) {
  const images = bin.geometry?.target.length ?? bin.imageCount;
  const imagesText = images === null ? '— images' : shown !== null && shown !== images ? `${count(shown)} of ${plural(images, 'image')}` : plural(images, 'image');
  return (
    <div className="bin-header" data-bin={bin.id} data-shown={shown ?? undefined} data-status={bin.status}>
      <span className="bin-header-id">{bin.id}</span>
      {/* the count first: on a narrow mosaic what repeats the id (time, instrument) is what gets cut */}
      <span className="bin-header-item num" data-testid="bin-header-images">
        {imagesText}
      </span>
      {bin.qc.map((flag) => {
        const qc = QC_LABELS[flag];
        return (
          <span key={flag} className={`badge badge-${qc?.tone ?? 'info'}`} title={qc?.title ?? flag}>
            {qc?.label ?? flag}
          </span>
        );
      })}
      <span className="bin-header-item">{utc(bin.timestamp)}</span>
      <span className="bin-header-item">{instrumentName(bin.schema, bin.instrument)}</span>
      <span className="bin-header-item num">{bin.mlAnalyzed === null ? '— mL' : `${sig(bin.mlAnalyzed)} mL`}</span>
      <span className="bin-header-item num">{images === null ? '—' : sig(concentration(images, bin.mlAnalyzed))} images/mL</span>
      {bin.geometry && bin.geometry.bin.hasRoiFile && bin.geometry.readable < bin.geometry.target.length && (
        <span className="badge badge-warn" title="The .roi file ends before these images: still being written, or truncated.">
          {count(bin.geometry.target.length - bin.geometry.readable)} past the end of the .roi
        </span>
      )}
      {bin.status === 'loading' && <span className="bin-header-item muted">loading…</span>}
      {bin.error && (
        <span className="bin-header-error" title={bin.error.message}>
          <span className="error-code">{bin.error.code}</span> {bin.error.message}
        </span>
      )}
    </div>
  );
}
