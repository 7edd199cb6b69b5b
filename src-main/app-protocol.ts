// The app:// scheme's file lookup, in plain Node: a request maps to a file inside the renderer folder
// or to nothing (404). Encoded dots and slashes, other hosts and absolute paths cannot leave it.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ORIGIN } from './launch-config.js';
import { isInside } from './services/files.js';

export function rendererFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  let rel: string;
  try {
    url = new URL(requestUrl);
    rel = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN || rel.includes('\0')) return null;
  const file = join(rendererDir, rel === '/' ? 'index.html' : rel);
  return isInside(rendererDir, file) && existsSync(file) && statSync(file).isFile() ? file : null;
}
