// Bundled by tests/integration/desktop/mainBundle.test.ts exactly as the desktop app's main process
// is (scripts/electronBundles.ts) and run under plain Node: it starts the Local emulator the way
// the app does on first use, with the same lazy import and the Azurite child found beside it.
import { localEmulatorLauncher } from '../../electron/services/environments/localEmulator';
import { silentLogger } from '../../electron/services/logging/logger';
import { nodeFetch } from '../../electron/services/net/fetch';

async function run(dataDir: string): Promise<void> {
  const launch = localEmulatorLauncher({ dataDir, fetch: nodeFetch, logger: silentLogger });
  const emulator = await launch();
  const metadata = await nodeFetch(`${emulator.baseUrl}/data/$metadata`);
  process.stdout.write(`${JSON.stringify({ baseUrl: emulator.baseUrl, metadataStatus: metadata.status })}\n`);
  await emulator.stop();
}

// CommonJS has no top-level await.
void run(process.argv[2] ?? '').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
