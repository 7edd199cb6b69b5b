// Load an Ultralytics detection export: read its metadata (names, imgsz, stride, task, end2end, args) and check
// that its input and output are what a YOLO detector produces, so a wrong model fails early and clearly.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { CheckboxError } from '../src-shared/errors.js';
import { readOnnxHeader } from './onnx-metadata.js';
import { isPyDict, parsePyLiteral, type PyDict, type PyValue } from './pyliteral.js';

export const MODEL_FILE = 'checkbox-detector.onnx';

export interface ModelInfo {
  /** File name without extension. */
  name: string;
  /** Metadata `model_version` if the exporter set one, else `sha256:<first 12 hex>` of the file. */
  version: string;
  /** Model input [height, width] in pixels: the largest input, when rectInput. */
  imgsz: [number, number];
  stride: number;
  /** The input's height and width are free (an export with dynamic=True): pages are letterboxed to the
   *  smallest multiple of the stride that holds them, as Ultralytics does, instead of the full square. */
  rectInput: boolean;
  classes: string[];
  /** True when the model's output is already NMS-ed: [1, N, 6]. */
  end2end: boolean;
  task: string;
  path: string;
  /** Every metadata entry as written by the exporter (Python-literal strings). */
  metadata: Record<string, string>;
  /** Export arguments, parsed. */
  args: PyDict;
}

export interface LoadedModel {
  session: ort.InferenceSession;
  info: ModelInfo;
  inputName: string;
  outputName: string;
}

/** CHECKBOX_MODEL, else models/checkbox-detector.onnx in Electron's resources or the nearest folder above. */
export function defaultModelPath(): string {
  const fromEnv = process.env.CHECKBOX_MODEL;
  if (fromEnv) return path.resolve(fromEnv);
  const candidates: string[] = [];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(path.join(resources, 'models', MODEL_FILE));
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    candidates.push(path.join(dir, 'models', MODEL_FILE));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // The module's own repo comes first among the folders; report it when nothing exists.
  const repoGuess = candidates[resources ? 2 : 1]!;
  return candidates.find((c) => fs.existsSync(c)) ?? repoGuess;
}

function invalid(file: string, why: string, cause?: unknown): CheckboxError {
  return new CheckboxError(
    'invalid_model',
    `${path.basename(file)} is not a usable detection model: ${why}`,
    {
      cause,
    },
  );
}

function parseMeta(file: string, metadata: Record<string, string>, key: string): PyValue | undefined {
  const text = metadata[key];
  if (text === undefined) return undefined;
  try {
    return parsePyLiteral(text);
  } catch (err) {
    throw invalid(file, `metadata '${key}' is not a Python literal (${(err as Error).message})`, err);
  }
}

/** Class names from `names` = "{0: 'empty', 1: 'filled'}" (or a list), in index order. */
function parseNames(file: string, value: PyValue | undefined): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (!isPyDict(value)) throw invalid(file, "metadata has no class 'names' (not an Ultralytics export?)");
  const entries = Object.entries(value).map(([k, v]) => [Number(k), v] as const);
  entries.sort((a, b) => a[0] - b[0]);
  if (entries.length === 0 || entries.some(([k, v], i) => k !== i || typeof v !== 'string')) {
    throw invalid(file, "metadata 'names' must map 0..n-1 to strings");
  }
  return entries.map(([, v]) => v as string);
}

function parseImgsz(value: PyValue | undefined): [number, number] | undefined {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [value[0] as number, value[1] as number];
  }
  return undefined;
}

function dim(d: number | string | undefined): number | undefined {
  return typeof d === 'number' && d > 0 ? d : undefined;
}

function tensorMeta(meta: ort.InferenceSession.ValueMetadata | undefined) {
  return meta && meta.isTensor ? meta : undefined;
}

/** The input's fixed size in pixels (undefined where free). */
function inputShape(
  file: string,
  input: ort.InferenceSession.TensorValueMetadata,
): { height?: number; width?: number } {
  const shape = input.shape;
  if ((dim(shape[0]) ?? 1) !== 1) throw invalid(file, `expected a batch of 1, found [${shape.join(', ')}]`);
  if (input.type !== 'float32' || dim(shape[1]) !== 3)
    throw invalid(
      file,
      `expected a float32 image input [1, 3, H, W], found ${input.type} [${shape.join(', ')}]`,
    );
  return { height: dim(shape[2]), width: dim(shape[3]) };
}

export interface LoadModelOptions {
  /** Intra-op threads for onnxruntime; default: onnxruntime's choice (all cores). */
  threads?: number;
}

export async function loadModel(file: string, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new CheckboxError('model_not_found', `model file not found: ${file}`, { cause: err });
    }
    throw invalid(file, `cannot read it (${(err as Error).message})`, err);
  }
  if (bytes.length === 0) throw invalid(file, 'the file is empty');

  let metadata: Record<string, string>;
  try {
    metadata = readOnnxHeader(bytes).metadata;
  } catch (err) {
    throw invalid(file, 'not an ONNX file', err);
  }

  const task = metadata.task ?? 'detect';
  if (task !== 'detect') throw invalid(file, `it is a '${task}' model; a 'detect' model is needed`);
  const classes = parseNames(file, parseMeta(file, metadata, 'names'));
  const argsValue = parseMeta(file, metadata, 'args');
  const args: PyDict = isPyDict(argsValue) ? argsValue : (Object.create(null) as PyDict);
  // Decide end-to-end output from what the exporter declared, never from the output shape.
  const end2end = parseMeta(file, metadata, 'end2end') === true || args.nms === true;
  const strideValue = parseMeta(file, metadata, 'stride');
  const stride = typeof strideValue === 'number' ? strideValue : 32;

  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: opts.threads ?? 0,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw invalid(file, `onnxruntime cannot load it (${(err as Error).message.split('\n')[0]})`, err);
  }

  try {
    const input = tensorMeta(session.inputMetadata[0]);
    if (session.inputMetadata.length !== 1 || !input || input.shape.length !== 4) {
      throw invalid(file, 'expected one image input [1, 3, H, W]');
    }
    const { height, width } = inputShape(file, input);
    const metaImgsz = parseImgsz(parseMeta(file, metadata, 'imgsz'));
    const imgsz: [number, number] | undefined = height && width ? [height, width] : metaImgsz;
    if (!imgsz) throw invalid(file, 'input size unknown: no fixed input shape and no imgsz metadata');

    const output = tensorMeta(session.outputMetadata[0]);
    if (!output || output.type !== 'float32' || output.shape.length !== 3) {
      throw invalid(file, 'expected a float32 output of rank 3');
    }
    const shape = output.shape;
    if (end2end) {
      if (dim(shape[2]) !== 6)
        throw invalid(file, `end-to-end output must be [1, N, 6], found [${shape.join(', ')}]`);
    } else if (dim(shape[1]) !== 4 + classes.length) {
      throw invalid(
        file,
        `output must be [1, ${4 + classes.length}, N] for ${classes.length} classes, found [${shape.join(', ')}]`,
      );
    }

    const version =
      metadata.model_version ?? `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
    return {
      session,
      inputName: input.name,
      outputName: output.name,
      info: {
        name: path.basename(file).replace(/\.onnx$/i, ''),
        version,
        imgsz,
        stride,
        rectInput: !(height && width),
        classes,
        end2end,
        task,
        path: path.resolve(file),
        metadata,
        args,
      },
    };
  } catch (err) {
    await session.release();
    throw err;
  }
}
