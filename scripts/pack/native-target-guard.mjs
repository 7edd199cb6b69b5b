// electron-builder beforePack hook. The native binaries packed into the app come from this machine's
// npm install (sharp's @img/*, @napi-rs/canvas-*, and the onnxruntime-node folder picked by
// ${platform}/${arch} in electron-builder.yml), so an installer for another OS or CPU would carry
// binaries that cannot load there. Refuse it instead of shipping a broken app.
import { createRequire } from 'node:module';

// builder-util is CommonJS; require it as such whatever loader runs this hook (node, tsx).
const { Arch } = createRequire(import.meta.url)('builder-util');

/** @param {{ electronPlatformName: string, arch: number }} context */
export function beforePack({ electronPlatformName, arch }) {
  const platform = electronPlatformName === 'mas' ? 'darwin' : electronPlatformName;
  const archName = Arch[arch];
  if (platform !== process.platform || archName !== process.arch) {
    throw new Error(
      `Cannot pack for ${platform}-${archName} on ${process.platform}-${process.arch}: the app's native modules ` +
        `are this machine's. Build each installer on its own OS and CPU (docs/installers.md).`,
    );
  }
}
