// Runs the real command line (bin/checkbox-detector.js) in a child process.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { run } from '../../src-cli/main.js';
import { REPO } from './paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO, 'bin/checkbox-detector.js'), ...args],
      { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The same command line run in this process (no child start): for tests that serve on 127.0.0.1 here. */
export async function runCliInProcess(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stderrIsTty: false,
  });
  return { code, stdout, stderr };
}
