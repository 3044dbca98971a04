import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command';
import { openInBrowser } from '../browser';
import { EXIT, UsageError, parseEmulatorSpeed, parsePort, untilStopped } from '../io';
import { parseOptions } from '../options';

const USAGE = `Usage: dmfw serve [--port <n>] [--no-open] [--exit-with-parent] [--emulator-speed <factor>|max]

Runs the workbench in browser mode: the same services and screens as the desktop app, served on
127.0.0.1 only. Prints the address to open; it carries a one-time session token, so keep it private.

  --port <n>           listen on this port (default: a free port)
  --no-open            do not open the system browser
  --exit-with-parent   stop when standard input closes (for test runners and scripts)
  --emulator-speed <f> the built-in Local emulator's time per wall time (default 1); "max" = no
                       simulated latency, and jobs poll it often (demos and end-to-end tests)
`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the workbench in your browser (loopback only)',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseOptions(args, {
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      'exit-with-parent': { type: 'boolean', default: false },
      'emulator-speed': { type: 'string' },
    });
    const port = parsePort(values.port);
    // Loaded here, not at the top: the workbench (MSAL, the Azure SDK, every service) takes about a
    // second to import, and every other dmfw command would pay for it at startup.
    const [{ REPO_ROOT, openWorkbench }, { startBrowserBridge }, { DownloadOffers }] = await Promise.all([
      import('../context'),
      import('../../rpc/wsBridge'),
      import('../../services/web/downloads'),
    ]);
    const rendererRoot = fileURLToPath(new URL('out/renderer/', REPO_ROOT));
    if (!existsSync(rendererRoot)) {
      throw new UsageError(
        'The renderer is not built. Run `npm run serve` (it builds first) or `npm run build:renderer`.',
      );
    }
    const emulatorSpeed = parseEmulatorSpeed('--emulator-speed', values['emulator-speed']);
    // A saved package reaches the browser through the bridge, which serves only what is offered.
    const downloads = new DownloadOffers();
    const { workbench, logger } = await openWorkbench(io, 'browser', { emulatorSpeed, downloads });
    workbench.services.datasets.warmUp();
    const bridge = await startBrowserBridge({
      dispatcher: workbench.dispatcher,
      hub: workbench.hub,
      rendererRoot,
      logger,
      port,
      downloads,
    });
    io.stdout(
      `DMF Workbench is running in browser mode at\n\n  ${bridge.url}\n\n` +
        'The address carries a session token: keep it private. Press Ctrl+C to stop.\n',
    );
    if (!values['no-open']) openInBrowser(bridge.url);

    await untilStopped(values['exit-with-parent']);
    await bridge.close();
    await workbench.close();
    return EXIT.ok;
  },
};
