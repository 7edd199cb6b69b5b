// Horizontal bar chart panels drawn as SVG and rasterised to PNG with sharp.
import sharp from 'sharp';

export interface ChartBar {
  label: string;
  value: number;
  /** Our engine (one colour) or a reference (the other). */
  ours: boolean;
}

export interface ChartPanel {
  title: string;
  unit: string;
  bars: ChartBar[];
}

const WIDTH = 1100;
const LABEL_W = 330;
const VALUE_W = 110;
const BAR_H = 26;
const GAP = 8;
const TITLE_H = 40;
const PANEL_GAP = 22;
const COLOURS = { ours: '#1f8a70', reference: '#d1603d' };

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function formatValue(v: number, unit: string): string {
  if (!Number.isFinite(v)) return 'n/a';
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}`;
}

function panelSvg(panel: ChartPanel, top: number): { svg: string; height: number } {
  const max = Math.max(...panel.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)), 1e-9);
  const barArea = WIDTH - LABEL_W - VALUE_W - 40;
  const parts = [
    `<text x="20" y="${top + 26}" font-size="18" font-weight="bold">${escape(panel.title)}</text>`,
  ];
  panel.bars.forEach((b, i) => {
    const y = top + TITLE_H + i * (BAR_H + GAP);
    const w = Number.isFinite(b.value) ? Math.max(2, (b.value / max) * barArea) : 0;
    parts.push(
      `<text x="${LABEL_W}" y="${y + BAR_H * 0.7}" font-size="15" text-anchor="end">${escape(b.label)}</text>`,
      `<rect x="${LABEL_W + 12}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${b.ours ? COLOURS.ours : COLOURS.reference}"/>`,
      `<text x="${LABEL_W + 20 + w}" y="${y + BAR_H * 0.7}" font-size="15">${escape(formatValue(b.value, panel.unit))}</text>`,
    );
  });
  return { svg: parts.join(''), height: TITLE_H + panel.bars.length * (BAR_H + GAP) };
}

export function chartSvg(panels: ChartPanel[], title: string): string {
  let y = 56;
  const body: string[] = [];
  for (const panel of panels.filter((p) => p.bars.length > 0)) {
    const { svg, height } = panelSvg(panel, y);
    body.push(svg);
    y += height + PANEL_GAP;
  }
  const legendY = y + 4;
  const legend =
    `<rect x="20" y="${legendY}" width="18" height="18" fill="${COLOURS.ours}"/><text x="46" y="${legendY + 14}" font-size="15">Ours (Node + onnxruntime)</text>` +
    `<rect x="300" y="${legendY}" width="18" height="18" fill="${COLOURS.reference}"/><text x="326" y="${legendY + 14}" font-size="15">Python references (Ultralytics)</text>`;
  const height = legendY + 36;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="DejaVu Sans, sans-serif" fill="#222">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="20" y="32" font-size="21" font-weight="bold">${escape(title)}</text>` +
    body.join('') +
    legend +
    `</svg>`
  );
}

export function renderChart(panels: ChartPanel[], title: string): Promise<Buffer> {
  return sharp(Buffer.from(chartSvg(panels, title)))
    .png()
    .toBuffer();
}
