// The engine's pipeline: the stages a scenario goes through, in order, each a module with declared
// inputs, and how each updates when an edit changes them. A newcomer reads the pipeline here and
// the stage in its folder:
//
//   stage     module                      inputs                                   output
//   realize   topology/realize            scenario                                 merged scenario, Avi runtime
//   model     model/expand, model/delta   realized scenario                        components, interfaces, domains, end hosts
//   ribs      ribs/compute                model, gateway specs, injected VIP routes tables before BGP, Tier-1 advertisements
//   bgp       bgp/control-plane           model, Tier-0 / router specs, speakers' tables   converged BGP state
//   install   ribs/install                tables before BGP, BGP routes            the routing tables
//   fib       fib/compile                 routing tables, model, NAT/firewall/LB   the forwarding core (walk/ reads it)
//
// Queries (queries/) read the outputs. An update from a previous state keeps what an edit cannot
// have changed, stage by stage, comparing each stage's inputs (immer shares every object an edit
// did not touch, so unchanged inputs compare by identity) and cutting off early when a rebuilt
// output equals the old one:
//   - model: kept when nothing it is made of changed (model/inputs); the previous one with other
//     states when only the failures changed (model/expand withFailures); the previous one with
//     domains and downlinks appended or cut off when only segments were added after the others
//     or the last ones removed (model/grow: every other id kept); else rebuilt and compared
//     with the old one (model/delta). A different shape (objects added,
//     removed or renumbered) rebuilds every later stage; otherwise the components whose state
//     changed (failed edges, SRs changing HA role, interfaces down) are what changed.
//   - ribs: only gateways and physical routers whose spec, components or injected routes changed
//     (of a Tier-0 or a Tier-1 whose SRs only changed state, the DR's default route patched), and
//     Tier-0s whose Tier-1s' advertisements changed (those prefixes patched); an equal rebuilt
//     table is the old one.
//     The injected VIP routes of virtual services placed as before are the previous objects
//     (fib/load-balancer injectedRoutes), the whole list when none changed.
//   - bgp: kept when the Tier-0 and physical-router specs, the speakers' state and the speakers'
//     tables are all the same; when only the speakers' tables changed, the prefixes whose routes
//     differ are decided again alone (bgp/partial-run); otherwise run again as a whole — with the
//     same specs (an edge or a router failed or back), taking the previous run's origination for
//     every speaker whose table before BGP is the very same (RunOptions.reuse: no 150k-route
//     table read again; the rounds decide the prefix classes' representatives).
//   - install: a kept BGP state keeps every installed table; prefixes decided again get their BGP
//     routes replaced in the speakers' tables; after a whole run that reused origination, each
//     speaker's decisions are compared with the previous run's (bgp/control-plane installChanges:
//     per prefix class, once per pair of decisions): the same → its previous table; a few
//     prefixes → replaced; most, each keeping its type and distance (a session of every path gone:
//     the ToRs after an edge failed) → the previous table remapped, its BGP routes given their new
//     next hops when first read (ribs/install remappedTable, RibTable.remapped); else installed
//     whole. Otherwise equal tables are kept.
//   - fib: only the components whose routing table changed get a new FIB block (fib/compile),
//     appended in place to the previous columns (a remapped table's: the previous block copied,
//     its entries' groups remapped per key of the table, no route read); the load balancer's
//     tables are the previous ones when the model and every placement are the same.
//   - an edit that rebuilt most gateways has the stages after ribs built from scratch.
// A large build (and an update that builds BGP or everything again) carves the long-lived typed
// arrays of its bgp, install and fib stages from one reservation made up front (typed-arena.ts).
// test/engine/incremental.test.ts proves an updated state equal to a fresh build, edit by edit.
import { keysOfMap, type Scenario } from '../topology/scenario.js';
import { realize, type Realized } from '../topology/realize/index.js';
import { expand, withFailures, type ExpandedNetwork } from './model/expand.js';
import { modelDelta, type ModelDelta } from './model/delta.js';
import { withSegmentsAtEnd } from './model/grow.js';
import { sameModelInputs } from './model/inputs.js';
import { computeBaseRoutes, type BaseRouting } from './ribs/compute.js';
import { installChanged, installRoutes, patchInstalled } from './ribs/install.js';
import { RibTable, Ribs, differingPrefixes, sameRib, type RoutingState } from './ribs/route.js';
import { knownPrefixKeys, partialRun, partialRunRefusal, partialRunWithout, wholeRunOf } from './bgp/partial-run.js';
import { prefixKey, type Prefix } from '../topology/ip.js';
import { bgpRibInstallation, bgpRibRoutes, installChanges, reusedOriginations, runBgp, type BgpState } from './bgp/control-plane.js';
import { compile, type CompiledNetwork } from './fib/compile.js';
import { compileLoadBalancer, injectedRoutes, type CompiledLoadBalancer } from './fib/load-balancer.js';
import { sameValue } from './incremental/same-value.js';
import { sessionFiltersOnly } from './incremental/session-filters.js';
import { filterChangedPrefixes } from './incremental/filter-prefixes.js';
import { arenaForBuild, arenaForUpdate, withArena, type TypedArena } from './typed-arena.js';

export interface PipelineState {
  /** The user's scenario (what `realized` was realized from). */
  readonly scenario: Scenario;
  readonly realized: Realized;
  readonly network: ExpandedNetwork;
  readonly lb: CompiledLoadBalancer | null;
  /** The tables before BGP (what BGP originates from). */
  readonly base: BaseRouting;
  readonly bgp: BgpState;
  /** The routing tables (BGP routes installed). */
  readonly routing: RoutingState;
  readonly compiled: CompiledNetwork;
  /**
   * The state this one was updated from, while something else keeps it alive: an edit undone (a
   * scenario equal to that state's) takes it again instead of computing it (runPipeline).
   */
  readonly from: WeakRef<PipelineState> | null;
}

export type StageName = 'realize' | 'model' | 'ribs' | 'bgp' | 'install' | 'fib';

export interface StageReport {
  readonly stage: StageName;
  /** built: from scratch; updated: only what changed; kept: the previous output as it was. */
  readonly how: 'built' | 'updated' | 'kept';
  readonly detail: string;
  /** Wall time the stage took (for benchmarks and profiling; not part of any output). */
  readonly ms: number;
}

/** What an update recomputed, stage by stage. */
export interface UpdateReport {
  readonly stages: readonly StageReport[];
  /** Gateways and physical routers whose tables were rebuilt. */
  readonly rebuilt: readonly string[];
  /** Components whose routing table (as installed) differs from before. */
  readonly changedTables: number;
}

/**
 * Whether an update takes the state of an edit undone by default (runPipeline). The tests of each
 * stage's own way back turn it off for their file, as they lower ribTableLimits.
 */
export const undoneDefaults = { take: true };

/** Runs every stage, or updates `previous` (the state of the scenario before an edit) to `scenario`. */
export function runPipeline(scenario: Scenario, previous: PipelineState | null, opts: { takeUndone?: boolean } = {}): { state: PipelineState; report: UpdateReport } {
  // An edit undone: the scenario is the one `previous` was updated from (equal, as immer's inverse
  // patches make it), whose state is still alive. The stages are pure functions of the scenario,
  // so that state is what they would compute: taken again, every stage kept (unless `takeUndone`
  // is false: the tests of each stage's own way back).
  const before = !(opts.takeUndone ?? undoneDefaults.take) ? undefined : previous?.from?.deref();
  if (previous && before && sameValue(scenario, before.scenario)) return { state: { ...before, scenario, from: new WeakRef(previous) }, report: undoneReport(previous, before) };
  const stages: StageReport[] = [];
  let clock = performance.now();
  const report = (stage: StageName, how: StageReport['how'], detail: string) => {
    const now = performance.now();
    stages.push({ stage, how, detail, ms: now - clock });
    clock = now;
  };

  const realized = realize(scenario, previous?.scenario);
  const s = realized.scenario;
  report('realize', previous ? 'updated' : 'built', 'controllers realized');
  // A build reserves its arena first, while the heap holds little more than the scenario: the
  // one marking the reservation costs V8 is then the cheapest it can be (typed-arena.ts).
  let arena: TypedArena | null = previous ? null : buildArena(s);

  const from = previous ? ([{ user: previous.scenario, created: previous.realized.created }, { user: scenario, created: realized.created }] as const) : undefined;
  const keepModel = previous !== null && sameModelInputs(previous.realized.scenario, s, { from });
  const failuresOnly = previous !== null && !keepModel && sameModelInputs(previous.realized.scenario, s, { exceptFailures: true, from });
  // Other failures alone: the previous model with other states, and what changed (no comparison).
  const refailed = failuresOnly ? withFailures(previous.network, s, previous.realized.scenario.failed) : null;
  // Segments added after the others, or the last ones removed, alone: the previous model with
  // their domains and downlinks appended or cut off (model/grow.ts).
  const grown = previous !== null && !keepModel && !failuresOnly && sameModelInputs(previous.realized.scenario, s, { exceptSegments: true, from }) ? withSegmentsAtEnd(previous.network, previous.realized.scenario, s) : null;
  const network = keepModel ? previous.network : refailed ? refailed.network : grown ? grown.network : expand(s);
  const delta: ModelDelta | null = refailed ? refailed.delta : grown ? grown.delta : previous ? modelDelta(previous.network, network) : null;
  const prev = delta ? previous : null;
  // A new model shape: every later stage is built from scratch, as in a first build.
  if (previous && !delta) arena = buildArena(s);
  report(
    'model',
    keepModel ? 'kept' : failuresOnly || grown ? 'updated' : 'built',
    !previous ? 'expanded' : keepModel ? 'the edit changed nothing the model is made of' : grown ? reshapeDetail(previous.network, grown) : delta ? `same shape, ${delta.changedComponents.size} component(s) changed state${failuresOnly ? ' (failures applied to the previous model)' : ''}` : 'shape changed: later stages rebuilt',
  );

  const made = { made: 0 };
  const injected = injectedRoutes(realized.avi, prev ? { avi: prev.realized.avi, routes: prev.base.injectedList } : null, made);
  // Most VIP routes new (a VIP range re-allocated): most Tier-1s and the Tier-0s rebuild, so every
  // stage is built from scratch at once, without comparing each table with its old self first.
  const vipsMoved = prev !== null && made.made >= 64 && made.made * 2 > injected.length;
  if (vipsMoved) arena = buildArena(s);
  const ribs = computeBaseRoutes(s, network, injected, prev && delta && !vipsMoved ? { previous: prev.base, scenario: prev.realized.scenario, changedComponents: delta.changedComponents } : null);
  const base = ribs.routing;
  report('ribs', prev && !vipsMoved ? (ribs.rebuilt.length ? 'updated' : 'kept') : 'built', vipsMoved ? `most VIP routes moved (${made.made} of ${injected.length}): ${base.ribs.length} tables` : prev ? `${ribs.rebuilt.length} gateway(s)/router(s) rebuilt${patchedDetail(ribs.patched.length, ribs.patchedTier1s.length)}, ${ribs.changed.size} table(s) changed` : `${base.ribs.length} tables`);

  // An edit that rebuilt most gateways (a VIP range re-allocated, say) changed most tables: the
  // later stages are built from scratch, which is then cheaper than comparing and patching.
  const widespread = prev !== null && (vipsMoved || ribs.rebuilt.length * 2 > network.gateways.size + network.routerByName.size);
  // An update's kept arrays come from the reservation updates share (typed-arena.ts arenaForUpdate).
  if (prev !== null && !widespread) arena ??= arenaForUpdate(routeCount(base));
  const rerun = prev && delta && !widespread ? bgpRerunReason(prev, s, network, base, delta) : prev ? 'most gateways changed' : 'no previous state';
  let bgp: BgpState;
  let routing: RoutingState;
  if (rerun === null) {
    bgp = prev!.bgp;
    report('bgp', 'kept', 'inputs unchanged');
    const speaker = new Set(bgp.speakers.map((sp) => sp.component));
    routing = new Ribs(base.ribs.map((rib, c) => (speaker.has(c) ? prev!.routing.ribs[c] : rib)));
    report('install', 'kept', 'BGP state kept');
  } else {
    // Only what the speakers originate changed: the prefixes concerned are decided again alone.
    const partial = withArena(arena, () =>
      prev && rerun === SPEAKER_TABLES_CHANGED ? tryPartialBgp(prev, s, network, base) : prev && rerun === ROUTERS_DOWN ? tryPartialBgpWithout(prev, s, network, base) : prev && delta && rerun === FILTERS_CHANGED ? tryFilterPartialBgp(prev, s, network, base, delta) : null,
    );
    if (partial && typeof partial !== 'string') {
      bgp = partial.bgp;
      report('bgp', 'updated', `${rerun === FILTERS_CHANGED ? 'BGP session filters changed: ' : ''}${partial.changed.size} prefix(es) decided again`);
      routing = keepEqual(partial.routing, prev!.routing);
      report('install', 'updated', `BGP routes of ${partial.changed.size} prefix(es) replaced`);
    } else {
      // BGP as a whole, from the previous run's origination where a speaker's table before BGP
      // is the same (edges or routers failed or back: the same specs, other speakers); each
      // speaker's installed table then patched from what its decisions became.
      const reuse = prev !== null && !widespread && rerun !== SPECS_CHANGED ? wholeRunOf(prev.bgp) : undefined;
      // Else its arrays, and the FIB's after it, carved from one reservation (typed-arena.ts).
      if (!reuse) arena ??= arenaForBuild(routeCount(base));
      bgp = withArena(arena, () => runBgp(s, network, base, reuse ? { reuse } : {}));
      report('bgp', 'built', `${typeof partial === 'string' ? `${rerun}; decided as a whole: ${partial}` : rerun}${reuse ? ` (origination reused where a table is the same: ${reusedOriginations(bgp)} of ${bgp.speakers.length} speakers)` : ''}`);
      const changes = reuse ? installChanges(bgp, reuse, network, (c) => base.ribs[c] === prev!.base.ribs[c]) : null;
      const installed = withArena(arena, () => (changes ? installChanged(prev!.routing, base, changes) : installBgp(base, bgp, network)));
      routing = prev && !widespread ? keepEqual(installed, prev.routing) : installed;
      report('install', prev && !widespread ? 'updated' : 'built', changes ? `BGP routes of ${changes.filter((ch) => ch.how !== 'same').length} speaker(s) installed again` : 'BGP routes installed');
    }
  }

  const changed = new Set<number>();
  const reuseFib = prev !== null && !widespread;
  if (reuseFib) for (let c = 0; c < routing.ribs.length; c++) if (routing.ribs[c] !== prev.routing.ribs[c]) changed.add(c);
  const compiled = withArena(arena, () => {
    // The previous tables patched when the model has the same shape (the same, or with other failures).
    const lb = realized.avi ? compileLoadBalancer(network, realized.avi, prev ? prev.lb : null, prev?.network, delta?.changedEndpoints) : null;
    return compile(network, routing, s, lb, reuseFib ? { previous: prev.compiled, changed, modelDelta: delta! } : null);
  });
  const lb = compiled.lb;
  report('fib', reuseFib ? 'updated' : 'built', reuseFib ? `${changed.size} FIB block(s) rebuilt` : `${routing.ribs.length} FIB blocks`);

  return {
    state: { scenario, realized, network, lb, base, bgp, routing, compiled, from: previous ? new WeakRef(previous) : null },
    report: { stages, rebuilt: ribs.rebuilt, changedTables: reuseFib ? changed.size : routing.ribs.length },
  };
}

/** The report of an update that took the state before the last edit again (every stage kept). */
function undoneReport(previous: PipelineState, before: PipelineState): UpdateReport {
  const detail = 'the edit undone: the state before it taken again';
  const stages = (['realize', 'model', 'ribs', 'bgp', 'install', 'fib'] as const).map((stage): StageReport => ({ stage, how: 'kept', detail, ms: 0 }));
  let changed = 0;
  const n = Math.max(before.routing.ribs.length, previous.routing.ribs.length);
  for (let c = 0; c < n; c++) if (before.routing.ribs[c] !== previous.routing.ribs[c]) changed++;
  return { stages, rebuilt: [], changedTables: changed };
}

/** What the ribs stage reports of the gateways patched rather than rebuilt: " (1 Tier-0 patched, 5 Tier-1 default route(s) patched)". */
function patchedDetail(tier0s: number, tier1s: number): string {
  const parts = [tier0s ? `${tier0s} Tier-0 patched` : '', tier1s ? `${tier1s} Tier-1 default route(s) patched` : ''].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** What the model stage reports of a model reshaped by segments added or removed at the end. */
function reshapeDetail(before: ExpandedNetwork, grown: { network: ExpandedNetwork; delta: ModelDelta }): string {
  const n = grown.delta.changedComponents.size;
  return grown.network.domains.length > before.domains.length ? `segments added: ${n} DR(s) given a downlink` : `segments removed: ${n} DR(s) losing one`;
}

const SPEAKER_TABLES_CHANGED = "a BGP speaker's routing table changed";
const SPECS_CHANGED = 'Tier-0 or physical router configuration changed';
const FILTERS_CHANGED = 'BGP session filters changed';
const ROUTERS_DOWN = 'a physical router went down';

/**
 * BGP and the installed tables after an edit that changed only the speakers' tables: the
 * prefixes whose routes differ are decided again alone (bgp/partial-run.ts) and their BGP routes
 * replaced in the installed tables; or why that cannot be exact (the caller runs BGP whole).
 */
function tryPartialBgp(prev: PipelineState, s: Scenario, network: ExpandedNetwork, base: BaseRouting): { bgp: BgpState; routing: RoutingState; changed: ReadonlySet<number> } | string {
  const changed = new Set<number>();
  const prefixes: Prefix[] = [];
  for (const sp of prev.bgp.speakers) {
    const c = sp.component;
    if (base.ribs[c] === prev.base.ribs[c]) continue;
    differingPrefixes(prev.base.ribs[c], base.ribs[c], (p) => {
      const k = prefixKey(p);
      if (!changed.has(k)) {
        changed.add(k);
        prefixes.push(p);
      }
    });
  }
  return decidedAgain(prev, s, network, base, changed, prefixes, false);
}

/**
 * The prefixes in `changed` (`prefixes`, the same) decided again alone on the previous BGP state
 * (bgp/partial-run partialRun) and their BGP routes replaced in the installed tables, or why not
 * (partialRunRefusal; `reachabilityKept`: the speakers' tables before BGP are the same).
 */
function decidedAgain(prev: PipelineState, s: Scenario, network: ExpandedNetwork, base: BaseRouting, changed: ReadonlySet<number>, prefixes: readonly Prefix[], reachabilityKept: boolean): { bgp: BgpState; routing: RoutingState; changed: ReadonlySet<number> } | string {
  const refusal = partialRunRefusal(prev.bgp, changed, prefixes, reachabilityKept);
  if (refusal) return refusal;
  const { state, part } = partialRun(prev.bgp, s, network, base, changed);
  const speakers = [...new Set(prev.bgp.speakers.map((sp) => sp.component))];
  const routing = patchInstalled(prev.routing, prev.base, base, speakers, changed, bgpRibRoutes(part, network), prefixKey);
  return routing ? { bgp: state, routing, changed } : 'a new BGP route resolves recursively';
}

/**
 * BGP and the installed tables after physical routers went down and nothing else BGP reads
 * changed: the prefixes the routers had a say in are decided again alone, without them
 * (bgp/partial-run partialRunWithout); the routers' tables are their tables before BGP.
 */
function tryPartialBgpWithout(prev: PipelineState, s: Scenario, network: ExpandedNetwork, base: BaseRouting): { bgp: BgpState; routing: RoutingState; changed: ReadonlySet<number> } | string {
  const removed = prev.bgp.speakers.filter((sp) => sp.kind === 'router' && network.components[sp.component].ha === 'down').map((sp) => sp.index);
  const run = partialRunWithout(prev.bgp, removed, s, network, base);
  if (typeof run === 'string') return run;
  const speakers = run.state.speakers.map((sp) => sp.component);
  const routing = patchInstalled(prev.routing, prev.base, base, speakers, run.changed, bgpRibRoutes(run.part, network), prefixKey);
  return routing ? { bgp: run.state, routing, changed: run.changed } : 'a new BGP route resolves recursively';
}

/**
 * Of the most prefixes a filter edit decides again alone: past a quarter of the prefixes BGP
 * knows, the whole run from the previous origination (on prefix classes) costs less.
 */
const MAX_FILTER_SHARE = 0.25;

/**
 * BGP and the installed tables after an edit of session filters alone (FILTERS_CHANGED) that can
 * change the decisions of some prefixes only (incremental/filter-prefixes: a prefix list, or a
 * route-map entry matching on prefix lists, edited): those prefixes decided again alone with the
 * new filters (bgp/partial-run partialRun), every other prefix's entries the previous ones. Exact:
 * every speaker's table before BGP is the same (origination and next-hop reachability alike) and
 * no other prefix can meet another verdict; or why not (the caller runs BGP whole).
 */
function tryFilterPartialBgp(prev: PipelineState, s: Scenario, network: ExpandedNetwork, base: BaseRouting, delta: ModelDelta): { bgp: BgpState; routing: RoutingState; changed: ReadonlySet<number> } | string {
  for (const sp of prev.bgp.speakers) {
    if (base.ribs[sp.component] !== prev.base.ribs[sp.component] || delta.changedComponents.has(sp.component)) return "a BGP speaker's table or state changed too";
  }
  const touched = filterChangedPrefixes(s, prev.realized.scenario);
  if (touched === null) return 'the filters changed may read any prefix';
  const known = knownPrefixKeys(prev.bgp);
  if (known === null) return 'the prefixes of the previous state are not listed';
  const changed = new Set<number>();
  const prefixes: Prefix[] = [];
  let count = 0;
  for (const keys of known) count += keys.length;
  // Past this many, BGP runs whole: said as soon as it is passed (an entry such as 0.0.0.0/0 le 32
  // touches every prefix; collecting 144k of them first cost ~30 ms at L).
  const most = count * MAX_FILTER_SHARE;
  for (const keys of known) {
    // The prefixes inside each range the edit can touch: a run of the sorted keys.
    for (const r of touched.within) {
      const from = r.addr * 64;
      const to = (r.addr + 2 ** (32 - r.len)) * 64;
      for (let i = firstKeyAtOrAfter(keys, from); i < keys.length && keys[i] < to; i++) {
        const k = keys[i];
        // (k / 64 is exact: no remainder operator on doubles.)
        const addr = Math.floor(k / 64);
        const len = k - addr * 64;
        // The test first: a key (a double past 2^31) is boxed to be looked up in the set, and a
        // range such as 10.0.0.0/8 holds all 144k keys at L, few of which the test accepts.
        if (!touched.test(addr, len) || changed.has(k)) continue;
        changed.add(k);
        if (changed.size > most) return `the filters changed read more than ${Math.floor(most)} of ${count} prefixes`;
        prefixes.push({ addr, len });
      }
    }
  }
  return decidedAgain(prev, s, network, base, changed, prefixes, true);
}

/** The first index of sorted `keys` holding a key ≥ `k` (keys.length: none). */
function firstKeyAtOrAfter(keys: Float64Array, k: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Why BGP must run again after an edit, or null when its inputs are all the same. */
function bgpRerunReason(prev: PipelineState, s: Scenario, network: ExpandedNetwork, base: BaseRouting, delta: ModelDelta): string | null {
  const was = prev.realized.scenario;
  if (!sameValue(s.settings, was.settings)) return SPECS_CHANGED;
  // Session filters alone (and the policies only they read): BGP whole, from the previous origination.
  if (!sameValue(s.tier0s, was.tier0s) || !sameValue(s.physicalRouters, was.physicalRouters)) return sessionFiltersOnly(s, was) ? FILTERS_CHANGED : SPECS_CHANGED;
  let routersDown = false;
  for (const c of delta.changedComponents) {
    const type = prev.network.components[c].type;
    // A physical router gone down (no longer a speaker) is decided without it when nothing else changed.
    if (type === 'PHYSICAL_ROUTER' && prev.network.components[c].ha === 'active' && network.components[c].ha === 'down') routersDown = true;
    else if (type === 'T0_SR' || type === 'PHYSICAL_ROUTER') return 'a Tier-0 SR or physical router changed state';
  }
  let tablesChanged = false;
  for (const sp of prev.bgp.speakers) {
    if (base.ribs[sp.component] === prev.base.ribs[sp.component]) continue;
    if (routersDown && !(sp.kind === 'router' && network.components[sp.component].ha === 'down')) return 'a physical router went down and a BGP speaker\'s routing table changed';
    tablesChanged = true;
  }
  if (routersDown) return ROUTERS_DOWN;
  return tablesChanged ? SPEAKER_TABLES_CHANGED : null;
}

/** The arena a build of the (realized) scenario `s` reserves before its first stage, or null for a small one. */
export function buildArena(s: Scenario): TypedArena | null {
  return arenaForBuild(estimatedRoutes(s));
}

/**
 * The routes a scenario's tables will hold before BGP, estimated before the model exists: every
 * segment and virtual service is a prefix of its Tier-1 and, advertised, of a Tier-0's DR and
 * SRs (at most one SR per edge node).
 */
function estimatedRoutes(s: Scenario): number {
  let edges = 0;
  for (const cluster of Object.values(s.edgeClusters ?? {})) edges += cluster.members.length;
  const prefixes = keysOfMap(s.segments ?? {}).length + keysOfMap(s.avi?.virtualServices ?? {}).length;
  return prefixes * (edges + 2);
}

/** Routes in every table. */
function routeCount(routing: RoutingState): number {
  let n = 0;
  for (const rib of routing.ribs) n += rib.length;
  return n;
}

/** The installed tables, with each one equal to the previous state's replaced by that one. */
function keepEqual(next: RoutingState, prev: RoutingState): RoutingState {
  let same = 0;
  const ribs: RibTable[] = next.ribs.map((rib, c) => {
    if (rib === prev.ribs[c] || sameRib(prev.ribs[c], rib)) {
      same++;
      return prev.ribs[c];
    }
    return rib;
  });
  return same ? new Ribs(ribs) : next;
}

/** The tables after BGP: every speaker's BGP routes installed, an alike speaker's table made of another's (ribs/install alikeTable). */
function installBgp(base: RoutingState, bgp: BgpState, network: ExpandedNetwork): RoutingState {
  const { routes, alike } = bgpRibInstallation(bgp, network);
  return installRoutes(base, routes, alike);
}
