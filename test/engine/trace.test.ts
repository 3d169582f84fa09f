// Traces through Twin.trace (src/engine/walk/packet-walk.ts walker + src/engine/queries/trace-report.ts), checked
// against modelling-decisions.md: DRs run on the node where the packet is, nodes change only
// through Geneve tunnels (sequence number +1), a Tier-1 with an SR is crossed through its active
// SR, ECMP gives every path in a deterministic order, and each path ends in one disposition.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { QueryError } from '../../src/topology/errors.js';
import { Twin } from '../../src/engine/twin.js';
import type { Hop, TracePath, TraceRequest } from '../../src/engine/queries/trace-report.js';

const LAB = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  esx-02: { type: host, tep: 10.0.20.12 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier0s:
  t0:
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
      - { edge: edge-02, segment: up, ip: 10.0.10.12/24 }
    staticRoutes:
      - { name: default, network: 0.0.0.0/0, nextHops: [10.0.10.1] }
      - { name: null-66, network: 10.66.0.0/16, nextHops: [{ blackhole: true }] }
      - { name: arp-77, network: 10.77.0.0/16, nextHops: [10.0.10.99] }
tier1s:
  t1d: { tier0: t0, advertise: [TIER1_CONNECTED] }
  t1c: { tier0: t0, edgeCluster: ec, advertise: [TIER1_CONNECTED] }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  s1: { tier1: t1d, gateway: 10.1.1.1/24 }
  s2: { tier1: t1c, gateway: 10.1.2.1/24 }
  iso: { subnet: 10.3.0.0/24 }
workloads:
  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }
  vm2: { host: esx-01, segment: s1, ip: 10.1.1.11 }
  vm3: { host: esx-02, segment: s1, ip: 10.1.1.12 }
  app: { host: esx-02, segment: s2, ip: 10.1.2.10 }
  lonely: { host: esx-01, segment: iso, ip: 10.3.0.10 }
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }
      - { name: wan, ip: 192.0.2.1/30, external: true }
    staticRoutes:
      - { name: nsx, network: 10.1.0.0/16, nextHops: [10.0.10.11, 10.0.10.12] }
      - { name: loop-88, network: 10.88.0.0/16, nextHops: [10.0.10.11] }
      - { name: to-client, network: 10.44.0.0/16, nextHops: [172.16.0.10] }
      - { name: dead-lan, network: 10.55.0.0/16, nextHops: [172.16.0.99] }
      - { name: internet, network: 0.0.0.0/0, nextHops: [192.0.2.2] }
physicalHosts:
  client: { ip: 172.16.0.10/24, gateway: 172.16.0.1 }
  nogw: { ip: 172.16.0.20/24 }
`;

const twin = (text = LAB) => new Twin(loadScenarioText(text).scenario);
const t = twin();

/** A compact view of a path: "seq node component type OBSERVATION". */
const view = (p: TracePath) => p.hops.map((h) => `${h.seq} ${h.node} ${h.component} ${h.componentType} ${h.observation}`);
const last = (p: TracePath): Hop => p.hops[p.hops.length - 1];
const trace = (req: TraceRequest, tw = t) => tw.trace(req);

describe('DELIVERED on one segment', () => {
  it('same host: segment then the workload, no tunnel, sequence 0', () => {
    const r = trace({ from: 'vm1', to: 'vm2' });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0].disposition).toBe('DELIVERED');
    expect(view(r.paths[0])).toEqual(['0 esx-01 vm1 WORKLOAD INJECTED', '0 esx-01 s1 SEGMENT FORWARDED', '0 esx-01 vm2 WORKLOAD DELIVERED']);
    expect(r.paths[0].hops[0].detail).toBe('10.1.1.10 → 10.1.1.11');
    expect(last(r.paths[0]).detail).toBe('delivered to vm2 (10.1.1.11)');
  });

  it('different hosts: a Geneve tunnel, FORWARDED then RECEIVED with the sequence number +1', () => {
    const r = trace({ from: 'vm1', to: 'vm3' });
    expect(r.paths).toHaveLength(1);
    expect(view(r.paths[0])).toEqual([
      '0 esx-01 vm1 WORKLOAD INJECTED',
      '0 esx-01 s1 SEGMENT FORWARDED',
      '0 esx-01 GENEVE TUNNEL FORWARDED',
      '1 esx-02 GENEVE TUNNEL RECEIVED',
      '1 esx-02 vm3 WORKLOAD DELIVERED',
    ]);
    expect(r.paths[0].hops[2].detail).toBe('encapsulated TEP 10.0.20.11 → TEP 10.0.20.12 (esx-02)');
    expect(r.paths[0].hops[3].detail).toBe('decapsulated from TEP 10.0.20.11 (esx-01)');
  });

  it('the flow names both ends; an address resolves to the endpoint that owns it', () => {
    const r = trace({ from: '10.1.1.10', to: '10.1.1.12' });
    expect(r.flow).toEqual({ from: 'vm1', to: 'vm3', src: '10.1.1.10', dst: '10.1.1.12', proto: 'icmp', sport: null, dport: null });
    expect(r.paths[0].disposition).toBe('DELIVERED');
    expect(trace({ from: 'vm1', to: '10.200.0.1' }).flow.to).toBeNull();
  });

  it('to itself: one DELIVERED hop', () => {
    const r = trace({ from: 'vm1', to: 'vm1' });
    expect(r.paths).toEqual([{ disposition: 'DELIVERED', hops: [expect.objectContaining({ observation: 'DELIVERED', component: 'vm1', detail: '10.1.1.10 → 10.1.1.10: the destination is the source itself' })] }]);
  });
});

describe('routed paths', () => {
  it('DR-only Tier-1 north-south: both DRs on the source host, a tunnel to each A/A Tier-0 SR, in ECMP order', () => {
    const r = trace({ from: 'vm1', to: 'client' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED']);
    expect(view(r.paths[0])).toEqual([
      '0 esx-01 vm1 WORKLOAD INJECTED',
      '0 esx-01 s1 SEGMENT FORWARDED',
      '0 esx-01 t1d T1_DR FORWARDED',
      '0 esx-01 t0 T0_DR FORWARDED',
      '0 esx-01 GENEVE TUNNEL FORWARDED',
      '1 edge-01 GENEVE TUNNEL RECEIVED',
      '1 edge-01 t0 T0_SR FORWARDED',
      '1 edge-01 up SEGMENT FORWARDED',
      expect.stringMatching(/^\d+ tor tor PHYSICAL_ROUTER FORWARDED$/),
      expect.stringMatching(/^\d+ client client PHYSICAL_HOST DELIVERED$/),
    ]);
    expect(view(r.paths[1]).slice(4, 7)).toEqual(['0 esx-01 GENEVE TUNNEL FORWARDED', '1 edge-02 GENEVE TUNNEL RECEIVED', '1 edge-02 t0 T0_SR FORWARDED']);
    // Every routing hop names its route.
    const [, , t1dr, t0dr, , , t0sr] = r.paths[0].hops;
    expect(t1dr.route).toEqual({ prefix: '0.0.0.0/0', type: 'auto', nextHop: '100.64.0.0', interface: 'router-link-t0' });
    expect(t1dr.detail).toBe('out router-link-t0');
    expect(t0dr.route).toEqual({ prefix: '0.0.0.0/0', type: 'auto', nextHop: '169.254.0.2', interface: 'backplane' });
    expect(r.paths[1].hops[3].route!.nextHop).toBe('169.254.0.3');
    expect(t0sr.route).toEqual({ prefix: '0.0.0.0/0', type: 'static', nextHop: '10.0.10.1', interface: 'uplink-1' });
    expect(r.paths[0].hops[8].route).toEqual({ prefix: '172.16.0.0/24', type: 'connected', nextHop: null, interface: 'lan' });
  });

  it('the DRs run on whichever host the packet starts on', () => {
    const r = trace({ from: 'vm3', to: 'client' });
    expect(view(r.paths[0]).slice(0, 4)).toEqual(['0 esx-02 vm3 WORKLOAD INJECTED', '0 esx-02 s1 SEGMENT FORWARDED', '0 esx-02 t1d T1_DR FORWARDED', '0 esx-02 t0 T0_DR FORWARDED']);
  });

  it('centralized Tier-1 north-south: through its active SR (edge-01), never the standby', () => {
    const r = trace({ from: 'app', to: 'client' });
    expect(r.paths).toHaveLength(2);
    for (const p of r.paths) {
      expect(p.disposition).toBe('DELIVERED');
      expect(view(p).slice(0, 7)).toEqual([
        '0 esx-02 app WORKLOAD INJECTED',
        '0 esx-02 s2 SEGMENT FORWARDED',
        '0 esx-02 t1c T1_DR FORWARDED',
        '0 esx-02 GENEVE TUNNEL FORWARDED',
        '1 edge-01 GENEVE TUNNEL RECEIVED',
        '1 edge-01 t1c T1_SR FORWARDED',
        '1 edge-01 t0 T0_DR FORWARDED',
      ]);
      expect(p.hops[2].route).toMatchObject({ prefix: '0.0.0.0/0', nextHop: '169.254.0.2', interface: 'transit' });
      expect(p.hops[5].route).toMatchObject({ prefix: '0.0.0.0/0', nextHop: '100.64.0.2', interface: 'router-link-t0' });
      expect(p.hops.filter((h) => h.componentType === 'T1_SR').map((h) => h.node)).toEqual(['edge-01']);
    }
    // The Tier-0 DR on edge-01 uses the local SR, or tunnels to the one on edge-02.
    expect(view(r.paths[0])[7]).toBe('1 edge-01 t0 T0_SR FORWARDED');
    expect(view(r.paths[1]).slice(7, 10)).toEqual(['1 edge-01 GENEVE TUNNEL FORWARDED', '2 edge-02 GENEVE TUNNEL RECEIVED', '2 edge-02 t0 T0_SR FORWARDED']);
  });

  it('centralized Tier-1 south-north: into the Tier-1 through its active SR, then the DR and a tunnel to the host', () => {
    const r = trace({ from: 'client', to: 'app' });
    expect(r.paths).toHaveLength(2);
    for (const p of r.paths) {
      expect(p.disposition).toBe('DELIVERED');
      const comps = p.hops.filter((h) => h.componentType !== 'TUNNEL' && h.componentType !== 'SEGMENT').map((h) => `${h.component}@${h.node}`);
      expect(comps.slice(-4)).toEqual(['t0@' + p.hops.find((h) => h.componentType === 'T0_SR')!.node, 't1c@edge-01', 't1c@edge-01', 'app@esx-02']);
      expect(p.hops.filter((h) => h.componentType === 'T1_SR').map((h) => h.node)).toEqual(['edge-01']);
      expect(last(p)).toMatchObject({ node: 'esx-02', observation: 'DELIVERED' });
      const tin = p.hops[p.hops.length - 2];
      expect(tin).toMatchObject({ component: 'GENEVE', observation: 'RECEIVED', node: 'esx-02' });
      expect(tin.seq).toBe(p.hops[p.hops.length - 3].seq + 1);
    }
    expect(r.paths.map((p) => p.hops.find((h) => h.componentType === 'T0_SR')!.node)).toEqual(['edge-01', 'edge-02']);
  });

  it('east-west between two DR-only Tier-1s: every DR on the source host, one tunnel to the destination host', () => {
    const text = LAB.replace('  t1c: { tier0: t0,', '  t1e: { tier0: t0, advertise: [TIER1_CONNECTED] }\n  t1c: { tier0: t0,')
      .replace('  iso: { subnet: 10.3.0.0/24 }', '  iso: { subnet: 10.3.0.0/24 }\n  s5: { tier1: t1e, gateway: 10.1.5.1/24 }')
      .replace('  lonely:', '  vm5: { host: esx-02, segment: s5, ip: 10.1.5.10 }\n  lonely:');
    const r = twin(text).trace({ from: 'vm1', to: 'vm5' });
    expect(r.paths).toHaveLength(1);
    expect(view(r.paths[0])).toEqual([
      '0 esx-01 vm1 WORKLOAD INJECTED',
      '0 esx-01 s1 SEGMENT FORWARDED',
      '0 esx-01 t1d T1_DR FORWARDED',
      '0 esx-01 t0 T0_DR FORWARDED',
      '0 esx-01 t1e T1_DR FORWARDED',
      '0 esx-01 s5 SEGMENT FORWARDED',
      '0 esx-01 GENEVE TUNNEL FORWARDED',
      '1 esx-02 GENEVE TUNNEL RECEIVED',
      '1 esx-02 vm5 WORKLOAD DELIVERED',
    ]);
    // t1e is declared second: the second router link, 100.64.0.2/31.
    expect(r.paths[0].hops[3].route).toEqual({ prefix: '10.1.5.0/24', type: 't1c', nextHop: '100.64.0.3', interface: 'router-link-t1e' });
  });

  it('east-west into and out of a centralized Tier-1 goes through its active SR both ways', () => {
    const into = trace({ from: 'vm1', to: 'app' });
    expect(into.paths).toHaveLength(1);
    expect(view(into.paths[0]).slice(2, 8)).toEqual([
      '0 esx-01 t1d T1_DR FORWARDED',
      '0 esx-01 t0 T0_DR FORWARDED',
      '0 esx-01 GENEVE TUNNEL FORWARDED',
      '1 edge-01 GENEVE TUNNEL RECEIVED',
      '1 edge-01 t1c T1_SR FORWARDED',
      '1 edge-01 t1c T1_DR FORWARDED',
    ]);
    const out = trace({ from: 'app', to: 'vm1' });
    expect(out.paths).toHaveLength(1);
    expect(view(out.paths[0]).slice(2, 8)).toEqual([
      '0 esx-02 t1c T1_DR FORWARDED',
      '0 esx-02 GENEVE TUNNEL FORWARDED',
      '1 edge-01 GENEVE TUNNEL RECEIVED',
      '1 edge-01 t1c T1_SR FORWARDED',
      '1 edge-01 t0 T0_DR FORWARDED',
      '1 edge-01 t1d T1_DR FORWARDED',
    ]);
    expect(last(out.paths[0])).toMatchObject({ node: 'esx-01', component: 'vm1', observation: 'DELIVERED' });
  });

  it('ACTIVE_STANDBY Tier-0: only the active SR forwards; the standby uplink does not answer ARP', () => {
    const as = twin(LAB.replace('    edgeCluster: ec\n    uplinks', '    haMode: ACTIVE_STANDBY\n    edgeCluster: ec\n    uplinks'));
    const out = as.trace({ from: 'vm1', to: 'client' });
    expect(out.paths).toHaveLength(1);
    expect(out.paths[0].disposition).toBe('DELIVERED');
    expect(out.paths[0].hops.filter((h) => h.componentType === 'T0_SR').map((h) => h.node)).toEqual(['edge-01']);
    const back = as.trace({ from: 'client', to: 'vm1' });
    expect(back.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'ARP_FAILED']);
    expect(last(back.paths[1])).toMatchObject({ component: 'tor', observation: 'DROPPED', detail: 'ARP for 10.0.10.12 on segment up: no owner' });
  });

  it('a static route on a centralized Tier-1 to a next hop on its segment: in through the active SR, which switches onto the segment', () => {
    const text = LAB.replace(
      '  t1c: { tier0: t0, edgeCluster: ec, advertise: [TIER1_CONNECTED] }',
      '  t1c: { tier0: t0, edgeCluster: ec, advertise: [TIER1_CONNECTED, TIER1_STATIC_ROUTES], staticRoutes: [{ network: 10.201.0.0/24, nextHops: [10.1.2.10] }] }',
    );
    const r = twin(text).trace({ from: 'vm1', to: '10.201.0.5' });
    expect(r.paths).toHaveLength(1);
    expect(view(r.paths[0]).slice(2)).toEqual([
      '0 esx-01 t1d T1_DR FORWARDED',
      '0 esx-01 t0 T0_DR FORWARDED',
      '0 esx-01 GENEVE TUNNEL FORWARDED',
      '1 edge-01 GENEVE TUNNEL RECEIVED',
      '1 edge-01 t1c T1_SR FORWARDED',
      '1 edge-01 s2 SEGMENT FORWARDED',
      '1 edge-01 GENEVE TUNNEL FORWARDED',
      '2 esx-02 GENEVE TUNNEL RECEIVED',
      '2 esx-02 app WORKLOAD DROPPED',
    ]);
    expect(r.paths[0].hops[6].route).toMatchObject({ prefix: '10.201.0.0/24', type: 'static', nextHop: '10.1.2.10', interface: 'downlink-s2' });
    // The next hop is a workload, which does not route.
    expect(r.paths[0].disposition).toBe('NO_ROUTE');
    expect(r.paths[0].hops[3].route).toMatchObject({ prefix: '10.201.0.0/24', type: 't1s', nextHop: '100.64.0.3' });
  });

  // Regression: a DR copy holding only the on-segment next hop used to take all host traffic.
  it('a Tier-0 static with ECMP next hops on a Tier-0 segment and on the uplink uses both from the hosts', () => {
    const text = LAB.replace('      - { name: arp-77,', '      - { name: mixed, network: 10.210.0.0/16, nextHops: [10.0.0.50, 10.0.10.1] }\n      - { name: arp-77,')
      .replace('  iso: { subnet: 10.3.0.0/24 }', '  iso: { subnet: 10.3.0.0/24 }\n  s0: { tier0: t0, gateway: 10.0.0.1/24 }')
      .replace('  lonely:', '  appl: { host: esx-02, segment: s0, ip: 10.0.0.50 }\n  lonely:');
    const tw = twin(text);
    // From the north (the SRs) both next hops are used...
    const sr = tw.routes({ gateway: 't0', component: 'sr', node: 'edge-01' }).routes.find((r) => r.prefix === '10.210.0.0/16')!;
    expect(sr.nextHops.map((h) => h.ip)).toEqual(['10.0.0.50', '10.0.10.1']);
    // ...and from a host as well.
    const r = tw.trace({ from: 'vm1', to: '10.210.0.1' });
    const ends = new Set(r.paths.map((p) => `${p.disposition} ${last(p).component}`));
    expect(ends).toEqual(new Set(['NO_ROUTE appl', 'EXITS_NETWORK tor']));
  });

  it('every tunnel pair is FORWARDED then RECEIVED with the sequence number +1, and the sequence never decreases', () => {
    for (const [from, to] of [['vm1', 'client'], ['client', 'app'], ['app', 'vm3'], ['vm1', '8.8.8.8']]) {
      const paths = trace({ from, to }).paths;
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) {
        p.hops.forEach((h, i) => {
          if (i > 0) expect(h.seq).toBeGreaterThanOrEqual(p.hops[i - 1].seq);
          if (h.componentType === 'TUNNEL' && h.observation === 'FORWARDED') {
            const next = p.hops[i + 1];
            expect(next).toMatchObject({ componentType: 'TUNNEL', observation: 'RECEIVED', seq: h.seq + 1 });
            expect(next.node).not.toBe(h.node);
          }
        });
      }
    }
  });

  it('ECMP: every path, in the same order every time (JSON-identical, also from a new twin)', () => {
    const a = JSON.stringify(trace({ from: 'client', to: 'vm1' }));
    const b = JSON.stringify(trace({ from: 'client', to: 'vm1' }));
    const c = JSON.stringify(twin().trace({ from: 'client', to: 'vm1' }));
    expect(b).toBe(a);
    expect(c).toBe(a);
    const r = JSON.parse(a) as { paths: TracePath[] };
    expect(r.paths.map((p) => p.hops[1].route!.nextHop)).toEqual(['10.0.10.11', '10.0.10.12']);
  });

  it('hops keep the output key order: seq, node, component, componentType, observation, route, detail', () => {
    const hop = trace({ from: 'vm1', to: 'client' }).paths[0].hops[2];
    expect(Object.keys(hop)).toEqual(['seq', 'node', 'component', 'componentType', 'observation', 'route', 'detail']);
    const plain = trace({ from: 'vm1', to: 'client' }).paths[0].hops[1];
    expect(Object.keys(plain)).toEqual(['seq', 'node', 'component', 'componentType', 'observation', 'detail']);
  });
});

describe('dispositions', () => {
  it('NO_ROUTE: a lookup finds no route', () => {
    const text = LAB.replace('      - { name: internet, network: 0.0.0.0/0, nextHops: [192.0.2.2] }\n', '');
    const r = twin(text).trace({ from: 'vm1', to: '8.8.8.8' });
    expect(r.paths).toHaveLength(2);
    for (const p of r.paths) {
      expect(p.disposition).toBe('NO_ROUTE');
      expect(last(p)).toMatchObject({ component: 'tor', componentType: 'PHYSICAL_ROUTER', observation: 'DROPPED', detail: 'no route to 8.8.8.8' });
      expect(last(p).route).toBeUndefined();
    }
  });

  it('NULL_ROUTED: the matching route is a blackhole', () => {
    const r = trace({ from: 'vm1', to: '10.66.1.1' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['NULL_ROUTED', 'NULL_ROUTED']);
    expect(r.paths.map((p) => last(p).node)).toEqual(['edge-01', 'edge-02']);
    expect(last(r.paths[0])).toMatchObject({
      componentType: 'T0_SR',
      observation: 'DROPPED',
      route: { prefix: '10.66.0.0/16', type: 'static', nextHop: 'null', interface: null },
      detail: 'null route 10.66.0.0/16 drops the packet',
    });
  });

  it('ARP_FAILED: a next hop in a connected subnet that nobody owns', () => {
    const r = trace({ from: 'vm1', to: '10.77.1.1' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['ARP_FAILED', 'ARP_FAILED']);
    expect(last(r.paths[0])).toMatchObject({ componentType: 'T0_SR', observation: 'DROPPED', route: { prefix: '10.77.0.0/16', nextHop: '10.0.10.99' }, detail: 'ARP for 10.0.10.99 on segment up: no owner' });
  });

  it('ARP_FAILED: a destination in a connected subnet that nobody owns (routed, and from the same subnet)', () => {
    const routed = trace({ from: 'client', to: '10.1.1.99' });
    expect(routed.paths).toHaveLength(2);
    for (const p of routed.paths) {
      expect(p.disposition).toBe('ARP_FAILED');
      expect(last(p)).toMatchObject({ component: 't1d', componentType: 'T1_DR', observation: 'DROPPED', detail: 'ARP for 10.1.1.99 on segment s1: no owner' });
    }
    const local = trace({ from: 'vm1', to: '10.1.1.99' });
    expect(local.paths).toHaveLength(1);
    expect(local.paths[0].disposition).toBe('ARP_FAILED');
    expect(local.paths[0].hops).toHaveLength(1);
    expect(local.paths[0].hops[0]).toMatchObject({ component: 'vm1', observation: 'DROPPED' });
  });

  it('ARP_FAILED, not EXITS_NETWORK, on an interface that is not external', () => {
    const r = trace({ from: 'vm1', to: '10.55.0.1' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['ARP_FAILED', 'ARP_FAILED']);
    expect(last(r.paths[0])).toMatchObject({ component: 'tor', observation: 'DROPPED', detail: 'ARP for 172.16.0.99 on 172.16.0.0/24: no owner' });
  });

  it('EXITS_NETWORK: out of an external interface', () => {
    const r = trace({ from: 'vm1', to: '8.8.8.8' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['EXITS_NETWORK', 'EXITS_NETWORK']);
    expect(last(r.paths[0])).toMatchObject({
      component: 'tor',
      observation: 'FORWARDED',
      route: { prefix: '0.0.0.0/0', type: 'static', nextHop: '192.0.2.2', interface: 'wan' },
      detail: 'leaves the modelled network via wan',
    });
  });

  it('LOOP: a forwarding loop is caught and the cycle named', () => {
    const r = trace({ from: 'client', to: '10.88.1.1' });
    expect(r.paths).toHaveLength(1);
    const p = r.paths[0];
    expect(p.disposition).toBe('LOOP');
    expect(p.hops.filter((h) => h.componentType !== 'SEGMENT').map((h) => `${h.component}@${h.node} ${h.observation}`)).toEqual([
      'client@client INJECTED',
      'tor@tor FORWARDED',
      't0@edge-01 FORWARDED',
      'tor@tor DROPPED',
    ]);
    expect(last(p).detail).toBe('forwarding loop: tor@tor → t0@edge-01 → tor@tor');
  });

  it('LOOP: TTL exhausted', () => {
    const r = twin(LAB + 'settings:\n  ttl: 2\n').trace({ from: 'vm1', to: 'client' });
    expect(r.paths.length).toBeGreaterThan(0);
    for (const p of r.paths) {
      expect(p.disposition).toBe('LOOP');
      expect(last(p)).toMatchObject({ observation: 'DROPPED', detail: 'TTL exhausted' });
    }
  });

  // A router that would forward with TTL 0 drops the packet (RFC 1812 5.3.1): with ttl 2 the
  // first router (t1d) forwards and the second (the t0 DR) drops. Regression: the walker used to
  // let one router too many forward.
  it('TTL follows IP: with ttl 2 the second router drops the packet', () => {
    const r = twin(LAB + 'settings:\n  ttl: 2\n').trace({ from: 'vm1', to: 'client' });
    expect(r.paths).toHaveLength(1);
    expect(last(r.paths[0])).toMatchObject({ component: 't0', componentType: 'T0_DR', node: 'esx-01', observation: 'DROPPED', detail: 'TTL exhausted' });
  });

  it('to a gateway address: DELIVERED at that component', () => {
    const dr = trace({ from: 'vm1', to: '10.1.1.1' });
    expect(dr.paths).toHaveLength(1);
    expect(dr.paths[0].disposition).toBe('DELIVERED');
    expect(last(dr.paths[0])).toMatchObject({ component: 't1d', componentType: 'T1_DR', node: 'esx-01', observation: 'DELIVERED', detail: '10.1.1.1 is an address of t1d' });
    const link = trace({ from: 'vm1', to: '100.64.0.0' });
    expect(last(link.paths[0])).toMatchObject({ component: 't0', componentType: 'T0_DR', node: 'esx-01', observation: 'DELIVERED' });
    const uplink = trace({ from: 'vm1', to: '10.0.10.11' });
    expect(uplink.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED']);
    for (const p of uplink.paths) expect(last(p)).toMatchObject({ componentType: 'T0_SR', node: 'edge-01', observation: 'DELIVERED' });
    const tor = trace({ from: 'client', to: '10.0.10.1' });
    expect(last(tor.paths[0])).toMatchObject({ component: 'tor', observation: 'DELIVERED' });
  });

  it('NO_ROUTE: a source without a default gateway, off its subnet', () => {
    const r = trace({ from: 'nogw', to: 'vm1' });
    expect(r.paths).toEqual([
      { disposition: 'NO_ROUTE', hops: [expect.objectContaining({ component: 'nogw', componentType: 'PHYSICAL_HOST', observation: 'DROPPED', detail: '172.16.0.20 → 10.1.1.10: not on 172.16.0.20/24 and no default gateway' })] },
    ]);
    expect(trace({ from: 'lonely', to: 'vm1' }).paths[0].disposition).toBe('NO_ROUTE');
    // On its own subnet it needs no gateway.
    expect(trace({ from: 'nogw', to: 'client' }).paths[0].disposition).toBe('DELIVERED');
  });

  it('NO_ROUTE: a next hop that is an end host, which does not route', () => {
    const r = trace({ from: 'vm1', to: '10.44.0.1' });
    expect(r.paths).toHaveLength(2);
    for (const p of r.paths) {
      expect(p.disposition).toBe('NO_ROUTE');
      expect(last(p)).toMatchObject({ component: 'client', observation: 'DROPPED', detail: 'next hop 172.16.0.10 is client, an end host that does not route' });
    }
  });

  it('stops at settings.maxPaths and says so', () => {
    const r = twin(LAB + 'settings:\n  maxPaths: 1\n').trace({ from: 'vm1', to: 'client' });
    expect(r.paths).toHaveLength(1);
    expect(r.truncated).toBe(true);
    expect(trace({ from: 'vm1', to: 'client' }).truncated).toBeUndefined();
  });
});

describe('query errors', () => {
  const err = (req: TraceRequest) => {
    try {
      trace(req);
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError);
      return (e as Error).message;
    }
    throw new Error('expected a QueryError');
  };

  it('unknown source or destination, with a did-you-mean', () => {
    expect(err({ from: 'vm-1', to: 'vm2' })).toBe('unknown source "vm-1": expected a workload, a physical host or an address one owns (did you mean "vm1"?)');
    expect(err({ from: 'vm1', to: 'clinet' })).toBe('unknown destination "clinet": expected an IPv4 address, a workload or a physical host (did you mean "client"?)');
    expect(err({ from: 'zzzzzz', to: 'vm2' })).not.toContain('did you mean');
  });

  it('a source address nobody owns', () => {
    expect(err({ from: '10.9.9.9', to: 'vm2' })).toBe('no workload or physical host owns 10.9.9.9');
  });

  it('tcp/udp need --dport; icmp takes no ports; ports are 1-65535; known protocols only', () => {
    expect(err({ from: 'vm1', to: 'vm2', proto: 'tcp' })).toBe('tcp needs a destination port (--dport)');
    expect(err({ from: 'vm1', to: 'vm2', proto: 'udp' })).toBe('udp needs a destination port (--dport)');
    expect(err({ from: 'vm1', to: 'vm2', dport: 80 })).toBe('ports apply to tcp and udp, not icmp');
    expect(err({ from: 'vm1', to: 'vm2', proto: 'tcp', dport: 0 })).toMatch(/^dport must be an integer 1-65535/);
    expect(err({ from: 'vm1', to: 'vm2', proto: 'tcp', dport: 80, sport: 70000 })).toMatch(/^sport must be an integer 1-65535/);
    expect(err({ from: 'vm1', to: 'vm2', proto: 'gre' as never })).toMatch(/^unknown protocol "gre"/);
  });

  it('a tcp flow carries its ports (source port 49152 by default)', () => {
    expect(trace({ from: 'vm1', to: 'vm2', proto: 'tcp', dport: 443 }).flow).toMatchObject({ proto: 'tcp', sport: 49152, dport: 443 });
    expect(trace({ from: 'vm1', to: 'vm2', proto: 'udp', dport: 53, sport: 5353 }).flow).toMatchObject({ proto: 'udp', sport: 5353, dport: 53 });
  });
});
