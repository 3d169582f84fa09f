// Longest-prefix match (src/engine/fib/lpm.ts, src/engine/fib/lpm-dir.ts): exact cases, then property tests
// that compare the multi-level table, the interval search (with and without its /16 index) and a
// naive longest-match scan, on random and adversarial route sets, small and big.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildLpm, DIR_THRESHOLD, lpmBytes, lpmLookup, type LpmMode, type LpmTable } from '../../src/engine/fib/lpm.js';
import { maskOf, parseIp, parsePrefix } from '../../src/topology/ip.js';

type Entry = { addr: number; len: number; value: number };

const ip = (s: string) => parseIp(s)!;

/** Builds a table from "a.b.c.d/len" strings; the value of each prefix is its index. */
function table(prefixes: string[]): LpmTable {
  const ps = prefixes.map((p) => parsePrefix(p)!);
  return buildLpm(
    ps.map((p) => p.addr),
    ps.map((p) => p.len),
    ps.map((_, i) => i),
  );
}

/** The reference: scan every prefix, keep the longest match; duplicates keep the last. */
function naive(entries: Entry[], addr: number): number {
  let best = -1;
  let bestLen = -1;
  for (const e of entries) {
    if (((addr & maskOf(e.len)) >>> 0) === e.addr && e.len >= bestLen) {
      best = e.value;
      bestLen = e.len;
    }
  }
  return best;
}

/** The same reference for big tables: one map per prefix length, tried from /32 down. */
function naiveByLength(entries: Entry[]): (addr: number) => number {
  const byLen = Array.from({ length: 33 }, () => new Map<number, number>());
  for (const e of entries) byLen[e.len].set(e.addr, e.value);
  return (addr) => {
    for (let len = 32; len >= 0; len--) {
      const v = byLen[len].get((addr & maskOf(len)) >>> 0);
      if (v !== undefined) return v;
    }
    return -1;
  };
}

function build(entries: Entry[], mode: LpmMode = 'auto'): LpmTable {
  return buildLpm(
    entries.map((e) => e.addr),
    entries.map((e) => e.len),
    entries.map((e) => e.value),
    mode,
  );
}

/** Addresses where the multi-level table and the interval search disagree with the reference. */
function mismatches(entries: Entry[], addrs: number[], ref: (addr: number) => number): string[] {
  const dir = build(entries, 'dir');
  const intervals = build(entries, 'intervals');
  expect(dir.l1).not.toBeNull();
  expect(intervals.l1).toBeNull();
  const bad: string[] = [];
  for (const a of addrs) {
    const want = ref(a);
    const got = [lpmLookup(dir, a), lpmLookup(intervals, a)];
    if (got[0] !== want || got[1] !== want) bad.push(`${a}: dir ${got[0]}, intervals ${got[1]}, naive ${want}`);
  }
  return bad;
}

/** Addresses worth probing for a set of prefixes: every boundary and its neighbours. */
function probes(entries: Entry[]): number[] {
  const out = new Set<number>([0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff]);
  for (const e of entries) {
    const end = e.addr + 2 ** (32 - e.len);
    for (const a of [e.addr - 1, e.addr, e.addr + 1, end - 1, end, end + 1]) if (a >= 0 && a < 2 ** 32) out.add(a);
  }
  return [...out];
}

describe('buildLpm / lpmLookup: exact cases', () => {
  it('an empty table answers -1 everywhere', () => {
    const t = table([]);
    expect(t.size).toBe(1);
    expect(t.starts[0]).toBe(0);
    for (const a of ['0.0.0.0', '10.0.0.1', '255.255.255.255']) expect(lpmLookup(t, ip(a))).toBe(-1);
  });

  it('the default route matches every address, including 0.0.0.0 and 255.255.255.255', () => {
    const t = table(['0.0.0.0/0']);
    for (const a of ['0.0.0.0', '1.2.3.4', '128.0.0.0', '255.255.255.255']) expect(lpmLookup(t, ip(a))).toBe(0);
  });

  it('nested prefixes: the longest wins, the parent is visible again after the child', () => {
    const t = table(['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32']);
    expect(lpmLookup(t, ip('9.255.255.255'))).toBe(0);
    expect(lpmLookup(t, ip('10.0.0.0'))).toBe(1);
    expect(lpmLookup(t, ip('10.1.0.0'))).toBe(2);
    expect(lpmLookup(t, ip('10.1.2.2'))).toBe(3);
    expect(lpmLookup(t, ip('10.1.2.3'))).toBe(4);
    expect(lpmLookup(t, ip('10.1.2.4'))).toBe(3);
    expect(lpmLookup(t, ip('10.1.3.0'))).toBe(2);
    expect(lpmLookup(t, ip('10.2.0.0'))).toBe(1);
    expect(lpmLookup(t, ip('11.0.0.0'))).toBe(0);
  });

  it('a /32 matches only its address', () => {
    const t = table(['192.0.2.7/32']);
    expect(lpmLookup(t, ip('192.0.2.7'))).toBe(0);
    expect(lpmLookup(t, ip('192.0.2.6'))).toBe(-1);
    expect(lpmLookup(t, ip('192.0.2.8'))).toBe(-1);
  });

  it('adjacent prefixes do not bleed into each other', () => {
    const t = table(['10.0.0.0/24', '10.0.1.0/24', '10.0.3.0/24']);
    expect(lpmLookup(t, ip('10.0.0.255'))).toBe(0);
    expect(lpmLookup(t, ip('10.0.1.0'))).toBe(1);
    expect(lpmLookup(t, ip('10.0.1.255'))).toBe(1);
    expect(lpmLookup(t, ip('10.0.2.0'))).toBe(-1);
    expect(lpmLookup(t, ip('10.0.3.0'))).toBe(2);
    expect(lpmLookup(t, ip('10.0.4.0'))).toBe(-1);
  });

  it('the top of the address space: 255.255.255.255/32 and 255.0.0.0/8', () => {
    const t = table(['255.0.0.0/8', '255.255.255.255/32']);
    expect(lpmLookup(t, ip('255.255.255.255'))).toBe(1);
    expect(lpmLookup(t, ip('255.255.255.254'))).toBe(0);
    expect(lpmLookup(t, ip('254.255.255.255'))).toBe(-1);
  });

  it('0.0.0.0/32 and 0.0.0.0/8 at the bottom', () => {
    const t = table(['0.0.0.0/8', '0.0.0.0/32']);
    expect(lpmLookup(t, 0)).toBe(1);
    expect(lpmLookup(t, 1)).toBe(0);
    expect(lpmLookup(t, ip('1.0.0.0'))).toBe(-1);
  });

  it('duplicates: the last one given wins', () => {
    const t = buildLpm([ip('10.0.0.0'), ip('10.0.0.0'), ip('10.0.0.0')], [8, 8, 8], [7, 8, 9]);
    expect(lpmLookup(t, ip('10.5.5.5'))).toBe(9);
    expect(lpmLookup(t, ip('11.0.0.0'))).toBe(-1);
  });

  it('a child that ends where its parent ends (10.0.0.0/8 + 10.255.0.0/16)', () => {
    const t = table(['10.0.0.0/8', '10.255.0.0/16']);
    expect(lpmLookup(t, ip('10.254.255.255'))).toBe(0);
    expect(lpmLookup(t, ip('10.255.0.0'))).toBe(1);
    expect(lpmLookup(t, ip('10.255.255.255'))).toBe(1);
    expect(lpmLookup(t, ip('11.0.0.0'))).toBe(-1);
    expect(lpmLookup(t, ip('9.255.255.255'))).toBe(-1);
  });

  it('a child that ends where its parent and the address space end (0/0 + 128/1 + 255.255.255.0/24)', () => {
    const t = table(['0.0.0.0/0', '128.0.0.0/1', '255.255.255.0/24']);
    expect(lpmLookup(t, ip('127.255.255.255'))).toBe(0);
    expect(lpmLookup(t, ip('128.0.0.0'))).toBe(1);
    expect(lpmLookup(t, ip('255.255.254.255'))).toBe(1);
    expect(lpmLookup(t, ip('255.255.255.255'))).toBe(2);
  });

  it('input order does not matter (sorted internally)', () => {
    const a = table(['10.1.2.0/24', '0.0.0.0/0', '10.0.0.0/8']);
    expect(lpmLookup(a, ip('10.1.2.9'))).toBe(0);
    expect(lpmLookup(a, ip('10.9.9.9'))).toBe(2);
    expect(lpmLookup(a, ip('8.8.8.8'))).toBe(1);
  });

  it('small interval tables have no /16 index; those with more than 2048 intervals do', () => {
    expect(table(['10.0.0.0/8']).index16).toBeNull();
    const n = 1500; // 1500 disjoint /24s with gaps: about 3000 intervals
    const addrs = Array.from({ length: n }, (_, i) => ip('20.0.0.0') + i * 512);
    const t = buildLpm(addrs, addrs.map(() => 24), addrs.map((_, i) => i), 'intervals');
    expect(t.size).toBeGreaterThan(2048);
    expect(t.index16).not.toBeNull();
    expect(t.index16!.length).toBe(65537);
    for (let i = 0; i < n; i += 37) {
      expect(lpmLookup(t, addrs[i])).toBe(i);
      expect(lpmLookup(t, addrs[i] + 255)).toBe(i);
      expect(lpmLookup(t, addrs[i] + 256)).toBe(-1);
    }
    expect(lpmLookup(t, ip('255.255.255.255'))).toBe(-1);
    expect(lpmLookup(t, 0)).toBe(-1);
  });
});

// ---------------------------------------------------------------------------------------------

/** A random prefix, biased toward few first octets so that prefixes nest and collide. */
const prefixArb = (firstOctets: number[]) =>
  fc
    .record({
      o1: fc.constantFrom(...firstOctets),
      rest: fc.integer({ min: 0, max: 0xffffff }),
      len: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(0, 8, 16, 24, 31, 32)),
    })
    .map(({ o1, rest, len }) => ({ addr: ((((o1 << 24) | rest) >>> 0) & maskOf(len)) >>> 0, len }));

const entriesArb = (maxLength: number, firstOctets: number[]) =>
  fc.array(prefixArb(firstOctets), { maxLength }).map((ps) => ps.map((p, value) => ({ ...p, value })));

describe('buildLpm / lpmLookup: property against a naive longest-match scan', () => {
  it('small tables, probing every boundary and random addresses', () => {
    fc.assert(
      fc.property(entriesArb(40, [0, 10, 127, 128, 255]), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 20 }), (entries, extra) => {
        expect(mismatches(entries, [...probes(entries), ...extra], (a) => naive(entries, a))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('with duplicate prefixes carrying different values', () => {
    fc.assert(
      fc.property(entriesArb(12, [10, 255]), (entries) => {
        const doubled = [...entries, ...entries.map((e, i) => ({ ...e, value: 1000 + i }))];
        expect(mismatches(doubled, probes(doubled), (a) => naive(doubled, a))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('big tables (> 2048 intervals: the /16 index; > DIR_THRESHOLD prefixes: the multi-level table by default)', () => {
    let indexed = 0;
    fc.assert(
      fc.property(
        fc.uniqueArray(prefixArb([0, 10, 100, 172, 192, 255]).filter((p) => p.len >= 12), { minLength: 2600, maxLength: 3000, selector: (p) => `${p.addr}/${p.len}` }),
        fc.array(prefixArb([10, 172, 255]).filter((p) => p.len <= 12), { maxLength: 10 }),
        (many, covering) => {
          const entries = [...many, ...covering].map((p, value) => ({ ...p, value }));
          const t = build(entries, 'intervals');
          if (t.size <= 2048) return true; // rare: too many collisions; the other runs cover it
          expect(t.index16).not.toBeNull();
          expect(build(entries).l1).not.toBeNull();
          indexed++;
          expect(mismatches(entries, probes(entries), naiveByLength(entries))).toEqual([]);
        },
      ),
      // Shrinking thousands of prefixes takes too long to be useful: report the first failure.
      { numRuns: 15, endOnFailure: true },
    );
    expect(indexed).toBeGreaterThan(10);
  });

  it('a deterministic big table (3000 /28s under covering prefixes) matches the reference', () => {
    // Deterministic large table: 3000 disjoint /28s plus covering prefixes, probed densely.
    const entries: Entry[] = [];
    for (let i = 0; i < 3000; i++) entries.push({ addr: (ip('10.0.0.0') + i * 4096 * 3) >>> 0, len: 28, value: i });
    entries.push({ addr: ip('10.0.0.0'), len: 8, value: 5000 }, { addr: 0, len: 0, value: 5001 }, { addr: ip('10.128.0.0'), len: 9, value: 5002 });
    expect(build(entries, 'intervals').index16).not.toBeNull();
    expect(mismatches(entries, probes(entries), naiveByLength(entries))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the multi-level table (DIR-16-8-8) and the choice between it and the interval search', () => {
  const slash = (n: number, len: number, value: number): Entry => ({ addr: n >>> 0, len, value });

  it('is chosen by default above DIR_THRESHOLD prefixes, the interval search at or below it', () => {
    const make = (n: number) => Array.from({ length: n }, (_, i) => slash(ip('10.0.0.0') + i * 256, 24, i));
    const small = build(make(DIR_THRESHOLD));
    const big = build(make(DIR_THRESHOLD + 1));
    expect(small.l1).toBeNull();
    expect(small.nodes.length).toBe(0);
    expect(big.l1).not.toBeNull();
    expect(big.l1!.length).toBe(65536);
    expect(big.index16).toBeNull(); // the /16 index is not built for a multi-level table
    expect(lpmLookup(big, ip('10.0.3.7'))).toBe(3);
    expect(lpmLookup(big, ip('10.4.0.0'))).toBe(DIR_THRESHOLD);
    expect(lpmLookup(big, ip('10.4.1.0'))).toBe(-1);
    expect(lpmBytes(big)).toBe(big.starts.byteLength + big.values.byteLength + 65536 * 4 + big.nodes.byteLength);
  });

  it('an empty table and a default route, forced into the multi-level table', () => {
    const empty = build([], 'dir');
    expect(empty.l1).not.toBeNull();
    expect(empty.nodes.length).toBe(0);
    for (const a of [0, 1, ip('10.0.0.1'), 0xffffffff]) expect(lpmLookup(empty, a)).toBe(-1);
    const dflt = build([slash(0, 0, 7)], 'dir');
    for (const a of [0, ip('128.0.0.0'), 0xffffffff]) expect(lpmLookup(dflt, a)).toBe(7);
  });

  it('a /16 block with at most five runs is one list chunk: 16-bit boundaries, full precision, no third level', () => {
    // /16, then a /20 and a /32 at the very end of the block: runs /16, /20, /16, /32 (4 runs).
    const entries = [slash(ip('10.1.0.0'), 16, 0), slash(ip('10.1.48.0'), 20, 1), slash(ip('10.1.255.255'), 32, 2)];
    const t = build(entries, 'dir');
    // Two words of boundaries (three used, one unused = 65535) and five entries.
    expect(t.nodes.length).toBe(2 + 5);
    expect(lpmLookup(t, ip('10.1.47.255'))).toBe(0);
    expect(lpmLookup(t, ip('10.1.48.0'))).toBe(1);
    expect(lpmLookup(t, ip('10.1.63.255'))).toBe(1);
    expect(lpmLookup(t, ip('10.1.64.0'))).toBe(0);
    expect(lpmLookup(t, ip('10.1.255.254'))).toBe(0);
    expect(lpmLookup(t, ip('10.1.255.255'))).toBe(2); // the unused boundary 65535 counts here too
    expect(lpmLookup(t, ip('10.2.0.0'))).toBe(-1);
    expect(lpmLookup(t, ip('10.0.255.255'))).toBe(-1);
  });

  it('five runs fit a list chunk, six take bitmap chunks; both answer the same', () => {
    const five = [slash(ip('10.1.1.0'), 24, 0), slash(ip('10.1.3.0'), 24, 1)]; // -1, 0, -1, 1, -1
    const six = [...five, slash(ip('10.1.200.7'), 32, 2)]; // 7 runs
    const tFive = build(five, 'dir');
    const tSix = build(six, 'dir');
    expect(tFive.nodes.length).toBe(7);
    expect(tSix.nodes.length).toBeGreaterThan(16); // a 256-slot chunk (8 bitmap words) and a third level
    expect(mismatches(five, probes(five), (a) => naive(five, a))).toEqual([]);
    expect(mismatches(six, probes(six), (a) => naive(six, a))).toEqual([]);
  });

  it('a bitmap chunk only as fine as its finest boundary: /20s in a /16 need 16 slots, not 256', () => {
    const entries = [slash(ip('10.1.0.0'), 16, 0), ...[1, 3, 5, 7].map((i) => slash(ip('10.1.0.0') + i * 4096, 20, i))];
    const t = build(entries, 'dir');
    // 9 runs (/16 and /20 alternating): one bitmap word of 16 slots, its base, nine entries.
    expect(t.nodes.length).toBe(2 + 9);
    expect(lpmLookup(t, ip('10.1.16.0'))).toBe(1);
    expect(lpmLookup(t, ip('10.1.32.0'))).toBe(0);
    expect(lpmLookup(t, ip('10.1.127.255'))).toBe(7);
    expect(lpmLookup(t, ip('10.1.128.0'))).toBe(0);
    expect(mismatches(entries, probes(entries), (a) => naive(entries, a))).toEqual([]);
  });

  it('full chunks: 256 /24s in a /16 and 256 /32s in a /24 (every slot its own run)', () => {
    const entries: Entry[] = [];
    for (let i = 0; i < 256; i++) entries.push(slash(ip('172.16.0.0') + i * 256, 24, i));
    for (let i = 0; i < 256; i++) entries.push(slash(ip('172.16.9.0') + i, 32, 1000 + i));
    const ref = naiveByLength(entries);
    const addrs = [ip('172.15.255.255'), ip('172.17.0.0')];
    for (let a = ip('172.16.0.0'); a <= ip('172.16.255.255'); a += 61) addrs.push(a);
    for (let a = ip('172.16.9.0'); a <= ip('172.16.9.255'); a++) addrs.push(a);
    expect(mismatches(entries, addrs, ref)).toEqual([]);
  });

  it('/16 and /24 boundaries, the first and last /16 and /24 of the address space, /31s and /32s at chunk edges', () => {
    const entries = [
      '0.0.0.0/32', '0.0.0.0/16', '0.0.255.255/32', '0.1.0.0/24', '0.0.255.0/24',
      '255.255.255.255/32', '255.255.0.0/16', '255.255.255.0/24', '255.255.255.254/31', '255.254.255.255/32',
      '10.0.0.0/15', '10.1.255.0/24', '10.2.0.0/16', '10.1.0.0/17', '10.1.128.0/17', '10.1.127.255/32', '10.1.128.0/32',
      '192.168.0.0/23', '192.168.1.255/32', '192.168.2.0/25', '192.168.2.128/26', '192.168.2.192/27', '192.168.2.255/32',
    ].map((p, value) => ({ ...parsePrefix(p)!, value }));
    expect(mismatches(entries, probes(entries), (a) => naive(entries, a))).toEqual([]);
  });

  it('values up to 2^31 - 1 are stored as such; a value below -1 keeps the interval search', () => {
    const entries = [slash(ip('10.0.0.0'), 8, 0x7fffffff), slash(ip('10.1.2.0'), 24, 0), slash(ip('10.1.2.3'), 32, 0x7ffffffe)];
    const t = build(entries, 'dir');
    expect(t.l1).not.toBeNull();
    expect(lpmLookup(t, ip('10.9.9.9'))).toBe(0x7fffffff);
    expect(lpmLookup(t, ip('10.1.2.4'))).toBe(0);
    expect(lpmLookup(t, ip('10.1.2.3'))).toBe(0x7ffffffe);
    const odd = build([slash(ip('10.0.0.0'), 8, -5), slash(ip('10.1.2.0'), 24, 3)], 'dir');
    expect(odd.l1).toBeNull();
    expect(lpmLookup(odd, ip('10.9.9.9'))).toBe(-5);
    expect(lpmLookup(odd, ip('10.1.2.9'))).toBe(3);
  });

  it('adversarial random sets: default routes, /32s, nested chains, /16 and /24 boundaries, duplicates (ECMP groups re-given)', () => {
    // Prefixes are drawn around a few anchors so that they nest, share boundaries and collide.
    const anchors = [0, ip('10.1.0.0'), ip('10.1.255.0'), ip('10.2.0.0'), ip('127.255.255.0'), ip('128.0.0.0'), ip('255.255.255.0')];
    const near = fc
      .record({
        anchor: fc.constantFrom(...anchors),
        delta: fc.oneof(fc.constant(0), fc.integer({ min: -300, max: 300 }), fc.integer({ min: -70000, max: 70000 })),
        len: fc.oneof(fc.constantFrom(0, 1, 8, 15, 16, 17, 23, 24, 25, 31, 32), fc.integer({ min: 0, max: 32 })),
      })
      .map(({ anchor, delta, len }) => {
        const a = (anchor + delta + 2 ** 32) % 2 ** 32;
        return { addr: ((a & maskOf(len)) >>> 0) as number, len };
      });
    fc.assert(
      fc.property(fc.array(near, { maxLength: 60 }), fc.array(fc.nat(1000), { maxLength: 10 }), (ps, dupIdx) => {
        const entries: Entry[] = ps.map((p, value) => ({ ...p, value }));
        // The same prefix given again with another value (an ECMP group re-emitted): the last wins.
        for (const d of dupIdx) if (entries.length) entries.push({ ...entries[d % entries.length], value: 500 + d });
        expect(mismatches(entries, probes(entries), (a) => naive(entries, a))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('a seeded 20,000-route table (/8–/32, as in the benchmark): multi-level, intervals and naive agree on 100,000 addresses', () => {
    let seed = 0x1f2e3d4c;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (t ^ (t >>> 14)) >>> 0;
    };
    const entries: Entry[] = [];
    for (let i = 0; i < 20000; i++) {
      const len = 8 + (rand() % 25);
      entries.push({ addr: (rand() & maskOf(len)) >>> 0, len, value: i });
    }
    const addrs = Array.from({ length: 100000 }, rand);
    for (let i = 0; i < entries.length; i += 7) addrs.push(...probes([entries[i]]));
    expect(mismatches(entries, addrs, naiveByLength(entries))).toEqual([]);
  });
});
