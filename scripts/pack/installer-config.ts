// What pack:check reads besides the packed Linux tree, for the installers it cannot build offline:
// from the configuration electron-builder packed with, the deb/rpm dependencies, the maintainer and the
// file associations; from disk, the macOS entitlements file it names.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Configuration } from 'app-builder-lib';

/** Libraries Electron loads that minimal Debian/Ubuntu installs lack, as alternatives the deb must list. */
export const DEB_NEEDS = ['libasound2 | libasound2t64', 'libgbm1', 'libdrm2', 'libnss3', 'xdg-utils'];
const RPM_NEEDS = ['alsa-lib', 'libgbm', 'libdrm', 'nss'];
const ENTITLEMENTS = ['com.apple.security.cs.allow-jit'];

/** Keys set to true in an entitlements plist (the only kind of value entitlements take here). */
export function entitlementKeys(plist: string): string[] {
  return [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\s*\/>/g)].map((m) => m[1]!);
}

/** `${env.NAME}` as electron-builder expands it when it builds the packages. */
const expandEnv = (value: string, env: NodeJS.ProcessEnv) =>
  value.replace(/\$\{env\.(\w+)\}/g, (_m, name: string) => env[name] ?? '');

export function installerConfigProblems(config: Configuration, root: string, env = process.env): string[] {
  const problems: string[] = [];

  const deb = (config.deb?.depends ?? []) as string[];
  for (const need of DEB_NEEDS) if (!deb.includes(need)) problems.push(`deb.depends lacks "${need}"`);
  const rpm = ((config.rpm?.depends ?? []) as string[]).join(' ');
  for (const need of RPM_NEEDS) if (!rpm.includes(need)) problems.push(`rpm.depends lacks ${need}`);
  const maintainer = expandEnv(config.linux?.maintainer ?? '', env);
  if (!/^[^<>]+ <[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}>$/i.test(maintainer) || /\.invalid>$/.test(maintainer))
    problems.push(`linux.maintainer "${maintainer}" is not "Name <address>" (CHECKBOX_MAINTAINER)`);

  // NSIS turns top-level fileAssociations into default handlers: scan types go per OS only.
  if ([config.fileAssociations ?? []].flat().length)
    problems.push('top-level fileAssociations would take over Windows defaults');
  if (
    ![config.linux?.fileAssociations ?? []].flat().length ||
    ![config.mac?.fileAssociations ?? []].flat().length
  )
    problems.push('linux and mac fileAssociations are missing');
  if (!config.nsis?.include || !existsSync(path.join(root, config.nsis.include)))
    problems.push('nsis.include (the "Open with" registration) is missing');

  for (const key of ['entitlements', 'entitlementsInherit'] as const) {
    const plist = config.mac?.[key] ?? undefined;
    if (!plist || !existsSync(path.resolve(root, plist))) {
      problems.push(`mac.${key} names no file`);
      continue;
    }
    const keys = entitlementKeys(readFileSync(path.resolve(root, plist), 'utf8'));
    if (keys.join() !== ENTITLEMENTS.join())
      problems.push(`${plist} grants ${keys.join(', ')}: only allow-jit is needed`);
  }
  return problems;
}
