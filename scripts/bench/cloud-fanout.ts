// A cloud batch with several requests in flight: `pages` tiny pages through the cloud client, each request
// delayed `delayMs` on its way (a proxy on 127.0.0.1 standing for the network), at each in-flight count.
// Two endpoints behind the proxy: lambda:serve itself (the model runs on this machine's cores, so they bound
// the speed-up), and a replay of lambda:serve's answer (the network delay alone, as with Lambda, where each
// request gets its own instance). Run alone: npx tsx scripts/bench/cloud-fanout.ts [--pages 200 --delay 300].
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { CloudClient } from '../../src-core/cloud.js';
import { startLambdaServe } from '../lambda/serve-process.js';

export type FanoutEndpoint = 'lambda:serve' | 'replay';

export interface FanoutRow {
  endpoint: FanoutEndpoint;
  inFlight: number;
  pages: number;
  delayMs: number;
  seconds: number;
  pagesPerSecond: number;
  /** How many times faster than one request in flight on the same endpoint. */
  speedup: number;
}

/** The criterion: 16 in flight at least 8x faster than 1, on the network delay alone. */
export const REQUIRED_SPEEDUP = { inFlight: 16, atLeast: 8 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The delaying proxy: forwards to `target` after `delayMs`; with `replay`, answers the first answer again. */
async function delayProxy(target: string, delayMs: number, replay: boolean) {
  let recorded: Promise<{ status: number; type: string; body: ArrayBuffer }> | undefined;
  const forward = async (req: Request) => {
    const url = new URL(req.url);
    const res = await fetch(`${target}${url.pathname}${url.search}`, {
      method: req.method,
      headers: { 'content-type': req.headers.get('content-type') ?? 'application/octet-stream' },
      body: await req.arrayBuffer(),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.arrayBuffer() };
  };
  const server = await new Promise<{ url: string; close: () => void }>((resolve) => {
    const s = serve(
      {
        fetch: async (req) => {
          await sleep(delayMs);
          const answer = replay ? await (recorded ??= forward(req)) : await forward(req);
          return new Response(answer.body.slice(0), {
            status: answer.status,
            headers: { 'content-type': answer.type },
          });
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      (info: AddressInfo) => resolve({ url: `http://127.0.0.1:${info.port}`, close: () => s.close() }),
    );
  });
  return server;
}

/** A tiny scan: the model input is the same 640 px square whatever the page, so its time cannot shrink further. */
async function tinyPage(): Promise<Uint8Array> {
  const mark = { create: { width: 12, height: 12, channels: 3 as const, background: '#000' } };
  return new Uint8Array(
    await sharp({ create: { width: 96, height: 96, channels: 3, background: '#fff' } })
      .composite([{ input: mark, left: 40, top: 40 }])
      .png()
      .toBuffer(),
  );
}

/** Times `pages` detections at each in-flight count through a proxy in front of `serverUrl`. */
export async function measureFanout(opts: {
  serverUrl: string;
  endpoint: FanoutEndpoint;
  pages: number;
  delayMs: number;
  inFlight: number[];
}): Promise<FanoutRow[]> {
  const page = await tinyPage();
  const proxy = await delayProxy(opts.serverUrl, opts.delayMs, opts.endpoint === 'replay');
  const rows: FanoutRow[] = [];
  try {
    // One untimed request: the server's model warm, the replay recorded.
    await new CloudClient({ url: proxy.url }).detect(page);
    for (const inFlight of opts.inFlight) {
      const client = new CloudClient({ url: proxy.url, maxInFlight: inFlight, retries: 0 });
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: opts.pages }, (_, i) => client.detect(page, { source: `p${i}.png` })),
      );
      const seconds = (performance.now() - t0) / 1000;
      const single = rows[0]?.seconds ?? seconds;
      rows.push({
        endpoint: opts.endpoint,
        inFlight,
        pages: opts.pages,
        delayMs: opts.delayMs,
        seconds,
        pagesPerSecond: opts.pages / seconds,
        speedup: single / seconds,
      });
    }
  } finally {
    proxy.close();
  }
  return rows;
}

/** Both endpoints, through one lambda:serve that admits every request in flight (no 503 in the timings). */
export async function cloudFanoutRows(
  opts: { pages?: number; delayMs?: number; inFlight?: number[] } = {},
): Promise<FanoutRow[]> {
  const inFlight = opts.inFlight ?? [1, 4, REQUIRED_SPEEDUP.inFlight];
  const max = Math.max(...inFlight);
  const server = await startLambdaServe(['--max-queue', String(max)]);
  try {
    const common = {
      serverUrl: server.url,
      pages: opts.pages ?? 200,
      delayMs: opts.delayMs ?? 300,
      inFlight,
    };
    return [
      ...(await measureFanout({ ...common, endpoint: 'replay' })),
      ...(await measureFanout({ ...common, endpoint: 'lambda:serve' })),
    ];
  } finally {
    server.stop();
  }
}

/** The criterion on the replay rows; undefined when it holds, else why not. */
export function fanoutShortfall(rows: FanoutRow[]): string | undefined {
  const row = rows.find((r) => r.endpoint === 'replay' && r.inFlight === REQUIRED_SPEEDUP.inFlight);
  if (!row) return `no replay row at ${REQUIRED_SPEEDUP.inFlight} in flight`;
  return row.speedup >= REQUIRED_SPEEDUP.atLeast
    ? undefined
    : `${row.inFlight} in flight is ${row.speedup.toFixed(1)}x faster than 1, under the ${REQUIRED_SPEEDUP.atLeast}x required`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { pages: { type: 'string', default: '200' }, delay: { type: 'string', default: '300' } },
  });
  const rows = await cloudFanoutRows({ pages: Number(values.pages), delayMs: Number(values.delay) });
  for (const r of rows) {
    console.log(
      `${r.endpoint.padEnd(12)} ${String(r.inFlight).padStart(2)} in flight: ${r.pages} pages in ` +
        `${r.seconds.toFixed(1)} s, ${r.pagesPerSecond.toFixed(1)} pages/s, ${r.speedup.toFixed(1)}x`,
    );
  }
  const shortfall = fanoutShortfall(rows);
  if (shortfall) {
    console.error(`FAIL: ${shortfall}`);
    process.exitCode = 1;
  }
}

/** The report's section (docs/benchmarks.md). */
export function fanoutSection(rows: FanoutRow[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const verdict = fanoutShortfall(rows);
  return [
    `## Cloud batch: requests in flight (${first.pages} tiny pages, ${first.delayMs} ms added to each request)`,
    '',
    'The cloud client (`detect --cloud … --jobs N`, the app in Cloud mode) with N requests in flight, through a proxy ' +
      'on 127.0.0.1 that delays each request. "replay" answers with lambda:serve\'s recorded answer: the network delay ' +
      'alone, as on Lambda, where each request in flight gets its own instance. "lambda:serve" runs the model for every ' +
      "request on this machine's cores, which bound its speed-up.",
    '',
    '| endpoint | in flight | seconds | pages/s | vs 1 in flight |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.endpoint} | ${r.inFlight} | ${r.seconds.toFixed(1)} | ${r.pagesPerSecond.toFixed(1)} | ${r.speedup.toFixed(1)}x |`,
    ),
    '',
    verdict
      ? `**Criterion missed: ${verdict}.**`
      : `Criterion met: ${REQUIRED_SPEEDUP.inFlight} in flight at least ${REQUIRED_SPEEDUP.atLeast}x faster than 1 (replay).`,
    '',
  ];
}
