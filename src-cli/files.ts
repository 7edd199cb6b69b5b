// Input discovery and safe output writing for the command line.
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Extensions picked up when walking a folder; files named explicitly are sniffed whatever their name. */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.bmp', '.pdf']);

export interface InputFile {
  path: string;
  /** Set when the path could not be listed or read as a file or folder. */
  error?: string;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile() && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

/** Expand files and folders (recursively, image extensions only) in the order given. */
export async function expandInputs(inputs: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const input of inputs) {
    try {
      const s = await stat(input);
      if (s.isDirectory()) out.push(...(await walk(input)).map((p) => ({ path: p })));
      else out.push({ path: input });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      out.push({ path: input, error: code === 'ENOENT' ? 'no such file or folder' : (err as Error).message });
    }
  }
  return out;
}

/** Write through a temporary file in the same folder and rename, so readers never see half a file. */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Output names that stay unique within one run: `scan.png`, `scan-2.png`, ... */
export class UniqueNames {
  private readonly used = new Set<string>();
  take(name: string): string {
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    let candidate = name;
    for (let i = 2; this.used.has(candidate.toLowerCase()); i++) candidate = `${stem}-${i}${ext}`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}
