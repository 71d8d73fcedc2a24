/**
 * Navigation decisions for the window (security checklist items 13–14): the page may only ever be our own
 * origin; every other navigation is cancelled and new windows are denied. External links (documentation) leave
 * through an https allow-list only.
 */

/** The custom scheme and host the renderer is served from. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ifcb';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Hosts whose https pages may be opened in the user's browser (never a renderer-supplied arbitrary URL). */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'ifcb-data.whoi.edu', 'mclanelabs.com'];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True when `url` is a page of our own app origin (the only place the window may be). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/** `will-navigate`: allow only in-app navigations (e.g. a reload); everything else is cancelled. */
export function shouldAllowNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** `setWindowOpenHandler`: never a new window; an allow-listed https link may go to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  const u = parse(url);
  const external = u !== null && u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && EXTERNAL_HOSTS.includes(u.hostname);
  return { action: 'deny', openExternally: external ? u.href : null };
}

/** IPC sender check (item 17): the sending frame must be our window's main frame showing our origin. */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean; isOurWindow: boolean } | null): boolean {
  return frame !== null && frame.isMainFrame && frame.isOurWindow && isAppUrl(frame.url);
}

/**
 * Map an `app://ifcb/<path>` request to a path relative to the renderer build, or null when it is not ours
 * (other host, credentials, a query does not matter). Containment against the folder happens in static-files.ts.
 */
export function appRequestPath(url: string): string | null {
  const u = parse(url);
  if (u === null || !isAppUrl(url)) return null;
  return u.pathname.replace(/^\/+/, '');
}
