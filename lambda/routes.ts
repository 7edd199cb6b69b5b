// Every route of the API, declared once: app.ts serves them (validating the query, form and JSON with
// their zod schemas), and /openapi.json, /docs, GET /'s route list and the 404/405 answers are made
// from these declarations.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { MEDIA_TYPE_ALIASES, MEDIA_TYPES } from '../src-shared/formats.js';
import type { ApiLimits } from './limits.js';
import { ref } from './openapi.js';
import { Base64ImageRequest, DetectForm, DetectOptions, ImageForm, ImageOptions } from './params.js';

/** Raw bodies are taken as images when their media type is one of these (the bytes are still sniffed). */
export const RAW_IMAGE_TYPES: readonly string[] = [...Object.values(MEDIA_TYPES), ...MEDIA_TYPE_ALIASES];

const json = (schema: object) => ({ 'application/json': { schema } });
const binary = (mediaType: string) => ({
  type: 'string' as const,
  format: 'binary',
  contentMediaType: mediaType,
  minLength: 1,
});

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad input: empty file, bad base64, malformed multipart or JSON, conf or iou outside [0, 1], bad dpi, tiling, page, format, text or lang.',
  413: 'The request is over the payload limit, or the image over the pixel limit.',
  415: 'Unsupported Content-Type or file type.',
  422: 'The file cannot be decoded, or the page asked for does not exist in it.',
  500: 'The server failed (for example the model could not be loaded).',
};
const errors = Object.fromEntries(
  Object.entries(ERROR_TEXT).map(([s, description]) => [s, { description, content: json(ref('ErrorBody')) }]),
);

const resultOk = { description: 'Detections on the requested page.', content: json(ref('DetectionResult')) };

export function apiRoutes(limits: ApiLimits) {
  /** multipart with a "file" part, the raw image, or base64 JSON. */
  const upload = (form: typeof DetectForm | typeof ImageForm) => ({
    required: true,
    description:
      `multipart/form-data with a "file" part, the raw image with its own Content-Type, or base64 JSON. ` +
      `At most ${limits.maxBodyBytes} bytes.`,
    content: {
      'multipart/form-data': { schema: form },
      ...Object.fromEntries(RAW_IMAGE_TYPES.map((t) => [t, { schema: binary(t) }])),
      ...json(Base64ImageRequest),
    },
  });

  return {
    info: createRoute({
      method: 'get',
      path: '/',
      summary: 'Service name, version, model and routes',
      responses: { 200: { description: 'Service info.', content: json(ref('ServiceInfo')) } },
    }),
    health: createRoute({
      method: 'get',
      path: '/health',
      summary: 'Readiness: ok once the model is loaded',
      responses: {
        200: { description: 'Model loaded.', content: json(ref('Health')) },
        503: { description: 'The model failed to load.', content: json(ref('ErrorBody')) },
      },
    }),
    predict: createRoute({
      method: 'post',
      path: '/predict',
      summary: 'Detect checkboxes',
      description: 'Send multipart (file, conf), a raw image body, or base64 JSON.',
      request: { query: DetectOptions, body: upload(DetectForm) },
      responses: { 200: resultOk, ...errors },
    }),
    predictJson: createRoute({
      method: 'post',
      path: '/predict/json',
      summary: 'Detect checkboxes in a base64 image',
      request: { query: DetectOptions, body: { required: true, content: json(Base64ImageRequest) } },
      responses: { 200: resultOk, ...errors },
    }),
    predictImage: createRoute({
      method: 'post',
      path: '/predict/image',
      summary: 'The page with its checkboxes drawn on it',
      description:
        'Same inputs as /predict; answers a PNG (default) or JPEG. X-Checkbox-Counts carries the total and the count of each class (total=N, <class>=N, ...).',
      request: { query: ImageOptions, body: upload(ImageForm) },
      responses: {
        200: {
          description: 'The annotated page.',
          content: {
            'image/png': { schema: binary('image/png') },
            'image/jpeg': { schema: binary('image/jpeg') },
          },
        },
        ...errors,
      },
    }),
    openapi: createRoute({
      method: 'get',
      path: '/openapi.json',
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1.', content: json({}) } },
    }),
    docs: createRoute({
      method: 'get',
      path: '/docs',
      summary: 'This contract as a web page',
      responses: { 200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
    }),
  } satisfies Record<string, RouteConfig>;
}
