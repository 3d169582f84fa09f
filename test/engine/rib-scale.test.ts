// The RIB data shape and its indexed next-hop resolution (src/engine/ribs/routes.ts): one shape for
// every route and next hop, next-hop lists shared by a Tier-1's prefixes on each Tier-0
// component, recursive resolution through the table's index (longest prefix, then distance,
// never the route itself, never the default route), and installRoutes linear in routes × next hops.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { contains, formatIp, parseIp, parsePrefix, type Prefix } from '../../src/topology/ip.js';
import { Twin } from '../../src/engine/twin.js';
import { installRoutes, resolveNextHops, type RibNextHop, type RibRoute } from '../../src/engine/ribs/routes.js';
import type { RibTable } from '../../src/engine/ribs/table.js';

const LAB = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier0s:
  t0:
    haMode: ACTIVE_ACTIVE
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
      - { edge: edge-02, segment: up, ip: 10.0.10.12/24 }
    staticRoutes:
      - { name: default, network: 0.0.0.0/0, nextHops: [10.0.10.1] }
      - { name: base, network: 10.50.0.0/16, nextHops: [10.0.10.1] }
      - { name: inside-itself, network: 10.50.1.0/24, nextHops: [10.50.1.7] }
      - { name: through-two, network: 10.60.0.0/16, nextHops: [10.50.1.9] }
      - { name: only-itself, network: 10.70.0.0/16, nextHops: [10.70.0.1] }
      - { name: near, network: 10.80.0.0/16, nextHops: [10.0.10.2] }
      - { name: far, network: 10.80.0.0/16, nextHops: [{ ip: 10.80.5.5, distance: 5 }] }
      - { name: discard, network: 10.90.0.0/16, nextHops: [{ blackhole: true }] }
tier1s:
  t1a: { tier0: t0, advertise: [TIER1_CONNECTED] }
  t1b: { tier0: t0, advertise: [TIER1_CONNECTED] }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  a1: { tier1: t1a, gateway: 10.1.1.1/24 }
  a2: { tier1: t1a, gateway: 10.1.2.1/24 }
  b1: { tier1: t1b, gateway: 10.2.1.1/24 }
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }
    staticRoutes:
      - { name: nsx, network: 10.0.0.0/8, nextHops: [10.0.10.11, 10.0.10.12] }
`;

const twin = () => new Twin(loadScenarioText(LAB).scenario);
const sr0 = (t: Twin) => t.network.gateways.get('t0')!.srs[0];
const find = (rib: RibTable, prefix: string, distance?: number) => {
  const p = parsePrefix(prefix)!;
  const r = rib.find((x) => x.prefix.addr === p.addr && x.prefix.len === p.len && (distance === undefined || x.distance === distance));
  expect(r, prefix).toBeDefined();
  return r!;
};
const via = (r: RibRoute) => r.nextHops.map((h) => ({ ip: h.ip === null ? null : formatIp(h.ip), via: h.via?.map((v) => formatIp(v.ip)) ?? null }));

describe('RIB data shape', () => {
  it('every route, inactive and blackhole ones included, has the same fields in the same order; so has every next hop', () => {
    const t = twin();
    const routeKeys = new Set(t.routing.routes.map((r) => Object.keys(r).join(',')));
    expect([...routeKeys]).toEqual(['id,component,prefix,nextHops,origin,bits']);
    const hopKeys = new Set(t.routing.routes.flatMap((r) => r.nextHops.map((h) => Object.keys(h).join(','))));
    expect([...hopKeys]).toEqual(['ip,interface,blackhole,via']);
    expect(t.routing.routes.some((r) => r.inactive)).toBe(true);
    expect(t.routing.routes.some((r) => r.nextHops.some((h) => h.blackhole))).toBe(true);
  });

  it("a Tier-1's advertised prefixes share one next-hop list per Tier-0 component; the DR and SRs share prefix and origin", () => {
    const t = twin();
    const gw = t.network.gateways.get('t0')!;
    const comps = [gw.dr, ...gw.srs];
    const a1 = comps.map((c) => find(t.routing.ribs[c], '10.1.1.0/24'));
    const a2 = comps.map((c) => find(t.routing.ribs[c], '10.1.2.0/24'));
    const b1 = comps.map((c) => find(t.routing.ribs[c], '10.2.1.0/24'));
    for (const [k] of comps.entries()) {
      expect(a1[k].type).toBe('t1c');
      expect(a2[k].nextHops).toBe(a1[k].nextHops);
      expect(b1[k].nextHops).not.toBe(a1[k].nextHops);
      expect(a1[k].prefix).toBe(a1[0].prefix);
      expect(a1[k].origin).toBe('Tier-1 t1a: segment a1');
    }
    // Each component its own interface on the router link, the same Tier-1 address.
    expect(new Set(a1.map((r) => r.nextHops[0].interface)).size).toBe(comps.length);
    expect(new Set(a1.map((r) => r.nextHops[0].ip)).size).toBe(1);
  });
});

describe('indexed next-hop resolution', () => {
  it('a next hop inside its own prefix resolves through the covering route, never through the route itself', () => {
    const rib = twin().routing.ribs[sr0(twin())];
    expect(via(find(rib, '10.50.1.0/24'))).toEqual([{ ip: '10.50.1.7', via: ['10.0.10.1'] }]);
    expect(find(rib, '10.50.1.0/24').inactive).toBeUndefined();
  });

  it('recursion follows the longest prefix, then that route resolves its own next hop the same way', () => {
    const rib = twin().routing.ribs[sr0(twin())];
    expect(via(find(rib, '10.60.0.0/16'))).toEqual([{ ip: '10.50.1.9', via: ['10.0.10.1'] }]);
  });

  it('a route whose next hop only it (or the default route) covers is inactive', () => {
    const r = find(twin().routing.ribs[sr0(twin())], '10.70.0.0/16');
    expect(r).toMatchObject({ selected: false, inactive: 'next hop 10.70.0.1 unreachable' });
  });

  it('the same prefix at another distance: the lowest distance other than the route itself is used', () => {
    const rib = twin().routing.ribs[sr0(twin())];
    expect(via(find(rib, '10.80.0.0/16', 5))).toEqual([{ ip: '10.80.5.5', via: ['10.0.10.2'] }]);
    expect(find(rib, '10.80.0.0/16', 5).selected).toBe(false);
    expect(find(rib, '10.80.0.0/16', 1)).toMatchObject({ selected: true, nextHops: [{ ip: parseIp('10.0.10.2'), via: undefined }] });
  });

  it('installRoutes is linear: 20,000 routes × 8 next hops on one router install in seconds, not minutes', () => {
    const t = twin();
    const tor = t.network.routerByName.get('tor')!;
    const vlan10 = t.network.components[tor].interfaces.find((i) => t.network.interfaces[i].name === 'vlan10')!;
    const hops = [11, 12, 13, 14, 15, 16, 17, 18].map((h) => ({ ip: parseIp(`10.0.10.${h}`)!, interface: vlan10, blackhole: false }));
    const extra = [];
    for (let i = 0; i < 20000; i++) {
      extra.push({ component: tor, prefix: { addr: (0x0b000000 + i * 256) >>> 0, len: 24 }, type: 'bgp' as const, distance: 20, nextHops: hops, origin: `BGP route ${i}` });
    }
    // Next hops that resolve only recursively, through the first BGP route (11.0.0.0/24).
    extra.push({ component: tor, prefix: { addr: parseIp('12.0.0.0')!, len: 8 }, type: 'bgp' as const, distance: 200, nextHops: [{ ip: parseIp('11.0.0.99')!, interface: null, blackhole: false }], origin: 'BGP recursive' });
    const started = performance.now();
    const routing = installRoutes(t.routing, extra);
    const elapsed = performance.now() - started;
    // The old scan of the whole RIB per next hop took minutes here.
    expect(elapsed).toBeLessThan(10000);
    const rib = routing.ribs[tor];
    const bgp = rib.filter((r) => r.type === 'bgp');
    expect(bgp).toHaveLength(20001);
    expect(bgp.every((r) => r.selected && !r.inactive)).toBe(true);
    expect(find(rib, '11.0.1.0/24').nextHops.map((h) => formatIp(h.ip!))).toEqual(hops.map((h) => formatIp(h.ip)));
    expect(via(find(rib, '12.0.0.0/8'))).toEqual([{ ip: '11.0.0.99', via: hops.map((h) => formatIp(h.ip)) }]);
    routing.routes.forEach((r, i) => expect(r.id).toBe(i));
  });
});

/** The resolution before the index (a scan of the whole table per look-up), as the reference. */
function naiveResolve(rib: RibRoute[], downlinks: { interface: number; prefix: Prefix }[]): void {
  const connectedOf = (ip: number) => {
    let best: RibRoute | undefined;
    for (const r of rib) if (r.type === 'connected' && r.nextHops[0]?.ip === null && contains(r.prefix, ip) && (!best || r.prefix.len > best.prefix.len)) best = r;
    return best;
  };
  const resolveOne = (ip: number, depth: number, self: RibRoute): { ip: number; interface: number }[] | null => {
    const c = connectedOf(ip);
    if (c) return [{ ip, interface: c.nextHops[0].interface! }];
    const d = downlinks.find((x) => contains(x.prefix, ip));
    if (d) return [{ ip, interface: d.interface }];
    if (depth >= 4) return null;
    let best: RibRoute | undefined;
    for (const r of rib) {
      if (r === self || r.prefix.len === 0 || r.type === 'connected' || !contains(r.prefix, ip)) continue;
      if (!best || r.prefix.len > best.prefix.len || (r.prefix.len === best.prefix.len && r.distance < best.distance)) best = r;
    }
    if (!best) return null;
    const out: { ip: number; interface: number }[] = [];
    for (const nh of best.nextHops) {
      if (nh.blackhole || nh.ip === null) return null;
      const v = resolveOne(nh.ip, depth + 1, best);
      if (v) out.push(...v);
    }
    return out.length ? out : null;
  };
  for (const r of rib) {
    if (r.type !== 'static') continue;
    const resolved: RibNextHop[] = [];
    const missing: number[] = [];
    for (const nh of r.nextHops) {
      if (nh.blackhole || nh.ip === null) {
        resolved.push(nh);
        continue;
      }
      const v = resolveOne(nh.ip, 0, r);
      if (!v) missing.push(nh.ip);
      else resolved.push({ ip: nh.ip, interface: v[0].interface, blackhole: false, via: v.length === 1 && v[0].ip === nh.ip ? undefined : v });
    }
    if (resolved.length) r.nextHops = resolved;
    else r.inactive = `next hop ${missing.map(formatIp).join(', ')} unreachable`;
  }
}

describe('indexed next-hop resolution against a scan of the whole table', () => {
  it('random tables (nested prefixes, same prefix at several distances, chains, loops, blackholes) resolve identically', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    // Addresses from a small space (10.0.0.0/20) so prefixes nest and next hops hit them.
    const addr = () => (0x0a000000 + rand(4096)) >>> 0;
    const prefixAround = (ip: number): Prefix => {
      const len = [0, 20, 22, 24, 26, 28, 30, 32][rand(8)];
      return { addr: len === 0 ? 0 : (ip & (0xffffffff << (32 - len))) >>> 0, len };
    };
    let recursive = 0;
    let inactive = 0;
    for (let round = 0; round < 200; round++) {
      const make = (): RibRoute[] => {
        const rib: RibRoute[] = [];
        const route = (prefix: Prefix, type: RibRoute['type'], distance: number, nextHops: RibNextHop[]) => rib.push({ id: -1, component: 0, prefix, type, distance, nextHops, selected: false, origin: `r${rib.length}`, inactive: undefined });
        for (let i = 0; i < 1 + rand(4); i++) route(prefixAround(addr()), 'connected', 0, [{ ip: null, interface: i, blackhole: false, via: undefined }]);
        route({ addr: 0x0a000000, len: 24 }, 'connected', 0, [{ ip: 0x0a000001, interface: 50, blackhole: false, via: undefined }]); // an SR's "via DR" route: not connected for resolution
        for (let i = 0; i < 5 + rand(40); i++) {
          const hops: RibNextHop[] = [];
          for (let h = 0; h < 1 + rand(3); h++) hops.push(rand(10) === 0 ? { ip: null, interface: null, blackhole: true, via: undefined } : { ip: addr(), interface: null, blackhole: false, via: undefined });
          route(prefixAround(addr()), rand(5) === 0 ? 'auto' : 'static', [1, 1, 5, 10][rand(4)], hops);
        }
        return rib;
      };
      const saved = seed;
      const a = make();
      seed = saved;
      const b = make();
      const downlinks = rand(2) ? [{ interface: 99, prefix: prefixAround(addr()) }] : [];
      resolveNextHops(a, downlinks);
      naiveResolve(b, downlinks);
      const view = (rib: RibRoute[]) => rib.map((r) => ({ n: r.nextHops.map((h) => [h.ip, h.interface, h.blackhole, h.via ?? null]), i: r.inactive ?? null }));
      expect(view(a), `round ${round}`).toEqual(view(b));
      recursive += a.filter((r) => r.nextHops.some((h) => h.via)).length;
      inactive += a.filter((r) => r.inactive).length;
    }
    // The cases the index has to get right do occur.
    expect(recursive).toBeGreaterThan(100);
    expect(inactive).toBeGreaterThan(100);
  });
});
