// Run the benchmark's measuring child processes (bundled Node scripts, Python from the venv) one at a time,
// so that no two measurements share the CPUs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { parseResult } from './protocol.js';
import { EXTERNAL_PACKAGES } from '../lambda/external-packages.js';

export interface ChildOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export function runChild(command: string, args: string[], opts: ChildOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path.basename(command)} ${args.join(' ')} exited ${code}:\n${stderr}`));
    });
  });
}

/**
 * Bundle the TypeScript children to plain ESM with esbuild, so that they run in bare Node like the shipped
 * Lambda bundle: no tsx loader in the measured process (it costs ~30 MiB of RSS and start-up time).
 * `outDir` must sit inside the repository so that the external packages resolve. Returns entry -> .mjs.
 * Split into chunks as the shipped CLI's tsc build is into modules: what the sources import dynamically (the
 * AWS SDK, pdf-lib) loads when first used, not compiled at every start; the entries share what they share.
 */
export async function bundleChildren(entries: string[], outDir: string): Promise<Map<string, string>> {
  const names = entries.map((e) => path.basename(e).replace(/\.ts$/, ''));
  // outDir holds these bundles only: an earlier build's chunks (other hashes) go.
  await rm(outDir, { recursive: true, force: true });
  await build({
    // Named entries: every output lands flat in outDir, beside the others (a worker finds its sibling).
    entryPoints: Object.fromEntries(entries.map((e, i) => [names[i], e])),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Chunks flat beside the entries too: the pool's worker client, in a chunk, starts pool-worker.mjs from
    // beside itself.
    splitting: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: EXTERNAL_PACKAGES,
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return new Map(entries.map((e, i) => [e, path.join(outDir, `${names[i]}.mjs`)]));
}

/** A bundled Node child in a fresh process; `nodeArgs` go to node itself (V8 flags). */
export async function runNodeChild<T>(
  script: string,
  args: string[],
  opts: ChildOptions,
  nodeArgs: string[] = [],
): Promise<T> {
  return parseResult<T>(await runChild(process.execPath, [...nodeArgs, script, ...args], opts));
}

export interface PythonEnv {
  python: string;
  env: NodeJS.ProcessEnv;
}

/** What the Python references (Ultralytics with PyTorch and onnxruntime, the FastAPI service) import, by pip name. */
export const PYTHON_PACKAGES: Record<string, string> = {
  ultralytics: 'ultralytics',
  torch: 'torch',
  onnx: 'onnx',
  onnxslim: 'onnxslim',
  onnxruntime: 'onnxruntime',
  fastapi: 'fastapi',
  uvicorn: 'uvicorn',
  multipart: 'python-multipart',
};

/** Prints the modules of argv that do not import, one per line. */
const FIND_MISSING = `import importlib.util, sys
print("\\n".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))`;

/**
 * The venv with Ultralytics — $PYTHON, else the training venv scripts/train/setup.sh makes (venv/) — or why it
 * cannot be used, in one line. The references get every core: Ultralytics sets OMP_NUM_THREADS=1 when it is
 * unset, which would slow PyTorch down and flatter us.
 */
export async function findPython(root: string): Promise<PythonEnv | { missing: string }> {
  const python = process.env.PYTHON ?? path.join(root, 'venv/bin/python');
  if (!existsSync(python))
    return {
      missing: `no Python at ${python} (run scripts/train/setup.sh, or set $PYTHON to a venv with ultralytics)`,
    };
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(os.cpus().length),
    YOLO_OFFLINE: 'true',
    YOLO_VERBOSE: 'false',
  };
  const modules = Object.keys(PYTHON_PACKAGES);
  const absent = (await runChild(python, ['-c', FIND_MISSING, ...modules], { cwd: root, env })).split('\n');
  const pip = modules.filter((m) => absent.includes(m)).map((m) => PYTHON_PACKAGES[m]!);
  if (pip.length > 0)
    return { missing: `${python} lacks ${pip.join(', ')}: ${python} -m pip install ${pip.join(' ')}` };
  return { python, env };
}

export async function runPythonChild<T>(
  py: PythonEnv,
  script: string,
  args: string[],
  cwd: string,
): Promise<T> {
  return parseResult<T>(await runChild(py.python, [script, ...args], { cwd, env: py.env }));
}
