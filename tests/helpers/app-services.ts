// The app's main-process services on a profile folder, in plain Node: real settings, a file secret store
// whose profile-key cipher stands in for Electron's safeStorage, the real cloud port.
import { join } from 'node:path';
import { AppServices, type AppServicesOptions } from '../../src-main/services/app-services.js';
import { createCloudPort } from '../../src-main/services/cloud-port.js';
import { FileSecretStore, profileKeyCipher } from '../../src-main/services/secrets.js';
import { createConfStore } from '../../src-main/services/settings.js';

export function profileServices(
  profileDir: string,
  opts: { emit?: AppServicesOptions['emit']; shell?: AppServicesOptions['shell'] } = {},
): AppServices {
  return new AppServices({
    profileDir,
    shell: opts.shell ?? 'web',
    version: 'test',
    settingsStore: createConfStore(profileDir),
    secrets: new FileSecretStore(join(profileDir, 'secrets.json'), profileKeyCipher(profileDir)),
    cloud: createCloudPort(),
    emit: opts.emit ?? (() => undefined),
    pathsFromUploadsOnly: false,
  });
}
