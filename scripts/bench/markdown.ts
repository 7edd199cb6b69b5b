// Number formats and tables for the report's sections.
export const f0 = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');
export const f1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
export const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
export const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
export const pct = (v: number): string =>
  Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%` : 'n/a';

/** Column of the cores other processes took while a row was measured. */
export const OTHERS = 'other load (cores)';

export function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '_not measured_';
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
