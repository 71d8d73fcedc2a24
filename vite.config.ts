// Builds the renderer (renderer/ → dist/renderer). Relative base so the page loads from the app's
// custom protocol and from the loopback bridge alike; nothing inline, so the strict CSP holds.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./renderer/', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer/', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  // the tile-sheet worker (renderer/lib/sheet-worker.ts) as an ES module file beside the page's chunks
  worker: { format: 'es' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome130',
    // A data: URL would need a CSP exception for scripts/fonts; keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { host: '127.0.0.1', strictPort: true },
});
