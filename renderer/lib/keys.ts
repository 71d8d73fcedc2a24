/** Keyboard helpers shared by the app's shortcut handlers. */

/** True when a key event belongs to a text field (shortcuts must not steal its keys). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'range', 'button', 'submit', 'reset', 'color', 'file', 'image'].includes(target.type);
  }
  return false;
}

/** Keys a slider moves its value with. */
const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
/** Keys that press a button, follow a link or toggle a checkbox. */
const ACTIVATE_KEYS = new Set(['Enter', ' ']);

/** Buttons, links, check boxes and the like: Enter/Space activate them natively. */
function isActivatable(el: HTMLElement): boolean {
  if (el instanceof HTMLButtonElement || el.tagName === 'SUMMARY') return true;
  if (el instanceof HTMLAnchorElement) return el.hasAttribute('href');
  if (el instanceof HTMLInputElement) return ['checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file', 'image'].includes(el.type);
  const role = el.getAttribute('role');
  return role === 'button' || role === 'link' || role === 'checkbox' || role === 'radio' || role === 'switch' || role === 'menuitem' || role === 'tab' || role === 'option';
}

/** Sliders and splitters: the arrows, Home/End and PageUp/PageDown change their value. */
function isSlider(el: HTMLElement): boolean {
  if (el instanceof HTMLInputElement) return el.type === 'range';
  const role = el.getAttribute('role');
  return role === 'slider' || role === 'separator' || role === 'spinbutton' || role === 'scrollbar';
}

/**
 * True when the focused control handles this key itself, so a page-wide shortcut must leave it alone:
 * every key of a text field (Ctrl+A selects its text), the arrows/Home/End/PageUp/PageDown of a slider
 * or splitter, Enter/Space of a button, link, check box or select.
 */
export function controlOwnsKey(event: Pick<KeyboardEvent, 'key' | 'target'>): boolean {
  const el = event.target;
  if (!(el instanceof HTMLElement)) return false;
  if (isTypingTarget(el)) return true;
  if (SLIDER_KEYS.has(event.key) && isSlider(el)) return true;
  if (ACTIVATE_KEYS.has(event.key) && isActivatable(el)) return true;
  // Radio groups move their checked item with the arrows.
  return SLIDER_KEYS.has(event.key) && el instanceof HTMLInputElement && el.type === 'radio';
}

/** Zoom steps for + / −, and the slider's range. */
export const ZOOM_STEPS = [0.1, 0.15, 0.25, 0.33, 0.5, 0.67, 0.75, 1, 1.25, 1.5, 2, 3, 4];
export const MIN_ZOOM = ZOOM_STEPS[0]!;
export const MAX_ZOOM = ZOOM_STEPS[ZOOM_STEPS.length - 1]!;

/** The next zoom step up or down from `zoom`. */
export function stepZoom(zoom: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((z) => z > zoom + 1e-9) ?? MAX_ZOOM;
  return [...ZOOM_STEPS].reverse().find((z) => z < zoom - 1e-9) ?? MIN_ZOOM;
}
