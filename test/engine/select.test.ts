// Table order and merging (src/engine/ribs/select.ts): mergeRuns, galloping through long
// stretches of one side, gives what a stable sort of the two tables' concatenation gives, on
// random tables that interleave route by route, that hold long one-sided stretches, and mixes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareRoutes, mergeRuns } from '../../src/engine/ribs/select.js';
import { Route, TYPE_ORDER, type RibRoute, type RouteType } from '../../src/engine/ribs/route.js';

const TYPES = Object.keys(TYPE_ORDER) as RouteType[];

/** A route from pools of prefixes, distances, types and origins; `tiny` pools make equal routes (ties) frequent. */
const route = (prefixes: number, tiny = false) =>
  fc
    .record({
      p: fc.nat(prefixes - 1),
      len: tiny ? fc.constant(24) : fc.constantFrom(8, 16, 24, 32),
      distance: tiny ? fc.constantFrom(3, 20) : fc.constantFrom(0, 1, 3, 20, 200),
      type: tiny ? fc.constantFrom<RouteType>('t1c', 'bgp') : fc.constantFrom(...TYPES),
      origin: tiny ? fc.constantFrom('a', 'b') : fc.constantFrom('a', 'b', 'segment x', 'BGP from tor-1'),
    })
    .map(({ p, len, distance, type, origin }) => new Route(0, { addr: (p << 8) >>> 0, len }, type, distance, [], origin));

/** A table in compareRoutes order (a stable sort, as the engine's tables are). */
const table = (prefixes: number, max: number, tiny = false) => fc.array(route(prefixes, tiny), { maxLength: max }).map((l) => l.sort(compareRoutes));

function expectMerged(a: readonly RibRoute[], b: readonly RibRoute[]): void {
  const { rib, own } = mergeRuns(a, b);
  const expected = [...a, ...b].sort(compareRoutes); // stable: a's route first on a tie
  expect(rib).toEqual(expected);
  expect(rib.every((r, k) => r === expected[k])).toBe(true);
  expect([...own]).toEqual(rib.map((r) => (b.includes(r) && !a.includes(r) ? 1 : 0)));
}

describe('mergeRuns', () => {
  it('equals a stable sort of the concatenation, on tables that interleave', () => {
    fc.assert(fc.property(table(6, 60), table(6, 60), (a, b) => expectMerged(a, b)), { numRuns: 300, seed: 11 });
  });

  it('equals it where one side holds long stretches (a few routes among many: galloping)', () => {
    fc.assert(fc.property(table(400, 8), table(400, 600), fc.boolean(), (few, many, swap) => (swap ? expectMerged(many, few) : expectMerged(few, many))), { numRuns: 200, seed: 12 });
  });

  it('equals it where equal routes are frequent (ties inside galloped stretches: the first table\'s route first)', () => {
    fc.assert(fc.property(table(2, 80, true), table(2, 80, true), (a, b) => expectMerged(a, b)), { numRuns: 300, seed: 14 });
  });

  it('equals it on tables of one prefix (every route ties on the prefix)', () => {
    fc.assert(fc.property(table(1, 40), table(1, 40), (a, b) => expectMerged(a, b)), { numRuns: 200, seed: 13 });
  });

  it('gallops: a 3-route table merged into a 100k-route one compares far fewer routes than it copies', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => new Route(0, { addr: i * 256, len: 24 }, 'bgp', 20, [], 'BGP from tor-1'));
    const few = [10, 50_000, 99_999].map((i) => new Route(0, { addr: i * 256, len: 24 }, 't1c', 3, [], 'segment x'));
    let reads = 0;
    const counted = many.map((r) => new Proxy(r, { get: (t, k) => (k === 'prefix' && reads++, Reflect.get(t, k, t)) }));
    const { rib, own } = mergeRuns(few, counted);
    expect(rib.length).toBe(100_003);
    expect(rib[10]).toBe(few[0]);
    expect(rib[11]).toBe(counted[10]);
    expect(own.reduce((n, x) => n + x, 0)).toBe(100_000);
    expect(reads).toBeLessThan(2_000);
  });
});
