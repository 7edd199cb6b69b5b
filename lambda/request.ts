// Turns the three accepted request shapes into one detection request:
// multipart/form-data (`file` + fields), a raw image body (parameters in the query string),
// and JSON with a base64 `image`. Every client mistake becomes a CheckboxError with a 4xx status.
import {
  CheckboxError,
  DEFAULT_CONF,
  ocrLanguage,
  TEXT_MODES,
  TILING_MODES,
  type TextMode,
  type TilingMode,
} from '../src-core/index.js';
import { MEDIA_TYPE_ALIASES, MEDIA_TYPES } from '../src-shared/formats.js';
import { MAX_DPI, MAX_PAGE, MIN_DPI } from './limits.js';

export type ImageFormat = 'png' | 'jpeg';

export interface DetectRequest {
  data: Uint8Array;
  conf: number;
  /** The detector's options, each only when the client set it (the core's defaults apply otherwise). */
  iou?: number;
  /** PDF render resolution. */
  dpi?: number;
  tiling?: TilingMode;
  /** 1-based page of a multi-page source (PDF, TIFF). */
  page: number;
  format: ImageFormat;
  /** Read each box's label and question (default off), and the OCR language. */
  text: TextMode;
  lang?: string;
  /** The uploaded file's name, when the client sent one. */
  source?: string;
}

/** Raw bodies are taken as images when their media type is one of these (the bytes are still sniffed). */
const RAW_IMAGE_TYPES = new Set<string>([...Object.values(MEDIA_TYPES), ...MEDIA_TYPE_ALIASES]);

type Params = Record<string, unknown>;

export async function readDetectRequest(req: Request, opts: { json?: boolean } = {}): Promise<DetectRequest> {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const mediaType = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (opts.json || mediaType === 'application/json') return fromJson(await readJson(req), query);
  if (mediaType === 'multipart/form-data') return fromMultipart(await readForm(req), query);
  if (RAW_IMAGE_TYPES.has(mediaType)) return build(new Uint8Array(await req.arrayBuffer()), {}, query);
  throw new CheckboxError(
    'unsupported_type',
    mediaType
      ? `Content-Type ${mediaType} is not accepted: send multipart/form-data with a "file" field, ` +
          'application/json with a base64 "image", or the image itself (image/png, image/jpeg, image/tiff, ' +
          'image/webp, image/bmp, application/pdf).'
      : 'The request has no Content-Type: send multipart/form-data, application/json or an image type.',
  );
}

async function readJson(req: Request): Promise<Params> {
  let body: unknown;
  try {
    body = JSON.parse(await req.text());
  } catch {
    throw new CheckboxError('invalid_argument', 'The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CheckboxError(
      'invalid_argument',
      'The JSON body must be an object: {"image": "<base64>", "conf": 0.2}.',
    );
  }
  return body as Params;
}

async function readForm(req: Request): Promise<FormData> {
  try {
    return await req.formData();
  } catch {
    throw new CheckboxError(
      'invalid_argument',
      'The multipart body is malformed (check the boundary and parts).',
    );
  }
}

function fromJson(body: Params, query: Params): DetectRequest {
  const image = body.image;
  if (typeof image !== 'string') {
    throw new CheckboxError('invalid_argument', 'The JSON body needs "image": the file as a base64 string.');
  }
  const source = typeof body.filename === 'string' ? body.filename : undefined;
  return build(decodeBase64(image), body, query, source);
}

async function fromMultipart(form: FormData, query: Params): Promise<DetectRequest> {
  const file = form.get('file');
  if (file === null) throw new CheckboxError('invalid_argument', 'The multipart body needs a "file" part.');
  if (typeof file === 'string') {
    throw new CheckboxError('invalid_argument', 'The "file" part must be a file upload, not a text field.');
  }
  const fields: Params = {};
  for (const name of FIELDS) {
    const value = form.get(name);
    if (typeof value === 'string') fields[name] = value;
  }
  return build(new Uint8Array(await file.arrayBuffer()), fields, query, file.name || undefined);
}

/** Body fields win over query parameters, but a bad value is an error wherever it is. */
function build(data: Uint8Array, body: Params, query: Params, source?: string): DetectRequest {
  if (data.byteLength === 0) throw new CheckboxError('empty_file', 'The image is empty (0 bytes).');
  const pick = <T>(parse: (v: unknown) => T | undefined, name: string): T | undefined => {
    const fromQuery = parse(query[name]);
    return parse(body[name]) ?? fromQuery;
  };
  const iou = pick((v) => parseUnit('iou', v), 'iou');
  const dpi = pick(parseDpi, 'dpi');
  const tiling = pick(parseTiling, 'tiling');
  return {
    data,
    conf: pick((v) => parseUnit('conf', v), 'conf') ?? DEFAULT_CONF,
    ...(iou !== undefined ? { iou } : {}),
    ...(dpi !== undefined ? { dpi } : {}),
    ...(tiling !== undefined ? { tiling } : {}),
    page: pick(parsePage, 'page') ?? 1,
    format: pick(parseFormat, 'format') ?? 'png',
    ...readText(pick(parseText, 'text') ?? 'off', pick(parseLang, 'lang')),
    ...(source ? { source } : {}),
  };
}

function parseText(value: unknown): TextMode | undefined {
  if (absent(value)) return undefined;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if ((TEXT_MODES as readonly string[]).includes(text)) return text as TextMode;
  throw new CheckboxError(
    'invalid_argument',
    `text must be one of ${TEXT_MODES.join(', ')} (got ${describe(value)}).`,
  );
}

function parseLang(value: unknown): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value === 'string') return value.trim();
  throw new CheckboxError('invalid_argument', `lang must be a string like eng (got ${describe(value)}).`);
}

/** An OCR language without data here is the client's mistake (400), found before any work is done. */
function readText(text: TextMode, lang: string | undefined): { text: TextMode; lang?: string } {
  if (lang !== undefined && (text === 'auto' || text === 'ocr')) ocrLanguage(lang);
  return { text, ...(lang === undefined ? {} : { lang }) };
}

/** Form fields besides `file`; the same names work in the query string and the JSON body. */
const FIELDS = ['conf', 'iou', 'dpi', 'tiling', 'page', 'format', 'text', 'lang'];

/** Standard and URL-safe alphabets (Buffer decodes both), padding optional. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Buffer.from(text, 'base64') skips characters it does not know; this says whether there are any. */
export const isBase64 = (payload: string): boolean =>
  BASE64.test(payload) && payload.replace(/=+$/, '').length % 4 !== 1;

/** Strict base64 (standard or URL-safe, optional data: URL prefix); Buffer.from alone skips bad characters silently. */
export function decodeBase64(text: string): Uint8Array {
  const payload = text.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (payload.length === 0) throw new CheckboxError('empty_file', 'The "image" string is empty.');
  if (!isBase64(payload)) {
    throw new CheckboxError('invalid_argument', 'The "image" string is not valid base64.');
  }
  return new Uint8Array(Buffer.from(payload, 'base64'));
}

const absent = (value: unknown) => value === undefined || value === null || value === '';

const toNumber = (value: unknown) =>
  typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;

function parseUnit(name: 'conf' | 'iou', value: unknown): number | undefined {
  if (absent(value)) return undefined;
  const n = toNumber(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new CheckboxError(
      'invalid_argument',
      `${name} must be a number from 0 to 1 (got ${describe(value)}).`,
    );
  }
  return n;
}

function parseDpi(value: unknown): number | undefined {
  if (absent(value)) return undefined;
  const dpi = toNumber(value);
  if (!Number.isFinite(dpi) || dpi < MIN_DPI || dpi > MAX_DPI) {
    throw new CheckboxError(
      'invalid_argument',
      `dpi must be a number from ${MIN_DPI} to ${MAX_DPI} (got ${describe(value)}).`,
    );
  }
  return dpi;
}

function parseTiling(value: unknown): TilingMode | undefined {
  if (absent(value)) return undefined;
  const mode = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if ((TILING_MODES as readonly string[]).includes(mode)) return mode as TilingMode;
  throw new CheckboxError(
    'invalid_argument',
    `tiling must be one of ${TILING_MODES.join(', ')} (got ${describe(value)}).`,
  );
}

function parsePage(value: unknown): number | undefined {
  if (absent(value)) return undefined;
  const page = toNumber(value);
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    throw new CheckboxError(
      'invalid_argument',
      `page must be a whole number from 1 to ${MAX_PAGE} (got ${describe(value)}).`,
    );
  }
  return page;
}

function parseFormat(value: unknown): ImageFormat | undefined {
  if (absent(value)) return undefined;
  const format = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (format === 'png') return 'png';
  if (format === 'jpeg' || format === 'jpg') return 'jpeg';
  throw new CheckboxError('invalid_argument', `format must be png or jpeg (got ${describe(value)}).`);
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
