/**
 * An AppImage is a single file nobody installs, so nothing registers its file types: the desktop entry and MIME
 * file inside it are only read by optional integration daemons. When run as an AppImage (`$APPIMAGE` set), the
 * app registers itself for the current user — a desktop entry pointing at the AppImage and the MIME globs for its
 * file types, under $XDG_DATA_HOME — as deb installs do system-wide. This decides the files; the Electron side
 * (main/electron/appimage-integration.ts) writes those that changed and refreshes the desktop's caches.
 */
import path from 'node:path';
import { DESKTOP_NAME, FILE_TYPES, PRODUCT_NAME } from './app-identity.ts';

export interface IntegrationFile {
  path: string;
  content: string;
}

/** Quote one argument for a desktop entry's Exec key (Desktop Entry spec: reserved characters, then string escapes). */
export function quoteExecArgument(arg: string): string {
  const quoted = `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  return quoted.replace(/\\/g, '\\\\');
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The files that register this AppImage for the user, or null when not running as an AppImage. */
export function appImageIntegration(env: { APPIMAGE?: string | undefined; XDG_DATA_HOME?: string | undefined; HOME?: string | undefined }): IntegrationFile[] | null {
  const appImage = env.APPIMAGE;
  if (!appImage || !path.posix.isAbsolute(appImage) || /[\n\r\0]/.test(appImage)) return null;
  const dataHome = env.XDG_DATA_HOME && path.posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : env.HOME ? path.posix.join(env.HOME, '.local', 'share') : null;
  if (dataHome === null) return null;
  const mime = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">',
    ...FILE_TYPES.flatMap((t) => [`  <mime-type type="${t.mimeType}">`, `    <comment>${xmlEscape(t.description)}</comment>`, `    <glob pattern="*.${t.ext}"/>`, '  </mime-type>']),
    '</mime-info>',
    '',
  ].join('\n');
  const desktop = [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${PRODUCT_NAME}`,
    `Exec=${quoteExecArgument(appImage)} %U`,
    `TryExec=${appImage.replace(/\\/g, '\\\\')}`,
    'Terminal=false',
    `StartupWMClass=${DESKTOP_NAME.replace(/\.desktop$/, '')}`,
    `MimeType=${FILE_TYPES.map((t) => `${t.mimeType};`).join('')}`,
    'Categories=Science;',
    '',
  ].join('\n');
  return [
    { path: path.posix.join(dataHome, 'mime', 'packages', `${DESKTOP_NAME.replace(/\.desktop$/, '')}.xml`), content: mime },
    { path: path.posix.join(dataHome, 'applications', DESKTOP_NAME), content: desktop },
  ];
}
