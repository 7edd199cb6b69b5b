// Child processes the specs run: the browser-mode server, the local Lambda server and the core's CLI.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONF, type DetectionResult } from '../../../src-shared/result.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

export interface Served {
  url: string;
  stop(): Promise<void>;
}

/** Starts `tsx <script> args`, waits for its "listening on http://..." line (with browser mode's token). */
export function serve(script: string, args: string[]): Promise<Served> {
  const child: ChildProcess = spawn(TSX, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /listening on (http:\/\/[\d.:]+(?:\/\?token=[\w-]+)?)/.exec(log);
      if (m) resolve({ url: m[1]!, stop: () => stop(child) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    child.on('exit', (code, signal) => {
      const why = `${script} exited (${code ?? signal})`;
      // After it was listening, an exit nobody asked for is a crash: show its output in the test log.
      if (!stopping.has(child)) console.error(`${why}:\n${log}`);
      reject(new Error(`${why} before listening:\n${log}`));
    });
  });
}

const stopping = new WeakSet<ChildProcess>();

function stop(child: ChildProcess): Promise<void> {
  stopping.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const cache = new Map<string, Promise<DetectionResult[]>>();

/** What the core finds in a file at `conf`, through its own command line. */
export function coreDetect(file: string, conf = DEFAULT_CONF): Promise<DetectionResult[]> {
  const key = `${file}@${conf}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = promisify(execFile)(
      TSX,
      ['src-cli/main.ts', 'detect', '--format', 'json', '--conf', String(conf), file],
      {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
      },
    ).then(({ stdout }) => JSON.parse(stdout) as DetectionResult[]);
    cache.set(key, hit);
  }
  return hit;
}
