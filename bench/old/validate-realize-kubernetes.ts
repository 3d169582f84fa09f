// Baseline copy of scenario validation before the scale rework (second semantic pass over the
// whole realized scenario, per-object path arrays and messages, repeated address parsing), kept
// only so bench/validation-stages.ts and test/topology/validate-incremental-equal.test.ts can
// compare old and new. Do not use elsewhere.
// What a Kubernetes cluster puts into NSX. TKGi BYOT (NCP, Manager API): a centralized Tier-1
// per cluster, the node segment, one pod segment per namespace carved from the pod IP block
// (`pks-<uuid>-<namespace>`), pods as logical ports, SNAT of each pod subnet to a floating IP when
// `nat: true`. Antrea: nodes on an existing segment, pods invisible to NSX. Also the addresses
// AKO reads: pod IPs, node IPs and Antrea NodePortLocal ports.
import { formatIp, formatPrefix, maskOf, parseIp, parsePrefix } from '../../src/topology/ip.js';
import { entriesOf, ownEntry, type K8sClusterSpec, type NatRuleSpec, type SegmentSpec, type Tier1Spec, type WorkloadSpec } from '../../src/topology/scenario.js';
import type { RealizeContext } from './validate-realize-context.js';

/** A pod as AKO sees it: address (NCP, or given), node, node address, NodePortLocal port. */
export interface RealizedPod {
  readonly namespace: string;
  /** Position in its namespace's pod list (the object path). */
  readonly index: number;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ip: number | null;
  readonly node: string;
  readonly nodeIp: number;
  /** Antrea NodePortLocal port (61000 upwards per node, in declaration order). */
  readonly nplPort: number;
}

export interface RealizedCluster {
  readonly name: string;
  readonly spec: K8sClusterSpec;
  /** Node name → address. */
  readonly nodeIps: ReadonlyMap<string, number>;
  readonly workers: readonly string[];
  readonly pods: readonly RealizedPod[];
  /** NCP: the Tier-1 it created and the pod subnets per namespace. */
  readonly tier1?: string;
  readonly podSubnets?: ReadonlyMap<string, string>;
}

const NPL_FIRST_PORT = 61000;

/** Short id NCP uses in names: the first block of the cluster UUID. */
export function ncpTier1Name(clusterId: string, explicit?: string): string {
  return explicit ?? `t1-pks-${clusterId.slice(0, 8)}`;
}

export function realizeKubernetes(ctx: RealizeContext): RealizedCluster[] {
  const out: RealizedCluster[] = [];
  for (const [name, k] of entriesOf(ctx.input.kubernetes)) out.push(k.cni === 'ncp' ? realizeNcp(ctx, name, k) : realizeAntrea(ctx, name, k));
  return out;
}

function nodeWorkloads(ctx: RealizeContext, cluster: string, k: K8sClusterSpec, segment: string, nodeIps: Map<string, number>): void {
  for (const [node, n] of entriesOf(k.nodes)) {
    const ip = nodeIps.get(node);
    if (ip === undefined) continue; // its address is reported on the node
    if (!ctx.requireHost(['kubernetes', cluster, 'nodes', node, 'host'], n.host)) continue;
    ctx.addWorkload(['kubernetes', cluster, 'nodes', node], node, { host: n.host, segment, ip: formatIp(ip), role: 'K8S_NODE' });
  }
}

function realizePods(ctx: RealizeContext, cluster: string, k: K8sClusterSpec, nodeIps: Map<string, number>, podIp: (ns: string, taken: ReadonlySet<number>) => number | null): RealizedPod[] {
  const pods: RealizedPod[] = [];
  const nplNext = new Map<string, number>();
  for (const [ns, list] of entriesOf(k.pods)) {
    // Given pod addresses are never handed out to the others.
    const taken = new Set(list.map((p) => parseIp(p.ip)).filter((ip): ip is number => ip !== null));
    list.forEach((p, i) => {
      const path = ['kubernetes', cluster, 'pods', ns, i];
      const node = ownEntry(k.nodes, p.node);
      if (!node) {
        ctx.problem([...path, 'node'], `no node named ${JSON.stringify(p.node)} in cluster ${JSON.stringify(cluster)}`);
        return;
      }
      const nodeIp = nodeIps.get(p.node);
      if (nodeIp === undefined) return; // the node's address is reported on the node
      if (p.ip !== undefined && parseIp(p.ip) === null) {
        ctx.problem([...path, 'ip'], `invalid IPv4 address ${JSON.stringify(p.ip)}`);
        return;
      }
      const npl = nplNext.get(p.node) ?? NPL_FIRST_PORT;
      nplNext.set(p.node, npl + 1);
      const ip = p.ip !== undefined ? parseIp(p.ip) : podIp(ns, taken);
      pods.push({ namespace: ns, index: i, name: p.name, labels: p.labels ?? {}, ip, node: p.node, nodeIp, nplPort: npl });
    });
  }
  return pods;
}

function realizeNcp(ctx: RealizeContext, name: string, k: K8sClusterSpec): RealizedCluster {
  const base = ['kubernetes', name];
  const ncp = k.ncp;
  if (!ncp) {
    ctx.problem(base, 'an NCP cluster (cni: ncp) needs an "ncp" section');
    return { name, spec: k, nodeIps: new Map(), workers: [], pods: [] };
  }
  if (!ownEntry(ctx.input.tier0s, ncp.tier0)) ctx.problem([...base, 'ncp', 'tier0'], `no Tier-0 named ${JSON.stringify(ncp.tier0)}`);
  if (!ownEntry(ctx.input.edgeClusters, ncp.edgeCluster)) ctx.problem([...base, 'ncp', 'edgeCluster'], `no edge cluster named ${JSON.stringify(ncp.edgeCluster)}`);
  const uuid = ncp.clusterId;
  const t1 = ncpTier1Name(uuid, ncp.tier1);
  // Validation rejects these first; realization still never trusts an unparsed field.
  const prefixOf = (field: 'nodeSubnet' | 'podIpBlock' | 'floatingIpPool') => {
    const p = parsePrefix(ncp[field]);
    if (!p) ctx.problem([...base, 'ncp', field], `invalid IPv4 prefix ${JSON.stringify(ncp[field])} (expected a.b.c.d/len)`);
    return p;
  };
  const nodeSubnet = prefixOf('nodeSubnet');
  const block = prefixOf('podIpBlock');
  const floating = prefixOf('floatingIpPool');
  if (!nodeSubnet || !block || !floating) return { name, spec: k, nodeIps: new Map(), workers: [], pods: [] };
  const podLen = ncp.podSubnetLength ?? 24;
  const nodeSegment = `pks-${uuid}`;

  // Nodes: given, or .11 upwards on the node subnet (in declaration order).
  const nodeIps = new Map<string, number>();
  const givenNodeIps = new Set(entriesOf(k.nodes).map(([, n]) => parseIp(n.ip)).filter((ip): ip is number => ip !== null));
  let next = nodeSubnet.addr + 11;
  const nextFree = () => {
    while (givenNodeIps.has(next) || ctx.isUsed(next)) next++;
    return next++;
  };
  for (const [node, n] of entriesOf(k.nodes)) {
    const given = n.ip !== undefined ? parseIp(n.ip) : null;
    if (n.ip !== undefined && given === null) {
      ctx.problem([...base, 'nodes', node, 'ip'], `invalid IPv4 address ${JSON.stringify(n.ip)}`);
      continue;
    }
    const ip = given ?? nextFree();
    if (((ip & maskOf(nodeSubnet.len)) >>> 0) !== nodeSubnet.addr) ctx.problem([...base, 'nodes', node, 'ip'], `${formatIp(ip)} is outside the node subnet ${ncp.nodeSubnet}`);
    nodeIps.set(node, ip);
  }

  // One pod subnet per namespace, in order: namespaces listed, then any other namespace with pods.
  const namespaces = [...new Set([...(k.namespaces ?? []), ...entriesOf(k.pods).map(([ns]) => ns)])];
  const podSubnets = new Map<string, string>();
  const capacity = podLen >= block.len ? 2 ** (podLen - block.len) : 0;
  if (namespaces.length > capacity) ctx.problem([...base, 'ncp', 'podIpBlock'], `${ncp.podIpBlock} holds ${capacity} /${podLen} pod subnets; ${namespaces.length} namespaces need one each`);
  namespaces.slice(0, capacity).forEach((ns, i) => podSubnets.set(ns, formatPrefix({ addr: (block.addr + i * 2 ** (32 - podLen)) >>> 0, len: podLen })));

  const segments: Record<string, SegmentSpec> = { [nodeSegment]: { tier1: t1, gateway: `${formatIp(nodeSubnet.addr + 1)}/${nodeSubnet.len}` } };
  for (const [ns, subnet] of podSubnets) {
    const p = parsePrefix(subnet)!;
    segments[`pks-${uuid}-${ns}`] = { tier1: t1, gateway: `${formatIp(p.addr + 1)}/${p.len}` };
  }
  const nat: NatRuleSpec[] = [];
  if (ncp.nat) {
    [...podSubnets].forEach(([ns, subnet], i) => {
      nat.push({ name: `pks-${uuid}-${ns}-snat`, action: 'SNAT', source: subnet, translated: formatIp(floating.addr + 1 + i), sequence: 1024 + i });
    });
  }
  const tier1: Tier1Spec = {
    tier0: ncp.tier0,
    edgeCluster: ncp.edgeCluster,
    haMode: 'ACTIVE_STANDBY',
    advertise: ['TIER1_CONNECTED', 'TIER1_NAT', 'TIER1_LB_VIP', 'TIER1_LB_SNAT'],
    // In NAT mode the pod subnets stay inside the cluster: only their floating IPs are advertised.
    ...(ncp.nat ? { advertisementRules: [{ name: 'ncp-no-advertise-pod-block', action: 'DENY', subnets: [ncp.podIpBlock], types: ['TIER1_CONNECTED'] }] } : {}),
    ...(nat.length ? { nat, services: ['NAT'] } : {}),
  };
  ctx.addTier1([...base, 'ncp'], t1, tier1);
  for (const [seg, spec] of Object.entries(segments)) ctx.addSegment([...base, 'ncp'], seg, spec);
  nodeWorkloads(ctx, name, k, nodeSegment, nodeIps);

  const failedNodes = new Set(ctx.input.failed ?? []);
  const nextPod = new Map<string, number>();
  const pods = realizePods(ctx, name, k, nodeIps, (ns, taken) => {
    const subnet = podSubnets.get(ns);
    if (subnet === undefined) return null;
    const p = parsePrefix(subnet)!;
    let n = nextPod.get(ns) ?? 2;
    while (taken.has((p.addr + n) >>> 0) || ctx.isUsed((p.addr + n) >>> 0)) n++;
    nextPod.set(ns, n + 1);
    return (p.addr + n) >>> 0;
  });
  for (const pod of pods) {
    if (pod.ip === null) continue;
    const i = pod.index;
    const segment = `pks-${uuid}-${pod.namespace}`;
    const w: WorkloadSpec = { host: ownEntry(k.nodes, pod.node)!.host, segment, ip: formatIp(pod.ip), role: 'POD' };
    ctx.addWorkload(['kubernetes', name, 'pods', pod.namespace, i], `${pod.namespace}/${pod.name}`, w);
    // A failed node takes its pods down with it.
    if (failedNodes.has(pod.node)) ctx.failed.push(`${pod.namespace}/${pod.name}`);
  }
  return { name, spec: k, nodeIps, workers: workersOf(k), pods, tier1: t1, podSubnets };
}

function realizeAntrea(ctx: RealizeContext, name: string, k: K8sClusterSpec): RealizedCluster {
  const base = ['kubernetes', name];
  const segment = k.nodeSegment;
  const nodeIps = new Map<string, number>();
  if (segment === undefined) ctx.problem(base, 'an Antrea cluster needs nodeSegment (the NSX segment its nodes sit on)');
  else if (!ownEntry(ctx.input.segments, segment)) ctx.problem([...base, 'nodeSegment'], `no segment named ${JSON.stringify(segment)}`);
  for (const [node, n] of entriesOf(k.nodes)) {
    const ip = n.ip === undefined ? null : parseIp(n.ip);
    if (n.ip === undefined) ctx.problem([...base, 'nodes', node], 'an Antrea node needs ip (nodes sit on an existing segment)');
    else if (ip === null) ctx.problem([...base, 'nodes', node, 'ip'], `invalid IPv4 address ${JSON.stringify(n.ip)}`);
    else nodeIps.set(node, ip);
  }
  if (segment !== undefined && ownEntry(ctx.input.segments, segment) && nodeIps.size === Object.keys(k.nodes).length) nodeWorkloads(ctx, name, k, segment, nodeIps);
  // Pods live on the Antrea overlay inside the nodes: no NSX objects.
  const pods = nodeIps.size === Object.keys(k.nodes).length ? realizePods(ctx, name, k, nodeIps, () => null) : [];
  return { name, spec: k, nodeIps, workers: workersOf(k), pods };
}

function workersOf(k: K8sClusterSpec): string[] {
  return entriesOf(k.nodes)
    .filter(([, n]) => (n.role ?? 'worker') === 'worker')
    .map(([n]) => n);
}
