// How app.ts serves the routes declared in routes.ts through @hono/zod-openapi: the API's error body for
// every refusal (a schema's, Hono's own, an undeclared route or method), and reading a detection
// request once its route's validators have run.
import type { OpenAPIHono, RouteConfig, z } from '@hono/zod-openapi';
import type { Context, HonoRequest, MiddlewareHandler } from 'hono';
import type { HTTPException } from 'hono/http-exception';
import { CheckboxError } from '../src-core/index.js';
import type { Base64ImageRequest, DetectFields, ImageForm } from './params.js';
import {
  mediaTypeOf,
  readDetectRequest,
  unsupportedType,
  type DetectRequest,
  type ValidatedRequest,
} from './request.js';

/** Per request: its id, and what was detected (for the log line). */
export type AppEnv = {
  Variables: { requestId: string; detected?: { page: number; pages: number; boxes: number } };
};
export type Ctx = Context<AppEnv>;

/** The API's error body, `{error: {code, message, requestId}}`. */
export function errorJson(c: Ctx, code: string, message: string, status: number): Response {
  return c.json({ error: { code, message, requestId: c.get('requestId') } }, status as 400);
}

/**
 * Serves a declared route. Handlers answer plain Responses: the answers are documented by components
 * (zod's own JSON Schema, as $refs), which @hono/zod-openapi cannot type. A body that comes as
 * multipart, JSON or raw bytes is validated as optional: the library checks a *required* body as JSON
 * and as a form whatever its type, but optional, each check runs for its own type only. The document
 * still says required.
 */
export function serve(
  app: OpenAPIHono<AppEnv>,
  route: RouteConfig,
  handler: (c: Ctx) => Response | Promise<Response>,
): void {
  const body = route.request?.body;
  if (body && Object.keys(body.content).length > 1) {
    const { middleware: _none, ...documented } = route;
    app.openAPIRegistry.registerPath(documented);
    route = { ...route, hide: true, request: { ...route.request, body: { ...body, required: false } } };
  }
  app.openapi(route, handler as never);
}

/** A value a route's schemas refuse is a client mistake like any other: the API's 400 error body. */
export const validationHook = (
  result: { success: true } | { success: false; error: z.ZodError; target: string },
  c: Ctx,
): Response | undefined => {
  if (result.success) return;
  // A form that is not multipart (urlencoded) cannot carry the file: its type is what is wrong.
  const type = mediaTypeOf(c.req.header('content-type'));
  if (result.target === 'form' && type !== 'multipart/form-data') throw unsupportedType(type);
  const given = (result as { data?: unknown }).data;
  return errorJson(c, 'invalid_argument', validationMessage(result.error, given), 400);
};

/** Each refused field with the value it had: "conf must be a number from 0 to 1 (got "abc")." */
function validationMessage(error: z.ZodError, data: unknown): string {
  const given = (data ?? {}) as Record<string, unknown>;
  return error.issues
    .map((issue) => {
      const field = issue.path[0];
      const value = typeof field === 'string' ? given[field] : undefined;
      return value === undefined || value instanceof Blob
        ? `${issue.message}.`
        : `${issue.message} (got ${describe(value)}).`;
    })
    .join(' ');
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Hono's own refusals before a handler: a body type the route does not take, malformed JSON or
 *  multipart. */
export function refusal(err: HTTPException, c: Ctx): CheckboxError {
  if (err.status === 415) return unsupportedType(mediaTypeOf(c.req.header('content-type')));
  return new CheckboxError('invalid_argument', err.message, { httpStatus: err.status });
}

/** /predict/json reads its body as JSON whatever the Content-Type (`curl -d` sends a form type). */
export const jsonWhateverItsType: MiddlewareHandler<AppEnv> = async (c, next) => {
  const headers = new Headers(c.req.raw.headers);
  headers.set('content-type', 'application/json');
  c.req.raw = new Request(c.req.raw, { headers });
  await next();
};

/** The detection request once the route's validators have run (the query, and the JSON or the form
 *  when the Content-Type says so). */
export function validated(c: Ctx): Promise<DetectRequest> {
  const req = c.req as unknown as HonoRequest<
    string,
    { query: DetectFields; json: z.infer<typeof Base64ImageRequest>; form: z.infer<typeof ImageForm> }
  >;
  const input: ValidatedRequest = {
    contentType: req.header('content-type'),
    query: req.valid('query'),
    json: () => req.valid('json'),
    form: () => req.valid('form'),
    bytes: () => req.arrayBuffer(),
  };
  return readDetectRequest(input);
}

/**
 * After the last route: a 404 that lists the declared routes, and a 405 with Allow on a declared path
 * asked with another method. Returns the list ("GET /", "POST /predict", ...).
 */
export function answerUndeclared(app: OpenAPIHono<AppEnv>): string[] {
  const declared = app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === 'route' ? [{ method: d.route.method.toUpperCase(), path: d.route.path }] : [],
  );
  const list = declared.map((r) => `${r.method} ${r.path}`);
  app.notFound((c) =>
    errorJson(c, 'not_found', `No route ${c.req.method} ${c.req.path}. Routes: ${list.join(', ')}.`, 404),
  );
  for (const path of new Set(declared.map((r) => r.path))) {
    const allow = declared.flatMap((r) => (r.path === path ? [r.method] : [])).join(', ');
    app.all(path, (c) => {
      c.header('allow', allow);
      return errorJson(c, 'method_not_allowed', `${path} accepts ${allow} only.`, 405);
    });
  }
  return list;
}
