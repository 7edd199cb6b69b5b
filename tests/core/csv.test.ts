import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../src-shared/csv.js';

describe('CSV cells against formula injection (OWASP)', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+cmd|/c calc', `"'+cmd|/c calc"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tTAB', `"'\tTAB"`],
    ['\rCR', `"'\rCR"`],
  ])('prefixes and quotes a text cell starting a formula: %j', (cell, written) => {
    expect(csvCell(cell)).toBe(written);
  });

  it('quotes commas, quotes and newlines, and leaves plain text and numbers alone', () => {
    expect(csvCell('a,"b".png')).toBe('"a,""b"".png"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('form-3p.pdf')).toBe('form-3p.pdf');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvRow(['=1+1', 2, 'ok'])).toBe(`"'=1+1",2,ok`);
  });
});
