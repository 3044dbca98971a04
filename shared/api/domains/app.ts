import { z } from '../zod';
import { event, method } from '../define';

export type RunMode = 'desktop' | 'browser' | 'cli' | 'test';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly mode: RunMode;
  readonly platform: string;
  readonly runtime: string;
}

export interface Notice {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
}

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export interface RecentProject {
  readonly dir: string;
  readonly name: string;
  readonly openedAt: string;
}

export type LayoutValue = number | string | boolean;

/** What the workbench remembers about how it looked: theme, last area, panel sizes, recent projects. */
export interface Preferences {
  readonly theme: Theme;
  readonly area: string | null;
  readonly layout: Readonly<Record<string, LayoutValue>>;
  /** Newest first, at most ten. */
  readonly recentProjects: readonly RecentProject[];
}

const layoutKey = z.string().min(1).max(100);
const layoutValue = z.union([z.number().finite(), z.string().max(200), z.boolean()]);

export const appMethods = {
  'app.info': method<AppInfo>()('Name, version and run mode of the workbench.', z.object({}).strict()),
  'app.preferences': method<Preferences>()(
    'The remembered theme, area, layout and recent projects.',
    z.object({}).strict(),
  ),
  'app.showInFolder': method<{ readonly shown: boolean }>()(
    'Show a file the workbench wrote (a saved package) in the file manager: the desktop app only.',
    z.object({ path: z.string().min(1).max(4096) }).strict(),
  ),
  'app.setPreferences': method<Preferences>()(
    'Remember the theme, the area or panel sizes (layout keys are merged; null forgets one).',
    z
      .object({
        theme: z.enum(THEMES).optional(),
        area: z.string().min(1).max(40).optional(),
        layout: z
          .record(layoutKey, layoutValue.nullable())
          .refine((value) => Object.keys(value).length <= 100, 'At most 100 layout values at a time.')
          .optional(),
      })
      .strict(),
  ),
} as const;

export const appEvents = {
  'app.notice': event<Notice>('A message for the user that is not the answer to a call.'),
} as const;
