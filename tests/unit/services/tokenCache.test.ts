import type { TokenCacheContext } from '@azure/msal-node';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptedCachePlugin } from '../../../electron/services/auth/encryptedCachePlugin';
import { keyFileCipher } from '../../../electron/services/auth/keyFileCipher';
import { createLogger } from '../../../electron/services/logging/logger';

const SECRET = 'refresh-token-0123456789abcdef';

/** The two members of MSAL's TokenCacheContext the plugin uses. */
function context(serialized: string, changed: boolean) {
  const state = { deserialized: null as string | null };
  const ctx = {
    cacheHasChanged: changed,
    tokenCache: {
      serialize: () => serialized,
      deserialize: (text: string) => {
        state.deserialized = text;
      },
    },
  } as unknown as TokenCacheContext;
  return { ctx, state };
}

describe('the token cache at rest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dmfw-cache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates a 0600 key and round-trips through AES-256-GCM', async () => {
    const cipher = keyFileCipher(join(dir, 'keys', 'token-cache.key'));
    const sealed = await cipher.encrypt(SECRET);
    expect(Buffer.from(sealed).toString('latin1')).not.toContain(SECRET);
    await expect(cipher.decrypt(sealed)).resolves.toEqual({ plain: SECRET, shouldReEncrypt: false });
    expect((await stat(join(dir, 'keys', 'token-cache.key'))).mode & 0o777).toBe(0o600);
    // A second cipher on the same key file reads what the first wrote (the next CLI run).
    await expect(keyFileCipher(join(dir, 'keys', 'token-cache.key')).decrypt(sealed)).resolves.toMatchObject({
      plain: SECRET,
    });
  });

  it('refuses tampered data and data sealed with another key', async () => {
    const sealed = Buffer.from(await keyFileCipher(join(dir, 'a.key')).encrypt(SECRET));
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    await expect(keyFileCipher(join(dir, 'a.key')).decrypt(flipped)).rejects.toThrow();
    await expect(keyFileCipher(join(dir, 'b.key')).decrypt(sealed)).rejects.toThrow();
    await expect(keyFileCipher(join(dir, 'a.key')).decrypt(Buffer.from('junk'))).rejects.toThrow(/unknown format/);
  });

  it('refuses a key file other users can read, saying how to fix it', async () => {
    const key = join(dir, 'open.key');
    await writeFile(key, Buffer.alloc(32, 7));
    await chmod(key, 0o644);
    await expect(keyFileCipher(key).encrypt('x')).rejects.toThrow(/chmod 600/);
  });

  it('writes the cache encrypted, atomically and only when MSAL changed it', async () => {
    const file = join(dir, 'msal.bin');
    const plugin = encryptedCachePlugin(file, keyFileCipher(join(dir, 'k.key')), createLogger({ sink: () => {} }));
    await plugin.afterCacheAccess(context(`{"RefreshToken":{"x":{"secret":"${SECRET}"}}}`, false).ctx);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await plugin.afterCacheAccess(context(`{"RefreshToken":{"x":{"secret":"${SECRET}"}}}`, true).ctx);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file)).toString('latin1')).not.toContain(SECRET);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const { ctx, state } = context('', false);
    await plugin.beforeCacheAccess(ctx);
    expect(state.deserialized).toContain(SECRET);
  });

  it('moves an undecryptable cache aside without logging its content, and starts empty', async () => {
    const file = join(dir, 'msal.bin');
    await writeFile(file, `not encrypted ${SECRET}`);
    const lines: string[] = [];
    const plugin = encryptedCachePlugin(
      file,
      keyFileCipher(join(dir, 'k.key')),
      createLogger({ sink: (l) => lines.push(l) }),
    );
    const { ctx, state } = context('', false);
    await plugin.beforeCacheAccess(ctx);
    expect(state.deserialized).toBeNull();
    expect((await readdir(dir)).some((f) => f.startsWith('msal.bin.unreadable-'))).toBe(true);
    expect(lines.join('\n')).toMatch(/could not be decrypted/);
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});
