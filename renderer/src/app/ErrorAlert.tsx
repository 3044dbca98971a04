import { Icon } from './icons';

/**
 * What went wrong (the service's message says how to fix it), announced at once; nothing without
 * a problem. With `dismiss`, a close button (its accessible name says which problem) clears it.
 */
export function ErrorAlert(props: {
  problem: string | null | undefined;
  className?: string;
  dismiss?: { readonly label: string; readonly onDismiss: () => void };
}) {
  if (!props.problem) return null;
  return (
    <div className={`alert alert--error${props.className ? ` ${props.className}` : ''}`} role="alert">
      <Icon name="alert" />
      <p>{props.problem}</p>
      {props.dismiss && (
        <button
          type="button"
          className="icon-button"
          aria-label={props.dismiss.label}
          onClick={props.dismiss.onDismiss}
        >
          <Icon name="close" size={14} />
        </button>
      )}
    </div>
  );
}
