// `npm run dev`: Vite with hot reload for the renderer, and the main process rebuilt on change.
// With an Electron binary it runs the desktop app (restarted when main changes); without one it
// runs browser mode, Vite proxying the API routes to the web server.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { electronBinary } from './electron-binary.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = fileURLToPath(new URL('../../src-renderer/vite.config.ts', import.meta.url));
const electron = electronBinary();
const apiPort = 5181;

const children: ChildProcess[] = [];
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  children.push(child);
  return child;
};
process.on('SIGINT', () => {
  for (const c of children) c.kill();
  process.exit(0);
});

const proxy = Object.fromEntries(
  ['/ipc', '/upload', '/download', '/events'].map((p) => [
    p,
    { target: `http://127.0.0.1:${apiPort}`, changeOrigin: true },
  ]),
);
const vite = await createServer({ configFile: config, server: electron ? {} : { proxy } });
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';

if (electron) {
  run('npx', ['tsx', 'scripts/app/build-main.ts']).on('exit', () => {
    run('npx', ['tsx', 'scripts/app/build-main.ts', '--watch']);
    let app: ChildProcess | null = null;
    const launch = () => {
      app?.kill();
      app = run(electron, ['.'], { ELECTRON_RENDERER_URL: url });
    };
    launch();
  });
} else {
  console.log('Electron binary not available on this machine: running browser mode with hot reload.');
  // One token for the server and the page Vite serves: open the URL printed below.
  const token = randomBytes(24).toString('base64url');
  run(
    'npx',
    [
      'tsx',
      'watch',
      'src-main/web-server.ts',
      '--port',
      String(apiPort),
      '--dev-origin',
      new URL(url).origin,
    ],
    { CHECKBOX_WEB_TOKEN: token },
  );
  console.log(`Open ${new URL(`?token=${token}`, url).href}`);
}
