import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkbench } from '../../electron/composition';
import type { Workbench, WorkbenchPorts } from '../../electron/composition';
import { createLogger } from '../../electron/services/logging/logger';
import { openJsonFileSettingsStore } from '../../electron/services/settings/jsonFileSettingsStore';

export interface TestWorkbench {
  readonly workbench: Workbench;
  readonly home: string;
  /** Log lines written during the test (already redacted). */
  readonly logLines: string[];
  /** Stops what the workbench started and deletes its folder (unless `home` was given). */
  dispose(): Promise<void>;
}

/**
 * A real workbench with its settings in a temporary folder. `home` reopens an existing folder
 * (a restart); other options replace ports (network, secrets, emulator launcher, retry policy).
 */
export async function createTestWorkbench(
  options: { home?: string } & Partial<Omit<WorkbenchPorts, 'appInfo' | 'settings' | 'logger' | 'dataDir'>> = {},
): Promise<TestWorkbench> {
  const { home: given, ...ports } = options;
  const home = given ?? (await mkdtemp(join(tmpdir(), 'dmfw-test-')));
  await mkdir(home, { recursive: true });
  const logLines: string[] = [];
  const logger = createLogger({ sink: (line) => logLines.push(line), level: 'debug' });
  const settings = await openJsonFileSettingsStore(join(home, 'settings.json'), logger);
  const workbench = createWorkbench({
    appInfo: {
      name: 'DMF Workbench',
      version: '0.0.0-test',
      mode: 'test',
      platform: process.platform,
      runtime: 'test',
    },
    settings,
    logger,
    dataDir: home,
    ...ports,
  });
  return {
    workbench,
    home,
    logLines,
    dispose: async () => {
      await workbench.close();
      if (!given) await rm(home, { recursive: true, force: true });
    },
  };
}
