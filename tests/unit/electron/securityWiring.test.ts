/**
 * That electron/main/main.ts really applies SECURITY_POLICY (security.test.ts checks the policy
 * object itself): main.ts is loaded against a fake 'electron' module, and the window options and
 * the handlers it registers (navigation, new windows, webviews, permissions, IPC sender check) are
 * driven the way Electron would drive them. The Electron binary is not needed.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL_CHANNEL } from '../../../shared/api/protocol';
import { SECURITY_POLICY } from '../../../electron/main/security';

type Handler = (...args: unknown[]) => unknown;

/** What main.ts hands to the fake Electron: recorded, then called by the tests. */
const electron = vi.hoisted(() => {
  const appHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const windows: { options: Record<string, unknown>; ipcHandlers: Map<string, (...args: unknown[]) => unknown> }[] = [];
  const permissions: { request?: (...args: unknown[]) => unknown; check?: (...args: unknown[]) => unknown } = {};
  const openExternal = vi.fn(async () => undefined);
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  class BrowserWindow {
    readonly webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
      windows.push({ options, ipcHandlers });
      this.webContents = {
        ipc: {
          handle: (channel: string, fn: (...args: unknown[]) => unknown) => ipcHandlers.set(channel, fn),
          removeHandler: () => undefined,
        },
        send: () => undefined,
        isDestroyed: () => false,
      };
    }
    static getAllWindows() {
      return [];
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    isFocused() {
      return true;
    }
    async loadURL() {}
  }
  return {
    appHandlers,
    windows,
    permissions,
    openExternal,
    ready: () => ready(),
    module: {
      BrowserWindow,
      Notification: { isSupported: () => false },
      app: {
        isPackaged: true,
        requestSingleInstanceLock: () => true,
        on: (event: string, fn: (...args: unknown[]) => unknown) => appHandlers.set(event, fn),
        whenReady: () => whenReady,
        quit: () => undefined,
        getPath: () => '/tmp/dmfw-wiring-test',
        getAppPath: () => '/tmp/dmfw-wiring-test',
        getName: () => 'DMF Workbench',
        getVersion: () => '0.0.0',
      },
      dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (fn: (...args: unknown[]) => unknown) => (permissions.request = fn),
          setPermissionCheckHandler: (fn: (...args: unknown[]) => unknown) => (permissions.check = fn),
        },
      },
      shell: { openExternal, showItemInFolder: () => undefined },
    },
  };
});

vi.mock('electron', () => electron.module);
// The services are not under test here: a workbench that answers every call with a fixed envelope.
vi.mock('../../../electron/composition', () => ({
  createWorkbench: () => ({
    dispatcher: { call: async () => ({ ok: true, result: 'dispatched' }) },
    hub: { subscribe: () => () => undefined },
    services: { datasets: { warmUp: () => undefined }, preferences: {} },
  }),
}));
vi.mock('../../../electron/main/appProtocol', () => ({
  registerAppScheme: () => undefined,
  serveAppProtocol: () => undefined,
}));
vi.mock('../../../electron/main/windowState', () => ({
  initialBounds: () => ({ width: 1200, height: 800, maximized: false }),
  rememberBounds: () => undefined,
}));
vi.mock('../../../electron/main/platform/electronStoreSettings', () => ({
  openElectronStoreSettings: async () => ({}),
}));
vi.mock('../../../electron/main/platform/netFetch', () => ({ netFetch: async () => new Response('') }));
vi.mock('../../../electron/main/platform/safeStorageCipher', () => ({ safeStorageCipher: {} }));
vi.mock('../../../electron/main/platform/utilityAzurite', () => ({ utilityProcessAzurite: () => undefined }));
vi.mock('../../../electron/services/environments/localEmulator', () => ({
  localEmulatorLauncher: () => () => undefined,
}));

/** A webContents as Electron hands it to 'web-contents-created': its handlers recorded. */
function fakeContents() {
  const on = new Map<string, Handler>();
  let windowOpen: Handler | undefined;
  return {
    contents: {
      on: (event: string, fn: Handler) => on.set(event, fn),
      setWindowOpenHandler: (fn: Handler) => (windowOpen = fn),
    },
    on,
    windowOpen: (details: { url: string }) => windowOpen?.(details),
  };
}

describe('electron/main/main.ts wires the security policy', () => {
  beforeAll(async () => {
    await import('../../../electron/main/main');
    electron.ready();
    // start() runs after whenReady: the window exists once it has.
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1), { timeout: 30_000, interval: 20 });
  });

  it('creates the window with the policy web preferences, a preload and no DevTools in a packaged build', () => {
    const options = electron.windows[0]!.options;
    expect(options.webPreferences).toEqual({
      ...SECURITY_POLICY.webPreferences,
      preload: expect.stringMatching(/preload[\\/]preload\.cjs$/),
      devTools: false,
    });
  });

  it('refuses navigation away from the bundle and webviews, in every web contents', () => {
    const created = electron.appHandlers.get('web-contents-created');
    expect(created).toBeTypeOf('function');
    const fake = fakeContents();
    created!({}, fake.contents);
    const navigate = (url: string) => {
      const preventDefault = vi.fn();
      fake.on.get('will-navigate')!({ url, preventDefault });
      return preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('app://bundle.evil/index.html')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://bundle/index.html#jobs')).toBe(false);
    const attach = vi.fn();
    fake.on.get('will-attach-webview')!({ preventDefault: attach });
    expect(attach).toHaveBeenCalled();
  });

  it('denies every new window, opening only allow-listed https links in the system browser', () => {
    const fake = fakeContents();
    electron.appHandlers.get('web-contents-created')!({}, fake.contents);
    electron.openExternal.mockClear();
    expect(fake.windowOpen({ url: 'https://learn.microsoft.com/en-us/dynamics365/' })).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledWith('https://learn.microsoft.com/en-us/dynamics365/');
    electron.openExternal.mockClear();
    for (const url of [
      'https://evil.example/',
      'http://learn.microsoft.com/',
      'app://bundle/other.html',
      'javascript:alert(1)',
    ]) {
      expect(fake.windowOpen({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('grants the page no permission, asked or checked', () => {
    const { request, check } = electron.permissions;
    expect(request).toBeTypeOf('function');
    expect(check).toBeTypeOf('function');
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(check!({}, permission)).toBe(false);
    }
  });

  it("serves IPC on the window's own webContents, only to frames of the bundle", async () => {
    const handler = electron.windows[0]!.ipcHandlers.get(IPC_CALL_CHANNEL);
    expect(handler).toBeTypeOf('function');
    const call = { method: 'app.info', params: {} };
    expect(await handler!({ senderFrame: { url: 'app://bundle/index.html' } }, call)).toEqual({
      ok: true,
      result: 'dispatched',
    });
    for (const url of ['https://evil.example/', 'app://bundle.evil/', 'file:///x']) {
      expect(await handler!({ senderFrame: { url } }, call)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await handler!({}, call)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
