// A map with some values replaced over the map it was made from (src/topology/realize/replaced-map.ts):
// against a Map copy with the same values set, every read agrees — get, has, size, and the
// entries, keys and values in order — through chains of replacements, and the maps it was made
// from stay as they were.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReplacedMap } from '../../src/topology/realize/replaced-map.js';

const read = (m: ReadonlyMap<string, number>) => ({
  entries: [...m.entries()],
  iterated: [...m],
  keys: [...m.keys()],
  values: [...m.values()],
  size: m.size,
  each: (() => {
    const out: string[] = [];
    m.forEach((v, k, self) => out.push(`${k}=${v}${self === m ? '' : ' (other map)'}`));
    return out;
  })(),
});

describe('ReplacedMap', () => {
  it('reads like a Map copy with the same values set, through chains of replacements (property)', () => {
    let overlays = 0;
    let whole = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.array(fc.tuple(fc.nat({ max: 260 }), fc.integer()), { maxLength: 20 }), { maxLength: 6 }), (n, steps) => {
        const base = new Map(Array.from({ length: n }, (_, i) => [`p${i}`, i] as [string, number]));
        let map: ReadonlyMap<string, number> = base;
        let copy = new Map(base);
        const history: [ReadonlyMap<string, number>, Map<string, number>][] = [[map, new Map(copy)]];
        for (const step of steps) {
          // Keys beyond the map's (index ≥ n) are new ones: the result is then a whole Map.
          const replaced = new Map(step.map(([k, v]) => [`p${k}`, v] as [string, number]));
          map = ReplacedMap.of(map, replaced);
          for (const [k, v] of replaced) copy.set(k, v);
          if (map instanceof ReplacedMap) overlays++;
          else whole++;
          expect(read(map)).toEqual(read(copy));
          for (let i = 0; i < n + 5; i++) {
            expect(map.get(`p${i}`)).toBe(copy.get(`p${i}`));
            expect(map.has(`p${i}`)).toBe(copy.has(`p${i}`));
          }
          history.push([map, new Map(copy)]);
        }
        for (const [m, want] of history) expect(read(m)).toEqual(read(want));
      }),
      { numRuns: 300 },
    );
    expect(overlays).toBeGreaterThan(50);
    expect(whole).toBeGreaterThan(50);
  });

  it('replacing nothing gives the map itself; a value replaced by undefined reads undefined', () => {
    const base = new Map(Array.from({ length: 40 }, (_, i) => [`p${i}`, i as number | undefined] as [string, number | undefined]));
    expect(ReplacedMap.of(base, new Map())).toBe(base);
    const m = ReplacedMap.of(base, new Map([['p3', undefined]]));
    expect(m).toBeInstanceOf(ReplacedMap);
    expect(m.get('p3')).toBeUndefined();
    expect(m.has('p3')).toBe(true);
    expect(base.get('p3')).toBe(3);
  });
});
