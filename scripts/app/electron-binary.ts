// Where the Electron binary is, or null when this machine has none (ELECTRON_SKIP_BINARY_DOWNLOAD).
// Reads electron's own path.txt instead of require('electron'), which tries to download and throws.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function electronBinary(): string | null {
  const pkg = fileURLToPath(new URL('../../node_modules/electron', import.meta.url));
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}
