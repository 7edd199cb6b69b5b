// `lambda:serve` under a burst: 64 big pages at once. The server runs a few, queues a few and answers
// the rest 503 with Retry-After; its memory stays bounded; the cloud client retries until every page is done.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaServe, type ServeProcess } from '../../scripts/lambda/serve-process.js';
import { CloudClient, type RetryNotice } from '../../src-core/cloud/client.js';

const BURST = 64;
const RUNNING = 2;
const QUEUED = 4;

let server: ServeProcess;
let url: string;

beforeAll(async () => {
  server = await startLambdaServe(['--max-running', `${RUNNING}`, '--max-queue', `${QUEUED}`]);
  url = server.url;
});
afterAll(() => server?.stop());

/** Peak resident memory of the server process so far, in MB. */
const peakRssMb = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) / 1024;

/** An A4 page at 300 dpi (8.7 MP): 26 MB of pixels once decoded, though its PNG is small. */
async function bigPage(): Promise<Uint8Array> {
  const [width, height] = [2480, 3508];
  const boxes = Array.from({ length: 40 }, (_, i) => ({
    input: { create: { width: 60, height: 60, channels: 3 as const, background: i % 2 ? '#000' : '#444' } },
    left: 150 + (i % 8) * 280,
    top: 200 + Math.floor(i / 8) * 640,
  }));
  return new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background: '#fff' } })
      .composite(boxes)
      .png({ compressionLevel: 9 })
      .toBuffer(),
  );
}

describe('lambda:serve under a burst of big pages', () => {
  it('bounds its memory, answers the excess 503 + Retry-After, and loses nothing', async () => {
    const page = await bigPage();
    const client = new CloudClient({ url, retries: 40, maxInFlight: BURST, timeoutMs: 120_000 });
    const notices: RetryNotice[] = [];
    const idle = peakRssMb();
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        client.detect(page, { source: `big-${i}.png`, tiling: 'off', onRetry: (n) => notices.push(n) }),
      ),
    );
    expect(results.map((r) => r.image.source)).toEqual(
      Array.from({ length: BURST }, (_, i) => `big-${i}.png`),
    );
    expect(new Set(results.map((r) => r.counts.total)).size).toBe(1); // the same page, the same answer
    const busy = notices.filter((n) => n.reason === 'HTTP 503');
    expect(busy.length).toBeGreaterThanOrEqual(BURST - RUNNING - QUEUED);
    expect(Math.min(...busy.map((n) => n.delayMs))).toBeGreaterThanOrEqual(1000); // Retry-After: 1
    // 64 decoded pages at once would be 1.7 GB of pixels alone; a few at a time stay far under that.
    const peak = peakRssMb();
    console.log(
      `lambda:serve RSS: ${idle.toFixed(0)} MB idle, ${peak.toFixed(0)} MB peak; ${busy.length} retries after 503`,
    );
    expect(peak).toBeLessThan(idle + 600);
  }, 300_000);
});
