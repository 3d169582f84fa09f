// Section w of the benchmark suite: what one what-if edit costs. On a generated deployment with
// BGP (M by default; `--whatif-sizes=M,1000,L`, a number = that many Tier-1s in the L shape; L
// needs NODE_OPTIONS=--max-old-space-size=10000), for each kind of edit — an edge, a ToR, an SE,
// a host, a Kubernetes node failed; a virtual service disabled or added; a VIP moved (allocated, or fixed: the last 12
// virtual services are given the addresses they are allocated); a null route, a SNAT rule, a segment added
// on a Tier-1; a Tier-1 advertisement type removed; an SE group's placement settings; undo (the state before the edit taken again,
// and computed as any edit) — the median over `--whatif-runs=N`
// edits (default 5, each on another object where the scenario has several) of: validating the
// edited scenario against the one it was edited from (as the app does: the schema checks only
// what changed), the incremental update (Twin.update) and its route diff (tables that changed),
// beside the old path in the same run: the edited scenario validated whole, a fresh build (new
// Twin) and the route diff over every table; and the first trace on the updated twin (a
// workload to an outside address: the walker's records are made from the previous compilation's),
// beside the same compilation's first trace with nothing to derive from (its records made from
// scratch, as every first trace made them before). `--whatif-kinds=host,service engine` measures only
// the kinds whose names contain one of those parts. Goal: ≤ 50 ms per edit on L with BGP, the edit
// as the app makes it: validated against the scenario before, then the update (the column `edit`). The updates are
// measured first, one after another as in an editing session (after one untimed edit), and the
// fresh builds after them. The scenario carries the generator's export route map (routePolicy:
// the Tier-0 holds the first Tier-1's segments back from the ToRs), as deployments filter what
// reaches the fabric, for the kind 'flip a route-map or prefix-list entry' (every entry of it
// and its prefix lists); `--whatif-no-route-policy` measures the generated size without it. It
// carries `--whatif-kubernetes=N` Kubernetes clusters too (default 8; 0: none), for the kind
// 'fail a Kubernetes node'; Antrea clusters, or with `--whatif-ncp` TKGi clusters with NCP (a node
// failed takes its pods, NSX workloads, down with it). The old path is measured for the first `--whatif-full-runs=N` edits of
// each kind (default: every edit, but one per kind on L, where a whole validation, a fresh build
// and a diff of every table take ~35 s an edit and would keep a run of all 12 kinds from
// finishing); its undo, a fresh build of the scenario before the edit (the same for every edit),
// is built as often. The ratio is the old path's (whole validation + fresh build) over the edit's.
import { freeze, produce, produceWithPatches, applyPatches, enablePatches, type Draft } from 'immer';
import { realize } from '../src/topology/realize/index.js';
import { formatIp, parseIp } from '../src/topology/ip.js';
import { Twin } from '../src/engine/twin.js';
import { diffRoutes } from '../src/engine/queries/route-diff.js';
import { traceflow, type TraceRequest } from '../src/engine/queries/trace-report.js';
import { validateScenario } from '../src/topology/validate.js';
import { noteEdit } from '../src/topology/scenario.js';
import { GENERATED, generateSize, SIZES, type Size } from '../src/topology/generate.js';
import type { Scenario } from '../src/topology/scenario.js';
import { editsOf, type EditKind } from '../test/engine/incremental-edits.js';
import { int, line, ms } from './util.js';

enablePatches();

const GOAL_MS = 50;

/** V8's collector when node runs with --expose-gc (the first traces are then measured without the update's garbage). */
const collect = (globalThis as { gc?: () => void }).gc;

function listArg(name: string, fallback: string[]): string[] {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3).split(',').filter(Boolean) : fallback;
}

function cpuMs<T>(fn: () => T): { value: T; ms: number } {
  const c0 = process.cpuUsage();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, ms: (c.user + c.system) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};

/**
 * The generated scenario with its last 12 virtual services on fixed VIPs, the addresses they are
 * allocated (an imported deployment's VIPs are fixed; these were allocated last, so fixing them
 * changes no other allocation: the same realization), for the kind 'a fixed VIP moved'; and its
 * VIP range VIP_ROOM addresses longer, for the kind 'add a virtual service allocating its VIP'.
 */
function withFixedVips(s: Scenario): Scenario {
  // (The user's: the virtual services AKO creates come after them.)
  const last = (realize(s).avi?.virtualServices ?? []).filter((v) => v.createdFor === null).slice(-12);
  return produce(s, (d) => {
    for (const v of last) d.avi!.virtualServices![v.name].vip = { address: formatIp(v.vip) };
    // Room for virtual services added that allocate their VIP (the generator's range holds its own exactly).
    const range = d.avi?.networks?.[GENERATED.vipNetwork]?.ranges?.[0];
    if (range) range.to = formatIp(parseIp(range.to)! + VIP_ROOM);
  });
}

/** Addresses added to the VIP range after the generator's (virtual services added that allocate). */
const VIP_ROOM = 64;

/** The edits measured, by kind: up to `runs` distinct objects each. */
function pick(s: Scenario, runs: number): { kind: string; edits: EditKind[] }[] {
  const all = editsOf(s);
  const edgeNames = new Set(Object.entries(s.transportNodes).filter(([, n]) => n.type === 'edge').map(([k]) => k));
  const hostNames = new Set(Object.entries(s.transportNodes).filter(([, n]) => n.type === 'host').map(([k]) => k));
  const seNames = new Set(Object.values(s.avi?.seGroups ?? {}).flatMap((g) => Object.keys(g.serviceEngines)));
  const routerNames = new Set(Object.keys(s.physicalRouters ?? {}));
  const nodeNames = new Set(Object.values(s.kubernetes ?? {}).flatMap((c) => Object.keys(c.nodes)));
  const failOf = (names: Set<string>) => (e: EditKind) => e.kind === 'fail' && names.has(e.label.replace('toggle failure of ', ''));
  const kinds: [string, (e: EditKind) => boolean][] = [
    ['fail an edge', failOf(edgeNames)],
    ['fail a ToR (BGP peer)', failOf(routerNames)],
    ['fail a service engine', failOf(seNames)],
    ['fail a host', failOf(hostNames)],
    ['fail a Kubernetes node', failOf(nodeNames)],
    ['disable a virtual service', (e) => e.kind === 'enabled' && /virtualServices\.[^.]+\.enabled$/.test(e.label.replace('toggle ', ''))],
    ['move a VIP to a new address', (e) => e.kind === 'vip-move'],
    ['move a fixed VIP to a new address', (e) => e.kind === 'vip-move-fixed'],
    ['add a virtual service', (e) => e.kind === 'vip'],
    ['add a virtual service allocating its VIP', (e) => e.kind === 'vip-alloc'],
    ['add a null route on a Tier-1', (e) => e.kind === 'static'],
    ['add a SNAT rule on a Tier-1', (e) => e.kind === 'nat'],
    ['remove TIER1_LB_VIP on a Tier-1', (e) => e.kind === 'advertise' && e.label.startsWith('toggle TIER1_LB_VIP')],
    ['add a segment on a Tier-1', (e) => e.kind === 'segment'],
    ['flip a route-map or prefix-list entry', (e) => e.kind === 'policy'],
    ["change an SE group's placement settings", (e) => e.kind === 'se-group'],
  ];
  // Only the kinds asked for (`--whatif-kinds=edge,service engine`: parts of their names), else all.
  const only = listArg('whatif-kinds', []).map((k) => k.toLowerCase());
  const chosen = only.length ? kinds.filter(([kind]) => only.some((k) => kind.toLowerCase().includes(k))) : kinds;
  if (!chosen.length) {
    // A bad option: said once, without a stack trace.
    console.error(`bench: --whatif-kinds=${only.join(',')}: no kind of edit matches (kinds: ${kinds.map(([kind]) => kind).join('; ')})`);
    process.exit(2);
  }
  // Spread the objects over the scenario (the first ones are often alike).
  return chosen.map(([kind, match]) => {
    const list = all.filter(match);
    const step = Math.max(1, Math.floor(list.length / runs));
    return { kind, edits: list.filter((_, i) => i % step === 0).slice(0, runs) };
  });
}

/**
 * One turn of the event loop, as the app gives each edit (an edit is a user's event): the engine
 * links a state to the one it was updated from by a WeakRef (an edit undone takes it again), and
 * JavaScript keeps every WeakRef's target alive until the job that made or read it ends. Measured
 * in one synchronous loop, every state of the section would stay alive to its end (the heap grew
 * by every update's tables, and every later update and build paid for marking them).
 */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** After a forced collection: time for V8's concurrent sweeper to finish (200 ms; nothing with no --expose-gc). */
const settle = (): Promise<void> => (collect ? new Promise((resolve) => setTimeout(resolve, 200)) : Promise.resolve());

export async function whatIfSection(header: (title: string) => void): Promise<void> {
  const sizes = listArg('whatif-sizes', ['M']);
  const runs = Number(listArg('whatif-runs', ['5'])[0]) || 5;
  const fullRunsArg = Number(listArg('whatif-full-runs', [''])[0]);
  const routePolicy = !process.argv.includes('--whatif-no-route-policy');
  const clusters = Number(listArg('whatif-kubernetes', ['8'])[0]) || 0;
  const ncp = clusters > 0 && process.argv.includes('--whatif-ncp');
  header(`w. What-if edits: incremental update vs fresh build (${sizes.join(', ')}, with BGP; median of ${runs} edits per kind, CPU ms; the fresh build of ${fullRunsArg > 0 ? fullRunsArg : `${runs} (1 on L)`})`);
  for (const size of sizes) {
    const n = Number(size);
    // With the Tier-0's export route map (routePolicy), as deployments filter what reaches the
    // fabric: the route-map kind needs one, and every other kind then runs with it.
    // And Kubernetes clusters (TKGi with Antrea and AKO) on the first Tier-1s with virtual
    // services, for the kind 'fail a Kubernetes node'.
    const policy = { ...(routePolicy ? { routePolicy: true } : {}), ...(clusters ? { kubernetes: clusters } : {}), ...(ncp ? { ncp: true } : {}) };
    const generated = (SIZES as readonly string[]).includes(size) ? generateSize(size as Size, policy) : Number.isInteger(n) && n > 0 ? generateSize('L', { tier1s: n, ...policy }) : null;
    if (!generated) {
      line(`${size}:`, 'not a size (S, M, L or a number of Tier-1s)');
      continue;
    }
    const s = withFixedVips(generated);
    freeze(s, true);
    const count = (m: object | undefined) => Object.keys(m ?? {}).length;
    // Validated first, as loading a file does: the edits are validated against it.
    const loaded = cpuMs(() => validateScenario(s, () => ({ file: 'generated' })));
    if (loaded.value.length) throw new Error(`${size}: the generated scenario has ${loaded.value.length} problem(s)`);
    const built = cpuMs(() => new Twin(s));
    const twin = built.value;
    console.log(`  -- ${size}: ${int(count(s.tier1s))} Tier-1s, ${int(count(s.segments))} segments, ${int(count(s.avi?.virtualServices))} virtual services${routePolicy ? ', an export route map on the Tier-0\'s sessions to the ToRs' : ''}${clusters ? `, ${clusters} Kubernetes clusters (${ncp ? 'NCP' : 'Antrea'}, AKO)` : ''}; validated ${ms(loaded.ms)}, first build ${ms(built.ms)}`);
    console.log(`  ${'kind of edit'.padEnd(34)}${'validate'.padStart(10)}${'(whole)'.padStart(10)}${'update'.padStart(10)}${'edit'.padStart(9)}${'(mean)'.padStart(9)}${'diff'.padStart(9)}${'1st trace'.padStart(11)}${'(scratch)'.padStart(11)}${'| full build'.padStart(13)}${'full diff'.padStart(11)}${'ratio'.padStart(8)}  recomputed (last edit)`);
    // The flow traced after each edit; the built twin is traced first, as a session does.
    const workload = twin.network.endpoints.find((e) => e.kind === 'WORKLOAD');
    const req: TraceRequest | null = workload ? { from: workload.name, to: '8.8.8.8', proto: 'tcp', dport: 443 } : null;
    if (req) twin.trace(req);
    // Two passes: every incremental update first, as an editing session makes them one after
    // another; then the fresh builds they are compared with. A fresh build allocates a whole twin
    // (~1 GiB at L): interleaved, the collection it leaves due lands on the next update measured.
    // The edited scenarios are made again for the second pass rather than kept: each one kept would
    // keep its realization alive (~115 MB at L) and slow down every collection after it.
    type Row = { kind: string; v: number[]; vw: number[]; u: number[]; d: number[]; t: number[]; ts: number[]; f: number[]; fd: number[]; last: string; valid: EditKind[] };
    const rows: (Row | { kind: string; note: string })[] = [];
    const undoTimes: number[] = [];
    const undoComputed: number[] = [];
    const noteTimes: number[] = [];
    const undoFull: number[] = [];
    const picked = pick(s, runs);
    // One untimed edit first: the first update after a build pays the collection the build left
    // due, which would otherwise land on whichever kind is measured first (`--whatif-kinds`).
    const warmUp = picked.find((p) => p.edits.length)?.edits[0];
    if (warmUp) twin.update(produceWithPatches(s, (draft: Draft<Scenario>) => void warmUp.recipe(draft))[0]);
    for (const { kind, edits } of picked) {
      if (!edits.length) {
        rows.push({ kind, note: 'none in this scenario' });
        continue;
      }
      const row: Row = { kind, v: [], vw: [], u: [], d: [], t: [], ts: [], f: [], fd: [], last: '', valid: [] };
      for (const edit of edits) {
        const [next, patches, inverse] = produceWithPatches(s, (draft: Draft<Scenario>) => void edit.recipe(draft));
        // As the app makes an edit (viz/workspace.ts): the name caches told what the patches changed.
        noteTimes.push(cpuMs(() => noteEdit(s, next, patches)).ms);
        // As the app validates an edit: against the scenario it was made from (the schema checks what changed).
        const problems = cpuMs(() => validateScenario(next, () => ({ file: 'edit' }), { previous: s }));
        if (problems.value.length) continue;
        row.v.push(problems.ms);
        const up = cpuMs(() => twin.update(next));
        row.u.push(up.ms);
        row.d.push(cpuMs(() => diffRoutes(twin, up.value)).ms);
        row.last = up.value.report.stages.filter((x) => x.stage !== 'realize').map((x) => `${x.stage} ${x.how}`).join(', ');
        row.valid.push(edit);
        // Undo: the inverse patches, from the edited twin.
        const back = applyPatches(next, inverse);
        noteEdit(next, back, inverse);
        undoTimes.push(cpuMs(() => up.value.update(back)).ms);
        await turn();
      }
      rows.push(row.u.length ? row : { kind, note: 'every edit refused by validation' });
    }
    // The first traces, in a pass of their own (their records would otherwise add to the garbage
    // the next update collects): each edit's update made again, untimed, then its first trace and
    // the same compilation's first trace with nothing to derive from.
    for (const row of rows) {
      if ('note' in row || !req) continue;
      for (const edit of row.valid) {
        const updated = twin.update(produceWithPatches(s, (draft: Draft<Scenario>) => void edit.recipe(draft))[0]);
        // With --expose-gc, the collection the update left due is made before each trace measured
        // (else it lands on whichever trace comes first), and its sweeping let finish (else the
        // trace's first allocations sweep the ~1 GB heap page by page).
        collect?.();
        await settle();
        row.t.push(cpuMs(() => updated.trace(req)).ms);
        collect?.();
        await settle();
        row.ts.push(cpuMs(() => traceflow({ ...updated.compiled, previous: null }, req)).ms);
        await turn();
      }
    }
    // The undo computed as any other edit (the twin before the edit taken as gone), in a pass of its
    // own: the state it computes is a whole update's worth of tables that a session rarely makes
    // (an undo takes the state before again), and its garbage would land on the next edit measured.
    for (const row of rows) {
      if ('note' in row) continue;
      for (const edit of row.valid) {
        const [next, patches, inverse] = produceWithPatches(s, (draft: Draft<Scenario>) => void edit.recipe(draft));
        noteEdit(s, next, patches);
        const updated = twin.update(next);
        const back = applyPatches(next, inverse);
        noteEdit(next, back, inverse);
        undoComputed.push(cpuMs(() => updated.update(back, { takeUndone: false })).ms);
        await turn();
      }
    }
    // The old path: every edit's, or the first `fullRuns` of each kind's (one on L unless told).
    const fullRuns = Number.isInteger(fullRunsArg) && fullRunsArg > 0 ? fullRunsArg : size === 'L' ? 1 : runs;
    for (const row of rows) {
      if ('note' in row) continue;
      for (const edit of row.valid.slice(0, fullRuns)) {
        // The old path of validation: the whole edited scenario (another snapshot of the same edit,
        // so that neither realization nor the build below reuses what the other made).
        const [whole] = produceWithPatches(s, (draft: Draft<Scenario>) => void edit.recipe(draft));
        row.vw.push(cpuMs(() => validateScenario(whole, () => ({ file: 'edit' }))).ms);
        const [next, , inverse] = produceWithPatches(s, (draft: Draft<Scenario>) => void edit.recipe(draft));
        const fresh = cpuMs(() => new Twin(next));
        row.f.push(fresh.ms);
        row.fd.push(cpuMs(() => diffRoutes(twin, fresh.value, { everyComponent: true })).ms);
        // The undo's old path: a fresh build of the scenario before the edit (the same for every edit).
        if (undoFull.length < fullRuns) undoFull.push(cpuMs(() => new Twin(applyPatches(next, inverse))).ms);
        await turn();
      }
    }
    for (const row of rows) {
      if ('note' in row) {
        line(`   ${row.kind}`, row.note);
        continue;
      }
      const mu = median(row.u);
      const mf = median(row.f);
      // The edit as the app makes it: validated against the scenario before, then the update (per edit, then the median).
      const edits = row.u.map((u, i) => u + row.v[i]);
      const me = median(edits);
      // The mean beside it: what the edits cost one after another, a collection that lands in one of them included.
      const mean = edits.reduce((a, b) => a + b, 0) / Math.max(1, edits.length);
      const goal = size === 'L' ? (me <= GOAL_MS ? ' meets goal' : ' misses goal') : '';
      console.log(`  ${`  ${row.kind}`.padEnd(34)}${ms(median(row.v)).padStart(10)}${ms(median(row.vw)).padStart(10)}${ms(mu).padStart(10)}${ms(me).padStart(9)}${ms(mean).padStart(9)}${ms(median(row.d)).padStart(9)}${(row.t.length ? ms(median(row.t)) : '-').padStart(11)}${(row.ts.length ? ms(median(row.ts)) : '-').padStart(11)}${`| ${ms(mf)}`.padStart(13)}${ms(median(row.fd)).padStart(11)}${`${((median(row.vw) + mf) / me).toFixed(1)}×`.padStart(8)}  ${row.last}${goal}`);
    }
    if (undoTimes.length) {
      const mu = median(undoTimes);
      const mf = median(undoFull);
      console.log(`  ${'  undo (any of the above)'.padEnd(34)}${''.padStart(20)}${ms(mu).padStart(10)}${''.padStart(49)}${`| ${ms(mf)}`.padStart(13)}${''.padStart(11)}${`${(mf / mu).toFixed(1)}×`.padStart(8)}  the state before the edit taken again`);
      const mc = median(undoComputed);
      console.log(`  ${'  undo, computed'.padEnd(34)}${''.padStart(20)}${ms(mc).padStart(10)}${''.padStart(49)}${`| ${ms(mf)}`.padStart(13)}${''.padStart(11)}${`${(mf / mc).toFixed(1)}×`.padStart(8)}  as any edit (that state gone: takeUndone false)`);
    }
    // What making each edit adds before the columns above (the app does it too): the name caches told from the patches.
    if (noteTimes.length) console.log(`  noteEdit (the edit's patches told to the name caches, before validate): median ${ms(median(noteTimes))}, at most ${ms(Math.max(...noteTimes))}`);
  }
  console.log(`  goal: edit ≤ ${GOAL_MS} ms on L with BGP (aim 10 ms), edit = validate + update, per edit (the median of the sums):`);
  console.log('  validate = against the scenario edited (as the app and --set/--fail do), (whole) = the edited scenario validated whole;');
  console.log('  (mean) = the mean of the same sums: the edits one after another, with the collections V8 ran during them');
  console.log('  ratio = the old path (validated whole + full build) over the edit');
  console.log('  1st trace = the updated twin\'s first trace (workload → 8.8.8.8), (scratch) = the same compilation\'s first trace with its walker records made from scratch');
}
