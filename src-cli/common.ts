// Pieces shared by the commands: option parsing helpers, one-line error reporting, exit codes.
import { CheckboxError, DEFAULT_CONF, TILING_MODES, toCheckboxError, type TilingMode } from '../src-core/index.js';

export const EXIT_OK = 0;
/** Some input failed (the others were still processed), or the model could not be loaded. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTty: boolean;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
};

/** `error: <what>: <message>` on one line, never a stack trace. */
export function reportError(io: Io, what: string, err: unknown): void {
  const message = toCheckboxError(err).message.replace(/\s*\n\s*/g, ' ');
  io.stderr(`error: ${what}: ${message}\n`);
}

export function parseUnit(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(raw.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new UsageError(`--${name} must be a number between 0 and 1, got '${raw}'`);
  }
  return value;
}

export function parsePositiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`--${name} must be a positive integer, got '${raw}'`);
  return value;
}

/** A whole number from 0 (retries). */
export function parseCount(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(raw.trim() !== '' && Number.isInteger(value) && value >= 0 && value <= 100))
    throw new UsageError(`--${name} must be a whole number from 0 to 100, got '${raw}'`);
  return value;
}

/** A duration in seconds, fractions allowed, up to an hour. */
export function parseSeconds(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(raw.trim() !== '' && Number.isFinite(value) && value > 0 && value <= 3600))
    throw new UsageError(`--${name} must be a number of seconds above 0, at most 3600, got '${raw}'`);
  return value;
}

export function parseDpi(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value >= 36 && value <= 1200)) {
    throw new UsageError(`--dpi must be between 36 and 1200, got '${raw}'`);
  }
  return value;
}

export function isModelError(err: unknown): err is CheckboxError {
  return err instanceof CheckboxError && (err.code === 'invalid_model' || err.code === 'model_not_found');
}

export function parseTiling(raw: string | undefined): TilingMode | undefined {
  if (raw === undefined) return undefined;
  if (!(TILING_MODES as readonly string[]).includes(raw))
    throw new UsageError(`--tiling must be one of ${TILING_MODES.join(', ')}, got '${raw}'`);
  return raw as TilingMode;
}

/** The options of every command that runs the detector (`parseArgs` declarations). */
export const DETECTOR_OPTIONS = {
  conf: { type: 'string' },
  iou: { type: 'string' },
  model: { type: 'string' },
  threads: { type: 'string' },
  dpi: { type: 'string' },
  tiling: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface DetectorSettings {
  conf: number;
  iou: number | undefined;
  threads: number | undefined;
  dpi: number | undefined;
  tiling: TilingMode | undefined;
}

export function parseDetectorOptions(v: {
  conf?: string;
  iou?: string;
  threads?: string;
  dpi?: string;
  tiling?: string;
}): DetectorSettings {
  return {
    conf: parseUnit('conf', v.conf, DEFAULT_CONF),
    iou: v.iou === undefined ? undefined : parseUnit('iou', v.iou, 0.7),
    threads: parsePositiveInt('threads', v.threads),
    dpi: parseDpi(v.dpi),
    tiling: parseTiling(v.tiling),
  };
}
