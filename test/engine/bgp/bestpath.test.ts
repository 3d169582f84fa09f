// BGP best-path selection (src/engine/bgp/bestpath.ts) on hand-built paths: every step of FRR's
// order deciding on its own, the step reported, MED only within one neighbour AS (unless
// always-compare-med), the multipath set (peer type, AS path, multipath-relax, maximum-paths), the
// NSX rule "northbound beats inter-SR" on Tier-0 SRs only, and order independence.
import { describe, expect, it } from 'vitest';
import { comparePaths, selectBest } from '../../../src/engine/bgp/bestpath.js';
import { frrPolicy, type PathAttributes } from '../../../src/engine/bgp/policy.js';
import type { BgpPath, PeerType, Speaker } from '../../../src/engine/bgp/types.js';
import { parseIp, parsePrefix } from '../../../src/topology/ip.js';

const ip = (s: string): number => {
  const v = parseIp(s);
  if (v === null) throw new Error(`bad address ${s}`);
  return v;
};

function speaker(over: Partial<Speaker> = {}): Speaker {
  return {
    index: 0,
    name: 'r0',
    kind: 'router',
    owner: 'r0',
    edge: null,
    component: 0,
    asn: 65000,
    routerId: ip('10.255.0.1'),
    policy: frrPolicy({ interfaces: [] }),
    sessions: [],
    down: [],
    maxPathsEbgp: 64,
    maxPathsIbgp: 64,
    multipathRelax: false,
    alwaysCompareMed: false,
    local: [],
    aggregates: [],
    ...over,
  };
}

interface PathSpec {
  /** Peer address (also the next hop); omit for a locally originated path. */
  peer?: string;
  /** Peer router id (default: the peer address). */
  rid?: string;
  type?: PeerType;
  session?: number;
  attrs?: Partial<PathAttributes>;
}

let nextSession = 0;
function path(spec: PathSpec = {}): BgpPath {
  const local = spec.peer === undefined;
  const attrs: PathAttributes = {
    prefix: parsePrefix('10.9.0.0/24')!,
    nextHop: local ? 0 : ip(spec.peer!),
    asPath: local ? [] : [65001],
    origin: 'igp',
    med: null,
    localPref: null,
    communities: [],
    largeCommunities: [],
    weight: 0,
    ...spec.attrs,
  };
  return {
    attrs,
    session: local ? -1 : (spec.session ?? nextSession++),
    peerType: local ? 'local' : (spec.type ?? 'ebgp'),
    peerRouterId: local ? 0 : ip(spec.rid ?? spec.peer!),
    peerAddress: local ? 0 : ip(spec.peer!),
    source: local ? 'network 10.9.0.0/24' : `from ${spec.peer}`,
  };
}

/** comparePaths both ways: a must win at `step`, and b must lose at the same step. */
function expectWins(a: BgpPath, b: BgpPath, step: string, sp: Speaker = speaker()): void {
  const ab = comparePaths(a, b, sp);
  const ba = comparePaths(b, a, sp);
  expect(ab.step).toBe(step);
  expect(ab.order).toBeLessThan(0);
  expect(ba.step).toBe(step);
  expect(ba.order).toBeGreaterThan(0);
}

describe('comparePaths: each step decides on its own', () => {
  it('weight: higher wins, before local preference and AS-path length', () => {
    const heavy = path({ peer: '10.0.0.9', attrs: { weight: 100, asPath: [65001, 65002, 65003] } });
    const light = path({ peer: '10.0.0.2', attrs: { weight: 0, localPref: 500 } });
    expectWins(heavy, light, 'weight');
  });

  it('local preference: higher wins; absent counts as 100', () => {
    expectWins(path({ peer: '10.0.0.9', attrs: { localPref: 200, asPath: [65001, 65002] } }), path({ peer: '10.0.0.2', attrs: { localPref: 100 } }), 'local preference');
    expectWins(path({ peer: '10.0.0.9', attrs: { localPref: 101 } }), path({ peer: '10.0.0.2', attrs: { localPref: null } }), 'local preference');
    expectWins(path({ peer: '10.0.0.9', attrs: { localPref: null } }), path({ peer: '10.0.0.2', attrs: { localPref: 99 } }), 'local preference');
    // null and 100 are the same value: decided further down (router id here).
    expect(comparePaths(path({ peer: '10.0.0.9', attrs: { localPref: null } }), path({ peer: '10.0.0.2', attrs: { localPref: 100 } }), speaker()).step).toBe('router id');
  });

  it('locally originated beats a received path with the same weight and local preference', () => {
    const local = path({ attrs: { weight: 0, origin: 'incomplete', med: 1000 } });
    const received = path({ peer: '10.0.0.2', attrs: { asPath: [] } });
    expectWins(local, received, 'locally originated');
  });

  it('AS-path length: shorter wins, before origin and MED', () => {
    expectWins(path({ peer: '10.0.0.9', attrs: { asPath: [65001], origin: 'incomplete', med: 900 } }), path({ peer: '10.0.0.2', attrs: { asPath: [65001, 65001] } }), 'AS-path length');
  });

  it('origin: IGP < EGP < incomplete', () => {
    expectWins(path({ peer: '10.0.0.9', attrs: { origin: 'igp', med: 900 } }), path({ peer: '10.0.0.2', attrs: { origin: 'egp' } }), 'origin');
    expectWins(path({ peer: '10.0.0.9', attrs: { origin: 'egp' } }), path({ peer: '10.0.0.2', attrs: { origin: 'incomplete' } }), 'origin');
    expectWins(path({ peer: '10.0.0.9', attrs: { origin: 'igp' } }), path({ peer: '10.0.0.2', attrs: { origin: 'incomplete' } }), 'origin');
  });

  it('MED: lower wins between paths from the same neighbour AS; absent counts as 0', () => {
    expectWins(path({ peer: '10.0.0.9', attrs: { asPath: [65001, 65100], med: 10 } }), path({ peer: '10.0.0.2', attrs: { asPath: [65001, 65200], med: 20 } }), 'MED');
    expectWins(path({ peer: '10.0.0.9', attrs: { med: null } }), path({ peer: '10.0.0.2', attrs: { med: 5 } }), 'MED');
    // MED before eBGP over iBGP.
    expectWins(path({ peer: '10.0.0.9', type: 'ibgp', attrs: { med: 1 } }), path({ peer: '10.0.0.2', type: 'ebgp', attrs: { med: 2 } }), 'MED');
  });

  it('eBGP over iBGP (and over inter-SR on a physical router)', () => {
    expectWins(path({ peer: '10.0.0.9', type: 'ebgp' }), path({ peer: '10.0.0.2', type: 'ibgp' }), 'eBGP over iBGP');
    expectWins(path({ peer: '10.0.0.9', type: 'ebgp' }), path({ peer: '10.0.0.2', type: 'inter-sr' }), 'eBGP over iBGP');
  });

  it('router id: lower wins', () => {
    expectWins(path({ peer: '10.0.0.9', rid: '1.1.1.1' }), path({ peer: '10.0.0.2', rid: '2.2.2.2' }), 'router id');
  });

  it('peer address: lower wins when the router ids are equal', () => {
    expectWins(path({ peer: '10.0.0.2', rid: '1.1.1.1' }), path({ peer: '10.0.0.3', rid: '1.1.1.1' }), 'peer address');
  });

  it('identical paths tie', () => {
    const a = path({ peer: '10.0.0.2', session: 1 });
    const c = comparePaths(a, { ...a }, speaker());
    expect(c).toEqual({ order: 0, step: 'identical', multipathEqual: true });
  });
});

describe('MED is compared only between paths from the same neighbour AS', () => {
  // Different neighbour AS: a has the worse MED but the lower router id.
  const a = path({ peer: '10.0.0.2', rid: '1.1.1.1', attrs: { asPath: [65001, 65100], med: 50 } });
  const b = path({ peer: '10.0.0.3', rid: '2.2.2.2', attrs: { asPath: [65002, 65100], med: 10 } });

  it('different neighbour AS: MED skipped, decided by router id', () => {
    expectWins(a, b, 'router id');
  });

  it('always-compare-med: compared across neighbour ASes', () => {
    expectWins(b, a, 'MED', speaker({ alwaysCompareMed: true }));
  });

  it('two internal paths (empty AS path) compare MED', () => {
    const x = path({ peer: '10.0.0.2', rid: '9.9.9.9', type: 'ibgp', attrs: { asPath: [], med: 1 } });
    const y = path({ peer: '10.0.0.3', rid: '1.1.1.1', type: 'ibgp', attrs: { asPath: [], med: 2 } });
    expectWins(x, y, 'MED');
  });
});

describe('selectBest: best path, reasons and the deciding step', () => {
  it('no candidates: no best path', () => {
    expect(selectBest([], speaker())).toEqual({ best: -1, multipath: [], reasons: [] });
  });

  it('a single path is "best: only path"', () => {
    const s = selectBest([path({ peer: '10.0.0.2' })], speaker());
    expect(s).toEqual({ best: 0, multipath: [0], reasons: ['best: only path'] });
  });

  it('the best reports the earliest step at which it beat another path; losers name the winner and the step', () => {
    const best = path({ peer: '10.0.0.1', rid: '1.1.1.1', attrs: { localPref: 200 } });
    const lowerLp = path({ peer: '10.0.0.2', rid: '0.0.0.1', attrs: { localPref: 100 } });
    const longer = path({ peer: '10.0.0.3', rid: '0.0.0.2', attrs: { localPref: 200, asPath: [65001, 65001] } });
    const s = selectBest([lowerLp, best, longer], speaker({ maxPathsEbgp: 1 }));
    expect(s.best).toBe(1);
    expect(s.multipath).toEqual([1]);
    expect(s.reasons[1]).toBe('best: won at local preference');
    expect(s.reasons[0]).toBe('lost to the path from 10.0.0.1 at local preference');
    expect(s.reasons[2]).toBe('lost to the path from 10.0.0.1 at AS-path length');
  });

  it('a locally originated winner is described as such', () => {
    const local = path({ attrs: { weight: 32768 } });
    const rx = path({ peer: '10.0.0.2' });
    const s = selectBest([rx, local], speaker());
    expect(s.best).toBe(1);
    expect(s.multipath).toEqual([1]);
    expect(s.reasons).toEqual(['lost to the locally originated path at weight', 'best: won at weight']);
  });

  it('each step, as the only difference, is the reported deciding step', () => {
    const cases: [string, BgpPath, BgpPath][] = [
      ['weight', path({ peer: '10.0.0.3', attrs: { weight: 1 } }), path({ peer: '10.0.0.2' })],
      ['local preference', path({ peer: '10.0.0.3', attrs: { localPref: 150 } }), path({ peer: '10.0.0.2' })],
      ['AS-path length', path({ peer: '10.0.0.3' }), path({ peer: '10.0.0.2', attrs: { asPath: [65001, 65001] } })],
      ['origin', path({ peer: '10.0.0.3', attrs: { origin: 'egp' } }), path({ peer: '10.0.0.2', attrs: { origin: 'incomplete' } })],
      ['MED', path({ peer: '10.0.0.3', attrs: { med: 1 } }), path({ peer: '10.0.0.2', attrs: { med: 2 } })],
      ['eBGP over iBGP', path({ peer: '10.0.0.3' }), path({ peer: '10.0.0.2', type: 'ibgp' })],
      ['router id', path({ peer: '10.0.0.3', rid: '1.0.0.1' }), path({ peer: '10.0.0.2', rid: '1.0.0.2', attrs: { asPath: [65002] } })],
      ['peer address', path({ peer: '10.0.0.2', rid: '1.0.0.1' }), path({ peer: '10.0.0.3', rid: '1.0.0.1', attrs: { asPath: [65002] } })],
    ];
    for (const [step, winner, loser] of cases) {
      const s = selectBest([loser, winner], speaker());
      expect(s.best, step).toBe(1);
      expect(s.reasons[1], step).toBe(`best: won at ${step}`);
      expect(s.reasons[0], step).toBe(`lost to the path from ${winner.peerAddress === ip('10.0.0.2') ? '10.0.0.2' : '10.0.0.3'} at ${step}`);
    }
  });
});

describe('multipath', () => {
  it('eBGP paths with identical AS paths are multipath, best first, tie-break order after', () => {
    const p1 = path({ peer: '10.0.0.3', rid: '3.3.3.3' });
    const p2 = path({ peer: '10.0.0.1', rid: '1.1.1.1' });
    const p3 = path({ peer: '10.0.0.2', rid: '2.2.2.2' });
    const s = selectBest([p1, p2, p3], speaker());
    expect(s.best).toBe(1);
    expect(s.multipath).toEqual([1, 2, 0]);
    expect(s.reasons[1]).toBe('best: won at router id');
    expect(s.reasons[0]).toBe('multipath with the best path (equal up to router id)');
    expect(s.reasons[2]).toBe('multipath with the best path (equal up to router id)');
  });

  it('eBGP paths from different neighbour ASes: not multipath without multipath-relax, multipath with it', () => {
    const a = path({ peer: '10.0.0.1', attrs: { asPath: [65001, 65100] } });
    const b = path({ peer: '10.0.0.2', attrs: { asPath: [65002, 65100] } });
    const strict = selectBest([a, b], speaker());
    expect(strict.best).toBe(0);
    expect(strict.multipath).toEqual([0]);
    expect(strict.reasons[1]).toBe('lost to the path from 10.0.0.1 at router id');
    const relaxed = selectBest([a, b], speaker({ multipathRelax: true }));
    expect(relaxed.best).toBe(0);
    expect(relaxed.multipath).toEqual([0, 1]);
  });

  it('multipath-relax still needs equal AS-path length (decided before)', () => {
    const a = path({ peer: '10.0.0.1', attrs: { asPath: [65001] } });
    const b = path({ peer: '10.0.0.2', attrs: { asPath: [65002, 65100] } });
    const s = selectBest([a, b], speaker({ multipathRelax: true }));
    expect(s.multipath).toEqual([0]);
    expect(s.reasons[1]).toBe('lost to the path from 10.0.0.1 at AS-path length');
  });

  it('iBGP paths need an identical AS path unless multipath-relax', () => {
    const a = path({ peer: '10.0.0.1', type: 'ibgp', attrs: { asPath: [65001, 65100] } });
    const b = path({ peer: '10.0.0.2', type: 'ibgp', attrs: { asPath: [65001, 65200] } });
    const c = path({ peer: '10.0.0.3', type: 'ibgp', attrs: { asPath: [65001, 65100] } });
    expect(selectBest([a, b, c], speaker()).multipath).toEqual([0, 2]);
    expect(selectBest([a, b, c], speaker({ multipathRelax: true })).multipath).toEqual([0, 1, 2]);
  });

  it('paths of different peer types are never multipath partners', () => {
    // On a physical router inter-SR and iBGP both pass "eBGP over iBGP" and reach the tie-breaks.
    const a = path({ peer: '10.0.0.1', type: 'ibgp' });
    const b = path({ peer: '10.0.0.2', type: 'inter-sr' });
    const s = selectBest([a, b], speaker({ multipathRelax: true }));
    expect(s.multipath).toEqual([0]);
    expect(comparePaths(a, b, speaker({ multipathRelax: true })).multipathEqual).toBe(false);
    // eBGP vs iBGP is decided before multipath is considered.
    const e = path({ peer: '10.0.0.3', type: 'ebgp' });
    expect(selectBest([a, e], speaker({ multipathRelax: true })).multipath).toEqual([1]);
  });

  it('a locally originated path has no multipath partner', () => {
    const l1 = path({ attrs: { weight: 0 } });
    const l2 = path({ attrs: { weight: 0 } });
    expect(comparePaths(l1, l2, speaker()).multipathEqual).toBe(false);
    expect(selectBest([l1, l2], speaker()).multipath).toEqual([0]);
  });

  it('maximum-paths caps the set: eBGP by maxPathsEbgp, iBGP by maxPathsIbgp', () => {
    const ebgp = ['10.0.0.4', '10.0.0.2', '10.0.0.3', '10.0.0.1'].map((p) => path({ peer: p }));
    const s2 = selectBest(ebgp, speaker({ maxPathsEbgp: 2, maxPathsIbgp: 64 }));
    expect(s2.best).toBe(3);
    expect(s2.multipath).toEqual([3, 1]);
    expect(s2.reasons[2]).toBe('lost to the path from 10.0.0.1 at router id');
    expect(s2.reasons[0]).toBe('lost to the path from 10.0.0.1 at router id');
    expect(selectBest(ebgp, speaker({ maxPathsEbgp: 1 })).multipath).toEqual([3]);
    // The iBGP limit does not apply to eBGP paths, and vice versa.
    expect(selectBest(ebgp, speaker({ maxPathsEbgp: 64, maxPathsIbgp: 1 })).multipath).toHaveLength(4);
    const ibgp = ['10.0.0.4', '10.0.0.2', '10.0.0.3', '10.0.0.1'].map((p) => path({ peer: p, type: 'ibgp' }));
    expect(selectBest(ibgp, speaker({ maxPathsEbgp: 64, maxPathsIbgp: 3 })).multipath).toEqual([3, 1, 2]);
    expect(selectBest(ibgp, speaker({ maxPathsEbgp: 1, maxPathsIbgp: 64 })).multipath).toHaveLength(4);
  });

  // FRR (bgpd/bgp_route.c, bgp_path_info_cmp, step "Maximum path check"): without multipath-relax
  // two eBGP paths are multipath partners when they come from the same neighbouring AS
  // (`new->peer->as == exist->peer->as`, debug text "equal via same remote-as"); only iBGP paths
  // need an identical AS path (`aspath_cmp`). bestpath.ts requires an identical AS path for eBGP
  // too, so two eBGP peers in AS 65001 advertising [65001 65100] and [65001 65200] (same length,
  // same neighbour AS) are not multipath in the model, but are in FRR.
  it('eBGP paths from the same neighbour AS with different AS paths are multipath without relax (FRR: "same remote-as")', () => {
    const a = path({ peer: '10.0.0.1', attrs: { asPath: [65001, 65100] } });
    const b = path({ peer: '10.0.0.2', attrs: { asPath: [65001, 65200] } });
    const s = selectBest([a, b], speaker());
    expect(s.best).toBe(0);
    expect(s.multipath).toEqual([0, 1]);
  });
});

describe('NSX: a northbound path beats an inter-SR path on a Tier-0 SR', () => {
  const sr = speaker({ kind: 'tier0-sr', name: 't0@edge-01', owner: 't0', edge: 'edge-01', maxPathsEbgp: 8, maxPathsIbgp: 8, multipathRelax: true });

  it('before weight and local preference on a tier0-sr speaker', () => {
    const north = path({ peer: '10.0.10.1', rid: '9.9.9.9', attrs: { asPath: [65001, 65002, 65003] } });
    const isr = path({ peer: '169.254.0.130', rid: '1.1.1.1', type: 'inter-sr', attrs: { weight: 1000, localPref: 500 } });
    expectWins(north, isr, 'northbound over inter-SR (NSX)', sr);
    const s = selectBest([isr, north], sr);
    expect(s.best).toBe(1);
    expect(s.multipath).toEqual([1]);
    expect(s.reasons[0]).toBe('lost to the path from 10.0.10.1 at northbound over inter-SR (NSX)');
    expect(s.reasons[1]).toBe('best: won at northbound over inter-SR (NSX)');
  });

  it('an iBGP (not inter-SR) path gets no such preference', () => {
    const north = path({ peer: '10.0.10.1', attrs: { localPref: 100 } });
    const ibgp = path({ peer: '10.0.10.2', type: 'ibgp', attrs: { localPref: 200 } });
    expectWins(ibgp, north, 'local preference', sr);
  });

  it('on a physical router the same paths follow the ordinary steps', () => {
    const north = path({ peer: '10.0.10.1', rid: '9.9.9.9' });
    const isr = path({ peer: '169.254.0.130', rid: '1.1.1.1', type: 'inter-sr', attrs: { localPref: 500 } });
    expectWins(isr, north, 'local preference', speaker());
    expect(selectBest([north, isr], speaker()).best).toBe(1);
    // Without other differences: eBGP over iBGP.
    expectWins(north, path({ peer: '169.254.0.130', rid: '1.1.1.1', type: 'inter-sr' }), 'eBGP over iBGP', speaker());
  });
});

describe('determinism: the selection does not depend on the order of the candidates', () => {
  function permutations<T>(xs: T[]): T[][] {
    if (xs.length <= 1) return [xs];
    return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
  }
  /** Best path and multipath set as path objects, and each path's reason, independent of the indexes. */
  function outcome(paths: BgpPath[], sp: Speaker) {
    const s = selectBest(paths, sp);
    return {
      best: paths[s.best],
      multipath: new Set(s.multipath.map((i) => paths[i])),
      reasons: new Map(paths.map((p, i) => [p, s.reasons[i]])),
    };
  }

  const candidates = [
    path({ peer: '10.0.0.4', rid: '4.4.4.4', attrs: { asPath: [65001, 65100] } }),
    path({ peer: '10.0.0.2', rid: '2.2.2.2', attrs: { asPath: [65002, 65100] } }),
    path({ peer: '10.0.0.3', rid: '3.3.3.3', attrs: { asPath: [65001, 65100], med: 5 } }),
    path({ peer: '10.0.0.5', rid: '2.2.2.2', attrs: { asPath: [65003, 65100] } }),
    path({ peer: '10.0.0.6', rid: '0.0.0.6', type: 'ibgp', attrs: { asPath: [65001, 65100], localPref: 100 } }),
  ];

  for (const [label, sp] of [
    ['strict, maximum-paths 2', speaker({ maxPathsEbgp: 2 })],
    ['multipath-relax', speaker({ multipathRelax: true })],
    ['multipath-relax, maximum-paths 3', speaker({ multipathRelax: true, maxPathsEbgp: 3 })],
  ] as const) {
    it(`every permutation gives the same best path, multipath set and reasons (${label})`, () => {
      const ref = outcome(candidates, sp);
      for (const perm of permutations(candidates)) {
        const o = outcome(perm, sp);
        expect(o.best).toBe(ref.best);
        expect(o.multipath).toEqual(ref.multipath);
        expect(o.reasons).toEqual(ref.reasons);
      }
    });
  }

  it('the reference outcome itself is the one FRR picks', () => {
    const o = outcome(candidates, speaker({ multipathRelax: true }));
    // 10.0.0.2 and 10.0.0.5 share router id 2.2.2.2 (10.0.0.2 wins at peer address); MED 5 on
    // 10.0.0.3 only matters against 10.0.0.4 (same neighbour AS 65001).
    expect(o.best).toBe(candidates[1]);
    // Multipath partners are compared with the best path only: 10.0.0.3 (MED 5) is from another
    // neighbour AS than the best, so its MED is not compared and it joins the set (as FRR without
    // deterministic-med); the iBGP path does not.
    expect(o.multipath).toEqual(new Set([candidates[1], candidates[0], candidates[2], candidates[3]]));
    const capped = outcome(candidates, speaker({ multipathRelax: true, maxPathsEbgp: 3 }));
    // Capped: the partners in tie-break order — 10.0.0.5 (router id 2.2.2.2), then 10.0.0.4 (beats 10.0.0.3 at MED).
    expect(capped.multipath).toEqual(new Set([candidates[1], candidates[3], candidates[0]]));
    // 10.0.0.3 was eliminated inside its neighbour-AS group (by 10.0.0.4 at MED), never by 10.0.0.2.
    expect(capped.reasons.get(candidates[2])).toBe('lost to the path from 10.0.0.4 at MED (deterministic-MED group of AS 65001)');
    // The iBGP path also belongs to group 65001 and lost there, to that group's winner 10.0.0.4.
    expect(capped.reasons.get(candidates[4])).toBe('lost to the path from 10.0.0.4 at eBGP over iBGP (deterministic-MED group of AS 65001)');
  });

  // MED is compared only within a neighbour AS, so "better than" is not transitive:
  //   A: neighbour AS 65001, MED 10, router id 3.3.3.3
  //   B: neighbour AS 65001, MED 20, router id 1.1.1.1
  //   C: neighbour AS 65002, MED 0,  router id 2.2.2.2
  // A beats B (MED), B beats C (router id), C beats A (router id). selectBest walks the list once
  // keeping the running winner, so [A, B, C] → C but [B, C, A] → A. The twin has no arrival
  // order to make this meaningful; FRR answers it order-independently with `bgp deterministic-med`
  // (bgp_best_selection groups paths by neighbour AS, keeps the best of each group — A over B at
  // MED — then compares the group winners: C over A at router id). Expected: C for every order.
  it('an intransitive MED triple gives a different best path depending on the candidate order (expected C, as FRR with deterministic-med)', () => {
    const A = path({ peer: '10.0.0.1', rid: '3.3.3.3', attrs: { asPath: [65001, 65100], med: 10 } });
    const B = path({ peer: '10.0.0.2', rid: '1.1.1.1', attrs: { asPath: [65001, 65100], med: 20 } });
    const C = path({ peer: '10.0.0.3', rid: '2.2.2.2', attrs: { asPath: [65002, 65100], med: 0 } });
    const sp = speaker({ maxPathsEbgp: 1 });
    for (const perm of permutations([A, B, C])) {
      const s = selectBest(perm, sp);
      expect(perm[s.best]).toBe(C);
    }
  });

  // B never met C: it was eliminated inside its group by A at MED. Against C it would even win
  // (router id 1.1.1.1 < 2.2.2.2), so "lost to C at router id" was false.
  it('a path eliminated inside its deterministic-MED group names the group winner and the MED step, in every order', () => {
    const A = path({ peer: '10.0.0.1', rid: '3.3.3.3', attrs: { asPath: [65001, 65100], med: 10 } });
    const B = path({ peer: '10.0.0.2', rid: '1.1.1.1', attrs: { asPath: [65001, 65100], med: 20 } });
    const C = path({ peer: '10.0.0.3', rid: '2.2.2.2', attrs: { asPath: [65002, 65100], med: 0 } });
    for (const perm of permutations([A, B, C])) {
      const o = outcome(perm, speaker({ maxPathsEbgp: 1 }));
      expect(o.best).toBe(C);
      expect(o.reasons.get(C)).toBe('best: won at router id');
      expect(o.reasons.get(A)).toBe('lost to the path from 10.0.0.3 at router id');
      expect(o.reasons.get(B)).toBe('lost to the path from 10.0.0.1 at MED (deterministic-MED group of AS 65001)');
    }
  });

  it("the best path's deciding step counts only paths it was compared with (not another group's losers)", () => {
    // B (iBGP, neighbour AS 65001) loses to A at MED inside group 65001; C beats A at router id.
    // C against B would be decided at eBGP over iBGP, but that comparison never happens.
    const A = path({ peer: '10.0.0.1', rid: '3.3.3.3', attrs: { asPath: [65001, 65100], med: 10 } });
    const B = path({ peer: '10.0.0.2', rid: '1.1.1.1', type: 'ibgp', attrs: { asPath: [65001, 65100], med: 20, localPref: 100 } });
    const C = path({ peer: '10.0.0.3', rid: '2.2.2.2', attrs: { asPath: [65002, 65100], med: 0 } });
    const s = selectBest([A, B, C], speaker());
    expect(s.best).toBe(2);
    expect(s.multipath).toEqual([2]);
    expect(s.reasons).toEqual([
      'lost to the path from 10.0.0.3 at router id',
      'lost to the path from 10.0.0.1 at MED (deterministic-MED group of AS 65001)',
      'best: won at router id',
    ]);
  });

  it('a loser inside the best path\'s own group is explained against the best', () => {
    const A = path({ peer: '10.0.0.1', rid: '3.3.3.3', attrs: { asPath: [65001, 65100], med: 10 } });
    const B = path({ peer: '10.0.0.2', rid: '1.1.1.1', attrs: { asPath: [65001, 65100], med: 20 } });
    const C = path({ peer: '10.0.0.3', rid: '2.2.2.2', attrs: { asPath: [65002, 65100, 65100] } });
    const s = selectBest([A, B, C], speaker());
    expect(s.best).toBe(0);
    expect(s.reasons).toEqual(['best: won at AS-path length', 'lost to the path from 10.0.0.1 at MED', 'lost to the path from 10.0.0.1 at AS-path length']);
  });
});
