// An edit of BGP session filters alone (neighbours' in/out, and the prefix lists, community lists,
// AS-path lists and route maps that only they read) is told apart from any other configuration
// change (src/engine/incremental/session-filters.ts): the tables before BGP are kept, and BGP
// decides again the prefixes the edited lists and route-map entries can answer otherwise
// (incremental/filter-prefixes.ts), or runs whole from the previous origination when that may be
// any prefix — with a state equal to a fresh build either way (test/engine/incremental.test.ts
// replays such edits against fresh builds; here too).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { produce } from 'immer';
import { validateScenario } from '../../src/topology/validate.js';
import { sessionFiltersOnly } from '../../src/engine/incremental/session-filters.js';
import { filterChangedPrefixes } from '../../src/engine/incremental/filter-prefixes.js';
import { formatPrefix, parsePrefix } from '../../src/topology/ip.js';
import { generateSize, GENERATED } from '../../src/topology/generate.js';
import { Twin } from '../../src/engine/twin.js';
import type { Scenario } from '../../src/topology/scenario.js';

const start = generateSize('S', { routePolicy: true });
const t0 = (d: Scenario) => d.tier0s![GENERATED.tier0];
const tor = (d: Scenario) => d.physicalRouters!['tor-01'];
const edited = (recipe: (d: Scenario) => void) => produce(start, recipe);

describe('session filters alone', () => {
  it('a neighbour\'s filter, a route map or prefix list only filters read: filters only', () => {
    expect(sessionFiltersOnly(start, start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void delete t0(d).bgp!.neighbors![0].out), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).bgp!.neighbors![1].in = { prefixList: GENERATED.heldBackPrefixList })), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).routeMaps![GENERATED.exportRouteMap][0].action = 'PERMIT')), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).prefixLists![GENERATED.heldBackPrefixList][0].network = '10.0.0.0/16')), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (tor(d).bgp!.neighbors![0].routeMapIn = 'none')), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (tor(d).prefixLists = { p: [{ action: 'permit', prefix: '10.0.0.0/8', le: 32 }] })), start)).toBe(true);
  });

  it('what origination reads, or anything else: not filters only', () => {
    // A route map (and the lists it names) that redistribution reads.
    const redistributing = edited((d) => void (t0(d).redistribution![0].routeMap = GENERATED.exportRouteMap));
    expect(sessionFiltersOnly(produce(redistributing, (d) => void (t0(d).routeMaps![GENERATED.exportRouteMap][0].action = 'PERMIT')), redistributing)).toBe(false);
    expect(sessionFiltersOnly(produce(redistributing, (d) => void (t0(d).prefixLists![GENERATED.heldBackPrefixList][0].le = 24)), redistributing)).toBe(false);
    expect(sessionFiltersOnly(redistributing, start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).bgp!.localAs = 65001)), start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).bgp!.neighbors![0].remoteAs = 65101)), start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).staticRoutes = [{ name: 'x', network: '192.0.2.0/24', nextHops: [{ blackhole: true }] }])), start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (tor(d).bgp!.neighbors![0].defaultOriginate = false)), start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (tor(d).bgp!.networks = ['172.31.1.0/24'])), start)).toBe(false);
    // FRR redistribution through a route map: its lists are origination's.
    const frr = edited((d) => {
      tor(d).prefixLists = { p: [{ action: 'permit', prefix: '172.31.0.0/16', le: 32 }] };
      tor(d).routeMaps = { rm: [{ seq: 10, action: 'permit', match: { prefixList: 'p' } }] };
      tor(d).bgp!.redistribute = [{ type: 'connected', routeMap: 'rm' }];
    });
    expect(sessionFiltersOnly(produce(frr, (d) => void (tor(d).prefixLists!.p[0].le = 24)), frr)).toBe(false);
    expect(sessionFiltersOnly(produce(frr, (d) => void (tor(d).bgp!.neighbors![0].routeMapOut = 'rm')), frr)).toBe(true);
  });

  it('an update of a route-map entry matching on a prefix list decides again the prefixes that list matches, the tables before BGP kept', () => {
    const twin = new Twin(start);
    const next = edited((d) => void (t0(d).routeMaps![GENERATED.exportRouteMap][0].action = 'PERMIT'));
    const up = twin.update(next);
    const stage = (name: string) => up.report.stages.find((x) => x.stage === name)!;
    expect(stage('ribs').how).toBe('kept');
    // held-back is 10.0.0.0/20 le 32: the first Tier-1's 10 segments and the second's first 6.
    expect([stage('bgp').how, stage('bgp').detail]).toEqual(['updated', 'BGP session filters changed: 16 prefix(es) decided again']);
    expect(stage('install').detail).toBe('BGP routes of 16 prefix(es) replaced');
    // The held-back segments now reach the ToRs.
    expect(twin.bgp({ router: 'tor-01' }).routes.map((r) => r.prefix)).not.toContain('10.0.0.0/24');
    expect(up.bgp({ router: 'tor-01' }).routes.map((r) => r.prefix)).toContain('10.0.0.0/24');
    const fresh = new Twin(structuredClone(next));
    for (const router of ['tor-01', 'tor-08']) {
      expect(up.bgp({ router }).routes).toEqual(fresh.bgp({ router }).routes);
      expect(up.bgp({ router, rejected: true }).rejected).toEqual(fresh.bgp({ router, rejected: true }).rejected);
    }
    expect(up.routes({ router: 'tor-03' })).toEqual(fresh.routes({ router: 'tor-03' }));
  });

  it('an entry of a list only NSX route maps read, flipped: a route-map entry matches on any entry, so no prefix is decided again (the reasons change: computed when asked)', () => {
    const twin = new Twin(start);
    const next = edited((d) => void (t0(d).prefixLists![GENERATED.heldBackPrefixList][0].action = 'DENY'));
    const up = twin.update(next);
    expect(up.report.stages.find((x) => x.stage === 'bgp')!.detail).toBe('BGP session filters changed: 0 prefix(es) decided again');
    const fresh = new Twin(structuredClone(next));
    expect(up.bgp({ router: 'tor-01' }).routes).toEqual(twin.bgp({ router: 'tor-01' }).routes);
    const rejected = (t: Twin) => t.bgp({ router: 'tor-01', rejected: true }).rejected;
    expect(rejected(up)).toEqual(rejected(fresh));
    expect(JSON.stringify(rejected(up))).toContain('although that entry says DENY');
  });

  it('an edit that may read any prefix runs BGP whole from the previous origination: the permit-everything entry, a neighbour\'s filter', () => {
    const twin = new Twin(start);
    for (const [recipe, why] of [
      [(d: Scenario) => void (t0(d).routeMaps![GENERATED.exportRouteMap][1].action = 'DENY'), /the filters changed read more than \d+ of \d+ prefixes/],
      [(d: Scenario) => void delete t0(d).bgp!.neighbors![0].out, /the filters changed may read any prefix/],
    ] as const) {
      const next = edited(recipe);
      const up = twin.update(next);
      const bgp = up.report.stages.find((x) => x.stage === 'bgp')!;
      expect(bgp.how).toBe('built');
      expect(bgp.detail).toMatch(/^BGP session filters changed; decided as a whole: /);
      expect(bgp.detail).toMatch(why);
      expect(bgp.detail).toMatch(/origination reused where a table is the same: 16 of 16 speakers/);
      expect(up.bgp({ router: 'tor-02' }).routes).toEqual(new Twin(structuredClone(next)).bgp({ router: 'tor-02' }).routes);
    }
  });
});

describe('filter edits in a row', () => {
  it('each a partial run on the one before; the ninth runs BGP whole, from the origination of the whole run the chain stands on; every state as a fresh build', () => {
    let s = start;
    let twin = new Twin(s);
    const details: string[] = [];
    for (let i = 0; i < 10; i++) {
      // The route-map entry's verdict and the list's range both change: no edit undoes the one before.
      s = produce(s, (d) => {
        t0(d).routeMaps![GENERATED.exportRouteMap][0].action = i % 2 ? 'DENY' : 'PERMIT';
        t0(d).prefixLists![GENERATED.heldBackPrefixList][0].network = `10.0.0.0/${21 + (i % 3)}`;
      });
      twin = twin.update(s);
      details.push(twin.report.stages.find((x) => x.stage === 'bgp')!.detail);
      if (i >= 7) {
        const fresh = new Twin(structuredClone(s));
        for (const router of ['tor-01', GENERATED.tier0]) {
          expect(twin.bgp({ router }).routes, `${router} after ${i + 1} edits`).toEqual(fresh.bgp({ router }).routes);
          expect(twin.bgp({ router, rejected: true }).rejected).toEqual(fresh.bgp({ router, rejected: true }).rejected);
        }
      }
    }
    for (const d of [...details.slice(0, 8), details[9]]) expect(d).toMatch(/^BGP session filters changed: \d+ prefix\(es\) decided again$/);
    expect(details[8]).toMatch(/^BGP session filters changed; decided as a whole: 8 partial runs in a row \(origination reused where a table is the same: 16 of 16 speakers\)/);
  });
});

describe('the prefixes a filter edit can decide otherwise (filterChangedPrefixes)', () => {
  const touched = (after: Scenario, before: Scenario, prefixes: string[]) => {
    const c = filterChangedPrefixes(after, before);
    if (c === null) return null;
    return prefixes.filter((text) => {
      const p = parsePrefix(text)!;
      // Every prefix it holds for lies inside one of the ranges it names.
      const inside = c.within.some((r) => p.len >= r.len && ((p.addr ^ r.addr) >>> (32 - r.len || 32)) === 0 || r.len === 0);
      const hit = c.test(p.addr, p.len);
      if (hit) expect(inside, `${text} inside ${c.within.map(formatPrefix).join(', ')}`).toBe(true);
      return hit;
    });
  };
  const probes = ['10.0.0.0/24', '10.0.15.0/24', '10.0.16.0/24', '10.0.0.0/20', '10.0.0.0/16', '172.24.0.1/32', '0.0.0.0/0'];

  it('an FRR prefix list a neighbour filters with: the prefixes whose first matching entry permits otherwise', () => {
    const frr = edited((d) => {
      tor(d).prefixLists = { p: [{ seq: 5, action: 'deny', prefix: '10.0.0.0/20', le: 32 }, { seq: 10, action: 'permit', prefix: '0.0.0.0/0', le: 32 }] };
      tor(d).bgp!.neighbors![0].prefixListIn = 'p';
    });
    // Entry 5 narrowed to /24s inside 10.0.0.0/22: the rest of 10.0.0.0/20 now permitted.
    const narrowed = produce(frr, (d) => void Object.assign(tor(d).prefixLists!.p[0], { prefix: '10.0.0.0/22', le: 24, ge: 24 }));
    expect(touched(narrowed, frr, probes)).toEqual(['10.0.15.0/24', '10.0.0.0/20']);
    // Another entry in place with the same verdict for every prefix: nothing.
    const same = produce(frr, (d) => void (tor(d).prefixLists!.p[1].prefix = '0.0.0.0/0'));
    expect(touched(same, frr, probes)).toEqual([]);
    // A list that came or went: any prefix.
    expect(touched(produce(frr, (d) => void delete tor(d).prefixLists!.p), frr, probes)).toBeNull();
  });

  it('NSX: a list route maps alone read counts by whether an entry matches; a route-map entry changed, by the prefixes its lists match; one matching on no list, any prefix', () => {
    const list = GENERATED.heldBackPrefixList;
    expect(touched(edited((d) => void (t0(d).prefixLists![list][0].action = 'DENY')), start, probes)).toEqual([]);
    expect(touched(edited((d) => void (t0(d).prefixLists![list][0].network = '10.0.0.0/23')), start, probes)).toEqual(['10.0.15.0/24', '10.0.0.0/20']);
    expect(touched(edited((d) => void (t0(d).routeMaps![GENERATED.exportRouteMap][0].action = 'PERMIT')), start, probes)).toEqual(['10.0.0.0/24', '10.0.15.0/24', '10.0.0.0/20']);
    // The same list named by a neighbour's filter: its verdict counts.
    const filtered = edited((d) => void (t0(d).bgp!.neighbors![1].in = { prefixList: list }));
    expect(touched(produce(filtered, (d) => void (t0(d).prefixLists![list][0].action = 'DENY')), filtered, probes)).toEqual(['10.0.0.0/24', '10.0.15.0/24', '10.0.0.0/20']);
    // Read by both, a matching DENY entry moved away: the filter denies either way, but the route map no longer matches.
    const denied = produce(filtered, (d) => void (t0(d).prefixLists![list][0].action = 'DENY'));
    expect(touched(produce(denied, (d) => void (t0(d).prefixLists![list][0].network = '10.0.128.0/20')), denied, probes)).toEqual(['10.0.0.0/24', '10.0.15.0/24', '10.0.0.0/20']);
    expect(touched(edited((d) => void t0(d).routeMaps![GENERATED.exportRouteMap].push({ action: 'DENY' })), start, probes)).toBeNull();
    expect(touched(edited((d) => void (t0(d).communityLists = { c: ['65000:1'] })), start, probes)).toBeNull();
  });
});

describe('filter edits one after another (property): each update equal to a fresh build', () => {
  // NSX lists and route maps on the Tier-0, an FRR list a ToR filters with: random edits of
  // entries (place, range, verdict), entries added, in a row; the ToRs' BGP tables and routes and
  // the Tier-0's compared with a fresh build after each.
  const base = edited((d) => {
    tor(d).prefixLists = { p: [{ seq: 5, action: 'deny', prefix: '10.0.0.0/20', le: 32 }, { seq: 10, action: 'permit', prefix: '0.0.0.0/0', le: 32 }], q: [{ seq: 5, action: 'permit', prefix: '10.0.16.0/20', le: 32 }] };
    tor(d).bgp!.neighbors![0].prefixListIn = 'p';
    // An FRR route map on another session: a local preference for q's prefixes, the rest permitted.
    tor(d).routeMaps = { rm: [{ seq: 10, action: 'permit', match: { prefixList: 'q' }, set: { localPreference: 300 } }, { seq: 20, action: 'permit' }] };
    tor(d).bgp!.neighbors![1].routeMapIn = 'rm';
  });
  const networks = ['10.0.0.0/20', '10.0.0.0/22', '10.0.16.0/24', '10.0.0.0/8', '172.24.0.0/14', 'ANY'];
  type Edit = (d: Scenario) => void;
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ network: fc.constantFrom(...networks), le: fc.constantFrom(undefined, 24, 32), action: fc.constantFrom('PERMIT' as const, 'DENY' as const) }).map(
      (e): Edit => (d) => void Object.assign(t0(d).prefixLists![GENERATED.heldBackPrefixList][0], e.le === undefined ? { network: e.network, action: e.action } : e),
    ),
    fc.constantFrom(0, 1).map((k): Edit => (d) => {
      const entry = t0(d).routeMaps![GENERATED.exportRouteMap][k];
      entry.action = entry.action === 'DENY' ? 'PERMIT' : 'DENY';
    }),
    fc.constantFrom(...networks.slice(0, 4)).map((network): Edit => (d) => void t0(d).prefixLists![GENERATED.heldBackPrefixList].push({ network, action: 'PERMIT' })),
    fc.record({ prefix: fc.constantFrom('10.0.0.0/20', '10.0.0.0/22', '10.0.32.0/20'), action: fc.constantFrom('permit' as const, 'deny' as const) }).map((e): Edit => (d) => void Object.assign(tor(d).prefixLists!.p[0], e)),
    // The FRR route map's first entry: its verdict, its local preference, its list's range; an entry inserted before it.
    fc.record({ action: fc.constantFrom('permit' as const, 'deny' as const), localPref: fc.constantFrom(50, 300), prefix: fc.constantFrom('10.0.16.0/20', '10.0.0.0/19') }).map(
      (e): Edit => (d) => {
        const entry = tor(d).routeMaps!.rm[0];
        entry.action = e.action;
        entry.set = { localPreference: e.localPref };
        tor(d).prefixLists!.q[0].prefix = e.prefix;
      },
    ),
    fc.constantFrom(1, 15).map((seq): Edit => (d) => void tor(d).routeMaps!.rm.splice(0, 0, { seq, action: 'deny', match: { prefixList: 'p' } })),
  );

  it('random sequences of prefix-list and route-map edits', () => {
    expect(validateScenario(base, () => ({ file: 'base' }))).toEqual([]);
    const paths = { partial: 0, whole: 0 };
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let s = base;
        let twin = new Twin(s);
        for (const e of edits) {
          const next = produce(s, e);
          if (validateScenario(next, () => ({ file: 'edit' })).length) continue;
          twin = twin.update(next);
          s = next;
          const bgp = twin.report.stages.find((x) => x.stage === 'bgp')!;
          if (bgp.how === 'updated') paths.partial++;
          else paths.whole++;
          const fresh = new Twin(structuredClone(next));
          for (const router of ['tor-01', 'tor-02']) {
            expect(twin.bgp({ router }).routes).toEqual(fresh.bgp({ router }).routes);
            expect(twin.bgp({ router, rejected: true }).rejected).toEqual(fresh.bgp({ router, rejected: true }).rejected);
            expect(twin.routes({ router })).toEqual(fresh.routes({ router }));
          }
          expect(twin.bgp({ router: GENERATED.tier0 }).routes).toEqual(fresh.bgp({ router: GENERATED.tier0 }).routes);
        }
      }),
      { numRuns: 12, seed: 36 },
    );
    // Both ways taken: prefixes decided again alone, and BGP whole.
    expect(paths.partial).toBeGreaterThan(0);
    expect(paths.whole).toBeGreaterThan(0);
  }, 240_000);
});
