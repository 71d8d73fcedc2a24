/** The application menu: File (open, add folder, recent, export, labels), Edit, View, Window. Rebuilt when Open Recent changes. */
import { Menu, app, dialog, type MenuItemConstructorOptions } from 'electron';
import { isIfcbError } from '../../shared/errors.ts';
import type { IfcbEvent } from '../../shared/ipc/contract.ts';
import type { AppCore } from '../app/composition.ts';
import { addRootAt } from '../ipc/handlers/roots.ts';
import type { DialogPort } from '../ipc/ports.ts';
import type { LaunchPlatform } from '../shell/launch-args.ts';
import type { OsOpens } from './os-open.ts';

type MenuCommand = Extract<IfcbEvent, { type: 'menu-command' }>['command'];

export function setupMenu(options: { platform: LaunchPlatform; core: AppCore; dialogs: DialogPort; opens: OsOpens }): () => void {
  const { platform, core, dialogs, opens } = options;
  const ctx = core.ctx;
  // the page owns these (its dialogs, its selection): the menu only asks
  const emit = (command: MenuCommand) => ctx.events.emit({ type: 'menu-command', command });
  const addFolder = async () => {
    const p = await dialogs.addFolder();
    if (!p) return;
    try {
      await addRootAt(ctx, p);
      emit('show-library');
    } catch (e) {
      void dialog.showMessageBox({ type: 'error', message: 'Cannot add the folder', detail: isIfcbError(e) ? e.message : String(e) });
    }
  };
  const build = () => {
    const recentItems: MenuItemConstructorOptions[] = opens.recent.length ? opens.recent.map((p) => ({ label: p, click: () => opens.open(p) })) : [{ label: 'No recent bins', enabled: false }];
    const template: MenuItemConstructorOptions[] = [
      ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'Open Bin…', accelerator: 'CmdOrCtrl+O', click: () => void dialogs.openBin().then((p) => p && opens.open(p)) },
          { label: 'Add Folder to Library…', accelerator: 'CmdOrCtrl+Shift+O', enabled: ctx.catalogue !== undefined, click: () => void addFolder() },
          { label: 'Open Recent', submenu: recentItems },
          { type: 'separator' },
          { label: 'Export Selection…', accelerator: 'CmdOrCtrl+E', click: () => emit('export-selection') },
          { type: 'separator' },
          { label: 'Import Labels…', enabled: ctx.catalogue !== undefined, click: () => emit('import-labels') },
          { label: 'Export Labels…', enabled: ctx.catalogue !== undefined, click: () => emit('export-labels') },
          { type: 'separator' },
          platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      {
        label: 'View',
        submenu: [
          { label: 'Library', accelerator: 'CmdOrCtrl+L', click: () => emit('show-library') },
          { type: 'separator' },
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { role: 'togglefullscreen' },
          ...(app.isPackaged ? [] : [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
        ],
      },
      { role: 'windowMenu' },
    ];
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  build();
  return build;
}
