"""Scan and photo degradations; geometric ones move the labels with the pixels."""
import io

import cv2
import numpy as np
from PIL import Image


def _warp_labels(labels, matrix, w, h):
    out = []
    for cls, x1, y1, x2, y2 in labels:
        pts = np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], dtype=np.float32).reshape(-1, 1, 2)
        if matrix.shape == (3, 3):
            q = cv2.perspectiveTransform(pts, matrix).reshape(-1, 2)
        else:
            q = cv2.transform(pts, matrix).reshape(-1, 2)
        nx1, ny1 = q.min(0)
        nx2, ny2 = q.max(0)
        # Rotating a box inflates its axis-aligned hull; average with the true size to stay tight.
        affine = matrix.shape != (3, 3)
        cx, cy = (nx1 + nx2) / 2, (ny1 + ny2) / 2
        bw = ((nx2 - nx1) + (x2 - x1)) / 2 if affine else nx2 - nx1
        bh = ((ny2 - ny1) + (y2 - y1)) / 2 if affine else ny2 - ny1
        x1n, y1n, x2n, y2n = cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2
        if x2n <= 0 or y2n <= 0 or x1n >= w or y1n >= h:
            continue
        out.append((cls, max(0, x1n), max(0, y1n), min(w, x2n), min(h, y2n)))
    return out


def rotate(arr, labels, rng, max_deg):
    h, w = arr.shape[:2]
    angle = rng.uniform(-max_deg, max_deg)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    arr = cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return arr, _warp_labels(labels, m, w, h)


def perspective(arr, labels, rng):
    h, w = arr.shape[:2]
    d = 0.04
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + np.float32(rng.uniform(-d, d, (4, 2)) * [w, h])
    m = cv2.getPerspectiveTransform(src, dst)
    bg = int(rng.integers(60, 200))
    arr = cv2.warpPerspective(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(bg, bg, bg))
    return arr, _warp_labels(labels, m, w, h)


def uneven_light(arr, rng):
    h, w = arr.shape[:2]
    gx = np.linspace(rng.uniform(0.65, 1.0), rng.uniform(0.85, 1.05), w)[None, :]
    gy = np.linspace(rng.uniform(0.75, 1.0), rng.uniform(0.85, 1.05), h)[:, None]
    return np.clip(arr * (gx * gy)[..., None], 0, 255).astype(np.uint8)


def bleed_through(arr, rng):
    ghost = cv2.flip(arr, 1)
    a = rng.uniform(0.05, 0.15)
    return np.clip(arr * (1 - a) + (255 - (255 - ghost) * 0.5) * a, 0, 255).astype(np.uint8)


def binarise(arr, rng):
    g = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)
    t = rng.uniform(120, 190)
    b = np.where(g < t, 0, 255).astype(np.uint8)
    return cv2.cvtColor(b, cv2.COLOR_GRAY2RGB)


def jpeg(arr, rng):
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=int(rng.integers(25, 90)))
    return np.array(Image.open(buf).convert("RGB"))


def degrade(img, labels, rng):
    """Applies a random subset of degradations, each with its own probability."""
    arr = np.array(img)
    if rng.random() < 0.3:
        arr, labels = rotate(arr, labels, rng, 2.5)
    if rng.random() < 0.08:
        arr, labels = perspective(arr, labels, rng)
    if rng.random() < 0.2:
        arr = uneven_light(arr, rng)
    if rng.random() < 0.08:
        arr = bleed_through(arr, rng)
    if rng.random() < 0.25:
        k = rng.uniform(0.4, 1.1)
        arr = cv2.GaussianBlur(arr, (0, 0), k)
    if rng.random() < 0.2:
        h, w = arr.shape[:2]
        f = rng.uniform(0.5, 0.85)
        small = cv2.resize(arr, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
        arr = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.08:
        arr = binarise(arr, rng)
    if rng.random() < 0.25:
        noise = rng.normal(0, rng.uniform(3, 12), arr.shape)
        arr = np.clip(arr + noise, 0, 255).astype(np.uint8)
    if rng.random() < 0.15:
        arr = cv2.cvtColor(cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    if rng.random() < 0.5:
        arr = jpeg(arr, rng)
    return arr, labels
