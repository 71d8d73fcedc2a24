/**
 * The "Open bins" group: every bin opened outside the library (launch paths, files the OS opened, the Open dialog,
 * drops) stays reachable, and one that could not be opened is listed with its error instead of vanishing. Pure.
 */
import type { BinSummary, OpenedBin } from '../../shared/ipc/contract.ts';

export type OpenBinEntry = { kind: 'opened'; bin: BinSummary } | { kind: 'failed'; name: string; error: { code: string; message: string } };

/** Add opened bins (a bin opened again moves to the end with its new summary). */
export function addOpenedBins(list: readonly OpenBinEntry[], opened: readonly OpenedBin[]): OpenBinEntry[] {
  const ids = new Set(opened.map((o) => o.bin.id));
  const kept = list.filter((e) => e.kind !== 'opened' || !ids.has(e.bin.id));
  return [...kept, ...opened.map((o): OpenBinEntry => ({ kind: 'opened', bin: o.bin }))];
}

/** Add files that could not be opened (the same name again replaces its entry). */
export function addFailedOpens(list: readonly OpenBinEntry[], failed: readonly { name: string; code: string; message: string }[]): OpenBinEntry[] {
  const names = new Set(failed.map((f) => f.name));
  const kept = list.filter((e) => e.kind !== 'failed' || !names.has(e.name));
  return [...kept, ...failed.map((f): OpenBinEntry => ({ kind: 'failed', name: f.name, error: { code: f.code, message: f.message } }))];
}
