// Baseline copy of the BGP control plane before the scale rewrite (runBgp with whole rounds and
// serialized change detection), kept only so bench/bgp-scale.ts can print old figures beside new.
// The BGP control plane as a synchronous fixpoint over all speakers: each round every speaker
// selects best paths from what it originates and what it received, then advertises to each
// session through split horizon, NO_EXPORT/NO_ADVERTISE, summary-only suppression and its
// outbound policy; receivers apply AS-path loop detection and inbound policy. It stops when no
// table changes; a state seen before means oscillation, reported with the speakers and prefixes.
// An aggregate exists while a valid more specific path does and takes their worst ORIGIN (FRR).
import { contains, formatIp, formatPrefix, networkOf, parsePrefix, type Prefix } from '../../src/topology/ip.js';
import type { Scenario, Tier0RedistributionType } from '../../src/topology/scenario.js';
import type { ExpandedNetwork } from '../../src/engine/model/expand.js';
import type { RibRoute, RouteType, RoutingState } from '../../src/engine/ribs/routes.js';
import { ORIGIN_RANK, selectBest, type Selection } from '../../src/engine/bgp/bestpath.js';
import type { PathAttributes, PolicyVerdict } from '../../src/engine/bgp/policy.js';
import { buildSpeakers } from '../../src/engine/bgp/speakers.js';
import { natAddresses } from '../../src/engine/fib/nat.js';
import type { BgpPath, RejectedPath, Session, Speaker } from '../../src/engine/bgp/types.js';

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
  /** Per speaker: paths stopped on their way in (or at a neighbour's way out), with the reason. */
  readonly rejected: readonly (readonly RejectedPath[])[];
  /** Per speaker, per session: what it advertises (after outbound policy). */
  readonly advertised: readonly (readonly (readonly PathAttributes[])[])[];
  readonly rounds: number;
  readonly oscillation: Oscillation | null;
}

const key = (p: Prefix) => p.addr * 64 + p.len;
const cmpPrefix = (a: Prefix, b: Prefix) => a.addr - b.addr || a.len - b.len;

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
  const push = (attrs: PathAttributes, source: string, invalid?: string) => {
    if (!sp.local.some((l) => key(l.attrs.prefix) === key(attrs.prefix))) sp.local.push(invalid ? { attrs, source, invalid } : { attrs, source });
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

export function runBgp(s: Scenario, net: ExpandedNetwork, routing: RoutingState): BgpState {
  const speakers = buildSpeakers(s, net);
  const originRejected: RejectedPath[][] = speakers.map(() => []);
  for (const sp of speakers) originate(s, net, routing, sp, originRejected[sp.index]);
  // Next hops resolve through the speaker's non-BGP routes, never through a default route.
  const reach = speakers.map((sp) => {
    const rib = routing.ribs[sp.component].filter((r) => r.selected && r.prefix.len > 0);
    return (ip: number) => rib.some((r) => contains(r.prefix, ip));
  });
  const requiresPolicy = speakers.map((sp) => (sp.kind === 'router' ? !!s.physicalRouters![sp.owner].bgp!.ebgpRequiresPolicy : false));

  // adjIn[speaker][session]: prefix key → path (after inbound policy).
  let adjIn: Map<number, BgpPath>[][] = speakers.map((sp) => sp.sessions.map(() => new Map()));
  let tables: PrefixEntry[][] = [];
  let rejected: RejectedPath[][] = [];
  let advertised: PathAttributes[][][] = [];
  const seen = new Map<string, number>();
  const history: string[] = [];
  let oscillation: Oscillation | null = null;
  let rounds = 0;

  for (;;) {
    rounds++;
    tables = speakers.map((sp) => buildTable(sp, adjIn[sp.index], reach[sp.index]));
    rejected = speakers.map((sp) => [...originRejected[sp.index]]);
    advertised = speakers.map((sp) => sp.sessions.map(() => []));
    const next: Map<number, BgpPath>[][] = speakers.map((sp) => sp.sessions.map(() => new Map()));
    for (const sp of speakers) {
      sp.sessions.forEach((sess, si) => {
        const peer = speakers[sess.peer];
        const back = peer.sessions.findIndex((b) => b.peer === sp.index && b.peerAddress === sess.localAddress);
        if (back < 0) return;
        for (const attrs of advertise(sp, sess, tables[sp.index], rejected[sess.peer], requiresPolicy[sp.index])) {
          advertised[sp.index][si].push(attrs);
          const path = receive(peer, peer.sessions[back], back, sp, attrs, rejected[sess.peer], requiresPolicy[sess.peer]);
          if (path) next[sess.peer][back].set(key(path.attrs.prefix), path);
        }
      });
    }
    const state = serialize(next);
    const prev = seen.get(state);
    if (state === history[history.length - 1]) break;
    if (prev !== undefined || rounds >= MAX_ROUNDS) {
      oscillation = describeOscillation(speakers, history, prev ?? history.length - 1);
      break;
    }
    seen.set(state, history.length);
    history.push(state);
    adjIn = next;
  }
  return { speakers, tables, rejected, advertised, rounds, oscillation };
}

function buildTable(sp: Speaker, adjIn: Map<number, BgpPath>[], reachable: (ip: number) => boolean): PrefixEntry[] {
  const byPrefix = new Map<number, { prefix: Prefix; paths: BgpPath[] }>();
  const add = (path: BgpPath) => {
    const k = key(path.attrs.prefix);
    const e = byPrefix.get(k) ?? { prefix: path.attrs.prefix, paths: [] };
    e.paths.push(path);
    byPrefix.set(k, e);
  };
  for (const l of sp.local) add({ attrs: l.attrs, session: -1, peerType: 'local', peerRouterId: 0, peerAddress: 0, source: l.source, ...(l.invalid ? { invalid: l.invalid } : {}) });
  adjIn.forEach((m) => m.forEach(add));
  // Aggregates (FRR bgp_aggregate_route): originated while a valid path of a more specific prefix
  // is in the table — every valid path, best or not, suppressed or not, other aggregates excepted.
  // ORIGIN is the worst of those contributors' (IGP < EGP < incomplete).
  const contributors = [...byPrefix.values()].flatMap((e) => e.paths).filter((p) => !p.invalid && (p.session < 0 || reachable(p.attrs.nextHop)));
  for (const ag of sp.aggregates) {
    const mine = contributors.filter((p) => p.attrs.prefix.len > ag.prefix.len && contains(ag.prefix, p.attrs.prefix.addr));
    if (mine.length && !sp.local.some((l) => key(l.attrs.prefix) === key(ag.prefix))) {
      const origin = mine.reduce<PathAttributes['origin']>((o, p) => (ORIGIN_RANK[p.attrs.origin] > ORIGIN_RANK[o] ? p.attrs.origin : o), 'igp');
      add({ attrs: attrsOf(ag.prefix, origin), session: -1, peerType: 'local', peerRouterId: 0, peerAddress: 0, source: `aggregate ${formatPrefix(ag.prefix)}${ag.summaryOnly ? ' summary-only' : ''}` });
    }
  }
  return [...byPrefix.values()]
    .sort((a, b) => cmpPrefix(a.prefix, b.prefix))
    .map((e) => ({ prefix: e.prefix, paths: e.paths, selection: selectAccessible(e.paths, sp, reachable) }));
}

/** Best path among paths whose next hop resolves (FRR next-hop tracking); the rest are inaccessible. */
function selectAccessible(paths: BgpPath[], sp: Speaker, reachable: (ip: number) => boolean): Selection {
  const ok = paths.map((p, i) => ({ p, i })).filter(({ p }) => !p.invalid && (p.session < 0 || reachable(p.attrs.nextHop)));
  if (ok.length === paths.length) return selectBest(paths, sp);
  const inner = selectBest(ok.map((x) => x.p), sp);
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

function advertise(sp: Speaker, sess: Session, table: PrefixEntry[], peerRejected: RejectedPath[], requiresPolicy: boolean): PathAttributes[] {
  const out: PathAttributes[] = [];
  const stop = (prefix: Prefix, attrs: PathAttributes | null, reason: string) => peerRejected.push({ prefix, from: sp.name, attrs, where: 'out', reason: `${sp.name}: ${reason}` });
  const ebgp = sess.type === 'ebgp';
  if (ebgp && requiresPolicy && !sess.config.out) {
    for (const e of table) stop(e.prefix, null, 'ebgp-requires-policy: no outbound policy toward this neighbour');
    return out;
  }
  const candidates: { attrs: PathAttributes; learned: BgpPath['peerType']; defaultOriginate?: boolean }[] = [];
  if (sess.config.defaultOriginate) {
    // default-originate: a default route (MED 0, as FRR 8.4 sends it), whatever the table holds;
    // FRR sends it outside the neighbour's outbound prefix list and route map.
    candidates.push({ attrs: attrsOf({ addr: 0, len: 0 }, 'igp'), learned: 'local', defaultOriginate: true });
  }
  for (const e of table) {
    if (e.selection.best < 0) continue;
    if (sess.config.defaultOriginate && e.prefix.len === 0) continue;
    const best = e.paths[e.selection.best];
    candidates.push({ attrs: best.attrs, learned: best.peerType });
  }
  for (const { attrs, learned, defaultOriginate } of candidates) {
    const prefix = attrs.prefix;
    if (learned !== 'local' && learned !== 'ebgp' && sess.type !== 'ebgp') {
      stop(prefix, attrs, 'iBGP split horizon (learned over iBGP, not re-advertised to iBGP peers)');
      continue;
    }
    if (sess.type === 'inter-sr' && learned !== 'ebgp') continue; // inter-SR carries northbound routes only
    if (learned === 'inter-sr' && ebgp) continue; // inter-SR routes stay inside the Tier-0
    if (attrs.communities.includes('no-advertise')) {
      stop(prefix, attrs, 'NO_ADVERTISE community');
      continue;
    }
    if (ebgp && (attrs.communities.includes('no-export') || attrs.communities.includes('no-export-subconfed'))) {
      stop(prefix, attrs, 'NO_EXPORT community (not sent to eBGP peers)');
      continue;
    }
    const summary = suppressedBySummary(sp, prefix);
    if (summary) {
      stop(prefix, attrs, `suppressed by aggregate ${summary} summary-only`);
      continue;
    }
    let a: PathAttributes = { ...attrs, asPath: attrs.asPath.slice(), communities: attrs.communities.slice(), largeCommunities: attrs.largeCommunities.slice() };
    if (ebgp && learned !== 'local') a.med = null; // only a locally originated MED crosses an AS boundary
    const v: PolicyVerdict = defaultOriginate ? { permit: true, attrs: a, reason: '' } : applyFilter(sp, sess.config.out, a);
    if (!v.permit) {
      stop(prefix, attrs, `outbound ${v.reason}`);
      continue;
    }
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
    out.push(a);
  }
  return out;
}

function receive(sp: Speaker, sess: Session, si: number, from: Speaker, attrs: PathAttributes, rejected: RejectedPath[], requiresPolicy: boolean): BgpPath | null {
  const reject = (reason: string) => {
    rejected.push({ prefix: attrs.prefix, from: from.name, attrs, where: 'in', reason });
    return null;
  };
  const own = attrs.asPath.filter((as) => as === sp.asn).length;
  if (own > sess.config.allowAsIn) return reject(`AS-path loop: the path contains own AS ${sp.asn}${sess.config.allowAsIn ? ` more than allowas-in ${sess.config.allowAsIn}` : ''}`);
  if (sess.type === 'ebgp' && requiresPolicy && !sess.config.in) return reject('ebgp-requires-policy: no inbound policy from this neighbour');
  let a: PathAttributes = { ...attrs, weight: sess.config.weight };
  if (sess.type === 'ebgp') a.localPref = null;
  const v = applyFilter(sp, sess.config.in, a);
  if (!v.permit) return reject(`inbound ${v.reason}`);
  a = v.attrs!;
  if (v.nextHopPeerAddress) a = { ...a, nextHop: sess.peerAddress };
  return { attrs: a, session: si, peerType: sess.type, peerRouterId: from.routerId, peerAddress: sess.peerAddress, source: `from ${from.name}` };
}

function serialize(adj: Map<number, BgpPath>[][]): string {
  return adj
    .map((sessions) =>
      sessions
        .map((m) =>
          [...m.entries()]
            .sort((x, y) => x[0] - y[0])
            .map(([k, p]) => `${k}:${p.attrs.nextHop}:${p.attrs.asPath.join(' ')}:${p.attrs.origin}:${p.attrs.med}:${p.attrs.localPref}:${p.attrs.communities.join(' ')}:${p.attrs.largeCommunities.join(' ')}:${p.attrs.weight}`)
            .join(','),
        )
        .join('|'),
    )
    .join('\n');
}

function describeOscillation(speakers: readonly Speaker[], history: string[], from: number): Oscillation {
  const cycle = history.slice(from);
  const speakerNames = new Set<string>();
  const prefixes = new Set<string>();
  const split = cycle.map((st) => st.split('\n'));
  for (let i = 0; i < speakers.length; i++) {
    const variants = new Set(split.map((x) => x[i]));
    if (variants.size > 1) {
      speakerNames.add(speakers[i].name);
      const entries = split.map((x) => new Set((x[i] ?? '').split(/[|,]/).filter(Boolean)));
      for (const e of entries) {
        for (const item of e) {
          if (!entries.every((o) => o.has(item))) {
            const k = Number(item.split(':')[0]);
            prefixes.add(formatPrefix({ addr: Math.floor(k / 64), len: k % 64 }));
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

