import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../../emulator';
import { createEmulatorNetworkClient } from '../../../emulator/entra/networkClient';
import type { Logger } from '../logging/logger';
import type { FetchLike } from '../net/fetch';
import { readReplyText } from '../net/replyBody';
import type { EmulatorLauncher } from './connections';

/** Where a running Local emulator leaves its admin address and per-run token (see below). */
export const LOCAL_EMULATOR_ADMIN_FILE = 'admin.json';

/**
 * The built-in Local emulator: the emulator of emulator/ started inside this process the first
 * time something needs it. Its data (target records, job history, blobs) lives in `dataDir`, so a
 * second CLI run sees the jobs of the first.
 *
 * Its admin API (faults, held executions, the call log) needs the per-run token the emulator
 * draws at start. The token goes to `<dataDir>/admin.json`, readable by the user only (as the
 * token cache is), so that rehearsals and tests can inject faults into the built-in emulator;
 * never to the renderer or the log. The file goes when the emulator stops.
 */
export function localEmulatorLauncher(options: {
  readonly dataDir: string;
  readonly fetch: FetchLike;
  readonly logger: Logger;
  readonly emulatorOptions?: Omit<EmulatorOptions, 'dataDir' | 'log'>;
}): EmulatorLauncher {
  return async () => {
    // Loaded on first use only: the emulator (Azurite and all) costs nothing until it is needed.
    const { startEmulator } = await import('../../../emulator');
    const emulator = await startEmulator({
      ...options.emulatorOptions,
      dataDir: options.dataDir,
      log: (line) => options.logger.debug(line),
    });
    const adminFile = join(options.dataDir, LOCAL_EMULATOR_ADMIN_FILE);
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    await writeFile(adminFile, JSON.stringify({ adminUrl: emulator.adminUrl, adminToken: emulator.adminToken }), {
      mode: 0o600,
    });
    return {
      baseUrl: emulator.baseUrl,
      authority: emulator.authority,
      knownAuthorities: [new URL(emulator.authority).host],
      authorityMetadata: JSON.stringify(emulator.authorityMetadata),
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      companies: emulator.companies,
      fetch: options.fetch,
      network: createEmulatorNetworkClient(emulator.baseUrl, options.fetch),
      openBrowser: (url) => completeEmulatorConsent(url, options.fetch),
      stop: async () => {
        await rm(adminFile, { force: true });
        await emulator.stop();
      },
    };
  };
}

/**
 * What the system browser would do on the emulator's consent page, done without one: load the
 * authorise URL, read its auto-submitting form and post it (form_post) to MSAL's loopback
 * redirect. Only ever used for an emulator's own authority.
 */
export async function completeEmulatorConsent(authorizeUrl: string, fetch: FetchLike): Promise<void> {
  const page = await fetch(authorizeUrl, { signal: AbortSignal.timeout(30_000) });
  const html = await readReplyText(page, 'The emulator consent page', 1024 * 1024);
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (page.status !== 200 || !form) {
    const text = html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300);
    throw new Error(`The emulator's sign-in page answered ${page.status}: ${text}`);
  }
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/i.exec(input[0])?.[1];
    const value = /\bvalue="([^"]*)"/i.exec(input[0])?.[1] ?? '';
    if (name) fields.set(unescapeHtml(name), unescapeHtml(value));
  }
  const posted = await fetch(unescapeHtml(form[1] ?? ''), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await posted.body?.cancel();
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
