// A cloud batch with several requests in flight: `pages` small pages through the cloud client into the real local
// Lambda server (`lambda:serve`: HTTP, multipart, decoding, letterbox, onnxruntime, NMS, JSON), each request delayed
// `delayMs` on its way by a proxy on 127.0.0.1 that stands for the network, at each in-flight count.
// Two models behind the server:
// - "stand-in model": a one-node ONNX model with the bundled model's input and output layout, so each page costs the
//   server a few milliseconds. It stands for Lambda, where each request in flight gets an instance (and CPU) of its
//   own: what is left is the client's fan-out against the network delay. The criterion is checked on these rows.
// - "bundled model": the real model on this machine's cores, which bound the speed-up (each page costs them its
//   inference, however many requests wait), so these rows say how far one machine gets, not how Lambda scales.
// Run alone: npx tsx scripts/bench/cloud-fanout.ts [--pages 200 --delay 300 --models stand-in,bundled].
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { CloudClient } from '../../src-core/cloud/client.js';
import { constantOutputModel, ULTRALYTICS_METADATA } from '../../tests/helpers/onnx-builder.js';
import { startLambdaServe, type ServeProcess } from '../lambda/serve-process.js';

export type FanoutEndpoint = 'stand-in model' | 'bundled model';
export const FANOUT_MODELS: Record<string, FanoutEndpoint> = {
  'stand-in': 'stand-in model',
  bundled: 'bundled model',
};

export interface FanoutRow {
  /** The model behind lambda:serve. */
  endpoint: FanoutEndpoint;
  inFlight: number;
  pages: number;
  delayMs: number;
  seconds: number;
  pagesPerSecond: number;
  /** How many times faster than one request in flight on the same endpoint. */
  speedup: number;
  /** What a page costs besides the delay, from the run with one request in flight (server, client, loopback). */
  serverMsPerPage: number;
  /** This machine's cores, which bound the bundled model's rows. */
  cores: number;
  /** The most requests the proxy saw on their way at once: the client's fan-out, timing aside. */
  peakInFlight: number;
}

/** The criterion: 16 in flight at least 8x faster than 1, with the server's CPU out of the way (stand-in model). */
export const REQUIRED_SPEEDUP = { inFlight: 16, atLeast: 8 };

/**
 * The delaying proxy, at the TCP level so that it costs the shared CPU next to nothing: every byte towards the
 * server arrives `delayMs` late (each request is held that long on its way), the answers come straight back.
 * It also counts the requests on their way: a connection is busy from its first bytes out to its first bytes
 * back (the client sends one request at a time on a connection).
 */
async function delayProxy(target: string, delayMs: number) {
  const { hostname, port } = new URL(target);
  let busy = 0;
  let peak = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    const later = (fn: () => void) => setTimeout(fn, delayMs);
    let waiting = false;
    const settle = () => {
      if (!waiting) return;
      waiting = false;
      busy--;
    };
    client.on('data', (chunk) => {
      if (!waiting) {
        waiting = true;
        busy++;
        peak = Math.max(peak, busy);
      }
      later(() => upstream.write(chunk));
    });
    upstream.on('data', settle);
    client.on('close', settle);
    client.on('end', () => later(() => upstream.end()));
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => later(() => upstream.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${own}`,
    close: () => server.close(),
    /** The peak since the last call. */
    takePeak: () => {
      const seen = peak;
      peak = busy;
      return seen;
    },
  };
}

/** A small scan: one filled box on white. */
async function smallPage(): Promise<Uint8Array> {
  const mark = { create: { width: 12, height: 12, channels: 3 as const, background: '#000' } };
  return new Uint8Array(
    await sharp({ create: { width: 96, height: 96, channels: 3, background: '#fff' } })
      .composite([{ input: mark, left: 40, top: 40 }])
      .png()
      .toBuffer(),
  );
}

/**
 * The stand-in: a 64 px input (a 96 px page is no tiling case for it) and a constant `[1, 6, 1]` output (cx, cy, w, h, empty, filled), the layout of the
 * bundled model's `[1, 4+nc, N]`, so the server decodes, letterboxes, runs onnxruntime and NMS as always.
 */
function writeStandInModel(dir: string): string {
  const file = path.join(dir, 'stand-in.onnx');
  const box = Float32Array.from([32, 32, 8, 8, 0.05, 0.9]);
  writeFileSync(
    file,
    constantOutputModel([1, 6, 1], box, { ...ULTRALYTICS_METADATA, imgsz: '[64, 64]' }, [1, 3, 64, 64]),
  );
  return file;
}

/** lambda:serve with the given model file (CHECKBOX_MODEL), or the bundled one. */
async function startServer(modelPath: string | undefined, maxInFlight: number): Promise<ServeProcess> {
  const saved = process.env.CHECKBOX_MODEL;
  if (modelPath) process.env.CHECKBOX_MODEL = modelPath; // the child takes the environment at spawn
  try {
    // Every request in flight is admitted (running or queued): no 503 in the timings.
    return startLambdaServe(['--max-queue', String(maxInFlight)]);
  } finally {
    if (saved === undefined) delete process.env.CHECKBOX_MODEL;
    else process.env.CHECKBOX_MODEL = saved;
  }
}

/** Times `pages` detections at each in-flight count through the delaying proxy in front of `serverUrl`. */
export async function measureFanout(opts: {
  serverUrl: string;
  endpoint: FanoutEndpoint;
  pages: number;
  delayMs: number;
  inFlight: number[];
  /** Told of each row as soon as it is measured. */
  onRow?: (row: FanoutRow) => void;
}): Promise<FanoutRow[]> {
  const page = await smallPage();
  const proxy = await delayProxy(opts.serverUrl, opts.delayMs);
  const rows: FanoutRow[] = [];
  try {
    // Untimed: the server's model loaded and warm.
    for (let i = 0; i < 3; i++) await new CloudClient({ url: proxy.url }).detect(page);
    for (const inFlight of opts.inFlight) {
      // Retries allowed (a 503 would be retried after its Retry-After and show in the time), none expected. The
      // time-out is wide: with the bundled model on a busy machine, a request waits its turn at the server.
      const client = new CloudClient({ url: proxy.url, maxInFlight: inFlight, timeoutMs: 600_000 });
      proxy.takePeak();
      const t0 = performance.now();
      const results = await Promise.all(
        Array.from({ length: opts.pages }, (_, i) => client.detect(page, { source: `p${i}.png` })),
      );
      const seconds = (performance.now() - t0) / 1000;
      // The stand-in's one box on every page: the server really ran it (the bundled model may see nothing here).
      if (opts.endpoint === 'stand-in model' && results.some((r) => r.detections.length !== 1))
        throw new Error('stand-in model: a page came back without its one box');
      const single = rows[0] ?? { seconds, inFlight };
      rows.push({
        endpoint: opts.endpoint,
        inFlight,
        pages: opts.pages,
        delayMs: opts.delayMs,
        seconds,
        pagesPerSecond: opts.pages / seconds,
        speedup: single.seconds / seconds,
        serverMsPerPage: Math.max(0, (single.seconds * 1000) / opts.pages - opts.delayMs),
        cores: os.availableParallelism(),
        peakInFlight: proxy.takePeak(),
      });
      opts.onRow?.(rows.at(-1)!);
    }
  } finally {
    proxy.close();
  }
  return rows;
}

/** The rows of each model asked for (default both), each through its own lambda:serve. */
export async function cloudFanoutRows(
  opts: {
    pages?: number;
    delayMs?: number;
    inFlight?: number[];
    models?: FanoutEndpoint[];
    onRow?: (row: FanoutRow) => void;
  } = {},
): Promise<FanoutRow[]> {
  const inFlight = opts.inFlight ?? [1, 4, REQUIRED_SPEEDUP.inFlight];
  const models = opts.models ?? ['stand-in model', 'bundled model'];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cbd-fanout-'));
  const rows: FanoutRow[] = [];
  try {
    for (const endpoint of models) {
      const server = await startServer(
        endpoint === 'stand-in model' ? writeStandInModel(dir) : undefined,
        Math.max(...inFlight),
      );
      try {
        rows.push(
          ...(await measureFanout({
            serverUrl: server.url,
            endpoint,
            pages: opts.pages ?? 200,
            delayMs: opts.delayMs ?? 300,
            inFlight,
            ...(opts.onRow ? { onRow: opts.onRow } : {}),
          })),
        );
      } finally {
        server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The criterion on the stand-in model's rows; undefined when it holds, else why not. */
export function fanoutShortfall(rows: FanoutRow[]): string | undefined {
  const row = rows.find((r) => r.endpoint === 'stand-in model' && r.inFlight === REQUIRED_SPEEDUP.inFlight);
  if (!row) return `no stand-in model row at ${REQUIRED_SPEEDUP.inFlight} in flight`;
  return row.speedup >= REQUIRED_SPEEDUP.atLeast
    ? undefined
    : `${row.inFlight} in flight is ${row.speedup.toFixed(1)}x faster than 1, under the ${REQUIRED_SPEEDUP.atLeast}x required`;
}

/** The report's section (docs/benchmarks.md). */
export function fanoutSection(rows: FanoutRow[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const verdict = fanoutShortfall(rows);
  const perPage = (endpoint: FanoutEndpoint) => {
    const r = rows.find((x) => x.endpoint === endpoint);
    return r ? `${Math.round(r.serverMsPerPage)} ms` : 'not measured';
  };
  return [
    `## Cloud batch: requests in flight (${first.pages} pages of 96x96 px, ${first.delayMs} ms added to each request)`,
    '',
    'The cloud client (`detect --cloud … --jobs N`, the app in Cloud mode) with N requests in flight into the real ' +
      'local Lambda server (`lambda:serve`), through a TCP proxy on 127.0.0.1 that makes every byte towards the ' +
      `server arrive ${first.delayMs} ms late (the network). "stand-in model": the server runs a one-node ONNX model with the bundled ` +
      `model's input and output layout (${perPage('stand-in model')} a page besides the delay, one request in flight), ` +
      'standing for Lambda, where each request in flight has an instance of its own: the speed-up is the ' +
      'client\'s fan-out against the delay, and the criterion is checked here. "bundled model": the real model ' +
      `on this machine's ${first.cores} cores (${perPage('bundled model')} a page besides the delay), which bound ` +
      'its speed-up however many requests are in flight. Client, proxy and server share those cores, so the ' +
      "stand-in's speed-up, too, stops where they are all busy (HTTP, decoding, letterbox, JSON on both sides).",
    '',
    '| model behind lambda:serve | in flight | seconds | pages/s | vs 1 in flight |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.endpoint} | ${r.inFlight} | ${r.seconds.toFixed(1)} | ${r.pagesPerSecond.toFixed(1)} | ${r.speedup.toFixed(1)}x |`,
    ),
    '',
    verdict
      ? `**Criterion missed: ${verdict}.**`
      : `Criterion met: ${REQUIRED_SPEEDUP.inFlight} in flight at least ${REQUIRED_SPEEDUP.atLeast}x faster than 1 (stand-in model).`,
    '',
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: '200' },
      delay: { type: 'string', default: '300' },
      models: { type: 'string', default: 'stand-in,bundled' },
    },
  });
  const models = values.models.split(',').map((m) => {
    const endpoint = FANOUT_MODELS[m.trim()];
    if (!endpoint) throw new Error(`--models: stand-in and/or bundled, not "${m}"`);
    return endpoint;
  });
  const rows = await cloudFanoutRows({
    pages: Number(values.pages),
    delayMs: Number(values.delay),
    models,
    onRow: (r) =>
      console.log(
        `${r.endpoint.padEnd(14)} ${String(r.inFlight).padStart(2)} in flight: ${r.pages} pages in ` +
          `${r.seconds.toFixed(1)} s, ${r.pagesPerSecond.toFixed(1)} pages/s, ${r.speedup.toFixed(1)}x ` +
          `(${Math.round(r.serverMsPerPage)} ms a page besides the delay, ${r.cores} cores)`,
      ),
  });
  const shortfall = fanoutShortfall(rows);
  if (shortfall) {
    console.error(`FAIL: ${shortfall}`);
    process.exitCode = 1;
  }
}
