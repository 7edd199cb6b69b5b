// The container image: Dockerfile.lambda (which builds the bundle itself), built for linux/amd64 and pushed
// with the docker CLI. Its tag is the content hash of the bundle the same sources build here.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

function files(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

export function bundleTag(bundleDir: string): string {
  if (!existsSync(path.join(bundleDir, 'index.mjs'))) {
    throw new Error(`no Lambda bundle in ${bundleDir}: run npm run lambda:build first (or pass --image-uri)`);
  }
  const hash = createHash('sha256');
  for (const file of files(bundleDir))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(bundleDir, file)));
  return `bundle-${hash.digest('hex').slice(0, 16)}`;
}

function docker(args: string[], opts: { cwd?: string; input?: string } = {}): void {
  const res = spawnSync('docker', args, {
    cwd: opts.cwd,
    input: opts.input,
    stdio: [opts.input ? 'pipe' : 'ignore', 'inherit', 'inherit'],
  });
  if (res.error)
    throw new Error(`docker ${args[0]} failed: ${res.error.message} (is Docker installed and running?)`);
  if (res.status !== 0) throw new Error(`docker ${args[0]} exited with ${res.status}`);
}

export function dockerBuildAndPush(opts: {
  imageUri: string;
  registry: string;
  password: string;
  repoRoot: string;
}): void {
  // One platform and no provenance attestation: Lambda takes a single-image manifest only.
  docker(
    [
      'build',
      '--platform',
      'linux/amd64',
      '--provenance=false',
      '-f',
      'Dockerfile.lambda',
      '-t',
      opts.imageUri,
      '.',
    ],
    {
      cwd: opts.repoRoot,
    },
  );
  docker(['login', '--username', 'AWS', '--password-stdin', opts.registry], { input: opts.password });
  docker(['push', opts.imageUri]);
}
