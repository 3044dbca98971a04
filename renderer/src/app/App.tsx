import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { CockpitArea } from '../features/cockpit/CockpitArea';
import { CopyArea } from '../features/copy/CopyArea';
import { EnvironmentsArea } from '../features/environments/EnvironmentsArea';
import { ExportArea } from '../features/export/ExportArea';
import { JobsArea } from '../features/jobs/JobsArea';
import { PackageArea } from '../features/package/PackageArea';
import { SourcesArea } from '../features/sources/SourcesArea';
import type { ShellStore } from '../state/shellStore';
import { AREA_INFO, isMac } from './areas';
import { Icon } from './icons';
import { NavRail } from './NavRail';
import { ShortcutHelp } from './ShortcutHelp';
import { HELP, useShortcut } from './shortcuts';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';
import type { Workbench } from './workbench';
import { WorkbenchContext } from './workbench';

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

/** The theme the consultant chose (or the operating system's), on <html> where the CSS reads it. */
function useTheme(store: ShellStore) {
  const theme = useStore(store, (s) => s.preferences?.theme ?? 'system');
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
}

export function App({ workbench }: { workbench: Workbench }) {
  const store = workbench.shell;
  const area = useStore(store, (s) => s.area);
  const problem = useStore(store, (s) => s.problem);
  const [help, setHelp] = useState(false);
  useAreaShortcuts(store);
  useTheme(store);
  useShortcut(HELP, () => setHelp(true));
  const label = AREA_INFO.find((info) => info.id === area)?.label ?? '';
  return (
    <WorkbenchContext.Provider value={workbench}>
      <div className="shell">
        <NavRail store={store} onHelp={() => setHelp(true)} />
        <main className="shell__main" aria-label={label}>
          {problem && (
            <div className="banner banner--error" role="alert">
              <Icon name="alert" />
              <span>{problem}</span>
            </div>
          )}
          <div className={`shell__content shell__content--${area}${area === 'sources' ? ' shell__content--full' : ''}`}>
            {area === 'environments' && <EnvironmentsArea />}
            {area === 'sources' && <SourcesArea store={workbench.sources} shell={store} client={workbench.client} />}
            {area === 'package' && <PackageArea />}
            {area === 'jobs' && <JobsArea />}
            {area === 'copy' && <CopyArea />}
            {area === 'export' && <ExportArea />}
            {area === 'cockpit' && <CockpitArea />}
          </div>
        </main>
        <StatusBar store={store} />
        <Toasts store={workbench.toasts} />
        {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      </div>
    </WorkbenchContext.Provider>
  );
}
