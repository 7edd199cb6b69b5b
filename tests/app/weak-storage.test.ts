import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, profileKeyCipher, type Cipher } from '../../src-main/services/secrets.js';
import {
  WEAK_STORAGE_WARNING,
  confirmingCipher,
  isWeakBackend,
} from '../../src-main/services/weak-storage.js';

const plain: Cipher = {
  available: () => true,
  encrypt: (s) => Buffer.from(s),
  decrypt: (b) => b.toString(),
};

describe('secrets where Linux has no keyring', () => {
  it('only basic_text on Linux is weak', () => {
    expect(isWeakBackend('linux', 'basic_text')).toBe(true);
    for (const backend of ['gnome_libsecret', 'kwallet6', 'unknown'])
      expect(isWeakBackend('linux', backend)).toBe(false);
    expect(isWeakBackend('darwin', 'basic_text')).toBe(false);
  });

  it('asks once before storing, and stores nothing when refused', () => {
    const asked: string[] = [];
    let answer = false;
    const cipher = confirmingCipher(
      plain,
      () => true,
      (m) => (asked.push(m), answer),
    );
    expect(() => cipher.encrypt('sk-1')).toThrow(expect.objectContaining({ code: 'cancelled' }));
    answer = true;
    expect(cipher.encrypt('sk-2').toString()).toBe('sk-2');
    expect(cipher.encrypt('sk-3').toString()).toBe('sk-3');
    expect(asked).toEqual([WEAK_STORAGE_WARNING, WEAK_STORAGE_WARNING]);
  });

  it('never asks with a keyring', () => {
    const cipher = confirmingCipher(
      plain,
      () => false,
      () => {
        throw new Error('asked');
      },
    );
    expect(cipher.decrypt(cipher.encrypt('sk'))).toBe('sk');
  });

  it('leaves the secrets file untouched when the user says no', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-weak-'));
    const store = new FileSecretStore(
      join(dir, 'secrets.json'),
      confirmingCipher(
        profileKeyCipher(dir),
        () => true,
        () => false,
      ),
    );
    expect(() => store.set('cloudApiKey', 'sk-live')).toThrow(/not stored/);
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    expect(store.has('cloudApiKey')).toBe(false);
  });
});
