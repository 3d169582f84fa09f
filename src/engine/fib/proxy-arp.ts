// Proxy ARP of Tier-0 SRs on their uplinks (NSX enables it by itself, no setting): an active SR
// answers ARP, on an uplink, for the addresses inside that uplink's subnet that its gateway
// translates (its own NAT rules: DNAT destinations, SNAT / REFLEXIVE translated addresses) or that
// its Tier-1s advertise to it as NAT addresses, LB VIPs or LB SNAT addresses (t1n / t1l / t1ls
// routes selected on the SR). Addresses that an interface or end host owns answer normally (the
// ARP table is asked first); a standby or failed SR answers nothing; in ACTIVE_ACTIVE the first
// active SR in edge-cluster order answers (an ARP cache holds one owner), and an SR never takes its
// own proxy answer (it asks the others).
import { formatIp, networkOf, type Prefix } from '../../topology/ip.js';
import { entriesOf, type Scenario } from '../../topology/scenario.js';
import type { ExpandedNetwork } from '../model/expand.js';
import { natAddresses } from './nat.js';
import type { RoutingState } from '../ribs/routes.js';
import { firstAtOrAfter, type RibRoute, type RibTable } from '../ribs/route.js';
import { interfacesOfKind } from '../model/interface-kinds.js';

export interface ProxyArpEntry {
  readonly domain: number;
  /** Answered addresses: [lo, hi], inside the interface's subnet. */
  readonly lo: number;
  readonly hi: number;
  /** The uplink interface that answers (its SR receives the packet). */
  readonly iface: number;
  readonly component: number;
  /** What the address is: "NAT address", "LB VIP", "LB SNAT address". */
  readonly kind: string;
  /** Why the gateway owns it (a NAT rule, a Tier-1's advertised route). */
  readonly reason: string;
}

export interface ProxyArpTable {
  /** Sorted by domain (then SR order, then rule/route order): entries of domain d are [first[d], first[d + 1]). */
  readonly entries: readonly ProxyArpEntry[];
  readonly first: Int32Array;
}

/**
 * The table over a model with `domains` domains whose first ones are the table's (a reshaped
 * model: segments added or removed at the end, the uplinks' domains among those kept): the same
 * entries, the per-domain index cut or extended (no entry in an added domain). Null when an entry
 * lies in a domain that is gone.
 */
export function withDomainCount(table: ProxyArpTable, domains: number): ProxyArpTable | null {
  const had = table.first.length - 1;
  if (had === domains) return table;
  if (table.first[Math.min(had, domains)] !== table.entries.length) return null;
  const first = new Int32Array(domains + 1);
  first.set(table.first.subarray(0, Math.min(had, domains) + 1));
  for (let d = had + 1; d <= domains; d++) first[d] = table.entries.length;
  return { entries: table.entries, first };
}

const ROUTE_KIND: Readonly<Record<string, string>> = { t1n: 'NAT address', t1l: 'LB VIP', t1ls: 'LB SNAT address' };

export function compileProxyArp(net: ExpandedNetwork, routing: RoutingState, s?: Scenario): ProxyArpTable {
  const entries: ProxyArpEntry[] = [];
  for (const [name, t0] of s ? entriesOf(s.tier0s) : []) {
    const gw = net.gateways.get(name);
    if (!gw) continue;
    const own = natAddresses(t0.nat).map(({ prefix, rule }) => ({ prefix, kind: 'NAT address', reason: `NAT rule ${JSON.stringify(rule)}` }));
    for (const sr of gw.srs) {
      if (net.components[sr].ha !== 'active') continue;
      const rib = routing.ribs[sr];
      // (Its uplinks from the component's index: a Tier-0 SR has an interface per Tier-1.)
      for (const i of interfacesOfKind(net, sr, 'uplink')) {
        const itf = net.interfaces[i];
        if (itf.down) continue;
        const subnet = networkOf(itf);
        for (const a of own) {
          const r = intersect(a.prefix, subnet);
          if (r) entries.push({ domain: itf.domain, lo: r[0], hi: r[1], iface: i, component: sr, kind: a.kind, reason: a.reason });
        }
        // The SR's selected Tier-1 NAT / LB routes overlapping the subnet, in table order (an
        // SR's RIB holds every VIP of the fabric: found by binary search, not a scan).
        for (const a of proxyRoutes(rib, subnet)) {
          const r = intersect(a.prefix, subnet)!;
          entries.push({ domain: itf.domain, lo: r[0], hi: r[1], iface: i, component: sr, kind: ROUTE_KIND[a.type], reason: a.origin });
        }
      }
    }
  }
  // Stable by domain (Array#sort is stable): within a domain, SR order (edge-cluster order) then rule/route order.
  const sorted = entries.sort((a, b) => a.domain - b.domain);
  const first = new Int32Array(net.domains.length + 1);
  for (const e of sorted) first[e.domain + 1]++;
  for (let d = 0; d < net.domains.length; d++) first[d + 1] += first[d];
  return { entries: sorted, first };
}

/**
 * Whether an SR's table `after` gives proxy ARP what `before` gave it: on each of its uplinks, the
 * same selected Tier-1 NAT / LB routes overlapping the uplink's subnet (prefix, kind and origin,
 * in order). What compileProxyArp reads of the table: a table that changed elsewhere (BGP routes
 * from a ToR that failed) leaves the answers as they were.
 */
export function sameProxyRoutes(net: ExpandedNetwork, sr: number, before: RibTable, after: RibTable): boolean {
  for (const i of interfacesOfKind(net, sr, 'uplink')) {
    const subnet = networkOf(net.interfaces[i]);
    const x = proxyRoutes(before, subnet);
    const y = proxyRoutes(after, subnet);
    if (x.length !== y.length) return false;
    for (let k = 0; k < x.length; k++) {
      const a = x[k];
      const b = y[k];
      if (a !== b && (a.prefix.addr !== b.prefix.addr || a.prefix.len !== b.prefix.len || a.type !== b.type || a.origin !== b.origin)) return false;
    }
  }
  return true;
}

/**
 * The routes of `rib` proxy ARP answers for on an uplink of subnet `subnet`, in table order: their
 * shapes (RibTable.shapeAt: prefix, type, origin and selection are what is read).
 */
function proxyRoutes(rib: RibTable, subnet: Prefix): RibRoute[] {
  const out: RibRoute[] = [];
  for (const k of overlapping(rib, subnet)) {
    const a = rib.shapeAt(k);
    if (a.selected && ROUTE_KIND[a.type] !== undefined) out.push(a);
  }
  return out;
}

/** The entry answering ARP for `ip` on `domain` when `asker` (a component, -1 for an end host) asks, or -1. */
export function proxyArpEntry(t: ProxyArpTable, domain: number, ip: number, asker: number): number {
  const end = t.first[domain + 1];
  for (let k = t.first[domain]; k < end; k++) {
    const e = t.entries[k];
    if (ip >= e.lo && ip <= e.hi && e.component !== asker) return k;
  }
  return -1;
}

/** "proxy ARP for NAT address 10.0.10.100 by t0@edge-01 (NAT rule "dnat-web")". */
export function describeProxyArp(net: ExpandedNetwork, e: ProxyArpEntry, ip: number): string {
  const c = net.components[e.component];
  return `proxy ARP for ${e.kind} ${formatIp(ip)} by ${c.name} on ${net.nodes[c.node].name} (${e.reason})`;
}

/**
 * Indexes, in table order, of the routes of `rib` (sorted by prefix) whose prefix overlaps
 * `subnet`: the prefixes covering it (one candidate per shorter length, each found by binary
 * search), then those starting inside it (a contiguous run).
 */
export function overlapping(rib: RibTable, subnet: Prefix): number[] {
  const out: number[] = [];
  const lo = subnet.addr >>> 0;
  const hi = lo + 2 ** (32 - subnet.len) - 1;
  for (let len = 0; len < subnet.len; len++) {
    const addr = len === 0 ? 0 : (lo & (0xffffffff << (32 - len))) >>> 0;
    if (addr === lo) continue; // starts at the subnet: in the run below
    for (let k = firstAtOrAfter(rib, { addr, len }); k < rib.length && (rib.shapeAt(k).prefix.addr >>> 0) === addr && rib.shapeAt(k).prefix.len === len; k++) out.push(k);
  }
  out.sort((a, b) => a - b);
  for (let k = firstAtOrAfter(rib, { addr: lo, len: 0 }); k < rib.length && rib.shapeAt(k).prefix.addr >>> 0 <= hi; k++) out.push(k);
  return out;
}

/** The common part of a prefix and a subnet as [lo, hi], or null when they do not overlap. */
function intersect(a: Prefix, b: Prefix): [number, number] | null {
  const aLo = a.addr >>> 0;
  const aHi = (aLo + 2 ** (32 - a.len) - 1) >>> 0;
  const bLo = b.addr >>> 0;
  const bHi = (bLo + 2 ** (32 - b.len) - 1) >>> 0;
  const lo = Math.max(aLo, bLo);
  const hi = Math.min(aHi, bHi);
  return lo <= hi ? [lo, hi] : null;
}
