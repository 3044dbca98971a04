/**
 * Every security-relevant window and session option of the desktop app, in one frozen object
 * that tests/unit/electron/security.test.ts asserts. Change it only with the Electron security
 * checklist at hand (../shared/docs/stack-notes.md §5.3). No runtime import of 'electron' here.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const SECURITY_POLICY = Object.freeze({
  webPreferences: Object.freeze({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  }),
  /** Registered before app 'ready': a standard, secure scheme that supports fetch. */
  schemePrivileges: Object.freeze({ standard: true, secure: true, supportFetchAPI: true }),
  /** No permission (camera, notifications prompt, geolocation...) is ever granted to the page. */
  grantedPermissions: Object.freeze([] as string[]),
  /** In-app navigation and new windows are refused; links open in the system browser only here. */
  externalHosts: Object.freeze([
    'learn.microsoft.com',
    'login.microsoftonline.com',
    'portal.azure.com',
    'lcs.dynamics.com',
  ]),
  /** F&O environments (e.g. contoso.operations.dynamics.com) can be opened in the browser too. */
  externalHostSuffixes: Object.freeze(['.dynamics.com']),
});

/** DevTools only when running from sources in development, never in a packaged build. */
export function webPreferencesFor(options: { preload: string; development: boolean }) {
  return { ...SECURITY_POLICY.webPreferences, preload: options.preload, devTools: options.development };
}

/** May `shell.openExternal` open this URL? https only, and only allow-listed hosts. */
export function isAllowedExternalUrl(url: string, extraHosts: readonly string[] = []): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname.toLowerCase();
  return (
    SECURITY_POLICY.externalHosts.includes(host) ||
    extraHosts.map((h) => h.toLowerCase()).includes(host) ||
    SECURITY_POLICY.externalHostSuffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length)
  );
}

/** Is this frame URL our own bundle (the only origin allowed to call the services)? */
export function isTrustedFrameUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}
