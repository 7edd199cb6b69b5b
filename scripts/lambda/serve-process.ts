// `lambda:serve` as its own process, for tests and benchmarks: started with the given flags on a port the
// OS chooses, resolved with its URL once it listens, stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stop(): void;
}

export function startLambdaServe(args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lambda/server.ts', '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      // Its per-request log lines are read and dropped from here on.
      out = '';
      child.stdout!.off('data', onData).resume();
      resolve({ url: match[1]!, child, stop: () => child.kill('SIGTERM') });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`lambda:serve exited with ${code}: ${out}`)));
  });
}
