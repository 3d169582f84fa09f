// The load balancer as the forwarding core sees it: which SE NIC (endpoint) terminates which VIP,
// who answers ARP for a VIP inside an SE data subnet, whether a VS listens on a port with a member
// up, the routes the Avi controller injects on Tier-1s, and each Tier-1 VRF's lookup for the
// SE → pool member leg.
import { contains, parseIp } from '../../topology/ip.js';
import { aviRuntimeChange, type AviRuntime, type AviVirtualService } from '../../topology/realize/index.js';
import type { ExpandedNetwork } from '../model/expand.js';
import { MISSING, PairHash } from './pair-hash.js';
import { sameStrings } from '../incremental/same-value.js';
import type { InjectedRoute } from '../ribs/routes.js';
import { noteEdited } from '../ribs/injected-groups.js';

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
  /** SE NIC endpoint → the VIPs it holds in `vipHost` (what a patch removes when the NIC goes down). */
  readonly nicVips: ReadonlyMap<number, readonly number[]>;
  /** The virtual services (indexes) whose VIP an SE NIC answers ARP for, up or down: what `arpEntries` is made from. */
  readonly arpOwners: readonly number[];
  /** SE NIC name → the virtual services placed on it (built when a NIC first comes back; see NicUsers). */
  readonly nicUsers: NicUsers;
}

/**
 * SE NIC name → indexes of virtual services placed on it: what adds the pairs of a NIC that came
 * back without a pass over every virtual service. A base index of one runtime (built when first
 * asked, then shared by every runtime patched from it) and, per runtime, the virtual services
 * changed since that one (their NICs may differ from the base's): a patch adds its changed ones
 * to a copy of that list, and starts a new base once the list passes an eighth of the virtual
 * services. Exact for its runtime: a base entry is kept only when the virtual service still has
 * that NIC.
 */
export class NicUsers {
  private constructor(
    private readonly base: { readonly root: readonly AviVirtualService[]; lists: Map<string, number[]> | null },
    private readonly since: readonly number[],
  ) {}

  /** The index of runtime `vss` (built when first asked). */
  static of(vss: readonly AviVirtualService[]): NicUsers {
    return new NicUsers({ root: vss, lists: null }, []);
  }

  /** The index of runtime `b`, patched from this one's runtime, where only the virtual services in `changed` may have other NICs. */
  patched(b: readonly AviVirtualService[], changed: readonly number[]): NicUsers {
    if (!changed.length) return this;
    if (this.since.length + changed.length > Math.max(1024, b.length >>> 3)) return NicUsers.of(b);
    return new NicUsers(this.base, this.since.concat(changed));
  }

  /** The indexes of `vss` (this index's runtime) with a NIC in `nics`, ascending, each once. */
  usersOf(vss: readonly AviVirtualService[], nics: ReadonlySet<string>): number[] {
    const base = this.base;
    if (base.lists === null) {
      const lists = new Map<string, number[]>();
      for (let i = 0; i < base.root.length; i++) {
        for (const nic of base.root[i].nics) {
          const list = lists.get(nic);
          if (list === undefined) lists.set(nic, [i]);
          else list.push(i);
        }
      }
      base.lists = lists;
    }
    const found = new Set<number>();
    const has = (i: number): boolean => {
      if (i >= vss.length) return false;
      for (const nic of vss[i].nics) if (nics.has(nic)) return true;
      return false;
    };
    for (const nic of nics) for (const i of base.lists.get(nic) ?? []) if (!found.has(i) && has(i)) found.add(i);
    for (const i of this.since) if (!found.has(i) && has(i)) found.add(i);
    return [...found].sort((x, y) => x - y);
  }
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
  const patched = previous !== null ? patchedRoutes(avi, previous, stats) : null;
  if (patched !== null) return patched;
  const was = previous?.avi?.virtualServices ?? [];
  const out: InjectedRoute[] = [];
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
      out.push(vipRoute(vs));
    }
  }
  return same && out.length === previous!.routes.length ? previous!.routes : out;
}

/**
 * injectedRoutes of a runtime patched from the previous one (topology/realize aviRuntimeChange),
 * with as many virtual services or some appended: only the records the patch made anew are
 * looked at (the others are the previous objects: their routes are the previous ones, in the same
 * order). A route replaced takes its place in a copy of the previous list; a record that gained
 * or lost its route (a virtual service enabled or disabled, placed or not) inserts or removes one,
 * the list copied once around them. Null when the runtime was not patched from the previous one
 * (the caller walks every virtual service).
 */
function patchedRoutes(avi: AviRuntime, previous: InjectedFrom, stats: { made: number } | null): readonly InjectedRoute[] | null {
  const change = aviRuntimeChange(avi);
  const was = previous.avi?.virtualServices;
  const list = avi.virtualServices;
  if (change === null || change.from !== previous.avi || !was || was.length > list.length) return null;
  const at = routePositions(was, previous.routes);
  const before = previous.routes;
  // The routes made anew, by record, and how many records lost or gained their route; the routes
  // replaced in place (at their old positions, in record order) when that is all.
  const replacedAt: number[] = [];
  let removedCount = 0;
  let insertedCount = 0;
  const fresh = new Map<number, InjectedRoute>();
  for (const i of change.changed) {
    const vs = list[i];
    const old = i < was.length ? was[i] : null;
    const had = old !== null && old.route !== null;
    if (vs.route === null) {
      if (had) removedCount++;
      continue;
    }
    if (had && old.name === vs.name && old.tier1 === vs.tier1 && old.vip === vs.vip && sameVipRoute(old.route!, vs.route)) continue;
    if (stats !== null) stats.made++;
    fresh.set(i, vipRoute(vs, had && old.name === vs.name && old.tier1 === vs.tier1 ? before[at[i]] : null));
    if (had) replacedAt.push(at[i]);
    else insertedCount++;
  }
  if (!fresh.size && !removedCount) return previous.routes;
  if (!removedCount && !insertedCount) {
    // Routes replaced in place: the same positions.
    const out = before.slice();
    for (const [i, route] of fresh) out[at[i]] = route;
    routePositionsOf.set(out, list.length === was.length ? at : extendedPositions(at, list.length, before.length));
    noteEdited(out, before, { replaced: replacedAt.map((p) => [p, p] as const), removed: [], inserted: [] });
    return out;
  }
  // Routes inserted or removed: the list made again around them, and every position after them moved.
  const out: InjectedRoute[] = new Array(before.length + insertedCount - removedCount);
  const next = new Int32Array(list.length);
  const replaced: (readonly [number, number])[] = [];
  const removed: number[] = [];
  const inserted: number[] = [];
  let o = 0;
  let from = 0;
  let vsFrom = 0;
  for (const i of change.changed) {
    const vs = list[i];
    const old = i < was.length ? was[i] : null;
    const had = old !== null && old.route !== null;
    const oldAt = i < was.length ? (at[i] >= 0 ? at[i] : ~at[i]) : before.length;
    // The previous routes up to old position oldAt, and the positions of the records before `i`.
    o = copyRoutes(out, o, before, from, oldAt);
    from = Math.max(from, oldAt);
    shiftPositions(next, at, vsFrom, Math.min(i, was.length), o - from);
    vsFrom = i + 1;
    const route = fresh.get(i);
    if (vs.route === null) {
      if (had) {
        removed.push(from);
        from++;
      }
      next[i] = ~o;
      continue;
    }
    if (route === undefined) {
      // The same route (the record was made again to say the same).
      next[i] = o;
      out[o++] = before[from++];
      continue;
    }
    if (had) {
      replaced.push([from, o]);
      from++;
    } else inserted.push(o);
    next[i] = o;
    out[o++] = route;
  }
  o = copyRoutes(out, o, before, from, before.length);
  from = before.length;
  shiftPositions(next, at, vsFrom, was.length, o - from);
  next.fill(~o, Math.max(vsFrom, was.length), list.length); // appended without a route
  routePositionsOf.set(out, next);
  noteEdited(out, before, { replaced, removed, inserted });
  return out;
}

// patchedRoutes' copies: the routes before a changed record, and the positions of the records
// before it (unshifted — a virtual service appended after the others — as one TypedArray.set).

/** Copies before[from, to) to out from position `o` on; the position after them. */
function copyRoutes(out: InjectedRoute[], o: number, before: readonly InjectedRoute[], from: number, to: number): number {
  for (let k = from; k < to; k++) out[o++] = before[k];
  return o;
}

/** The new positions of records [from, to): `at`'s, shifted by `shift` routes inserted (negative: removed) before them. */
function shiftPositions(next: Int32Array, at: Int32Array, from: number, to: number, shift: number): void {
  if (from >= to) return;
  if (shift === 0) {
    next.set(at.subarray(from, to), from);
    return;
  }
  for (let k = from; k < to; k++) next[k] = at[k] >= 0 ? at[k] + shift : ~(~at[k] + shift);
}

/** Map.forEach's callback copying an entry into `this` (a map). */
function setInto<K, V>(this: Map<K, V>, value: V, key: K): void {
  this.set(key, value);
}

/** Positions of a list of `n` records whose first `at.length` are `at`'s and the others appended without a route (`routes` routes before them). */
function extendedPositions(at: Int32Array, n: number, routes: number): Int32Array {
  const out = new Int32Array(n);
  out.set(at);
  out.fill(~routes, at.length);
  return out;
}

/**
 * Per virtual service of `list`: the position of its route in `routes` (its injected routes, in
 * order); for one without a route, ~(the number of routes before it): where one would be inserted.
 */
function routePositions(list: readonly AviVirtualService[], routes: readonly InjectedRoute[]): Int32Array {
  let at = routePositionsOf.get(routes);
  if (at !== undefined && at.length === list.length) return at;
  at = new Int32Array(list.length);
  let j = 0;
  for (let i = 0; i < list.length; i++) at[i] = list[i].route !== null ? j++ : ~j;
  routePositionsOf.set(routes, at);
  return at;
}

/** Route positions per injected list (a patched list has its previous one's). */
const routePositionsOf = new WeakMap<readonly InjectedRoute[], Int32Array>();

/** The injected route of a virtual service with a route. */
/**
 * The injected route of a virtual service with a route. `was`: the route the same virtual service
 * (name and Tier-1) injected before, whose origin and prefix it shares (an SE failed: the same
 * VIP routes with other next hops).
 */
function vipRoute(vs: AviVirtualService, was: InjectedRoute | null = null): InjectedRoute {
  const route = vs.route!;
  return {
    tier1: vs.tier1,
    // The route is the VIP's /32 (its text is for display): no parse.
    prefix: was !== null && was.prefix.addr === vs.vip ? was.prefix : { addr: vs.vip, len: 32 },
    nextHops: parsedList(route.nextHops),
    origin: was !== null ? was.origin : `Avi virtual service ${JSON.stringify(vs.name)} (VIP route)`,
    advertiseAs: route.type === 'LB_VIP' ? 'TIER1_LB_VIP' : 'TIER1_STATIC_ROUTES',
  };
}

/**
 * One parsed list per next-hop list of the Avi runtimes (the virtual services on the same SEs
 * share theirs, and so do a runtime and those patched from it: their routes' lists are the same
 * objects).
 */
const parsedLists = new WeakMap<readonly string[], readonly number[]>();

function parsedList(texts: readonly string[]): readonly number[] {
  let list = parsedLists.get(texts);
  if (list === undefined) parsedLists.set(texts, (list = texts.map((h) => parseIp(h)!)));
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
export function compileLoadBalancer(net: ExpandedNetwork, avi: AviRuntime, previous: CompiledLoadBalancer | null = null, previousNet: ExpandedNetwork = net, changedEndpoints?: readonly number[]): CompiledLoadBalancer {
  if (previous !== null) {
    const patched = patchLoadBalancer(net, avi, previous, previousNet, changedEndpoints);
    if (patched !== null) return patched;
  }
  // Sized to what it will hold (an SE NIC per placed VIP): a rebuild after an SE failure at L
  // allocates no more array buffer than it needs (V8 marks the heap per 64 MiB of them).
  let pairs = 0;
  for (const vs of avi.virtualServices) if (vs.trafficEnabled) pairs += vs.nics.length;
  const vipHost = new PairHash(pairs);
  const seOfEndpoint = new Map<number, string>();
  for (const se of avi.serviceEngines) for (const nic of se.nics) seOfEndpoint.set(net.endpointByName.get(nic.workload)!, se.name);
  const nicVips = new Map<number, number[]>();
  const vss = avi.virtualServices;
  // The NICs' endpoints, once per NIC list (the virtual services placed on the same SEs share theirs).
  const endpointsOf = new Map<readonly string[], Int32Array>();
  for (let i = 0; i < vss.length; i++) {
    const vs = vss[i];
    if (!vs.trafficEnabled) continue;
    let eps = endpointsOf.get(vs.nics);
    if (eps === undefined) endpointsOf.set(vs.nics, (eps = Int32Array.from(vs.nics, (nic) => net.endpointByName.get(nic)!)));
    for (let k = 0; k < eps.length; k++) {
      const ep = eps[k];
      if (net.endpoints[ep].down || !vipHost.setIfAbsent(ep, vs.vip, i)) continue;
      const list = nicVips.get(ep);
      if (list) list.push(vs.vip);
      else nicVips.set(ep, [vs.vip]);
    }
  }
  const arpOwners = arpOwnersOf(avi);
  return { avi, vipHost, arpEntries: arpEntriesOf(net, avi, arpOwners), seOfEndpoint, nicVips, arpOwners, nicUsers: NicUsers.of(vss) };
}

/**
 * Virtual services placed differently than at the same position before, beyond which the tables
 * are built again: at most this many, and at most an eighth of them (most VIPs moved: a build is
 * cheaper than a patch of every pair). A patch costs their pairs (and a pass over the VIP host
 * table when NICs went down); a build, every virtual service's: a host failed at L moves ~3,000
 * (its SEs' groups).
 */
const PATCH_MAX_CHANGED = 8192;
const patchMaxChanged = (virtualServices: number): number => Math.min(PATCH_MAX_CHANGED, Math.max(64, virtualServices >>> 3));

/**
 * The previous tables (compiled over `previousNet`, a model of the same shape: the same, or with
 * other failures) updated to runtime `avi` over `net`, or null when they should be built again.
 * With every SE and SE NIC as before and the virtual services as before but for a few (placed
 * elsewhere, another VIP or traffic state, or added at the end: a virtual service added,
 * disabled, failed over; or removed from the end by an undo), the VIP host table is a copy of
 * the previous one with those virtual services' pairs removed and added again, and the pairs on SE NICs that went down or came back
 * removed or added; the ARP entries are the previous ones unless one of those virtual services
 * answers ARP or a NIC changed state. A pair another virtual service holds too (never in a valid
 * scenario: VIPs are not shared) builds them again, so that the first one keeps it as in a build.
 */
function patchLoadBalancer(net: ExpandedNetwork, avi: AviRuntime, previous: CompiledLoadBalancer, previousNet: ExpandedNetwork, changedEndpoints?: readonly number[]): CompiledLoadBalancer | null {
  const was = previous.avi;
  if (was === avi && net === previousNet) return previous;
  const a = was.virtualServices;
  const b = avi.virtualServices;
  // The runtime the previous one was patched from (an undo): only that patch's records differ,
  // those it appended now gone.
  const undone = aviRuntimeChange(was);
  const back = undone !== null && undone.from === avi;
  if ((b.length < a.length && !back) || !sameEngines(was, avi) || net.endpoints.length !== previousNet.endpoints.length) return null;
  // Indexes of virtual services placed otherwise (at or past b.length: removed ones).
  const changed: number[] = [];
  const isChanged = new Uint8Array(b.length);
  const most = patchMaxChanged(b.length);
  let arpChanged = false;
  const consider = (i: number): boolean => {
    if (i < a.length && i < b.length && samePlaced(a[i], b[i])) return true;
    if (changed.length === most) return false;
    changed.push(i);
    if (i < b.length) isChanged[i] = 1;
    if ((i < b.length && b[i].arpOwner !== null) || (i < a.length && a[i].arpOwner !== null)) arpChanged = true;
    return true;
  };
  // A runtime patched from the previous one: only its new records can be placed differently (the
  // others are the same objects); the runtime the previous one was patched from: only that
  // patch's; the very same runtime (only the model changed: a ToR or an edge failed): none,
  // without comparing 100,000 records with themselves.
  const patch = aviRuntimeChange(avi);
  if (patch !== null && patch.from === was) {
    for (const i of patch.changed) if (!consider(i)) return null;
  } else if (back) {
    for (const i of undone.changed) if (!consider(i)) return null;
  } else if (was !== avi) for (let i = 0; i < b.length; i++) if (!consider(i)) return null;
  // SE NICs (and any endpoint) that went down or came back since the previous model.
  const wentDown = new Set<number>();
  const cameUp = new Set<number>();
  if (net !== previousNet) {
    const flip = (ep: number) => {
      const x = previousNet.endpoints[ep];
      const y = net.endpoints[ep];
      if (x !== y && x.down !== y.down) (y.down ? wentDown : cameUp).add(ep);
    };
    if (changedEndpoints !== undefined) for (const ep of changedEndpoints) flip(ep);
    else for (let ep = 0; ep < net.endpoints.length; ep++) flip(ep);
  }
  // Placed as before, every virtual service keeps its NICs: the index gains the changed ones'.
  const nicUsers = previous.nicUsers.patched(b, changed);
  if (!changed.length && !wentDown.size && !cameUp.size) return { ...previous, avi, nicUsers };
  const endpointOf = (nic: string): number => net.endpointByName.get(nic)!;
  // The pairs of unchanged virtual services on NICs that came back (the others' are added below),
  // in virtual service order and, per virtual service, NIC order (as a pass over all of them lists them).
  const upPairs: number[] = [];
  if (cameUp.size) {
    const names = new Set<string>();
    for (const ep of cameUp) names.add(net.endpoints[ep].name);
    for (const i of nicUsers.usersOf(b, names)) {
      if (isChanged[i] || !b[i].trafficEnabled) continue;
      for (const nic of b[i].nics) {
        const ep = endpointOf(nic);
        if (cameUp.has(ep)) upPairs.push(ep, b[i].vip, i);
      }
    }
  }
  // The pairs removed and added, then the previous table with those changes (an overlay: not a copy).
  const base = previous.vipHost;
  const removed: number[] = [];
  for (const i of changed) {
    if (i >= a.length || !a[i].trafficEnabled) continue;
    for (const nic of a[i].nics) {
      const ep = endpointOf(nic);
      if (previousNet.endpoints[ep].down) continue;
      if (base.get(ep, a[i].vip) !== i) return null;
      removed.push(ep, a[i].vip);
    }
  }
  // Any pair on a NIC now down.
  for (const ep of wentDown) for (const vip of previous.nicVips.get(ep) ?? []) removed.push(ep, vip);
  let adding = upPairs.length / 3;
  for (const i of changed) if (i < b.length && b[i].trafficEnabled) adding += b[i].nics.length;
  // (ep, vip) → its new virtual service, or GONE.
  const edits = new PairHash(removed.length / 2 + adding);
  const GONE = -1;
  for (let k = 0; k < removed.length; k += 2) {
    edits.delete(removed[k], removed[k + 1]);
    edits.setIfAbsent(removed[k], removed[k + 1], GONE);
  }
  const add = (ep: number, vip: number, i: number): boolean => {
    const now = edits.get(ep, vip >>> 0);
    if (now === MISSING ? base.get(ep, vip >>> 0) !== MISSING : now !== GONE) return false;
    edits.delete(ep, vip);
    return edits.setIfAbsent(ep, vip, i);
  };
  for (const i of changed) {
    if (i >= b.length || !b[i].trafficEnabled) continue;
    for (const nic of b[i].nics) {
      const ep = endpointOf(nic);
      if (!net.endpoints[ep].down && !add(ep, b[i].vip, i)) return null;
    }
  }
  for (let k = 0; k < upPairs.length; k += 3) if (!add(upPairs[k], upPairs[k + 1], upPairs[k + 2])) return null;
  const changes: number[] = [];
  edits.scan((ep, vip, i) => changes.push(ep, vip, i === GONE ? MISSING : i));
  const vipHost = base.withChanges(changes);
  // The NICs' VIP lists, those of the NICs changed copied.
  // (Copied entry by entry: `new Map(map)` makes an array per entry.)
  const nicVips = new Map<number, readonly number[]>();
  previous.nicVips.forEach(setInto, nicVips);
  const touched = new Map<number, Set<number>>();
  for (let k = 0; k < changes.length; k += 3) {
    const ep = changes[k];
    let vips = touched.get(ep);
    if (!vips) touched.set(ep, (vips = new Set(previous.nicVips.get(ep) ?? [])));
    if (changes[k + 2] === MISSING) vips.delete(changes[k + 1]);
    else vips.add(changes[k + 1]);
  }
  for (const [ep, vips] of touched) {
    if (vips.size) nicVips.set(ep, [...vips]);
    else nicVips.delete(ep);
  }
  // A virtual service that answers ARP, or did, changed: the owners listed again.
  const arpOwners = arpChanged ? arpOwnersOf(avi) : previous.arpOwners;
  const arpEntries = arpChanged || wentDown.size || cameUp.size ? arpEntriesOf(net, avi, arpOwners) : previous.arpEntries;
  return { avi, vipHost, arpEntries, seOfEndpoint: previous.seOfEndpoint, nicVips, arpOwners, nicUsers };
}

/** The same VIP, traffic state, ARP owner and SE NICs. */
function samePlaced(x: AviVirtualService, y: AviVirtualService): boolean {
  return x === y || (x.vip === y.vip && x.trafficEnabled === y.trafficEnabled && x.arpOwner === y.arpOwner && sameStrings(x.nics, y.nics));
}

/** The ARP entries of VIPs inside an SE data subnet (the owning SE NIC answers), in virtual service order. */
function arpEntriesOf(net: ExpandedNetwork, avi: AviRuntime, owners: readonly number[] = arpOwnersOf(avi)): CompiledLoadBalancer['arpEntries'] {
  const out: { domain: number; vip: number; endpoint: number }[] = [];
  for (const i of owners) {
    const vs = avi.virtualServices[i];
    const ep = net.endpointByName.get(vs.arpOwner!)!;
    if (!net.endpoints[ep].down) out.push({ domain: net.endpoints[ep].domain, vip: vs.vip, endpoint: ep });
  }
  return out;
}

/** The virtual services whose VIP an SE NIC answers ARP for (traffic enabled, inside an SE data subnet), by index. */
function arpOwnersOf(avi: AviRuntime): readonly number[] {
  const out: number[] = [];
  avi.virtualServices.forEach((vs, i) => {
    if (vs.trafficEnabled && vs.arpOwner !== null) out.push(i);
  });
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
