import { mkdir, readFile } from 'node:fs/promises';
import type { DownloadOffers } from '../services/web/downloads';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RunMode } from '../../shared/api/domains/app';
import { createWorkbench } from '../composition';
import type { Workbench } from '../composition';
import { localEmulatorLauncher } from '../services/environments/localEmulator';
import { DEFAULT_POLL_POLICY } from '../services/jobs/execution';
import type { PollPolicy } from '../services/jobs/execution';
import { createLogger } from '../services/logging/logger';
import { nodeFetch } from '../services/net/fetch';
import type { Logger } from '../services/logging/logger';
import { openJsonFileSettingsStore } from '../services/settings/jsonFileSettingsStore';
import { openInBrowser } from './browser';
import type { CliIo } from './io';

/** The folder holding settings, projects and logs outside Electron: $DMFW_HOME or ~/.dmf-workbench. */
export function workbenchHome(env: CliIo['env']): string {
  return env.DMFW_HOME || join(homedir(), '.dmf-workbench');
}

export const REPO_ROOT = new URL('../../', import.meta.url);

export async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('package.json', REPO_ROOT), 'utf8')) as { version: string };
  return pkg.version;
}

/** The same services the desktop app runs, for the CLI and browser mode. */
/** Waits of jobs against a Local emulator without latency: it answers at once, so poll it often. */
const LOCAL_FAST_POLL: PollPolicy = Object.freeze({
  ...DEFAULT_POLL_POLICY,
  firstMs: 150,
  maxMs: 1000,
  submitGraceMs: 1000,
});

export async function openWorkbench(
  io: CliIo,
  mode: RunMode,
  options: { readonly emulatorSpeed?: number | 'max'; readonly downloads?: DownloadOffers } = {},
): Promise<{ workbench: Workbench; logger: Logger }> {
  const home = workbenchHome(io.env);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const logger = createLogger({
    sink: (line) => io.stderr(`${line}\n`),
    level: io.env.DMFW_LOG_LEVEL === 'debug' ? 'debug' : 'warn',
    scope: mode,
  });
  const settings = await openJsonFileSettingsStore(join(home, 'settings.json'), logger);
  const workbench = createWorkbench({
    appInfo: {
      name: 'DMF Workbench',
      version: await packageVersion(),
      mode,
      platform: process.platform,
      runtime: `Node ${process.versions.node}`,
    },
    settings,
    logger,
    dataDir: home,
    // `dmfw login` opens the sign-in page in the system browser and prints it, for a remote shell.
    openSystemBrowser: async (url) => {
      io.stderr(`Sign in in your browser. If it did not open, open this address:\n\n  ${url}\n\n`);
      openInBrowser(url);
    },
    secrets: io.env,
    ...(options.downloads ? { downloads: options.downloads } : {}),
    ...(options.emulatorSpeed === undefined || options.emulatorSpeed === 1
      ? {}
      : {
          launchEmulator: localEmulatorLauncher({
            dataDir: join(home, 'emulator'),
            fetch: nodeFetch,
            logger,
            emulatorOptions: { speed: options.emulatorSpeed },
          }),
          ...(options.emulatorSpeed === 'max' ? { poll: LOCAL_FAST_POLL } : {}),
        }),
  });
  return { workbench, logger };
}
