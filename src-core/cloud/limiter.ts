// Requests in flight to the cloud, at most `max` at a time across every file of a batch: the rest wait
// their turn in the order they asked.
export const DEFAULT_IN_FLIGHT = 16;

export class InFlightLimit {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly max: number = DEFAULT_IN_FLIGHT) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`in-flight limit must be a positive integer, got ${max}`);
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
