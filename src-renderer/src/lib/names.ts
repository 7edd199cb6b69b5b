// File names as people read them: numbers in natural order (page-2 before page-10) and long names
// shortened in the middle, so that the part that tells files apart (the end) stays visible.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}

/** `name` cut to `max` characters with an ellipsis in the middle, keeping the extension and its neighbours. */
export function middleEllipsis(name: string, max = 30): string {
  if (name.length <= max) return name;
  const tail = Math.floor((max - 1) / 2);
  return `${name.slice(0, max - 1 - tail)}…${name.slice(-tail)}`;
}
