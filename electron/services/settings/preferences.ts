import type { LayoutValue, Preferences, RecentProject, Theme } from '../../../shared/api/domains/app';
import type { SettingsStore, UiSettings, WorkbenchSettings } from './settings';
import { uiSettingsSchema } from './settings';

const MAX_RECENT_PROJECTS = 10;
/** Layout keys kept at most: a misbehaving renderer cannot grow the settings file without bound. */
const MAX_LAYOUT_KEYS = 200;

export type WindowBounds = NonNullable<UiSettings['window']>;

/**
 * The workbench's look between runs, kept in the settings store next to the environments:
 * theme, last area, panel sizes, recent projects, and (desktop) the window's bounds.
 */
export class PreferencesService {
  readonly #settings: SettingsStore;

  constructor(settings: SettingsStore) {
    this.#settings = settings;
  }

  get(): Preferences {
    const ui = uiOf(this.#settings.read());
    return { theme: ui.theme, area: ui.area ?? null, layout: ui.layout, recentProjects: ui.recentProjects };
  }

  async set(change: {
    theme?: Theme;
    area?: string;
    layout?: Readonly<Record<string, LayoutValue | null>>;
  }): Promise<Preferences> {
    await this.#update((ui) => {
      const merged = new Map(Object.entries(ui.layout));
      for (const [key, value] of Object.entries(change.layout ?? {})) {
        if (value === null) merged.delete(key);
        else merged.set(key, value);
      }
      // The newest keys are kept when there are too many.
      const layout = Object.fromEntries([...merged].slice(-MAX_LAYOUT_KEYS));
      return {
        ...ui,
        ...(change.theme ? { theme: change.theme } : {}),
        ...(change.area ? { area: change.area } : {}),
        layout,
      };
    });
    return this.get();
  }

  /** A project was opened or created: it goes to the top of the recent list. */
  async touchProject(dir: string, name: string): Promise<void> {
    const entry: RecentProject = { dir, name, openedAt: new Date().toISOString() };
    await this.#update((ui) => ({
      ...ui,
      recentProjects: [entry, ...ui.recentProjects.filter((p) => p.dir !== dir)].slice(0, MAX_RECENT_PROJECTS),
    }));
  }

  windowBounds(): WindowBounds | null {
    return uiOf(this.#settings.read()).window ?? null;
  }

  async setWindowBounds(bounds: WindowBounds): Promise<void> {
    await this.#update((ui) => ({ ...ui, window: bounds }));
  }

  async #update(change: (ui: UiSettings) => UiSettings): Promise<void> {
    await this.#settings.update((current) => ({ ...current, ui: change(uiOf(current)) }));
  }
}

function uiOf(settings: WorkbenchSettings): UiSettings {
  return settings.ui ?? uiSettingsSchema.parse({});
}
