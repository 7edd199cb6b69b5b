// The same API as a local HTTP server: `npm run lambda:serve -- [--port 8080] [--host 127.0.0.1]`.
import { serve } from '@hono/node-server';
import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { createDetector } from './detector.js';

const { values } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string' } },
  strict: true,
});
const port = Number(values.port ?? process.env.PORT ?? 8080);
const hostname = values.host ?? process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${values.port ?? process.env.PORT}`);
  process.exit(2);
}

const detector = createDetector(import.meta.url);
detector.catch((err: unknown) =>
  console.error(`Model failed to load: ${err instanceof Error ? err.message : err}`),
);

const server = serve({ fetch: createApp({ detector }).fetch, port, hostname }, (info) => {
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
