// Int32Chunks (fib/int32-chunks.ts), the chunked next-hop owner and proxy columns: along random
// chains of writers — each keeping a prefix of the previous column, setting some kept values and
// every new one — every column reads as a flat array written the same way, no column is changed by
// a later writer, and a chunk that is shared between two columns holds the same values in both.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_SHIFT, Int32Chunks } from '../../src/engine/fib/int32-chunks.js';

const CHUNK = 1 << CHUNK_SHIFT;

/** The first position where two arrays differ (length included), or -1. */
function firstDifference(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('Int32Chunks', () => {
  it('reads as the flat column written alike, leaves earlier columns as they were (property)', () => {
    const step = fc.record({
      length: fc.nat({ max: 3 * CHUNK + 17 }),
      keep: fc.nat({ max: 3 * CHUNK + 17 }),
      sets: fc.array(fc.tuple(fc.nat({ max: 3 * CHUNK + 16 }), fc.integer()), { maxLength: 12 }),
      fill: fc.integer(),
      from: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const columns: Int32Chunks[] = [];
        const flats: Int32Array[] = [];
        for (const st of steps) {
          // The base: one of the earlier columns (branches, as after an undo), or none.
          const b = columns.length ? st.from % (columns.length + 1) : 0;
          const base = b < columns.length ? columns[b] : null;
          const keep = base === null ? 0 : Math.min(st.keep, base.length, st.length);
          const w = Int32Chunks.writer(st.length, base, keep);
          const flat = new Int32Array(st.length);
          if (base !== null) flat.set(flats[b].subarray(0, keep));
          for (let i = keep; i < st.length; i++) {
            w.set(i, st.fill + i);
            flat[i] = st.fill + i;
          }
          for (const [i, v] of st.sets) {
            if (i >= st.length) continue;
            w.set(i, v);
            flat[i] = v;
          }
          const col = w.done();
          expect(col.length).toBe(st.length);
          expect(firstDifference(col.toArray(), flat)).toBe(-1);
          for (let i = 0; i < st.length; i += 997) expect(col.at(i)).toBe(flat[i]);
          columns.push(col);
          flats.push(flat);
          // Every column still reads as written.
          columns.forEach((c, k) => expect(firstDifference(c.toArray(), flats[k]), `column ${k}`).toBe(-1));
          // A chunk held by two columns: the same values in both, up to both lengths.
          columns.forEach((c, k) =>
            c.chunks.forEach((chunk, n) => {
              if (base !== null && base.chunks[n] === chunk && k === columns.length - 1) {
                const end = Math.min((n + 1) * CHUNK, c.length, base.length);
                expect(firstDifference(flats[k].subarray(n * CHUNK, end), flats[b].subarray(n * CHUNK, end))).toBe(-1);
              }
            }),
          );
        }
      }),
      { numRuns: 150, seed: 20261128 },
    );
  });

  it('shares the chunks wholly kept and not written, copies the rest', () => {
    const first = Int32Chunks.writer(3 * CHUNK + 5);
    for (let i = 0; i < first.length; i++) first.set(i, i);
    const a = first.done();
    const w = Int32Chunks.writer(4 * CHUNK, a, 3 * CHUNK + 5);
    w.set(CHUNK + 1, -7);
    for (let i = 3 * CHUNK + 5; i < 4 * CHUNK; i++) w.set(i, 1);
    const b = w.done();
    expect(b.chunks[0]).toBe(a.chunks[0]);
    expect(b.chunks[1]).not.toBe(a.chunks[1]);
    expect(b.chunks[2]).toBe(a.chunks[2]);
    expect(b.chunks[3]).not.toBe(a.chunks[3]);
    expect(a.at(CHUNK + 1)).toBe(CHUNK + 1);
    expect(b.at(CHUNK + 1)).toBe(-7);
    expect(b.at(3 * CHUNK + 4)).toBe(3 * CHUNK + 4);
    expect(b.at(3 * CHUNK + 5)).toBe(1);
  });
});
