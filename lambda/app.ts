// The HTTP API (routes, limits, errors: lambda/README.md) as one Hono app: served by the Lambda handler
// (Function URL and API Gateway events) and by the local server alike. The detector is created once by the
// caller and shared by every request.
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import {
  CheckboxError,
  SCHEMA_VERSION,
  annotate,
  toCheckboxError,
  type DecodedPage,
  type DetectionResult,
  type Detector,
  type ModelSummary,
} from '../src-core/index.js';
import pkg from '../package.json' with { type: 'json' };
import { renderDocs } from './docs.js';
import { DEFAULT_LIMITS, type ApiLimits } from './limits.js';
import { documentInfo, registerComponents } from './openapi.js';
import type { DetectRequest } from './request.js';
import { logRequest, type RequestLog } from './request-log.js';
import { admission, type AdmissionLimits } from './admission.js';
import { apiRoutes } from './routes.js';
import {
  answerUndeclared,
  errorJson,
  jsonWhateverItsType,
  refusal,
  serve,
  validated,
  validationHook,
  type AppEnv,
  type Ctx,
} from './routing.js';
import { randomUUID } from 'node:crypto';

export interface AppOptions {
  /** Created once per process or container; a rejected promise answers 503 on /health and 500 on detection. */
  detector: Promise<Detector>;
  limits?: Partial<ApiLimits>;
  /** Where the per-request log line goes; default stdout. */
  log?: RequestLog;
  /** Bound the detections at once and the queue behind them (the local server); none by default. */
  admission?: AdmissionLimits;
}

/** The id of this request: Lambda's awsRequestId (Hono's adapter passes the context), else the front
 *  door's (API Gateway, Function URL), else a new one (local server). */
function requestIdOf(env: unknown): string {
  const lambda = env as
    { lambdaContext?: { awsRequestId?: unknown }; requestContext?: { requestId?: unknown } } | undefined;
  const id = lambda?.lambdaContext?.awsRequestId ?? lambda?.requestContext?.requestId;
  return typeof id === 'string' && id ? id : randomUUID();
}

function modelSummary(detector: Detector): ModelSummary {
  const { name, version, imgsz, classes } = detector.info;
  return { name, version, imgsz, classes };
}

/** The client closed the connection before the answer (the local server aborts the request's signal). */
const clientLeft = (c: Ctx): boolean => c.req.raw.signal?.aborted === true;

export function createApp(opts: AppOptions): OpenAPIHono<AppEnv> {
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  // Settle the promise once, so a failed model load is reported per request, never left unhandled.
  const ready = opts.detector.then(
    (detector) => ({ detector }),
    (err: unknown) => ({ error: toCheckboxError(err) }),
  );
  const detector = async (): Promise<Detector> => {
    const state = await ready;
    if ('error' in state) throw state.error;
    return state.detector;
  };
  async function run(req: DetectRequest): Promise<{ decoded: DecodedPage; result: DetectionResult }> {
    const det = await detector();
    const pages = det.pages(req.data, {
      maxPixels: limits.maxPixels,
      pages: [req.page],
      ...(req.dpi !== undefined ? { dpi: req.dpi } : {}),
      conf: req.conf,
      ...(req.iou !== undefined ? { iou: req.iou } : {}),
      ...(req.tiling !== undefined ? { tiling: req.tiling } : {}),
      text: req.text,
      lang: req.lang,
      ...(req.source ? { source: req.source } : {}),
    });
    for await (const { page, result } of pages) return { decoded: page, result };
    throw new CheckboxError('internal', `page ${req.page} was not decoded`);
  }

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const log = opts.log ?? logRequest;

  app.use(async (c, next) => {
    const requestId = requestIdOf(c.env);
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    log({
      route: `${c.req.method} ${c.req.path.slice(0, 200)}`,
      status: clientLeft(c) ? 499 : c.res.status,
      ms: Math.round(performance.now() - started),
      requestId,
      ...c.get('detected'),
    });
  });

  app.onError((err, c) => {
    const failure = err instanceof HTTPException ? refusal(err, c) : toCheckboxError(err);
    // A client that hung up mid-upload breaks the body read: its doing, not a server error.
    if (failure.httpStatus >= 500 && !clientLeft(c)) console.error(err);
    return errorJson(c, failure.code, failure.message, failure.httpStatus);
  });

  // The order of the checks before a detection: room to run it, then the body's size (a queued
  // request's body stays unread), then the route's schemas.
  if (opts.admission) {
    const busy = admission<AppEnv>(opts.admission, (c, message) => errorJson(c, 'busy', message, 503));
    app.use('/predict/*', busy); // '/predict' itself included
  }
  app.use(
    '/predict/*',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) =>
        errorJson(
          c as Ctx,
          'payload_too_large',
          `The request is over ${limits.maxBodyBytes} bytes (Lambda's synchronous payload limit). ` +
            'Send a smaller or more compressed image (JPEG), or one page at a time.',
          413,
        ),
    }),
  );
  app.use('/predict/json', jsonWhateverItsType);

  const routes = apiRoutes(limits);
  registerComponents(app.openAPIRegistry);

  serve(app, routes.info, async (c) => {
    const state = await ready;
    return c.json({
      name: pkg.name,
      version: pkg.version,
      schemaVersion: SCHEMA_VERSION,
      model: 'detector' in state ? modelSummary(state.detector) : null,
      routes: declared,
      limits,
    });
  });

  serve(app, routes.health, async (c) => {
    const state = await ready;
    if ('error' in state) return errorJson(c, state.error.code, state.error.message, 503);
    return c.json({ status: 'ok', model: modelSummary(state.detector) });
  });

  /** Detects and notes what was found for the log line. */
  async function detect(c: Ctx, req: DetectRequest) {
    const out = await run(req);
    const { page, pages } = out.result.image;
    c.set('detected', { page, pages, boxes: out.result.counts.total });
    return out;
  }

  serve(app, routes.predict, async (c) => c.json((await detect(c, await validated(c))).result));
  serve(app, routes.predictJson, async (c) => c.json((await detect(c, await validated(c))).result));
  serve(app, routes.predictImage, async (c) => annotatedImage(c, await validated(c)));

  async function annotatedImage(c: Ctx, req: DetectRequest): Promise<Response> {
    const { decoded, result } = await detect(c, req);
    const image = await annotate(decoded, result, { format: req.format });
    if (image.byteLength > limits.maxResponseBytes) {
      throw new CheckboxError(
        'payload_too_large',
        `The annotated ${req.format.toUpperCase()} is ${image.byteLength} bytes, over the ${limits.maxResponseBytes}-byte ` +
          'response limit; ask for format=jpeg or send a smaller page.',
      );
    }
    return c.body(new Uint8Array(image), 200, {
      'content-type': req.format === 'png' ? 'image/png' : 'image/jpeg',
      // "total=N, <class>=N, ...": names URI-encoded, so any class name is a valid header value.
      'x-checkbox-counts': Object.entries(result.counts)
        .map(([name, n]) => `${encodeURIComponent(name)}=${n}`)
        .join(', '),
    });
  }

  // Declared last, so the document lists every route above and these two.
  serve(app, routes.openapi, (c) => c.json(document));
  serve(app, routes.docs, (c) => {
    c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return c.html(docsHtml);
  });
  const document = app.getOpenAPI31Document(documentInfo(pkg.version));
  const docsHtml = renderDocs(document as unknown as Record<string, unknown>);

  const declared = answerUndeclared(app);
  return app;
}
