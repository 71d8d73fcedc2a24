/**
 * Harness page for test/browser/library-selection.test.ts: the real Library pane over the real bridge client,
 * with what it asks of the app (open a bin, show several bins as one mosaic) recorded on `window`.
 * The test bundles this with esbuild and serves it on the bridge's origin.
 */
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createIfcbApi, type AppInfo } from '../../shared/ipc/contract.ts';
import { createHttpTransport, locateBridge } from '../../renderer/api/index.ts';
import { Library, type RangeRequest } from '../../renderer/components/library.tsx';

declare global {
  interface Window {
    openedBins: string[];
    openedRanges: RangeRequest[];
  }
}

const bridge = locateBridge(window.location, document)!;
const api = createIfcbApi(createHttpTransport(bridge));
window.openedBins = [];
window.openedRanges = [];

function Harness() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [active, setActive] = useState<string | null>(null);
  useEffect(() => {
    void api.getAppInfo().then((r) => r.ok && setInfo(r.value));
  }, []);
  return (
    <div className="app" style={{ height: '100vh', display: 'grid' }}>
      <Library
        api={api}
        info={info}
        activeBinId={active}
        onOpenBin={(id) => {
          window.openedBins.push(id);
          setActive(id);
        }}
        onOpenFile={() => undefined}
        onAddFolder={() => undefined}
        catalogueVersion={0}
        jobs={[]}
        openBins={[]}
        onOpenRange={(range) => window.openedRanges.push(range)}
      />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Harness />);
