// What the orchestrator and its measuring child processes (Node and Python) exchange: the child prints one
// line `BENCH_RESULT <json>` on stdout, so its other output (warnings, progress) never breaks parsing.

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** One measured page, in the order of the page list. */
export interface PageSample {
  page: string;
  /** Wall-clock ms. */
  ms: number;
  /** CPU ms the measuring process used meanwhile, every thread counted. */
  cpuMs: number;
}

/** A warm run: every page once as warm-up, then `rounds` timed passes over all pages. */
export interface WarmResult {
  label: string;
  samples: PageSample[];
  /** Pages per second for a batch run, when the run measured one. */
  batch?: { pages: number; seconds: number; pagesPerSecond: number; lanes: number; threadsPerLane: number };
  /** Peak resident set of the measuring process, MiB. */
  peakRssMb: number;
  /** Cores other processes took during the measurement (set by the orchestrator). */
  otherCores?: number;
  /** Anything worth carrying into the report (versions, settings). */
  notes?: Record<string, string | number | boolean>;
}

export function printResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

export function parseResult<T>(stdout: string): T {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) throw new Error('the child printed no result line');
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}

/** Peak RSS (VmHWM) of this Node process in MiB; resourceUsage reports kilobytes. */
export const nodePeakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
