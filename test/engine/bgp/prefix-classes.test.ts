// BGP decided per prefix class (src/engine/bgp/prefix-classes.ts: the rounds decide one
// representative per class of prefixes originated alike, every member takes its decision) must
// equal the run that decides every prefix alone (`prefixClasses: false`), on full state: every
// speaker's table, originated and stopped paths, what is advertised on every session, rounds,
// oscillation, the RIB routes BGP installs, the sizes, and the prefixes each speaker has a say in
// (what a partial run after a router failure decides again). On every bundled scenario, the FRR
// topologies and BGP fixtures, generated fabrics of the BGP shape (where the classes must be few:
// the test fails if they silently stop being used), generated fabrics with policies (prefix lists
// in session filters split the classes by which entry matches; an aggregate turns them off) and
// random fabrics (property).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bgpRibRoutes, contributedPrefixes, prefixClassCount, runBgp, type BgpState } from '../../../src/engine/bgp/control-plane.js';
import { classSizes, decisionsFromReps, membersOf, repDecisions, noteRefined, prefixClassesOf, refinedClasses, refines } from '../../../src/engine/bgp/prefix-classes.js';
import { loadScenarioFile } from '../../../src/topology/load-file.js';
import { generateScenario, generateSize } from '../../../src/topology/generate.js';
import { formatPrefix } from '../../../src/topology/ip.js';
import { build, FILES, fullOf, root, withPolicies, type Built } from './bgp-full-state.js';

const contributed = (st: BgpState, speaker: number): string[] => (contributedPrefixes(st, speaker) ?? []).map(formatPrefix).sort();

/** Runs BGP with and without classes and compares every view; the class count (null: not used). */
function compare({ rs, net, base }: Built): number | null {
  const withClasses = runBgp(rs, net, base);
  const alone = runBgp(rs, net, base, { prefixClasses: false });
  expect(prefixClassCount(alone)).toBeNull();
  const a = fullOf(withClasses, bgpRibRoutes(withClasses, net));
  const b = fullOf(alone, bgpRibRoutes(alone, net));
  expect(a.rounds).toBe(b.rounds);
  expect(a.oscillation).toBe(b.oscillation);
  expect(a.speakers.map((sp) => sp.name)).toEqual(b.speakers.map((sp) => sp.name));
  a.speakers.forEach((sp, i) => expect(sp, sp.name).toEqual(b.speakers[i]));
  expect(a.rib).toEqual(b.rib);
  for (const sp of withClasses.speakers) {
    expect(withClasses.size(sp.index), sp.name).toEqual(alone.size(sp.index));
    expect(contributed(withClasses, sp.index), sp.name).toEqual(contributed(alone, sp.index));
  }
  return prefixClassCount(withClasses);
}

describe('BGP decided per prefix class equals every prefix decided alone', () => {
  it.each(FILES.map((f) => [f.slice(root('').length), f]))('%s', (_, file) => {
    compare(build(loadScenarioFile(file).scenario));
  });

  it('generated BGP fabrics: a handful of classes decide thousands of prefixes', () => {
    const m = build(generateSize('M', { tier1s: 30 }));
    const classes = compare(m);
    const prefixes = runBgp(m.rs, m.net, m.base).table(0).length;
    expect(prefixes).toBeGreaterThan(1000);
    expect(classes).not.toBeNull();
    expect(classes!).toBeLessThan(prefixes / 20);
    expect(compare(build(generateSize('S', { tier1s: 6, virtualServices: 12 })))).not.toBeNull();
  });

  it('an aggregate: no classes, the same state', () => {
    expect(compare(build(withPolicies(4)))).toBeNull();
    expect(compare(build(withPolicies(12)))).toBeNull();
  });

  it('session filters that read prefixes (prefix lists, route maps matching on them, NSX and FRR): classes split by the lists, the same state', () => {
    for (const tier1s of [4, 12]) {
      const s = withPolicies(tier1s);
      delete Object.values(s.physicalRouters!)[2].bgp!.aggregates;
      const built = build(s);
      const classes = compare(built);
      expect(classes).not.toBeNull();
      // Split by the lists: more classes than the same fabric without filters, fewer than prefixes.
      const plain = compare(build(generateSize('S', { tier1s, virtualServices: tier1s * 2 })));
      expect(classes!).toBeGreaterThan(plain!);
      expect(classes!).toBeLessThan(runBgp(built.rs, built.net, built.base).table(0).length);
    }
  });

  it('the route policy of a generated fabric (routePolicy): the held-back segments never reach the ToRs, a handful of classes', () => {
    const built = build(generateSize('M', { tier1s: 30, routePolicy: true }));
    const classes = compare(built);
    expect(classes).not.toBeNull();
    expect(classes!).toBeLessThan(20);
    const st = runBgp(built.rs, built.net, built.base);
    const tor = st.speakers.find((sp) => sp.kind === 'router')!;
    const prefixes = st.table(tor.index).map((e) => formatPrefix(e.prefix));
    expect(prefixes).not.toContain('10.0.0.0/24');
    expect(prefixes).not.toContain('10.0.15.0/24');
    expect(prefixes).toContain('10.0.16.0/24');
    expect(prefixes.length).toBeGreaterThan(300);
  });

  it('an oscillation: described prefix by prefix, as without classes', () => {
    const st = build(loadScenarioFile(root('test/fixtures/bgp/disagree.yaml')).scenario);
    expect(runBgp(st.rs, st.net, st.base).oscillation).not.toBeNull();
    compare(st);
  });

  it('random generated fabrics (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          tier1s: fc.integer({ min: 1, max: 8 }),
          segments: fc.integer({ min: 1, max: 3 }),
          vs: fc.integer({ min: 0, max: 12 }),
          edges: fc.integer({ min: 1, max: 4 }),
          every: fc.integer({ min: 1, max: 4 }),
          tors: fc.integer({ min: 1, max: 3 }),
        }),
        ({ tier1s, segments, vs, edges, every, tors }) => {
          const s = generateScenario({ tier1s, segmentsPerTier1: segments, workloadsPerSegment: 1, hosts: 2, edges, centralizedEvery: every, virtualServices: vs, tors, bgp: true });
          expect(compare(build(s))).not.toBeNull();
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe('prefix classes', () => {
  it('group prefix ids by every code, keep the ones alone by themselves, and expand decisions to members', () => {
    const codes = [(p: number) => [1, 1, 2, 1, 0, 1][p], (p: number) => [5, 5, 5, 5, 0, 6][p]];
    const c = prefixClassesOf(6, codes, [3]);
    // 0 and 1 alike; 2 differs by the first code; 3 alone; 4 originated by nobody; 5 differs by the second.
    expect([...c.rep]).toEqual([0, 0, 2, 3, 4, 5]);
    expect([...c.decided]).toEqual([1, 0, 1, 1, 1, 1]);
    expect(c.count).toBe(5);
    // The rounds' decisions by prefix id (a member's entry is never written), kept as the representatives' alone, then every prefix's.
    const d = Int32Array.from([7, 0, 8, 9, 0, 4]);
    const byRep = repDecisions(d, c, new Int32Array(c.count));
    expect([...byRep]).toEqual([7, 8, 9, 0, 4]);
    expect([...classSizes(c).slot]).toEqual([0, 0, 1, 2, 3, 4]);
    expect([...decisionsFromReps(byRep, c, new Int32Array(6))]).toEqual([7, 7, 8, 9, 0, 4]);
    const flags = new Uint8Array(6);
    flags[0] = 1;
    flags[5] = 1;
    expect(membersOf(c, flags)).toEqual([0, 1, 5]);
  });

  it('refined by more codes: the classes of all the codes together (property)', () => {
    const codeArb = (n: number) => fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }).chain((n) => fc.record({ n: fc.constant(n), a: fc.array(codeArb(n), { maxLength: 3 }), b: fc.array(codeArb(n), { minLength: 1, maxLength: 3 }), alone: fc.array(fc.nat(n - 1), { maxLength: 3 }) })),
        ({ n, a, b, alone }) => {
          const fa = a.map((xs) => (p: number) => xs[p]);
          const fb = b.map((xs) => (p: number) => xs[p]);
          const refined = refinedClasses(prefixClassesOf(n, fa, alone), fb);
          const together = prefixClassesOf(n, [...fa, ...fb], alone);
          expect([...refined.rep]).toEqual([...together.rep]);
          expect([...refined.decided]).toEqual([...together.decided]);
          expect(refined.count).toBe(together.count);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
    // Many new classes out of one (a code that tells every prefix apart): each its own representative.
    const big = refinedClasses(prefixClassesOf(5000, [() => 1], []), [(p) => p]);
    expect(big.count).toBe(5000);
  });

  it('class sizes: the representatives in order, each with its class\'s member count; a refinement noted is known as one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 80 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 80, maxLength: 80 }), (xs, ys) => {
        const c = prefixClassesOf(xs.length, [(p) => xs[p]], []);
        const { reps, size } = classSizes(c);
        expect([...reps]).toEqual([...c.rep].flatMap((r, p) => (r === p ? [p] : [])));
        expect([...size]).toEqual([...reps].map((r) => [...c.rep].filter((x) => x === r).length));
        const finer = noteRefined(refinedClasses(c, [(p) => ys[p]]), c);
        expect(refines(finer, c)).toBe(true);
        expect(refines(c, c)).toBe(true);
        expect(refines(c, finer)).toBe(finer === c);
        expect(refines(finer, prefixClassesOf(xs.length, [(p) => xs[p]], []))).toBe(false);
      }),
    );
  });

  it('a class holds only prefixes with the same codes, its representative the lowest id (many vectors, shared hashes)', () => {
    const n = 4000;
    const f = (p: number) => p % 1000;
    const g = (p: number) => (p * 7) % 3;
    const c = prefixClassesOf(n, [f, g], []);
    const seen = new Set<string>();
    for (let p = 0; p < n; p++) {
      const r = c.rep[p];
      expect([f(r), g(r)]).toEqual([f(p), g(p)]);
      expect(r).toBeLessThanOrEqual(p);
      seen.add(`${f(p)} ${g(p)}`);
    }
    expect(c.count).toBe(seen.size);
  });
});
