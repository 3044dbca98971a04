import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The runtime boundaries of DESIGN.md are enforced by eslint.config.js. These cases make sure the
 * config keeps enforcing them: each snippet is linted as if it lived at the given path.
 */
const eslint = new ESLint();

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

describe('lint boundaries', () => {
  it.each([
    ['shared/domain/x.ts', "import { readFile } from 'node:fs';\nexport const f = readFile;\n"],
    ['shared/domain/x.ts', "import { readFile } from 'fs';\nexport const f = readFile;\n"],
    ['shared/domain/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['shared/domain/x.ts', "import type { App } from 'electron';\nexport type A = App;\n"],
    ['shared/domain/x.ts', "import { createElement } from 'react';\nexport const c = createElement;\n"],
    ['shared/domain/x.ts', "import { EventHub } from '../../electron/rpc/eventHub';\nexport const h = EventHub;\n"],
    ['shared/domain/x.ts', "import { z } from 'zod';\nexport const s = z.string();\n"],
    ['electron/services/x/y.ts', "import { safeStorage } from 'electron';\nexport const s = safeStorage;\n"],
    ['electron/rpc/y.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n"],
    ['electron/cli/y.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['emulator/y.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['renderer/src/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n"],
    [
      'renderer/src/x.ts',
      "import { createWorkbench } from '../../electron/composition';\nexport const c = createWorkbench;\n",
    ],
    [
      'renderer/src/x.ts',
      "import { AllEnterpriseModule } from 'ag-grid-enterprise';\nexport const m = AllEnterpriseModule;\n",
    ],
  ])('refuses in %s: %s', async (path, code) => {
    expect(await ruleIdsFor(path, code)).toContain(RESTRICTED);
  });

  it.each([
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron';\nexport const c = contextBridge;\n"],
    ['electron/services/x/y.ts', "import type { SafeStorage } from 'electron';\nexport type S = SafeStorage;\n"],
    ['electron/services/x/y.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n"],
    ['renderer/src/x.ts', "import { createClient } from '../../shared/api/client';\nexport const c = createClient;\n"],
    ['shared/domain/x.ts', "import { z } from '../api/zod';\nexport const s = z.string();\n"],
  ])('allows in %s: %s', async (path, code) => {
    expect(await ruleIdsFor(path, code)).not.toContain(RESTRICTED);
  });
});
