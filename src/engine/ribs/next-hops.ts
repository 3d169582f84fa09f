// Next-hop resolution of one RIB: a static (or BGP) next hop resolves directly through a connected
// interface, else recursively through another route of the same table (never through the default
// route, as FRR by default). Every look-up goes through an index of the table built once (a
// `NextHopIndex`: LPM over connected routes, LPM over recursive prefixes with covering links), so
// the cost grows with routes × next hops, not with their product with the table's size.
import { formatIp, type Prefix } from '../../topology/ip.js';
import { buildLpm, lpmLookup, type LpmTable } from '../fib/lpm.js';
import { nextHop, normalizedHop, type RibNextHop, type RibRoute, type RouteType } from './route.js';

/**
 * Resolves static next hops: directly through a connected interface, else recursively through
 * another route of the same table (never through the default route, as FRR by default). Every
 * look-up goes through an index of the table built once (a `NextHopIndex`), so the cost grows
 * with routes × next hops, not with their product with the table's size. With `targets`, just
 * those routes of the table are resolved, in that order (the others are index entries; a 150k-route
 * table taking a few BGP routes is not walked). `connected`, when the caller has it, is the
 * table's directly connected routes in table order (their LPM is then built once per list).
 */
export function resolveNextHops(rib: RibRoute[], gatewayDownlinks: readonly { interface: number; prefix: Prefix }[], types: readonly RouteType[] = ['static'], targets?: readonly RibRoute[], connected?: readonly RibRoute[]): void {
  let index: NextHopIndex | null = null;
  const downlinks = gatewayDownlinks.length ? buildFirstMatchLpm(gatewayDownlinks.map((d) => d.prefix)) : null;
  const resolveOne = (ip: number, depth: number, self: RibRoute): RibNextHop['via'] | null => {
    const c = index!.connected(ip);
    if (c) return [{ ip, interface: c.nextHops[0].interface! }];
    if (downlinks) {
      const d = lpmLookup(downlinks, ip >>> 0);
      if (d >= 0) return [{ ip, interface: gatewayDownlinks[d].interface }];
    }
    recursed = true;
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
  // A next-hop list resolved without recursion resolves the same for every route holding that
  // very list (BGP routes of one decision share it): resolved once.
  let recursed = false;
  const resolvedOnce = new Map<readonly RibNextHop[], readonly RibNextHop[]>();
  // Indexed loops: tables hold up to ~150k routes, and an iterator allocates per step until the loop is optimized.
  const list = targets ?? rib;
  for (let ri = 0; ri < list.length; ri++) {
    const r = list[ri];
    if (!types.includes(r.type)) continue;
    const known = resolvedOnce.get(r.nextHops);
    if (known !== undefined) {
      r.nextHops = known;
      continue;
    }
    const given = r.nextHops;
    recursed = false;
    const resolved: RibNextHop[] = [];
    const missing: string[] = [];
    for (let k = 0; k < given.length; k++) {
      const nh = given[k];
      if (nh.blackhole || nh.ip === null) {
        resolved.push(normalizedHop(nh));
        continue;
      }
      index ??= new NextHopIndex(rib, connected);
      const via = resolveOne(nh.ip, 0, r);
      if (!via) missing.push(formatIp(nh.ip));
      else if (via.length === 1 && via[0].ip === nh.ip) resolved.push(directHop(nh.ip, via[0].interface));
      else resolved.push(nextHop(nh.ip, via[0].interface, via));
    }
    // Unresolvable next hops are left out of the FIB; with none left the route is inactive.
    if (resolved.length) {
      const same = sameList(resolved, previous);
      r.nextHops = same ? previous : (previous = resolved);
      if (!recursed && missing.length === 0) resolvedOnce.set(given, r.nextHops);
    } else {
      r.inactive = `next hop ${missing.join(', ')} unreachable`;
      r.nextHops = r.nextHops.map(normalizedHop);
    }
  }
}

function sameList(a: readonly RibNextHop[], b: readonly RibNextHop[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** An LPM over prefixes whose value is the index of the first of equal prefixes (buildLpm keeps the last). */
export function buildFirstMatchLpm(prefixes: readonly Prefix[]): LpmTable {
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

/** The LPM over a list of connected routes a caller keeps (a table's, carried to the tables patched from it). */
const connectedLpms = new WeakMap<readonly RibRoute[], LpmTable>();

/**
 * The look-ups next-hop resolution makes in one table, indexed once: the longest directly
 * connected route (interface route, no next-hop address) containing an address, and the route a
 * recursive next hop resolves through (longest non-default, non-connected prefix, then lowest
 * distance, then table order; never the route being resolved itself), indexed when first needed.
 */
class NextHopIndex {
  private readonly rib: readonly RibRoute[];
  private readonly connectedRoutes: readonly RibRoute[];
  private readonly connectedLpm: LpmTable;
  /** The recursive part, built on the first recursive look-up (most next hops are connected). */
  private recursiveIndex: RecursiveIndex | null = null;

  constructor(rib: readonly RibRoute[], connected?: readonly RibRoute[]) {
    this.rib = rib;
    if (connected !== undefined) {
      this.connectedRoutes = connected;
      let lpm = connectedLpms.get(connected);
      if (lpm === undefined) connectedLpms.set(connected, (lpm = buildFirstMatchLpm(connected.map((r) => r.prefix))));
      this.connectedLpm = lpm;
      return;
    }
    const found: RibRoute[] = [];
    for (let i = 0; i < rib.length; i++) {
      const r = rib[i];
      if (r.type === 'connected' && r.nextHops[0]?.ip === null) found.push(r);
    }
    this.connectedRoutes = found;
    this.connectedLpm = buildFirstMatchLpm(found.map((r) => r.prefix));
  }

  connected(ip: number): RibRoute | undefined {
    const i = lpmLookup(this.connectedLpm, ip >>> 0);
    return i < 0 ? undefined : this.connectedRoutes[i];
  }

  recursive(ip: number, self: RibRoute): RibRoute | undefined {
    const x = (this.recursiveIndex ??= recursiveIndex(this.rib));
    for (let g = lpmLookup(x.groupLpm, ip >>> 0); g >= 0; g = x.parent[g]) {
      for (let k = x.groupStart[g]; k < x.groupStart[g + 1]; k++) {
        const r = this.rib[x.order[k]];
        if (r !== self) return r;
      }
    }
    return undefined;
  }
}

interface RecursiveIndex {
  /** Table indexes of the recursive candidates by prefix (address, length), then distance, then table order. */
  readonly order: Uint32Array;
  /** Per distinct recursive prefix (in address order): its first position in `order`; one more at the end. */
  readonly groupStart: Int32Array;
  /** Per distinct recursive prefix: the longest other prefix covering it, or -1. */
  readonly parent: Int32Array;
  readonly groupLpm: LpmTable;
}

/** The recursive candidates of a table (non-connected, non-default) grouped by prefix, with covering links. */
function recursiveIndex(rib: readonly RibRoute[]): RecursiveIndex {
  const candidates: number[] = [];
  for (let i = 0; i < rib.length; i++) {
    const r = rib[i];
    if (r.type !== 'connected' && r.prefix.len > 0) candidates.push(i);
  }
  const n = candidates.length;
  const key = new Float64Array(rib.length);
  for (const i of candidates) key[i] = (rib[i].prefix.addr >>> 0) * 64 + rib[i].prefix.len;
  // A plain array: its sort (TimSort) is fast on the long ordered runs tables mostly are.
  candidates.sort((a, b) => key[a] - key[b] || rib[a].distance - rib[b].distance || a - b);
  const order = Uint32Array.from(candidates);
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
  const parent = new Int32Array(groups);
  const stack: number[] = [];
  for (let g = 0; g < groups; g++) {
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (addrs[top] + 2 ** (32 - lens[top]) > addrs[g]) break;
      stack.pop();
    }
    parent[g] = stack.length ? stack[stack.length - 1] : -1;
    stack.push(g);
  }
  const values = new Int32Array(groups);
  for (let g = 0; g < groups; g++) values[g] = g;
  return { order, groupStart: Int32Array.from(starts), parent, groupLpm: buildLpm(addrs, lens, values) };
}
