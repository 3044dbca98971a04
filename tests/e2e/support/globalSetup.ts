import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts `npm run serve` (build + browser mode) with a throw-away DMFW_HOME and hands its
 * address to the tests through DMFW_E2E_URL. `--exit-with-parent` stops the server when this
 * runner goes away, even if teardown never runs.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const home = mkdtempSync(join(tmpdir(), 'dmfw-e2e-'));
  // The Local emulator without simulated latency: the journeys import for real, in seconds.
  const child = spawn(
    'npm',
    ['run', 'serve', '--', '--no-open', '--port', '0', '--exit-with-parent', '--emulator-speed', 'max'],
    {
      env: { ...process.env, DMFW_HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run serve did not print its address:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#tkn=[A-Za-z0-9_-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm run serve exited with ${code}:\n${output}`)));
  });
  process.env.DMFW_E2E_URL = url;
  process.env.DMFW_E2E_HOME = home;
  return async () => {
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      child.once('exit', () => resolve());
      setTimeout(resolve, 10_000).unref();
    });
    if (child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    // The server (and its Local emulator) may still be writing while it stops.
    await exited;
    rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
}
