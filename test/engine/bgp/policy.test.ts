// Routing-policy evaluation (src/engine/bgp/policy.ts): NSX and FRR prefix lists, community lists,
// AS-path lists, route maps, sets and filters; then a property test of prefix lists against a
// naive reference (bit strings, no masks).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frrPolicy, nsxPolicy, parseCommunities, type PathAttributes } from '../../../src/engine/bgp/policy.js';
import { formatPrefix, parseIp, parsePrefix, type Prefix } from '../../../src/topology/ip.js';
import type { FrrPrefixEntry, NsxPrefixEntry, PhysicalRouterSpec, Tier0Spec } from '../../../src/topology/scenario.js';

const P = (s: string): Prefix => {
  const p = parsePrefix(s);
  if (!p) throw new Error(`bad prefix ${s}`);
  return p;
};

function attrs(prefix: string, over: Partial<PathAttributes> = {}): PathAttributes {
  return {
    prefix: P(prefix),
    nextHop: parseIp('10.146.10.2')!,
    asPath: [65100],
    origin: 'igp',
    med: null,
    localPref: null,
    communities: [],
    largeCommunities: [],
    weight: 0,
    ...over,
  };
}

const t0 = (spec: Partial<Tier0Spec>): Tier0Spec => ({ edgeCluster: 'ec', ...spec });
const router = (spec: Partial<PhysicalRouterSpec>): PhysicalRouterSpec => ({ interfaces: [], ...spec });

/** An NSX policy with one prefix list "pl". */
const nsxList = (entries: NsxPrefixEntry[]) => nsxPolicy(t0({ prefixLists: { pl: entries } }));
/** An FRR policy with one prefix list "pl". */
const frrList = (entries: FrrPrefixEntry[]) => frrPolicy(router({ prefixLists: { pl: entries } }));

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

// ---- Prefix lists -------------------------------------------------------------------------------

describe('prefix lists: ge / le', () => {
  it('without ge/le matches the exact prefix only', () => {
    const pol = nsxList([{ network: '10.0.0.0/8' }]);
    expect(pol.prefixList('pl', P('10.0.0.0/8')).permit).toBe(true);
    expect(pol.prefixList('pl', P('10.1.0.0/16')).permit).toBe(false);
    expect(pol.prefixList('pl', P('11.0.0.0/8')).permit).toBe(false);
    expect(pol.prefixList('pl', P('0.0.0.0/0')).permit).toBe(false);
  });

  it('le only: entry length up to le, inside the entry prefix', () => {
    const pol = nsxList([{ network: '10.146.128.0/17', le: 24 }]);
    expect(pol.prefixList('pl', P('10.146.128.0/17')).permit).toBe(true);
    expect(pol.prefixList('pl', P('10.146.200.0/24')).permit).toBe(true);
    expect(pol.prefixList('pl', P('10.146.200.0/25')).permit).toBe(false);
    expect(pol.prefixList('pl', P('10.146.0.0/16')).permit).toBe(false); // shorter than the entry: not inside
    expect(pol.prefixList('pl', P('10.146.0.0/24')).permit).toBe(false); // outside (first 17 bits differ)
  });

  it('ge only: ge up to 32', () => {
    const pol = nsxList([{ network: '10.0.0.0/8', ge: 24 }]);
    expect(pol.prefixList('pl', P('10.1.2.0/24')).permit).toBe(true);
    expect(pol.prefixList('pl', P('10.1.2.3/32')).permit).toBe(true);
    expect(pol.prefixList('pl', P('10.1.2.0/23')).permit).toBe(false);
    expect(pol.prefixList('pl', P('10.0.0.0/8')).permit).toBe(false);
    expect(pol.prefixList('pl', P('11.1.2.0/24')).permit).toBe(false);
  });

  it('ge and le: ge up to le', () => {
    const pol = frrList([{ action: 'permit', prefix: '10.0.0.0/8', ge: 16, le: 24 }]);
    expect(pol.prefixList('pl', P('10.5.0.0/16')).permit).toBe(true);
    expect(pol.prefixList('pl', P('10.5.7.0/24')).permit).toBe(true);
    expect(pol.prefixList('pl', P('10.4.0.0/15')).permit).toBe(false);
    expect(pol.prefixList('pl', P('10.5.7.0/25')).permit).toBe(false);
    expect(pol.prefixList('pl', P('10.0.0.0/8')).permit).toBe(false);
  });

  it('the NSX doc example 192.168.100.0/27 ge 24 le 30 matches /27../30 inside the /27', () => {
    const pol = nsxList([{ network: '192.168.100.0/27', ge: 24, le: 30 }]);
    expect(pol.prefixList('pl', P('192.168.100.0/27')).permit).toBe(true);
    expect(pol.prefixList('pl', P('192.168.100.4/30')).permit).toBe(true);
    expect(pol.prefixList('pl', P('192.168.100.4/31')).permit).toBe(false);
    expect(pol.prefixList('pl', P('192.168.100.0/24')).permit).toBe(false); // not inside the /27
  });

  it('ge/le 0 mean unset (exact match)', () => {
    const pol = nsxList([{ network: '10.0.0.0/8', ge: 0, le: 0 }]);
    expect(pol.prefixList('pl', P('10.0.0.0/8')).permit).toBe(true);
    expect(pol.prefixList('pl', P('10.1.0.0/16')).permit).toBe(false);
  });

  it('host bits in the entry prefix are masked off', () => {
    const pol = frrList([{ action: 'permit', prefix: '10.1.2.3/16' }]);
    const v = pol.prefixList('pl', P('10.1.0.0/16'));
    expect(v.permit).toBe(true);
    expect(v.reason).toBe('prefix-list pl seq 5 (10.1.0.0/16) permits');
  });
});

describe('prefix lists: NSX', () => {
  it('ANY matches every prefix, from /0 to /32', () => {
    const pol = nsxList([{ network: 'ANY', action: 'PERMIT' }]);
    for (const p of ['0.0.0.0/0', '10.0.0.0/8', '192.168.1.1/32', '255.255.255.0/24']) {
      const v = pol.prefixList('pl', P(p));
      expect(v.permit).toBe(true);
      expect(v.reason).toBe('prefix-list pl entry 1 (ANY) permits');
    }
  });

  it('action defaults to PERMIT', () => {
    expect(nsxList([{ network: '10.0.0.0/8' }]).prefixList('pl', P('10.0.0.0/8')).permit).toBe(true);
  });

  it('a deny-only list denies everything else: the classic missing ANY PERMIT', () => {
    const denyOnly = nsxPolicy(t0({ prefixLists: { 'pl-pods': [{ network: '10.146.128.0/17', action: 'DENY', le: 32 }] } }));
    const pod = denyOnly.prefixList('pl-pods', P('10.146.130.0/24'));
    expect(pod).toEqual({ permit: false, reason: 'prefix-list pl-pods entry 1 (10.146.128.0/17 le 32) denies' });
    const other = denyOnly.prefixList('pl-pods', P('172.16.0.0/16'));
    expect(other).toEqual({ permit: false, reason: 'prefix-list pl-pods: no entry matches (implicit deny)' });

    const fixed = nsxPolicy(
      t0({ prefixLists: { 'pl-pods': [{ network: '10.146.128.0/17', action: 'DENY', le: 32 }, { network: 'ANY', action: 'PERMIT' }] } }),
    );
    expect(fixed.prefixList('pl-pods', P('10.146.130.0/24')).permit).toBe(false);
    expect(fixed.prefixList('pl-pods', P('172.16.0.0/16'))).toEqual({ permit: true, reason: 'prefix-list pl-pods entry 2 (ANY) permits' });
  });

  it('the first matching entry decides (list order)', () => {
    const denyFirst = nsxList([
      { network: '10.0.0.0/8', action: 'DENY', le: 32 },
      { network: '10.1.0.0/16', action: 'PERMIT' },
    ]);
    expect(denyFirst.prefixList('pl', P('10.1.0.0/16'))).toEqual({ permit: false, reason: 'prefix-list pl entry 1 (10.0.0.0/8 le 32) denies' });
    const permitFirst = nsxList([
      { network: '10.1.0.0/16', action: 'PERMIT' },
      { network: '10.0.0.0/8', action: 'DENY', le: 32 },
    ]);
    expect(permitFirst.prefixList('pl', P('10.1.0.0/16'))).toEqual({ permit: true, reason: 'prefix-list pl entry 1 (10.1.0.0/16) permits' });
    expect(permitFirst.prefixList('pl', P('10.1.0.0/24')).reason).toBe('prefix-list pl entry 2 (10.0.0.0/8 le 32) denies');
  });

  it('an empty NSX list denies', () => {
    expect(nsxList([]).prefixList('pl', P('10.0.0.0/8')).permit).toBe(false);
  });

  it('an undefined list denies and says so; hasPrefixList', () => {
    const pol = nsxList([{ network: 'ANY' }]);
    expect(pol.hasPrefixList('pl')).toBe(true);
    expect(pol.hasPrefixList('nope')).toBe(false);
    expect(pol.hasPrefixList('constructor')).toBe(false);
    expect(pol.prefixList('nope', P('10.0.0.0/8'))).toEqual({ permit: false, reason: 'prefix-list nope is not defined (deny)' });
    expect(pol.dialect).toBe('nsx');
  });

  it('a malformed network throws at construction', () => {
    expect(() => nsxList([{ network: '10.0.0.300/8' }])).toThrow(/prefix-list pl entry 1: "10.0.0.300\/8" is not an IPv4 prefix or ANY/);
  });
});

describe('prefix lists: FRR', () => {
  it('evaluates by seq, not file order', () => {
    const pol = frrList([
      { seq: 20, action: 'permit', prefix: '10.0.0.0/8', le: 32 },
      { seq: 10, action: 'deny', prefix: '10.1.0.0/16' },
    ]);
    expect(pol.prefixList('pl', P('10.1.0.0/16'))).toEqual({ permit: false, reason: 'prefix-list pl seq 10 (10.1.0.0/16) denies' });
    expect(pol.prefixList('pl', P('10.2.0.0/16'))).toEqual({ permit: true, reason: 'prefix-list pl seq 20 (10.0.0.0/8 le 32) permits' });
    expect(pol.prefixList('pl', P('11.0.0.0/8'))).toEqual({ permit: false, reason: 'prefix-list pl: no entry matches (implicit deny)' });
    expect(pol.dialect).toBe('frr');
  });

  it('entries without seq get 5, 10, 15... in file order', () => {
    const pol = frrList([
      { action: 'deny', prefix: '10.1.0.0/16' },
      { action: 'deny', prefix: '10.2.0.0/16' },
      { action: 'permit', prefix: '0.0.0.0/0', le: 32 },
    ]);
    expect(pol.prefixList('pl', P('10.1.0.0/16')).reason).toBe('prefix-list pl seq 5 (10.1.0.0/16) denies');
    expect(pol.prefixList('pl', P('10.2.0.0/16')).reason).toBe('prefix-list pl seq 10 (10.2.0.0/16) denies');
    expect(pol.prefixList('pl', P('10.3.0.0/16')).reason).toBe('prefix-list pl seq 15 (0.0.0.0/0 le 32) permits');
  });

  it('automatic seq continues from the highest seq so far, like FRR', () => {
    const pol = frrList([
      { seq: 7, action: 'deny', prefix: '10.1.0.0/16' },
      { action: 'deny', prefix: '10.2.0.0/16' }, // 10
      { seq: 3, action: 'permit', prefix: '10.2.0.0/16' }, // evaluated first
      { action: 'permit', prefix: '10.9.0.0/16' }, // 15
    ]);
    expect(pol.prefixList('pl', P('10.2.0.0/16')).reason).toBe('prefix-list pl seq 3 (10.2.0.0/16) permits');
    expect(pol.prefixList('pl', P('10.9.0.0/16')).reason).toBe('prefix-list pl seq 15 (10.9.0.0/16) permits');
  });

  it('a later entry with the same seq replaces the earlier one', () => {
    const pol = frrList([
      { seq: 5, action: 'deny', prefix: '10.0.0.0/8' },
      { seq: 5, action: 'permit', prefix: '10.0.0.0/8' },
    ]);
    expect(pol.prefixList('pl', P('10.0.0.0/8')).permit).toBe(true);
  });

  it('a defined list without entries permits (FRR)', () => {
    const v = frrList([]).prefixList('pl', P('10.0.0.0/8'));
    expect(v.permit).toBe(true);
    expect(v.reason).toMatch(/no entries/);
  });
});

// ---- NSX route maps -----------------------------------------------------------------------------

describe('route maps: NSX', () => {
  const pol = nsxPolicy(
    t0({
      prefixLists: {
        'pl-deny-pods': [{ network: '10.146.128.0/17', action: 'DENY', le: 32 }],
        'pl-permit-mgmt': [{ network: '10.146.10.0/24', action: 'PERMIT' }],
        'pl-other': [{ network: '192.168.0.0/16', le: 32 }],
      },
      communityLists: {
        'cl-a': ['65146:100', '65146:200'],
        'cl-large': ['65146:1:2', 'NO_EXPORT'],
      },
      routeMaps: {
        'rm-override': [{ action: 'PERMIT', prefixLists: ['pl-deny-pods'], set: { localPreference: 300 } }],
        'rm-deny-permitted': [{ action: 'DENY', prefixLists: ['pl-permit-mgmt'] }, { action: 'PERMIT' }],
        'rm-any-of': [{ action: 'PERMIT', prefixLists: ['pl-permit-mgmt', 'pl-other'] }],
        'rm-any': [{ action: 'PERMIT', communityLists: [{ communityList: 'cl-a', operator: 'MATCH_ANY' }] }],
        'rm-default-op': [{ action: 'PERMIT', communityLists: [{ communityList: 'cl-a' }] }],
        'rm-all': [{ action: 'PERMIT', communityLists: [{ communityList: 'cl-a', operator: 'MATCH_ALL' }] }],
        'rm-exact': [{ action: 'PERMIT', communityLists: [{ communityList: 'cl-large', operator: 'MATCH_EXACT' }] }],
        'rm-both': [{ action: 'PERMIT', prefixLists: ['pl-other'], communityLists: [{ communityList: 'cl-a', operator: 'MATCH_ANY' }] }],
        'rm-undefined': [{ action: 'PERMIT', prefixLists: ['pl-missing'] }, { action: 'PERMIT', communityLists: [{ communityList: 'cl-missing' }] }],
        'rm-order': [
          { action: 'DENY', prefixLists: ['pl-other'] },
          { action: 'PERMIT', set: { med: 10 } },
        ],
      },
    }),
  );

  it("the route-map entry's action overrides the prefix list's DENY", () => {
    const v = pol.routeMap('rm-override', attrs('10.146.130.0/24'));
    expect(v.permit).toBe(true);
    expect(v.attrs!.localPref).toBe(300);
    expect(v.reason).toMatch(/^route-map rm-override entry 1 permits, matching prefix-list pl-deny-pods entry 1 \(10\.146\.128\.0\/17 le 32\)/);
    expect(v.reason).toMatch(/overrides/);
    // A prefix the list has no entry for does not match the route-map entry: implicit deny.
    expect(pol.routeMap('rm-override', attrs('172.16.0.0/16'))).toEqual({ permit: false, reason: 'route-map rm-override: no entry matches (implicit deny)' });
  });

  it('a DENY entry denies what its prefix list permits', () => {
    const v = pol.routeMap('rm-deny-permitted', attrs('10.146.10.0/24'));
    expect(v.permit).toBe(false);
    expect(v.attrs).toBeUndefined();
    expect(v.reason).toMatch(/^route-map rm-deny-permitted entry 1 denies/);
    const w = pol.routeMap('rm-deny-permitted', attrs('10.146.11.0/24'));
    expect(w.permit).toBe(true);
    expect(w.reason).toMatch(/^route-map rm-deny-permitted entry 2 permits \(no match criteria/);
  });

  it('an entry matches when ANY of its prefix lists matches', () => {
    expect(pol.routeMap('rm-any-of', attrs('10.146.10.0/24')).permit).toBe(true);
    expect(pol.routeMap('rm-any-of', attrs('192.168.5.0/24')).reason).toMatch(/matching prefix-list pl-other entry 1/);
    expect(pol.routeMap('rm-any-of', attrs('10.0.0.0/8')).permit).toBe(false);
  });

  it('entries are evaluated in order', () => {
    const a = pol.routeMap('rm-order', attrs('192.168.1.0/24'));
    expect(a.permit).toBe(false);
    expect(a.reason).toMatch(/^route-map rm-order entry 1 denies/);
    const b = pol.routeMap('rm-order', attrs('10.0.0.0/8'));
    expect(b.permit).toBe(true);
    expect(b.attrs!.med).toBe(10);
    expect(b.reason).toMatch(/^route-map rm-order entry 2 permits/);
  });

  it('MATCH_ANY (also the default operator): at least one community of the list', () => {
    for (const rm of ['rm-any', 'rm-default-op']) {
      expect(pol.routeMap(rm, attrs('10.0.0.0/8', { communities: ['65146:200'] })).permit).toBe(true);
      expect(pol.routeMap(rm, attrs('10.0.0.0/8', { communities: ['65146:300'] })).permit).toBe(false);
      expect(pol.routeMap(rm, attrs('10.0.0.0/8')).permit).toBe(false);
    }
  });

  it('MATCH_ALL: every community of the list (extra ones allowed)', () => {
    expect(pol.routeMap('rm-all', attrs('10.0.0.0/8', { communities: ['65146:100', '65146:200', '65146:999'] })).permit).toBe(true);
    expect(pol.routeMap('rm-all', attrs('10.0.0.0/8', { communities: ['65146:100'] })).permit).toBe(false);
  });

  it('MATCH_EXACT: the regular + large set equals the list', () => {
    const exact = attrs('10.0.0.0/8', { communities: ['no-export'], largeCommunities: ['65146:1:2'] });
    expect(pol.routeMap('rm-exact', exact).permit).toBe(true);
    expect(pol.routeMap('rm-exact', { ...exact, communities: ['65146:7', 'no-export'] }).permit).toBe(false);
    expect(pol.routeMap('rm-exact', { ...exact, largeCommunities: [] }).permit).toBe(false);
    expect(pol.routeMap('rm-exact', { ...exact, communities: [] }).permit).toBe(false);
  });

  it('prefix lists and community criteria in one entry must both hold', () => {
    expect(pol.routeMap('rm-both', attrs('192.168.1.0/24', { communities: ['65146:100'] })).permit).toBe(true);
    expect(pol.routeMap('rm-both', attrs('192.168.1.0/24')).permit).toBe(false);
    expect(pol.routeMap('rm-both', attrs('10.0.0.0/8', { communities: ['65146:100'] })).permit).toBe(false);
  });

  it('undefined lists never match, and the reason says so', () => {
    const v = pol.routeMap('rm-undefined', attrs('10.0.0.0/8', { communities: ['65146:100'] }));
    expect(v.permit).toBe(false);
    expect(v.reason).toMatch(/^route-map rm-undefined: no entry matches \(implicit deny\)/);
    expect(v.reason).toMatch(/entry 1: prefix-list pl-missing is not defined/);
    expect(v.reason).toMatch(/entry 2: community-list cl-missing is not defined/);
  });

  it('an undefined route map denies; hasRouteMap', () => {
    expect(pol.hasRouteMap('rm-order')).toBe(true);
    expect(pol.hasRouteMap('rm-nope')).toBe(false);
    expect(pol.routeMap('rm-nope', attrs('10.0.0.0/8'))).toEqual({ permit: false, reason: 'route-map rm-nope is not defined (deny)' });
  });

  it('an empty route map denies everything', () => {
    const p = nsxPolicy(t0({ routeMaps: { rm: [] } }));
    expect(p.routeMap('rm', attrs('10.0.0.0/8')).reason).toBe('route-map rm: no entry matches (implicit deny)');
  });
});

// ---- FRR route maps -----------------------------------------------------------------------------

describe('route maps: FRR', () => {
  const pol = frrPolicy(
    router({
      prefixLists: {
        'pl-deny10': [
          { seq: 5, action: 'deny', prefix: '10.0.0.0/8', le: 32 },
          { seq: 10, action: 'permit', prefix: '0.0.0.0/0', le: 32 },
        ],
        'pl-192': [{ action: 'permit', prefix: '192.168.0.0/16', le: 32 }],
      },
      communityLists: {
        'cl-both': [{ action: 'permit', communities: '65100:1 no-export' }],
        'cl-order': [
          { action: 'deny', communities: '65100:666' },
          { action: 'permit', communities: '65100:1' },
        ],
        'cl-internet': [{ action: 'permit', communities: 'internet' }],
        'cl-large': [{ action: 'permit', communities: '65100:1:2' }],
      },
      asPathLists: {
        'from-65100': [{ action: 'permit', regex: '^65100_' }],
        'origin-65146': [{ action: 'permit', regex: '_65146$' }],
        local: [{ action: 'permit', regex: '^$' }],
        'via-65200': [{ action: 'permit', regex: '_65200_' }],
        'not-65666': [
          { action: 'deny', regex: '_65666_' },
          { action: 'permit', regex: '.*' },
        ],
      },
      routeMaps: {
        'rm-seq': [
          { seq: 20, action: 'permit', set: { localPreference: 50 } },
          { seq: 10, action: 'deny', match: { prefixList: 'pl-192' } },
        ],
        'rm-fall': [
          { seq: 10, action: 'permit', match: { prefixList: 'pl-deny10' }, set: { localPreference: 200 } },
          { seq: 20, action: 'permit', set: { localPreference: 50 } },
        ],
        'rm-only': [{ seq: 10, action: 'permit', match: { prefixList: 'pl-deny10' } }],
        'rm-and': [{ seq: 10, action: 'permit', match: { prefixList: 'pl-192', communityList: 'cl-both' } }],
        'rm-cl-both': [{ seq: 10, action: 'permit', match: { communityList: 'cl-both' } }],
        'rm-cl-order': [{ seq: 10, action: 'permit', match: { communityList: 'cl-order' } }],
        'rm-cl-internet': [{ seq: 10, action: 'permit', match: { communityList: 'cl-internet' } }],
        'rm-cl-large': [{ seq: 10, action: 'permit', match: { communityList: 'cl-large' } }],
        'rm-from-65100': [{ seq: 10, action: 'permit', match: { asPathList: 'from-65100' } }],
        'rm-origin-65146': [{ seq: 10, action: 'permit', match: { asPathList: 'origin-65146' } }],
        'rm-local': [{ seq: 10, action: 'permit', match: { asPathList: 'local' } }],
        'rm-via-65200': [{ seq: 10, action: 'permit', match: { asPathList: 'via-65200' } }],
        'rm-not-65666': [{ seq: 10, action: 'permit', match: { asPathList: 'not-65666' } }],
        'rm-undef': [
          { seq: 10, action: 'permit', match: { prefixList: 'pl-missing' } },
          { seq: 20, action: 'permit', match: { communityList: 'cl-missing' } },
          { seq: 30, action: 'permit', match: { asPathList: 'al-missing' } },
        ],
        'rm-nh': [{ seq: 10, action: 'permit', set: { nextHopPeerAddress: true } }],
      },
    }),
  );
  const rm = (name: string, a: PathAttributes) => pol.routeMap(name, a);

  it('evaluates entries by seq', () => {
    const v = rm('rm-seq', attrs('192.168.1.0/24'));
    expect(v.permit).toBe(false);
    expect(v.reason).toMatch(/^route-map rm-seq seq 10 denies, matching prefix-list pl-192 seq 5 \(192\.168\.0\.0\/16 le 32\) permits/);
    const w = rm('rm-seq', attrs('10.0.0.0/8'));
    expect(w.permit).toBe(true);
    expect(w.attrs!.localPref).toBe(50);
    expect(w.reason).toBe('route-map rm-seq seq 20 permits (no match criteria: matches every route); set local-preference 50');
  });

  it('a prefix list that denies makes the route fall through to the next entry', () => {
    const ten = rm('rm-fall', attrs('10.1.0.0/16'));
    expect(ten.permit).toBe(true);
    expect(ten.attrs!.localPref).toBe(50);
    expect(ten.reason).toMatch(/^route-map rm-fall seq 20 permits/);
    const other = rm('rm-fall', attrs('172.16.0.0/16'));
    expect(other.attrs!.localPref).toBe(200);
    expect(other.reason).toMatch(/^route-map rm-fall seq 10 permits, matching prefix-list pl-deny10 seq 10/);
    // With nothing to fall to: implicit deny.
    expect(rm('rm-only', attrs('10.1.0.0/16'))).toEqual({ permit: false, reason: 'route-map rm-only: no entry matches (implicit deny)' });
  });

  it('match clauses are ANDed', () => {
    expect(rm('rm-and', attrs('192.168.1.0/24', { communities: ['65100:1', 'no-export'] })).permit).toBe(true);
    expect(rm('rm-and', attrs('192.168.1.0/24', { communities: ['65100:1'] })).permit).toBe(false);
    expect(rm('rm-and', attrs('10.1.0.0/16', { communities: ['65100:1', 'no-export'] })).permit).toBe(false);
  });

  it('standard community list: an entry needs ALL its communities, well-known names included', () => {
    const v = rm('rm-cl-both', attrs('10.0.0.0/8', { communities: ['65100:1', '65100:2', 'no-export'] }));
    expect(v.permit).toBe(true);
    expect(v.reason).toMatch(/community-list cl-both entry 1 \(65100:1 no-export\) permits/);
    expect(rm('rm-cl-both', attrs('10.0.0.0/8', { communities: ['65100:1'] })).permit).toBe(false);
    expect(rm('rm-cl-both', attrs('10.0.0.0/8', { communities: ['no-export'] })).permit).toBe(false);
    // The route's communities are compared normalised (NSX spelling, numeric form).
    expect(rm('rm-cl-both', attrs('10.0.0.0/8', { communities: ['65100:1', 'NO_EXPORT'] })).permit).toBe(true);
    expect(rm('rm-cl-both', attrs('10.0.0.0/8', { communities: ['65100:1', '65535:65281'] })).permit).toBe(true);
  });

  it('community list: first matching entry decides, no match denies', () => {
    expect(rm('rm-cl-order', attrs('10.0.0.0/8', { communities: ['65100:1', '65100:666'] })).permit).toBe(false);
    expect(rm('rm-cl-order', attrs('10.0.0.0/8', { communities: ['65100:1'] })).permit).toBe(true);
    expect(rm('rm-cl-order', attrs('10.0.0.0/8', { communities: ['65100:2'] })).permit).toBe(false);
  });

  it('community list: internet matches every route, even one without communities', () => {
    expect(rm('rm-cl-internet', attrs('10.0.0.0/8')).permit).toBe(true);
    expect(rm('rm-cl-internet', attrs('10.0.0.0/8', { communities: ['65100:9'] })).permit).toBe(true);
  });

  it('community list: large communities are looked up among the large ones', () => {
    expect(rm('rm-cl-large', attrs('10.0.0.0/8', { largeCommunities: ['65100:1:2'] })).permit).toBe(true);
    expect(rm('rm-cl-large', attrs('10.0.0.0/8', { communities: ['65100:1'] })).permit).toBe(false);
  });

  it('as-path ^65100_ : learned from AS 65100', () => {
    expect(rm('rm-from-65100', attrs('10.0.0.0/8', { asPath: [65100, 65200] })).permit).toBe(true);
    expect(rm('rm-from-65100', attrs('10.0.0.0/8', { asPath: [65100] })).permit).toBe(true);
    expect(rm('rm-from-65100', attrs('10.0.0.0/8', { asPath: [651001] })).permit).toBe(false);
    expect(rm('rm-from-65100', attrs('10.0.0.0/8', { asPath: [65200, 65100] })).permit).toBe(false);
    expect(rm('rm-from-65100', attrs('10.0.0.0/8', { asPath: [] })).permit).toBe(false);
  });

  it('as-path _65146$ : originated by AS 65146', () => {
    expect(rm('rm-origin-65146', attrs('10.0.0.0/8', { asPath: [65100, 65146] })).permit).toBe(true);
    expect(rm('rm-origin-65146', attrs('10.0.0.0/8', { asPath: [65146] })).permit).toBe(true);
    expect(rm('rm-origin-65146', attrs('10.0.0.0/8', { asPath: [65146, 65100] })).permit).toBe(false);
    expect(rm('rm-origin-65146', attrs('10.0.0.0/8', { asPath: [165146] })).permit).toBe(false);
  });

  it('as-path ^$ : locally originated (empty path) only', () => {
    const v = rm('rm-local', attrs('10.0.0.0/8', { asPath: [] }));
    expect(v.permit).toBe(true);
    expect(v.reason).toMatch(/as-path-list local entry 1 \(\^\$\) permits/);
    expect(rm('rm-local', attrs('10.0.0.0/8', { asPath: [65100] })).permit).toBe(false);
  });

  it('as-path _65200_ : AS 65200 anywhere, as a whole ASN', () => {
    expect(rm('rm-via-65200', attrs('10.0.0.0/8', { asPath: [65100, 65200, 65300] })).permit).toBe(true);
    expect(rm('rm-via-65200', attrs('10.0.0.0/8', { asPath: [65200] })).permit).toBe(true);
    expect(rm('rm-via-65200', attrs('10.0.0.0/8', { asPath: [652001] })).permit).toBe(false);
    expect(rm('rm-via-65200', attrs('10.0.0.0/8', { asPath: [165200, 65300] })).permit).toBe(false);
  });

  it('as-path list: first matching entry decides', () => {
    expect(rm('rm-not-65666', attrs('10.0.0.0/8', { asPath: [65100, 65666] })).permit).toBe(false);
    expect(rm('rm-not-65666', attrs('10.0.0.0/8', { asPath: [65100, 656660] })).permit).toBe(true);
    expect(rm('rm-not-65666', attrs('10.0.0.0/8', { asPath: [] })).permit).toBe(true);
  });

  it('undefined lists in match clauses do not match, and the reason says so', () => {
    const v = rm('rm-undef', attrs('10.0.0.0/8', { communities: ['65100:1'] }));
    expect(v.permit).toBe(false);
    expect(v.reason).toMatch(/^route-map rm-undef: no entry matches \(implicit deny\)/);
    expect(v.reason).toMatch(/seq 10: prefix-list pl-missing is not defined/);
    expect(v.reason).toMatch(/seq 20: community-list cl-missing is not defined/);
    expect(v.reason).toMatch(/seq 30: as-path-list al-missing is not defined/);
  });

  it('set ip next-hop peer-address is reported in the verdict', () => {
    const v = rm('rm-nh', attrs('10.0.0.0/8'));
    expect(v.permit).toBe(true);
    expect(v.nextHopPeerAddress).toBe(true);
    expect(v.attrs!.nextHop).toBe(parseIp('10.146.10.2'));
    expect(rm('rm-seq', attrs('10.0.0.0/8')).nextHopPeerAddress).toBeUndefined();
  });

  it('a later route-map entry with the same seq replaces the earlier one', () => {
    const p = frrPolicy(
      router({
        routeMaps: {
          rm: [
            { seq: 10, action: 'deny' },
            { seq: 10, action: 'permit' },
          ],
        },
      }),
    );
    expect(p.routeMap('rm', attrs('10.0.0.0/8')).permit).toBe(true);
  });

  it('malformed regex or community throws at construction', () => {
    expect(() => frrPolicy(router({ asPathLists: { a: [{ action: 'permit', regex: '(65100' }] } }))).toThrow(/as-path-list a entry 1: invalid regex/);
    expect(() => frrPolicy(router({ communityLists: { c: [{ action: 'permit', communities: '65100:99999' }] } }))).toThrow(/community-list c entry 1: malformed community/);
    expect(() => frrPolicy(router({ routeMaps: { r: [{ seq: 10, action: 'permit', set: { asPathPrepend: '65100 x' } }] } }))).toThrow(/route-map r seq 10: as-path prepend/);
  });
});

// ---- Sets -------------------------------------------------------------------------------------

describe('set', () => {
  const pol = frrPolicy(
    router({
      routeMaps: {
        prepend: [{ seq: 10, action: 'permit', set: { asPathPrepend: '65146 65147' } }],
        scalars: [{ seq: 10, action: 'permit', set: { localPreference: 250, med: 30, weight: 100 } }],
        replace: [{ seq: 10, action: 'permit', set: { community: '65146:100 65146:1:2' } }],
        additive: [{ seq: 10, action: 'permit', set: { community: '65146:100 NO_EXPORT 65146:1:2', communityAdditive: true } }],
        none: [{ seq: 10, action: 'permit', set: { community: 'none' } }],
        deny: [{ seq: 10, action: 'deny', set: { localPreference: 1 } }],
      },
    }),
  );
  const base = () =>
    attrs('10.0.0.0/8', {
      asPath: [65100, 65200],
      med: 5,
      localPref: 100,
      weight: 7,
      communities: ['65100:2', '65100:10'],
      largeCommunities: ['65100:1:1'],
    });

  it('asPathPrepend prepends the ASNs in the order written', () => {
    expect(pol.routeMap('prepend', base()).attrs!.asPath).toEqual([65146, 65147, 65100, 65200]);
    expect(pol.routeMap('prepend', attrs('10.0.0.0/8', { asPath: [] })).attrs!.asPath).toEqual([65146, 65147]);
  });

  it('local preference, MED and weight replace; the rest is kept', () => {
    const v = pol.routeMap('scalars', base());
    expect(v.attrs).toEqual({ ...base(), localPref: 250, med: 30, weight: 100 });
    expect(v.reason).toBe('route-map scalars seq 10 permits (no match criteria: matches every route); set local-preference 250, metric 30, weight 100');
  });

  it('community replaces the regular communities, and the large ones only when it names any (FRR set community / set large-community)', () => {
    const v = pol.routeMap('replace', base());
    expect(v.attrs!.communities).toEqual(['65146:100']);
    expect(v.attrs!.largeCommunities).toEqual(['65146:1:2']);
    const onlyRegular = nsxPolicy(t0({ routeMaps: { rm: [{ action: 'PERMIT', set: { community: '65146:5' } }] } }));
    const w = onlyRegular.routeMap('rm', base());
    expect(w.attrs!.communities).toEqual(['65146:5']);
    expect(w.attrs!.largeCommunities).toEqual(base().largeCommunities);
  });

  it('additive adds, keeping lists unique and numerically sorted', () => {
    const v = pol.routeMap('additive', attrs('10.0.0.0/8', { communities: ['65146:100', '65100:10', '65100:2'], largeCommunities: ['65200:1:1'] }));
    expect(v.attrs!.communities).toEqual(['65100:2', '65100:10', '65146:100', 'no-export']);
    expect(v.attrs!.largeCommunities).toEqual(['65146:1:2', '65200:1:1']);
  });

  it('community none removes the regular communities (FRR: set community none; large ones stay)', () => {
    const v = pol.routeMap('none', base());
    expect(v.attrs!.communities).toEqual([]);
    expect(v.attrs!.largeCommunities).toEqual(base().largeCommunities);
  });

  it('a deny entry applies nothing', () => {
    expect(pol.routeMap('deny', base())).toEqual({ permit: false, reason: 'route-map deny seq 10 denies (no match criteria: matches every route)' });
  });

  it('never mutates the input and returns a fresh object', () => {
    for (const name of ['prepend', 'scalars', 'replace', 'additive', 'none']) {
      const input = deepFreeze(base());
      const snapshot = structuredClone(input);
      const v = pol.routeMap(name, input);
      expect(input).toEqual(snapshot);
      expect(v.attrs).not.toBe(input);
      expect(v.attrs!.asPath).not.toBe(input.asPath);
      expect(v.attrs!.communities).not.toBe(input.communities);
      expect(v.attrs!.largeCommunities).not.toBe(input.largeCommunities);
      expect(v.attrs!.prefix).not.toBe(input.prefix);
    }
  });

  it('NSX sets too: prepend, local preference, community', () => {
    const p = nsxPolicy(
      t0({
        prefixLists: { pl: [{ network: 'ANY' }] },
        routeMaps: { rm: [{ action: 'PERMIT', prefixLists: ['pl'], set: { asPathPrepend: '65146 65146', localPreference: 150, community: '65146:1 NO_ADVERTISE' } }] },
      }),
    );
    const v = p.routeMap('rm', base());
    expect(v.attrs!.asPath).toEqual([65146, 65146, 65100, 65200]);
    expect(v.attrs!.localPref).toBe(150);
    expect(v.attrs!.communities).toEqual(['65146:1', 'no-advertise']);
    expect(v.reason).toBe(
      'route-map rm entry 1 permits, matching prefix-list pl entry 1 (ANY); set local-preference 150, as-path prepend 65146 65146, community 65146:1 NO_ADVERTISE',
    );
  });
});

// ---- filter -------------------------------------------------------------------------------------

describe('filter', () => {
  const pol = frrPolicy(
    router({
      prefixLists: { pl: [{ action: 'permit', prefix: '10.0.0.0/8', le: 32 }] },
      routeMaps: { rm: [{ seq: 10, action: 'permit', set: { localPreference: 300 } }] },
    }),
  );

  it('a prefix-list filter permits or denies without changing attributes', () => {
    const input = deepFreeze(attrs('10.1.0.0/16', { localPref: 100 }));
    const v = pol.filter({ prefixList: 'pl' }, input);
    expect(v.permit).toBe(true);
    expect(v.attrs).toEqual(input);
    expect(v.attrs).not.toBe(input);
    expect(v.reason).toBe('prefix-list pl seq 5 (10.0.0.0/8 le 32) permits');
    expect(pol.filter({ prefixList: 'pl' }, attrs('11.0.0.0/8'))).toEqual({ permit: false, reason: 'prefix-list pl: no entry matches (implicit deny)' });
    expect(pol.filter({ prefixList: 'missing' }, attrs('10.0.0.0/8')).permit).toBe(false);
  });

  it('a route-map filter applies the route map', () => {
    const v = pol.filter({ routeMap: 'rm' }, attrs('11.0.0.0/8'));
    expect(v.permit).toBe(true);
    expect(v.attrs!.localPref).toBe(300);
    expect(pol.filter({ routeMap: 'missing' }, attrs('10.0.0.0/8'))).toEqual({ permit: false, reason: 'route-map missing is not defined (deny)' });
  });

  it('both (FRR neighbour with prefix-list and route-map): the prefix list first, then the route map', () => {
    expect(pol.filter({ prefixList: 'pl', routeMap: 'rm' }, attrs('11.0.0.0/8')).permit).toBe(false);
    const v = pol.filter({ prefixList: 'pl', routeMap: 'rm' }, attrs('10.0.0.0/8'));
    expect(v.permit).toBe(true);
    expect(v.attrs!.localPref).toBe(300);
    expect(v.reason).toMatch(/^prefix-list pl seq 5 .* permits; route-map rm seq 10 permits/);
  });

  it('no filter permits unchanged', () => {
    const v = pol.filter({}, attrs('10.0.0.0/8'));
    expect(v.permit).toBe(true);
    expect(v.attrs).toEqual(attrs('10.0.0.0/8'));
  });
});

// ---- parseCommunities ---------------------------------------------------------------------------

describe('parseCommunities', () => {
  it('normalises NSX and FRR spellings, splits regular and large', () => {
    expect(parseCommunities('65146:100 NO_EXPORT 65146:1:2 no-advertise')).toEqual({
      communities: ['65146:100', 'no-export', 'no-advertise'],
      largeCommunities: ['65146:1:2'],
    });
    expect(parseCommunities('NO_EXPORT_SUBCONFED local-AS no-export-subconfed')).toEqual({ communities: ['no-export-subconfed'], largeCommunities: [] });
  });

  it('sorts numerically and removes duplicates, numeric well-known values become names', () => {
    expect(parseCommunities('65100:10 65100:2 65100:2 065100:02')).toEqual({ communities: ['65100:2', '65100:10'], largeCommunities: [] });
    expect(parseCommunities('65535:65281 no-export 65535:65282').communities).toEqual(['no-export', 'no-advertise']);
    expect(parseCommunities('1:2:10 1:2:9 1:10:0').largeCommunities).toEqual(['1:2:9', '1:2:10', '1:10:0']);
    expect(parseCommunities('  ')).toEqual({ communities: [], largeCommunities: [] });
  });

  it('throws on malformed tokens', () => {
    for (const bad of ['65536:1', '1:65536', 'abc', '1:2:3:4', '4294967296:1:1', '65100', ':1', 'additive']) {
      expect(() => parseCommunities(`65100:1 ${bad}`), bad).toThrow(/malformed community/);
    }
  });
});

// ---- Property: prefix lists against a naive reference ---------------------------------------------

interface GenEntry {
  addr: number;
  len: number;
  permit: boolean;
  ge?: number;
  le?: number;
  any: boolean;
}

const bits = (addr: number) => (addr >>> 0).toString(2).padStart(32, '0');

/** The rule as written in the brief, on bit strings. */
function naiveMatches(e: GenEntry, p: Prefix): boolean {
  const len = e.any ? 0 : e.len;
  if (p.len < len || bits(p.addr).slice(0, len) !== bits(e.addr).slice(0, len)) return false;
  const ge = e.ge ? e.ge : undefined;
  const le = e.le ? e.le : undefined;
  if (ge === undefined && le === undefined) return e.any ? true : p.len === len;
  if (le === undefined) return ge! <= p.len && p.len <= 32;
  if (ge === undefined) return len <= p.len && p.len <= le;
  return ge <= p.len && p.len <= le;
}

function maskTo(addr: number, len: number): number {
  const s = bits(addr).slice(0, len).padEnd(32, '0');
  return parseInt(s, 2) >>> 0;
}

const bases = [0x0a000000, 0x0a920000, 0x0a928000, 0xc0a80000, 0xac100000];
const genAddr = fc
  .tuple(fc.constantFrom(...bases), fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffffffff })))
  .map(([b, n]) => (n <= 0xffff ? (b | n) >>> 0 : n >>> 0));
const genLen = fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(8, 16, 17, 24, 32));
const genOptLen = fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined });
const genEntry: fc.Arbitrary<GenEntry> = fc
  .record({ addr: genAddr, len: genLen, permit: fc.boolean(), ge: genOptLen, le: genOptLen, any: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) })
  .map((e) => ({ ...e, addr: maskTo(e.addr, e.len) }));
const genPrefix = fc.tuple(genAddr, genLen).map(([a, len]) => ({ addr: maskTo(a, len), len }));

const entryText = (e: GenEntry) => (e.any ? 'ANY' : formatPrefix({ addr: e.addr, len: e.len }));

describe('property: prefix-list verdicts equal a naive reference', () => {
  it('NSX: list order, ANY, implicit deny', () => {
    fc.assert(
      fc.property(fc.array(genEntry, { maxLength: 8 }), fc.array(genPrefix, { minLength: 1, maxLength: 12 }), (entries, prefixes) => {
        const pol = nsxList(entries.map((e) => ({ network: entryText(e), action: e.permit ? 'PERMIT' : 'DENY', ge: e.ge, le: e.le })));
        for (const p of prefixes) {
          const k = entries.findIndex((e) => naiveMatches(e, p));
          const v = pol.prefixList('pl', p);
          expect(v.permit).toBe(k >= 0 && entries[k].permit);
          if (k >= 0) expect(v.reason).toMatch(new RegExp(`^prefix-list pl entry ${k + 1} `));
          else expect(v.reason).toBe('prefix-list pl: no entry matches (implicit deny)');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('FRR: seq order regardless of file order, empty list permits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(genEntry, fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 8 }),
        fc.array(genPrefix, { minLength: 1, maxLength: 12 }),
        (withKeys, prefixes) => {
          // Evaluation order = array order (seq 10, 20, ...); file order = sorted by the random key.
          const entries = withKeys.map(([e]) => ({ ...e, any: false }));
          const file = withKeys
            .map(([, key], i) => ({ key, i }))
            .sort((a, b) => a.key - b.key)
            .map(({ i }) => {
              const e = entries[i];
              return { seq: (i + 1) * 10, action: e.permit ? 'permit' : 'deny', prefix: entryText(e), ge: e.ge, le: e.le } as FrrPrefixEntry;
            });
          const pol = frrList(file);
          for (const p of prefixes) {
            const k = entries.findIndex((e) => naiveMatches(e, p));
            const v = pol.prefixList('pl', p);
            const expected = entries.length === 0 ? true : k >= 0 && entries[k].permit;
            expect(v.permit).toBe(expected);
            if (k >= 0) expect(v.reason).toMatch(new RegExp(`^prefix-list pl seq ${(k + 1) * 10} `));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
