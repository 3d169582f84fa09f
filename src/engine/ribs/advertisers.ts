// Which Tier-1s advertise a prefix, for a Tier-0 patch of a few prefixes (ribs/compute.ts): it
// reads the advertisements of those prefixes alone, and must find every Tier-1 advertising one of
// them (two Tier-1s may advertise the same prefix) without looking at every Tier-1 (4,000 at
// size L). An index from prefix key to Tier-1 names is made from one state's advertisement lists,
// when first asked or when a state is derived from it (an update), and carried along the updates
// after it with the Tier-1s whose lists are no longer the ones it was made from (looked at
// directly); past MAX_CHANGED of those it is made again (when asked).
import { prefixKey } from '../../topology/ip.js';
import type { Advert } from './compute.js';

const MAX_CHANGED = 256;

export class Advertisers {
  /** Prefix key → the Tier-1s whose lists in `baseLists` advertise it (null: not made yet). */
  private base: Map<number, string[]> | null;
  private baseLists: ReadonlyMap<string, readonly Advert[]> | null;
  /** Tier-1s whose list in `adverts` is not their list in `baseLists` (added ones included). */
  private changed: ReadonlySet<string>;

  private constructor(
    private readonly adverts: ReadonlyMap<string, readonly Advert[]>,
    base: Map<number, string[]> | null,
    baseLists: ReadonlyMap<string, readonly Advert[]> | null,
    changed: ReadonlySet<string>,
  ) {
    this.base = base;
    this.baseLists = baseLists;
    this.changed = changed;
  }

  /** The advertisers of a state's lists (the index made when first asked). */
  static of(adverts: ReadonlyMap<string, readonly Advert[]>): Advertisers {
    return new Advertisers(adverts, null, null, NONE);
  }

  /** The advertisers of `adverts`, this state's lists with those of `touched` (Tier-1 names) rebuilt. */
  next(adverts: ReadonlyMap<string, readonly Advert[]>, touched: Iterable<string>): Advertisers {
    // Made here when not yet: every state derived from this one shares it (not one each).
    if (this.base === null) this.make();
    const baseLists = this.baseLists!;
    const changed = new Set<string>();
    for (const name of this.changed) if (adverts.get(name) !== baseLists.get(name)) changed.add(name);
    for (const name of touched) if (adverts.get(name) !== baseLists.get(name)) changed.add(name);
    if (changed.size > MAX_CHANGED) return Advertisers.of(adverts);
    return new Advertisers(adverts, this.base, baseLists, changed);
  }

  /** The Tier-1s advertising the prefix of key `key` (prefixKey), each once, in no particular order. */
  of(key: number): string[] {
    if (this.base === null) this.make();
    const out: string[] = [];
    const lists = this.baseLists!;
    for (const name of this.base!.get(key) ?? []) if (this.adverts.get(name) === lists.get(name)) out.push(name);
    for (const name of this.changed) {
      const list = this.adverts.get(name);
      if (list !== undefined && list.some((a) => a.advertised && prefixKey(a.candidate.prefix) === key)) out.push(name);
    }
    return out;
  }

  private make(): void {
    const base = new Map<number, string[]>();
    for (const [name, list] of this.adverts) {
      let last = -1;
      for (const a of list) {
        if (!a.advertised) continue;
        const k = prefixKey(a.candidate.prefix);
        if (k === last) continue;
        last = k;
        const names = base.get(k);
        if (names === undefined) base.set(k, [name]);
        else if (names[names.length - 1] !== name) names.push(name);
      }
    }
    this.base = base;
    this.baseLists = this.adverts;
    this.changed = NONE;
  }
}

const NONE: ReadonlySet<string> = new Set();
