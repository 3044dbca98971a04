import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AuthStatus } from '../../../../shared/api/domains/auth';
import type { ConnectionTest } from '../../../../shared/api/domains/environments';
import type { EnvironmentSummary } from '../../../../shared/domain/environments';
import { AreaHeader } from '../../app/AreaHeader';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { Dialog } from '../../app/Dialog';
import { ErrorAlert } from '../../app/ErrorAlert';
import { messageOf } from '../../app/errors';
import { Icon } from '../../app/icons';
import { useFeatureStore, useWorkbench } from '../../app/workbench';
import type { Workbench } from '../../app/workbench';
import { EnvironmentDialog } from './EnvironmentDialog';
import { MetadataSnapshot } from './MetadataSnapshot';
import { createEnvironmentsStore } from './environmentsStore';
import type { EnvironmentActivity } from './environmentsStore';

const KIND_LABEL = { emulator: 'Built-in emulator', cloud: 'Cloud', 'on-premises': 'On-premises' } as const;

const CONNECTION_TEXT: Record<EnvironmentSummary['connection'], string> = {
  'not-started': 'Not started',
  starting: 'Starting…',
  'signed-out': 'Signed out',
  'signing-in': 'Signing in…',
  'signed-in': 'Signed in',
  error: 'Connection problem',
};

const environmentsStoreOf = (workbench: Workbench) => createEnvironmentsStore(workbench.client);

function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function SessionFacts({ env, auth }: { env: EnvironmentSummary; auth: AuthStatus | undefined }) {
  const account = auth?.account?.username ?? env.account;
  const signedIn = env.connection === 'signed-in' || auth?.signedIn === true;
  return (
    <div className="env-session" aria-label={`Session of ${env.name}`}>
      <div className="env-session__state">
        <span className={`dot dot--${env.connection}`} aria-hidden="true" />
        <span>{CONNECTION_TEXT[env.connection]}</span>
      </div>
      <dl className="env-card__facts env-card__facts--compact">
        <dt>Account</dt>
        <dd>
          {auth?.mode === 'client-credentials'
            ? `App registration (secret in $${env.clientSecretVariable ?? 'DMFW_CLIENT_SECRET'})`
            : signedIn && account
              ? account
              : account
                ? `${account} (signed out)`
                : 'Nobody signed in'}
        </dd>
        <dt>Token</dt>
        <dd>
          {auth?.tokenExpiresAt
            ? `Valid until ${timeOf(auth.tokenExpiresAt)}, renewed silently`
            : signedIn
              ? 'Renewed silently on the next call'
              : 'None'}
        </dd>
        {auth && (
          <>
            <dt>Kept</dt>
            <dd>
              {auth.tokenCache === 'encrypted' ? 'Encrypted on this computer' : 'In memory for this session only'}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function TestResult({ test }: { test: ConnectionTest }) {
  return (
    <section className={`env-test env-test--${test.ok ? 'ok' : 'failed'}`} aria-label="Connection test">
      <h3 className="env-test__title">
        <Icon name={test.ok ? 'check' : 'alert'} size={16} />
        {test.ok ? 'Connection works' : 'Connection test failed'}
        <span className="muted"> · {timeOf(test.testedAt)}</span>
      </h3>
      <ul className="env-test__checks">
        {test.checks.map((check) => (
          <li key={check.id} className={check.ok ? 'is-ok' : 'is-failed'}>
            <span className="env-test__mark" aria-hidden="true">
              <Icon name={check.ok ? 'check' : 'close'} size={14} />
            </span>
            <span>
              <strong>{check.label}</strong>
              <span className="visually-hidden">{check.ok ? ': passed' : ': failed'}</span>
              <span className="muted"> · {check.ms} ms</span>
              <br />
              <span className="env-test__detail">{check.detail}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AccountPicker(props: {
  env: EnvironmentSummary;
  auth: AuthStatus;
  onUse: (homeAccountId: string) => void;
  onAnother: () => void;
  onClose: () => void;
}) {
  const others = props.auth.accounts.filter((a) => a.homeAccountId !== props.auth.account?.homeAccountId);
  return (
    <Dialog
      title={`Use another account for ${props.env.name}`}
      description={<p>Accounts already signed in on this computer for this tenant switch without a browser.</p>}
      onClose={props.onClose}
      actions={
        <>
          <button type="button" className="button button--secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={props.onAnother}>
            <Icon name="signIn" size={16} />
            Sign in with another account
          </button>
        </>
      }
    >
      {others.length === 0 ? (
        <p className="muted">No other account is signed in on this computer for this tenant.</p>
      ) : (
        <ul className="account-list" aria-label="Signed-in accounts">
          {others.map((account) => (
            <li key={account.homeAccountId}>
              <button type="button" className="account-list__item" onClick={() => props.onUse(account.homeAccountId)}>
                <Icon name="user" />
                <span>
                  <strong>{account.name ?? account.username}</strong>
                  <br />
                  <span className="muted">{account.username}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

function busyLabel(activity: EnvironmentActivity): string | null {
  switch (activity) {
    case 'signing-in':
      return 'Signing in…';
    case 'signing-out':
      return 'Signing out…';
    case 'testing':
      return 'Testing…';
    default:
      return null;
  }
}

function EnvironmentCard(props: {
  env: EnvironmentSummary;
  active: boolean;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const { env, active } = props;
  const { shell } = useWorkbench();
  const store = useFeatureStore(environmentsStoreOf);
  const auth = useStore(store, (s) => s.auth[env.id]);
  const test = useStore(store, (s) => s.tests[env.id]);
  const activity = useStore(store, (s) => s.activity[env.id] ?? null);
  const problem = useStore(store, (s) => s.problems[env.id]);
  const [picking, setPicking] = useState(false);
  const signedIn = env.connection === 'signed-in' || auth?.signedIn === true;
  const busy = activity !== null || env.connection === 'starting' || env.connection === 'signing-in';
  const refreshAuth = store.getState().refreshAuth;
  useEffect(() => {
    void refreshAuth(env);
  }, [refreshAuth, env]);

  return (
    <li
      className={`env-card env-card--${env.tag.toLowerCase()}${active ? ' env-card--active' : ''}`}
      aria-label={env.name}
    >
      <div className="env-card__head">
        <span className={`tag tag--${env.tag.toLowerCase()}`}>{env.tag}</span>
        <h2 className="env-card__name">{env.name}</h2>
        {active && <span className="env-card__badge">Active</span>}
      </div>
      <dl className="env-card__facts">
        <dt>Type</dt>
        <dd>{KIND_LABEL[env.kind]}</dd>
        <dt>Address</dt>
        <dd className="env-card__url">{env.url ?? 'Starts on this computer when first used'}</dd>
        {env.tenantId && (
          <>
            <dt>Tenant</dt>
            <dd className="mono">{env.tenantId}</dd>
            <dt>Client ID</dt>
            <dd className="mono">{env.clientId}</dd>
          </>
        )}
        <dt>Default legal entity</dt>
        <dd>{env.defaultCompany}</dd>
      </dl>
      <SessionFacts env={env} auth={auth} />
      <MetadataSnapshot env={env} />
      <ErrorAlert
        problem={problem}
        dismiss={{
          label: `Dismiss the problem with ${env.name}`,
          onDismiss: () => store.getState().dismissProblem(env.id),
        }}
      />
      {test && <TestResult test={test} />}
      <div className="env-card__actions" role="group" aria-label={`Actions for ${env.name}`}>
        {signedIn ? (
          <>
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy}
              onClick={() => void store.getState().signOut(env.id)}
              aria-label={`Sign out of ${env.name}`}
            >
              <Icon name="signOut" size={16} />
              Sign out
            </button>
            {env.kind !== 'emulator' && auth?.mode === 'interactive' && (
              <button
                type="button"
                className="button button--ghost button--small"
                disabled={busy}
                onClick={() => setPicking(true)}
                aria-label={`Use another account for ${env.name}`}
              >
                <Icon name="user" size={16} />
                Switch account
              </button>
            )}
          </>
        ) : (
          <button
            type="button"
            className="button button--primary button--small"
            disabled={busy}
            onClick={() => void store.getState().signIn(env.id)}
            aria-label={
              env.kind === 'emulator' && env.connection === 'not-started'
                ? `Start and sign in to ${env.name}`
                : `Sign in to ${env.name}`
            }
          >
            <Icon name="signIn" size={16} />
            {env.kind === 'emulator' && env.connection === 'not-started' ? 'Start and sign in' : 'Sign in'}
          </button>
        )}
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={busy}
          onClick={() => void store.getState().test(env.id)}
          aria-label={`Test the connection to ${env.name}`}
        >
          <Icon name="plug" size={16} />
          Test connection
        </button>
        {busyLabel(activity) && (
          <span className="env-card__busy" role="status">
            {busyLabel(activity)}
          </span>
        )}
        <span className="env-card__spacer" />
        {!env.builtIn && (
          <>
            <button
              type="button"
              className="icon-button"
              aria-label={`Edit ${env.name}`}
              title="Edit"
              onClick={props.onEdit}
            >
              <Icon name="edit" size={18} />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${env.name}`}
              title="Remove"
              onClick={props.onRemove}
            >
              <Icon name="trash" size={18} />
            </button>
          </>
        )}
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={active}
          onClick={() => void shell.getState().setActiveEnvironment(env.id)}
          aria-label={active ? `${env.name} is the active environment` : `Make ${env.name} the active environment`}
        >
          {active ? 'Active environment' : 'Make active'}
        </button>
      </div>
      {picking && auth && (
        <AccountPicker
          env={env}
          auth={auth}
          onClose={() => setPicking(false)}
          onUse={(homeAccountId) => {
            setPicking(false);
            void store.getState().useAccount(env.id, homeAccountId);
          }}
          onAnother={() => {
            setPicking(false);
            void store.getState().signIn(env.id, 'select_account');
          }}
        />
      )}
    </li>
  );
}

export function EnvironmentsArea() {
  const { shell, client, toasts } = useWorkbench();
  const list = useStore(shell, (s) => s.environments);
  const [editing, setEditing] = useState<EnvironmentSummary | 'new' | null>(null);
  const [removing, setRemoving] = useState<EnvironmentSummary | null>(null);
  return (
    <>
      <AreaHeader
        title="Environments"
        description="The F&O environments you move data into and out of. The Local emulator is built in: use it to rehearse a load without a tenant."
        actions={
          <button type="button" className="button button--primary" onClick={() => setEditing('new')}>
            <Icon name="plus" size={16} />
            Add environment
          </button>
        }
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
                onEdit={() => setEditing(env)}
                onRemove={() => setRemoving(env)}
              />
            ))}
          </ul>
          {list.environments.length === 1 && (
            <aside className="hint" aria-label="Next step">
              <Icon name="info" />
              <p>
                Only the Local emulator is registered. To work with a real environment, use{' '}
                <strong>Add environment</strong> with its URL, your tenant and an Entra app registration&apos;s client
                ID.
              </p>
            </aside>
          )}
        </>
      )}
      {editing && (
        <EnvironmentDialog environment={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove environment"
          danger
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            try {
              await client.call('environments.remove', { id: removing.id });
              toasts.getState().push({ level: 'success', title: `${removing.name} removed` });
            } catch (error) {
              toasts
                .getState()
                .push({ level: 'error', title: `${removing.name} was not removed`, body: messageOf(error) });
            }
            setRemoving(null);
          }}
        >
          <p>
            The workbench forgets its address and sign-in settings. Nothing changes in the environment itself, and jobs
            already run keep their history.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
