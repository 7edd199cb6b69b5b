// Secrets (API keys) never go into the plain settings file. They live in their own file, each value
// encrypted by a Cipher: Electron's safeStorage in the app (OS keychain), AES-256-GCM with a
// per-profile key in browser mode. Both files are created with permissions 0600.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CheckboxError } from '../../src-shared/errors.js';
import { SecretNameSchema, type SecretName } from '../../src-shared/settings-types.js';
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

/**
 * Secrets handed over by a tool that cannot use the app's cipher (`npm run deploy -- --write-settings` cannot
 * reach Electron's safeStorage): a 0600 file in the profile, moved into the store at the app's next start and
 * then deleted. Left in place when the store cannot take them (no secure storage), to be tried again.
 */
export const PENDING_SECRETS_FILE = 'secrets.pending.json';

export function writePendingSecret(profileDir: string, name: SecretName, value: string): void {
  const file = join(profileDir, PENDING_SECRETS_FILE);
  const pending = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  writeFileAtomicSync(file, JSON.stringify({ ...pending, [name]: value }), 0o600);
}

/** Moves pending secrets into `store`; returns the names moved. */
export function importPendingSecrets(profileDir: string, store: SecretStore): SecretName[] {
  const file = join(profileDir, PENDING_SECRETS_FILE);
  if (!existsSync(file)) return [];
  const pending = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const moved: SecretName[] = [];
  for (const [name, value] of Object.entries(pending)) {
    const known = SecretNameSchema.safeParse(name);
    if (!known.success || typeof value !== 'string' || value === '') continue;
    store.set(known.data, value);
    moved.push(known.data);
  }
  rmSync(file, { force: true });
  return moved;
}
