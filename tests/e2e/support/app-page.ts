// Page object: what a person does in the app, in the app's own words. Specs never touch selectors.
import { expect, type Locator, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BatchStatus } from '../../../src-shared/contract.js';
import type { Harness } from './harness.js';

export type Box = [number, number, number, number];
/** A box on the page as the overlay shows it. */
export interface BoxView {
  index: number;
  cls: string;
  box: Box;
  review: string;
  look: boolean;
  selected: boolean;
}

export class AppPage {
  constructor(readonly app: Harness) {}

  get page(): Page {
    return this.app.page;
  }

  private id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** Opens files and waits until the app has taken them in: listed, and one of them selected. The
   *  app opens the batch panel at that same moment, so a following toggle cannot race it. */
  async open(paths: string[]): Promise<void> {
    await this.app.openFiles(paths);
    const names = paths.map((p) => basename(p));
    for (const name of names) await expect(this.doc(name).first()).toBeVisible();
    const anyOf = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
    await expect(this.page.locator('[data-testid=doc-item].active')).toHaveAttribute('data-name', anyOf);
  }

  doc(name: string): Locator {
    return this.page.locator(`[data-testid=doc-item][data-name="${name}"]`);
  }

  async waitUntilDone(name: string): Promise<void> {
    await expect(this.doc(name).first()).toHaveAttribute('data-status', /done|error/);
  }

  async showDoc(name: string): Promise<void> {
    await this.doc(name).first().locator('button.row').click();
    await expect(this.id('page-image')).toBeVisible();
  }

  boxes(): Locator {
    return this.id('box');
  }

  async visibleBoxCount(): Promise<number> {
    return this.boxes().count();
  }

  async pageIndicator(): Promise<string> {
    return (await this.id('page-indicator').textContent()) ?? '';
  }

  async nextPage(): Promise<void> {
    const before = await this.pageIndicator();
    await this.id('next-page').click();
    await expect(this.id('page-indicator')).not.toHaveText(before);
  }

  async setConfidence(value: number): Promise<void> {
    await this.id('conf-slider').fill(String(value));
    await expect(this.id('conf-value')).toHaveText(`≥ ${value.toFixed(2)}`);
  }

  async hideClass(cls: 'empty' | 'filled'): Promise<void> {
    await this.id(`toggle-${cls}`).click();
  }

  /** Selects the n-th visible box; returns its class and box in image pixels. */
  async selectBox(n: number): Promise<{ cls: string; box: Box }> {
    const rect = this.boxes().nth(n);
    const [cls, x, y, w, h] = await rect.evaluate(
      (el) =>
        [
          el.getAttribute('data-class') ?? '',
          ...['x', 'y', 'width', 'height'].map((a) => Number(el.getAttribute(a))),
        ] as [string, number, number, number, number],
    );
    await rect.dispatchEvent('pointerdown', { button: 0, bubbles: true });
    await expect(this.id('selection')).toBeVisible();
    return { cls, box: [x, y, x + w, y + h] };
  }

  async flipSelected(): Promise<void> {
    await this.id('flip').click();
  }

  async deleteSelected(): Promise<void> {
    await this.id('delete').click();
  }

  async undo(): Promise<void> {
    await this.id('undo').click();
  }

  async redo(): Promise<void> {
    await this.id('redo').click();
  }

  // ---- labels and questions ----
  /** The Label column of the detection list, row by row as shown ("question: label", "—" for none). */
  async listLabels(): Promise<string[]> {
    return this.id('detection-label').evaluateAll((els) =>
      els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
  }

  /** Waits until the list shows these labels, row by row. */
  async expectListLabels(labels: string[]): Promise<void> {
    await expect(this.id('detection-label')).toHaveText(labels);
  }

  /** Clicks the n-th row of the detection list (Shift or Ctrl adds to the selection, as on the page). */
  async pickRow(n: number, modifiers: ('Shift' | 'Control')[] = []): Promise<void> {
    await this.detectionRows().nth(n).getByRole('button').click({ modifiers });
    await expect(this.id('label-editor')).toBeVisible();
  }

  /** What the focused box's fields say: its option label and its group's question. */
  async labelFields(): Promise<{ label: string; question: string }> {
    return {
      label: await this.id('edit-label').inputValue(),
      question: await this.id('edit-question').inputValue(),
    };
  }

  /** Types a new option label for the focused box and confirms it (Enter). */
  async editLabel(text: string): Promise<void> {
    await this.id('edit-label').fill(text);
    await this.id('edit-label').press('Enter');
  }

  /** Types a new question for the focused box's group and confirms it (Enter). */
  async editQuestion(text: string): Promise<void> {
    await this.id('edit-question').fill(text);
    await this.id('edit-question').press('Enter');
  }

  /** Moves the selected boxes into a new group. */
  async moveSelectionToNewGroup(): Promise<void> {
    await this.id('edit-group').selectOption('new');
    await this.id('regroup').click();
  }

  /** Points at the n-th box of the overlay; returns the text its tooltip gives ("question: label"). */
  async hoverBox(n: number): Promise<string> {
    await this.boxes().nth(n).hover({ force: true });
    const tip = this.id('box-tip-label');
    await expect(tip).toBeVisible();
    return (await tip.textContent())?.trim() ?? '';
  }

  /** The text the n-th box of the overlay gives a screen reader. */
  async boxName(n: number): Promise<string> {
    return (await this.boxes().nth(n).getAttribute('aria-label')) ?? '';
  }

  /** Exports through the dialog; returns the folder the files were written to. */
  async export(scope: 'page' | 'document' | 'batch', formats: string[]): Promise<string> {
    const stubbed = await this.app.prepareExport();
    // An earlier export's notice must not be read as this one's.
    const notice = this.id('notice');
    if (await notice.isVisible()) await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toBeHidden();
    await this.id('open-export').click();
    const dialog = this.id('export-dialog');
    await dialog.getByTestId(`export-scope-${scope}`).check();
    for (const f of ['png', 'jpeg', 'json', 'csv', 'answers', 'yolo']) {
      await dialog.getByTestId(`export-format-${f}`).setChecked(formats.includes(f));
    }
    await dialog.getByTestId('export-run').click();
    await expect(notice).toHaveAttribute('data-kind', 'info');
    const dir = await notice.getAttribute('data-dir');
    if (stubbed) expect(dir).toBe(stubbed);
    return dir!;
  }

  /** Zoom in percent, as the zoom control shows it. */
  async zoomPercent(): Promise<number> {
    return Number((await this.id('zoom-level').textContent())?.replace('%', ''));
  }

  async zoomIn(): Promise<void> {
    await this.id('zoom-in').click();
  }

  async fitPage(): Promise<void> {
    await this.id('zoom-fit').click();
  }

  /** Ctrl+wheel over the page (a trackpad pinch arrives the same way). */
  async pinch(deltaY: number): Promise<void> {
    const box = (await this.id('viewer').boundingBox())!;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.keyboard.down('Control');
    await this.page.mouse.wheel(0, deltaY);
    await this.page.keyboard.up('Control');
  }

  /** The page image: its source size and the size it is laid out at on screen. */
  async pageImageSize(): Promise<{ natural: [number, number]; shown: [number, number] }> {
    return this.id('page-image').evaluate((el) => {
      const img = el as HTMLImageElement;
      const r = img.getBoundingClientRect();
      return {
        natural: [img.naturalWidth, img.naturalHeight] as [number, number],
        shown: [r.width, r.height] as [number, number],
      };
    });
  }

  /** Drags a new box on the page in draw mode, between two points given as fractions of the page. */
  async drawBox(cls: 'empty' | 'filled', from: [number, number], to: [number, number]): Promise<void> {
    await this.id('tool-draw').click();
    await this.id('draw-class').selectOption(cls);
    const r = (await this.id('page-image').boundingBox())!;
    await this.page.mouse.move(r.x + r.width * from[0], r.y + r.height * from[1]);
    await this.page.mouse.down();
    await this.page.mouse.move(r.x + r.width * to[0], r.y + r.height * to[1], { steps: 4 });
    await this.page.mouse.up();
    await this.id('tool-select').click();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }

  // ---- review ----
  /** Every box on the overlay, in the overlay's (reading) order. */
  async boxViews(): Promise<BoxView[]> {
    return this.boxes().evaluateAll((els) =>
      els.map((el) => {
        const n = (a: string) => Number(el.getAttribute(a));
        const [x, y] = [n('x'), n('y')];
        return {
          index: n('data-index'),
          cls: el.getAttribute('data-class') ?? '',
          box: [x, y, x + n('width'), y + n('height')] as [number, number, number, number],
          review: el.getAttribute('data-review') ?? '',
          look: el.getAttribute('data-look') === 'true',
          selected: el.getAttribute('data-selected') === 'true',
        };
      }),
    );
  }

  async selectedBoxes(): Promise<BoxView[]> {
    return (await this.boxViews()).filter((b) => b.selected);
  }

  /** The box that has the keyboard focus, if any (its index). */
  async focusedBoxIndex(): Promise<number | null> {
    return this.page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('data-testid') === 'box' ? Number(el.getAttribute('data-index')) : null;
    });
  }

  /** Progress as the review panel shows it, and as numbers. */
  async reviewProgress(): Promise<{ text: string; reviewed: number; total: number; look: number }> {
    const el = this.id('review-progress');
    const [text, reviewed, total, look] = await el.evaluate((e) => [
      e.textContent?.trim() ?? '',
      e.getAttribute('data-reviewed'),
      e.getAttribute('data-total'),
      e.getAttribute('data-look'),
    ]);
    return { text: text!, reviewed: Number(reviewed), total: Number(total), look: Number(look) };
  }

  /** Clicks the page view's background (a corner of the canvas): keys then go to the page, not a control. */
  async focusPage(): Promise<void> {
    const r = (await this.id('viewer').boundingBox())!;
    await this.page.mouse.click(r.x + 4, r.y + 4);
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Clicks the n-th box of the overlay, with modifier keys held (sent to the box itself: boxes may overlap). */
  async clickBox(n: number, modifiers: ('Shift' | 'Control')[] = []): Promise<void> {
    await this.boxes()
      .nth(n)
      .dispatchEvent('pointerdown', {
        button: 0,
        bubbles: true,
        shiftKey: modifiers.includes('Shift'),
        ctrlKey: modifiers.includes('Control'),
      });
  }

  /** Drags a selection rectangle with the Select tool, between two points given as fractions of the page. */
  async dragSelect(from: [number, number], to: [number, number]): Promise<void> {
    await this.id('tool-select').click();
    const r = (await this.id('page-image').boundingBox())!;
    await this.page.mouse.move(r.x + r.width * from[0], r.y + r.height * from[1]);
    await this.page.mouse.down();
    await this.page.mouse.move(r.x + r.width * to[0], r.y + r.height * to[1], { steps: 5 });
    await this.page.mouse.up();
  }

  detectionRows(): Locator {
    return this.id('detection-row');
  }

  shortcutsDialog(): Locator {
    return this.id('shortcuts-dialog');
  }

  pageImage(): Locator {
    return this.id('page-image');
  }

  // ---- batch ----
  async showBatchPanel(): Promise<void> {
    if (!(await this.id('batch-panel').isVisible())) await this.id('toggle-batch').click();
  }

  batchPercent(): Locator {
    return this.id('batch-percent');
  }

  async cancelBatch(): Promise<void> {
    await this.id('batch-cancel').click();
  }

  batchRows(): Locator {
    return this.id('batch-row');
  }

  batchErrors(): Locator {
    return this.id('batch-error');
  }

  async batchStatus(): Promise<BatchStatus> {
    return this.app.call<BatchStatus>('getBatch');
  }

  async inferenceCount(): Promise<number> {
    return (await this.app.call<{ inferences: number }>('getStats')).inferences;
  }

  // ---- settings ----
  async openSettings(): Promise<Locator> {
    await this.id('open-settings').click();
    const dialog = this.id('settings-dialog');
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Picks a model file in the open settings dialog; returns the message it shows. */
  async chooseModel(dialog: Locator, path: string): Promise<Locator> {
    if (this.app.shell === 'web') {
      // Browser mode takes models from the profile's models/ folder only (no dialog to pick one).
      const models = join(this.app.profileDir, 'models');
      mkdirSync(models, { recursive: true });
      copyFileSync(path, join(models, basename(path)));
      await dialog.getByTestId('set-model').fill(join(models, basename(path)));
      await dialog.getByTestId('set-model-apply').click();
    } else {
      await this.app.stubDialog([path]);
      await dialog.getByRole('button', { name: 'Browse…' }).click();
    }
    return dialog.getByTestId('model-msg');
  }

  /** How the open settings dialog reads each box's text: the mode and the OCR language. */
  async textReading(dialog: Locator): Promise<{ mode: string; lang: string }> {
    return {
      mode: await dialog.getByTestId('set-text').inputValue(),
      lang: await dialog.getByTestId('set-ocr-lang').inputValue(),
    };
  }

  /** Chooses how text is read in the open settings dialog (the language where OCR is on). */
  async setTextReading(dialog: Locator, mode: 'off' | 'pdf' | 'auto' | 'ocr', lang?: string): Promise<void> {
    await dialog.getByTestId('set-text').selectOption(mode);
    if (lang !== undefined) await dialog.getByTestId('set-ocr-lang').fill(lang);
  }

  /** Saves the open settings dialog; returns the error it shows if it stays open. */
  async saveSettings(dialog: Locator): Promise<string | null> {
    await dialog.getByTestId('settings-save').click();
    const error = dialog.getByTestId('settings-error');
    await expect.poll(async () => (await dialog.isHidden()) || (await error.isVisible())).toBe(true);
    return (await error.isVisible()) ? ((await error.textContent()) ?? '') : null;
  }

  async chooseEngine(engine: 'local' | 'cloud'): Promise<void> {
    await this.id(`engine-${engine}`).click();
    await expect(this.id(`engine-${engine}`)).toHaveAttribute('aria-checked', 'true');
  }

  notice(): Locator {
    return this.id('notice');
  }

  runLocallyButton(): Locator {
    return this.id('run-locally');
  }

  resultEngine(): Locator {
    return this.id('result-engine');
  }
}
