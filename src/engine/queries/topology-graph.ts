// The scenario's logical topology as a graphology graph: gateways, segments, end hosts, physical
// routers and transport nodes, with attachment edges. The `topology` command and the visualizer
// read it; node keys are `kind:name` so names of different kinds never collide, and edge keys
// `relation:a--b` are deterministic.
import { MultiUndirectedGraph } from 'graphology';
import { entriesOf, type Scenario } from '../../topology/scenario.js';
import { formatPrefix, networkOf, parseIfAddr } from '../../topology/ip.js';

export type TopologyNodeKind = 'tier0' | 'tier1' | 'segment' | 'workload' | 'physicalRouter' | 'physicalHost' | 'transportNode';

export interface TopologyNodeAttributes {
  kind: TopologyNodeKind;
  name: string;
  detail: string;
}

export interface TopologyEdgeAttributes {
  relation: 'router-link' | 'downlink' | 'uplink' | 'attached' | 'interface' | 'runs-on' | 'l2';
}

export type TopologyGraph = MultiUndirectedGraph<TopologyNodeAttributes, TopologyEdgeAttributes>;

export function topologyGraph(s: Scenario): TopologyGraph {
  const g: TopologyGraph = new MultiUndirectedGraph({ allowSelfLoops: false });
  const node = (kind: TopologyNodeKind, name: string, detail: string) => {
    g.addNode(`${kind}:${name}`, { kind, name, detail });
  };
  // Edge keys are derived from the endpoints and the relation (graphology's own keys are random),
  // so `topology --json` is the same on every run.
  const edge = (a: string, b: string, relation: TopologyEdgeAttributes['relation']) => {
    if (a === b || !g.hasNode(a) || !g.hasNode(b)) return;
    const key = `${relation}:${a}--${b}`;
    let unique = key;
    for (let n = 2; g.hasEdge(unique); n++) unique = `${key}#${n}`;
    g.addEdgeWithKey(unique, a, b, { relation });
  };
  for (const [name, tn] of entriesOf(s.transportNodes)) node('transportNode', name, `${tn.type}, TEP ${tn.tep}`);
  for (const [name, t0] of entriesOf(s.tier0s)) node('tier0', name, `${t0.haMode ?? 'ACTIVE_ACTIVE'}, edge cluster ${t0.edgeCluster}`);
  for (const [name, t1] of entriesOf(s.tier1s)) node('tier1', name, t1.edgeCluster ? `${t1.haMode ?? 'ACTIVE_STANDBY'}, edge cluster ${t1.edgeCluster}` : 'distributed only');
  for (const [name, seg] of entriesOf(s.segments)) node('segment', name, `${seg.type ?? 'overlay'} ${seg.gateway ?? seg.subnet ?? ''}`.trim());
  for (const [name, w] of entriesOf(s.workloads)) node('workload', name, `${w.ip} on ${w.host}`);
  for (const [name, r] of entriesOf(s.physicalRouters)) node('physicalRouter', name, r.interfaces.map((i) => `${i.name} ${i.ip}`).join(', '));
  for (const [name, h] of entriesOf(s.physicalHosts)) node('physicalHost', name, h.ip);

  for (const [name, t1] of entriesOf(s.tier1s)) if (t1.tier0 !== undefined) edge(`tier1:${name}`, `tier0:${t1.tier0}`, 'router-link');
  for (const [name, seg] of entriesOf(s.segments)) {
    if (seg.tier1 !== undefined) edge(`segment:${name}`, `tier1:${seg.tier1}`, 'downlink');
    if (seg.tier0 !== undefined) edge(`segment:${name}`, `tier0:${seg.tier0}`, 'downlink');
  }
  for (const [name, t0] of entriesOf(s.tier0s)) {
    const segs = new Set((t0.uplinks ?? []).map((u) => u.segment));
    for (const seg of segs) edge(`tier0:${name}`, `segment:${seg}`, 'uplink');
  }
  for (const [name, w] of entriesOf(s.workloads)) {
    edge(`workload:${name}`, `segment:${w.segment}`, 'attached');
    edge(`workload:${name}`, `transportNode:${w.host}`, 'runs-on');
  }
  // Physical L2: interfaces on VLAN segments, and shared physical subnets between routers/hosts.
  const physNets = new Map<string, string[]>();
  const netKey = (cidr: string) => formatPrefix(networkOf(parseIfAddr(cidr)!));
  const onNet = (cidr: string, member: string) => {
    const key = netKey(cidr);
    const members = physNets.get(key);
    if (members === undefined) physNets.set(key, [member]);
    else members.push(member);
  };
  for (const [name, r] of entriesOf(s.physicalRouters)) {
    for (const itf of r.interfaces) {
      if (itf.segment !== undefined) edge(`physicalRouter:${name}`, `segment:${itf.segment}`, 'interface');
      else onNet(itf.ip, `physicalRouter:${name}`);
    }
  }
  for (const [name, h] of entriesOf(s.physicalHosts)) {
    if (h.segment !== undefined) edge(`physicalHost:${name}`, `segment:${h.segment}`, 'attached');
    else onNet(h.ip, `physicalHost:${name}`);
  }
  for (const members of physNets.values()) {
    for (let i = 1; i < members.length; i++) edge(members[0], members[i], 'l2');
  }
  return g;
}
