/** Entry point: mount the app under an error boundary, so a bug shows a message, never a white screen. */
import { Component, StrictMode } from 'react';
import type { ErrorInfo as ReactErrorInfo, ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { getIfcbApi } from './api/index.ts';
import type { IfcbApi } from './api/index.ts';
import { App } from './app.tsx';
import { StatePanel } from './components/error-state.tsx';

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ReactErrorInfo) {
    console.error('IFCB Viewer crashed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="fatal">
        <StatePanel
          tone="error"
          title="Something went wrong in the viewer"
          code="INTERNAL"
          actions={
            <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
              Reload the window
            </button>
          }
        >
          <p>{this.state.error.message}</p>
          <p className="muted">Your files were not changed. Reloading reopens the viewer; please report the code below.</p>
        </StatePanel>
      </div>
    );
  }
}

const rootElement = document.getElementById('root')!;
let api: IfcbApi | null = null;
let failure: string | null = null;
try {
  api = getIfcbApi();
} catch (e) {
  failure = e instanceof Error ? e.message : String(e);
}

createRoot(rootElement).render(
  <StrictMode>
    <ErrorBoundary>
      {api ? (
        <App api={api} />
      ) : (
        <div className="fatal">
          <StatePanel tone="error" title="The viewer cannot reach its data" code="INTERNAL">
            <p>{failure}</p>
          </StatePanel>
        </div>
      )}
    </ErrorBoundary>
  </StrictMode>,
);
