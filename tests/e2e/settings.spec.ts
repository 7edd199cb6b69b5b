// Settings survive a restart (same profile), and the API key is kept out of the settings file.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.js';
import { ROOT } from './support/processes.js';

test('settings survive a restart; the secret never lands in plain settings', async ({ app, ui }) => {
  let dialog = await ui.openSettings();
  // A wrong model file is refused with a clear message and the bundled model stays in use.
  const msg = await ui.chooseModel(dialog, join(ROOT, 'tests', 'fixtures', 'page.png'));
  await expect(msg).toContainText('not a usable detection model');
  await expect(msg).toHaveClass(/bad/);
  await dialog.getByTestId('set-conf').fill('0.35');
  await dialog.getByTestId('set-dpi').fill('150');
  await dialog.getByTestId('set-endpoint').fill('https://abc123.lambda-url.eu-west-1.on.aws/');
  await dialog.getByTestId('set-mode').selectOption('api-gateway');
  await dialog.getByTestId('set-auth').selectOption('api-key');
  await dialog.getByTestId('set-reserved').fill('4');
  await dialog.getByPlaceholder('Not set').fill('sk-e2e-secret-9876');
  await dialog.getByTestId('set-theme-dark').check();
  // Labels: the PDF text layer by default; OCR in a language without data is refused when saved.
  expect(await ui.textReading(dialog)).toEqual({ mode: 'pdf', lang: 'eng' });
  await ui.setTextReading(dialog, 'auto', 'xyz');
  expect(await ui.saveSettings(dialog)).toMatch(/no OCR data for xyz/);
  await ui.setTextReading(dialog, 'auto', 'eng');
  expect(await ui.saveSettings(dialog)).toBeNull();
  await expect(dialog).toBeHidden();
  await ui.chooseEngine('cloud');
  await expect(app.page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await app.restart();

  await expect(app.page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(app.page.getByTestId('engine-cloud')).toHaveAttribute('aria-checked', 'true');
  dialog = await ui.openSettings();
  await expect(dialog.getByTestId('set-conf')).toHaveValue('0.35');
  await expect(dialog.getByTestId('set-dpi')).toHaveValue('150');
  await expect(dialog.getByTestId('set-endpoint')).toHaveValue('https://abc123.lambda-url.eu-west-1.on.aws/');
  await expect(dialog.getByTestId('set-mode')).toHaveValue('api-gateway');
  await expect(dialog.getByTestId('set-auth')).toHaveValue('api-key');
  await expect(dialog.getByTestId('set-reserved')).toHaveValue('4');
  await expect(dialog.getByPlaceholder('•••••••• (stored securely)')).toBeVisible();
  await expect(dialog.getByTestId('set-theme-dark')).toBeChecked();
  expect(await ui.textReading(dialog)).toEqual({ mode: 'auto', lang: 'eng' });
  await expect(dialog.getByTestId('set-model')).toHaveValue('');

  for (const f of readdirSync(app.profileDir).filter((n) => n.endsWith('.json'))) {
    expect(readFileSync(join(app.profileDir, f), 'utf8')).not.toContain('sk-e2e-secret-9876');
  }
  const saved = (): { cloud: Record<string, unknown> } =>
    JSON.parse(readFileSync(join(app.profileDir, 'settings.json'), 'utf8'));
  expect(saved().cloud).toMatchObject({ mode: 'api-gateway', reservedConcurrency: 4 });
  // Emptied: no cap from the deployment any more.
  await dialog.getByTestId('set-reserved').fill('');
  expect(await ui.saveSettings(dialog)).toBeNull();
  expect(saved().cloud).not.toHaveProperty('reservedConcurrency');
});
