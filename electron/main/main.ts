// The Electron main process: the only module tree (with the preload) that imports 'electron' at
// runtime. It creates one hardened window and wires the services to it over IPC.
import { BrowserWindow, Notification, app, dialog, session, shell } from 'electron';
import { join } from 'node:path';
import { createWorkbench } from '../composition';
import { serveIpc } from '../rpc/ipcBridge';
import { localEmulatorLauncher } from '../services/environments/localEmulator';
import { createLogger } from '../services/logging/logger';
import { registerAppScheme, serveAppProtocol } from './appProtocol';
import { openElectronStoreSettings } from './platform/electronStoreSettings';
import { netFetch } from './platform/netFetch';
import { electronPrintToPdf } from './platform/printToPdf';
import { safeStorageCipher } from './platform/safeStorageCipher';
import { utilityProcessAzurite } from './platform/utilityAzurite';
import { initialBounds, rememberBounds } from './windowState';
import { APP_ORIGIN, SECURITY_POLICY, isAllowedExternalUrl, isTrustedFrameUrl, webPreferencesFor } from './security';

const development = !app.isPackaged && process.env.DMFW_DEVTOOLS === '1';

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (attach) => attach.preventDefault());
    contents.on('will-navigate', (navigation) => {
      if (!navigation.url.startsWith(`${APP_ORIGIN}/`)) navigation.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const logger = createLogger({ sink: (line) => process.stderr.write(`${line}\n`), scope: 'main' });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(SECURITY_POLICY.grantedPermissions.includes(permission)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission) =>
    SECURITY_POLICY.grantedPermissions.includes(permission),
  );
  serveAppProtocol(join(app.getAppPath(), 'out', 'renderer'));

  const settings = await openElectronStoreSettings(logger);
  let window: BrowserWindow | null = null;
  const workbench = createWorkbench({
    appInfo: {
      name: app.getName(),
      version: app.getVersion(),
      mode: 'desktop',
      platform: process.platform,
      runtime: `Electron ${process.versions.electron}`,
    },
    settings,
    logger,
    fetch: netFetch,
    dataDir: app.getPath('userData'),
    launchEmulator: localEmulatorLauncher({
      dataDir: join(app.getPath('userData'), 'emulator'),
      fetch: netFetch,
      logger,
      emulatorOptions: { azuriteSpawner: utilityProcessAzurite },
    }),
    cipher: safeStorageCipher,
    // MSAL builds the URL from the environment's configured authority; only https is opened.
    openSystemBrowser: async (url) => {
      if (new URL(url).protocol !== 'https:') throw new Error('Refusing to open a sign-in page that is not https.');
      await shell.openExternal(url);
    },
    interactiveOnDemand: true,
    resumeJobs: true,
    // From the main process: the page is granted no 'notifications' permission (SECURITY_POLICY),
    // and needs none. Only while the window is not in front; the in-app toast covers the rest.
    revealPath: async (path) => shell.showItemInFolder(path),
    printPdf: electronPrintToPdf,
    notifyJobEnd: (notice) => {
      if (!Notification.isSupported() || window?.isFocused()) return;
      const notification = new Notification({
        title: notice.title,
        body: notice.body,
        silent: notice.level === 'info',
      });
      notification.on('click', () => {
        if (window?.isMinimized()) window.restore();
        window?.focus();
      });
      notification.show();
    },
    datasets: {
      worker: { entry: join(__dirname, 'datasetWorker.cjs'), typescript: false },
      fileDialog: async () => {
        const options: Electron.OpenDialogOptions = {
          title: 'Open a source file',
          properties: ['openFile'],
          filters: [
            { name: 'Data files', extensions: ['csv', 'tsv', 'txt', 'xlsx', 'xml'] },
            { name: 'All files', extensions: ['*'] },
          ],
        };
        const chosen = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
      },
    },
  });

  workbench.services.datasets.warmUp();
  const { maximized, ...bounds } = initialBounds(workbench.services.preferences);
  window = new BrowserWindow({
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'DMF Workbench',
    webPreferences: webPreferencesFor({ preload: join(__dirname, '..', 'preload', 'preload.cjs'), development }),
  });
  const stopIpc = serveIpc({
    target: window.webContents,
    dispatcher: workbench.dispatcher,
    hub: workbench.hub,
    isTrustedFrameUrl,
    onSendError: (event, error) =>
      logger.warn(`Event ${event} could not be sent to the window`, error instanceof Error ? error.message : error),
  });
  window.on('closed', stopIpc);
  rememberBounds(window, workbench.services.preferences);
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
  await window.loadURL(`${APP_ORIGIN}/index.html`);
}
