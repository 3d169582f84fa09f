// Proxy ARP of Tier-0 SRs for NAT addresses inside their uplink subnet (src/engine/fib/proxy-arp.ts
// and its use in the walk): the Tier-0's own DNAT / SNAT / REFLEXIVE addresses, a Tier-1's
// advertised NAT addresses, only the active SR answering, an SR never answering itself.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { applyOverrides } from '../../src/topology/overrides.js';
import { buildTwin } from '../../src/engine/twin.js';
import fc from 'fast-check';
import { compileProxyArp, overlapping, proxyArpEntry, withDomainCount } from '../../src/engine/fib/proxy-arp.js';
import { produce } from 'immer';
import { Twin } from '../../src/engine/twin.js';
import { RibTable, Route } from '../../src/engine/ribs/route.js';
import { comparePrefix, parseIp } from '../../src/topology/ip.js';

const loaded = loadScenarioFile('scenarios/edge-cases/proxy-arp.yaml');
const twin = buildTwin(loaded.scenario);
const variant = (o: { set?: string[]; fail?: string[] }) => buildTwin(applyOverrides(loaded, o).scenario);
type Paths = ReturnType<typeof twin.trace>['paths'];
const proxyHops = (paths: Paths) => paths.map((p) => p.hops.filter((h) => h.detail.includes('proxy ARP')).map((h) => `${h.node} ${h.component}: ${h.detail}`));
const line = (paths: Paths) => paths.map((p) => `${p.disposition} ${p.hops.map((h) => `${h.component}@${h.node}`).join(' > ')}`);

describe('proxy ARP for the Tier-0 NAT addresses in its uplink subnet', () => {
  it('a host on the uplink VLAN reaches a DNAT address through the active SR', () => {
    const r = twin.trace({ from: 'jumphost', to: '10.0.10.100' });
    expect(line(r.paths)).toEqual([
      'DELIVERED jumphost@jumphost > uplink-vlan@jumphost > t0-edge@edge-01 > t0-edge@edge-01 > t1-web@edge-01 > seg-web@edge-01 > GENEVE@edge-01 > GENEVE@esx-01 > web-01@esx-01',
    ]);
    expect(proxyHops(r.paths)).toEqual([['jumphost uplink-vlan: switched to t0-edge (T0_SR); proxy ARP for NAT address 10.0.10.100 by t0-edge on edge-01 (NAT rule "dnat-web")']]);
    expect(r.paths[0].hops[2]).toMatchObject({ componentType: 'NAT', detail: 'DNAT destination 10.0.10.100 → 10.1.1.10 (rule "dnat-web")' });
  });

  it('the ToR reaches a DNAT address in its connected VLAN (no route needed)', () => {
    const r = twin.trace({ from: 'client', to: '10.0.10.100', proto: 'tcp', dport: 443 });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(r.paths[0].hops.map((h) => h.componentType).slice(0, 5)).toEqual(['PHYSICAL_HOST', 'PHYSICAL_ROUTER', 'SEGMENT', 'NAT', 'T0_SR']);
  });

  it('the reply to an SNAT address in the uplink subnet reaches the SR and is translated back', () => {
    const r = twin.trace({ from: 'web-01', to: 'client', proto: 'tcp', dport: 443 }, { withReturn: true });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    const ret = r.return![0];
    expect(ret.flow.dst).toBe('10.0.10.101');
    expect(ret.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(proxyHops(ret.paths)).toEqual([['tor-01 uplink-vlan: switched to t0-edge (T0_SR); proxy ARP for NAT address 10.0.10.101 by t0-edge on edge-01 (NAT rule "snat-web")']]);
    expect(ret.paths[0].hops.filter((h) => h.componentType === 'NAT').map((h) => h.detail)).toEqual(['reverse SNAT destination 10.0.10.101 → 10.1.1.10 (rule "snat-web")']);
  });

  it('an address nobody translates still fails ARP', () => {
    expect(line(twin.trace({ from: 'client', to: '10.0.10.104' }).paths)).toEqual(['ARP_FAILED client@client > tor-01@tor-01']);
  });

  it('addresses an interface or host owns answer normally', () => {
    const v = variant({ set: ['tier0s.t0-edge.nat[0].destination=10.0.10.50'] });
    const r = v.trace({ from: 'client', to: '10.0.10.50' });
    expect(line(r.paths)).toEqual(['DELIVERED client@client > tor-01@tor-01 > uplink-vlan@tor-01 > jumphost@jumphost']);
  });

  it('the SR does not answer its own ARP: an untranslated packet to the address fails ARP there', () => {
    const v = variant({ set: ['tier0s.t0-edge.nat[0].service=tcp/443'] });
    const r = v.trace({ from: 'client', to: '10.0.10.100', proto: 'tcp', dport: 80 });
    expect(r.paths.map((p) => p.disposition)).toEqual(['ARP_FAILED']);
    const last = r.paths[0].hops[r.paths[0].hops.length - 1];
    expect(last).toMatchObject({ component: 't0-edge', componentType: 'T0_SR', node: 'edge-01', observation: 'DROPPED', detail: 'ARP for 10.0.10.100 on segment uplink-vlan: no owner' });
  });
});

describe('proxy ARP for a Tier-1 SR NAT address in the Tier-0 uplink subnet', () => {
  it('the Tier-0 SR answers for the Tier-1 DNAT address it has a t1n route to; the Tier-1 SR translates', () => {
    const r = twin.trace({ from: 'client', to: '10.0.10.103' });
    expect(line(r.paths)).toEqual([
      'DELIVERED client@client > tor-01@tor-01 > uplink-vlan@tor-01 > t0-edge@edge-01 > t1-app@edge-01 > t1-app@edge-01 > t1-app@edge-01 > seg-app@edge-01 > GENEVE@edge-01 > GENEVE@esx-02 > app-01@esx-02',
    ]);
    expect(proxyHops(r.paths)).toEqual([['tor-01 uplink-vlan: switched to t0-edge (T0_SR); proxy ARP for NAT address 10.0.10.103 by t0-edge on edge-01 (Tier-1 t1-app: NAT rule "dnat-app")']]);
  });

  it('the reply to the Tier-1 SNAT address goes ToR → Tier-0 SR → Tier-1 SR (reverse SNAT)', () => {
    const r = twin.trace({ from: 'app-01', to: 'client', proto: 'udp', dport: 53 }, { withReturn: true });
    const ret = r.return![0];
    expect(ret.flow.dst).toBe('10.0.10.102');
    expect(ret.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(ret.paths[0].hops.filter((h) => h.componentType === 'NAT').map((h) => `${h.node} ${h.component}: ${h.detail}`)).toEqual([
      'edge-01 t1-app: reverse SNAT destination 10.0.10.102 → 10.1.2.10 (rule "snat-app")',
    ]);
  });

  it('without TIER1_NAT advertisement the Tier-0 has no route to the address and does not answer', () => {
    const v = variant({ set: ['tier1s.t1-app.advertise=[TIER1_CONNECTED]'] });
    expect(v.trace({ from: 'client', to: '10.0.10.103' }).paths.map((p) => p.disposition)).toEqual(['ARP_FAILED']);
  });
});

describe('which SR answers', () => {
  it('the standby SR does not answer; when the active edge fails the new active SR does', () => {
    const t = compileProxyArp(twin.network, twin.routing, twin.realized.scenario);
    const uplink = t.entries[0].domain;
    const answerers = new Set(t.entries.map((e) => `${twin.network.components[e.component].name}@${twin.network.nodes[twin.network.components[e.component].node].name}`));
    expect([...answerers]).toEqual(['t0-edge@edge-01']);
    expect(proxyArpEntry(t, uplink, parseIp('10.0.10.100')!, -1)).toBeGreaterThanOrEqual(0);

    const failed = variant({ fail: ['edge-01'] });
    const r = failed.trace({ from: 'jumphost', to: '10.0.10.100' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(proxyHops(r.paths)).toEqual([['jumphost uplink-vlan: switched to t0-edge (T0_SR); proxy ARP for NAT address 10.0.10.100 by t0-edge on edge-02 (NAT rule "dnat-web")']]);
    const ret = failed.trace({ from: 'app-01', to: 'client' }, { withReturn: true }).return![0];
    expect(ret.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(proxyHops(ret.paths)[0][0]).toContain('by t0-edge on edge-02');
  });

  it('no SR left: ARP fails again', () => {
    expect(variant({ fail: ['edge-01', 'edge-02'] }).trace({ from: 'jumphost', to: '10.0.10.100' }).paths.map((p) => p.disposition)).toEqual(['ARP_FAILED']);
  });

  it('ACTIVE_ACTIVE with a REFLEXIVE range: the first active SR answers for every address of the range inside the subnet', () => {
    const v = variant({
      set: [
        'tier0s.t0-edge.haMode=ACTIVE_ACTIVE',
        'tier0s.t0-edge.nat=[{name: reflexive-web, action: REFLEXIVE, source: 10.1.1.0/28, translated: 10.0.10.144/28}]',
      ],
    });
    const r = v.trace({ from: 'client', to: '10.0.10.154' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(proxyHops(r.paths)).toEqual([['tor-01 uplink-vlan: switched to t0-edge (T0_SR); proxy ARP for NAT address 10.0.10.154 by t0-edge on edge-01 (NAT rule "reflexive-web")']]);
    expect(r.paths[0].hops.find((h) => h.componentType === 'NAT')?.detail).toBe('REFLEXIVE destination 10.0.10.154 → 10.1.1.10 (rule "reflexive-web")');
    // Outside the range: nobody answers.
    expect(v.trace({ from: 'client', to: '10.0.10.160' }).paths.map((p) => p.disposition)).toEqual(['ARP_FAILED']);
    // With edge-01 failed, edge-02 answers.
    const failed = buildTwin(applyOverrides(loaded, { set: ['tier0s.t0-edge.haMode=ACTIVE_ACTIVE', 'tier0s.t0-edge.nat=[{name: reflexive-web, action: REFLEXIVE, source: 10.1.1.0/28, translated: 10.0.10.144/28}]'], fail: ['edge-01'] }).scenario);
    expect(proxyHops(failed.trace({ from: 'client', to: '10.0.10.154' }).paths)[0][0]).toContain('by t0-edge on edge-02');
  });
});

describe('proxy ARP for an NSX ALB VIP in the Tier-0 uplink subnet', () => {
  const lbLoaded = loadScenarioFile('scenarios/edge-cases/proxy-arp-lb-vip.yaml');
  it('the Tier-0 SR answers for the VIP it has a t1l route to; the SE serves it', () => {
    const r = buildTwin(lbLoaded.scenario).trace({ from: 'client', to: '10.0.10.120', proto: 'tcp', dport: 80 }, { withReturn: true });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(proxyHops(r.paths)).toEqual([['tor-01 uplink-vlan: switched to t0-edge (T0_SR); proxy ARP for LB VIP 10.0.10.120 by t0-edge on edge-01 (Tier-1 t1-app: Avi virtual service "app-vs" (VIP route))']]);
    expect(r.paths[0].loadBalancer?.members.map((m) => m.paths.map((p) => p.disposition))).toEqual([['DELIVERED']]);
    expect(r.return!.flatMap((x) => x.paths.map((p) => p.disposition))).toEqual(['DELIVERED']);
  });

  it('a VIP route classified as a static route (t1s) gets no proxy ARP', () => {
    const v = buildTwin(applyOverrides(lbLoaded, { set: ['avi.cloud.vipRouteType=STATIC', 'tier1s.t1-app.advertise=[TIER1_CONNECTED, TIER1_STATIC_ROUTES]'] }).scenario);
    expect(v.trace({ from: 'client', to: '10.0.10.120', proto: 'tcp', dport: 80 }).paths.map((p) => p.disposition)).toEqual(['ARP_FAILED']);
  });
});

describe('overlapping: the routes of a sorted table overlapping a subnet, by binary search', () => {
  const overlapsSubnet = (p: { addr: number; len: number }, s: { addr: number; len: number }) => {
    const aLo = p.addr >>> 0;
    const aHi = aLo + 2 ** (32 - p.len) - 1;
    const bLo = s.addr >>> 0;
    const bHi = bLo + 2 ** (32 - s.len) - 1;
    return Math.max(aLo, bLo) <= Math.min(aHi, bHi);
  };
  const prefix = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom(0, 0xc0a80000, 0xc0a80100)).map(([a, len, near]) => {
    // Half of them near two /24s so that tables hold covering, equal and inner prefixes.
    const addr = near && len >= 16 ? (near | (a & 0xffff)) >>> 0 : a;
    return { addr: len === 0 ? 0 : (addr & (0xffffffff << (32 - len))) >>> 0, len };
  });
  it('gives the indexes a scan of the whole table gives, in table order', () => {
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 60 }), prefix, (prefixes, subnet) => {
        const rib = prefixes.map((p, k) => new Route(0, p, 'static', 1 + (k % 3), [], `r${k}`)).sort((x, y) => comparePrefix(x.prefix, y.prefix) || x.distance - y.distance);
        const scan = rib.flatMap((r, k) => (overlapsSubnet(r.prefix, subnet) ? [k] : []));
        expect(overlapping(RibTable.of(rib), subnet)).toEqual(scan);
      }),
      { numRuns: 400 },
    );
  });
});

describe('proxy ARP over a reshaped model (segments added or removed at the end)', () => {
  it('the previous entries kept, the per-domain index extended or cut; the same answers as a table compiled anew', () => {
    const t = new Twin(loaded.scenario);
    const t1 = Object.keys(loaded.scenario.tier1s!)[0];
    const grown = produce(loaded.scenario, (d) => {
      d.segments!['added-a'] = { tier1: t1, gateway: '198.18.70.1/24' } as never;
      d.segments!['added-b'] = { tier1: t1, gateway: '198.18.71.1/24' } as never;
    });
    const u = t.update(grown);
    expect(u.report.stages.find((x) => x.stage === 'model')!.how).toBe('updated');
    expect(u.compiled.proxyArp.entries).toBe(t.compiled.proxyArp.entries);
    expect(u.compiled.proxyArp.first.length).toBe(u.network.domains.length + 1);
    const fresh = compileProxyArp(u.network, u.routing, u.realized.scenario);
    expect([...u.compiled.proxyArp.first]).toEqual([...fresh.first]);
    expect(u.compiled.proxyArp.entries).toEqual(fresh.entries);
    // Back (the segments removed): cut to the domains left.
    const back = u.update(loaded.scenario);
    expect([...back.compiled.proxyArp.first]).toEqual([...t.compiled.proxyArp.first]);
    expect(back.compiled.proxyArp.entries).toBe(t.compiled.proxyArp.entries);
    // An index cut below a domain that has entries: none (compiled anew).
    const last = t.compiled.proxyArp.entries.at(-1)!.domain;
    expect(withDomainCount(t.compiled.proxyArp, last)).toBeNull();
    expect(withDomainCount(t.compiled.proxyArp, last + 1)!.first.length).toBe(last + 2);
  });
});
