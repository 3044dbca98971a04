import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import { Field } from '../../app/Field';
import { dateTime } from '../../app/format';
import { Icon } from '../../app/icons';
import { PathDialog, joinPath } from '../../app/PathDialog';
import { PathField } from '../../app/PathField';
import { NONE, useWorkbench } from '../../app/workbench';
import type { WizardStore } from './wizardStore';

/** A folder name from a project name: letters, digits, spaces, dashes. */
const folderName = (name: string) =>
  name
    .trim()
    .replace(/[^A-Za-z0-9 _-]+/g, '')
    .replace(/\s+/g, ' ')
    .slice(0, 80) || 'DMF project';

export function ProjectStep({ store }: { store: WizardStore }) {
  const { client, shell } = useWorkbench();
  const recent = useStore(shell, (s) => s.preferences?.recentProjects ?? NONE);
  const plan = useStore(store, (s) => s.plan);
  const busy = useStore(store, (s) => s.busy);
  const [name, setName] = useState('');
  const [location, setLocation] = useState<string | null>(null);
  const [choosing, setChoosing] = useState<'location' | 'open' | null>(null);
  const titleId = useId();
  useEffect(() => {
    let live = true;
    client.call('datasets.browse', {}).then(
      (listing) => live && setLocation((current) => current ?? listing.home),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  const target = location && name.trim() ? joinPath(location, folderName(name)) : null;

  return (
    <div className="project-step">
      {plan && (
        <section className="panel project-current" aria-label="Current project">
          <div className="panel__body project-current__body">
            <Icon name="folder" size={28} />
            <div>
              <h2 className="panel__title">{plan.document.name}</h2>
              <p className="muted mono">{plan.dir}</p>
              <p className="muted">
                {plan.document.entities.length} entities
                {plan.document.binding.environment ? ` · bound to ${plan.document.binding.environment}` : ''}
              </p>
            </div>
            <div className="project-current__actions">
              <button
                type="button"
                className="button button--primary"
                onClick={() => store.getState().goTo('entities')}
              >
                Continue
                <Icon name="chevronRight" size={16} />
              </button>
              <button type="button" className="button button--secondary" onClick={() => store.getState().close()}>
                Close project
              </button>
            </div>
          </div>
        </section>
      )}
      <div className="project-step__columns">
        <section className="panel" aria-labelledby={titleId}>
          <div className="panel__header">
            <h2 className="panel__title" id={titleId}>
              New project
            </h2>
          </div>
          <form
            className="panel__body form"
            onSubmit={(event) => {
              event.preventDefault();
              if (target) void store.getState().create(target, name.trim());
            }}
          >
            <p className="muted">
              A project is a folder you can keep in git: the entities and their sources, mappings, sequence, the
              grid&apos;s edits, recipes, and one file per run.
            </p>
            <Field label="Project name">
              {({ id }) => (
                <input
                  id={id}
                  className="input"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="Contoso wave 1"
                />
              )}
            </Field>
            <PathField
              label="Location"
              value={location ?? ''}
              onChange={setLocation}
              onBrowse={() => setChoosing('location')}
              hint={target && <span className="field__hint">The project folder: {target}</span>}
            />
            <div>
              <button type="submit" className="button button--primary" disabled={!target || busy}>
                <Icon name="plus" size={16} />
                Create project
              </button>
            </div>
          </form>
        </section>
        <section className="panel" aria-label="Open a project">
          <div className="panel__header">
            <h2 className="panel__title">Open a project</h2>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setChoosing('open')}
            >
              <Icon name="folder" size={16} />
              Open folder…
            </button>
          </div>
          {recent.length === 0 ? (
            <p className="panel__body muted">Projects you open or create are listed here.</p>
          ) : (
            <ul className="recent-projects" aria-label="Recent projects">
              {recent.map((p) => (
                <li key={p.dir}>
                  <button
                    type="button"
                    className="recent-projects__item"
                    disabled={busy}
                    onClick={() => void store.getState().open(p.dir)}
                  >
                    <Icon name="folder" size={18} />
                    <span className="recent-projects__text">
                      <strong>{p.name}</strong>
                      <span className="muted mono">{p.dir}</span>
                    </span>
                    <span className="muted">{dateTime(p.openedAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {choosing && (
        <PathDialog
          mode="folder"
          title={choosing === 'location' ? 'Where to create the project' : 'Open a project folder'}
          start={choosing === 'location' ? location : null}
          confirmLabel={choosing === 'location' ? 'Use this folder' : 'Open this project'}
          onClose={() => setChoosing(null)}
          onChoose={(dir) => {
            setChoosing(null);
            if (choosing === 'location') setLocation(dir);
            else void store.getState().open(dir);
          }}
        />
      )}
    </div>
  );
}
