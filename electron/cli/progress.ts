import type { CliIo } from './io';

/**
 * Progress of long reads on stderr. Silent for work that ends within a second; then, on a
 * terminal, one line rewritten in place, elsewhere (pipes, CI) a plain line every few seconds.
 */
export interface Progress {
  update(label: string, done: number, total: number | undefined): void;
  /** Ends the progress line, if one was shown. */
  end(): void;
}

const MB = 1024 * 1024;

export function createProgress(io: CliIo, now: () => number = Date.now): Progress {
  const started = now();
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      const t = now();
      if (t - started < 1000) return;
      if (t - last < (io.interactive ? 200 : 5000)) return;
      last = t;
      const amount = total
        ? `${Math.floor((done / total) * 100)}% (${(done / MB).toFixed(0)} of ${(total / MB).toFixed(0)} MB)`
        : `${(done / MB).toFixed(0)} MB`;
      const line = `${label}: ${amount}`;
      if (io.interactive) io.stderr(`\r${line.padEnd(72)}`);
      else io.stderr(`${line}\n`);
      shown = true;
    },
    end() {
      if (shown && io.interactive) io.stderr('\n');
      shown = false;
    },
  };
}
