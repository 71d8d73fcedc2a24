/**
 * A scale bar: a round µm length drawn exactly at the given zoom. The mosaic's sits in a strip below the scroller,
 * where it can never cover a tile; the ROI view has its own under the image.
 */
import { scaleBar } from '../../shared/mosaic/scale-bar.ts';

export function ScaleBar({ zoom, pxPerUm }: { zoom: number; pxPerUm: number }) {
  const bar = scaleBar(zoom, pxPerUm);
  return (
    <div className="scale-bar" aria-label={`Scale bar: ${bar.label}`} data-um={bar.micrometres}>
      <div className="scale-bar-line" style={{ width: bar.pixels }} />
      <div className="scale-bar-label">{bar.label}</div>
    </div>
  );
}
