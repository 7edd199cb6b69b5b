// The core's public API: what the CLI and the Lambda import. The app's main process imports the few
// modules it needs directly, so that it never loads the model runtime (its detection runs in the pool's
// workers); only files.js, detector-pool.js, cloud/ and the decoder's sniffing are imported that way.
export { annotate, type AnnotateOptions } from './annotate.js';
export {
  DEFAULT_CONF,
  DEFAULT_IOU,
  DEFAULT_MAX_DET,
  Detector,
  type DetectedPage,
  type DetectFileOptions,
  type DetectOptions,
} from './detect.js';
export { detectFileDrawn } from './detect-file.js';
export { csvCell, csvRow } from '../src-shared/csv.js';
export { CheckboxError, isCheckboxError, toCheckboxError, type ErrorCode } from '../src-shared/errors.js';
export {
  DEFAULT_DPI,
  DEFAULT_MAX_PIXELS,
  decodeImage,
  decodePages,
  sniffImageType,
  type DecodedPage,
  type DecodeOptions,
  type ImageType,
} from './image.js';
export { defaultModelPath, type ModelInfo } from './model.js';
export {
  BoxSchema,
  countDetections,
  CountsSchema,
  DetectionResultSchema,
  DetectionSchema,
  ErrorBodySchema,
  GroupSchema,
  ModelSummarySchema,
  SCHEMA_VERSION,
  SCHEMA_VERSIONS,
  TextInfoSchema,
  type Box,
  type Counts,
  type Detection,
  type DetectionResult,
  type ErrorBody,
  type Group,
  type ModelSummary,
  type TextInfo,
} from '../src-shared/result.js';
export { TILING_MODES, type TilingMode } from './tiling.js';
export { DEFAULT_OCR_LANG, ocrLanguage } from './text/ocr-language.js';
export { checkTextMode, TEXT_MODES, wantsTextLayer, type TextMode } from './text/read-text.js';
export {
  CLOUD_MODES,
  CloudClient,
  cloudInFlight,
  DEFAULT_IN_FLIGHT,
  InFlightLimit,
  splitPages,
  type CloudAuth,
  type CloudMode,
  type CloudOptions,
  type FilePages,
  type RetryNotice,
} from './cloud/client.js';
export type { DetectParams } from './cloud/transport.js';
export { DetectorPool } from './detector-pool.js';
export { listImageFiles, writeFileAtomic, writeFileAtomicSync } from './files.js';
export { iou } from './nms.js';
export type { DetectedFile, PageDrawing } from './worker-protocol.js';
