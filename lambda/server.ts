// The same API as a local HTTP server:
// `npm run lambda:serve -- [--port 8080] [--host 127.0.0.1] [--max-running N] [--max-queue N]`.
import { serve } from '@hono/node-server';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { createDetector } from './detector.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'max-running': { type: 'string' },
    'max-queue': { type: 'string' },
  },
  strict: true,
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min)
    fail(`--${name} must be a whole number from ${min}, got ${raw}`);
  return value;
}

const port = Number(values.port ?? process.env.PORT ?? 8080);
const hostname = values.host ?? process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`Invalid port: ${values.port ?? process.env.PORT}`);
// One detection per core at a time; a short queue behind them; the rest are told to come back (503).
const running = count('max-running', values['max-running'], os.availableParallelism(), 1);
const queued = count('max-queue', values['max-queue'], 4 * running, 0);

const detector = createDetector();
detector.catch((err: unknown) =>
  console.error(`Model failed to load: ${err instanceof Error ? err.message : err}`),
);

const app = createApp({ detector, admission: { running, queued, retryAfterS: 1 } });
const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  // Tests and scripts wait for this line; with --port 0 it carries the port the OS chose.
  console.log(`Checkbox Detector API listening on http://${hostname}:${info.port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    void detector
      .then((d) => d.dispose())
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
}
