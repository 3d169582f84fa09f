// The route diff's order (queries/route-diff.ts sortChanges): by component label, then by the
// prefix text right-aligned in 18 characters, ties in the order found — checked against sorting
// by the key it stands for (label NUL padded prefix), on random changes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatPrefix } from '../../src/topology/ip.js';
import { sortChanges, type RouteChange } from '../../src/engine/queries/route-diff.js';

const change = fc.record({
  component: fc.constantFrom('t0 T0_SR (edge-1)', 't0 T0_SR (edge-10)', 't0 T0_DR', 'tor-1 PHYSICAL_ROUTER', 'tor-10 PHYSICAL_ROUTER', 'a', 'a b'),
  prefix: fc.tuple(fc.nat(0xffffffff), fc.integer({ min: 0, max: 32 })).map(([addr, len]) => formatPrefix({ addr: len === 0 ? 0 : (addr & (-1 << (32 - len))) >>> 0, len })),
  change: fc.constantFrom<RouteChange['change']>('added', 'removed', 'changed'),
});

describe('route diff order', () => {
  it('is the order of the key "label NUL prefix padded to 18", stable', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 60 }), (list) => {
        const key = (r: RouteChange) => `${r.component}\u0000${r.prefix.padStart(18)}`;
        const expected = list.map((r, i) => ({ r, i })).sort((m, n) => (key(m.r) < key(n.r) ? -1 : key(m.r) > key(n.r) ? 1 : m.i - n.i)).map((x) => x.r);
        const got = sortChanges(list);
        expect(got).toEqual(expected);
        got.forEach((r, i) => expect(r).toBe(expected[i]));
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
