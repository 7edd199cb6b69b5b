// Files on disk for every front door: never leave a half-written file, and list a folder's images
// in the one order the CLI and the app both show.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hasImageExtension } from '../src-shared/formats.js';

/** A hidden sibling, so a folder listing never picks up a file still being written. */
function tempName(path: string): string {
  return join(dirname(path), `.${path.slice(dirname(path).length + 1)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes a sibling temp file, then renames it over the target. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempName(path);
  try {
    await writeFile(tmp, data, mode === undefined ? undefined : { mode });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export function writeFileAtomicSync(path: string, data: Uint8Array | string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempName(path);
  try {
    writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Image files under a folder, sub-folders too, hidden files skipped, in natural order
 *  ("page2" before "page10"). */
export async function listImageFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && hasImageExtension(e.name) && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}
