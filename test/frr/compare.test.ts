// The FRR ↔ nsx-twin comparison (test/frr/compare.ts): no root or FRR needed.
import { describe, expect, it } from 'vitest';
import { checkExpectations, compareBgp, compareFib, type TwinBgpEntry } from './compare.js';
import { frrBgpEntriesFromJson, frrFibFromJson, type FrrBgpEntry } from './frr-lab.js';

const path = (over: Partial<FrrBgpEntry>): FrrBgpEntry => ({
  prefix: '10.9.0.0/24',
  nextHop: '10.0.12.2',
  asPath: [65002],
  origin: 'igp',
  localPref: null,
  med: 0,
  communities: [],
  largeCommunities: [],
  weight: 0,
  best: true,
  multipath: false,
  peer: '10.0.12.2',
  reason: 'First path received',
  valid: true,
  suppressed: false,
  ...over,
});
const twin = (e: FrrBgpEntry, over: Partial<TwinBgpEntry> = {}): TwinBgpEntry => {
  const { valid: _v, suppressed: _s, ...rest } = e;
  return { ...rest, reason: 'whatever', ...over };
};

describe('compareBgp', () => {
  it('accepts equal tables, extra fields and communities in another order', () => {
    const a = path({ communities: ['65001:1', '65001:2'] });
    expect(compareBgp('r1', [a], [{ ...twin(a, { communities: ['65001:2', '65001:1'] }), extra: 1 } as TwinBgpEntry])).toEqual([]);
  });

  it('reports missing paths, field differences and (prefix, best) mismatches', () => {
    const a = path({});
    const b = path({ nextHop: '10.0.13.3', peer: '10.0.13.3', best: false });
    const out = compareBgp('r1', [a, b], [twin(a, { med: null })]);
    expect(out).toEqual([
      'r1: 10.9.0.0/24 via 10.0.12.2 (peer 10.0.12.2): med: FRR 0 ≠ nsx-twin null',
      'r1: 10.9.0.0/24 via 10.0.13.3 (peer 10.0.13.3): missing in nsx-twin (FRR: asPath [65002], igp, lp null, med 0, weight 0, not best)',
      'r1: (prefix, best) 10.9.0.0/24 best=false in FRR only',
    ]);
    expect(compareBgp('r1', [a], [twin(a), twin(path({ prefix: '10.8.0.0/24' }))])).toEqual(['r1: (prefix, best) 10.8.0.0/24 best=true in nsx-twin only']);
  });

  it('lets nsx-twin pick either path when FRR decided by arrival order', () => {
    const a = path({ multipath: true, reason: 'Older Path' });
    const b = path({ nextHop: '10.0.13.3', peer: '10.0.13.3', best: false, multipath: true, reason: '' });
    expect(compareBgp('r1', [a, b], [twin(a, { best: false }), twin(b, { best: true })])).toEqual([]);
    expect(compareBgp('r1', [a, b], [twin(a, { best: true }), twin(b, { best: true })])[0]).toMatch(/arrival order/);
  });
});

describe('compareFib', () => {
  it('compares selected and next-hop sets of BGP routes only', () => {
    const frr = [{ prefix: '10.9.0.0/24', selected: true, nextHops: [{ ip: '10.0.12.2', interface: 'a' }, { ip: '10.0.13.3', interface: 'b' }] }];
    const ok = [
      { prefix: '10.9.0.0/24', type: 'bgp', selected: true, nextHops: [{ ip: '10.0.13.3', interface: 'b' }, { ip: '10.0.12.2', interface: 'a' }] },
      { prefix: '10.0.12.0/24', type: 'connected', selected: true, nextHops: [{ ip: null, interface: 'a' }] },
    ];
    expect(compareFib('r1', frr, ok)).toEqual([]);
    expect(compareFib('r1', frr, [{ ...ok[0], nextHops: [{ ip: '10.0.12.2', interface: 'a' }] }])[0]).toMatch(/FIB 10.9.0.0\/24: FRR selected via/);
    expect(compareFib('r1', [], ok)).toEqual(['r1: FIB 10.9.0.0/24: bgp route in nsx-twin only (via 10.0.12.2@a, 10.0.13.3@b)']);
    // An unresolved FRR next hop (no interface) matches on its address.
    const inactive = [{ prefix: '10.0.12.0/24', selected: false, nextHops: [{ ip: '10.0.12.1', interface: null }] }];
    expect(compareFib('r2', inactive, [{ prefix: '10.0.12.0/24', type: 'bgp', selected: false, nextHops: [{ ip: '10.0.12.1', interface: 'to-r1' }] }])).toEqual([]);
    expect(compareFib('r2', inactive, [{ prefix: '10.0.12.0/24', type: 'bgp', selected: false, nextHops: [{ ip: '10.0.12.9', interface: 'to-r1' }] }])).toHaveLength(1);
  });
});

describe('FRR JSON normalisation', () => {
  it('reads paths of `show bgp ipv4 unicast PREFIX json`', () => {
    const detail = {
      prefix: '10.30.0.0/16',
      paths: [
        { aspath: { segments: [] }, origin: 'IGP', metric: 0, weight: 32768, valid: true, aggregated: true, local: true, bestpath: { overall: true, selectionReason: 'First path received' }, nexthops: [{ ip: '::' }], peer: { peerId: '::' } },
        {
          aspath: { segments: [{ type: 'as-sequence', list: [65002, 65003] }] },
          origin: 'incomplete',
          locPrf: 200,
          community: { string: '65002:1 no-export' },
          largeCommunity: { string: '65002:1:1' },
          valid: true,
          multipath: true,
          nexthops: [{ ip: '10.0.12.2' }],
          peer: { peerId: '10.0.12.2' },
        },
      ],
    };
    const [agg, learned] = frrBgpEntriesFromJson([detail], { '10.30.0.0/16': [{}, { suppressed: true }] });
    expect(agg).toMatchObject({ nextHop: '0.0.0.0', peer: null, asPath: [], origin: 'igp', med: 0, weight: 32768, best: true, localPref: null });
    expect(learned).toMatchObject({ nextHop: '10.0.12.2', peer: '10.0.12.2', asPath: [65002, 65003], origin: 'incomplete', med: null, localPref: 200, communities: ['65002:1', 'no-export'], largeCommunities: ['65002:1:1'], weight: 0, best: false, multipath: true, suppressed: true });
  });

  it('reads BGP routes of `show ip route json`, resolving recursive next hops', () => {
    const fib = frrFibFromJson({
      '10.1.0.0/24': [
        { protocol: 'bgp', selected: true, nexthops: [{ ip: '10.0.12.1', recursive: true, active: true }, { ip: '10.0.23.2', interfaceName: 'to-r2', resolver: true, active: true }] },
      ],
      '10.20.0.0/16': [{ protocol: 'bgp', selected: true, nexthops: [{ blackhole: true, active: true }] }],
      '10.0.23.0/24': [{ protocol: 'connected', selected: true, nexthops: [{ interfaceName: 'to-r2' }] }],
    });
    expect(fib).toEqual([
      { prefix: '10.1.0.0/24', selected: true, nextHops: [{ ip: '10.0.12.1', interface: 'to-r2' }] },
      { prefix: '10.20.0.0/16', selected: true, nextHops: [{ ip: 'null', interface: null }] },
    ]);
  });
});

describe('checkExpectations', () => {
  it('reports paths that are not as the topology describes', () => {
    const ribs = new Map([['r1', [path({ reason: 'MED' })]]]);
    expect(checkExpectations({ paths: [{ router: 'r1', prefix: '10.9.0.0/24', reason: 'MED' }] }, ribs, new Map())).toEqual([]);
    expect(checkExpectations({ paths: [{ router: 'r1', prefix: '10.9.0.0/24', reason: 'Router ID' }], absent: [{ router: 'r1', prefixes: ['10.9.0.0/24'] }] }, ribs, new Map())).toEqual([
      'r1 10.9.0.0/24: reason expected "Router ID", FRR has "MED"',
      'r1: 10.9.0.0/24 should be absent but FRR has it',
    ]);
  });
});
