import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, profileKeyCipher } from '../../src-main/services/secrets.js';
import { SettingsService, createConfStore } from '../../src-main/services/settings.js';

function open(dir: string) {
  const secrets = new FileSecretStore(join(dir, 'secrets.json'), profileKeyCipher(dir));
  return { settings: new SettingsService(createConfStore(dir), secrets), secrets };
}

describe('settings service', () => {
  it('persists changes across instances and validates them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-settings-'));
    const a = open(dir).settings;
    expect(a.get().engine).toBe('local');
    a.update({
      engine: 'cloud',
      theme: 'dark',
      pdfDpi: 300,
      cloud: { endpoint: 'https://x.lambda-url.us-east-1.on.aws/' },
    });
    expect(() => a.update({ defaultConf: 7 })).toThrow();
    const b = open(dir).settings.get();
    expect(b).toMatchObject({ engine: 'cloud', theme: 'dark', pdfDpi: 300, cloud: { mode: 'function-url' } });
    expect(b.cloud.endpoint).toBe('https://x.lambda-url.us-east-1.on.aws/');
  });

  it('checks for updates at start unless turned off, also in a profile from before the switch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-settings-'));
    // A settings file written before checkForUpdates existed.
    createConfStore(dir).store = { theme: 'dark' };
    expect(open(dir).settings.get()).toMatchObject({ theme: 'dark', checkForUpdates: true });
    open(dir).settings.update({ checkForUpdates: false });
    expect(open(dir).settings.get().checkForUpdates).toBe(false);
  });

  it('sets the reserved concurrency, keeps it through other cloud changes, and removes it with null', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-settings-'));
    const s = open(dir).settings;
    s.update({ cloud: { reservedConcurrency: 8, retries: 5 } });
    s.update({ cloud: { endpoint: 'https://x.lambda-url.us-east-1.on.aws/' } });
    expect(open(dir).settings.get().cloud).toMatchObject({ reservedConcurrency: 8, retries: 5 });
    expect(() => s.update({ cloud: { reservedConcurrency: 0 } })).toThrow();
    s.update({ cloud: { reservedConcurrency: null } });
    expect(open(dir).settings.get().cloud).not.toHaveProperty('reservedConcurrency');
    expect(open(dir).settings.get().cloud.retries).toBe(5);
  });

  it('keeps secrets encrypted in a 0600 file, never in the settings file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbd-secrets-'));
    const { settings, secrets } = open(dir);
    settings.update({ theme: 'light' });
    secrets.set('cloudApiKey', 'sk-very-secret-123');
    expect(settings.view().secrets.cloudApiKey).toBe(true);
    expect(open(dir).secrets.get('cloudApiKey')).toBe('sk-very-secret-123');
    const file = join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('sk-very-secret');
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain('sk-very-secret');
    secrets.set('cloudApiKey', null);
    expect(open(dir).settings.view().secrets.cloudApiKey).toBe(false);
  });

  it('keeps the ten most recent files, newest first, without duplicates', () => {
    const { settings } = open(mkdtempSync(join(tmpdir(), 'cbd-recent-')));
    for (let i = 0; i < 12; i++) settings.addRecent([{ path: `/f/${i}.png`, name: `${i}.png` }]);
    settings.addRecent([{ path: '/f/5.png', name: '5.png' }]);
    const recent = settings.get().recent.map((r) => r.name);
    expect(recent).toHaveLength(10);
    expect(recent[0]).toBe('5.png');
    expect(new Set(recent).size).toBe(10);
  });
});
