// The Lambda entry with AWS's own event shapes (SAM CLI samples) and broken ones: every answer is the
// API's JSON with a request id (Lambda's awsRequestId), one JSON log line per request, and a client
// that hangs up mid-upload on the local server is logged as such, not as a server error.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaHandler, type ProxyResult } from '../../lambda/adapter.js';
import { createApp } from '../../lambda/app.js';
import type { RequestLogLine } from '../../lambda/request-log.js';
import { Detector, ErrorBodySchema } from '../../src-core/index.js';
import { fixture, functionUrlEvent, listen, multipart, restApiEvent, type TestServer } from './helpers.js';

let detector: Detector;
let lines: RequestLogLine[] = [];
let handler: ReturnType<typeof lambdaHandler>;
let server: TestServer;

beforeAll(async () => {
  detector = await Detector.create();
  const app = createApp({ detector: Promise.resolve(detector), log: (line) => lines.push(line) });
  handler = lambdaHandler(app, (line) => lines.push(line));
  server = await listen(app.fetch);
});
afterAll(async () => {
  await server?.close();
  await detector?.dispose();
});

const errorOf = (r: ProxyResult) => ErrorBodySchema.parse(JSON.parse(r.body)).error;
const requestIdOf = (r: ProxyResult) =>
  r.headers?.['x-request-id'] ?? r.multiValueHeaders?.['x-request-id']?.[0];

describe('events Hono cannot take', () => {
  it('an empty event, a non-object and half-formed events: the JSON 400 with the request id', async () => {
    const broken: unknown[] = [
      {},
      null,
      'GET /',
      [],
      { version: '2.0', rawPath: '/health', requestContext: {} },
      { httpMethod: 'GET' },
      { httpMethod: 'GET', path: '/health', headers: 'host: x' },
      { httpMethod: 'POST', path: '/predict', body: 42 },
    ];
    for (const event of broken) {
      lines = [];
      const res = await handler(event, { awsRequestId: 'req-broken' });
      expect(res.statusCode, JSON.stringify(event)).toBe(400);
      expect(requestIdOf(res)).toBe('req-broken');
      expect(errorOf(res)).toMatchObject({ code: 'invalid_argument', requestId: 'req-broken' });
      expect(lines).toEqual([{ route: 'invalid event', status: 400, ms: 0, requestId: 'req-broken' }]);
    }
  });

  it('isBase64Encoded with a body that is not base64, in both payload versions: the JSON 400', async () => {
    const bad = { method: 'POST', path: '/predict', contentType: 'image/png', body: 'not base64 at all!' };
    for (const event of [restApiEvent(bad), functionUrlEvent(bad)]) {
      const res = await handler({ ...event, isBase64Encoded: true }, { awsRequestId: 'req-b64' });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toEqual({
        code: 'invalid_argument',
        message: 'The event says its body is base64 (isBase64Encoded), but it is not valid base64.',
        requestId: 'req-b64',
      });
    }
  });
});

describe('request ids and log lines', () => {
  it("answers with Lambda's awsRequestId in a header and in error bodies, and logs one line per request", async () => {
    lines = [];
    const { contentType, body } = await multipart({ file: { name: 'page.png', data: fixture('page.png') } });
    const ok = await handler(restApiEvent({ method: 'POST', path: '/predict', contentType, body }), {
      awsRequestId: 'req-ok',
    });
    expect(ok.statusCode).toBe(200);
    expect(requestIdOf(ok)).toBe('req-ok');
    const result = JSON.parse(ok.body) as { counts: { total: number } };

    const refused = await handler(
      functionUrlEvent({ method: 'POST', path: '/predict', contentType: 'text/plain', body: 'hello' }),
      { awsRequestId: 'req-415' },
    );
    expect(refused.statusCode).toBe(415);
    expect(requestIdOf(refused)).toBe('req-415');
    expect(errorOf(refused)).toMatchObject({ code: 'unsupported_type', requestId: 'req-415' });

    expect(lines).toEqual([
      {
        route: 'POST /predict',
        status: 200,
        ms: expect.any(Number) as number,
        requestId: 'req-ok',
        page: 1,
        pages: 1,
        boxes: result.counts.total,
      },
      { route: 'POST /predict', status: 415, ms: expect.any(Number) as number, requestId: 'req-415' },
    ]);
  });

  it("uses the front door's request id without a Lambda context, and a fresh one on the local server", async () => {
    const res = await handler(functionUrlEvent({ method: 'GET', path: '/health' }));
    expect(requestIdOf(res)).toBe(
      (functionUrlEvent({ method: 'GET', path: '/' }).requestContext as { requestId: string }).requestId,
    );
    const a = await fetch(`${server.url}/nowhere`);
    const b = await fetch(`${server.url}/nowhere`);
    const id = a.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).not.toBe(b.headers.get('x-request-id'));
    expect(((await a.json()) as { error: { requestId: string } }).error.requestId).toBe(id);
  });
});

describe('client aborts', () => {
  it('a client that hangs up mid-upload is logged as 499, with no error and no stack', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    lines = [];
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: 1000000\r\n\r\n',
    );
    socket.write(fixture('page.png').subarray(0, 1000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    await expect.poll(() => lines.length).toBe(1);
    expect(lines[0]).toMatchObject({ route: 'POST /predict', status: 499 });
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
