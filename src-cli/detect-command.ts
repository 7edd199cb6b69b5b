// `checkbox-detector detect <files or folders...>`: every page of every file, results on stdout, one line per
// failed file on stderr, and the rest of the batch still processed.
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AnnotateOptions,
  CLOUD_MODES,
  type CloudAuth,
  cloudInFlight,
  type CloudMode,
  type CloudOptions,
  DEFAULT_CONF,
  DEFAULT_IN_FLIGHT,
  type RetryNotice,
  writeFileAtomic,
} from '../src-core/index.js';
import {
  EXIT_FAILED,
  EXIT_OK,
  parseCount,
  DETECTOR_OPTIONS,
  parseDetectorOptions,
  parsePositiveInt,
  parseSeconds,
  reportError,
  UsageError,
  type Io,
} from './common.js';
import { cloudEngine, localEngine, type Engine, type PageOutcome } from './engines.js';
import { expandInputs, UniqueNames, type InputFile } from './files.js';
import { OUTPUT_FORMATS, ResultWriter, type OutputFormat } from './output.js';
import { parseTextOptions } from './text-options.js';

export const DETECT_USAGE = `Usage: checkbox-detector detect [options] <files or folders...>

Find every checkbox and tell empty from filled. Folders are searched recursively for
PNG, JPEG, TIFF, WebP, BMP and PDF files.

Options:
  --conf <0..1>          confidence threshold (default ${DEFAULT_CONF})
  --iou <0..1>           NMS IoU threshold (default 0.7)
  --model <file.onnx>    model to use (default: the bundled model, or $CHECKBOX_MODEL)
  --format <fmt>         json (an array), jsonl (one page per line), csv (one box per row) or answers
                         (CSV: source, page, question, option, state, confidence); default json
  --text <mode>          read each box's label and question: off (default; answers: auto), auto (the
                         PDF text layer where a page has one, else OCR), pdf (text layer only) or ocr
  --lang <codes>         OCR language(s), e.g. eng (default) or eng+deu (docs/labels.md)
  --annotate <dir>       write each page with its boxes drawn into <dir>
  --annotate-format <f>  png (default) or jpeg
  --labels               put class and confidence labels on annotated images
  --threads <n>          inference threads (default: all cores; 1 per file with --jobs)
  --jobs <n>             files detected at once, each on its own worker (default: one per core
                         when several files are given; 1 = one file at a time on every core);
                         with --cloud: requests in flight, pages of one file included (default ${DEFAULT_IN_FLIGHT},
                         at most the --reserved-concurrency)
  --dpi <n>              PDF render resolution (default 200)
  --tiling <mode>        also detect on overlapping tiles of big pages: auto (default: pages whose long
                         side is over twice the model input), on (every page) or off
  --cloud <url|name>     detect on a deployed Lambda instead of locally: a Function URL, an API Gateway
                         stage URL, or (with --cloud-mode invoke) a function name
  --cloud-mode <mode>    function-url, api-gateway or invoke (default: from the URL)
  --auth <NONE|AWS_IAM>  AWS_IAM signs requests (Function URL or API Gateway) with the AWS credential chain
  --api-key <key>        API Gateway key (default: $CHECKBOX_API_KEY)
  --region <region>      AWS region (default: from the URL or $AWS_REGION)
  --profile <name>       AWS profile for AWS_IAM and invoke (default: the standard chain)
  --timeout <seconds>    cloud: time allowed for each attempt (default 30)
  --retries <n>          cloud: retries of a page after throttling, 5xx, network errors or a
                         time-out, each reported on stderr (default 3)
  --reserved-concurrency <n>
                         cloud: the deployed function's reserved concurrency (npm run deploy prints it;
                         default $CHECKBOX_RESERVED_CONCURRENCY): the default requests in flight stay under it
  -h, --help             show this help
`;

function cloudOptions(
  target: string,
  v: {
    'cloud-mode'?: string;
    auth?: string;
    'api-key'?: string;
    region?: string;
    profile?: string;
    timeout?: string;
    retries?: string;
  },
): CloudOptions {
  const mode = v['cloud-mode'] as CloudMode | undefined;
  if (mode !== undefined && !CLOUD_MODES.includes(mode))
    throw new UsageError(`--cloud-mode must be one of ${CLOUD_MODES.join(', ')}`);
  const auth = v.auth?.toUpperCase();
  if (auth !== undefined && auth !== 'NONE' && auth !== 'AWS_IAM')
    throw new UsageError('--auth must be NONE or AWS_IAM');
  const apiKey = v['api-key'] ?? process.env.CHECKBOX_API_KEY;
  const timeout = parseSeconds('timeout', v.timeout);
  const retries = parseCount('retries', v.retries);
  return {
    ...(mode === 'invoke' ? { functionName: target } : { url: target }),
    ...(mode ? { mode } : {}),
    ...(auth ? { auth: auth as CloudAuth } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(v.region ? { region: v.region } : {}),
    ...(v.profile ? { profile: v.profile } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(retries !== undefined ? { retries } : {}),
  };
}

export async function detectCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...DETECTOR_OPTIONS,
      format: { type: 'string', default: 'json' },
      annotate: { type: 'string' },
      'annotate-format': { type: 'string', default: 'png' },
      labels: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      text: { type: 'string' },
      cloud: { type: 'string' },
      'cloud-mode': { type: 'string' },
      auth: { type: 'string' },
      'api-key': { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      'reserved-concurrency': { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(DETECT_USAGE);
    return EXIT_OK;
  }
  const format = values.format as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}`);
  const annotateFormat = values['annotate-format'];
  if (annotateFormat !== 'png' && annotateFormat !== 'jpeg')
    throw new UsageError('--annotate-format must be png or jpeg');
  if (positionals.length === 0) throw new UsageError('no input files or folders given');
  if (values.cloud !== undefined && values.model !== undefined)
    throw new UsageError('--model and --cloud exclude each other');
  if (values.cloud === undefined && (values.timeout !== undefined || values.retries !== undefined))
    throw new UsageError('--timeout and --retries apply to --cloud');
  if (values.cloud === undefined && values['reserved-concurrency'] !== undefined)
    throw new UsageError('--reserved-concurrency applies to --cloud');
  const { conf, iou, threads, dpi, tiling } = parseDetectorOptions(values);
  const jobs = parsePositiveInt('jobs', values.jobs);
  // Reading text costs OCR time on scans (docs/labels.md): on by default only where it is the point.
  const text = parseTextOptions(values.text, values.lang, format === 'answers' ? 'auto' : 'off');
  const cloud = values.cloud === undefined ? undefined : cloudOptions(values.cloud, values);

  const inFlight = cloud === undefined ? 0 : cloudJobs(jobs);

  const files = await expandInputs(positionals);
  if (files.length === 0) throw new UsageError('the folders given contain no image or PDF files');
  if (values.annotate) await mkdir(values.annotate, { recursive: true });

  // Several files: one worker per core, so decoding and letterboxing run in parallel too.
  const workers = Math.min(jobs ?? os.availableParallelism(), files.length);
  let engine: Engine;
  try {
    if (cloud !== undefined) engine = cloudEngine(cloud, inFlight, reportRetry);
    else engine = await localEngine({ modelPath: values.model, workers, threads });
  } catch (err) {
    reportError(io, values.cloud ?? values.model ?? 'model', err);
    return EXIT_FAILED;
  }

  /** Requests in flight: --jobs, else 16 bounded by the deployment's reserved concurrency. */
  function cloudJobs(asked: number | undefined): number {
    const fromEnv = process.env.CHECKBOX_RESERVED_CONCURRENCY;
    const reserved =
      values['reserved-concurrency'] !== undefined
        ? parsePositiveInt('reserved-concurrency', values['reserved-concurrency'])
        : fromEnv
          ? parsePositiveInt('reserved-concurrency ($CHECKBOX_RESERVED_CONCURRENCY)', fromEnv)
          : undefined;
    if (asked !== undefined && reserved !== undefined && asked > reserved)
      io.stderr(
        `warning: --jobs ${asked} is over the function's reserved concurrency ${reserved}: ` +
          `requests past it are throttled (429) and retried\n`,
      );
    return cloudInFlight({
      ...(asked !== undefined ? { asked } : {}),
      ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
    });
  }

  function reportRetry(file: string, n: RetryNotice): void {
    const page = n.page > 1 ? ` page ${n.page}` : '';
    io.stderr(
      `retry: ${file}${page}: ${n.reason}; attempt ${n.attempt} of ${n.attempts} in ${(n.delayMs / 1000).toFixed(1)} s\n`,
    );
  }

  const writer = new ResultWriter(format, io.stdout);
  const names = new UniqueNames();
  let failed = 0;
  const progress = (i: number, file: string): void => {
    if (files.length < 2) return;
    const line = `[${i + 1}/${files.length}] ${file}`;
    io.stderr(io.stderrIsTty ? `\r\x1b[K${line}` : `${line}\n`);
  };
  const annotate: AnnotateOptions | undefined = values.annotate
    ? { format: annotateFormat, labels: values.labels }
    : undefined;
  const start = async (file: InputFile): Promise<PageOutcome[]> => {
    if (file.error) throw new UsageError(file.error);
    const data = await readFile(file.path);
    return engine.detect(data, { conf, iou, dpi, tiling, ...text, source: file.path, annotate });
  };
  // Files started but not yet written, in input order: results come out in the order given.
  const ahead: ReturnType<typeof start>[] = [];
  try {
    for (const [i, file] of files.entries()) {
      while (ahead.length < engine.parallel && i + ahead.length < files.length) {
        const started = start(files[i + ahead.length]!);
        started.catch(() => undefined); // reported when its turn comes
        ahead.push(started);
      }
      const next = ahead.shift()!;
      progress(i, file.path);
      try {
        for (const { result, annotated } of await next) {
          writer.add(result);
          if (values.annotate && annotated) {
            const stem =
              path.parse(file.path).name + (result.image.pages > 1 ? `-p${result.image.page}` : '');
            const out = path.join(
              values.annotate,
              names.take(`${stem}.${annotateFormat === 'jpeg' ? 'jpg' : 'png'}`),
            );
            await writeFileAtomic(out, annotated);
          }
        }
      } catch (err) {
        failed++;
        if (io.stderrIsTty && files.length > 1) io.stderr('\r\x1b[K');
        reportError(io, file.path, err);
      }
    }
  } finally {
    if (io.stderrIsTty && files.length > 1) io.stderr('\r\x1b[K');
    await engine.dispose();
  }
  writer.close();
  if (files.length > 1)
    io.stderr(
      `${files.length - failed} of ${files.length} files done${failed ? `, ${failed} failed` : ''}\n`,
    );
  return failed ? EXIT_FAILED : EXIT_OK;
}
