import { z } from 'zod';
import {
  AUTH_MODES,
  ENVIRONMENT_KINDS,
  ENVIRONMENT_TAGS,
  LOCAL_EMULATOR_ID,
} from '../../../shared/domain/environments';

/**
 * What the workbench remembers between runs. No secrets: tokens live in the encrypted MSAL cache,
 * client secrets in environment variables or the OS keychain.
 */
export const storedEnvironmentSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(ENVIRONMENT_KINDS),
  url: z.string().url(),
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  authority: z.string().url().optional(),
  defaultCompany: z.string().min(1).max(4),
  tag: z.enum(ENVIRONMENT_TAGS),
  authMode: z.enum(AUTH_MODES).default('interactive'),
  /** The NAME of an environment variable that holds the client secret; never the secret. */
  clientSecretVariable: z.string().min(1).optional(),
  /** MSAL homeAccountId of the account chosen for this environment (not a secret). */
  homeAccountId: z.string().min(1).optional(),
  /** That account's user name, for display. */
  username: z.string().min(1).optional(),
});

/** How the workbench looked when it was closed: theme, area, panel sizes, window, recent projects. */
export const uiSettingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  area: z.string().min(1).max(40).optional(),
  /** Sizes and toggles of panels, by a name the renderer chooses. */
  layout: z.record(z.string().max(100), z.union([z.number(), z.string().max(200), z.boolean()])).default({}),
  recentProjects: z
    .array(z.object({ dir: z.string().min(1), name: z.string().min(1), openedAt: z.string().min(1) }))
    .default([]),
  /** The desktop window's bounds (the app only). */
  window: z
    .object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().min(200),
      height: z.number().int().min(200),
      maximized: z.boolean().default(false),
    })
    .optional(),
});

export type UiSettings = z.infer<typeof uiSettingsSchema>;

export const SETTINGS_SCHEMA_VERSION = 1;

export const settingsSchema = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  activeEnvironmentId: z.string().min(1),
  environments: z.array(storedEnvironmentSchema),
  /** The account chosen for the built-in Local emulator (its URL changes every start). */
  localEmulator: z
    .object({ homeAccountId: z.string().min(1), username: z.string().min(1) })
    .partial()
    .optional(),
  ui: uiSettingsSchema.optional(),
});

export type StoredEnvironment = z.infer<typeof storedEnvironmentSchema>;
export type WorkbenchSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: WorkbenchSettings = Object.freeze({
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  activeEnvironmentId: LOCAL_EMULATOR_ID,
  environments: [],
}) as WorkbenchSettings;

/**
 * The settings port. The desktop app backs it with electron-store; the CLI, browser mode and
 * tests with a JSON file. Updates are serialised and persisted before they resolve.
 */
export interface SettingsStore {
  read(): WorkbenchSettings;
  update(change: (current: WorkbenchSettings) => WorkbenchSettings): Promise<WorkbenchSettings>;
}
