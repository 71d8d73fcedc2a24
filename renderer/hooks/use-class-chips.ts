/**
 * What the tiles, the class panel and the filter show of the view's class tables: each class's chip colour (kept
 * for the session: a class is given its palette slot when its table first arrives), the chip of a tile, and the
 * classes a filter can pick.
 */
import { useMemo, useRef } from 'react';
import type { BinClasses } from '../../shared/ipc/contract.ts';
import type { TileChip } from '../components/mosaic.tsx';
import { assignSlots } from '../lib/class-colours.ts';
import { tileClassLabel } from '../lib/tile-label.ts';

export interface ClassChips {
  /** Palette slot by class name. */
  classSlots: ReadonlyMap<string, number>;
  /** A tile's chip (undefined while the labels are hidden). */
  classLabelOf: ((binId: string, target: number) => TileChip | null) | undefined;
  /** Every class of the tables, by name. */
  classOptions: readonly string[];
}

export function useClassChips(tables: ReadonlyMap<string, BinClasses>, labelsShown: boolean): ClassChips {
  const palette = useRef<ReadonlyMap<string, number>>(new Map());
  const classSlots = useMemo(() => {
    for (const table of tables.values()) palette.current = assignSlots(palette.current, table.classes);
    return palette.current;
  }, [tables]);
  const classLabelOf = useMemo(() => {
    if (!labelsShown) return undefined;
    return (binId: string, target: number): TileChip | null => {
      const table = tables.get(binId);
      const label = table ? tileClassLabel(table, target) : null;
      return label ? { ...label, slot: classSlots.get(label.name) ?? 0 } : null;
    };
  }, [labelsShown, tables, classSlots]);
  const classOptions = useMemo(() => [...new Set([...tables.values()].flatMap((t) => t.classes))].sort((a, b) => a.localeCompare(b, 'en')), [tables]);
  return { classSlots, classLabelOf, classOptions };
}
