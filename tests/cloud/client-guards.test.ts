// The cloud client cannot be misled by the endpoint it talks to: fault-injecting servers on 127.0.0.1
// redirect elsewhere, lie about page counts, hang, answer without end or ask for long waits.
import { afterAll, describe, expect, it } from 'vitest';
import { CloudClient, type CloudOptions } from '../../src-core/cloud/client.js';
import { CheckboxError, type DetectionResult } from '../../src-core/index.js';
import { runCliInProcess } from '../helpers/cli.js';
import { fakeResult, fixture, listen, repoRoot, type TestServer } from '../lambda/helpers.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const fast = { baseDelayMs: 1, maxDelayMs: 5 } satisfies Partial<CloudOptions>;
const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(fetch: (req: Request) => Response | Promise<Response>): Promise<string> {
  const s = await listen(fetch);
  servers.push(s);
  return s.url;
}

/** The page the request asked for, from any of the request shapes the client sends. */
async function askedPage(req: Request): Promise<number> {
  if ((req.headers.get('content-type') ?? '').startsWith('application/json'))
    return Number(((await req.json()) as { page: number }).page);
  return Number((await req.formData()).get('page'));
}

async function rejection(promise: Promise<unknown>): Promise<CheckboxError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CheckboxError);
  return err as CheckboxError;
}

const cli = runCliInProcess;

describe('redirects', () => {
  it('does not follow a redirect to another origin: no image and no API key go there', async () => {
    const elsewhere: (string | null)[] = [];
    const other = await serve((req) => {
      elsewhere.push(req.headers.get('x-api-key'));
      return Response.json(fakeResult(1, 1));
    });
    const gateway = await serve(
      () => new Response(null, { status: 307, headers: { location: `${other}/prod/predict/json` } }),
    );
    for (const mode of ['api-gateway', 'function-url'] as const) {
      const client = new CloudClient({ mode, url: `${gateway}/prod`, apiKey: 'k-secret', ...fast });
      const err = await rejection(client.detect(fixture('page.png')));
      expect(err.code).toBe('cloud_error');
      expect(err.message).toContain(`redirected to another origin (${other})`);
    }
    expect(elsewhere).toEqual([]);
  });

  it('follows a same-origin 307 with the same body, in both front doors (no detached buffer)', async () => {
    const seen: string[] = [];
    const url = await serve(async (req) => {
      const { pathname } = new URL(req.url);
      seen.push(`${pathname} ${req.headers.get('x-api-key')}`);
      if (!pathname.startsWith('/v2'))
        return new Response(null, { status: 307, headers: { location: `/v2${pathname}` } });
      return Response.json(fakeResult(await askedPage(req), 1));
    });
    const viaUrl = await new CloudClient({ url, ...fast }).detect(fixture('page.png'));
    expect(viaUrl.detections).toHaveLength(1);
    await new CloudClient({ mode: 'api-gateway', url, apiKey: 'k', ...fast }).detect(fixture('page.png'));
    expect(seen).toEqual(['/predict null', '/v2/predict null', '/predict/json k', '/v2/predict/json k']);
  });
});

describe('page counts', () => {
  it("takes the file's own page count, never the server's: a lying answer costs one request", async () => {
    let calls = 0;
    const liar = await serve(async (req) => {
      calls++;
      return Response.json(fakeResult(await askedPage(req), 100_000));
    });
    const client = new CloudClient({ url: liar, ...fast });
    const err = await rejection(client.detectFile(fixture('page.png')));
    expect(err.message).toMatch(/answered for page 1 of 100000, but was sent page 1 of 1 page/);
    expect(calls).toBe(1);

    calls = 0;
    await rejection(client.detectFile(fixture('form-3p.pdf')));
    expect(calls).toBeLessThanOrEqual(3);
  });

  it('uploads each page of a PDF once, as a one-page PDF, and numbers the results by the file', async () => {
    const sizes: number[] = [];
    const url = await serve(async (req) => {
      const form = await req.formData();
      const file = form.get('file') as File;
      sizes.push(file.size);
      expect(new TextDecoder().decode(await file.slice(0, 5).arrayBuffer())).toBe('%PDF-');
      return Response.json(fakeResult(Number(form.get('page')), 1));
    });
    const results = await new CloudClient({ url, ...fast }).detectFile(fixture('form-3p.pdf'));
    expect(results.map((r) => [r.image.page, r.image.pages])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(sizes).toHaveLength(3);
    for (const size of sizes) expect(size).toBeLessThan(fixture('form-3p.pdf').byteLength);
  });
});

describe('time-outs and Retry-After', () => {
  it('a hung endpoint fails after --timeout x (--retries + 1), with one line per retry', async () => {
    let calls = 0;
    const hung = await serve(() => {
      calls++;
      return new Promise<Response>(() => undefined);
    });
    const page = path.join(repoRoot, 'tests/fixtures/page.png');
    const started = performance.now();
    const out = await cli('detect', '--cloud', hung, '--timeout', '0.3', '--retries', '2', page);
    const elapsed = performance.now() - started;
    expect(out.code).toBe(1);
    expect(calls).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    const retries = out.stderr.split('\n').filter((l) => l.startsWith('retry: '));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(/page\.png: no answer within 300 ms; attempt 2 of 3 in \d+\.\d s$/);
    expect(out.stderr).toContain('after 3 attempts: no answer within 300 ms');
  });

  it('waits as long as Retry-After asks, up to a limit; past it, says so and stops', async () => {
    let calls = 0;
    const busy = await serve(() => {
      calls++;
      return new Response('busy', { status: 503, headers: { 'retry-after': '3600' } });
    });
    const err = await rejection(new CloudClient({ url: busy, ...fast }).detect(fixture('page.png')));
    expect(calls).toBe(1);
    expect(err.message).toMatch(/asks to be retried after 3600 s, longer than the 60 s this client waits/);

    const statuses = [429];
    const brief = await serve(async (req) =>
      statuses.shift()
        ? new Response('slow down', { status: 429, headers: { 'retry-after': '1' } })
        : Response.json(fakeResult(await askedPage(req), 1)),
    );
    const waits: number[] = [];
    const t0 = performance.now();
    await new CloudClient({ url: brief, ...fast }).detect(fixture('page.png'), {
      onRetry: (n) => waits.push(n.delayMs),
    });
    expect(waits).toEqual([1000]); // the server's wait, not the 5 ms backoff cap
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
  });
});

describe('answer size', () => {
  it('stops reading an answer over the cap, with or without Content-Length', async () => {
    let pushed = 0;
    let cancelled = false;
    const endless = await serve(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              pushed += 65536;
              controller.enqueue(new Uint8Array(65536).fill(0x20));
            },
            cancel() {
              cancelled = true;
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        ),
    );
    const err = await rejection(
      new CloudClient({ url: endless, maxAnswerBytes: 1 << 20, ...fast }).detect(fixture('page.png')),
    );
    expect(err.message).toMatch(/sent an answer over 1048576 bytes/);
    await expect.poll(() => cancelled).toBe(true);
    expect(pushed).toBeLessThan(16 << 20);

    const declared = await serve(
      () => new Response(new Uint8Array(3 << 20), { headers: { 'content-length': String(3 << 20) } }),
    );
    const big = await rejection(
      new CloudClient({ url: declared, maxAnswerBytes: 1 << 20, ...fast }).detect(fixture('page.png')),
    );
    expect(big.message).toMatch(/over 1048576 bytes/);
  });
});

describe('detect --cloud --jobs', () => {
  it('keeps N requests in flight and writes results in input order, however the answers arrive', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const jittery = await serve(async (req) => {
      const form = await req.formData();
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      // Later files answer sooner: the order of answers is the reverse of the input's.
      const index = Number(/(\d+)\.png$/.exec((form.get('file') as File).name)![1]);
      await new Promise((resolve) => setTimeout(resolve, 800 - index * 50));
      inFlight--;
      return Response.json(fakeResult(Number(form.get('page')), 1));
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'cbd-jobs-'));
    const files = Array.from({ length: 10 }, (_, i) => {
      const file = path.join(dir, `page-${i}.png`);
      writeFileSync(file, fixture('page.png'));
      return file;
    });
    const out = await cli('detect', '--cloud', jittery, '--jobs', '4', '--format', 'jsonl', ...files);
    expect(out.code).toBe(0);
    expect(maxInFlight).toBe(4);
    const sources = out.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as DetectionResult).image.source);
    expect(sources).toEqual(files);
  });

  it("by default stays under the deployed function's reserved concurrency; --jobs over it warns", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const held = await serve(async (req) => {
      const form = await req.formData();
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 600));
      inFlight--;
      return Response.json(fakeResult(Number(form.get('page')), 1));
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'cbd-reserved-'));
    const files = Array.from({ length: 8 }, (_, i) => {
      const file = path.join(dir, `page-${i}.png`);
      writeFileSync(file, fixture('page.png'));
      return file;
    });
    const batch = async (...args: string[]) => {
      maxInFlight = 0;
      const out = await cli('detect', '--cloud', held, '--format', 'jsonl', ...args, ...files);
      expect(out.code, out.stderr).toBe(0);
      return { ...out, maxInFlight };
    };

    expect((await batch('--reserved-concurrency', '3')).maxInFlight).toBe(3);
    const saved = process.env.CHECKBOX_RESERVED_CONCURRENCY;
    process.env.CHECKBOX_RESERVED_CONCURRENCY = '2';
    try {
      expect((await batch()).maxInFlight).toBe(2);
      const over = await batch('--jobs', '5');
      expect(over.maxInFlight).toBe(5); // asked for: honoured, with a word
      expect(over.stderr).toContain("warning: --jobs 5 is over the function's reserved concurrency 2");
    } finally {
      if (saved === undefined) delete process.env.CHECKBOX_RESERVED_CONCURRENCY;
      else process.env.CHECKBOX_RESERVED_CONCURRENCY = saved;
    }
    const bad = await cli('detect', '--reserved-concurrency', '4', files[0]!);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--reserved-concurrency applies to --cloud');
  });
});
