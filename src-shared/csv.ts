// CSV cells for every CSV the project writes (CLI output, app and batch exports), escaped against
// formula injection as OWASP advises: a text cell a spreadsheet would read as a formula (starting with
// = + - @, tab or carriage return) gets a leading ' and is quoted; quotes double; commas and newlines quote.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell. Numbers are written as they are (a negative number is data, not a formula). */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return text !== value || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: readonly (string | number)[]): string => cells.map(csvCell).join(',');
