// The icons each installer takes from electron-builder.yml, resolved by electron-builder's own icon
// resolver. A `dir` pack never looks at them, and a missing icon only warns and falls back to
// Electron's, so pack:check asks the resolver directly.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { convertIcon, type IconFormat } from 'app-builder-lib/out/util/iconConverter.js';

export interface ResolvedIcon {
  key: string;
  files: string[];
}

export async function installerIcons(
  config: Configuration,
  projectDir: string,
): Promise<{ icons: ResolvedIcon[]; problems: string[] }> {
  const buildDir = path.resolve(projectDir, config.directories?.buildResources ?? 'build');
  const wanted: Array<[string, string | null | undefined, IconFormat]> = [
    ['linux.icon', config.linux?.icon, 'set'],
    ['win.icon', config.win?.icon, 'ico'],
    ['nsis.installerIcon', config.nsis?.installerIcon, 'ico'],
    ['nsis.uninstallerIcon', config.nsis?.uninstallerIcon, 'ico'],
    ['mac.icon', config.mac?.icon, 'icns'],
  ];
  const icons: ResolvedIcon[] = [];
  const problems: string[] = [];
  // Only used if the resolver had to convert, which a ready .ico/.icns/PNG set never needs.
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'cbd-icons-'));
  try {
    for (const [key, source, format] of wanted) {
      if (!source) {
        problems.push(`${key} is not set`);
        continue;
      }
      // Only the declared file: the resolver would otherwise fall back to other candidates (and
      // download a converter for them), hiding that the declared icon is missing.
      const declared = [buildDir, projectDir].map((r) => path.resolve(r, source)).find((p) => existsSync(p));
      if (!declared) {
        problems.push(
          `${key} (${source}) is in neither ${path.relative(projectDir, buildDir) || '.'}/ nor the project folder`,
        );
        continue;
      }
      const result = await convertIcon({
        sources: [declared],
        fallbackSources: [],
        roots: [buildDir, projectDir],
        format,
        outDir: scratch,
      }).catch((err: unknown) => ({
        icons: [],
        isFallback: false,
        error: err instanceof Error ? err.message : String(err),
      }));
      if (result.error || result.icons.length === 0) {
        problems.push(
          `${key} (${source}) does not resolve to an icon${result.error ? `: ${result.error}` : ''}`,
        );
        continue;
      }
      icons.push({ key, files: result.icons.map((i) => path.relative(projectDir, i.file)) });
      if (format === 'set' && Math.max(...result.icons.map((i) => i.size)) < 512) {
        problems.push(`${key}: the Linux icon set should reach 512 px`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { icons, problems };
}
