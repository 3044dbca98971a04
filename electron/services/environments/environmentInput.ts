import { AppError } from '../../../shared/api/errors';
import type { EnvironmentKind } from '../../../shared/domain/environments';
import { ON_PREMISES_BASE_PATH } from '../../../shared/domain/environments';

/**
 * Checks and normalises what a consultant types when registering an environment. Everything here
 * ends up in settings, so it must never hold a secret, and a bad value must be refused with a
 * message that says what to type instead.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The typed address as a URL, or the refusal (which says what to give instead). */
function parsedUrl(input: string, refusal: string): URL {
  try {
    return new URL(input.trim());
  } catch {
    throw new AppError('INVALID_INPUT', refusal);
  }
}

/** The typed value without surrounding spaces when it has the expected form, or the refusal. */
function matching(input: string, pattern: RegExp, refusal: string): string {
  const value = input.trim();
  if (!pattern.test(value)) throw new AppError('INVALID_INPUT', refusal);
  return value;
}

/** `https://Contoso.Operations.Dynamics.com/` → `https://contoso.operations.dynamics.com`. */
export function normaliseEnvironmentUrl(input: string, kind: EnvironmentKind): string {
  const url = parsedUrl(
    input,
    `"${input}" is not a web address. Copy the environment URL from LCS or the browser, e.g. https://contoso.operations.dynamics.com.`,
  );
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new AppError(
      'INVALID_INPUT',
      `The environment URL must start with https:// (only an emulator on this computer may use http://), not "${url.protocol}".`,
    );
  }
  if (url.username || url.password) {
    throw new AppError('INVALID_INPUT', 'The environment URL must not contain a user name or password.');
  }
  if (url.search || url.hash) {
    throw new AppError('INVALID_INPUT', 'The environment URL must not contain a query (?…) or fragment (#…).');
  }
  let path = url.pathname.replace(/\/+$/, '');
  // On-premises users often paste the API base; the base path is implied by the kind.
  if (kind === 'on-premises' && path.toLowerCase() === ON_PREMISES_BASE_PATH.toLowerCase()) path = '';
  if (path !== '' && kind !== 'emulator') {
    throw new AppError(
      'INVALID_INPUT',
      `Give the environment's address without a path ("${url.pathname}"), e.g. ${url.origin}.` +
        (kind === 'on-premises' ? ` ${ON_PREMISES_BASE_PATH} is added for on-premises environments.` : ''),
    );
  }
  return `${url.origin}${path}`;
}

/** The sign-in authority as MSAL wants it: an https URL ending in a slash. */
export function normaliseAuthority(input: string): string {
  const url = parsedUrl(
    input,
    `"${input}" is not a valid authority URL. Use e.g. https://login.microsoftonline.com/<tenant>/ or https://adfs.contoso.com/adfs/.`,
  );
  if (url.protocol !== 'https:') {
    throw new AppError('INVALID_INPUT', `The sign-in authority must use https://, not "${url.protocol}".`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new AppError(
      'INVALID_INPUT',
      'The sign-in authority must be a plain https URL without query, fragment or credentials.',
    );
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;
const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const VARIABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const COMPANY_PATTERN = /^[A-Za-z0-9]{1,4}$/;

export function checkTenant(input: string): string {
  return matching(
    input,
    TENANT_PATTERN,
    `"${input}" is not a tenant. Give the directory (tenant) id GUID or the domain, e.g. contoso.onmicrosoft.com.`,
  );
}

export function checkClientId(input: string): string {
  return matching(
    input,
    CLIENT_ID_PATTERN,
    `"${input}" is not a client id. Give the Application (client) ID of the app registration (a GUID).`,
  );
}

/** Legal entities (dataAreaId) are at most 4 characters; F&O shows them in upper case. */
export function checkCompany(input: string): string {
  return matching(
    input,
    COMPANY_PATTERN,
    `"${input}" is not a legal entity id. Use the company's dataAreaId: 1 to 4 letters or digits, e.g. USMF.`,
  ).toUpperCase();
}

export function checkSecretVariable(input: string): string {
  return matching(
    input,
    VARIABLE_PATTERN,
    `"${input}" is not an environment variable name. Give the NAME of the variable that holds the secret (e.g. DMFW_CLIENT_SECRET), never the secret itself.`,
  );
}

export function checkName(input: string): string {
  const value = input.trim().replace(/\s+/g, ' ');
  if (value.length === 0 || value.length > 80) {
    throw new AppError('INVALID_INPUT', 'Give the environment a name of 1 to 80 characters, e.g. "Contoso UAT".');
  }
  return value;
}

/** Where the package and connector APIs live: the base URL, plus /namespaces/AXSF on-premises. */
export function apiBaseOf(url: string, kind: EnvironmentKind): string {
  return kind === 'on-premises' ? `${url}${ON_PREMISES_BASE_PATH}` : url;
}

/** The token scope for an environment: its origin's `.default` (one resource per request). */
export function scopeOf(url: string): string {
  return `${new URL(url).origin}/.default`;
}

/** Entra's authority for a tenant, unless the environment names its own (AD FS). */
export function authorityOf(tenantId: string, authority: string | undefined): string {
  return authority ?? `https://login.microsoftonline.com/${tenantId}/`;
}
