// Route-table queries (src/engine/queries/route-tables.ts): which component a query names, the errors
// that list the choices, and the JSON shape of `nsx-twin routes`.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { QueryError } from '../../src/topology/errors.js';
import { Twin } from '../../src/engine/twin.js';
import { routeTable, selectComponent, type RouteQuery } from '../../src/engine/queries/route-tables.js';

const t = new Twin(
  loadScenarioText(`transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
  edge-03: { type: edge, tep: 10.0.20.23 }
edgeClusters:
  ec: { members: [edge-01, edge-02, edge-03] }
tier0s:
  t0-lhr:
    haMode: ACTIVE_STANDBY
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
    staticRoutes:
      - { network: 0.0.0.0/0, nextHops: [10.0.10.1] }
      - { network: 10.66.0.0/16, nextHops: [{ blackhole: true }] }
      - { network: 10.67.0.0/16, nextHops: [10.99.0.1] }
tier1s:
  t1-web: { tier0: t0-lhr, advertise: [TIER1_CONNECTED] }
  t1-mgmt: { tier0: t0-lhr, edgeCluster: ec, edges: [edge-02, edge-03] }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  web: { tier1: t1-web, gateway: 10.1.1.1/24 }
physicalRouters:
  tor-01:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
`).scenario,
);
const net = t.network;
const sel = (q: RouteQuery) => selectComponent(net, q);
const describeC = (c: number) => {
  const comp = net.components[c];
  return `${comp.type} ${comp.name}${comp.node >= 0 ? ' @' + net.nodes[comp.node].name : ''}`;
};
const queryError = (q: RouteQuery) => {
  try {
    sel(q);
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    return (e as Error).message;
  }
  throw new Error('expected a QueryError');
};

describe('selectComponent', () => {
  it('a gateway alone is its DR', () => {
    expect(describeC(sel({ gateway: 't0-lhr' }))).toBe('T0_DR t0-lhr');
    expect(describeC(sel({ gateway: 't1-web' }))).toBe('T1_DR t1-web');
  });

  it('component sr without a node is the active SR', () => {
    expect(describeC(sel({ gateway: 't0-lhr', component: 'sr' }))).toBe('T0_SR t0-lhr @edge-01');
    expect(describeC(sel({ gateway: 't1-mgmt', component: 'sr' }))).toBe('T1_SR t1-mgmt @edge-02');
  });

  it('a node that hosts an SR of the gateway selects that SR (standby included)', () => {
    expect(describeC(sel({ gateway: 't0-lhr', node: 'edge-03' }))).toBe('T0_SR t0-lhr @edge-03');
    expect(describeC(sel({ gateway: 't1-mgmt', node: 'edge-03' }))).toBe('T1_SR t1-mgmt @edge-03');
    expect(describeC(sel({ gateway: 't1-mgmt', component: 'sr', node: 'edge-02' }))).toBe('T1_SR t1-mgmt @edge-02');
  });

  it('a node without an SR of the gateway, or component dr, selects the DR', () => {
    expect(describeC(sel({ gateway: 't1-mgmt', node: 'edge-01' }))).toBe('T1_DR t1-mgmt');
    expect(describeC(sel({ gateway: 't0-lhr', node: 'esx-01' }))).toBe('T0_DR t0-lhr');
    expect(describeC(sel({ gateway: 't0-lhr', component: 'dr', node: 'edge-01' }))).toBe('T0_DR t0-lhr');
  });

  it('a physical router by name', () => {
    expect(describeC(sel({ router: 'tor-01' }))).toBe('PHYSICAL_ROUTER tor-01 @tor-01');
  });

  it('errors name the choices', () => {
    expect(queryError({})).toBe('name exactly one of --gateway or --router');
    expect(queryError({ gateway: 't0-lhr', router: 'tor-01' })).toBe('name exactly one of --gateway or --router');
    expect(queryError({ gateway: 't1-wbe' })).toBe('no gateway named "t1-wbe" (did you mean "t1-web"?)');
    expect(queryError({ router: 'tor-1' })).toBe('no physical router named "tor-1" (did you mean "tor-01"?)');
    expect(queryError({ router: 'tor-01', component: 'sr' })).toBe('--component applies to gateways, not physical routers');
    expect(queryError({ gateway: 't0-lhr', node: 'edge-9' })).toBe('no transport node named "edge-9" (did you mean "edge-01"?)');
    expect(queryError({ gateway: 't0-lhr', node: 'tor-01' })).toMatch(/^no transport node named "tor-01"/);
    expect(queryError({ gateway: 't1-web', component: 'sr' })).toBe('t1-web has no service router (no edge cluster): it is distributed only');
    expect(queryError({ gateway: 't1-mgmt', component: 'sr', node: 'edge-01' })).toBe('t1-mgmt has no service router on edge-01 (SRs on edge-02, edge-03)');
  });
});

describe('routeTable JSON', () => {
  it('a DR: node null, ha active, routes with prefix/type/distance/nextHops/selected/origin', () => {
    const rt = routeTable(net, t.routing, sel({ gateway: 't1-web' }));
    expect(rt).toEqual({
      name: 't1-web',
      componentType: 'T1_DR',
      node: null,
      ha: 'active',
      routes: [
        { prefix: '0.0.0.0/0', type: 'auto', distance: 0, nextHops: [{ ip: '100.64.0.0', interface: 'router-link-t0-lhr' }], selected: true, origin: 'Tier-0 t0-lhr' },
        { prefix: '10.1.1.0/24', type: 'connected', distance: 0, nextHops: [{ ip: null, interface: 'downlink-web' }], selected: true, origin: 'interface downlink-web' },
        { prefix: '100.64.0.0/31', type: 'connected', distance: 0, nextHops: [{ ip: null, interface: 'router-link-t0-lhr' }], selected: true, origin: 'interface router-link-t0-lhr' },
      ],
    });
    expect(t.routes({ gateway: 't1-web' })).toEqual(rt);
  });

  it('an SR: its edge and HA state; null routes and inactive routes', () => {
    const active = t.routes({ gateway: 't0-lhr', component: 'sr' });
    expect([active.name, active.componentType, active.node, active.ha]).toEqual(['t0-lhr', 'T0_SR', 'edge-01', 'active']);
    expect(active.routes.find((r) => r.prefix === '10.66.0.0/16')).toEqual({ prefix: '10.66.0.0/16', type: 'static', distance: 1, nextHops: [{ ip: 'null', interface: null }], selected: true, origin: 'static route tier0s.t0-lhr.staticRoutes[1]' });
    expect(active.routes.find((r) => r.prefix === '10.67.0.0/16')).toEqual({ prefix: '10.67.0.0/16', type: 'static', distance: 1, nextHops: [{ ip: '10.99.0.1', interface: null }], selected: false, origin: 'static route tier0s.t0-lhr.staticRoutes[2]', inactive: 'next hop 10.99.0.1 unreachable' });
    expect(active.routes.find((r) => r.prefix === '10.1.1.0/24')).toMatchObject({ type: 't1c', distance: 3, nextHops: [{ ip: '100.64.0.1', interface: 'router-link-t1-web' }] });
    const standby = t.routes({ gateway: 't0-lhr', node: 'edge-02' });
    expect([standby.node, standby.ha]).toEqual(['edge-02', 'standby']);
  });

  it('a route entry has only the contract keys (inactive only when set)', () => {
    for (const r of t.routes({ gateway: 't0-lhr', component: 'sr' }).routes) {
      expect(Object.keys(r)).toEqual(['prefix', 'type', 'distance', 'nextHops', 'selected', 'origin', ...(r.inactive ? ['inactive'] : [])]);
      for (const h of r.nextHops) expect(Object.keys(h)).toEqual(['ip', 'interface']);
    }
  });

  it('a physical router table', () => {
    const rt = t.routes({ router: 'tor-01' });
    expect(rt).toMatchObject({ name: 'tor-01', componentType: 'PHYSICAL_ROUTER', node: 'tor-01', ha: 'active' });
    expect(rt.routes.map((r) => r.prefix)).toEqual(['10.0.10.0/24']);
  });
});
