// Compiles the model and RIBs into the forwarding core's flat structures: one LPM table per
// router component whose values index ECMP groups of next hops held in typed arrays, an ARP table
// keyed by (domain, address) with the Tier-0 SRs' proxy ARP behind it, and per-component own
// addresses. Traces read only these.
import { buildLpm, type LpmTable } from './lpm.js';
import { MISSING, PairHash } from './pair-hash.js';
import { compileRules, type RuleSet } from './firewall.js';
import { compileNat, type NatTable } from './nat.js';
import { entriesOf, type Scenario } from '../topology/scenario.js';
import type { ExpandedNetwork } from './expand.js';
import type { RibRoute, RoutingState } from './routes.js';
import type { CompiledLoadBalancer } from './load-balancer.js';
import { compileProxyArp, proxyArpEntry, type ProxyArpTable } from './proxy-arp.js';

export const NH_CONNECTED = 0;
export const NH_FORWARD = 1;
export const NH_BLACKHOLE = 2;

export const NODE_HOST = 0;
export const NODE_EDGE = 1;
export const NODE_PHYSICAL = 2;

export interface CompiledNetwork {
  readonly net: ExpandedNetwork;
  readonly routing: RoutingState;
  readonly fib: readonly LpmTable[];
  /** Per FIB entry: first next hop and count (an ECMP group). */
  readonly groupStart: Int32Array;
  readonly groupCount: Int32Array;
  /** Per next hop. */
  readonly nhKind: Uint8Array;
  readonly nhIp: Uint32Array;
  readonly nhDomain: Int32Array;
  readonly nhInterface: Int32Array;
  readonly nhExternal: Uint8Array;
  readonly nhRoute: Int32Array;
  /** Forwarded next hops: the ARP owner of the next-hop address, resolved at compile time. */
  readonly nhOwner: Int32Array;
  /** Forwarded next hops answered by proxy ARP: the proxy entry, else -1. */
  readonly nhProxy: Int32Array;
  /** (domain, ip) → owner: interface id (≥ 0) or -(endpoint id + 1); MISSING when none. */
  readonly arp: PairHash;
  /** Proxy ARP of Tier-0 SRs on their uplinks (NAT addresses, Tier-1 NAT / LB addresses), asked when `arp` has no owner. */
  readonly proxyArp: ProxyArpTable;
  /** (component, ip) → the component's own interface holding that address. */
  readonly ownIp: PairHash;
  readonly componentNode: Int32Array;
  readonly interfaceComponent: Int32Array;
  readonly nodeKind: Uint8Array;
  /** 1 for overlay segments and internal links (crossed through Geneve tunnels). */
  readonly domainOverlay: Uint8Array;
  /** 1 for user segments (they appear as SEGMENT hops). */
  readonly domainIsSegment: Uint8Array;
  readonly endpointNode: Int32Array;
  readonly endpointIp: Uint32Array;
  readonly endpointLen: Uint8Array;
  readonly endpointDomain: Int32Array;
  readonly endpointGateway: Uint32Array;
  /** 1 for workloads (the distributed firewall applies at their vNIC). */
  readonly endpointIsWorkload: Uint8Array;
  /** Gateway firewall per component (set on the SRs of gateways that have one), else null. */
  readonly gatewayFirewall: readonly (RuleSet | null)[];
  readonly distributedFirewall: RuleSet | null;
  /** NAT table per component (the SRs of gateways with NAT rules), else null. */
  readonly nat: readonly (NatTable | null)[];
  /** Per interface: 1 when a packet arriving on it comes from outside its gateway (uplink; Tier-1 SR router link). */
  readonly interfaceOutside: Uint8Array;
  /** NSX Advanced Load Balancer: VIPs on SE NICs, pools, VRFs; null without Avi. */
  readonly lb: CompiledLoadBalancer | null;
}

export function compile(net: ExpandedNetwork, routing: RoutingState, s?: Scenario, lb: CompiledLoadBalancer | null = null): CompiledNetwork {
  const nh = { kind: [] as number[], ip: [] as number[], domain: [] as number[], iface: [] as number[], ext: [] as number[], route: [] as number[] };
  const groupStart: number[] = [];
  const groupCount: number[] = [];
  const fib: LpmTable[] = [];
  /** Per next hop: the component whose table holds it (who asks ARP for it). */
  const nhAsker: number[] = [];
  const maxEcmp = net.settings.maxEcmp;

  for (const [comp, rib] of routing.ribs.entries()) {
    // Group selected routes by prefix (RIBs are sorted by prefix).
    const addrs: number[] = [];
    const lens: number[] = [];
    const values: number[] = [];
    let i = 0;
    while (i < rib.length) {
      let j = i;
      while (j < rib.length && rib[j].prefix.addr === rib[i].prefix.addr && rib[j].prefix.len === rib[i].prefix.len) j++;
      const selected = rib.slice(i, j).filter((r) => r.selected);
      i = j;
      if (!selected.length) continue;
      const hops = expandNextHops(selected, net);
      if (!hops.length) continue;
      addrs.push(selected[0].prefix.addr);
      lens.push(selected[0].prefix.len);
      values.push(groupStart.length);
      groupStart.push(nh.kind.length);
      const used = hops.slice(0, maxEcmp);
      groupCount.push(used.length);
      for (const h of used) {
        nh.kind.push(h.kind);
        nh.ip.push(h.ip);
        nh.domain.push(h.domain);
        nh.iface.push(h.iface);
        nh.ext.push(h.iface >= 0 && net.interfaces[h.iface].external ? 1 : 0);
        nh.route.push(h.route);
        nhAsker.push(comp);
      }
    }
    fib.push(buildLpm(addrs, lens, values));
  }

  const arp = new PairHash(net.interfaces.length + net.endpoints.length);
  const ownIp = new PairHash(net.interfaces.length);
  for (const itf of net.interfaces) {
    ownIp.setIfAbsent(itf.component, itf.ip, itf.id);
    if (!itf.down && itf.answersArp) arp.setIfAbsent(itf.domain, itf.ip, itf.id);
  }
  for (const ep of net.endpoints) if (!ep.down) arp.setIfAbsent(ep.domain, ep.ip, -(ep.id + 1));
  // A VIP inside an SE data subnet: the owning SE answers ARP for it.
  for (const e of lb?.arpEntries ?? []) arp.setIfAbsent(e.domain, e.vip, -(e.endpoint + 1));
  const proxyArp = compileProxyArp(net, routing, s);
  const nhProxy = Int32Array.from(nh.kind, (kind, i) => (kind === NH_FORWARD && arp.get(nh.domain[i], nh.ip[i]) === MISSING ? proxyArpEntry(proxyArp, nh.domain[i], nh.ip[i], nhAsker[i]) : -1));
  const nhOwner = Int32Array.from(nh.kind, (kind, i) =>
    kind !== NH_FORWARD ? MISSING : nhProxy[i] >= 0 ? proxyArp.entries[nhProxy[i]].iface : arp.get(nh.domain[i], nh.ip[i]),
  );

  const gatewayFirewall: (RuleSet | null)[] = net.components.map(() => null);
  const nat: (NatTable | null)[] = net.components.map(() => null);
  if (s) {
    for (const [name, gw] of [...entriesOf(s.tier0s), ...entriesOf(s.tier1s)]) {
      const rules = compileRules(s, gw.gatewayFirewall);
      const table = compileNat(gw.nat);
      for (const sr of net.gateways.get(name)!.srs) {
        gatewayFirewall[sr] = rules;
        nat[sr] = table;
      }
    }
  }
  return {
    net,
    routing,
    fib,
    groupStart: Int32Array.from(groupStart),
    groupCount: Int32Array.from(groupCount),
    nhKind: Uint8Array.from(nh.kind),
    nhIp: Uint32Array.from(nh.ip),
    nhDomain: Int32Array.from(nh.domain),
    nhInterface: Int32Array.from(nh.iface),
    nhExternal: Uint8Array.from(nh.ext),
    nhRoute: Int32Array.from(nh.route),
    nhOwner,
    nhProxy,
    arp,
    proxyArp,
    ownIp,
    componentNode: Int32Array.from(net.components.map((c) => c.node)),
    interfaceComponent: Int32Array.from(net.interfaces.map((i) => i.component)),
    nodeKind: Uint8Array.from(net.nodes.map((n) => (n.kind === 'host' ? NODE_HOST : n.kind === 'edge' ? NODE_EDGE : NODE_PHYSICAL))),
    domainOverlay: Uint8Array.from(net.domains.map((d) => (d.kind === 'vlan' || d.kind === 'physical' ? 0 : 1))),
    domainIsSegment: Uint8Array.from(net.domains.map((d) => (d.segment !== undefined ? 1 : 0))),
    endpointNode: Int32Array.from(net.endpoints.map((e) => e.node)),
    endpointIp: Uint32Array.from(net.endpoints.map((e) => e.ip)),
    endpointLen: Uint8Array.from(net.endpoints.map((e) => e.len)),
    endpointDomain: Int32Array.from(net.endpoints.map((e) => e.domain)),
    endpointGateway: Uint32Array.from(net.endpoints.map((e) => e.gateway)),
    endpointIsWorkload: Uint8Array.from(net.endpoints.map((e) => (e.kind !== 'PHYSICAL_HOST' ? 1 : 0))),
    gatewayFirewall,
    distributedFirewall: s ? compileRules(s, s.distributedFirewall) : null,
    nat,
    interfaceOutside: Uint8Array.from(net.interfaces.map((i) => (i.kind === 'uplink' || (i.kind === 'router-link' && net.components[i.component].type === 'T1_SR') ? 1 : 0))),
    lb,
  };
}

interface Hop {
  kind: number;
  ip: number;
  domain: number;
  iface: number;
  route: number;
}

/** The ECMP group of a prefix: every next hop of its selected routes, sorted and de-duplicated. */
function expandNextHops(selected: RibRoute[], net: ExpandedNetwork): Hop[] {
  const out: Hop[] = [];
  for (const r of selected) {
    for (const h of r.nextHops) {
      if (h.blackhole) out.push({ kind: NH_BLACKHOLE, ip: 0, domain: -1, iface: -1, route: r.id });
      else if (h.ip === null) {
        const itf = net.interfaces[h.interface!];
        out.push({ kind: NH_CONNECTED, ip: 0, domain: itf.domain, iface: itf.id, route: r.id });
      } else if (h.via) {
        for (const v of h.via) out.push({ kind: NH_FORWARD, ip: v.ip, domain: net.interfaces[v.interface].domain, iface: v.interface, route: r.id });
      } else if (h.interface !== null) {
        out.push({ kind: NH_FORWARD, ip: h.ip, domain: net.interfaces[h.interface].domain, iface: h.interface, route: r.id });
      }
    }
  }
  out.sort((a, b) => a.kind - b.kind || a.ip - b.ip || a.iface - b.iface || a.route - b.route);
  return out.filter((h, k) => k === 0 || !(h.kind === out[k - 1].kind && h.ip === out[k - 1].ip && h.iface === out[k - 1].iface));
}
