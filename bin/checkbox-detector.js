#!/usr/bin/env node
// In a checkout, run the TypeScript sources through tsx (so a stale build can never answer);
// where only the build is present (dist/, e.g. an installed package), run that.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src-cli/main.ts', import.meta.url);
let entry = new URL('../dist/src-cli/main.js', import.meta.url).href;
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = source.href;
}
const { runCli } = await import(entry);
await runCli();
