// Generated scenarios (src/topology/generate.ts): valid, the requested size, deterministic, and
// routable end to end through the engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeze, produce } from 'immer';
import { aviDataSegment, GENERATED, generateScenario, generateSize, SIZE_PRESETS, type GenerateOptions } from '../../src/topology/generate.js';
import { validateScenario } from '../../src/topology/validate.js';
import { formatIp } from '../../src/topology/ip.js';
import { realize } from '../../src/topology/realize/index.js';
import { Twin } from '../../src/engine/twin.js';
import { aviRuntimeChange } from '../../src/topology/realize/avi-patch.js';

const count = (m: Record<string, unknown> | undefined) => Object.keys(m ?? {}).length;

describe('generateScenario', () => {
  const opts: GenerateOptions = { tier1s: 30, segmentsPerTier1: 4, workloadsPerSegment: 2, hosts: 8, edges: 4, centralizedEvery: 10 };
  const s = generateScenario(opts);

  it('produces a scenario that validates without problems', () => {
    expect(validateScenario(s, () => ({ file: 'generated' }))).toEqual([]);
  });

  it('has the requested counts', () => {
    const nodes = Object.values(s.transportNodes);
    expect(nodes.filter((n) => n.type === 'host')).toHaveLength(8);
    expect(nodes.filter((n) => n.type === 'edge')).toHaveLength(4);
    expect(count(s.tier0s)).toBe(1);
    expect(s.tier0s![GENERATED.tier0].haMode).toBe('ACTIVE_ACTIVE');
    expect(s.tier0s![GENERATED.tier0].uplinks).toHaveLength(4);
    expect(s.edgeClusters![GENERATED.edgeCluster].members).toHaveLength(4);
    expect(count(s.tier1s)).toBe(30);
    expect(Object.values(s.tier1s!).filter((t) => t.edgeCluster !== undefined)).toHaveLength(3);
    expect(Object.values(s.tier1s!).every((t) => t.advertise?.includes('TIER1_CONNECTED'))).toBe(true);
    // 120 Tier-1 segments plus the uplink VLAN.
    expect(count(s.segments)).toBe(30 * 4 + 1);
    expect(count(s.workloads)).toBe(30 * 4 * 2);
    expect(count(s.physicalRouters)).toBe(1);
    expect(count(s.physicalHosts)).toBe(1);
    expect(s.physicalRouters![GENERATED.tor].staticRoutes![0]).toMatchObject({ network: '10.0.0.0/8' });
    expect(s.physicalRouters![GENERATED.tor].staticRoutes![0].nextHops).toHaveLength(4);
  });

  it('spreads workloads over every host', () => {
    const used = new Set(Object.values(s.workloads!).map((w) => w.host));
    expect(used.size).toBe(8);
  });

  it('is deterministic', () => {
    expect(generateScenario(opts)).toEqual(s);
  });

  it('caps the ToR ECMP group at 8 uplinks and validates with many edges', () => {
    const big = generateScenario({ tier1s: 3, segmentsPerTier1: 1, workloadsPerSegment: 1, hosts: 2, edges: 12 });
    expect(big.physicalRouters![GENERATED.tor].staticRoutes![0].nextHops).toHaveLength(8);
    expect(validateScenario(big, () => ({ file: 'generated' }))).toEqual([]);
  });

  it('widens the Tier-0 transit subnet beyond 32768 Tier-1s', () => {
    const small = generateScenario({ tier1s: 32768, segmentsPerTier1: 1, workloadsPerSegment: 0, hosts: 1, edges: 2 });
    expect(small.tier0s![GENERATED.tier0].transitSubnet).toBeUndefined();
    const big = generateScenario({ tier1s: 40000, segmentsPerTier1: 1, workloadsPerSegment: 0, hosts: 1, edges: 2 });
    expect(big.tier0s![GENERATED.tier0].transitSubnet).toBe('100.64.0.0/15');
  });

  it('rejects sizes that do not fit 10.0.0.0/8', () => {
    expect(() => generateScenario({ tier1s: 20000, segmentsPerTier1: 4, workloadsPerSegment: 1, hosts: 1, edges: 1 })).toThrow(RangeError);
  });

  it('routes east-west and north-south through the engine', () => {
    const twin = new Twin(s);
    const ew = twin.trace({ from: 'vm-t1-01-1-1', to: 'vm-t1-30-4-2' });
    expect(ew.paths.length).toBeGreaterThan(0);
    expect(ew.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
    const ns = twin.trace({ from: GENERATED.client, to: 'vm-t1-10-2-1' }); // t1-10 is centralized
    expect(ns.paths).toHaveLength(4); // ECMP over the four Tier-0 uplinks
    expect(ns.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
    const back = twin.trace({ from: 'vm-t1-10-2-1', to: GENERATED.client });
    expect(back.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
  });
});

describe('generateScenario with NSX Advanced Load Balancer (virtualServices)', () => {
  const opts: GenerateOptions = { tier1s: 20, segmentsPerTier1: 2, workloadsPerSegment: 2, hosts: 8, edges: 4, centralizedEvery: 10, virtualServices: 200 };
  const s = generateScenario(opts);
  const base = generateScenario({ ...opts, virtualServices: undefined });

  it('produces a scenario that validates without problems', () => {
    expect(validateScenario(s, () => ({ file: 'generated' }))).toEqual([]);
  });

  it('leaves the fabric of the same options without the option unchanged', () => {
    expect(base.avi).toBeUndefined();
    expect(generateScenario({ ...opts, virtualServices: 0 })).toEqual(base);
    // Same workload segments and workloads; the SE data segments come after, outside 10/8.
    expect(Object.keys(s.segments!).slice(0, count(base.segments))).toEqual(Object.keys(base.segments!));
    for (const [name, seg] of Object.entries(base.segments!)) expect(s.segments![name]).toEqual(seg);
    expect(s.workloads).toEqual(base.workloads);
    expect(s.transportNodes).toEqual(base.transportNodes);
    expect(count(s.segments)).toBe(count(base.segments) + 20);
    expect(s.segments![aviDataSegment('t1-01')]).toEqual({ tier1: 't1-01', gateway: '172.20.0.1/24' });
    expect(s.segments![aviDataSegment('t1-20')]).toEqual({ tier1: 't1-20', gateway: '172.20.19.1/24' });
  });

  it('has one data network per Tier-1, one SHARED_PAIR SE group, a pool per VS of existing workloads', () => {
    const avi = s.avi!;
    expect(avi.cloud.dataNetworks).toHaveLength(20);
    expect(count(avi.virtualServices)).toBe(200);
    expect(count(avi.pools)).toBe(200);
    const groups = Object.values(avi.seGroups!);
    expect(groups).toHaveLength(1);
    expect(groups[0].haMode).toBe('HA_MODE_SHARED_PAIR');
    expect(count(groups[0].serviceEngines)).toBe(2);
    expect(groups[0].maxVsPerSe).toBeGreaterThanOrEqual(200); // two SEs carry every VS
    const ips = new Set(Object.values(s.workloads!).map((w) => w.ip));
    for (const p of Object.values(avi.pools!)) {
      expect(p.members).toHaveLength(2);
      for (const m of p.members) expect(ips.has(m.ip)).toBe(true);
    }
    // Round-robin: ten VSes per Tier-1, which advertises its LB VIPs.
    const perTier1 = new Map<string, number>();
    for (const vs of Object.values(avi.virtualServices!)) perTier1.set(vs.tier1, (perTier1.get(vs.tier1) ?? 0) + 1);
    expect([...perTier1.values()]).toEqual(new Array(20).fill(10));
    expect(Object.values(s.tier1s!).every((t) => t.advertise?.includes('TIER1_LB_VIP'))).toBe(true);
  });

  it('is deterministic', () => {
    expect(generateScenario(opts)).toEqual(s);
  });

  it('places every virtual service and routes client → VIP → pool member', () => {
    const twin = new Twin(s);
    const view = twin.avi();
    expect(view.virtualServices).toHaveLength(200);
    expect(view.virtualServices.every((vs) => vs.state === 'UP')).toBe(true);
    const vs = twin.realized.avi!.virtualServices[37];
    expect(vs.serviceEngines).toHaveLength(2);
    expect(vs.route?.nextHops).toHaveLength(2);
    const vip = view.virtualServices[37].vip;
    const t = twin.trace({ from: GENERATED.client, to: vip, proto: 'tcp', dport: GENERATED.vsPort });
    expect(t.paths.length).toBeGreaterThan(0);
    for (const p of t.paths) {
      expect(p.disposition).toBe('DELIVERED');
      expect(p.loadBalancer?.virtualService).toBe(vs.name);
      expect(p.loadBalancer?.members).toHaveLength(2);
      for (const m of p.loadBalancer!.members) {
        expect(m.paths.length).toBeGreaterThan(0);
        expect(m.paths.every((q) => q.disposition === 'DELIVERED')).toBe(true);
      }
    }
  });

  it('adds SEs so that no SE exceeds Avi\'s maxVsPerSe ceiling', () => {
    const big = generateScenario({ tier1s: 4, segmentsPerTier1: 1, workloadsPerSegment: 1, hosts: 4, edges: 2, virtualServices: 1500 });
    const g = big.avi!.seGroups![GENERATED.seGroup];
    expect(count(g.serviceEngines)).toBe(3); // 3000 placements / 1000 per SE
    expect(g.maxVsPerSe).toBe(1000);
    expect(() => generateScenario({ tier1s: 4, segmentsPerTier1: 1, workloadsPerSegment: 1, hosts: 4, edges: 2, virtualServices: 1500, serviceEngines: 2 })).toThrow(RangeError);
    const twin = new Twin(generateScenario({ tier1s: 3, segmentsPerTier1: 1, workloadsPerSegment: 1, hosts: 4, edges: 2, virtualServices: 25, serviceEngines: 5 }));
    expect(twin.avi().virtualServices.every((vs) => vs.state === 'UP')).toBe(true);
    expect(twin.realized.avi!.serviceEngines.map((se) => se.virtualServices.length)).toEqual([10, 10, 10, 10, 10]);
  });

  it('rejects virtual services without workloads for their pools', () => {
    expect(() => generateScenario({ tier1s: 2, segmentsPerTier1: 1, workloadsPerSegment: 0, hosts: 1, edges: 1, virtualServices: 2 })).toThrow(RangeError);
  });
});

describe('generateSize: the realistic BGP shape (S, M, L presets)', () => {
  const s = generateSize('S');
  const valid = (x: typeof s) => validateScenario(x, () => ({ file: 'generated' }));

  it('L is the size the issue asks for', () => {
    const l = SIZE_PRESETS.L;
    expect(l.tier1s).toBe(4000);
    expect(l.tier1s * l.segmentsPerTier1).toBe(40000);
    expect(l.tier1s * l.segmentsPerTier1 * l.workloadsPerSegment).toBe(40000);
    expect(l.hosts).toBe(64);
    expect(l.virtualServices).toBe(100000);
    expect(l.centralizedEvery).toBe(10);
    expect(SIZE_PRESETS.M.tier1s * SIZE_PRESETS.M.segmentsPerTier1).toBe(2000);
  });

  it('S validates with no problem and has the BGP shape', () => {
    expect(valid(s)).toEqual([]);
    expect(s.name).toBe('generated-S');
    const t0 = s.tier0s![GENERATED.tier0];
    expect(t0.haMode).toBe('ACTIVE_ACTIVE');
    expect(s.edgeClusters![GENERATED.edgeCluster].members).toHaveLength(8);
    expect(t0.uplinks).toHaveLength(8);
    expect(t0.staticRoutes).toBeUndefined();
    expect(t0.redistribution).toEqual([{ name: 'tier1-to-bgp', types: ['TIER1_CONNECTED', 'TIER1_LB_VIP'] }]);
    expect(t0.bgp!.localAs).toBe(GENERATED.tier0As);
    expect(t0.bgp!.neighbors!.map((n) => [n.name, n.address, n.remoteAs])).toEqual(
      Array.from({ length: 8 }, (_, r) => [`tor-0${r + 1}`, `192.168.0.${r + 1}`, GENERATED.torAs]),
    );
    const tors = Object.entries(s.physicalRouters!);
    expect(tors).toHaveLength(8);
    for (const [, tor] of tors) {
      expect(tor.staticRoutes).toBeUndefined();
      expect(tor.bgp!.asn).toBe(GENERATED.torAs);
      expect(tor.bgp!.neighbors!.map((n) => n.address)).toEqual(t0.uplinks!.map((u) => u.ip.split('/')[0]));
      expect(tor.bgp!.neighbors!.every((n) => n.defaultOriginate === true && n.remoteAs === GENERATED.tier0As)).toBe(true);
    }
    expect(count(s.tier1s)).toBe(20);
    expect(Object.values(s.tier1s!).filter((t) => t.edgeCluster !== undefined)).toHaveLength(2);
    expect(count(s.workloads)).toBe(200);
    expect(count(s.avi!.virtualServices)).toBe(500);
  });

  it('SEs have at most 9 data NICs, in SE groups of bounded size per set of Tier-1s', () => {
    const groups = Object.values(s.avi!.seGroups!);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.every((g) => count(g.serviceEngines) === 2)).toBe(true);
    const r = realize(s);
    expect(r.problems).toEqual([]);
    const ses = r.avi!.serviceEngines;
    expect(ses).toHaveLength(2 * groups.length);
    expect(Math.max(...ses.map((se) => se.nics.length))).toBeLessThanOrEqual(9);
    expect(r.avi!.virtualServices.every((vs) => vs.state === 'UP' && vs.serviceEngines.length === 2)).toBe(true);
  });

  it('routePolicy: the Tier-0 exports to the ToRs through a route map holding back the first Tier-1\'s segments; it needs BGP', () => {
    const p = generateSize('S', { routePolicy: true });
    expect(valid(p)).toEqual([]);
    expect(generateSize('S', { routePolicy: true })).toEqual(p);
    const t0 = p.tier0s![GENERATED.tier0];
    expect(t0.bgp!.neighbors!.every((n) => n.out?.routeMap === GENERATED.exportRouteMap)).toBe(true);
    // 10 segments per Tier-1: 10.0.0.0/20 holds the first Tier-1's ten /24s (and the next one's first six).
    expect(SIZE_PRESETS.S.segmentsPerTier1).toBe(10);
    expect(t0.prefixLists![GENERATED.heldBackPrefixList]).toEqual([{ network: '10.0.0.0/20', le: 32, action: 'PERMIT' }]);
    expect(t0.routeMaps![GENERATED.exportRouteMap].map((e) => e.action)).toEqual(['DENY', 'PERMIT']);
    // Without it, the same fabric as before.
    const plain = structuredClone(p);
    delete plain.tier0s![GENERATED.tier0].prefixLists;
    delete plain.tier0s![GENERATED.tier0].routeMaps;
    for (const n of plain.tier0s![GENERATED.tier0].bgp!.neighbors!) delete n.out;
    expect({ ...plain, name: s.name, description: s.description }).toEqual(s);
    const tor = new Twin(p).bgp({ router: 'tor-01' }).routes.map((e) => e.prefix);
    expect(tor).not.toContain('10.0.0.0/24');
    expect(tor).not.toContain('10.0.15.0/24');
    expect(tor).toContain('10.0.16.0/24');
    expect(() => generateSize('S', { routePolicy: true, bgp: false })).toThrow(/routePolicy needs bgp/);
  });

  it('kubernetes: Antrea clusters whose LoadBalancer Service AKO places on the Tier-1\'s SE group; a node failed takes its pool member down', () => {
    // Frozen, as a loaded scenario is (an edit's realization is patched from a frozen one's).
    const k = freeze(generateSize('S', { kubernetes: 2 }), true);
    expect(valid(k)).toEqual([]);
    expect(Object.keys(k.kubernetes!)).toEqual(['k8s-1', 'k8s-2']);
    const twin = new Twin(k);
    const created = twin.realized.avi!.virtualServices.filter((v) => v.createdFor !== null);
    expect(created.map((v) => [v.name, v.state, v.serviceEngines.length, v.tier1])).toEqual([
      ['k8s-1--shop-web', 'UP', 2, k.avi!.cloud.dataNetworks[0].tier1],
      ['k8s-2--shop-web', 'UP', 2, k.avi!.cloud.dataNetworks[1].tier1],
    ]);
    // Every user virtual service still placed as without the clusters.
    expect(twin.realized.avi!.virtualServices.filter((v) => v.createdFor === null).every((v) => v.state === 'UP')).toBe(true);
    const vip = created[0].vip;
    const pool = () => twin.realized.avi!.pools.get('k8s-1--shop-web-TCP-80')!;
    expect(pool().members.map((m) => m.up)).toEqual([true, true, true]);
    const down = twin.update(produce(k, (d) => void (d.failed = ['k8s-1-worker-2'])));
    expect(down.realized.avi!.pools.get('k8s-1--shop-web-TCP-80')!.members.map((m) => m.up)).toEqual([true, false, true]);
    expect(down.realized.avi!.virtualServices.find((v) => v.vip === vip)!.state).toBe('UP');
    // An Antrea node failed: the Avi runtime patched (its pool's members), not realized again.
    expect(aviRuntimeChange(down.realized.avi!)?.from).toBe(twin.realized.avi);
    // A user virtual service appended (a fixed VIP): placed before AKO's, whose records move up one place, patched too.
    const users = Object.keys(k.avi!.virtualServices!).length;
    const added = twin.update(produce(k, (d) => void (d.avi!.virtualServices!['vs-extra'] = { ...d.avi!.virtualServices!['vs-001'], vip: { address: '198.51.100.77' } })));
    const change = aviRuntimeChange(added.realized.avi!);
    expect(change?.from).toBe(twin.realized.avi);
    expect(change!.changed).toEqual([users, users + 1, users + 2]);
    expect(added.realized.avi!.virtualServices.slice(users).map((v) => [v.name, v.vip === created[0].vip || v.vip === created[1].vip])).toEqual([['vs-extra', false], ['k8s-1--shop-web', true], ['k8s-2--shop-web', true]]);
    expect(() => generateSize('S', { kubernetes: 2, virtualServices: 0 })).toThrow(/kubernetes needs virtualServices/);
    expect(() => generateSize('S', { kubernetes: 300 })).toThrow(/kubernetes must be an integer 0-256/);
  });

  it('kubernetes with ncp: TKGi clusters with NCP (a Tier-1, a node and a pod segment each) whose LoadBalancer Service AKO places with the pods as members; a node failed takes its pod down, patched', () => {
    const k = freeze(generateSize('S', { kubernetes: 2, ncp: true }), true);
    expect(valid(k)).toEqual([]);
    const twin = new Twin(k);
    expect(Object.keys(twin.realized.created!.tier1s)).toEqual(['t1-pks-00000001', 't1-pks-00000002']);
    expect(Object.keys(twin.realized.created!.segments)).toEqual(['pks-00000001-0000-4000-8000-000000000000', 'pks-00000001-0000-4000-8000-000000000000-shop', 'pks-00000002-0000-4000-8000-000000000000', 'pks-00000002-0000-4000-8000-000000000000-shop']);
    const created = twin.realized.avi!.virtualServices.filter((v) => v.createdFor !== null);
    expect(created.map((v) => [v.name, v.state, v.tier1])).toEqual([
      ['k8s-1--shop-web', 'UP', k.avi!.cloud.dataNetworks[0].tier1],
      ['k8s-2--shop-web', 'UP', k.avi!.cloud.dataNetworks[1].tier1],
    ]);
    const members = (t: Twin) => t.realized.avi!.pools.get('k8s-1--shop-web-TCP-80')!.members.map((m) => `${formatIp(m.ip)}:${m.port} ${m.up ? 'up' : 'down'}`);
    expect(members(twin)).toEqual(['172.30.0.2:8080 up', '172.30.0.3:8080 up', '172.30.0.4:8080 up']);
    // The client reaches the Service's VIP, and the SEs its pods behind NCP's Tier-1.
    const t = twin.trace({ from: GENERATED.client, to: formatIp(created[0].vip), proto: 'tcp', dport: 80 });
    expect(t.paths.length).toBeGreaterThan(0);
    for (const p of t.paths) {
      expect(p.disposition).toBe('DELIVERED');
      expect(p.loadBalancer?.members.map((m) => m.paths.every((q) => q.disposition === 'DELIVERED'))).toEqual([true, true, true]);
    }
    const down = twin.update(produce(k, (d) => void (d.failed = ['k8s-1-worker-2'])));
    expect(down.realized.created!.failed).toEqual(['shop/k8s-1-web-2']);
    expect(members(down)).toEqual(['172.30.0.2:8080 up', '172.30.0.3:8080 down', '172.30.0.4:8080 up']);
    // NCP's node failed: the Avi runtime patched (its pod's member), not realized again.
    expect(aviRuntimeChange(down.realized.avi!)?.from).toBe(twin.realized.avi);
    expect(() => generateSize('S', { ncp: true })).toThrow(/ncp needs kubernetes/);
  });

  it('routePolicy, kubernetes and ncp over random options: a scenario with no problem, or a RangeError naming the option (property)', () => {
    fc.assert(
      fc.property(
        fc.record({ kubernetes: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 300 }) }), routePolicy: fc.boolean(), ncp: fc.boolean(), bgp: fc.boolean(), virtualServices: fc.constantFrom(0, 3, 40, 500), tier1s: fc.integer({ min: 1, max: 24 }) }),
        (o) => {
          let made: ReturnType<typeof generateSize>;
          try {
            made = generateSize('S', o);
          } catch (e) {
            expect(e).toBeInstanceOf(RangeError);
            expect((e as Error).message).toMatch(/kubernetes|routePolicy|ncp|virtualServices|seGroupTier1s/);
            return;
          }
          expect(valid(made)).toEqual([]);
          expect(Object.keys(made.kubernetes ?? {})).toHaveLength(o.kubernetes);
          expect(Object.values(made.kubernetes ?? {}).every((c) => c.cni === (o.ncp ? 'ncp' : 'antrea'))).toBe(true);
          expect(Object.keys(made.tier0s![GENERATED.tier0].routeMaps ?? {}).length > 0).toBe(o.routePolicy);
        },
      ),
      { numRuns: 25, seed: 35 },
    );
  });

  it('is deterministic for a seed, and the seed changes the placement', () => {
    expect(generateSize('S')).toEqual(s);
    const other = generateSize('S', { seed: 2 });
    expect(valid(other)).toEqual([]);
    expect(other.avi!.virtualServices).not.toEqual(s.avi!.virtualServices);
    expect(other.name).toBe('generated-S-custom');
  });

  it('M validates with no problem, 2,000 segments, SEs within 9 data NICs', () => {
    const m = generateSize('M');
    expect(valid(m)).toEqual([]);
    expect(count(m.tier1s)).toBe(200);
    expect(Object.keys(m.segments!).filter((n) => n.startsWith('ls-'))).toHaveLength(2000);
    const r = realize(m);
    expect(r.problems).toEqual([]);
    expect(Math.max(...r.avi!.serviceEngines.map((se) => se.nics.length))).toBeLessThanOrEqual(9);
  });

  it('uses smaller SE data subnets when more than 1024 Tier-1s host virtual services', () => {
    const x = generateScenario({ ...SIZE_PRESETS.S, tier1s: 1100, segmentsPerTier1: 1, virtualServices: 1100, seed: undefined });
    expect(x.segments![aviDataSegment('t1-0001')].gateway).toBe('172.20.0.1/25');
    expect(x.segments![aviDataSegment('t1-1100')].gateway).toBe('172.22.37.129/25'); // 172.20.0.0 + 1099 × 128
    expect(valid(x)).toEqual([]);
  });

  it('rejects an SE group over the 9 data NIC limit and bad combinations', () => {
    expect(() => generateSize('S', { seGroupTier1s: 10 })).toThrow(/seGroupTier1s must be an integer 1-9/);
    expect(() => generateScenario({ ...SIZE_PRESETS.S, virtualServices: 0 })).toThrow(/seGroupTier1s needs virtualServices/);
    expect(() => generateSize('S', { virtualServices: 0, seGroupTier1s: 4 })).toThrow(/seGroupTier1s and sesPerGroup need virtualServices/);
    expect(generateSize('S', { virtualServices: 0 }).avi).toBeUndefined();
    expect(() => generateSize('S', { serviceEngines: 4 })).toThrow(/sesPerGroup/);
    expect(() => generateSize('S', { tors: 11 })).toThrow(/tors must be an integer 1-10/);
  });

  it('builds a twin: 64 eBGP sessions, inter-SR iBGP, ECMP both ways, client → VIP delivered', () => {
    const twin = new Twin(s);
    let ebgp = 0;
    for (const tor of Object.keys(s.physicalRouters!)) {
      const v = twin.bgp({ router: tor });
      ebgp += v.sessions.filter((x) => x.type === 'ebgp' && x.state === 'Established').length;
    }
    expect(ebgp).toBe(64);
    const sr = twin.bgp({ router: GENERATED.tier0, edge: 'edge-1' });
    expect(sr.sessions.filter((x) => x.state === 'Established' && x.remoteAs === GENERATED.torAs)).toHaveLength(8);
    expect(sr.sessions.filter((x) => x.state === 'Established' && x.type !== 'ebgp').length).toBeGreaterThan(0); // inter-SR iBGP
    const def = sr.routes.filter((r) => r.prefix === '0.0.0.0/0' && r.multipath);
    expect(def).toHaveLength(8); // defaultOriginate from every ToR
    const seg = twin.bgp({ router: 'tor-01', prefix: '10.0.0.0/24' }).routes.filter((r) => r.multipath);
    expect(seg).toHaveLength(8); // from every SR
    const ns = twin.trace({ from: GENERATED.client, to: 'vm-t1-10-01-1' });
    expect(ns.paths).toHaveLength(8);
    expect(ns.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
    const back = twin.trace({ from: 'vm-t1-10-01-1', to: GENERATED.client });
    expect(back.paths.length).toBeGreaterThan(0);
    expect(back.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
    const vs = twin.avi({ vs: 'vs-001' }).virtualServices[0];
    const t = twin.trace({ from: GENERATED.client, to: vs.vip, proto: 'tcp', dport: GENERATED.vsPort });
    expect(t.paths.length).toBeGreaterThan(0);
    expect(t.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
  }, 60_000);
});
