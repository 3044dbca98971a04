import { describe, expect, it } from 'vitest';
import {
  SECURITY_POLICY,
  isAllowedExternalUrl,
  isTrustedFrameUrl,
  webPreferencesFor,
} from '../../../electron/main/security';

describe('the Electron security policy', () => {
  it('is one frozen object with the hardened web preferences', () => {
    expect(Object.isFrozen(SECURITY_POLICY)).toBe(true);
    expect(Object.isFrozen(SECURITY_POLICY.webPreferences)).toBe(true);
    expect(SECURITY_POLICY.webPreferences).toEqual({
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
    });
    expect(SECURITY_POLICY.grantedPermissions).toEqual([]);
    expect(SECURITY_POLICY.schemePrivileges).toEqual({ standard: true, secure: true, supportFetchAPI: true });
  });

  it('enables DevTools only in development', () => {
    expect(webPreferencesFor({ preload: '/p.cjs', development: false })).toMatchObject({
      devTools: false,
      sandbox: true,
    });
    expect(webPreferencesFor({ preload: '/p.cjs', development: true }).devTools).toBe(true);
  });

  it('cannot be changed at runtime', () => {
    expect(() => {
      (SECURITY_POLICY.webPreferences as { sandbox: boolean }).sandbox = false;
    }).toThrow(TypeError);
  });

  it.each([
    ['https://learn.microsoft.com/en-us/dynamics365/', true],
    ['https://contoso.operations.dynamics.com/?mi=DMFWorkspace', true],
    ['http://learn.microsoft.com/', false],
    ['https://evil.example/', false],
    ['https://dynamics.com.evil.example/', false],
    ['https://evildynamics.com/', false],
    ['https://.dynamics.com/', false],
    ['https://user:pw@learn.microsoft.com/', false],
    ['https://learn.microsoft.com:8443/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('opens %s externally: %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  it('adds configured authority hosts to the external allow-list', () => {
    expect(isAllowedExternalUrl('https://adfs.contoso.com/adfs/oauth2/authorize')).toBe(false);
    expect(isAllowedExternalUrl('https://adfs.contoso.com/adfs/oauth2/authorize', ['adfs.contoso.com'])).toBe(true);
  });

  it('trusts only frames from the app://bundle origin', () => {
    expect(isTrustedFrameUrl('app://bundle/index.html')).toBe(true);
    expect(isTrustedFrameUrl('app://bundle.evil/index.html')).toBe(false);
    expect(isTrustedFrameUrl('https://bundle/index.html')).toBe(false);
  });
});
