// Input discovery and safe output writing for the command line.
import {
  listImageFiles,
} from '../src-core/index.js';
import { stat } from 'node:fs/promises';
import path from 'node:path';

export interface InputFile {
  path: string;
  /** Set when the path could not be listed or read as a file or folder. */
  error?: string;
}

/** Expand files and folders (recursively, image extensions only) in the order given; files named
 *  explicitly are sniffed whatever their name. */
export async function expandInputs(inputs: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const input of inputs) {
    try {
      const s = await stat(input);
      if (s.isDirectory()) out.push(...(await listImageFiles(input)).map((p) => ({ path: p })));
      else out.push({ path: input });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      out.push({ path: input, error: code === 'ENOENT' ? 'no such file or folder' : (err as Error).message });
    }
  }
  return out;
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
