// What every measurement module is: it runs in a BenchContext and returns a result object; the report is built
// from those results alone (its acceptance rows, its section, its chart panels), so a saved run can be rendered
// again without measuring (--render).
import type { ChartPanel } from './chart.js';
import type { Machine } from './machine.js';
import type { BenchPage } from './pages.js';
import type { PythonEnv } from './children.js';

export interface BenchContext {
  root: string;
  modelPath: string;
  /** The model's PyTorch weights (beside it, .pt), for the Python references. */
  ptPath: string;
  pages: BenchPage[];
  /** The pages as JSON, for the measuring children. */
  pagesFile: string;
  /** Scratch folder, removed after the run. */
  workDir: string;
  quick: boolean;
  /** Warm rounds (every engine one timed pass per round, in turn). */
  rounds: number;
  coldReps: number;
  machine: Machine;
  /** The venv with Ultralytics, when found. */
  python?: PythonEnv;
  /** The bundled .mjs of a Node entry, by its path in the repository (e.g. 'scripts/bench/ours-warm.ts'). */
  child(file: string): string;
  /** Cores other processes took since the previous call (the contention monitor's window). */
  otherCores(): number;
  log(msg: string): void;
}

/** One acceptance row: ours / reference against a target. */
export interface Criterion {
  name: string;
  ours?: { label: string; value: number };
  reference?: { label: string; value: number };
  unit: string;
  /** Met when ours / reference <= maxRatio (or >= minRatio). */
  maxRatio?: number;
  minRatio?: number;
  /** The same ratio from each round alone, where both sides were measured in the same rounds. */
  byRound?: number[];
  /** A gate fails the run (exit code 1); other rows are reported only. */
  gate: boolean;
}

export interface Measurement<R> {
  /** One line for --help. */
  about: string;
  run(ctx: BenchContext): Promise<R>;
  criteria?(r: R): Criterion[];
  /** Its part of docs/benchmarks.md, as lines. */
  section(r: R): string[];
  chart?(r: R): ChartPanel[];
  /** What this result says was left out, or is worth reading beside the numbers. */
  notes?(r: R): string[];
}
