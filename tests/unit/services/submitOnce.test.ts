import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import type { DmfClient } from '../../../electron/services/dmf/dmfClient';
import { AmbiguousCallError } from '../../../electron/services/dmf/dmfHttp';
import type { ExecutionStatus } from '../../../electron/services/dmf/types';
import { submitOnce } from '../../../electron/services/jobs/execution';
import type { ExecutionServices } from '../../../electron/services/jobs/execution';
import type { StepContext } from '../../../electron/services/jobs/jobRunner';
import type { JobRecord } from '../../../electron/services/jobs/jobStore';

/** F&O as far as submitOnce sees it: which ids it knows, and what each send does. */
function setup(options: {
  sends: ('ok' | 'lost-but-ran' | 'lost' | 'refused-known')[];
  known?: boolean;
  sentBefore?: number;
}) {
  const known = new Set<string>(options.known ? ['E1'] : []);
  const log: string[] = [];
  let now = 1_000_000;
  const job = {
    data: options.sentBefore === undefined ? {} : { submitSentAt: options.sentBefore },
  } as unknown as JobRecord;
  const saves: unknown[] = [];
  const dmf = {
    probeExecution: async (id: string): Promise<ExecutionStatus | null> => {
      log.push('probe');
      return known.has(id) ? 'Executing' : null;
    },
  } as unknown as DmfClient;
  const send = async () => {
    const what = options.sends.shift() ?? 'ok';
    log.push(`send:${what}`);
    if (what === 'ok') {
      known.add('E1');
      return 'E1';
    }
    if (what === 'lost-but-ran') {
      known.add('E1');
      throw new AmbiguousCallError('ImportFromPackage', 'network error ECONNRESET');
    }
    if (what === 'refused-known')
      throw new AppError('REMOTE_FAILED', "The execution id 'E1' is already used by another job.");
    throw new AmbiguousCallError('ImportFromPackage', 'HTTP 503');
  };
  const context = {
    job,
    signal: new AbortController().signal,
    save: async () => {
      saves.push(structuredClone(job.data));
    },
    services: {
      timing: {
        now: () => now,
        random: () => 0.5,
        sleep: async (ms: number) => {
          log.push(`sleep:${ms}`);
          now += ms;
        },
      },
      poll: { firstMs: 10, maxMs: 100, factor: 2, maxWaitMs: 1000, submitGraceMs: 5000, maxSubmissions: 3 },
    },
  } as unknown as StepContext<ExecutionServices>;
  return { run: () => submitOnce(context, dmf, 'E1', send), log, saves, job };
}

describe('sending ImportFromPackage exactly once', () => {
  it('saves that it is sending before it sends', async () => {
    const { run, log, saves } = setup({ sends: ['ok'] });
    await run();
    expect(log).toEqual(['send:ok']);
    expect(saves).toEqual([{ submitSentAt: 1_000_000 }]);
  });

  it('does not send again when the answer was lost but F&O started the execution', async () => {
    const { run, log } = setup({ sends: ['lost-but-ran'] });
    await run();
    expect(log).toEqual(['send:lost-but-ran', 'probe']);
  });

  it('sends again only after F&O says, past the grace period, that it never got the first', async () => {
    const { run, log } = setup({ sends: ['lost', 'ok'] });
    await run();
    expect(log).toEqual(['send:lost', 'probe', 'sleep:5000', 'probe', 'send:ok']);
  });

  it('after a restart, asks before sending and sends nothing when the execution exists', async () => {
    const { run, log } = setup({ sends: [], known: true, sentBefore: 999_000 });
    await run();
    expect(log).toEqual(['probe']);
  });

  it('takes "the execution id is already used" after a lost answer as its own execution', async () => {
    const { run, log } = setup({ sends: ['refused-known'], known: true });
    await run();
    expect(log).toEqual(['send:refused-known', 'probe']);
  });

  it('gives up after the allowed submissions, saying to resume', async () => {
    const { run, log } = setup({ sends: ['lost', 'lost', 'lost'] });
    await expect(run()).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('resume the job'),
    });
    expect(log.filter((l) => l.startsWith('send'))).toHaveLength(3);
  });
});
