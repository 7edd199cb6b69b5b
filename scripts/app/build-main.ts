// Bundles the Electron main process, its pool worker and the sandboxed preload with esbuild.
// Dependencies stay external (native modules, electron); `--watch` rebuilds on change (npm run dev).
import { build, context, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const watch = process.argv.includes('--watch');

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: 'info',
};

const targets: BuildOptions[] = [
  // main.js and pool-worker.js sit side by side: the pool's worker client finds it next to itself.
  {
    ...common,
    entryPoints: { main: 'src-main/main.ts', 'pool-worker': 'src-core/pool-worker.ts' },
    outdir: 'dist/main',
    format: 'esm',
    outExtension: { '.js': '.js' },
  },
  // Sandboxed preloads must be CommonJS with only `electron` left to require.
  {
    ...common,
    entryPoints: { preload: 'src-main/preload.ts' },
    outdir: 'dist/main',
    format: 'cjs',
    packages: undefined,
    external: ['electron'],
    minify: true,
    outExtension: { '.js': '.cjs' },
  },
];

if (watch) {
  for (const t of targets) await (await context(t)).watch();
} else {
  await Promise.all(targets.map((t) => build(t)));
}
