import { useStore } from 'zustand';
import type { ConnectionState } from '../../../shared/domain/environments';
import type { ShellStore } from '../state/shellStore';

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  'not-started': 'Not started',
  starting: 'Starting…',
  'signed-out': 'Signed out',
  'signing-in': 'Signing in…',
  'signed-in': 'Signed in',
  error: 'Connection error',
};

const TRANSPORT_LABEL = {
  connecting: 'Connecting…',
  connected: 'Services connected',
  disconnected: 'Services unreachable',
};

export function StatusBar({ store }: { store: ShellStore }) {
  const environments = useStore(store, (s) => s.environments);
  const transport = useStore(store, (s) => s.transport);
  const appInfo = useStore(store, (s) => s.appInfo);
  const active = environments?.environments.find((env) => env.id === environments.activeId);
  return (
    <footer className="status-bar" role="status" aria-label="Status">
      <span className="status-bar__item" aria-label="Active environment">
        {active ? (
          <>
            <span className={`tag tag--${active.tag.toLowerCase()}`}>{active.tag}</span>
            <span className="status-bar__strong">{active.name}</span>
            <span className="status-bar__muted">{active.defaultCompany}</span>
          </>
        ) : (
          <span className="status-bar__muted">No environment</span>
        )}
      </span>
      <span className="status-bar__item" aria-label="Connection state">
        <span className={`dot dot--${active?.connection ?? 'not-started'}`} aria-hidden="true" />
        {active ? CONNECTION_LABEL[active.connection] : '—'}
      </span>
      <span className="status-bar__spacer" />
      <span className="status-bar__item" aria-label="Services">
        <span className={`dot dot--transport-${transport}`} aria-hidden="true" />
        {TRANSPORT_LABEL[transport]}
      </span>
      {appInfo && (
        <span className="status-bar__item status-bar__muted" aria-label="Version">
          v{appInfo.version} · {appInfo.mode === 'desktop' ? 'Desktop' : 'Browser mode'}
        </span>
      )}
    </footer>
  );
}
