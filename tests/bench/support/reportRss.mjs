// Preloaded with `node --import` by benchmarks: prints this process's peak RSS (bytes) on stderr
// at exit, as the last line, so a benchmark can read it from a child process.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nDMFW_PEAK_RSS=${process.resourceUsage().maxRSS * 1024}\n`);
});
