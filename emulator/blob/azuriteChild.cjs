'use strict';
// Runs Azurite's blob service (the module named by DMFW_AZURITE_MAIN) in a child process that
// exits when its parent goes away: the IPC channel closes even when the parent is killed, so no
// orphan keeps the port or the data folder.
process.on('disconnect', () => process.exit(0));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry point
require(process.env.DMFW_AZURITE_MAIN);
