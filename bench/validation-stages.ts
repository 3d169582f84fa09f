// Section v of the benchmark suite: validateScenario (schema, the semantic rules, realization, the
// rules again on the created objects) on generated deployments of growing size — M (200 Tier-1s),
// 1,000 Tier-1s in the L shape and, with `--validate-l`, L (4,000 Tier-1s, 44,000 segments,
// 100,000 virtual services; needs NODE_OPTIONS=--max-old-space-size=10000) — the new path beside
// the old one (bench/old/validate-scenario.ts and bench/old/validate-realize-*.ts: a whole second
// semantic pass over the realized scenario, paths and labels built per object, realization with
// per-VS sorts and copies) on the same scenario in the same run. Figures: CPU time (user + system)
// of one validation, median of `--validate-runs=N` alternating rounds (default 5, at most 3 on L;
// every round is listed: the first ones include compiling the code), the peak heap above the heap
// before it, and where the new path's time goes (the schema check and validation's lean
// realization measured alone, the full realization beside them). Goals: L ≤ 1.2 s CPU, M ≤ 80 ms,
// growth linear ("meets goal" / "misses goal"; never a failure). The scenarios are not frozen:
// validation realizes lean (nothing can reuse the runtime) and nothing is cached between rounds.
// A loaded scenario is frozen: validation then builds the full realization, which the Twin built
// from it reuses.
import v8 from 'node:v8';
import { validateScenario } from '../src/topology/validate.js';
import { validateScenario as oldValidateScenario } from './old/validate-scenario.js';
import { validateScenarioShape } from '../src/topology/scenario-validator.generated.js';
import { realize, realizeForChecks } from '../src/topology/realize/index.js';
import { generateSize } from '../src/topology/generate.js';
import type { Scenario } from '../src/topology/scenario.js';
import type { Problem } from '../src/topology/errors.js';
import { argNumber, bytes, int, line, ms, times } from './util.js';

const GOAL_L_MS = 1200;
const GOAL_M_MS = 80;
const gc = (globalThis as { gc?: () => void }).gc;
const locate = () => ({ file: 'generated.yaml' });

interface Run {
  cpuMs: number;
  heap: number;
  problems: number;
}

/**
 * CPU time of `fn` (user + system, GC threads included) and its peak heap: the most the heap held
 * during it (before each collection, and at its end) above what it held when `fn` started.
 */
function measure(fn: () => unknown): { cpuMs: number; heap: number; value: unknown } {
  gc?.();
  const h0 = process.memoryUsage().heapUsed;
  const profiler = new v8.GCProfiler();
  profiler.start();
  const c0 = process.cpuUsage();
  const value = fn();
  const c = process.cpuUsage(c0);
  let peak = process.memoryUsage().heapUsed;
  for (const e of profiler.stop().statistics) peak = Math.max(peak, e.beforeGC.heapStatistics.usedHeapSize);
  return { cpuMs: (c.user + c.system) / 1000, heap: peak - h0, value };
}

function validateRun(fn: (s: unknown, l: typeof locate) => Problem[], s: Scenario): Run {
  const m = measure(() => fn(s, locate));
  return { cpuMs: m.cpuMs, heap: m.heap, problems: (m.value as Problem[]).length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const goal = (value: number, max: number) => `${value <= max ? 'meets goal' : 'misses goal'} (≤ ${ms(max)})`;

interface SizeFigures {
  tier1s: number;
  oldMs: number;
  newMs: number;
}

function size(label: string, s: Scenario, runs: number, max: number | null): SizeFigures {
  const count = (m: object | undefined) => Object.keys(m ?? {}).length;
  const t1 = count(s.tier1s);
  console.log(`  -- ${label}: ${int(t1)} Tier-1s, ${int(count(s.segments))} segments, ${int(count(s.workloads))} workloads, ${int(count(s.avi?.virtualServices))} virtual services`);
  const olds: Run[] = [];
  const news: Run[] = [];
  for (let r = 0; r < runs; r++) {
    // Alternating, the order swapped every round: neither path always runs on a warmer heap.
    if (r % 2 === 0) {
      olds.push(validateRun(oldValidateScenario, s));
      news.push(validateRun(validateScenario, s));
    } else {
      news.push(validateRun(validateScenario, s));
      olds.push(validateRun(oldValidateScenario, s));
    }
  }
  if (olds.some((o) => o.problems) || news.some((n) => n.problems !== olds[0].problems)) throw new Error(`${label}: the two validators disagree or the scenario is invalid`);
  const oldMs = median(olds.map((o) => o.cpuMs));
  const newMs = median(news.map((n) => n.cpuMs));
  const cell = (rs: Run[]) => `${ms(median(rs.map((x) => x.cpuMs))).padStart(9)} CPU (rounds ${rs.map((x) => ms(x.cpuMs)).join(', ')})   peak heap +${bytes(median(rs.map((x) => x.heap)))}`;
  line('   old validateScenario', cell(olds));
  line('   new validateScenario', `${cell(news)}${max !== null ? `   [goal: ${goal(newMs, max)}]` : ''}`);
  line('   new / old', `${times(oldMs / newMs)} faster`);
  // Where the new path's time goes: the schema (Ajv) and validation's realization (lean: no Avi
  // runtime) alone; the semantic rules are the rest. The full realization, which a Twin builds
  // (from validation's, for a frozen scenario), for comparison.
  const shape = median(Array.from({ length: runs }, () => measure(() => validateScenarioShape(s)).cpuMs));
  const rz = median(Array.from({ length: runs }, () => measure(() => realizeForChecks(s)).cpuMs));
  const full = median(Array.from({ length: runs }, () => measure(() => realize(s)).cpuMs));
  line('   new: schema + realize (lean) + rules', `${ms(shape)} + ${ms(rz)} + ${ms(Math.max(0, newMs - shape - rz))}   (full realize: ${ms(full)})`);
  return { tier1s: t1, oldMs, newMs };
}

export function validationStagesSection(header: (title: string) => void): void {
  const runs = Math.max(1, argNumber('validate-runs', 5));
  const withL = process.argv.includes('--validate-l');
  const heapLimit = v8.getHeapStatistics().heap_size_limit;
  header(`v. Validation by size: M, 1,000 Tier-1s${withL ? ', L' : ' (L with --validate-l)'}; old and new validateScenario`);
  console.log(`  CPU time per validation (user + system), median of ${runs} alternating rounds; peak heap during it above the heap before${gc ? ' (collected)' : ''}`);
  // Warm both paths on a small scenario first: the first size does not pay for compiling them.
  const warm = generateSize('S');
  validateScenario(warm, locate);
  oldValidateScenario(warm, locate);
  const figures: SizeFigures[] = [];
  figures.push(size('M', generateSize('M'), runs, GOAL_M_MS));
  figures.push(size('1,000 Tier-1s (L shape)', generateSize('L', { tier1s: 1000 }), runs, null));
  if (withL) {
    if (heapLimit < 8e9) line('   L', 'skipped: needs NODE_OPTIONS=--max-old-space-size=10000');
    else figures.push(size('L', generateSize('L'), Math.min(runs, 3), GOAL_L_MS));
  }
  // Growth: CPU per Tier-1 against M (linear: the per-Tier-1 figure stays flat).
  const base = figures[0];
  const perT1 = (f: SizeFigures, v: number) => v / f.tier1s;
  line(
    '   growth, CPU per Tier-1 (old; new)',
    figures.map((f) => `${int(f.tier1s)} T1: ${(perT1(f, f.oldMs) * 1000).toFixed(0)}; ${(perT1(f, f.newMs) * 1000).toFixed(0)} µs`).join(' | '),
  );
  const last = figures[figures.length - 1];
  const factor = perT1(last, last.newMs) / perT1(base, base.newMs);
  line('   new: per-Tier-1 cost, largest / M', `${times(factor)} (${factor <= 1.5 ? 'meets goal' : 'misses goal'}: linear growth, ≤ 1.5×)`);
}
