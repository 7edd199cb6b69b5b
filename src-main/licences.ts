// Where the licence files are and what Help > About says about them (plain Node). Installers carry
// them in resources/licenses (electron-builder.yml extraResources); a development run reads build/.
import { join } from 'node:path';

export const LICENCE_FILES = {
  app: 'LICENSE.txt',
  notice: 'NOTICE.txt',
  model: 'AGPL-3.0.txt',
  /** Generated from package-lock.json by scripts/pack/third-party-notices.ts. */
  thirdParty: 'THIRD-PARTY-NOTICES.txt',
} as const;

export const ABOUT_DETAIL =
  'Checkbox Detector is MIT-licensed. The bundled model weights (models/checkbox-detector.onnx) are ' +
  'licensed under the GNU AGPL-3.0, as Ultralytics YOLO models are. The app includes open-source ' +
  'packages under their own licences, listed in the third-party notices.';

/** resources/licenses when packaged, else the generated folder of the source tree. */
export function licencesDir(resourcesPath: string | null, appPath: string): string {
  return resourcesPath ? join(resourcesPath, 'licenses') : join(appPath, 'dist', 'licenses');
}
