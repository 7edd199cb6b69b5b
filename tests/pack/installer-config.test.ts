// What pack:check reads for the installers it cannot build here: deb/rpm dependencies, maintainer,
// file associations that never take over defaults, minimal macOS entitlements, and the licence files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig } from '../../scripts/pack/builder-config.js';
import { entitlementKeys, installerConfigProblems } from '../../scripts/pack/installer-config.js';
import { productionPackages, writeLicences } from '../../scripts/pack/third-party-notices.js';
import { licenceProblems } from '../../scripts/pack/verify-tree.js';
import { REPO } from '../helpers/paths.js';

const env = { CHECKBOX_MAINTAINER: 'Forms Team <forms@corp.example.org>' };
let config: Configuration;
beforeAll(async () => {
  config = await loadBuilderConfig(REPO, path.join(REPO, 'electron-builder.yml'));
});
/** The parts of the configuration the tests edit (electron-builder's types are read-only). */
interface Editable {
  deb: { depends: string[] };
  rpm: { depends: string[] };
  fileAssociations?: unknown[];
  nsis: { include?: string };
  mac: { entitlements?: string };
}
const problems = (edit: (c: Editable) => void, e: NodeJS.ProcessEnv = env) => {
  const changed = structuredClone(config) as unknown as Editable;
  edit(changed);
  return installerConfigProblems(changed as unknown as Configuration, REPO, e);
};

describe('installer configuration', () => {
  it('is as required: the project passes', () => {
    expect(installerConfigProblems(config, REPO, env)).toEqual([]);
  });

  it('needs the libraries minimal installs lack, in deb and rpm', () => {
    expect(problems((c) => void (c.deb.depends = c.deb.depends.filter((d) => d !== 'libgbm1')))).toEqual([
      'deb.depends lacks "libgbm1"',
    ]);
    expect(problems((c) => void (c.rpm.depends = ['gtk3']))).toHaveLength(4);
  });

  it('needs a real maintainer, from CHECKBOX_MAINTAINER', () => {
    expect(problems(() => undefined, {})).toEqual([expect.stringContaining('linux.maintainer ""')]);
    expect(problems(() => undefined, { CHECKBOX_MAINTAINER: 'X <x@checkboxdetector.invalid>' })).toHaveLength(
      1,
    );
  });

  it('registers scan types per OS, never as Windows defaults', () => {
    expect(problems((c) => void (c.fileAssociations = [{ ext: 'pdf' }]))).toEqual([
      'top-level fileAssociations would take over Windows defaults',
    ]);
    expect(problems((c) => void delete c.nsis.include)).toEqual([expect.stringContaining('nsis.include')]);
  });

  it('grants macOS only allow-jit', () => {
    const plist = path.join(mkdtempSync(path.join(os.tmpdir(), 'cbd-ent-')), 'broad.plist');
    writeFileSync(
      plist,
      '<plist><dict><key>com.apple.security.cs.allow-jit</key><true/>' +
        '<key>com.apple.security.cs.disable-library-validation</key><true/></dict></plist>',
    );
    expect(entitlementKeys('<key>a</key> <true/><key>b</key><false/>')).toEqual(['a']);
    expect(problems((c) => void (c.mac.entitlements = plist))).toEqual([
      expect.stringContaining(
        'grants com.apple.security.cs.allow-jit, com.apple.security.cs.disable-library-validation',
      ),
    ]);
  });
});

describe('licence files', () => {
  it('ship the AGPL text and notices naming every production package of the lockfile', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cbd-licences-'));
    expect(licenceProblems(dir)).toHaveLength(4);
    writeLicences(REPO, dir);
    expect(licenceProblems(dir)).toEqual([]);
    const packages = productionPackages(REPO).map((p) => p.name);
    expect(packages).toContain('onnxruntime-node');
    expect(packages).not.toContain('vitest'); // dev only
    writeFileSync(path.join(dir, 'AGPL-3.0.txt'), 'MIT');
    expect(licenceProblems(dir)).toEqual(['resources/licenses/AGPL-3.0.txt is not the AGPL-3.0 text']);
  });
});
