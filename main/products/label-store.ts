/**
 * Labels in the library database (migration 5), never beside the raw files. Every change is logged as data:
 * one `label_changes` row per user action with one `label_events` row per ROI holding the state before it, so
 * undo/redo restore exactly what was there (and survive a restart). A new change discards the redo stack.
 */
import { userInfo } from 'node:os';
import type { Database } from 'better-sqlite3';
import { IfcbError } from '../../shared/errors.ts';

export interface StoredLabel {
  binId: string;
  roi: number;
  /** null: explicitly cleared ("not reviewed"). */
  label: string | null;
  annotator: string;
  atMs: number;
}

/** ROIs of one bin, targets ascending. */
export interface BinTargets {
  binId: string;
  targets: number[];
}

export interface LabelChange {
  id: number;
  kind: 'set' | 'import' | 'confirm';
  /** By bin (in bin id order). */
  rois: BinTargets[];
  /** The label a set gave every ROI (null: cleared); null for an import (each ROI has its own). */
  label: string | null;
}

export interface ChangeOptions {
  annotator: string;
  atMs?: number;
  kind?: 'set' | 'import' | 'confirm';
  source?: string;
}

interface EventRow {
  bin_id: string;
  roi: number;
  label: string | null;
  had_before: number;
  label_before: string | null;
  annotator_before: string | null;
  at_ms_before: number | null;
  /** Who/when the change gave this ROI its label (migration 7; NULL in older rows: the change's). */
  annotator: string | null;
  at_ms: number | null;
}

/** Who is labelling: the OS account name ('unknown' where the OS has none for this process). */
export function currentAnnotator(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    // no passwd entry (some containers): still record the label
    return 'unknown';
  }
}

export class LabelStore {
  constructor(readonly db: Database) {}

  /**
   * Give every (binId, target) of `entries` its label as one undoable change. Returns the change, or null when
   * `entries` is empty. An entry's own `annotator`/`atMs` (an imported file's who/when) overrides the change's,
   * and a redo gives it back.
   */
  apply(entries: readonly { binId: string; roi: number; label: string | null; annotator?: string; atMs?: number }[], options: ChangeOptions): number | null {
    // one event per ROI: a ROI listed twice keeps its last label and its true state before the change
    const unique = new Map(entries.map((e) => [`${e.binId}\u0000${e.roi}`, e]));
    if (unique.size === 0) return null;
    const at = options.atMs ?? Date.now();
    const db = this.db;
    const current = db.prepare('SELECT label, annotator, at_ms FROM labels WHERE bin_id = ? AND roi = ?');
    const event = db.prepare(
      'INSERT OR REPLACE INTO label_events (change_id, bin_id, roi, label, had_before, label_before, annotator_before, at_ms_before, annotator, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const upsert = db.prepare('INSERT INTO labels VALUES (?, ?, ?, ?, ?) ON CONFLICT (bin_id, roi) DO UPDATE SET label = excluded.label, annotator = excluded.annotator, at_ms = excluded.at_ms');
    return db.transaction(() => {
      // a new action makes the undone ones unreachable
      db.prepare('DELETE FROM label_changes WHERE undone = 1').run();
      const changeId = Number(
        db.prepare('INSERT INTO label_changes (kind, annotator, at_ms, source) VALUES (?, ?, ?, ?)').run(options.kind ?? 'set', options.annotator, at, options.source ?? null).lastInsertRowid,
      );
      for (const e of unique.values()) {
        const before = current.get(e.binId, e.roi) as { label: string | null; annotator: string; at_ms: number } | undefined;
        const annotator = e.annotator ?? options.annotator;
        const atMs = e.atMs ?? at;
        event.run(changeId, e.binId, e.roi, e.label, before ? 1 : 0, before?.label ?? null, before?.annotator ?? null, before?.at_ms ?? null, annotator, atMs);
        upsert.run(e.binId, e.roi, e.label, annotator, atMs);
      }
      return changeId;
    }).immediate();
  }

  /** `labels:set`: one label for many ROIs (of one or several bins), as one undoable change. */
  set(rois: readonly BinTargets[], label: string | null, options: ChangeOptions): LabelChange {
    const id = this.apply(
      rois.flatMap(({ binId, targets }) => targets.map((roi) => ({ binId, roi, label }))),
      options,
    );
    if (id === null) throw new IfcbError('INVALID_ARGUMENT', 'No ROIs to label.');
    return this.describe(id, options.kind ?? 'set');
  }

  /** A change as the renderer is told of it. */
  change(changeId: number): LabelChange {
    const row = this.db.prepare('SELECT kind FROM label_changes WHERE change_id = ?').get(changeId) as { kind: string } | undefined;
    if (!row) throw new IfcbError('INVALID_ARGUMENT', `There is no label change ${changeId}.`);
    return this.describe(changeId, row.kind);
  }

  private describe(changeId: number, kind: string): LabelChange {
    const events = this.db.prepare('SELECT bin_id, roi, label FROM label_events WHERE change_id = ? ORDER BY bin_id, roi').all(changeId) as { bin_id: string; roi: number; label: string | null }[];
    const rois: BinTargets[] = [];
    for (const e of events) {
      const last = rois[rois.length - 1];
      if (last?.binId === e.bin_id) last.targets.push(e.roi);
      else rois.push({ binId: e.bin_id, targets: [e.roi] });
    }
    // a set gives every ROI one label; an import or a confirm gives each its own (reported as null)
    if (kind === 'import' || kind === 'confirm') return { id: changeId, kind, rois, label: null };
    return { id: changeId, kind: 'set', rois, label: events[0]?.label ?? null };
  }

  /** Undo the latest change still applied; null when there is none. */
  undo(): LabelChange | null {
    const db = this.db;
    return db.transaction(() => {
      const change = db.prepare('SELECT change_id, kind FROM label_changes WHERE undone = 0 ORDER BY change_id DESC LIMIT 1').get() as { change_id: number; kind: string } | undefined;
      if (!change) return null;
      const events = db.prepare('SELECT * FROM label_events WHERE change_id = ?').all(change.change_id) as EventRow[];
      const restore = db.prepare('UPDATE labels SET label = ?, annotator = ?, at_ms = ? WHERE bin_id = ? AND roi = ?');
      const remove = db.prepare('DELETE FROM labels WHERE bin_id = ? AND roi = ?');
      for (const e of events) {
        if (e.had_before) restore.run(e.label_before, e.annotator_before, e.at_ms_before, e.bin_id, e.roi);
        else remove.run(e.bin_id, e.roi);
      }
      db.prepare('UPDATE label_changes SET undone = 1 WHERE change_id = ?').run(change.change_id);
      return this.describe(change.change_id, change.kind);
    }).immediate();
  }

  /** Redo the change undone last; null when there is none. */
  redo(): LabelChange | null {
    const db = this.db;
    return db.transaction(() => {
      const change = db.prepare('SELECT change_id, kind, annotator, at_ms FROM label_changes WHERE undone = 1 ORDER BY change_id ASC LIMIT 1').get() as
        | { change_id: number; kind: string; annotator: string; at_ms: number }
        | undefined;
      if (!change) return null;
      const upsert = db.prepare('INSERT INTO labels VALUES (?, ?, ?, ?, ?) ON CONFLICT (bin_id, roi) DO UPDATE SET label = excluded.label, annotator = excluded.annotator, at_ms = excluded.at_ms');
      for (const e of db.prepare('SELECT bin_id, roi, label, annotator, at_ms FROM label_events WHERE change_id = ?').all(change.change_id) as EventRow[]) {
        upsert.run(e.bin_id, e.roi, e.label, e.annotator ?? change.annotator, e.at_ms ?? change.at_ms);
      }
      db.prepare('UPDATE label_changes SET undone = 0 WHERE change_id = ?').run(change.change_id);
      return this.describe(change.change_id, change.kind);
    }).immediate();
  }

  canUndo(): boolean {
    return this.db.prepare('SELECT 1 FROM label_changes WHERE undone = 0 LIMIT 1').get() !== undefined;
  }

  canRedo(): boolean {
    return this.db.prepare('SELECT 1 FROM label_changes WHERE undone = 1 LIMIT 1').get() !== undefined;
  }

  /** A bin's stored labels with who/when, by ROI (for the EcoTaxa annotation columns). */
  storedOf(binId: string): StoredLabel[] {
    const rows = this.db.prepare('SELECT roi, label, annotator, at_ms FROM labels WHERE bin_id = ? ORDER BY roi').all(binId) as { roi: number; label: string | null; annotator: string; at_ms: number }[];
    return rows.map((r) => ({ binId, roi: r.roi, label: r.label, annotator: r.annotator, atMs: r.at_ms }));
  }

  /** One ROI's stored label with who/when, undefined when the library holds none for it. */
  storedAt(binId: string, roi: number): StoredLabel | undefined {
    const r = this.db.prepare('SELECT label, annotator, at_ms FROM labels WHERE bin_id = ? AND roi = ?').get(binId, roi) as { label: string | null; annotator: string; at_ms: number } | undefined;
    return r && { binId, roi, label: r.label, annotator: r.annotator, atMs: r.at_ms };
  }

  /** A bin's library labels by ROI (null = cleared). */
  labelsOf(binId: string): Map<number, string | null> {
    const rows = this.db.prepare('SELECT roi, label FROM labels WHERE bin_id = ?').all(binId) as { roi: number; label: string | null }[];
    return new Map(rows.map((r) => [r.roi, r.label]));
  }

  /** Every stored label (cleared ones included), by bin then ROI; `binIds` narrows to those bins. */
  all(binIds?: (binId: string) => boolean): StoredLabel[] {
    const rows = this.db.prepare('SELECT bin_id, roi, label, annotator, at_ms FROM labels ORDER BY bin_id, roi').all() as { bin_id: string; roi: number; label: string | null; annotator: string; at_ms: number }[];
    return rows.filter((r) => binIds === undefined || binIds(r.bin_id)).map((r) => ({ binId: r.bin_id, roi: r.roi, label: r.label, annotator: r.annotator, atMs: r.at_ms }));
  }

  /** Class names with how many ROIs carry them, plus every name of the stored class lists (count 0). */
  classes(): { name: string; labelled: number }[] {
    const counts = new Map<string, number>();
    for (const list of this.db.prepare('SELECT classes FROM class_lists').all() as { classes: string }[]) {
      for (const name of JSON.parse(list.classes) as string[]) counts.set(name, 0);
    }
    for (const r of this.db.prepare('SELECT label, count(*) AS n FROM labels WHERE label IS NOT NULL GROUP BY label').all() as { label: string; n: number }[]) counts.set(r.label, r.n);
    return [...counts].map(([name, labelled]) => ({ name, labelled })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Keep a class2use list (a manual file's, by bin id; or a class2use file's, by its name). */
  saveClassList(name: string, classes: readonly string[], source: string, atMs = Date.now()): void {
    this.db.prepare('INSERT OR REPLACE INTO class_lists VALUES (?, ?, ?, ?)').run(name, JSON.stringify(classes), source, atMs);
  }

  classList(name: string): string[] | null {
    const row = this.db.prepare('SELECT classes FROM class_lists WHERE name = ?').get(name) as { classes: string } | undefined;
    return row ? (JSON.parse(row.classes) as string[]) : null;
  }
}
