// A second workbench process for the lock tests: takes an environment's lock file in the data dir
// given, prints "held", releases it and exits on "release" from stdin (or dies when killed).
import { createInterface } from 'node:readline';
import { fileEnvironmentLocks } from '../../electron/services/jobs/environmentLock';

const [dir, key] = process.argv.slice(2) as [string, string];
const locks = fileEnvironmentLocks(dir, 'dmfw');
const attempt = await locks.tryTake(key, { jobId: 'child-job', kind: 'import', environment: 'UAT' });
process.stdout.write(attempt.taken ? 'held\n' : 'busy\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'release') {
    await locks.release(key, 'child-job');
    process.stdout.write('released\n');
    process.exit(0);
  }
}
