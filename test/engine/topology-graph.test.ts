// The logical topology graph (src/engine/queries/topology-graph.ts): node keys `kind:name`, attachment
// edges, and names of different kinds that do not collide.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { topologyGraph } from '../../src/engine/queries/topology-graph.js';
import { Twin } from '../../src/engine/twin.js';

const scenario = loadScenarioText(`transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  edge-01: { type: edge, tep: 10.0.20.21 }
edgeClusters:
  ec: { members: [edge-01] }
tier0s:
  t0:
    haMode: ACTIVE_STANDBY
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
tier1s:
  t1: { tier0: t0 }
  t1c: { tier0: t0, edgeCluster: ec }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  web: { tier1: t1, gateway: 10.1.1.1/24 }
  t0seg: { tier0: t0, gateway: 10.0.0.1/24 }
workloads:
  vm1: { host: esx-01, segment: web, ip: 10.1.1.10 }
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }
physicalHosts:
  client: { ip: 172.16.0.10/24, gateway: 172.16.0.1 }
  hostOnVlan: { ip: 10.0.10.50/24, segment: up }
`).scenario;

describe('topologyGraph', () => {
  const g = topologyGraph(scenario);

  it('has one node per named object, keyed kind:name', () => {
    expect(g.order).toBe(12);
    expect(g.nodes().sort()).toEqual(
      [
        'transportNode:esx-01',
        'transportNode:edge-01',
        'tier0:t0',
        'tier1:t1',
        'tier1:t1c',
        'segment:up',
        'segment:web',
        'segment:t0seg',
        'workload:vm1',
        'physicalRouter:tor',
        'physicalHost:client',
        'physicalHost:hostOnVlan',
      ].sort(),
    );
    expect(g.getNodeAttributes('tier0:t0')).toEqual({ kind: 'tier0', name: 't0', detail: 'ACTIVE_STANDBY, edge cluster ec' });
    expect(g.getNodeAttributes('tier1:t1').detail).toBe('distributed only');
    expect(g.getNodeAttributes('tier1:t1c').detail).toBe('ACTIVE_STANDBY, edge cluster ec');
    expect(g.getNodeAttributes('segment:up').detail).toBe('vlan 10.0.10.0/24');
    expect(g.getNodeAttributes('segment:web').detail).toBe('overlay 10.1.1.1/24');
    expect(g.getNodeAttributes('workload:vm1').detail).toBe('10.1.1.10 on esx-01');
    expect(g.getNodeAttributes('transportNode:edge-01').detail).toBe('edge, TEP 10.0.20.21');
  });

  it('has the attachment edges', () => {
    const edges = g.edges().map((e) => `${g.source(e)} ${g.getEdgeAttribute(e, 'relation')} ${g.target(e)}`).sort();
    expect(edges).toEqual(
      [
        'tier1:t1 router-link tier0:t0',
        'tier1:t1c router-link tier0:t0',
        'segment:web downlink tier1:t1',
        'segment:t0seg downlink tier0:t0',
        'tier0:t0 uplink segment:up',
        'workload:vm1 attached segment:web',
        'workload:vm1 runs-on transportNode:esx-01',
        'physicalRouter:tor interface segment:up',
        'physicalRouter:tor l2 physicalHost:client',
        'physicalHost:hostOnVlan attached segment:up',
      ].sort(),
    );
    expect(g.size).toBe(10);
  });

  it('names of different kinds never collide', () => {
    const s = loadScenarioText(`transportNodes:
  web: { type: host, tep: 10.0.20.11 }
tier1s:
  web: {}
segments:
  web: { tier1: web, gateway: 10.1.1.1/24 }
`).scenario;
    const g2 = topologyGraph(s);
    expect(g2.nodes().sort()).toEqual(['segment:web', 'tier1:web', 'transportNode:web']);
    expect(g2.size).toBe(1);
  });

  it('Twin.topology() is the same graph', () => {
    const g3 = new Twin(scenario).topology();
    expect(g3.order).toBe(g.order);
    expect(g3.size).toBe(g.size);
  });
});
