// Cloud engine against the project's own local Lambda server: same boxes as Local, and a failing
// cloud offers to run locally.
import { copyFileSync, mkdtempSync, utimesSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DetectionResult } from '../../src-shared/result.js';
import type { BatchStatus } from '../../src-shared/contract.js';
import type { AppPage } from './support/app-page.js';
import { expect, test } from './support/fixtures.js';
import { ROOT, serve, type Served } from './support/processes.js';

const PNG = join(ROOT, 'tests', 'fixtures', 'page.png');
let lambda: Served;

/** The file copied to a folder of its own (another path, another modification time). */
function copyOf(file: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'cbd-copy-')), basename(file));
  copyFileSync(file, copy);
  utimesSync(copy, new Date(2001, 0, 1), new Date(2001, 0, 1));
  return copy;
}

test.beforeAll(async () => {
  lambda = await serve('lambda/server.ts', ['--port', '0']);
  // The server listens before its model is loaded; /health says when it is ready.
  await expect
    .poll(async () => (await fetch(`${lambda.url}/health`).catch(() => null))?.status, { timeout: 180_000 })
    .toBe(200);
});
test.afterAll(async () => {
  await lambda?.stop();
});

async function setEndpoint(ui: AppPage, url: string): Promise<void> {
  const dialog = await ui.openSettings();
  await dialog.getByTestId('set-endpoint').fill(url);
  await dialog.getByTestId('set-mode').selectOption('function-url');
  await dialog.getByTestId('set-auth').selectOption('none');
  await dialog.getByTestId('settings-save').click();
  await expect(dialog).toBeHidden();
}

test('Cloud against the local Lambda server gives the same boxes as Local', async ({ app, ui }) => {
  await setEndpoint(ui, lambda.url);
  const dialog = await ui.openSettings();
  await dialog.getByTestId('test-connection').click();
  await expect(dialog.getByTestId('test-result')).toContainText('✓');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await ui.chooseEngine('cloud');
  await ui.open([PNG]);
  await ui.waitUntilDone('page.png');
  await ui.showDoc('page.png');
  await expect(ui.resultEngine()).toHaveAttribute('data-engine', 'cloud');
  const cloudCount = await ui.boxes().count();

  await ui.chooseEngine('local');
  await ui.open([copyOf(PNG)]); // the same file again would only bring back its entry
  await expect(ui.doc('page.png')).toHaveCount(2);
  await expect(ui.doc('page.png').nth(1)).toHaveAttribute('data-status', 'done');
  await ui.doc('page.png').nth(1).locator('button.row').click();
  await expect(ui.resultEngine()).toHaveAttribute('data-engine', 'local');
  await expect(ui.boxes()).toHaveCount(cloudCount);

  const { items } = await app.call<BatchStatus>('getBatch');
  const [cloud, local] = await Promise.all(
    items.map((d) => app.call<DetectionResult[]>('getResults', { docId: d.id })),
  );
  expect(cloud![0]!.engine).toBe('cloud');
  expect(local![0]!.engine).toBe('local');
  expect(cloud![0]!.detections.length).toBe(local![0]!.detections.length);
  for (const [i, d] of local![0]!.detections.entries()) {
    const c = cloud![0]!.detections[i]!;
    expect(c.class).toBe(d.class);
    expect(Math.abs(c.confidence - d.confidence)).toBeLessThan(1e-3);
    c.box.forEach((v, k) => expect(Math.abs(v - d.box[k]!)).toBeLessThan(0.5));
  }
});

test('a cloud failure says what went wrong and offers to run locally', async ({ ui }) => {
  await setEndpoint(ui, 'http://127.0.0.1:9/');
  await ui.chooseEngine('cloud');
  await ui.open([PNG]);
  await expect(ui.notice()).toHaveAttribute('data-kind', 'error');
  await expect(ui.notice()).toContainText(/cannot reach|cloud/i);
  await ui.runLocallyButton().click();
  // The switch follows, so the next file doesn't fail the same way.
  await expect(ui.page.getByTestId('engine-local')).toHaveAttribute('aria-checked', 'true');
  await ui.waitUntilDone('page.png');
  await expect(ui.doc('page.png')).toHaveAttribute('data-status', 'done');
  await expect(ui.resultEngine()).toHaveAttribute('data-engine', 'local');
  await expect(ui.boxes().first()).toBeVisible();
});

/**
 * A fault-injecting front of the local Lambda: its first POST gets 503 with `Retry-After`, every later
 * request goes through to the real server.
 */
async function busyOnce(target: string, retryAfterS: number): Promise<{ url: string; server: Server }> {
  let refused = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && !refused) {
        refused = true;
        res.writeHead(503, { 'retry-after': String(retryAfterS), 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'busy', message: 'busy, come back later' } }));
        return;
      }
      void fetch(`${target}${req.url}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' },
        ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
      }).then(async (answer) => {
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('a cloud retry is shown in the batch panel and said by the live region, then the file finishes', async ({
  ui,
}) => {
  const front = await busyOnce(lambda.url, 8);
  try {
    await setEndpoint(ui, front.url);
    await ui.chooseEngine('cloud');
    await ui.open([PNG]);
    await ui.showBatchPanel();
    const retry = /Retrying after HTTP 503 \(attempt 2 of \d+\)/;
    const row = ui.page.locator('[data-testid="batch-row"][data-name="page.png"]');
    await expect(row.getByTestId('batch-notice')).toHaveText(retry);
    await expect(ui.page.getByTestId('batch-retrying')).toContainText('page.png: Retrying after HTTP 503');
    await expect(ui.page.getByTestId('announcer')).toHaveText(
      /^Detecting page\.png, file 1 of 1\. page\.png: Retrying after HTTP 503/,
    );
    // Retry-After is honoured, the second attempt succeeds and the notice goes with the wait.
    await ui.waitUntilDone('page.png');
    await expect(row).toHaveAttribute('data-status', 'done');
    await expect(row.getByTestId('batch-notice')).toHaveCount(0);
    await expect(ui.resultEngine()).toHaveAttribute('data-engine', 'cloud');
  } finally {
    front.server.close();
  }
});
