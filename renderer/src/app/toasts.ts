import { createStore } from 'zustand/vanilla';

export type ToastLevel = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  readonly id: number;
  readonly level: ToastLevel;
  readonly title: string;
  readonly body?: string;
  /** One follow-up the toast offers ("Open job"). */
  readonly action?: { readonly label: string; readonly run: () => void };
  /** What it is about (e.g. "job:<id>"): a newer toast replaces it, and seeing the thing dismisses it. */
  readonly key?: string;
}

export interface ToastState {
  readonly toasts: readonly Toast[];
  push(toast: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
  /** The consultant is looking at what the toast is about: it has said what it had to say. */
  dismissKey(key: string): void;
}

export type ToastStore = ReturnType<typeof createToastStore>;

/** Info and success toasts leave by themselves; warnings and errors stay until dismissed. */
const AUTO_DISMISS_MS = 7000;
const MAX_TOASTS = 3;

export function createToastStore(timers: { setTimeout: (fn: () => void, ms: number) => unknown } = globalThis) {
  let next = 1;
  return createStore<ToastState>()((set, get) => ({
    toasts: [],
    push(toast) {
      const id = next++;
      const others = toast.key ? get().toasts.filter((t) => t.key !== toast.key) : get().toasts;
      set({ toasts: [...others, { ...toast, id }].slice(-MAX_TOASTS) });
      if (toast.level === 'info' || toast.level === 'success') {
        timers.setTimeout(() => get().dismiss(id), AUTO_DISMISS_MS);
      }
      return id;
    },
    dismiss(id) {
      set({ toasts: get().toasts.filter((t) => t.id !== id) });
    },
    dismissKey(key) {
      if (get().toasts.some((t) => t.key === key)) set({ toasts: get().toasts.filter((t) => t.key !== key) });
    },
  }));
}
