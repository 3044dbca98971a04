import { describe, expect, it } from 'vitest';
import { followJob } from '../../../electron/cli/session';
import type { CliIo } from '../../../electron/cli/io';
import type { Client } from '../../../shared/api/client';
import type { JobProgress, JobSummary } from '../../../shared/api/domains/jobs';
import { jobSummary } from '../../support/jobSummary';

const base = jobSummary({ title: 'Import p.zip into UAT', environmentName: 'UAT', dataProject: 'P' });

/** A client that plays a script of job changes and progress events once someone listens. */
function scripted(script: ({ changed: Partial<JobSummary> } | { progress: JobProgress })[]): Client {
  const listeners = new Map<string, (payload: unknown) => void>();
  return {
    call: (async (method: string) => {
      if (method !== 'jobs.get') throw new Error(method);
      setTimeout(() => {
        for (const item of script) {
          if ('changed' in item) listeners.get('jobs.changed')?.({ ...base, ...item.changed });
          else listeners.get('jobs.progress')?.({ jobId: 'j1', progress: item.progress });
        }
      }, 0);
      return { ...base, state: 'queued', step: 'build' };
    }) as Client['call'],
    request: (async () => ({ ok: false, error: { code: 'INTERNAL', message: '' } })) as Client['request'],
    on: ((event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    }) as Client['on'],
  };
}

const script = [
  { changed: { state: 'running', step: 'upload' } },
  ...[0, 10, 30, 55, 80, 100].map((p) => ({
    progress: { phase: 'upload', loadedBytes: p * 1024 * 1024, totalBytes: 100 * 1024 * 1024 },
  })),
  { changed: { state: 'running', step: 'poll', executionStatus: 'Executing' as const } },
  { changed: { state: 'succeeded', step: 'done', executionStatus: 'Succeeded' as const } },
] as const;

function io(interactive: boolean): CliIo & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => {}, stderr: (t) => err.push(t), interactive, env: {}, cwd: '/' };
}

describe('job progress on the command line', () => {
  it('draws a bar in place on a terminal', async () => {
    const streams = io(true);
    const job = await followJob(scripted([...script]), streams, { ...base, state: 'queued', step: 'build' });
    expect(job.state).toBe('succeeded');
    const text = streams.err.join('');
    expect(text).toContain('\r\u001b[2K[############################] 100% upload 100.0 / 100.0 MB');
    expect(text).toContain('Import p.zip into UAT: poll (Executing) [running]\n');
  });

  it('writes plain lines, a few per transfer, elsewhere', async () => {
    const streams = io(false);
    await followJob(scripted([...script]), streams, { ...base, state: 'queued', step: 'build' });
    const text = streams.err.join('');
    expect(text).not.toContain('\r');
    expect(text.split('\n').filter((l) => l.startsWith('upload'))).toEqual([
      'upload 0.0 / 100.0 MB (0%)',
      'upload 30.0 / 100.0 MB (30%)',
      'upload 55.0 / 100.0 MB (55%)',
      'upload 80.0 / 100.0 MB (80%)',
      'upload 100.0 / 100.0 MB (100%)',
    ]);
  });

  it('says which process a waiting job waits for, once', async () => {
    const streams = io(false);
    const message = 'Waiting for dmfw (pid 4242) to finish its import on UAT.';
    await followJob(
      scripted([
        { changed: { state: 'waiting', step: 'submit' } },
        { progress: { phase: 'waiting', message } },
        { progress: { phase: 'waiting', message } },
        { changed: { state: 'succeeded', step: 'done' } },
      ]),
      streams,
      { ...base, state: 'queued', step: 'build' },
    );
    expect(streams.err.join('').split('\n')).toEqual([
      'Import p.zip into UAT: build [queued]',
      'Import p.zip into UAT: submit [waiting]',
      message,
      'Import p.zip into UAT: done [succeeded]',
      '',
    ]);
  });
});
