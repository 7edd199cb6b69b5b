// The detection options and request bodies as zod schemas: the routes (routes.ts) validate the query,
// the multipart form and the base64 JSON with them, and /openapi.json documents them, from this one
// declaration. Each option reads the same from a query string, a form field or JSON: a string is
// trimmed (numbers parsed, words lowercased), and an empty one counts as absent.
import { z } from '@hono/zod-openapi';
import {
  DEFAULT_CONF,
  DEFAULT_DPI,
  DEFAULT_IOU,
  DEFAULT_OCR_LANG,
  TEXT_MODES,
  TILING_MODES,
} from '../src-core/index.js';
import { MAX_DPI, MAX_PAGE, MIN_DPI } from './limits.js';

const absent = (v: unknown) => v === undefined || v === '';
const asNumber = (v: unknown) => (absent(v) ? undefined : typeof v === 'string' ? Number(v.trim()) : v);
const asWord = (v: unknown) => (absent(v) ? undefined : typeof v === 'string' ? v.trim().toLowerCase() : v);
const asText = (v: unknown) => (absent(v) ? undefined : typeof v === 'string' ? v.trim() : v);

/** A number in [min, max]; the one message names the field and its range whatever is wrong. */
function range(name: string, min: number, max: number, whole = false) {
  const error = `${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  const n = whole ? z.int({ error }) : z.number({ error });
  return z.preprocess(asNumber, n.min(min, { error }).max(max, { error }).optional());
}

function oneOf<const T extends readonly [string, ...string[]]>(name: string, values: T) {
  return z.preprocess(
    asWord,
    z.enum(values, { error: `${name} must be one of ${values.join(', ')}` }).optional(),
  );
}

// Defaults are documented only: an option the client leaves out takes the core's default there.
const options = {
  conf: range('conf', 0, 1).openapi({ default: DEFAULT_CONF, description: 'Confidence floor.' }),
  iou: range('iou', 0, 1).openapi({ default: DEFAULT_IOU, description: 'NMS IoU threshold.' }),
  dpi: range('dpi', MIN_DPI, MAX_DPI).openapi({
    default: DEFAULT_DPI,
    description: 'PDF render resolution.',
  }),
  tiling: oneOf('tiling', TILING_MODES).openapi({
    default: 'auto',
    description:
      'Also detect on overlapping tiles of big pages: auto (pages over twice the model input), on or off.',
  }),
  page: range('page', 1, MAX_PAGE, true).openapi({
    default: 1,
    description:
      'Page of a multi-page source (PDF, TIFF), 1-based; the result says how many pages there are.',
  }),
  text: oneOf('text', TEXT_MODES).openapi({
    default: 'off',
    description:
      "Read each box's label and question (schema 1.1: label, question, group; the page's groups): auto takes a " +
      "PDF page's text layer, else OCRs the scan; pdf only the text layer; ocr always OCR. OCR costs time.",
  }),
  lang: z.preprocess(asText, z.string({ error: 'lang must be a string like eng' }).optional()).openapi({
    default: DEFAULT_OCR_LANG,
    description: 'OCR language(s) whose data the container carries, e.g. eng; one without data is a 400.',
  }),
};

const format = oneOf('format', ['png', 'jpeg', 'jpg']).openapi({
  default: 'png',
  description: 'Annotated image format.',
});

/** The options of /predict and /predict/json, in the query, the form or the JSON body alike. */
export const DetectOptions = z.object(options);
/** /predict/image's: the same and the annotated image's format. */
export const ImageOptions = DetectOptions.extend({ format });

const file = z
  .file({ error: 'The multipart body needs a "file" part: the file itself, not a text field' })
  .openapi({ type: 'string', format: 'binary', minLength: 1 });

/** multipart/form-data: the file and the options as fields. */
export const DetectForm = DetectOptions.extend({ file });
export const ImageForm = ImageOptions.extend({ file });

/** Whole base64 quanta, then an optional 2-3 character tail with its padding (documented; the handler's
 *  own check also takes a data: URL prefix and line breaks, and tells an empty image apart). */
const BASE64_PATTERN = '^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2,3}={0,2})?$';

/** application/json: the file as base64 and the options (format, for /predict/image, included). */
export const Base64ImageRequest = z
  .object(
    {
      image: z.string({ error: 'The JSON body needs "image": the file as a base64 string' }).openapi({
        minLength: 1,
        pattern: BASE64_PATTERN,
        description: 'The file, base64 (standard or URL-safe alphabet; a data: URL prefix is accepted too).',
      }),
      ...options,
      format,
      filename: z.string().optional().openapi({ description: 'Echoed as image.source.' }),
    },
    { error: 'The JSON body must be an object: {"image": "<base64>", "conf": 0.2}' },
  )
  .openapi('Base64ImageRequest');

export type DetectFields = z.infer<typeof ImageOptions>;
