// BGP after an edit that changed only what some prefixes' originators hold: those prefixes are
// decided again by a run restricted to them (every speaker, every session, the same policies),
// and the previous state answers for every other prefix. Exact when the prefixes are independent
// of each other — no aggregate (it reads its more specifics), no oscillation before or after, the
// default route not among them, and no changed prefix covering a session address (next hops are
// session addresses: their reachability, and so every other prefix's decision, is unchanged).
// Whoever asks what a speaker advertises, what was stopped, or how many rounds the run took gets
// it from a whole run, made once, when first asked (those views walk every prefix anyway).
import { comparePrefix, contains, prefixKey, sortedPrefixes, type Prefix } from '../../topology/ip.js';
import type { Scenario } from '../../topology/scenario.js';
import type { ExpandedNetwork } from '../model/expand.js';
import type { RoutingState } from '../ribs/route.js';
import { runBgp, type BgpState, type Oscillation, type PrefixEntry } from './control-plane.js';


/** How many partial runs a state stands on (each answers through the one before it). */
const depth = new WeakMap<BgpState, number>();

/** Partial runs in a row before BGP runs whole again (bounds the chain a look-up walks and what it keeps alive). */
export const MAX_PARTIAL_RUNS = 8;

/** Why the prefixes in `changed` cannot be decided alone after this edit, or null when they can. */
export function partialRunRefusal(previous: BgpState, changed: ReadonlySet<number>, changedPrefixes: readonly Prefix[]): string | null {
  if ((depth.get(previous) ?? 0) >= MAX_PARTIAL_RUNS) return `${MAX_PARTIAL_RUNS} partial runs in a row`;
  if (previous.oscillation) return 'the previous state oscillates';
  if (previous.speakers.some((sp) => sp.aggregates.length)) return 'a speaker aggregates (its aggregates read their more specifics)';
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
  const part = runBgp(s, net, routing, { originateOnly: (p) => changed.has(prefixKey(p)), originateOnlyPrefixes: prefixes });
  let whole: BgpState | null = null;
  const full = () => (whole ??= runBgp(s, net, routing));
  const tables = new Map<number, readonly PrefixEntry[]>();
  const state: BgpState = {
    speakers: previous.speakers,
    table(speaker: number): readonly PrefixEntry[] {
      let out = tables.get(speaker);
      if (!out) tables.set(speaker, (out = mergeTables(previous.table(speaker), part.table(speaker), changed)));
      return out;
    },
    entry(speaker: number, prefix: Prefix): PrefixEntry | null {
      return changed.has(prefixKey(prefix)) ? part.entry(speaker, prefix) : previous.entry(speaker, prefix);
    },
    size(speaker: number): { prefixes: number; paths: number } {
      const { prefixes, paths } = previous.size(speaker);
      let n = prefixes;
      let m = paths;
      for (const e of changedEntries(previous, speaker, changed)) {
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
  return { state, part };
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
