// The Lambda bundle folder on its own, loaded the way the Node.js runtime loads it: a fresh
// process started through the bundle's exec wrapper (AWS_LAMBDA_EXEC_WRAPPER in Dockerfile.lambda),
// LAMBDA_TASK_ROOT set, the folder read-only, no repository node_modules reachable,
// `index.handler` imported from its file URL and called with AWS's own sample events
// (SAM CLI's API Gateway REST v1 and HTTP API / Function URL v2 events, bodies replaced by real images).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectionResultSchema, ErrorBodySchema } from '../../src-core/index.js';
import { fixture, functionUrlEvent, multipart, repoRoot, restApiEvent } from './helpers.js';

interface ProxyResult {
  statusCode: number;
  body: string;
  isBase64Encoded: boolean;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}
interface RunnerOutput {
  reachable: Record<string, boolean>;
  results: ProxyResult[];
}

// Runs inside the fresh process, from a temp folder outside the repository (its cwd too): what the
// Lambda runtime does, then our events, one after another.
const RUNNER = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const root = process.env.LAMBDA_TASK_ROOT;
const { handler } = await import(pathToFileURL(root + '/index.mjs').href);
const reachable = {};
for (const name of ['hono', 'vitest', 'zod', 'tsx']) {
  reachable[name] = await import(name).then(() => true, () => false);
}
const events = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = [];
for (const event of events) results.push(await handler(event, {}));
// A warm Lambda keeps its OCR workers; the runner is done once it has written the answers.
process.stdout.write(JSON.stringify({ reachable, results }), () => process.exit(0));
`;

let work: string;
let taskRoot: string;

function chmodTree(dir: string, mode: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chmodTree(p, mode);
    chmodSync(p, entry.isDirectory() ? mode | 0o111 : mode);
  }
  chmodSync(dir, mode | 0o111);
}

function runEvents(events: unknown[]): RunnerOutput {
  const eventsFile = path.join(work, `events-${Date.now()}.json`);
  writeFileSync(eventsFile, JSON.stringify(events));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work,
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_REGION: 'us-east-1',
  };
  const child = spawnSync(process.execPath, ['runner.mjs', eventsFile], {
    cwd: work,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`runner failed (${child.status}): ${child.stderr}`);
  // The handler's own log lines (one JSON line per request) come first; the runner's output is the last line.
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RunnerOutput;
}

const json = (r: ProxyResult): unknown =>
  JSON.parse(r.isBase64Encoded ? Buffer.from(r.body, 'base64').toString() : r.body);
const header = (r: ProxyResult, name: string) => r.headers?.[name] ?? r.multiValueHeaders?.[name]?.[0];

beforeAll(() => {
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/lambda/build.ts'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`lambda:build failed: ${build.stderr}`);
  work = mkdtempSync(path.join(tmpdir(), 'cbd-lambda-'));
  taskRoot = path.join(work, 'task');
  cpSync(path.join(repoRoot, 'dist/lambda'), taskRoot, { recursive: true });
  chmodTree(taskRoot, 0o444);
  writeFileSync(path.join(work, 'runner.mjs'), RUNNER);
});

afterAll(() => {
  if (work && existsSync(work)) {
    chmodTree(work, 0o755);
    rmSync(work, { recursive: true, force: true });
  }
});

describe('the bundle folder', () => {
  it("runs here on the Node major of Dockerfile.lambda's build and Lambda base images", () => {
    const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile.lambda'), 'utf8');
    const images = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
    expect(images).toEqual([
      expect.stringMatching(/^public\.ecr\.aws\/docker\/library\/node:\d+-/),
      expect.stringMatching(/^public\.ecr\.aws\/lambda\/nodejs:\d+$/),
    ]);
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    expect(images.map((image) => Number(/:(\d+)/.exec(image)![1]))).toEqual([nodeMajor, nodeMajor]);
  });

  it('holds only linux-x64 native code', () => {
    const bin = path.join(taskRoot, 'node_modules/onnxruntime-node/bin/napi-v6');
    expect(readdirSync(bin)).toEqual(['linux']);
    expect(readdirSync(path.join(bin, 'linux'))).toEqual(['x64']);
    expect(readdirSync(path.join(taskRoot, 'node_modules/@img')).sort()).toEqual([
      'colour',
      'sharp-libvips-linux-x64',
      'sharp-linux-x64',
    ]);
    expect(statSync(path.join(taskRoot, 'models/checkbox-detector.onnx')).size).toBeGreaterThan(1000);
  });

  it('answers AWS sample events in a fresh read-only process, with no repository packages reachable', async () => {
    const png = fixture('page.png');
    const upload = await multipart({ file: { name: 'page.png', data: png }, conf: '0.25' });
    const events = [
      restApiEvent({ method: 'POST', path: '/predict', contentType: upload.contentType, body: upload.body }),
      restApiEvent({
        method: 'POST',
        path: '/predict/json',
        contentType: 'application/json',
        body: JSON.stringify({ image: png.toString('base64') }),
      }),
      restApiEvent({
        method: 'POST',
        path: '/predict/image',
        query: { format: 'jpeg' },
        contentType: 'image/png',
        body: png,
      }),
      restApiEvent({ method: 'GET', path: '/health' }),
      restApiEvent({
        method: 'POST',
        path: '/predict/json',
        contentType: 'application/json',
        body: '{"image": "%%%"}',
      }),
      functionUrlEvent({
        method: 'POST',
        path: '/predict',
        contentType: upload.contentType,
        body: upload.body,
      }),
      functionUrlEvent({
        method: 'POST',
        path: '/predict',
        query: { page: '2' },
        contentType: 'application/pdf',
        body: fixture('form-3p.pdf'),
      }),
      functionUrlEvent({ method: 'POST', path: '/predict/image', contentType: 'image/png', body: png }),
      functionUrlEvent({ method: 'GET', path: '/openapi.json' }),
      functionUrlEvent({ method: 'POST', path: '/predict', contentType: 'text/plain', body: 'hello' }),
      // OCR from the bundle alone: tesseract.js and the English model it carries in models/tessdata.
      functionUrlEvent({
        method: 'POST',
        path: '/predict',
        query: { text: 'ocr' },
        contentType: 'image/jpeg',
        body: fixture('text/scan-1.jpg'),
      }),
    ];
    const { reachable, results } = runEvents(events);
    expect(reachable).toEqual({ hono: false, vitest: false, zod: false, tsx: false });
    const [
      v1Multipart,
      v1Json,
      v1Image,
      v1Health,
      v1BadBase64,
      v2Multipart,
      v2Pdf,
      v2Image,
      v2OpenApi,
      v2BadType,
      v2Ocr,
    ] = results as [
      ProxyResult,
      ProxyResult,
      ProxyResult,
      ProxyResult,
      ProxyResult,
      ProxyResult,
      ProxyResult,
      ProxyResult,
      ProxyResult,
      ProxyResult,
      ProxyResult,
    ];

    // v1 (API Gateway REST) with a base64 multipart body, and v2 (Function URL) with the same body.
    const fromV1 = DetectionResultSchema.parse(json(v1Multipart));
    const fromV2 = DetectionResultSchema.parse(json(v2Multipart));
    expect(v1Multipart.statusCode).toBe(200);
    expect(fromV1.image).toMatchObject({ width: 1000, height: 1300, source: 'page.png' });
    expect(fromV1.detections.length).toBeGreaterThan(0);
    expect(fromV1.detections.every((d) => d.confidence >= 0.25)).toBe(true);
    expect(fromV2.detections).toEqual(fromV1.detections);
    expect(v1Multipart.multiValueHeaders?.['content-type']).toEqual(['application/json']);

    expect(DetectionResultSchema.parse(json(v1Json)).counts.total).toBeGreaterThan(0);
    expect(json(v1Health)).toMatchObject({ status: 'ok' });
    expect(v1BadBase64.statusCode).toBe(400);
    expect(ErrorBodySchema.parse(json(v1BadBase64)).error.code).toBe('invalid_argument');

    // Binary answers come back base64-encoded, as both front doors expect.
    for (const [result, format] of [
      [v1Image, 'jpeg'],
      [v2Image, 'png'],
    ] as const) {
      expect(result.statusCode).toBe(200);
      expect(result.isBase64Encoded).toBe(true);
      expect(header(result, 'content-type')).toBe(`image/${format}`);
      expect(await sharp(Buffer.from(result.body, 'base64')).metadata()).toMatchObject({
        format,
        width: 1000,
        height: 1300,
      });
    }

    expect(DetectionResultSchema.parse(json(v2Pdf)).image).toMatchObject({ page: 2, pages: 3 });
    expect(json(v2OpenApi)).toMatchObject({ openapi: '3.1.0' });
    expect(v2BadType.statusCode).toBe(415);
    const ocr = DetectionResultSchema.parse(json(v2Ocr));
    expect(ocr.text).toMatchObject({ source: 'ocr', lang: 'eng' });
    expect(ocr.detections.filter((d) => d.label).length).toBeGreaterThan(ocr.detections.length / 2);
  });
});
