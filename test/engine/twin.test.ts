// The engine facade (src/engine/twin.ts): the model, routes and forwarding core computed once from
// a scenario, and the three questions (trace, routes, topology).
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { Twin, buildTwin } from '../../src/engine/twin.js';

const TEXT = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
  edge-03: { type: edge, tep: 10.0.20.23 }
edgeClusters:
  ec: { members: [edge-01, edge-02, edge-03] }
tier0s:
  t0:
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
      - { edge: edge-02, segment: up, ip: 10.0.10.12/24 }
      - { edge: edge-03, segment: up, ip: 10.0.10.13/24 }
    staticRoutes:
      - { network: 0.0.0.0/0, nextHops: [10.0.10.1] }
tier1s:
  t1: { tier0: t0, advertise: [TIER1_CONNECTED] }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  web: { tier1: t1, gateway: 10.1.1.1/24 }
workloads:
  vm1: { host: esx-01, segment: web, ip: 10.1.1.10 }
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }
physicalHosts:
  client: { ip: 172.16.0.10/24, gateway: 172.16.0.1 }
`;

describe('Twin', () => {
  it('computes the model, the routes and the forwarding core once, from a frozen scenario', () => {
    const l = loadScenarioText(TEXT);
    const tw = buildTwin(l.scenario);
    expect(tw.scenario).toBe(l.scenario);
    expect(tw.compiled.net).toBe(tw.network);
    expect(tw.compiled.routing).toBe(tw.routing);
    expect(tw.trace({ from: 'vm1', to: 'client' }).paths).toHaveLength(3);
    expect(tw.routes({ gateway: 't1' }).componentType).toBe('T1_DR');
    expect(tw.topology().hasNode('tier1:t1')).toBe(true);
    // The scenario is untouched.
    expect(JSON.parse(JSON.stringify(l.scenario))).toEqual(loadScenarioText(TEXT).scenario);
  });
});

describe('Twin: independent instances', () => {
  it('two twins of one scenario do not share state', () => {
    const s = loadScenarioText(TEXT).scenario;
    const a = new Twin(s);
    const b = new Twin(s);
    expect(a.network).not.toBe(b.network);
    expect(JSON.stringify(a.trace({ from: 'client', to: 'vm1' }))).toBe(JSON.stringify(b.trace({ from: 'client', to: 'vm1' })));
    expect(a.routes({ router: 'tor' })).toEqual(b.routes({ router: 'tor' }));
  });
});
