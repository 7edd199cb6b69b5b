// How a box's text reads in the list, the tooltip and the overlay's names: "question: label".
import type { Detection } from '../../../src-shared/result.js';

export function labelText(d: Pick<Detection, 'label' | 'question'>): string {
  const label = d.label?.trim() ?? '';
  const question = d.question?.trim() ?? '';
  if (question && label) return `${question}: ${label}`;
  return question ? `${question}: —` : label;
}
