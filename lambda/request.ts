// Turns the three accepted request shapes into one detection request, once the route's zod schemas
// (params.ts) have checked the query and the form or JSON: multipart/form-data (`file` + fields), a raw
// image body (parameters in the query string), and JSON with a base64 `image`. Every client mistake
// left for here (an empty file, bad base64, an OCR language without data, a type no route takes)
// becomes a CheckboxError with a 4xx status.
import type { z } from '@hono/zod-openapi';
import {
  CheckboxError,
  DEFAULT_CONF,
  ocrLanguage,
  type TextMode,
  type TilingMode,
} from '../src-core/index.js';
import type { Base64ImageRequest, DetectFields, ImageForm } from './params.js';
import { RAW_IMAGE_TYPES } from './routes.js';

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

/** A request as the route's validators left it: the parsed query, and the body read as its type says. */
export interface ValidatedRequest {
  contentType: string | undefined;
  query: DetectFields;
  json(): z.infer<typeof Base64ImageRequest>;
  form(): z.infer<typeof ImageForm>;
  bytes(): Promise<ArrayBuffer>;
}

/** What Hono's validator parses as JSON (`application/json`, `application/*+json`). */
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;
const RAW_TYPES = new Set(RAW_IMAGE_TYPES);

export async function readDetectRequest(req: ValidatedRequest): Promise<DetectRequest> {
  const mediaType = mediaTypeOf(req.contentType);
  if (JSON_TYPE.test(mediaType)) {
    const { image, filename, ...fields } = req.json();
    return build(decodeBase64(image), fields, req.query, filename);
  }
  if (mediaType === 'multipart/form-data') {
    const { file, ...fields } = req.form();
    return build(new Uint8Array(await file.arrayBuffer()), fields, req.query, file.name || undefined);
  }
  if (RAW_TYPES.has(mediaType)) return build(new Uint8Array(await req.bytes()), {}, req.query);
  throw unsupportedType(mediaType);
}

export const mediaTypeOf = (contentType: string | undefined): string =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

export function unsupportedType(mediaType: string): CheckboxError {
  return new CheckboxError(
    'unsupported_type',
    mediaType
      ? `Content-Type ${mediaType} is not accepted: send multipart/form-data with a "file" field, ` +
          'application/json with a base64 "image", or the image itself (image/png, image/jpeg, image/tiff, ' +
          'image/webp, image/bmp, application/pdf).'
      : 'The request has no Content-Type: send multipart/form-data, application/json or an image type.',
  );
}

/** Body fields win over query parameters (both already checked: a bad value is an error wherever it is). */
function build(data: Uint8Array, body: DetectFields, query: DetectFields, source?: string): DetectRequest {
  if (data.byteLength === 0) throw new CheckboxError('empty_file', 'The image is empty (0 bytes).');
  const set = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  const o: DetectFields = { ...query, ...set };
  const text = o.text ?? 'off';
  // An OCR language without data here is the client's mistake (400), found before any work is done.
  if (o.lang !== undefined && (text === 'auto' || text === 'ocr')) ocrLanguage(o.lang);
  return {
    data,
    conf: o.conf ?? DEFAULT_CONF,
    ...(o.iou !== undefined ? { iou: o.iou } : {}),
    ...(o.dpi !== undefined ? { dpi: o.dpi } : {}),
    ...(o.tiling !== undefined ? { tiling: o.tiling } : {}),
    page: o.page ?? 1,
    format: o.format === undefined || o.format === 'png' ? 'png' : 'jpeg',
    text,
    ...(o.lang !== undefined ? { lang: o.lang } : {}),
    ...(source ? { source } : {}),
  };
}

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
