// What the numbers were measured on: CPU, memory, OS, runtimes, and how busy the machine was.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import sharp from 'sharp';

export interface Machine {
  cpu: string;
  /** The vector instructions int8 and float inference depend on (AVX2, AVX-512, VNNI), from /proc/cpuinfo. */
  vector: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  onnxruntime: string;
  sharp: string;
  commit: string;
}

function osName(): string {
  const release = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]+)/m)?.[1];
  return `${release ?? os.type()} (kernel ${os.release()})`;
}

/** onnxruntime's int8 kernels are several times faster with VNNI and PyTorch's float ones with AVX-512, so the
 *  ratios against the Python references move with these flags from one VM to the next. */
function vectorFlags(): string {
  const flags = new Set(
    (/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').trim().split(/\s+/),
  );
  const named = ['avx2', 'avx512f', 'avx512_vnni', 'avx_vnni', 'amx_int8'].filter((f) => flags.has(f));
  return named.length ? named.join(' ') : 'no AVX2';
}

function gitCommit(root: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(root: string): Machine {
  const require = createRequire(import.meta.url);
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    vector: existsSync('/proc/cpuinfo') ? vectorFlags() : 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName(),
    node: process.version,
    onnxruntime: (require('onnxruntime-node/package.json') as { version: string }).version,
    sharp: `${sharp.versions.sharp} (libvips ${sharp.versions.vips})`,
    commit: gitCommit(root),
  };
}

/** 1-minute load average: above ~0.5 before a run, something else is using the CPUs. */
export const loadAverage = (): number => os.loadavg()[0]!;
