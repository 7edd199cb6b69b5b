// The update decision against a real feed served on 127.0.0.1, laid out as electron-builder publishes
// it for the generic provider: latest.yml (Windows), latest-mac.yml, latest-linux.yml and the installers.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkForUpdate,
  compareVersions,
  feedFileName,
  inRollout,
  installId,
  publishedFeedUrl,
  verifyDownload,
} from '../../src-main/services/update-check.js';

const installer = randomBytes(64 * 1024);
const sha512 = createHash('sha512').update(installer).digest('base64');
const wrongSha512 = createHash('sha512').update('something else').digest('base64');
const feed = (version: string, file: string, hash: string, extra = '') =>
  `version: ${version}\nfiles:\n  - url: ${file}\n    sha512: ${hash}\n    size: ${installer.length}\n` +
  `path: ${file}\nsha512: ${hash}\nreleaseDate: '2026-12-01T10:00:00.000Z'\n${extra}`;
const FILES: Record<string, string | Buffer> = {
  'latest-linux.yml': feed('0.2.0', 'checkbox-detector-0.2.0-linux-x86_64.AppImage', sha512),
  'latest-mac.yml': feed('0.2.0', 'checkbox-detector-0.2.0-mac-arm64.zip', wrongSha512),
  'latest.yml': feed('0.1.0', 'checkbox-detector-0.1.0-win-x64-setup.exe', sha512),
  'latest-linux-arm64.yml': feed(
    '0.3.0',
    'checkbox-detector-0.3.0-linux-arm64.AppImage',
    sha512,
    'stagingPercentage: 10\n',
  ),
  'checkbox-detector-0.2.0-linux-x86_64.AppImage': installer,
  'checkbox-detector-0.2.0-mac-arm64.zip': installer,
};

let server: Server;
let base = '';
// UUIDs whose last 4 bytes sit low (about 0.0%) and high (about 100%) in the rollout.
const EARLY = '6f1c7a52-93b1-4d0e-8a77-000000000001';
const LATE = '6f1c7a52-93b1-4d0e-8a77-0000ffffffff';

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = FILES[decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.split('/').pop()!)];
    res.writeHead(body === undefined ? 404 : 200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/releases`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const check = (platform: NodeJS.Platform, arch: string, currentVersion = '0.1.0', id = EARLY) =>
  checkForUpdate({ baseUrl: base, currentVersion, platform, arch, installId: id });

async function download(url: string): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'cbd-update-')), decodeURIComponent(url.split('/').pop()!));
  writeFileSync(path, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return path;
}

describe('update check against a served feed', () => {
  it('reads the feed of its OS and offers the newer version, its installer verified by sha512', async () => {
    const offer = await check('linux', 'x64');
    expect(offer).toMatchObject({
      version: '0.2.0',
      releaseDate: '2026-12-01T10:00:00.000Z',
      file: { url: `${base}/checkbox-detector-0.2.0-linux-x86_64.AppImage`, sha512, size: installer.length },
    });
    expect(await verifyDownload(offer!, await download(offer!.file.url))).toBe(true);
    // A file the feed does not name is refused, whatever its bytes.
    const renamed = await download(offer!.file.url);
    expect(await verifyDownload(offer!, renamed.replace(/AppImage$/, 'deb'))).toBe(false);
  });

  it('refuses an installer whose bytes do not match the feed’s sha512', async () => {
    const offer = await check('darwin', 'arm64');
    expect(offer?.file.url).toBe(`${base}/checkbox-detector-0.2.0-mac-arm64.zip`);
    expect(await verifyDownload(offer!, await download(offer!.file.url))).toBe(false);
  });

  it('offers nothing when up to date or newer, and reports a missing feed', async () => {
    expect(await check('win32', 'x64')).toBeNull();
    expect(await check('linux', 'x64', '0.2.0')).toBeNull();
    expect(await check('linux', 'x64', '1.0.0')).toBeNull();
    await expect(check('linux', 'ia32')).rejects.toThrow(/latest-linux-ia32\.yml answered 404/);
  });

  it('honours a staged rollout: only the share of installations it names', async () => {
    expect((await check('linux', 'arm64', '0.1.0', EARLY))?.version).toBe('0.3.0');
    expect(await check('linux', 'arm64', '0.1.0', LATE)).toBeNull();
  });
});

describe('update decision parts', () => {
  it('names the feeds as electron-builder writes them', () => {
    expect(feedFileName('win32', 'x64')).toBe('latest.yml');
    expect(feedFileName('darwin', 'arm64')).toBe('latest-mac.yml');
    expect(feedFileName('linux', 'x64')).toBe('latest-linux.yml');
    expect(feedFileName('linux', 'arm64')).toBe('latest-linux-arm64.yml');
  });

  it('compares versions numerically, a pre-release before its release', () => {
    expect(compareVersions('0.10.0', '0.9.9')).toBe(1);
    expect(compareVersions('1.2.0-beta.2', '1.2.0')).toBe(-1);
    expect(compareVersions('1.2.0-beta.10', '1.2.0-beta.9')).toBe(1);
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
  });

  it('spreads a rollout over installations, and keeps each one’s id', () => {
    const ids = Array.from({ length: 2000 }, () => crypto.randomUUID());
    const share = ids.filter((id) => inRollout(25, id)).length / ids.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    expect(ids.every((id) => inRollout(undefined, id) && inRollout(100, id) && !inRollout(0, id))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'cbd-id-'));
    expect(installId(join(dir, 'update-id'))).toBe(installId(join(dir, 'update-id')));
    writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: https://updates.example.com/cbd\n');
    expect(publishedFeedUrl(join(dir, 'app-update.yml'))).toBe('https://updates.example.com/cbd');
    expect(publishedFeedUrl(join(dir, 'absent.yml'))).toBeNull();
    writeFileSync(join(dir, 'gh.yml'), 'provider: github\nowner: acme\nrepo: cbd\n');
    expect(publishedFeedUrl(join(dir, 'gh.yml'))).toBe(
      'https://github.com/acme/cbd/releases/latest/download/',
    );
  });
});
