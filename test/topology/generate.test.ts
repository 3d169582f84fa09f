// Generated scenarios (src/topology/generate.ts): valid, the requested size, deterministic, and
// routable end to end through the engine.
import { describe, expect, it } from 'vitest';
import { GENERATED, generateScenario, type GenerateOptions } from '../../src/topology/generate.js';
import { validateScenario } from '../../src/topology/validate.js';
import { Twin } from '../../src/engine/twin.js';

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
