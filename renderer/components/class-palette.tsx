/**
 * The annotation palette, a strip above the mosaic: the first nine classes with their number keys, type-to-search
 * (`/`) over every class, "confirm the classifier" (`K`), "not reviewed" (⌫), undo/redo, and an editor for the
 * palette's order (drag or up/down, remembered) and for new classes. Without a library it says that labels need one.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { NUMBERED_CLASSES, searchClasses, validClassName } from '../lib/annotation.ts';
import type { AnnotationControl } from '../hooks/use-annotation.ts';
import { count } from '../lib/format.ts';

function scopeText(n: number): string {
  return n === 0 ? 'nothing selected' : `${count(n)} ${n === 1 ? 'image' : 'images'}`;
}

export function ClassPalette({ control }: { control: AnnotationControl }) {
  const [editing, setEditing] = useState(false);
  const { palette, canLabel, scope } = control;
  const numbered = palette.slice(0, NUMBERED_CLASSES);
  return (
    <div className="class-palette" role="toolbar" aria-label="Annotation palette" data-can-label={canLabel ? 'true' : 'false'}>
      <span className="palette-scope muted" data-testid="palette-scope" title="What a key press labels: the selection, else the focus tile">
        {scopeText(scope)}
      </span>
      <div className="palette-classes">
        {!canLabel ? (
          <span className="palette-no-library" role="note">
            No library in this session: labels cannot be stored.
          </span>
        ) : (
          numbered.length === 0 && <span className="muted">No classes yet: press / and type one.</span>
        )}
        {numbered.map((name, i) => (
          <button key={name} type="button" className="palette-class" data-class={name} title={`Label ${scopeText(scope)} “${name}” (${i + 1})`} onClick={() => control.assign(name)}>
            <kbd>{i + 1}</kbd>
            <span className="palette-class-name">{name}</span>
          </button>
        ))}
      </div>
      <div className="palette-actions">
        <button type="button" className="btn btn-small" title="Find any class by typing (/)" onClick={() => control.setSearchOpen(true)}>
          <kbd>/</kbd> {palette.length > NUMBERED_CLASSES ? `${count(palette.length - NUMBERED_CLASSES)} more` : 'Find'}
        </button>
        <button type="button" className="btn btn-small" title="Label each image with the classifier's class above threshold (K)" onClick={control.confirm}>
          <kbd>K</kbd> Confirm
        </button>
        <button type="button" className="btn btn-small" aria-label="Clear the label" title="Clear the label: not reviewed (Backspace / Delete)" onClick={() => control.assign(null)}>
          <kbd>⌫</kbd>
        </button>
        <button type="button" className="btn-icon" aria-label="Undo the last label change" title="Undo (Ctrl/⌘+Z)" disabled={!control.canUndo} onClick={control.undo}>
          ↶
        </button>
        <button type="button" className="btn-icon" aria-label="Redo" title="Redo (Ctrl/⌘+Shift+Z, Ctrl+Y)" disabled={!control.canRedo} onClick={control.redo}>
          ↷
        </button>
        <button type="button" className="btn btn-small" aria-expanded={editing} title="Order the palette, add classes" onClick={() => setEditing((e) => !e)}>
          Edit
        </button>
      </div>
      {editing && <PaletteEditor control={control} onClose={() => setEditing(false)} />}
      {control.searchOpen && <ClassSearch control={control} />}
    </div>
  );
}

/** What a dragged palette row carries (its class name). */
const DRAG_TYPE = 'application/x-ifcb-class';

/** The whole palette in order, each class movable by dragging or up/down (the first nine get the number keys), and a field for a new class. */
function PaletteEditor({ control, onClose }: { control: AnnotationControl; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  // the row a dragged class would land on
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const add = () => {
    const name = control.addClass(typed);
    if (name === null) return setProblem('A class name needs a visible character and at most 200 characters, without line breaks.');
    setProblem(null);
    setTyped('');
  };
  return (
    <div
      className="palette-editor"
      role="dialog"
      aria-label="Palette order"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <form
        className="palette-new"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <input type="text" aria-label="New class" placeholder="New class…" value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit" className="btn btn-small" disabled={typed.trim() === ''}>
          Add
        </button>
      </form>
      {problem && <p className="palette-problem">{problem}</p>}
      <ol className="palette-order">
        {control.palette.map((name, i) => (
          <li
            key={name}
            data-class={name}
            draggable
            className={dropAt === i ? 'is-drop-target' : undefined}
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_TYPE, name);
              e.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={(e) => {
              if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
              e.preventDefault();
              setDropAt(i);
            }}
            onDragLeave={() => setDropAt((at) => (at === i ? null : at))}
            onDrop={(e) => {
              e.preventDefault();
              setDropAt(null);
              const dragged = e.dataTransfer.getData(DRAG_TYPE);
              const from = control.palette.indexOf(dragged);
              if (from >= 0) control.move(dragged, i - from);
            }}
          >
            <span className="palette-order-key num">{i < NUMBERED_CLASSES ? i + 1 : ''}</span>
            <span className="palette-order-name" title={name}>
              {name}
            </span>
            <button type="button" className="btn-icon" aria-label={`Move ${name} up`} disabled={i === 0} onClick={() => control.move(name, -1)}>
              ↑
            </button>
            <button type="button" className="btn-icon" aria-label={`Move ${name} down`} disabled={i === control.palette.length - 1} onClick={() => control.move(name, 1)}>
              ↓
            </button>
          </li>
        ))}
      </ol>
      <div className="palette-editor-foot">
        <button type="button" className="btn btn-small" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

type SearchOption = { kind: 'class'; name: string } | { kind: 'new'; name: string };

/** `/`: type to find a class (arrows to choose, Enter to label, Esc to close); a name not there can be made. */
function ClassSearch({ control }: { control: AnnotationControl }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  const options = useMemo((): SearchOption[] => {
    const found: SearchOption[] = searchClasses(query, control.palette).map((name) => ({ kind: 'class', name }));
    const typed = validClassName(query);
    if (typed !== null && !control.palette.includes(typed)) found.push({ kind: 'new', name: typed });
    return found;
  }, [query, control.palette]);
  const chosen = Math.min(active, options.length - 1);
  // the chosen class stays in sight in the list (only the list scrolls, never the window)
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const list = listRef.current;
    const item = list?.children[chosen] as HTMLElement | undefined;
    if (!list || !item) return;
    if (item.offsetTop < list.scrollTop) list.scrollTop = item.offsetTop;
    else if (item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = item.offsetTop + item.offsetHeight - list.clientHeight;
  }, [chosen]);
  const close = () => {
    control.setSearchOpen(false);
    document.querySelector<HTMLElement>('.mosaic-scroll')?.focus({ preventScroll: true });
  };
  const pick = (option: SearchOption | undefined) => {
    if (!option) return;
    if (option.kind === 'new') control.addClass(option.name);
    close();
    control.assign(option.name);
  };
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive(Math.min(options.length - 1, chosen + 1));
    else if (e.key === 'ArrowUp') setActive(Math.max(0, chosen - 1));
    else if (e.key === 'Enter') pick(options[chosen]);
    else if (e.key === 'Escape') close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div className="class-search" role="dialog" aria-label="Find a class">
      <input
        ref={inputRef}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="class-search-list"
        aria-activedescendant={chosen >= 0 ? `class-option-${chosen}` : undefined}
        placeholder={`Label ${scopeText(control.scope)} as…`}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={(e) => {
          // a click on an option keeps it open until the click lands
          if (!e.currentTarget.parentElement?.contains(e.relatedTarget as Node | null)) close();
        }}
      />
      <ul ref={listRef} id="class-search-list" role="listbox" className="class-search-list">
        {options.length === 0 && <li className="muted">No class matches.</li>}
        {options.map((option, i) => (
          <li
            key={`${option.kind}:${option.name}`}
            id={`class-option-${i}`}
            role="option"
            aria-selected={i === chosen}
            data-class={option.name}
            tabIndex={-1}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(option)}
          >
            {option.kind === 'new' ? (
              <>
                New class “<strong>{option.name}</strong>”
              </>
            ) : (
              option.name
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
