// Writes fillable PDF forms (AcroForm check-box widgets, pdf-lib), renders them with MuPDF at 72-300 DPI
// and labels each box from its widget rectangle and /AS state, read back from the saved file.
//   node render.mjs --out DIR --pages N --seed S [--marks check,cross,...]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFCheckBox, PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { rng } from '../jslib/rng.mjs';
import { MARK_STYLES, appearanceProvider, randomStyle } from './appearances.mjs';
import { layoutPage } from './layout.mjs';

const { values: a } = parseArgs({
  options: {
    out: { type: 'string' },
    pages: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    marks: { type: 'string', default: MARK_STYLES.filter((m) => m !== 'star').join(',') },
  },
});
const marks = a.marks.split(',');
mkdirSync(join(a.out, 'images'), { recursive: true });
mkdirSync(join(a.out, 'labels'), { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'pdfforms-'));

async function buildPdf(r) {
  const doc = await PDFDocument.create();
  const size = r.chance(0.6) ? [612, 792] : [595, 842];
  const page = doc.addPage(r.chance(0.15) ? [size[1], size[0]] : size);
  const fonts = {
    text: await doc.embedFont(
      r.pick([StandardFonts.Helvetica, StandardFonts.TimesRoman, StandardFonts.Courier]),
    ),
    bold: await doc.embedFont(r.pick([StandardFonts.HelveticaBold, StandardFonts.TimesRomanBold])),
    dingbats: await doc.embedFont(StandardFonts.ZapfDingbats),
  };
  const style = randomStyle(r, marks);
  const form = doc.getForm();
  let n = 0;
  const addCheckBox = (x, y, s, on) => {
    const cb = form.createCheckBox(`cb${n++}`);
    // Forms keep one style, but a few fields differ (another editor, a later revision).
    const st = r.chance(0.9) ? style : randomStyle(r, marks);
    cb.addToPage(page, {
      x,
      y,
      width: s,
      height: s,
      borderWidth: st.borderWidth,
      borderColor: st.borderColor,
      backgroundColor: st.background,
    });
    cb.updateAppearances(appearanceProvider(st));
    if (on) cb.check();
  };
  layoutPage(r, page, form, fonts, addCheckBox, rgb);
  return doc.save();
}

async function readLabels(bytes) {
  const doc = await PDFDocument.load(bytes);
  const { height } = doc.getPage(0).getSize();
  const boxes = [];
  for (const f of doc.getForm().getFields()) {
    if (!(f instanceof PDFCheckBox)) continue;
    for (const w of f.acroField.getWidgets()) {
      const { x, y, width, height: h } = w.getRectangle();
      const on = w.getAppearanceState() === w.getOnValue();
      boxes.push({ cls: on ? 1 : 0, x1: x, y1: height - y - h, x2: x + width, y2: height - y });
    }
  }
  return boxes;
}

let done = 0;
for (let i = 0; i < Number(a.pages); i++) {
  const name = `pdf_${a.seed}_${String(i).padStart(6, '0')}`;
  if (existsSync(join(a.out, 'labels', name + '.txt'))) continue;
  const r = rng(Number(a.seed), i);
  const bytes = await buildPdf(r);
  const dpi = r.pick([72, 96, 100, 120, 150, 150, 200, 200, 300]);
  const pdf = join(tmp, name + '.pdf');
  writeFileSync(pdf, bytes);
  const img = join(a.out, 'images', name + '.png');
  execFileSync('mutool', ['draw', '-q', '-r', String(dpi), '-o', img, pdf, '1']);
  const doc = await PDFDocument.load(bytes);
  const { width: pw, height: ph } = doc.getPage(0).getSize();
  const lines = (await readLabels(bytes)).map(
    (b) =>
      `${b.cls} ${((b.x1 + b.x2) / 2 / pw).toFixed(6)} ${((b.y1 + b.y2) / 2 / ph).toFixed(6)} ${((b.x2 - b.x1) / pw).toFixed(6)} ${((b.y2 - b.y1) / ph).toFixed(6)}`,
  );
  writeFileSync(join(a.out, 'labels', name + '.txt'), lines.join('\n') + (lines.length ? '\n' : ''));
  rmSync(pdf);
  if (++done % 20 === 0) console.log(`${name} ${dpi} dpi ${lines.length} boxes`);
}
rmSync(tmp, { recursive: true });
console.log(`rendered ${done} pages -> ${a.out}`);
