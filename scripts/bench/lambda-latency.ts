// Cold start and warm latency of the Lambda bundle and of the local server.
//   npx tsx scripts/bench/lambda-latency.ts [--runs 3] [--warm 10] [--threads 1]
// Cold: a fresh `node` process importing dist/lambda/index.mjs as the Lambda runtime does (model load
// in the init phase), then its first /predict event; measured from spawn to the answer. Warm: more
// events in the same process. Also: `lambda:serve` from spawn to its first HTTP answer, and its
// warm HTTP latency. Peak RSS tells how much memory the function needs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    warm: { type: 'string', default: '10' },
    threads: { type: 'string' },
  },
});
const runs = Number(values.runs);
const warm = Number(values.warm);
const threadsEnv = values.threads ? { CHECKBOX_THREADS: values.threads } : {};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))]!;
const ms = (x: number) => `${Math.round(x)} ms`;

// Inside the fresh process: import the handler, answer one event (cold), then `warm` more.
const RUNNER = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundle, imagePath, pdfPath, warm] = process.argv.slice(2);
const image = readFileSync(imagePath);
const pdf = readFileSync(pdfPath);
const event = (type, body, query = '') => ({
  version: '2.0', routeKey: '$default', rawPath: '/predict', rawQueryString: query,
  headers: { 'content-type': type, host: 'bench' },
  requestContext: { http: { method: 'POST', path: '/predict', sourceIp: '127.0.0.1' }, domainName: 'bench' },
  body: body.toString('base64'), isBase64Encoded: true,
});
const t0 = performance.now();
const { handler } = await import(pathToFileURL(bundle + '/index.mjs').href);
const initMs = performance.now() - t0;
const first = await handler(event('image/jpeg', image));
if (first.statusCode !== 200) throw new Error('first answer ' + first.statusCode + ' ' + first.body);
process.stdout.write('FIRST\\n');
const firstMs = performance.now() - t0 - initMs;
const cpuMs = (u) => (u.user + u.system) / 1000;
const coldCpuMs = cpuMs(process.cpuUsage());
const jpeg = [], pdfPage = [], jpegCpu = [];
for (let i = 0; i < Number(warm); i++) {
  let t = performance.now();
  const c = process.cpuUsage();
  await handler(event('image/jpeg', image));
  jpegCpu.push(cpuMs(process.cpuUsage(c)));
  jpeg.push(performance.now() - t);
  t = performance.now();
  await handler(event('application/pdf', pdf, 'page=2'));
  pdfPage.push(performance.now() - t);
}
process.stdout.write(JSON.stringify({ initMs, firstMs, coldCpuMs, jpeg, jpegCpu, pdfPage, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\\n');
`;

interface BundleRun {
  coldMs: number;
  initMs: number;
  firstMs: number;
  /** CPU time (all threads) from process start to the first answer: what contention cannot inflate. */
  coldCpuMs: number;
  jpeg: number[];
  jpegCpu: number[];
  pdfPage: number[];
  maxRssMb: number;
}

function bundleRun(work: string): Promise<BundleRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let coldMs = 0;
    let out = '';
    const child = spawn(
      process.execPath,
      [
        'runner.mjs',
        path.join(root, 'dist/lambda'),
        path.join(root, 'tests/fixtures/page.jpg'),
        path.join(root, 'tests/fixtures/form-3p.pdf'),
        String(warm),
      ],
      {
        cwd: work,
        env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: path.join(root, 'dist/lambda'), ...threadsEnv },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!coldMs && out.includes('FIRST\n')) coldMs = performance.now() - started;
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`bundle runner exited with ${code}`));
      resolve({ coldMs, ...(JSON.parse(out.split('\n')[1]!) as Omit<BundleRun, 'coldMs'>) });
    });
  });
}

async function serverRun(): Promise<{ coldMs: number; warm: number[] }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'lambda/server.ts', '--port', '0'], {
    cwd: root,
    env: { ...process.env, ...threadsEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error('lambda:serve exited')));
    });
    const image = readFileSync(path.join(root, 'tests/fixtures/page.jpg'));
    const predict = async () => {
      const form = new FormData();
      form.set('file', new Blob([image]), 'page.jpg');
      const res = await fetch(`${url}/predict`, { method: 'POST', body: form });
      if (res.status !== 200) throw new Error(`lambda:serve answered ${res.status}`);
      await res.arrayBuffer();
    };
    await predict();
    const coldMs = performance.now() - started;
    const times: number[] = [];
    for (let i = 0; i < warm; i++) {
      const t = performance.now();
      await predict();
      times.push(performance.now() - t);
    }
    return { coldMs, warm: times };
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, 'dist/lambda/index.mjs'))) {
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/lambda/build.ts'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('lambda:build failed');
  }
  const work = mkdtempSync(path.join(tmpdir(), 'cbd-bench-'));
  writeFileSync(path.join(work, 'runner.mjs'), RUNNER);
  try {
    const bundle: BundleRun[] = [];
    for (let i = 0; i < runs; i++) bundle.push(await bundleRun(work));
    const server = [];
    for (let i = 0; i < runs; i++) server.push(await serverRun());
    const all = (pick: (r: BundleRun) => number[]) => bundle.flatMap(pick);
    console.log(
      `Lambda bundle and local server, ${runs} cold starts each, ${warm} warm requests per start` +
        `${values.threads ? `, CHECKBOX_THREADS=${values.threads}` : ''} (page.jpg 1100x1400; PDF page rendered at 200 DPI)\n`,
    );
    console.log('| measure | median | range |');
    console.log('|---|---|---|');
    const row = (name: string, xs: number[]) =>
      console.log(`| ${name} | ${ms(median(xs))} | ${ms(Math.min(...xs))} – ${ms(Math.max(...xs))} |`);
    row(
      'bundle cold start: spawn to first /predict answer',
      bundle.map((r) => r.coldMs),
    );
    row(
      '  of which init (import + model load)',
      bundle.map((r) => r.initMs),
    );
    row(
      '  of which first request',
      bundle.map((r) => r.firstMs),
    );
    row(
      '  CPU time (all threads) to the first answer',
      bundle.map((r) => r.coldCpuMs),
    );
    row(
      'bundle warm /predict, JPEG page',
      all((r) => r.jpeg),
    );
    row(
      '  CPU time per warm JPEG request',
      all((r) => r.jpegCpu),
    );
    row(
      'bundle warm /predict, PDF page 2',
      all((r) => r.pdfPage),
    );
    row(
      'lambda:serve cold start (tsx): spawn to first HTTP answer',
      server.map((r) => r.coldMs),
    );
    row(
      'lambda:serve warm HTTP /predict, JPEG page',
      server.flatMap((r) => r.warm),
    );
    console.log(
      `\np90 warm JPEG (bundle): ${ms(p90(all((r) => r.jpeg)))}; peak RSS of the bundle process: ${Math.round(Math.max(...bundle.map((r) => r.maxRssMb)))} MB`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
