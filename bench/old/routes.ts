// Baseline copy of the RIB computation before the scale rework (next-hop resolution scanning the
// whole RIB per next hop, injected routes scanned per Tier-1, routes built by object spreads),
// kept only so bench/rib-scale.ts can print old figures beside new. Do not use elsewhere.
// Routing tables (RIBs) of every router component: connected, static (ECMP, distance, null,
// recursive next hops), the automatic routes NSX plumbs (Tier-1 default to its Tier-0, Tier-0 DR
// default to its SRs, SR routes to the DR's segments) and Tier-1 advertised prefixes on the Tier-0
// at distance 3 (modelling-decisions.md "Routes"). Selection: lowest distance, ties are ECMP.
import { comparePrefix, contains, networkOf, parseIp, parsePrefix, type Prefix } from '../../src/topology/ip.js';
import { entriesOf, type Scenario, type StaticRouteSpec, type Tier1AdvertisementType, type Tier1Spec } from '../../src/topology/scenario.js';
import type { ExpandedNetwork } from '../../src/engine/model/expand.js';
import { natAddresses } from '../../src/engine/fib/nat.js';

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
  const add = (r: Omit<RibRoute, 'id' | 'selected'>): RibRoute => {
    const route: RibRoute = { ...r, id: -1, selected: false };
    ribs[r.component].push(route);
    return route;
  };
  const iface = (c: number, kind: string) => net.components[c].interfaces.find((i) => net.interfaces[i].kind === kind);

  const connected = (c: number) => {
    for (const i of net.components[c].interfaces) {
      const itf = net.interfaces[i];
      add({ component: c, prefix: networkOf(itf), type: 'connected', distance: DISTANCE.connected, nextHops: [{ ip: null, interface: i, blackhole: false }], origin: `interface ${itf.name}` });
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
        list.push(nh.blackhole ? { ip: null, interface: null, blackhole: true } : { ip: parseIp(nh.ip)!, interface: null, blackhole: false });
        byDistance.set(d, list);
      }
      const label = sr.name ? `static route ${JSON.stringify(sr.name)}` : `static route ${owner}.staticRoutes[${idx}]`;
      for (const [distance, nextHops] of [...byDistance].sort((a, b) => a[0] - b[0])) {
        add({ component: c, prefix, type: 'static', distance, nextHops, origin: label });
      }
    }
  };
  // Controller-injected routes are static routes on the Tier-1 (on its SRs when it has any).
  const injectedRoutes = new Map<RibRoute, InjectedRoute>();
  const inject = (c: number, t1: string) => {
    for (const r of injected) {
      if (r.tier1 !== t1) continue;
      const route = add({ component: c, prefix: r.prefix, type: 'static', distance: DISTANCE.static, nextHops: r.nextHops.map((ip) => ({ ip, interface: null, blackhole: false })), origin: r.origin });
      injectedRoutes.set(route, r);
    }
  };
  const autoRoute = (c: number, prefix: Prefix, hops: { ip: number; interface: number | undefined }[], origin: string, type: RouteType = 'auto', distance: number = DISTANCE.auto) => {
    const nextHops = hops.filter((h) => h.interface !== undefined).map((h) => ({ ip: h.ip, interface: h.interface!, blackhole: false }));
    if (nextHops.length) add({ component: c, prefix, type, distance, nextHops, origin });
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
      const vias = linkInterface.map((m) => m.get(link.domain));
      for (const { candidate, advertised } of tier1Adverts.get(t1name) ?? []) {
        if (!advertised) continue;
        for (const [k, c] of comps.entries()) {
          const via = vias[k];
          autoRoute(c, candidate.prefix, [{ ip: link.t1Ip, interface: via }], `Tier-1 ${t1name}: ${candidate.origin}`, ADVERTISEMENT_ROUTE_TYPE[candidate.type], DISTANCE.tier1);
        }
      }
    }
    for (const c of comps) resolve(c);
  }

  return finalize(ribs);
}

/** Selects per prefix, sorts each RIB and numbers every route. */
function finalize(ribs: RibRoute[][]): RoutingState {
  const routes: RibRoute[] = [];
  for (const rib of ribs) {
    selectRoutes(rib);
    rib.sort(compareRoutes);
  }
  let id = 0;
  for (const rib of ribs) for (const r of rib) {
    (r as { id: number }).id = id++;
    routes.push(r);
  }
  return { ribs, routes };
}

/**
 * Adds routes computed elsewhere (BGP) to the RIBs: next hops that are not directly connected
 * are resolved recursively, then every table is re-selected. Returns a new RoutingState.
 */
export function installRoutes(routing: RoutingState, extra: readonly Omit<RibRoute, 'id' | 'selected'>[]): RoutingState {
  if (!extra.length) return routing;
  const ribs = routing.ribs.map((rib) => rib.slice());
  const touched = new Set<number>();
  for (const r of extra) {
    ribs[r.component].push({ ...r, id: -1, selected: false });
    touched.add(r.component);
  }
  for (const c of touched) resolveNextHops(ribs[c], [], ['bgp', 'isr']);
  return finalize(ribs);
}

const TYPE_ORDER: Record<RouteType, number> = { connected: 0, auto: 1, static: 2, t1c: 3, t1s: 4, t1n: 5, t1l: 6, t1ls: 7, t1d: 8, t1ipsec: 9, bgp: 10, isr: 11 };

/** Prefix, distance, type, then origin by code unit (locale-independent: same order everywhere). */
function compareRoutes(a: RibRoute, b: RibRoute): number {
  return comparePrefix(a.prefix, b.prefix) || a.distance - b.distance || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0);
}

/**
 * Resolves static next hops: directly through a connected interface, else recursively through
 * another route of the same table (never through the default route, as FRR by default).
 */
function resolveNextHops(rib: RibRoute[], gatewayDownlinks: { interface: number; prefix: Prefix }[], types: readonly RouteType[] = ['static']): void {
  const connectedOf = (ip: number) => {
    let best: RibRoute | undefined;
    for (const r of rib) if (r.type === 'connected' && r.nextHops[0]?.ip === null && contains(r.prefix, ip) && (!best || r.prefix.len > best.prefix.len)) best = r;
    return best;
  };
  const resolveOne = (ip: number, depth: number, self: RibRoute): RibNextHop['via'] | null => {
    const c = connectedOf(ip);
    if (c) return [{ ip, interface: c.nextHops[0].interface! }];
    const downlink = gatewayDownlinks.find((d) => contains(d.prefix, ip));
    if (downlink) return [{ ip, interface: downlink.interface }];
    if (depth >= 4) return null;
    let best: RibRoute | undefined;
    for (const r of rib) {
      if (r === self || r.prefix.len === 0 || r.type === 'connected' || !contains(r.prefix, ip)) continue;
      if (!best || r.prefix.len > best.prefix.len || (r.prefix.len === best.prefix.len && r.distance < best.distance)) best = r;
    }
    if (!best) return null;
    const out: { ip: number; interface: number }[] = [];
    for (const nh of best.nextHops) {
      if (nh.blackhole || nh.ip === null) return null;
      const v = resolveOne(nh.ip, depth + 1, best);
      if (v) out.push(...v);
    }
    return out.length ? out : null;
  };
  for (const r of rib) {
    if (!types.includes(r.type)) continue;
    const resolved: RibNextHop[] = [];
    const missing: string[] = [];
    for (const nh of r.nextHops) {
      if (nh.blackhole || nh.ip === null) {
        resolved.push(nh);
        continue;
      }
      const via = resolveOne(nh.ip, 0, r);
      if (!via) missing.push(fmt(nh.ip));
      else if (via.length === 1 && via[0].ip === nh.ip) resolved.push({ ip: nh.ip, interface: via[0].interface, blackhole: false });
      else resolved.push({ ip: nh.ip, interface: via[0].interface, blackhole: false, via });
    }
    // Unresolvable next hops are left out of the FIB; with none left the route is inactive.
    if (resolved.length) r.nextHops = resolved;
    else r.inactive = `next hop ${missing.join(', ')} unreachable`;
  }
}

function fmt(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
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
