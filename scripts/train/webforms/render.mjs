// Renders web-form pages in Chromium and writes a YOLO dataset whose labels come from the DOM.
//   node render.mjs --out DIR --pages N --seed S [--frameworks bootstrap,bulma,...]
// Page i is rendered from rng(seed, i) alone, so an interrupted run resumes where its labels stop.
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright';
import { FRAMEWORKS } from './frameworks.mjs';
import { rng } from '../jslib/rng.mjs';
import { composeBody } from './compose.mjs';

const { values: a } = parseArgs({
  options: {
    out: { type: 'string' },
    pages: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    frameworks: { type: 'string', default: 'bootstrap,bulma,tailwind,material,native' },
  },
});
const frameworks = a.frameworks.split(',');
mkdirSync(join(a.out, 'images'), { recursive: true });
mkdirSync(join(a.out, 'labels'), { recursive: true });

// Runs in the page (page.evaluate), where these are the browser's globals.
/* global document, getComputedStyle, scrollX, scrollY */
// Each visible checkbox box with its state; radios, switches and hidden inputs are not labelled.
const readBoxes = () =>
  [...document.querySelectorAll('[data-cb]')].flatMap((el) => {
    const inp = el.dataset.for ? document.getElementById(el.dataset.for) : el;
    const b = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    if (b.width < 3 || b.height < 3 || st.visibility === 'hidden' || st.display === 'none') return [];
    return [
      {
        cls: inp.checked ? 1 : 0,
        x1: b.left + scrollX,
        y1: b.top + scrollY,
        x2: b.right + scrollX,
        y2: b.bottom + scrollY,
      },
    ];
  });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
let done = 0;
for (let i = 0; i < Number(a.pages); i++) {
  const name = `web_${a.seed}_${String(i).padStart(6, '0')}`;
  if (existsSync(join(a.out, 'labels', name + '.txt'))) continue;
  const r = rng(Number(a.seed), i);
  const fwName = r.pick(frameworks);
  const fw = FRAMEWORKS[fwName];
  const dark = r.chance(0.25);
  const zoom = r.pick([0.8, 0.9, 1, 1, 1.1, 1.25, 1.5, 1.75]);
  const scale = r.pick([1, 1, 2]);
  const width = r.int(360, 1280);
  let html =
    `<!doctype html><html><head><meta charset="utf-8"><style>${await fw.css(r)}</style>` +
    `<style>html{zoom:${zoom}}</style></head><body>${composeBody(r, fw)}</body></html>`;
  if (dark) html = fw.dark(html);
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: scale });
  const page = await ctx.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  const boxes = await page.evaluate(readBoxes);
  const full = await page.evaluate(() => ({
    w: document.documentElement.scrollWidth,
    h: document.documentElement.scrollHeight,
  }));
  // A tall page is cut to a screen-like crop: at most 1.6x its width.
  const clip = {
    x: 0,
    y: 0,
    width: Math.min(full.w, width),
    height: Math.min(full.h, Math.round(width * r.uniform(0.6, 1.6))),
  };
  const png = await page.screenshot({ clip, fullPage: true, type: 'png' });
  await ctx.close();
  const W = clip.width * scale;
  const H = clip.height * scale;
  const lines = boxes
    .map((b) => ({ ...b, x1: b.x1 * scale, y1: b.y1 * scale, x2: b.x2 * scale, y2: b.y2 * scale }))
    .filter((b) => b.y2 <= H && b.x2 <= W) // a box cut by the crop is neither labelled nor seen whole
    .map(
      (b) =>
        `${b.cls} ${((b.x1 + b.x2) / 2 / W).toFixed(6)} ${((b.y1 + b.y2) / 2 / H).toFixed(6)} ${((b.x2 - b.x1) / W).toFixed(6)} ${((b.y2 - b.y1) / H).toFixed(6)}`,
    );
  writeFileSync(join(a.out, 'images', name + '.png'), png);
  writeFileSync(join(a.out, 'labels', name + '.txt'), lines.join('\n') + (lines.length ? '\n' : ''));
  done++;
  if (done % 20 === 0) console.log(`${name} ${fwName} ${lines.length} boxes`);
}
await browser.close();
console.log(`rendered ${done} pages -> ${a.out}`);
