// Starts a TypeScript worker entry through tsx (the CLI, browser mode and tests run sources; the
// app runs the bundled worker instead). A real file rather than eval'd code, because bare
// specifiers resolve from the importing file: an eval'd worker resolved 'tsx' from the working
// directory, which failed for `dmfw import .` run in a project folder with no node_modules.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
