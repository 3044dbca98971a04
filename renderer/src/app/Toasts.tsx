import { useStore } from 'zustand';
import { Icon } from './icons';
import type { ToastStore } from './toasts';

const ICON = { info: 'info', success: 'check', warning: 'alert', error: 'alert' } as const;

/** The in-app notifications, bottom right; a live region so screen readers announce them. */
export function Toasts({ store }: { store: ToastStore }) {
  const toasts = useStore(store, (s) => s.toasts);
  const dismiss = useStore(store, (s) => s.dismiss);
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast--${toast.level}`}
          role={toast.level === 'error' ? 'alert' : 'status'}
        >
          <span className="toast__icon">
            <Icon name={ICON[toast.level]} />
          </span>
          <div className="toast__text">
            <strong className="toast__title">{toast.title}</strong>
            {toast.body && <p className="toast__body">{toast.body}</p>}
            {toast.action && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  toast.action?.run();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label={`Dismiss notification: ${toast.title}`}
            onClick={() => dismiss(toast.id)}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </section>
  );
}
