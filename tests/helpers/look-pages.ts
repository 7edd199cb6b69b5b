// Pages in the looks that the first model got wrong (issue 15), drawn as SVG with their truth: a blank
// template with pale-blue box interiors, the same template ticked by hand, and a page of things that are not
// checkboxes (number badges, "Nº", toggles, radio buttons, stray ticks) around a few real boxes.
import type { TruthBox } from '../../scripts/fixtures/form-page.js';

export interface LookPage {
  name: string;
  svg: string;
  boxes: TruthBox[];
  /** Things where no box may be reported at the default conf, each a region [x1, y1, x2, y2]. */
  negatives: Negative[];
}

export interface Negative {
  kind: 'badge' | 'number sign' | 'stray tick' | 'toggle' | 'radio button';
  box: [number, number, number, number];
}

const W = 1000;
const H = 1300;
const FONT = 'font-family="\'DejaVu Sans\'"';
const OPTIONS = ['Never', 'Rarely', 'Sometimes', 'Often'];
const QUESTIONS = [
  'I plan my work ahead',
  'I ask for help when needed',
  'I meet my deadlines',
  'I share what I learn',
  'I give useful feedback',
  'I keep my notes in order',
  'I check my own work',
  'I welcome new tasks',
  'I keep others informed',
  'I learn from mistakes',
  'I stay calm under pressure',
  'I follow the agreed process',
  'I suggest improvements',
];

const svgPage = (body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">` +
  `<rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;

const text = (x: number, y: number, size: number, s: string, extra = '', fill = '#1a1a1a'): string =>
  `<text x="${x}" y="${y}" ${FONT} font-size="${size}" fill="${fill}"${extra}>${s}</text>`;

/** A hand tick from the box's lower left, past its top right corner, as a ballpoint draws it. */
const tick = (x: number, y: number, s: number): string =>
  `<path d="M${x + s * 0.15},${y + s * 0.5} L${x + s * 0.45},${y + s * 0.85} L${x + s * 1.3},${y - s * 0.35}" ` +
  `fill="none" stroke="#1c2f8a" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>`;

/** A self-assessment grid: 13 questions x 4 options, 52 boxes with pale-blue interiors (a Word / Docs style). */
function tintedGrid(ticked: (row: number) => number | null): { body: string; boxes: TruthBox[] } {
  const size = 22;
  const parts = [text(60, 90, 30, 'Self-assessment', ' font-weight="bold"')];
  const boxes: TruthBox[] = [];
  OPTIONS.forEach((o, c) => parts.push(text(470 + c * 125, 160, 16, o, ' font-weight="bold"')));
  QUESTIONS.forEach((q, r) => {
    const y = 200 + r * 78;
    parts.push(`<rect x="50" y="${y - 22}" width="900" height="66" fill="${r % 2 ? '#f3f6fb' : '#fff'}"/>`);
    parts.push(text(60, y + 16, 17, q));
    const pick = ticked(r);
    OPTIONS.forEach((o, c) => {
      const x = 480 + c * 125;
      parts.push(
        `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#dbe7f6" stroke="#2f5597" stroke-width="1.5"/>`,
      );
      if (pick === c) parts.push(tick(x, y, size));
      boxes.push({
        class: pick === c ? 'filled' : 'empty',
        box: [x, y, x + size, y + size],
        label: o,
        question: q,
      });
    });
  });
  return { body: parts.join(''), boxes };
}

/** Things a form holds that are not checkboxes, each in `negatives`, and six real boxes among them. */
function lookalikes(): LookPage {
  const parts = [text(60, 90, 30, 'Vehicle registration', ' font-weight="bold"')];
  const negatives: LookPage['negatives'] = [];
  const boxes: TruthBox[] = [];
  const no = (kind: Negative['kind'], x1: number, y1: number, x2: number, y2: number) =>
    negatives.push({ kind, box: [x1, y1, x2, y2] });
  // Section-number badges: a grey or black square holding a white digit.
  ['6.', '13.', '7.', '21.'].forEach((n, i) => {
    const y = 150 + i * 250;
    const fill = i % 2 ? '#555' : '#111';
    parts.push(`<rect x="60" y="${y}" width="34" height="34" rx="3" fill="${fill}"/>`);
    parts.push(text(77, y + 24, 18, n, ' font-weight="bold" text-anchor="middle"', '#fff'));
    parts.push(
      text(110, y + 25, 22, ['Owner', 'Vehicle', 'Insurance', 'Declaration'][i]!, ' font-weight="bold"'),
    );
    no('badge', 60, y, 94, y + 34);
  });
  // "Nº" fields and stray tick glyphs with no box.
  [230, 480, 730].forEach((y, i) => {
    parts.push(text(80, y, 20, `Nº ${1040 + i}`));
    no('number sign', 78, y - 18, 108, y + 4);
    parts.push(text(400, y, 22, i % 2 ? '✗' : '✓') + text(430, y, 18, 'verified'));
    no('stray tick', 398, y - 20, 422, y + 4);
  });
  // Toggle switches and radio buttons.
  [300, 550, 800].forEach((y, i) => {
    parts.push(`<rect x="80" y="${y}" width="44" height="24" rx="12" fill="${i % 2 ? '#ccc' : '#2f6fde'}"/>`);
    parts.push(`<circle cx="${i % 2 ? 92 : 112}" cy="${y + 12}" r="9" fill="#fff"/>`);
    parts.push(text(135, y + 18, 18, 'Notify me'));
    no('toggle', 80, y, 124, y + 24);
    [0, 1].forEach((k) => {
      const cx = 450 + k * 160;
      parts.push(`<circle cx="${cx}" cy="${y + 12}" r="10" fill="none" stroke="#333" stroke-width="1.5"/>`);
      if (k === i % 2) parts.push(`<circle cx="${cx}" cy="${y + 12}" r="5" fill="#333"/>`);
      parts.push(text(cx + 18, y + 18, 18, k ? 'No' : 'Yes'));
      no('radio button', cx - 11, y + 1, cx + 11, y + 23);
    });
  });
  // Six real boxes, plain outlines, three ticked.
  ['Car', 'Van', 'Motorbike', 'Lorry', 'Bus', 'Other'].forEach((label, i) => {
    const x = 80 + (i % 3) * 280;
    const y = 1100 + Math.floor(i / 3) * 70;
    parts.push(
      `<rect x="${x}" y="${y}" width="24" height="24" fill="none" stroke="#000" stroke-width="1.5"/>`,
    );
    if (i % 2 === 0) parts.push(tick(x, y, 24));
    parts.push(text(x + 36, y + 19, 18, label));
    boxes.push({
      class: i % 2 === 0 ? 'filled' : 'empty',
      box: [x, y, x + 24, y + 24],
      label,
      question: null,
    });
  });
  return { name: 'lookalikes', svg: svgPage(parts.join('')), boxes, negatives };
}

export function lookPages(): LookPage[] {
  const blank = tintedGrid(() => null);
  const answered = tintedGrid((r) => (r * 7) % 4);
  return [
    {
      name: 'tinted-blank',
      svg: svgPage(blank.body),
      boxes: blank.boxes,
      negatives: [],
    },
    {
      name: 'tinted-ticked',
      svg: svgPage(answered.body),
      boxes: answered.boxes,
      negatives: [],
    },
    lookalikes(),
  ];
}
