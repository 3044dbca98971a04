/**
 * Encrypts the MSAL token cache at rest. The desktop app backs it with Electron's safeStorage
 * (async API: the OS keychain / DPAPI / libsecret); the CLI and tests with AES-256-GCM and a key
 * file (keyFileCipher.ts).
 */
export interface Cipher {
  /** Where the key lives, for the log and the About box (never the key). */
  readonly description: string;
  /** False when no protected key store exists (Linux without a keyring): keep tokens in memory. */
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Uint8Array>;
  /** `shouldReEncrypt`: the key rotated; write the data again with the new key. */
  decrypt(data: Uint8Array): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}
