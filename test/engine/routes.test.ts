// Routing tables (src/engine/ribs/routes.ts), checked against modelling-decisions.md "Routes":
// connected 0, static 1 (per next hop), Tier-1 routes on the Tier-0 3; lowest distance wins, ties
// are ECMP; null routes; recursive next hops; the automatic Tier-1 / Tier-0 DR defaults; Tier-1
// advertisement (type toggles, rules in order, first match wins).
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { parsePrefix } from '../../src/topology/ip.js';
import type { Tier1Spec } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { tier1Advertises } from '../../src/engine/ribs/routes.js';
import type { RouteEntry, RouteQuery } from '../../src/engine/queries/route-tables.js';

const HEAD = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  esx-02: { type: host, tep: 10.0.20.12 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
edgeClusters:
  ec: { members: [edge-01, edge-02] }
`;

/**
 * The usual lab: an A/A Tier-0 with two uplinks, a DR-only Tier-1 (t1d), the ToR. `t0extra` lines
 * are appended to the Tier-0, `more` are extra top-level sections.
 */
function lab(opts: { haMode?: string; t0static?: string; tier1s?: string; segments?: string; torStatic?: string } = {}): Twin {
  const text = `${HEAD}tier0s:
  t0:
    haMode: ${opts.haMode ?? 'ACTIVE_ACTIVE'}
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
      - { edge: edge-02, segment: up, ip: 10.0.10.12/24 }
    staticRoutes:
      - { name: default, network: 0.0.0.0/0, nextHops: [10.0.10.1] }
${opts.t0static ?? ''}
tier1s:
${opts.tier1s ?? '  t1d: { tier0: t0, advertise: [TIER1_CONNECTED] }'}
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
${opts.segments ?? '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }'}
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }
${opts.torStatic ? `    staticRoutes:\n${opts.torStatic}` : ''}
`;
  return new Twin(loadScenarioText(text).scenario);
}

const rib = (t: Twin, q: RouteQuery) => t.routes(q).routes;
const of = (routes: RouteEntry[], prefix: string) => routes.filter((r) => r.prefix === prefix);
const one = (routes: RouteEntry[], prefix: string) => {
  const rs = of(routes, prefix);
  expect(rs, `${prefix} in ${JSON.stringify(routes.map((r) => r.prefix))}`).toHaveLength(1);
  return rs[0];
};
const srOn = (edge: string): RouteQuery => ({ gateway: 't0', component: 'sr', node: edge });

describe('connected routes', () => {
  it('every interface network is a connected route at distance 0 through that interface', () => {
    const t = lab();
    const sr = rib(t, srOn('edge-01'));
    expect(one(sr, '10.0.10.0/24')).toEqual({ prefix: '10.0.10.0/24', type: 'connected', distance: 0, nextHops: [{ ip: null, interface: 'uplink-1' }], selected: true, origin: 'interface uplink-1' });
    expect(one(sr, '169.254.0.0/25')).toMatchObject({ type: 'connected', nextHops: [{ ip: null, interface: 'backplane' }], selected: true });
    expect(one(sr, '169.254.0.128/25')).toMatchObject({ type: 'connected', nextHops: [{ ip: null, interface: 'inter-sr' }] });
    expect(one(sr, '100.64.0.0/31')).toMatchObject({ type: 'connected', nextHops: [{ ip: null, interface: 'router-link-t1d' }] });
    const t1 = rib(t, { gateway: 't1d' });
    expect(one(t1, '10.1.1.0/24')).toMatchObject({ type: 'connected', distance: 0, nextHops: [{ ip: null, interface: 'downlink-s1' }], selected: true });
    expect(one(t1, '100.64.0.0/31')).toMatchObject({ type: 'connected', nextHops: [{ ip: null, interface: 'router-link-t0' }] });
    const tor = rib(t, { router: 'tor' });
    expect(tor.filter((r) => r.type === 'connected').map((r) => [r.prefix, r.nextHops[0].interface])).toEqual([
      ['10.0.10.0/24', 'vlan10'],
      ['172.16.0.0/24', 'lan'],
    ]);
  });

  it('Tier-0 SRs reach the Tier-0 segments through the DR backplane address', () => {
    const t = lab({ segments: '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }\n  s0: { tier0: t0, gateway: 10.0.0.1/24 }' });
    expect(one(rib(t, { gateway: 't0' }), '10.0.0.0/24')).toMatchObject({ type: 'connected', nextHops: [{ ip: null, interface: 'downlink-s0' }] });
    for (const e of ['edge-01', 'edge-02']) {
      expect(one(rib(t, srOn(e)), '10.0.0.0/24')).toMatchObject({ distance: 0, nextHops: [{ ip: '169.254.0.1', interface: 'backplane' }], selected: true });
    }
  });

  it('tables are sorted by prefix, then distance', () => {
    const t = lab({ t0static: '      - { network: 10.1.1.0/24, nextHops: [{ ip: 10.0.10.1, distance: 5 }] }' });
    const sr = rib(t, srOn('edge-01'));
    const keys = sr.map((r) => [parsePrefix(r.prefix)!.addr, parsePrefix(r.prefix)!.len, r.distance]);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    expect(keys).toEqual(sorted);
  });
});

describe('static routes', () => {
  it('two next hops at the same distance are one ECMP route with both', () => {
    const t = lab({ torStatic: '      - { network: 10.1.0.0/16, nextHops: [10.0.10.11, 10.0.10.12] }' });
    expect(one(rib(t, { router: 'tor' }), '10.1.0.0/16')).toEqual({
      prefix: '10.1.0.0/16',
      type: 'static',
      distance: 1,
      nextHops: [
        { ip: '10.0.10.11', interface: 'vlan10' },
        { ip: '10.0.10.12', interface: 'vlan10' },
      ],
      selected: true,
      origin: 'static route physicalRouters.tor.staticRoutes[0]',
    });
  });

  it('two static entries for one prefix at the same distance are both selected (ECMP)', () => {
    const t = lab({ torStatic: '      - { name: a, network: 10.1.0.0/16, nextHops: [10.0.10.11] }\n      - { name: b, network: 10.1.0.0/16, nextHops: [10.0.10.12] }' });
    const rs = of(rib(t, { router: 'tor' }), '10.1.0.0/16');
    expect(rs.map((r) => [r.origin, r.selected])).toEqual([
      ['static route "a"', true],
      ['static route "b"', true],
    ]);
  });

  it('floating static: distance 10 loses to distance 1', () => {
    const t = lab({ torStatic: '      - { network: 10.1.0.0/16, nextHops: [{ ip: 10.0.10.11 }, { ip: 10.0.10.12, distance: 10 }] }' });
    const rs = of(rib(t, { router: 'tor' }), '10.1.0.0/16');
    expect(rs.map((r) => [r.distance, r.nextHops.map((h) => h.ip), r.selected])).toEqual([
      [1, ['10.0.10.11'], true],
      [10, ['10.0.10.12'], false],
    ]);
  });

  it('floating static wins when the better route is disabled', () => {
    const t = lab({ torStatic: '      - { network: 10.1.0.0/16, nextHops: [10.0.10.11], enabled: false }\n      - { network: 10.1.0.0/16, nextHops: [{ ip: 10.0.10.12, distance: 10 }] }' });
    const rs = of(rib(t, { router: 'tor' }), '10.1.0.0/16');
    expect(rs.map((r) => [r.distance, r.nextHops.map((h) => h.ip), r.selected])).toEqual([[10, ['10.0.10.12'], true]]);
  });

  it('floating static wins when the better next hop is unresolvable', () => {
    const t = lab({ torStatic: '      - { network: 10.1.0.0/16, nextHops: [{ ip: 10.99.0.1 }, { ip: 10.0.10.12, distance: 10 }] }' });
    const rs = of(rib(t, { router: 'tor' }), '10.1.0.0/16');
    expect(rs).toEqual([
      { prefix: '10.1.0.0/16', type: 'static', distance: 1, nextHops: [{ ip: '10.99.0.1', interface: null }], selected: false, origin: 'static route physicalRouters.tor.staticRoutes[0]', inactive: 'next hop 10.99.0.1 unreachable' },
      { prefix: '10.1.0.0/16', type: 'static', distance: 10, nextHops: [{ ip: '10.0.10.12', interface: 'vlan10' }], selected: true, origin: 'static route physicalRouters.tor.staticRoutes[0]' },
    ]);
  });

  it('an unresolvable next hop is left out of an ECMP group; with none left the route is inactive', () => {
    const t = lab({ torStatic: '      - { network: 10.1.0.0/16, nextHops: [10.0.10.11, 10.99.0.1] }\n      - { network: 10.2.0.0/16, nextHops: [10.98.0.1, 10.99.0.1] }' });
    const tor = rib(t, { router: 'tor' });
    expect(one(tor, '10.1.0.0/16')).toMatchObject({ nextHops: [{ ip: '10.0.10.11', interface: 'vlan10' }], selected: true });
    expect(one(tor, '10.2.0.0/16')).toMatchObject({ selected: false, inactive: 'next hop 10.98.0.1, 10.99.0.1 unreachable' });
  });

  it('a null route (blackhole next hop) is selected with next hop "null"', () => {
    const t = lab({ t0static: '      - { network: 10.66.0.0/16, nextHops: [{ blackhole: true }] }' });
    expect(one(rib(t, srOn('edge-01')), '10.66.0.0/16')).toMatchObject({ type: 'static', distance: 1, nextHops: [{ ip: 'null', interface: null }], selected: true });
    const raw = t.routing.routes.find((r) => r.prefix.len === 16 && r.type === 'static')!;
    expect(raw.nextHops).toEqual([{ ip: null, interface: null, blackhole: true }]);
  });

  it('a recursive next hop resolves through another route of the same table', () => {
    const t = lab({ t0static: '      - { network: 10.50.0.0/16, nextHops: [10.60.0.1] }\n      - { network: 10.60.0.0/16, nextHops: [10.0.10.1] }' });
    expect(one(rib(t, srOn('edge-01')), '10.50.0.0/16')).toMatchObject({ nextHops: [{ ip: '10.60.0.1', interface: 'uplink-1' }], selected: true });
    const sr = t.network.gateways.get('t0')!.srs[0];
    const raw = t.routing.ribs[sr].find((r) => r.type === 'static' && r.prefix.addr === parsePrefix('10.50.0.0/16')!.addr)!;
    const uplink = t.network.components[sr].interfaces.find((i) => t.network.interfaces[i].name === 'uplink-1');
    expect(raw.nextHops[0].via).toEqual([{ ip: parsePrefix('10.0.10.1/32')!.addr, interface: uplink }]);
  });

  it('a next hop is never resolved through the default route', () => {
    const t = lab({ t0static: '      - { network: 10.50.0.0/16, nextHops: [10.70.0.1] }' });
    expect(one(rib(t, srOn('edge-01')), '10.50.0.0/16')).toMatchObject({ selected: false, inactive: 'next hop 10.70.0.1 unreachable' });
  });

  it('Tier-0 static routes are on its SRs', () => {
    const t = lab({ t0static: '      - { network: 10.66.0.0/16, nextHops: [{ blackhole: true }] }' });
    for (const e of ['edge-01', 'edge-02']) expect(of(rib(t, srOn(e)), '10.66.0.0/16')).toHaveLength(1);
  });

  it('a DR-only Tier-1 has its static routes on the DR; a centralized one on its SRs', () => {
    const t = lab({
      tier1s: `  t1d:
    tier0: t0
    staticRoutes: [{ network: 10.200.0.0/24, nextHops: [10.1.1.50] }]
  t1c:
    tier0: t0
    edgeCluster: ec
    staticRoutes: [{ network: 10.201.0.0/24, nextHops: [{ blackhole: true }] }]`,
      segments: '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }\n  s2: { tier1: t1c, gateway: 10.1.2.1/24 }',
    });
    expect(one(rib(t, { gateway: 't1d' }), '10.200.0.0/24')).toMatchObject({ nextHops: [{ ip: '10.1.1.50', interface: 'downlink-s1' }], selected: true });
    expect(of(rib(t, { gateway: 't1c' }), '10.201.0.0/24')).toEqual([]);
    for (const e of ['edge-01', 'edge-02']) expect(one(rib(t, { gateway: 't1c', node: e }), '10.201.0.0/24')).toMatchObject({ selected: true });
  });

  // Regression: on a Tier-1 with an SR, a static route whose next hop is in one of the Tier-1's
  // own segments used to be inactive (the SR reaches the segment only through its "segment (via
  // DR)" route, which the resolver skipped). This is the Avi pattern (VIP/32 via SE data IPs).
  it('a centralized Tier-1 static route with a next hop in its own segment is active', () => {
    const t = lab({
      tier1s: `  t1d: { tier0: t0 }
  t1c:
    tier0: t0
    edgeCluster: ec
    advertise: [TIER1_CONNECTED, TIER1_STATIC_ROUTES]
    staticRoutes: [{ network: 10.201.0.0/24, nextHops: [10.1.2.50] }]`,
      segments: '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }\n  s2: { tier1: t1c, gateway: 10.1.2.1/24 }',
    });
    const r = one(rib(t, { gateway: 't1c', component: 'sr' }), '10.201.0.0/24');
    expect(r.inactive).toBeUndefined();
    expect(r.selected).toBe(true);
    // The SR hands it to the DR over the transit...
    expect(r.nextHops).toEqual([{ ip: '10.1.2.50', interface: 'downlink-s2' }]);
    // ...whose copy of the route delivers it on the segment.
    // The DR keeps no copy: its default sends the packet to the SR, which switches onto s2 itself.
    expect(of(rib(t, { gateway: 't1c', component: 'dr' }), '10.201.0.0/24')).toEqual([]);
    // ...and it is advertised to the Tier-0.
    expect(one(rib(t, { gateway: 't0' }), '10.201.0.0/24')).toMatchObject({ type: 't1s', distance: 3, nextHops: [{ ip: '100.64.0.3', interface: 'router-link-t1c' }] });
  });

  it('static routes of a gateway with SRs live on the SRs, which reach next hops on the gateway segments directly', () => {
    const t = lab({
      tier1s: `  t1d: { tier0: t0 }
  t1c:
    tier0: t0
    edgeCluster: ec
    staticRoutes:
      - { network: 10.201.0.0/24, nextHops: [10.1.2.50, 10.1.2.51] }
      - { network: 10.202.0.0/24, nextHops: [{ blackhole: true }] }`,
      segments: '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }\n  s2: { tier1: t1c, gateway: 10.1.2.1/24 }\n  s0: { tier0: t0, gateway: 10.0.0.1/24 }',
      t0static: '      - { network: 10.210.0.0/16, nextHops: [10.0.0.50, 10.0.10.1] }',
    });
    const dr = rib(t, { gateway: 't1c', component: 'dr' });
    expect(of(dr, '10.201.0.0/24')).toEqual([]);
    expect(of(dr, '10.202.0.0/24')).toEqual([]);
    expect(one(rib(t, { gateway: 't1c', component: 'sr' }), '10.201.0.0/24').nextHops).toEqual([
      { ip: '10.1.2.50', interface: 'downlink-s2' },
      { ip: '10.1.2.51', interface: 'downlink-s2' },
    ]);
    expect(of(rib(t, { gateway: 't0' }), '10.210.0.0/16')).toEqual([]);
    expect(one(rib(t, srOn('edge-01')), '10.210.0.0/16').nextHops).toEqual([
      { ip: '10.0.0.50', interface: 'downlink-s0' },
      { ip: '10.0.10.1', interface: 'uplink-1' },
    ]);
  });
});

describe('automatic routes', () => {
  it('a DR-only Tier-1 DR: 0.0.0.0/0 via the Tier-0 router-link address', () => {
    const t = lab();
    expect(one(rib(t, { gateway: 't1d' }), '0.0.0.0/0')).toEqual({ prefix: '0.0.0.0/0', type: 'auto', distance: 0, nextHops: [{ ip: '100.64.0.0', interface: 'router-link-t0' }], selected: true, origin: 'Tier-0 t0' });
  });

  it('a Tier-1 with SRs: the DR defaults to the active SR transit address, the SRs to the Tier-0', () => {
    const t = lab({ tier1s: '  t1d: { tier0: t0 }\n  t1c: { tier0: t0, edgeCluster: ec }', segments: '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }\n  s2: { tier1: t1c, gateway: 10.1.2.1/24 }' });
    expect(one(rib(t, { gateway: 't1c', component: 'dr' }), '0.0.0.0/0').nextHops).toEqual([{ ip: '169.254.0.2', interface: 'transit' }]);
    for (const e of ['edge-01', 'edge-02']) {
      expect(one(rib(t, { gateway: 't1c', node: e }), '0.0.0.0/0').nextHops).toEqual([{ ip: '100.64.0.2', interface: 'router-link-t0' }]);
      // The SR reaches the Tier-1's segments through the DR.
      expect(one(rib(t, { gateway: 't1c', node: e }), '10.1.2.0/24').nextHops).toEqual([{ ip: '169.254.0.1', interface: 'transit' }]);
    }
  });

  it('an ACTIVE_ACTIVE Tier-1: the DR default is ECMP over both SRs', () => {
    const t = lab({ tier1s: '  t1d: { tier0: t0 }\n  t1c: { tier0: t0, edgeCluster: ec, haMode: ACTIVE_ACTIVE }', segments: '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }' });
    expect(one(rib(t, { gateway: 't1c', component: 'dr' }), '0.0.0.0/0').nextHops.map((h) => h.ip)).toEqual(['169.254.0.2', '169.254.0.3']);
  });

  it('an ACTIVE_ACTIVE Tier-0 DR: 0.0.0.0/0 ECMP over every SR backplane address', () => {
    const t = lab();
    expect(one(rib(t, { gateway: 't0' }), '0.0.0.0/0')).toEqual({
      prefix: '0.0.0.0/0',
      type: 'auto',
      distance: 0,
      nextHops: [
        { ip: '169.254.0.2', interface: 'backplane' },
        { ip: '169.254.0.3', interface: 'backplane' },
      ],
      selected: true,
      origin: 'service routers of t0',
    });
  });

  it('an ACTIVE_STANDBY Tier-0 DR: 0.0.0.0/0 via the active SR only', () => {
    const t = lab({ haMode: 'ACTIVE_STANDBY' });
    expect(one(rib(t, { gateway: 't0' }), '0.0.0.0/0').nextHops).toEqual([{ ip: '169.254.0.2', interface: 'backplane' }]);
  });
});

describe('Tier-1 advertisement on the Tier-0', () => {
  const adv = (advertise: string, extra = '') =>
    lab({
      tier1s: `  t1d:
    tier0: t0
    advertise: ${advertise}
    staticRoutes: [{ network: 10.200.0.0/24, nextHops: [10.1.1.50] }]
${extra}`,
      segments: '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }\n  s2: { tier1: t1d, gateway: 10.2.1.1/24 }\n  s3: { tier1: t1d, gateway: 10.2.2.1/24 }',
    });
  const advertised = (t: Twin, q: RouteQuery = { gateway: 't0' }) =>
    rib(t, q)
      .filter((r) => r.type.startsWith('t1'))
      .map((r) => `${r.prefix} ${r.type}`);

  it('advertised prefixes are on the Tier-0 DR and every SR, distance 3, via the Tier-1 router-link address', () => {
    const t = adv('[TIER1_CONNECTED, TIER1_STATIC_ROUTES]');
    for (const q of [{ gateway: 't0' }, srOn('edge-01'), srOn('edge-02')]) {
      const rs = rib(t, q).filter((r) => r.type.startsWith('t1'));
      expect(rs.map((r) => `${r.prefix} ${r.type}`)).toEqual(['10.1.1.0/24 t1c', '10.2.1.0/24 t1c', '10.2.2.0/24 t1c', '10.200.0.0/24 t1s']);
      for (const r of rs) {
        expect(r.distance).toBe(3);
        expect(r.nextHops).toEqual([{ ip: '100.64.0.1', interface: 'router-link-t1d' }]);
        expect(r.selected).toBe(true);
      }
    }
    expect(one(rib(t, { gateway: 't0' }), '10.1.1.0/24').origin).toBe('Tier-1 t1d: segment s1');
  });

  it('types not in advertise are not advertised', () => {
    expect(advertised(adv('[TIER1_STATIC_ROUTES]'))).toEqual(['10.200.0.0/24 t1s']);
    expect(advertised(adv('[TIER1_CONNECTED]'))).toEqual(['10.1.1.0/24 t1c', '10.2.1.0/24 t1c', '10.2.2.0/24 t1c']);
    expect(advertised(adv('[]'))).toEqual([]);
    expect(advertised(adv('[TIER1_NAT, TIER1_LB_VIP]'))).toEqual([]);
  });

  it('an inactive Tier-1 static route is not advertised', () => {
    const t = lab({
      tier1s: '  t1d:\n    tier0: t0\n    advertise: [TIER1_STATIC_ROUTES]\n    staticRoutes: [{ network: 10.200.0.0/24, nextHops: [10.77.0.1] }]',
    });
    expect(advertised(t)).toEqual([]);
  });

  it('advertisement rules: first match wins (DENY EQ one subnet, then PERMIT GE the rest)', () => {
    const t = adv(
      '[TIER1_CONNECTED, TIER1_STATIC_ROUTES]',
      `    advertisementRules:
      - { name: deny-one, action: DENY, subnets: [10.2.1.0/24], prefixOperator: EQ }
      - { name: allow-2, action: PERMIT, subnets: [10.2.0.0/16] }
      - { name: deny-2-again, action: DENY, subnets: [10.2.0.0/16] }`,
    );
    expect(advertised(t)).toEqual(['10.1.1.0/24 t1c', '10.2.2.0/24 t1c', '10.200.0.0/24 t1s']);
  });

  it('EQ matches only the exact prefix; GE (the default) matches it and longer ones', () => {
    const eq = adv('[TIER1_CONNECTED]', '    advertisementRules:\n      - { name: r, action: DENY, subnets: [10.2.0.0/16], prefixOperator: EQ }');
    expect(advertised(eq)).toEqual(['10.1.1.0/24 t1c', '10.2.1.0/24 t1c', '10.2.2.0/24 t1c']);
    const ge = adv('[TIER1_CONNECTED]', '    advertisementRules:\n      - { name: r, action: DENY, subnets: [10.2.0.0/16] }');
    expect(advertised(ge)).toEqual(['10.1.1.0/24 t1c']);
  });

  it('a rule limited to some types leaves the other types alone', () => {
    const t = adv('[TIER1_CONNECTED, TIER1_STATIC_ROUTES]', '    advertisementRules:\n      - { name: r, action: DENY, subnets: [0.0.0.0/0], types: [TIER1_STATIC_ROUTES] }');
    expect(advertised(t)).toEqual(['10.1.1.0/24 t1c', '10.2.1.0/24 t1c', '10.2.2.0/24 t1c']);
  });

  it('a PERMIT rule cannot advertise a type that is not enabled (rules filter the enabled types)', () => {
    const t = adv('[TIER1_CONNECTED]', '    advertisementRules:\n      - { name: r, action: PERMIT, subnets: [10.200.0.0/24] }');
    expect(advertised(t)).toEqual(['10.1.1.0/24 t1c', '10.2.1.0/24 t1c', '10.2.2.0/24 t1c']);
  });

  it('tier1Advertises explains its decision', () => {
    const t1: Tier1Spec = {
      advertise: ['TIER1_CONNECTED'],
      advertisementRules: [
        { name: 'no-lab', action: 'DENY', subnets: ['10.9.0.0/16'] },
        { name: 'exact', subnets: ['10.8.0.0/16'], prefixOperator: 'EQ' },
      ],
    };
    const c = (p: string, type: 'TIER1_CONNECTED' | 'TIER1_NAT' = 'TIER1_CONNECTED') => tier1Advertises(t1, { prefix: parsePrefix(p)!, type, origin: 'x' });
    expect(c('10.9.1.0/24')).toEqual({ advertised: false, reason: 'advertisement rule "no-lab" denies' });
    expect(c('10.8.0.0/16')).toEqual({ advertised: true, reason: 'advertisement rule "exact" permits' });
    expect(c('10.8.1.0/24')).toEqual({ advertised: true, reason: 'TIER1_CONNECTED advertised' });
    expect(c('10.0.0.0/8')).toEqual({ advertised: true, reason: 'TIER1_CONNECTED advertised' });
    expect(c('10.9.1.0/24', 'TIER1_NAT')).toEqual({ advertised: false, reason: 'TIER1_NAT not in advertise' });
  });

  it('the prefixes of several Tier-1s each go via their own router link', () => {
    const t = lab({
      tier1s: '  t1d: { tier0: t0, advertise: [TIER1_CONNECTED] }\n  t1e: { tier0: t0, advertise: [TIER1_CONNECTED] }',
      segments: '  s1: { tier1: t1d, gateway: 10.1.1.1/24 }\n  s5: { tier1: t1e, gateway: 10.5.1.1/24 }',
    });
    const dr = rib(t, { gateway: 't0' });
    expect(one(dr, '10.1.1.0/24').nextHops).toEqual([{ ip: '100.64.0.1', interface: 'router-link-t1d' }]);
    expect(one(dr, '10.5.1.0/24').nextHops).toEqual([{ ip: '100.64.0.3', interface: 'router-link-t1e' }]);
  });
});

describe('selection: lowest distance wins', () => {
  it('a Tier-0 static (1) beats a Tier-1 route (3) for the same prefix; a static at 5 loses to it', () => {
    const t = lab({ t0static: '      - { network: 10.1.1.0/24, nextHops: [{ blackhole: true }] }' });
    const rs = of(rib(t, srOn('edge-01')), '10.1.1.0/24');
    expect(rs.map((r) => [r.type, r.distance, r.selected])).toEqual([
      ['static', 1, true],
      ['t1c', 3, false],
    ]);
    const t5 = lab({ t0static: '      - { network: 10.1.1.0/24, nextHops: [{ blackhole: true, distance: 5 }] }' });
    expect(of(rib(t5, srOn('edge-01')), '10.1.1.0/24').map((r) => [r.type, r.distance, r.selected])).toEqual([
      ['t1c', 3, true],
      ['static', 5, false],
    ]);
  });

  it('a connected route (0) beats a static (1) for the same prefix', () => {
    const t = lab({ torStatic: '      - { network: 172.16.0.0/24, nextHops: [10.0.10.11] }' });
    expect(of(rib(t, { router: 'tor' }), '172.16.0.0/24').map((r) => [r.type, r.selected])).toEqual([
      ['connected', true],
      ['static', false],
    ]);
  });

  it('route ids index routing.routes and every RIB route belongs to its component', () => {
    const t = lab();
    t.routing.routes.forEach((r, i) => expect(r.id).toBe(i));
    t.routing.ribs.forEach((rib, c) => rib.forEach((r) => expect(r.component).toBe(c)));
    expect(t.routing.ribs).toHaveLength(t.network.components.length);
  });
});
