import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appHandlers } from '../../../electron/rpc/handlers/app';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openJsonFileSettingsStore } from '../../../electron/services/settings/jsonFileSettingsStore';
import { PreferencesService } from '../../../electron/services/settings/preferences';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs('dmfw-app-');
const info = { name: 'DMF Workbench', version: '0', mode: 'test', platform: 'linux', runtime: 'test' } as const;

async function handlers(revealPath?: (path: string) => Promise<void>) {
  const dir = await temp.make();
  const preferences = new PreferencesService(await openJsonFileSettingsStore(join(dir, 'settings.json'), silentLogger));
  return { dir, app: appHandlers(info, preferences, revealPath) };
}

const show = (app: ReturnType<typeof appHandlers>, path: string) =>
  app['app.showInFolder']({ path }, { transport: 'in-process' });

describe('app.showInFolder', () => {
  it('shows a file that exists in the file manager of the desktop app', async () => {
    const shown: string[] = [];
    const { dir, app } = await handlers(async (path) => {
      shown.push(path);
    });
    const file = join(dir, 'wave.zip');
    await writeFile(file, 'PK');
    await expect(show(app, file)).resolves.toEqual({ shown: true });
    expect(shown).toEqual([file]);
    await expect(show(app, join(dir, 'gone.zip'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(show(app, dir)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(shown).toHaveLength(1);
  });

  it('says where the file is when there is no file manager (browser mode)', async () => {
    const { app } = await handlers();
    await expect(show(app, '/tmp/wave.zip')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'There is no file manager to show from browser mode. The file is at /tmp/wave.zip.',
    });
  });
});
