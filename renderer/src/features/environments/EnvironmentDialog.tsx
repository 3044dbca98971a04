import { useState } from 'react';
import type { EnvironmentInput } from '../../../../shared/api/domains/environments';
import type { AuthMode, EnvironmentSummary, EnvironmentTag } from '../../../../shared/domain/environments';
import { ENVIRONMENT_TAGS } from '../../../../shared/domain/environments';
import { Dialog } from '../../app/Dialog';
import { ErrorAlert } from '../../app/ErrorAlert';
import { Field } from '../../app/Field';
import { messageOf } from '../../app/errors';
import { Icon } from '../../app/icons';
import { useWorkbench } from '../../app/workbench';

interface Draft {
  name: string;
  kind: 'cloud' | 'on-premises';
  url: string;
  tenantId: string;
  clientId: string;
  authority: string;
  defaultCompany: string;
  tag: EnvironmentTag;
  authMode: AuthMode;
  clientSecretVariable: string;
}

function draftOf(env: EnvironmentSummary | null): Draft {
  return {
    name: env?.name ?? '',
    kind: env?.kind === 'on-premises' ? 'on-premises' : 'cloud',
    url: env?.url ?? '',
    tenantId: env?.tenantId ?? '',
    clientId: env?.clientId ?? '',
    authority: env?.authority ?? '',
    defaultCompany: env?.defaultCompany ?? 'USMF',
    tag: env?.tag ?? 'DEV',
    authMode: env?.authMode ?? 'interactive',
    clientSecretVariable: env?.clientSecretVariable ?? '',
  };
}

/** What is missing before the form can be sent; the service checks the rest (URL, GUIDs). */
function missing(draft: Draft): Partial<Record<keyof Draft, string>> {
  const problems: Partial<Record<keyof Draft, string>> = {};
  if (!draft.name.trim()) problems.name = 'Give the environment a name you will recognise, e.g. "Contoso UAT".';
  if (!draft.url.trim()) problems.url = 'Paste the address you open F&O with.';
  if (!draft.tenantId.trim()) problems.tenantId = 'The Entra tenant ID or domain, e.g. contoso.onmicrosoft.com.';
  if (!draft.clientId.trim()) problems.clientId = 'The application (client) ID of the app registration.';
  if (draft.kind === 'on-premises' && !draft.authority.trim())
    problems.authority = 'On-premises environments sign in through AD FS: give its authority.';
  if (!/^[A-Za-z0-9]{1,4}$/.test(draft.defaultCompany.trim()))
    problems.defaultCompany = 'A legal entity ID has one to four letters or digits, e.g. USMF.';
  if (draft.authMode === 'client-credentials' && !draft.clientSecretVariable.trim())
    problems.clientSecretVariable = 'The NAME of the environment variable holding the secret, e.g. DMFW_CLIENT_SECRET.';
  return problems;
}

export function EnvironmentDialog(props: { environment: EnvironmentSummary | null; onClose: () => void }) {
  const { client, toasts } = useWorkbench();
  const editing = props.environment;
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const problems = missing(draft);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async () => {
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    const input: EnvironmentInput = {
      name: draft.name.trim(),
      kind: draft.kind,
      url: draft.url.trim(),
      tenantId: draft.tenantId.trim(),
      clientId: draft.clientId.trim(),
      authority: draft.authority.trim() || null,
      defaultCompany: draft.defaultCompany.trim().toUpperCase(),
      tag: draft.tag,
      authMode: draft.authMode,
      clientSecretVariable: draft.authMode === 'client-credentials' ? draft.clientSecretVariable.trim() : null,
    };
    setBusy(true);
    setProblem(null);
    try {
      const saved = editing
        ? await client.call('environments.update', { id: editing.id, patch: input })
        : await client.call('environments.add', input);
      toasts.getState().push({
        level: 'success',
        title: editing ? `${saved.name} saved` : `${saved.name} added`,
        body: editing ? undefined : 'Sign in to it, then test the connection.',
      });
      props.onClose();
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={editing ? `Edit ${editing.name}` : 'Add an environment'}
      description={
        <p>
          What you need: the environment&apos;s address, your Entra tenant and the client ID of an app registration
          allowed to call F&amp;O. No secret is stored here.
        </p>
      }
      wide
      onClose={props.onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" className="button button--secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {editing ? 'Save changes' : 'Add environment'}
          </button>
        </>
      }
    >
      <div className="form">
        <ErrorAlert problem={problem} />
        <div className="form__row">
          <Field label="Name" error={problems.name} shown={tried}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input"
                value={draft.name}
                onChange={(e) => set('name', e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                placeholder="Contoso UAT"
                autoFocus
              />
            )}
          </Field>
          <fieldset className="fieldset">
            <legend>Type</legend>
            <div className="segmented">
              {(['cloud', 'on-premises'] as const).map((kind) => (
                <label key={kind}>
                  <input
                    type="radio"
                    name="kind"
                    value={kind}
                    checked={draft.kind === kind}
                    onChange={() => set('kind', kind)}
                  />
                  {kind === 'cloud' ? 'Cloud' : 'On-premises'}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        <Field
          label="Environment URL"
          hint={
            draft.kind === 'cloud'
              ? 'e.g. https://contoso-uat.sandbox.operations.dynamics.com'
              : 'The AOS address; /namespaces/AXSF is added for you.'
          }
          error={problems.url}
          shown={tried}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className="input input--mono"
              value={draft.url}
              onChange={(e) => set('url', e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              spellCheck={false}
              inputMode="url"
            />
          )}
        </Field>
        <div className="form__row">
          <Field label="Tenant" hint="Tenant ID (GUID) or domain." error={problems.tenantId} shown={tried}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--mono"
                value={draft.tenantId}
                onChange={(e) => set('tenantId', e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                spellCheck={false}
              />
            )}
          </Field>
          <Field
            label="Client ID"
            hint="Application (client) ID of the app registration."
            error={problems.clientId}
            shown={tried}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--mono"
                value={draft.clientId}
                onChange={(e) => set('clientId', e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                spellCheck={false}
              />
            )}
          </Field>
        </div>
        {draft.kind === 'on-premises' && (
          <Field
            label="AD FS authority"
            hint="e.g. https://adfs.contoso.com/adfs/"
            error={problems.authority}
            shown={tried}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--mono"
                value={draft.authority}
                onChange={(e) => set('authority', e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                spellCheck={false}
              />
            )}
          </Field>
        )}
        <div className="form__row">
          <Field
            label="Default legal entity"
            hint="Used when a job names none."
            error={problems.defaultCompany}
            shown={tried}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--mono"
                value={draft.defaultCompany}
                maxLength={4}
                onChange={(e) => set('defaultCompany', e.target.value.toUpperCase())}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                spellCheck={false}
              />
            )}
          </Field>
          <fieldset className="fieldset">
            <legend>Colour tag</legend>
            <div className="segmented segmented--tags">
              {ENVIRONMENT_TAGS.map((tag) => (
                <label key={tag}>
                  <input
                    type="radio"
                    name="tag"
                    value={tag}
                    checked={draft.tag === tag}
                    onChange={() => set('tag', tag)}
                  />
                  <span className={`tag tag--${tag.toLowerCase()}`}>{tag}</span>
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        {draft.tag === 'PROD' && (
          <div className="alert alert--warning" role="note">
            <Icon name="alert" />
            <p>
              Production: every import, copy or re-import into this environment will ask you to type its name first.
            </p>
          </div>
        )}
        <fieldset className="fieldset">
          <legend>Sign-in</legend>
          <div className="segmented">
            {(
              [
                ['interactive', 'In the browser (you)'],
                ['client-credentials', 'Client secret (unattended runs)'],
              ] as const
            ).map(([mode, label]) => (
              <label key={mode}>
                <input
                  type="radio"
                  name="authMode"
                  value={mode}
                  checked={draft.authMode === mode}
                  onChange={() => set('authMode', mode)}
                />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        {draft.authMode === 'client-credentials' && (
          <Field
            label="Secret variable"
            hint="The name of the environment variable that holds the client secret. The secret itself is never stored."
            error={problems.clientSecretVariable}
            shown={tried}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--mono"
                value={draft.clientSecretVariable}
                onChange={(e) => set('clientSecretVariable', e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                spellCheck={false}
                placeholder="DMFW_CLIENT_SECRET"
              />
            )}
          </Field>
        )}
      </div>
    </Dialog>
  );
}
