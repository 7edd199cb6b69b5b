// Settings service: validates every change with zod and persists through a small store interface,
// so the same code runs on electron-store in the app and on `conf` in plain Node (browser mode, tests).
import Conf from 'conf';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  SECRET_NAMES,
  SettingsSchema,
  type RecentEntry,
  type Settings,
  type SettingsPatch,
  type SettingsView,
} from '../../src-shared/settings-types.js';
import type { SecretStore } from './secrets.js';

/** The part of electron-store / conf this service uses. */
export interface KeyValueStore {
  store: Record<string, unknown>;
}

/** The JSON schema (properties) electron-store and conf validate the settings file against. */
export function settingsJsonSchema(): Record<string, object> {
  const schema = z.toJSONSchema(SettingsSchema, { target: 'draft-2020-12' }) as {
    properties: Record<string, object>;
  };
  return schema.properties;
}

export function createConfStore(profileDir: string): KeyValueStore {
  return new Conf<Record<string, unknown>>({
    cwd: profileDir,
    configName: 'settings',
    projectName: 'checkbox-detector',
    schema: settingsJsonSchema(),
    defaults: DEFAULT_SETTINGS as unknown as Record<string, unknown>,
  });
}

const MAX_RECENT = 10;

export class SettingsService {
  private readonly listeners = new Set<(s: Settings) => void>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly secrets: SecretStore,
  ) {}

  get(): Settings {
    // A hand-edited or older file falls back to defaults field by field instead of failing to start.
    const merged = { ...DEFAULT_SETTINGS, ...this.store.store };
    const parsed = SettingsSchema.safeParse(merged);
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  }

  view(): SettingsView {
    const secrets = Object.fromEntries(
      SECRET_NAMES.map((n) => [n, this.secrets.has(n)]),
    ) as SettingsView['secrets'];
    return { ...this.get(), secrets };
  }

  update(patch: SettingsPatch): SettingsView {
    const current = this.get();
    const merged = { ...current.cloud, ...patch.cloud };
    // A null reserved concurrency removes it (no cap but 16).
    if (merged.reservedConcurrency === null) delete merged.reservedConcurrency;
    const next = SettingsSchema.parse({ ...current, ...patch, cloud: merged });
    this.write(next);
    return this.view();
  }

  setModelPath(path: string | null): SettingsView {
    this.write({ ...this.get(), modelPath: path });
    return this.view();
  }

  addRecent(entries: Array<Omit<RecentEntry, 'openedAt'>>): void {
    const now = Date.now();
    const current = this.get();
    const fresh = entries.map((e) => ({ ...e, openedAt: now }));
    const keep = current.recent.filter((r) => !fresh.some((f) => f.path === r.path));
    this.write({ ...current, recent: [...fresh, ...keep].slice(0, MAX_RECENT) });
  }

  onChange(fn: (s: Settings) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private write(next: Settings): void {
    this.store.store = next as unknown as Record<string, unknown>;
    for (const fn of this.listeners) fn(next);
  }
}
