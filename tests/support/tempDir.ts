import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * Temp folders for the tests of one file: `const temp = tempDirs();` at the top, then
 * `const dir = await temp.make()` in a test. Every folder is removed after each test.
 */
export function tempDirs(prefix = 'dmfw-test-'): { make(): Promise<string> } {
  const created: string[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    async make() {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      created.push(dir);
      return dir;
    },
  };
}
