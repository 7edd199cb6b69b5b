// --write-settings on its own (no AWS): where the API key goes in a browser-mode profile and in a
// desktop one (whose keychain only Electron can write: the app takes the key over at its next start),
// the reserved concurrency, and a settings file that is not an object.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSettings, type DeployedCloud } from '../../scripts/deploy/settings.js';
import { AppServices } from '../../src-main/services/app-services.js';
import { createCloudPort } from '../../src-main/services/cloud-port.js';
import {
  FileSecretStore,
  PENDING_SECRETS_FILE,
  importPendingSecrets,
  profileKeyCipher,
  writePendingSecret,
} from '../../src-main/services/secrets.js';
import { createConfStore } from '../../src-main/services/settings.js';

const deployed: DeployedCloud = {
  functionUrl: 'https://abc.lambda-url.eu-central-1.on.aws/',
  restApiUrl: 'https://xyz.execute-api.eu-central-1.amazonaws.com/prod',
  functionName: 'checkbox-detector',
  region: 'eu-central-1',
  auth: 'API_KEY',
  apiKey: 'k'.repeat(40),
  reservedConcurrency: 20,
};

let profile = '';
afterEach(() => rmSync(profile, { recursive: true, force: true }));
const newProfile = () => (profile = mkdtempSync(path.join(tmpdir(), 'cbd-settings-')));

describe('deploy --write-settings', () => {
  it('stores the key encrypted in a browser-mode profile, and points the app at the REST API', () => {
    const file = path.join(newProfile(), 'settings.json');
    expect(writeSettings(file, deployed)).toEqual({ apiKey: 'stored' });
    const store = new FileSecretStore(path.join(profile, 'secrets.json'), profileKeyCipher(profile));
    expect(store.get('cloudApiKey')).toBe(deployed.apiKey);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      cloud: {
        endpoint: deployed.restApiUrl,
        mode: 'api-gateway',
        auth: 'api-key',
        region: 'eu-central-1',
        functionName: 'checkbox-detector',
        awsProfile: '',
        reservedConcurrency: 20,
      },
    });
  });

  it('records the reserved concurrency, and drops it when the function is deployed without one', () => {
    const file = path.join(newProfile(), 'settings.json');
    writeFileSync(file, JSON.stringify({ cloud: { retries: 5, reservedConcurrency: 50 } }));
    writeSettings(file, { ...deployed, auth: 'AWS_IAM', reservedConcurrency: 8 });
    const cloud = () => (JSON.parse(readFileSync(file, 'utf8')) as { cloud: Record<string, unknown> }).cloud;
    expect(cloud()).toMatchObject({ retries: 5, reservedConcurrency: 8 });
    writeSettings(file, { ...deployed, auth: 'AWS_IAM', reservedConcurrency: null });
    expect(cloud()).toMatchObject({ retries: 5 });
    expect(cloud()).not.toHaveProperty('reservedConcurrency');
  });

  it("hands the key to a desktop profile's app, which moves it into its own secret store at start", async () => {
    const file = path.join(newProfile(), 'settings.json');
    writeFileSync(path.join(profile, 'Local State'), '{}');
    expect(writeSettings(file, deployed)).toEqual({ apiKey: 'pending' });
    // Only Electron can encrypt for the OS keychain: until the app starts, a file only the user can read.
    const pending = path.join(profile, PENDING_SECRETS_FILE);
    expect(statSync(pending).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(profile, 'secrets.json'))).toBe(false);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { cloud: { auth: string } }).cloud.auth).toBe(
      'api-key',
    );

    // The app starting on that profile (its store's cipher stands in for safeStorage here).
    const secrets = new FileSecretStore(path.join(profile, 'secrets.json'), profileKeyCipher(profile));
    const services = new AppServices({
      profileDir: profile,
      shell: 'electron',
      version: 'test',
      settingsStore: createConfStore(profile),
      secrets,
      cloud: createCloudPort(),
      emit: () => undefined,
      pathsFromUploadsOnly: false,
    });
    try {
      expect(secrets.get('cloudApiKey')).toBe(deployed.apiKey);
      expect(services.settings.view().secrets.cloudApiKey).toBe(true);
      expect(existsSync(pending)).toBe(false);
      expect(readFileSync(path.join(profile, 'secrets.json'), 'utf8')).not.toContain(deployed.apiKey);
    } finally {
      await services.close();
    }
  });

  it('keeps a pending key for the next start when the store cannot take it yet', () => {
    newProfile();
    writePendingSecret(profile, 'cloudApiKey', 'later');
    const unavailable = { available: () => false, encrypt: () => Buffer.alloc(0), decrypt: () => '' };
    const store = new FileSecretStore(path.join(profile, 'secrets.json'), unavailable);
    expect(() => importPendingSecrets(profile, store)).toThrow('No secure storage');
    expect(existsSync(path.join(profile, PENDING_SECRETS_FILE))).toBe(true);
    const ready = new FileSecretStore(path.join(profile, 'secrets.json'), profileKeyCipher(profile));
    expect(importPendingSecrets(profile, ready)).toEqual(['cloudApiKey']);
    expect(ready.get('cloudApiKey')).toBe('later');
  });

  it('refuses a settings file that is not a JSON object, and leaves it as it was', () => {
    const file = path.join(newProfile(), 'settings.json');
    writeFileSync(file, '[1, 2]');
    expect(() => writeSettings(file, { ...deployed, auth: 'AWS_IAM' })).toThrow(
      `${file} is not a JSON object`,
    );
    expect(readFileSync(file, 'utf8')).toBe('[1, 2]');
  });
});
