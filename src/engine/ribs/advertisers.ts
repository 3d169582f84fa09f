// Which Tier-1s advertise a prefix, and which entries of a Tier-1's list advertise it, for a
// Tier-0 patch of a few prefixes (ribs/compute.ts): it reads the advertisements of those prefixes
// alone, and must find every Tier-1 advertising one of them (two Tier-1s may advertise the same
// prefix) without looking at every Tier-1 (4,000 at size L). An index from prefix key to Tier-1 names is made from one state's advertisement lists,
// when first asked or when a state is derived from it (an update), and carried along the updates
// after it with the Tier-1s whose lists are no longer the ones it was made from (looked at
// directly); past MAX_CHANGED of those it is made again (when asked).
import { prefixKey } from '../../topology/ip.js';
import type { Advert } from './compute.js';

const MAX_CHANGED = 256;

/**
 * Per Tier-1 advertisement list (an update keeps an unchanged Tier-1's list): each candidate's
 * prefix key when it is advertised, else -1. What a Tier-0 patch reads to find its prefixes.
 */
const advertisedKeyCache = new WeakMap<readonly Advert[], Float64Array>();

function advertisedKeys(list: readonly Advert[]): Float64Array {
  let keys = advertisedKeyCache.get(list);
  if (keys === undefined) {
    keys = new Float64Array(list.length);
    for (let a = 0; a < list.length; a++) keys[a] = list[a].advertised ? prefixKey(list[a].candidate.prefix) : -1;
    advertisedKeyCache.set(list, keys);
  }
  return keys;
}

/** The Tier-1s of `tier1s` (a Tier-0's, in order) advertising a prefix of `only` (prefix keys), in that order. */
export function advertising(tier1s: readonly string[], only: ReadonlySet<number>, advertisers: Advertisers): string[] {
  let at = positionsOf.get(tier1s);
  if (at === undefined) positionsOf.set(tier1s, (at = new Map(tier1s.map((n, i) => [n, i]))));
  const found = new Set<string>();
  for (const k of only) for (const n of advertisers.of(k)) if (at.has(n)) found.add(n);
  const pos = at;
  return [...found].sort((a, b) => pos.get(a)! - pos.get(b)!);
}

/** Each Tier-1's place in a Tier-0's list of Tier-1s (tier1sByTier0's lists, kept per Tier-1 map). */
const positionsOf = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/** Per advertisement list: the positions of its advertised entries by prefix key (prefixKey), in list order. */
const advertisedAtCache = new WeakMap<readonly Advert[], ReadonlyMap<number, readonly number[]>>();

function advertisedAt(list: readonly Advert[]): ReadonlyMap<number, readonly number[]> {
  let at = advertisedAtCache.get(list);
  if (at === undefined) {
    const keys = advertisedKeys(list);
    const out = new Map<number, number[]>();
    for (let a = 0; a < list.length; a++) {
      if (keys[a] < 0) continue;
      const known = out.get(keys[a]);
      if (known) known.push(a);
      else out.set(keys[a], [a]);
    }
    advertisedAtCache.set(list, (at = out));
  }
  return at;
}

/**
 * The entries of `list` advertised for one of the prefixes of `only` (prefix keys), in list
 * order: read from the list's entries by key when `only` is the smaller, else by a pass over the list.
 */
export function advertisedIn(list: readonly Advert[], only: ReadonlySet<number>): number[] {
  const out: number[] = [];
  if (only.size < list.length) {
    const at = advertisedAt(list);
    for (const k of only) {
      const found = at.get(k);
      if (found) for (const a of found) out.push(a);
    }
    if (out.length > 1) out.sort((x, y) => x - y);
  } else {
    const keys = advertisedKeys(list);
    for (let a = 0; a < list.length; a++) if (keys[a] >= 0 && only.has(keys[a])) out.push(a);
  }
  return out;
}

export class Advertisers {
  /** Prefix key → the Tier-1 (one) or Tier-1s (more) whose lists in `baseLists` advertise it (null: not made yet). */
  private base: Map<number, string | string[]> | null;
  private baseLists: ReadonlyMap<string, readonly Advert[]> | null;
  /** Tier-1s whose list in `adverts` is not their list in `baseLists` (added ones included). */
  private changed: ReadonlySet<string>;

  private constructor(
    private readonly adverts: ReadonlyMap<string, readonly Advert[]>,
    base: Map<number, string | string[]> | null,
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
    const names = this.base!.get(key);
    if (typeof names === 'string') {
      if (this.adverts.get(names) === lists.get(names)) out.push(names);
    } else if (names !== undefined) for (const name of names) if (this.adverts.get(name) === lists.get(name)) out.push(name);
    for (const name of this.changed) {
      const list = this.adverts.get(name);
      if (list !== undefined && advertisedAt(list).has(key)) out.push(name);
    }
    return out;
  }

  /**
   * One pass over each list's advertised keys (advertisedKeys, which a Tier-0 patch reads too; no
   * per-list map made): a prefix most often has one advertiser, held as its name, a list from the
   * second on. A list advertising a prefix twice names its Tier-1 once (a list is read whole
   * before the next, so its name is the last one held).
   */
  private make(): void {
    const base = new Map<number, string | string[]>();
    for (const [name, list] of this.adverts) {
      const keys = advertisedKeys(list);
      for (let a = 0; a < keys.length; a++) {
        const k = keys[a];
        if (k < 0) continue;
        const known = base.get(k);
        if (known === undefined) base.set(k, name);
        else if (typeof known === 'string') {
          if (known !== name) base.set(k, [known, name]);
        } else if (known[known.length - 1] !== name) known.push(name);
      }
    }
    this.base = base;
    this.baseLists = this.adverts;
    this.changed = NONE;
  }
}

const NONE: ReadonlySet<string> = new Set();
