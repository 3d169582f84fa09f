// Section t of `npm run bench`: traceflow speed of the compiled walker (src/engine/walk/packet-walk.ts, with
// its shared-suffix memo) beside the walker before it (bench/old/trace.ts) in the same run, on the
// same traces: client → VIP (16 ECMP paths: 8 ToR → SR branches, 2 SEs each) and workload → VIP
// on an L-shaped fabric (`generateSize('L')`: 8 ToRs, 8 edges, 25 VSes per Tier-1; BGP off by
// default so the build stays short — the paths are the same), and every pair of the reference lab.
// `--tf-tier1s=N` sets the fabric's Tier-1 count (default 4,000: L itself), `--tf-bgp` builds it with BGP.
// Besides Benchmark.js rates, each set is timed by CPU (process.cpuUsage, at most the wall time), old and new walker in
// alternating rounds of ≥ 50 ms after a 300 ms warm-up each, best of `--tf-rounds=N` (default 5):
// on a shared machine the best round is the steadiest figure. The new walker's SR subtrees replayed at twin SRs per trace are printed.
import { fileURLToPath } from 'node:url';
import { Twin } from '../src/engine/twin.js';
import { Walker } from '../src/engine/walk/packet-walk.js';
import { Walker as OldWalker } from './old/trace.js';
import type { CompiledNetwork } from '../src/engine/fib/compile.js';
import { generateSize, GENERATED } from '../src/topology/generate.js';
import { loadScenarioFile } from '../src/topology/load-file.js';
import { parseIp } from '../src/topology/ip.js';
import { argNumber, cpuRate, int, line, ms, pick, prng, rate, runSuite, si, timed, type BenchCase } from './util.js';

/** Traces/s over `set` by CPU time (passes repeated for ≥ `minMs` ms: util.ts cpuRate). */
function tracesPerSecond(walker: Tracer, set: TraceSet, sink: Counter, minMs = 50): number {
  return cpuRate(traceLoop(walker, set, sink), minMs) * set.src.length;
}

const TARGET_L = 250e3;
const TARGET_LAB = 1e6;

/** Anything with the walker's trace(): the new walker and the baseline copy. */
interface Tracer {
  trace(src: number, dst: number, sink: { path(w: never, length: number, disposition: number): void }, proto?: number, dport?: number): number;
}

/** Counts paths and rows (the walker's cost without materialization); the total keeps the work alive. */
class Counter {
  paths = 0;
  rows = 0;
  path(_w: unknown, length: number): void {
    this.paths++;
    this.rows += length;
  }
}

interface TraceSet {
  name: string;
  src: Int32Array;
  dst: Uint32Array;
  proto: number;
  dport: number;
}

function traceLoop(walker: Tracer, set: TraceSet, sink: Counter): () => void {
  const n = set.src.length;
  return () => {
    for (let i = 0; i < n; i++) walker.trace(set.src[i], set.dst[i], sink, set.proto, set.dport);
  };
}

/** Old and new walker on each set, in the same suite; prints traces/s and the speed-up. */
function compare(c: CompiledNetwork, sets: TraceSet[], target: number): void {
  const cases: BenchCase[] = [];
  const sinks = new Map<string, Counter>();
  for (const set of sets) {
    for (const [tag, w] of [['old', new OldWalker(c)], ['new', new Walker(c)]] as const) {
      const sink = new Counter();
      sinks.set(`${set.name} ${tag}`, sink);
      cases.push({ name: `${set.name} ${tag}`, fn: traceLoop(w as unknown as Tracer, set, sink) });
    }
  }
  // Both walkers must have emitted the same number of paths and rows per pass.
  for (const set of sets) {
    const once = (w: Tracer) => {
      const k = new Counter();
      traceLoop(w, set, k)();
      return `${k.paths}/${k.rows}`;
    };
    const o = once(new OldWalker(c) as unknown as Tracer);
    const w = new Walker(c);
    const n = once(w as unknown as Tracer);
    line(`${set.name} set`, `${int(set.src.length)} traces, paths/rows per pass ${n}${o === n ? ' (same as old)' : ` — OLD ${o} DIFFERS`}; SR subtrees replayed at twin SRs ${(w.twinReplays / set.src.length).toFixed(2)} per trace`);
  }
  // CPU time, old and new alternating, best round of each.
  const rounds = argNumber('tf-rounds', 5);
  for (const set of sets) {
    const ow = new OldWalker(c) as unknown as Tracer;
    const nw = new Walker(c) as unknown as Tracer;
    const sink = new Counter();
    let bo = 0;
    let bn = 0;
    // Warm-up (JIT): the first ~150 ms of a small set run several times slower.
    tracesPerSecond(ow, set, sink, 300);
    tracesPerSecond(nw, set, sink, 300);
    for (let r = 0; r < rounds; r++) {
      bo = Math.max(bo, tracesPerSecond(ow, set, sink));
      bn = Math.max(bn, tracesPerSecond(nw, set, sink));
    }
    line(`${set.name}: CPU, best of ${rounds}`, `old ${si(bo)} traces/s, new ${si(bn)} traces/s (${(bn / bo).toFixed(2)}×)`, { text: `≥${si(target)} traces/s`, value: bn, min: target });
  }
  const r = runSuite('traceflow-speed', cases);
  for (const set of sets) {
    const o = r.get(`${set.name} old`);
    const n = r.get(`${set.name} new`);
    const per = set.src.length;
    line(`${set.name}: old walker`, rate(o, per, 'traces'));
    line(`${set.name}: new walker`, rate(n, per, 'traces'), { text: `≥${si(target)} traces/s`, value: (n?.hz ?? 0) * per, min: target });
    line(`${set.name}: new / old`, `${((n?.hz ?? 0) / Math.max(1e-9, o?.hz ?? 0)).toFixed(2)}×`);
  }
}

export function traceflowSpeedSection(header: (title: string) => void): void {
  const tier1s = argNumber('tf-tier1s', 4000);
  const bgp = process.argv.includes('--tf-bgp');
  header(`t. Traceflow speed: old walker vs new (shared-suffix memo), L-shaped fabric with ${int(tier1s)} Tier-1s${bgp ? '' : ' (no BGP)'} and the reference lab`);
  const gen = timed(() => generateSize('L', { tier1s, bgp }));
  const build = timed(() => new Twin(gen.value));
  const twin = build.value;
  const c = twin.compiled;
  const net = c.net;
  const avi = twin.realized.avi!;
  const up = avi.virtualServices.filter((v) => v.state === 'UP');
  const client = net.endpointByName.get(GENERATED.client)!;
  const workloads = net.endpoints.filter((e) => e.kind === 'WORKLOAD');
  const rand = prng(0x7f10);
  const N = 4096;
  const cv: TraceSet = { name: 'client → VIP', src: new Int32Array(N), dst: new Uint32Array(N), proto: 6, dport: GENERATED.vsPort };
  const wv: TraceSet = { name: 'workload → VIP', src: new Int32Array(N), dst: new Uint32Array(N), proto: 6, dport: GENERATED.vsPort };
  for (let i = 0; i < N; i++) {
    cv.src[i] = client;
    cv.dst[i] = up[pick(rand, up.length)].vip;
    wv.src[i] = workloads[pick(rand, workloads.length)].id;
    wv.dst[i] = up[pick(rand, up.length)].vip;
  }
  line('fabric', `${int(tier1s)} Tier-1s, ${int(up.length)} VSes UP, ${int(workloads.length)} workloads; generate ${ms(gen.ms)}, new Twin() ${ms(build.ms)}`);
  compare(c, [cv, wv], TARGET_L);

  const { scenario } = loadScenarioFile(fileURLToPath(new URL('../scenarios/reference-lab.yaml', import.meta.url)));
  const lab = new Twin(scenario).compiled;
  const eps = lab.net.endpoints;
  const extra = ['8.8.8.8', '10.146.41.99', '10.146.10.1'].map((s) => parseIp(s)!);
  const list: [number, number][] = [];
  for (const a of eps) {
    for (const b of eps) list.push([a.id, b.ip]);
    for (const x of extra) list.push([a.id, x]);
  }
  const ref: TraceSet = { name: 'reference lab', src: Int32Array.from(list, (p) => p[0]), dst: Uint32Array.from(list, (p) => p[1]), proto: 0, dport: 0 };
  compare(lab, [ref], TARGET_LAB);
}
