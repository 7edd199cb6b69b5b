// Accessibility: axe (WCAG 2.2 AA) finds nothing critical or serious on any view in either theme,
// a polite live region tells a screen reader what detection found, and menus and dialogs give
// keyboard focus back.
import { join } from 'node:path';
import { seriousViolations } from './support/axe.js';
import { expect, test } from './support/fixtures.js';
import { ROOT, coreDetect } from './support/processes.js';

const PNG = join(ROOT, 'tests', 'fixtures', 'page.png');
const PDF = join(ROOT, 'tests', 'fixtures', 'form-3p.pdf');

test('axe: no critical or serious violations on main, Settings, Export and Batch, light and dark', async ({ app, ui }) => {
  const { page } = app;
  await ui.open([PNG, PDF]);
  await ui.waitUntilDone('page.png');
  await ui.waitUntilDone('form-3p.pdf');
  await ui.showDoc('page.png');
  // The main view in its busiest state: a corrected box selected, one class hidden, the draw tool on.
  await ui.selectBox(0);
  await ui.flipSelected();
  await ui.hideClass('empty');
  await page.getByTestId('tool-draw').click();

  for (const theme of ['light', 'dark'] as const) {
    // The default theme is "system": it follows prefers-color-scheme.
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);

    if (await page.getByTestId('batch-panel').isVisible()) await page.getByTestId('toggle-batch').click();
    await expect(page.getByTestId('batch-panel')).toBeHidden();
    expect.soft(await seriousViolations(page), `main view, ${theme}`).toEqual([]);

    await ui.openSettings();
    expect.soft(await seriousViolations(page), `Settings, ${theme}`).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings-dialog')).toBeHidden();

    await page.getByTestId('open-export').click();
    await expect(page.getByTestId('export-dialog')).toBeVisible();
    expect.soft(await seriousViolations(page), `Export, ${theme}`).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('export-dialog')).toBeHidden();

    await ui.showBatchPanel();
    await expect(ui.batchRows()).toHaveCount(2);
    expect.soft(await seriousViolations(page), `Batch, ${theme}`).toEqual([]);
  }
});

test('the live region announces progress, then the page’s counts as the core finds them', async ({ app, ui }) => {
  const { page } = app;
  const [core] = await coreDetect(PNG);
  const announcer = page.getByTestId('announcer');
  await expect(announcer).toHaveRole('status');
  // Everything the region says, in order: speech is a sequence, not a final state.
  await announcer.evaluate((el) => {
    const said: string[] = ((window as unknown as { said: string[] }).said = []);
    new MutationObserver(() => said.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });

  await ui.open([PNG]);
  await ui.waitUntilDone('page.png');
  const { total, empty, filled } = core!.counts;
  await expect(announcer).toHaveText(`page.png: ${total} boxes: ${empty} empty, ${filled} filled`);
  const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
  expect(said[0]).toBe('Detecting page.png, file 1 of 1');

  // A filter change is announced once it settles.
  await ui.setConfidence(0.9);
  const confident = core!.detections.filter((d) => d.confidence >= 0.9);
  await expect(announcer).toHaveText(new RegExp(`^page\\.png: ${confident.length} box`));
});

test('keyboard: the Recent menu closes on Escape and dialogs give focus back to their opener', async ({ app, ui }) => {
  const { page } = app;
  await ui.open([PNG]);
  await ui.waitUntilDone('page.png');

  const recent = page.getByTestId('recent');
  await recent.focus();
  await page.keyboard.press('Enter');
  await expect(recent).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('menuitem', { name: 'page.png' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('recent-menu')).toBeHidden();
  await expect(recent).toBeFocused();

  // Closed by a button (the dialog is removed) and by Escape (the dialog closes itself).
  const settings = page.getByTestId('open-settings');
  await settings.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('settings-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAccessibleName('Settings');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(settings).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(settings).toBeFocused();
});

/** WCAG contrast ratio of two colours as `rgb(r, g, b)`. */
function contrast(a: string, b: string): number {
  const lum = (rgb: string) => {
    const [r, g, b] = rgb.match(/\d+/g)!.map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

test('outlines and focus rings reach 3:1 against a white page and the panels, in both themes', async ({ app }) => {
  const { page } = app;
  const WHITE = 'rgb(255, 255, 255)';
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    // The theme's variables as the browser resolves them (rgb), through a probe element.
    const v = await page.evaluate(() => {
      const probe = document.body.appendChild(document.createElement('i'));
      const get = (n: string) => ((probe.style.color = `var(--${n})`), getComputedStyle(probe).color);
      const out = { empty: get('empty'), filled: get('filled'), focus: get('focus'), panel: get('panel'), bg: get('bg'), canvas: get('canvas') };
      probe.remove();
      return out;
    });
    // Scans are white paper: boxes and the focus ring are drawn on them (WCAG 1.4.11, 2.4.13).
    for (const [name, colour] of [['empty', v.empty], ['filled', v.filled], ['focus', v.focus]] as const) {
      expect(contrast(colour, WHITE), `${name} ${colour} on the page, ${theme}`).toBeGreaterThanOrEqual(3);
    }
    for (const [name, bg] of [['panel', v.panel], ['bg', v.bg], ['canvas', v.canvas]] as const) {
      expect(contrast(v.focus, bg), `focus ${v.focus} on ${name} ${bg}, ${theme}`).toBeGreaterThanOrEqual(3);
    }
  }
});
