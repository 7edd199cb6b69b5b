// Draw a result onto its page at full resolution, each class in its style (class-style.ts).
import sharp from 'sharp';
import { CORRECTED_COLOR, classStyle } from '../src-shared/class-style.js';
import type { DecodedPage } from './image.js';
import type { DetectionResult } from '../src-shared/result.js';

export interface AnnotateOptions {
  format?: 'png' | 'jpeg';
  /** Draw "class confidence" above each box. */
  labels?: boolean;
  /** JPEG quality, 1-100; default 90. */
  quality?: number;
}

const FONT = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

const escapeXml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

export function overlaySvg(width: number, height: number, result: DetectionResult, labels: boolean): string {
  // Lines scale with the page so they read the same on a 1000 px and a 5000 px scan.
  const unit = Math.max(1.5, Math.min(width, height) / 700);
  const fontSize = Math.max(10, Math.round(unit * 7));
  const parts: string[] = [];
  for (const d of result.detections) {
    const style = classStyle(result.model.classes, d.class);
    const stroke = unit * style.weight;
    const [x1, y1, x2, y2] = d.box;
    const pad = stroke / 2 + unit;
    const x = x1 - pad;
    const y = y1 - pad;
    const w = x2 - x1 + 2 * pad;
    const h = y2 - y1 + 2 * pad;
    const dash = style.dash ? ` stroke-dasharray="${(unit * 3).toFixed(1)} ${(unit * 2).toFixed(1)}"` : '';
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="none" stroke="${style.color}" stroke-width="${stroke.toFixed(1)}"${dash}/>`,
    );
    if (d.corrected) {
      // A filled corner triangle marks a person's correction.
      const s = Math.max(6, unit * 5);
      parts.push(
        `<path d="M${(x + w).toFixed(1)},${y.toFixed(1)} h${(-s).toFixed(1)} l${s.toFixed(1)},${s.toFixed(1)} z" fill="${CORRECTED_COLOR}" stroke="#000" stroke-width="${(unit / 3).toFixed(2)}"/>`,
      );
    }
    if (labels) {
      const text = `${d.class} ${Math.round(d.confidence * 100)}%${d.corrected ? ' (edited)' : ''}`;
      const ty = y > fontSize + 2 ? y - 2 : y + h + fontSize;
      parts.push(
        `<text x="${x.toFixed(1)}" y="${ty.toFixed(1)}" font-family="${escapeXml(FONT)}" font-size="${fontSize}" fill="${style.color}" stroke="#fff" stroke-width="${(fontSize / 5).toFixed(1)}" paint-order="stroke">${escapeXml(text)}</text>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

export async function annotate(
  page: DecodedPage,
  result: DetectionResult,
  opts: AnnotateOptions = {},
): Promise<Buffer> {
  const svg = overlaySvg(page.width, page.height, result, opts.labels ?? false);
  const image = sharp(page.rgb, {
    raw: { width: page.width, height: page.height, channels: 3 },
    limitInputPixels: false,
  }).composite([{ input: Buffer.from(svg), top: 0, left: 0, limitInputPixels: false }]);
  return opts.format === 'jpeg'
    ? image.jpeg({ quality: opts.quality ?? 90, chromaSubsampling: '4:4:4' }).toBuffer()
    : image.png({ compressionLevel: 6 }).toBuffer();
}
