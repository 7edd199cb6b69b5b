import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/wasm/build.js';

describe('generated WebAssembly modules', () => {
  it('embed exactly what their .wat sources compile to (run npm run wasm after editing one)', async () => {
    const files = await generatedFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const { file, text } of files) expect(await readFile(file, 'utf8')).toBe(text);
  });
});
