import { useState } from 'react';
import type { ReactNode } from 'react';
import { Dialog } from './Dialog';

/** "Are you sure?" for actions that cannot be undone, with the consequence spelled out. */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void | Promise<void>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      onSubmit={async () => {
        setBusy(true);
        try {
          await props.onConfirm();
        } finally {
          setBusy(false);
        }
      }}
      actions={
        <>
          <button type="button" className="button button--secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${props.danger ? 'button--danger' : 'button--primary'}`}
            disabled={busy}
          >
            {props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
    </Dialog>
  );
}

/**
 * Writing to an environment tagged PROD: the consultant types its name. A checkbox is too easy
 * to tick by habit; the services check the same name again (confirmProduction).
 */
export function ConfirmProductionDialog(props: {
  environmentName: string;
  action: string;
  onConfirm: (typedName: string) => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const matches = typed.trim().toLowerCase() === props.environmentName.toLowerCase();
  return (
    <Dialog
      title={`${props.action} in a production environment`}
      description={
        <p>
          <strong>{props.environmentName}</strong> is tagged <span className="tag tag--prod">PROD</span>. Type its name
          to confirm.
        </p>
      }
      onClose={props.onClose}
      onSubmit={() => {
        if (matches) props.onConfirm(typed.trim());
      }}
      actions={
        <>
          <button type="button" className="button button--secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--danger" disabled={!matches}>
            {props.action}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field__label">Environment name</span>
        <input
          className="input"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder={props.environmentName}
          autoFocus
        />
      </label>
    </Dialog>
  );
}
