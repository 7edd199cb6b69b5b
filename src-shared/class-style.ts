// How each class of a model is drawn, by its index in the model's class list, so the app and the annotated
// pages agree for any model. The first two keep the bundled model's look (empty: blue dashed, filled:
// vermillion solid and thicker): colour *and* line style differ, for colour-blind readers and in grey.
// Further classes take the next Okabe-Ito colours. Pure ECMAScript: the renderer imports it too.

export interface ClassStyle {
  color: string;
  dash: boolean;
  /** Line width relative to the page's unit. */
  weight: number;
}

/** Okabe-Ito, without reddish purple: that marks a person's correction. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
export const CORRECTED_COLOR = '#CC79A7';
/** A class the model does not name (a result from another model). */
const UNKNOWN: ClassStyle = { color: '#777777', dash: false, weight: 1 };

export function classStyle(classes: readonly string[], name: string): ClassStyle {
  const i = classes.indexOf(name);
  if (i < 0) return UNKNOWN;
  return { color: PALETTE[i % PALETTE.length]!, dash: i === 0, weight: i === 0 ? 1 : 1.75 };
}

/** The class after `name` in the model's list, wrapping: flipping a two-class box swaps empty and filled. */
export function nextClass(classes: readonly string[], name: string): string {
  return classes[(classes.indexOf(name) + 1) % classes.length] ?? name;
}

/** "checked" → "Checked", for labels. */
export const classLabel = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
