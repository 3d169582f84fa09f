// BGP after an edit that changed only what some prefixes' originators hold: those prefixes are
// decided again by a run restricted to them (every speaker, every session, the same policies),
// and the previous state answers for every other prefix. Exact when the prefixes are independent
// of each other — no aggregate (it reads its more specifics), no oscillation before or after, the
// default route not among them, and no changed prefix covering a session address (next hops are
// session addresses: their reachability, and so every other prefix's decision, is unchanged).
// After physical routers went down (partialRunWithout), the prefixes they had a say in are the
// ones decided again, without them, and the previous entries of the other prefixes have their
// session numbers moved to the remaining sessions.
// Whoever asks what a speaker advertises, what was stopped, or how many rounds the run took gets
// it from a whole run, made once, when first asked (those views walk every prefix anyway).
import { comparePrefix, contains, prefixKey, sortedPrefixes, type Prefix } from '../../topology/ip.js';
import type { Scenario } from '../../topology/scenario.js';
import type { ExpandedNetwork } from '../model/expand.js';
import type { RoutingState } from '../ribs/route.js';
import { contributedPrefixes, isWholeRun, runBgp, runPrefixes, type BgpState, type Oscillation, type PrefixEntry, type RunOptions } from './control-plane.js';
import { setLocalRoutes } from './speakers.js';
import type { BgpPath, Speaker } from './types.js';


/** How many partial runs a state stands on (each answers through the one before it). */
const depth = new WeakMap<BgpState, number>();

/** Per state made by a partial run: the state it stands on and the prefixes it decided again. */
const standsOn = new WeakMap<BgpState, { readonly previous: BgpState; readonly changed: readonly Prefix[] }>();

/**
 * Every prefix a state's speakers originate, or more (a prefix some speaker no longer originates
 * may be listed, and a prefix listed twice), as sorted lists of prefix keys (the prefixes inside
 * one are then a run of each list: those of P between P's key and that of the address after P): a whole run's prefix table,
 * or for a partial run's state, those of the state it stands on followed by the prefixes it
 * decided again; null when that cannot be told cheaply.
 */
export function knownPrefixKeys(state: BgpState): Float64Array[] | null {
  const lists: Float64Array[] = [];
  let at = state;
  for (let from = standsOn.get(at); from !== undefined; from = standsOn.get(at)) {
    lists.push(keysOf(from.changed));
    at = from.previous;
  }
  const all = runPrefixes(at);
  if (all === null) return null;
  lists.push(keysOf(all));
  return lists.reverse();
}

/** The prefix keys of a list of prefixes, sorted (a whole run's table: once). */
function keysOf(list: readonly Prefix[]): Float64Array {
  let keys = keysByList.get(list);
  if (keys === undefined) {
    keys = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) keys[i] = prefixKey(list[i]);
    keys.sort();
    keysByList.set(list, keys);
  }
  return keys;
}

const keysByList = new WeakMap<readonly Prefix[], Float64Array>();

/**
 * The whole run a state stands on (itself when it is one): the partial runs since decided no
 * prefix covering a session address, so it answers next-hop reachability as the state would
 * (RunOptions.reachableFrom reads a whole run's cached answers; a partial state has none).
 */
function reachabilityOf(state: BgpState): BgpState {
  let at = state;
  for (let from = standsOn.get(at); from !== undefined && !isWholeRun(at); from = standsOn.get(at)) at = from.previous;
  return at;
}

/** Per state made by a partial run: the whole run of the same scenario, made when first asked. */
const wholeRuns = new WeakMap<BgpState, () => BgpState>();

/**
 * A state as a whole run's (what a later run can take origination from: RunOptions.reuse): the
 * state itself when it is one, else (a partial run's) the whole run it stands for, made once.
 */
export function wholeRunOf(state: BgpState): BgpState {
  return wholeRuns.get(state)?.() ?? state;
}

/**
 * The options of a whole run made after `previous`: the origination of the whole run the chain of
 * partial runs up to `previous` stands on reused (previous itself when it is one), for every
 * speaker whose table before BGP is still that run's: partial runs change no specification
 * origination reads (only speakers' tables, routers gone, or session filters), so those speakers
 * originate as they did. (Each partial state's whole run was made from scratch: ~1 s at L for the
 * run that ends a chain of MAX_PARTIAL_RUNS.)
 */
function reuseOf(previous: BgpState): RunOptions {
  const base = reachabilityOf(previous);
  return isWholeRun(base) ? { reuse: base } : {};
}

/** Partial runs in a row before BGP runs whole again (bounds the chain a look-up walks and what it keeps alive). */
export const MAX_PARTIAL_RUNS = 8;

/**
 * Why the prefixes in `changed` cannot be decided alone after this edit, or null when they can.
 * `reachabilityKept`: the speakers' tables before BGP are the very same (they decide next-hop
 * reachability), so a changed prefix covering a session address — the default route included —
 * changes no next hop's reachability.
 */
export function partialRunRefusal(previous: BgpState, changed: ReadonlySet<number>, changedPrefixes: readonly Prefix[], reachabilityKept = false): string | null {
  if ((depth.get(previous) ?? 0) >= MAX_PARTIAL_RUNS) return `${MAX_PARTIAL_RUNS} partial runs in a row`;
  if (previous.oscillation) return 'the previous state oscillates';
  if (previous.speakers.some((sp) => sp.aggregates.length)) return 'a speaker aggregates (its aggregates read their more specifics)';
  if (reachabilityKept) return null;
  if (changed.has(0)) return 'the default route changed';
  for (const sp of previous.speakers) {
    for (const sess of sp.sessions) {
      for (const p of changedPrefixes) {
        if (contains(p, sess.localAddress) || contains(p, sess.peerAddress)) return 'a changed prefix covers a BGP session address';
      }
    }
  }
  return null;
}

/** The BGP state with the prefixes in `changed` decided again (see partialRunRefusal for when this is exact). */
export function partialRun(previous: BgpState, s: Scenario, net: ExpandedNetwork, routing: RoutingState, changed: ReadonlySet<number>): { state: BgpState; part: BgpState } {
  const prefixes = sortedPrefixes(changed);
  // Next hops are session addresses no changed prefix covers (partialRunRefusal): their reachability is the previous run's.
  const part = runBgp(s, net, routing, { originateOnly: (p) => changed.has(prefixKey(p)), originateOnlyPrefixes: prefixes, reachableFrom: reachabilityOf(previous) });
  const state = mergedState(previous, part, changed, () => runBgp(s, net, routing, reuseOf(previous)), null);
  standsOn.set(state, { previous, changed: prefixes });
  return { state, part };
}

/** How the speakers of a restricted run map to the previous state's (speakers removed since). */
interface SpeakerMap {
  /** The previous state's index of each speaker. */
  readonly was: readonly number[];
  /** A previous entry of a speaker as it reads now (its paths' session numbers moved). */
  readonly moved: (speaker: number, e: PrefixEntry) => PrefixEntry;
}

/**
 * The state whose entries for the prefixes in `changed` are the restricted run's (`part`) and
 * whose other entries are the previous state's (through `map` when speakers went away, else as
 * they are); what needs every prefix (advertised, stopped, rounds) comes from a whole run, made
 * when first asked.
 */
function mergedState(previous: BgpState, part: BgpState, changed: ReadonlySet<number>, wholeRun: () => BgpState, map: SpeakerMap | null): BgpState {
  const was = (speaker: number) => (map ? map.was[speaker] : speaker);
  const moved = (speaker: number, e: PrefixEntry) => (map ? map.moved(speaker, e) : e);
  let whole: BgpState | null = null;
  const full = () => (whole ??= wholeRun());
  const tables = new Map<number, readonly PrefixEntry[]>();
  const state: BgpState = {
    speakers: map ? part.speakers : previous.speakers,
    table(speaker: number): readonly PrefixEntry[] {
      let out = tables.get(speaker);
      if (!out) {
        const before = previous.table(was(speaker));
        tables.set(speaker, (out = mergeTables(map ? before.map((e) => moved(speaker, e)) : before, part.table(speaker), changed)));
      }
      return out;
    },
    entry(speaker: number, prefix: Prefix): PrefixEntry | null {
      if (changed.has(prefixKey(prefix))) return part.entry(speaker, prefix);
      const e = previous.entry(was(speaker), prefix);
      return e === null ? null : moved(speaker, e);
    },
    size(speaker: number): { prefixes: number; paths: number } {
      const { prefixes, paths } = previous.size(was(speaker));
      let n = prefixes;
      let m = paths;
      for (const e of changedEntries(previous, was(speaker), changed)) {
        n--;
        m -= e.paths.length;
      }
      for (const e of changedEntries(part, speaker, changed)) {
        n++;
        m += e.paths.length;
      }
      return { prefixes: n, paths: m };
    },
    rejected: (speaker) => full().rejected(speaker),
    advertised: (speaker, session) => full().advertised(speaker, session),
    get rounds(): number {
      return full().rounds;
    },
    oscillation: null as Oscillation | null,
  };
  depth.set(state, (depth.get(previous) ?? 0) + 1);
  wholeRuns.set(state, full);
  return state;
}

/**
 * The BGP state after physical routers went down (they are no longer speakers; nothing else
 * changed: the same Tier-0 and router specs, every remaining speaker's table before BGP the same
 * array), or why it cannot be made so. The prefixes a removed router had a say in
 * (contributedPrefixes: what it originated and what its peers accepted from it) are decided again
 * by a run restricted to them; every other prefix's entry at every remaining speaker is the
 * previous one — its candidates came from none of the removed routers — with its paths' session
 * numbers moved to the new sessions (a removed router's sessions are gone from its peers' lists;
 * best-path selection reads no session number, only whether a path is local). Speakers are
 * matched by name and must keep their sessions, in order, but for those to the removed routers.
 */
export function partialRunWithout(previous: BgpState, removed: readonly number[], s: Scenario, net: ExpandedNetwork, routing: RoutingState): { state: BgpState; part: BgpState; changed: ReadonlySet<number> } | string {
  const changed = new Set<number>();
  const prefixes: Prefix[] = [];
  for (const t of removed) {
    const mine = contributedPrefixes(previous, t);
    if (mine === null) return 'the previous state is itself a partial one';
    for (const p of mine) {
      const k = prefixKey(p);
      if (!changed.has(k)) {
        changed.add(k);
        prefixes.push(p);
      }
    }
  }
  const refusal = partialRunRefusal(previous, changed, prefixes, true);
  if (refusal) return refusal;
  const sorted = sortedPrefixes(changed);
  // The remaining speakers' tables before BGP are the same: next-hop reachability is the previous run's.
  const part = runBgp(s, net, routing, { originateOnly: (p) => changed.has(prefixKey(p)), originateOnlyPrefixes: sorted, reachableFrom: reachabilityOf(previous) });
  // New speaker → previous speaker, and per new speaker its sessions → previous sessions.
  const gone = new Set(removed);
  const byName = new Map(previous.speakers.map((sp) => [sp.name, sp]));
  const was: Speaker[] = [];
  const sessionMaps: Int32Array[] = [];
  if (part.speakers.length !== previous.speakers.length - gone.size) return 'other speakers came or went';
  for (const sp of part.speakers) {
    const old = byName.get(sp.name);
    if (!old || gone.has(old.index) || old.component !== sp.component || old.asn !== sp.asn || old.routerId !== sp.routerId || old.kind !== sp.kind) return `speaker ${sp.name} changed`;
    const kept = old.sessions.map((sess, i) => ({ sess, i })).filter(({ sess }) => !gone.has(sess.peer));
    if (kept.length !== sp.sessions.length) return `the sessions of ${sp.name} changed`;
    // Previous session number → new one (-1: a session to a removed router).
    const map = new Int32Array(old.sessions.length).fill(-1);
    for (let k = 0; k < kept.length; k++) {
      const a = kept[k].sess;
      const b = sp.sessions[k];
      if (a.peerAddress !== b.peerAddress || a.localAddress !== b.localAddress || a.type !== b.type || previous.speakers[a.peer].name !== part.speakers[b.peer].name || JSON.stringify(a.config) !== JSON.stringify(b.config)) return `the sessions of ${sp.name} changed`;
      map[kept[k].i] = k;
    }
    was.push(old);
    sessionMaps.push(map);
    // What it originates is what it originated (its table before BGP is the same): the restricted run's list holds only the changed prefixes.
    setLocalRoutes(sp, () => old.local);
  }
  const state = mergedState(previous, part, changed, () => runBgp(s, net, routing, reuseOf(previous)), { was: was.map((sp) => sp.index), moved: (i, e) => movedEntry(e, sessionMaps[i]) });
  standsOn.set(state, { previous, changed: sorted });
  return { state, part, changed };
}

/** An entry of the previous state with its paths' session numbers moved by `map` (local paths as they are). */
function movedEntry(e: PrefixEntry, map: Int32Array): PrefixEntry {
  let same = true;
  for (const p of e.paths) if (p.session >= 0 && map[p.session] !== p.session) same = false;
  if (same) return e;
  const paths: BgpPath[] = e.paths.map((p) =>
    p.session < 0 ? p : { attrs: p.attrs, session: map[p.session], peerType: p.peerType, peerRouterId: p.peerRouterId, peerAddress: p.peerAddress, source: p.source, ...(p.invalid !== undefined ? { invalid: p.invalid } : {}) },
  );
  // The same candidates in the same order: the same selection (its reasons name addresses, not sessions).
  return { prefix: e.prefix, paths, selection: e.selection };
}

/** A speaker's entries for the changed prefixes (read from the restricted run's table, which holds little else). */
function changedEntries(state: BgpState, speaker: number, changed: ReadonlySet<number>): PrefixEntry[] {
  return state.table(speaker).filter((e) => changed.has(prefixKey(e.prefix)));
}

/** The previous table without the changed prefixes and the restricted run's entries for them, in prefix order. */
function mergeTables(before: readonly PrefixEntry[], part: readonly PrefixEntry[], changed: ReadonlySet<number>): PrefixEntry[] {
  const out: PrefixEntry[] = [];
  const mine = part.filter((e) => changed.has(prefixKey(e.prefix)));
  let j = 0;
  for (const e of before) {
    if (changed.has(prefixKey(e.prefix))) continue;
    while (j < mine.length && comparePrefix(mine[j].prefix, e.prefix) < 0) out.push(mine[j++]);
    out.push(e);
  }
  while (j < mine.length) out.push(mine[j++]);
  return out;
}
