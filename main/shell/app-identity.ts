/**
 * Names the OS uses to tie windows, shortcuts and file associations to this app. Each must equal its twin in the
 * packaging (checked by test/node/electron/builder-config.test.ts): Windows groups taskbar windows under the
 * AppUserModelID NSIS gives the shortcut (electron-builder's `appId`); Linux matches windows to the desktop entry
 * by the app id/WM_CLASS Electron derives from package.json's `desktopName`; the file types are
 * electron-builder.yml's `fileAssociations` (used again when an AppImage registers itself, appimage-integration.ts).
 */
export const PRODUCT_NAME = 'IFCB Viewer';
export const APP_USER_MODEL_ID = 'org.ifcb.viewer';
export const DESKTOP_NAME = 'ifcb-viewer.desktop';

/** The file types the app opens on every OS (.hdr is left to other programs, except macOS's Alternate rank). */
export const FILE_TYPES = [
  { ext: 'adc', mimeType: 'application/x-ifcb-adc', description: 'Imaging FlowCytobot trigger data' },
  { ext: 'roi', mimeType: 'application/x-ifcb-roi', description: 'Imaging FlowCytobot region-of-interest images' },
] as const;
