/** Display formatting: units always shown, sensible precision. */

/** `n` to `digits` significant digits, no exponent for ordinary values; em dash for missing. */
export function sig(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(n)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return n.toFixed(Math.min(decimals, 12));
}

/** Full precision, as written (ADC fields in the inspector). */
export function full(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return String(n);
}

/**
 * A computed quantity (run/look time, ml analyzed) at 12 significant digits: full precision for the
 * inspector without the float noise of the arithmetic (11.620325999999977 → 11.620326).
 */
export function computed(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return String(Number(n.toPrecision(12)));
}

/** Thousands separators for counts. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `2013-05-26 09:52:07 UTC` from ISO. */
export function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

/** `09:52:07` from ISO. */
export function timeOfDay(iso: string): string {
  return iso.slice(11, 19);
}

/** `2013-05-26` from ISO. */
export function day(iso: string): string {
  return iso.slice(0, 10);
}

/** Human day heading: `Sun 26 May 2013`. */
export function dayHeading(iso: string): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Images per mL, or missing. */
export function concentration(images: number, mlAnalyzed: number | null): number | null {
  if (mlAnalyzed === null || !(mlAnalyzed > 0)) return null;
  return images / mlAnalyzed;
}

/** The catalogue's QC flag names in words a user reads. */
export const QC_LABELS: Record<string, { label: string; title: string; tone: 'warn' | 'bad' | 'info' }> = {
  noRoi: { label: 'no .roi', title: 'The .roi file is missing: images cannot be shown.', tone: 'bad' },
  empty: { label: 'empty', title: 'The .adc has no rows: no targets were recorded.', tone: 'info' },
  emptyHeader: { label: 'no header', title: 'The .hdr is empty or unreadable.', tone: 'warn' },
  runTimeMismatch: { label: 'ml mismatch', title: 'Header run time and ADC run time differ by more than 2 %: ml analyzed may be wrong.', tone: 'warn' },
  unreadable: { label: 'unreadable', title: 'The bin could not be parsed.', tone: 'bad' },
  partial: { label: 'partial', title: 'The .roi is shorter than the ADC says: still being written, or truncated.', tone: 'warn' },
};

/** A count with its noun, singular for one: `1 image`, `2 images`, `1,024 bins`. */
export function plural(n: number, noun: string): string {
  return `${count(n)} ${n === 1 ? noun : `${noun}s`}`;
}
