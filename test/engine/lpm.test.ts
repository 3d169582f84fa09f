// Longest-prefix match (src/engine/lpm.ts): exact cases, then a property test against a naive
// scan over every prefix, on small tables and on big ones (> 2048 intervals: the /16 index).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildLpm, lpmLookup, type LpmTable } from '../../src/engine/lpm.js';
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

function build(entries: Entry[]): LpmTable {
  return buildLpm(
    entries.map((e) => e.addr),
    entries.map((e) => e.len),
    entries.map((e) => e.value),
  );
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

  it('small tables have no /16 index; tables with more than 2048 intervals do', () => {
    expect(table(['10.0.0.0/8']).index16).toBeNull();
    const n = 1500; // 1500 disjoint /24s with gaps: about 3000 intervals
    const addrs = Array.from({ length: n }, (_, i) => ip('20.0.0.0') + i * 512);
    const t = buildLpm(addrs, addrs.map(() => 24), addrs.map((_, i) => i));
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
        const t = build(entries);
        for (const a of [...probes(entries), ...extra]) {
          if (lpmLookup(t, a) !== naive(entries, a)) return false;
        }
        return true;
      }),
      { numRuns: 400 },
    );
  });

  it('with duplicate prefixes carrying different values', () => {
    fc.assert(
      fc.property(entriesArb(12, [10, 255]), (entries) => {
        const doubled = [...entries, ...entries.map((e, i) => ({ ...e, value: 1000 + i }))];
        const t = build(doubled);
        return probes(doubled).every((a) => lpmLookup(t, a) === naive(doubled, a));
      }),
      { numRuns: 200 },
    );
  });

  it('big tables (> 2048 intervals) that switch on the /16 index', () => {
    let indexed = 0;
    fc.assert(
      fc.property(
        fc.uniqueArray(prefixArb([0, 10, 100, 172, 192, 255]).filter((p) => p.len >= 12), { minLength: 2600, maxLength: 3000, selector: (p) => `${p.addr}/${p.len}` }),
        fc.array(prefixArb([10, 172, 255]).filter((p) => p.len <= 12), { maxLength: 10 }),
        (many, covering) => {
          const entries = [...many, ...covering].map((p, value) => ({ ...p, value }));
          const t = build(entries);
          if (t.size <= 2048) return true; // rare: too many collisions; the other runs cover it
          expect(t.index16).not.toBeNull();
          indexed++;
          const ref = naiveByLength(entries);
          return probes(entries).every((a) => lpmLookup(t, a) === ref(a));
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
    const t = build(entries);
    expect(t.index16).not.toBeNull();
    const ref = naiveByLength(entries);
    const bad = probes(entries).filter((a) => lpmLookup(t, a) !== ref(a));
    expect(bad).toEqual([]);
  });
});
