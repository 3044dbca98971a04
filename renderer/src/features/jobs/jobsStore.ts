import { createStore } from 'zustand/vanilla';
import type { Client } from '../../../../shared/api/client';
import type { JobProgress, JobSummary } from '../../../../shared/api/domains/jobs';
import { describeJobEnd, jobEndWatcher } from '../../../../shared/domain/jobs/outcome';
import type { JobEndNotice } from '../../../../shared/domain/jobs/outcome';

export interface JobsState {
  /** Newest first. null until loaded. */
  readonly jobs: readonly JobSummary[] | null;
  readonly selectedId: string | null;
  /** Live progress of running jobs (jobs.progress events arrive between jobs.changed). */
  readonly progress: Readonly<Record<string, JobProgress>>;
  readonly error: string | null;
  /**
   * A job was chosen from elsewhere (started in the wizard, a notification, a re-import): the
   * Jobs area shows it, even when it was left on Run history. Cleared once shown.
   */
  readonly reveal: boolean;
  load(): Promise<void>;
  /** Shows a job in the Jobs area's list and detail. */
  select(id: string | null): void;
  revealed(): void;
}

export type JobsStore = ReturnType<typeof createJobsStore>;

/**
 * The jobs as the renderer sees them: the list from jobs.list, kept current by jobs.changed and
 * jobs.progress. `onEnd` is told once when a job this window watched reaches a final state.
 */
export function createJobsStore(client: Client, onEnd: (notice: JobEndNotice, job: JobSummary) => void) {
  const store = createStore<JobsState>()((set, get) => ({
    jobs: null,
    selectedId: null,
    progress: {},
    error: null,
    reveal: false,
    async load() {
      try {
        const jobs = await client.call('jobs.list', {});
        set({ jobs, error: null, selectedId: get().selectedId ?? jobs[0]?.id ?? null });
      } catch (error) {
        set({ error: error instanceof Error ? error.message : String(error) });
      }
    },
    select(id) {
      set({ selectedId: id, reveal: id !== null });
    },
    revealed() {
      set({ reveal: false });
    },
  }));
  const watch = jobEndWatcher((job) => onEnd(describeJobEnd(job), job));
  client.on('jobs.changed', (job) => {
    const state = store.getState();
    const others = (state.jobs ?? []).filter((j) => j.id !== job.id);
    const jobs = [job, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const progress = { ...state.progress };
    if (job.progress) progress[job.id] = job.progress;
    store.setState({ jobs, progress });
    watch(job);
  });
  client.on('jobs.progress', ({ jobId, progress }) => {
    store.setState({ progress: { ...store.getState().progress, [jobId]: progress } });
  });
  return store;
}
