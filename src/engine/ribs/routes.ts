// Routing tables (RIBs) of every router component: connected, static (ECMP, distance, null,
// recursive next hops), the automatic routes NSX plumbs (Tier-1 default to its Tier-0, Tier-0 DR
// default to its SRs, SR routes to the DR's segments) and Tier-1 advertised prefixes on the Tier-0
// at distance 3 (modelling-decisions.md "Routes"). Selection: lowest distance, ties are ECMP.
// Scale: routes are instances of one class (one hidden class), what routes hold in common is
// shared (a Tier-1's prefix and origin on the Tier-0 DR and SRs, one next-hop list per Tier-1 and
// component, interned resolved next hops), injected routes are grouped by Tier-1 once, and
// next-hop resolution looks up an index of each table (LPM over connected routes, LPM over
// recursive prefixes with covering links), so the cost grows with routes × next hops.
import { comparePrefix, contains, formatIp, networkOf, parseIp, parsePrefix, type Prefix } from '../../topology/ip.js';
import { entriesOf, type Scenario, type StaticRouteSpec, type Tier1AdvertisementType, type Tier1Spec } from '../../topology/scenario.js';
import type { ExpandedNetwork } from '../model/expand.js';
import { buildLpm, lpmLookup, type LpmTable } from '../fib/lpm.js';
import { natAddresses } from '../fib/nat.js';

export type RouteType = 'connected' | 'static' | 'auto' | 't1c' | 't1s' | 't1n' | 't1l' | 't1ls' | 't1d' | 't1ipsec' | 'bgp' | 'isr';

export const DISTANCE = { connected: 0, auto: 0, static: 1, tier1: 3, ebgp: 20, ibgp: 200 } as const;

export interface RibNextHop {
  /** Next-hop address; null for a connected route (the destination itself is the next hop). */
  readonly ip: number | null;
  /** Egress interface id once resolved, else null. */
  readonly interface: number | null;
  readonly blackhole: boolean;
  /** For a recursive static: the connected next hops it resolved through. */
  readonly via?: readonly { readonly ip: number; readonly interface: number }[];
}

export interface RibRoute {
  readonly id: number;
  readonly component: number;
  readonly prefix: Prefix;
  readonly type: RouteType;
  readonly distance: number;
  nextHops: readonly RibNextHop[];
  /** In the FIB (best distance for its prefix and usable). */
  selected: boolean;
  /** What created it: a segment, a static route entry, a Tier-1's advertisement... */
  readonly origin: string;
  /** Why the route cannot be used (unresolvable next hop), when it cannot. */
  inactive?: string;
}

export interface RoutingState {
  /** RIB per component id, sorted by prefix then distance then type. */
  readonly ribs: readonly (readonly RibRoute[])[];
  /** Every route, by id. */
  readonly routes: readonly RibRoute[];
}

/**
 * Every RIB route is one of these: one constructor, every field set in the same order, so all
 * routes share one hidden class and every pass over the RIBs stays monomorphic (routes built by
 * object spreads each got their own shape). Routes are never copied; what several routes hold in
 * common (prefix, origin text, next-hop list) is shared, not duplicated.
 */
class Route implements RibRoute {
  id: number;
  readonly component: number;
  readonly prefix: Prefix;
  readonly type: RouteType;
  readonly distance: number;
  nextHops: readonly RibNextHop[];
  selected: boolean;
  readonly origin: string;
  inactive: string | undefined;
  constructor(component: number, prefix: Prefix, type: RouteType, distance: number, nextHops: readonly RibNextHop[], origin: string, inactive?: string) {
    this.id = -1;
    this.component = component;
    this.prefix = prefix;
    this.type = type;
    this.distance = distance;
    this.nextHops = nextHops;
    this.selected = false;
    this.origin = origin;
    this.inactive = inactive;
  }
}

/** A next hop, always of the same shape (`via` present, undefined unless recursive). */
function nextHop(ip: number | null, iface: number | null, via?: RibNextHop['via'], blackhole = false): RibNextHop {
  return { ip, interface: iface, blackhole, via };
}

/** The null next hop (immutable, shared by every blackhole route). */
const BLACKHOLE: RibNextHop = Object.freeze(nextHop(null, null, undefined, true));

/** A next hop from elsewhere (BGP) in the one shape. */
function normalizedHop(h: RibNextHop): RibNextHop {
  return h.blackhole ? BLACKHOLE : nextHop(h.ip, h.interface, h.via);
}

const ADVERTISEMENT_ROUTE_TYPE: Record<Tier1AdvertisementType, RouteType> = {
  TIER1_CONNECTED: 't1c',
  TIER1_STATIC_ROUTES: 't1s',
  TIER1_NAT: 't1n',
  TIER1_LB_VIP: 't1l',
  TIER1_LB_SNAT: 't1ls',
  TIER1_DNS_FORWARDER_IP: 't1d',
  TIER1_IPSEC_LOCAL_ENDPOINT: 't1ipsec',
};

/** A candidate prefix a Tier-1 can advertise, with the advertisement type that covers it. */
export interface Tier1Candidate {
  readonly prefix: Prefix;
  readonly type: Tier1AdvertisementType;
  readonly origin: string;
}

/** The Tier-1's advertisement decision for one candidate: advertised, and the rule that decided. */
export function tier1Advertises(t1: Tier1Spec, c: Tier1Candidate): { advertised: boolean; reason: string } {
  const enabled = (t1.advertise ?? []).includes(c.type);
  if (!enabled) return { advertised: false, reason: `${c.type} not in advertise` };
  for (const rule of t1.advertisementRules ?? []) {
    if (rule.types && rule.types.length && !rule.types.includes(c.type)) continue;
    const matches = rule.subnets.some((sn) => {
      const p = parsePrefix(sn)!;
      return (rule.prefixOperator ?? 'GE') === 'EQ'
        ? p.addr === c.prefix.addr && p.len === c.prefix.len
        : c.prefix.len >= p.len && contains(p, c.prefix.addr);
    });
    if (matches) {
      const permit = (rule.action ?? 'PERMIT') === 'PERMIT';
      return { advertised: permit, reason: `advertisement rule ${JSON.stringify(rule.name)} ${permit ? 'permits' : 'denies'}` };
    }
  }
  return { advertised: true, reason: `${c.type} advertised` };
}

/** A route a controller injects on a Tier-1 (Avi's VIP/32 → SE data IPs), with its NSX classification. */
export interface InjectedRoute {
  readonly tier1: string;
  readonly prefix: Prefix;
  readonly nextHops: readonly number[];
  readonly origin: string;
  /** Advertised as TIER1_LB_VIP (t1l) or as TIER1_STATIC_ROUTES (t1s). */
  readonly advertiseAs: 'TIER1_LB_VIP' | 'TIER1_STATIC_ROUTES';
}

export function computeRoutes(s: Scenario, net: ExpandedNetwork, injected: readonly InjectedRoute[] = []): RoutingState {
  const ribs: RibRoute[][] = net.components.map(() => []);
  const add = (component: number, prefix: Prefix, type: RouteType, distance: number, nextHops: readonly RibNextHop[], origin: string): RibRoute => {
    const route = new Route(component, prefix, type, distance, nextHops, origin);
    ribs[component].push(route);
    return route;
  };
  const iface = (c: number, kind: string) => net.components[c].interfaces.find((i) => net.interfaces[i].kind === kind);

  const connected = (c: number) => {
    for (const i of net.components[c].interfaces) {
      const itf = net.interfaces[i];
      add(c, networkOf(itf), 'connected', DISTANCE.connected, [nextHop(null, i)], `interface ${itf.name}`);
    }
  };
  const statics = (c: number, specs: StaticRouteSpec[] | undefined, owner: string) => {
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
      for (const [distance, nextHops] of [...byDistance].sort((a, b) => a[0] - b[0])) {
        add(c, prefix, 'static', distance, nextHops, label);
      }
    }
  };
  // Controller-injected routes are static routes on the Tier-1 (on its SRs when it has any),
  // grouped by Tier-1 once.
  const injectedByTier1 = new Map<string, InjectedRoute[]>();
  for (const r of injected) {
    const list = injectedByTier1.get(r.tier1);
    if (list) list.push(r);
    else injectedByTier1.set(r.tier1, [r]);
  }
  const injectedRoutes = new Map<RibRoute, InjectedRoute>();
  const inject = (c: number, t1: string) => {
    for (const r of injectedByTier1.get(t1) ?? []) {
      const route = add(c, r.prefix, 'static', DISTANCE.static, r.nextHops.map((ip) => nextHop(ip, null)), r.origin);
      injectedRoutes.set(route, r);
    }
  };
  const autoRoute = (c: number, prefix: Prefix, hops: { ip: number; interface: number | undefined }[], origin: string, type: RouteType = 'auto', distance: number = DISTANCE.auto) => {
    const nextHops = hops.filter((h) => h.interface !== undefined).map((h) => nextHop(h.ip, h.interface!));
    if (nextHops.length) add(c, prefix, type, distance, nextHops, origin);
  };
  const DEFAULT: Prefix = { addr: 0, len: 0 };
  const activeSrs = (srs: readonly number[]) => srs.filter((sr) => net.components[sr].ha === 'active');
  const ipOf = (c: number, kind: string) => net.interfaces[iface(c, kind)!].ip;

  // Physical routers.
  for (const [name, r] of entriesOf(s.physicalRouters)) {
    const c = net.routerByName.get(name)!;
    connected(c);
    statics(c, r.staticRoutes, `physicalRouters.${name}`);
  }

  // Tier-1s first: the Tier-0 learns what they advertise.
  const tier1Adverts = new Map<string, { candidate: Tier1Candidate; advertised: boolean }[]>();
  for (const [name, t1] of entriesOf(s.tier1s)) {
    const gw = net.gateways.get(name)!;
    const dr = gw.dr;
    const srs = gw.srs;
    connected(dr);
    for (const sr of srs) connected(sr);
    const drTransit = srs.length ? ipOf(dr, 'transit') : 0;
    for (const sr of srs) {
      // The SR reaches the Tier-1's segments through the DR on its edge.
      for (const i of net.components[dr].interfaces) {
        const itf = net.interfaces[i];
        if (itf.kind !== 'downlink') continue;
        autoRoute(sr, networkOf(itf), [{ ip: drTransit, interface: iface(sr, 'transit') }], `segment ${net.domains[itf.domain].segment} (via DR)`, 'connected', DISTANCE.connected);
      }
      if (gw.routerLink) autoRoute(sr, DEFAULT, [{ ip: gw.routerLink.t0Ip, interface: iface(sr, 'router-link') }], `Tier-0 ${gw.tier0}`);
      statics(sr, t1.staticRoutes, `tier1s.${name}`);
      inject(sr, name);
    }
    if (srs.length) {
      const hops = activeSrs(srs).map((sr) => ({ ip: ipOf(sr, 'transit'), interface: iface(dr, 'transit') }));
      autoRoute(dr, DEFAULT, hops, `service router of ${name}`);
    } else {
      if (gw.routerLink) autoRoute(dr, DEFAULT, [{ ip: gw.routerLink.t0Ip, interface: iface(dr, 'router-link') }], `Tier-0 ${gw.tier0}`);
      statics(dr, t1.staticRoutes, `tier1s.${name}`);
      inject(dr, name);
    }
  }

  // Resolve statics on every component so far (Tier-1s, physical routers) before Tier-0s read them.
  // An SR sends to a next hop on its gateway's own segments directly (the edge switches onto the
  // overlay segment), so SR next hops also resolve through the DR's downlink interfaces.
  const downlinksOf = (c: number) => net.components[c].interfaces.filter((i) => net.interfaces[i].kind === 'downlink');
  const resolve = (c: number) => {
    const comp = net.components[c];
    const dr = comp.type === 'T0_SR' || comp.type === 'T1_SR' ? net.gateways.get(comp.name)!.dr : -1;
    resolveNextHops(ribs[c], dr >= 0 ? downlinksOf(dr).map((i) => ({ interface: i, prefix: networkOf(net.interfaces[i]) })) : []);
  };
  for (const [name] of entriesOf(s.physicalRouters)) resolve(net.routerByName.get(name)!);
  for (const [name, t1] of entriesOf(s.tier1s)) {
    const gw = net.gateways.get(name)!;
    resolve(gw.dr);
    for (const sr of gw.srs) resolve(sr);
    selectRoutes(ribs[gw.dr]);
    for (const sr of gw.srs) selectRoutes(ribs[sr]);
    // Candidates: connected segments, and selected static routes of the routing component.
    const candidates: Tier1Candidate[] = [];
    for (const i of net.components[gw.dr].interfaces) {
      const itf = net.interfaces[i];
      if (itf.kind === 'downlink') candidates.push({ prefix: networkOf(itf), type: 'TIER1_CONNECTED', origin: `segment ${net.domains[itf.domain].segment}` });
    }
    const staticRib = ribs[gw.srs.length ? gw.srs[0] : gw.dr];
    const seen = new Set<number>();
    for (const r of staticRib) {
      if (r.type !== 'static' || !r.selected) continue;
      const key = r.prefix.addr * 64 + r.prefix.len;
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ prefix: r.prefix, type: injectedRoutes.get(r)?.advertiseAs ?? 'TIER1_STATIC_ROUTES', origin: r.origin });
    }
    // NAT addresses: SNAT/REFLEXIVE translated pools, DNAT destinations (TIER1_NAT).
    for (const { prefix, rule } of natAddresses(t1.nat)) candidates.push({ prefix, type: 'TIER1_NAT', origin: `NAT rule ${JSON.stringify(rule)}` });
    tier1Adverts.set(name, candidates.map((candidate) => ({ candidate, advertised: tier1Advertises(t1, candidate).advertised })));
  }

  // Tier-0s.
  for (const [name, t0] of entriesOf(s.tier0s)) {
    const gw = net.gateways.get(name)!;
    const comps = [gw.dr, ...gw.srs];
    for (const c of comps) connected(c);
    const drBackplane = ipOf(gw.dr, 'backplane');
    // Per Tier-0 component: its interface on each router-link domain.
    const linkInterface = comps.map((c) => new Map(net.components[c].interfaces.filter((i) => net.interfaces[i].kind === 'router-link').map((i) => [net.interfaces[i].domain, i])));
    for (const sr of gw.srs) {
      for (const i of net.components[gw.dr].interfaces) {
        const itf = net.interfaces[i];
        if (itf.kind !== 'downlink') continue;
        autoRoute(sr, networkOf(itf), [{ ip: drBackplane, interface: iface(sr, 'backplane') }], `segment ${net.domains[itf.domain].segment} (via DR)`, 'connected', DISTANCE.connected);
      }
      statics(sr, t0.staticRoutes, `tier0s.${name}`);
    }
    autoRoute(gw.dr, DEFAULT, activeSrs(gw.srs).map((sr) => ({ ip: ipOf(sr, 'backplane'), interface: iface(gw.dr, 'backplane') })), `service routers of ${name}`);
    // Tier-1 advertised prefixes, on the DR and every SR, via the Tier-1's router-link address.
    for (const [t1name, t1] of entriesOf(s.tier1s)) {
      if (t1.tier0 !== name) continue;
      const link = net.gateways.get(t1name)!.routerLink!;
      // One next-hop list per component for all of this Tier-1's prefixes; prefix and origin
      // shared by the DR and every SR.
      const hopsOf = linkInterface.map((m) => {
        const via = m.get(link.domain);
        return via === undefined ? null : [nextHop(link.t1Ip, via)];
      });
      for (const { candidate, advertised } of tier1Adverts.get(t1name) ?? []) {
        if (!advertised) continue;
        const origin = `Tier-1 ${t1name}: ${candidate.origin}`;
        const type = ADVERTISEMENT_ROUTE_TYPE[candidate.type];
        for (const [k, c] of comps.entries()) {
          const hops = hopsOf[k];
          if (hops) add(c, candidate.prefix, type, DISTANCE.tier1, hops, origin);
        }
      }
    }
    for (const c of comps) resolve(c);
  }

  return finalize(ribs);
}

/** Sorts each RIB (or only the `changed` ones: the others are final), selects per prefix and numbers every route. */
function finalize(ribs: RibRoute[][], changed?: ReadonlySet<number>): RoutingState {
  let total = 0;
  for (const [c, rib] of ribs.entries()) {
    if (!changed || changed.has(c)) {
      sortRoutes(rib);
      selectSorted(rib);
    }
    total += rib.length;
  }
  const routes = new Array<RibRoute>(total);
  let id = 0;
  for (const rib of ribs) for (const r of rib) {
    (r as { id: number }).id = id;
    routes[id++] = r;
  }
  return { ribs, routes };
}

/**
 * Adds routes computed elsewhere (BGP) to the RIBs: next hops that are not directly connected
 * are resolved recursively, then every table is re-selected. Returns a new RoutingState.
 */
export function installRoutes(routing: RoutingState, extra: readonly Omit<RibRoute, 'id' | 'selected'>[]): RoutingState {
  if (!extra.length) return routing;
  // Only the RIBs that receive routes are copied (the others are shared, never changed here).
  const ribs = routing.ribs.slice() as RibRoute[][];
  const touched = new Set<number>();
  const types: readonly RouteType[] = ['bgp', 'isr'];
  for (const r of extra) {
    // Next hops of the types resolved below are rebuilt (in the one shape) by the resolution.
    const hops = types.includes(r.type) ? r.nextHops : r.nextHops.map(normalizedHop);
    if (!touched.has(r.component)) {
      ribs[r.component] = ribs[r.component].slice();
      touched.add(r.component);
    }
    ribs[r.component].push(new Route(r.component, r.prefix, r.type, r.distance, hops, r.origin, r.inactive));
  }
  for (const c of touched) resolveNextHops(ribs[c], [], types);
  return finalize(ribs, touched);
}

const TYPE_ORDER: Record<RouteType, number> = { connected: 0, auto: 1, static: 2, t1c: 3, t1s: 4, t1n: 5, t1l: 6, t1ls: 7, t1d: 8, t1ipsec: 9, bgp: 10, isr: 11 };

/** Prefix, distance, type, then origin by code unit (locale-independent: same order everywhere). */
function compareRoutes(a: RibRoute, b: RibRoute): number {
  return comparePrefix(a.prefix, b.prefix) || a.distance - b.distance || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0);
}

/**
 * Sorts a table in compareRoutes order. Large tables are sorted through one numeric key per route
 * (address, length, distance, type packed into 50 bits of a double), the origin text and the
 * table order breaking ties: the same order as compareRoutes, several times faster.
 */
function sortRoutes(rib: RibRoute[]): void {
  const n = rib.length;
  if (n < 64) {
    rib.sort(compareRoutes);
    return;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rib[i];
    if (!(Number.isInteger(r.distance) && r.distance >= 0 && r.distance < 256)) {
      rib.sort(compareRoutes);
      return;
    }
    keys[i] = (r.prefix.addr >>> 0) * 262144 + r.prefix.len * 4096 + r.distance * 16 + TYPE_ORDER[r.type];
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => keys[a] - keys[b] || (rib[a].origin < rib[b].origin ? -1 : rib[a].origin > rib[b].origin ? 1 : a - b));
  const copy = rib.slice();
  for (let i = 0; i < n; i++) rib[i] = copy[order[i]];
}

/**
 * Resolves static next hops: directly through a connected interface, else recursively through
 * another route of the same table (never through the default route, as FRR by default). Every
 * look-up goes through an index of the table built once (a `NextHopIndex`), so the cost grows
 * with routes × next hops, not with their product with the table's size.
 */
export function resolveNextHops(rib: RibRoute[], gatewayDownlinks: readonly { interface: number; prefix: Prefix }[], types: readonly RouteType[] = ['static']): void {
  let index: NextHopIndex | null = null;
  const downlinks = gatewayDownlinks.length ? buildFirstMatchLpm(gatewayDownlinks.map((d) => d.prefix)) : null;
  const resolveOne = (ip: number, depth: number, self: RibRoute): RibNextHop['via'] | null => {
    const c = index!.connected(ip);
    if (c) return [{ ip, interface: c.nextHops[0].interface! }];
    if (downlinks) {
      const d = lpmLookup(downlinks, ip >>> 0);
      if (d >= 0) return [{ ip, interface: gatewayDownlinks[d].interface }];
    }
    if (depth >= 4) return null;
    const best = index!.recursive(ip, self);
    if (!best) return null;
    const out: { ip: number; interface: number }[] = [];
    for (const nh of best.nextHops) {
      if (nh.blackhole || nh.ip === null) return null;
      const v = resolveOne(nh.ip, depth + 1, best);
      if (v) out.push(...v);
    }
    return out.length ? out : null;
  };
  // Directly resolved next hops are shared by every route of the table with the same (address,
  // interface); a route whose resolved list equals the previous one's shares that list (BGP
  // routes learnt from the same peers all have the same ECMP set).
  const direct = new Map<number, RibNextHop>();
  const directHop = (ip: number, iface: number): RibNextHop => {
    if (iface >= 2 ** 21) return nextHop(ip, iface);
    const key = (ip >>> 0) * 2 ** 21 + iface;
    let h = direct.get(key);
    if (h === undefined) direct.set(key, (h = nextHop(ip, iface)));
    return h;
  };
  let previous: readonly RibNextHop[] = [];
  for (const r of rib) {
    if (!types.includes(r.type)) continue;
    const resolved: RibNextHop[] = [];
    const missing: string[] = [];
    for (const nh of r.nextHops) {
      if (nh.blackhole || nh.ip === null) {
        resolved.push(normalizedHop(nh));
        continue;
      }
      index ??= new NextHopIndex(rib);
      const via = resolveOne(nh.ip, 0, r);
      if (!via) missing.push(formatIp(nh.ip));
      else if (via.length === 1 && via[0].ip === nh.ip) resolved.push(directHop(nh.ip, via[0].interface));
      else resolved.push(nextHop(nh.ip, via[0].interface, via));
    }
    // Unresolvable next hops are left out of the FIB; with none left the route is inactive.
    if (resolved.length) {
      const same = resolved.length === previous.length && resolved.every((h, k) => h === previous[k]);
      r.nextHops = same ? previous : (previous = resolved);
    } else {
      r.inactive = `next hop ${missing.join(', ')} unreachable`;
      r.nextHops = r.nextHops.map(normalizedHop);
    }
  }
}

/** An LPM over prefixes whose value is the index of the first of equal prefixes (buildLpm keeps the last). */
function buildFirstMatchLpm(prefixes: readonly Prefix[]): LpmTable {
  const n = prefixes.length;
  const addrs = new Uint32Array(n);
  const lens = new Uint8Array(n);
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = n - 1 - i;
    addrs[i] = prefixes[k].addr >>> 0;
    lens[i] = prefixes[k].len;
    values[i] = k;
  }
  return buildLpm(addrs, lens, values);
}

/**
 * The look-ups next-hop resolution makes in one table, indexed once: the longest directly
 * connected route (interface route, no next-hop address) containing an address, and the route a
 * recursive next hop resolves through (longest non-default, non-connected prefix, then lowest
 * distance, then table order; never the route being resolved itself).
 */
class NextHopIndex {
  private readonly rib: readonly RibRoute[];
  private readonly connectedRoutes: RibRoute[] = [];
  private readonly connectedLpm: LpmTable;
  /** Table indexes of the recursive candidates by prefix (address, length), then distance, then table order. */
  private readonly order: Uint32Array;
  /** Per distinct recursive prefix (in address order): its first position in `order`; one more at the end. */
  private readonly groupStart: Int32Array;
  /** Per distinct recursive prefix: the longest other prefix covering it, or -1. */
  private readonly parent: Int32Array;
  private readonly groupLpm: LpmTable;

  constructor(rib: readonly RibRoute[]) {
    this.rib = rib;
    const candidates: number[] = [];
    for (let i = 0; i < rib.length; i++) {
      const r = rib[i];
      if (r.type === 'connected') {
        if (r.nextHops[0]?.ip === null) this.connectedRoutes.push(r);
      } else if (r.prefix.len > 0) candidates.push(i);
    }
    this.connectedLpm = buildFirstMatchLpm(this.connectedRoutes.map((r) => r.prefix));
    const n = candidates.length;
    const key = new Float64Array(rib.length);
    for (const i of candidates) key[i] = (rib[i].prefix.addr >>> 0) * 64 + rib[i].prefix.len;
    // A plain array: its sort (TimSort) is fast on the long ordered runs tables mostly are.
    candidates.sort((a, b) => key[a] - key[b] || rib[a].distance - rib[b].distance || a - b);
    const order = Uint32Array.from(candidates);
    this.order = order;
    // Runs of one prefix are the groups, already in address order with covering prefixes first:
    // one pass with a stack of the open prefixes gives each its closest covering one.
    const starts: number[] = [];
    const addrs: number[] = [];
    const lens: number[] = [];
    for (let k = 0; k < n; k++) {
      if (k > 0 && key[order[k]] === key[order[k - 1]]) continue;
      starts.push(k);
      addrs.push(rib[order[k]].prefix.addr >>> 0);
      lens.push(rib[order[k]].prefix.len);
    }
    const groups = starts.length;
    starts.push(n);
    this.groupStart = Int32Array.from(starts);
    this.parent = new Int32Array(groups);
    const stack: number[] = [];
    for (let g = 0; g < groups; g++) {
      while (stack.length) {
        const top = stack[stack.length - 1];
        if (addrs[top] + 2 ** (32 - lens[top]) > addrs[g]) break;
        stack.pop();
      }
      this.parent[g] = stack.length ? stack[stack.length - 1] : -1;
      stack.push(g);
    }
    const values = new Int32Array(groups);
    for (let g = 0; g < groups; g++) values[g] = g;
    this.groupLpm = buildLpm(addrs, lens, values);
  }

  connected(ip: number): RibRoute | undefined {
    const i = lpmLookup(this.connectedLpm, ip >>> 0);
    return i < 0 ? undefined : this.connectedRoutes[i];
  }

  recursive(ip: number, self: RibRoute): RibRoute | undefined {
    for (let g = lpmLookup(this.groupLpm, ip >>> 0); g >= 0; g = this.parent[g]) {
      for (let k = this.groupStart[g]; k < this.groupStart[g + 1]; k++) {
        const r = this.rib[this.order[k]];
        if (r !== self) return r;
      }
    }
    return undefined;
  }
}

/** selectRoutes on a table sorted by prefix: one pass per run of equal prefixes, no map. */
function selectSorted(rib: RibRoute[]): void {
  let i = 0;
  while (i < rib.length) {
    const { addr, len } = rib[i].prefix;
    let j = i;
    let best = Infinity;
    for (; j < rib.length && rib[j].prefix.addr === addr && rib[j].prefix.len === len; j++) {
      if (!rib[j].inactive && rib[j].distance < best) best = rib[j].distance;
    }
    for (let k = i; k < j; k++) rib[k].selected = !rib[k].inactive && rib[k].distance === best;
    i = j;
  }
}

/** Marks, per prefix, the usable routes of the lowest distance as selected. */
function selectRoutes(rib: RibRoute[]): void {
  const key = (p: Prefix) => p.addr * 64 + p.len;
  const best = new Map<number, number>();
  for (const r of rib) {
    if (r.inactive) continue;
    const d = best.get(key(r.prefix));
    if (d === undefined || r.distance < d) best.set(key(r.prefix), r.distance);
  }
  for (const r of rib) r.selected = !r.inactive && best.get(key(r.prefix)) === r.distance;
}
