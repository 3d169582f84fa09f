// BGP between NSX Tier-0 SRs and physical routers: the reference lab, the teaching scenarios in
// scenarios/bgp/, and NSX policy (route maps over prefix lists, redistribution route maps,
// community lists) in small variants of scenarios/bgp/base.yaml. Expectations follow
// ../shared/spec/nsx-reference.md §3–§6 and FRRouting where NSX is silent.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTwin, type Twin } from '../../../src/engine/twin.js';
import type { BgpRibEntry } from '../../../src/engine/queries/bgp-view.js';
import { loadScenarioFile } from '../../../src/topology/load-file.js';
import { loadScenarioText } from '../../../src/topology/load.js';

const scenarioPath = (rel: string) => fileURLToPath(new URL(`../../../scenarios/${rel}`, import.meta.url));
const twinOfFile = (rel: string): Twin => buildTwin(loadScenarioFile(scenarioPath(rel)).scenario);
/** A variant of scenarios/bgp/base.yaml written inline (`extends: base.yaml`). */
const variantOfBase = (yaml: string): Twin =>
  buildTwin(loadScenarioText(`extends: base.yaml\n${yaml}`, 'variant.yaml', { 'base.yaml': readFileSync(scenarioPath('bgp/base.yaml'), 'utf8') }).scenario);

const pathsFor = (tw: Twin, router: string, prefix: string, edge?: string): BgpRibEntry[] => tw.bgp({ router, edge, prefix }).routes;
const bestFor = (tw: Twin, router: string, prefix: string, edge?: string) => pathsFor(tw, router, prefix, edge).find((r) => r.best);
/** Rejections of NSX prefixes (not the ToR's own routes echoed back to it, which FRR sends too). */
const notEcho = (r: { prefix: string; reason: string }) => r.prefix.startsWith('10.20.') && !r.reason.startsWith('AS-path loop');
const prefixesOf = (tw: Twin, router: string, edge?: string): string[] => [...new Set(tw.bgp({ router, edge }).routes.map((r) => r.prefix))];
const summary = (rs: BgpRibEntry[]) => rs.map((r) => ({ prefix: r.prefix, nextHop: r.nextHop, asPath: r.asPath, best: r.best, multipath: r.multipath }));
/** The edges a trace path crosses a Tier-0 SR on. */
const t0Edges = (tw: Twin, from: string, to: string) =>
  tw.trace({ from, to }).paths.map((p) => ({ disposition: p.disposition, edges: p.hops.filter((h) => h.componentType === 'T0_SR').map((h) => h.node) }));

const NSX_24S = ['10.146.40.0/24', '10.146.41.0/24', '10.146.50.0/24', '10.146.51.0/24'];
/** The /24s and the DNS virtual service's VIP route (t1l on t1-avi-dns). */
const NSX_ADVERTISED = [...NSX_24S, '10.146.100.53/32'];

describe('reference lab: t0-lhr (AS 65146, A/A on edge-01/edge-02) and tor-01 (AS 65100)', () => {
  const tw = twinOfFile('reference-lab.yaml');

  it('tor-01 has one eBGP session per edge', () => {
    expect(tw.bgp({ router: 'tor-01' }).sessions).toEqual([
      { neighbor: '10.146.10.11', peer: 't0-lhr@edge-01', remoteAs: 65146, type: 'ebgp', state: 'Established' },
      { neighbor: '10.146.10.12', peer: 't0-lhr@edge-02', remoteAs: 65146, type: 'ebgp', state: 'Established' },
    ]);
    expect(tw.bgpState.oscillation).toBeNull();
  });

  it('tor-01 learns exactly the four NSX /24s and the DNS VIP, each from both edges, best + multipath', () => {
    const learned = tw.bgp({ router: 'tor-01' }).routes.filter((r) => r.peer !== null);
    expect([...new Set(learned.map((r) => r.prefix))]).toEqual(NSX_ADVERTISED);
    expect(summary(learned)).toEqual(
      NSX_ADVERTISED.flatMap((prefix) => [
        { prefix, nextHop: '10.146.10.11', asPath: [65146], best: true, multipath: true },
        { prefix, nextHop: '10.146.10.12', asPath: [65146], best: false, multipath: true },
      ]),
    );
    for (const r of learned) expect(r.origin).toBe('incomplete'); // redistributed Tier-1 routes
    // Besides them only its own network.
    expect(prefixesOf(tw, 'tor-01')).toEqual([...NSX_ADVERTISED, '172.60.146.0/24']);
  });

  it('tor-01 installs them as ECMP over both edges', () => {
    for (const prefix of NSX_24S) {
      const r = tw.routes({ router: 'tor-01' }).routes.find((x) => x.prefix === prefix)!;
      expect(r).toMatchObject({ type: 'bgp', distance: 20, selected: true });
      expect(r.nextHops).toEqual([
        { ip: '10.146.10.11', interface: 'vlan10' },
        { ip: '10.146.10.12', interface: 'vlan10' },
      ]);
    }
    expect(t0Edges(tw, 'ubuntu02', 'tkgi-api')).toEqual([
      { disposition: 'DELIVERED', edges: ['edge-01'] },
      { disposition: 'DELIVERED', edges: ['edge-02'] },
    ]);
  });

  for (const [edge, self, other] of [
    ['edge-01', '10.146.10.11', '169.254.0.130'],
    ['edge-02', '10.146.10.12', '169.254.0.129'],
  ] as const) {
    it(`t0-lhr@${edge} learns 0.0.0.0/0 and 172.60.146.0/24 from tor-01; the inter-SR copy loses at "northbound over inter-SR (NSX)"`, () => {
      const view = tw.bgp({ router: 't0-lhr', edge });
      expect(view.routerId).toBe(self);
      expect(view.sessions.map((s) => [s.neighbor, s.peer, s.type])).toEqual([
        [other, `t0-lhr@${edge === 'edge-01' ? 'edge-02' : 'edge-01'}`, 'inter-sr'],
        ['10.146.10.1', 'tor-01', 'ebgp'],
      ]);
      for (const prefix of ['0.0.0.0/0', '172.60.146.0/24']) {
        const paths = pathsFor(tw, 't0-lhr', prefix, edge);
        expect(paths).toHaveLength(2);
        const north = paths.find((p) => p.peer === '10.146.10.1')!;
        const isr = paths.find((p) => p.peer === other)!;
        expect(north).toMatchObject({ best: true, nextHop: '10.146.10.1', asPath: [65100], localPref: null, reason: 'best: won at northbound over inter-SR (NSX)' });
        // Inter-SR is iBGP: next hop unchanged, local preference 100.
        expect(isr).toMatchObject({ best: false, multipath: false, nextHop: '10.146.10.1', asPath: [65100], localPref: 100, reason: 'lost to the path from 10.146.10.1 at northbound over inter-SR (NSX)' });
      }
      expect(tw.routes({ gateway: 't0-lhr', component: 'sr', node: edge }).routes.find((r) => r.prefix === '0.0.0.0/0')).toMatchObject({ type: 'bgp', distance: 20, selected: true, nextHops: [{ ip: '10.146.10.1', interface: `uplink-${edge}` }] });
    });
  }

  it('inter-SR carries only northbound paths: each SR holds its redistributed prefixes once, locally', () => {
    for (const edge of ['edge-01', 'edge-02']) {
      for (const prefix of NSX_24S) {
        const paths = pathsFor(tw, 't0-lhr', prefix, edge);
        expect(paths).toHaveLength(1);
        expect(paths[0]).toMatchObject({ peer: null, best: true, weight: 32768, origin: 'incomplete' });
        expect(paths[0].reason).toContain('redistribution rule "tier1-to-bgp" (TIER1_CONNECTED');
      }
    }
  });

  it('inter-SR paths never leave the Tier-0; what tor-01 sent comes back only to be dropped as an AS-path loop', () => {
    const all = tw.bgp({ router: 't0-lhr', edge: 'edge-01', neighbor: '10.146.10.1', direction: 'advertised' }).routes;
    // FRR advertises the ToR's own routes back to it (with the Tier-0's AS prepended) ...
    expect(all.filter((r) => !NSX_ADVERTISED.includes(r.prefix)).map((r) => [r.prefix, r.asPath])).toEqual([['0.0.0.0/0', [65146, 65100]], ['172.60.146.0/24', [65146, 65100]]]);
    // ... and the ToR drops them: its own AS is in the path.
    expect(tw.bgp({ router: 'tor-01', rejected: true }).rejected!.filter((r) => !r.prefix.startsWith('10.146.')).every((r) => r.reason.startsWith('AS-path loop'))).toBe(true);
    const adv = all.filter((r) => NSX_ADVERTISED.includes(r.prefix));
    expect(adv.map((r) => r.prefix)).toEqual(NSX_ADVERTISED);
    for (const r of adv) expect(r).toMatchObject({ nextHop: '10.146.10.11', asPath: [65146], localPref: null });
  });
});

describe('teaching scenario: prefix-list-forgot-any', () => {
  const tw = twinOfFile('bgp/prefix-list-forgot-any.yaml');

  it('the ToR learns no 10.20.x prefix', () => {
    expect(prefixesOf(tw, 'tor-a')).toEqual(['192.168.1.0/24']);
    expect(prefixesOf(tw, 'tor-a').filter((p) => p.startsWith('10.20.'))).toEqual([]);
  });

  it('--rejected on the ToR names the implicit deny (web) and the pod entry, from both edges', () => {
    const rej = tw.bgp({ router: 'tor-a', rejected: true }).rejected!.filter(notEcho);
    expect(rej.map((r) => [r.prefix, r.from, r.where])).toEqual([
      ['10.20.1.0/24', 't0@edge-01', 'out'],
      ['10.20.128.0/24', 't0@edge-01', 'out'],
      ['10.20.1.0/24', 't0@edge-02', 'out'],
      ['10.20.128.0/24', 't0@edge-02', 'out'],
    ]);
    for (const r of rej.filter((x) => x.prefix === '10.20.1.0/24')) expect(r.reason).toMatch(/pl-hide-pods.*implicit deny/);
    for (const r of rej.filter((x) => x.prefix === '10.20.128.0/24')) expect(r.reason).toContain('pl-hide-pods entry 1 (10.20.128.0/17 le 32) denies');
  });

  it('client → web-01 ends in NO_ROUTE at tor-a', () => {
    const t = tw.trace({ from: 'client', to: 'web-01' });
    expect(t.paths).toHaveLength(1);
    expect(t.paths[0].disposition).toBe('NO_ROUTE');
    expect(t.paths[0].hops.at(-1)).toMatchObject({ component: 'tor-a', observation: 'DROPPED' });
  });
});

describe('teaching scenario: prefix-list-fixed', () => {
  const tw = twinOfFile('bgp/prefix-list-fixed.yaml');

  it('the ToR learns 10.20.1.0/24 only (from both edges), not the pods', () => {
    expect(prefixesOf(tw, 'tor-a')).toEqual(['10.20.1.0/24', '192.168.1.0/24']);
    expect(summary(pathsFor(tw, 'tor-a', '10.20.1.0/24'))).toEqual([
      { prefix: '10.20.1.0/24', nextHop: '10.0.10.11', asPath: [65010], best: true, multipath: true },
      { prefix: '10.20.1.0/24', nextHop: '10.0.10.12', asPath: [65010], best: false, multipath: true },
    ]);
    const rej = tw.bgp({ router: 'tor-a', rejected: true }).rejected!.filter(notEcho);
    expect(rej.map((r) => r.prefix)).toEqual(['10.20.128.0/24', '10.20.128.0/24']);
  });

  it('web-01 → pod-01 is DELIVERED inside NSX; client → web-01 too', () => {
    expect(tw.trace({ from: 'web-01', to: 'pod-01' }).paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(tw.trace({ from: 'client', to: 'web-01' }).paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED']);
    expect(tw.trace({ from: 'client', to: 'pod-01' }).paths.map((p) => p.disposition)).toEqual(['NO_ROUTE']);
  });
});

describe('teaching scenario: missing-redistribution', () => {
  const tw = twinOfFile('bgp/missing-redistribution.yaml');

  it('the Tier-0 has the Tier-1 routes but does not originate them; the reason names TIER1_CONNECTED', () => {
    expect(tw.routes({ gateway: 't0', component: 'sr', node: 'edge-01' }).routes.filter((r) => r.type === 't1c').map((r) => r.prefix)).toEqual(['10.20.1.0/24', '10.20.128.0/24']);
    expect(prefixesOf(tw, 't0', 'edge-01')).toEqual(['0.0.0.0/0', '192.168.1.0/24']);
    const rej = tw.bgp({ router: 't0', rejected: true }).rejected!.filter((r) => r.prefix.startsWith('10.20.'));
    expect(rej.map((r) => [r.prefix, r.where])).toEqual([
      ['10.20.1.0/24', 'in'],
      ['10.20.128.0/24', 'in'],
    ]);
    for (const r of rej) expect(r.reason).toMatch(/^no redistribution rule includes TIER1_CONNECTED/);
  });

  it('the ToR learns nothing from NSX', () => {
    expect(prefixesOf(tw, 'tor-a')).toEqual(['192.168.1.0/24']);
  });
});

describe('teaching scenario: as-path-prepend', () => {
  const tw = twinOfFile('bgp/as-path-prepend.yaml');

  it('the ToR prefers edge-01 for every NSX prefix: best via 10.0.10.11 only, no multipath', () => {
    for (const prefix of ['10.20.1.0/24', '10.20.128.0/24']) {
      const paths = pathsFor(tw, 'tor-a', prefix);
      expect(summary(paths)).toEqual([
        { prefix, nextHop: '10.0.10.11', asPath: [65010], best: true, multipath: false },
        { prefix, nextHop: '10.0.10.12', asPath: [65010, 65010, 65010], best: false, multipath: false },
      ]);
      expect(paths[0].reason).toBe('best: won at AS-path length');
      expect(paths[1].reason).toBe('lost to the path from 10.0.10.11 at AS-path length');
      expect(tw.routes({ router: 'tor-a' }).routes.find((r) => r.prefix === prefix)!.nextHops).toEqual([{ ip: '10.0.10.11', interface: 'uplink' }]);
    }
  });

  it('client → web-01 enters NSX on edge-01 only', () => {
    expect(t0Edges(tw, 'client', 'web-01')).toEqual([{ disposition: 'DELIVERED', edges: ['edge-01'] }]);
  });
});

describe('teaching scenario: local-preference', () => {
  const tw = twinOfFile('bgp/local-preference.yaml');

  for (const edge of ['edge-01', 'edge-02']) {
    it(`t0@${edge}: best default route from tor-a with local preference 200`, () => {
      const paths = pathsFor(tw, 't0', '0.0.0.0/0', edge);
      const best = paths.find((p) => p.best)!;
      expect(best).toMatchObject({ peer: '10.0.10.1', nextHop: '10.0.10.1', asPath: [65001], localPref: 200 });
      const torB = paths.find((p) => p.peer === '10.0.10.2')!;
      expect(torB).toMatchObject({ best: false, multipath: false, localPref: null, asPath: [65002] });
      expect(torB.reason).toBe('lost to the path from 10.0.10.1 at local preference');
      expect(tw.routes({ gateway: 't0', component: 'sr', node: edge }).routes.find((r) => r.prefix === '0.0.0.0/0')!.nextHops).toEqual([{ ip: '10.0.10.1', interface: `uplink-${edge}` }]);
    });
  }
});

describe('NSX route map: a DENY entry on a prefix list, the rest permitted', () => {
  const tw = variantOfBase(`
tier0s:
  t0:
    prefixLists:
      pl-pods:
        - { network: 10.20.128.0/17, le: 32, action: PERMIT }
    routeMaps:
      rm-out:
        - { action: DENY, prefixLists: [pl-pods] }
        - { action: PERMIT }
    bgp:
      neighbors:
        - { name: tor-a, address: 10.0.10.1, remoteAs: 65001, out: { routeMap: rm-out } }
`);

  it('the ToR learns web but not the pods; the reason names route-map entry 1', () => {
    expect(prefixesOf(tw, 'tor-a')).toEqual(['10.20.1.0/24', '192.168.1.0/24']);
    expect(pathsFor(tw, 'tor-a', '10.20.1.0/24').map((p) => p.nextHop)).toEqual(['10.0.10.11', '10.0.10.12']);
    const rej = tw.bgp({ router: 'tor-a', rejected: true }).rejected!.filter(notEcho);
    expect(rej.map((r) => [r.prefix, r.from, r.where])).toEqual([
      ['10.20.128.0/24', 't0@edge-01', 'out'],
      ['10.20.128.0/24', 't0@edge-02', 'out'],
    ]);
    for (const r of rej) expect(r.reason).toMatch(/rm-out.*entry 1/);
  });

  it('the route-map entry action overrides the prefix-list entry action (NSX §4)', () => {
    // Same list, but its entry says DENY: a PERMIT route-map entry referencing it still permits the pods.
    const flipped = variantOfBase(`
tier0s:
  t0:
    prefixLists:
      pl-pods:
        - { network: 10.20.128.0/17, le: 32, action: DENY }
    routeMaps:
      rm-out:
        - { action: PERMIT, prefixLists: [pl-pods], set: { med: 77 } }
    bgp:
      neighbors:
        - { name: tor-a, address: 10.0.10.1, remoteAs: 65001, out: { routeMap: rm-out } }
`);
    expect(prefixesOf(flipped, 'tor-a')).toEqual(['10.20.128.0/24', '192.168.1.0/24']);
    expect(bestFor(flipped, 'tor-a', '10.20.128.0/24')!.med).toBe(77);
  });
});

describe('NSX redistribution rule with a route map that denies', () => {
  const tw = variantOfBase(`
tier0s:
  t0:
    prefixLists:
      pl-pods:
        - { network: 10.20.128.0/17, le: 32, action: PERMIT }
    routeMaps:
      rm-redist:
        - { action: DENY, prefixLists: [pl-pods] }
        - { action: PERMIT, set: { med: 20 } }
    redistribution:
      - { name: tier1-routes, types: [TIER1_CONNECTED, TIER1_STATIC], routeMap: rm-redist }
`);

  it('the denied prefix is not originated; the rejected list names the rule and its route map', () => {
    for (const edge of ['edge-01', 'edge-02']) {
      expect(prefixesOf(tw, 't0', edge)).toEqual(['0.0.0.0/0', '10.20.1.0/24', '192.168.1.0/24']);
      expect(bestFor(tw, 't0', '10.20.1.0/24', edge)).toMatchObject({ peer: null, med: 20, origin: 'incomplete' });
      const rej = tw.bgp({ router: 't0', edge, prefix: '10.20.128.0/24', rejected: true }).rejected!;
      expect(rej).toHaveLength(1);
      expect(rej[0]).toMatchObject({ from: `t0@${edge}`, where: 'in', nextHop: null });
      expect(rej[0].reason).toMatch(/^redistribution rule "tier1-routes": .*rm-redist.*entry 1/);
    }
  });

  it('the ToR learns the permitted prefix with the MED set at redistribution, not the denied one', () => {
    expect(prefixesOf(tw, 'tor-a')).toEqual(['10.20.1.0/24', '192.168.1.0/24']);
    expect(bestFor(tw, 'tor-a', '10.20.1.0/24')!.med).toBe(20);
  });
});

describe('NSX community list (MATCH_ANY) setting local preference', () => {
  // tor-a tags its client network with 65001:100; the Tier-0 raises local preference on anything
  // carrying 65001:100 or 65001:200, and accepts the rest unchanged.
  const tw = variantOfBase(`
tier0s:
  t0:
    communityLists:
      cl-from-tor: ["65001:100", "65001:200"]
    routeMaps:
      rm-in:
        - { action: PERMIT, communityLists: [{ communityList: cl-from-tor, operator: MATCH_ANY }], set: { localPreference: 250 } }
        - { action: PERMIT }
    bgp:
      neighbors:
        - { name: tor-a, address: 10.0.10.1, remoteAs: 65001, in: { routeMap: rm-in } }
physicalRouters:
  tor-a:
    prefixLists:
      pl-clients: [{ seq: 5, action: permit, prefix: 192.168.1.0/24 }]
    routeMaps:
      rm-tag:
        - { seq: 10, action: permit, match: { prefixList: pl-clients }, set: { community: "65001:100" } }
        - { seq: 20, action: permit }
    bgp:
      asn: 65001
      neighbors:
        - { address: 10.0.10.11, remoteAs: 65010, defaultOriginate: true, routeMapOut: rm-tag }
        - { address: 10.0.10.12, remoteAs: 65010, defaultOriginate: true, routeMapOut: rm-tag }
      networks: [192.168.1.0/24]
`);

  for (const edge of ['edge-01', 'edge-02']) {
    it(`t0@${edge}: the tagged prefix gets local preference 250, the untagged default keeps none`, () => {
      expect(bestFor(tw, 't0', '192.168.1.0/24', edge)).toMatchObject({ peer: '10.0.10.1', communities: ['65001:100'], localPref: 250 });
      expect(bestFor(tw, 't0', '0.0.0.0/0', edge)).toMatchObject({ peer: '10.0.10.1', communities: [], localPref: null });
    });
  }

  it('a route carrying only another community of the list matches too (any one is enough)', () => {
    const other = variantOfBase(`
tier0s:
  t0:
    communityLists:
      cl-from-tor: ["65001:100", "65001:200"]
    routeMaps:
      rm-in:
        - { action: PERMIT, communityLists: [{ communityList: cl-from-tor, operator: MATCH_ANY }], set: { localPreference: 250 } }
        - { action: PERMIT }
    bgp:
      neighbors:
        - { name: tor-a, address: 10.0.10.1, remoteAs: 65001, in: { routeMap: rm-in } }
physicalRouters:
  tor-a:
    routeMaps:
      rm-tag: [{ seq: 10, action: permit, set: { community: "65001:200 65001:999" } }]
    bgp:
      asn: 65001
      neighbors:
        - { address: 10.0.10.11, remoteAs: 65010, routeMapOut: rm-tag }
        - { address: 10.0.10.12, remoteAs: 65010, routeMapOut: rm-tag }
      networks: [192.168.1.0/24]
`);
    expect(bestFor(other, 't0', '192.168.1.0/24', 'edge-01')).toMatchObject({ communities: ['65001:200', '65001:999'], localPref: 250 });
  });
});

// NSX Tier-0 route aggregation follows FRR's bgp_aggregate_route() (the SR runs FRR): the
// aggregate takes the worst ORIGIN of its contributors. Here they are the redistributed Tier-1
// segments (origin incomplete), so 10.20.0.0/16 leaves with origin incomplete, not IGP.
describe('NSX Tier-0 aggregation of redistributed routes', () => {
  const tw = variantOfBase(`
tier0s:
  t0:
    bgp:
      aggregations: [{ prefix: 10.20.0.0/16 }]
`);

  it('the aggregate has origin incomplete on the SRs and at the ToR; the /24s are suppressed (summary-only by default)', () => {
    for (const edge of ['edge-01', 'edge-02']) {
      expect(bestFor(tw, 't0', '10.20.1.0/24', edge)).toMatchObject({ origin: 'incomplete', peer: null });
      expect(bestFor(tw, 't0', '10.20.0.0/16', edge)).toMatchObject({ origin: 'incomplete', asPath: [], peer: null });
    }
    const atTor = pathsFor(tw, 'tor-a', '10.20.0.0/16');
    expect(atTor.map((p) => [p.peer, p.asPath, p.origin])).toEqual([
      ['10.0.10.11', [65010], 'incomplete'],
      ['10.0.10.12', [65010], 'incomplete'],
    ]);
    expect(prefixesOf(tw, 'tor-a').filter((p) => p.startsWith('10.20.'))).toEqual(['10.20.0.0/16']);
  });
});
