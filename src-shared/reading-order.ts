// Reading order of the boxes on a page, as a person reads a form: the app's review walk, its keyboard
// focus order and the order of CSV rows all follow it.
type Boxed = { box: readonly [number, number, number, number] };

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
}

/**
 * Reading order: boxes grouped into lines (vertical centres within half the median height), lines top
 * to bottom, left to right within a line. Returns the lines, as indices into `list`.
 */
export function readingLines(list: readonly Boxed[]): number[][] {
  const tol = median(list.map((d) => d.box[3] - d.box[1])) / 2;
  const cy = (i: number) => (list[i]!.box[1] + list[i]!.box[3]) / 2;
  const byY = list.map((_, i) => i).sort((a, b) => cy(a) - cy(b));
  const lines: number[][] = [];
  for (const i of byY) {
    const line = lines.at(-1);
    if (line && cy(i) - cy(line[0]!) <= tol) line.push(i);
    else lines.push([i]);
  }
  return lines.map((line) => line.sort((a, b) => list[a]!.box[0] - list[b]!.box[0]));
}

export function readingOrder(list: readonly Boxed[]): number[] {
  return readingLines(list).flat();
}
