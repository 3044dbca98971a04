// Preloaded with `node --import` by benchmarks: prints this process's peak RSS (bytes) and CPU time
// (microseconds, all threads) on stderr at exit, as the last lines, for a benchmark to read.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const cpu = process.cpuUsage();
  writeSync(2, `\nDMFW_PEAK_RSS=${process.resourceUsage().maxRSS * 1024}\nDMFW_CPU_US=${cpu.user + cpu.system}\n`);
});
