// Routing-policy evaluation for the BGP control plane. This module owns the *meaning* of the policy
// objects a scenario declares, in two dialects, and nothing else (no RIB, no sessions, no best path):
//   - NSX (Tier-0): prefix lists, community lists and route maps (nsx-reference.md §4);
//   - FRR (physical routers): `ip prefix-list`, `bgp community-list standard`,
//     `bgp as-path access-list` and `route-map`, with FRRouting as the reference.
// A Policy is compiled once per router (nsxPolicy / frrPolicy; malformed prefixes, communities,
// AS-path regexes or prepend strings throw an Error there) and then answers prefix-list, route-map
// and neighbour/redistribution-filter questions with a verdict, the rewritten attributes and a
// human reason naming the deciding list entry (NSX: 1-based "entry N"; FRR: "seq N"), and says
// whether a filter's verdict can depend on the prefix at all (so callers may memoize it per
// attribute set).
//
// Semantics, both dialects:
//   - Prefix list: entries in order (FRR: by seq; an entry without seq gets FRR's automatic number,
//     ((highest seq so far) / 5) * 5 + 5, i.e. 5, 10, 15... in file order; a later entry with the
//     same seq replaces the earlier one, as in FRR). The first matching entry decides; no match is
//     an implicit deny. A route P/L matches an entry E/len [ge G] [le M] when P lies inside E
//     (L >= len, first len bits equal) and: neither → L == len; ge only → G <= L <= 32; le only →
//     len <= L <= M; both → G <= L <= M. ge/le 0 mean "unset" (FRR stores them that way; Terraform
//     does the same for NSX). Host bits in an entry prefix are masked off (FRR does so, with a
//     warning). NSX `ANY` (and FRR `any`) is 0.0.0.0/0 le 32. FRR: a defined list with no entries
//     permits everything (lib/plist.c); NSX: it denies (no entry matches).
//   - A referenced but undefined prefix list / community list / AS-path list / route map never
//     matches: as a filter it denies (FRR: prefix_list_apply(NULL) = deny, route_map_apply(NULL) =
//     deny); as a route-map match clause the clause does not match. Reasons say so.
//   - set: local preference, MED and weight replace; AS-path prepend puts its ASNs, in the order
//     written, in front of the path; community replaces the regular communities (and the large ones
//     when it names any — FRR's set community / set large-community)
//     with what the text lists (`none` = no communities) unless communityAdditive adds them;
//     nextHopPeerAddress is reported in the verdict (the caller knows the peer). The input
//     attributes are never mutated.
//
// NSX route maps: entries in list order. An entry with prefixLists matches when the route matches
// ANY of them, where "matches a prefix list" means that SOME entry of that list matches the prefix,
// whatever that entry's own PERMIT/DENY: NSX documents that "the route-map entry's action overrides
// the action inside the referenced prefix list", so a PERMIT route-map entry referencing a list
// whose matching entry says DENY permits the route (and vice versa). An entry with communityLists
// additionally needs every criterion to hold: MATCH_ANY (the default) = the route carries at least
// one of the list's communities, MATCH_ALL = all of them, MATCH_EXACT = the route's regular + large
// community set equals the list's. An entry with neither matches every route. First matching entry:
// PERMIT applies its set, DENY denies. No match: implicit deny.
//
// FRR route maps: entries by seq (a later duplicate seq replaces the earlier one). An entry with no
// match clause matches everything; clauses are ANDed: `match ip address prefix-list` = the list
// permits the prefix (so a list that denies makes the route fall through to the next entry),
// `match community` = the standard community list permits (entries in order; an entry matches when
// ALL its communities are on the route, `internet` in an entry matches every route; no match =
// deny), `match as-path` = the AS-path access list permits (entries in order; FRR regex over the
// path rendered as space-separated ASNs, `_` = (^|[,{}() ]|$) as in bgpd/bgp_regex.c; no match =
// deny). First matching entry: permit applies set and stops, deny denies. No match: implicit deny.
//
// Communities are normalised: regular "aa:nn" (each 0-65535), large "a:b:c" (each 0-4294967295),
// well-known values in FRR spelling ("no-export", "no-advertise", "no-export-subconfed", ...; the
// NSX names NO_EXPORT etc. and FRR's local-AS are accepted, as are their numeric forms such as
// 65535:65281). Lists are unique and sorted by numeric value (FRR's display order): regular by their
// 32-bit value, so the well-known ones (0xFFFFxxxx) come last; large by (global, local1, local2).
import { formatPrefix, maskOf, parseIfAddr, type Prefix } from '../../topology/ip.js';
import { sameValue } from '../incremental/same-value.js';
import {
  entriesOf,
  type FrrAsPathListEntry,
  type FrrCommunityListEntry,
  type FrrPrefixEntry,
  type FrrRouteMapEntry,
  type NsxCommunityMatch,
  type NsxPrefixEntry,
  type NsxRouteMapEntry,
  type PhysicalRouterSpec,
  type RouteMapSet,
  type Tier0Spec,
} from '../../topology/scenario.js';

export type Origin = 'igp' | 'egp' | 'incomplete';

/** The BGP attributes a policy reads and writes. */
export interface PathAttributes {
  prefix: Prefix;
  nextHop: number; // uint32
  asPath: number[]; // AS_SEQUENCE, most recent AS first
  origin: Origin;
  med: number | null; // null = not set
  localPref: number | null; // null = not set
  /** Regular "65100:1" and well-known in FRR spelling ("no-export", ...); sorted & unique. */
  communities: string[];
  /** "65146:1:2", sorted & unique. */
  largeCommunities: string[];
  weight: number;
}

export interface PolicyVerdict {
  permit: boolean;
  /** The attributes after `set` (a new object; the input is never mutated). Present when permit. */
  attrs?: PathAttributes;
  /** Human explanation naming the deciding entry (or the implicit deny). */
  reason: string;
  /** FRR `set ip next-hop peer-address` was applied (the caller sets the next hop). */
  nextHopPeerAddress?: boolean;
}

export interface Policy {
  readonly dialect: 'nsx' | 'frr';
  hasPrefixList(name: string): boolean;
  hasRouteMap(name: string): boolean;
  prefixList(name: string, prefix: Prefix): PolicyVerdict;
  routeMap(name: string, attrs: PathAttributes): PolicyVerdict;
  /**
   * A neighbour/redistribution filter: one prefix list or one route map (NSX RouteFilterSpec).
   * Both given (an FRR neighbour with `prefix-list` and `route-map`): the prefix list first, then
   * the route map, both must permit. Neither: permits unchanged.
   */
  filter(spec: { prefixList?: string; routeMap?: string }, attrs: PathAttributes): PolicyVerdict;
  /**
   * Whether a filter's verdict may depend on the prefix (a prefix list, or a route map with an
   * entry matching on prefix lists). When it cannot, the verdict for one attribute set holds for
   * every prefix carrying it (the control plane memoizes it). Absent: assume it may.
   */
  readsPrefix?(spec: { prefixList?: string; routeMap?: string }): boolean;
  /**
   * What of the prefix a filter reads: the prefix lists it (or its route map's entries) match on,
   * each as its compiled list (an identity: the same list for every filter naming it) and a code
   * per prefix, 1 + the index of the list's first entry matching it (0: none). Two prefixes with
   * the same code for every list get the same verdict (and reason) for the same attributes:
   * nothing else in a filter reads the prefix. Lists that are not defined read nothing.
   */
  prefixReads?(spec: { prefixList?: string; routeMap?: string }): readonly PrefixRead[];
  /**
   * The prefixes for which this policy's prefix lists and route maps can give another verdict or
   * other attributes than `before`'s (the same router's policy before an edit of them, its
   * community and AS-path lists the same), as a predicate; null when that may be any prefix: a list
   * or route map that came or went, an empty FRR list changed (it permits everything), a route-map
   * entry changed (or moved by one inserted or removed before it) that matches on something else
   * than prefix lists or names an undefined list. `filterLists`: the prefix lists neighbours'
   * filters name directly (their verdict counts; of a list only NSX route maps read, only whether an
   * entry matches). Reasons (of paths stopped) do not count: they are computed when asked, from a
   * whole run. See prefixesChangedBetween.
   */
  prefixesChangedFrom?(before: Policy, filterLists: ReadonlySet<string>): ChangedPrefixes | null;
}

/** A predicate over prefixes given as their address and length (no object per prefix tested). */
export type PrefixTest = (addr: number, len: number) => boolean;

/** Prefixes a policy edit can answer otherwise for: `test`, which holds only for prefixes inside one of `within`. */
export interface ChangedPrefixes {
  readonly test: PrefixTest;
  readonly within: readonly Prefix[];
}

/** A prefix list a filter reads (Policy.prefixReads). */
export interface PrefixRead {
  /** Its identity: the entries as the scenario wrote them (the same array while an edit leaves them). */
  readonly list: object;
  readonly code: (p: Prefix) => number;
}

// ---- Communities ------------------------------------------------------------------------------

/** Well-known communities, FRR spelling (bgpd/bgp_community.h) and value. */
const WELL_KNOWN: readonly (readonly [string, number])[] = [
  ['internet', 0],
  ['graceful-shutdown', 0xffff0000],
  ['accept-own', 0xffff0001],
  ['route-filter-translated-v4', 0xffff0002],
  ['route-filter-v4', 0xffff0003],
  ['route-filter-translated-v6', 0xffff0004],
  ['route-filter-v6', 0xffff0005],
  ['llgr-stale', 0xffff0006],
  ['no-llgr', 0xffff0007],
  ['accept-own-nexthop', 0xffff0008],
  ['blackhole', 0xffff029a],
  ['no-export', 0xffffff01],
  ['no-advertise', 0xffffff02],
  ['no-export-subconfed', 0xffffff03],
  ['no-peer', 0xffffff04],
];
const NAME_TO_VALUE = new Map<string, number>([...WELL_KNOWN, ['local-as', 0xffffff03]]);
const VALUE_TO_NAME = new Map<number, string>(WELL_KNOWN.map(([n, v]) => [v, n]));
const INTERNET = 'internet';

type Community = { large: false; text: string; value: number } | { large: true; text: string; parts: [number, number, number] };

const U16 = 0xffff;
const U32 = 0xffffffff;

/** Parses one community token; throws on a malformed one. */
function parseCommunity(token: string): Community {
  const name = NAME_TO_VALUE.get(token.toLowerCase().replace(/_/g, '-'));
  if (name !== undefined) return { large: false, text: VALUE_TO_NAME.get(name)!, value: name };
  let m = /^(\d+):(\d+)$/.exec(token);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a <= U16 && b <= U16) {
      const value = a * 65536 + b;
      return { large: false, text: VALUE_TO_NAME.get(value) ?? `${a}:${b}`, value };
    }
  }
  m = /^(\d+):(\d+):(\d+)$/.exec(token);
  if (m) {
    const parts = [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number];
    if (parts.every((x) => x <= U32)) return { large: true, text: parts.join(':'), parts };
  }
  throw new Error(
    `malformed community ${JSON.stringify(token)}: expected aa:nn (0-65535 each), a large community a:b:c (0-4294967295 each) or a well-known name (no-export, no-advertise, no-export-subconfed, ...)`,
  );
}

/** A total order on community texts: numeric for parseable ones, then any unparseable text. */
function communitySortKey(text: string): number[] {
  try {
    const c = parseCommunity(text);
    return c.large ? [0, ...c.parts] : [0, c.value];
  } catch {
    return [1];
  }
}

function compareCommunityText(a: string, b: string): number {
  const ka = communitySortKey(a);
  const kb = communitySortKey(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  if (ka.length !== kb.length) return ka.length - kb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Normalises a community text tolerantly (an unparseable one is kept as written). */
function normalizeOne(text: string): string {
  try {
    return parseCommunity(text).text;
  } catch {
    return text;
  }
}

function sortedUnique(texts: Iterable<string>): string[] {
  return [...new Set(texts)].sort(compareCommunityText);
}

/** Parses "65146:100 NO_EXPORT 65146:1:2 no-advertise" into normalized {communities, largeCommunities}; throws Error on a malformed token. */
export function parseCommunities(text: string): { communities: string[]; largeCommunities: string[] } {
  const regular: string[] = [];
  const large: string[] = [];
  for (const token of text.split(/\s+/)) {
    if (token === '') continue;
    const c = parseCommunity(token);
    (c.large ? large : regular).push(c.text);
  }
  return { communities: sortedUnique(regular), largeCommunities: sortedUnique(large) };
}

/** The route's regular and large communities, normalised, as one set. */
function routeCommunitySet(a: PathAttributes): Set<string> {
  const s = new Set<string>();
  for (const c of a.communities) s.add(normalizeOne(c));
  for (const c of a.largeCommunities) s.add(normalizeOne(c));
  return s;
}

// ---- Prefix lists -----------------------------------------------------------------------------

interface PrefixListEntry {
  /** "entry 2" (NSX) or "seq 10" (FRR). */
  readonly id: string;
  readonly permit: boolean;
  readonly addr: number;
  readonly len: number;
  /** Accepted route prefix lengths, inclusive. */
  readonly lo: number;
  readonly hi: number;
  /** The entry as written for reasons: "10.146.128.0/17 le 32", "ANY". */
  readonly text: string;
}

interface PrefixList {
  readonly entries: readonly PrefixListEntry[];
  /** FRR: a list without entries permits everything (lib/plist.c); NSX: it denies. */
  readonly emptyPermits: boolean;
  /** The entries as the scenario wrote them: the list's identity across compilations (an edit that leaves them keeps the array). */
  readonly source: object;
}

function entryMatches(e: PrefixListEntry, p: Prefix): boolean {
  return p.len >= e.len && p.len >= e.lo && p.len <= e.hi && (p.addr & maskOf(e.len)) >>> 0 === e.addr;
}

/** Builds an entry; ge/le of 0 or absent mean unset. `any` = 0.0.0.0/0 le 32 unless ge/le say otherwise. */
function makeEntry(where: string, id: string, permit: boolean, network: string, geIn: number | undefined, leIn: number | undefined): PrefixListEntry {
  const ge = geIn ? geIn : undefined;
  const le = leIn ? leIn : undefined;
  for (const [k, v] of [['ge', ge], ['le', le]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 32)) throw new Error(`${where}: ${k} ${v} is not a prefix length 0-32`);
  }
  const isAny = network.trim().toLowerCase() === 'any';
  let addr = 0;
  let len = 0;
  if (!isAny) {
    const a = parseIfAddr(network.trim());
    if (!a) throw new Error(`${where}: ${JSON.stringify(network)} is not an IPv4 prefix or ANY`);
    len = a.len;
    addr = (a.ip & maskOf(len)) >>> 0;
  }
  let lo: number;
  let hi: number;
  if (ge === undefined && le === undefined) [lo, hi] = isAny ? [0, 32] : [len, len];
  else if (le === undefined) [lo, hi] = [ge!, 32];
  else if (ge === undefined) [lo, hi] = [len, le];
  else [lo, hi] = [ge, le];
  const base = isAny ? 'ANY' : formatPrefix({ addr, len });
  const text = base + (ge !== undefined ? ` ge ${ge}` : '') + (le !== undefined ? ` le ${le}` : '');
  return { id, permit, addr, len, lo, hi, text };
}

/** The identity of a list written without entries (every such list of a dialect reads prefixes alike). */
const NO_ENTRIES_NSX: object = Object.freeze([]);
const NO_ENTRIES_FRR: object = Object.freeze([]);

function compileNsxPrefixList(name: string, entries: NsxPrefixEntry[]): PrefixList {
  const out = (entries ?? []).map((e, i) => {
    const id = `entry ${i + 1}`;
    const action = e.action ?? 'PERMIT';
    if (action !== 'PERMIT' && action !== 'DENY') throw new Error(`prefix-list ${name} ${id}: action ${JSON.stringify(action)} is not PERMIT or DENY`);
    return makeEntry(`prefix-list ${name} ${id}`, id, action === 'PERMIT', String(e.network), e.ge, e.le);
  });
  return { entries: out, emptyPermits: false, source: entries ?? NO_ENTRIES_NSX };
}

/** FRR's automatic sequence number: ((highest so far) / 5) * 5 + 5. */
function autoSeq(maxSeq: number): number {
  return Math.floor(maxSeq / 5) * 5 + 5;
}

function compileFrrPrefixList(name: string, entries: FrrPrefixEntry[]): PrefixList {
  const bySeq = new Map<number, PrefixListEntry>();
  let maxSeq = 0;
  (entries ?? []).forEach((e, i) => {
    const seq = e.seq ?? autoSeq(maxSeq);
    if (!Number.isInteger(seq) || seq < 0) throw new Error(`prefix-list ${name} entry ${i + 1}: seq ${seq} is not a non-negative integer`);
    maxSeq = Math.max(maxSeq, seq);
    if (e.action !== 'permit' && e.action !== 'deny') throw new Error(`prefix-list ${name} seq ${seq}: action ${JSON.stringify(e.action)} is not permit or deny`);
    bySeq.set(seq, makeEntry(`prefix-list ${name} seq ${seq}`, `seq ${seq}`, e.action === 'permit', String(e.prefix), e.ge, e.le));
  });
  const sorted = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
  return { entries: sorted, emptyPermits: true, source: entries ?? NO_ENTRIES_FRR };
}

interface PrefixListResult {
  permit: boolean;
  reason: string;
}

function evalPrefixList(name: string, list: PrefixList | undefined, p: Prefix): PrefixListResult {
  if (!list) return { permit: false, reason: `prefix-list ${name} is not defined (deny)` };
  if (list.entries.length === 0) {
    return list.emptyPermits
      ? { permit: true, reason: `prefix-list ${name} has no entries (FRR permits every prefix)` }
      : { permit: false, reason: `prefix-list ${name}: no entry matches (implicit deny)` };
  }
  for (const e of list.entries) {
    if (entryMatches(e, p)) return { permit: e.permit, reason: `prefix-list ${name} ${e.id} (${e.text}) ${e.permit ? 'permits' : 'denies'}` };
  }
  return { permit: false, reason: `prefix-list ${name}: no entry matches (implicit deny)` };
}

// ---- Sets -------------------------------------------------------------------------------------

interface CompiledSet {
  readonly localPref?: number;
  readonly med?: number;
  readonly weight?: number;
  readonly prepend?: readonly number[];
  readonly community?: { readonly communities: readonly string[]; readonly large: readonly string[] };
  readonly additive: boolean;
  readonly nextHopPeer: boolean;
  /** "local-preference 200, as-path prepend 65146 65146" for reasons. */
  readonly text: string;
}

function compileSet(where: string, s: RouteMapSet | undefined): CompiledSet | undefined {
  if (!s) return undefined;
  const parts: string[] = [];
  const num = (k: string, v: number | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || v < 0 || v > U32) throw new Error(`${where}: set ${k} ${v} is not an integer 0-4294967295`);
    return v;
  };
  const localPref = num('localPreference', s.localPreference);
  const med = num('med', s.med);
  const weight = num('weight', s.weight);
  if (localPref !== undefined) parts.push(`local-preference ${localPref}`);
  if (med !== undefined) parts.push(`metric ${med}`);
  if (weight !== undefined) parts.push(`weight ${weight}`);
  let prepend: number[] | undefined;
  if (s.asPathPrepend !== undefined) {
    const tokens = String(s.asPathPrepend).trim().split(/\s+/).filter((t) => t !== '');
    prepend = tokens.map((t) => {
      const n = /^\d{1,10}$/.test(t) ? Number(t) : NaN;
      if (!(n >= 1 && n <= U32)) throw new Error(`${where}: as-path prepend ${JSON.stringify(s.asPathPrepend)}: ${JSON.stringify(t)} is not an AS number 1-4294967295`);
      return n;
    });
    if (prepend.length) parts.push(`as-path prepend ${prepend.join(' ')}`);
    else prepend = undefined;
  }
  let community: CompiledSet['community'];
  if (s.community !== undefined) {
    const text = String(s.community).trim();
    if (text.toLowerCase() === 'none') community = { communities: [], large: [] };
    else {
      let parsed: { communities: string[]; largeCommunities: string[] };
      try {
        parsed = parseCommunities(text);
      } catch (err) {
        throw new Error(`${where}: set community: ${(err as Error).message}`);
      }
      community = { communities: parsed.communities, large: parsed.largeCommunities };
    }
    parts.push(`community ${text}${s.communityAdditive ? ' additive' : ''}`);
  }
  const nextHopPeer = s.nextHopPeerAddress === true;
  if (nextHopPeer) parts.push('ip next-hop peer-address');
  return { localPref, med, weight, prepend, community, additive: s.communityAdditive === true, nextHopPeer, text: parts.join(', ') };
}

function copyAttrs(a: PathAttributes): PathAttributes {
  return {
    ...a,
    prefix: { addr: a.prefix.addr, len: a.prefix.len },
    asPath: [...a.asPath],
    communities: [...a.communities],
    largeCommunities: [...a.largeCommunities],
  };
}

function applySet(s: CompiledSet | undefined, a: PathAttributes): PathAttributes {
  const out = copyAttrs(a);
  if (!s) return out;
  if (s.localPref !== undefined) out.localPref = s.localPref;
  if (s.med !== undefined) out.med = s.med;
  if (s.weight !== undefined) out.weight = s.weight;
  if (s.prepend) out.asPath = [...s.prepend, ...out.asPath];
  if (s.community) {
    if (s.additive) {
      out.communities = sortedUnique([...out.communities.map(normalizeOne), ...s.community.communities]);
      out.largeCommunities = sortedUnique([...out.largeCommunities.map(normalizeOne), ...s.community.large]);
    } else {
      // As FRR's separate `set community` and `set large-community`: the regular communities are
      // replaced (also by "none"); the large ones only when the text names large communities.
      out.communities = [...s.community.communities];
      if (s.community.large.length) out.largeCommunities = [...s.community.large];
    }
  }
  return out;
}

// ---- Route maps (shared evaluation) -----------------------------------------------------------

interface RouteMapEntry {
  /** "entry 2" (NSX) or "seq 20" (FRR). */
  readonly id: string;
  readonly permit: boolean;
  /** Null: no match. Otherwise what matched ('' for an entry without match criteria). */
  readonly match: (a: PathAttributes) => string | null;
  readonly set?: CompiledSet;
  /** Match criteria naming lists that do not exist (they never match). */
  readonly undefinedRefs: readonly string[];
  /** The match reads the prefix (it names prefix lists). */
  readonly readsPrefix: boolean;
  /** The prefix lists the match names. */
  readonly prefixLists: readonly string[];
  /** The entry as the scenario wrote it (what an edit of the route map is compared by). */
  readonly source: object;
}

function evalRouteMap(name: string, entries: readonly RouteMapEntry[] | undefined, attrs: PathAttributes): PolicyVerdict {
  if (!entries) return { permit: false, reason: `route-map ${name} is not defined (deny)` };
  const notes: string[] = [];
  for (const e of entries) {
    for (const r of e.undefinedRefs) notes.push(`${e.id}: ${r} is not defined, so it does not match`);
    const m = e.match(attrs);
    if (m === null) continue;
    const how = m === '' ? ' (no match criteria: matches every route)' : `, matching ${m}`;
    const tail = notes.length ? ` [${notes.join('; ')}]` : '';
    if (!e.permit) return { permit: false, reason: `route-map ${name} ${e.id} denies${how}${tail}` };
    const verdict: PolicyVerdict = {
      permit: true,
      attrs: applySet(e.set, attrs),
      reason: `route-map ${name} ${e.id} permits${how}${e.set && e.set.text ? `; set ${e.set.text}` : ''}${tail}`,
    };
    if (e.set?.nextHopPeer) verdict.nextHopPeerAddress = true;
    return verdict;
  }
  const tail = notes.length ? ` [${notes.join('; ')}]` : '';
  return { permit: false, reason: `route-map ${name}: no entry matches (implicit deny)${tail}` };
}

// ---- NSX --------------------------------------------------------------------------------------

interface NsxCommunityList {
  readonly set: ReadonlySet<string>;
}

function nsxCommunityHolds(list: NsxCommunityList, op: NonNullable<NsxCommunityMatch['operator']>, route: Set<string>): boolean {
  const wanted = [...list.set];
  switch (op) {
    case 'MATCH_ANY':
      return wanted.some((c) => route.has(c));
    case 'MATCH_ALL':
      return wanted.every((c) => route.has(c));
    case 'MATCH_EXACT':
      return route.size === list.set.size && wanted.every((c) => route.has(c));
  }
}

function compileNsxRouteMap(
  name: string,
  entries: NsxRouteMapEntry[],
  prefixLists: ReadonlyMap<string, PrefixList>,
  communityLists: ReadonlyMap<string, NsxCommunityList>,
): RouteMapEntry[] {
  return (entries ?? []).map((e, i) => {
    const id = `entry ${i + 1}`;
    const where = `route-map ${name} ${id}`;
    if (e.action !== 'PERMIT' && e.action !== 'DENY') throw new Error(`${where}: action ${JSON.stringify(e.action)} is not PERMIT or DENY`);
    const pls = e.prefixLists ?? [];
    const cms = (e.communityLists ?? []).map((c) => {
      const op = c.operator ?? 'MATCH_ANY';
      if (op !== 'MATCH_ANY' && op !== 'MATCH_ALL' && op !== 'MATCH_EXACT') throw new Error(`${where}: community match operator ${JSON.stringify(op)} is not MATCH_ANY, MATCH_ALL or MATCH_EXACT`);
      return { name: c.communityList, op, list: communityLists.get(c.communityList) };
    });
    const undefinedRefs = [
      ...pls.filter((p) => !prefixLists.has(p)).map((p) => `prefix-list ${p}`),
      ...cms.filter((c) => !c.list).map((c) => `community-list ${c.name}`),
    ];
    const match = (a: PathAttributes): string | null => {
      const parts: string[] = [];
      if (pls.length) {
        let hit: string | null = null;
        for (const pl of pls) {
          const list = prefixLists.get(pl);
          const entry = list?.entries.find((x) => entryMatches(x, a.prefix));
          if (entry) {
            hit = `prefix-list ${pl} ${entry.id} (${entry.text})`;
            if (!entry.permit) hit += ` although that entry says DENY: the route-map entry's action overrides it`;
            break;
          }
        }
        if (hit === null) return null;
        parts.push(hit);
      }
      if (cms.length) {
        const route = routeCommunitySet(a);
        for (const c of cms) {
          if (!c.list || !nsxCommunityHolds(c.list, c.op, route)) return null;
          parts.push(`community-list ${c.name} (${c.op})`);
        }
      }
      return parts.join(' and ');
    };
    return { id, permit: e.action === 'PERMIT', match, set: e.action === 'PERMIT' ? compileSet(where, e.set) : undefined, undefinedRefs, readsPrefix: pls.length > 0, prefixLists: pls, source: e };
  });
}

/** Tier-0 prefix lists / community lists / route maps. */
export function nsxPolicy(t0: Tier0Spec): Policy {
  const prefixLists = new Map<string, PrefixList>();
  for (const [name, entries] of entriesOf(t0.prefixLists)) prefixLists.set(name, compileNsxPrefixList(name, entries));
  const communityLists = new Map<string, NsxCommunityList>();
  for (const [name, items] of entriesOf(t0.communityLists)) {
    try {
      const parsed = parseCommunities((items ?? []).join(' '));
      communityLists.set(name, { set: new Set([...parsed.communities, ...parsed.largeCommunities]) });
    } catch (err) {
      throw new Error(`community-list ${name}: ${(err as Error).message}`);
    }
  }
  const routeMaps = new Map<string, RouteMapEntry[]>();
  for (const [name, entries] of entriesOf(t0.routeMaps)) routeMaps.set(name, compileNsxRouteMap(name, entries, prefixLists, communityLists));
  return new CompiledPolicy('nsx', prefixLists, routeMaps);
}

// ---- FRR --------------------------------------------------------------------------------------

interface FrrCommunityEntry {
  readonly id: string;
  readonly permit: boolean;
  /** `internet` listed (or nothing listed): matches every route. */
  readonly any: boolean;
  readonly wanted: readonly string[];
  readonly text: string;
}

interface AsPathEntry {
  readonly id: string;
  readonly permit: boolean;
  readonly re: RegExp;
  readonly text: string;
}

/** FRR AS-path regex (POSIX ERE, `_` special) as a JS RegExp. */
export function asPathRegex(regex: string): RegExp {
  const posixClasses: Record<string, string> = {
    digit: '0-9',
    space: ' \\t\\n\\r\\f\\v',
    alpha: 'A-Za-z',
    alnum: '0-9A-Za-z',
    punct: '!-\\/:-@\\[-`{-~',
  };
  const translated = regex
    .replace(/\[:(\w+):\]/g, (all, cls: string) => posixClasses[cls] ?? all)
    .replace(/_/g, '(?:^|[,{}() ]|$)');
  return new RegExp(translated);
}

/** The AS path as FRR renders it for regex matching: "65100 65200" ("" when empty). */
export function asPathString(asPath: readonly number[]): string {
  return asPath.join(' ');
}

function firstMatch<T extends { permit: boolean; id: string; text: string }>(entries: readonly T[], test: (e: T) => boolean): T | null {
  for (const e of entries) if (test(e)) return e;
  return null;
}

function compileFrrRouteMap(
  name: string,
  entries: FrrRouteMapEntry[],
  prefixLists: ReadonlyMap<string, PrefixList>,
  communityLists: ReadonlyMap<string, FrrCommunityEntry[]>,
  asPathLists: ReadonlyMap<string, AsPathEntry[]>,
): RouteMapEntry[] {
  const bySeq = new Map<number, RouteMapEntry>();
  (entries ?? []).forEach((e, i) => {
    if (!Number.isInteger(e.seq) || e.seq < 0) throw new Error(`route-map ${name} entry ${i + 1}: seq ${e.seq} is not a non-negative integer`);
    const id = `seq ${e.seq}`;
    const where = `route-map ${name} ${id}`;
    if (e.action !== 'permit' && e.action !== 'deny') throw new Error(`${where}: action ${JSON.stringify(e.action)} is not permit or deny`);
    const pl = e.match?.prefixList;
    const cl = e.match?.communityList;
    const al = e.match?.asPathList;
    const undefinedRefs: string[] = [];
    if (pl !== undefined && !prefixLists.has(pl)) undefinedRefs.push(`prefix-list ${pl}`);
    if (cl !== undefined && !communityLists.has(cl)) undefinedRefs.push(`community-list ${cl}`);
    if (al !== undefined && !asPathLists.has(al)) undefinedRefs.push(`as-path-list ${al}`);
    const match = (a: PathAttributes): string | null => {
      const parts: string[] = [];
      if (pl !== undefined) {
        const list = prefixLists.get(pl);
        if (!list) return null;
        const r = evalPrefixList(pl, list, a.prefix);
        if (!r.permit) return null;
        parts.push(r.reason);
      }
      if (cl !== undefined) {
        const list = communityLists.get(cl);
        if (!list) return null;
        const route = routeCommunitySet(a);
        const hit = firstMatch(list, (x) => x.any || x.wanted.every((c) => route.has(c)));
        if (!hit || !hit.permit) return null;
        parts.push(`community-list ${cl} ${hit.id} (${hit.text}) permits`);
      }
      if (al !== undefined) {
        const list = asPathLists.get(al);
        if (!list) return null;
        const path = asPathString(a.asPath);
        const hit = firstMatch(list, (x) => x.re.test(path));
        if (!hit || !hit.permit) return null;
        parts.push(`as-path-list ${al} ${hit.id} (${hit.text}) permits`);
      }
      return parts.join(' and ');
    };
    bySeq.set(e.seq, { id, permit: e.action === 'permit', match, set: e.action === 'permit' ? compileSet(where, e.set) : undefined, undefinedRefs, readsPrefix: pl !== undefined, prefixLists: pl !== undefined ? [pl] : [], source: e });
  });
  return [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
}

function compileFrrCommunityList(name: string, entries: FrrCommunityListEntry[]): FrrCommunityEntry[] {
  return (entries ?? []).map((e, i) => {
    const id = `entry ${i + 1}`;
    if (e.action !== 'permit' && e.action !== 'deny') throw new Error(`community-list ${name} ${id}: action ${JSON.stringify(e.action)} is not permit or deny`);
    let parsed: { communities: string[]; largeCommunities: string[] };
    try {
      parsed = parseCommunities(String(e.communities ?? ''));
    } catch (err) {
      throw new Error(`community-list ${name} ${id}: ${(err as Error).message}`);
    }
    const wanted = [...parsed.communities, ...parsed.largeCommunities];
    return { id, permit: e.action === 'permit', any: wanted.length === 0 || wanted.includes(INTERNET), wanted, text: wanted.join(' ') || 'any' };
  });
}

function compileAsPathList(name: string, entries: FrrAsPathListEntry[]): AsPathEntry[] {
  return (entries ?? []).map((e, i) => {
    const id = `entry ${i + 1}`;
    if (e.action !== 'permit' && e.action !== 'deny') throw new Error(`as-path-list ${name} ${id}: action ${JSON.stringify(e.action)} is not permit or deny`);
    let re: RegExp;
    try {
      re = asPathRegex(String(e.regex));
    } catch (err) {
      throw new Error(`as-path-list ${name} ${id}: invalid regex ${JSON.stringify(e.regex)}: ${(err as Error).message}`);
    }
    return { id, permit: e.action === 'permit', re, text: String(e.regex) };
  });
}

/** FRR prefix-lists / community-lists / as-path lists / route-maps. */
export function frrPolicy(r: PhysicalRouterSpec): Policy {
  const prefixLists = new Map<string, PrefixList>();
  for (const [name, entries] of entriesOf(r.prefixLists)) prefixLists.set(name, compileFrrPrefixList(name, entries));
  const communityLists = new Map<string, FrrCommunityEntry[]>();
  for (const [name, entries] of entriesOf(r.communityLists)) communityLists.set(name, compileFrrCommunityList(name, entries));
  const asPathLists = new Map<string, AsPathEntry[]>();
  for (const [name, entries] of entriesOf(r.asPathLists)) asPathLists.set(name, compileAsPathList(name, entries));
  const routeMaps = new Map<string, RouteMapEntry[]>();
  for (const [name, entries] of entriesOf(r.routeMaps)) routeMaps.set(name, compileFrrRouteMap(name, entries, prefixLists, communityLists, asPathLists));
  return new CompiledPolicy('frr', prefixLists, routeMaps);
}

// ---- The Policy object ------------------------------------------------------------------------

class CompiledPolicy implements Policy {
  constructor(
    readonly dialect: 'nsx' | 'frr',
    private readonly prefixLists: ReadonlyMap<string, PrefixList>,
    private readonly routeMaps: ReadonlyMap<string, readonly RouteMapEntry[]>,
  ) {}

  /** The compiled prefix lists and route maps (prefixesChangedBetween reads two policies'). */
  get lists(): ReadonlyMap<string, PrefixList> {
    return this.prefixLists;
  }

  get maps(): ReadonlyMap<string, readonly RouteMapEntry[]> {
    return this.routeMaps;
  }

  prefixesChangedFrom(before: Policy, filterLists: ReadonlySet<string>): ChangedPrefixes | null {
    return before instanceof CompiledPolicy && before.dialect === this.dialect ? prefixesChangedBetween(before, this, filterLists) : null;
  }

  hasPrefixList(name: string): boolean {
    return this.prefixLists.has(name);
  }

  hasRouteMap(name: string): boolean {
    return this.routeMaps.has(name);
  }

  prefixList(name: string, prefix: Prefix): PolicyVerdict {
    return evalPrefixList(name, this.prefixLists.get(name), prefix);
  }

  routeMap(name: string, attrs: PathAttributes): PolicyVerdict {
    return evalRouteMap(name, this.routeMaps.get(name), attrs);
  }

  filter(spec: { prefixList?: string; routeMap?: string }, attrs: PathAttributes): PolicyVerdict {
    const { prefixList, routeMap } = spec;
    if (prefixList === undefined && routeMap === undefined) return { permit: true, attrs: copyAttrs(attrs), reason: 'no filter' };
    let plReason: string | undefined;
    if (prefixList !== undefined) {
      const v = this.prefixList(prefixList, attrs.prefix);
      if (!v.permit || routeMap === undefined) return v.permit ? { permit: true, attrs: copyAttrs(attrs), reason: v.reason } : v;
      plReason = v.reason;
    }
    const v = this.routeMap(routeMap!, attrs);
    return plReason === undefined ? v : { ...v, reason: `${plReason}; ${v.reason}` };
  }

  readsPrefix(spec: { prefixList?: string; routeMap?: string }): boolean {
    if (spec.prefixList !== undefined) return true;
    if (spec.routeMap === undefined) return false;
    const entries = this.routeMaps.get(spec.routeMap);
    return !!entries && entries.some((e) => e.readsPrefix);
  }

  prefixReads(spec: { prefixList?: string; routeMap?: string }): readonly PrefixRead[] {
    const names = new Set<string>();
    if (spec.prefixList !== undefined) names.add(spec.prefixList);
    if (spec.routeMap !== undefined) for (const e of this.routeMaps.get(spec.routeMap) ?? []) for (const name of e.prefixLists) names.add(name);
    const out: PrefixRead[] = [];
    for (const name of names) {
      const list = this.prefixLists.get(name);
      if (list !== undefined) out.push(prefixReadOf(list));
    }
    return out;
  }
}

/**
 * The prefixes `after`'s lists and route maps can answer otherwise than `before`'s, in verdict or
 * attributes (Policy.prefixesChangedFrom; reasons are computed when asked, from a whole run):
 *   - a prefix list as written again: the prefixes it answers otherwise — for a neighbour's
 *     filter and an FRR route map, whether its first matching entry permits (none matching:
 *     deny); for an NSX route map, whether an entry matches (the route-map entry's action
 *     decides): an NSX list only route maps read (not in `filterLists`) is read for that alone,
 *     one a neighbour's filter names too for both;
 *   - a route map as written again: its entries that differ, place by place (with as many
 *     entries; else every one from the first that differs to the end, in both versions: an entry
 *     inserted or removed moves the places, and so the names, of the rest): the prefixes one of those entries
 *     can match — some entry of one of its prefix lists, in the version of the lists of its own
 *     policy. A prefix none of them can match passes them by in both versions: the entries before
 *     are the same and answer alike (whatever else they match on), and so are those after.
 * Attributes other than the prefix are read the same way by both (the community and AS-path lists
 * are the same: the caller checks). A route map entry matches on prefix lists and, ANDed, on
 * communities or AS paths (NSX and FRR alike), so its prefix lists bound what it matches.
 */
function prefixesChangedBetween(before: CompiledPolicy, after: CompiledPolicy, filterLists: ReadonlySet<string>): ChangedPrefixes | null {
  const tests: PrefixTest[] = [];
  const within: Prefix[] = [];
  const around = (list: PrefixList) => {
    for (const e of list.entries) within.push({ addr: e.addr, len: e.len });
  };
  for (const name of new Set([...before.lists.keys(), ...after.lists.keys()])) {
    const a = before.lists.get(name);
    const b = after.lists.get(name);
    if (a === undefined || b === undefined) return null;
    if (a.source === b.source) continue;
    if ((a.emptyPermits && a.entries.length === 0) !== (b.emptyPermits && b.entries.length === 0)) return null;
    if (a.entries.length === b.entries.length && a.entries.every((e, i) => sameListEntry(e, b.entries[i]))) continue;
    // What the list's readers see of a prefix: an NSX route map whether an entry matches, a
    // neighbour's filter (and an FRR route map) whether the first one that matches permits.
    const nsx = after.dialect === 'nsx';
    const direct = filterLists.has(name);
    const seen = (list: PrefixList, addr: number, len: number): number => {
      const i = firstEntry(list, addr, len);
      if (i < 0) return 0;
      const permit = list.entries[i].permit;
      return !nsx ? (permit ? 1 : 0) : !direct ? 1 : permit ? 2 : 1;
    };
    tests.push((addr, len) => seen(a, addr, len) !== seen(b, addr, len));
    around(a);
    around(b);
  }
  for (const name of new Set([...before.maps.keys(), ...after.maps.keys()])) {
    const a = before.maps.get(name);
    const b = after.maps.get(name);
    if (a === undefined || b === undefined) return null;
    // The same number of entries: those that differ, each in its place; else (one inserted or
    // removed) every one from the first that differs on, the places of the rest moved.
    const differs = (k: number) => k >= a.length || k >= b.length || a[k].id !== b[k].id || !sameValue(a[k].source, b[k].source);
    let from = 0;
    while (from < a.length && from < b.length && !differs(from)) from++;
    if (from === a.length && from === b.length) continue;
    for (const [entries, lists] of [[a, before.lists], [b, after.lists]] as const) {
      for (let k = from; k < entries.length; k++) {
        if (a.length === b.length && !differs(k)) continue;
        const e = entries[k];
        if (!e.readsPrefix || e.undefinedRefs.length) return null;
        for (const pl of e.prefixLists) {
          const list = lists.get(pl)!;
          if (list.entries.length === 0) {
            if (list.emptyPermits) return null;
            continue;
          }
          tests.push((addr, len) => firstEntry(list, addr, len) >= 0);
          around(list);
        }
      }
    }
  }
  return { test: anyPrefixTest(tests), within };
}

/** A test that holds where one of `tests` holds. */
export function anyPrefixTest(tests: readonly PrefixTest[]): PrefixTest {
  return (addr, len) => {
    for (let t = 0; t < tests.length; t++) if (tests[t](addr, len)) return true;
    return false;
  };
}

function firstEntry(list: PrefixList, addr: number, len: number): number {
  const entries = list.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (len >= e.len && len >= e.lo && len <= e.hi && (addr & maskOf(e.len)) >>> 0 === e.addr) return i;
  }
  return -1;
}

function sameListEntry(a: PrefixListEntry, b: PrefixListEntry): boolean {
  return a.id === b.id && a.permit === b.permit && a.addr === b.addr && a.len === b.len && a.lo === b.lo && a.hi === b.hi && a.text === b.text;
}

/** One PrefixRead per list as written (compilations of the same entries share it). */
const prefixReadsByList = new WeakMap<object, PrefixRead>();

function prefixReadOf(list: PrefixList): PrefixRead {
  let read = prefixReadsByList.get(list.source);
  if (read === undefined) {
    const entries = list.entries;
    const code = (p: Prefix): number => {
      for (let i = 0; i < entries.length; i++) if (entryMatches(entries[i], p)) return i + 1;
      return 0;
    };
    prefixReadsByList.set(list.source, (read = { list: list.source, code }));
  }
  return read;
}
