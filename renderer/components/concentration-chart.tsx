/**
 * Concentration over time: of every image for the bins in the library list (one point per bin), or of one class
 * (`bins:time-series` with `class`: one point per bin, or per hour/day/week over a long span). Clicking a bin's point
 * opens that bin; dragging across the chart selects a time range (the list is filtered to it).
 */
import { useMemo, useRef, useState } from 'react';
import type { MouseEvent as ReactMouseEvent } from 'react';
import type { CatalogueBin, TimeSeries } from '../../shared/ipc/contract.ts';
import { concentration, day, sig } from '../lib/format.ts';

/** One point: a bin (clicking it opens the bin) or a time bucket. */
export interface ChartPoint {
  key: string;
  epochMs: number;
  /** Images (of the class) per mL. */
  value: number;
  binId?: string;
  /** What the point is, for its tooltip and the readout. */
  label: string;
}

/** Every image: one point per listed bin that has a volume. */
export function totalPoints(bins: readonly CatalogueBin[]): ChartPoint[] {
  return bins.flatMap((bin) => {
    const value = bin.imageCount === null ? null : concentration(bin.imageCount, bin.mlAnalyzed);
    return value === null ? [] : [{ key: bin.id, epochMs: bin.epochMs, value, binId: bin.id, label: bin.id }];
  });
}

/** One class: the series' points whose bins had their classes counted and a volume. */
export function classPoints(series: TimeSeries): ChartPoint[] {
  return series.points.flatMap((p) => {
    const c = p.class;
    if (!c || c.bins === 0 || c.concentration === null) return [];
    const label = p.id ?? `${p.start.slice(0, series.bucket === 'hour' ? 13 : 10).replace('T', ' ')}${series.bucket === 'hour' ? 'h' : ''} (${c.bins} ${c.bins === 1 ? 'bin' : 'bins'})`;
    return [{ key: p.id ?? p.start, epochMs: p.epochMs, value: c.concentration, ...(p.id ? { binId: p.id } : {}), label }];
  });
}

export interface ConcentrationChartProps {
  points: readonly ChartPoint[];
  /** The class plotted, null for every image. */
  className: string | null;
  activeBinId: string | null;
  onOpen: (binId: string) => void;
  onBrush: (range: { from: number; to: number }) => void;
  /** Said when there are no points. */
  emptyText: string;
}

const W = 256;
const H = 96;
const M = { left: 34, right: 6, top: 12, bottom: 16 };

interface Point extends ChartPoint {
  x: number;
  y: number;
}

/** Longest class name written on the axis (the full name is in the picker and the tooltip). */
const UNIT_CHARS = 34;

/** A round upper bound for the y axis. */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function ConcentrationChart({ points: input, className, activeBinId, onOpen, onBrush, emptyText }: ConcentrationChartProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [brush, setBrush] = useState<{ x0: number; x1: number } | null>(null);
  const [hover, setHover] = useState<Point | null>(null);

  const model = useMemo(() => {
    const withValue = input;
    if (withValue.length === 0) return null;
    let t0 = Infinity;
    let t1 = -Infinity;
    let vMax = 0;
    for (const p of withValue) {
      t0 = Math.min(t0, p.epochMs);
      t1 = Math.max(t1, p.epochMs);
      vMax = Math.max(vMax, p.value);
    }
    if (t0 === t1) {
      t0 -= 43_200_000;
      t1 += 43_200_000;
    }
    // Concentrations span decades between bins: a log axis when they do, so one bloom does not flatten the rest.
    let vMin = Infinity;
    for (const p of withValue) if (p.value > 0) vMin = Math.min(vMin, p.value);
    const log = vMin !== Infinity && vMax / vMin > 50;
    const lo = log ? 10 ** Math.floor(Math.log10(vMin)) : 0;
    const yMax = log ? 10 ** Math.ceil(Math.log10(vMax)) : niceMax(vMax);
    const plotW = W - M.left - M.right;
    const plotH = H - M.top - M.bottom;
    const fraction = (v: number) => (log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(yMax) - Math.log10(lo)) : v / yMax);
    const points: Point[] = withValue.map((p) => ({
      ...p,
      x: M.left + ((p.epochMs - t0) / (t1 - t0)) * plotW,
      y: M.top + plotH - fraction(p.value) * plotH,
    }));
    points.sort((a, b) => a.x - b.x);
    const toTime = (x: number) => t0 + ((Math.min(Math.max(x, M.left), W - M.right) - M.left) / plotW) * (t1 - t0);
    return { points, t0, t1, yMax, yMin: lo, log, toTime };
  }, [input]);

  const unit = className === null ? 'images/mL' : `${className} images/mL`;
  if (!model) {
    return (
      <div className="chart chart-empty" role="img" aria-label={`No ${unit} to plot`}>
        {emptyText}
      </div>
    );
  }

  const toSvgX = (e: ReactMouseEvent) => {
    const rect = svgRef.current!.getBoundingClientRect();
    return ((e.clientX - rect.left) / rect.width) * W;
  };

  const onMouseDown = (e: ReactMouseEvent) => {
    if (e.button !== 0 || (e.target as Element).closest('.chart-point')) return;
    const x0 = toSvgX(e);
    setBrush({ x0, x1: x0 });
    const svg = svgRef.current!;
    const move = (ev: MouseEvent) => {
      const rect = svg.getBoundingClientRect();
      setBrush({ x0, x1: ((ev.clientX - rect.left) / rect.width) * W });
    };
    const up = (ev: MouseEvent) => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      const rect = svg.getBoundingClientRect();
      const x1 = ((ev.clientX - rect.left) / rect.width) * W;
      setBrush(null);
      if (Math.abs(x1 - x0) > 3) {
        const a = model.toTime(Math.min(x0, x1));
        const b = model.toTime(Math.max(x0, x1));
        onBrush({ from: Math.floor(a), to: Math.ceil(b) });
      }
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };

  const line = model.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('');
  const plotBottom = H - M.bottom;
  return (
    <div className="chart">
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        className="chart-svg"
        role="img"
        aria-label={`Concentration in ${unit} over time`}
        data-points={model.points.length}
        onMouseDown={onMouseDown}
      >
        <text className="chart-axis" x={M.left - 4} y={M.top + 4} textAnchor="end">
          {sig(model.yMax, 2)}
        </text>
        <text className="chart-axis" x={M.left - 4} y={plotBottom} textAnchor="end">
          {model.log ? sig(model.yMin, 1) : '0'}
        </text>
        <line className="chart-grid" x1={M.left} x2={W - M.right} y1={M.top} y2={M.top} />
        <line className="chart-baseline" x1={M.left} x2={W - M.right} y1={plotBottom} y2={plotBottom} />
        <text className="chart-axis" x={M.left} y={H - 3}>
          {day(new Date(model.t0).toISOString())}
        </text>
        <text className="chart-axis" x={W - M.right} y={H - 3} textAnchor="end">
          {day(new Date(model.t1).toISOString())}
        </text>
        <text className="chart-unit" x={W - M.right} y={M.top - 1} textAnchor="end">
          <title>{unit}</title>
          {className === null ? '' : `${className.length > UNIT_CHARS ? `${className.slice(0, UNIT_CHARS - 1)}…` : className} `}images/mL{model.log ? ' (log)' : ''}
        </text>
        {model.points.length > 1 && <path className="chart-line" d={line} />}
        {model.points.map((p) => {
          const active = p.binId !== undefined && p.binId === activeBinId;
          return (
            <circle
              key={p.key}
              data-bin={p.binId}
              data-value={p.value}
              className={active ? 'chart-point is-active' : 'chart-point'}
              cx={p.x}
              cy={p.y}
              r={active ? 4 : 3}
              onClick={() => p.binId !== undefined && onOpen(p.binId)}
              onMouseEnter={() => setHover(p)}
              onMouseLeave={() => setHover(null)}
            >
              <title>{`${p.label}: ${sig(p.value)} ${unit}`}</title>
            </circle>
          );
        })}
        {brush && <rect className="chart-brush" x={Math.min(brush.x0, brush.x1)} y={M.top} width={Math.abs(brush.x1 - brush.x0)} height={plotBottom - M.top} />}
      </svg>
      <div className="chart-readout" aria-live="polite">
        {hover ? `${hover.label} · ${sig(hover.value)} ${unit}` : 'Click a point: open its bin · drag: filter by time'}
      </div>
    </div>
  );
}
