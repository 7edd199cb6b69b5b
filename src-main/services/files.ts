// Browser-mode uploads (stored in the profile so that
// the same path-based services serve both shells).
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../../src-core/files.js';
import { CheckboxError } from '../../src-shared/errors.js';

export function isInside(root: string, path: string): boolean {
  const r = resolve(root) + sep;
  return resolve(path).startsWith(r);
}

export class UploadStore {
  constructor(private readonly root: string) {}

  async save(name: string, data: Uint8Array): Promise<{ uploadId: string; path: string }> {
    const uploadId = randomUUID();
    // The page's name is only a hint: no separators, and never `.` or `..` (they name a folder).
    const safeName =
      basename(name)
        .replace(/[^\w.\- ()]/g, '_')
        .replace(/^\.+$/, '')
        .slice(-200) || 'upload';
    const path = join(this.root, uploadId, safeName);
    await writeFileAtomic(path, data);
    return { uploadId, path };
  }

  async resolve(uploadId: string): Promise<string> {
    const dir = join(this.root, uploadId);
    const files = await readdir(dir).catch(() => []);
    const name = files.find((f) => !f.endsWith('.tmp'));
    if (!name) throw new CheckboxError('invalid_argument', 'That upload does not exist.');
    return join(dir, name);
  }

  owns(path: string): boolean {
    return isInside(this.root, path);
  }
}
