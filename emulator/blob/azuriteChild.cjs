'use strict';
// Runs Azurite's blob service (the module named by DMFW_AZURITE_MAIN) in a child process.
// Under Node's fork, it exits when its parent goes away: the IPC channel closes even when the
// parent is killed, so no orphan keeps the port or the data folder. Under Electron's
// utilityProcess (the desktop app), Electron ends it with the app; messages arrive on
// process.parentPort, and are handed to Azurite, which listens for 'shutdown' on process.
if (process.parentPort) {
  process.parentPort.on('message', (event) => process.emit('message', event.data));
} else {
  process.on('disconnect', () => process.exit(0));
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry point
require(process.env.DMFW_AZURITE_MAIN);
