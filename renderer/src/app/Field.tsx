import { useId } from 'react';
import type { ReactNode } from 'react';

/** What a field's control takes: its id (the label points at it), what describes it, whether it is invalid. */
export interface FieldControl {
  readonly id: string;
  readonly describedBy: string | undefined;
  readonly invalid: boolean;
}

/**
 * A labelled form field: the label, the control (rendered with the id the label points at), a hint
 * and, once `shown` (a form shows them after the first try to submit), an error.
 */
export function Field(props: {
  label: string;
  hint?: ReactNode;
  error?: string;
  /** Whether the error may show yet (default: yes). */
  shown?: boolean;
  className?: string;
  children: (control: FieldControl) => ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const showError = (props.shown ?? true) && Boolean(props.error);
  const describedBy = [props.hint ? hintId : null, showError ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={props.className ? `field ${props.className}` : 'field'}>
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      {props.children({ id, describedBy, invalid: showError })}
      {props.hint && (
        <span id={hintId} className="field__hint">
          {props.hint}
        </span>
      )}
      {showError && (
        <span id={errorId} className="field__error">
          {props.error}
        </span>
      )}
    </div>
  );
}
