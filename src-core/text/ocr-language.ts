// Where tesseract.js finds its language data: a folder of <lang>.traineddata[.gz] files named by
// $CHECKBOX_TESSDATA, else the fast English model shipped in models/tessdata (see its README), else installed with
// npm (@tesseract.js-data/<lang>). Never fetched at run time.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** models/tessdata: beside the app's resources, else in a folder above this module (the repo, the Lambda
 *  bundle), as the detection model is found. */
function shippedDirs(): string[] {
  const dirs: string[] = [];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) dirs.push(path.join(resources, 'models', 'tessdata'));
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ;) {
    dirs.push(path.join(dir, 'models', 'tessdata'));
    const parent = path.dirname(dir);
    if (parent === dir) return dirs;
    dir = parent;
  }
}

/** One folder holding every language asked for: $CHECKBOX_TESSDATA, else models/tessdata (the fast English
 *  model), else the npm package of a single language (its LSTM-only integer model). */
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
  const shipped = shippedDirs().find((d) => existsSync(d) && !missing(d).length);
  if (shipped) return { lang, langPath: shipped, gzip: dataFile(shipped, codes[0]!)!.gzip };
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
