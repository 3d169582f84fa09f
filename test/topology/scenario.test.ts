// Scenario helpers (src/topology/scenario.ts).
import { describe, expect, it } from 'vitest';
import { GATEWAY_SERVICES, TIER1_ADVERTISEMENT_TYPES, entriesOf } from '../../src/topology/scenario.js';

describe('entriesOf', () => {
  it('lists own entries in insertion (file) order', () => {
    expect(entriesOf({ b: 1, a: 2, c: 3 })).toEqual([['b', 1], ['a', 2], ['c', 3]]);
  });

  it('tolerates absent maps', () => {
    expect(entriesOf(undefined)).toEqual([]);
    expect(entriesOf(null as unknown as Record<string, number>)).toEqual([]);
  });

  it('ignores inherited properties and keeps own __proto__ / constructor keys', () => {
    const m = JSON.parse('{"__proto__": 1, "constructor": 2}') as Record<string, number>;
    expect(entriesOf(m)).toEqual([['__proto__', 1], ['constructor', 2]]);
    const child = Object.create({ inherited: 1 }) as Record<string, number>;
    child.own = 2;
    expect(entriesOf(child)).toEqual([['own', 2]]);
  });
});

describe('constants', () => {
  it('lists the seven Tier-1 advertisement types and the SR services', () => {
    expect(TIER1_ADVERTISEMENT_TYPES).toHaveLength(7);
    expect(TIER1_ADVERTISEMENT_TYPES).toContain('TIER1_LB_VIP');
    expect(GATEWAY_SERVICES).toContain('NAT');
  });
});
