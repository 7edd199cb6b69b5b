// --write-settings: put the deployed endpoint into the app's settings file (the `cloud` section of
// src-main's settings schema), keeping every other setting. With API_KEY the endpoint is the REST
// API and the key goes into the secret store beside the settings file, as the app keeps it. The reserved
// concurrency goes with the endpoint, so the app keeps no more requests in flight than may run.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../../src-core/files.js';
import {
  FileSecretStore,
  PENDING_SECRETS_FILE,
  profileKeyCipher,
  writePendingSecret,
} from '../../src-main/services/secrets.js';
import type { Auth } from './context.js';

export interface DeployedCloud {
  functionUrl: string;
  restApiUrl: string;
  functionName: string;
  region: string;
  auth: Auth;
  profile?: string;
  apiKey?: string;
  /** null: deployed without reserved concurrency (the app's default of 16 in flight applies). */
  reservedConcurrency: number | null;
}

const SETTINGS_AUTH = { NONE: 'none', AWS_IAM: 'aws-iam', API_KEY: 'api-key' } as const;

/** apiKey: where the key went (none without API_KEY). */
export function writeSettings(
  file: string,
  deployed: DeployedCloud,
): { apiKey: 'stored' | 'pending' | 'none' } {
  let settings: Record<string, unknown> = {};
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`${file} is not a JSON object`);
    settings = parsed as Record<string, unknown>;
  }
  const viaApiKey = deployed.auth === 'API_KEY';
  const apiKey = viaApiKey ? storeApiKey(path.dirname(file), deployed.apiKey) : 'none';
  const { reservedConcurrency: _old, ...previous } = (settings.cloud ?? {}) as Record<string, unknown>;
  settings.cloud = {
    ...previous,
    // A Function URL knows no API keys: with one, the client goes through the REST API.
    endpoint: viaApiKey ? deployed.restApiUrl : deployed.functionUrl,
    mode: viaApiKey ? 'api-gateway' : 'function-url',
    auth: SETTINGS_AUTH[deployed.auth],
    region: deployed.region,
    functionName: deployed.functionName,
    awsProfile: deployed.profile ?? previous.awsProfile ?? '',
    ...(deployed.reservedConcurrency !== null ? { reservedConcurrency: deployed.reservedConcurrency } : {}),
  };
  writeFileAtomicSync(file, JSON.stringify(settings, null, 2) + '\n');
  return { apiKey };
}

/**
 * The key goes into the profile's secrets.json, encrypted as browser mode (`npm run web`) does
 * (src-main/services/secrets.ts). The desktop app encrypts with Electron's safeStorage (the OS
 * keychain), which no process outside Electron can use: for a desktop profile (Chromium's
 * `Local State` beside the settings) the key waits in a 0600 file that the app moves into the keychain
 * at its next start, and deletes.
 */
function storeApiKey(profileDir: string, apiKey: string | undefined): 'stored' | 'pending' {
  if (!apiKey) throw new Error('--write-settings with API_KEY: the API key value is missing');
  if (existsSync(path.join(profileDir, 'Local State'))) {
    writePendingSecret(profileDir, 'cloudApiKey', apiKey);
    return 'pending';
  }
  new FileSecretStore(path.join(profileDir, 'secrets.json'), profileKeyCipher(profileDir)).set(
    'cloudApiKey',
    apiKey,
  );
  return 'stored';
}

export { PENDING_SECRETS_FILE };
