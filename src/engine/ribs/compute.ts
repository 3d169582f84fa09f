// The routing tables before BGP, gateway by gateway: connected, static (ECMP, distance, null,
// recursive next hops), controller-injected routes, the automatic routes NSX plumbs (Tier-1
// default to its Tier-0, Tier-0 DR default to its SRs, SR routes to the DR's segments) and the
// Tier-1 advertised prefixes on the Tier-0 at distance 3 (modelling-decisions.md "Routes").
// Each gateway's (and physical router's) tables depend only on its own spec, its components'
// state and, for a Tier-0, what its Tier-1s advertise: given the previous computation, an update
// rebuilds only the gateways whose inputs differ, and keeps a rebuilt table that came out equal
// to the previous one (the early cut-off that lets later stages reuse their work). A Tier-0 whose
// only change is what some Tier-1s advertise gets the routes of those prefixes rebuilt and merged
// into its tables (unless one of its static routes is for, or resolves through, one of them).
// A Tier-0 built whole makes its SRs' tables of its DR's (shared-tables.ts): the advertised
// routes are built once, for the DR, and each SR lists them with its own next hops.
import { comparePrefix, contains, networkOf, samePrefix, parseIp, parsePrefix, prefixKey, prefixOfKey, sortedPrefixes, type Prefix } from '../../topology/ip.js';
import { changedNames, entriesOf, isFrozenObject, keysOfMap, sameKeys, type PhysicalRouterSpec, type Scenario, type StaticRouteSpec, type Tier0Spec, type Tier1Spec } from '../../topology/scenario.js';
import type { ExpandedNetwork } from '../model/expand.js';
import { interfacesByKey, interfacesOfKind, subnetKey } from '../model/interface-kinds.js';
import { Advertisers, advertisedIn, advertising } from './advertisers.js';
import { natAddresses } from '../fib/nat.js';
import { sameValue, sameValueExcept } from '../incremental/same-value.js';
import { ADVERTISEMENT_ROUTE_TYPE, tier1Advertises, type InjectedRoute, type Tier1Candidate } from './advertise.js';
import { resolveNextHops } from './next-hops.js';
import { groupByTier1, groupsChange, patchGroups, type InjectedGroups } from './injected-groups.js';
import { BLACKHOLE, DISTANCE, RibTable, Ribs, Route, firstAtOrAfter, nextHop, runEnd, sameRib, spliceRuns, type RibNextHop, type RibRoute, type RoutingState, type RouteType } from './route.js';
import { mergeRuns, permute, selectRoutes, selectSorted, sortOrder, sortRoutes } from './select.js';
import { HopCopier, resolvedAlone, sharedPositions } from './shared-tables.js';

/**
 * Per component interface list: the component's interface on each router-link domain (a Tier-0
 * component has one per Tier-1: thousands at L). Keyed by the list, which a model with other
 * failures or with segments added (model/grow) shares with the model it came from: an interface
 * id names the same interface, on the same domain, in every model holding that list.
 */
const routerLinkCache = new WeakMap<readonly number[], ReadonlyMap<number, number>>();

function routerLinks(net: ExpandedNetwork, c: number): ReadonlyMap<number, number> {
  const list = net.components[c].interfaces;
  let links = routerLinkCache.get(list);
  if (links === undefined) {
    links = new Map(list.filter((i) => net.interfaces[i].kind === 'router-link').map((i) => [net.interfaces[i].domain, i]));
    routerLinkCache.set(list, links);
  }
  return links;
}

/** A Tier-1 candidate prefix and whether the Tier-1 advertises it. */
export interface Advert {
  readonly candidate: Tier1Candidate;
  readonly advertised: boolean;
}

/** The tables before BGP, with what the next update compares against. */
export interface BaseRouting extends RoutingState {
  /** Per Tier-1: its candidate prefixes and the advertisement decision of each. */
  readonly adverts: ReadonlyMap<string, readonly Advert[]>;
  /** Which Tier-1s advertise a prefix (an index over `adverts`, made when first asked). */
  readonly advertisers: Advertisers;
  /** Controller-injected routes, by Tier-1. */
  readonly injected: ReadonlyMap<string, readonly InjectedRoute[]>;
  /** The controller-injected routes as given (an update given the very same list reuses `injected`). */
  readonly injectedList: readonly InjectedRoute[];
}

/** What an update starts from: the previous computation and how the model changed. */
export interface RibReuse {
  readonly previous: BaseRouting;
  /** The (realized) scenario the previous computation was made from. */
  readonly scenario: Scenario;
  /** Components whose state (HA, interface or endpoint flags) differs; the model's shape is the same. */
  readonly changedComponents: ReadonlySet<number>;
}

export interface RibUpdate {
  readonly routing: BaseRouting;
  /** Gateways and physical routers whose tables were rebuilt, in scenario order. */
  readonly rebuilt: readonly string[];
  /** The Tier-0s among them that were patched (the changed Tier-1 advertisements only, or the DR's default route after SRs changed state). */
  readonly patched: readonly string[];
  /** The Tier-1s among them whose DR's default route alone was patched (their SRs changed state). */
  readonly patchedTier1s: readonly string[];
  /** Components whose table differs from the previous one (all of them without a previous computation). */
  readonly changed: ReadonlySet<number>;
}

export function computeRoutes(s: Scenario, net: ExpandedNetwork, injected: readonly InjectedRoute[] = []): BaseRouting {
  return computeBaseRoutes(s, net, injected, null).routing;
}

/** The tables of every component, rebuilding only what `reuse` says may differ (everything without it). */
export function computeBaseRoutes(s: Scenario, net: ExpandedNetwork, injectedList: readonly InjectedRoute[], reuse: RibReuse | null): RibUpdate {
  const prev = reuse?.previous ?? null;
  const ribs: RibTable[] = net.components.map((_, c) => (prev ? prev.ribs[c] : RibTable.empty));
  const changed = new Set<number>();
  const rebuilt: string[] = [];
  const patched: string[] = [];
  const patchedTier1s: string[] = [];
  const build = new GatewayBuilder(net);
  // Controller-injected routes are static routes on the Tier-1 (on its SRs when it has any), grouped by Tier-1 once.
  const injected = prev && injectedList === prev.injectedList ? prev.injected : ((prev && patchGroups(prev.injectedList, prev.injected, injectedList)) ?? groupByTier1(injectedList));
  const stateChanged = (c: number) => !reuse || reuse.changedComponents.has(c);
  /** Whether the state of any of a gateway's components changed (no array per gateway). */
  const gatewayChanged = (gw: { readonly dr: number; readonly srs: readonly number[] }) => stateChanged(gw.dr) || gw.srs.some(stateChanged);
  /** Installs freshly built tables (or patched ones), keeping a previous table that came out equal. */
  const keep = (fresh: Map<number, RibTable | readonly RibRoute[]>) => {
    for (const [c, routes] of fresh) {
      const rib = routes instanceof RibTable ? routes : RibTable.of(routes);
      if (prev && sameRib(prev.ribs[c], rib)) continue;
      ribs[c] = rib;
      changed.add(c);
    }
  };

  for (const [name, r] of entriesOf(s.physicalRouters)) {
    const c = net.routerByName.get(name)!;
    if (reuse && !stateChanged(c) && sameValue(r, reuse.scenario.physicalRouters?.[name])) continue;
    rebuilt.push(name);
    keep(build.physicalRouter(c, r, `physicalRouters.${name}`));
  }

  // (When what changed is known, the previous advertisements copied at once, natively.)
  const looked = reuse && prev ? tier1sToLook(s, net, reuse, prev, injected) : null;
  const adverts = looked !== null ? new Map(prev!.adverts) : new Map<string, readonly Advert[]>();
  /** Tier-1s whose advertisements (or Tier-0) changed: their Tier-0s (before and after) rebuild. */
  const dirtyTier0s = new Set<string>();
  /** Per Tier-0: the prefixes whose advertisement by some Tier-1 changed (when that is all that changed). */
  const advertChanges = new Map<string, Set<number>>();
  /** Tier-0s that must be rebuilt whole (a Tier-1 moved between Tier-0s or is new). */
  const wholeTier0s = new Set<string>();
  // When what changed is known (Tier-1s edited, injected groups changed, components that changed
  // state: tier1sToLook), only those Tier-1s are looked at; the others keep their advertisements.
  /** Tier-1s whose advertisements were made again (the others keep their previous lists). */
  const touchedTier1s: string[] = [];
  const tier1Entries: Iterable<[string, Tier1Spec]> = looked === null ? entriesOf(s.tier1s) : looked.map((name) => [name, s.tier1s![name]] as [string, Tier1Spec]);
  for (const [name, t1] of tier1Entries) {
    const gw = net.gateways.get(name)!;
    const was = reuse?.scenario.tier1s?.[name];
    const mine = injected.get(name) ?? [];
    if (prev && reuse && sameValue(t1, was) && sameInjected(mine, prev.injected.get(name) ?? [])) {
      if (!gatewayChanged(gw)) {
        adverts.set(name, prev.adverts.get(name)!);
        continue;
      }
      // Only its SRs changed state (an edge failed or came back: HA roles moved): of its tables,
      // only the DR's default route reads that (ECMP over the active SRs) — patched alone into
      // the DR's table; the SRs' tables and the advertisements are the previous ones.
      if (gw.srs.length && !stateChanged(gw.dr)) {
        rebuilt.push(name);
        patchedTier1s.push(name);
        keep(new Map([[gw.dr, replacePrefixes(prev.ribs[gw.dr], build.tier1Default(name), DEFAULT_ONLY)]]));
        adverts.set(name, prev.adverts.get(name)!);
        continue;
      }
    }
    rebuilt.push(name);
    const out = build.tier1(name, t1, mine);
    keep(out.ribs);
    // The Tier-0 sees only what is advertised.
    const before = prev?.adverts.get(name);
    // The same advertised prefixes (what a Tier-0 reads of the list): the previous list kept, so
    // that what is derived from it (advertisedAt, the advertisers' index) stays valid — an edge
    // failing moves ~100 Tier-1 SRs at size L, and their lists are the same.
    const same = before !== undefined && sameAdvertised(before, out.adverts);
    adverts.set(name, same ? before : out.adverts);
    touchedTier1s.push(name);
    if (!same) {
      if (t1.tier0) {
        dirtyTier0s.add(t1.tier0);
        if (!before) wholeTier0s.add(t1.tier0);
        else if (!wholeTier0s.has(t1.tier0)) {
          // The prefixes whose advertisement by this Tier-1 differs: what its Tier-0 may patch.
          let keys = advertChanges.get(t1.tier0);
          if (!keys) advertChanges.set(t1.tier0, (keys = new Set()));
          changedAdvertKeys(before, out.adverts, keys);
        }
      }
    }
    if (was?.tier0 && was.tier0 !== t1.tier0) {
      dirtyTier0s.add(was.tier0);
      wholeTier0s.add(was.tier0);
      if (t1.tier0) {
        dirtyTier0s.add(t1.tier0);
        wholeTier0s.add(t1.tier0);
      }
    }
  }

  // Which Tier-1s advertise a prefix (what a Tier-0 patch of some prefixes reads).
  const advertisers = prev ? prev.advertisers.next(adverts, touchedTier1s) : Advertisers.of(adverts);
  // Tier-1s by Tier-0, in scenario order (made when a Tier-0 is built, once per Tier-1 map).
  const tier1sOf = (tier0: string): readonly string[] => tier1sByTier0(s.tier1s, reuse?.scenario.tier1s).get(tier0) ?? [];
  for (const [name, t0] of entriesOf(s.tier0s)) {
    const gw = net.gateways.get(name)!;
    // (An edit of what BGP alone reads — sessions, policies, redistribution — leaves its tables.)
    const specSame = !!reuse && sameTier0Tables(t0, reuse.scenario.tier0s?.[name]);
    const sameSpec = specSame && !gatewayChanged(gw);
    if (sameSpec && !dirtyTier0s.has(name)) continue;
    rebuilt.push(name);
    // Only the state of some SRs changed (an edge failed or came back): the SRs' own routes do not
    // depend on it, the DR's default route does (ECMP over the active SRs): that route alone,
    // patched into the DR's table (whose routes all have their interface: nothing resolves
    // through it), instead of the DR's and those SRs' 130,000-route tables built again.
    if (prev && reuse && specSame && !dirtyTier0s.has(name)) {
      patched.push(name);
      const part = build.tier0(name, t0, tier1sOf(name), adverts, DEFAULT_ONLY, new Set([gw.dr]), advertisers);
      keep(new Map([[gw.dr, replacePrefixes(prev.ribs[gw.dr], part.get(gw.dr) ?? [], DEFAULT_ONLY)]]));
      continue;
    }
    // Only some Tier-1 advertisements changed: those prefixes are patched into the tables.
    const only = advertChanges.get(name);
    // (Not when they are a good part of the table: building it whole is then cheaper.)
    if (prev && sameSpec && only && !wholeTier0s.has(name) && only.size * 8 <= prev.ribs[gw.dr].length && patchable(t0, only)) {
      patched.push(name);
      const part = build.tier0(name, t0, tier1sOf(name), adverts, only, null, advertisers);
      const tables = new Map<number, RibTable>();
      for (const [c, routes] of part) tables.set(c, replacePrefixes(prev.ribs[c], routes, only));
      keep(tables);
    } else keep(build.tier0Whole(name, t0, tier1sOf(name), adverts));
  }
  if (!prev) for (let c = 0; c < ribs.length; c++) changed.add(c);
  return { routing: Object.assign(new Ribs(ribs), { adverts, advertisers, injected, injectedList }), rebuilt, patched, patchedTier1s, changed };
}

/** The fields of a Tier-0 that BGP alone reads: the tables before BGP are made without them. */
const BGP_ONLY_FIELDS: ReadonlySet<string> = new Set<keyof Tier0Spec>(['bgp', 'redistribution', 'prefixLists', 'communityLists', 'routeMaps']);

/** Whether two Tier-0 specs make the same tables before BGP: equal but for the fields BGP alone reads. */
function sameTier0Tables(a: Tier0Spec, b: Tier0Spec | undefined): boolean {
  return b !== undefined && sameValueExcept(a, b, BGP_ONLY_FIELDS);
}

/**
 * The Tier-1s an update must look at, in scenario order, when the Tier-1 specs are frozen maps
 * with the same names and the injected routes' grouping is the previous one or patched from it
 * (injected-groups groupsChange): those edited, those of components whose state changed and
 * those whose group changed. Null when that is not known (every Tier-1 is looked at).
 */
function tier1sToLook(s: Scenario, net: ExpandedNetwork, reuse: RibReuse, prev: BaseRouting, injected: InjectedGroups): string[] | null {
  // Frozen maps (immer's snapshots: an entry not edited is the very same object) with the same
  // names: the entries edited are looked at, the others are the previous ones.
  const was = reuse.scenario.tier1s;
  if (!s.tier1s || !was || !isFrozenObject(s.tier1s) || !isFrozenObject(was)) return null;
  const names = new Set<string>();
  if (s.tier1s !== was) {
    if (!sameKeys(s.tier1s, was)) return null;
    for (const name of changedNames(s.tier1s, was)) names.add(name);
  }
  if (injected !== prev.injected) {
    const change = groupsChange(injected);
    if (change === null || change.from !== prev.injected) return null;
    for (const name of change.tier1s) names.add(name);
  }
  for (const c of reuse.changedComponents) {
    const comp = net.components[c];
    if (comp.type === 'T1_DR' || comp.type === 'T1_SR') names.add(comp.name);
  }
  const order = tier1Order(s.tier1s, was);
  const out: string[] = [];
  for (const name of names) if (order.has(name)) out.push(name);
  return out.sort((a, b) => order.get(a)! - order.get(b)!);
}

/** The Tier-1s of each Tier-0, in map order; kept per frozen map, and the previous map's again when an edit kept every Tier-1's Tier-0 (names and order the same). */
function tier1sByTier0(map: Scenario['tier1s'], was?: Scenario['tier1s']): ReadonlyMap<string, readonly string[]> {
  const known = map ? tier1sByTier0Of.get(map) : undefined;
  if (known !== undefined) return known;
  // The previous map's grouping, when the names are the same and every Tier-1 edited kept its Tier-0.
  const before = was ? tier1sByTier0Of.get(was) : undefined;
  if (map && was && before !== undefined && sameKeys(map, was) && changedNames(map, was).every((name) => map[name]?.tier0 === was[name]?.tier0)) {
    if (isFrozenObject(map)) tier1sByTier0Of.set(map, before);
    return before;
  }
  const out = new Map<string, string[]>();
  for (const [name, t1] of entriesOf(map)) {
    if (!t1.tier0) continue;
    const list = out.get(t1.tier0);
    if (list) list.push(name);
    else out.set(t1.tier0, [name]);
  }
  if (map && isFrozenObject(map)) tier1sByTier0Of.set(map, out);
  return out;
}

const tier1sByTier0Of = new WeakMap<object, ReadonlyMap<string, readonly string[]>>();

/** Each Tier-1's position in its map, per (frozen) map; `sameNames`' when that map has the same names in the same order. */
function tier1Order(map: object, sameNames?: object): ReadonlyMap<string, number> {
  let order = tier1OrderOf.get(map);
  if (order === undefined) {
    const known = sameNames !== undefined ? tier1OrderOf.get(sameNames) : undefined;
    order = known !== undefined && sameKeys(map, sameNames) ? known : new Map(keysOfMap(map).map((name, i) => [name, i]));
    if (isFrozenObject(map)) tier1OrderOf.set(map, order);
  }
  return order;
}

const tier1OrderOf = new WeakMap<object, ReadonlyMap<string, number>>();

function sameInjected(a: readonly InjectedRoute[], b: readonly InjectedRoute[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x.prefix.addr !== y.prefix.addr || x.prefix.len !== y.prefix.len || x.origin !== y.origin || x.advertiseAs !== y.advertiseAs) return false;
    if (x.nextHops.length !== y.nextHops.length || x.nextHops.some((h, k) => h !== y.nextHops[k])) return false;
  }
  return true;
}

/**
 * Adds to `keys` the prefixes (prefixKey) whose advertised candidates — each one's type and
 * origin, in order, which is all a Tier-0 route of the prefix is made of — differ between two
 * advertisement lists of one Tier-1.
 */
function changedAdvertKeys(a: readonly Advert[], b: readonly Advert[], keys: Set<number>): void {
  const signature = (list: readonly Advert[]) => {
    const out = new Map<number, string>();
    for (const { candidate, advertised } of list) {
      if (!advertised) continue;
      const k = prefixKey(candidate.prefix);
      out.set(k, `${out.get(k) ?? ''}${candidate.type}\u0000${candidate.origin}\u0000`);
    }
    return out;
  };
  const x = signature(a);
  const y = signature(b);
  for (const [k, v] of x) if (y.get(k) !== v) keys.add(k);
  for (const k of y.keys()) if (!x.has(k)) keys.add(k);
}

/** The same advertised prefixes (type, origin and prefix, in order). */
function sameAdvertised(a: readonly Advert[], b: readonly Advert[]): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !a[i].advertised) i++;
    while (j < b.length && !b[j].advertised) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    const x = a[i++].candidate;
    const y = b[j++].candidate;
    if (x.type !== y.type || x.origin !== y.origin || x.prefix.addr !== y.prefix.addr || x.prefix.len !== y.prefix.len) return false;
  }
}

const DEFAULT: Prefix = { addr: 0, len: 0 };

/**
 * srTables: a Tier-0's SR tables built whole are made of its DR's where that is exact
 * (ribs/shared-tables.ts). Off: every SR table holds routes of its own (the tests compare the two).
 */
export const ribSharing = { srTables: true };

/** The default route alone (its prefix key), for a patch of that prefix. */
const DEFAULT_ONLY: ReadonlySet<number> = new Set([prefixKey(DEFAULT)]);

/** Builds the tables of one gateway (or physical router) at a time, each final (sorted, selected). */
class GatewayBuilder {
  private fresh = new Map<number, RibRoute[]>();
  constructor(private readonly net: ExpandedNetwork) {}

  private begin(comps: readonly number[]): void {
    this.fresh = new Map(comps.map((c) => [c, []]));
  }

  /** Sorts and selects every table of the gateway; returns them. */
  private finish(): Map<number, RibRoute[]> {
    for (const rib of this.fresh.values()) {
      sortRoutes(rib);
      selectSorted(rib);
    }
    return this.fresh;
  }

  /** When set, only routes for these prefixes (prefixKey) are built (a patch of some prefixes). */
  private only: ReadonlySet<number> | null = null;

  private add(component: number, prefix: Prefix, type: RouteType, distance: number, nextHops: readonly RibNextHop[], origin: string): RibRoute | null {
    if (this.only !== null && !this.only.has(prefixKey(prefix))) return null;
    const table = this.fresh.get(component);
    if (table === undefined) return null; // a table not being built (see tier0's `tables`)
    const route = new Route(component, prefix, type, distance, nextHops, origin);
    table.push(route);
    return route;
  }

  private iface(c: number, kind: string): number | undefined {
    const net = this.net;
    return net.components[c].interfaces.find((i) => net.interfaces[i].kind === kind);
  }

  private ipOf(c: number, kind: string): number {
    return this.net.interfaces[this.iface(c, kind)!].ip;
  }

  private connected(c: number): void {
    const only = this.only;
    const list = this.net.components[c].interfaces;
    if (only !== null && only.size < list.length) {
      // A patch of some prefixes: the interfaces on those prefixes alone, found by their keys (a
      // Tier-0 SR has a router link per Tier-1); the routes of one prefix in interface order.
      const byKey = interfacesByKey(this.net, c);
      for (const k of only) for (const i of byKey.get(k) ?? []) this.connectedRoute(c, i);
      return;
    }
    for (const i of list) {
      const itf = this.net.interfaces[i];
      if (only !== null && !only.has(subnetKey(itf))) continue;
      this.connectedRoute(c, i);
    }
  }

  private connectedRoute(c: number, i: number): void {
    const itf = this.net.interfaces[i];
    this.add(c, networkOf(itf), 'connected', DISTANCE.connected, [nextHop(null, i)], `interface ${itf.name}`);
  }

  private statics(c: number, specs: StaticRouteSpec[] | undefined, owner: string): void {
    for (const [idx, sr] of (specs ?? []).entries()) {
      if (sr.enabled === false) continue;
      const prefix = parsePrefix(sr.network)!;
      const byDistance = new Map<number, RibNextHop[]>();
      for (const raw of sr.nextHops) {
        const nh = typeof raw === 'string' ? { ip: raw } : raw;
        const d = nh.distance ?? DISTANCE.static;
        const list = byDistance.get(d) ?? [];
        list.push(nh.blackhole ? BLACKHOLE : nextHop(parseIp(nh.ip)!, null));
        byDistance.set(d, list);
      }
      const label = sr.name ? `static route ${JSON.stringify(sr.name)}` : `static route ${owner}.staticRoutes[${idx}]`;
      for (const [distance, nextHops] of [...byDistance].sort((a, b) => a[0] - b[0])) this.add(c, prefix, 'static', distance, nextHops, label);
    }
  }

  private inject(c: number, routes: readonly InjectedRoute[], byRoute: Map<RibRoute, InjectedRoute>): void {
    // One next-hop list per list of addresses (the VIPs of the same SEs share theirs): resolved once.
    const lists = new Map<readonly number[], readonly RibNextHop[]>();
    for (const r of routes) {
      let hops = lists.get(r.nextHops);
      if (hops === undefined) lists.set(r.nextHops, (hops = r.nextHops.map((ip) => nextHop(ip, null))));
      const route = this.add(c, r.prefix, 'static', DISTANCE.static, hops, r.origin);
      if (route) byRoute.set(route, r);
    }
  }

  private autoRoute(c: number, prefix: Prefix, hops: { ip: number; interface: number | undefined }[], origin: string, type: RouteType = 'auto', distance: number = DISTANCE.auto): void {
    const nextHops = hops.filter((h) => h.interface !== undefined).map((h) => nextHop(h.ip, h.interface!));
    if (nextHops.length) this.add(c, prefix, type, distance, nextHops, origin);
  }

  private activeSrs(srs: readonly number[]): number[] {
    return srs.filter((sr) => this.net.components[sr].ha === 'active');
  }

  /**
   * Resolves the statics of a table. An SR sends to a next hop on its gateway's own segments
   * directly (the edge switches onto the overlay segment), so SR next hops also resolve through
   * the DR's downlink interfaces.
   */
  private resolve(c: number): void {
    const net = this.net;
    const comp = net.components[c];
    const dr = comp.type === 'T0_SR' || comp.type === 'T1_SR' ? net.gateways.get(comp.name)!.dr : -1;
    const downlinks = dr >= 0 ? interfacesOfKind(net, dr, 'downlink') : [];
    resolveNextHops(this.fresh.get(c)!, downlinks.map((i) => ({ interface: i, prefix: networkOf(net.interfaces[i]) })));
  }

  physicalRouter(c: number, r: PhysicalRouterSpec, owner: string): Map<number, RibRoute[]> {
    this.begin([c]);
    this.connected(c);
    this.statics(c, r.staticRoutes, owner);
    this.resolve(c);
    return this.finish();
  }

  /** A Tier-1 with SRs: its DR's default route, as tier1() makes it, alone. */
  tier1Default(name: string): RibRoute[] {
    const { dr, srs } = this.net.gateways.get(name)!;
    this.begin([dr]);
    this.srDefault(name, dr, srs);
    return this.finish().get(dr)!;
  }

  /** A Tier-1 DR's default route: ECMP over its active SRs' transit addresses (none active: no route). */
  private srDefault(name: string, dr: number, srs: readonly number[]): void {
    const hops = this.activeSrs(srs).map((sr) => ({ ip: this.ipOf(sr, 'transit'), interface: this.iface(dr, 'transit') }));
    this.autoRoute(dr, DEFAULT, hops, `service router of ${name}`);
  }

  tier1(name: string, t1: Tier1Spec, injected: readonly InjectedRoute[]): { ribs: Map<number, RibRoute[]>; adverts: Advert[] } {
    const net = this.net;
    const gw = net.gateways.get(name)!;
    const { dr, srs } = gw;
    this.begin([dr, ...srs]);
    const byRoute = new Map<RibRoute, InjectedRoute>();
    this.connected(dr);
    for (const sr of srs) this.connected(sr);
    const drTransit = srs.length ? this.ipOf(dr, 'transit') : 0;
    for (const sr of srs) {
      // The SR reaches the Tier-1's segments through the DR on its edge.
      for (const i of net.components[dr].interfaces) {
        const itf = net.interfaces[i];
        if (itf.kind !== 'downlink') continue;
        this.autoRoute(sr, networkOf(itf), [{ ip: drTransit, interface: this.iface(sr, 'transit') }], `segment ${net.domains[itf.domain].segment} (via DR)`, 'connected', DISTANCE.connected);
      }
      if (gw.routerLink) this.autoRoute(sr, DEFAULT, [{ ip: gw.routerLink.t0Ip, interface: this.iface(sr, 'router-link') }], `Tier-0 ${gw.tier0}`);
      this.statics(sr, t1.staticRoutes, `tier1s.${name}`);
      this.inject(sr, injected, byRoute);
    }
    if (srs.length) this.srDefault(name, dr, srs);
    else {
      if (gw.routerLink) this.autoRoute(dr, DEFAULT, [{ ip: gw.routerLink.t0Ip, interface: this.iface(dr, 'router-link') }], `Tier-0 ${gw.tier0}`);
      this.statics(dr, t1.staticRoutes, `tier1s.${name}`);
      this.inject(dr, injected, byRoute);
    }
    this.resolve(dr);
    for (const sr of srs) this.resolve(sr);
    selectRoutes(this.fresh.get(dr)!);
    for (const sr of srs) selectRoutes(this.fresh.get(sr)!);
    // Candidates: connected segments, and selected static routes of the routing component.
    const candidates: Tier1Candidate[] = [];
    for (const i of net.components[dr].interfaces) {
      const itf = net.interfaces[i];
      if (itf.kind === 'downlink') candidates.push({ prefix: networkOf(itf), type: 'TIER1_CONNECTED', origin: `segment ${net.domains[itf.domain].segment}` });
    }
    const staticRib = this.fresh.get(srs.length ? srs[0] : dr)!;
    const seen = new Set<number>();
    for (const r of staticRib) {
      if (r.type !== 'static' || !r.selected) continue;
      const key = prefixKey(r.prefix);
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ prefix: r.prefix, type: byRoute.get(r)?.advertiseAs ?? 'TIER1_STATIC_ROUTES', origin: r.origin });
    }
    // NAT addresses: SNAT/REFLEXIVE translated pools, DNAT destinations (TIER1_NAT).
    for (const { prefix, rule } of natAddresses(t1.nat)) candidates.push({ prefix, type: 'TIER1_NAT', origin: `NAT rule ${JSON.stringify(rule)}` });
    const adverts = candidates.map((candidate) => ({ candidate, advertised: tier1Advertises(t1, candidate).advertised }));
    return { ribs: this.finish(), adverts };
  }

  /**
   * The Tier-0's tables; with `only`, just the routes of those prefixes (each table sorted and
   * selected on its own); with `tables`, just the tables of those components.
   */
  tier0(name: string, t0: Tier0Spec, tier1s: readonly string[], adverts: ReadonlyMap<string, readonly Advert[]>, only: ReadonlySet<number> | null = null, tables: ReadonlySet<number> | null = null, advertisers: Advertisers | null = null): Map<number, RibRoute[]> {
    return this.tier0Tables(name, t0, tier1s, adverts, only, tables, advertisers, false) as Map<number, RibRoute[]>;
  }

  /**
   * Every table of a Tier-0, its SRs' made of its DR's where that is exact (ribs/shared-tables.ts;
   * ribSharing.srTables), else built whole as tier0() builds them.
   */
  tier0Whole(name: string, t0: Tier0Spec, tier1s: readonly string[], adverts: ReadonlyMap<string, readonly Advert[]>): Map<number, RibRoute[] | RibTable> {
    return this.tier0Tables(name, t0, tier1s, adverts, null, null, null, ribSharing.srTables);
  }

  private tier0Tables(name: string, t0: Tier0Spec, tier1s: readonly string[], adverts: ReadonlyMap<string, readonly Advert[]>, only: ReadonlySet<number> | null, tables: ReadonlySet<number> | null, advertisers: Advertisers | null, share: boolean): Map<number, RibRoute[] | RibTable> {
    const net = this.net;
    const gw = net.gateways.get(name)!;
    const comps = [gw.dr, ...gw.srs].filter((c) => tables === null || tables.has(c));
    this.begin(comps);
    this.only = only;
    for (const c of comps) this.connected(c);
    const drBackplane = this.ipOf(gw.dr, 'backplane');
    // Per Tier-0 component: its interface on each router-link domain.
    const linkInterface = comps.map((c) => routerLinks(net, c));
    // The SRs' tables made of the DR's (shared-tables.ts): each SR reaches every Tier-1 (its
    // copy of each router link), and only the DR's table takes the advertised routes; per SR,
    // the DR's next-hop list of each Tier-1 to its own.
    const sharing = share && only === null && tables === null && gw.srs.length > 0 && tier1s.every((t) => {
      const link = net.gateways.get(t)!.routerLink;
      return link !== null && link !== undefined && linkInterface.every((m) => m.has(link.domain));
    });
    const copies = sharing ? gw.srs.map(() => new Map<readonly RibNextHop[], readonly RibNextHop[]>()) : [];
    for (const sr of gw.srs) {
      for (const i of net.components[gw.dr].interfaces) {
        const itf = net.interfaces[i];
        if (itf.kind !== 'downlink') continue;
        this.autoRoute(sr, networkOf(itf), [{ ip: drBackplane, interface: this.iface(sr, 'backplane') }], `segment ${net.domains[itf.domain].segment} (via DR)`, 'connected', DISTANCE.connected);
      }
      this.statics(sr, t0.staticRoutes, `tier0s.${name}`);
    }
    this.autoRoute(gw.dr, DEFAULT, this.activeSrs(gw.srs).map((sr) => ({ ip: this.ipOf(sr, 'backplane'), interface: this.iface(gw.dr, 'backplane') })), `service routers of ${name}`);
    // Tier-1 advertised prefixes, on the DR and every SR, via the Tier-1's router-link address:
    // the same routes in the same order on every component (then sorted once for all).
    const headLength = comps.map((c) => this.fresh.get(c)!.length);
    let uniform = true;
    // A patch of some prefixes: the Tier-1s advertising one of them alone, in order.
    for (const t1name of only !== null && advertisers !== null ? advertising(tier1s, only, advertisers) : tier1s) {
      const list = adverts.get(t1name) ?? [];
      // A patch of some prefixes: this Tier-1's entries for them alone, found by their keys (not
      // a pass over every Tier-1's entries: 140k of them at L). A Tier-1 with none adds nothing.
      const entries = only !== null ? advertisedIn(list, only) : null;
      if (entries !== null && !entries.length) continue;
      const link = net.gateways.get(t1name)!.routerLink!;
      // One next-hop list per component for all of this Tier-1's prefixes; prefix and origin
      // shared by the DR and every SR.
      if (linkInterface.some((m) => !m.has(link.domain))) uniform = false;
      let hopsOf: (RibNextHop[] | null)[] | null = null;
      const count = entries !== null ? entries.length : list.length;
      for (let e = 0; e < count; e++) {
        const a = entries !== null ? entries[e] : e;
        const { candidate, advertised } = list[a];
        if (!advertised) continue;
        if (hopsOf === null) {
          hopsOf = linkInterface.map((m) => {
            const via = m.get(link.domain);
            return via === undefined ? null : [nextHop(link.t1Ip, via)];
          });
          if (sharing) for (let k = 1; k < comps.length; k++) copies[k - 1].set(hopsOf[0]!, hopsOf[k]!);
        }
        const origin = `Tier-1 ${t1name}: ${candidate.origin}`;
        const type = ADVERTISEMENT_ROUTE_TYPE[candidate.type];
        if (sharing) {
          this.add(comps[0], candidate.prefix, type, DISTANCE.tier1, hopsOf[0]!, origin);
          continue;
        }
        for (let k = 0; k < comps.length; k++) {
          const hops = hopsOf[k];
          if (hops) this.add(comps[k], candidate.prefix, type, DISTANCE.tier1, hops, origin);
        }
      }
    }
    // (An SR's own routes, as they were before resolution: what resolving them alone must keep.)
    const given = sharing ? gw.srs.map((sr) => Int32Array.from(this.fresh.get(sr)!, (r) => r.nextHops.length)) : [];
    for (const c of comps) this.resolve(c);
    this.only = null;
    if (sharing) {
      const out = this.finishSharing(gw.dr, gw.srs, headLength[0], given, copies);
      // Not exact here (an SR's own route for an advertised prefix, a static resolving through
      // one): built whole.
      return out ?? this.tier0Tables(name, t0, tier1s, adverts, only, tables, advertisers, false);
    }
    return uniform ? this.finishShared(comps, headLength) : this.finish();
  }

  /**
   * finish() for a Tier-0 whose SRs share the DR's advertised routes: the DR's table as
   * finishShared makes it, and each SR's made of it (RibTable.sharing) and of its own routes,
   * sorted and selected alone. Null where that would not be the table built whole: a prefix of
   * the DR's own routes or of an SR's among the advertised ones (selection reads a prefix's
   * routes together), or an SR's static that resolved other than directly.
   */
  private finishSharing(dr: number, srs: readonly number[], drHead: number, given: readonly Int32Array[], copies: readonly ReadonlyMap<readonly RibNextHop[], readonly RibNextHop[]>[]): Map<number, RibRoute[] | RibTable> | null {
    for (let k = 0; k < srs.length; k++) if (!resolvedAlone(this.fresh.get(srs[k])!, given[k])) return null;
    const rib = this.fresh.get(dr)!;
    const head = rib.slice(0, drHead);
    const tail = rib.slice(drHead);
    const order = sortOrder(tail);
    if (order === null) return null;
    sortRoutes(head);
    permute(tail, order);
    const { rib: merged, own: advertised } = mergeRuns(head, tail);
    for (let i = 1; i < merged.length; i++) if (advertised[i] !== advertised[i - 1] && samePrefix(merged[i].prefix, merged[i - 1].prefix)) return null;
    selectSorted(merged);
    const drTable = RibTable.of(merged);
    let n = 0;
    for (let i = 0; i < advertised.length; i++) n += advertised[i];
    const shared = new Int32Array(n);
    n = 0;
    for (let i = 0; i < advertised.length; i++) if (advertised[i]) shared[n++] = i;
    const out = new Map<number, RibRoute[] | RibTable>([[dr, drTable]]);
    for (let k = 0; k < srs.length; k++) {
      const own = this.fresh.get(srs[k])!;
      sortRoutes(own);
      selectSorted(own);
      const at = sharedPositions(drTable, shared, own);
      if (at === null) return null;
      out.set(srs[k], RibTable.sharing(drTable, at, own, new HopCopier(srs[k], copies[k])));
    }
    return out;
  }

  /**
   * finish() for tables whose tails (from `headLength[k]`) hold the same routes but for their next
   * hops: the tails' order is computed once and applied to each, then merged with the sorted
   * head (head first on a tie, as sorting the whole table orders them).
   */
  private finishShared(comps: readonly number[], headLength: readonly number[]): Map<number, RibRoute[]> {
    const first = this.fresh.get(comps[0])!;
    const order = sortOrder(first.slice(headLength[0]));
    if (order === null) return this.finish();
    for (const [k, c] of comps.entries()) {
      const rib = this.fresh.get(c)!;
      const head = rib.slice(0, headLength[k]);
      const tail = rib.slice(headLength[k]);
      if (tail.length !== order.length) return this.finish();
      sortRoutes(head);
      permute(tail, order);
      const merged = mergeRuns(head, tail).rib;
      selectSorted(merged);
      this.fresh.set(c, merged);
    }
    return this.fresh;
  }
}


/**
 * Whether a Tier-0's tables can take new routes for `prefixes` alone: none of its static routes
 * is for one of them or has a next hop inside one (a static's resolution reads the table).
 */
function patchable(t0: Tier0Spec, prefixes: ReadonlySet<number>): boolean {
  if (prefixes.has(0)) return false;
  const changed = Array.from(prefixes, prefixOfKey);
  for (const sr of t0.staticRoutes ?? []) {
    const p = parsePrefix(sr.network)!;
    if (prefixes.has(prefixKey(p))) return false;
    for (const raw of sr.nextHops) {
      const ip = typeof raw === 'string' ? parseIp(raw) : raw.ip !== undefined ? parseIp(raw.ip) : null;
      if (ip !== null && changed.some((q) => contains(q, ip))) return false;
    }
  }
  return true;
}


/**
 * `table` with the routes of `prefixes` replaced by `routes` (sorted, those prefixes only), in
 * table order: each changed prefix's run is found by binary search and the runs between them are
 * copied as they are (no per-route key or set lookup over a Tier-0's 150k routes).
 */
function replacePrefixes(table: RibTable, routes: readonly RibRoute[], prefixes: ReadonlySet<number>): RibTable {
  const changed = sortedPrefixes(prefixes);
  const at: number[] = [];
  const runs: RibRoute[][] = [];
  let size = table.length;
  let from = 0;
  let j = 0;
  // Whether each run holds its prefix's routes alone (what alignTables may then read from the splice).
  let prefixRuns = true;
  for (const p of changed) {
    const lo = firstAtOrAfter(table, p, from);
    const hi = runEnd(table, p, lo);
    // The new routes up to this prefix (those of prefixes between: none, `routes` holds the changed ones only).
    const run: RibRoute[] = [];
    while (j < routes.length && comparePrefix(routes[j].prefix, p) <= 0) {
      if (comparePrefix(routes[j].prefix, p) !== 0) prefixRuns = false;
      run.push(routes[j++]);
    }
    at.push(lo, hi);
    runs.push(run);
    size += run.length - (hi - lo);
    from = hi;
  }
  if (j < routes.length) {
    prefixRuns = false;
    // (Not reached: every new route is of a changed prefix.) Appended after the table, as before.
    const rest = routes.slice(j);
    at.push(table.length, table.length);
    runs.push(rest);
    size += rest.length;
  }
  return spliceRuns(table, at, runs, size, prefixRuns);
}
