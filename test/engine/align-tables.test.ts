// alignTables (ribs/route.ts) against the simple walk it replaces: two tables sorted by prefix,
// the second made from the first by random edits (routes inserted, removed or replaced by new
// objects, whole prefixes added or dropped; every other route the same object), or unrelated.
// The stretches it reports as the same must be the same objects at the shift it gives, every
// position of both tables must be covered once, in order, and the prefixes it reports as
// differing must be exactly those whose runs are not the same objects.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { comparePrefix, type Prefix } from '../../src/topology/ip.js';
import { RibTable, Route, alignTables, differingPrefixes, firstAtOrAfter, sameRib, sameRoute, sameRun, spliceRuns, type RibRoute } from '../../src/engine/ribs/route.js';

const T = (routes: readonly RibRoute[]) => RibTable.of(routes);

/** The simple walk: prefix by prefix, both tables side by side. */
function naivePairs(a: readonly RibRoute[], b: readonly RibRoute[]): { p: Prefix; i: number; i2: number; j: number; j2: number }[] {
  const out: { p: Prefix; i: number; i2: number; j: number; j2: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const order = i === a.length ? 1 : j === b.length ? -1 : comparePrefix(a[i].prefix, b[j].prefix);
    const p = order <= 0 ? a[i].prefix : b[j].prefix;
    let i2 = i;
    if (order <= 0) while (i2 < a.length && comparePrefix(a[i2].prefix, p) === 0) i2++;
    let j2 = j;
    if (order >= 0) while (j2 < b.length && comparePrefix(b[j2].prefix, p) === 0) j2++;
    out.push({ p, i, i2, j, j2 });
    i = i2;
    j = j2;
  }
  return out;
}

const route = (addr: number, len: number, k: number) => new Route(0, { addr, len }, 'static', 1, [], `route ${k}`);

/** A sorted table: prefixes from a small space (so that tables share them), one to three routes each. */
const table = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 3 })), { maxLength: 40 }).map((spec) => {
  const seen = new Set<number>();
  const out: RibRoute[] = [];
  for (const [x, count] of [...spec].sort((p, q) => p[0] - q[0])) {
    if (seen.has(x)) continue;
    seen.add(x);
    for (let k = 0; k < count; k++) out.push(route((x >> 2) << 8, 24 + (x & 3), k));
  }
  return out;
});

type Edit = { at: number; op: 'insert' | 'remove' | 'replace' | 'drop' | 'add'; x: number };
const edits = fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom<Edit['op']>('insert', 'remove', 'replace', 'drop', 'add'), x: fc.integer({ min: 0, max: 40 }) }), { maxLength: 5 });

/** `a` with edits applied, every untouched route the same object, still sorted. */
function derive(a: readonly RibRoute[], list: readonly Edit[]): RibRoute[] {
  let b = a.slice();
  for (const e of list) {
    if (e.op === 'add') {
      const r = route((e.x >> 2) << 8, 24 + (e.x & 3), 9);
      const at = b.findIndex((q) => comparePrefix(q.prefix, r.prefix) > 0);
      b.splice(at < 0 ? b.length : at, 0, r);
      continue;
    }
    if (!b.length) continue;
    const k = e.at % b.length;
    const p = b[k].prefix;
    if (e.op === 'insert') b.splice(k + 1, 0, route(p.addr, p.len, 7));
    else if (e.op === 'remove') b.splice(k, 1);
    else if (e.op === 'replace') b[k] = route(p.addr, p.len, 8);
    else b = b.filter((q) => comparePrefix(q.prefix, p) !== 0);
  }
  return b;
}

function check(ta: RibTable, tb: RibTable): void {
  const a = ta.toArray();
  const b = tb.toArray();
  const differing: string[] = [];
  let ai = 0;
  let bj = 0;
  alignTables(
    ta,
    tb,
    (i, i2, shift) => {
      expect(i).toBe(ai);
      expect(i + shift).toBe(bj);
      for (let k = i; k < i2; k++) expect(a[k]).toBe(b[k + shift]);
      ai = i2;
      bj = i2 + shift;
    },
    (i, i2, j, j2) => {
      expect([i, j]).toEqual([ai, bj]);
      expect(i2 > i || j2 > j).toBe(true);
      differing.push(`${(i2 > i ? a[i] : b[j]).prefix.addr}/${(i2 > i ? a[i] : b[j]).prefix.len}`);
      ai = i2;
      bj = j2;
    },
  );
  expect([ai, bj]).toEqual([a.length, b.length]);
  const expected = naivePairs(a, b)
    .filter(({ i, i2, j, j2 }) => !sameRun(ta, i, i2, tb, j, j2, (x, y) => x === y))
    .map(({ p }) => `${p.addr}/${p.len}`);
  expect(differing).toEqual(expected);
  // differingPrefixes: those whose routes differ in content.
  const byContent: string[] = [];
  differingPrefixes(ta, tb, (p) => byContent.push(`${p.addr}/${p.len}`));
  expect(byContent).toEqual(naivePairs(a, b).filter(({ i, i2, j, j2 }) => !sameRun(ta, i, i2, tb, j, j2, sameRoute)).map(({ p }) => `${p.addr}/${p.len}`));
}

/** `a` with the routes of some prefixes (sorted) replaced by spliceRuns: by new routes, by fewer, by none, or by the same objects. */
function spliced(a: RibTable, picks: readonly { x: number; how: number }[]): RibTable {
  const prefixes = [...new Map(picks.map((p) => [p.x, p])).values()].sort((p, q) => p.x - q.x);
  const at: number[] = [];
  const runs: RibRoute[][] = [];
  let size = a.length;
  let from = 0;
  for (const { x, how } of prefixes) {
    const p = { addr: (x >> 2) << 8, len: 24 + (x & 3) };
    const lo = firstAtOrAfter(a, p, from);
    let hi = lo;
    while (hi < a.length && comparePrefix(a.at(hi).prefix, p) === 0) hi++;
    const old = a.slice(lo, hi);
    const run = how === 0 ? [] : how === 1 ? old : how === 2 ? old.slice(1) : how === 3 ? [route(p.addr, p.len, 20), ...old.slice(0, 1)] : old.map((r) => route(r.prefix.addr, r.prefix.len, Number(r.origin.slice(6))));
    at.push(lo, hi);
    runs.push(run);
    size += run.length - (hi - lo);
    from = hi;
  }
  return spliceRuns(a, at, runs, size);
}

type Call = string;
function calls(a: RibTable, b: RibTable): Call[] {
  const out: Call[] = [];
  alignTables(
    a,
    b,
    (i, i2, s) => void out.push(`same ${i} ${i2} ${s}`),
    (i, i2, j, j2) => void out.push(`differ ${i} ${i2} ${j} ${j2}`),
  );
  return out;
}

/** The calls until `differ` has been called `k` times and returned false (the alignment stopped there). */
function callsUntil(a: RibTable, b: RibTable, k: number): Call[] {
  const out: Call[] = [];
  let n = 0;
  alignTables(
    a,
    b,
    (i, i2, s) => void out.push(`same ${i} ${i2} ${s}`),
    (i, i2, j, j2) => {
      out.push(`differ ${i} ${i2} ${j} ${j2}`);
      return ++n < k;
    },
  );
  return out;
}

/** Prefixes of a table to splice and how (spliced's `how`). */
const splicePicks = fc.array(fc.record({ x: fc.integer({ min: 0, max: 40 }), how: fc.integer({ min: 0, max: 4 }) }), { maxLength: 6 });

describe('alignTables', () => {
  it('a table spliced from another (an update\'s patch) is aligned from the splice, as comparing them finds', () => {
    fc.assert(
      fc.property(table, splicePicks, (routes, p) => {
        const a = T(routes);
        const b = spliced(a, p);
        // T(b.slice()): the same routes without the splice record, aligned by comparing references.
        expect(calls(a, b)).toEqual(calls(a, T(b.slice())));
        expect(sameRib(a, b)).toBe(sameRib(a, T(b.slice())));
        check(a, b);
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it('the other way round (a table back to the one it was spliced from: an SR installed over its table before BGP, then down): aligned from the splice, as comparing them finds', () => {
    fc.assert(
      fc.property(table, splicePicks, fc.integer({ min: 1, max: 4 }), (routes, p, k) => {
        const a = T(routes);
        const b = spliced(a, p);
        expect(calls(b, a)).toEqual(calls(T(b.slice()), a));
        expect(callsUntil(b, a, k)).toEqual(callsUntil(T(b.slice()), a, k));
        check(b, a);
      }),
      { numRuns: 400, seed: 14 },
    );
  });

  it('a table and one made from it by edits: same stretches, then the differing prefixes, as the simple walk finds them', () => {
    fc.assert(fc.property(table, edits, (a, list) => check(T(a), T(derive(a, list)))), { numRuns: 400, seed: 11 });
  });
  it('unrelated tables (no shared object)', () => {
    fc.assert(fc.property(table, table, (a, b) => check(T(a), T(b))), { numRuns: 200, seed: 12 });
  });
  it('a route replaced in the middle of a prefix whose first route stays: the whole prefix differs', () => {
    const a = [route(0, 24, 0), route(256, 24, 0), route(256, 24, 1), route(256, 24, 2), route(512, 24, 0)];
    const b = [a[0], a[1], route(256, 24, 5), a[3], a[4]];
    const calls: string[] = [];
    alignTables(
      T(a),
      T(b),
      (i, i2, s) => void calls.push(`same ${i}-${i2} ${s}`),
      (i, i2, j, j2) => void calls.push(`differ ${i}-${i2} ${j}-${j2}`),
    );
    expect(calls).toEqual(['same 0-1 0', 'differ 1-4 1-4', 'same 4-5 0']);
  });
  it('stops when `differ` returns false: the calls up to there, as a whole alignment makes them (spliced and compared tables)', () => {
    fc.assert(
      fc.property(table, splicePicks, fc.integer({ min: 1, max: 4 }), (routes, p, k) => {
        const a = T(routes);
        const b = spliced(a, p);
        for (const other of [b, T(b.slice())]) {
          const whole = calls(a, other);
          const cut = callsUntil(a, other, k);
          // Everything up to and including the k-th differ call, then nothing.
          let seen = 0;
          const end = whole.findIndex((c) => c.startsWith('differ') && ++seen === k);
          expect(cut).toEqual(end < 0 ? whole : whole.slice(0, end + 1));
        }
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});

describe('spliceRuns', () => {
  it('equals the table rebuilt run by run, for a few runs (spliced into a copy) and many (one pass); the table itself untouched', () => {
    fc.assert(
      fc.property(table, fc.array(fc.record({ x: fc.integer({ min: 0, max: 40 }), how: fc.integer({ min: 0, max: 4 }) }), { maxLength: 14 }), (routes, p) => {
        const a = T(routes);
        const before = a.slice();
        const b = spliced(a, p);
        // The reference: every prefix's routes, each replaced prefix's from b's runs.
        const prefixes = [...new Map(p.map((q) => [q.x, q])).values()].sort((q, r) => q.x - r.x);
        const expected: RibRoute[] = [];
        let from = 0;
        for (const { x } of prefixes) {
          const pf = { addr: (x >> 2) << 8, len: 24 + (x & 3) };
          const lo = firstAtOrAfter(a, pf, from);
          let hi = lo;
          while (hi < a.length && comparePrefix(a.at(hi).prefix, pf) === 0) hi++;
          expected.push(...a.slice(from, lo));
          // b's routes of that prefix, in place
          const blo = firstAtOrAfter(b, pf, 0);
          let bhi = blo;
          while (bhi < b.length && comparePrefix(b.at(bhi).prefix, pf) === 0) bhi++;
          expected.push(...b.slice(blo, bhi));
          from = hi;
        }
        expected.push(...a.slice(from));
        expect(b.length).toBe(expected.length);
        b.forEach((r, i) => expect(r).toBe(expected[i]));
        a.forEach((r, i) => expect(r).toBe(before[i]));
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
