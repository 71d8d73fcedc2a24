/**
 * Names the OS uses to tie windows, shortcuts and file associations to this app. Each must equal its twin in the
 * packaging (checked by test/node/electron/builder-config.test.ts): Windows groups taskbar windows under the
 * AppUserModelID NSIS gives the shortcut (electron-builder's `appId`); Linux matches windows to the desktop entry
 * by the app id/WM_CLASS Electron derives from package.json's `desktopName`.
 */
export const PRODUCT_NAME = 'IFCB Viewer';
export const APP_USER_MODEL_ID = 'org.ifcb.viewer';
export const DESKTOP_NAME = 'ifcb-viewer.desktop';
