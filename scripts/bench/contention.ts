// How much CPU other processes took while the benchmark ran: /proc is sampled every few seconds, and CPU
// time of processes outside the benchmark's own process tree counts as contention.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;
/** The peak is taken over sampling intervals at least this long. */
const MIN_PEAK_SECONDS = 2;

interface Proc {
  ppid: number;
  command: string;
  ticks: number;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(')');
    const command = stat.slice(stat.indexOf('(') + 1, close);
    // After ")": state ppid ... utime (14th field of the line) stime (15th).
    const fields = stat.slice(close + 2).split(' ');
    procs.set(Number(name), {
      ppid: Number(fields[1]),
      command,
      ticks: Number(fields[11]) + Number(fields[12]),
    });
  }
  return procs;
}

function isDescendant(pid: number, root: number, procs: Map<number, Proc>): boolean {
  for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = procs.get(p)?.ppid, hops++) {
    if (p === root) return true;
  }
  return false;
}

export interface Contention {
  /** Cores other processes used on average, and at most over one sampling interval (of 2 s or more). */
  meanCores: number;
  maxCores: number;
  seconds: number;
  /** Other commands that used the most CPU, with the cores they averaged. */
  busiest: { command: string; cores: number }[];
}

export class ContentionMonitor {
  private last = readProcs();
  private readonly started = Date.now();
  private lastAt = Date.now();
  private maxCores = 0;
  private windowTicks = 0;
  private windowStart = Date.now();
  private readonly byCommand = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly root = process.pid,
    intervalMs = 5000,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const now = Date.now();
    const procs = readProcs();
    let ticks = 0;
    for (const [pid, p] of procs) {
      if (isDescendant(pid, this.root, procs)) continue;
      const delta = p.ticks - (this.last.get(pid)?.ticks ?? p.ticks); // new processes count from their next sample
      if (delta <= 0) continue;
      ticks += delta;
      this.windowTicks += delta;
      this.byCommand.set(p.command, (this.byCommand.get(p.command) ?? 0) + delta);
    }
    const seconds = (now - this.lastAt) / 1000;
    // A window() call can sample a few ms after the last one: one 10 ms tick there would read as cores.
    if (seconds >= MIN_PEAK_SECONDS)
      this.maxCores = Math.max(this.maxCores, ticks / TICKS_PER_SECOND / seconds);
    this.last = procs;
    this.lastAt = now;
  }

  /** Cores other processes used on average since the previous call (or the start): one measurement's share. */
  window(): number {
    this.sample();
    const seconds = (this.lastAt - this.windowStart) / 1000;
    const cores = seconds > 0 ? this.windowTicks / TICKS_PER_SECOND / seconds : 0;
    this.windowTicks = 0;
    this.windowStart = this.lastAt;
    return cores;
  }

  stop(): Contention {
    clearInterval(this.timer);
    this.sample();
    const seconds = (this.lastAt - this.started) / 1000;
    const total = [...this.byCommand.values()].reduce((a, b) => a + b, 0);
    const busiest = [...this.byCommand]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([command, t]) => ({ command, cores: t / TICKS_PER_SECOND / seconds }));
    return { meanCores: total / TICKS_PER_SECOND / seconds, maxCores: this.maxCores, seconds, busiest };
  }
}
