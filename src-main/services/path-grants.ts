// Which folders and files the page may name: the renderer (or, in browser mode, any local process that
// got in) must not turn an export into a write anywhere, nor a model choice into a probe of any file.
// Allowed: what lies under the profile's own folders, and what the user picked in a native dialog.
import { resolve } from 'node:path';
import { CheckboxError } from '../../src-shared/errors.js';
import { isInside } from './files.js';

export class PathGrants {
  private readonly folders = new Set<string>();
  private readonly files = new Set<string>();

  /** `roots`: folders always allowed, with everything under them. */
  constructor(
    private readonly roots: readonly string[],
    private readonly what: string,
  ) {}

  grantFolder(dir: string): void {
    this.folders.add(resolve(dir));
  }

  grantFile(path: string): void {
    this.files.add(resolve(path));
  }

  allows(path: string): boolean {
    const p = resolve(path);
    return (
      this.files.has(p) ||
      this.folders.has(p) ||
      [...this.roots, ...this.folders].some((root) => isInside(root, p))
    );
  }

  /** Throws unless `path` is allowed. */
  check(path: string): string {
    if (!this.allows(path)) {
      throw new CheckboxError(
        'invalid_argument',
        `${this.what} must be picked in the app or lie under ${this.roots.join(' or ')}.`,
      );
    }
    return path;
  }
}
