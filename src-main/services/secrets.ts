// Secrets (API keys) never go into the plain settings file. They live in their own file, each value
// encrypted by a Cipher: Electron's safeStorage in the app (OS keychain), AES-256-GCM with a
// per-profile key in browser mode. Both files are created with permissions 0600.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckboxError } from '../../src-shared/errors.js';
import type { SecretName } from '../../src-shared/settings-types.js';
import { writeFileAtomicSync } from '../../src-core/files.js';

export interface SecretStore {
  get(name: SecretName): string | null;
  set(name: SecretName, value: string | null): void;
  has(name: SecretName): boolean;
}

export interface Cipher {
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export class FileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: Cipher,
  ) {}

  get(name: SecretName): string | null {
    const blob = this.read()[name];
    return blob === undefined ? null : this.cipher.decrypt(Buffer.from(blob, 'base64'));
  }

  has(name: SecretName): boolean {
    return this.read()[name] !== undefined;
  }

  set(name: SecretName, value: string | null): void {
    const all = this.read();
    if (value === null || value === '') {
      delete all[name];
    } else {
      if (!this.cipher.available()) {
        throw new CheckboxError(
          'internal',
          'No secure storage is available on this system to keep the secret.',
        );
      }
      all[name] = this.cipher.encrypt(value).toString('base64');
    }
    writeFileAtomicSync(this.file, JSON.stringify(all), 0o600);
  }

  private read(): Partial<Record<SecretName, string>> {
    if (!existsSync(this.file)) return {};
    return JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Record<SecretName, string>>;
  }
}

/** AES-256-GCM with a random key kept in a 0600 file of the profile (browser mode, no OS keychain). */
export function profileKeyCipher(profileDir: string): Cipher {
  const keyFile = join(profileDir, 'secret.key');
  const key = (): Buffer => {
    if (!existsSync(keyFile)) writeFileAtomicSync(keyFile, randomBytes(32), 0o600);
    return readFileSync(keyFile);
  };
  return {
    available: () => true,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key(), iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(data) {
      const d = createDecipheriv('aes-256-gcm', key(), data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
