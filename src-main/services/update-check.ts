// The update decision, in plain Node: read electron-builder's feed (latest.yml, latest-mac.yml,
// latest-linux.yml) from the configured folder, offer a newer version only to the share of users its
// staged rollout (`stagingPercentage`) admits, and check a downloaded installer's sha512 against the feed.
// main.ts shows the result; electron-updater downloads and installs with the same rollout rule.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { writeFileAtomicSync } from '../../src-core/files.js';

const FeedSchema = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+(-[\w.]+)?$/),
  files: z
    .array(z.object({ url: z.string().min(1), sha512: z.string().min(1), size: z.number().optional() }))
    .min(1),
  releaseDate: z.string().optional(),
  stagingPercentage: z.coerce.number().min(0).max(100).optional(),
});
export type UpdateFeed = z.infer<typeof FeedSchema>;
export type UpdateFile = UpdateFeed['files'][number];

export interface UpdateOffer {
  version: string;
  releaseDate: string | null;
  /** The installer for this OS (URL resolved against the feed folder)... */
  file: UpdateFile;
  /** ...and every file the feed lists (AppImage and deb, zip and dmg), URLs resolved likewise. */
  files: UpdateFile[];
}

/** The feed file electron-builder writes for an OS and CPU (as electron-updater names it). */
export function feedFileName(platform: NodeJS.Platform, arch: string): string {
  if (platform === 'win32') return 'latest.yml';
  if (platform === 'darwin') return 'latest-mac.yml';
  return arch === 'x64' ? 'latest-linux.yml' : `latest-linux-${arch}.yml`;
}

/** -1, 0 or 1; a pre-release sorts before its release (1.2.0-beta.1 < 1.2.0). */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core, pre] = v.split('-', 2);
    return { nums: core!.split('.').map(Number), pre: pre ?? null };
  };
  const [x, y] = [split(a), split(b)];
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! > y.nums[i]! ? 1 : -1;
  if (x.pre === y.pre) return 0;
  if (x.pre === null || y.pre === null) return x.pre === null ? 1 : -1;
  return x.pre.localeCompare(y.pre, undefined, { numeric: true });
}

/**
 * Whether this installation is in a staged rollout of `percentage`: electron-updater's rule (the last
 * 4 bytes of a per-installation UUID as a fraction of 2^32-1), so both agree on who gets the release.
 */
export function inRollout(percentage: number | undefined, installId: string): boolean {
  if (percentage === undefined) return true;
  const bytes = Buffer.from(installId.replace(/-/g, ''), 'hex');
  return bytes.readUInt32BE(12) / 0xffffffff < percentage / 100;
}

/** A random id per installation, kept in the profile (the rollout's dice roll, made once). */
export function installId(file: string): string {
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/i.test(id)) return id;
  }
  const id = randomUUID();
  writeFileAtomicSync(file, id, 0o600);
  return id;
}

export function decideUpdate(
  feed: UpdateFeed,
  current: string,
  id: string,
  feedUrl: string,
): UpdateOffer | null {
  if (compareVersions(feed.version, current) <= 0 || !inRollout(feed.stagingPercentage, id)) return null;
  const files = feed.files.map((f) => ({ ...f, url: new URL(f.url, feedUrl).href }));
  return { version: feed.version, releaseDate: feed.releaseDate ?? null, file: files[0]!, files };
}

export interface UpdateCheck {
  /** The folder the feeds are published in (the generic provider's URL). */
  baseUrl: string;
  currentVersion: string;
  platform: NodeJS.Platform;
  arch: string;
  installId: string;
  signal?: AbortSignal;
}

/** Fetches this OS's feed and decides; a missing feed or a malformed one is an error to report. */
export async function checkForUpdate(check: UpdateCheck): Promise<UpdateOffer | null> {
  const feedUrl = new URL(feedFileName(check.platform, check.arch), check.baseUrl.replace(/\/?$/, '/')).href;
  const res = await fetch(feedUrl, { signal: check.signal ?? AbortSignal.timeout(20_000) });
  if (!res.ok) throw new Error(`The update feed ${feedUrl} answered ${res.status}.`);
  const feed = FeedSchema.safeParse(load(await res.text()));
  if (!feed.success) throw new Error(`The update feed ${feedUrl} is not an electron-builder feed.`);
  return decideUpdate(feed.data, check.currentVersion, check.installId, feedUrl);
}

/** Whether a downloaded file is one the offer lists, byte for byte (sha512, base64, as electron-builder
 *  writes it). A file the feed does not name is refused too. */
export async function verifyDownload(offer: UpdateOffer, path: string): Promise<boolean> {
  const entry = offer.files.find((f) => basename(new URL(f.url).pathname) === basename(path));
  if (!entry) return false;
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64') === entry.sha512;
}

/** The feed folder electron-builder wrote into app-update.yml from `publish` (null: none configured).
 *  GitHub Releases serve the latest release's files under one folder too. */
export function publishedFeedUrl(appUpdateYml: string): string | null {
  if (!existsSync(appUpdateYml)) return null;
  const config = load(readFileSync(appUpdateYml, 'utf8')) as Record<string, string> | null;
  if (config?.provider === 'generic' && config.url) return config.url;
  if (config?.provider === 'github' && config.owner && config.repo) {
    return `https://github.com/${config.owner}/${config.repo}/releases/latest/download/`;
  }
  return null;
}
