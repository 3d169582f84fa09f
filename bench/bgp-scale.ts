// Section i of the benchmark suite: the BGP control plane at scale. On generated fabrics of the
// realistic shape (generateSize('M') with N Tier-1s: ACTIVE_ACTIVE Tier-0 on 8 edges
// redistributing TIER1_CONNECTED and TIER1_LB_VIP, 8 ToRs in one AS with defaultOriginate, each an
// eBGP peer of every SR (64 sessions) plus the inter-SR iBGP, 10 segments and 25 virtual services
// per Tier-1), prints runBgp's time and the heap its state retains (and, beside it, the same engine
// deciding every prefix alone instead of once per prefix class), then bgpRibInstallation and
// installRoutes of its routes (what the build does next: a speaker alike to another, the ToRs, as a
// table made of that one's), beside the same figures for the
// previous pass (bench/old/bgp-control-plane-2.ts: numbered attribute sets and shared decisions,
// before flat origination, per-group send state, echo skipping and shared route templates) and
// for the engine before the scale rework (bench/old/bgp-control-plane.ts: whole synchronous
// rounds, change detection by serializing the whole state, rejections and advertisements stored
// every round), run in the same process on the same input. Past `--bgp-old-max` Tier-1s the
// pre-rework engine is not run and the line says so. Sizes: `--bgp-tier1s=250,1000,2000,4000`;
// `--bgp-shape=L` generates section l's scenarios (generateSize('L') with N Tier-1s) instead.
import v8 from 'node:v8';
import vm from 'node:vm';
import { performance } from 'node:perf_hooks';
import { expand } from '../src/engine/model/expand.js';
import { computeRoutes, installRoutes } from '../src/engine/ribs/routes.js';
import { bgpRibInstallation, prefixClassCount, runBgp } from '../src/engine/bgp/control-plane.js';
import { injectedRoutes } from '../src/engine/fib/load-balancer.js';
import { realize } from '../src/topology/realize/index.js';
import { generateSize } from '../src/topology/generate.js';
import { runBgp as oldRunBgp } from './old/bgp-control-plane.js';
import { bgpRibRoutes as prevRibRoutes, runBgp as prevRunBgp } from './old/bgp-control-plane-2.js';
import { argNumbers, bytes, int, line, ms } from './util.js';

/** A full collection, exposed at run time so the section reports heap without node flags. */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function heapUsed(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Runs `fn` keeping its result alive: wall time, CPU time and the heap the result retains. */
function measured<T>(gc: () => void, fn: () => T): { value: T; ms: number; cpuMs: number; retained: number } {
  const before = heapUsed(gc);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = fn();
  const cpu = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  const retained = heapUsed(gc) - before;
  return { value, ms: wall, cpuMs: (cpu.user + cpu.system) / 1000, retained };
}

export function bgpScaleSection(header: (title: string) => void): void {
  const sizes = argNumbers('bgp-tier1s', [250, 1000, 2000, 4000], 1);
  const oldMax = argNumbers('bgp-old-max', [250], 1)[0];
  const gc = collector();
  const shape = process.argv.find((a) => a.startsWith('--bgp-shape='))?.slice('--bgp-shape='.length) === 'L' ? 'L' : 'M';
  header(`i. BGP at scale: generateSize('${shape}') shape with N Tier-1s × 10 segments, 25 VSes per Tier-1, 64 eBGP sessions`);
  console.log(`  prev = bench/old/bgp-control-plane-2.ts (before this pass), old = bench/old/bgp-control-plane.ts (before the rework); same process, same input; retained heap after gc()`);
  for (const n of sizes) {
    const s = generateSize(shape, { tier1s: n });
    const rz = realize(s);
    const rs = rz.scenario;
    const net = expand(rs);
    const base = computeRoutes(rs, net, injectedRoutes(rz.avi));
    const run = measured(gc, () => runBgp(rs, net, base));
    const st = run.value;
    const sessions = st.speakers.reduce((k, sp) => k + sp.sessions.length, 0) / 2;
    const tableSizes = st.speakers.map((sp) => st.size(sp.index));
    const paths = tableSizes.reduce((k, z) => k + z.paths, 0);
    const prefixes = Math.max(...tableSizes.map((z) => z.prefixes));
    console.log(`  -- ${int(n)} Tier-1s: ${st.speakers.length} speakers, ${int(sessions)} sessions, ${int(prefixes)} prefixes, ${int(paths)} paths in all tables, ${st.rounds} rounds`);
    line('runBgp (new)', `${ms(run.ms)} (CPU ${ms(run.cpuMs)}), retains ${bytes(run.retained)} (${Math.round(run.retained / paths)} B/path); ${prefixClassCount(st) === null ? 'every prefix decided alone' : `${int(prefixClassCount(st)!)} prefix classes decided`}`);
    // As the pipeline installs them: a speaker alike to another (the ToRs) as a table made of that one's.
    const rib = measured(gc, () => bgpRibInstallation(st, net));
    const inst = measured(gc, () => installRoutes(base, rib.value.routes, rib.value.alike));
    line('bgpRibInstallation + installRoutes (new)', `${ms(rib.cpuMs)} + ${ms(inst.cpuMs)} CPU (${int(rib.value.routes.length)} routes, ${rib.value.alike.length} speakers alike to another, ${bytes(rib.retained)} while held)`);
    rib.value.routes.length = 0;
    inst.value = null as never;
    run.value = null as never;
    // The same engine deciding every prefix alone (no prefix classes: bgp/prefix-classes.ts).
    const alone = measured(gc, () => runBgp(rs, net, base, { prefixClasses: false }));
    line('runBgp (new, no prefix classes)', `${ms(alone.ms)} (CPU ${ms(alone.cpuMs)}), retains ${bytes(alone.retained)}; classes / alone CPU ${(run.cpuMs / alone.cpuMs).toFixed(2)}×`);
    alone.value = null as never;
    const prev = measured(gc, () => prevRunBgp(rs, net, base));
    line('runBgp (prev)', `${ms(prev.ms)} (CPU ${ms(prev.cpuMs)}), retains ${bytes(prev.retained)} (${Math.round(prev.retained / paths)} B/path), ${prev.value.rounds} rounds`);
    const prevRib = measured(gc, () => prevRibRoutes(prev.value, net));
    const prevInst = measured(gc, () => installRoutes(base, prevRib.value));
    line('bgpRibRoutes + installRoutes (prev)', `${ms(prevRib.cpuMs)} + ${ms(prevInst.cpuMs)} CPU (${int(prevRib.value.length)} routes, ${bytes(prevRib.retained)} while held)`);
    line('new / prev CPU', `runBgp ${(run.cpuMs / prev.cpuMs).toFixed(2)}×, making the routes ${(rib.cpuMs / prevRib.cpuMs).toFixed(2)}×, making + installing them ${((rib.cpuMs + inst.cpuMs) / (prevRib.cpuMs + prevInst.cpuMs)).toFixed(2)}×`);
    prevRib.value.length = 0;
    prevInst.value = null as never;
    prev.value = null as never;
    if (n <= oldMax) {
      const old = measured(gc, () => oldRunBgp(rs, net, base));
      line('runBgp (old)', `${ms(old.ms)} (CPU ${ms(old.cpuMs)}), retains ${bytes(old.retained)} (${Math.round(old.retained / paths)} B/path), ${old.value.rounds} rounds`);
    } else line('runBgp (old)', `not run (--bgp-old-max=${oldMax})`);
  }
}
