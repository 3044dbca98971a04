import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/api/errors';
import type { Cipher } from './cipher';

const VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Binds ciphertext to its purpose: a blob from another tool's AES-GCM file will not decrypt. */
const AAD = Buffer.from('dmfw-token-cache-v1');

/**
 * AES-256-GCM with a random key kept in a file readable only by the user (0600), for the CLI and
 * tests. Why a file and not the OS keychain: plain Node has no keychain API without a native
 * add-on (keytar is archived and needs a prebuilt binary or node-gyp), and build machines have no
 * keyring. The desktop app uses Electron safeStorage, which does use the OS keychain. A key file
 * that others can read is refused, as ssh refuses a world-readable private key.
 */
export function keyFileCipher(keyFile: string): Cipher {
  let key: Promise<Buffer> | null = null;
  const loadKey = () => (key ??= readOrCreateKey(keyFile));
  return {
    description: `AES-256-GCM, key in ${keyFile} (mode 0600)`,
    available: async () => true,
    async encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', await loadKey(), iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      const bytes = Buffer.from(data);
      if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
        throw new Error('The encrypted token cache has an unknown format.');
      }
      const iv = bytes.subarray(1, 1 + IV_BYTES);
      const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', await loadKey(), iv);
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      return { plain: plain.toString('utf8'), shouldReEncrypt: false };
    },
  };
}

async function readOrCreateKey(file: string): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new AppError(
        'FORBIDDEN',
        `The token-cache key ${file} can be read by other users (mode ${(info.mode & 0o777).toString(8)}). ` +
          `Run \`chmod 600 "${file}"\`, or delete it (you will sign in again).`,
      );
    }
    const key = await readFile(file);
    if (key.length !== KEY_BYTES) {
      throw new AppError('INVALID_INPUT', `The token-cache key ${file} is damaged. Delete it; you will sign in again.`);
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  // 'wx': if another process created the key meanwhile, use theirs rather than overwrite it.
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(key);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFile(file);
    throw error;
  }
}
