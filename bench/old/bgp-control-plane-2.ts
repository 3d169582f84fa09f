// Baseline copy of the BGP control plane as it was before the third scale pass (commit 18634ea: numbered
// attribute sets and shared decisions), kept only so bench/bgp-scale.ts can print its figures beside
// the current engine's in the same run and the equality test can compare full BGP tables with it.
// The BGP control plane as a synchronous fixpoint over all speakers: each round every speaker
// selects best paths from what it originates and what it received, then advertises to each
// session through split horizon, NO_EXPORT/NO_ADVERTISE, summary-only suppression and its
// outbound policy; receivers apply AS-path loop detection and inbound policy. It stops when no
// Adj-RIB-In changes; a state seen before means oscillation, reported with the speakers and prefixes.
// An aggregate exists while a valid more specific path does and takes their worst ORIGIN (FRR).
// Built for scale like real BGP engines:
//   - prefixes are small integer ids and attribute sets are interned without their prefix (as
//     bgpd's attribute hash): a path is a (session, attribute id) pair, every Adj-RIB-In is an
//     int map prefix id → attribute id (dense typed array once it holds many), and all the paths
//     an SR sends the eight ToRs for 144k prefixes share a handful of attribute sets;
//   - a table entry is one int per (speaker, prefix): the id of a *decision*, the candidate list
//     as (session, attribute id) pairs with the best path and multipath set chosen once per
//     distinct list (every Tier-1 prefix on a ToR has the same 8 candidates: one decision);
//   - a worklist of changed prefixes per speaker (a round re-decides and re-advertises only
//     those), update groups (what sessions with the same outbound settings are sent is computed
//     once), and advertisement/reception without outbound/inbound policy memoized per attribute
//     id (policies, which may read the prefix, run per prefix);
//   - oscillation detection by a 64-bit fingerprint of the Adj-RIB-In state kept up to date entry
//     by entry (the cycle is described by replaying the run);
//   - tables with BgpPath objects and reasons, what is advertised and what is stopped are
//     materialized only when asked, from the final compact state.
import { contains, formatIp, formatPrefix, maskOf, networkOf, parsePrefix, type Prefix } from '../../src/topology/ip.js';
import type { Scenario, Tier0RedistributionType } from '../../src/topology/scenario.js';
import type { ExpandedNetwork } from '../../src/engine/model/expand.js';
import type { RibRoute, RouteType, RoutingState } from '../../src/engine/ribs/routes.js';
import { ORIGIN_RANK, selectBest, type Selection } from '../../src/engine/bgp/bestpath.js';
import type { PathAttributes, PolicyVerdict } from '../../src/engine/bgp/policy.js';
import { buildSpeakers } from '../../src/engine/bgp/speakers.js';
import { natAddresses } from '../../src/engine/fib/nat.js';
import type { BgpPath, LocalRoute, RejectedPath, Session, Speaker } from '../../src/engine/bgp/types.js';

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
  /** A speaker's BGP table, sorted by prefix (materialized when first asked, then kept). */
  table(speaker: number): readonly PrefixEntry[];
  /** One prefix's entry in a speaker's table (materialized on each call), null when absent. */
  entry(speaker: number, prefix: Prefix): PrefixEntry | null;
  /** How many prefixes and paths a speaker's table holds, without materializing it. */
  size(speaker: number): { prefixes: number; paths: number };
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

/** Redistribution type lists, one shared array each (matching rules are memoized by list). */
const TYPES = {
  none: [],
  static: ['TIER0_STATIC'],
  t1c: ['TIER1_CONNECTED', 'TIER1_SEGMENT'],
  t1s: ['TIER1_STATIC'],
  t1n: ['TIER1_NAT'],
  t1l: ['TIER1_LB_VIP'],
  t1ls: ['TIER1_LB_SNAT'],
  t1d: ['TIER1_DNS_FORWARDER_IP'],
  t1ipsec: ['TIER1_IPSEC_LOCAL_ENDPOINT'],
  segment: ['TIER0_SEGMENT', 'TIER0_CONNECTED'],
  uplink: ['TIER0_EXTERNAL_INTERFACE', 'TIER0_CONNECTED'],
  routerLink: ['TIER0_ROUTER_LINK'],
  nat: ['TIER0_NAT'],
} as const satisfies Record<string, readonly Tier0RedistributionType[]>;

/** Which Tier-0 redistribution types a route on a Tier-0 SR belongs to. */
function redistributionTypes(r: RibRoute, net: ExpandedNetwork): readonly Tier0RedistributionType[] {
  switch (r.type) {
    case 'static':
    case 't1c':
    case 't1s':
    case 't1n':
    case 't1l':
    case 't1ls':
    case 't1d':
    case 't1ipsec':
      return TYPES[r.type];
    case 'connected': {
      const nh = r.nextHops[0];
      if (nh.ip !== null) return TYPES.segment; // a Tier-0 segment, via the DR
      const kind = net.interfaces[nh.interface!].kind;
      if (kind === 'uplink') return TYPES.uplink;
      if (kind === 'router-link') return TYPES.routerLink;
      return TYPES.none; // backplane and inter-SR links are internal
    }
    default:
      return TYPES.none;
  }
}

/** A route a Tier-0 redistribution rule originates; the source text is built when read (an SR
 * at size L originates 144k of them). */
class Redistributed implements LocalRoute {
  constructor(
    readonly attrs: PathAttributes,
    private readonly rule: string,
    private readonly type: Tier0RedistributionType,
    private readonly route: string,
  ) {}
  get source(): string {
    return `redistribution rule ${JSON.stringify(this.rule)} (${this.type}: ${this.route})`;
  }
}

/** Locally originated paths: FRR network/redistribute, NSX redistribution rules. */
function originate(s: Scenario, net: ExpandedNetwork, routing: RoutingState, sp: Speaker, rejected: RejectedPath[]): void {
  const rib = routing.ribs[sp.component].filter((r) => r.selected);
  const have = new Set(sp.local.map((l) => key(l.attrs.prefix)));
  const add = (l: LocalRoute) => {
    if (have.has(key(l.attrs.prefix))) return;
    have.add(key(l.attrs.prefix));
    sp.local.push(l);
  };
  const push = (attrs: PathAttributes, source: string, invalid?: string) => add(invalid ? { attrs, source, invalid } : { attrs, source });
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
  const matchingRules = new Map<readonly Tier0RedistributionType[], typeof rules>();
  const consider = (prefix: Prefix, types: readonly Tier0RedistributionType[], origin: string) => {
    if (!types.length) return;
    let matching = matchingRules.get(types);
    if (!matching) matchingRules.set(types, (matching = rules.filter((rule) => rule.types.some((t) => types.includes(t)))));
    if (!matching.length) {
      refuse(prefix, `no redistribution rule includes ${types[0]} (${origin})`);
      return;
    }
    const reasons: string[] = [];
    for (const rule of matching) {
      // Without a route map the attributes are the plain local ones (their lists shared).
      const attrs: PathAttributes = { prefix, nextHop: 0, asPath: NO_LIST as unknown as number[], origin: 'incomplete', med: 0, localPref: null, communities: NO_LIST as unknown as string[], largeCommunities: NO_LIST as unknown as string[], weight: LOCAL_WEIGHT };
      const v: PolicyVerdict = rule.routeMap ? sp.policy.routeMap(rule.routeMap, attrsOf(prefix, 'incomplete')) : { permit: true, attrs, reason: '' };
      if (v.permit) {
        add(new Redistributed(v.attrs!, rule.name, types[0], origin));
        return;
      }
      reasons.push(`redistribution rule ${JSON.stringify(rule.name)}: ${v.reason}`);
    }
    refuse(prefix, reasons.join('; '));
  };
  // Candidates: the SR's selected routes by type, then the Tier-0's own NAT addresses (TIER0_NAT).
  for (const r of rib) consider(r.prefix, redistributionTypes(r, net), r.origin);
  for (const { prefix, rule } of natAddresses(t0.nat)) consider(prefix, TYPES.nat, `NAT rule ${JSON.stringify(rule)}`);
}

/** The empty AS path / community list of plain local attributes (never mutated: policies copy). */
const NO_LIST: readonly never[] = Object.freeze([]);

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

/** An attribute set without its prefix: what a path carries, interned once per distinct set. */
type AttrSet = Omit<PathAttributes, 'prefix'>;

/** Candidate codes in a decision's list beside session indexes (>= 0). */
const LOCAL = -1;
const LOCAL_INVALID = -2;
/** Aggregate i of the speaker is -3 - i. */
const AGGREGATE = -3;
/** How a best path was learned, as a small number (what advertisement depends on). */
const LEARNED: readonly BgpPath['peerType'][] = ['local', 'ebgp', 'ibgp', 'inter-sr'];
const learnedCode = (t: BgpPath['peerType']) => LEARNED.indexOf(t);

/**
 * Interned prefixes and attribute sets. A prefix gets a small integer id; an attribute set (all
 * attributes but the prefix) gets an id (0 means none), found by a numeric hash then field by
 * field, so equal sets have equal ids. Interned sets are shared: never mutated (policies and
 * advertisement work on copies, made by `with`). `view` gives the one PathAttributes object for a
 * (prefix, set) pair that the materialized tables expose.
 */
class AttrTable {
  private readonly prefixIds = new Map<number, number>();
  /** Prefix by id (one shared object per prefix). */
  readonly prefixes: Prefix[] = [];
  /** Attribute sets by id; 0 is a placeholder for "none". */
  readonly sets: AttrSet[] = [attrsOf({ addr: 0, len: 0 }, 'igp')];
  private readonly byHash = new Map<number, number | number[]>();
  private readonly views = new Map<number, PathAttributes>();
  pid(p: Prefix): number {
    const k = key(p);
    let id = this.prefixIds.get(k);
    if (id === undefined) {
      id = this.prefixes.length;
      this.prefixIds.set(k, id);
      this.prefixes.push({ addr: p.addr, len: p.len });
    }
    return id;
  }
  /** The prefix id of `p` if it has one, else -1. */
  find(p: Prefix): number {
    return this.prefixIds.get(key(p)) ?? -1;
  }
  /** The id of `a`'s attribute set (its prefix is ignored). */
  intern(a: AttrSet): number {
    const h = hashAttrs(a);
    const hit = this.byHash.get(h);
    if (typeof hit === 'number') {
      if (sameAttrs(a, this.sets[hit])) return hit;
    } else if (hit) {
      for (const id of hit) if (sameAttrs(a, this.sets[id])) return id;
    }
    const id = this.sets.length;
    this.sets.push({ nextHop: a.nextHop, asPath: this.list(a.asPath), origin: a.origin, med: a.med, localPref: a.localPref, communities: this.list(a.communities), largeCommunities: this.list(a.largeCommunities), weight: a.weight });
    if (hit === undefined) this.byHash.set(h, id);
    else if (typeof hit === 'number') this.byHash.set(h, [hit, id]);
    else hit.push(id);
    return id;
  }
  /** A fresh, mutable PathAttributes of set `id` for prefix `pid` (what policies are given). */
  with(pid: number, id: number): PathAttributes {
    const s = this.sets[id];
    return { prefix: this.prefixes[pid], nextHop: s.nextHop, asPath: s.asPath, origin: s.origin, med: s.med, localPref: s.localPref, communities: s.communities, largeCommunities: s.largeCommunities, weight: s.weight };
  }
  /** The shared PathAttributes of set `id` for prefix `pid` (one object per pair; never mutate). */
  view(pid: number, id: number): PathAttributes {
    const k = pid * 0x4000000 + id;
    let v = this.views.get(k);
    if (!v) this.views.set(k, (v = this.with(pid, id)));
    return v;
  }
  /** AS paths and community lists are shared too (most paths carry one of a few). */
  private readonly lists = new Map<string, unknown[]>();
  private list<T extends number | string>(xs: T[]): T[] {
    const k = `${typeof xs[0]}:${xs.join(' ')}`;
    let hit = this.lists.get(k) as T[] | undefined;
    if (!hit) this.lists.set(k, (hit = xs.slice()));
    return hit;
  }
}

function hashString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function hashAttrs(a: AttrSet): number {
  let h = Math.imul(a.nextHop ^ 0x811c9dc5, 0x01000193);
  h = Math.imul(h ^ a.weight, 0x01000193);
  h = Math.imul(h ^ (a.med ?? -1), 0x01000193);
  h = Math.imul(h ^ (a.localPref ?? -1), 0x01000193);
  h = Math.imul(h ^ a.origin.length, 0x01000193);
  for (const as of a.asPath) h = Math.imul(h ^ as, 0x01000193);
  h = Math.imul(h ^ a.asPath.length, 0x01000193);
  for (const c of a.communities) h = hashString(h, c);
  h = Math.imul(h ^ a.communities.length, 0x01000193);
  for (const c of a.largeCommunities) h = hashString(h, c);
  return h;
}

function sameList<T>(x: readonly T[], y: readonly T[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sameAttrs(a: AttrSet, b: AttrSet): boolean {
  return a.nextHop === b.nextHop && a.weight === b.weight && a.origin === b.origin && a.med === b.med && a.localPref === b.localPref && sameList(a.asPath, b.asPath) && sameList(a.communities, b.communities) && sameList(a.largeCommunities, b.largeCommunities);
}

/**
 * A map prefix id → non-zero int (an attribute id): a Map while it holds few entries, a dense
 * Int32Array over all prefix ids once it holds more than 1/16 of them.
 */
class IntMap {
  private map: Map<number, number> | null = new Map();
  private dense: Int32Array | null = null;
  private count = 0;
  constructor(private readonly capacity: number) {}
  get size(): number {
    return this.count;
  }
  get(k: number): number {
    return this.dense !== null ? this.dense[k] : (this.map!.get(k) ?? 0);
  }
  set(k: number, v: number): void {
    if (this.dense !== null) {
      if (this.dense[k] === 0) this.count++;
      this.dense[k] = v;
      return;
    }
    const m = this.map!;
    m.set(k, v);
    this.count = m.size;
    if (this.count * 16 > this.capacity) {
      this.dense = new Int32Array(this.capacity);
      for (const [x, y] of m) this.dense[x] = y;
      this.map = null;
    }
  }
  delete(k: number): void {
    if (this.dense !== null) {
      if (this.dense[k] !== 0) this.count--;
      this.dense[k] = 0;
    } else {
      this.map!.delete(k);
      this.count = this.map!.size;
    }
  }
  /** Every entry, in ascending key order when dense, insertion order otherwise. */
  forEach(fn: (v: number, k: number) => void): void {
    if (this.dense !== null) {
      const d = this.dense;
      if (this.count) for (let k = 0; k < d.length; k++) if (d[k] !== 0) fn(d[k], k);
    } else this.map!.forEach(fn);
  }
}

/** A table entry: the candidate list as (code, attribute id) pairs and what was selected. */
interface Decision {
  /** Pairs: a session index (or LOCAL, LOCAL_INVALID, AGGREGATE - i) and an attribute id. */
  readonly sig: Int32Array;
  readonly hash: number;
  readonly best: number;
  readonly multipath: readonly number[];
}

/** What one speaker needs during the run, fixed before the first round. */
interface SpeakerContext {
  readonly sp: Speaker;
  readonly reachable: (ip: number) => boolean;
  readonly requiresPolicy: boolean;
  /** Per session: the index of the peer's session back to us, -1 when there is none. */
  readonly back: readonly number[];
  /** Per session: what every path received on it shares. */
  readonly peers: readonly PeerInfo[];
  /** Locally originated paths: prefix id → index + 1 into sp.local, and its attribute id. */
  readonly localIndex: IntMap;
  readonly localAttr: IntMap;
  /** Prefix id of each aggregate. */
  readonly aggregatePids: readonly number[];
  readonly hasSummaryOnly: boolean;
  /** Update groups: the sessions (indexes) that are sent the same thing, each a non-empty list. */
  readonly updateGroups: readonly (readonly number[])[];
  /** Per update group without outbound policy: (attribute id, learned) → sent attribute id (0: not sent). */
  readonly sent: (Memo | null)[];
  /** Per session without inbound policy: sent attribute id → received attribute id (0: refused). */
  readonly received: (Memo | null)[];
  /** Distinct decisions by id - 1, and by candidate-list hash. */
  readonly decisions: Decision[];
  readonly decisionsByHash: Map<number, number | number[]>;
}

/** An int → int memo that answers a repeated key without a lookup (no closures: hot path). */
class Memo {
  private readonly map = new Map<number, number>();
  private lastKey = -1;
  private lastValue = 0;
  /** The value for `k`, or -1 when not known yet. */
  get(k: number): number {
    if (k === this.lastKey) return this.lastValue;
    const v = this.map.get(k);
    if (v === undefined) return -1;
    this.lastKey = k;
    this.lastValue = v;
    return v;
  }
  set(k: number, v: number): number {
    this.map.set(k, v);
    this.lastKey = k;
    this.lastValue = v;
    return v;
  }
}

/** Adj-RIB-In and BGP table of one speaker during a run. */
interface SpeakerRun {
  /** Per session: prefix id → attribute id (after inbound policy). */
  readonly adjIn: IntMap[];
  /** Prefix id → decision id (0: not in the table). */
  readonly decision: Int32Array;
  /** Per aggregate: its active attribute id, or 0 while it has no contributor. */
  readonly aggregates: number[];
  /** Prefix ids whose Adj-RIB-In changed since the last round (flag and list). */
  readonly dirtyFlag: Uint8Array;
  dirty: number[];
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

/** The compact final state behind a BgpState (what bgpRibRoutes reads). */
interface Internals {
  readonly ctx: readonly SpeakerContext[];
  readonly attrs: AttrTable;
  readonly runs: readonly SpeakerRun[];
  /** Prefix ids in table order (by address, then length). */
  readonly order: Int32Array;
}
const internals = new WeakMap<BgpState, Internals>();

export function runBgp(s: Scenario, net: ExpandedNetwork, routing: RoutingState): BgpState {
  const speakers = buildSpeakers(s, net);
  const originRejected: RejectedPath[][] = speakers.map(() => []);
  for (const sp of speakers) originate(s, net, routing, sp, originRejected[sp.index]);
  const attrs = new AttrTable();
  // Every prefix the run can see: originated, aggregates, the default route (default-originate).
  for (const sp of speakers) {
    for (const l of sp.local) attrs.pid(l.attrs.prefix);
    for (const ag of sp.aggregates) attrs.pid(ag.prefix);
  }
  attrs.pid({ addr: 0, len: 0 });
  const nP = attrs.prefixes.length;
  const ctx: SpeakerContext[] = speakers.map((sp) => {
    const back = sp.sessions.map((sess) => speakers[sess.peer].sessions.findIndex((b) => b.peer === sp.index && b.peerAddress === sess.localAddress));
    const requiresPolicy = sp.kind === 'router' ? !!s.physicalRouters![sp.owner].bgp!.ebgpRequiresPolicy : false;
    const localIndex = new IntMap(nP);
    const localAttr = new IntMap(nP);
    let lastAttrs: PathAttributes | null = null;
    let lastId = 0;
    sp.local.forEach((l, i) => {
      const pid = attrs.pid(l.attrs.prefix);
      if (lastAttrs === null || !sameAttrs(l.attrs, lastAttrs)) lastId = attrs.intern((lastAttrs = l.attrs));
      localIndex.set(pid, i + 1);
      localAttr.set(pid, lastId);
    });
    const groups = updateGroups(sp, back, requiresPolicy);
    return {
      sp,
      reachable: reachability(routing.ribs[sp.component].toArray()),
      requiresPolicy,
      back,
      peers: sp.sessions.map((sess, si) => ({ session: si, peerType: sess.type, peerRouterId: speakers[sess.peer].routerId, peerAddress: sess.peerAddress, source: `from ${speakers[sess.peer].name}` })),
      localIndex,
      localAttr,
      aggregatePids: sp.aggregates.map((ag) => attrs.pid(ag.prefix)),
      hasSummaryOnly: sp.aggregates.some((ag) => ag.summaryOnly),
      updateGroups: groups,
      sent: groups.map((g) => (sp.sessions[g[0]].config.out ? null : new Memo())),
      received: sp.sessions.map((sess) => (sess.config.in ? null : new Memo())),
      decisions: [],
      decisionsByHash: new Map(),
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
  const runs = sim.runs;
  const prefixes = attrs.prefixes;
  const order = Int32Array.from(prefixes.keys()).sort((a, b) => prefixes[a].addr - prefixes[b].addr || prefixes[a].len - prefixes[b].len);
  const tableCache = new Map<number, PrefixEntry[]>();
  const advertisedCache = new Map<number, (PathAttributes[] | null)[]>();
  const rejectedCache = new Map<number, RejectedPath[]>();
  const entryOf = (speaker: number, pid: number): PrefixEntry | null => {
    const d = runs[speaker].decision[pid];
    return d ? materialize(ctx[speaker], attrs, pid, ctx[speaker].decisions[d - 1]) : null;
  };
  const state: BgpState = {
    speakers,
    rounds: sim.rounds,
    oscillation,
    table(speaker: number): readonly PrefixEntry[] {
      let out = tableCache.get(speaker);
      if (!out) {
        out = [];
        for (const pid of order) {
          const e = entryOf(speaker, pid);
          if (e) out.push(e);
        }
        tableCache.set(speaker, out);
      }
      return out;
    },
    entry(speaker: number, prefix: Prefix): PrefixEntry | null {
      const pid = attrs.find(prefix);
      return pid < 0 ? null : entryOf(speaker, pid);
    },
    size(speaker: number): { prefixes: number; paths: number } {
      let n = 0;
      let paths = 0;
      const { decision } = runs[speaker];
      const { decisions } = ctx[speaker];
      for (let pid = 0; pid < nP; pid++) {
        if (!decision[pid]) continue;
        n++;
        paths += decisions[decision[pid] - 1].sig.length / 2;
      }
      return { prefixes: n, paths };
    },
    advertised(speaker: number, session: number): readonly PathAttributes[] {
      const c = ctx[speaker];
      const perSession = advertisedCache.get(speaker) ?? c.sp.sessions.map(() => null);
      advertisedCache.set(speaker, perSession);
      return (perSession[session] ??= c.back[session] < 0 ? [] : advertise(c.sp, c.sp.sessions[session], bestPaths(c, runs[speaker], attrs, order), [], c.requiresPolicy));
    },
    rejected(speaker: number): readonly RejectedPath[] {
      let out = rejectedCache.get(speaker);
      if (out) return out;
      // The same walk as a round, restricted to what reaches this speaker: senders in order.
      out = [...originRejected[speaker]];
      const me = ctx[speaker];
      for (const c of ctx) {
        let best: BestPath[] | null = null;
        c.sp.sessions.forEach((sess, si) => {
          const back = c.back[si];
          if (sess.peer !== speaker || back < 0) return;
          best ??= bestPaths(c, runs[c.sp.index], attrs, order);
          for (const a of advertise(c.sp, sess, best, out!, c.requiresPolicy)) receive(me.sp, me.sp.sessions[back], c.sp, a, out!, me.requiresPolicy);
        });
      }
      rejectedCache.set(speaker, out);
      return out;
    },
  };
  internals.set(state, { ctx, attrs, runs, order });
  return state;
}

/** One path of a decision's candidate list as a BgpPath (what tables and best-path selection read). */
function pathOf(c: SpeakerContext, attrs: AttrTable, pid: number, code: number, id: number): BgpPath {
  const a = attrs.view(pid, id);
  if (code >= 0) return new ReceivedPath(a, c.peers[code]);
  if (code <= AGGREGATE) {
    const ag = c.sp.aggregates[AGGREGATE - code];
    return { attrs: a, session: -1, peerType: 'local', peerRouterId: 0, peerAddress: 0, source: `aggregate ${formatPrefix(ag.prefix)}${ag.summaryOnly ? ' summary-only' : ''}` };
  }
  const l = c.sp.local[c.localIndex.get(pid) - 1];
  return { attrs: a, session: -1, peerType: 'local', peerRouterId: 0, peerAddress: 0, source: l.source, ...(l.invalid ? { invalid: l.invalid } : {}) };
}

function materialize(c: SpeakerContext, attrs: AttrTable, pid: number, d: Decision): PrefixEntry {
  const paths: BgpPath[] = [];
  for (let i = 0; i < d.sig.length; i += 2) paths.push(pathOf(c, attrs, pid, d.sig[i], d.sig[i + 1]));
  return { prefix: attrs.prefixes[pid], paths, selection: new LazySelection(d.best, d.multipath, paths, c.sp, c.reachable) };
}

/** A speaker's best paths in table order, as advertisement candidates (fresh attribute objects). */
interface BestPath {
  readonly prefix: Prefix;
  /** Null when the entry has no usable path. */
  readonly attrs: PathAttributes | null;
  readonly learned: BgpPath['peerType'];
}
function bestPaths(c: SpeakerContext, run: SpeakerRun, attrs: AttrTable, order: Int32Array): BestPath[] {
  const out: BestPath[] = [];
  for (const pid of order) {
    const id = run.decision[pid];
    if (!id) continue;
    const d = c.decisions[id - 1];
    if (d.best < 0) out.push({ prefix: attrs.prefixes[pid], attrs: null, learned: 'local' });
    else {
      const code = d.sig[2 * d.best];
      out.push({ prefix: attrs.prefixes[pid], attrs: attrs.with(pid, d.sig[2 * d.best + 1]), learned: code >= 0 ? c.sp.sessions[code].type : 'local' });
    }
  }
  return out;
}

/**
 * The synchronous rounds over a worklist: each round re-decides only the prefixes whose
 * Adj-RIB-In changed, re-advertises only those whose advertised candidate changed, and writes the
 * received paths into the Adj-RIB-Ins after every speaker has decided (so each round sees the
 * previous round's state, as whole synchronous rounds do). With `capture`, the per-speaker
 * serialized Adj-RIB-In after each round in [from, until) of the history is collected.
 */
function simulate(ctx: readonly SpeakerContext[], attrs: AttrTable, capture: { from: number; until: number; states: string[][] } | null): Simulation {
  const nP = attrs.prefixes.length;
  const runs: SpeakerRun[] = ctx.map((c) => {
    const dirtyFlag = new Uint8Array(nP);
    const dirty: number[] = [];
    c.localIndex.forEach((_, pid) => {
      dirtyFlag[pid] = 1;
      dirty.push(pid);
    });
    return { adjIn: c.sp.sessions.map(() => new IntMap(nP)), decision: new Int32Array(nP), aggregates: c.sp.aggregates.map(() => 0), dirtyFlag, dirty };
  });
  const seen = new Map<string, number>();
  let historyLength = 0;
  const fp = { h1: 0, h2: 0 };
  let rounds = 0;
  let cycleFrom: number | null = null;
  const scratch: number[] = [];
  const dflt = attrs.pid({ addr: 0, len: 0 });
  for (;;) {
    rounds++;
    // Phase 1: every speaker re-decides its dirty prefixes from the previous round's Adj-RIB-In.
    const changed: number[][] = ctx.map((c) => {
      const run = runs[c.sp.index];
      const dirty = run.dirty;
      run.dirty = [];
      if (c.sp.aggregates.length && (dirty.length || rounds === 1)) updateAggregates(c, run, attrs, dirty);
      for (const k of dirty) run.dirtyFlag[k] = 0;
      const out: number[] = [];
      for (const k of dirty) {
        const before = run.decision[k];
        const after = decide(c, run, attrs, k, scratch);
        run.decision[k] = after;
        if (before !== after && bestKey(c, before) !== bestKey(c, after)) out.push(k);
      }
      return out.sort((a, b) => a - b);
    });
    // Phase 2: advertise what changed, once per update group (sessions that are sent the same
    // thing); receivers apply loop detection and inbound policy.
    let changes = 0;
    for (const c of ctx) {
      const run = runs[c.sp.index];
      for (let gi = 0; gi < c.updateGroups.length; gi++) {
        const group = c.updateGroups[gi];
        const sess = c.sp.sessions[group[0]];
        if (sess.config.defaultOriginate && rounds === 1) {
          const a = advertiseOne(c.sp, sess, { attrs: attrsOf(attrs.prefixes[dflt], 'igp'), learned: 'local', defaultOriginate: true }, null);
          changes += deliver(ctx, runs, c, group, attrs, fp, dflt, a ? attrs.intern(a) : 0);
        }
        for (const k of changed[c.sp.index]) {
          if (sess.config.defaultOriginate && k === dflt) continue;
          const id = run.decision[k];
          const d = id ? c.decisions[id - 1] : null;
          changes += deliver(ctx, runs, c, group, attrs, fp, k, d && d.best >= 0 ? sentId(c, gi, sess, attrs, k, d.sig[2 * d.best], d.sig[2 * d.best + 1]) : 0);
        }
      }
    }
    const state = `${fp.h1}:${fp.h2}`;
    if (capture && historyLength >= capture.from && historyLength < capture.until) capture.states.push(runs.map((r) => serializeSpeaker(r, attrs)));
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

/** Writes what a group is sent for prefix `k` (attribute id, 0 = nothing) into each member
 * peer's Adj-RIB-In after its inbound processing; the number of entries that changed. */
function deliver(ctx: readonly SpeakerContext[], runs: readonly SpeakerRun[], c: SpeakerContext, group: readonly number[], attrs: AttrTable, fp: { h1: number; h2: number }, k: number, sent: number): number {
  let changes = 0;
  for (const si of group) {
    const back = c.back[si];
    const peer = ctx[c.sp.sessions[si].peer];
    const peerRun = runs[peer.sp.index];
    const adj = peerRun.adjIn[back];
    const id = sent ? receiveId(peer, back, c, attrs, k, sent) : 0;
    const old = adj.get(k);
    if (old === id) continue;
    if (old) mix(fp, peer.sp.index, back, k, old, -1);
    if (id) {
      adj.set(k, id);
      mix(fp, peer.sp.index, back, k, id, 1);
    } else adj.delete(k);
    if (!peerRun.dirtyFlag[k]) {
      peerRun.dirtyFlag[k] = 1;
      peerRun.dirty.push(k);
    }
    changes++;
  }
  return changes;
}

/** A decision's best path identity (what advertisement depends on): attribute id and how learned. */
function bestKey(c: SpeakerContext, id: number): number {
  if (!id) return -1;
  const d = c.decisions[id - 1];
  if (d.best < 0) return -1;
  const code = d.sig[2 * d.best];
  return d.sig[2 * d.best + 1] * 4 + (code >= 0 ? learnedCode(c.sp.sessions[code].type) : 0);
}

/** What a group sends for a best path (attribute id, 0 = nothing): memoized unless an outbound policy must see the prefix. */
function sentId(c: SpeakerContext, gi: number, sess: Session, attrs: AttrTable, pid: number, code: number, id: number): number {
  if (c.hasSummaryOnly && suppressedBySummary(c.sp, attrs.prefixes[pid])) return 0;
  const learned: BgpPath['peerType'] = code >= 0 ? c.sp.sessions[code].type : 'local';
  const memo = c.sent[gi];
  const k = id * 4 + learnedCode(learned);
  const known = memo ? memo.get(k) : -1;
  if (known >= 0) return known;
  const a = advertiseOne(c.sp, sess, { attrs: attrs.with(pid, id), learned }, null);
  const v = a ? attrs.intern(a) : 0;
  return memo ? memo.set(k, v) : v;
}

/** What a speaker keeps of a path sent on its session `si` (attribute id, 0 = refused). */
function receiveId(c: SpeakerContext, si: number, from: SpeakerContext, attrs: AttrTable, pid: number, sent: number): number {
  const memo = c.received[si];
  const known = memo ? memo.get(sent) : -1;
  if (known >= 0) return known;
  const a = receive(c.sp, c.sp.sessions[si], from.sp, attrs.with(pid, sent), null, c.requiresPolicy);
  const v = a ? attrs.intern(a) : 0;
  return memo ? memo.set(sent, v) : v;
}

/**
 * A prefix's decision id from the local path, the Adj-RIB-In (session order) and active
 * aggregates: the candidate list is looked up among the speaker's distinct lists and selected
 * only when new (selection reads attributes, sessions and next-hop reachability, never the prefix).
 */
function decide(c: SpeakerContext, run: SpeakerRun, attrs: AttrTable, k: number, buf: number[]): number {
  let n = 0;
  const li = c.localIndex.get(k);
  if (li) {
    buf[n++] = c.sp.local[li - 1].invalid ? LOCAL_INVALID : LOCAL;
    buf[n++] = c.localAttr.get(k);
  }
  const adjIn = run.adjIn;
  for (let si = 0; si < adjIn.length; si++) {
    const id = adjIn[si].get(k);
    if (id) {
      buf[n++] = si;
      buf[n++] = id;
    }
  }
  for (let i = 0; i < run.aggregates.length; i++) {
    if (run.aggregates[i] && c.aggregatePids[i] === k) {
      buf[n++] = AGGREGATE - i;
      buf[n++] = run.aggregates[i];
    }
  }
  if (!n) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  const hit = c.decisionsByHash.get(h);
  if (typeof hit === 'number') {
    if (sameSig(c.decisions[hit - 1].sig, buf, n)) return hit;
  } else if (hit) {
    for (const id of hit) if (sameSig(c.decisions[id - 1].sig, buf, n)) return id;
  }
  const sig = Int32Array.from(buf.slice(0, n));
  const paths: BgpPath[] = [];
  for (let i = 0; i < n; i += 2) paths.push(pathOf(c, attrs, k, sig[i], sig[i + 1]));
  const { best, multipath } = selectAccessible(paths, c.sp, c.reachable, false);
  c.decisions.push({ sig, hash: h, best, multipath });
  const id = c.decisions.length;
  if (hit === undefined) c.decisionsByHash.set(h, id);
  else if (typeof hit === 'number') c.decisionsByHash.set(h, [hit, id]);
  else hit.push(id);
  return id;
}

function sameSig(sig: Int32Array, buf: readonly number[], n: number): boolean {
  if (sig.length !== n) return false;
  for (let i = 0; i < n; i++) if (sig[i] !== buf[i]) return false;
  return true;
}

/** Adds (or removes) one Adj-RIB-In entry to the 64-bit state fingerprint: two sums of 32-bit mixes. */
function mix(fp: { h1: number; h2: number }, speaker: number, session: number, k: number, id: number, sign: 1 | -1): void {
  let a = Math.imul(speaker + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(session + 0x7f4a7c15, 0xc2b2ae35);
  a ^= Math.imul(k, 0x27d4eb2f);
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
function updateAggregates(c: SpeakerContext, run: SpeakerRun, attrs: AttrTable, dirty: number[]): void {
  c.sp.aggregates.forEach((ag, i) => {
    let origin: PathAttributes['origin'] | null = null;
    const consider = (id: number, pid: number, local: boolean) => {
      const p = attrs.prefixes[pid];
      if (p.len <= ag.prefix.len || !contains(ag.prefix, p.addr)) return;
      const a = attrs.sets[id];
      if (local ? c.sp.local[c.localIndex.get(pid) - 1].invalid : !c.reachable(a.nextHop)) return;
      if (origin === null || ORIGIN_RANK[a.origin] > ORIGIN_RANK[origin]) origin = a.origin;
    };
    c.localAttr.forEach((id, pid) => consider(id, pid, true));
    for (const m of run.adjIn) m.forEach((id, pid) => consider(id, pid, false));
    const pid = c.aggregatePids[i];
    const active = origin !== null && !c.localIndex.get(pid) ? attrs.intern(attrsOf(ag.prefix, origin)) : 0;
    if (active !== run.aggregates[i]) {
      run.aggregates[i] = active;
      if (!run.dirtyFlag[pid]) {
        run.dirtyFlag[pid] = 1;
        dirty.push(pid);
      }
    }
  });
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

/** Everything a speaker sends on one session (from its final best paths), recording what it stops. */
function advertise(sp: Speaker, sess: Session, table: readonly BestPath[], peerRejected: RejectedPath[], requiresPolicy: boolean): PathAttributes[] {
  const out: PathAttributes[] = [];
  if (sess.type === 'ebgp' && requiresPolicy && !sess.config.out) {
    for (const e of table) peerRejected.push({ prefix: e.prefix, from: sp.name, attrs: null, where: 'out', reason: `${sp.name}: ebgp-requires-policy: no outbound policy toward this neighbour` });
    return out;
  }
  const candidates: Candidate[] = [];
  if (sess.config.defaultOriginate) candidates.push({ attrs: attrsOf({ addr: 0, len: 0 }, 'igp'), learned: 'local', defaultOriginate: true });
  for (const e of table) {
    if (!e.attrs) continue;
    if (sess.config.defaultOriginate && e.prefix.len === 0) continue;
    candidates.push({ attrs: e.attrs, learned: e.learned });
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

/** What a speaker keeps of a path received on `sess` (the attributes after inbound policy), or null. */
function receive(sp: Speaker, sess: Session, from: Speaker, attrs: PathAttributes, rejected: RejectedPath[] | null, requiresPolicy: boolean): PathAttributes | null {
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
  return a;
}

/** What every path received on one session shares: the session and the peer. */
interface PeerInfo {
  readonly session: number;
  readonly peerType: Session['type'];
  readonly peerRouterId: number;
  readonly peerAddress: number;
  readonly source: string;
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
function serializeSpeaker(run: SpeakerRun, attrs: AttrTable): string {
  return run.adjIn
    .map((m) => {
      const entries: [number, number][] = [];
      m.forEach((id, k) => entries.push([k, id]));
      return entries
        .sort((x, y) => x[0] - y[0])
        .map(([k, id]) => {
          const a = attrs.sets[id];
          return `${k}:${a.nextHop}:${a.asPath.join(' ')}:${a.origin}:${a.med}:${a.localPref}:${a.communities.join(' ')}:${a.largeCommunities.join(' ')}:${a.weight}`;
        })
        .join(',');
    })
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

/** BGP best paths as RIB routes on each speaker's component: eBGP 20, iBGP 200, inter-SR `isr` 200.
 * Read from the compact state: the next hops of a decision are one list shared by every prefix
 * with that decision (installRoutes never mutates them). */
export function bgpRibRoutes(state: BgpState, net: ExpandedNetwork): Omit<RibRoute, 'id' | 'selected'>[] {
  const { ctx, attrs, runs, order } = internals.get(state)!;
  const out: Omit<RibRoute, 'id' | 'selected'>[] = [];
  const blackhole: RibRoute['nextHops'] = [{ ip: null, interface: null, blackhole: true }];
  for (const c of ctx) {
    const sp = c.sp;
    const ifs = net.components[sp.component].interfaces.map((i) => net.interfaces[i]);
    const hopsOf = new Map<number, RibRoute['nextHops']>();
    const origins = c.peers.map((p) => `BGP ${p.source}`);
    const { decision } = runs[sp.index];
    for (const pid of order) {
      const id = decision[pid];
      if (!id) continue;
      const d = c.decisions[id - 1];
      if (d.best < 0) continue;
      const code = d.sig[2 * d.best];
      const prefix = attrs.prefixes[pid];
      if (code < 0) {
        // An active aggregate is installed as a blackhole (FRR: BGP route to Null0, distance 200).
        if (code <= AGGREGATE) {
          const ag = sp.aggregates[AGGREGATE - code];
          out.push({ component: sp.component, prefix, type: 'bgp', distance: 200, nextHops: blackhole, origin: `BGP aggregate ${formatPrefix(ag.prefix)}${ag.summaryOnly ? ' summary-only' : ''}` });
        }
        continue;
      }
      const peerType = sp.sessions[code].type;
      const type: RouteType = peerType === 'inter-sr' ? 'isr' : 'bgp';
      const distance = peerType === 'ebgp' ? 20 : 200;
      let nextHops = hopsOf.get(id);
      if (!nextHops) {
        nextHops = d.multipath.map((i) => {
          const nh = attrs.sets[d.sig[2 * i + 1]].nextHop;
          const itf = ifs.find((f) => contains(networkOf(f), nh));
          return { ip: nh, interface: itf ? itf.id : null, blackhole: false };
        });
        hopsOf.set(id, nextHops);
      }
      out.push({ component: sp.component, prefix, type, distance, nextHops, origin: origins[code] });
    }
  }
  return out;
}
