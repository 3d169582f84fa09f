// Expansion of a validated scenario into the component model (modelling-decisions.md
// "Components and links"): a DR per gateway present on every transport node, SRs on edges, the
// Tier-0 backplane / inter-SR links, Tier-1 transits, /31 router links, and the end hosts.
import { formatPrefix, networkOf, parseIfAddr, parseIp, parsePrefix, type Prefix } from '../../topology/ip.js';
import { entriesOf, type Scenario, type SegmentSpec } from '../../topology/scenario.js';
import type { ModelDelta } from './delta.js';
import { shapeMemo } from './shape-memo.js';
import type {
  Component,
  ComponentType,
  Domain,
  DomainKind,
  Endpoint,
  GatewayInfo,
  Interface,
  InterfaceKind,
  Network,
  Node,
} from './types.js';

export const DEFAULTS = { ttl: 64, maxEcmp: 8, maxPaths: 256 } as const;
/** A segment's domain while the others are made (expand): this plus its position among the segments. */
const SEGMENT_ID = 2 ** 30;
const T0_INTERNAL_TRANSIT_AA = '169.254.0.0/24';
const T0_INTERNAL_TRANSIT_AS = '169.254.0.0/28';
const T1_TRANSIT = '169.254.0.0/28';
const ROUTER_LINK_POOL = '100.64.0.0/16';

/** The expanded network (the name the engine's modules use for a Network built from a scenario). */
export type ExpandedNetwork = Network;

export function expand(s: Scenario): ExpandedNetwork {
  const nodes: Node[] = [];
  const components: Component[] = [];
  const interfaces: Interface[] = [];
  const domains: Domain[] = [];
  const endpoints: Endpoint[] = [];
  const gateways = new Map<string, GatewayInfo>();
  const nodeByName = new Map<string, number>();
  const endpointByName = new Map<string, number>();
  const endpointByIp = new Map<number, number>();
  const routerByName = new Map<string, number>();
  const segmentDomain = new Map<string, number>();
  const physicalDomain = new Map<string, number>();

  const addNode = (name: string, kind: Node['kind'], tep: number) => {
    const id = nodes.length;
    nodes.push({ id, name, kind, tep });
    nodeByName.set(name, id);
    return id;
  };
  const addDomain = (name: string, kind: DomainKind, prefix: Prefix | null, segment?: string) => {
    const id = domains.length;
    domains.push({ id, name, kind, prefix, ...(segment !== undefined ? { segment } : {}) });
    return id;
  };
  const addComponent = (type: ComponentType, name: string, node: number, ha: Component['ha'] = 'active') => {
    const id = components.length;
    components.push({ id, type, name, node, ha, interfaces: [] });
    return id;
  };
  const addInterface = (
    component: number,
    name: string,
    kind: InterfaceKind,
    ip: number,
    len: number,
    domain: number,
    opts: { external?: boolean; answersArp?: boolean } = {},
  ) => {
    const id = interfaces.length;
    const down = components[component].ha !== 'active';
    interfaces.push({ id, component, name, kind, ip, len, domain, external: !!opts.external, down, answersArp: opts.answersArp ?? true });
    (components[component].interfaces as number[]).push(id);
    return id;
  };

  const failed = new Set(s.failed ?? []);
  const roles = (edges: readonly string[], activeActive: boolean) => srRoles(edges, activeActive, failed);
  for (const [name, tn] of entriesOf(s.transportNodes)) addNode(name, tn.type, parseIp(tn.tep)!);
  for (const [name] of entriesOf(s.physicalRouters)) addNode(name, 'physical', 0);
  for (const [name] of entriesOf(s.physicalHosts)) addNode(name, 'physical', 0);

  // Segment domains come after every other domain, in segment order, and their downlinks after
  // every other interface: a segment added after the others appends one domain and at most one
  // interface, every other id staying what it was (model/grow.ts). Until the other domains are
  // all made, a segment's domain is SEGMENT_ID + its position (renumbered at the end).
  const segmentList: [string, SegmentSpec, Prefix | null][] = [];
  for (const [name, seg] of entriesOf(s.segments)) {
    const gw = parseIfAddr(seg.gateway);
    segmentDomain.set(name, SEGMENT_ID + segmentList.length);
    segmentList.push([name, seg, gw ? networkOf(gw) : parsePrefix(seg.subnet)]);
  }
  const physicalNet = (p: Prefix) => {
    const key = formatPrefix(p);
    let d = physicalDomain.get(key);
    if (d === undefined) {
      d = addDomain(key, 'physical', p);
      physicalDomain.set(key, d);
    }
    return d;
  };
  const clusterMembers = (cluster: string | undefined) =>
    cluster && s.edgeClusters && Object.hasOwn(s.edgeClusters, cluster) ? s.edgeClusters[cluster].members : [];

  // Tier-0s: DR, SRs (one per edge of the cluster), backplane, inter-SR link, uplinks, downlinks.
  const routerLinkNext = new Map<string, number>();
  const routerLinkPool = new Map<string, Prefix>();
  for (const [name, t0] of entriesOf(s.tier0s)) {
    const haMode = t0.haMode ?? 'ACTIVE_ACTIVE';
    const aa = haMode === 'ACTIVE_ACTIVE';
    const dr = addComponent('T0_DR', name, -1);
    const edges = clusterMembers(t0.edgeCluster);
    const t0Roles = roles(edges, aa);
    const srs = edges.map((e, i) => addComponent('T0_SR', name, nodeByName.get(e)!, t0Roles[i]));
    const its = parsePrefix(t0.internalTransitSubnet ?? (aa ? T0_INTERNAL_TRANSIT_AA : T0_INTERNAL_TRANSIT_AS))!;
    // A/A: the DR-SR backplane is the lower half and inter-SR iBGP the upper half of the subnet.
    const bpLen = aa ? its.len + 1 : its.len;
    const bp = addDomain(`${name}/backplane`, 'backplane', { addr: its.addr, len: bpLen });
    addInterface(dr, 'backplane', 'backplane', its.addr + 1, bpLen, bp);
    srs.forEach((sr, i) => addInterface(sr, 'backplane', 'backplane', its.addr + 2 + i, bpLen, bp));
    if (aa && srs.length > 1) {
      const half = its.addr + 2 ** (32 - bpLen);
      const isr = addDomain(`${name}/inter-sr`, 'inter-sr', { addr: half, len: bpLen });
      srs.forEach((sr, i) => addInterface(sr, 'inter-sr', 'inter-sr', half + 1 + i, bpLen, isr));
    }
    (t0.uplinks ?? []).forEach((u, i) => {
      const edge = nodeByName.get(u.edge);
      const sr = srs.find((c) => components[c].node === edge);
      const a = parseIfAddr(u.ip)!;
      if (sr !== undefined) addInterface(sr, u.name ?? `uplink-${i + 1}`, 'uplink', a.ip, a.len, segmentDomain.get(u.segment)!);
    });
    gateways.set(name, { name, tier: 0, haMode, dr, srs });
    routerLinkPool.set(name, parsePrefix(t0.transitSubnet ?? ROUTER_LINK_POOL)!);
    routerLinkNext.set(name, 0);
  }

  // Tier-1s: DR, SRs (placement from `edges` or the cluster's first two), transit, router link.
  for (const [name, t1] of entriesOf(s.tier1s)) {
    const dr = addComponent('T1_DR', name, -1);
    const members = clusterMembers(t1.edgeCluster);
    const placed = t1.edgeCluster ? (t1.edges ?? members.slice(0, 2)) : [];
    const haMode = t1.edgeCluster ? (t1.haMode ?? 'ACTIVE_STANDBY') : null;
    const t1Roles = roles(placed, haMode === 'ACTIVE_ACTIVE');
    const srs = placed.map((e, i) => addComponent('T1_SR', name, nodeByName.get(e)!, t1Roles[i]));
    if (srs.length) {
      const tr = parsePrefix(T1_TRANSIT)!;
      const d = addDomain(`${name}/transit`, 'transit', tr);
      addInterface(dr, 'transit', 'transit', tr.addr + 1, tr.len, d);
      srs.forEach((sr, i) => addInterface(sr, 'transit', 'transit', tr.addr + 2 + i, tr.len, d));
    }
    let routerLink: GatewayInfo['routerLink'];
    const t0 = t1.tier0 !== undefined ? gateways.get(t1.tier0) : undefined;
    if (t0 && t1.tier0 !== undefined) {
      const pool = routerLinkPool.get(t1.tier0)!;
      const n = routerLinkNext.get(t1.tier0)!;
      routerLinkNext.set(t1.tier0, n + 1);
      const t0Ip = pool.addr + 2 * n;
      const t1Ip = t0Ip + 1;
      const d = addDomain(`${t1.tier0}<->${name}`, 'router-link', { addr: t0Ip, len: 31 });
      addInterface(t0.dr, `router-link-${name}`, 'router-link', t0Ip, 31, d);
      // The Tier-0 SRs carry the same downlink (they route to the Tier-1 directly); the DR answers ARP.
      for (const sr of t0.srs) addInterface(sr, `router-link-${name}`, 'router-link', t0Ip, 31, d, { answersArp: false });
      if (srs.length) for (const sr of srs) addInterface(sr, `router-link-${t1.tier0}`, 'router-link', t1Ip, 31, d);
      else addInterface(dr, `router-link-${t1.tier0}`, 'router-link', t1Ip, 31, d);
      routerLink = { t0Ip, t1Ip, domain: d };
    }
    gateways.set(name, { name, tier: 1, haMode, dr, srs, ...(t1.tier0 !== undefined ? { tier0: t1.tier0 } : {}), ...(routerLink ? { routerLink } : {}) });
  }

  for (const [name, r] of entriesOf(s.physicalRouters)) {
    const node = nodeByName.get(name)!;
    const c = addComponent('PHYSICAL_ROUTER', name, node, failed.has(name) ? 'down' : 'active');
    routerByName.set(name, c);
    for (const itf of r.interfaces) {
      const a = parseIfAddr(itf.ip)!;
      const domain = itf.segment !== undefined ? segmentDomain.get(itf.segment)! : physicalNet(networkOf(a));
      addInterface(c, itf.name, 'physical', a.ip, a.len, domain, { external: !!itf.external });
    }
  }

  // The downlinks (DR LIFs on segments with a gateway address), in segment order.
  for (const [segName, seg] of segmentList) {
    const gw = seg.tier0 !== undefined ? gateways.get(seg.tier0) : seg.tier1 !== undefined ? gateways.get(seg.tier1) : undefined;
    const a = parseIfAddr(seg.gateway);
    if (gw === undefined || a === null || gw.tier !== (seg.tier0 !== undefined ? 0 : 1)) continue;
    addInterface(gw.dr, `downlink-${segName}`, 'downlink', a.ip, a.len, segmentDomain.get(segName)!);
  }

  for (const [name, w] of entriesOf(s.workloads)) {
    const domain = segmentDomain.get(w.segment)!;
    const seg = s.segments![w.segment];
    const gw = seg.tier0 !== undefined || seg.tier1 !== undefined ? parseIfAddr(seg.gateway) : null;
    const len = segmentList[domain - SEGMENT_ID][2]?.len ?? 32;
    endpointByName.set(name, endpoints.length);
    const down = endpointDown(name, w.host, failed);
    endpoints.push({ id: endpoints.length, kind: w.role ?? 'WORKLOAD', name, ip: parseIp(w.ip)!, len, domain, node: nodeByName.get(w.host)!, gateway: gw ? gw.ip : 0, down });
  }
  for (const [name, h] of entriesOf(s.physicalHosts)) {
    const a = parseIfAddr(h.ip)!;
    const domain = h.segment !== undefined ? segmentDomain.get(h.segment)! : physicalNet(networkOf(a));
    endpointByName.set(name, endpoints.length);
    endpoints.push({ id: endpoints.length, kind: 'PHYSICAL_HOST', name, ip: a.ip, len: a.len, domain, node: nodeByName.get(name)!, gateway: parseIp(h.gateway) ?? 0, down: endpointDown(name, name, failed) });
  }

  for (const ep of endpoints) if (!endpointByIp.has(ep.ip)) endpointByIp.set(ep.ip, ep.id);

  // The segment domains, after the others: their ids in every interface and end host.
  const first = domains.length;
  for (const [name, seg, prefix] of segmentList) addDomain(name, seg.type === 'vlan' ? 'vlan' : 'overlay', prefix, name);
  const renumber = <T extends { domain: number }>(list: readonly T[]) => {
    for (const x of list) if (x.domain >= SEGMENT_ID) (x as { domain: number }).domain = first + x.domain - SEGMENT_ID;
  };
  renumber(interfaces);
  renumber(endpoints);

  const settings = {
    ttl: s.settings?.ttl ?? DEFAULTS.ttl,
    maxEcmp: s.settings?.maxEcmp ?? DEFAULTS.maxEcmp,
    maxPaths: s.settings?.maxPaths ?? DEFAULTS.maxPaths,
  };
  return {
    nodes,
    components,
    interfaces,
    domains,
    endpoints,
    gateways,
    nodeByName,
    endpointByName,
    endpointByIp,
    routerByName,
    settings,
  };
}

/** HA roles of SRs on `edges` in order: failed edges are down; A/A: the rest active; A/S: the first survivor active. */
function srRoles(edges: readonly string[], activeActive: boolean, failed: ReadonlySet<string>): Component['ha'][] {
  let activeTaken = false;
  return edges.map((e) => {
    if (failed.has(e)) return 'down';
    if (activeActive || !activeTaken) {
      activeTaken = true;
      return 'active';
    }
    return 'standby';
  });
}

/** An end host is down when it, or the node it runs on, failed. */
function endpointDown(name: string, node: string, failed: ReadonlySet<string>): boolean {
  return failed.has(name) || failed.has(node);
}

/**
 * The model of the same scenario with other failures (`s.failed`; nothing else differs), from the
 * previous model (expanded with the failures `wasFailed`) and how the two differ (model/delta):
 * the SRs' HA roles, physical routers, interfaces and end hosts brought up or down by the same
 * rules as expand. Only what the names that failed or came back reach is visited (the SRs of
 * gateways on those nodes, the end hosts on them or of those names: failureIndex); every other
 * object is the previous one.
 */
export function withFailures(prev: ExpandedNetwork, s: Scenario, wasFailed: readonly string[] | undefined): { network: ExpandedNetwork; delta: ModelDelta } {
  const failed = new Set(s.failed ?? []);
  const before = new Set(wasFailed ?? []);
  const index = failureIndex(prev);
  const gatewayNames = new Set<string>();
  const routers: number[] = [];
  const hosts = new Set<number>();
  const flip = (name: string) => {
    const node = prev.nodeByName.get(name);
    if (node !== undefined) {
      for (const sr of index.srsOn[node]) gatewayNames.add(prev.components[sr].name);
      for (const ep of index.endpointsOn[node]) hosts.add(ep);
    }
    const router = prev.routerByName.get(name);
    if (router !== undefined) routers.push(router);
    for (const ep of index.endpointsNamed.get(name) ?? []) hosts.add(ep);
  };
  for (const name of failed) if (!before.has(name)) flip(name);
  for (const name of before) if (!failed.has(name)) flip(name);

  const changedComponents = new Set<number>();
  const components = gatewayNames.size || routers.length ? prev.components.slice() : prev.components;
  const setHa = (c: number, ha: Component['ha']) => {
    if (components[c].ha === ha) return;
    (components as Component[])[c] = { ...components[c], ha };
    changedComponents.add(c);
  };
  for (const name of gatewayNames) {
    const gw = prev.gateways.get(name);
    if (!gw || !gw.srs.length) continue;
    const ha = srRoles(gw.srs.map((sr) => prev.nodes[prev.components[sr].node].name), gw.haMode === 'ACTIVE_ACTIVE', failed);
    gw.srs.forEach((sr, i) => setHa(sr, ha[i]));
  }
  for (const [name, c] of prev.routerByName) if (routers.includes(c)) setHa(c, failed.has(name) ? 'down' : 'active');
  let interfaces = prev.interfaces;
  if (changedComponents.size) {
    const list = prev.interfaces.slice();
    for (const c of changedComponents) {
      const down = components[c].ha !== 'active';
      for (const i of components[c].interfaces) if (list[i].down !== down) list[i] = { ...list[i], down };
    }
    interfaces = list;
  }
  const changedEndpoints: number[] = [];
  let endpoints = prev.endpoints;
  if (hosts.size) {
    const list = prev.endpoints.slice();
    for (const e of [...hosts].sort((x, y) => x - y)) {
      const ep = list[e];
      const down = endpointDown(ep.name, prev.nodes[ep.node].name, failed);
      if (ep.down === down) continue;
      list[e] = { ...ep, down };
      changedEndpoints.push(e);
    }
    endpoints = list;
  }
  const network = components === prev.components && interfaces === prev.interfaces && endpoints === prev.endpoints ? prev : { ...prev, components, interfaces, endpoints };
  return { network, delta: { changedComponents, changedEndpoints } };
}

/** What a failure reaches, per model shape: the SRs and end hosts on each node, the end hosts of each name. */
interface FailureIndex {
  readonly srsOn: readonly (readonly number[])[];
  readonly endpointsOn: readonly (readonly number[])[];
  readonly endpointsNamed: ReadonlyMap<string, readonly number[]>;
}

/** Made once per model shape (the models with other failures share it). */
const failureIndex = shapeMemo((net): FailureIndex => {
  const srsOn: number[][] = net.nodes.map(() => []);
  const endpointsOn: number[][] = net.nodes.map(() => []);
  const endpointsNamed = new Map<string, number[]>();
  for (const c of net.components) if ((c.type === 'T0_SR' || c.type === 'T1_SR') && c.node >= 0) srsOn[c.node].push(c.id);
  for (const ep of net.endpoints) {
    if (ep.node !== undefined && ep.node >= 0) endpointsOn[ep.node].push(ep.id);
    const named = endpointsNamed.get(ep.name);
    if (named) named.push(ep.id);
    else endpointsNamed.set(ep.name, [ep.id]);
  }
  return { srsOn, endpointsOn, endpointsNamed };
});
