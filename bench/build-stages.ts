// Section l of the benchmark suite: the whole build pipeline of a generated deployment, stage by
// stage — validate (validateScenario, which realizes too), realize, expand, computeRoutes (with
// the VIP routes), runBgp, installRoutes (the BGP routes), compile (with the load balancer) —
// with each stage's CPU time (user + system, GC threads included) and the heap in use after it.
// Sizes: `--build-sizes=M,250,1000,2000,4000` (the default; a letter is a preset of
// generateSize, a number that many Tier-1s in the L shape), then a growth table of the numeric
// sizes against the smallest. Stages run as the pipeline runs them: a large build's typed-array
// arena reserved after realize, runBgp, installRoutes and compile carving from it; such a build is
// made again with every array allocated on its own (the path before the arena) and its total
// printed beside. 2,000 Tier-1s and more need a larger heap
// (NODE_OPTIONS=--max-old-space-size=10000); with the default heap they are skipped and the line
// says so. `--build-no-bgp` leaves runBgp out (installRoutes then installs no BGP route). Each
// size says how many Tier-0 SR tables are made of their DR's (ribs/shared-tables.ts) and how many
// physical routers' installed tables are made of another's (alike speakers: ribs/install
// alikeTable); a size with an arena is built once more with every such table built whole (the
// path before: ribSharing and alikeSpeakers off, `--build-no-unshared` skips it), its total and
// stages printed beside.
// Run with NODE_OPTIONS=--expose-gc for heap figures after a full collection.
import v8 from 'node:v8';
import { freeze } from 'immer';
import { expand } from '../src/engine/model/expand.js';
import { computeRoutes, installRoutes } from '../src/engine/ribs/routes.js';
import { alikeSpeakers, bgpRibInstallation, runBgp, type BgpState } from '../src/engine/bgp/control-plane.js';
import { compileLoadBalancer, injectedRoutes } from '../src/engine/fib/load-balancer.js';
import { compile } from '../src/engine/fib/compile.js';
import { realize } from '../src/topology/realize/index.js';
import { validateScenario } from '../src/topology/validate.js';
import { generateSize, SIZES, type Size } from '../src/topology/generate.js';
import { buildArena } from '../src/engine/pipeline.js';
import { withArena } from '../src/engine/typed-arena.js';
import { ribSharing } from '../src/engine/ribs/compute.js';
import type { Scenario } from '../src/topology/scenario.js';
import { bytes, int, line, ms } from './util.js';

const STAGES = ['validate', 'realize', 'expand', 'computeRoutes', 'runBgp', 'installRoutes', 'compile'] as const;
type Stage = (typeof STAGES)[number];

interface StageFigure {
  cpuMs: number;
  wallMs: number;
  heap: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapNow(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Runs `fn`, returning its value, CPU and wall time, and the heap in use afterwards. */
function stage<T>(fn: () => T): { value: T } & StageFigure {
  gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, cpuMs: (cpu.user + cpu.system) / 1000, wallMs, heap: heapNow() };
}

/** The scenario of a size argument: a preset letter, or that many Tier-1s in the L shape. */
function scenarioOf(size: string): Scenario | null {
  if ((SIZES as readonly string[]).includes(size)) return generateSize(size as Size);
  const n = Number(size);
  return Number.isInteger(n) && n > 0 ? generateSize('L', { tier1s: n }) : null;
}

/**
 * Every stage of one build, as the pipeline runs them: the typed-array arena reserved after
 * realize (unless `plain`: every array allocated on its own, the path before the arena) and the
 * stages from runBgp on carving from it. The stage figures by name, and the arena's use.
 */
function buildStages(s: Scenario, withBgp: boolean, plain: boolean): { figures: Map<Stage, StageFigure>; speakers: number; arena: string; sharedSrs: string; alikeRouters: string } {
  const figures = new Map<Stage, StageFigure>();
  // Only the figures are kept: the values would hold every build alive into the next size.
  const keep = (name: Stage, f: StageFigure) => figures.set(name, { cpuMs: f.cpuMs, wallMs: f.wallMs, heap: f.heap });
  const v = stage(() => validateScenario(s, () => ({ file: 'generated.yaml' })));
  if (v.value.length) throw new Error(`the generated scenario is invalid: ${v.value[0].path}: ${v.value[0].message}`);
  keep('validate', v);
  const rz = stage(() => realize(s));
  const rs = rz.value.scenario;
  const arena = plain ? null : buildArena(rs);
  keep('realize', rz);
  const net = stage(() => expand(rs));
  keep('expand', net);
  const base = stage(() => computeRoutes(rs, net.value, injectedRoutes(rz.value.avi)));
  keep('computeRoutes', base);
  let bgp: BgpState | null = null;
  if (withBgp) {
    const b = stage(() => withArena(arena, () => runBgp(rs, net.value, base.value)));
    keep('runBgp', b);
    bgp = b.value;
  }
  const routing = stage(() =>
    withArena(arena, () => {
      const b = bgp ? bgpRibInstallation(bgp, net.value) : { routes: [], alike: [] };
      return installRoutes(base.value, b.routes, b.alike);
    }),
  );
  keep('installRoutes', routing);
  const compiled = stage(() => withArena(arena, () => compile(net.value, routing.value, rs, rz.value.avi ? compileLoadBalancer(net.value, rz.value.avi) : null)));
  keep('compile', compiled);
  const used = arena ? `arena: ${bytes(arena.used)} carved of ${bytes(arena.size)} reserved` : plain ? 'no arena (plain allocation)' : 'no arena (a small build)';
  // The Tier-0 SRs whose installed table is made of the DR's (ribs/shared-tables.ts), and the
  // physical routers' made of another's BGP routes (alike speakers), with the routes they list by position.
  const madeOfAnother = (type: string) => {
    let all = 0;
    let made = 0;
    let listed = 0;
    for (const c of net.value.components) {
      if (c.type !== type) continue;
      all++;
      const layer = routing.value.ribs[c.id].sharedLayer();
      if (layer === null) continue;
      made++;
      listed += routing.value.ribs[c.id].length - layer.own.length;
    }
    return { all, made, listed };
  };
  const srs = madeOfAnother('T0_SR');
  const tors = madeOfAnother('PHYSICAL_ROUTER');
  return {
    figures,
    speakers: bgp?.speakers.length ?? 0,
    arena: used,
    sharedSrs: `${int(srs.made)} of ${int(srs.all)} Tier-0 SR tables made of their DR's (${int(srs.listed)} routes listed by position)`,
    alikeRouters: `${int(tors.made)} of ${int(tors.all)} physical routers' tables made of another's BGP routes (${int(tors.listed)} routes listed by position)`,
  };
}

/** A fresh copy of a size's scenario (a build caches its realization by scenario object), frozen as loaded. */
function generatedAgain(size: string): Scenario {
  const s = scenarioOf(size)!;
  freeze(s, true);
  return s;
}

function total(f: Map<Stage, StageFigure>): number {
  let t = 0;
  for (const x of f.values()) t += x.cpuMs;
  return t;
}

function listArg(name: string, fallback: string[]): string[] {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3).split(',').filter(Boolean) : fallback;
}

export function buildStagesSection(header: (title: string) => void): void {
  const sizes = listArg('build-sizes', ['M', '250', '1000', '2000', '4000']);
  const withBgp = !process.argv.includes('--build-no-bgp');
  const noArena = process.argv.includes('--build-no-arena');
  const withPlain = !noArena && !process.argv.includes('--build-no-plain');
  const withUnshared = !process.argv.includes('--build-no-unshared');
  const heapLimit = v8.getHeapStatistics().heap_size_limit;
  header(`l. Build pipeline by stage: ${sizes.join(', ')} (a number: Tier-1s in the L shape)${withBgp ? '' : ', without runBgp'}`);
  console.log(`  CPU time per stage (user + system), heap in use after it${gc ? ' (after gc())' : ' (no --expose-gc: not collected)'}; heap limit ${bytes(heapLimit)}`);
  const growth: { tier1s: number; figures: Map<Stage, StageFigure> }[] = [];
  // A preset first (M by default) is measured cold, as a user's first build in a process; before
  // a list of Tier-1 counts, an S build warms the engine up (not reported), so that the first
  // size is not the one paying for compiling it (and both builds of a size run warm).
  if (!(SIZES as readonly string[]).includes(sizes[0])) buildStages(generatedAgain('S'), withBgp, noArena);
  for (const size of sizes) {
    const n = Number(size);
    if (Number.isInteger(n) && n >= 2000 && heapLimit < 8e9) {
      line(`${size}:`, 'skipped: needs NODE_OPTIONS=--max-old-space-size=10000');
      continue;
    }
    const s = scenarioOf(size);
    if (!s) {
      line(`${size}:`, 'not a size (S, M, L or a number of Tier-1s)');
      continue;
    }
    const count = (m: object | undefined) => Object.keys(m ?? {}).length;
    console.log(`  -- ${size}: ${int(count(s.tier1s))} Tier-1s, ${int(count(s.segments))} segments, ${int(count(s.avi?.virtualServices))} virtual services`);
    // Frozen as the loader leaves a scenario (an immer snapshot): the pipeline sees what it sees in use.
    freeze(s, true);
    const { figures, speakers, arena, sharedSrs, alikeRouters } = buildStages(s, withBgp, noArena);
    for (const name of STAGES) {
      const f = figures.get(name);
      line(`   ${name}`, f ? `${ms(f.cpuMs).padStart(9)} CPU ${ms(f.wallMs).padStart(9)} wall   heap ${bytes(f.heap)}` : 'not run');
    }
    const t = total(figures);
    line('   total (validate … compile)', `${ms(t).padStart(9)} CPU (${int(speakers)} BGP speakers; ${arena})`);
    line('   total without runBgp', `${ms(t - (figures.get('runBgp')?.cpuMs ?? 0)).padStart(9)} CPU`);
    line('   shared SR tables', sharedSrs);
    line('   alike ToR tables', alikeRouters);
    if (arena.startsWith('arena') && withUnshared) {
      // The same build again with every Tier-0 SR table and every speaker's installed table built
      // whole (the path before they were made of the DR's and of an alike speaker's).
      ribSharing.srTables = false;
      alikeSpeakers.enabled = false;
      let whole: ReturnType<typeof buildStages>;
      try {
        whole = buildStages(generatedAgain(size), withBgp, noArena);
      } finally {
        ribSharing.srTables = true;
        alikeSpeakers.enabled = true;
      }
      const tw = total(whole.figures);
      const stage = (f: Map<Stage, StageFigure>, n: Stage) => Math.round(f.get(n)?.cpuMs ?? 0);
      line(
        '   same build, SR and ToR tables built whole',
        `${ms(tw).padStart(9)} CPU (shared: ${(tw / t).toFixed(2)}× less)   computeRoutes ${stage(whole.figures, 'computeRoutes')} against ${stage(figures, 'computeRoutes')}, installRoutes ${stage(whole.figures, 'installRoutes')} against ${stage(figures, 'installRoutes')}, compile ${stage(whole.figures, 'compile')} against ${stage(figures, 'compile')} ms (its heap figures include the first build's, kept by the scenario: not printed)`,
      );
    }
    if (arena.startsWith('arena') && withPlain) {
      // The same build again with every array allocated on its own (the path before the arena).
      const plain = buildStages(generatedAgain(size), withBgp, true);
      const tp = total(plain.figures);
      line('   same build, plain allocation', `${ms(tp).padStart(9)} CPU (arena: ${(tp / t).toFixed(2)}× less)   ${STAGES.map((n) => `${n} ${Math.round(plain.figures.get(n)?.cpuMs ?? 0)}`).join(', ')}`);
    }
    if (Number.isInteger(n)) growth.push({ tier1s: n, figures });
  }
  if (growth.length < 2) return;
  // Growth: CPU ms per stage at each size, and the factor against the smallest size beside the
  // factor of the size itself (linear growth: the two agree).
  const first = growth[0];
  console.log(`  -- growth (CPU ms; × = against ${int(first.tier1s)} Tier-1s, linear = the Tier-1 factor)`);
  const cols = growth.map((g) => `${int(g.tier1s)} T1`.padStart(16));
  console.log(`  ${'stage'.padEnd(16)}${cols.join('')}`);
  const row = (label: string, value: (f: Map<Stage, StageFigure>) => number | undefined) => {
    const base = value(first.figures);
    const cells = growth.map((g) => {
      const v = value(g.figures);
      if (v === undefined) return 'n/a'.padStart(16);
      const factor = base ? ` ${(v / base).toFixed(1)}×` : '';
      return `${Math.round(v)}${g === first ? '' : factor}`.padStart(16);
    });
    console.log(`  ${label.padEnd(16)}${cells.join('')}`);
  };
  for (const name of STAGES) row(name, (f) => f.get(name)?.cpuMs);
  row('total', total);
  row('total w/o BGP', (f) => total(f) - (f.get('runBgp')?.cpuMs ?? 0));
  row('heap MiB at end', (f) => (f.get('compile')?.heap ?? 0) / 1048576);
  console.log(`  ${'linear'.padEnd(16)}${growth.map((g) => (g === first ? '1.0×' : `${(g.tier1s / first.tier1s).toFixed(1)}×`).padStart(16)).join('')}`);
}
