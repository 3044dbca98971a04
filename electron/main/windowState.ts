import { screen } from 'electron';
import type { BrowserWindow, Rectangle } from 'electron';
import type { PreferencesService, WindowBounds } from '../services/settings/preferences';

const DEFAULT_SIZE = { width: 1440, height: 900 };

/**
 * Where the window opens: the bounds it had when it was closed, if they still fall on a display
 * (a laptop undocked from its second screen must not open the window off-screen).
 */
export function initialBounds(preferences: PreferencesService): Partial<Rectangle> & { maximized: boolean } {
  const saved = preferences.windowBounds();
  if (!saved) return { ...DEFAULT_SIZE, maximized: false };
  const visible = screen.getAllDisplays().some((display) => overlaps(display.workArea, saved));
  return visible
    ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height, maximized: saved.maximized }
    : { width: saved.width, height: saved.height, maximized: saved.maximized };
}

/** Remembers the window's normal bounds and maximised state when it closes. */
export function rememberBounds(window: BrowserWindow, preferences: PreferencesService): void {
  window.on('close', () => {
    const bounds: WindowBounds = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    void preferences.setWindowBounds(bounds);
  });
}

function overlaps(area: Rectangle, bounds: WindowBounds): boolean {
  return (
    bounds.x < area.x + area.width - 80 &&
    bounds.x + bounds.width > area.x + 80 &&
    bounds.y >= area.y - 10 &&
    bounds.y < area.y + area.height - 40
  );
}
