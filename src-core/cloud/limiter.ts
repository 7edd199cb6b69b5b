// At most `max` tasks at a time, the rest waiting their turn in the order they asked: the cloud client's
// requests in flight across a batch, and the local server's detections (lambda/admission.ts).
export const DEFAULT_IN_FLIGHT = 16;

/**
 * Requests a cloud batch keeps in flight: the number asked for (`--jobs`), else the default bounded by the
 * deployed function's reserved concurrency, so a batch does not ask for more instances than may run and
 * spend its time on throttled (429) answers and their retries.
 */
export function cloudInFlight(opts: { asked?: number; reservedConcurrency?: number }): number {
  if (opts.asked !== undefined) return opts.asked;
  return Math.min(DEFAULT_IN_FLIGHT, opts.reservedConcurrency ?? DEFAULT_IN_FLIGHT);
}

export class InFlightLimit {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly max: number = DEFAULT_IN_FLIGHT) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`in-flight limit must be a positive integer, got ${max}`);
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Whether a new task would have to wait. */
  get full(): boolean {
    return this.#active >= this.max;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, so nobody can jump the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
