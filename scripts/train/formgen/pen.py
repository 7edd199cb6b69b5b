"""Handwritten marks with pen dynamics: strokes that swell and thin, wobble, overshoot the box or miss it.

Pen styles are a held-out axis: `SETTINGS` is set once by `generate.py` (`--pen-styles`, `--hand-rate`) before
the workers fork, so a test set can be drawn with a pen that no training page used.
"""
import numpy as np

PENS = {
    # name: (colour choices, width as a fraction of the box side, opacity-like lightness jitter, dropout)
    "ballpoint": ([(20, 35, 140), (15, 15, 25), (30, 30, 90)], (0.05, 0.09), 0.0),
    "pencil": ([(110, 110, 115), (140, 140, 145), (165, 165, 170)], (0.04, 0.08), 0.25),
    "felt": ([(10, 10, 10), (0, 40, 160), (20, 90, 30), (150, 20, 30)], (0.12, 0.22), 0.0),
}
SETTINGS = {"styles": ["ballpoint", "pencil"], "rate": 0.35}


def _curve(points, n):
    """A smooth path through the control points (Catmull-Rom), n samples."""
    p = np.array([points[0]] + list(points) + [points[-1]], dtype=float)
    out = []
    segs = len(points) - 1
    for i in range(segs):
        p0, p1, p2, p3 = p[i], p[i + 1], p[i + 2], p[i + 3]
        for t in np.linspace(0, 1, max(2, n // segs), endpoint=i == segs - 1):
            t2, t3 = t * t, t * t * t
            out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t3))
    return np.array(out)


def stroke(draw, rng, points, pen, s):
    """Draws one stroke: width rises with pressure mid-stroke, the line trembles, a pencil skips."""
    colours, (wlo, whi), dropout = PENS[pen]
    colour = colours[rng.integers(len(colours))]
    base = max(1.0, s * rng.uniform(wlo, whi))
    path = _curve(points, 40)
    path += rng.normal(0, max(0.3, s * 0.01), path.shape)
    n = len(path)
    for i in range(n - 1):
        if dropout and rng.random() < dropout:
            continue
        t = i / (n - 1)
        w = base * (0.55 + 0.45 * np.sin(np.pi * min(1.0, t * 1.2))) * rng.uniform(0.9, 1.1)
        (x0, y0), (x1, y1) = path[i], path[i + 1]
        draw.line([(x0, y0), (x1, y1)], fill=colour, width=max(1, int(round(w))))
        if w >= 3:
            r = w / 2
            draw.ellipse([x1 - r, y1 - r, x1 + r, y1 + r], fill=colour)


def pick_pen(rng):
    return SETTINGS["styles"][rng.integers(len(SETTINGS["styles"]))]


def hand_fill(draw, rng, x, y, s):
    """A handwritten mark that fills the box: ticks up to 3x its size, slashes, crosses, a scribble-out."""
    pen = pick_pen(rng)
    kind = rng.choice(["tick", "tick", "tick", "big_tick", "slash", "cross", "grazing_tick", "scribble_out"])
    if kind in ("tick", "big_tick"):
        k = rng.uniform(1.0, 1.4) if kind == "tick" else rng.uniform(1.5, 3.0)
        a = (x + s * rng.uniform(0.05, 0.35), y + s * rng.uniform(0.35, 0.65))
        b = (x + s * rng.uniform(0.3, 0.55), y + s * rng.uniform(0.75, 1.1))
        c = (b[0] + s * k * rng.uniform(0.5, 0.9), b[1] - s * k * rng.uniform(0.8, 1.1))
        stroke(draw, rng, [a, b, c], pen, s)
    elif kind == "slash":
        # A single quick slash, often faint pencil: the failure the issue reports.
        pen = "pencil" if "pencil" in SETTINGS["styles"] and rng.random() < 0.6 else pen
        over = rng.uniform(0.0, 0.5)
        stroke(draw, rng, [(x + s * rng.uniform(-over, 0.3), y + s * rng.uniform(0.7, 1 + over)),
                           (x + s * rng.uniform(0.7, 1 + over), y + s * rng.uniform(-over, 0.3))], pen, s)
    elif kind == "cross":
        m = rng.uniform(-0.2, 0.2)
        stroke(draw, rng, [(x + s * m, y + s * m), (x + s * (1 - m), y + s * (1 - m))], pen, s)
        stroke(draw, rng, [(x + s * (1 - m), y + s * m), (x + s * m, y + s * (1 - m))], pen, s)
    elif kind == "grazing_tick":
        # The tick's vertex only just enters the box near a corner; most of it lies outside.
        b = (x + s * rng.uniform(0.6, 0.9), y + s * rng.uniform(0.6, 0.9))
        stroke(draw, rng, [(b[0] - s * 0.6, b[1] - s * 0.5), b, (b[0] + s * 1.2, b[1] - s * 1.6)], pen, s)
    else:  # scribble_out: a box blacked out by a zig-zag
        pts = []
        for i in range(int(rng.integers(5, 10))):
            pts.append((x + s * (0.05 if i % 2 == 0 else 0.95) + rng.normal(0, s * 0.05), y + s * (i + 0.5) / 9))
        stroke(draw, rng, pts, pen, s)


def tick_beside(draw, rng, x, y, s):
    """A tick next to the box, not in it: the box stays empty."""
    dx = -s * rng.uniform(1.3, 2.2) if rng.random() < 0.5 else s * rng.uniform(1.4, 2.5)
    a = (x + dx + s * 0.1, y + s * 0.5)
    b = (x + dx + s * 0.35, y + s * 0.9)
    stroke(draw, rng, [a, b, (b[0] + s * 0.5, y - s * 0.1)], pick_pen(rng), s)
