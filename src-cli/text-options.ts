// --text and --lang, shared by detect and eval: a mode the core knows and language data that is installed.
import { ocrLanguage, TEXT_MODES, toCheckboxError, type TextMode } from '../src-core/index.js';
import { UsageError } from './common.js';

export function parseTextOptions(
  rawText: string | undefined,
  rawLang: string | undefined,
  fallback: TextMode,
): { text: TextMode; lang?: string } {
  const text = (rawText ?? fallback) as TextMode;
  if (!TEXT_MODES.includes(text))
    throw new UsageError(`--text must be one of ${TEXT_MODES.join(', ')}, got '${rawText}'`);
  if (rawLang !== undefined && (text === 'off' || text === 'pdf'))
    throw new UsageError('--lang applies to OCR (--text auto or ocr)');
  if (text === 'auto' || text === 'ocr') {
    try {
      ocrLanguage(rawLang); // no language data: say so now, not once per page
    } catch (err) {
      throw new UsageError(`--lang: ${toCheckboxError(err).message}`);
    }
  }
  return { text, ...(rawLang === undefined ? {} : { lang: rawLang }) };
}
