// Child process for the Lambda cold start: load the handler bundle in this fresh Node process (its top-level
// await loads the model, as Lambda's init phase does) and invoke it once with a Function URL event that
// POSTs the image to /predict, base64-encoded as Lambda delivers binary bodies.
//   node scripts/bench/lambda-invoke.mjs <dist/lambda/index.mjs> <image>
// Prints `COLD_RESULT <json>` with the status, the box count and this process's own timings.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundle, image] = process.argv.slice(2);
if (!bundle || !image) {
  console.error('usage: node lambda-invoke.mjs <bundle index.mjs> <image>');
  process.exit(2);
}

const CONTENT_TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  bmp: 'image/bmp',
};
const ext = image.split('.').pop().toLowerCase();
const now = Date.now();
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/predict',
  rawQueryString: '',
  headers: {
    'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    host: 'bench.lambda-url.us-east-1.on.aws',
  },
  requestContext: {
    accountId: 'anonymous',
    apiId: 'bench',
    domainName: 'bench.lambda-url.us-east-1.on.aws',
    domainPrefix: 'bench',
    http: {
      method: 'POST',
      path: '/predict',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'bench',
    },
    requestId: 'bench-1',
    routeKey: '$default',
    stage: '$default',
    time: new Date(now).toUTCString(),
    timeEpoch: now,
  },
  body: (await readFile(image)).toString('base64'),
  isBase64Encoded: true,
};
const context = {
  awsRequestId: 'bench-1',
  functionName: 'checkbox-detector',
  getRemainingTimeInMillis: () => 30_000,
};

const t0 = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
const response = await handler(event, context);
const t2 = performance.now();
const body = JSON.parse(response.body);
console.log(
  `COLD_RESULT ${JSON.stringify({
    statusCode: response.statusCode,
    boxes: body.detections?.length ?? null,
    error: body.error?.code,
    initMs: t1 - t0,
    invokeMs: t2 - t1,
    sinceProcessStartMs: performance.now(),
  })}`,
);
