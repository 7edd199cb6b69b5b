// The document's shared parts: the answer schemas as components, from the core's zod schemas through
// zod's own JSON Schema output (it keeps a box's four numbers and closed objects, which
// @hono/zod-openapi's renderer drops), and the document's info. The routes and their request schemas
// are declared in routes.ts; `/openapi.json` is generated from them.
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  DetectionResultSchema,
  ErrorBodySchema,
  ModelSummarySchema,
  SCHEMA_VERSION,
} from '../src-core/index.js';

type JsonObject = Record<string, unknown>;

/** GET /'s answer. */
export const ServiceInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  schemaVersion: z.string(),
  model: ModelSummarySchema.nullable(),
  routes: z.array(z.string()),
  limits: z.object({
    maxBodyBytes: z.int().positive(),
    maxPixels: z.int().positive(),
    maxResponseBytes: z.int().positive(),
  }),
});

/** GET /health's answer once the model is loaded. */
export const HealthSchema = z.object({ status: z.literal('ok'), model: ModelSummarySchema });

const COMPONENTS = {
  DetectionResult: DetectionResultSchema,
  ErrorBody: ErrorBodySchema,
  ModelSummary: ModelSummarySchema,
  Health: HealthSchema,
  ServiceInfo: ServiceInfoSchema,
};
export type ComponentName = keyof typeof COMPONENTS;

export const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });

export function registerComponents(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const [name, schema] of Object.entries(COMPONENTS)) {
    registry.registerComponent('schemas', name, jsonSchema(schema));
  }
}

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

export const documentInfo = (version: string) => ({
  openapi: '3.1.0',
  info: {
    title: 'Checkbox Detector API',
    version,
    description:
      `Finds checkboxes on scanned forms and tells empty from filled. Result schema version ${SCHEMA_VERSION}. ` +
      `Boxes are x1, y1, x2, y2 in original-image pixels. One page per request: multi-page files (PDF, TIFF) ` +
      `take a "page" parameter (default 1) and the result's image.pages tells the page count.`,
  },
});
