// @napi-rs/canvas (Skia), which pdf.js draws on and BMPs are decoded with, loaded lazily and without its scan of
// the system fonts: pdf.js draws every glyph as paths from the file's fonts or its own standard fonts, and a BMP
// holds no text, so the scan only cost time and memory (~190 ms and ~200 MiB with 2000 fonts installed).
import type * as Canvas from '@napi-rs/canvas';

export function loadCanvas(): Promise<typeof Canvas> {
  // The package reads this once, when first imported; pdf.js imports it as well, so callers load this first.
  process.env.DISABLE_SYSTEM_FONTS_LOAD ??= '1';
  return import('@napi-rs/canvas');
}
