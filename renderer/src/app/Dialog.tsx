import { useEffect, useId, useRef } from 'react';
import type { FormEvent, ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog> element: it traps focus, closes on Escape and restores
 * focus to what opened it. With `onSubmit` the body is a form: Enter submits.
 */
export function Dialog(props: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** The buttons; the submit button of a form dialog has type="submit". */
  actions: ReactNode;
  onClose: () => void;
  onSubmit?: () => void;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const { onClose } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, [onClose]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit?.();
  };
  const body = (
    <>
      <header className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {props.title}
        </h2>
        {props.description && (
          <div id={descriptionId} className="dialog__description">
            {props.description}
          </div>
        )}
      </header>
      <div className="dialog__body">{props.children}</div>
      <footer className="dialog__actions">{props.actions}</footer>
    </>
  );
  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide ? ' dialog--wide' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={props.description ? descriptionId : undefined}
    >
      {props.onSubmit ? (
        <form className="dialog__form" onSubmit={submit} noValidate>
          {body}
        </form>
      ) : (
        body
      )}
    </dialog>
  );
}
