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
//   - origination is flat: a speaker's originated paths are prefix, attribute, rule and RIB-route
//     indexes in typed arrays (no object per path; `sp.local` is built when first read), the SRs
//     of a Tier-0 find each other's prefix ids at the same RIB index, a redistribution route map
//     that cannot read the prefix is run once per rule;
//   - a worklist of changed prefixes per speaker (a round re-decides and re-advertises only
//     those), update groups (what sessions with the same outbound settings are sent is computed
//     once, and a prefix is delivered again only when what its group sends changed), and
//     advertisement/reception memoized per attribute id unless the policy can read the prefix
//     (policy.readsPrefix: prefix lists run per prefix); a batch the receiver refuses whole (an
//     SR's own paths echoed back by every ToR: AS-path loop) costs what the session holds, not
//     the batch;
//   - prefixes originated alike by every speaker (and matched at the same entry by every prefix
//     list a session filter reads), when no aggregate reads the prefix, go through the rounds as
//     one: the rounds decide a representative per prefix class and the members take its decision
//     (bgp/prefix-classes.ts; at size L, 144k prefixes in 3 classes, 4 with an export route map);
//     a run keeps its representatives' decisions alone, a speaker's per-prefix array made when
//     first read, and the rounds' worklists, counters and per-prefix decisions are scratch every
//     run takes again (roundScratch): a kept state holds no per-prefix array it does not need;
//   - next-hop reachability by binary search in the sorted RIB (no index of the whole table);
//   - oscillation detection by a 64-bit fingerprint of the Adj-RIB-In state kept up to date entry
//     by entry (the cycle is described by replaying the run);
//   - a whole run after an edge or router failed or came back takes the previous run's
//     origination (and prefix ids, classes and table order) for every speaker whose table before
//     BGP is the same object (RunOptions.reuse), and installChanges says per speaker how its
//     installed routes differ, comparing decisions once per pair;
//   - tables with BgpPath objects and reasons, what is advertised and what is stopped are
//     materialized only when asked, from the final compact state; the RIB routes BGP installs are
//     a prefix and one shared template per decision.
import { contains, formatIp, formatPrefix, maskOf, networkOf, parsePrefix, prefixKey, type Prefix } from '../../topology/ip.js';
import type { Scenario, Tier0RedistributionType } from '../../topology/scenario.js';
import type { ExpandedNetwork } from '../model/expand.js';
import type { RibNextHop, RibRoute, RouteType, RoutingState } from '../ribs/routes.js';
import type { AlikeSpeaker, InstallChange, SwapPair } from '../ribs/install.js';
import { RibTable, Route, firstAtOrAfter, runEnd, sameHops } from '../ribs/route.js';
import { ORIGIN_RANK, selectBest, type Selection } from './bestpath.js';
import type { PathAttributes, PolicyVerdict, PrefixRead } from './policy.js';
import { buildSpeakers, setLocalRoutes } from './speakers.js';
import { natAddresses } from '../fib/nat.js';
import type { BgpPath, LocalRoute, RejectedPath, Session, Speaker } from './types.js';
import { int32Array, uint8Array } from '../typed-arena.js';
import { classSizes, decisionsFromReps, membersOf, repDecisions, noteRefined, prefixClassesOf, refinedClasses, refines, type PrefixClasses } from './prefix-classes.js';

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

const key = prefixKey;

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

/** A route a Tier-0 redistribution rule originates; its attributes (plain local ones unless a
 * route map rewrote them for this prefix) and source text are built when read (an SR at size L
 * originates 144k of them and the run reads neither: it works on the interned set). */
class Redistributed implements LocalRoute {
  private made: PathAttributes | null;
  constructor(
    private readonly prefix: Prefix,
    /** The attributes a route map gave this prefix, or null: the shared set `set` applies. */
    made: PathAttributes | null,
    private readonly set: AttrSet,
    private readonly rule: string,
    private readonly type: Tier0RedistributionType,
    private readonly route: string,
  ) {
    this.made = made;
  }
  get attrs(): PathAttributes {
    const a = this.set;
    return (this.made ??= { prefix: this.prefix, nextHop: a.nextHop, asPath: a.asPath, origin: a.origin, med: a.med, localPref: a.localPref, communities: a.communities, largeCommunities: a.largeCommunities, weight: a.weight });
  }
  get source(): string {
    return `redistribution rule ${JSON.stringify(this.rule)} (${this.type}: ${this.route})`;
  }
}

/** A redistribution rule's output for routes of one type: what the source text names and the
 * attribute set (shared by every route it originates unless a route map reads the prefix). */
interface RuleOutput {
  readonly rule: string;
  readonly type: Tier0RedistributionType;
  readonly set: AttrSet;
}

/**
 * What a speaker originates, in order (flat: nothing is allocated per path): prefix and attribute
 * ids; each path's LocalRoute when it was built at origination (network, FRR redistribute, NAT
 * addresses, a route map that reads the prefix), else its rule output and the index of its route
 * in the RIB (never changed after computeRoutes), from which it is built when read.
 */
interface Originated {
  n: number;
  readonly pids: Int32Array;
  readonly ids: Int32Array;
  /** Index into `outputs`, -1 for a path in `made`. */
  readonly output: Int32Array;
  readonly route: Int32Array;
  readonly made: Map<number, LocalRoute>;
  readonly outputs: RuleOutput[];
  readonly rib: RibTable;
  /** Prefix ids of paths that are in the table but invalid (FRR import-check). */
  readonly invalid: Set<number>;
  /** What next-hop reachability needs of the RIB, seen on the way: is it sorted by prefix, which lengths it holds. */
  readonly ribShape: RibShape;
  /** Whether only some prefixes were originated (a restricted run's: RunOptions.originateOnly). */
  readonly restricted: boolean;
}

/** Whether a RIB is sorted by prefix (as RoutingState promises) and which prefix lengths it holds. */
interface RibShape {
  sorted: boolean;
  readonly lens: Uint8Array;
}

/** Every prefix length, as a RibShape's (a superset of a table's is as good: absent lengths match nothing). */
const EVERY_LENGTH = new Uint8Array(33).fill(1);

/** The positions in `rib` (sorted by prefix) of the routes of `prefixes` (sorted), in table order. */
function runsOf(rib: RibTable, prefixes: readonly Prefix[]): Int32Array {
  const out: number[] = [];
  let from = 0;
  for (const p of prefixes) {
    const lo = firstAtOrAfter(rib, p, from);
    from = runEnd(rib, p, lo);
    for (let i = lo; i < from; i++) out.push(i);
  }
  return Int32Array.from(out);
}

/** shapeStep for a prefix given as its key (prefixKey) and length. */
function shapeKeyStep(shape: RibShape, prev: number, k: number, len: number): number {
  if (k < prev) shape.sorted = false;
  shape.lens[len] = 1;
  return k;
}

/**
 * What origination reads of a table SR tables are made of (a Tier-0 DR's), per position: its
 * prefix's key and length, whether it is selected, its redistribution types (an index into
 * `types`), and its prefix id + 1 in `attrs` (0: not looked up yet; filled as the SRs look them
 * up). Made once per table, network and attribute table: the eight SRs read typed arrays, not
 * 140k route objects each.
 */
interface BaseRead {
  readonly net: ExpandedNetwork;
  readonly attrs: AttrTable;
  readonly key: Float64Array;
  readonly len: Uint8Array;
  readonly selected: Uint8Array;
  readonly typeAt: Int32Array;
  readonly types: readonly (readonly Tier0RedistributionType[])[];
  readonly pid: Int32Array;
}

const baseReads = new WeakMap<RibTable, BaseRead>();

function baseRead(base: RibTable, net: ExpandedNetwork, attrs: AttrTable): BaseRead {
  const known = baseReads.get(base);
  if (known !== undefined && known.net === net && known.attrs === attrs) return known;
  const n = base.length;
  const key = new Float64Array(n);
  const len = new Uint8Array(n);
  const selected = new Uint8Array(n);
  const typeAt = new Int32Array(n);
  const types: (readonly Tier0RedistributionType[])[] = [];
  const index = new Map<readonly Tier0RedistributionType[], number>();
  for (let i = 0; i < n; i++) {
    const r = base.at(i);
    const p = r.prefix;
    key[i] = prefixKey(p);
    len[i] = p.len;
    selected[i] = r.selected ? 1 : 0;
    const t = redistributionTypes(r, net);
    let k = index.get(t);
    if (k === undefined) {
      index.set(t, (k = types.length));
      types.push(t);
    }
    typeAt[i] = k;
  }
  const out: BaseRead = { net, attrs, key, len, selected, typeAt, types, pid: new Int32Array(n) };
  baseReads.set(base, out);
  return out;
}

/** One step of taking a RIB's shape, route by route. */
function shapeStep(shape: RibShape, prev: number, p: Prefix): number {
  return shapeKeyStep(shape, prev, prefixKey(p), p.len);
}

/** The LocalRoute of a speaker's i-th originated path. */
function localRoute(o: Originated, attrs: AttrTable, i: number): LocalRoute {
  const made = o.made.get(i);
  if (made) return made;
  const out = o.outputs[o.output[i]];
  return new Redistributed(attrs.prefixes[o.pids[i]], null, out.set, out.rule, out.type, o.rib.shapeAt(o.route[i]).origin);
}

/** A speaker's originated paths in order, as LocalRoutes. */
function localRoutes(o: Originated, attrs: AttrTable): LocalRoute[] {
  const out: LocalRoute[] = [];
  for (let i = 0; i < o.n; i++) out.push(localRoute(o, attrs, i));
  return out;
}

/**
 * Locally originated paths: FRR network/redistribute, NSX redistribution rules. Each accepted
 * prefix is interned as it is added (the first route of a prefix wins); `stamp` marks the prefix
 * ids this speaker already has. A redistribution rule's verdict is computed once per rule when its
 * route map does not read the prefix (the plain local attributes are the same for every route).
 */
function originate(s: Scenario, net: ExpandedNetwork, routing: RoutingState, sp: Speaker, attrs: AttrTable, stamp: Stamp, rejected: RejectedPath[], only: ((p: Prefix) => boolean) | null, onlyList: readonly Prefix[] | null): Originated {
  const rib = routing.ribs[sp.component];
  // A run restricted to a list of prefixes reads only their routes (found by binary search) and
  // takes every prefix length as the table's (reachability then looks each length up: the same answers).
  const candidates = onlyList ? runsOf(rib, onlyList) : null;
  const nat = sp.kind === 'tier0-sr' ? natAddresses(s.tier0s![sp.owner].nat) : [];
  // Every path has its own prefix: the RIB's routes read (all, or a restricted run's), the
  // networks' and the NAT addresses' bound their number.
  const cap = (candidates ? candidates.length : rib.length) + nat.length + (sp.kind === 'router' ? (s.physicalRouters![sp.owner].bgp!.networks ?? []).length : 0);
  const ribShape: RibShape = { sorted: true, lens: candidates ? EVERY_LENGTH : new Uint8Array(33) };
  const o: Originated = { n: 0, pids: int32Array(cap), ids: int32Array(cap), output: int32Array(cap), route: int32Array(cap), made: new Map(), outputs: [], rib, invalid: new Set(), ribShape, restricted: only !== null };
  const append = (pid: number, id: number, output: number, route: number) => {
    const i = o.n++;
    o.pids[i] = pid;
    o.ids[i] = id;
    o.output[i] = output;
    o.route[i] = route;
    return i;
  };
  const mark = sp.index + 1;
  /** The prefix id of `prefix` when this speaker does not originate it yet (then it does), else -1. */
  const claim = (prefix: Prefix): number => {
      const pid = attrs.pid(prefix);
    if (stamp.get(pid) === mark) return -1;
    stamp.set(pid, mark);
    return pid;
  };
  let lastAttrs: PathAttributes | null = null;
  let lastId = 0;
  const push = (a: PathAttributes, source: string, invalid?: string) => {
    if (only && !only(a.prefix)) return;
    const pid = claim(a.prefix);
    if (pid < 0) return;
    if (lastAttrs === null || !sameAttrs(a, lastAttrs)) lastId = attrs.intern((lastAttrs = a));
    o.made.set(append(pid, lastId, -1, -1), invalid ? { attrs: a, source, invalid } : { attrs: a, source });
    if (invalid) o.invalid.add(pid);
  };
  const refuse = (prefix: Prefix, reason: string) => rejected.push({ prefix, from: sp.name, attrs: null, where: 'in', reason });
  if (sp.kind === 'router') {
    let prev = -1;
    if (!candidates) for (const r of rib) prev = shapeStep(ribShape, prev, r.prefix);
    const bgp = s.physicalRouters![sp.owner].bgp!;
    for (const n of bgp.networks ?? []) {
      const p = parsePrefix(n)!;
      if (only && !only(p)) continue;
      // FRR keeps a network that fails import-check in its table, as an invalid path.
      if (rib.some((r) => r.selected && key(r.prefix) === key(p) && r.type !== 'bgp')) push(attrsOf(p, 'igp'), `network ${n}`);
      else push(attrsOf(p, 'igp'), `network ${n}`, `network ${n}: not in the routing table (FRR import-check)`);
    }
    for (const rd of bgp.redistribute ?? []) {
      const count = candidates ? candidates.length : rib.length;
      for (let q = 0; q < count; q++) {
        const r = rib.at(candidates ? candidates[q] : q);
        if (!r.selected || r.type !== rd.type || (only && !only(r.prefix))) continue;
        const a = attrsOf(r.prefix, 'incomplete');
        const v: PolicyVerdict = rd.routeMap ? sp.policy.routeMap(rd.routeMap, a) : { permit: true, attrs: a, reason: '' };
        if (v.permit) push(v.attrs!, `redistribute ${rd.type}${rd.routeMap ? ` route-map ${rd.routeMap}` : ''}`);
        else refuse(r.prefix, `redistribute ${rd.type}: ${v.reason}`);
      }
    }
    return o;
  }
  const t0 = s.tier0s![sp.owner];
  const rules = t0.redistribution ?? [];
  type Rule = (typeof rules)[number];
  const matchingRules = new Map<readonly Tier0RedistributionType[], Rule[]>();
  // The plain local attributes (their lists shared), interned once.
  const plain: AttrSet = { nextHop: 0, asPath: NO_LIST as unknown as number[], origin: 'incomplete', med: 0, localPref: null, communities: NO_LIST as unknown as string[], largeCommunities: NO_LIST as unknown as string[], weight: LOCAL_WEIGHT };
  let plainId = 0;
  /** Per route map that does not read the prefix: its verdict on the plain attributes (set id, or why it denies). */
  const ruleVerdicts = new Map<string, { id: number; reason: string }>();
  /** Rule outputs by (rule, type, set id), the last one looked up kept at hand. */
  const outputIndex = new Map<string, number>();
  let lastRule: Rule | null = null;
  let lastType: Tier0RedistributionType | null = null;
  let lastSet = 0;
  let lastOutput = -1;
  const outputOf = (rule: Rule, type: Tier0RedistributionType, id: number): number => {
    if (rule === lastRule && type === lastType && id === lastSet) return lastOutput;
    const k = `${JSON.stringify(rule.name)} ${type} ${id}`;
    let i = outputIndex.get(k);
    if (i === undefined) {
      outputIndex.set(k, (i = o.outputs.length));
      o.outputs.push({ rule: rule.name, type, set: attrs.sets[id] });
    }
    lastRule = rule;
    lastType = type;
    lastSet = id;
    return (lastOutput = i);
  };
  let lastTypes: readonly Tier0RedistributionType[] | null = null;
  let lastMatching: Rule[] = [];
  /** One candidate: the RIB route at `route`, or (-1) a NAT address described by `origin`. */
  const consider = (prefix: Prefix, types: readonly Tier0RedistributionType[], route: number, origin: string) => {
    if (!types.length || (only && !only(prefix))) return;
    let matching: Rule[];
    if (types === lastTypes) matching = lastMatching;
    else {
      let m = matchingRules.get(types);
      if (!m) matchingRules.set(types, (m = rules.filter((rule) => rule.types.some((t) => types.includes(t)))));
      matching = lastMatching = m;
      lastTypes = types;
    }
    if (!matching.length) {
      refuse(prefix, `no redistribution rule includes ${types[0]} (${origin})`);
      return;
    }
    let reasons: string[] | null = null;
    for (const rule of matching) {
      let id: number;
      if (!rule.routeMap) id = plainId || (plainId = attrs.intern(plain)); // without a route map: the plain local attributes
      else {
        const memo = sp.policy.readsPrefix?.({ routeMap: rule.routeMap }) === false;
        let known = memo ? ruleVerdicts.get(rule.routeMap) : undefined;
        if (!known) {
          const v: PolicyVerdict = sp.policy.routeMap(rule.routeMap, attrsOf(prefix, 'incomplete'));
          if (v.permit && !memo) {
            const pid = claim(prefix);
            if (pid < 0) return;
            const made = v.attrs!;
            o.made.set(append(pid, attrs.intern(made), -1, -1), new Redistributed(prefix, made, plain, rule.name, types[0], origin));
            return;
          }
          known = v.permit ? { id: attrs.intern(v.attrs!), reason: '' } : { id: 0, reason: v.reason };
          if (memo) ruleVerdicts.set(rule.routeMap, known);
        }
        if (!known.id) {
          (reasons ??= []).push(`redistribution rule ${JSON.stringify(rule.name)}: ${known.reason}`);
          continue;
        }
        id = known.id;
      }
      const pid = claim(prefix);
      if (pid < 0) return;
      if (route >= 0) append(pid, id, outputOf(rule, types[0], id), route);
      else o.made.set(append(pid, id, -1, -1), new Redistributed(prefix, null, attrs.sets[id], rule.name, types[0], origin));
      return;
    }
    refuse(prefix, reasons!.join('; '));
  };
  // Candidates: the SR's selected routes by type, then the Tier-0's own NAT addresses (TIER0_NAT).
  // The common case inline: one matching rule without a route map (plain attributes).
  let prev = -1;
  let fastTypes: readonly Tier0RedistributionType[] | null = null;
  let fastOutput = -1;
  const count = candidates ? candidates.length : rib.length;
  // An SR's table made of its DR's, read whole: its shared positions read from what the DR's routes
  // hold, read once for the Tier-0's SRs (baseRead), not route by route.
  const layer = candidates || only ? null : rib.sharedLayer();
  const positions = layer !== null ? RibTable.positions(layer) : null;
  const memo = layer !== null ? baseRead(layer.base, net, attrs) : null;
  for (let q = 0; q < count; q++) {
    const i = candidates ? candidates[q] : q;
    const p = positions !== null ? positions[i] : -1;
    if (p >= 0) {
      const m = memo!;
      prev = shapeKeyStep(ribShape, prev, m.key[p], m.len[p]);
      if (m.selected[p] === 0) continue;
      // The common case inline (as below): one matching rule without a route map.
      if (m.types[m.typeAt[p]] === fastTypes && fastTypes !== null) {
        let pid = m.pid[p] - 1;
        if (pid < 0) m.pid[p] = (pid = attrs.pid(layer!.base.at(p).prefix)) + 1;
        if (stamp.get(pid) === mark) continue;
        stamp.set(pid, mark);
        append(pid, plainId, fastOutput, i);
        continue;
      }
    }
    // (An SR's table made of its DR's is read without making its routes: the shape is what is read.)
    const r = rib.shapeAt(i);
    const prefix = r.prefix;
    if (!candidates && p < 0) prev = shapeStep(ribShape, prev, prefix);
    if (!r.selected || (only && !only(prefix))) continue;
    const types = redistributionTypes(r, net);
    if (types !== fastTypes) {
      if (!types.length) continue;
      fastTypes = null;
      let m = matchingRules.get(types);
      if (!m) matchingRules.set(types, (m = rules.filter((rule) => rule.types.some((t) => types.includes(t)))));
      if (m.length && !m[0].routeMap) {
        fastTypes = types;
        fastOutput = outputOf(m[0], types[0], plainId || (plainId = attrs.intern(plain)));
      } else {
        consider(prefix, types, i, r.origin);
        continue;
      }
    }
    // The SRs of a Tier-0 hold the same prefixes at the same places: the id the last RIB had
    // at this index, when it is this prefix, saves the hash look-up.
    const h = stamp.hint(i);
    const pid = h && attrs.is(h - 1, prefix) ? h - 1 : attrs.pid(prefix);
    stamp.setHint(i, pid + 1);
    if (stamp.get(pid) === mark) continue;
    stamp.set(pid, mark);
    append(pid, plainId, fastOutput, i);
  }
  for (const { prefix, rule } of nat) consider(prefix, TYPES.nat, -1, `NAT rule ${JSON.stringify(rule)}`);
  return o;
}

/** A growable int array over prefix ids (0 where never set), and hints by RIB index (the prefix
 * id + 1 the previous speaker's RIB had there). */
class Stamp {
  private a = new Int32Array(1024);
  private hints = new Int32Array(0);
  hint(i: number): number {
    return i < this.hints.length ? this.hints[i] : 0;
  }
  setHint(i: number, v: number): void {
    if (i >= this.hints.length) {
      const b = new Int32Array(Math.max(i + 1, this.hints.length * 2, 1024));
      b.set(this.hints);
      this.hints = b;
    }
    this.hints[i] = v;
  }
  get(i: number): number {
    return i < this.a.length ? this.a[i] : 0;
  }
  set(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new Int32Array(Math.max(i + 1, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
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
  /** Open addressing over (address, length): prefix id + 1 per slot, 0 when empty (kept at most half full). */
  private slots: Int32Array;
  private addrs: Int32Array;
  private lens: Uint8Array;
  /** A table for about `prefixes` prefixes (it grows past them). */
  constructor(prefixes = 0) {
    let n = 512;
    while (n < prefixes + 64) n *= 2;
    this.slots = int32Array(2 * n);
    this.addrs = int32Array(n);
    this.lens = uint8Array(n);
  }
  /** Prefix by id (one shared object per prefix). */
  readonly prefixes: Prefix[] = [];
  /** Attribute sets by id; 0 is a placeholder for "none". */
  readonly sets: AttrSet[] = [attrsOf({ addr: 0, len: 0 }, 'igp')];
  private readonly byHash = new Map<number, number | number[]>();
  private readonly views = new Map<number, PathAttributes>();
  pid(p: Prefix): number {
    const addr = p.addr;
    const len = p.len;
    const slot = this.slot(addr | 0, len);
    const v = this.slots[slot];
    if (v) return v - 1;
    const id = this.prefixes.length;
    this.prefixes.push(p); // prefixes are never mutated: the caller's object is shared
    if (id >= this.addrs.length) {
      const a = int32Array(this.addrs.length * 2);
      a.set(this.addrs);
      this.addrs = a;
      const l = uint8Array(a.length);
      l.set(this.lens);
      this.lens = l;
    }
    this.addrs[id] = addr | 0;
    this.lens[id] = len;
    this.slots[slot] = id + 1;
    if ((id + 1) * 2 > this.slots.length) this.rehash();
    return id;
  }
  /** Whether prefix id `pid` is `p`. */
  is(pid: number, p: Prefix): boolean {
    return this.addrs[pid] === (p.addr | 0) && this.lens[pid] === p.len;
  }
  /** The prefix id of `p` if it has one, else -1. */
  find(p: Prefix): number {
    return this.findAt(p.addr, p.len);
  }
  findAt(addr: number, len: number): number {
    return this.slots[this.slot(addr | 0, len)] - 1;
  }
  /** The slot of (addr, len): where it is, or the empty slot where it goes. */
  private slot(addr: number, len: number): number {
    const mask = this.slots.length - 1;
    let h = Math.imul(addr ^ Math.imul(len + 1, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 13;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i];
      if (v === 0 || (this.addrs[v - 1] === addr && this.lens[v - 1] === len)) return i;
    }
  }
  private rehash(): void {
    this.slots = int32Array(this.slots.length * 2);
    for (let id = 0; id < this.prefixes.length; id++) this.slots[this.slot(this.addrs[id], this.lens[id])] = id + 1;
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
    if (this.count * 16 > this.capacity) this.densify();
  }
  /** The dense array once the map is dense (entries written to it directly must be counted by `counted`), else null. */
  get raw(): Int32Array | null {
    return this.dense;
  }
  counted(delta: number): void {
    this.count += delta;
  }
  /** Goes dense now when `extra` more entries would make it so (saves building a Map first). */
  reserve(extra: number): void {
    if (this.map !== null && (this.count + extra) * 16 > this.capacity) this.densify();
  }
  private densify(): void {
    this.dense = int32Array(this.capacity);
    for (const [x, y] of this.map!) this.dense[x] = y;
    this.map = null;
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
  /** What the speaker originates (its local paths are built from it when a table is read). */
  readonly originated: Originated;
  readonly requiresPolicy: boolean;
  /** Per session: the index of the peer's session back to us, -1 when there is none. */
  readonly back: readonly number[];
  /** Per session: what every path received on it shares. */
  readonly peers: readonly PeerInfo[];
  /** Locally originated paths: prefix id → index + 1 into `originated` (negated when the path is
   * invalid); its attribute id is `originated.ids` at that index. */
  readonly localIndex: IntMap;
  /** Prefix id of each aggregate. */
  readonly aggregatePids: readonly number[];
  readonly hasSummaryOnly: boolean;
  /** Update groups: the sessions (indexes) that are sent the same thing, each a non-empty list. */
  readonly updateGroups: readonly (readonly number[])[];
  /** Per update group whose outbound policy cannot read the prefix (or without one): (attribute
   * id, learned) → sent attribute id (0: not sent). */
  readonly sent: (Memo | null)[];
  /** Per session whose inbound policy cannot read the prefix (or without one): sent attribute id →
   * received attribute id (0: refused). */
  readonly received: (Memo | null)[];
  /** Distinct decisions by id - 1, and by candidate-list hash; the last one decide returned. */
  readonly decisions: Decision[];
  readonly decisionsByHash: Map<number, number | number[]>;
  lastDecision: number;
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
  /**
   * Prefix id → decision id (0: not in the table). After a run with prefix classes, empty until
   * made from `byRep` when first read: read every prefix's through decisionsOf.
   */
  decision: Int32Array;
  /**
   * After a run with prefix classes: the representatives' decisions, in classSizes(classes).reps
   * order (a handful at size L, where `decision` is 148k ints a speaker); else null. The rounds
   * decide into a scratch array by prefix id (roundScratch) and keep these alone, so that an
   * update that reads the representatives alone (installChanges after an edge failed) keeps no
   * per-prefix array of any speaker.
   */
  byRep: Int32Array | null;
  /** The classes whose members have not taken their representative's decision yet (decisionsOf), else null. */
  pending: PrefixClasses | null;
  /** Per aggregate: its active attribute id, or 0 while it has no contributor. */
  readonly aggregates: number[];
  /** Prefix ids whose Adj-RIB-In changed since the last round (flag, and list of dirtyN). This
   * and the other worklists and counters below are the rounds' alone, shared with every later run
   * (roundScratch): read nothing of them once simulate has returned. */
  readonly dirtyFlag: Uint8Array;
  readonly dirty: Int32Array;
  dirtyN: number;
  /** Prefix ids whose best path changed in this round (list of changedN). */
  readonly changed: Int32Array;
  changedN: number;
  /** Prefix id → how many sessions' Adj-RIB-In hold it (decide skips the sessions when none). */
  readonly adjCount: Uint16Array;
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
  /** The prefix classes the rounds ran on (bgp/prefix-classes.ts), or null: every prefix decided alone. */
  readonly classes: PrefixClasses | null;
  /** Per speaker: the paths its origination refused (what `rejected` starts from). */
  readonly originRejected: readonly RejectedPath[][];
  /** Prefix ids the run saw (`attrs`, shared with the runs that reuse this one's origination, may hold more since). */
  readonly nP: number;
  /**
   * Speakers of earlier runs of this chain (runs reusing each other's origination: one prefix and
   * attribute table) that are not speakers of this one (an edge failed: its SR), by name, with
   * their last context and refused paths: a speaker coming back with the very same table before
   * BGP takes its origination again instead of reading its 148k-route table.
   */
  readonly parked: ReadonlyMap<string, { readonly ctx: SpeakerContext; readonly originRejected: RejectedPath[] }>;
  /** How many speakers took a previous run's origination (a speaker back from `parked` included). */
  readonly reusedOrigination: number;
}
const internals = new WeakMap<BgpState, Internals>();

/** Options of a run: `originateOnly` restricts origination (networks, redistribution, NAT
 * addresses) to the prefixes it accepts — a run deciding only those prefixes (bgp/partial-run). */
export interface RunOptions {
  readonly originateOnly?: (p: Prefix) => boolean;
  /** The prefixes `originateOnly` accepts, sorted: origination then reads only their routes. */
  readonly originateOnlyPrefixes?: readonly Prefix[];
  /** false: every prefix decided by the rounds on its own, never as a member of its class (the
   * reference the class-based run is tested against; bgp/prefix-classes.ts). */
  readonly prefixClasses?: boolean;
  /**
   * A previous whole run of the same Tier-0, physical-router and settings specs (the caller checks
   * them) whose origination is taken as it was for every speaker of the same name, component and
   * kind whose table before BGP is the very same object (`routing.ribs[component]`): edges or
   * routers failed or back: pipeline.ts). The runs then share one prefix and attribute table.
   */
  readonly reuse?: BgpState;
  /**
   * A previous whole run whose next-hop reachability answers hold for this run (the caller knows
   * no route a next hop resolves through changed: bgp/partial-run), taken per speaker name: a
   * restricted run then looks up no next hop in 150k-route tables again.
   */
  readonly reachableFrom?: BgpState;
}

export function runBgp(s: Scenario, net: ExpandedNetwork, routing: RoutingState, opts: RunOptions = {}): BgpState {
  const speakers = buildSpeakers(s, net);
  const originRejected: RejectedPath[][] = speakers.map(() => []);
  // A previous run whose origination is reused (whole runs only): per speaker, its context there.
  const was = opts.reuse !== undefined && !opts.originateOnly ? internals.get(opts.reuse) : undefined;
  const reused: (SpeakerContext | null)[] = speakers.map((sp) => (was ? reusableContext(was, sp, routing) : null));
  // A speaker back after it went away (its origination parked by an earlier run of the chain):
  // taken again when its table before BGP is the very same; fresh to the classes all the same.
  const revived = speakers.map((sp) => {
    const p = was !== undefined && reused[sp.index] === null ? was.parked.get(sp.name) : undefined;
    return p !== undefined && sameContextOf(p.ctx, sp, routing) ? p : null;
  });
  // Sized for the largest speaker table (most prefixes a run sees are in it): no rehash on the way.
  let largest = 0;
  if (!opts.originateOnlyPrefixes && !was) for (const sp of speakers) largest = Math.max(largest, routing.ribs[sp.component].length);
  const attrs = was ? was.attrs : new AttrTable(opts.originateOnlyPrefixes ? opts.originateOnlyPrefixes.length : largest);
  // Every prefix the run can see: originated, aggregates, the default route (default-originate).
  const stamp = new Stamp();
  const originated = speakers.map((sp) => {
    const r = reused[sp.index];
    if (r !== null) {
      originRejected[sp.index] = was!.originRejected[r.sp.index];
      return r.originated;
    }
    const back = revived[sp.index];
    if (back !== null) {
      originRejected[sp.index] = back.originRejected;
      return back.ctx.originated;
    }
    return originate(s, net, routing, sp, attrs, stamp, originRejected[sp.index], opts.originateOnly ?? null, opts.originateOnly && opts.originateOnlyPrefixes ? opts.originateOnlyPrefixes : null);
  });
  for (const sp of speakers) {
    const o = originated[sp.index];
    setLocalRoutes(sp, () => localRoutes(o, attrs));
  }
  for (const sp of speakers) for (const ag of sp.aggregates) attrs.pid(ag.prefix);
  attrs.pid({ addr: 0, len: 0 });
  const nP = attrs.prefixes.length;
  // The previous run's prefix ids are all there is: its per-prefix structures can be taken as they are.
  const samePrefixes = was !== undefined && was.nP === nP;
  // Next-hop reachability as a previous whole run answered it (its answers cached), per speaker name.
  const before = opts.reachableFrom !== undefined ? internals.get(opts.reachableFrom) : undefined;
  const reachableBefore = before !== undefined ? new Map(before.ctx.map((c) => [c.sp.name, c.reachable])) : null;
  const sessionAddresses = new Set<number>();
  if (reachableBefore !== null) for (const sp of speakers) for (const sess of sp.sessions) sessionAddresses.add(sess.localAddress).add(sess.peerAddress);
  const ctx: SpeakerContext[] = speakers.map((sp) => {
    const back = sp.sessions.map((sess) => speakers[sess.peer].sessions.findIndex((b) => b.peer === sp.index && b.peerAddress === sess.localAddress));
    const requiresPolicy = sp.kind === 'router' ? !!s.physicalRouters![sp.owner].bgp!.ebgpRequiresPolicy : false;
    const r = reused[sp.index];
    const localIndex = samePrefixes && r !== null ? r.localIndex : new IntMap(nP);
    const { n, pids, invalid } = originated[sp.index];
    if (localIndex !== r?.localIndex) {
      localIndex.reserve(n);
      const anyInvalid = invalid.size > 0;
      for (let i = 0; i < n; i++) {
        localIndex.set(pids[i], anyInvalid && invalid.has(pids[i]) ? -(i + 1) : i + 1);
      }
    }
    const groups = updateGroups(sp, back, requiresPolicy);
    // Policies that cannot read the prefix are memoized per attribute set like no policy at all.
    const memoizable = (spec: { prefixList?: string; routeMap?: string } | undefined) => !spec || sp.policy.readsPrefix?.(spec) === false;
    return {
      sp,
      reachable: reachableAs(reachableBefore?.get(sp.name), sessionAddresses, () => reachability(routing.ribs[sp.component], originated[sp.index].ribShape)),
      originated: originated[sp.index],
      requiresPolicy,
      back,
      peers: sp.sessions.map((sess, si) => ({ session: si, peerType: sess.type, peerRouterId: speakers[sess.peer].routerId, peerAddress: sess.peerAddress, source: `from ${speakers[sess.peer].name}` })),
      localIndex,
      aggregatePids: sp.aggregates.map((ag) => attrs.pid(ag.prefix)),
      hasSummaryOnly: sp.aggregates.some((ag) => ag.summaryOnly),
      updateGroups: groups,
      sent: groups.map((g) => (memoizable(sp.sessions[g[0]].config.out) ? new Memo() : null)),
      received: sp.sessions.map((sess) => (memoizable(sess.config.in) ? new Memo() : null)),
      decisions: [],
      decisionsByHash: new Map(),
      lastDecision: 0,
    };
  });
  // Prefixes that every speaker originates alike (and that every prefix list a session filter reads
  // matches at the same entry; no aggregate) are decided once per class, by its representative
  // (bgp/prefix-classes.ts).
  const classes = opts.prefixClasses === false ? null : samePrefixes && was!.classes !== null ? reusedClasses(ctx, reused, was!.classes, attrs) : prefixClasses(ctx, attrs);
  const sim = simulate(ctx, attrs, null, classes);
  // An oscillation is described prefix by prefix: the run made again without classes.
  if (classes !== null && sim.cycleFrom !== null) return runBgp(s, net, routing, { ...opts, prefixClasses: false });
  // The representatives' decisions are kept (the rounds' scratch by prefix id goes back to the
  // next run); every member takes its representative's decision when first read (decisionsOf):
  // an update that reads the representatives alone (installChanges after an edge failed) makes
  // no per-prefix array.
  if (classes !== null) {
    for (const r of sim.runs) {
      r.byRep = repDecisions(r.decision, classes, int32Array(classes.count));
      r.decision = NO_DECISIONS;
      r.pending = classes;
    }
  }
  let oscillation: Oscillation | null = null;
  if (sim.cycleFrom !== null) {
    // Replay the run, keeping the states of the cycle this time, to say what oscillates.
    const states: string[][] = [];
    simulate(ctx, attrs, { from: sim.cycleFrom, until: sim.historyLength, states });
    oscillation = describeOscillation(speakers, states, attrs.prefixes);
  }
  const runs = sim.runs;
  const order = samePrefixes ? was!.order : tableOrder(attrs, nP);
  const tableCache = new Map<number, PrefixEntry[]>();
  const advertisedCache = new Map<number, (PathAttributes[] | null)[]>();
  const rejectedCache = new Map<number, RejectedPath[]>();
  const entryOf = (speaker: number, pid: number): PrefixEntry | null => {
    const d = decisionsOf(runs[speaker])[pid];
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
      const decision = decisionsOf(runs[speaker]);
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
  const reusedOrigination = speakers.filter((sp) => reused[sp.index] !== null || revived[sp.index] !== null).length;
  internals.set(state, { ctx, attrs, runs, order, classes, originRejected, nP, parked: parkedAfter(was, speakers), reusedOrigination });
  return state;
}

/** Prefix ids [0, nP) in table order (address, then length), by one numeric key per prefix sorted natively. */
function tableOrder(attrs: AttrTable, nP: number): Int32Array {
  const prefixes = attrs.prefixes;
  const keys = new Float64Array(nP);
  for (let pid = 0; pid < nP; pid++) keys[pid] = prefixes[pid].addr * 64 + prefixes[pid].len;
  keys.sort();
  const order = int32Array(nP);
  for (let i = 0; i < nP; i++) {
    const addr = Math.floor(keys[i] / 64);
    order[i] = attrs.findAt(addr, keys[i] - addr * 64);
  }
  return order;
}

/**
 * A speaker's context in a previous run whose origination it can take as it is: the same name,
 * component, kind and owner, and the very same table before BGP (what origination reads, with
 * the specs the caller vouches for), originated whole (not a restricted run's). Null otherwise.
 */
function reusableContext(was: Internals, sp: Speaker, routing: RoutingState): SpeakerContext | null {
  for (const c of was.ctx) {
    if (c.sp.name !== sp.name) continue;
    return sameContextOf(c, sp, routing) ? c : null;
  }
  return null;
}

/** Whether `c` (a context of the same speaker name) originated what `sp` would: the same component, kind and owner, from the very same table before BGP, unrestricted. */
function sameContextOf(c: SpeakerContext, sp: Speaker, routing: RoutingState): boolean {
  const old = c.sp;
  if (old.component !== sp.component || old.kind !== sp.kind || old.owner !== sp.owner) return false;
  return c.originated.rib === routing.ribs[sp.component] && !c.originated.restricted;
}

/** The parked speakers after a run of `speakers` that reused `was`: its parked ones and its speakers gone, less the speakers of this run. */
function parkedAfter(was: Internals | undefined, speakers: readonly Speaker[]): Internals['parked'] {
  if (was === undefined) return NO_PARKED;
  const here = new Set(speakers.map((sp) => sp.name));
  const out = new Map<string, { readonly ctx: SpeakerContext; readonly originRejected: RejectedPath[] }>();
  for (const [name, p] of was.parked) if (!here.has(name)) out.set(name, p);
  for (const c of was.ctx) if (!here.has(c.sp.name)) out.set(c.sp.name, { ctx: c, originRejected: was.originRejected[c.sp.index] });
  return out.size ? out : NO_PARKED;
}

const NO_PARKED: Internals['parked'] = new Map();

/**
 * The prefix classes of a run that reused a previous run's origination (and prefix ids), from
 * that run's classes: speakers that went away only make members more alike (a finer partition
 * decides the same), and each speaker that originated anew splits the classes by its codes
 * (prefix-classes.ts refinedClasses). Null when something in this run can tell prefixes apart.
 */
function reusedClasses(ctx: readonly SpeakerContext[], reused: readonly (SpeakerContext | null)[], before: PrefixClasses, attrs: AttrTable): PrefixClasses | null {
  const reads = prefixReadsOf(ctx);
  if (reads === null) return null;
  const fresh = ctx.filter((c) => c.originated.n > 0 && reused[c.sp.index] === null);
  // The prefix lists read now that `before` was not split by (a speaker back with its filters).
  const had = classReads.get(before) ?? NO_READS;
  const newReads = reads.filter((r) => !had.has(r.list));
  if (fresh.length === 0 && newReads.length === 0) return before;
  const classes = noteRefined(refinedClasses(before, [...fresh.map(originCode), ...newReads.map((r) => readCode(r, attrs))]), before);
  classReads.set(classes, newReads.length ? new Set([...had, ...newReads.map((r) => r.list)]) : had);
  return classes;
}

/** The prefix lists a run's classes were split by (prefixClasses): a run reusing them splits them by the others it reads. */
const classReads = new WeakMap<PrefixClasses, ReadonlySet<object>>();
const NO_READS: ReadonlySet<object> = new Set();

/** A prefix list's code per prefix id of the run (computed once per prefix: classes read it at every comparison). */
function readCode(r: PrefixRead, attrs: AttrTable): (pid: number) => number {
  const prefixes = attrs.prefixes;
  const codes = new Int32Array(prefixes.length);
  for (let pid = 0; pid < prefixes.length; pid++) codes[pid] = r.code(prefixes[pid]);
  return (pid) => codes[pid];
}

/** How many speakers of a whole run took a previous run's origination (RunOptions.reuse), 0 for any other state. */
export function reusedOriginations(state: BgpState): number {
  return internals.get(state)?.reusedOrigination ?? 0;
}

/** Every prefix a whole run's speakers originated (its prefix table, in id order), null for any other state. */
export function runPrefixes(state: BgpState): readonly Prefix[] | null {
  return internals.get(state)?.attrs.prefixes ?? null;
}

/** Whether a state is a whole run's (its compact state kept: RunOptions.reuse and installChanges read it). */
export function isWholeRun(state: BgpState): boolean {
  return internals.has(state);
}

/** How many prefix classes a whole run's rounds decided (bgp/prefix-classes.ts), null when every prefix was decided alone (or the state is not a whole run's). */
export function prefixClassCount(state: BgpState): number | null {
  return internals.get(state)?.classes?.count ?? null;
}

/**
 * The prefixes a speaker has a say in, in a whole run's state: those it originates and those its
 * peers accepted from it (what is in their Adj-RIB-In from it). Removing the speaker changes no
 * other prefix at any other speaker. Null for a state that is not a whole run (a partial one).
 */
export function contributedPrefixes(state: BgpState, speaker: number): Prefix[] | null {
  const int = internals.get(state);
  if (int === undefined) return null;
  const { ctx, attrs, runs, classes } = int;
  const seen = new Set<number>();
  const out: Prefix[] = [];
  const add = (pid: number) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    out.push(attrs.prefixes[pid]);
  };
  const o = ctx[speaker].originated;
  for (let i = 0; i < o.n; i++) add(o.pids[i]);
  // With classes, the Adj-RIB-Ins hold representatives: each stands for its whole class.
  const reps = classes !== null ? new Uint8Array(attrs.prefixes.length) : null;
  for (const c of ctx) {
    c.sp.sessions.forEach((sess, si) => {
      if (sess.peer === speaker) runs[c.sp.index].adjIn[si].forEach((_, pid) => (reps !== null ? (reps[pid] = 1) : add(pid)));
    });
  }
  if (classes !== null) for (const pid of membersOf(classes, reps!)) add(pid);
  return out;
}

/**
 * The prefix classes of a run (bgp/prefix-classes.ts), or null when something in it can tell
 * prefixes apart beyond origination: a policy that reads the prefix (not memoized per attribute
 * set), an aggregate. A speaker's code for a prefix is the attribute id it originates it with
 * (negated when invalid), 0 when it does not; the default route is a class of its own.
 */
function prefixClasses(ctx: readonly SpeakerContext[], attrs: AttrTable): PrefixClasses | null {
  const reads = prefixReadsOf(ctx);
  if (reads === null) return null;
  const codes = [...ctx.filter((c) => c.originated.n > 0).map(originCode), ...reads.map((r) => readCode(r, attrs))];
  const classes = prefixClassesOf(attrs.prefixes.length, codes, [attrs.find({ addr: 0, len: 0 })]);
  classReads.set(classes, new Set(reads.map((r) => r.list)));
  return classes;
}

/**
 * The prefix lists the run's session filters read (Policy.prefixReads: each once), when nothing
 * else in the run reads a prefix beyond origination; null when something does (an aggregate, or
 * a filter whose policy cannot say what it reads). Prefixes that every list codes alike get every
 * filter's same verdict: classes split by the lists as by origination.
 */
function prefixReadsOf(ctx: readonly SpeakerContext[]): PrefixRead[] | null {
  const out: PrefixRead[] = [];
  const seen = new Set<object>();
  const add = (c: SpeakerContext, spec: { prefixList?: string; routeMap?: string } | undefined): boolean => {
    const reads = spec === undefined ? undefined : c.sp.policy.prefixReads?.(spec);
    if (reads === undefined) return false;
    for (const r of reads) {
      if (seen.has(r.list)) continue;
      seen.add(r.list);
      out.push(r);
    }
    return true;
  };
  for (const c of ctx) {
    if (c.sp.aggregates.length || c.hasSummaryOnly) return null;
    for (let g = 0; g < c.sent.length; g++) if (c.sent[g] === null && !add(c, c.sp.sessions[c.updateGroups[g][0]].config.out)) return null;
    for (let si = 0; si < c.received.length; si++) if (c.received[si] === null && !add(c, c.sp.sessions[si].config.in)) return null;
  }
  return out;
}

/** A speaker's code for a prefix id: the attribute id it originates it with (negated when invalid), 0 when it does not. */
function originCode(c: SpeakerContext): (pid: number) => number {
  const { localIndex } = c;
  const ids = c.originated.ids;
  return (pid: number): number => {
    const li = localIndex.get(pid);
    return li === 0 ? 0 : li < 0 ? -ids[-li - 1] : ids[li - 1];
  };
}

/** One path of a decision's candidate list as a BgpPath (what tables and best-path selection read). */
function pathOf(c: SpeakerContext, attrs: AttrTable, pid: number, code: number, id: number): BgpPath {
  const a = attrs.view(pid, id);
  if (code >= 0) return new ReceivedPath(a, c.peers[code]);
  if (code <= AGGREGATE) {
    const ag = c.sp.aggregates[AGGREGATE - code];
    return { attrs: a, session: -1, peerType: 'local', peerRouterId: 0, peerAddress: 0, source: `aggregate ${formatPrefix(ag.prefix)}${ag.summaryOnly ? ' summary-only' : ''}` };
  }
  const l = localRoute(c.originated, attrs, Math.abs(c.localIndex.get(pid)) - 1);
  return { attrs: a, session: -1, peerType: 'local', peerRouterId: 0, peerAddress: 0, source: l.source, ...(l.invalid ? { invalid: l.invalid } : {}) };
}

function materialize(c: SpeakerContext, attrs: AttrTable, pid: number, d: Decision): PrefixEntry {
  const paths: BgpPath[] = [];
  for (let i = 0; i < d.sig.length; i += 2) paths.push(pathOf(c, attrs, pid, d.sig[i], d.sig[i + 1]));
  return { prefix: attrs.prefixes[pid], paths, selection: new LazySelection(d.best, d.multipath, paths, c.sp, c.reachable) };
}

/** Every prefix's decision of a run (its members given their representative's first, once). */
function decisionsOf(run: SpeakerRun): Int32Array {
  const classes = run.pending;
  if (classes) {
    run.decision = decisionsFromReps(run.byRep!, classes, int32Array(classes.rep.length));
    run.pending = null;
  }
  return run.decision;
}

/** A run's decisions of the representatives of `classes` (its own classes or finer ones), in classSizes(classes).reps order. */
function repDecisionsOf(run: SpeakerRun, runClasses: PrefixClasses | null, classes: PrefixClasses): Int32Array {
  if (run.byRep !== null && runClasses === classes) return run.byRep;
  return repDecisions(decisionsOf(run), classes, new Int32Array(classes.count));
}

const NO_DECISIONS = new Int32Array(0);

/** A speaker's best paths in table order, as advertisement candidates (fresh attribute objects). */
interface BestPath {
  readonly prefix: Prefix;
  /** Null when the entry has no usable path. */
  readonly attrs: PathAttributes | null;
  readonly learned: BgpPath['peerType'];
}
function bestPaths(c: SpeakerContext, run: SpeakerRun, attrs: AttrTable, order: Int32Array): BestPath[] {
  const out: BestPath[] = [];
  const decision = decisionsOf(run);
  for (const pid of order) {
    const id = decision[pid];
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
 * What a speaker decides in the first round: the distinct prefix ids it originates, in origination
 * order (with classes, the representatives alone), each flagged in `flags`. Kept per origination
 * and classes: a run that reuses both (an edge failed) does not walk a 150k-prefix origination again.
 */
function firstDirty(o: Originated, classes: PrefixClasses | null, flags: Uint8Array): Int32Array {
  let known = firstDirtyOf.get(o);
  if (known === undefined || known.classes !== classes || known.n !== o.n) {
    const decided = classes?.decided ?? null;
    const out: number[] = [];
    for (let j = 0; j < o.n; j++) {
      const pid = o.pids[j];
      if (flags[pid] || (decided !== null && !decided[pid])) continue;
      flags[pid] = 1;
      out.push(pid);
    }
    known = { classes, n: o.n, pids: Int32Array.from(out) };
    firstDirtyOf.set(o, known);
    return known.pids;
  }
  const pids = known.pids;
  for (let j = 0; j < pids.length; j++) flags[pids[j]] = 1;
  return pids;
}

const firstDirtyOf = new WeakMap<Originated, { readonly classes: PrefixClasses | null; readonly n: number; readonly pids: Int32Array }>();

/** The arrays only the rounds read (simulate, decide, deliver, updateAggregates): a speaker's worklists and per-prefix counters. */
interface RoundScratch {
  readonly dirtyFlag: Uint8Array;
  readonly dirty: Int32Array;
  readonly changed: Int32Array;
  readonly adjCount: Uint16Array;
  /** The decisions by prefix id of a run with classes (runBgp keeps the representatives' alone: byRep). */
  readonly decision: Int32Array;
}

/**
 * Per speaker position: the largest round scratch made so far. Nothing reads a run's scratch once
 * its rounds are over, so every run takes the same arrays again (views of the first `nP` / `nL`
 * entries, zeroed) instead of making them: 7 bytes per prefix and speaker (flags, counters and,
 * with classes, decisions by prefix id) that a kept state held for nothing — an edge failed at
 * size L ran 15 speakers over 148k prefixes, 14.7 MB of the 17 MB an update carved from the
 * updates' arena, whose every replacement costs V8 a marking of the whole heap (typed-arena.ts). Plain allocations, never carved: a module-level array must not
 * keep an arena's reservation alive.
 */
const roundScratchPool: RoundScratch[] = [];

function roundScratch(i: number, nP: number, nL: number): RoundScratch {
  let pool = roundScratchPool[i];
  if (pool === undefined || pool.dirtyFlag.length < nP || pool.dirty.length < nL) {
    const p = Math.max(nP, pool?.dirtyFlag.length ?? 0);
    const l = Math.max(nL, pool?.dirty.length ?? 0);
    roundScratchPool[i] = pool = { dirtyFlag: new Uint8Array(p), dirty: new Int32Array(l), changed: new Int32Array(l), adjCount: new Uint16Array(p), decision: new Int32Array(p) };
  }
  const dirtyFlag = pool.dirtyFlag.subarray(0, nP);
  const adjCount = pool.adjCount.subarray(0, nP);
  const decision = pool.decision.subarray(0, nP);
  // (The worklists need no clearing: their lengths are counted; a run that stopped on a cycle leaves flags set.)
  dirtyFlag.fill(0);
  adjCount.fill(0);
  decision.fill(0);
  return { dirtyFlag, dirty: pool.dirty.subarray(0, nL), changed: pool.changed.subarray(0, nL), adjCount, decision };
}

/**
 * The synchronous rounds over a worklist: each round re-decides only the prefixes whose
 * Adj-RIB-In changed, re-advertises only those whose advertised candidate changed, and writes the
 * received paths into the Adj-RIB-Ins after every speaker has decided (so each round sees the
 * previous round's state, as whole synchronous rounds do). With `capture`, the per-speaker
 * serialized Adj-RIB-In after each round in [from, until) of the history is collected.
 */
function simulate(ctx: readonly SpeakerContext[], attrs: AttrTable, capture: { from: number; until: number; states: string[][] } | null, classes: PrefixClasses | null = null): Simulation {
  const nP = attrs.prefixes.length;
  // Lists of prefix ids hold each at most once, and only prefixes the rounds decide (with classes,
  // the representatives: nothing is sent or received for another member).
  const nL = classes !== null ? classes.count + 1 : nP;
  const runs: SpeakerRun[] = ctx.map((c, i) => {
    const { dirtyFlag, dirty, changed, adjCount, decision } = roundScratch(i, nP, nL);
    const first = firstDirty(c.originated, classes, dirtyFlag);
    dirty.set(first);
    const dirtyN = first.length;
    // With classes, the rounds decide into scratch (runBgp then keeps the representatives' alone: byRep).
    return { adjIn: c.sp.sessions.map(() => new IntMap(nP)), decision: classes !== null ? decision : int32Array(nP), byRep: null, pending: null, aggregates: c.sp.aggregates.map(() => 0), dirtyFlag, dirty, dirtyN, changed, changedN: 0, adjCount };
  });
  // Per update group: what it last sent for each prefix (attribute id, 0 = nothing). A prefix is
  // delivered only when that changes: the receivers' Adj-RIB-In hold what it became after their
  // inbound processing, a function of the sent attributes, the prefix and the session.
  const lastSent: IntMap[][] = ctx.map((c) => c.updateGroups.map(() => new IntMap(nP)));
  const batch: Batch = { pids: new Int32Array(nL + 1), ids: new Int32Array(nL + 1), n: 0, distinct: [], flags: new Uint8Array(nP), flagged: false };
  const sendPids = batch.pids;
  const sendIds = batch.ids;
  const seen = new Map<string, number>();
  let historyLength = 0;
  const fp = new Int32Array(2);
  let rounds = 0;
  let cycleFrom: number | null = null;
  const scratch: number[] = [];
  const dflt = attrs.pid({ addr: 0, len: 0 });
  for (;;) {
    rounds++;
    // Phase 1: every speaker re-decides its dirty prefixes from the previous round's Adj-RIB-In.
    for (const c of ctx) {
      const run = runs[c.sp.index];
      if (c.sp.aggregates.length && (run.dirtyN || rounds === 1)) updateAggregates(c, run, attrs);
      const { dirty, dirtyFlag, decision, changed } = run;
      const n = run.dirtyN;
      run.dirtyN = 0;
      for (let j = 0; j < n; j++) dirtyFlag[dirty[j]] = 0;
      let m = 0;
      for (let j = 0; j < n; j++) {
        const k = dirty[j];
        const before = decision[k];
        const after = decide(c, run, attrs, k, scratch);
        decision[k] = after;
        if (before !== after && bestKey(c, before) !== bestKey(c, after)) changed[m++] = k;
      }
      run.changedN = m;
    }
    // Phase 2: advertise what changed, once per update group (sessions that are sent the same
    // thing); receivers apply loop detection and inbound policy.
    // What a group sends is computed once per prefix; a prefix whose sent attributes did not
    // change is not delivered again (the receivers already hold what it gives them).
    let changes = 0;
    for (const c of ctx) {
      const run = runs[c.sp.index];
      const ks = run.changed;
      const kn = run.changedN;
      for (let gi = 0; gi < c.updateGroups.length; gi++) {
        const group = c.updateGroups[gi];
        const sess = c.sp.sessions[group[0]];
        const last = lastSent[c.sp.index][gi];
        const skipDefault = sess.config.defaultOriginate;
        let n = 0;
        if (skipDefault && rounds === 1) {
          const a = advertiseOne(c.sp, sess, { attrs: attrsOf(attrs.prefixes[dflt], 'igp'), learned: 'local', defaultOriginate: true }, null);
          const sent = a ? attrs.intern(a) : 0;
          if (sent !== last.get(dflt)) {
            if (sent) last.set(dflt, sent);
            else last.delete(dflt);
            sendPids[n] = dflt;
            sendIds[n++] = sent;
          }
        }
        for (let j = 0; j < kn; j++) {
          const k = ks[j];
          if (skipDefault && k === dflt) continue;
          const id = run.decision[k];
          const d = id ? c.decisions[id - 1] : null;
          const sent = d && d.best >= 0 ? sentId(c, gi, sess, attrs, k, d.sig[2 * d.best], d.sig[2 * d.best + 1]) : 0;
          if (sent === last.get(k)) continue;
          if (sent) {
            if (!n) last.reserve(kn - j);
            last.set(k, sent);
          } else last.delete(k);
          sendPids[n] = k;
          sendIds[n++] = sent;
        }
        if (!n) continue;
        batch.n = n;
        distinctSent(batch);
        for (const si of group) changes += deliver(ctx, runs, c, si, attrs, fp, batch);
        if (batch.flagged) {
          for (let j = 0; j < n; j++) batch.flags[sendPids[j]] = 0;
          batch.flagged = false;
        }
      }
    }
    const state = `${fp[0]}:${fp[1]}`;
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

/** What an update group sends in a round: prefix ids and attribute ids (0 = nothing), the
 * distinct non-zero attribute ids when there are few (else null), and flags over the prefix ids,
 * set when a delivery needs them (cleared after the group). */
interface Batch {
  readonly pids: Int32Array;
  readonly ids: Int32Array;
  n: number;
  distinct: number[] | null;
  readonly flags: Uint8Array;
  flagged: boolean;
}

const FEW_DISTINCT = 8;

function distinctSent(b: Batch): void {
  const out: number[] = [];
  let last = 0;
  for (let j = 0; j < b.n; j++) {
    const s = b.ids[j];
    if (s === 0 || s === last) continue;
    last = s;
    if (out.includes(s)) continue;
    if (out.length === FEW_DISTINCT) {
      b.distinct = null;
      return;
    }
    out.push(s);
  }
  b.distinct = out;
}

/** Writes what session `si` is sent for the prefixes of a batch into the peer's Adj-RIB-In after
 * its inbound processing; the number of entries that changed. When the peer refuses everything
 * the batch holds (an SR's own paths echoed back by a ToR: AS-path loop), only the entries the
 * session holds are visited; once the Adj-RIB-In is a dense array it is written directly. */
function deliver(ctx: readonly SpeakerContext[], runs: readonly SpeakerRun[], c: SpeakerContext, si: number, attrs: AttrTable, fp: Int32Array, batch: Batch): number {
  let changes = 0;
  const { pids, ids: sent, n } = batch;
  const back = c.back[si];
  const peer = ctx[c.sp.sessions[si].peer];
  const pi = peer.sp.index;
  const peerRun = runs[pi];
  const adj = peerRun.adjIn[back];
  const memo = peer.received[back];
  const { adjCount, dirtyFlag, dirty } = peerRun;
  const salt = entrySalt(pi, back);
  if (memo && batch.distinct && adj.size < n && refusesAll(peer, back, c, attrs, memo, batch.distinct, pids[0])) {
    if (!batch.flagged) {
      for (let j = 0; j < n; j++) batch.flags[pids[j]] = 1;
      batch.flagged = true;
    }
    const gone: number[] = [];
    adj.forEach((old, k) => {
      if (batch.flags[k]) gone.push(k, old);
    });
    for (let g = 0; g < gone.length; g += 2) {
      const k = gone[g];
      mix(fp, salt, k, gone[g + 1], -1);
      adjCount[k]--;
      adj.delete(k);
      if (!dirtyFlag[k]) {
        dirtyFlag[k] = 1;
        dirty[peerRun.dirtyN++] = k;
      }
      changes++;
    }
    return changes;
  }
  // The last memoized answer at hand (a group sends runs of the same attributes).
  let lastSent = 0;
  let lastId = 0;
  let j = 0;
  for (; j < n && adj.raw === null; j++) {
    const k = pids[j];
    const s = sent[j];
    let id = 0;
    if (s) {
      if (s === lastSent) id = lastId;
      else {
        id = memo ? memo.get(s) : -1;
        if (id < 0) id = receiveId(peer, back, c, attrs, k, s);
        if (memo) {
          lastSent = s;
          lastId = id;
        }
      }
    }
    const old = adjCount[k] ? adj.get(k) : 0;
    if (old === id) continue;
    if (old) {
      mix(fp, salt, k, old, -1);
      if (!id) adjCount[k]--;
    } else adjCount[k]++;
    if (id) {
      if (!changes) adj.reserve(n - j); // the first write of a batch: the rest will mostly be written too
      adj.set(k, id);
      mix(fp, salt, k, id, 1);
    } else adj.delete(k);
    if (!dirtyFlag[k]) {
      dirtyFlag[k] = 1;
      dirty[peerRun.dirtyN++] = k;
    }
    changes++;
  }
  if (j === n) return changes;
  const d = adj.raw!;
  let delta = 0;
  for (; j < n; j++) {
    const k = pids[j];
    const s = sent[j];
    let id = 0;
    if (s) {
      if (s === lastSent) id = lastId;
      else {
        id = memo ? memo.get(s) : -1;
        if (id < 0) id = receiveId(peer, back, c, attrs, k, s);
        if (memo) {
          lastSent = s;
          lastId = id;
        }
      }
    }
    const old = d[k];
    if (old === id) continue;
    d[k] = id;
    if (old) {
      mix(fp, salt, k, old, -1);
      if (!id) {
        adjCount[k]--;
        delta--;
      }
    } else {
      adjCount[k]++;
      delta++;
    }
    if (id) mix(fp, salt, k, id, 1);
    if (!dirtyFlag[k]) {
      dirtyFlag[k] = 1;
      dirty[peerRun.dirtyN++] = k;
    }
    changes++;
  }
  adj.counted(delta);
  return changes;
}

/** Whether a session (with a memo: its inbound processing does not read the prefix) refuses
 * every attribute id of `distinct`. */
function refusesAll(peer: SpeakerContext, back: number, from: SpeakerContext, attrs: AttrTable, memo: Memo, distinct: readonly number[], anyPid: number): boolean {
  for (const s of distinct) {
    let id = memo.get(s);
    if (id < 0) id = receiveId(peer, back, from, attrs, anyPid, s);
    if (id !== 0) return false;
  }
  return true;
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
    buf[n++] = li < 0 ? LOCAL_INVALID : LOCAL;
    buf[n++] = c.originated.ids[(li < 0 ? -li : li) - 1];
  }
  if (run.adjCount[k]) {
    const adjIn = run.adjIn;
    for (let si = 0; si < adjIn.length; si++) {
      const id = adjIn[si].get(k);
      if (id) {
        buf[n++] = si;
        buf[n++] = id;
      }
    }
  }
  for (let i = 0; i < run.aggregates.length; i++) {
    if (run.aggregates[i] && c.aggregatePids[i] === k) {
      buf[n++] = AGGREGATE - i;
      buf[n++] = run.aggregates[i];
    }
  }
  if (!n) return 0;
  // Neighbouring prefixes mostly have the same candidates: the last decision first.
  const last = c.lastDecision;
  if (last && sameSig(c.decisions[last - 1].sig, buf, n)) return last;
  const id = findDecision(c, attrs, k, buf, n);
  c.lastDecision = id;
  return id;
}

/** The decision id of candidate list `buf[0, n)`, selected when new. */
function findDecision(c: SpeakerContext, attrs: AttrTable, k: number, buf: number[], n: number): number {
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

/** What an Adj-RIB-In entry's fingerprint mixes in for its speaker and session. */
function entrySalt(speaker: number, session: number): number {
  let h = Math.imul(speaker + 1, 0x9e3779b1) ^ Math.imul(session + 1, 0x27d4eb2f);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b);
}

/** Adds (or removes) one Adj-RIB-In entry — (speaker, session) by its salt, prefix id, attribute
 * id — to the 64-bit state fingerprint: two sums (mod 2^32) of 32-bit mixes. */
function mix(fp: Int32Array, salt: number, k: number, id: number, sign: number): void {
  let a = Math.imul(k ^ salt, 0x85ebca6b) ^ Math.imul(id + 0x7f4a7c15, 0xc2b2ae35);
  a ^= a >>> 15;
  a = Math.imul(a, 0x2c1b3c6d);
  a ^= a >>> 12;
  let b = Math.imul(a ^ id ^ (salt >>> 7), 0x297a2d39);
  b ^= b >>> 16;
  b = Math.imul(b, 0x1b873593);
  b ^= b >>> 13;
  if (sign > 0) {
    fp[0] += a;
    fp[1] += b;
  } else {
    fp[0] -= a;
    fp[1] -= b;
  }
}

/** Next-hop reachability through the speaker's selected non-BGP routes, never a default route.
 * A table sorted by prefix (RoutingState promises it; origination checked it on its way through)
 * answers by one binary search per prefix length it holds; an unsorted one is indexed by prefix
 * length. Answers are cached (a speaker asks about a handful of next hops: its peers'). */
function reachability(rib: RibTable, shape: RibShape): (ip: number) => boolean {
  const cache = new Map<number, boolean>();
  const keyOf = (r: RibRoute) => prefixKey(r.prefix);
  const lens: number[] = [];
  for (let len = 1; len <= 32; len++) if (shape.lens[len]) lens.push(len);
  let byLen: [number, Set<number>][] | null = null;
  const indexed = (ip: number): boolean => {
    if (!byLen) {
      const sets = new Map<number, Set<number>>();
      for (const r of rib) {
        if (!r.selected || r.prefix.len === 0) continue;
        let set = sets.get(r.prefix.len);
        if (!set) sets.set(r.prefix.len, (set = new Set()));
        set.add(r.prefix.addr >>> 0);
      }
      byLen = [...sets.entries()];
    }
    return byLen.some(([len, set]) => set.has((ip & maskOf(len)) >>> 0));
  };
  const lookup = (ip: number): boolean => {
    if (!shape.sorted) return indexed(ip);
    for (const len of lens) {
      const target = ((ip & maskOf(len)) >>> 0) * 64 + len;
      let lo = 0;
      let hi = rib.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keyOf(rib.shapeAt(mid)) < target) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < rib.length && keyOf(rib.shapeAt(i)) === target; i++) if (rib.shapeAt(i).selected) return true;
    }
    return false;
  };
  return (ip) => {
    let hit = cache.get(ip);
    if (hit === undefined) cache.set(ip, (hit = lookup(ip)));
    return hit;
  };
}

/**
 * Next-hop reachability for a run given a previous run's answers (`before`, or none): a session
 * address is answered as before (the caller knows no route covering one changed), any other
 * address (a next hop a route map set) by a look-up in this run's table (`fresh`, made when first needed).
 */
function reachableAs(before: ((ip: number) => boolean) | undefined, sessionAddresses: ReadonlySet<number>, fresh: () => (ip: number) => boolean): (ip: number) => boolean {
  if (before === undefined) return fresh();
  let now: ((ip: number) => boolean) | null = null;
  return (ip) => (sessionAddresses.has(ip) ? before(ip) : (now ??= fresh())(ip));
}

/** FRR bgp_aggregate_route: an aggregate is originated while a valid path of a more specific
 * prefix is in the table — every valid path, best or not, suppressed or not, other aggregates
 * excepted. ORIGIN is the worst of those contributors' (IGP < EGP < incomplete). */
function updateAggregates(c: SpeakerContext, run: SpeakerRun, attrs: AttrTable): void {
  c.sp.aggregates.forEach((ag, i) => {
    let origin: PathAttributes['origin'] | null = null;
    const consider = (id: number, pid: number, local: boolean) => {
      const p = attrs.prefixes[pid];
      if (p.len <= ag.prefix.len || !contains(ag.prefix, p.addr)) return;
      const a = attrs.sets[id];
      if (local ? c.localIndex.get(pid) < 0 : !c.reachable(a.nextHop)) return;
      if (origin === null || ORIGIN_RANK[a.origin] > ORIGIN_RANK[origin]) origin = a.origin;
    };
    const o = c.originated;
    for (let j = 0; j < o.n; j++) consider(o.ids[j], o.pids[j], true);
    for (const m of run.adjIn) m.forEach((id, pid) => consider(id, pid, false));
    const pid = c.aggregatePids[i];
    const active = origin !== null && !c.localIndex.get(pid) ? attrs.intern(attrsOf(ag.prefix, origin)) : 0;
    if (active !== run.aggregates[i]) {
      run.aggregates[i] = active;
      if (!run.dirtyFlag[pid]) {
        run.dirtyFlag[pid] = 1;
        run.dirty[run.dirtyN++] = pid;
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

/** What the RIB routes of one decision hold in common: everything but the prefix. */
class RouteTemplate {
  constructor(
    readonly component: number,
    readonly type: RouteType,
    readonly distance: number,
    readonly nextHops: RibRoute['nextHops'],
    readonly origin: string,
  ) {}
  /** A fresh RIB route of this template for `prefix`. */
  route(prefix: Prefix): Route {
    return new Route(this.component, prefix, this.type, this.distance, this.nextHops, this.origin);
  }
}

/** BGP best paths as RIB routes on each speaker's component: eBGP 20, iBGP 200, inter-SR `isr` 200.
 * Read from the compact state: a route is its prefix and the template of its decision (component,
 * type, distance, next hops, origin), one per decision — every prefix with the same candidates
 * shares it, its next-hop list included (installRoutes never mutates a list). The routes are
 * fresh RIB routes (the installation takes them as they are). A next hop's interface is looked
 * up once per address and speaker. */
export function bgpRibRoutes(state: BgpState, net: ExpandedNetwork): Omit<RibRoute, 'id' | 'selected'>[] {
  const { ctx, attrs, runs, order } = internals.get(state)!;
  const out: Route[] = [];
  for (const c of ctx) routesOf(templates(c, attrs, net), decisionsOf(runs[c.sp.index]), attrs, order, out);
  return out;
}

/** Speakers with fewer BGP routes than this are installed whole (sharing pays for large tables; the tests lower it). */
export const alikeSpeakers = { minRoutes: 4096, enabled: true };

/**
 * bgpRibRoutes, but a speaker whose routes are an earlier speaker's but for their next hops
 * (AlikeSpeaker) is returned as such instead of as routes: per prefix, its decision's template
 * and the earlier one's hold the same type, distance and origin, the same template of one always
 * going with the same of the other (checked over the decision arrays, once per prefix, no route
 * made). The earlier speaker is one installed whole, with as many routes.
 */
export function bgpRibInstallation(state: BgpState, net: ExpandedNetwork): { readonly routes: Route[]; readonly alike: AlikeSpeaker[] } {
  const { ctx, attrs, runs, order } = internals.get(state)!;
  const routes: Route[] = [];
  const alike: AlikeSpeaker[] = [];
  /** Speakers installed whole, as candidates: template look-up, decisions and number of routes. */
  const reps: { readonly c: SpeakerContext; readonly templateOf: (id: number) => RouteTemplate | null; readonly decision: Int32Array; readonly count: number }[] = [];
  for (const c of ctx) {
    const templateOf = templates(c, attrs, net);
    const decision = decisionsOf(runs[c.sp.index]);
    if (alikeSpeakers.enabled) {
      // Alike to one of the latest candidates (a speaker of another kind fails on its first prefix)…
      let found: AlikeSpeaker | null = null;
      for (let k = reps.length - 1; k >= Math.max(0, reps.length - MAX_ALIKE_TRIES); k--) {
        const rep = reps[k];
        if (rep.c.sp.component === c.sp.component) continue;
        found = alikeOf(c, templateOf, decision, rep, rep.count, attrs, order, () => routesOf(templateOf, decision, attrs, order));
        if (found !== null) break;
      }
      if (found !== null) {
        alike.push(found);
        continue;
      }
    }
    // …else installed whole, and a candidate when it has enough routes.
    const before = routes.length;
    routesOf(templateOf, decision, attrs, order, routes);
    const count = routes.length - before;
    if (alikeSpeakers.enabled && count >= alikeSpeakers.minRoutes) reps.push({ c, templateOf, decision, count });
  }
  return { routes, alike };
}

/** How many candidates a speaker is compared with (the latest ones): the cost stays linear in speakers. */
const MAX_ALIKE_TRIES = 4;

/** Speaker `c` as alike to `rep` (see bgpRibInstallation), or null when it is not. */
function alikeOf(
  c: SpeakerContext,
  templateOf: (id: number) => RouteTemplate | null,
  decision: Int32Array,
  rep: { readonly c: SpeakerContext; readonly templateOf: (id: number) => RouteTemplate | null; readonly decision: Int32Array },
  count: number,
  attrs: AttrTable,
  order: Int32Array,
  whole: () => Route[],
): AlikeSpeaker | null {
  // Per decision id of rep: the decision of c it goes with (0: none yet).
  const paired = new Int32Array(rep.c.decisions.length + 1);
  // Per decision id of c: the index + 1 of its template's list in `lists` (0: not met yet).
  const listOf = new Int32Array(c.decisions.length + 1);
  const listIndex = new Map<RouteTemplate, number>();
  const lists: (readonly RibNextHop[])[] = [];
  const listAt = new Int32Array(count);
  const pids = new Int32Array(count);
  let k = 0;
  for (let j = 0; j < order.length; j++) {
    const pid = order[j];
    const a = rep.decision[pid];
    const b = decision[pid];
    // The common case: a pair of decisions already checked (both install a route).
    if (a !== 0 && paired[a] === b && listOf[b] !== 0) {
      if (k === count) return null;
      listAt[k] = listOf[b] - 1;
      pids[k++] = pid;
      continue;
    }
    const ta = a !== 0 ? rep.templateOf(a) : null;
    const tb = b !== 0 ? templateOf(b) : null;
    if ((ta === null) !== (tb === null)) return null;
    if (ta === null || tb === null) continue;
    const before = paired[a];
    if (before !== b) {
      if (before !== 0) {
        // Another decision of c already goes with a: the same template, or not alike.
        if (!sameTemplate(templateOf(before), tb)) return null;
      } else {
        if (ta.type !== tb.type || ta.distance !== tb.distance || ta.origin !== tb.origin) return null;
        paired[a] = b;
      }
    }
    let li = listIndex.get(tb);
    if (li === undefined) {
      listIndex.set(tb, (li = lists.length));
      lists.push(tb.nextHops);
    }
    listOf[b] = li + 1;
    if (k === count) return null;
    listAt[k] = li;
    pids[k++] = pid;
  }
  if (k !== count) return null;
  return { component: c.sp.component, like: rep.c.sp.component, lists, listAt, prefixAt: (i) => attrs.prefixes[pids[i]], whole };
}

/** The RIB routes of the prefix ids `pids` (in that order) from their decisions' templates, appended to `out`. */
function routesOf(templateOf: (id: number) => RouteTemplate | null, decision: Int32Array, attrs: AttrTable, pids: ArrayLike<number>, out: Route[] = []): Route[] {
  for (let j = 0; j < pids.length; j++) {
    const pid = pids[j];
    const id = decision[pid];
    const t = id ? templateOf(id) : null;
    if (t !== null) out.push(t.route(attrs.prefixes[pid]));
  }
  return out;
}

/** A speaker's route template per decision id (null: nothing installed), each built when first asked. */
function templates(c: SpeakerContext, attrs: AttrTable, net: ExpandedNetwork): (id: number) => RouteTemplate | null {
  const sp = c.sp;
  const itfOf = new Map<number, number | null>();
  const interfaceOf = (nh: number): number | null => {
    let hit = itfOf.get(nh);
    if (hit === undefined) {
      hit = null;
      for (const i of net.components[sp.component].interfaces) {
        if (contains(networkOf(net.interfaces[i]), nh)) {
          hit = net.interfaces[i].id;
          break;
        }
      }
      itfOf.set(nh, hit);
    }
    return hit;
  };
  /** Per decision id: its template (undefined: not built yet, null: nothing installed); sized up front (a sparse array is slow to read). */
  const made = new Array<RouteTemplate | null | undefined>(c.decisions.length + 1).fill(undefined);
  const origins = c.peers.map((p) => `BGP ${p.source}`);
  return (id: number): RouteTemplate | null => {
    let t = made[id];
    if (t !== undefined) return t;
    t = null;
    const d = c.decisions[id - 1];
    if (d.best >= 0) {
      const code = d.sig[2 * d.best];
      if (code >= 0) {
        const peerType = sp.sessions[code].type;
        const nextHops = d.multipath.map((i) => {
          const nh = attrs.sets[d.sig[2 * i + 1]].nextHop;
          return { ip: nh, interface: interfaceOf(nh), blackhole: false };
        });
        t = new RouteTemplate(sp.component, peerType === 'inter-sr' ? 'isr' : 'bgp', peerType === 'ebgp' ? 20 : 200, nextHops, origins[code]);
      } else if (code <= AGGREGATE) {
        // An active aggregate is installed as a blackhole (FRR: BGP route to Null0, distance 200).
        const ag = sp.aggregates[AGGREGATE - code];
        t = new RouteTemplate(sp.component, 'bgp', 200, BLACKHOLE, `BGP aggregate ${formatPrefix(ag.prefix)}${ag.summaryOnly ? ' summary-only' : ''}`);
      }
    }
    return (made[id] = t);
  };
}

const BLACKHOLE: RibRoute['nextHops'] = [{ ip: null, interface: null, blackhole: true }];
const SAME = 1;
const IN_PLACE = 2;
const OTHER = 3;

/** Whether two templates install the same routes (type, distance, next hops and origin). */
function sameTemplate(a: RouteTemplate | null, b: RouteTemplate | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return a.type === b.type && a.distance === b.distance && a.origin === b.origin && sameHops(a.nextHops, b.nextHops);
}

/**
 * Per speaker of `next` (a run that reused `prev`'s origination and prefix ids: RunOptions.reuse),
 * how its installed BGP routes differ from what `prev` installed on the same component: the two
 * decisions' templates compared once per distinct pair of decisions. With prefix classes refined
 * from `prev`'s (an edge or a router failed or back: RunOptions.reuse), each class's members had
 * and have its representative's decisions, so the classes are visited (at size L, a handful for
 * 144k prefixes) and a swap carries the pairs alone (ribs/install remappedTable); otherwise, or
 * with `byPrefix` (what the tests compare the classes' answer with), prefix by prefix.
 * `sameBase(component)`: the speaker's table before BGP is the one `prev` originated from (else
 * its table is installed whole). Null when the runs share no prefix ids.
 */
export function installChanges(next: BgpState, prev: BgpState, net: ExpandedNetwork, sameBase: (component: number) => boolean, opts: { byPrefix?: boolean } = {}): InstallChange[] | null {
  const a = internals.get(prev);
  const b = internals.get(next);
  if (a === undefined || b === undefined || a.attrs !== b.attrs || a.order !== b.order) return null;
  const { attrs, order } = b;
  const out: InstallChange[] = [];
  const byClass = !opts.byPrefix && refines(b.classes, a.classes) ? classSizes(b.classes!) : null;
  for (const c of b.ctx) {
    const sp = c.sp;
    const templateOf = templates(c, attrs, net);
    const run = b.runs[sp.index];
    const every = (): Route[] => routesOf(templateOf, decisionsOf(run), attrs, order);
    const whole = (): InstallChange => ({ how: 'whole', component: sp.component, routes: every() });
    const old = a.ctx.find((x) => x.sp.name === sp.name);
    if (old === undefined || old.sp.component !== sp.component || !sameBase(sp.component)) {
      out.push(whole());
      continue;
    }
    const oldTemplateOf = templates(old, attrs, net);
    const oldRun = a.runs[old.sp.index];
    // Per pair of decision ids (old, new), not known yet (0), or: the same routes (SAME), other
    // routes of the same type and distance (IN_PLACE: they can take the old ones' places), others.
    const width = c.decisions.length + 1;
    const verdicts = new Uint8Array(Math.min((old.decisions.length + 1) * width, 1 << 22));
    const verdictMap = verdicts.length < (old.decisions.length + 1) * width ? new Map<number, number>() : null;
    // The distinct pairs of decisions that install a route on both sides (what a swap remaps).
    const pairs: SwapPair[] = [];
    let inPlace = true;
    const verdictOf = (x: number, y: number): number => {
      const pair = x * width + y;
      let v = verdictMap === null ? verdicts[pair] : (verdictMap.get(pair) ?? 0);
      if (v === 0) {
        const t = x ? oldTemplateOf(x) : null;
        const u = y ? templateOf(y) : null;
        v = sameTemplate(t, u) ? SAME : t !== null && u !== null && t.type === u.type && t.distance === u.distance ? IN_PLACE : OTHER;
        if (t !== null && u !== null) pairs.push({ from: t, to: u });
        if (verdictMap === null) verdicts[pair] = v;
        else verdictMap.set(pair, v);
      }
      return v;
    };
    // How many prefixes changed, and which: with classes refined from the previous run's, every
    // member of a class had and has its representative's decisions, so the classes are visited
    // (a handful at size L), not the prefixes; else prefix by prefix.
    let changedCount = 0;
    // Visited: the representatives (each weighing its class's size), else every prefix in table order.
    const ids = byClass !== null ? byClass.reps : order;
    const weight = byClass !== null ? byClass.size : null;
    // By the classes: the representatives' decisions, in `ids` order (the same classes: as the
    // rounds left them; finer ones: a representative of this run may be a member of the old
    // one's, read expanded); else every prefix's, by prefix id.
    const xs = byClass !== null ? repDecisionsOf(oldRun, a.classes, b.classes!) : decisionsOf(oldRun);
    const ys = byClass !== null ? repDecisionsOf(run, b.classes, b.classes!) : decisionsOf(run);
    const changed: number[] | null = byClass !== null ? null : [];
    let changedReps: Uint8Array | null = null;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j];
      const x = byClass !== null ? xs[j] : xs[id];
      const y = byClass !== null ? ys[j] : ys[id];
      if (x === 0 && y === 0) continue;
      const v = verdictOf(x, y);
      if (v === SAME) continue;
      changedCount += weight === null ? 1 : weight[j];
      if (changed !== null) changed.push(id);
      else (changedReps ??= new Uint8Array(b.nP))[id] = 1;
      if (v === OTHER) inPlace = false;
    }
    if (changedCount === 0) out.push({ how: 'same', component: sp.component });
    else if (changedCount * 8 > order.length) {
      // Most prefixes changed: when each changed prefix had a route of the same type and distance
      // and still has one (its next hops or origin changed: a session of every path went away),
      // the routes take the old ones' places; else the table is installed whole.
      out.push(inPlace ? { how: 'swap', component: sp.component, pairs, whole: every } : whole());
    } else {
      // A few: the members of the changed classes, in table order.
      let pids = changed;
      if (pids === null) {
        pids = [];
        const rep = b.classes!.rep;
        for (let j = 0; j < order.length; j++) if (changedReps![rep[order[j]]]) pids.push(order[j]);
      }
      out.push({ how: 'patch', component: sp.component, prefixes: pids.map((pid) => attrs.prefixes[pid]), routes: routesOf(templateOf, decisionsOf(run), attrs, pids), whole: every });
    }
  }
  return out;
}
