import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
/** Helpers shared by benchmarks: peak RSS sampling and medians. */

export interface PeakSampler {
  /** Highest RSS seen since start, in bytes. */
  stop(): number;
}

/** Samples this process's RSS every `intervalMs` (a benchmark reports the peak). */
export function samplePeakRss(intervalMs = 10): PeakSampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** Heap in use after full garbage collections (what is really retained). */
export function settledHeap(): number {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const MB = 1024 * 1024;
