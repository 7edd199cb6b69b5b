// Lays out a fillable form page top to bottom: question rows with check boxes, tables with check-box
// columns, and things that are not check boxes (radio groups, text fields, number badges, stray ticks).
const QUESTIONS = [
  'Is the applicant a resident?',
  'Prior claims in the last 5 years',
  'Property type',
  'Marital status',
  'Method of payment',
  'Smoker',
  'Condition of roof',
  'Were repairs made?',
  'Medication allergies',
  'Previous employer',
  'Heating type',
  'Preferred contact',
  'Occupancy',
  'Documents attached',
  'Signature on file',
  'Vehicle use',
];
const OPTIONS = [
  'Yes',
  'No',
  'N/A',
  'Owner',
  'Tenant',
  'Vacant',
  'Single',
  'Married',
  'Cash',
  'Cheque',
  'Card',
  'Good',
  'Fair',
  'Poor',
  'Gas',
  'Electric',
  'Oil',
  'Email',
  'Phone',
  'Mail',
  'Other',
  'Business',
  'Personal',
  'Unknown',
];
const TITLES = [
  'APPLICATION FORM',
  'Claim Form',
  'Property Inspection Report',
  'Patient Registration',
  'Vendor Set-up Form',
  'Change of Details',
  'Risk Assessment Checklist',
  'Enrolment Form',
];

export function layoutPage(r, page, form, fonts, addCheckBox, rgb) {
  const { width, height } = page.getSize();
  const margin = r.uniform(30, 60);
  const s = r.uniform(7, 16); // box side in points
  const fs = r.uniform(7, 12);
  const fill = r.uniform(0.15, 0.6);
  const ink = rgb(0, 0, 0);
  const text = (t, x, y, size = fs, font = fonts.text, color = ink) => {
    page.drawText(t, { x, y, size, font, color });
    return font.widthOfTextAtSize(t, size);
  };
  let y = height - margin;
  text(r.pick(TITLES), margin, y - 16, r.uniform(13, 20), fonts.bold);
  y -= 40;
  let radios = 0;
  let fields = 0;
  let section = 1;
  const rowH = Math.max(s, fs) * r.uniform(1.5, 2.3);

  const options = (x, yy, xEnd) => {
    let cx = x;
    for (const o of Array.from({ length: r.int(2, 5) }, () => r.pick(OPTIONS))) {
      if (cx + s + fonts.text.widthOfTextAtSize(o, fs) + 10 > xEnd) break;
      addCheckBox(cx, yy, s, r.chance(fill));
      cx += s + 4;
      cx += text(o, cx, yy + (s - fs * 0.7) / 2, fs) + r.uniform(10, 30);
    }
  };
  const blocks = {
    questions: () => {
      for (let k = 0; k < r.int(2, 7) && y > margin + rowH; k++, y -= rowH) {
        const q = r.pick(QUESTIONS);
        const qw = text(q, margin, y - rowH / 2 - fs * 0.35, fs);
        if (r.chance(0.4))
          page.drawLine({
            start: { x: margin, y: y - rowH },
            end: { x: width - margin, y: y - rowH },
            thickness: 0.5,
            color: ink,
          });
        options(
          margin + Math.max(qw + 15, (width - 2 * margin) * r.uniform(0.35, 0.55)),
          y - rowH / 2 - s / 2,
          width - margin,
        );
      }
    },
    table: () => {
      const cols = r.int(3, 6);
      const cw = (width - 2 * margin) / cols;
      const rows = r.int(2, 7);
      if (y - rowH * (rows + 1) < margin) return;
      const shade = r.uniform(0.75, 0.93);
      page.drawRectangle({
        x: margin,
        y: y - rowH,
        width: width - 2 * margin,
        height: rowH,
        color: rgb(shade, shade, shade),
      });
      for (let c = 0; c < cols; c++)
        text(r.pick(OPTIONS), margin + c * cw + 4, y - rowH / 2 - fs * 0.35, fs, fonts.bold);
      const stripe = r.chance(0.4) ? rgb(0.93, 0.95, 1) : null;
      for (let k = 1; k <= rows; k++) {
        const top = y - rowH * k;
        if (stripe && k % 2 === 0)
          page.drawRectangle({
            x: margin,
            y: top - rowH,
            width: width - 2 * margin,
            height: rowH,
            color: stripe,
          });
        text(
          r.pick(QUESTIONS).slice(0, Math.floor(cw / (fs * 0.5))),
          margin + 4,
          top - rowH / 2 - fs * 0.35,
          fs,
        );
        for (let c = 1; c < cols; c++) {
          if (r.chance(0.9))
            addCheckBox(margin + c * cw + cw / 2 - s / 2, top - rowH / 2 - s / 2, s, r.chance(fill));
        }
      }
      for (let k = 0; k <= rows + 1; k++) {
        page.drawLine({
          start: { x: margin, y: y - rowH * k },
          end: { x: width - margin, y: y - rowH * k },
          thickness: 0.6,
          color: ink,
        });
      }
      for (let c = 0; c <= cols; c++) {
        page.drawLine({
          start: { x: margin + c * cw, y },
          end: { x: margin + c * cw, y: y - rowH * (rows + 1) },
          thickness: 0.6,
          color: ink,
        });
      }
      y -= rowH * (rows + 1) + 10;
    },
    radios: () => {
      const g = form.createRadioGroup(`rg${radios++}`);
      let cx = margin + text(r.pick(QUESTIONS), margin, y - rowH / 2 - fs * 0.35, fs) + 15;
      for (const o of [...new Set(Array.from({ length: r.int(2, 4) }, () => r.pick(OPTIONS)))]) {
        g.addOptionToPage(o, page, {
          x: cx,
          y: y - rowH / 2 - s / 2,
          width: s,
          height: s,
          borderWidth: 1,
          borderColor: ink,
        });
        cx += s + 4 + text(o, cx + s + 4, y - rowH / 2 - fs * 0.35, fs) + 15;
      }
      if (r.chance(0.5)) g.select(g.getOptions()[0]);
      y -= rowH;
    },
    fields: () => {
      const tf = form.createTextField(`tf${fields++}`);
      const lw = text(
        r.pick(['Name', 'Date', 'Policy no.', 'Address', 'Initials', 'Age']),
        margin,
        y - rowH / 2 - fs * 0.35,
        fs,
      );
      tf.addToPage(page, {
        x: margin + lw + 8,
        y: y - rowH + 2,
        width: r.uniform(30, width / 2),
        height: rowH - 4,
        borderWidth: 1,
        borderColor: ink,
      });
      y -= rowH;
    },
    header: () => {
      // A section bar, sometimes with its number in a dark square: a badge, not a check box.
      const h = rowH * 1.1;
      const dark = r.chance(0.5);
      const g = dark ? 0.15 : r.uniform(0.7, 0.9);
      page.drawRectangle({ x: margin, y: y - h, width: width - 2 * margin, height: h, color: rgb(g, g, g) });
      let x = margin + 4;
      if (r.chance(0.5)) {
        const b = h * 0.8;
        page.drawRectangle({
          x,
          y: y - h * 0.9,
          width: b,
          height: b,
          color: dark ? rgb(1, 1, 1) : rgb(0.2, 0.2, 0.2),
        });
        text(
          String(section),
          x + b * 0.28,
          y - h * 0.9 + b * 0.22,
          b * 0.7,
          fonts.bold,
          dark ? ink : rgb(1, 1, 1),
        );
        x += b + 6;
      }
      text(
        `${section++}. ${r.pick(QUESTIONS).toUpperCase()}`,
        x,
        y - h * 0.7,
        fs,
        fonts.bold,
        dark ? rgb(1, 1, 1) : ink,
      );
      y -= h + 6;
    },
    note: () => {
      // Stray tick and cross glyphs in running text, with no box around them.
      const ticks = ['✓', '✔', '✗', '✘', '■', '●'];
      let x = margin;
      for (let k = 0; k < r.int(1, 4); k++) {
        x += text(r.pick(ticks), x, y - rowH / 2, fs * r.uniform(0.9, 1.6), fonts.dingbats) + 4;
        x += text(r.pick(OPTIONS), x, y - rowH / 2, fs) + 20;
      }
      y -= rowH;
    },
  };
  const kinds = ['questions', 'questions', 'table', 'radios', 'fields', 'header', 'note'];
  while (y > margin + rowH * 3) blocks[r.pick(kinds)]();
}
