// Zoom and pan of the page view. The page is laid out at (natural size x scale), not CSS-scaled,
// so the browser re-samples the full-resolution scan and the SVG overlay stays vector-sharp.
const MIN_SCALE = 0.05;
const MAX_SCALE = 16;

export class Viewport {
  scale = $state(1);
  x = $state(0);
  y = $state(0);
  width = $state(0);
  height = $state(0);
  imageWidth = $state(0);
  imageHeight = $state(0);
  fitted = $state(true);

  setContainer(width: number, height: number): void {
    this.width = width;
    this.height = height;
    if (this.fitted) this.fit();
  }

  setImage(width: number, height: number): void {
    this.imageWidth = width;
    this.imageHeight = height;
    this.fit();
  }

  fit(): void {
    if (!this.imageWidth || !this.width) return;
    const pad = 24;
    this.scale = Math.min(
      (this.width - pad * 2) / this.imageWidth,
      (this.height - pad * 2) / this.imageHeight,
    );
    this.x = (this.width - this.imageWidth * this.scale) / 2;
    this.y = (this.height - this.imageHeight * this.scale) / 2;
    this.fitted = true;
  }

  /** Zooms by `factor` keeping the point (cx, cy) of the container fixed. */
  zoomAt(factor: number, cx = this.width / 2, cy = this.height / 2): void {
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    const k = next / this.scale;
    this.x = cx - (cx - this.x) * k;
    this.y = cy - (cy - this.y) * k;
    this.scale = next;
    this.fitted = false;
  }

  /** Centres a box (image pixels), zoomed so that it and its neighbourhood fill the view. */
  centreOn(box: readonly [number, number, number, number]): void {
    if (!this.width || !this.imageWidth) return;
    const [x1, y1, x2, y2] = box;
    const fit = Math.min(this.width / this.imageWidth, this.height / this.imageHeight);
    // Wide enough to read the option text beside the box and its neighbours on the line.
    const want = Math.min(this.width / ((x2 - x1) * 24), this.height / ((y2 - y1) * 14));
    this.scale = Math.min(3, Math.max(fit, want));
    this.x = this.width / 2 - ((x1 + x2) / 2) * this.scale;
    this.y = this.height / 2 - ((y1 + y2) / 2) * this.scale;
    this.fitted = false;
  }

  actualSize(): void {
    this.zoomAt(1 / this.scale);
  }

  pan(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.fitted = false;
  }

  /** Container point to image pixel. */
  toImage(cx: number, cy: number): [number, number] {
    return [(cx - this.x) / this.scale, (cy - this.y) / this.scale];
  }
}
