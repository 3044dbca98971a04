import { useStore } from 'zustand';
import type { Client } from '../../../../shared/api/client';
import { AreaHeader } from '../../app/AreaHeader';
import type { ShellStore } from '../../state/shellStore';
import { OpenPanel } from './OpenPanel';
import type { SourcesStore } from './sourcesStore';
import { Workspace } from './Workspace';
import './sources.css';

export function SourcesArea(props: { store: SourcesStore; shell: ShellStore; client: Client }) {
  const { store, client } = props;
  const info = useStore(store, (s) => s.datasets.find((d) => d.id === s.activeId) ?? null);
  const opening = useStore(store, (s) => s.opening);
  const busy = useStore(store, (s) => s.busy);
  const notice = useStore(store, (s) => s.notice);
  const packageChoice = useStore(store, (s) => s.packageChoice);
  const listed = useStore(store, (s) => s.listed);
  const folder = useStore(store, (s) => s.folder);
  const desktop = useStore(props.shell, (s) => s.appInfo?.mode === 'desktop');

  if (info && !opening) return <Workspace store={store} client={client} info={info} />;
  if (!listed) return <p className="loading" role="progressbar" aria-label="Loading the open files" />;
  return (
    <>
      <AreaHeader
        title="Sources"
        description="Preview and fix the rows of your legacy extracts before they become a data package: validate them against the entity, fix cells, and record bulk fixes as a recipe for the next cycle."
      />
      {notice?.kind === 'error' && (
        <div className="notice notice--error" role="alert">
          {notice.text}
        </div>
      )}
      <OpenPanel
        client={client}
        desktop={desktop}
        busy={busy}
        packageChoice={packageChoice}
        failure={notice?.kind === 'error' ? notice.text : null}
        folder={folder}
        onFolder={(dir) => store.getState().setFolder(dir)}
        onOpen={(path, options) => void store.getState().open(path, options)}
        onOpenPackage={(path) => void store.getState().openPackage(path)}
        onCancel={info ? () => store.getState().setOpening(false) : undefined}
      />
      {!info && (
        <ol className="empty-state__steps sources-steps" aria-label="How it works">
          <li>
            Open a CSV, TSV, Excel or XML extract: the encoding, delimiter and header row are detected, and you can
            change them.
          </li>
          <li>Choose the entity: every cell is checked, and the cells to fix are marked, with the fix on hover.</li>
          <li>
            Fix cells, or whole columns at once: each bulk fix becomes a recipe step you can replay on next cycle&apos;s
            extract.
          </li>
        </ol>
      )}
    </>
  );
}
