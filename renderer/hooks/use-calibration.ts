/**
 * Each instrument's calibration (camera pixels per micrometre), as main holds it: read through
 * `calibration:get`, changed through `calibration:set`, re-read when the library (where it is stored) changes.
 * Every µm value on screen (inspector, size filter, scale bar) uses it, as export and the CLI do.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';
import type { Calibrations, IfcbApi } from '../../shared/ipc/contract.ts';

/** Pixels per micrometre by instrument number (as a string key); instruments not listed use the default. */
export type CalibrationTable = Readonly<Record<string, number>>;

/** Where this page kept calibrations before main owned them; handed over once, then removed. */
const LEGACY_KEY = 'ifcb-viewer:px-per-um';

function toTable(c: Calibrations): CalibrationTable {
  return Object.fromEntries(c.instruments.map((i) => [String(i.instrument), i.pxPerUm]));
}

function takeLegacy(): [number, number][] {
  try {
    const raw = window.localStorage.getItem(LEGACY_KEY);
    window.localStorage.removeItem(LEGACY_KEY);
    const parsed: unknown = raw === null ? null : JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return [];
    return Object.entries(parsed).flatMap(([k, v]): [number, number][] => (/^\d{1,3}$/.test(k) && typeof v === 'number' ? [[Number(k), v]] : []));
  } catch {
    return [];
  }
}

/** The calibration table and a setter; failures (e.g. DB_LOCKED) go to `onError` and the table shows what main holds. */
export function useCalibration(api: IfcbApi, onError: (error: ErrorInfo) => void): [CalibrationTable, (instrument: number, pxPerUm: number) => void] {
  const [table, setTable] = useState<CalibrationTable>({});

  const refresh = useCallback(async () => {
    const r = await api.getCalibrations();
    if (r.ok) setTable(toTable(r.value));
  }, [api]);

  useEffect(() => {
    void (async () => {
      const current = await api.getCalibrations();
      if (!current.ok) return;
      const known = new Set(current.value.instruments.map((i) => i.instrument));
      for (const [instrument, pxPerUm] of takeLegacy()) if (!known.has(instrument)) await api.setCalibration({ instrument, pxPerUm });
      await refresh();
    })();
    return api.onEvent((event) => {
      if (event.type === 'catalogue-changed' && event.rootId === undefined) void refresh();
    });
  }, [api, refresh]);

  const set = useCallback(
    (instrument: number, pxPerUm: number) => {
      setTable((t) => ({ ...t, [String(instrument)]: pxPerUm }));
      void api.setCalibration({ instrument, pxPerUm }).then((r) => {
        if (r.ok) return setTable(toTable(r.value));
        onError(r.error);
        void refresh();
      });
    },
    [api, onError, refresh],
  );
  return [table, set];
}
