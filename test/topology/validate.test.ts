// Scenario validation (src/topology/validate.ts): every rule reports a problem with its code, the
// object path and the line that wrote it; all problems come at once, in file order; names are
// data (toString, constructor, __proto__ are ordinary names).
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { validateScenario } from '../../src/topology/validate.js';
import { ScenarioError, type Problem, type ProblemCode } from '../../src/topology/errors.js';

type Section = 'settings' | 'transportNodes' | 'edgeClusters' | 'tier0s' | 'tier1s' | 'segments' | 'workloads' | 'physicalRouters' | 'physicalHosts';

/** A valid scenario, section by section (bodies indented by two spaces). */
const BASE: Record<Section, string> = {
  settings: '',
  transportNodes: `
  esx-01: { type: host, tep: 10.0.20.11 }
  esx-02: { type: host, tep: 10.0.20.12 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
  edge-03: { type: edge, tep: 10.0.20.23 }`,
  edgeClusters: `
  ec: { members: [edge-01, edge-02] }`,
  tier0s: `
  t0:
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
      - { edge: edge-02, segment: up, ip: 10.0.10.12/24 }
    staticRoutes:
      - { network: 0.0.0.0/0, nextHops: [10.0.10.1] }`,
  tier1s: `
  t1: { tier0: t0, advertise: [TIER1_CONNECTED] }`,
  segments: `
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  s1: { tier1: t1, gateway: 10.1.1.1/24 }`,
  workloads: `
  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }`,
  physicalRouters: `
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }`,
  physicalHosts: `
  client: { ip: 172.16.0.10/24, gateway: 172.16.0.1 }`,
};

interface Edit {
  /** Lines appended to a section's body. */
  add?: Partial<Record<Section, string>>;
  /** A section's body replaced (empty string: the section is left out). */
  replace?: Partial<Record<Section, string>>;
  /** Raw top-level lines appended at the end. */
  top?: string;
}

function scenario(edit: Edit = {}): string {
  const out: string[] = [];
  for (const s of Object.keys(BASE) as Section[]) {
    let body = edit.replace && s in edit.replace ? edit.replace[s]! : BASE[s];
    if (edit.add?.[s]) body += edit.add[s];
    if (body.trim()) out.push(`${s}:${body}`);
  }
  if (edit.top) out.push(edit.top);
  return out.join('\n') + '\n';
}

function problemsOf(text: string, file = 'scenario.yaml'): Problem[] {
  try {
    loadScenarioText(text, file);
    return [];
  } catch (e) {
    if (e instanceof ScenarioError) return [...e.problems];
    throw e;
  }
}

/** 1-based line of the line marked `#!` (the line the problem must point at). */
function markedLine(text: string): number {
  const i = text.split('\n').findIndex((l) => l.includes('#!'));
  if (i < 0) throw new Error('no #! marker in the test scenario');
  return i + 1;
}

interface Case {
  rule: string;
  edit: Edit;
  code: ProblemCode;
  path: string;
  /** Text the message must contain. */
  message?: string | RegExp;
  /** The problem is the only one reported (default true). */
  only?: boolean;
}

const CASES: Case[] = [
  // --- structure (JSON Schema, Ajv) ---
  { rule: 'unknown top-level key, with a suggestion', edit: { top: 'nmae: lab #!' }, code: 'unknown-key', path: 'nmae', message: 'unknown key "nmae" (did you mean "name"?)' },
  { rule: 'unknown key inside a gateway, with a suggestion', edit: { add: { tier1s: '\n  t1b: { tier0: t0, advertize: [TIER1_CONNECTED] } #!' } }, code: 'unknown-key', path: 'tier1s.t1b.advertize', message: 'did you mean "advertise"?' },
  { rule: 'unknown key in an object next hop', edit: { add: { tier0s: '\n      - { network: 10.9.0.0/16, nextHops: [{ ip: 10.0.10.1, bogus: 1 }] } #!' } }, code: 'unknown-key', path: 'tier0s.t0.staticRoutes[1].nextHops[0].bogus' },
  { rule: 'missing required field', edit: { add: { workloads: '\n  vm2: { segment: s1, ip: 10.1.1.11 } #!' } }, code: 'missing', path: 'workloads.vm2', message: 'missing required field "host"' },
  { rule: 'missing required field of a Tier-0', edit: { add: { tier0s: '\n  t0b: #!\n    haMode: ACTIVE_STANDBY' } }, code: 'missing', path: 'tier0s.t0b', message: '"edgeCluster"' },
  { rule: 'wrong type (list expected)', edit: { add: { tier1s: '\n  t1b: { tier0: t0, advertise: TIER1_CONNECTED } #!' } }, code: 'type', path: 'tier1s.t1b.advertise', message: 'must be a list (got string "TIER1_CONNECTED")' },
  { rule: 'wrong type (integer expected)', edit: { replace: { settings: '\n  ttl: "64" #!' } }, code: 'type', path: 'settings.ttl', message: 'must be an integer' },
  { rule: 'wrong type of a string next hop (a number)', edit: { add: { tier0s: '\n      - { network: 10.9.0.0/16, nextHops: [5] } #!' } }, code: 'type', path: 'tier0s.t0.staticRoutes[1].nextHops[0]' },
  { rule: 'enum value, with a suggestion', edit: { add: { tier0s: '\n    haMode: ACTIVE_ACTIV #!' } }, code: 'invalid-value', path: 'tier0s.t0.haMode', message: 'did you mean "ACTIVE_ACTIVE"?' },
  { rule: 'enum value of a transport node type', edit: { add: { transportNodes: '\n  esx-03: { type: server, tep: 10.0.20.13 } #!' } }, code: 'invalid-value', path: 'transportNodes.esx-03.type', message: '"server" is not one of host, edge' },
  { rule: 'number below minimum', edit: { replace: { settings: '\n  ttl: 0 #!' } }, code: 'invalid-value', path: 'settings.ttl' },
  { rule: 'empty edge cluster (minItems)', edit: { add: { edgeClusters: '\n  ec2: { members: [] } #!' } }, code: 'invalid-value', path: 'edgeClusters.ec2.members' },
  { rule: 'empty next-hop list (minItems)', edit: { add: { tier0s: '\n      - { network: 10.9.0.0/16, nextHops: [] } #!' } }, code: 'invalid-value', path: 'tier0s.t0.staticRoutes[1].nextHops' },
  { rule: 'too many Tier-1 SR edges (maxItems)', edit: { replace: { edgeClusters: '\n  ec: { members: [edge-01, edge-02, edge-03] }' }, add: { tier1s: '\n  t1b: { edgeCluster: ec, edges: [edge-01, edge-02, edge-03] } #!' } }, code: 'invalid-value', path: 'tier1s.t1b.edges', only: false },

  // --- names ---
  { rule: 'a Tier-1 with the name of a Tier-0', edit: { add: { tier1s: '\n  t0: { advertise: [] } #!' } }, code: 'duplicate-name', path: 'tier1s.t0', message: 'gateway name "t0" is already used in tier0s' },
  { rule: 'a workload with the name of a transport node', edit: { add: { workloads: '\n  esx-02: { host: esx-01, segment: s1, ip: 10.1.1.11 } #!' } }, code: 'duplicate-name', path: 'workloads.esx-02', message: 'already used in transportNodes' },
  { rule: 'a physical host with the name of a physical router', edit: { add: { physicalHosts: '\n  tor: { ip: 172.16.0.11/24 } #!' } }, code: 'duplicate-name', path: 'physicalHosts.tor', message: 'already used in physicalRouters' },

  // --- transport nodes and edge clusters ---
  { rule: 'invalid TEP address', edit: { add: { transportNodes: '\n  esx-03: { type: host, tep: 10.0.20.256 } #!' } }, code: 'invalid-address', path: 'transportNodes.esx-03.tep', message: 'invalid IPv4 address "10.0.20.256"' },
  { rule: 'duplicate TEP', edit: { add: { transportNodes: '\n  esx-03: { type: host, tep: 10.0.20.11 } #!' } }, code: 'duplicate-ip', path: 'transportNodes.esx-03.tep', message: 'already used by transport node "esx-01"' },
  { rule: 'edge cluster member that does not exist', edit: { add: { edgeClusters: '\n  ec2: { members: [edge-3] } #!' } }, code: 'dangling-reference', path: 'edgeClusters.ec2.members[0]', message: 'no transport node named "edge-3" (did you mean "edge-03"?)' },
  { rule: 'edge cluster member that is a host', edit: { add: { edgeClusters: '\n  ec2: { members: [esx-01] } #!' } }, code: 'invalid-value', path: 'edgeClusters.ec2.members[0]', message: 'is a host, not an edge' },
  { rule: 'edge in two clusters', edit: { add: { edgeClusters: '\n  ec2: { members: [edge-03, edge-02] } #!' } }, code: 'duplicate-name', path: 'edgeClusters.ec2.members[1]', message: 'already a member of edge cluster "ec"' },

  // --- static routes ---
  { rule: 'static network with host bits', edit: { add: { tier0s: '\n      - { network: 10.9.0.1/16, nextHops: [10.0.10.1] } #!' } }, code: 'invalid-address', path: 'tier0s.t0.staticRoutes[1].network', message: 'has host bits set (did you mean "10.9.0.0/16"?)' },
  { rule: 'static network that is not a prefix', edit: { add: { tier0s: '\n      - { network: 10.9.0.0/33, nextHops: [10.0.10.1] } #!' } }, code: 'invalid-address', path: 'tier0s.t0.staticRoutes[1].network', message: 'invalid IPv4 prefix' },
  { rule: 'invalid string next hop', edit: { add: { tier0s: '\n      - { network: 10.9.0.0/16, nextHops: [10.0.10.300] } #!' } }, code: 'invalid-address', path: 'tier0s.t0.staticRoutes[1].nextHops[0]' },
  { rule: 'invalid object next hop ip', edit: { add: { tier0s: '\n      - { network: 10.9.0.0/16, nextHops: [{ ip: 10.0.10 }] } #!' } }, code: 'invalid-address', path: 'tier0s.t0.staticRoutes[1].nextHops[0].ip' },
  { rule: 'next hop with both ip and blackhole', edit: { add: { tier0s: '\n      - { network: 10.9.0.0/16, nextHops: [{ ip: 10.0.10.1, blackhole: true }] } #!' } }, code: 'invalid-value', path: 'tier0s.t0.staticRoutes[1].nextHops[0]', message: 'either an ip or a blackhole' },
  { rule: 'next hop with neither ip nor blackhole', edit: { add: { tier0s: '\n      - { network: 10.9.0.0/16, nextHops: [{ distance: 5 }] } #!' } }, code: 'missing', path: 'tier0s.t0.staticRoutes[1].nextHops[0]', message: 'needs "ip" or "blackhole: true"' },
  { rule: 'more ECMP next hops than settings.maxEcmp at one distance', edit: { replace: { settings: '\n  maxEcmp: 2' }, add: { physicalRouters: '\n    staticRoutes:\n      - { network: 10.1.0.0/16, nextHops: [10.0.10.11, 10.0.10.12, 10.0.10.13] } #!' } }, code: 'invalid-value', path: 'physicalRouters.tor.staticRoutes[0].nextHops', message: '3 next hops at distance 1: ECMP installs at most 2' },
  { rule: 'Tier-1 static route checked too', edit: { replace: { tier1s: '\n  t1:\n    tier0: t0\n    staticRoutes:\n      - { network: 10.200.0.0/24, nextHops: [nope] } #!' } }, code: 'invalid-address', path: 'tier1s.t1.staticRoutes[0].nextHops[0]' },

  // --- Tier-0s ---
  { rule: 'Tier-0 edge cluster that does not exist', edit: { replace: { tier0s: '\n  t0:\n    edgeCluster: ecc #!' } }, code: 'dangling-reference', path: 'tier0s.t0.edgeCluster', message: 'no edge cluster named "ecc" (did you mean "ec"?)' },
  { rule: 'two Tier-0s on the same edges', edit: { add: { tier0s: '\n  t0b:\n    edgeCluster: ec #!' } }, code: 'invalid-value', path: 'tier0s.t0b.edgeCluster', message: 'edge "edge-01" already hosts the SR of Tier-0 "t0"', only: false },
  { rule: 'internal transit subnet too small for the SRs', edit: { add: { tier0s: '\n    haMode: ACTIVE_STANDBY\n    internalTransitSubnet: 169.254.0.0/30 #!' } }, code: 'invalid-value', path: 'tier0s.t0.internalTransitSubnet', message: 'too small for a DR and 2 SRs' },
  { rule: 'ACTIVE_ACTIVE needs at least a /25 internal transit', edit: { add: { tier0s: '\n    internalTransitSubnet: 169.254.0.0/26 #!' } }, code: 'invalid-value', path: 'tier0s.t0.internalTransitSubnet', message: 'at least a /25' },
  { rule: 'internal transit subnet with host bits', edit: { add: { tier0s: '\n    internalTransitSubnet: 169.254.0.1/24 #!' } }, code: 'invalid-address', path: 'tier0s.t0.internalTransitSubnet' },
  { rule: 'router-link pool too small for the Tier-1s', edit: { add: { tier0s: '\n    transitSubnet: 100.64.0.0/31 #!', tier1s: '\n  t1b: { tier0: t0 }' } }, code: 'invalid-value', path: 'tier0s.t0.transitSubnet', message: 'holds 1 router links but 2 Tier-1s attach' },
  { rule: 'uplink on an edge that does not exist', edit: { add: { tier0s: '\n    uplinks:\n      - { edge: edge-09, segment: up, ip: 10.0.10.13/24 } #!' }, replace: { tier0s: '\n  t0:\n    edgeCluster: ec' } }, code: 'dangling-reference', path: 'tier0s.t0.uplinks[0].edge' },
  { rule: 'uplink on an edge outside the cluster', edit: { replace: { tier0s: '\n  t0:\n    edgeCluster: ec\n    uplinks:\n      - { edge: edge-03, segment: up, ip: 10.0.10.13/24 } #!' } }, code: 'invalid-value', path: 'tier0s.t0.uplinks[0].edge', message: 'not a member of edge cluster "ec"' },
  { rule: 'uplink on a segment that does not exist', edit: { replace: { tier0s: '\n  t0:\n    edgeCluster: ec\n    uplinks:\n      - { edge: edge-01, segment: upp, ip: 10.0.10.13/24 } #!' } }, code: 'dangling-reference', path: 'tier0s.t0.uplinks[0].segment', message: 'did you mean "up"?' },
  { rule: 'uplink on an overlay segment', edit: { replace: { tier0s: '\n  t0:\n    edgeCluster: ec\n    uplinks:\n      - { edge: edge-01, segment: plain, ip: 10.5.0.2/24 } #!' }, add: { segments: '\n  plain: { subnet: 10.5.0.0/24 }' } }, code: 'invalid-value', path: 'tier0s.t0.uplinks[0].segment', message: 'must be a VLAN segment' },
  { rule: 'uplink address outside its segment', edit: { replace: { tier0s: '\n  t0:\n    edgeCluster: ec\n    uplinks:\n      - { edge: edge-01, segment: up, ip: 10.0.11.11/24 } #!' } }, code: 'outside-subnet', path: 'tier0s.t0.uplinks[0].ip', message: 'outside segment "up" (10.0.10.0/24)' },
  { rule: 'uplink prefix length differs from its segment', edit: { replace: { tier0s: '\n  t0:\n    edgeCluster: ec\n    uplinks:\n      - { edge: edge-01, segment: up, ip: 10.0.10.11/25 } #!' } }, code: 'outside-subnet', path: 'tier0s.t0.uplinks[0].ip', message: 'prefix length /25 differs' },
  { rule: 'uplink on the network address', edit: { replace: { tier0s: '\n  t0:\n    edgeCluster: ec\n    uplinks:\n      - { edge: edge-01, segment: up, ip: 10.0.10.0/24 } #!' } }, code: 'invalid-address', path: 'tier0s.t0.uplinks[0].ip', message: 'network or broadcast address' },
  { rule: 'uplink interface address that is not CIDR', edit: { replace: { tier0s: '\n  t0:\n    edgeCluster: ec\n    uplinks:\n      - { edge: edge-01, segment: up, ip: 10.0.10.11 } #!' } }, code: 'invalid-address', path: 'tier0s.t0.uplinks[0].ip', message: 'invalid interface address' },

  // --- Tier-1s ---
  { rule: 'Tier-1 to a Tier-0 that does not exist', edit: { add: { tier1s: '\n  t1b: { tier0: t00 } #!' } }, code: 'dangling-reference', path: 'tier1s.t1b.tier0', message: 'no Tier-0 named "t00" (did you mean "t0"?)' },
  { rule: 'Tier-1 edge cluster that does not exist', edit: { add: { tier1s: '\n  t1b: { tier0: t0, edgeCluster: ec9 } #!' } }, code: 'dangling-reference', path: 'tier1s.t1b.edgeCluster' },
  { rule: 'SR placement without an edge cluster', edit: { add: { tier1s: '\n  t1b: { tier0: t0, edges: [edge-01] } #!' } }, code: 'needs-edge-cluster', path: 'tier1s.t1b.edges' },
  { rule: 'SR placement on an edge outside the cluster', edit: { add: { tier1s: '\n  t1b: { tier0: t0, edgeCluster: ec, edges: [edge-03] } #!' } }, code: 'invalid-value', path: 'tier1s.t1b.edges[0]', message: 'not a member of edge cluster "ec"' },
  { rule: 'services without an edge cluster', edit: { add: { tier1s: '\n  t1b: { tier0: t0, services: [NAT] } #!' } }, code: 'needs-edge-cluster', path: 'tier1s.t1b.services', message: 'NAT' },
  { rule: 'haMode without an edge cluster', edit: { add: { tier1s: '\n  t1b: { tier0: t0, haMode: ACTIVE_STANDBY } #!' } }, code: 'needs-edge-cluster', path: 'tier1s.t1b.haMode' },
  { rule: 'advertisement rule name used twice', edit: { replace: { tier1s: '\n  t1:\n    tier0: t0\n    advertisementRules:\n      - { name: r, subnets: [10.1.0.0/16] }\n      - { name: r, subnets: [10.2.0.0/16] } #!' } }, code: 'duplicate-name', path: 'tier1s.t1.advertisementRules[1].name', message: '"r" is used twice' },
  { rule: 'advertisement rule subnet with host bits', edit: { replace: { tier1s: '\n  t1:\n    tier0: t0\n    advertisementRules:\n      - { name: r, subnets: [10.1.0.1/16] } #!' } }, code: 'invalid-address', path: 'tier1s.t1.advertisementRules[0].subnets[0]' },

  // --- segments ---
  { rule: 'segment on both a Tier-0 and a Tier-1', edit: { add: { segments: '\n  s2: { tier0: t0, tier1: t1, gateway: 10.1.2.1/24 } #!' } }, code: 'invalid-value', path: 'segments.s2.tier1', message: 'set tier0 or tier1, not both' },
  { rule: 'segment on a Tier-1 that does not exist', edit: { add: { segments: '\n  s2: { tier1: t2, gateway: 10.1.2.1/24 } #!' } }, code: 'dangling-reference', path: 'segments.s2.tier1' },
  { rule: 'segment on a Tier-0 that does not exist', edit: { add: { segments: '\n  s2: { tier0: t9, gateway: 10.1.2.1/24 } #!' } }, code: 'dangling-reference', path: 'segments.s2.tier0' },
  { rule: 'VLAN segment as a gateway downlink', edit: { add: { segments: '\n  v2: { type: vlan, vlan: 20, tier1: t1, gateway: 10.1.2.1/24 } #!' } }, code: 'invalid-value', path: 'segments.v2.tier1', message: 'a VLAN segment cannot be a gateway downlink' },
  { rule: 'VLAN id on an overlay segment', edit: { add: { segments: '\n  s2: { vlan: 20, tier1: t1, gateway: 10.1.2.1/24 } #!' } }, code: 'invalid-value', path: 'segments.s2.vlan', message: 'needs type: vlan' },
  { rule: 'segment gateway on the broadcast address', edit: { add: { segments: '\n  s2: { tier1: t1, gateway: 10.1.2.255/24 } #!' } }, code: 'invalid-address', path: 'segments.s2.gateway' },
  { rule: 'segment subnet with host bits', edit: { add: { segments: '\n  v2: { type: vlan, subnet: 10.1.2.1/24 } #!' } }, code: 'invalid-address', path: 'segments.v2.subnet', message: 'did you mean "10.1.2.0/24"?' },
  { rule: 'segment gateway outside its subnet', edit: { add: { segments: '\n  s2: { tier1: t1, gateway: 10.1.2.1/24, subnet: 10.1.3.0/24 } #!' } }, code: 'outside-subnet', path: 'segments.s2.gateway' },
  { rule: 'attached segment without a gateway', edit: { add: { segments: '\n  s2: { tier1: t1, subnet: 10.1.2.0/24 } #!' } }, code: 'missing', path: 'segments.s2', message: 'needs a "gateway" address' },
  { rule: 'segment gateway address used twice', edit: { add: { segments: '\n  s2: { gateway: 10.1.1.1/24 } #!' } }, code: 'duplicate-ip', path: 'segments.s2.gateway', message: 'already used by the gateway of segment "s1"' },
  { rule: 'overlapping segments on the same gateway', edit: { add: { segments: '\n  s2: { tier1: t1, gateway: 10.1.0.1/16 } #!' } }, code: 'overlap', path: 'segments.s2.gateway', message: 'overlaps segment "s1" (10.1.1.0/24) on the same gateway "t1"' },

  // --- workloads ---
  { rule: 'workload on a host that does not exist', edit: { add: { workloads: '\n  vm2: { host: esx-9, segment: s1, ip: 10.1.1.11 } #!' } }, code: 'dangling-reference', path: 'workloads.vm2.host' },
  { rule: 'workload on an edge', edit: { add: { workloads: '\n  vm2: { host: edge-01, segment: s1, ip: 10.1.1.11 } #!' } }, code: 'invalid-value', path: 'workloads.vm2.host', message: 'is an edge; workloads run on hosts' },
  { rule: 'workload on a segment that does not exist', edit: { add: { workloads: '\n  vm2: { host: esx-01, segment: s9, ip: 10.1.1.11 } #!' } }, code: 'dangling-reference', path: 'workloads.vm2.segment' },
  { rule: 'workload with an invalid address', edit: { add: { workloads: '\n  vm2: { host: esx-01, segment: s1, ip: 10.1.1.11/24 } #!' } }, code: 'invalid-address', path: 'workloads.vm2.ip' },
  { rule: 'workload on the broadcast address', edit: { add: { workloads: '\n  vm2: { host: esx-01, segment: s1, ip: 10.1.1.255 } #!' } }, code: 'invalid-address', path: 'workloads.vm2.ip', message: 'network or broadcast address of segment "s1"' },
  { rule: 'workload outside its segment', edit: { add: { workloads: '\n  vm2: { host: esx-01, segment: s1, ip: 10.1.2.11 } #!' } }, code: 'outside-subnet', path: 'workloads.vm2.ip' },
  { rule: 'workload address used twice', edit: { add: { workloads: '\n  vm2: { host: esx-02, segment: s1, ip: 10.1.1.10 } #!' } }, code: 'duplicate-ip', path: 'workloads.vm2.ip', message: 'already used by workload "vm1"' },
  { rule: 'workload on the segment gateway address', edit: { add: { workloads: '\n  vm2: { host: esx-02, segment: s1, ip: 10.1.1.1 } #!' } }, code: 'duplicate-ip', path: 'workloads.vm2.ip', message: 'the gateway of segment "s1"' },

  // --- physical routers ---
  { rule: 'router interface name used twice', edit: { replace: { physicalRouters: '\n  tor:\n    interfaces:\n      - { name: vlan10, ip: 10.0.10.1/24, segment: up }\n      - { name: vlan10, ip: 172.16.0.1/24 } #!' } }, code: 'duplicate-name', path: 'physicalRouters.tor.interfaces[1].name' },
  { rule: 'router interface on a segment that does not exist', edit: { add: { physicalRouters: '\n      - { name: x, ip: 10.8.0.1/24, segment: nope } #!' } }, code: 'dangling-reference', path: 'physicalRouters.tor.interfaces[2].segment' },
  { rule: 'router interface on an overlay segment', edit: { add: { physicalRouters: '\n      - { name: x, ip: 10.1.1.2/24, segment: s1 } #!' } }, code: 'invalid-value', path: 'physicalRouters.tor.interfaces[2].segment', message: 'is an overlay segment' },
  { rule: 'router interface outside its segment', edit: { add: { physicalRouters: '\n      - { name: x, ip: 10.8.0.1/24, segment: up } #!' } }, code: 'outside-subnet', path: 'physicalRouters.tor.interfaces[2].ip', only: false },
  { rule: 'router interfaces that overlap', edit: { add: { physicalRouters: '\n      - { name: x, ip: 172.16.0.2/16 } #!' } }, code: 'overlap', path: 'physicalRouters.tor.interfaces[2].ip', message: 'overlaps interface "lan"' },
  { rule: 'router interface address used twice (after a Tier-0 uplink)', edit: { replace: { physicalRouters: '\n  tor:\n    interfaces:\n      - { name: vlan10, ip: 10.0.10.11/24, segment: up } #!' } }, code: 'duplicate-ip', path: 'physicalRouters.tor.interfaces[0].ip', message: 'Tier-0 "t0" uplink', only: false },
  { rule: 'router interface without a prefix length', edit: { add: { physicalRouters: '\n      - { name: x, ip: 10.8.0.1 } #!' } }, code: 'invalid-address', path: 'physicalRouters.tor.interfaces[2].ip' },

  // --- physical hosts ---
  { rule: 'physical host on a segment that does not exist', edit: { add: { physicalHosts: '\n  h2: { ip: 10.0.10.50/24, segment: upp } #!' } }, code: 'dangling-reference', path: 'physicalHosts.h2.segment' },
  { rule: 'physical host on an overlay segment', edit: { add: { physicalHosts: '\n  h2: { ip: 10.1.1.50/24, segment: s1 } #!' } }, code: 'invalid-value', path: 'physicalHosts.h2.segment', message: 'is an overlay segment' },
  { rule: 'physical host outside its segment', edit: { add: { physicalHosts: '\n  h2: { ip: 10.0.11.50/24, segment: up } #!' } }, code: 'outside-subnet', path: 'physicalHosts.h2.ip' },
  { rule: 'physical host gateway outside its subnet', edit: { add: { physicalHosts: '\n  h2: { ip: 172.16.0.11/24, gateway: 172.17.0.1 } #!' } }, code: 'outside-subnet', path: 'physicalHosts.h2.gateway' },
  { rule: 'physical host gateway is its own address', edit: { add: { physicalHosts: '\n  h2: { ip: 172.16.0.11/24, gateway: 172.16.0.11 } #!' } }, code: 'invalid-value', path: 'physicalHosts.h2.gateway', message: "the gateway is the host's own address" },
  { rule: 'physical host gateway that is not an address', edit: { add: { physicalHosts: '\n  h2: { ip: 172.16.0.11/24, gateway: 172.16.0 } #!' } }, code: 'invalid-address', path: 'physicalHosts.h2.gateway' },
  { rule: 'physical host address used twice', edit: { add: { physicalHosts: '\n  h2: { ip: 172.16.0.10/24 } #!' } }, code: 'duplicate-ip', path: 'physicalHosts.h2.ip', message: 'physical host "client"' },
];

describe('the base scenario of these tests', () => {
  it('is valid', () => {
    expect(problemsOf(scenario())).toEqual([]);
  });
});

describe('every validation rule: code, path, line', () => {
  it.each(CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => {
    const text = scenario(c.edit);
    const line = markedLine(text);
    const found = problemsOf(text);
    const match = found.find((p) => p.code === c.code && p.path === c.path);
    expect(match, `problems: ${JSON.stringify(found, null, 1)}`).toBeDefined();
    expect(match!.file).toBe('scenario.yaml');
    expect(match!.line).toBe(line);
    if (c.message) expect(match!.message).toMatch(typeof c.message === 'string' ? new RegExp(c.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : c.message);
    for (const p of found) expect(p.line, `no line in ${JSON.stringify(p)}`).toBeTypeOf('number');
    if (c.only !== false) expect(found).toHaveLength(1);
  });
});

describe('more rules', () => {
  it('a missing transportNodes section is reported on the file', () => {
    const found = problemsOf('name: x\n');
    expect(found).toEqual([expect.objectContaining({ code: 'missing', path: '', message: 'missing required field "transportNodes"', line: 1 })]);
  });

  it('next hops at different distances do not count toward the same ECMP limit', () => {
    const text = scenario({ replace: { settings: '\n  maxEcmp: 2' }, add: { physicalRouters: '\n    staticRoutes:\n      - { network: 10.1.0.0/16, nextHops: [10.0.10.11, 10.0.10.12, { ip: 10.0.10.13, distance: 10 }] }' } });
    expect(problemsOf(text)).toEqual([]);
  });

  it('an ACTIVE_STANDBY Tier-0 accepts a /28 internal transit; an ACTIVE_ACTIVE one accepts a /25', () => {
    expect(problemsOf(scenario({ add: { tier0s: '\n    haMode: ACTIVE_STANDBY\n    internalTransitSubnet: 169.254.1.0/28' } }))).toEqual([]);
    expect(problemsOf(scenario({ add: { tier0s: '\n    internalTransitSubnet: 169.254.1.0/25' } }))).toEqual([]);
  });

  it('a blackhole next hop and a next hop with a distance are valid', () => {
    expect(problemsOf(scenario({ add: { tier0s: '\n      - { network: 10.9.0.0/16, nextHops: [{ blackhole: true }] }\n      - { network: 10.8.0.0/16, nextHops: [{ ip: 10.0.10.1, distance: 200 }] }' } }))).toEqual([]);
  });

  // Regression: an empty name used to give two problems on the map's first line (Ajv's raw
  // minLength message plus "names must not be empty").
  it('an empty name is one problem, on the line of the empty key', () => {
    const text = scenario({ add: { transportNodes: '\n  "": { type: host, tep: 10.0.20.13 } #!' } });
    const found = problemsOf(text);
    expect(found).toEqual([{ file: 'scenario.yaml', path: 'transportNodes', code: 'invalid-value', message: 'names must not be empty', line: markedLine(text) }]);
  });

  it('an empty name is reported as invalid-value on transportNodes', () => {
    const found = problemsOf(scenario({ add: { transportNodes: '\n  "": { type: host, tep: 10.0.20.13 }' } }));
    expect(found).toContainEqual(expect.objectContaining({ path: 'transportNodes', code: 'invalid-value', message: 'names must not be empty' }));
    for (const p of found) expect(p.line).toBeTypeOf('number');
  });

  it('two Tier-0s on the same edge cluster: one problem per shared edge', () => {
    const found = problemsOf(scenario({ add: { tier0s: '\n  t0b:\n    edgeCluster: ec' } }));
    expect(found.map((p) => p.message)).toEqual([
      'edge "edge-01" already hosts the SR of Tier-0 "t0" (an edge hosts one Tier-0)',
      'edge "edge-02" already hosts the SR of Tier-0 "t0" (an edge hosts one Tier-0)',
    ]);
  });

  // Regression: the same edge twice in a Tier-1's `edges` used to be accepted (two SRs of one
  // Tier-1 on one edge).
  it('the same edge twice in a Tier-1 SR placement is rejected', () => {
    const text = scenario({ add: { tier1s: '\n  t1b:\n    tier0: t0\n    edgeCluster: ec\n    edges: [edge-01, edge-01] #!' } });
    const found = problemsOf(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: 'tier1s.t1b.edges[1]', line: markedLine(text) });
    expect(['duplicate-name', 'invalid-value']).toContain(found[0].code);
  });
});

describe('all problems at once, in file order', () => {
  it('reports every problem of a file in one ScenarioError, sorted by line', () => {
    const text = scenario({
      add: {
        transportNodes: '\n  esx-03: { type: host, tep: 10.0.20.11 }',
        tier1s: '\n  t1b: { tier0: nope }',
        segments: '\n  s2: { tier1: t1, gateway: 10.1.1.0/24 }',
        workloads: '\n  vm2: { host: edge-01, segment: s1, ip: 10.9.9.9 }',
      },
      top: 'colour: blue',
    });
    const found = problemsOf(text);
    expect(found.map((p) => [p.code, p.path])).toEqual([
      ['duplicate-ip', 'transportNodes.esx-03.tep'],
      ['dangling-reference', 'tier1s.t1b.tier0'],
      ['invalid-address', 'segments.s2.gateway'],
      ['invalid-value', 'workloads.vm2.host'],
      ['outside-subnet', 'workloads.vm2.ip'],
      ['unknown-key', 'colour'],
    ]);
    const lines = found.map((p) => p.line!);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    expect(new Set(lines).size).toBe(5);
  });

  it('the ScenarioError message lists every problem as file: path: message (line n)', () => {
    const text = scenario({ add: { tier1s: '\n  t1b: { tier0: nope }' }, top: 'colour: blue' });
    try {
      loadScenarioText(text, 'lab.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const lines = (e as ScenarioError).message.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^lab\.yaml: tier1s\.t1b\.tier0: no Tier-0 named "nope" \(line \d+\)$/);
      expect(lines[1]).toMatch(/^lab\.yaml: colour: unknown key "colour" \(line \d+\)$/);
    }
  });

  it('validateScenario takes any data and a locator (no YAML needed)', () => {
    const data = { transportNodes: { e1: { type: 'edge', tep: '10.0.0.1' } }, tier1s: { t1: { tier0: 'missing' } } };
    const seen: unknown[] = [];
    const found = validateScenario(data, (path, key) => {
      seen.push([path, key]);
      return { file: 'mem', line: 7 };
    });
    expect(found).toEqual([{ file: 'mem', path: 'tier1s.t1.tier0', message: 'no Tier-0 named "missing"', code: 'dangling-reference', line: 7 }]);
    expect(seen).toEqual([[['tier1s', 't1', 'tier0'], false]]);
  });

  it('non-map input is one type problem, not a crash', () => {
    expect(validateScenario([], () => ({ file: 'x' }))).toEqual([expect.objectContaining({ code: 'type', path: '' })]);
    expect(validateScenario(null, () => ({ file: 'x' }))).toEqual([expect.objectContaining({ code: 'type', path: '' })]);
  });
});

describe('names are data', () => {
  it('a Tier-1 named toString, referenced correctly, loads', () => {
    const text = scenario({ replace: { tier1s: '\n  toString: { tier0: t0, advertise: [TIER1_CONNECTED] }', segments: '\n  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }\n  s1: { tier1: toString, gateway: 10.1.1.1/24 }' } });
    const l = loadScenarioText(text);
    expect(Object.keys(l.scenario.tier1s!)).toEqual(['toString']);
    expect(l.scenario.segments!.s1.tier1).toBe('toString');
  });

  it('a Tier-1 whose Tier-0 is a nonexistent "constructor" is a dangling reference', () => {
    const text = scenario({ add: { tier1s: '\n  t1b: { tier0: constructor } #!' } });
    expect(problemsOf(text)).toEqual([
      { file: 'scenario.yaml', path: 'tier1s.t1b.tier0', code: 'dangling-reference', message: 'no Tier-0 named "constructor"', line: markedLine(text) },
    ]);
  });

  it('references to inherited names (hasOwnProperty, __proto__, valueOf) are dangling', () => {
    const text = scenario({
      add: {
        segments: '\n  s2: { tier1: hasOwnProperty, gateway: 10.1.2.1/24 }\n  s3: { tier0: __proto__, gateway: 10.1.3.1/24 }',
        workloads: '\n  vm2: { host: valueOf, segment: s1, ip: 10.1.1.11 }',
      },
    });
    expect(problemsOf(text).map((p) => [p.code, p.path])).toEqual([
      ['dangling-reference', 'segments.s2.tier1'],
      ['dangling-reference', 'segments.s3.tier0'],
      ['dangling-reference', 'workloads.vm2.host'],
    ]);
  });

  it('names with dots, spaces or non-ASCII letters are quoted in the path and still located', () => {
    const text = scenario({ add: { segments: '\n  "web.tier 2": { tier1: t9, gateway: 10.1.2.1/24 } #!\n  straße: { tier1: t8, gateway: 10.1.3.1/24 }' } });
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ path: 'segments["web.tier 2"].tier1', code: 'dangling-reference', line: markedLine(text) }),
      expect.objectContaining({ path: 'segments["straße"].tier1', code: 'dangling-reference', line: markedLine(text) + 1 }),
    ]);
  });

  it('a Tier-0 named __proto__ and an edge named constructor work as ordinary names', () => {
    const text = scenario({
      add: { transportNodes: '\n  constructor: { type: edge, tep: 10.0.20.24 }', edgeClusters: '\n  ec2: { members: [constructor] }' },
      replace: { tier1s: '\n  t1: { tier0: __proto__, advertise: [TIER1_CONNECTED] }' },
    }).replace('tier0s:\n  t0:', 'tier0s:\n  __proto__:\n    edgeCluster: ec2\n  t0:');
    const l = loadScenarioText(text);
    expect(Object.keys(l.scenario.tier0s!)).toEqual(['__proto__', 't0']);
    expect(Object.getPrototypeOf(l.scenario.tier0s)).toBe(Object.prototype);
    expect(l.scenario.tier1s!.t1.tier0).toBe('__proto__');
    expect(({} as Record<string, unknown>).edgeCluster).toBeUndefined();
  });
});
