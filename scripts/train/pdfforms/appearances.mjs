// Check-box widget appearances (the /AP /N /On and /Off streams) in the mark styles PDF editors offer.
import { degrees, drawEllipse, drawRectangle, drawSvgPath, rgb } from 'pdf-lib';

// Marks in a 100-unit square, y down (SVG); stroked ones are lines, the others are filled shapes.
const MARKS = {
  check: { path: 'M20 52 L42 76 L82 22', stroke: true },
  cross: { path: 'M22 22 L78 78 M78 22 L22 78', stroke: true },
  circle: { ellipse: true },
  square: { path: 'M26 26 L74 26 L74 74 L26 74 Z' },
  star: { path: 'M50 14 L59 39 L86 39 L64 55 L72 82 L50 66 L28 82 L36 55 L14 39 L41 39 Z' },
  diamond: { path: 'M50 16 L84 50 L50 84 L16 50 Z' },
};
export const MARK_STYLES = Object.keys(MARKS);

const zero = degrees(0);

// One widget's look: border, background (white, tinted or none) and the mark drawn when it is on.
export function appearanceProvider(style) {
  return (_checkBox, widget) => {
    const { width: w, height: h } = widget.getRectangle();
    const bw = style.borderWidth;
    const box = drawRectangle({
      x: bw / 2,
      y: bw / 2,
      width: w - bw,
      height: h - bw,
      borderWidth: bw,
      borderColor: style.borderColor,
      color: style.background,
      rotate: zero,
      xSkew: zero,
      ySkew: zero,
    });
    const m = MARKS[style.mark];
    const k = w / 100;
    const mark = m.ellipse
      ? drawEllipse({
          x: w / 2,
          y: h / 2,
          xScale: w * 0.28,
          yScale: h * 0.28,
          color: style.markColor,
          borderWidth: 0,
        })
      : drawSvgPath(m.path, {
          x: 0,
          y: h,
          scale: k,
          rotate: zero,
          ...(m.stroke
            ? { borderColor: style.markColor, borderWidth: style.markWeight }
            : { color: style.markColor }),
        });
    return { normal: { on: [...box, ...mark], off: box } };
  };
}

export function randomStyle(r, marks) {
  const grey = r.uniform(0, 0.45);
  const tinted = [
    rgb(0.91, 0.94, 1),
    rgb(1, 0.97, 0.88),
    rgb(0.92, 0.97, 0.92),
    rgb(0.95, 0.95, 0.95),
    rgb(0.87, 0.92, 0.98),
  ];
  return {
    mark: r.pick(marks),
    borderWidth: r.pick([0.5, 0.75, 1, 1, 1.5, 2]),
    borderColor: r.chance(0.8)
      ? rgb(grey, grey, grey)
      : r.pick([rgb(0.1, 0.2, 0.6), rgb(0, 0.3, 0.6), rgb(0.5, 0, 0)]),
    background: r.chance(0.55) ? undefined : r.chance(0.4) ? rgb(1, 1, 1) : r.pick(tinted),
    markColor: r.chance(0.8) ? rgb(0, 0, 0) : r.pick([rgb(0, 0, 0.55), rgb(0.1, 0.1, 0.1), rgb(0.6, 0, 0)]),
    markWeight: r.uniform(7, 14),
  };
}
