// Run the benchmark's measuring child processes (bundled Node scripts, Python from the venv) one at a time,
// so that no two measurements share the CPUs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { parseResult } from './protocol.js';

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

/** Native or file-reading packages stay in node_modules, as in the Lambda bundle. */
const EXTERNAL = ['onnxruntime-node', 'sharp', 'pdfjs-dist', '@napi-rs/canvas'];

/**
 * Bundle the TypeScript children to plain ESM with esbuild, so that they run in bare Node like the shipped
 * Lambda bundle: no tsx loader in the measured process (it costs ~30 MiB of RSS and start-up time).
 * `outDir` must sit inside the repository so that the external packages resolve. Returns entry -> .mjs.
 */
export async function bundleChildren(entries: string[], outDir: string): Promise<Map<string, string>> {
  const names = entries.map((e) => path.basename(e).replace(/\.ts$/, ''));
  await build({
    // Named entries: every output lands flat in outDir, beside the others (a worker finds its sibling).
    entryPoints: Object.fromEntries(entries.map((e, i) => [names[i], e])),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: EXTERNAL,
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

/**
 * The venv with Ultralytics, or why it cannot be used. The references get every core: Ultralytics sets
 * OMP_NUM_THREADS=1 when it is unset, which would slow PyTorch down and flatter us.
 */
export async function findPython(root: string): Promise<PythonEnv | { missing: string }> {
  const python = process.env.PYTHON ?? '/work/venv/bin/python';
  if (!existsSync(python))
    return { missing: `no Python at ${python} (set $PYTHON to a venv with ultralytics)` };
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(os.cpus().length),
    YOLO_OFFLINE: 'true',
    YOLO_VERBOSE: 'false',
  };
  try {
    await runChild(python, ['-c', 'import ultralytics, torch, onnxruntime, fastapi, uvicorn, multipart'], {
      cwd: root,
      env,
    });
  } catch (err) {
    const last = (err as Error).message.trim().split('\n').pop();
    return {
      missing: `${python} lacks a package the references need (${last}); pip install ultralytics fastapi uvicorn python-multipart`,
    };
  }
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
