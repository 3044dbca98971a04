import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessTransport } from '../../../electron/rpc/inProcessTransport';
import { createClient } from '../../../shared/api/client';
import type { ProjectDocument } from '../../../shared/api/domains/projects';
import type { Transport } from '../../../shared/api/transport';
import { createWizardStore } from '../../../renderer/src/features/package/wizardStore';
import { createTestWorkbench } from '../../support/workbench';
import type { TestWorkbench } from '../../support/workbench';

let test: TestWorkbench;
let work: string;

beforeAll(async () => {
  test = await createTestWorkbench({ launchEmulator: null, datasets: { worker: null } });
  work = await mkdtemp(join(tmpdir(), 'dmfw-wizard-store-'));
  await writeFile(join(work, 'customers.csv'), 'CUSTOMERACCOUNT,ORGANIZATIONNAME\r\nWS-1,Alpine\r\n');
});

afterAll(async () => {
  await test?.dispose();
  await rm(work, { recursive: true, force: true });
});

/** The real services, with a gate on the projects.update calls that carry `refreshType`. */
function gatedTransport(): { transport: Transport; open(): void; plans(): number } {
  const real = createInProcessTransport(test.workbench.dispatcher, test.workbench.hub);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let plans = 0;
  return {
    transport: {
      async call(method, params) {
        if (method === 'projects.update' && JSON.stringify(params).includes('IncrementalPush')) await gate;
        const answer = await real.call(method, params);
        if (method === 'packages.plan') plans++;
        return answer;
      },
      on: (event, listener) => real.on(event, listener),
    },
    open,
    plans: () => plans,
  };
}

describe('the package wizard store', () => {
  it('keeps every quick change: a plan answered for an earlier change never becomes the base of the next', async () => {
    const gated = gatedTransport();
    const store = createWizardStore(createClient(gated.transport));
    expect(await store.getState().create(join(work, 'Quick'), 'Quick')).toBe(true);
    await store
      .getState()
      .changeEntities(() => [{ label: 'Customers V3', sourceFile: '../customers.csv', enabled: true }]);
    const before = gated.plans();

    // Three changes in quick succession; the second one's write is held back.
    const first = store.getState().changeEntity('Customers V3', (e) => ({ ...e, changeTracking: 'entire-entity' }));
    const second = store.getState().changeEntity('Customers V3', (e) => ({ ...e, refreshType: 'IncrementalPush' }));
    await first;
    // The first change's plan has come back (it knows nothing of the second): the screen still shows both.
    expect(gated.plans()).toBe(before + 1);
    expect(store.getState().plan?.entities[0]).toMatchObject({
      changeTracking: 'entire-entity',
      refreshType: 'IncrementalPush',
    });
    const third = store
      .getState()
      .changeEntity('Customers V3', (e) => ({ ...e, processing: { ...e.processing, failLevelOnError: true } }));
    gated.open();
    await Promise.all([second, third]);

    const saved = JSON.parse(await readFile(join(work, 'Quick', 'dmfw-project.json'), 'utf8')) as ProjectDocument;
    expect(saved.entities[0]).toMatchObject({
      changeTracking: 'entire-entity',
      refreshType: 'IncrementalPush',
      processing: { failLevelOnError: true },
    });
    expect(store.getState().plan?.entities[0]).toMatchObject({
      changeTracking: 'entire-entity',
      refreshType: 'IncrementalPush',
      processing: { failLevelOnError: true },
    });
    expect(store.getState().problem).toBeNull();
  });
});
