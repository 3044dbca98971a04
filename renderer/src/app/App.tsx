import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { Client } from '../../../shared/api/client';
import { EnvironmentsArea } from '../features/environments/EnvironmentsArea';
import { JobsArea } from '../features/jobs/JobsArea';
import { PackageArea } from '../features/package/PackageArea';
import { SourcesArea } from '../features/sources/SourcesArea';
import type { SourcesStore } from '../features/sources/sourcesStore';
import type { ShellStore } from '../state/shellStore';
import { AREA_INFO, isMac } from './areas';
import { Icon } from './icons';
import { NavRail } from './NavRail';
import { StatusBar } from './StatusBar';

function useAreaShortcuts(store: ShellStore) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = isMac ? event.metaKey : event.ctrlKey;
      if (!mod || event.altKey || event.shiftKey) return;
      const target = AREA_INFO.find((info) => info.key === event.key);
      if (target) {
        event.preventDefault();
        store.getState().goTo(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

export function App({ store, sources, client }: { store: ShellStore; sources: SourcesStore; client: Client }) {
  const area = useStore(store, (s) => s.area);
  const problem = useStore(store, (s) => s.problem);
  useAreaShortcuts(store);
  const label = AREA_INFO.find((info) => info.id === area)?.label ?? '';
  return (
    <div className="shell">
      <NavRail store={store} />
      <main className="shell__main" aria-label={label}>
        {problem && (
          <div className="banner banner--error" role="alert">
            <Icon name="alert" />
            <span>{problem}</span>
          </div>
        )}
        <div className={`shell__content${area === 'sources' ? ' shell__content--full' : ''}`}>
          {area === 'environments' && <EnvironmentsArea store={store} />}
          {area === 'sources' && <SourcesArea store={sources} shell={store} client={client} />}
          {area === 'package' && <PackageArea />}
          {area === 'jobs' && <JobsArea />}
        </div>
      </main>
      <StatusBar store={store} />
    </div>
  );
}
