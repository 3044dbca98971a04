import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../electron/services/fs/atomicWrite';

/**
 * The app's client secret and the demo user's password: made for each data dir (kept in
 * `<dataDir>/secrets.json`, readable by its owner only) or each in-memory run, never a constant
 * published in the code, so that knowing the workbench does not open someone's emulator.
 */
export interface EmulatorSecrets {
  readonly clientSecret: string;
  readonly userPassword: string;
}

/** Shaped like Entra's secrets (`xxx8Q~` + 34 characters) so clients' format checks pass. */
const newSecret = (): string =>
  `${randomBytes(3).toString('base64url').slice(0, 3)}8Q~${randomBytes(26).toString('base64url').slice(0, 34)}`;
const newPassword = (): string => `Emu-${randomBytes(12).toString('base64url')}`;

export async function loadOrCreateSecrets(dir: string | null): Promise<EmulatorSecrets> {
  if (dir === null) return { clientSecret: newSecret(), userPassword: newPassword() };
  const file = join(dir, 'secrets.json');
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as Partial<EmulatorSecrets>;
    if (typeof saved.clientSecret === 'string' && typeof saved.userPassword === 'string')
      return { clientSecret: saved.clientSecret, userPassword: saved.userPassword };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  const secrets = { clientSecret: newSecret(), userPassword: newPassword() };
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
