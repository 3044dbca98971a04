import { utilityProcess } from 'electron';
import type { AzuriteSpawner } from '../../../emulator/blob/azurite';

/**
 * Starts the Local emulator's Azurite in an Electron utility process. Node's `fork` would start
 * this very executable, which with the runAsNode fuse off is a second app, not a Node child.
 * Electron ends utility processes with the app.
 */
export const utilityProcessAzurite: AzuriteSpawner = (script, args, env) => {
  const child = utilityProcess.fork(script, [...args], { env, stdio: 'pipe', serviceName: 'Local emulator storage' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    requestShutdown: () => child.postMessage('shutdown'),
    kill: () => void child.kill(),
  };
};
