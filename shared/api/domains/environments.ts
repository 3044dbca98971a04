import { z } from '../zod';
import type { EnvironmentSummary } from '../../domain/environments';
import { event, method } from '../define';

export interface EnvironmentList {
  readonly environments: readonly EnvironmentSummary[];
  /** The environment the status bar shows and jobs default to. */
  readonly activeId: string;
}

const environmentId = z.string().min(1).max(200);

export const environmentMethods = {
  'environments.list': method<EnvironmentList>()(
    'Every registered environment, the built-in Local emulator first.',
    z.object({}).strict(),
  ),
  'environments.setActive': method<EnvironmentList>()(
    'Choose the environment that jobs default to.',
    z.object({ id: environmentId }).strict(),
  ),
} as const;

export const environmentEvents = {
  'environments.changed': event<EnvironmentList>('The list, the active environment or a connection state changed.'),
} as const;
