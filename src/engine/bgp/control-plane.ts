// The BGP control plane as a synchronous fixpoint over all speakers: each round every speaker
// selects best paths from what it originates and what it received, then advertises to each
// session through split horizon, NO_EXPORT/NO_ADVERTISE, summary-only suppression and its
// outbound policy; receivers apply AS-path loop detection and inbound policy. It stops when no
// Adj-RIB-In changes; a state seen before means oscillation, reported with the speakers and prefixes.
// An aggregate exists while a valid more specific path does and takes their worst ORIGIN (FRR).
// Built for scale like real BGP engines: a worklist of changed prefixes per speaker (a round
// re-decides and re-advertises only those), update groups (what sessions with the same outbound
// settings are sent is computed once), prefixes and path attributes interned (one object per
// distinct attribute set, shared by every Adj-RIB-In that holds it), change detection by
// comparing interned attributes, oscillation detection by a 64-bit fingerprint of the Adj-RIB-In
// state (kept up to date entry by entry; the cycle is described by replaying the run), and what
// is advertised or stopped computed on demand from the final tables instead of stored each round.
import { contains, formatIp, formatPrefix, maskOf, networkOf, parsePrefix, type Prefix } from '../../topology/ip.js';
import type { Scenario, Tier0RedistributionType } from '../../topology/scenario.js';
import type { ExpandedNetwork } from '../expand.js';
import type { RibRoute, RouteType, RoutingState } from '../routes.js';
import { ORIGIN_RANK, selectBest, type Selection } from './bestpath.js';
import type { PathAttributes, PolicyVerdict } from './policy.js';
import { buildSpeakers } from './speakers.js';
import { natAddresses } from '../nat.js';
import type { BgpPath, RejectedPath, Session, Speaker } from './types.js';

const LOCAL_WEIGHT = 32768;
const MAX_ROUNDS = 200;

export interface PrefixEntry {
  readonly prefix: Prefix;
  readonly paths: readonly BgpPath[];
  readonly selection: Selection;
}

export interface Oscillation {
  readonly speakers: string[];
  readonly prefixes: string[];
  readonly period: number;
}

export interface BgpState {
  readonly speakers: readonly Speaker[];
  /** Per speaker: its BGP table, sorted by prefix. */
  readonly tables: readonly (readonly PrefixEntry[])[];
  /** Paths stopped on their way to a speaker (in, or at a neighbour's way out), with the reason;
   * computed when asked, from the final tables. */
  rejected(speaker: number): readonly RejectedPath[];
  /** What a speaker advertises on one session (after outbound policy); computed when asked. */
  advertised(speaker: number, session: number): readonly PathAttributes[];
  readonly rounds: number;
  readonly oscillation: Oscillation | null;
}

const key = (p: Prefix) => p.addr * 64 + p.len;

function attrsOf(prefix: Prefix, origin: PathAttributes['origin']): PathAttributes {
  return { prefix, nextHop: 0, asPath: [], origin, med: 0, localPref: null, communities: [], largeCommunities: [], weight: LOCAL_WEIGHT };
}

/** Which Tier-0 redistribution types a route on a Tier-0 SR belongs to. */
function redistributionTypes(r: RibRoute, net: ExpandedNetwork): Tier0RedistributionType[] {
  switch (r.type) {
    case 'static':
      return ['TIER0_STATIC'];
    case 't1c':
      return ['TIER1_CONNECTED', 'TIER1_SEGMENT'];
    case 't1s':
      return ['TIER1_STATIC'];
    case 't1n':
      return ['TIER1_NAT'];
    case 't1l':
      return ['TIER1_LB_VIP'];
    case 't1ls':
      return ['TIER1_LB_SNAT'];
    case 't1d':
      return ['TIER1_DNS_FORWARDER_IP'];
    case 't1ipsec':
      return ['TIER1_IPSEC_LOCAL_ENDPOINT'];
    case 'connected': {
      const nh = r.nextHops[0];
      if (nh.ip !== null) return ['TIER0_SEGMENT', 'TIER0_CONNECTED']; // a Tier-0 segment, via the DR
      const kind = net.interfaces[nh.interface!].kind;
      if (kind === 'uplink') return ['TIER0_EXTERNAL_INTERFACE', 'TIER0_CONNECTED'];
      if (kind === 'router-link') return ['TIER0_ROUTER_LINK'];
      return []; // backplane and inter-SR links are internal
    }
    default:
      return [];
  }
}

/** Locally originated paths: FRR network/redistribute, NSX redistribution rules. */
function originate(s: Scenario, net: ExpandedNetwork, routing: RoutingState, sp: Speaker, rejected: RejectedPath[]): void {
  const rib = routing.ribs[sp.component].filter((r) => r.selected);
  const have = new Set(sp.local.map((l) => key(l.attrs.prefix)));
  const push = (attrs: PathAttributes, source: string, invalid?: string) => {
    if (have.has(key(attrs.prefix))) return;
    have.add(key(attrs.prefix));
    sp.local.push(invalid ? { attrs, source, invalid } : { attrs, source });
  };
  const refuse = (prefix: Prefix, reason: string) => rejected.push({ prefix, from: sp.name, attrs: null, where: 'in', reason });
  if (sp.kind === 'router') {
    const bgp = s.physicalRouters![sp.owner].bgp!;
    for (const n of bgp.networks ?? []) {
      const p = parsePrefix(n)!;
      // FRR keeps a network that fails import-check in its table, as an invalid path.
      if (rib.some((r) => key(r.prefix) === key(p) && r.type !== 'bgp')) push(attrsOf(p, 'igp'), `network ${n}`);
      else push(attrsOf(p, 'igp'), `network ${n}`, `network ${n}: not in the routing table (FRR import-check)`);
    }
    for (const rd of bgp.redistribute ?? []) {
      for (const r of rib) {
        if (r.type !== rd.type) continue;
        const attrs = attrsOf(r.prefix, 'incomplete');
        const v: PolicyVerdict = rd.routeMap ? sp.policy.routeMap(rd.routeMap, attrs) : { permit: true, attrs, reason: '' };
        if (v.permit) push(v.attrs!, `redistribute ${rd.type}${rd.routeMap ? ` route-map ${rd.routeMap}` : ''}`);
        else refuse(r.prefix, `redistribute ${rd.type}: ${v.reason}`);
      }
    }
    return;
  }
  const t0 = s.tier0s![sp.owner];
  const rules = t0.redistribution ?? [];
  // Candidates: the SR's selected routes by type, then the Tier-0's own NAT addresses (TIER0_NAT).
  const candidates: { prefix: Prefix; types: Tier0RedistributionType[]; origin: string }[] = rib.map((r) => ({ prefix: r.prefix, types: redistributionTypes(r, net), origin: r.origin }));
  for (const { prefix, rule } of natAddresses(t0.nat)) candidates.push({ prefix, types: ['TIER0_NAT'], origin: `NAT rule ${JSON.stringify(rule)}` });

  for (const r of candidates) {
    const types = r.types;
    if (!types.length) continue;
    const matching = rules.filter((rule) => rule.types.some((t) => types.includes(t)));
    if (!matching.length) {
      refuse(r.prefix, `no redistribution rule includes ${types[0]} (${r.origin})`);
      continue;
    }
    const reasons: string[] = [];
    let done = false;
    for (const rule of matching) {
      const attrs = attrsOf(r.prefix, 'incomplete');
      const v: PolicyVerdict = rule.routeMap ? sp.policy.routeMap(rule.routeMap, attrs) : { permit: true, attrs, reason: '' };
      if (v.permit) {
        push(v.attrs!, `redistribution rule ${JSON.stringify(rule.name)} (${types[0]}: ${r.origin})`);
        done = true;
        break;
      }
      reasons.push(`redistribution rule ${JSON.stringify(rule.name)}: ${v.reason}`);
    }
    if (!done) refuse(r.prefix, reasons.join('; '));
  }
}

function applyFilter(sp: Speaker, spec: { prefixList?: string; routeMap?: string } | undefined, attrs: PathAttributes): PolicyVerdict {
  if (!spec) return { permit: true, attrs, reason: '' };
  if (sp.kind === 'tier0-sr') return sp.policy.filter(spec, attrs);
  // FRR: the prefix list is applied before the route map.
  let cur = attrs;
  let peerAddress = false;
  if (spec.prefixList) {
    const v = sp.policy.prefixList(spec.prefixList, cur.prefix);
    if (!v.permit) return v;
  }
  if (spec.routeMap) {
    const v = sp.policy.routeMap(spec.routeMap, cur);
    if (!v.permit) return v;
    cur = v.attrs!;
    peerAddress = !!v.nextHopPeerAddress;
  }
  return { permit: true, attrs: cur, reason: '', nextHopPeerAddress: peerAddress };
}

/**
 * Interned prefixes and path attributes. A prefix gets a small integer id (what every per-speaker
 * map is keyed by); an attribute set is one object per distinct set (prefix included), found by
 * prefix id then field by field, so equal attributes are the same object and compare by identity.
 * Interned attributes are shared: never mutated (policies and advertisement work on copies).
 */
class AttrTable {
  private readonly prefixIds = new Map<number, number>();
  /** Prefix by id (one shared object per prefix). */
  readonly prefixes: Prefix[] = [];
  private readonly byPrefix: PathAttributes[][] = [];
  private readonly ids = new Map<PathAttributes, number>();
  pid(p: Prefix): number {
    const k = key(p);
    let id = this.prefixIds.get(k);
    if (id === undefined) {
      id = this.prefixes.length;
      this.prefixIds.set(k, id);
      this.prefixes.push({ addr: p.addr, len: p.len });
      this.byPrefix.push([]);
    }
    return id;
  }
  /** The interned copy of `a`, whose prefix has id `pid`. */
  intern(a: PathAttributes, pid: number): PathAttributes {
    const list = this.byPrefix[pid];
    for (const b of list) if (sameAttrs(a, b)) return b;
    const c: PathAttributes = { prefix: this.prefixes[pid], nextHop: a.nextHop, asPath: this.list(a.asPath), origin: a.origin, med: a.med, localPref: a.localPref, communities: this.list(a.communities), largeCommunities: this.list(a.largeCommunities), weight: a.weight };
    list.push(c);
    this.ids.set(c, this.ids.size + 1);
    return c;
  }
  /** AS paths and community lists are shared too (most paths carry one of a few). */
  private readonly lists = new Map<string, unknown[]>();
  private list<T extends number | string>(xs: T[]): T[] {
    const k = `${typeof xs[0]}:${xs.join(' ')}`;
    let hit = this.lists.get(k) as T[] | undefined;
    if (!hit) this.lists.set(k, (hit = xs.slice()));
    return hit;
  }
  /** A small number naming an interned attribute set (for the state fingerprint). */
  id(a: PathAttributes): number {
    return this.ids.get(a)!;
  }
}

function sameList<T>(x: readonly T[], y: readonly T[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sameAttrs(a: PathAttributes, b: PathAttributes): boolean {
  return a.nextHop === b.nextHop && a.weight === b.weight && a.origin === b.origin && a.med === b.med && a.localPref === b.localPref && sameList(a.asPath, b.asPath) && sameList(a.communities, b.communities) && sameList(a.largeCommunities, b.largeCommunities);
}

/** What one speaker needs during the run, fixed before the first round. */
interface SpeakerContext {
  readonly sp: Speaker;
  readonly reachable: (ip: number) => boolean;
  readonly requiresPolicy: boolean;
  /** Per session: the index of the peer's session back to us, -1 when there is none. */
  readonly back: readonly number[];
  /** Locally originated paths by prefix id (network, redistribution). */
  readonly local: ReadonlyMap<number, BgpPath>;
  /** Prefix id of each aggregate. */
  readonly aggregatePids: readonly number[];
  /** Update groups: the sessions (indexes) that are sent the same thing, each a non-empty list. */
  readonly updateGroups: readonly (readonly number[])[];
}

/** Adj-RIB-In and BGP table of one speaker during a run. */
interface SpeakerRun {
  /** Per session: prefix id → path (after inbound policy). */
  readonly adjIn: Map<number, BgpPath>[];
  /** Prefix id → table entry. */
  readonly table: Map<number, PrefixEntry>;
  /** Per aggregate: its active path attributes, or null while it has no contributor. */
  readonly aggregates: (PathAttributes | null)[];
  /** Prefix ids whose Adj-RIB-In changed since the last round. */
  dirty: Set<number>;
}

/**
 * Sessions that are sent exactly the same attributes (FRR's update groups): same session type,
 * same local address (the next hop we set), same outbound filter and next-hop-self and
 * default-originate settings. Sessions with no way back, or that send nothing
 * (ebgp-requires-policy without an outbound policy), are in no group.
 */
function updateGroups(sp: Speaker, back: readonly number[], requiresPolicy: boolean): number[][] {
  const groups = new Map<string, number[]>();
  sp.sessions.forEach((sess, si) => {
    if (back[si] < 0) return;
    if (sess.type === 'ebgp' && requiresPolicy && !sess.config.out) return;
    const sig = JSON.stringify([sess.type, sess.localAddress, sess.config.out ?? null, sess.config.nextHopSelf, sess.config.defaultOriginate]);
    const g = groups.get(sig);
    if (g) g.push(si);
    else groups.set(sig, [si]);
  });
  return [...groups.values()];
}

/** Runs the synchronous rounds; the state and, when asked, the per-speaker serializations of some rounds. */
interface Simulation {
  readonly runs: SpeakerRun[];
  readonly rounds: number;
  readonly cycleFrom: number | null;
  readonly historyLength: number;
}

export function runBgp(s: Scenario, net: ExpandedNetwork, routing: RoutingState): BgpState {
  const speakers = buildSpeakers(s, net);
  const originRejected: RejectedPath[][] = speakers.map(() => []);
  for (const sp of speakers) originate(s, net, routing, sp, originRejected[sp.index]);
  const attrs = new AttrTable();
  const ctx: SpeakerContext[] = speakers.map((sp) => {
    const back = sp.sessions.map((sess) => speakers[sess.peer].sessions.findIndex((b) => b.peer === sp.index && b.peerAddress === sess.localAddress));
    const requiresPolicy = sp.kind === 'router' ? !!s.physicalRouters![sp.owner].bgp!.ebgpRequiresPolicy : false;
    const local = new Map<number, BgpPath>();
    sp.local.forEach((l, i) => {
      const pid = attrs.pid(l.attrs.prefix);
      const interned = attrs.intern(l.attrs, pid);
      sp.local[i] = { ...l, attrs: interned };
      local.set(pid, { attrs: interned, session: -1, peerType: 'local', peerRouterId: 0, peerAddress: 0, source: l.source, ...(l.invalid ? { invalid: l.invalid } : {}) });
    });
    return {
      sp,
      reachable: reachability(routing.ribs[sp.component]),
      requiresPolicy,
      back,
      local,
      aggregatePids: sp.aggregates.map((ag) => attrs.pid(ag.prefix)),
      updateGroups: updateGroups(sp, back, requiresPolicy),
    };
  });
  const sim = simulate(ctx, attrs, null);
  let oscillation: Oscillation | null = null;
  if (sim.cycleFrom !== null) {
    // Replay the run, keeping the states of the cycle this time, to say what oscillates.
    const states: string[][] = [];
    simulate(ctx, attrs, { from: sim.cycleFrom, until: sim.historyLength, states });
    oscillation = describeOscillation(speakers, states, attrs.prefixes);
  }
  const tables = sim.runs.map((r) => [...r.table.values()].sort((a, b) => a.prefix.addr - b.prefix.addr || a.prefix.len - b.prefix.len));
  const advertisedCache = new Map<number, (PathAttributes[] | null)[]>();
  const rejectedCache = new Map<number, RejectedPath[]>();
  return {
    speakers,
    tables,
    rounds: sim.rounds,
    oscillation,
    advertised(speaker: number, session: number): readonly PathAttributes[] {
      const c = ctx[speaker];
      const perSession = advertisedCache.get(speaker) ?? c.sp.sessions.map(() => null);
      advertisedCache.set(speaker, perSession);
      return (perSession[session] ??= c.back[session] < 0 ? [] : advertise(c.sp, c.sp.sessions[session], tables[speaker], [], c.requiresPolicy));
    },
    rejected(speaker: number): readonly RejectedPath[] {
      let out = rejectedCache.get(speaker);
      if (out) return out;
      // The same walk as a round, restricted to what reaches this speaker: senders in order.
      out = [...originRejected[speaker]];
      const me = ctx[speaker];
      for (const c of ctx) {
        c.sp.sessions.forEach((sess, si) => {
          const back = c.back[si];
          if (sess.peer !== speaker || back < 0) return;
          for (const a of advertise(c.sp, sess, tables[c.sp.index], out!, c.requiresPolicy)) receive(me.sp, me.sp.sessions[back], back, c.sp, a, out!, me.requiresPolicy);
        });
      }
      rejectedCache.set(speaker, out);
      return out;
    },
  };
}

/**
 * The synchronous rounds over a worklist: each round re-decides only the prefixes whose
 * Adj-RIB-In changed, re-advertises only those whose advertised candidate changed, and writes the
 * received paths into the Adj-RIB-Ins after every speaker has decided (so each round sees the
 * previous round's state, as whole synchronous rounds do). With `capture`, the per-speaker
 * serialized Adj-RIB-In after each round in [from, until) of the history is collected.
 */
function simulate(ctx: readonly SpeakerContext[], attrs: AttrTable, capture: { from: number; until: number; states: string[][] } | null): Simulation {
  const runs: SpeakerRun[] = ctx.map((c) => ({ adjIn: c.sp.sessions.map(() => new Map()), table: new Map(), aggregates: c.sp.aggregates.map(() => null), dirty: new Set(c.local.keys()) }));
  const seen = new Map<string, number>();
  let historyLength = 0;
  const fp = { h1: 0, h2: 0 };
  let rounds = 0;
  let cycleFrom: number | null = null;
  for (;;) {
    rounds++;
    // Phase 1: every speaker re-decides its dirty prefixes from the previous round's Adj-RIB-In.
    const changed: number[][] = ctx.map((c) => {
      const run = runs[c.sp.index];
      const dirty = run.dirty;
      run.dirty = new Set();
      if (c.sp.aggregates.length && (dirty.size || rounds === 1)) updateAggregates(c, run, attrs, dirty);
      const out: number[] = [];
      for (const k of dirty) {
        const before = run.table.get(k);
        const after = buildEntry(c, run, k);
        if (after) run.table.set(k, after);
        else run.table.delete(k);
        if (candidateOf(before) !== candidateOf(after) || learnedOf(before) !== learnedOf(after)) out.push(k);
      }
      return out.sort((a, b) => a - b);
    });
    // Phase 2: advertise what changed, once per update group (sessions that are sent the same
    // thing); receivers apply loop detection and inbound policy.
    let changes = 0;
    const dflt = attrs.pid({ addr: 0, len: 0 });
    for (const c of ctx) {
      const run = runs[c.sp.index];
      for (const group of c.updateGroups) {
        const sess = c.sp.sessions[group[0]];
        const deliver = (k: number, a: PathAttributes | null) => {
          for (const si of group) {
            const back = c.back[si];
            const peer = ctx[c.sp.sessions[si].peer];
            const peerRun = runs[peer.sp.index];
            const adj = peerRun.adjIn[back];
            const path = a ? receive(peer.sp, peer.sp.sessions[back], back, c.sp, a, null, peer.requiresPolicy) : null;
            if (path) path.attrs = attrs.intern(path.attrs, k);
            const old = adj.get(k);
            if ((old?.attrs ?? null) === (path?.attrs ?? null)) continue;
            if (old) mix(fp, peer.sp.index, back, k, attrs.id(old.attrs), -1);
            if (path) {
              adj.set(k, path);
              mix(fp, peer.sp.index, back, k, attrs.id(path.attrs), 1);
            } else adj.delete(k);
            peerRun.dirty.add(k);
            changes++;
          }
        };
        if (sess.config.defaultOriginate && rounds === 1) deliver(dflt, advertiseOne(c.sp, sess, { attrs: attrsOf({ addr: 0, len: 0 }, 'igp'), learned: 'local', defaultOriginate: true }, null));
        for (const k of changed[c.sp.index]) {
          if (sess.config.defaultOriginate && k === dflt) continue;
          const e = run.table.get(k);
          const best = e && e.selection.best >= 0 ? e.paths[e.selection.best] : null;
          deliver(k, best ? advertiseOne(c.sp, sess, { attrs: best.attrs, learned: best.peerType }, null) : null);
        }
      }
    }
    const state = `${fp.h1}:${fp.h2}`;
    if (capture && historyLength >= capture.from && historyLength < capture.until) capture.states.push(runs.map(serializeSpeaker));
    if (changes === 0 && rounds > 1) break; // the same Adj-RIB-In as the round before: converged
    const prev = seen.get(state);
    if (capture && historyLength + 1 >= capture.until) break;
    if (prev !== undefined || rounds >= MAX_ROUNDS) {
      cycleFrom = prev ?? historyLength - 1; // the cycle: history[cycleFrom, historyLength)
      break;
    }
    seen.set(state, historyLength);
    historyLength++;
  }
  return { runs, rounds, cycleFrom, historyLength };
}

/** One best-path candidate's identity (what advertisement depends on). */
const candidateOf = (e: PrefixEntry | null | undefined) => (e && e.selection.best >= 0 ? e.paths[e.selection.best].attrs : null);
const learnedOf = (e: PrefixEntry | null | undefined) => (e && e.selection.best >= 0 ? e.paths[e.selection.best].peerType : null);

/** Adds (or removes) one Adj-RIB-In entry to the 64-bit state fingerprint: two sums of 32-bit mixes. */
function mix(fp: { h1: number; h2: number }, speaker: number, session: number, k: number, id: number, sign: 1 | -1): void {
  let a = Math.imul(speaker + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(session + 0x7f4a7c15, 0xc2b2ae35);
  a ^= Math.imul((k % 0x100000000) ^ Math.floor(k / 0x100000000), 0x27d4eb2f);
  a ^= Math.imul(id, 0x165667b1);
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  let b = Math.imul(a ^ 0x5bd1e995, 0x1b873593) + Math.imul(id ^ (k >>> 5), 0x9e3779b1);
  b = Math.imul(b ^ (b >>> 15), 0x2c1b3c6d);
  b ^= b >>> 12;
  fp.h1 = (fp.h1 + sign * (a >>> 0)) >>> 0;
  fp.h2 = (fp.h2 + sign * (b >>> 0)) >>> 0;
}

/** Next-hop reachability through the speaker's selected non-BGP routes, never a default route. */
function reachability(rib: readonly RibRoute[]): (ip: number) => boolean {
  const byLen = new Map<number, Set<number>>();
  for (const r of rib) {
    if (!r.selected || r.prefix.len === 0) continue;
    let set = byLen.get(r.prefix.len);
    if (!set) byLen.set(r.prefix.len, (set = new Set()));
    set.add(r.prefix.addr >>> 0);
  }
  const lens = [...byLen.entries()];
  const cache = new Map<number, boolean>();
  return (ip) => {
    let hit = cache.get(ip);
    if (hit === undefined) {
      hit = lens.some(([len, set]) => set.has((ip & maskOf(len)) >>> 0));
      cache.set(ip, hit);
    }
    return hit;
  };
}

/** FRR bgp_aggregate_route: an aggregate is originated while a valid path of a more specific
 * prefix is in the table — every valid path, best or not, suppressed or not, other aggregates
 * excepted. ORIGIN is the worst of those contributors' (IGP < EGP < incomplete). */
function updateAggregates(c: SpeakerContext, run: SpeakerRun, attrs: AttrTable, dirty: Set<number>): void {
  const valid = (p: BgpPath) => !p.invalid && (p.session < 0 || c.reachable(p.attrs.nextHop));
  c.sp.aggregates.forEach((ag, i) => {
    let origin: PathAttributes['origin'] | null = null;
    const consider = (p: BgpPath) => {
      if (p.attrs.prefix.len > ag.prefix.len && contains(ag.prefix, p.attrs.prefix.addr) && valid(p)) {
        if (origin === null || ORIGIN_RANK[p.attrs.origin] > ORIGIN_RANK[origin]) origin = p.attrs.origin;
      }
    };
    c.local.forEach(consider);
    for (const m of run.adjIn) m.forEach(consider);
    const pid = c.aggregatePids[i];
    const active = origin !== null && !c.local.has(pid) ? attrs.intern(attrsOf(ag.prefix, origin), pid) : null;
    if (active !== run.aggregates[i]) {
      run.aggregates[i] = active;
      dirty.add(pid);
    }
  });
}

/** A prefix's table entry from the local path, the Adj-RIB-In (session order) and active aggregates. */
function buildEntry(c: SpeakerContext, run: SpeakerRun, k: number): PrefixEntry | null {
  const paths: BgpPath[] = [];
  const local = c.local.get(k);
  if (local) paths.push(local);
  for (const m of run.adjIn) {
    const p = m.get(k);
    if (p) paths.push(p);
  }
  for (let i = 0; i < c.sp.aggregates.length; i++) {
    const ag = c.sp.aggregates[i];
    const a = run.aggregates[i];
    if (a && c.aggregatePids[i] === k) paths.push({ attrs: a, session: -1, peerType: 'local', peerRouterId: 0, peerAddress: 0, source: `aggregate ${formatPrefix(ag.prefix)}${ag.summaryOnly ? ' summary-only' : ''}` });
  }
  if (!paths.length) return null;
  return { prefix: paths[0].attrs.prefix, paths, selection: decide(paths, c.sp, c.reachable) };
}

/** Best path and multipath set now; the per-path reasons (strings) only when a query reads them. */
function decide(paths: BgpPath[], sp: Speaker, reachable: (ip: number) => boolean): Selection {
  const { best, multipath } = selectAccessible(paths, sp, reachable, false);
  return new LazySelection(best, multipath, paths, sp, reachable);
}

class LazySelection implements Selection {
  private explained: readonly string[] | null = null;
  constructor(
    readonly best: number,
    readonly multipath: readonly number[],
    private readonly paths: BgpPath[],
    private readonly sp: Speaker,
    private readonly reachable: (ip: number) => boolean,
  ) {}
  get reasons(): readonly string[] {
    return (this.explained ??= selectAccessible(this.paths, this.sp, this.reachable, true).reasons);
  }
}

/** Best path among paths whose next hop resolves (FRR next-hop tracking); the rest are inaccessible. */
function selectAccessible(paths: BgpPath[], sp: Speaker, reachable: (ip: number) => boolean, explain: boolean): Selection {
  let all = true;
  for (const p of paths) if (p.invalid || (p.session >= 0 && !reachable(p.attrs.nextHop))) all = false;
  if (all) return selectBest(paths, sp, explain);
  const ok = paths.map((p, i) => ({ p, i })).filter(({ p }) => !p.invalid && (p.session < 0 || reachable(p.attrs.nextHop)));
  const inner = selectBest(ok.map((x) => x.p), sp, explain);
  if (!explain) return { best: inner.best < 0 ? -1 : ok[inner.best].i, multipath: inner.multipath.map((k) => ok[k].i), reasons: [] };
  const reasons = paths.map((p) => (p.invalid ? `invalid: ${p.invalid}` : `inaccessible: next hop ${formatIp(p.attrs.nextHop)} unreachable`));
  inner.reasons.forEach((r, k) => (reasons[ok[k].i] = r));
  return { best: inner.best < 0 ? -1 : ok[inner.best].i, multipath: inner.multipath.map((k) => ok[k].i), reasons };
}

function suppressedBySummary(sp: Speaker, p: Prefix): string | null {
  for (const ag of sp.aggregates) {
    if (ag.summaryOnly && p.len > ag.prefix.len && contains(ag.prefix, p.addr)) return formatPrefix(ag.prefix);
  }
  return null;
}

interface Candidate {
  readonly attrs: PathAttributes;
  readonly learned: BgpPath['peerType'];
  readonly defaultOriginate?: boolean;
}

/** Everything a speaker sends on one session (from its final table), recording what it stops. */
function advertise(sp: Speaker, sess: Session, table: readonly PrefixEntry[], peerRejected: RejectedPath[], requiresPolicy: boolean): PathAttributes[] {
  const out: PathAttributes[] = [];
  if (sess.type === 'ebgp' && requiresPolicy && !sess.config.out) {
    for (const e of table) peerRejected.push({ prefix: e.prefix, from: sp.name, attrs: null, where: 'out', reason: `${sp.name}: ebgp-requires-policy: no outbound policy toward this neighbour` });
    return out;
  }
  const candidates: Candidate[] = [];
  if (sess.config.defaultOriginate) candidates.push({ attrs: attrsOf({ addr: 0, len: 0 }, 'igp'), learned: 'local', defaultOriginate: true });
  for (const e of table) {
    if (e.selection.best < 0) continue;
    if (sess.config.defaultOriginate && e.prefix.len === 0) continue;
    const best = e.paths[e.selection.best];
    candidates.push({ attrs: best.attrs, learned: best.peerType });
  }
  for (const c of candidates) {
    const a = advertiseOne(sp, sess, c, peerRejected);
    if (a) out.push(a);
  }
  return out;
}

/**
 * One candidate toward one session: split horizon, NO_EXPORT/NO_ADVERTISE, summary-only
 * suppression, outbound policy, then the eBGP/iBGP attribute rewrites. A default-originate
 * default route (MED 0, as FRR 8.4 sends it) bypasses the outbound prefix list and route map.
 * Null when not sent; a stop is recorded in `peerRejected` when given.
 */
function advertiseOne(sp: Speaker, sess: Session, { attrs, learned, defaultOriginate }: Candidate, peerRejected: RejectedPath[] | null): PathAttributes | null {
  const prefix = attrs.prefix;
  const ebgp = sess.type === 'ebgp';
  if (learned !== 'local' && learned !== 'ebgp' && sess.type !== 'ebgp') return stopOut(peerRejected, sp, attrs, 'iBGP split horizon (learned over iBGP, not re-advertised to iBGP peers)');
  if (sess.type === 'inter-sr' && learned !== 'ebgp') return null; // inter-SR carries northbound routes only
  if (learned === 'inter-sr' && ebgp) return null; // inter-SR routes stay inside the Tier-0
  if (attrs.communities.includes('no-advertise')) return stopOut(peerRejected, sp, attrs, 'NO_ADVERTISE community');
  if (ebgp && (attrs.communities.includes('no-export') || attrs.communities.includes('no-export-subconfed'))) return stopOut(peerRejected, sp, attrs, 'NO_EXPORT community (not sent to eBGP peers)');
  const summary = suppressedBySummary(sp, prefix);
  if (summary) return stopOut(peerRejected, sp, attrs, `suppressed by aggregate ${summary} summary-only`);
  let a: PathAttributes = { ...attrs, asPath: attrs.asPath.slice(), communities: attrs.communities.slice(), largeCommunities: attrs.largeCommunities.slice() };
  if (ebgp && learned !== 'local') a.med = null; // only a locally originated MED crosses an AS boundary
  const v: PolicyVerdict = defaultOriginate ? { permit: true, attrs: a, reason: '' } : applyFilter(sp, sess.config.out, a);
  if (!v.permit) return stopOut(peerRejected, sp, attrs, `outbound ${v.reason}`);
  a = v.attrs!;
  if (ebgp) {
    a.asPath = [sp.asn, ...a.asPath];
    a.nextHop = sess.localAddress;
    a.localPref = null;
  } else {
    if (sess.config.nextHopSelf || a.nextHop === 0) a.nextHop = sess.localAddress;
    a.localPref = a.localPref ?? 100;
  }
  a.weight = 0;
  return a;
}

function stopOut(peerRejected: RejectedPath[] | null, sp: Speaker, attrs: PathAttributes, reason: string): null {
  peerRejected?.push({ prefix: attrs.prefix, from: sp.name, attrs, where: 'out', reason: `${sp.name}: ${reason}` });
  return null;
}

function rejectIn(rejected: RejectedPath[] | null, from: Speaker, attrs: PathAttributes, reason: string): null {
  rejected?.push({ prefix: attrs.prefix, from: from.name, attrs, where: 'in', reason });
  return null;
}

function receive(sp: Speaker, sess: Session, si: number, from: Speaker, attrs: PathAttributes, rejected: RejectedPath[] | null, requiresPolicy: boolean): ReceivedPath | null {
  let own = 0;
  for (const as of attrs.asPath) if (as === sp.asn) own++;
  if (own > sess.config.allowAsIn) return rejectIn(rejected, from, attrs, `AS-path loop: the path contains own AS ${sp.asn}${sess.config.allowAsIn ? ` more than allowas-in ${sess.config.allowAsIn}` : ''}`);
  if (sess.type === 'ebgp' && requiresPolicy && !sess.config.in) return rejectIn(rejected, from, attrs, 'ebgp-requires-policy: no inbound policy from this neighbour');
  let a: PathAttributes = { ...attrs, weight: sess.config.weight };
  if (sess.type === 'ebgp') a.localPref = null;
  const v = applyFilter(sp, sess.config.in, a);
  if (!v.permit) return rejectIn(rejected, from, attrs, `inbound ${v.reason}`);
  a = v.attrs!;
  if (v.nextHopPeerAddress) a = { ...a, nextHop: sess.peerAddress };
  return new ReceivedPath(a, peerOf(sess, si, from));
}

/** What every path received on one session shares: the session and the peer. */
interface PeerInfo {
  readonly session: number;
  readonly peerType: Session['type'];
  readonly peerRouterId: number;
  readonly peerAddress: number;
  readonly source: string;
}

const peers = new WeakMap<Session, PeerInfo>();
function peerOf(sess: Session, si: number, from: Speaker): PeerInfo {
  let info = peers.get(sess);
  if (!info) peers.set(sess, (info = { session: si, peerType: sess.type, peerRouterId: from.routerId, peerAddress: sess.peerAddress, source: `from ${from.name}` }));
  return info;
}

/** A received path: its (interned) attributes and a reference to what its session shares. */
class ReceivedPath implements BgpPath {
  constructor(
    public attrs: PathAttributes,
    private readonly peer: PeerInfo,
  ) {}
  get session(): number {
    return this.peer.session;
  }
  get peerType(): Session['type'] {
    return this.peer.peerType;
  }
  get peerRouterId(): number {
    return this.peer.peerRouterId;
  }
  get peerAddress(): number {
    return this.peer.peerAddress;
  }
  get source(): string {
    return this.peer.source;
  }
}

/** A speaker's Adj-RIB-In as text (sessions by `|`, entries by `,`), to compare the states of a cycle. */
function serializeSpeaker(run: SpeakerRun): string {
  return run.adjIn
    .map((m) =>
      [...m.entries()]
        .sort((x, y) => x[0] - y[0])
        .map(([k, p]) => `${k}:${p.attrs.nextHop}:${p.attrs.asPath.join(' ')}:${p.attrs.origin}:${p.attrs.med}:${p.attrs.localPref}:${p.attrs.communities.join(' ')}:${p.attrs.largeCommunities.join(' ')}:${p.attrs.weight}`)
        .join(','),
    )
    .join('|');
}

/** The speakers whose Adj-RIB-In differs between the states of the cycle, and the prefixes that do. */
function describeOscillation(speakers: readonly Speaker[], cycle: string[][], prefixById: readonly Prefix[]): Oscillation {
  const speakerNames = new Set<string>();
  const prefixes = new Set<string>();
  for (let i = 0; i < speakers.length; i++) {
    const variants = new Set(cycle.map((x) => x[i]));
    if (variants.size > 1) {
      speakerNames.add(speakers[i].name);
      const entries = cycle.map((x) => new Set((x[i] ?? '').split(/[|,]/).filter(Boolean)));
      for (const e of entries) {
        for (const item of e) {
          if (!entries.every((o) => o.has(item))) {
            prefixes.add(formatPrefix(prefixById[Number(item.split(':')[0])]));
          }
        }
      }
    }
  }
  return { speakers: [...speakerNames].sort(), prefixes: [...prefixes].sort(), period: Math.max(1, cycle.length) };
}

/** BGP best paths as RIB routes on each speaker's component: eBGP 20, iBGP 200, inter-SR `isr` 200. */
export function bgpRibRoutes(state: BgpState, net: ExpandedNetwork): Omit<RibRoute, 'id' | 'selected'>[] {
  const out: Omit<RibRoute, 'id' | 'selected'>[] = [];
  for (const sp of state.speakers) {
    const ifs = net.components[sp.component].interfaces.map((i) => net.interfaces[i]);
    for (const e of state.tables[sp.index]) {
      if (e.selection.best < 0) continue;
      const best = e.paths[e.selection.best];
      if (best.session < 0) {
        // An active aggregate is installed as a blackhole (FRR: BGP route to Null0, distance 200).
        if (best.source.startsWith('aggregate ')) {
          out.push({ component: sp.component, prefix: e.prefix, type: 'bgp', distance: 200, nextHops: [{ ip: null, interface: null, blackhole: true }], origin: `BGP ${best.source}` });
        }
        continue;
      }
      const type: RouteType = best.peerType === 'inter-sr' ? 'isr' : 'bgp';
      const distance = best.peerType === 'ebgp' ? 20 : 200;
      const nextHops = e.selection.multipath.map((i) => {
        const nh = e.paths[i].attrs.nextHop;
        const itf = ifs.find((f) => contains(networkOf(f), nh));
        return { ip: nh, interface: itf ? itf.id : null, blackhole: false };
      });
      out.push({ component: sp.component, prefix: e.prefix, type, distance, nextHops, origin: `BGP ${best.source}` });
    }
  }
  return out;
}

