/**
 * Electron IPC → the router. One `ipcMain.handle` per contract channel; each call first checks that the sender
 * is our window's main frame showing our origin (checklist 17), then dispatches. Events go to the window through
 * the one push channel. Returns a disposable that removes every handler.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, EVENT_CHANNEL } from '../../shared/ipc/contract.ts';
import { err } from '../../shared/ipc/result.ts';
import type { EventHub } from '../ipc/events.ts';
import type { Router } from '../ipc/router.ts';
import { isTrustedSender } from '../shell/navigation.ts';

function senderInfo(event: IpcMainInvokeEvent, win: BrowserWindow | null): { url: string; isMainFrame: boolean; isOurWindow: boolean } | null {
  const frame = event.senderFrame;
  if (!frame || !win || win.isDestroyed()) return null;
  return { url: frame.url, isMainFrame: frame === win.webContents.mainFrame, isOurWindow: event.sender === win.webContents };
}

/** Route every channel; forward events to the window. */
export function registerIpc(router: Router, events: EventHub, getWindow: () => BrowserWindow | null): Disposable {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, args: unknown) => {
      if (!isTrustedSender(senderInfo(event, getWindow()))) {
        console.error(`[ifcb] refused ${channel} from an untrusted frame: ${event.senderFrame?.url ?? '(gone)'}`);
        return err('INVALID_ARGUMENT', 'Request from an untrusted frame.');
      }
      return router.dispatch(channel, args);
    });
  }
  const subscription = events.subscribe((event) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  });
  return {
    [Symbol.dispose]() {
      for (const channel of CHANNELS) ipcMain.removeHandler(channel);
      subscription();
    },
  };
}
