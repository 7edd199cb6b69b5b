// Cold start: from spawning a fresh process to its first result, and that process's peak RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const GNU_TIME = '/usr/bin/time';

export interface ColdSample {
  /** Spawn to the first result, ms. */
  firstResultMs: number;
  /** Peak RSS of the process (largest in its tree for exiting processes), MiB; NaN when unmeasurable. */
  peakRssMb: number;
  /** CPU ms the process used (user + system, every thread; children included for exiting processes). */
  cpuMs: number;
  /** The line that carried the result, for the record. */
  detail: string;
}

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

function collect(child: ChildProcess): { stderr: () => string } {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  return { stderr: () => stderr };
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

/**
 * A process that answers once and exits (CLI, Lambda invoke): time spawn to the first stdout line that
 * `isResult` accepts. GNU time reports the peak RSS (ru_maxrss: the largest process of the tree).
 */
export async function coldProcess(
  spec: ProcessSpec,
  isResult: (line: string) => boolean,
): Promise<ColdSample> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-cold-'));
  const rssFile = path.join(scratch, 'rss');
  const haveTime = existsSync(GNU_TIME);
  const [command, args] = haveTime
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, spec.command, ...spec.args]]
    : [spec.command, spec.args];
  try {
    const t0 = performance.now();
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { stderr } = collect(child);
    let firstResultMs = Number.NaN;
    let detail = '';
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      const now = performance.now();
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (Number.isNaN(firstResultMs) && isResult(line)) {
          firstResultMs = now - t0;
          detail = line.slice(0, 300);
        }
      }
    });
    const code = await exited(child);
    if (code !== 0 || Number.isNaN(firstResultMs)) {
      throw new Error(`${spec.command} ${spec.args.join(' ')} exited ${code} without a result:\n${stderr()}`);
    }
    // GNU time's last line: "<max RSS KiB> <user s> <system s>".
    const [rssKb, user, system] = haveTime
      ? (await readFile(rssFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number)
      : [Number.NaN, Number.NaN, Number.NaN];
    return { firstResultMs, peakRssMb: rssKb! / 1024, cpuMs: (user! + system!) * 1000, detail };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** VmHWM of a live process, MiB. */
async function processPeakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : Number.NaN;
}

/** utime + stime of a live process from /proc/<pid>/stat, ms (Linux counts them in 1/100 s). */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the ")" that closes the command name: state is field 3, utime 14 and stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.length > 13 ? (Number(fields[11]) + Number(fields[12])) * 10 : Number.NaN;
}

/**
 * A server (the Python reference): time spawn to the first successful answer of `request`, polled until it
 * answers 200, then read its peak RSS while it still runs, and stop it.
 */
export async function coldServer(
  spec: ProcessSpec,
  request: () => Promise<Response>,
  timeoutMs = 120_000,
): Promise<ColdSample> {
  const t0 = performance.now();
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const { stderr } = collect(child);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${spec.command} exited ${child.exitCode}:\n${stderr()}`);
      if (performance.now() - t0 > timeoutMs)
        throw new Error(`${spec.command} gave no answer in ${timeoutMs} ms:\n${stderr()}`);
      const response = await request().catch(() => undefined); // refused until it listens
      if (response?.ok) {
        const firstResultMs = performance.now() - t0;
        const detail = (await response.text()).slice(0, 300);
        const [peakRssMb, cpuMs] = [await processPeakRssMb(child.pid!), await processCpuMs(child.pid!)];
        return { firstResultMs, peakRssMb, cpuMs, detail };
      }
      if (response) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
      await sleep(10);
    }
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}
