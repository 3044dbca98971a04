import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/services/logging/logger';
import { openJsonFileSettingsStore } from '../../../electron/services/settings/jsonFileSettingsStore';
import { DEFAULT_SETTINGS } from '../../../electron/services/settings/settings';

describe('the JSON file settings store', () => {
  let dir: string;
  let file: string;
  const warnings: string[] = [];
  const logger = createLogger({ sink: (line) => warnings.push(line) });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmfw-settings-'));
    file = join(dir, 'settings.json');
    warnings.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('starts from the defaults when there is no file', async () => {
    const store = await openJsonFileSettingsStore(file, logger);
    expect(store.read()).toEqual(DEFAULT_SETTINGS);
  });

  it('persists updates and reads them back', async () => {
    const store = await openJsonFileSettingsStore(file, logger);
    await store.update((s) => ({ ...s, activeEnvironmentId: 'uat' }));
    const again = await openJsonFileSettingsStore(file, logger);
    expect(again.read().activeEnvironmentId).toBe('uat');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ activeEnvironmentId: 'uat' });
  });

  it('serialises concurrent updates so none is lost', async () => {
    const store = await openJsonFileSettingsStore(file, logger);
    const names = Array.from({ length: 20 }, (_, i) => `env-${i}`);
    await Promise.all(
      names.map((id) => store.update((s) => ({ ...s, activeEnvironmentId: `${s.activeEnvironmentId}+${id}` }))),
    );
    const active = (await openJsonFileSettingsStore(file, logger)).read().activeEnvironmentId;
    for (const id of names) expect(active).toContain(id);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an update that breaks the schema and keeps the previous settings', async () => {
    const store = await openJsonFileSettingsStore(file, logger);
    await store.update((s) => ({ ...s, activeEnvironmentId: 'kept' }));
    await expect(store.update((s) => ({ ...s, activeEnvironmentId: '' }))).rejects.toThrow();
    expect(store.read().activeEnvironmentId).toBe('kept');
    expect((await openJsonFileSettingsStore(file, logger)).read().activeEnvironmentId).toBe('kept');
  });

  it.each([['not json {'], ['{"schemaVersion": 99}'], ['\u0000\u0001binary'], ['[]']])(
    'keeps an unreadable file aside instead of overwriting it (%j)',
    async (content) => {
      await writeFile(file, content);
      const store = await openJsonFileSettingsStore(file, logger);
      expect(store.read()).toEqual(DEFAULT_SETTINGS);
      const aside = (await readdir(dir)).find((f) => f.startsWith('settings.json.unreadable-'));
      expect(aside).toBeDefined();
      expect(await readFile(join(dir, aside!), 'utf8')).toBe(content);
      expect(warnings.join('\n')).toContain('could not be read');
    },
  );
});
