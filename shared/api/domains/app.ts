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

export const appMethods = {
  'app.info': method<AppInfo>()('Name, version and run mode of the workbench.', z.object({}).strict()),
} as const;

export const appEvents = {
  'app.notice': event<Notice>('A message for the user that is not the answer to a call.'),
} as const;
