// How each CSS framework marks up a checkbox, a radio, a switch, a card, a table and a badge.
// A checkbox's visible box carries data-cb (its rect is the label); data-for names the input whose
// `checked` gives the class when the visible box is not the input itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import postcss from 'postcss';
import tailwind from 'tailwindcss';
import tailwindForms from '@tailwindcss/forms';

const require = createRequire(import.meta.url);
const cssFile = (spec) => readFileSync(require.resolve(spec), 'utf8');

const input = (type, id, checked, cls = '', extra = '') =>
  `<input type="${type}" id="${id}" class="${cls}" ${checked ? 'checked' : ''} ${extra}>`;

const bootstrap = {
  css: () => cssFile('bootstrap/dist/css/bootstrap.min.css'),
  dark: (html) => html.replace('<html', '<html data-bs-theme="dark"'),
  checkbox: (id, text, checked, r) =>
    `<div class="form-check${r.pick(['', ' form-check-inline'])}">${input('checkbox', id, checked, 'form-check-input', 'data-cb')}` +
    `<label class="form-check-label" for="${id}">${text}</label></div>`,
  radio: (id, name, text, checked) =>
    `<div class="form-check form-check-inline">${input('radio', id, checked, 'form-check-input', `name="${name}"`)}<label class="form-check-label" for="${id}">${text}</label></div>`,
  toggle: (id, text, checked) =>
    `<div class="form-check form-switch">${input('checkbox', id, checked, 'form-check-input', 'role="switch"')}<label class="form-check-label" for="${id}">${text}</label></div>`,
  card: (title, body) =>
    `<div class="card mb-3"><div class="card-header">${title}</div><div class="card-body">${body}</div></div>`,
  table: (r) =>
    `table ${r.pick(['table-striped', 'table-bordered', 'table-hover table-striped', 'table-sm', ''])}`,
  badge: (t, r) =>
    `<span class="badge ${r.pick(['bg-secondary', 'bg-dark', 'bg-primary', 'text-bg-light'])}">${t}</span>`,
  button: (t) => `<button class="btn btn-primary btn-sm">${t}</button>`,
  textInput: (ph) => `<input class="form-control form-control-sm mb-2" placeholder="${ph}">`,
  container: 'container py-3',
};

const bulma = {
  css: () => cssFile('bulma/css/bulma.min.css'),
  dark: (html) => html.replace('<html', '<html data-theme="dark"'),
  checkbox: (id, text, checked) =>
    `<label class="checkbox mr-3">${input('checkbox', id, checked, '', 'data-cb')} ${text}</label> `,
  radio: (id, name, text, checked) =>
    `<label class="radio">${input('radio', id, checked, '', `name="${name}"`)} ${text}</label> `,
  toggle: null,
  card: (title, body) =>
    `<div class="card mb-4"><header class="card-header"><p class="card-header-title">${title}</p></header><div class="card-content">${body}</div></div>`,
  table: (r) => `table ${r.pick(['is-striped', 'is-bordered', 'is-narrow is-striped', 'is-hoverable', ''])}`,
  badge: (t, r) => `<span class="tag ${r.pick(['is-dark', 'is-info', 'is-light', 'is-black'])}">${t}</span>`,
  button: (t) => `<button class="button is-small is-link">${t}</button>`,
  textInput: (ph) => `<input class="input is-small mb-2" placeholder="${ph}">`,
  container: 'container section',
};

const pico = {
  css: () => cssFile('@picocss/pico/css/pico.min.css'),
  dark: (html) => html.replace('<html', '<html data-theme="dark"'),
  checkbox: (id, text, checked) => `<label>${input('checkbox', id, checked, '', 'data-cb')} ${text}</label>`,
  radio: (id, name, text, checked) =>
    `<label>${input('radio', id, checked, '', `name="${name}"`)} ${text}</label>`,
  toggle: (id, text, checked) =>
    `<label>${input('checkbox', id, checked, '', 'role="switch"')} ${text}</label>`,
  card: (title, body) => `<article><header>${title}</header>${body}</article>`,
  table: (r) => r.pick(['striped', '']),
  badge: (t) => `<mark>${t}</mark>`,
  button: (t) => `<button>${t}</button>`,
  textInput: (ph) => `<input placeholder="${ph}">`,
  container: 'container',
};

// Tailwind's forms plugin over the utilities this file uses; compiled once per run.
const TW_CLASSES = [
  'rounded',
  'rounded-sm',
  'rounded-md',
  'h-4',
  'w-4',
  'h-5',
  'w-5',
  'h-6',
  'w-6',
  'text-indigo-600',
  'text-blue-600',
  'text-emerald-600',
  'text-gray-900',
  'text-rose-600',
  'border-gray-300',
  'border-gray-400',
  'border-gray-500',
  'mr-2',
  'mb-4',
  'p-4',
  'p-6',
  'rounded-lg',
  'shadow',
  'bg-white',
  'bg-gray-50',
  'bg-gray-100',
  'bg-slate-800',
  'text-white',
  'px-2',
  'py-0.5',
  'text-xs',
  'font-semibold',
  'bg-gray-700',
  'bg-indigo-600',
  'px-3',
  'py-1',
  'inline-flex',
  'items-center',
  'gap-2',
  'block',
  'w-full',
  'mb-2',
  'max-w-4xl',
  'mx-auto',
  'py-6',
  'px-4',
  'text-lg',
  'font-medium',
  'border',
  'divide-y',
  'min-w-full',
  'odd:bg-gray-50',
  'even:bg-white',
  'text-left',
  'mr-4',
  'focus:ring-indigo-500',
];
let twCss;
async function tailwindCss() {
  twCss ??= (
    await postcss([tailwind({ content: [{ raw: TW_CLASSES.join(' ') }], plugins: [tailwindForms] })]).process(
      '@tailwind base; @tailwind components; @tailwind utilities;',
      { from: undefined },
    )
  ).css;
  return twCss;
}
const tailwindFw = {
  css: tailwindCss,
  dark: (html) => html.replace('<body', '<body style="background:#1e293b;color:#e2e8f0"'),
  checkbox: (id, text, checked, r) =>
    `<label class="inline-flex items-center gap-2 mr-4">${input(
      'checkbox',
      id,
      checked,
      `${r.pick(['rounded', 'rounded-sm', 'rounded-md', ''])} ${r.pick(['h-4 w-4', 'h-5 w-5', 'h-6 w-6'])} ` +
        `${r.pick(['text-indigo-600', 'text-blue-600', 'text-emerald-600', 'text-gray-900', 'text-rose-600'])} ` +
        `${r.pick(['border-gray-300', 'border-gray-400', 'border-gray-500'])}`,
      'data-cb',
    )} ${text}</label>`,
  radio: (id, name, text, checked) =>
    `<label class="inline-flex items-center gap-2 mr-4">${input('radio', id, checked, 'text-indigo-600', `name="${name}"`)} ${text}</label>`,
  toggle: null,
  card: (title, body) =>
    `<div class="rounded-lg shadow p-6 mb-4"><h3 class="text-lg font-medium mb-2">${title}</h3>${body}</div>`,
  table: () => 'min-w-full divide-y border',
  badge: (t, r) =>
    `<span class="${r.pick(['bg-gray-700', 'bg-indigo-600'])} text-white px-2 py-0.5 rounded text-xs font-semibold">${t}</span>`,
  button: (t) => `<button class="bg-indigo-600 text-white px-3 py-1 rounded">${t}</button>`,
  textInput: (ph) => `<input class="block w-full mb-2 rounded-md border-gray-300" placeholder="${ph}">`,
  container: 'max-w-4xl mx-auto py-6 px-4',
};

// Material-style custom boxes: the input is hidden and a span draws the box (tinted or white when empty,
// a solid colour with a white tick when checked), as component libraries do.
const material = {
  css: (r) => {
    const c = r.pick([
      '#6200ee',
      '#1976d2',
      '#2e7d32',
      '#d32f2f',
      '#00897b',
      '#f57c00',
      '#3f51b5',
      '#212121',
      '#0061a4',
    ]);
    const side = r.int(14, 26);
    const radius = r.pick([0, 2, 3, 4, Math.round(side / 4)]);
    const empty = r.pick([
      'transparent',
      'transparent',
      '#fff',
      '#e8f0fe',
      '#eef6ff',
      '#f3e8fd',
      '#fff8e1',
      '#e6f4ea',
      '#f1f3f4',
    ]);
    const border = r.pick(['rgba(0,0,0,.54)', '#5f6368', '#9aa0a6', c, '#79747e']);
    const mark = r.pick(['tick', 'tick', 'cross', 'bar']);
    const svg = {
      tick: "<path d='M4 12.5l5 5 11-11' stroke='white' stroke-width='3' fill='none'/>",
      cross: "<path d='M6 6l12 12M18 6L6 18' stroke='white' stroke-width='3'/>",
      bar: "<rect x='5' y='10.5' width='14' height='3' fill='white'/>",
    }[mark];
    const url = `url("data:image/svg+xml,${encodeURIComponent(`<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'>${svg}</svg>`)}")`;
    return `body{font-family:Roboto,'Noto Sans',Arial,sans-serif;margin:0}.wrap{max-width:960px;margin:auto;padding:24px}
.mcb{display:inline-flex;align-items:center;gap:10px;margin:6px 18px 6px 0;cursor:pointer}.mcb input{position:absolute;opacity:0;width:0;height:0}
.mcb .box{width:${side}px;height:${side}px;border:2px solid ${border};border-radius:${radius}px;background:${empty};box-sizing:border-box;display:inline-block;flex:none}
.mcb input:checked+.box{background:${c} ${url} center/100% no-repeat;border-color:${c}}
.mcard{border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.3);padding:16px;margin:16px 0;background:inherit}
table.mt{border-collapse:collapse;width:100%}table.mt td,table.mt th{padding:8px;border-bottom:1px solid #ddd}
table.mt tr:nth-child(even){background:${r.pick(['#f5f5f5', '#eef3fb', '#fafafa', '#f3f0ff'])}}
.chip{background:${c};color:#fff;border-radius:${r.pick([4, 12])}px;padding:2px 8px;font-size:12px}
.sw{display:inline-block;width:34px;height:14px;border-radius:7px;background:#bbb;position:relative;margin-right:8px}
.sw::after{content:'';position:absolute;top:-3px;left:${r.pick([-2, 16])}px;width:20px;height:20px;border-radius:50%;background:${c}}
button.mb{background:${c};color:#fff;border:0;border-radius:4px;padding:6px 14px}input.tf{display:block;width:100%;padding:8px;margin:6px 0}`;
  },
  dark: (html) => html.replace('<body', '<body style="background:#121212;color:#e0e0e0"'),
  checkbox: (id, text, checked) =>
    `<label class="mcb">${input('checkbox', id, checked)}<span class="box" data-cb data-for="${id}"></span>${text}</label>`,
  radio: (id, name, text, checked) =>
    `<label class="mcb">${input('radio', id, checked, '', `name="${name}" style="position:static;opacity:1;width:18px;height:18px"`)}${text}</label>`,
  toggle: (id, text) => `<label class="mcb"><span class="sw"></span>${text}</label>`,
  card: (title, body) => `<div class="mcard"><h3>${title}</h3>${body}</div>`,
  table: () => 'mt',
  badge: (t) => `<span class="chip">${t}</span>`,
  button: (t) => `<button class="mb">${t}</button>`,
  textInput: (ph) => `<input class="tf" placeholder="${ph}">`,
  container: 'wrap',
};

// The browser's own checkbox, coloured with accent-color and sized by the page.
const native = {
  css: (
    r,
  ) => `body{font-family:${r.pick(['system-ui', 'Arial', 'Georgia', 'Verdana', "'Liberation Serif'", "'DejaVu Sans'", 'Tahoma'])};margin:20px}
input[type=checkbox]{accent-color:${r.pick(['auto', '#0b57d0', '#198754', '#d63384', '#6f42c1', '#fd7e14', '#111', '#20c997'])};width:${r.int(12, 24)}px;height:auto;aspect-ratio:1}
fieldset{margin:12px 0}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px}
tr:nth-child(odd) td{background:${r.pick(['#fff', '#f2f2f2', '#e8f1fb', '#fff7e6'])}}.tag{background:#555;color:#fff;padding:1px 6px}`,
  dark: (html) => html.replace('<html', '<html style="color-scheme:dark;background:#202124;color:#e8eaed"'),
  checkbox: (id, text, checked) => `<label>${input('checkbox', id, checked, '', 'data-cb')} ${text}</label> `,
  radio: (id, name, text, checked) =>
    `<label>${input('radio', id, checked, '', `name="${name}"`)} ${text}</label> `,
  toggle: null,
  card: (title, body) => `<fieldset><legend>${title}</legend>${body}</fieldset>`,
  table: () => '',
  badge: (t) => `<span class="tag">${t}</span>`,
  button: (t) => `<button>${t}</button>`,
  textInput: (ph) => `<input placeholder="${ph}"><br>`,
  container: '',
};

export const FRAMEWORKS = { bootstrap, bulma, pico, tailwind: tailwindFw, material, native };
