import { useStore } from 'zustand';
import type { EnvironmentSummary } from '../../../../shared/domain/environments';
import { AreaHeader } from '../../app/AreaHeader';
import { Icon } from '../../app/icons';
import type { ShellStore } from '../../state/shellStore';

const KIND_LABEL = { emulator: 'Built-in emulator', cloud: 'Cloud', 'on-premises': 'On-premises' } as const;

function EnvironmentCard(props: { env: EnvironmentSummary; active: boolean; onActivate: () => void }) {
  const { env, active } = props;
  return (
    <li className={`env-card${active ? ' env-card--active' : ''}`} aria-label={env.name}>
      <div className="env-card__head">
        <span className={`tag tag--${env.tag.toLowerCase()}`}>{env.tag}</span>
        <h2 className="env-card__name">{env.name}</h2>
        {active && <span className="env-card__badge">Active</span>}
      </div>
      <dl className="env-card__facts">
        <dt>Type</dt>
        <dd>{KIND_LABEL[env.kind]}</dd>
        <dt>Address</dt>
        <dd>{env.url ?? 'Starts on this computer when first used'}</dd>
        <dt>Default legal entity</dt>
        <dd>{env.defaultCompany}</dd>
      </dl>
      <div className="env-card__actions">
        <button
          type="button"
          className="button button--secondary"
          disabled={active}
          onClick={props.onActivate}
          aria-label={active ? `${env.name} is the active environment` : `Make ${env.name} the active environment`}
        >
          {active ? 'Active environment' : 'Make active'}
        </button>
      </div>
    </li>
  );
}

export function EnvironmentsArea({ store }: { store: ShellStore }) {
  const list = useStore(store, (s) => s.environments);
  const setActive = useStore(store, (s) => s.setActiveEnvironment);
  return (
    <>
      <AreaHeader
        title="Environments"
        description="The F&O environments you move data into and out of. The Local emulator is built in: use it to rehearse a load without a tenant."
      />
      {list === null ? (
        <p className="loading" role="progressbar" aria-label="Loading environments" />
      ) : (
        <>
          <ul className="env-grid" aria-label="Environments">
            {list.environments.map((env) => (
              <EnvironmentCard
                key={env.id}
                env={env}
                active={env.id === list.activeId}
                onActivate={() => void setActive(env.id)}
              />
            ))}
          </ul>
          {list.environments.length === 1 && (
            <aside className="hint" aria-label="Next step">
              <Icon name="info" />
              <p>
                Only the Local emulator is registered. To work with a real environment you need its URL, your tenant ID
                and an Entra app registration&apos;s client ID; adding environments arrives with sign-in.
              </p>
            </aside>
          )}
        </>
      )}
    </>
  );
}
