// The result and error schema shared by the app, the Lambda and the CLI; the Lambda's OpenAPI document
// (`GET /openapi.json`) is generated from it.
import { z } from 'zod';

/** 1.1 added the text of each box (label, question, group) and the page's groups, when text is read. */
export const SCHEMA_VERSION = '1.1';

/** The confidence floor a result is shown, counted and exported at unless the user picks another: the highest
 *  mean F1 over the held-out styles and the real development forms, precision 0.96–0.98 and recall 0.98–0.99
 *  on the real ones (models/checkbox-detector.md, "Default confidence"). */
export const DEFAULT_CONF = 0.65;
/** Versions this schema reads: every 1.x result, since minor versions only add optional fields. */
export const SCHEMA_VERSIONS = ['1.0', SCHEMA_VERSION] as const;

export const BoxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const DetectionSchema = z.object({
  class: z.string(),
  confidence: z.number().min(0).max(1),
  /** x1, y1, x2, y2 in original-image pixels. */
  box: BoxSchema,
  /** Set when a person changed or added this detection. */
  corrected: z.boolean().optional(),
  /** The model's score for each class (dense heads): how close the call between states was. */
  scores: z.record(z.string(), z.number().min(0).max(1)).optional(),
  /** Where a person's review stands: absent is unreviewed; `corrected` also sets `corrected`. */
  review: z.enum(['unreviewed', 'accepted', 'corrected']).optional(),
  /** With text reading on (1.1): the option's text next to the box, or null where there is none. */
  label: z.string().nullable().optional(),
  /** With text reading on (1.1): the question of the box's group, or null. */
  question: z.string().nullable().optional(),
  /** With text reading on (1.1): the id of the box's group in `groups`. */
  group: z.number().int().positive().optional(),
});

/** Boxes answering one question: one line of options, a one-per-line list, or a table row. */
export const GroupSchema = z.object({
  id: z.number().int().positive(),
  question: z.string().nullable(),
  options: z.array(z.object({ label: z.string().nullable(), state: z.string(), box: BoxSchema })),
});

/** How a box's text is read: off, auto (the PDF text layer where a page has one, else OCR), pdf (the text
 *  layer only) or ocr (always OCR). Every front door takes these (CLI --text, Lambda ?text=, app Settings). */
export const TEXT_MODES = ['off', 'auto', 'pdf', 'ocr'] as const;
export type TextMode = (typeof TEXT_MODES)[number];

export const TextInfoSchema = z.object({
  /** Where the words came from: the PDF's text layer, OCR, or nowhere (no text, or OCR failed). */
  source: z.enum(['pdf', 'ocr', 'none']),
  /** OCR language. */
  lang: z.string().optional(),
  ms: z.number().nonnegative(),
  /** Why no text was read (OCR failed); the boxes are still all there. */
  error: z.string().optional(),
});

export const ModelSummarySchema = z.object({
  name: z.string(),
  version: z.string(),
  imgsz: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  classes: z.array(z.string()),
});

const count = z.number().int().nonnegative();
/** `total`, then one count per class of the model, by name (`empty`, `filled` for the bundled model). */
export const CountsSchema = z.object({ total: count }).catchall(count);

export const DetectionResultSchema = z.object({
  schemaVersion: z.enum(SCHEMA_VERSIONS),
  image: z.object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    /** 1-based page number within the source. */
    page: z.number().int().positive(),
    /** Page count of the source. */
    pages: z.number().int().positive(),
    source: z.string().optional(),
  }),
  model: ModelSummarySchema,
  counts: CountsSchema,
  detections: z.array(DetectionSchema),
  timing: z.object({
    decodeMs: z.number().nonnegative(),
    inferMs: z.number().nonnegative(),
    totalMs: z.number().nonnegative(),
  }),
  engine: z.enum(['local', 'cloud']),
  /** With text reading on (1.1): the page's groups, top to bottom. */
  groups: z.array(GroupSchema).optional(),
  /** With text reading on (1.1): how the text was read. */
  text: TextInfoSchema.optional(),
});

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** The id of the request (also in the x-request-id header), to find its log line. */
    requestId: z.string().optional(),
  }),
});

export type Box = z.infer<typeof BoxSchema>;
export type Detection = z.infer<typeof DetectionSchema>;
export type ModelSummary = z.infer<typeof ModelSummarySchema>;
export type Counts = z.infer<typeof CountsSchema>;
export type DetectionResult = z.infer<typeof DetectionResultSchema>;
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
export type Group = z.infer<typeof GroupSchema>;
export type TextInfo = z.infer<typeof TextInfoSchema>;

/** Counts by class: every class of the model (zero when absent), then any other class a detection has
 *  (a class named `total` would be hidden by the total). */
export function countDetections(
  detections: readonly Pick<Detection, 'class'>[],
  classes: readonly string[],
): Counts {
  const byClass: Record<string, number> = Object.fromEntries(classes.map((name) => [name, 0]));
  for (const d of detections) byClass[d.class] = (byClass[d.class] ?? 0) + 1;
  return Object.assign({ total: 0 }, byClass, { total: detections.length });
}

/** Whether a detection is shown, counted and exported at a confidence floor: every corrected one
 *  passes, since a person confirmed it. */
export function passesConf(d: Pick<Detection, 'corrected' | 'confidence'>, conf: number): boolean {
  return d.corrected === true || d.confidence >= conf;
}
