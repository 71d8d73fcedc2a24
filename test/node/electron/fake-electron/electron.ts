/**
 * A stand-in for the `electron` module, just wide enough for main/electron/*: it records every call in `fake.log`,
 * lets a driver fire app and window events, and holds the IPC handlers and protocol handler the app registers.
 * Used by drive.ts (run in a child process) to start the real main/electron/app.ts where no Electron binary exists.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export interface FakeWebContents extends EventEmitter {
  mainFrame: { url: string };
  sent: unknown[];
}

export const fake = {
  log: [] as string[],
  ready: deferred<void>(),
  exited: deferred<number>(),
  ipc: new Map<string, Listener>(),
  windows: [] as FakeBrowserWindow[],
  paths: new Map<string, string>([['userData', '/nonexistent/fake-user-data']]),
  appEvents: new EventEmitter(),
  /** Answer of dialog.showMessageBoxSync (the library recovery question). */
  messageBoxAnswer: 0,
  /** What every window's executeJavaScript answers; set by the driver. */
  evaluate: (_script: string): unknown => null,
};

const record = (entry: string) => fake.log.push(entry);

export class FakeBrowserWindow extends EventEmitter {
  webContents: FakeWebContents;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    const contents = new EventEmitter() as FakeWebContents;
    contents.mainFrame = { url: 'app://ifcb/index.html' };
    contents.sent = [];
    Object.assign(contents, {
      send: (channel: string, payload: unknown) => contents.sent.push({ channel, payload }),
      setBackgroundThrottling: (on: boolean) => record(`webContents.setBackgroundThrottling(${on})`),
      isLoading: () => false,
      executeJavaScript: async (script: string) => fake.evaluate(script),
      capturePage: async () => ({ toPNG: () => Buffer.from('fake png') }),
    });
    this.webContents = contents;
    fake.windows.push(this);
    record(`new BrowserWindow(show=${String(options['show'])})`);
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return fake.windows.filter((w) => !w.destroyed);
  }
  loadURL(url: string): Promise<void> {
    record(`loadURL ${url}`);
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  getNormalBounds(): Record<string, number> {
    return { x: 0, y: 0, width: 800, height: 600 };
  }
  maximize(): void {}
  show(): void {
    record('window.show');
  }
  focus(): void {}
  restore(): void {}
  /** The user closes it. */
  close(): void {
    this.emit('close');
    this.destroyed = true;
    this.emit('closed');
  }
}
export const BrowserWindow = FakeBrowserWindow;

export const app = {
  isPackaged: false,
  getVersion: () => '0.1.0',
  getAppPath: () => '/nonexistent/app',
  getPath: (name: string) => fake.paths.get(name) ?? `/nonexistent/${name}`,
  setPath: (name: string, value: string) => {
    fake.paths.set(name, value);
    record(`app.setPath(${name})`);
  },
  setAppUserModelId: (id: string) => record(`app.setAppUserModelId(${id})`),
  requestSingleInstanceLock: () => true,
  whenReady: () => fake.ready.promise,
  on: (event: string, listener: Listener) => {
    record(`app.on(${event})`);
    fake.appEvents.on(event, listener);
    return app;
  },
  quit: () => {
    record('app.quit');
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    fake.appEvents.emit('will-quit', event);
    if (!event.defaultPrevented) fake.exited.resolve(0);
  },
  exit: (code = 0) => {
    record(`app.exit(${code})`);
    fake.exited.resolve(code);
  },
  addRecentDocument: (p: string) => record(`app.addRecentDocument ${p}`),
  commandLine: { appendSwitch: (name: string, value?: string) => record(`commandLine.appendSwitch(${name}${value === undefined ? '' : `=${value}`})`) },
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => record(`protocol.registerSchemesAsPrivileged(${schemes.map((s) => s.scheme).join()})`),
  handle: (scheme: string) => record(`protocol.handle(${scheme})`),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => record('session.setPermissionRequestHandler'),
    setPermissionCheckHandler: () => undefined,
    webRequest: { onHeadersReceived: () => undefined },
  },
};

export const ipcMain = {
  handle: (channel: string, listener: Listener) => fake.ipc.set(channel, listener),
  removeHandler: (channel: string) => fake.ipc.delete(channel),
};

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ template }),
  setApplicationMenu: () => record('Menu.setApplicationMenu'),
};

export const dialog = {
  showMessageBoxSync: (options: { message: string }) => {
    record(`dialog.showMessageBoxSync ${options.message}`);
    return fake.messageBoxAnswer;
  },
  showMessageBox: async (options: { message: string; detail?: string }) => {
    record(`dialog.showMessageBox ${options.message}: ${options.detail ?? ''}`);
    return { response: 0 };
  },
  showErrorBox: (title: string, content: string) => record(`dialog.showErrorBox ${content}`),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true }),
};

const display = (x: number, width: number) => ({ workArea: { x, y: 0, width, height: 1000 } });
export const screen = {
  // the secondary display first, as getAllDisplays() may list it
  getAllDisplays: () => [display(-1280, 1280), display(0, 1920)],
  getPrimaryDisplay: () => display(0, 1920),
};

export const shell = {
  showItemInFolder: (p: string) => record(`shell.showItemInFolder ${p}`),
  openExternal: async (url: string) => record(`shell.openExternal ${url}`),
};

export default { app, BrowserWindow, protocol, session, ipcMain, Menu, dialog, screen, shell };
