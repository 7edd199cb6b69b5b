// The API contract as OpenAPI 3.1. Result and error schemas come from the core's zod schemas,
// so the published contract cannot drift from what the detector returns.
import { z } from 'zod';
import { MEDIA_TYPES } from '../src-shared/formats.js';
import {
  DEFAULT_CONF,
  DEFAULT_DPI,
  DEFAULT_IOU,
  TILING_MODES,
  DetectionResultSchema,
  ErrorBodySchema,
  ModelSummarySchema,
  SCHEMA_VERSION,
  TEXT_MODES,
} from '../src-core/index.js';
import { MAX_DPI, MAX_PAGE, MIN_DPI, type ApiLimits } from './limits.js';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as JsonObject;
  return sameTypeTuplesAsArrays(rest) as JsonObject;
}

/**
 * Tuples of one type (a box's four numbers, imgsz) as fixed-length arrays: the same constraint,
 * in the form every OpenAPI tool reads (some still mistake `prefixItems` for draft-4 `items`).
 */
function sameTypeTuplesAsArrays(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(sameTypeTuplesAsArrays);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, sameTypeTuplesAsArrays(v)]),
  );
  const prefix = out.prefixItems;
  if (
    Array.isArray(prefix) &&
    prefix.length > 0 &&
    prefix.every((p) => JSON.stringify(p) === JSON.stringify(prefix[0]))
  ) {
    delete out.prefixItems;
    out.items = prefix[0];
  }
  return out;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject) => ({ 'application/json': { schema } });
const binary = (mediaType: string) => ({
  type: 'string',
  format: 'binary',
  contentMediaType: mediaType,
  minLength: 1,
});

/** Whole base64 quanta, then an optional 2-3 character tail with its padding. */
const BASE64_PATTERN = '^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2,3}={0,2})?$';


const conf = {
  type: 'number',
  minimum: 0,
  maximum: 1,
  default: DEFAULT_CONF,
  description: 'Confidence floor.',
};
const page = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_PAGE,
  default: 1,
  description: 'Page of a multi-page source (PDF, TIFF), 1-based; the result says how many pages there are.',
};
const iou = {
  type: 'number',
  minimum: 0,
  maximum: 1,
  default: DEFAULT_IOU,
  description: 'NMS IoU threshold.',
};
const dpi = {
  type: 'number',
  minimum: MIN_DPI,
  maximum: MAX_DPI,
  default: DEFAULT_DPI,
  description: 'PDF render resolution.',
};
const tiling = {
  type: 'string',
  enum: [...TILING_MODES],
  default: 'auto',
  description:
    'Also detect on overlapping tiles of big pages: auto (pages over twice the model input), on or off.',
};
/** The detector's options, in the query, the form and the JSON body alike. */
const text = {
  type: 'string',
  enum: TEXT_MODES,
  default: 'off',
  description:
    "Read each box's label and question (schema 1.1: label, question, group; the page's groups): auto takes a " +
    "PDF page's text layer, else OCRs the scan; pdf only the text layer; ocr always OCR. OCR costs time.",
};
const lang = {
  type: 'string',
  default: 'eng',
  description: 'OCR language(s) whose data the container carries, e.g. eng; one without data is a 400.',
};

const options = { conf, iou, dpi, tiling, page, text, lang };

const format = {
  type: 'string',
  enum: ['png', 'jpeg', 'jpg'],
  default: 'png',
  description: 'Annotated image format.',
};

function queryParams(withFormat: boolean): JsonObject[] {
  const params = Object.entries(options).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    schema,
  }));
  return withFormat ? [...params, { name: 'format', in: 'query', required: false, schema: format }] : params;
}

function uploadBody(withFormat: boolean, maxBodyBytes: number): JsonObject {
  const multipart = {
    type: 'object',
    required: ['file'],
    properties: { file: binary('application/octet-stream'), ...options, ...(withFormat ? { format } : {}) },
  };
  return {
    required: true,
    description:
      `multipart/form-data with a "file" part, the raw image with its own Content-Type, or base64 JSON. ` +
      `At most ${maxBodyBytes} bytes.`,
    content: {
      'multipart/form-data': { schema: multipart },
      ...Object.fromEntries(Object.values(MEDIA_TYPES).map((t) => [t, { schema: binary(t) }])),
      ...json(ref('Base64ImageRequest')),
    },
  };
}

const errors = (statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { description: ERROR_TEXT[s], content: json(ref('ErrorBody')) }]),
  );

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad input: empty file, bad base64, malformed multipart or JSON, conf or iou outside [0, 1], bad dpi, tiling, page, format, text or lang.',
  413: 'The request is over the payload limit, or the image over the pixel limit.',
  415: 'Unsupported Content-Type or file type.',
  422: 'The file cannot be decoded, or the page asked for does not exist in it.',
  500: 'The server failed (for example the model could not be loaded).',
};

const CLIENT_ERRORS = [400, 413, 415, 422, 500];

export function buildOpenApi(opts: { version: string; limits: ApiLimits }): JsonObject {
  const detect = (summary: string, description: string, withFormat: boolean, ok: JsonObject) => ({
    post: {
      summary,
      description,
      parameters: queryParams(withFormat),
      requestBody: uploadBody(withFormat, opts.limits.maxBodyBytes),
      responses: { '200': ok, ...errors(CLIENT_ERRORS) },
    },
  });
  const resultOk = {
    description: 'Detections on the requested page.',
    content: json(ref('DetectionResult')),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Checkbox Detector API',
      version: opts.version,
      description:
        `Finds checkboxes on scanned forms and tells empty from filled. Result schema version ${SCHEMA_VERSION}. ` +
        `Boxes are x1, y1, x2, y2 in original-image pixels. One page per request: multi-page files (PDF, TIFF) ` +
        `take a "page" parameter (default 1) and the result's image.pages tells the page count.`,
    },
    paths: {
      '/': {
        get: {
          summary: 'Service name, version, model and routes',
          responses: { '200': { description: 'Service info.', content: json(ref('ServiceInfo')) } },
        },
      },
      '/health': {
        get: {
          summary: 'Readiness: ok once the model is loaded',
          responses: {
            '200': { description: 'Model loaded.', content: json(ref('Health')) },
            '503': { description: 'The model failed to load.', content: json(ref('ErrorBody')) },
          },
        },
      },
      '/predict': detect(
        'Detect checkboxes',
        'Send multipart (file, conf), a raw image body, or base64 JSON.',
        false,
        resultOk,
      ),
      '/predict/json': {
        post: {
          summary: 'Detect checkboxes in a base64 image',
          parameters: queryParams(false),
          requestBody: { required: true, content: json(ref('Base64ImageRequest')) },
          responses: { '200': resultOk, ...errors(CLIENT_ERRORS) },
        },
      },
      '/predict/image': detect(
        'The page with its checkboxes drawn on it',
        'Same inputs as /predict; answers a PNG (default) or JPEG. X-Checkbox-Counts carries the total and the count of each class (total=N, <class>=N, ...).',
        true,
        {
          description: 'The annotated page.',
          content: {
            'image/png': { schema: binary('image/png') },
            'image/jpeg': { schema: binary('image/jpeg') },
          },
        },
      ),
      '/openapi.json': {
        get: {
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1.', content: json({}) } },
        },
      },
      '/docs': {
        get: {
          summary: 'This contract as a web page',
          responses: {
            '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } },
          },
        },
      },
    },
    components: {
      schemas: {
        DetectionResult: jsonSchema(DetectionResultSchema),
        ErrorBody: jsonSchema(ErrorBodySchema),
        ModelSummary: jsonSchema(ModelSummarySchema),
        Base64ImageRequest: {
          type: 'object',
          required: ['image'],
          properties: {
            image: {
              type: 'string',
              minLength: 1,
              pattern: BASE64_PATTERN,
              description:
                'The file, base64 (standard or URL-safe alphabet; a data: URL prefix is accepted too).',
            },
            ...options,
            format,
            text,
            lang,
            filename: { type: 'string', description: 'Echoed as image.source.' },
          },
        },
        Health: {
          type: 'object',
          required: ['status', 'model'],
          properties: { status: { const: 'ok' }, model: ref('ModelSummary') },
        },
        ServiceInfo: {
          type: 'object',
          required: ['name', 'version', 'schemaVersion', 'model', 'routes', 'limits'],
          properties: {
            name: { type: 'string' },
            version: { type: 'string' },
            schemaVersion: { type: 'string' },
            model: { oneOf: [ref('ModelSummary'), { type: 'null' }] },
            routes: { type: 'array', items: { type: 'string' } },
            limits: {
              type: 'object',
              properties: {
                maxBodyBytes: { type: 'integer' },
                maxPixels: { type: 'integer' },
                maxResponseBytes: { type: 'integer' },
              },
            },
          },
        },
      },
    },
  };
}
