// Advertisers (ribs/advertisers.ts) against a scan of every Tier-1's list: along random chains of
// states — Tier-1 lists rebuilt (prefixes advertised or not, added, dropped), Tier-1s added and
// removed, two Tier-1s advertising one prefix — the Tier-1s it gives for each prefix are exactly
// those whose current list advertises it, whether the index was made at the first state, later,
// or made again past its limit of changed Tier-1s.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Advertisers } from '../../src/engine/ribs/advertisers.js';
import type { Advert } from '../../src/engine/ribs/compute.js';
import { prefixKey } from '../../src/topology/ip.js';

const prefix = (x: number) => ({ addr: (10 << 24) | (x << 8), len: 24 });
const list = (entries: readonly [number, boolean][]): Advert[] =>
  entries.map(([x, advertised]) => ({ candidate: { prefix: prefix(x), type: 'TIER1_CONNECTED', origin: `p${x}` }, advertised }));

const entries = fc.array(fc.tuple(fc.nat({ max: 12 }), fc.boolean()), { maxLength: 6 });
const names = ['a', 'b', 'c', 'd', 'e', 'f'];
/** One step: Tier-1 lists rebuilt (or removed, with null). */
const step = fc.array(fc.tuple(fc.constantFrom(...names), fc.option(entries, { nil: null })), { maxLength: 4 });

function scan(adverts: ReadonlyMap<string, readonly Advert[]>, key: number): string[] {
  return [...adverts].filter(([, l]) => l.some((a) => a.advertised && prefixKey(a.candidate.prefix) === key)).map(([n]) => n).sort();
}

describe('Advertisers', () => {
  it('gives, for each prefix, the Tier-1s advertising it, along chains of rebuilt lists (property)', () => {
    fc.assert(
      fc.property(fc.array(entries, { minLength: 6, maxLength: 6 }), fc.array(step, { maxLength: 8 }), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), (first, steps, ask) => {
        let adverts = new Map(names.map((n, i) => [n, list(first[i])] as const));
        let index = Advertisers.of(adverts);
        const check = () => {
          for (let x = 0; x <= 12; x++) expect([...index.of(prefixKey(prefix(x)))].sort(), `prefix ${x}`).toEqual(scan(adverts, prefixKey(prefix(x))));
        };
        if (ask[0]) check();
        steps.forEach((edits, k) => {
          const next = new Map(adverts);
          const touched: string[] = [];
          for (const [name, e] of edits) {
            if (e === null) next.delete(name);
            else {
              next.set(name, list(e));
              touched.push(name);
            }
          }
          adverts = next;
          index = index.next(adverts, touched);
          if (ask[k + 1]) check();
        });
        check();
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
