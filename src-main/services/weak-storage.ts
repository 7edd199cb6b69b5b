// On Linux without a keyring (no GNOME libsecret, no KWallet), Electron's safeStorage falls back to its
// `basic_text` backend: "encrypted" with a hard-coded key, so the API key would sit in the profile in
// effect as plain text. The user is told and asked once per session before a secret is stored that way.
import { CheckboxError } from '../../src-shared/errors.js';
import type { Cipher } from './secrets.js';

export const WEAK_STORAGE_WARNING =
  'No system keyring (GNOME Keyring / KWallet) is available, so the API key can only be stored ' +
  'obfuscated, readable by anyone who can read your profile folder. Store it anyway?';

/** Whether safeStorage's backend protects nothing (Linux `basic_text`; other OSes use the OS keychain). */
export function isWeakBackend(platform: NodeJS.Platform, backend: string): boolean {
  return platform === 'linux' && backend === 'basic_text';
}

/**
 * `cipher`, asking `confirm(WEAK_STORAGE_WARNING)` before the first encryption while the backend is
 * weak. A refusal stores nothing: the caller gets a 'cancelled' error it shows as it is.
 */
export function confirmingCipher(
  cipher: Cipher,
  weak: () => boolean,
  confirm: (message: string) => boolean,
): Cipher {
  let agreed = false;
  return {
    available: () => cipher.available(),
    decrypt: (data) => cipher.decrypt(data),
    encrypt(plain) {
      if (weak() && !agreed) {
        agreed = confirm(WEAK_STORAGE_WARNING);
        if (!agreed) {
          throw new CheckboxError(
            'cancelled',
            'The API key was not stored: no system keyring to protect it.',
          );
        }
      }
      return cipher.encrypt(plain);
    },
  };
}
