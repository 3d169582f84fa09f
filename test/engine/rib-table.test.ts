// RibTable (ribs/table.ts) against the array it stands for: chains of splices — ranges replaced by
// runs, longer, shorter or empty, at the ends and in the middle — must read exactly as the same
// splices made on a plain array, position by position (at), piece by piece (forEachPiece), whole
// (toArray, iteration, slice), and leave every earlier table as it was. Run with the limits that
// make big tables (pieces, and a copy into one array past the most pieces) and with the defaults.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { RibTable, ribTableLimits } from '../../src/engine/ribs/table.js';
import { HopRemap, Route, nextHop, type RibRoute } from '../../src/engine/ribs/route.js';
import { tableKeys } from '../../src/engine/ribs/install.js';

const defaults = { ...ribTableLimits };
afterEach(() => Object.assign(ribTableLimits, defaults));

let made = 0;
const route = () => new Route(0, { addr: made++, len: 32 }, 'static', 1, [], 'r');
const routes = (n: number) => Array.from({ length: n }, route);

/** One splice: ranges picked from (position, length, run length) triples, sorted and made disjoint. */
const splice = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.nat({ max: 5 })), { maxLength: 5 });

function apply(model: readonly RibRoute[], picks: readonly [number, number, number][]): { at: number[]; runs: RibRoute[][]; next: RibRoute[] } {
  const at: number[] = [];
  const runs: RibRoute[][] = [];
  let from = 0;
  for (const [p, len, runLen] of [...picks].sort((a, b) => a[0] - b[0])) {
    const lo = Math.max(from, model.length ? p % (model.length + 1) : 0);
    const hi = Math.min(model.length, lo + len);
    if (lo < from) continue;
    at.push(lo, hi);
    runs.push(routes(runLen));
    from = hi;
  }
  const next: RibRoute[] = [];
  let pos = 0;
  for (let k = 0; k < runs.length; k++) {
    next.push(...model.slice(pos, at[2 * k]), ...runs[k]);
    pos = at[2 * k + 1];
  }
  next.push(...model.slice(pos));
  return { at, runs, next };
}

/** The positions where `got` does not hold the very route of `model` (none when they are the same). */
function mismatches(got: readonly RibRoute[], model: readonly RibRoute[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(got.length, model.length); i++) if (got[i] !== model[i]) out.push(i);
  return out;
}

function expectSame(table: RibTable, model: readonly RibRoute[]): void {
  expect(table.length).toBe(model.length);
  // lowerBound: the first position from `from` on not before the t-th route, for every (from, t).
  const index = new Map(model.map((r, i) => [r, i]));
  const probes = [0, 1, model.length >> 2, model.length >> 1, model.length - 1, model.length].filter((x) => x >= 0 && x <= model.length);
  for (const from of probes) for (const t of probes) expect([from, t, table.lowerBound(from, (r) => index.get(r)! < t)]).toEqual([from, t, Math.min(model.length, Math.max(from, t))]);
  const forward = model.map((_, i) => table.at(i));
  expect(mismatches(forward, model)).toEqual([]);
  // Backwards too (the piece read last is no help there).
  const backward: RibRoute[] = new Array(model.length);
  for (let i = model.length - 1; i >= 0; i--) backward[i] = table.at(i);
  expect(mismatches(backward, model)).toEqual([]);
  const pieces: RibRoute[] = [];
  let next = 0;
  table.forEachPiece((src, from, to, at) => {
    expect([at, to > from]).toEqual([next, true]);
    for (let i = from; i < to; i++) pieces.push(src[i]);
    next += to - from;
  });
  expect(mismatches(pieces, model)).toEqual([]);
  expect(mismatches(table.slice(1, model.length - 1), model.slice(1, model.length - 1))).toEqual([]);
}

function chains(limits: Partial<typeof ribTableLimits>, runs: number): void {
  fc.assert(
    fc.property(fc.nat({ max: 120 }), fc.array(splice, { minLength: 1, maxLength: 12 }), (n, steps) => {
      Object.assign(ribTableLimits, defaults, limits);
      let model: RibRoute[] = routes(n);
      let table = RibTable.of(model.slice());
      const kept: [RibTable, RibRoute[]][] = [];
      for (const picks of steps) {
        const { at, runs, next } = apply(model, picks);
        const size = next.length;
        const spliced = table.spliced(at, runs, size);
        kept.push([table, model]);
        expectSame(spliced, next);
        table = spliced;
        model = next;
      }
      // Every table of the chain still reads as it did (a splice shares pieces, never changes them).
      for (const [t, m] of kept) expectSame(t, m);
      // Copied into one array: the same routes, and the table reads that array from then on.
      expect(mismatches([...table], model)).toEqual([]);
      const flat = table.toArray();
      expect(mismatches(flat, model)).toEqual([]);
      expect(table.toArray()).toBe(flat);
      expectSame(table, model);
    }),
    { numRuns: runs, seed: 20261127 },
  );
}

describe('RibTable', () => {
  it('big tables (pieces): chains of splices read as the same splices of an array (property)', () => chains({ small: 0, maxPieces: 1000 }, 150));
  it('past the most pieces a splice copies the table into one array; it reads the same (property)', () => chains({ small: 0, maxPieces: 4 }, 150));
  it('small tables (one array each, as by default under 2,048 routes) (property)', () => chains({}, 50));

  it('a big table spliced at one prefix shares its array: a few pieces, not a copy', () => {
    Object.assign(ribTableLimits, defaults);
    const model = routes(10000);
    const table = RibTable.of(model);
    const run = routes(2);
    const spliced = table.spliced([5000, 5001], [run], 10001);
    const pieces: [readonly RibRoute[], number, number][] = [];
    spliced.forEachPiece((src, from, to) => pieces.push([src, from, to]));
    expect(pieces).toEqual([
      [model, 0, 5000],
      [run, 0, 2],
      [model, 5001, 10000],
    ]);
    // Nothing replaced: the same pieces again, merged back into the array itself.
    const same = table.spliced([5000, 5000], [[]], 10000);
    same.forEachPiece((src, from, to) => expect([src === model, from, to]).toEqual([true, 0, 10000]));
    expect(same.toArray()).toBe(model);
    expect(table.spliced([0, 10000], [[]], 0)).toBe(RibTable.empty);
  });
});

describe('a remapped table (RibTable.remapped, HopRemap)', () => {
  const hop = (ip: number) => nextHop(ip, 1);
  const a = [hop(1), hop(2)];
  const b = [hop(3)];
  const c = [hop(4), hop(5)];
  const bgp = (addr: number, hops: RibRoute['nextHops'], origin: string, selected = true) => {
    const r = new Route(7, { addr, len: 32 }, 'bgp', 20, hops, origin);
    r.selected = selected;
    return r;
  };
  const stat = (addr: number) => {
    const r = new Route(7, { addr, len: 32 }, 'static', 1, a, 'static');
    r.selected = true;
    return r;
  };

  it('reads as its base with each route of a remapped (list, origin) pair holding the pair it maps to; hopsAt reads it without making the routes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 3 }), fc.boolean()), { minLength: 1, maxLength: 40 }), (picks) => {
        // Routes of three keys (a/x, a/y, b/x) and static routes holding list a too.
        const rows = picks.map(([k, sel], i) => (k === 0 ? bgp(i, a, 'x', sel) : k === 1 ? bgp(i, a, 'y', sel) : k === 2 ? bgp(i, b, 'x', sel) : stat(i)));
        const base = RibTable.of(rows);
        const remap = new HopRemap();
        remap.add(a, 'x', c, 'z');
        const t = RibTable.remapped(base, remap);
        expect(t.length).toBe(base.length);
        expect(t.remapLayer()!.base).toBe(base);
        const expected = rows.map((r) => (r.type === 'bgp' && r.nextHops === a && r.origin === 'x' ? { hops: c, origin: 'z' } : { hops: r.nextHops, origin: r.origin }));
        // Before any route is made: the next hops by position.
        expect(rows.map((_, i) => t.hopsAt(i))).toEqual(expected.map((e) => e.hops));
        const made = t.toArray();
        made.forEach((r, i) => {
          expect(r.nextHops).toBe(expected[i].hops);
          expect(r.origin).toBe(expected[i].origin);
          expect(r.prefix).toBe(rows[i].prefix);
          expect(r.selected).toBe(rows[i].selected);
          expect([r.type, r.distance]).toEqual([rows[i].type, rows[i].distance]);
          // A route not remapped is the base's own.
          if (expected[i].hops === rows[i].nextHops) expect(r).toBe(rows[i]);
        });
        expect(rows.map((_, i) => t.hopsAt(i))).toEqual(expected.map((e) => e.hops));
        expect(t.slice(1, 3)).toEqual(made.slice(1, 3));
        // The base stays as it was.
        expect(base.toArray()).toEqual(rows);
      }),
    );
  });

  it('tableKeys: one key per (list, origin) of its BGP routes, the key per position, and the prefixes selecting several routes', () => {
    const p = { addr: 9, len: 32 };
    const two = [bgp(1, a, 'x'), bgp(2, a, 'y'), stat(3), new Route(7, p, 'bgp', 20, b, 'x'), new Route(7, p, 'bgp', 20, a, 'x'), bgp(10, a, 'x')];
    two[3].selected = true;
    two[4].selected = true;
    const keys = tableKeys(RibTable.of(two))!;
    expect(keys.hops).toEqual([a, a, b]);
    expect(keys.origin).toEqual(['x', 'y', 'x']);
    expect(Array.from(keys.keyAt)).toEqual([1, 2, 0, 3, 1, 1]);
    expect(Array.from(keys.multi)).toEqual([0, 0, 0, 1, 1, 0]);
    expect(keys.inactive).toEqual([false, false, false]);
  });
});
