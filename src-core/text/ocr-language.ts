// Where tesseract.js finds its language data: installed with npm (@tesseract.js-data/<lang>), or a folder of
// <lang>.traineddata[.gz] files named by $CHECKBOX_TESSDATA. Never fetched at run time.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CheckboxError } from '../../src-shared/errors.js';

export const DEFAULT_OCR_LANG = 'eng';

export interface OcrLanguage {
  /** Tesseract's language string, e.g. eng or eng+deu. */
  lang: string;
  langPath: string;
  gzip: boolean;
}

const require = createRequire(import.meta.url);

function dataFile(dir: string, code: string): { gzip: boolean } | null {
  if (existsSync(path.join(dir, `${code}.traineddata.gz`))) return { gzip: true };
  if (existsSync(path.join(dir, `${code}.traineddata`))) return { gzip: false };
  return null;
}

/** One folder holding every language asked for: $CHECKBOX_TESSDATA, else the npm package of a single language
 *  (its LSTM-only integer model, the small and fast one). */
export function ocrLanguage(lang: string = DEFAULT_OCR_LANG): OcrLanguage {
  const codes = lang.split('+');
  if (codes.some((c) => !/^[a-z_]{3,16}$/i.test(c)))
    throw new CheckboxError(
      'invalid_argument',
      `OCR language must be like eng or eng+deu, got ${JSON.stringify(lang)}`,
    );
  const missing = (dir: string): string[] => codes.filter((c) => !dataFile(dir, c));
  const own = process.env.CHECKBOX_TESSDATA;
  if (own) {
    const absent = missing(own);
    if (absent.length)
      throw new CheckboxError(
        'invalid_argument',
        `no OCR data for ${absent.join(', ')} in $CHECKBOX_TESSDATA (${own})`,
      );
    return { lang, langPath: own, gzip: dataFile(own, codes[0]!)!.gzip };
  }
  let pkg: string | null = null;
  try {
    if (codes.length === 1)
      pkg = path.dirname(require.resolve(`@tesseract.js-data/${codes[0]}/package.json`));
  } catch {
    pkg = null;
  }
  const dir =
    pkg && [path.join(pkg, '4.0.0_best_int'), path.join(pkg, '4.0.0')].find((d) => !missing(d).length);
  if (!dir)
    throw new CheckboxError(
      'invalid_argument',
      codes.length === 1
        ? `no OCR data for ${lang}: install it (npm install @tesseract.js-data/${lang}) or set $CHECKBOX_TESSDATA`
        : `several OCR languages (${lang}) need their data in one folder: set $CHECKBOX_TESSDATA`,
    );
  return { lang, langPath: dir, gzip: dataFile(dir, codes[0]!)!.gzip };
}
