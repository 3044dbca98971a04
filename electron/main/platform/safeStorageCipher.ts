import { safeStorage } from 'electron';
import type { Cipher } from '../../services/auth/cipher';

/**
 * The token-cache cipher of the desktop app: Electron safeStorage's async API (the sync one is
 * deprecated in Electron 45). On Linux without a keyring safeStorage falls back to a hard-coded
 * key ('basic_text'); that is not protection, so it counts as unavailable and the token cache
 * stays in memory (sign in once per session).
 */
export const safeStorageCipher: Cipher = {
  get description() {
    return process.platform === 'linux'
      ? `Electron safeStorage (${safeStorage.getSelectedStorageBackend()})`
      : 'Electron safeStorage (OS keychain)';
  },
  async available() {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  encrypt: (plain) => safeStorage.encryptStringAsync(plain),
  async decrypt(data) {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(data));
    return { plain: result, shouldReEncrypt };
  },
};
