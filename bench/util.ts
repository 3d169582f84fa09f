// Benchmark plumbing shared by bench/run.ts and its sections: a seeded PRNG, a synchronous
// Benchmark.Suite runner that returns rates, number arguments, and number formatting with units. Nothing here measures anything itself.
import Benchmark from 'benchmark';
import { performance } from 'node:perf_hooks';

/** mulberry32: a small, fast, seeded 32-bit PRNG (deterministic inputs for every run). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** An integer in [0, n) from a PRNG. */
export function pick(rand: () => number, n: number): number {
  return rand() % n;
}

export interface Measured {
  /** Calls of the measured function per second. */
  hz: number;
  /** Relative margin of error, percent. */
  rme: number;
  samples: number;
}

export interface BenchCase {
  name: string;
  fn: () => void;
  /** Benchmark options (maxTime in seconds, minSamples...). */
  options?: Benchmark.Options;
}

/** Runs the cases one after the other (synchronously) and returns their rates by name. */
export function runSuite(title: string, cases: BenchCase[]): Map<string, Measured> {
  const out = new Map<string, Measured>();
  const suite = new Benchmark.Suite(title);
  for (const c of cases) suite.add(c.name, c.fn, { maxTime: 2, ...c.options });
  suite.on('cycle', (ev: Benchmark.Event) => {
    const b = ev.target as unknown as Benchmark;
    if (b.error) throw b.error;
    out.set(String(b.name), { hz: b.hz ?? 0, rme: b.stats?.rme ?? 0, samples: b.stats?.sample.length ?? 0 });
  });
  suite.run({ async: false });
  return out;
}

/** Milliseconds taken by `fn` (its result is returned too). */
export function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/**
 * Calls per second of each of `fns` by CPU time (process.cpuUsage; at most the wall time, which
 * leaves out other processes), the best of `rounds` rounds of ≥ `minMs` ms each, the functions
 * alternating round by round: on a shared machine the best round is the steadiest figure, where
 * Benchmark.js wall rates swing with the neighbours.
 */
export function cpuBestRates(fns: readonly (() => void)[], rounds = 5, minMs = 100): number[] {
  const best = fns.map(() => 0);
  for (let r = 0; r < rounds; r++) fns.forEach((fn, i) => (best[i] = Math.max(best[i], cpuRate(fn, minMs))));
  return best;
}

/**
 * Calls per second of `fn` by CPU time, called for ≥ `minMs` ms. The process's CPU time counts
 * V8's helper threads too (concurrent GC of a large heap), the wall time other processes: the
 * call's own time is at most the smaller of the two.
 */
export function cpuRate(fn: () => void, minMs: number): number {
  let calls = 0;
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  let us = 0;
  do {
    fn();
    calls++;
    const d = process.cpuUsage(c0);
    us = Math.min(d.user + d.system, (performance.now() - w0) * 1e3);
  } while (us < minMs * 1e3);
  return calls / (us / 1e6);
}

/** Median of `runs` timings of `fn`, in milliseconds. */
export function medianMs(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timed(fn).ms);
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** 23400000 → "23.4 M", 512000 → "512 k", 12.3 → "12.3" (an SI prefix, for "<n> <prefix><unit>"). */
export function si(n: number): string {
  const [v, prefix] = n >= 1e9 ? [n / 1e9, 'G'] : n >= 1e6 ? [n / 1e6, 'M'] : n >= 1e3 ? [n / 1e3, 'k'] : [n, ''];
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return prefix ? `${v.toFixed(digits)} ${prefix}` : v.toFixed(digits);
}

/** A ratio: 33.04 → "33.0×", 5800000 → "5,800,000×". */
export function times(x: number): string {
  return x >= 1000 ? `${Math.round(x).toLocaleString('en-US')}×` : `${x.toFixed(1)}×`;
}

export function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n >= 10 ? 0 : 1)} ms`;
}

export function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

export function int(n: number): string {
  return n.toLocaleString('en-US');
}

/** `--name=N` from the command line: a positive integer, else `fallback`. */
export function argNumber(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = arg === undefined ? NaN : Number(arg.slice(name.length + 3));
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** `--name=N,M,…` from the command line: integers ≥ `min`, else `fallback` (absent, or any one invalid). */
export function argNumbers(name: string, fallback: number[], min: number): number[] {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) return fallback;
  const v = arg.slice(name.length + 3).split(',').map(Number);
  return v.every((n) => Number.isInteger(n) && n >= min) ? v : fallback;
}

/** "meets target" / "below target" — a figure, never a failure. */
export function verdict(value: number, target: number): string {
  return value >= target ? 'meets target' : 'below target';
}

/** One aligned result line: label, figure, and optionally its target and verdict. */
export function line(label: string, figure: string, target?: { text: string; value: number; min: number }): void {
  const t = target ? `   [target ${target.text}: ${verdict(target.value, target.min)}]` : '';
  console.log(`  ${label.padEnd(44)} ${figure}${t}`);
}

export function rate(m: Measured | undefined, perCall: number, unit: string): string {
  if (!m) return 'n/a';
  return `${si(m.hz * perCall)} ${unit}/s ±${m.rme.toFixed(1)}% (${m.samples} samples)`;
}
