// Makes an image fit one request: small files go as they are (the server decodes them exactly as
// local detection would); larger ones are decoded here, re-encoded as JPEG and, if still too big,
// scaled down. The scale is kept so boxes can be mapped back to the original pixels.
import sharp from 'sharp';
import { CheckboxError } from '../../src-shared/errors.js';
import { MEDIA_TYPES } from '../../src-shared/formats.js';
import { decodeImage, sniffImageType } from '../image.js';
import type { CloudRequest, DetectParams } from './transport.js';

export interface FittedRequest extends CloudRequest {
  /** The original page, when the request carries a re-encoded copy of it. */
  original?: { width: number; height: number; page: number; pages: number };
}

/** The smallest page side we shrink to; below it, checkboxes become too small to find. */
const MIN_SIDE = 640;

export async function fitRequest(
  data: Uint8Array,
  opts: { params: DetectParams; page: number; filename: string; maxBytes: number; maxPixels?: number },
): Promise<FittedRequest> {
  const type = sniffImageType(data);
  const base = { params: opts.params, filename: opts.filename };
  if (data.byteLength <= opts.maxBytes || type === null) {
    // Unknown types go as they are too: the server names the problem (415) in its own words.
    return {
      ...base,
      image: data,
      mediaType: type ? MEDIA_TYPES[type] : 'application/octet-stream',
      page: opts.page,
    };
  }
  const [decoded] = await decodeImage(data, {
    pages: [opts.page],
    ...(opts.params.dpi ? { dpi: opts.params.dpi } : {}),
    ...(opts.maxPixels ? { maxPixels: opts.maxPixels } : {}),
  });
  if (!decoded) throw new CheckboxError('invalid_argument', `page ${opts.page} does not exist`);
  const { width, height, rgb } = decoded;
  const raw = { raw: { width, height, channels: 3 as const } };

  // First a lighter JPEG at full size (scans compress well), then smaller pages.
  let scale = 1;
  let quality = 90;
  for (let tries = 0; tries < 7; tries++) {
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    let pipeline = sharp(rgb, raw);
    if (scale < 1) pipeline = pipeline.resize(w, h, { kernel: 'lanczos3' });
    const image = new Uint8Array(
      await pipeline.jpeg({ quality, chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0' }).toBuffer(),
    );
    if (image.byteLength <= opts.maxBytes) {
      return {
        ...base,
        image,
        mediaType: 'image/jpeg',
        page: 1,
        original: { width, height, page: decoded.page, pages: decoded.pages },
      };
    }
    if (quality > 75) {
      quality = 75;
      continue;
    }
    // JPEG size grows roughly with pixel count; aim a little under the budget.
    scale *= Math.sqrt(opts.maxBytes / image.byteLength) * 0.9;
    if (Math.max(width, height) * scale < MIN_SIDE) break;
  }
  throw new CheckboxError(
    'payload_too_large',
    `page ${opts.page} cannot be made to fit the cloud's ${opts.maxBytes}-byte request limit without losing the checkboxes`,
  );
}
