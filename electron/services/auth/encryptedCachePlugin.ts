import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { readFile, rename } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { Logger } from '../logging/logger';
import type { Cipher } from './cipher';

/**
 * MSAL's token cache, persisted encrypted: read and decrypted before every cache access, and
 * encrypted and written atomically (temp file + rename, mode 0600) after any change. A file that
 * no longer decrypts (another machine's key, a damaged file) is moved aside and the user signs in
 * again; its content never reaches the log.
 */
export function encryptedCachePlugin(file: string, cipher: Cipher, logger: Logger): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      try {
        const { plain, shouldReEncrypt } = await cipher.decrypt(data);
        context.tokenCache.deserialize(plain);
        if (shouldReEncrypt) await writeFileAtomic(file, await cipher.encrypt(plain), { mode: 0o600 });
      } catch (error) {
        const aside = `${file}.unreadable-${Date.now()}`;
        await rename(file, aside).catch(() => undefined);
        logger.warn(
          `The saved sign-ins (${file}) could not be decrypted with ${cipher.description}; they were moved to ${aside}. Sign in again.`,
          error instanceof Error ? error.name : undefined,
        );
      }
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (!context.cacheHasChanged) return;
      await writeFileAtomic(file, await cipher.encrypt(context.tokenCache.serialize()), { mode: 0o600 });
    },
  };
}
