import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openJsonFileSettingsStore } from '../../../electron/services/settings/jsonFileSettingsStore';
import { PreferencesService } from '../../../electron/services/settings/preferences';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs('dmfw-prefs-');

async function open(dir: string): Promise<PreferencesService> {
  return new PreferencesService(await openJsonFileSettingsStore(join(dir, 'settings.json'), silentLogger));
}

describe('the preferences (theme, area, layout, recent projects, window)', () => {
  it('starts from the system theme with nothing remembered', async () => {
    const prefs = await open(await temp.make());
    expect(prefs.get()).toEqual({ theme: 'system', area: null, layout: {}, recentProjects: [] });
    expect(prefs.windowBounds()).toBeNull();
  });

  it('merges layout values, forgets those set to null, and keeps everything across a restart', async () => {
    const dir = await temp.make();
    const prefs = await open(dir);
    await prefs.set({ theme: 'dark', area: 'jobs', layout: { 'jobs.listWidth': 380, 'wizard.showReasons': true } });
    await prefs.set({ layout: { 'jobs.listWidth': 420, 'wizard.showReasons': null, 'copy.tab': 'diff' } });
    const again = await open(dir);
    expect(again.get()).toMatchObject({
      theme: 'dark',
      area: 'jobs',
      layout: { 'jobs.listWidth': 420, 'copy.tab': 'diff' },
    });
    expect(again.get().layout).not.toHaveProperty('wizard.showReasons');
    // The environments in the same file are untouched.
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(file).toMatchObject({ schemaVersion: 1, activeEnvironmentId: 'local-emulator', environments: [] });
  });

  it('keeps at most 200 layout values, dropping the oldest', async () => {
    const prefs = await open(await temp.make());
    for (let batch = 0; batch < 3; batch++) {
      const layout = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${batch * 100 + i}`, i]));
      await prefs.set({ layout });
    }
    const keys = Object.keys(prefs.get().layout);
    expect(keys).toHaveLength(200);
    expect(keys[0]).toBe('k100');
    expect(keys.at(-1)).toBe('k299');
  });

  it('puts an opened project on top of the recent list once, and keeps ten', async () => {
    const prefs = await open(await temp.make());
    for (let i = 1; i <= 12; i++) await prefs.touchProject(`/work/p${i}`, `Project ${i}`);
    await prefs.touchProject('/work/p5', 'Project 5 renamed');
    const recent = prefs.get().recentProjects;
    expect(recent).toHaveLength(10);
    expect(recent[0]).toMatchObject({ dir: '/work/p5', name: 'Project 5 renamed' });
    expect(recent.filter((p) => p.dir === '/work/p5')).toHaveLength(1);
    expect(recent.map((p) => p.dir)).not.toContain('/work/p1');
  });

  it('remembers the desktop window bounds', async () => {
    const dir = await temp.make();
    await (await open(dir)).setWindowBounds({ x: 40, y: 30, width: 1280, height: 800, maximized: true });
    expect((await open(dir)).windowBounds()).toEqual({ x: 40, y: 30, width: 1280, height: 800, maximized: true });
  });
});
