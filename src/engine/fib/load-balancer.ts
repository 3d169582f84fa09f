// The load balancer as the forwarding core sees it: which SE NIC (endpoint) terminates which VIP,
// who answers ARP for a VIP inside an SE data subnet, whether a VS listens on a port with a member
// up, the routes the Avi controller injects on Tier-1s, and each Tier-1 VRF's lookup for the
// SE → pool member leg.
import { contains, parseIp } from '../../topology/ip.js';
import type { AviRuntime, AviVirtualService } from '../../topology/realize/index.js';
import type { ExpandedNetwork } from '../model/expand.js';
import { PairHash } from './pair-hash.js';
import { sameStrings } from '../incremental/same-value.js';
import type { InjectedRoute } from '../ribs/routes.js';

export const LB_NO_LISTENER = 0;
export const LB_SERVES = 1;
export const LB_NO_MEMBER = 2;

export interface CompiledLoadBalancer {
  readonly avi: AviRuntime;
  /** (SE NIC endpoint, VIP) → virtual service index. */
  readonly vipHost: PairHash;
  /** (segment domain, VIP, owning SE NIC endpoint) for VIPs inside an SE data subnet. */
  readonly arpEntries: readonly { readonly domain: number; readonly vip: number; readonly endpoint: number }[];
  /** SE NIC endpoint → SE name. */
  readonly seOfEndpoint: ReadonlyMap<number, string>;
}

/** The routes the Avi controller injects: one per virtual service with a VIP route, in order. */
export interface InjectedFrom {
  readonly avi: AviRuntime | null;
  readonly routes: readonly InjectedRoute[];
}

/**
 * The VIP routes of the virtual services, in order. With the previous runtime and its routes
 * (an update), a virtual service at the same position with the same name, Tier-1 and route keeps
 * its route object, and when all do the previous list itself is returned (what computeBaseRoutes
 * then reuses whole). `stats.made` counts the routes made anew.
 */
export function injectedRoutes(avi: AviRuntime | null, previous: InjectedFrom | null = null, stats: { made: number } | null = null): readonly InjectedRoute[] {
  if (!avi) return [];
  if (previous !== null && previous.avi === avi) return previous.routes; // the same realization (topology/realize reuses it)
  const was = previous?.avi?.virtualServices ?? [];
  const out: InjectedRoute[] = [];
  // One parsed list per next-hop list of the runtime (virtual services on the same SEs share theirs).
  const parsed = new Map<readonly string[], readonly number[]>();
  let j = 0;
  let same = previous !== null;
  for (let i = 0; i < avi.virtualServices.length; i++) {
    const vs = avi.virtualServices[i];
    const old = i < was.length ? was[i] : null;
    // The route previous.routes holds for was[i] (they are listed in the same order).
    const oldRoute = old !== null && old.route !== null ? previous!.routes[j++] : null;
    if (vs.route === null) {
      if (oldRoute !== null) same = false;
      continue;
    }
    // The very record (a patched realization keeps the ones it did not compute again), or one saying the same.
    if (oldRoute !== null && (old === vs || (old!.name === vs.name && old!.tier1 === vs.tier1 && old!.vip === vs.vip && sameVipRoute(old!.route!, vs.route)))) out.push(oldRoute);
    else {
      same = false;
      if (stats !== null) stats.made++;
      out.push({
        tier1: vs.tier1,
        // The route is the VIP's /32 (its text is for display): no parse.
        prefix: { addr: vs.vip, len: 32 },
        nextHops: parsedList(parsed, vs.route.nextHops),
        origin: `Avi virtual service ${JSON.stringify(vs.name)} (VIP route)`,
        advertiseAs: vs.route.type === 'LB_VIP' ? 'TIER1_LB_VIP' : 'TIER1_STATIC_ROUTES',
      });
    }
  }
  return same && out.length === previous!.routes.length ? previous!.routes : out;
}

function parsedList(parsed: Map<readonly string[], readonly number[]>, texts: readonly string[]): readonly number[] {
  let list = parsed.get(texts);
  if (list === undefined) parsed.set(texts, (list = texts.map((h) => parseIp(h)!)));
  return list;
}

/** The same route of two virtual services with the same VIP (the route's prefix is the VIP's /32: not compared as text). */
function sameVipRoute(a: NonNullable<AviVirtualService['route']>, b: NonNullable<AviVirtualService['route']>): boolean {
  if (a.type !== b.type || a.nextHops.length !== b.nextHops.length) return false;
  for (let k = 0; k < a.nextHops.length; k++) if (a.nextHops[k] !== b.nextHops[k]) return false;
  return true;
}

/**
 * The load balancer's forwarding tables. With the previous compilation over the same model
 * (`previous`, an update that kept the model), they are the previous ones, given the new runtime,
 * when every virtual service and SE is placed as before (same VIP, traffic state, NICs, ARP
 * owner; same SEs and NICs): a pool or member toggled, a service port changed; and patched from
 * them when only a few virtual services are placed differently (patchLoadBalancer).
 */
export function compileLoadBalancer(net: ExpandedNetwork, avi: AviRuntime, previous: CompiledLoadBalancer | null = null, previousNet: ExpandedNetwork = net): CompiledLoadBalancer {
  if (previous !== null) {
    const patched = patchLoadBalancer(net, avi, previous, previousNet);
    if (patched !== null) return patched;
  }
  // Sized to what it will hold (an SE NIC per placed VIP): a rebuild after an SE failure at L
  // allocates no more array buffer than it needs (V8 marks the heap per 64 MiB of them).
  let pairs = 0;
  for (const vs of avi.virtualServices) if (vs.trafficEnabled) pairs += vs.nics.length;
  const vipHost = new PairHash(pairs);
  const seOfEndpoint = new Map<number, string>();
  for (const se of avi.serviceEngines) for (const nic of se.nics) seOfEndpoint.set(net.endpointByName.get(nic.workload)!, se.name);
  const vss = avi.virtualServices;
  for (let i = 0; i < vss.length; i++) {
    const vs = vss[i];
    if (!vs.trafficEnabled) continue;
    for (const nic of vs.nics) {
      const ep = net.endpointByName.get(nic)!;
      if (!net.endpoints[ep].down) vipHost.setIfAbsent(ep, vs.vip, i);
    }
  }
  return { avi, vipHost, arpEntries: arpEntriesOf(net, avi), seOfEndpoint };
}

/**
 * Virtual services placed differently than at the same position before, beyond which the tables
 * are built again. A patch costs their pairs (and a pass over the VIP host table when NICs went
 * down); a build, every virtual service's: a host failed at L moves ~3,000 (its SEs' groups).
 */
const PATCH_MAX_CHANGED = 8192;

/**
 * The previous tables (compiled over `previousNet`, a model of the same shape: the same, or with
 * other failures) updated to runtime `avi` over `net`, or null when they should be built again.
 * With every SE and SE NIC as before and the virtual services as before but for a few (placed
 * elsewhere, another VIP or traffic state, or added at the end: a virtual service added,
 * disabled, failed over), the VIP host table is a copy of the previous one with those virtual
 * services' pairs removed and added again, and the pairs on SE NICs that went down or came back
 * removed or added; the ARP entries are the previous ones unless one of those virtual services
 * answers ARP or a NIC changed state. A pair another virtual service holds too (never in a valid
 * scenario: VIPs are not shared) builds them again, so that the first one keeps it as in a build.
 */
function patchLoadBalancer(net: ExpandedNetwork, avi: AviRuntime, previous: CompiledLoadBalancer, previousNet: ExpandedNetwork): CompiledLoadBalancer | null {
  const was = previous.avi;
  if (was === avi && net === previousNet) return previous;
  const a = was.virtualServices;
  const b = avi.virtualServices;
  if (b.length < a.length || !sameEngines(was, avi) || net.endpoints.length !== previousNet.endpoints.length) return null;
  const changed: number[] = [];
  const isChanged = new Uint8Array(b.length);
  let arpChanged = false;
  for (let i = 0; i < b.length; i++) {
    if (i < a.length && samePlaced(a[i], b[i])) continue;
    if (changed.length === PATCH_MAX_CHANGED) return null;
    changed.push(i);
    isChanged[i] = 1;
    if (b[i].arpOwner !== null || (i < a.length && a[i].arpOwner !== null)) arpChanged = true;
  }
  // SE NICs (and any endpoint) that went down or came back since the previous model.
  const wentDown = new Set<number>();
  const cameUp = new Set<number>();
  if (net !== previousNet) {
    for (let ep = 0; ep < net.endpoints.length; ep++) {
      const x = previousNet.endpoints[ep];
      const y = net.endpoints[ep];
      if (x !== y && x.down !== y.down) (y.down ? wentDown : cameUp).add(ep);
    }
  }
  if (!changed.length && !wentDown.size && !cameUp.size) return { ...previous, avi };
  const endpointOf = (nic: string): number => net.endpointByName.get(nic)!;
  // The pairs of unchanged virtual services on NICs that came back (the others' are added below).
  const upPairs: number[] = [];
  if (cameUp.size) {
    for (let i = 0; i < b.length; i++) {
      if (isChanged[i] || !b[i].trafficEnabled) continue;
      for (const nic of b[i].nics) {
        const ep = endpointOf(nic);
        if (cameUp.has(ep)) upPairs.push(ep, b[i].vip, i);
      }
    }
  }
  const vipHost = previous.vipHost.copy();
  // The changed virtual services' previous pairs (held on NICs that were up), then any pair on a NIC now down.
  for (const i of changed) {
    if (i >= a.length || !a[i].trafficEnabled) continue;
    for (const nic of a[i].nics) {
      const ep = endpointOf(nic);
      if (previousNet.endpoints[ep].down) continue;
      if (vipHost.get(ep, a[i].vip) !== i) return null;
      vipHost.delete(ep, a[i].vip);
    }
  }
  if (wentDown.size) {
    const gone: number[] = [];
    vipHost.scan((ep, vip) => {
      if (wentDown.has(ep)) gone.push(ep, vip);
    });
    for (let k = 0; k < gone.length; k += 2) vipHost.delete(gone[k], gone[k + 1]);
  }
  // Room for what is added, once what went is gone (the table stays at most half full).
  let adding = upPairs.length / 3;
  for (const i of changed) if (b[i].trafficEnabled) adding += b[i].nics.length;
  if (!vipHost.hasRoomFor(adding)) return null;
  for (const i of changed) {
    if (!b[i].trafficEnabled) continue;
    for (const nic of b[i].nics) {
      const ep = endpointOf(nic);
      if (!net.endpoints[ep].down && !vipHost.setIfAbsent(ep, b[i].vip, i)) return null;
    }
  }
  for (let k = 0; k < upPairs.length; k += 3) if (!vipHost.setIfAbsent(upPairs[k], upPairs[k + 1], upPairs[k + 2])) return null;
  const arpEntries = arpChanged || wentDown.size || cameUp.size ? arpEntriesOf(net, avi) : previous.arpEntries;
  return { avi, vipHost, arpEntries, seOfEndpoint: previous.seOfEndpoint };
}

/** The same VIP, traffic state, ARP owner and SE NICs. */
function samePlaced(x: AviVirtualService, y: AviVirtualService): boolean {
  return x === y || (x.vip === y.vip && x.trafficEnabled === y.trafficEnabled && x.arpOwner === y.arpOwner && sameStrings(x.nics, y.nics));
}

/** The ARP entries of VIPs inside an SE data subnet (the owning SE NIC answers), in virtual service order. */
function arpEntriesOf(net: ExpandedNetwork, avi: AviRuntime): CompiledLoadBalancer['arpEntries'] {
  const out: { domain: number; vip: number; endpoint: number }[] = [];
  for (const vs of avi.virtualServices) {
    if (!vs.trafficEnabled || vs.arpOwner === null) continue;
    const ep = net.endpointByName.get(vs.arpOwner)!;
    if (!net.endpoints[ep].down) out.push({ domain: net.endpoints[ep].domain, vip: vs.vip, endpoint: ep });
  }
  return out;
}

/** The same SEs with the same NICs, in order. */
function sameEngines(a: AviRuntime, b: AviRuntime): boolean {
  if (a.serviceEngines.length !== b.serviceEngines.length) return false;
  for (let i = 0; i < a.serviceEngines.length; i++) {
    const x = a.serviceEngines[i];
    const y = b.serviceEngines[i];
    if (x.name !== y.name || x.nics.length !== y.nics.length) return false;
    for (let k = 0; k < x.nics.length; k++) if (x.nics[k].workload !== y.nics[k].workload) return false;
  }
  return true;
}

/** The pools a request reaches: the service's pool for its port, else the HTTP routes (by host). */
export function poolsFor(vs: AviVirtualService, protocol: 'TCP' | 'UDP' | null, port: number, host: string | null): { pool: string; host: string | null; path: string | null }[] {
  const svc = vs.services.find((s) => s.port === port && (protocol === null || s.protocol === protocol));
  if (!svc) return [];
  if (svc.pool !== null) return [{ pool: svc.pool, host: null, path: null }];
  const h = host?.toLowerCase() ?? null;
  return vs.httpRoutes.filter((r) => h === null || r.host === null || r.host.toLowerCase() === h).map((r) => ({ pool: r.pool, host: r.host, path: r.path }));
}

/** Whether a VS answers (proto number, port): ICMP always; DNS on its service; else a member up. */
export function serves(lb: CompiledLoadBalancer, vsIndex: number, proto: number, port: number, host: string | null): number {
  const vs = lb.avi.virtualServices[vsIndex];
  if (proto === 1 || proto === 0) return LB_SERVES;
  const protocol = proto === 17 ? 'UDP' : 'TCP';
  if (!vs.services.some((s) => s.port === port && s.protocol === protocol)) return LB_NO_LISTENER;
  if (vs.dns) return LB_SERVES;
  for (const { pool } of poolsFor(vs, protocol, port, host)) {
    const p = lb.avi.pools.get(pool);
    if (p && p.enabled && p.members.some((m) => m.enabled && m.up)) return LB_SERVES;
  }
  return LB_NO_MEMBER;
}

/** The VRF route for a destination: the next-hop address (the destination itself when connected), or null. */
export function vrfLookup(avi: AviRuntime, tier1: string, dst: number): { nextHop: number; origin: string } | null {
  const vrf = avi.vrfs.get(tier1);
  if (!vrf) return null;
  let best: (typeof vrf.routes)[number] | null = null;
  for (const r of vrf.routes) if (contains(r.prefix, dst) && (best === null || r.prefix.len > best.prefix.len)) best = r;
  return best === null ? null : { nextHop: best.nextHop === 0 ? dst : best.nextHop, origin: best.origin };
}
