/**
 * Harness page for test/browser/export-dialog.test.ts: the real ExportDialog over the real bridge client.
 * The test bundles this with esbuild and serves it on the bridge's origin.
 */
import { createRoot } from 'react-dom/client';
import { createIfcbApi } from '../../shared/ipc/contract.ts';
import { createHttpTransport, locateBridge } from '../../renderer/api/index.ts';
import { ExportDialog, type ExportSelection } from '../../renderer/components/export-dialog.tsx';

declare global {
  interface Window {
    exportSelection: ExportSelection[];
    dialogLog: string[];
  }
}

const bridge = locateBridge(window.location, document)!;
const api = createIfcbApi(createHttpTransport(bridge));
window.dialogLog = [];
const root = createRoot(document.getElementById('root')!);
root.render(
  <ExportDialog
    api={api}
    selection={window.exportSelection}
    onClose={() => window.dialogLog.push('close')}
  />,
);
