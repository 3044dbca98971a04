import { useEffect, useRef } from 'react';
import { isMac } from './areas';

export interface Shortcut {
  /** KeyboardEvent.key, e.g. 's', 'Enter', 'ArrowUp'. */
  readonly key: string;
  /** Ctrl (⌘ on macOS). */
  readonly mod?: boolean;
  readonly shift?: boolean;
  readonly alt?: boolean;
}

/** "Ctrl+S" or "⌘S": how the shortcut is written on buttons and in the help. */
export function shortcutLabel(shortcut: Shortcut): string {
  const key =
    shortcut.key === 'Enter'
      ? isMac
        ? '↩'
        : 'Enter'
      : shortcut.key.length === 1
        ? shortcut.key.toUpperCase()
        : shortcut.key;
  const parts = [
    shortcut.mod ? (isMac ? '⌘' : 'Ctrl') : null,
    shortcut.alt ? (isMac ? '⌥' : 'Alt') : null,
    shortcut.shift ? (isMac ? '⇧' : 'Shift') : null,
    key,
  ].filter(Boolean);
  return isMac ? parts.join('') : parts.join('+');
}

/** The aria-keyshortcuts value ("Control+S"). */
export function shortcutAria(shortcut: Shortcut): string {
  return [
    shortcut.mod ? (isMac ? 'Meta' : 'Control') : null,
    shortcut.alt ? 'Alt' : null,
    shortcut.shift ? 'Shift' : null,
    shortcut.key.length === 1 ? shortcut.key.toUpperCase() : shortcut.key,
  ]
    .filter(Boolean)
    .join('+');
}

export function matches(event: KeyboardEvent, shortcut: Shortcut): boolean {
  const mod = isMac ? event.metaKey : event.ctrlKey;
  return (
    event.key.toLowerCase() === shortcut.key.toLowerCase() &&
    mod === Boolean(shortcut.mod) &&
    event.shiftKey === Boolean(shortcut.shift) &&
    event.altKey === Boolean(shortcut.alt)
  );
}

/** Runs `action` on the shortcut while `enabled`; the browser's own meaning (save page) is suppressed. */
export function useShortcut(shortcut: Shortcut, action: () => void, enabled = true): void {
  const latest = useRef(action);
  useEffect(() => {
    latest.current = action;
  });
  const { key, mod, shift, alt } = shortcut;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || !matches(event, { key, mod, shift, alt })) return;
      // A modal dialog owns the keyboard while it is open.
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, key, mod, shift, alt]);
}

export const SAVE: Shortcut = { key: 's', mod: true };
export const RUN: Shortcut = { key: 'Enter', mod: true };
export const HELP: Shortcut = { key: '/', mod: true };
