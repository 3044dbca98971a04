/**
 * Runs hostile cases in child processes (caseRunner.ts), each case under a budget of time and
 * memory: a case that runs past its time is a hang, one whose process grows past the memory
 * budget is a memory failure, one whose process dies is a crash. The child is killed and a new
 * one takes the next case, so one bad case cannot hide the others.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../paths';
import type { CaseVerdict } from './caseRunner';

const RUNNER = fileURLToPath(new URL('./caseRunner.ts', import.meta.url));

/** Making one case's input (the corpus builds files of up to ~30 MB; the bridge case's workbench starts). */
const PREPARE_MS = 120_000;

export interface CaseBudget {
  readonly ms: number;
  readonly rssBytes: number;
}

/** Issue 12's budget per case. */
export const CASE_BUDGET: CaseBudget = { ms: 10_000, rssBytes: 500 * 1024 * 1024 };

/**
 * A child whose resident size after a case is past this is replaced before the next case: what
 * earlier cases left must not eat the next one's budget (a child starts at ~170 MB; the biggest
 * case adds ~100 MB).
 */
const RECYCLE_RSS_BYTES = 300 * 1024 * 1024;

/**
 * glibc raises its mmap threshold each time a large block is freed (up to 32 MB), after which big
 * buffers come from the heap and stay resident when freed: a child that had run 160 cases sat at
 * 420 MB with nothing alive, and a 70 MB case then passed 500 MB. A fixed threshold gives freed
 * blocks back to the system, so each case is measured by what it holds (mallopt(3), M_MMAP_THRESHOLD).
 */
const CHILD_ENV = { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

export interface CaseResult extends CaseVerdict {
  readonly verdict: 'pass' | 'fail' | 'crash' | 'hang' | 'memory';
  readonly ms: number;
  /** The highest resident size of the case's process seen while it ran. */
  readonly peakRssBytes: number;
  /** The resident size of the case's process when the case started (what earlier cases left). */
  readonly startRssBytes: number;
}

/** The resident size of a process (Linux: /proc/<pid>/status), 0 when it cannot be read. */
async function rssOf(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

class Runner {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  #stderr = '';
  #pending: ((message: CaseVerdict | null) => void) | null = null;
  #started: (() => void) | null = null;

  constructor() {
    // --expose-gc: the runner collects between cases, so one case's garbage is not the next one's RSS.
    this.child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', RUNNER], {
      cwd: REPO_ROOT,
      env: CHILD_ENV,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.child.once('message', () => resolve());
      this.child.once('exit', (code, signal) =>
        reject(new Error(`The case runner exited before it was ready (${code ?? signal}): ${this.#stderr}`)),
      );
    });
    this.child.on('message', (message: CaseVerdict | { ready: true } | { started: string }) => {
      if ('started' in message) this.#started?.();
      else if ('id' in message) this.#pending?.(message);
    });
    this.child.on('exit', () => this.#pending?.(null));
  }

  get stderr(): string {
    return this.#stderr;
  }

  /**
   * Runs one case; the verdict is null when the process died or was killed first. The budget
   * starts when the runner says the case's input is ready (making a file is not the case); the
   * making has a budget of its own, PREPARE_MS.
   */
  run(
    id: string,
    budget: CaseBudget,
  ): Promise<{ verdict: CaseVerdict | null; ms: number; peak: number; start: number; over: 'hang' | 'memory' | null }> {
    let started = performance.now();
    let peak = 0;
    let start = 0;
    let over: 'hang' | 'memory' | null = null;
    return new Promise((resolve) => {
      const pid = this.child.pid!;
      let sample: ReturnType<typeof setInterval> | undefined;
      let timer = setTimeout(() => {
        over ??= 'hang';
        this.child.kill('SIGKILL');
      }, PREPARE_MS);
      this.#started = () => {
        this.#started = null;
        started = performance.now();
        void rssOf(pid).then((rss) => (start = rss));
        clearTimeout(timer);
        timer = setTimeout(() => {
          over ??= 'hang';
          this.child.kill('SIGKILL');
        }, budget.ms);
        sample = setInterval(() => {
          void rssOf(pid).then((rss) => {
            peak = Math.max(peak, rss);
            if (rss > budget.rssBytes && over === null) {
              over = 'memory';
              this.child.kill('SIGKILL');
            }
          });
        }, 25);
      };
      this.#pending = (verdict) => {
        this.#pending = null;
        this.#started = null;
        clearInterval(sample);
        clearTimeout(timer);
        resolve({ verdict, ms: performance.now() - started, peak, start, over });
      };
      this.child.send({ run: id });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ stop: true });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface RunOptions {
  readonly workers?: number;
  readonly budget?: CaseBudget;
  readonly onResult?: (result: CaseResult) => void;
}

/** Runs the cases on `workers` child processes; results in the order of `ids`. */
export async function runCases(ids: readonly string[], options: RunOptions = {}): Promise<CaseResult[]> {
  const budget = options.budget ?? CASE_BUDGET;
  const results = new Map<string, CaseResult>();
  let next = 0;
  const worker = async () => {
    let runner = new Runner();
    try {
      await runner.ready;
      while (next < ids.length) {
        const id = ids[next++]!;
        const { verdict, ms, peak, start, over } = await runner.run(id, budget);
        let result: CaseResult;
        if (verdict && over === null) {
          result = {
            ...verdict,
            verdict: verdict.problems.length === 0 ? 'pass' : 'fail',
            ms,
            peakRssBytes: peak,
            startRssBytes: start,
          };
        } else {
          const why =
            over === 'hang'
              ? `ran past ${budget.ms} ms`
              : over === 'memory'
                ? `grew past ${Math.round(budget.rssBytes / 2 ** 20)} MB`
                : `the process died: ${runner.stderr.slice(-1000)}`;
          result = {
            id,
            outcome: {},
            problems: [why],
            verdict: over ?? 'crash',
            ms,
            peakRssBytes: peak,
            startRssBytes: start,
          };
          runner = new Runner();
          await runner.ready;
        }
        results.set(id, result);
        options.onResult?.(result);
        if (next < ids.length && (await rssOf(runner.child.pid!)) > RECYCLE_RSS_BYTES) {
          await runner.stop();
          runner = new Runner();
          await runner.ready;
        }
      }
    } finally {
      await runner.stop();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 2) }, worker));
  return ids.map((id) => results.get(id)!);
}
