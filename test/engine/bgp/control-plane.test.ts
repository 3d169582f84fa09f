// The BGP control plane end to end (src/engine/bgp/control-plane.ts through buildTwin): small
// FRR-router scenarios written inline, checked through twin.bgp (tables, rejected paths, sessions),
// twin.routes (what is installed) and twin.trace (forwarding follows BGP). FRRouting is the
// reference for every expectation; deviations are it.fails with the FRR behaviour spelled out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTwin, type Twin } from '../../../src/engine/twin.js';
import type { BgpRibEntry } from '../../../src/engine/queries/bgp-view.js';
import { loadScenarioText } from '../../../src/topology/load.js';

const twinOf = (yaml: string): Twin => buildTwin(loadScenarioText(yaml).scenario);

/** The paths a router holds for one prefix. */
const pathsFor = (tw: Twin, router: string, prefix: string): BgpRibEntry[] => tw.bgp({ router, prefix }).routes;
/** The best path a router holds for a prefix (undefined if none). */
const bestFor = (tw: Twin, router: string, prefix: string): BgpRibEntry | undefined => pathsFor(tw, router, prefix).find((r) => r.best);
/** Prefixes in a router's BGP table. */
const prefixesOf = (tw: Twin, router: string): string[] => [...new Set(tw.bgp({ router }).routes.map((r) => r.prefix))];
const rejectedOf = (tw: Twin, router: string, prefix?: string) => tw.bgp({ router, prefix, rejected: true }).rejected ?? [];

// r1 (AS 65001) — r2 (AS 65002) — r3 (AS 65003), eBGP on point-to-point /31s.
const CHAIN = `
transportNodes: {}
physicalRouters:
  r1:
    interfaces:
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: lan, ip: 10.1.0.1/24 }
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.12.1, remoteAs: 65002 }]
      networks: [10.1.0.0/24]
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
      - { name: to-r3, ip: 10.0.23.0/31 }
    bgp:
      asn: 65002
      neighbors: [{ address: 10.0.12.0, remoteAs: 65001 }, { address: 10.0.23.1, remoteAs: 65003 }]
  r3:
    interfaces:
      - { name: to-r2, ip: 10.0.23.1/31 }
      - { name: lan, ip: 10.3.0.1/24 }
    bgp:
      asn: 65003
      neighbors: [{ address: 10.0.23.0, remoteAs: 65002 }]
      networks: [10.3.0.0/24]
physicalHosts:
  h1: { ip: 10.1.0.10/24, gateway: 10.1.0.1 }
  h3: { ip: 10.3.0.10/24, gateway: 10.3.0.1 }
`;

describe('eBGP propagation along a chain', () => {
  const tw = twinOf(CHAIN);

  it('sessions are established with the right type', () => {
    expect(tw.bgp({ router: 'r2' }).sessions).toEqual([
      { neighbor: '10.0.12.0', peer: 'r1', remoteAs: 65001, type: 'ebgp', state: 'Established' },
      { neighbor: '10.0.23.1', peer: 'r3', remoteAs: 65003, type: 'ebgp', state: 'Established' },
    ]);
  });

  it('the originator holds its network locally: no AS path, next hop 0.0.0.0, weight 32768, origin IGP', () => {
    const r = bestFor(tw, 'r1', '10.1.0.0/24')!;
    expect(r).toMatchObject({ nextHop: '0.0.0.0', asPath: [], origin: 'igp', weight: 32768, peer: null, best: true });
    expect(r.reason).toBe('best: only path (network 10.1.0.0/24)');
  });

  it('each eBGP hop prepends its AS and rewrites the next hop to itself', () => {
    expect(bestFor(tw, 'r2', '10.1.0.0/24')).toMatchObject({ nextHop: '10.0.12.0', asPath: [65001], peer: '10.0.12.0', localPref: null, weight: 0 });
    expect(bestFor(tw, 'r3', '10.1.0.0/24')).toMatchObject({ nextHop: '10.0.23.0', asPath: [65002, 65001], peer: '10.0.23.0', localPref: null, weight: 0 });
    expect(bestFor(tw, 'r1', '10.3.0.0/24')).toMatchObject({ nextHop: '10.0.12.1', asPath: [65002, 65003] });
  });

  it('a MED learned from another AS is not passed on to the next AS; the originator\'s own MED is sent', () => {
    expect(bestFor(tw, 'r2', '10.1.0.0/24')!.med).toBe(0);
    expect(bestFor(tw, 'r3', '10.1.0.0/24')!.med).toBeNull();
  });

  it('advertised/received views per neighbour', () => {
    const adv = tw.bgp({ router: 'r2', neighbor: '10.0.23.1', direction: 'advertised' }).routes;
    // FRR also sends r3's own route back to r3 (which drops it as an AS-path loop).
    expect(adv.map((r) => [r.prefix, r.nextHop, r.asPath])).toEqual([
      ['10.1.0.0/24', '10.0.23.0', [65002, 65001]],
      ['10.3.0.0/24', '10.0.23.0', [65002, 65003]],
    ]);
    const rx = tw.bgp({ router: 'r2', neighbor: 'r3', direction: 'received' }).routes;
    expect(rx.map((r) => [r.prefix, r.peer])).toEqual([['10.3.0.0/24', '10.0.23.1']]);
  });

  it('installs eBGP routes at distance 20 and traces follow them end to end', () => {
    const route = tw.routes({ router: 'r3' }).routes.find((r) => r.prefix === '10.1.0.0/24')!;
    expect(route).toMatchObject({ type: 'bgp', distance: 20, selected: true, nextHops: [{ ip: '10.0.23.0', interface: 'to-r2' }] });
    const t = tw.trace({ from: 'h3', to: 'h1' });
    expect(t.paths).toHaveLength(1);
    expect(t.paths[0].disposition).toBe('DELIVERED');
    const routed = t.paths[0].hops.filter((h) => h.route).map((h) => [h.component, h.route!.type, h.route!.nextHop]);
    expect(routed).toEqual([
      ['r3', 'bgp', '10.0.23.0'],
      ['r2', 'bgp', '10.0.12.0'],
      ['r1', 'connected', null],
    ]);
  });

  it('converges in a few rounds, without oscillation', () => {
    expect(tw.bgpState.oscillation).toBeNull();
    expect(tw.bgpState.rounds).toBeLessThan(10);
    expect(tw.bgp({ router: 'r1' }).oscillation).toBeUndefined();
  });
});

// r0 (AS 65000) eBGP r1; r1, r2, r3 in AS 65100 with iBGP r1–r2 and r2–r3 only (no full mesh).
// r2 gets a static route to the r0–r1 link so the unchanged iBGP next hop is resolvable, as FRR
// requires for a valid path.
function ibgpLine(opts: { nextHopSelf?: boolean } = {}): string {
  return `
transportNodes: {}
physicalRouters:
  r0:
    interfaces:
      - { name: to-r1, ip: 10.0.1.0/31 }
      - { name: lan, ip: 10.9.0.1/24 }
    bgp:
      asn: 65000
      neighbors: [{ address: 10.0.1.1, remoteAs: 65100 }]
      networks: [10.9.0.0/24]
  r1:
    interfaces:
      - { name: to-r0, ip: 10.0.1.1/31 }
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: lan, ip: 10.1.0.1/24 }
    routeMaps:
      lp300: [{ seq: 10, action: permit, set: { localPreference: 300 } }]
    bgp:
      asn: 65100
      neighbors:
        - { address: 10.0.1.0, remoteAs: 65000, routeMapIn: lp300 }
        - { address: 10.0.12.1, remoteAs: 65100, nextHopSelf: ${!!opts.nextHopSelf} }
      networks: [10.1.0.0/24]
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
      - { name: to-r3, ip: 10.0.23.0/31 }
    staticRoutes:
      - { network: 10.0.1.0/31, nextHops: [10.0.12.0] }
    bgp:
      asn: 65100
      neighbors:
        - { address: 10.0.12.0, remoteAs: 65100 }
        - { address: 10.0.23.1, remoteAs: 65100 }
  r3:
    interfaces:
      - { name: to-r2, ip: 10.0.23.1/31 }
    bgp:
      asn: 65100
      neighbors: [{ address: 10.0.23.0, remoteAs: 65100 }]
physicalHosts:
  h9: { ip: 10.9.0.10/24, gateway: 10.9.0.1 }
`;
}

describe('iBGP', () => {
  const tw = twinOf(ibgpLine());

  it('iBGP keeps the eBGP next hop and carries local preference', () => {
    expect(tw.bgp({ router: 'r2' }).sessions.map((s) => s.type)).toEqual(['ibgp', 'ibgp']);
    expect(bestFor(tw, 'r1', '10.9.0.0/24')).toMatchObject({ nextHop: '10.0.1.0', asPath: [65000], localPref: 300 });
    expect(bestFor(tw, 'r2', '10.9.0.0/24')).toMatchObject({ nextHop: '10.0.1.0', asPath: [65000], localPref: 300, peer: '10.0.12.0', weight: 0 });
  });

  it('a locally originated prefix is sent over iBGP with next hop self and the default local preference 100', () => {
    expect(bestFor(tw, 'r2', '10.1.0.0/24')).toMatchObject({ nextHop: '10.0.12.0', asPath: [], localPref: 100 });
  });

  it('iBGP routes are installed at distance 200 and resolve the unchanged next hop recursively', () => {
    const route = tw.routes({ router: 'r2' }).routes.find((r) => r.prefix === '10.9.0.0/24')!;
    expect(route).toMatchObject({ type: 'bgp', distance: 200, selected: true, nextHops: [{ ip: '10.0.1.0', interface: 'to-r1' }] });
  });

  it('split horizon: r3 learns nothing from r2 that r2 learned over iBGP, and --rejected says why', () => {
    expect(tw.bgp({ router: 'r3' }).routes).toEqual([]);
    const rej = rejectedOf(tw, 'r3');
    expect(rej.map((r) => [r.prefix, r.from, r.where])).toEqual([
      ['10.1.0.0/24', 'r2', 'out'],
      ['10.9.0.0/24', 'r2', 'out'],
    ]);
    for (const r of rej) expect(r.reason).toBe('r2: iBGP split horizon (learned over iBGP, not re-advertised to iBGP peers)');
    expect(rejectedOf(tw, 'r3', '10.9.0.0/24')[0].nextHop).toBe('10.0.1.0');
    // r2 itself still has them.
    expect(prefixesOf(tw, 'r2')).toEqual(['10.1.0.0/24', '10.9.0.0/24']);
  });

  it('next-hop-self rewrites the next hop on the iBGP session', () => {
    const nhs = twinOf(ibgpLine({ nextHopSelf: true }));
    expect(bestFor(nhs, 'r2', '10.9.0.0/24')).toMatchObject({ nextHop: '10.0.12.0', asPath: [65000], localPref: 300 });
    expect(nhs.routes({ router: 'r2' }).routes.find((r) => r.prefix === '10.9.0.0/24')!.nextHops).toEqual([{ ip: '10.0.12.0', interface: 'to-r1' }]);
  });
});

describe('AS-path loop detection and allowas-in', () => {
  // r1 (65001) — r2 (65002) — r3 (65001): r3 sees its own AS in what r1 originated.
  const text = (allowAsIn: string) => `
transportNodes: {}
physicalRouters:
  r1:
    interfaces:
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: lan, ip: 10.1.0.1/24 }
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.12.1, remoteAs: 65002 }]
      networks: [10.1.0.0/24]
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
      - { name: to-r3, ip: 10.0.23.0/31 }
    bgp:
      asn: 65002
      neighbors: [{ address: 10.0.12.0, remoteAs: 65001 }, { address: 10.0.23.1, remoteAs: 65001 }]
  r3:
    interfaces:
      - { name: to-r2, ip: 10.0.23.1/31 }
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.23.0, remoteAs: 65002${allowAsIn} }]
`;

  it('a path containing the own AS is rejected on arrival', () => {
    const tw = twinOf(text(''));
    expect(tw.bgp({ router: 'r3' }).routes).toEqual([]);
    const rej = rejectedOf(tw, 'r3');
    expect(rej).toHaveLength(1);
    expect(rej[0]).toMatchObject({ prefix: '10.1.0.0/24', from: 'r2', where: 'in', nextHop: '10.0.23.0', asPath: [65002, 65001] });
    expect(rej[0].reason).toBe('AS-path loop: the path contains own AS 65001');
  });

  it('allowas-in accepts it (true = 3 occurrences, or an explicit count)', () => {
    for (const opt of [', allowAsIn: true', ', allowAsIn: 1']) {
      const tw = twinOf(text(opt));
      expect(bestFor(tw, 'r3', '10.1.0.0/24')).toMatchObject({ asPath: [65002, 65001], nextHop: '10.0.23.0' });
      expect(rejectedOf(tw, 'r3')).toEqual([]);
    }
  });
});

// r1 (65001) tags 10.1.0.0/24 NO_EXPORT and 10.1.1.0/24 NO_ADVERTISE toward r2 (65002); r2 has an
// iBGP peer r3 and an eBGP peer r4.
const COMMUNITIES = `
transportNodes: {}
physicalRouters:
  r1:
    interfaces:
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: lan-a, ip: 10.1.0.1/24 }
      - { name: lan-b, ip: 10.1.1.1/24 }
      - { name: lan-c, ip: 10.1.2.1/24 }
    prefixLists:
      pl-a: [{ seq: 5, action: permit, prefix: 10.1.0.0/24 }]
      pl-b: [{ seq: 5, action: permit, prefix: 10.1.1.0/24 }]
    routeMaps:
      tag:
        - { seq: 10, action: permit, match: { prefixList: pl-a }, set: { community: "no-export" } }
        - { seq: 20, action: permit, match: { prefixList: pl-b }, set: { community: "no-advertise" } }
        - { seq: 30, action: permit }
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.12.1, remoteAs: 65002, routeMapOut: tag }]
      networks: [10.1.0.0/24, 10.1.1.0/24, 10.1.2.0/24]
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
      - { name: to-r3, ip: 10.0.23.0/31 }
      - { name: to-r4, ip: 10.0.24.0/31 }
    bgp:
      asn: 65002
      neighbors:
        - { address: 10.0.12.0, remoteAs: 65001 }
        - { address: 10.0.23.1, remoteAs: 65002, nextHopSelf: true }
        - { address: 10.0.24.1, remoteAs: 65004 }
  r3:
    interfaces:
      - { name: to-r2, ip: 10.0.23.1/31 }
    bgp:
      asn: 65002
      neighbors: [{ address: 10.0.23.0, remoteAs: 65002 }]
  r4:
    interfaces:
      - { name: to-r2, ip: 10.0.24.1/31 }
    bgp:
      asn: 65004
      neighbors: [{ address: 10.0.24.0, remoteAs: 65002 }]
`;

describe('well-known communities', () => {
  const tw = twinOf(COMMUNITIES);

  it('r2 holds all three, with the communities', () => {
    expect(prefixesOf(tw, 'r2')).toEqual(['10.1.0.0/24', '10.1.1.0/24', '10.1.2.0/24']);
    expect(bestFor(tw, 'r2', '10.1.0.0/24')!.communities).toEqual(['no-export']);
    expect(bestFor(tw, 'r2', '10.1.1.0/24')!.communities).toEqual(['no-advertise']);
    expect(bestFor(tw, 'r2', '10.1.2.0/24')!.communities).toEqual([]);
  });

  it('NO_EXPORT: sent to the iBGP peer (community kept), not to the eBGP peer', () => {
    expect(bestFor(tw, 'r3', '10.1.0.0/24')).toMatchObject({ communities: ['no-export'], nextHop: '10.0.23.0', localPref: 100 });
    expect(pathsFor(tw, 'r4', '10.1.0.0/24')).toEqual([]);
    const rej = rejectedOf(tw, 'r4', '10.1.0.0/24');
    expect(rej).toEqual([{ prefix: '10.1.0.0/24', from: 'r2', where: 'out', nextHop: '10.0.12.0', asPath: [65001], reason: 'r2: NO_EXPORT community (not sent to eBGP peers)' }]);
  });

  it('NO_ADVERTISE: sent to nobody', () => {
    expect(pathsFor(tw, 'r3', '10.1.1.0/24')).toEqual([]);
    expect(pathsFor(tw, 'r4', '10.1.1.0/24')).toEqual([]);
    for (const r of ['r3', 'r4']) {
      const rej = rejectedOf(tw, r, '10.1.1.0/24');
      expect(rej).toHaveLength(1);
      expect(rej[0]).toMatchObject({ from: 'r2', where: 'out', reason: 'r2: NO_ADVERTISE community' });
    }
    expect(tw.bgp({ router: 'r2', neighbor: '10.0.23.1', direction: 'advertised' }).routes.map((r) => r.prefix)).toEqual(['10.1.0.0/24', '10.1.2.0/24']);
    expect(tw.bgp({ router: 'r2', neighbor: '10.0.24.1', direction: 'advertised' }).routes.map((r) => r.prefix)).toEqual(['10.1.2.0/24']);
  });

  it('an untagged prefix goes everywhere', () => {
    expect(bestFor(tw, 'r3', '10.1.2.0/24')).toBeDefined();
    expect(bestFor(tw, 'r4', '10.1.2.0/24')).toMatchObject({ asPath: [65002, 65001], nextHop: '10.0.24.0' });
  });
});

// r1 (65001) originates two /24s (network), two statics (redistribute static with a route map)
// and aggregates; r2 (65002) receives. `network 10.7.0.0/24` has no route in r1's RIB.
function origination(opts: { summaryOnly: boolean; defaultOriginate?: boolean }): string {
  return `
transportNodes: {}
physicalRouters:
  r1:
    interfaces:
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: lan-a, ip: 10.1.0.1/24 }
      - { name: lan-b, ip: 10.1.1.1/24 }
    staticRoutes:
      - { network: 10.5.0.0/24, nextHops: [{ blackhole: true }] }
      - { network: 10.6.0.0/24, nextHops: [{ blackhole: true }] }
    prefixLists:
      pl-5: [{ seq: 5, action: permit, prefix: 10.5.0.0/16, le: 24 }]
    routeMaps:
      rm-static:
        - { seq: 10, action: permit, match: { prefixList: pl-5 }, set: { med: 50, community: "65001:5" } }
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.12.1, remoteAs: 65002, defaultOriginate: ${!!opts.defaultOriginate} }]
      networks: [10.1.0.0/24, 10.1.1.0/24, 10.7.0.0/24]
      redistribute: [{ type: static, routeMap: rm-static }]
      aggregates: [{ prefix: 10.1.0.0/16, summaryOnly: ${opts.summaryOnly} }, { prefix: 10.2.0.0/16 }]
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
    bgp:
      asn: 65002
      neighbors: [{ address: 10.0.12.0, remoteAs: 65001 }]
`;
}

describe('origination', () => {
  it('aggregate without summary-only: the aggregate and its contributors are advertised', () => {
    const tw = twinOf(origination({ summaryOnly: false }));
    const agg = bestFor(tw, 'r1', '10.1.0.0/16')!;
    expect(agg).toMatchObject({ nextHop: '0.0.0.0', asPath: [], origin: 'igp', peer: null });
    expect(agg.reason).toBe('best: only path (aggregate 10.1.0.0/16)');
    expect(prefixesOf(tw, 'r2')).toEqual(['10.1.0.0/16', '10.1.0.0/24', '10.1.1.0/24', '10.5.0.0/24']);
    expect(bestFor(tw, 'r2', '10.1.0.0/16')).toMatchObject({ asPath: [65001], nextHop: '10.0.12.0', origin: 'igp' });
  });

  it('aggregate summary-only: only the aggregate leaves; the contributors are suppressed with a reason', () => {
    const tw = twinOf(origination({ summaryOnly: true }));
    // r1 still has the contributors itself (and 10.7.0.0/24 as an invalid network, see import-check).
    expect(prefixesOf(tw, 'r1')).toEqual(['10.1.0.0/16', '10.1.0.0/24', '10.1.1.0/24', '10.5.0.0/24', '10.7.0.0/24']);
    expect(prefixesOf(tw, 'r2')).toEqual(['10.1.0.0/16', '10.5.0.0/24']);
    const rej = rejectedOf(tw, 'r2').filter((r) => r.reason.includes('summary-only'));
    expect(rej.map((r) => [r.prefix, r.from, r.where, r.reason])).toEqual([
      ['10.1.0.0/24', 'r1', 'out', 'r1: suppressed by aggregate 10.1.0.0/16 summary-only'],
      ['10.1.1.0/24', 'r1', 'out', 'r1: suppressed by aggregate 10.1.0.0/16 summary-only'],
    ]);
  });

  it('an aggregate with no more specific prefix in the table is not originated', () => {
    const tw = twinOf(origination({ summaryOnly: false }));
    expect(pathsFor(tw, 'r1', '10.2.0.0/16')).toEqual([]);
    expect(pathsFor(tw, 'r2', '10.2.0.0/16')).toEqual([]);
  });

  it('redistribute static with a route map: permitted statics get origin incomplete and the set attributes; denied ones are listed', () => {
    const tw = twinOf(origination({ summaryOnly: false }));
    const local = bestFor(tw, 'r1', '10.5.0.0/24')!;
    expect(local).toMatchObject({ origin: 'incomplete', med: 50, communities: ['65001:5'], weight: 32768, peer: null });
    expect(local.reason).toBe('best: only path (redistribute static route-map rm-static)');
    expect(bestFor(tw, 'r2', '10.5.0.0/24')).toMatchObject({ origin: 'incomplete', med: 50, communities: ['65001:5'], asPath: [65001] });
    expect(pathsFor(tw, 'r1', '10.6.0.0/24')).toEqual([]);
    expect(pathsFor(tw, 'r2', '10.6.0.0/24')).toEqual([]);
    const rej = rejectedOf(tw, 'r1', '10.6.0.0/24');
    expect(rej).toHaveLength(1);
    expect(rej[0]).toMatchObject({ from: 'r1', where: 'in', nextHop: null, asPath: null });
    expect(rej[0].reason).toMatch(/^redistribute static: route-map rm-static/);
    expect(rej[0].reason).toContain('implicit deny');
  });

  it('FRR import-check: a network not in the routing table stays in the table as an invalid path, never best or advertised', () => {
    const tw = twinOf(origination({ summaryOnly: false }));
    expect(pathsFor(tw, 'r1', '10.7.0.0/24')).toEqual([
      expect.objectContaining({ best: false, peer: null, reason: 'invalid: network 10.7.0.0/24: not in the routing table (FRR import-check) (network 10.7.0.0/24)' }),
    ]);
    expect(pathsFor(tw, 'r2', '10.7.0.0/24')).toEqual([]);
    expect(tw.routes({ router: 'r1' }).routes.filter((r) => r.prefix === '10.7.0.0/24' && r.type === 'bgp')).toEqual([]);
  });

  it('a network that is in the routing table only by a static route is originated (any non-BGP route counts)', () => {
    const tw = twinOf(origination({ summaryOnly: false }).replace('networks: [10.1.0.0/24, 10.1.1.0/24, 10.7.0.0/24]', 'networks: [10.6.0.0/24]'));
    expect(bestFor(tw, 'r1', '10.6.0.0/24')).toMatchObject({ origin: 'igp', weight: 32768 });
    expect(bestFor(tw, 'r2', '10.6.0.0/24')).toMatchObject({ origin: 'igp', asPath: [65001] });
  });

  it('default-originate sends 0.0.0.0/0 although r1 has no default route', () => {
    const without = twinOf(origination({ summaryOnly: false }));
    expect(pathsFor(without, 'r2', '0.0.0.0/0')).toEqual([]);
    const tw = twinOf(origination({ summaryOnly: false, defaultOriginate: true }));
    expect(tw.routes({ router: 'r1' }).routes.some((r) => r.prefix === '0.0.0.0/0')).toBe(false);
    expect(bestFor(tw, 'r2', '0.0.0.0/0')).toMatchObject({ nextHop: '10.0.12.0', asPath: [65001], origin: 'igp', peer: '10.0.12.0' });
    expect(tw.routes({ router: 'r2' }).routes.find((r) => r.prefix === '0.0.0.0/0')).toMatchObject({ type: 'bgp', distance: 20, selected: true });
  });

  // FRR sends `neighbor X default-originate` from subgroup_default_originate()
  // (bgpd/bgp_updgrp_adv.c): the default is built from scratch and sent with
  // subgroup_default_update_packet(); only the optional `default-originate route-map` is applied.
  // The neighbour's outbound prefix list / route map are not (they are applied in
  // subgroup_announce_check(), which that path never calls). control-plane.ts puts the default
  // into the ordinary advertisement loop, so r1's outbound prefix list (which permits only
  // 10.1.0.0/24) drops it: r2 gets no 0.0.0.0/0 and r2's rejected list says
  // "r1: outbound prefix-list only-lan: no entry matches (implicit deny)".
  it('default-originate is not subject to the outbound prefix list (FRR sends it regardless)', () => {
    const text = origination({ summaryOnly: false, defaultOriginate: true })
      .replace('defaultOriginate: true }', 'defaultOriginate: true, prefixListOut: only-lan }')
      .replace('    prefixLists:\n', '    prefixLists:\n      only-lan: [{ seq: 5, action: permit, prefix: 10.1.0.0/24 }]\n');
    const tw = twinOf(text);
    // The prefix list does its job for the ordinary routes...
    expect(prefixesOf(tw, 'r2')).toContain('10.1.0.0/24');
    expect(prefixesOf(tw, 'r2')).not.toContain('10.1.1.0/24');
    // ...and the default is sent anyway.
    expect(bestFor(tw, 'r2', '0.0.0.0/0')).toMatchObject({ nextHop: '10.0.12.0', asPath: [65001] });
  });
});

// An aggregate's ORIGIN is the worst ORIGIN of its contributors — FRR bgp_aggregate_route()
// (bgpd/bgp_route.c): every valid path of a more specific prefix counts, best or not, suppressed
// or not (not another aggregate, not an invalid path); incomplete > EGP > IGP. The same
// rule is checked against real FRR by test/frr/topologies/aggregate-origin*.yaml.
function aggregateOrigin(): string {
  return `
transportNodes: {}
physicalRouters:
  r1:
    interfaces:
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: lo1, ip: 10.9.1.1/32 }
    staticRoutes:
      - { network: 10.20.1.0/24, nextHops: [{ blackhole: true }] }
      - { network: 10.20.2.0/24, nextHops: [{ blackhole: true }] }
      - { network: 10.30.1.0/24, nextHops: [{ blackhole: true }] }
      - { network: 10.60.1.0/24, nextHops: [{ blackhole: true }] }
    prefixLists:
      lo: [{ action: permit, prefix: 10.9.1.1/32 }]
      st: [{ action: permit, prefix: 10.20.2.0/24 }]
    routeMaps:
      conn: [{ seq: 10, action: permit, match: { prefixList: lo } }]
      static: [{ seq: 10, action: permit, match: { prefixList: st } }]
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.12.1, remoteAs: 65002 }]
      networks: [10.20.1.0/24, 10.30.1.0/24, 10.60.1.0/24, 10.70.1.0/24]
      redistribute: [{ type: connected, routeMap: conn }, { type: static, routeMap: static }]
      aggregates:
        - { prefix: 10.9.1.0/24 }
        - { prefix: 10.20.0.0/16, summaryOnly: true }
        - { prefix: 10.30.0.0/16 }
        - { prefix: 10.60.0.0/16 }
        - { prefix: 10.70.0.0/16 }
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
    staticRoutes:
      - { network: 10.60.1.0/24, nextHops: [{ blackhole: true }] }
    bgp:
      asn: 65002
      neighbors: [{ address: 10.0.12.0, remoteAs: 65001 }]
      redistribute: [{ type: static }]
`;
}

describe('aggregate ORIGIN', () => {
  const tw = twinOf(aggregateOrigin());

  it('redistributed connected 10.9.1.1/32 under aggregate 10.9.1.0/24: the aggregate is sent with origin incomplete', () => {
    expect(bestFor(tw, 'r1', '10.9.1.1/32')).toMatchObject({ origin: 'incomplete', peer: null });
    expect(bestFor(tw, 'r1', '10.9.1.0/24')).toMatchObject({ origin: 'incomplete', asPath: [], med: 0, weight: 32768, peer: null });
    expect(bestFor(tw, 'r2', '10.9.1.0/24')).toMatchObject({ origin: 'incomplete', asPath: [65001], peer: '10.0.12.0' });
  });

  it('one incomplete contributor makes the aggregate incomplete, also when it is suppressed by summary-only', () => {
    expect(bestFor(tw, 'r1', '10.20.1.0/24')).toMatchObject({ origin: 'igp' });
    expect(bestFor(tw, 'r1', '10.20.2.0/24')).toMatchObject({ origin: 'incomplete' });
    expect(bestFor(tw, 'r2', '10.20.0.0/16')).toMatchObject({ origin: 'incomplete' });
    expect(pathsFor(tw, 'r2', '10.20.2.0/24')).toEqual([]);
  });

  it('only IGP contributors: the aggregate stays IGP', () => {
    expect(bestFor(tw, 'r2', '10.30.0.0/16')).toMatchObject({ origin: 'igp' });
  });

  it('a contributor that is not the best path counts too (FRR walks every valid path)', () => {
    const paths = pathsFor(tw, 'r1', '10.60.1.0/24');
    expect(paths.map((p) => [p.peer, p.origin, p.best])).toEqual([
      [null, 'igp', true],
      ['10.0.12.1', 'incomplete', false],
    ]);
    expect(bestFor(tw, 'r1', '10.60.0.0/16')).toMatchObject({ origin: 'incomplete' });
  });

  it('an invalid contributor (network failing import-check) neither counts nor originates the aggregate', () => {
    expect(pathsFor(tw, 'r1', '10.70.1.0/24')).toEqual([expect.objectContaining({ best: false })]);
    expect(pathsFor(tw, 'r1', '10.70.0.0/16')).toEqual([]);
    expect(pathsFor(tw, 'r2', '10.70.0.0/16')).toEqual([]);
  });
});

describe('ebgp-requires-policy', () => {
  const text = (policy: string) => `
transportNodes: {}
physicalRouters:
  r1:
    interfaces:
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: lan, ip: 10.1.0.1/24 }
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.12.1, remoteAs: 65002 }]
      networks: [10.1.0.0/24]
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
      - { name: to-r3, ip: 10.0.23.0/31 }
      - { name: lan, ip: 10.2.0.1/24 }
    routeMaps:
      all: [{ seq: 10, action: permit }]
    bgp:
      asn: 65002
      ebgpRequiresPolicy: true
      neighbors:
        - { address: 10.0.12.0, remoteAs: 65001${policy} }
        - { address: 10.0.23.1, remoteAs: 65003${policy.replace('routeMapIn', 'routeMapOut')} }
      networks: [10.2.0.0/24]
  r3:
    interfaces:
      - { name: to-r2, ip: 10.0.23.1/31 }
    bgp:
      asn: 65003
      neighbors: [{ address: 10.0.23.0, remoteAs: 65002 }]
`;

  it('without policies: nothing is accepted from, nor sent to, eBGP neighbours', () => {
    const tw = twinOf(text(''));
    expect(prefixesOf(tw, 'r2')).toEqual(['10.2.0.0/24']);
    expect(rejectedOf(tw, 'r2', '10.1.0.0/24')).toEqual([
      { prefix: '10.1.0.0/24', from: 'r1', where: 'in', nextHop: '10.0.12.0', asPath: [65001], reason: 'ebgp-requires-policy: no inbound policy from this neighbour' },
    ]);
    expect(prefixesOf(tw, 'r3')).toEqual([]);
    expect(rejectedOf(tw, 'r3')).toEqual([
      { prefix: '10.2.0.0/24', from: 'r2', where: 'out', nextHop: null, asPath: null, reason: 'r2: ebgp-requires-policy: no outbound policy toward this neighbour' },
    ]);
    // r1 does not have the knob, but r2 has no outbound policy toward r1 either: r1 gets nothing.
    expect(prefixesOf(tw, 'r1')).toEqual(['10.1.0.0/24']);
  });

  it('with an inbound route map from r1 and an outbound one toward r3, routes flow r1 → r2 → r3', () => {
    const tw = twinOf(text(', routeMapIn: all'));
    expect(prefixesOf(tw, 'r2')).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
    expect(prefixesOf(tw, 'r3')).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
    // Toward r1 there is still no outbound policy.
    expect(prefixesOf(tw, 'r1')).toEqual(['10.1.0.0/24']);
  });
});

describe('sessions that do not come up, with the reason', () => {
  const tw = twinOf(`
transportNodes: {}
physicalRouters:
  r1:
    interfaces:
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: to-r3, ip: 10.0.13.0/31 }
      - { name: to-r4, ip: 10.0.14.0/31 }
      - { name: lan, ip: 10.1.0.1/24 }
    bgp:
      asn: 65001
      neighbors:
        - { address: 10.0.12.1, remoteAs: 65009 }
        - { address: 10.0.13.1, remoteAs: 65003 }
        - { address: 10.99.0.1, remoteAs: 65004 }
        - { address: 10.0.14.1, remoteAs: 65004 }
      networks: [10.1.0.0/24]
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
    bgp:
      asn: 65002
      neighbors: [{ address: 10.0.12.0, remoteAs: 65001 }]
  r3:
    interfaces:
      - { name: to-r1, ip: 10.0.13.1/31 }
    bgp:
      asn: 65003
  r4:
    interfaces:
      - { name: to-r1, ip: 10.0.14.1/31 }
`);

  it('wrong remote-as, neighbour not configured on the other side, not directly connected, peer not a BGP speaker', () => {
    const down = (n: string) => ({ neighbor: n, peer: null, remoteAs: null, type: 'unknown', state: 'Down' });
    expect(tw.bgp({ router: 'r1' }).sessions).toEqual([
      { ...down('10.0.12.1'), reason: 'remote-as 65009 configured but r2 is AS 65002' },
      { ...down('10.0.13.1'), reason: 'r3 has no neighbour 10.0.13.0' },
      { ...down('10.99.0.1'), reason: "not directly connected (no interface in the neighbour's subnet; multihop is not modelled)" },
      { ...down('10.0.14.1'), reason: 'no BGP speaker owns 10.0.14.1 in the model' },
    ]);
  });

  it('the correctly configured side of a wrong remote-as is down too, naming the mismatch', () => {
    expect(tw.bgp({ router: 'r2' }).sessions).toEqual([
      { neighbor: '10.0.12.0', peer: null, remoteAs: null, type: 'unknown', state: 'Down', reason: 'r1 expects AS 65009 from 10.0.12.1, this side is AS 65002' },
    ]);
  });

  it('nothing is exchanged over a down session', () => {
    expect(prefixesOf(tw, 'r2')).toEqual([]);
    expect(prefixesOf(tw, 'r3')).toEqual([]);
    expect(() => tw.bgp({ router: 'r1', neighbor: '10.0.12.1', direction: 'advertised' })).toThrow(/no established session/);
  });
});

describe('oscillation (DISAGREE)', () => {
  const text = readFileSync(new URL('../../fixtures/bgp/disagree.yaml', import.meta.url), 'utf8');

  it('terminates and reports speakers r1, r2 and prefix 10.9.0.0/24', () => {
    const tw = twinOf(text);
    const osc = tw.bgpState.oscillation;
    expect(osc).not.toBeNull();
    expect(osc!.speakers).toEqual(['r1', 'r2']);
    expect(osc!.prefixes).toEqual(['10.9.0.0/24']);
    expect(osc!.period).toBeGreaterThanOrEqual(2);
    expect(tw.bgpState.rounds).toBeLessThan(200);
    // Every view carries it.
    expect(tw.bgp({ router: 'r0' }).oscillation).toEqual(osc);
    expect(tw.bgp({ router: 'r1' }).oscillation).toEqual(osc);
    // r0, the originator, is stable.
    expect(bestFor(tw, 'r0', '10.9.0.0/24')).toMatchObject({ peer: null });
  });
});

// r0 (65000) originates 10.9.0.0/24 and reaches r3 (65003) through r1 (65001) and r2 (65002).
function diamond(r3bgp: string): string {
  return `
transportNodes: {}
physicalRouters:
  r0:
    interfaces:
      - { name: to-r1, ip: 10.0.1.0/31 }
      - { name: to-r2, ip: 10.0.2.0/31 }
      - { name: lan, ip: 10.9.0.1/24 }
    bgp:
      asn: 65000
      neighbors: [{ address: 10.0.1.1, remoteAs: 65001 }, { address: 10.0.2.1, remoteAs: 65002 }]
      networks: [10.9.0.0/24]
  r1:
    interfaces:
      - { name: to-r0, ip: 10.0.1.1/31 }
      - { name: to-r3, ip: 10.0.13.0/31 }
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.1.0, remoteAs: 65000 }, { address: 10.0.13.1, remoteAs: 65003 }]
  r2:
    interfaces:
      - { name: to-r0, ip: 10.0.2.1/31 }
      - { name: to-r3, ip: 10.0.23.0/31 }
    bgp:
      asn: 65002
      neighbors: [{ address: 10.0.2.0, remoteAs: 65000 }, { address: 10.0.23.1, remoteAs: 65003 }]
  r3:
    interfaces:
      - { name: to-r1, ip: 10.0.13.1/31 }
      - { name: to-r2, ip: 10.0.23.1/31 }
      - { name: lan, ip: 10.3.0.1/24 }
    bgp:
      asn: 65003
${r3bgp}
      neighbors: [{ address: 10.0.13.0, remoteAs: 65001 }, { address: 10.0.23.0, remoteAs: 65002 }]
      networks: [10.3.0.0/24]
physicalHosts:
  h0: { ip: 10.9.0.10/24, gateway: 10.9.0.1 }
  h3: { ip: 10.3.0.10/24, gateway: 10.3.0.1 }
`;
}

describe('multipath in the forwarding table', () => {
  it('without multipath-relax: one best path (different neighbour AS), one next hop', () => {
    const tw = twinOf(diamond('      multipathRelax: false'));
    const paths = pathsFor(tw, 'r3', '10.9.0.0/24');
    expect(paths.map((p) => [p.nextHop, p.asPath, p.best, p.multipath])).toEqual([
      ['10.0.13.0', [65001, 65000], true, false],
      ['10.0.23.0', [65002, 65000], false, false],
    ]);
    expect(paths[1].reason).toBe('lost to the path from 10.0.13.0 at router id');
    expect(tw.routes({ router: 'r3' }).routes.find((r) => r.prefix === '10.9.0.0/24')!.nextHops).toEqual([{ ip: '10.0.13.0', interface: 'to-r1' }]);
    expect(tw.trace({ from: 'h3', to: 'h0' }).paths).toHaveLength(1);
  });

  it('with multipath-relax: both paths, installed as ECMP next hops; the trace takes both', () => {
    const tw = twinOf(diamond('      multipathRelax: true'));
    const paths = pathsFor(tw, 'r3', '10.9.0.0/24');
    expect(paths.map((p) => [p.nextHop, p.best, p.multipath])).toEqual([
      ['10.0.13.0', true, true],
      ['10.0.23.0', false, true],
    ]);
    expect(paths[1].reason).toBe('multipath with the best path (equal up to router id)');
    const route = tw.routes({ router: 'r3' }).routes.find((r) => r.prefix === '10.9.0.0/24')!;
    expect(route).toMatchObject({ type: 'bgp', distance: 20, selected: true });
    expect(route.nextHops).toEqual([
      { ip: '10.0.13.0', interface: 'to-r1' },
      { ip: '10.0.23.0', interface: 'to-r2' },
    ]);
    const t = tw.trace({ from: 'h3', to: 'h0' });
    expect(t.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED']);
    expect(t.paths.map((p) => p.hops.filter((h) => h.route).map((h) => h.component))).toEqual([
      ['r3', 'r1', 'r0'],
      ['r3', 'r2', 'r0'],
    ]);
  });

  it('maximum-paths 1 keeps a single next hop even with multipath-relax', () => {
    const tw = twinOf(diamond('      multipathRelax: true\n      maximumPaths: 1'));
    expect(pathsFor(tw, 'r3', '10.9.0.0/24').filter((p) => p.multipath)).toEqual([]);
    expect(tw.routes({ router: 'r3' }).routes.find((r) => r.prefix === '10.9.0.0/24')!.nextHops).toHaveLength(1);
  });
});

// r1 (65001) sets MED 50 toward r2 (65002). r2 passes the path by iBGP to r3 (65002, with a
// static to the r1–r2 link so the next hop resolves) and by eBGP to r5 (65005); r3 passes it by
// eBGP to r4 (65004).
function medTopology(opts: { r3Static: boolean }): string {
  return `
transportNodes: {}
physicalRouters:
  r1:
    interfaces:
      - { name: to-r2, ip: 10.0.12.0/31 }
      - { name: lan, ip: 10.1.0.1/24 }
    routeMaps:
      med50: [{ seq: 10, action: permit, set: { med: 50 } }]
    bgp:
      asn: 65001
      neighbors: [{ address: 10.0.12.1, remoteAs: 65002, routeMapOut: med50 }]
      networks: [10.1.0.0/24]
  r2:
    interfaces:
      - { name: to-r1, ip: 10.0.12.1/31 }
      - { name: to-r3, ip: 10.0.23.0/31 }
      - { name: to-r5, ip: 10.0.25.0/31 }
    bgp:
      asn: 65002
      neighbors:
        - { address: 10.0.12.0, remoteAs: 65001 }
        - { address: 10.0.23.1, remoteAs: 65002 }
        - { address: 10.0.25.1, remoteAs: 65005 }
  r3:
    interfaces:
      - { name: to-r2, ip: 10.0.23.1/31 }
      - { name: to-r4, ip: 10.0.34.0/31 }
${opts.r3Static ? '    staticRoutes:\n      - { network: 10.0.12.0/31, nextHops: [10.0.23.0] }\n' : ''}    bgp:
      asn: 65002
      neighbors: [{ address: 10.0.23.0, remoteAs: 65002 }, { address: 10.0.34.1, remoteAs: 65004 }]
  r4:
    interfaces:
      - { name: to-r3, ip: 10.0.34.1/31 }
    bgp:
      asn: 65004
      neighbors: [{ address: 10.0.34.0, remoteAs: 65002 }]
  r5:
    interfaces:
      - { name: to-r2, ip: 10.0.25.1/31 }
    bgp:
      asn: 65005
      neighbors: [{ address: 10.0.25.0, remoteAs: 65002 }]
`;
}

describe('MED across AS boundaries', () => {
  const tw = twinOf(medTopology({ r3Static: true }));

  it('the MED set by the neighbour AS is received, and kept over iBGP', () => {
    expect(bestFor(tw, 'r2', '10.1.0.0/24')!.med).toBe(50);
    expect(bestFor(tw, 'r3', '10.1.0.0/24')).toMatchObject({ med: 50, localPref: 100, nextHop: '10.0.12.0' });
  });

  it('an eBGP-learned MED is not sent to another AS', () => {
    expect(bestFor(tw, 'r5', '10.1.0.0/24')).toMatchObject({ asPath: [65002, 65001], med: null });
  });

  // FRR strips the MED toward any eBGP peer unless the path is locally originated
  // (bgpd/bgp_route.c, subgroup_announce_check: "Remove MED if its an EBGP peer" — the condition
  // is `peer->sort == BGP_PEER_EBGP && from != bgp->peer_self`, whatever the session the path was
  // learned on). control-plane.ts only drops it when the path was learned over eBGP
  // (`ebgp && learned === 'ebgp'`), so r3 — which learned the path from r2 over iBGP — passes
  // MED 50 (set by AS 65001) on to r4 in AS 65004. Expected med null at r4; actual 50.
  it('a MED learned over iBGP (set by another AS) is still sent to an eBGP peer (FRR strips it)', () => {
    expect(bestFor(tw, 'r4', '10.1.0.0/24')).toMatchObject({ asPath: [65002, 65001], med: null });
  });
});

describe('iBGP next-hop reachability', () => {
  it('with a route to the next hop, the iBGP path is installed and re-advertised to eBGP', () => {
    const tw = twinOf(medTopology({ r3Static: true }));
    expect(tw.routes({ router: 'r3' }).routes.find((r) => r.prefix === '10.1.0.0/24')).toMatchObject({ type: 'bgp', distance: 200, selected: true });
    expect(bestFor(tw, 'r4', '10.1.0.0/24')).toMatchObject({ asPath: [65002, 65001], nextHop: '10.0.34.0' });
  });

  it('without one, the path is inaccessible: kept in the BGP table with the reason, never installed', () => {
    const tw = twinOf(medTopology({ r3Static: false }));
    expect(tw.routes({ router: 'r3' }).routes.find((r) => r.prefix === '10.1.0.0/24')).toBeUndefined();
    const paths = tw.bgp({ router: 'r3', prefix: '10.1.0.0/24' }).routes;
    expect(paths).toHaveLength(1);
    expect(paths[0]).toMatchObject({ best: false, reason: 'inaccessible: next hop 10.0.12.0 unreachable' });
  });

  // FRR validates every BGP next hop through zebra's next-hop tracking: a path whose next hop does
  // not resolve in the RIB is "inaccessible" — it is not valid, cannot be best and is not
  // advertised (bgp_nht.c / bgp_path_info flag BGP_PATH_VALID). Here r3 learns 10.1.0.0/24 from
  // r2 over iBGP with the unchanged next hop 10.0.12.0 (the r1–r2 link) and has no route to it.
  // Regression: the model used to select it anyway and advertise it to r4 (a black hole at r3).
  it('a path whose iBGP next hop is unreachable is inaccessible: not best, not advertised (FRR next-hop tracking)', () => {
    const tw = twinOf(medTopology({ r3Static: false }));
    expect(bestFor(tw, 'r3', '10.1.0.0/24')).toBeUndefined();
    expect(pathsFor(tw, 'r4', '10.1.0.0/24')).toEqual([]);
  });
});
