/**
 * The library's filter, from what the user typed or brushed to what `bins:list` is sent. Times are UTC and
 * whole seconds: the date fields show exactly the span that is filtered, and the span covers every second
 * shown in them (the catalogue's `to` is exclusive, so it is sent as the end of the last second).
 */
import type { BinsFilter } from '../../shared/ipc/contract.ts';

/** A span of whole UTC seconds, both ends included, as epoch ms of each end's second; null = open. */
export interface TimeSpan {
  from: number | null;
  to: number | null;
}

export const NO_SPAN: TimeSpan = { from: null, to: null };

/**
 * The search box: `#134` (or `#005`) is exactly that instrument; anything else is sent as typed for the
 * catalogue to find in any part of the id or the instrument name (`T12`, `901`, `20240501`, `IFCB13` — which
 * also finds IFCB134: `#13` is the way to ask for instrument 13 alone). Ids are upper case.
 */
export function searchFilter(text: string): Pick<BinsFilter, 'search' | 'instrument'> | 'invalid' {
  const t = text.trim();
  if (t === '') return {};
  const instrument = /^#(\d{1,3})$/.exec(t);
  if (instrument) return { instrument: Number(instrument[1]) };
  if (/^[A-Za-z0-9_]{1,24}$/.test(t)) return { search: t.toUpperCase() };
  return 'invalid';
}

/** The span a brush from time `a` to time `b` (ms, either order) covers, to the second. */
export function brushSpan(a: number, b: number): TimeSpan {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return { from: Math.floor(lo / 1000) * 1000, to: Math.floor(hi / 1000) * 1000 };
}

/** What `bins:list` gets for a span: `from` inclusive, `to` exclusive (the end of the last second shown). */
export function spanFilter(span: TimeSpan): Pick<BinsFilter, 'from' | 'to'> {
  const f: Pick<BinsFilter, 'from' | 'to'> = {};
  if (span.from !== null) f.from = span.from;
  if (span.to !== null) f.to = span.to + 1000;
  return f;
}

/** `2023-08-10 11:30:59` (UTC) for a time field; '' when open. */
export function toDateTimeField(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The second a time field means (UTC): `2023-08-10 11:30:59`, `…T11:30:59`, `2023-08-10 11:30` (0 s), or a
 * day alone, which starts the span at its first second (`from`) or ends it at its last (`to`). null when
 * empty or not a valid time.
 */
export function fromDateTimeField(value: string, end: 'from' | 'to' = 'from'): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dayOnly = m[4] === undefined;
  const [h, mi, sec] = dayOnly ? (end === 'to' ? [23, 59, 59] : [0, 0, 0]) : [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  // Date.UTC rolls 2023-02-30 over into March: a value that does not come back the same is not a date.
  const back = new Date(ms);
  const same = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === sec;
  return same ? ms : null;
}
