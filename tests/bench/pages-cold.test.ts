import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coldProcess, coldServer, freePort } from '../../scripts/bench/cold.js';
import { decodeImage } from '../../src-core/index.js';
import { preparePages, type BenchPage } from '../../scripts/bench/pages.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'bench-test-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('preparePages', () => {
  let pages: BenchPage[];
  beforeAll(async () => {
    pages = await preparePages({
      fixturesDir: path.join(root, 'tests/fixtures'),
      realDevDir: path.join(workDir, 'absent'),
      generated: 1,
      workDir,
    });
  });

  it('writes every page of multi-page fixtures as a PNG that matches the truth sizes', async () => {
    const truth = JSON.parse(await readFile(path.join(root, 'tests/fixtures/truth.json'), 'utf8')) as {
      files: Record<string, { page: number; width: number; height: number }[]>;
    };
    for (const [file, truthPages] of Object.entries(truth.files)) {
      for (const t of truthPages) {
        const name = /\.(pdf|tiff?)$/i.test(file) ? `${file}-p${t.page}.png` : file;
        const page = pages.find((p) => p.name === name);
        expect(page, name).toMatchObject({ width: t.width, height: t.height, origin: 'fixture' });
        const [decoded] = await decodeImage(await readFile(page!.file));
        expect([decoded!.width, decoded!.height]).toEqual([t.width, t.height]);
      }
    }
  });

  it('renders full-size generated pages into the scratch folder, and skips an absent real-dev folder', () => {
    const generated = pages.filter((p) => p.origin === 'generated');
    expect(generated).toHaveLength(1);
    expect(generated[0]).toMatchObject({ width: 1700, height: 2200 });
    expect(path.dirname(generated[0]!.file)).toBe(workDir);
    expect(pages.some((p) => p.origin === 'real-dev')).toBe(false);
  });
});

describe('cold start measurement', () => {
  it('times a process to its first result line and reads its peak RSS', async () => {
    const script = "console.log('starting'); setTimeout(() => { console.log('RESULT 42'); }, 50);";
    const sample = await coldProcess({ command: process.execPath, args: ['-e', script], cwd: workDir }, (l) =>
      l.startsWith('RESULT'),
    );
    expect(sample.detail).toBe('RESULT 42');
    expect(sample.firstResultMs).toBeGreaterThan(0);
    expect(sample.peakRssMb).toBeGreaterThan(5); // a Node process holds more than 5 MiB
    expect(sample.cpuMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with the child’s stderr when it exits without a result', async () => {
    const script = "console.error('model failed to load'); process.exit(3);";
    await expect(
      coldProcess({ command: process.execPath, args: ['-e', script], cwd: workDir }, () => true),
    ).rejects.toThrow(/exited 3[\s\S]*model failed to load/);
  });

  it('polls a server until it answers, then stops it', async () => {
    const port = await freePort();
    const script = `setTimeout(() => require('node:http').createServer((q, s) => s.end('ok ' + q.method)).listen(${port}, '127.0.0.1'), 200);`;
    const sample = await coldServer({ command: process.execPath, args: ['-e', script], cwd: workDir }, () =>
      fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', body: 'x' }),
    );
    expect(sample.detail).toBe('ok POST');
    expect(sample.peakRssMb).toBeGreaterThan(5);
    expect(sample.cpuMs).toBeGreaterThanOrEqual(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow(); // stopped
  });
});

describe('contention monitor', () => {
  it('counts the CPU of processes outside the given process tree', async () => {
    const { ContentionMonitor } = await import('../../scripts/bench/contention.js');
    // Root at a pid that does not exist: every process, this busy child included, is "other".
    const monitor = new ContentionMonitor(2 ** 30, 100);
    monitor.window();
    const busy = 'const end = Date.now() + 600; while (Date.now() < end);';
    await coldProcess(
      { command: process.execPath, args: ['-e', `${busy} console.log('done')`], cwd: workDir },
      (l) => l === 'done',
    );
    // The child spun for 600 ms of a window hardly longer: well over a third of a core on average.
    expect(monitor.window()).toBeGreaterThan(0.3);
    const seen = monitor.stop();
    expect(seen.meanCores).toBeGreaterThan(0);
    expect(seen.busiest.map((b) => b.command)).toContain('node');
  });
});
