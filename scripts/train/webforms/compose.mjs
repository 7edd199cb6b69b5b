// Builds a survey, application, settings or review page from form blocks in one framework's markup.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const ICON_DIR = join(dirname(require.resolve('bootstrap-icons/package.json')), 'icons');
// Icons are negatives; outline squares and ticked squares would be checkboxes, so they are left out.
const ICONS = readdirSync(ICON_DIR)
  .filter(
    (f) => !/square|check|^app|^stop|^bounding|^border|^fullscreen|^textarea|^input|^window|^toggle/.test(f),
  )
  .sort();

const WORDS = {
  topics: [
    'Contact preferences',
    'Dietary requirements',
    'Notifications',
    'Privacy',
    'Accessibility needs',
    'Coverage',
    'Employment history',
    'Symptoms',
    'Services requested',
    'Amenities',
    'Documents enclosed',
    'Payment',
    'Languages',
    'Feedback',
    'Eligibility',
    'Consent',
    'Shipping options',
    'Interests',
    'Property features',
    'Inspection items',
  ],
  options: [
    'Email',
    'SMS',
    'Phone',
    'Post',
    'Vegetarian',
    'Vegan',
    'Gluten free',
    'Halal',
    'Kosher',
    'None',
    'Weekly digest',
    'Product updates',
    'Security alerts',
    'Marketing',
    'Wheelchair access',
    'Sign language',
    'Large print',
    'Full time',
    'Part time',
    'Contract',
    'Fever',
    'Cough',
    'Headache',
    'Fatigue',
    'Nausea',
    'Pool',
    'Garage',
    'Garden',
    'Basement',
    'Fireplace',
    'Passport',
    'Driving licence',
    'Utility bill',
    'Bank statement',
    'Credit card',
    'Invoice',
    'PayPal',
    'English',
    'Spanish',
    'French',
    'German',
    'Other',
    'Yes',
    'No',
    'N/A',
    'Roof',
    'Windows',
    'Plumbing',
    'Electrical',
    'Heating',
    'I agree to the terms',
    'Remember me',
    'Subscribe',
    'Express delivery',
    'Gift wrap',
    'Sports',
    'Music',
    'Travel',
    'Reading',
    'Cooking',
    'Completed',
    'Pending',
    'Approved',
    'Reviewed',
    'Urgent',
    'Archive',
    'Public profile',
  ],
  sentences: [
    'Please tick all that apply.',
    'Select the options that best describe your situation.',
    'Your answers are kept confidential.',
    'Fields marked with * are required.',
    'Review the items below before submitting.',
    'You can change these settings at any time.',
    'Check each item once it has been inspected.',
    'Leave blank if not applicable.',
    'We will contact you within 5 working days.',
  ],
  fields: [
    'Full name',
    'Email address',
    'Phone',
    'Date of birth',
    'Address',
    'City',
    'Postcode',
    'Company',
    'Reference no.',
  ],
  titles: [
    'Customer survey',
    'Membership application',
    'Account settings',
    'Order review',
    'Patient intake form',
    'Rental application',
    'Event registration',
    'Inspection checklist',
    'Job application',
    'Preferences',
  ],
};

function icon(r) {
  const svg = readFileSync(join(ICON_DIR, r.pick(ICONS)), 'utf8');
  const size = r.int(14, 32);
  return svg.replace(/width="16" height="16"/, `width="${size}" height="${size}" style="margin:0 6px"`);
}

export function composeBody(r, fw) {
  let id = 0;
  const nextId = () => `f${id++}`;
  const fill = r.uniform(0.15, 0.7);
  const opts = (n) => Array.from({ length: n }, () => r.pick(WORDS.options));
  const boxes = (n) =>
    opts(n)
      .map((o) => fw.checkbox(nextId(), o, r.chance(fill), r))
      .join('');
  const tint = () => r.pick(['#eef4ff', '#fff4e5', '#eaf7ee', '#f6f6f6', '#fdecef', '#e8f4f8', '#fffbe6']);

  const blocks = {
    group: () =>
      `<p><b>${r.pick(WORDS.topics)}</b> ${r.chance(0.5) ? r.pick(WORDS.sentences) : ''}</p>` +
      (r.chance(0.5)
        ? `<div>${boxes(r.int(2, 6))}</div>`
        : boxes(r.int(2, 6)).replace(/(<\/label>|<\/div>)/g, '$1<br>')),
    tintedGroup: () =>
      `<div style="background:${tint()};padding:10px;border-radius:${r.int(0, 10)}px">${blocks.group()}</div>`,
    radios: () => {
      const name = nextId();
      return (
        `<p>${r.pick(WORDS.topics)}</p>` +
        opts(r.int(2, 4))
          .map((o, k) => fw.radio(nextId(), name, o, k === 0))
          .join('')
      );
    },
    toggles: () =>
      fw.toggle
        ? opts(r.int(1, 4))
            .map((o) => fw.toggle(nextId(), o, r.chance(0.5)))
            .join('<br>')
        : `<p>${icon(r)} ${r.pick(WORDS.sentences)}</p>`,
    table: () => {
      const cols = r.int(2, 5);
      const head = `<tr><th>${r.pick(WORDS.topics)}</th>${Array.from({ length: cols }, () => `<th>${r.pick(WORDS.options)}</th>`).join('')}</tr>`;
      const rows = Array.from({ length: r.int(2, 8) }, () => {
        const style = r.chance(0.2) ? ` style="background:${tint()}"` : '';
        const cells = Array.from(
          { length: cols },
          () =>
            `<td>${r.chance(0.85) ? fw.checkbox(nextId(), '', r.chance(fill), r) : r.pick(WORDS.options)}</td>`,
        );
        return `<tr${style}><td>${r.pick(WORDS.options)}</td>${cells.join('')}</tr>`;
      });
      return `<table class="${fw.table(r)}">${head}${rows.join('')}</table>`;
    },
    inputs: () =>
      WORDS.fields
        .slice(0, r.int(1, 4))
        .map((f) => `<label>${f}</label>${fw.textInput(f)}`)
        .join(''),
    text: () =>
      `<p>${r.pick(WORDS.sentences)} ${r.chance(0.3) ? r.pick(['✓', '✔', '✗', '✘', '☆', '•']) + ' ' + r.pick(WORDS.options) : ''}</p>`,
    toolbar: () =>
      `<div style="margin:8px 0">${Array.from({ length: r.int(2, 7) }, () => icon(r)).join('')} ${fw.button(r.pick(['Save', 'Submit', 'Next', 'Add']))}</div>`,
    badges: () =>
      `<p>${Array.from({ length: r.int(1, 4) }, () => fw.badge(r.pick([String(r.int(1, 20)), `${r.int(1, 20)}.`, 'New', r.int(1, 99)]), r)).join(' ')}</p>`,
  };
  const kinds = [
    'group',
    'group',
    'group',
    'tintedGroup',
    'radios',
    'toggles',
    'table',
    'inputs',
    'text',
    'toolbar',
    'badges',
  ];
  // Section headings sometimes carry a number badge: a dark square with a white digit, not a checkbox.
  const section = (k, h = r.int(2, 4)) =>
    `<h${h}>${r.chance(0.35) ? fw.badge(`${k + 1}`, r) + ' ' : ''}${r.pick(WORDS.topics)}</h${h}>`;
  const parts = [`<h1>${r.pick(WORDS.titles)}</h1>`];
  for (let k = 0; k < r.int(2, 5); k++) {
    const body = Array.from({ length: r.int(1, 4) }, () => blocks[r.pick(kinds)]()).join('');
    parts.push(r.chance(0.5) ? fw.card(r.pick(WORDS.topics), body) : section(k) + body);
  }
  return `<div class="${fw.container}">${parts.join('')}</div>`;
}
