// The application menu: File (open, folder, recent, export, settings), Edit (undo/redo of
// corrections), View, Help (keyboard shortcuts, updates, about and licences). Commands go to the renderer as
// 'menu:command' events; Help's update and about items are the main process's own.
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../src-shared/contract.js';
import type { RecentEntry } from '../src-shared/settings-types.js';

export interface MenuActions {
  command(cmd: MenuCommand): void;
  openRecent(path: string): void;
  checkForUpdates(): void;
  about(): void;
}

export function buildMenu(
  win: BrowserWindow,
  recent: RecentEntry[],
  actions: MenuActions,
  dev: boolean,
): void {
  const mac = process.platform === 'darwin';
  const cmd = (c: MenuCommand) => () => actions.command(c);
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: cmd('open-files') },
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: cmd('open-folder') },
        {
          label: 'Open Recent',
          enabled: recent.length > 0,
          submenu: recent.map((r) => ({
            label: r.name,
            toolTip: r.path,
            click: () => actions.openRecent(r.path),
          })),
        },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: cmd('export') },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: cmd('settings') },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { label: 'Undo Correction', accelerator: 'CmdOrCtrl+Z', click: cmd('undo') },
        { label: 'Redo Correction', accelerator: 'CmdOrCtrl+Shift+Z', click: cmd('redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'togglefullscreen' },
        ...(dev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        // No accelerator: `?` is typed in the page (a menu accelerator would also fire inside text fields).
        { label: 'Keyboard Shortcuts', click: cmd('shortcuts') },
        { type: 'separator' },
        { label: 'Check for Updates…', click: () => actions.checkForUpdates() },
        { type: 'separator' },
        { label: 'About Checkbox Detector and Licences', click: () => actions.about() },
      ],
    },
  ];
  const menu = Menu.buildFromTemplate(template);
  if (mac) Menu.setApplicationMenu(menu);
  else win.setMenu(menu);
}
