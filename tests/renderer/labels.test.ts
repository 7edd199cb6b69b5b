// How a box's text reads in the list, the tooltip and the box's accessible name.
import { describe, expect, it } from 'vitest';
import { labelText } from '../../src-renderer/src/lib/labels.js';

describe('labelText', () => {
  it('reads "question: label", either alone, and nothing for a box without text', () => {
    expect(labelText({ question: 'Gender', label: 'Female' })).toBe('Gender: Female');
    expect(labelText({ question: null, label: 'Female' })).toBe('Female');
    expect(labelText({ question: 'Gender', label: null })).toBe('Gender: —');
    expect(labelText({ question: '  ', label: ' Yes ' })).toBe('Yes');
    expect(labelText({ label: undefined, question: undefined })).toBe('');
  });
});
