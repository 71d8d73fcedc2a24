/**
 * The window and its guards (security checklist 1–15, 18): the renderer comes from the privileged `app://`
 * scheme with path containment and the CSP header; navigation, new windows, webviews and permission requests are
 * all refused. Every decision is a pure function in main/shell/ (tested under Node); this file only wires them.
 */
import fs from 'node:fs';
import { BrowserWindow, protocol, shell, type Rectangle, type Session, type WebContents, type WebPreferences } from 'electron';
import { contentSecurityPolicy, securityHeaders } from '../shell/csp.ts';
import { APP_ENTRY_URL, APP_SCHEME, appRequestPath, shouldAllowNavigation, windowOpenDecision } from '../shell/navigation.ts';
import { contentTypeFor, resolveStaticPath } from '../shell/static-files.ts';
import { secureWebPreferences } from '../shell/web-preferences.ts';

/** Must run before `app` is ready: `app://` behaves like https (standard, secure, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Serve dist/renderer on `app://ifcb/…` with containment and the CSP header. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const rel = appRequestPath(request.url);
    const file = rel === null ? null : resolveStaticPath(rendererDir, rel);
    if (file === null) return new Response('Not found', { status: 404, headers: securityHeaders() });
    const body = await fs.promises.readFile(file);
    return new Response(new Uint8Array(body), { status: 200, headers: { ...securityHeaders(), 'Content-Type': contentTypeFor(file) } });
  });
}

/** Deny every permission request and check (camera, notifications, …): the app needs none. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
}

/** Navigation / window-open / webview guards; app.ts attaches them to every web contents as it is created. */
export function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!shouldAllowNavigation(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!shouldAllowNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally !== null) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
}

export interface MainWindowOptions {
  preloadPath: string;
  bounds: Rectangle;
  maximized: boolean;
  title: string;
  /** Never shown (the smoke test); the page still renders and animates. */
  hidden?: boolean;
}

/** Create the main window and load the renderer from `app://`. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const webPreferences: WebPreferences = secureWebPreferences(options.preloadPath);
  const win = new BrowserWindow({
    ...options.bounds,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: options.title,
    backgroundColor: '#1e1e1e',
    webPreferences,
  });
  // guardContents is attached app-wide (app.ts `web-contents-created`), which covers this window too
  if (options.hidden) {
    // a hidden page is throttled like a background tab (no animation frames): keep it painting
    win.webContents.setBackgroundThrottling(false);
  } else {
    win.once('ready-to-show', () => {
      if (options.maximized) win.maximize();
      win.show();
    });
  }
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
