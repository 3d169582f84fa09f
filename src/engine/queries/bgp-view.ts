// `nsx-twin bgp` queries over a computed BGP state: a speaker's table (every path, best and
// multipath flags, and why), what it advertises to or receives from a neighbour, and the paths
// that were stopped, with the filter entry (or rule) that stopped them and where.
import { QueryError } from '../../topology/errors.js';
import { formatIp, formatPrefix, parseIp, parsePrefix, type Prefix } from '../../topology/ip.js';
import { suggestion } from '../../topology/did-you-mean.js';
import type { BgpState } from '../bgp/control-plane.js';
import type { PathAttributes } from '../bgp/policy.js';

export interface BgpQuery {
  router: string;
  edge?: string;
  prefix?: string;
  neighbor?: string;
  direction?: 'advertised' | 'received';
  rejected?: boolean;
}

export interface BgpRibEntry {
  prefix: string;
  nextHop: string;
  asPath: number[];
  origin: 'igp' | 'egp' | 'incomplete';
  localPref: number | null;
  med: number | null;
  communities: string[];
  largeCommunities: string[];
  weight: number;
  best: boolean;
  multipath: boolean;
  /** Neighbour address it was learned from; null when locally originated. */
  peer: string | null;
  reason: string;
}

export interface BgpRejectedEntry {
  prefix: string;
  from: string;
  where: 'in' | 'out';
  nextHop: string | null;
  asPath: number[] | null;
  reason: string;
}

export interface BgpSessionView {
  neighbor: string;
  peer: string | null;
  remoteAs: number | null;
  type: string;
  state: 'Established' | 'Down';
  reason?: string;
}

export interface BgpView {
  router: string;
  edge: string | null;
  asn: number;
  routerId: string;
  sessions: BgpSessionView[];
  routes: BgpRibEntry[];
  rejected?: BgpRejectedEntry[];
  oscillation?: { speakers: string[]; prefixes: string[]; period: number };
}

function entry(a: PathAttributes, extra: { best: boolean; multipath: boolean; peer: string | null; reason: string }): BgpRibEntry {
  return {
    prefix: formatPrefix(a.prefix),
    nextHop: formatIp(a.nextHop),
    asPath: a.asPath.slice(),
    origin: a.origin,
    localPref: a.localPref,
    med: a.med,
    communities: a.communities.slice(),
    largeCommunities: a.largeCommunities.slice(),
    weight: a.weight,
    ...extra,
  };
}

export function bgpView(state: BgpState, q: BgpQuery): BgpView {
  const candidates = state.speakers.filter((s) => s.owner === q.router);
  if (!candidates.length) {
    throw new QueryError(`no BGP speaker named ${JSON.stringify(q.router)} (physical routers with bgp, Tier-0s with bgp)${suggestion(q.router, new Set(state.speakers.map((s) => s.owner)))}`);
  }
  let sp = candidates[0];
  if (q.edge !== undefined) {
    const found = candidates.find((s) => s.edge === q.edge);
    if (!found) throw new QueryError(`${q.router} has no active BGP service router on ${JSON.stringify(q.edge)} (on: ${candidates.map((s) => s.edge ?? s.owner).join(', ')})`);
    sp = found;
  }
  let prefix: Prefix | null = null;
  if (q.prefix !== undefined) {
    prefix = parsePrefix(q.prefix);
    if (!prefix) throw new QueryError(`--prefix expects a prefix such as 10.146.0.0/16 (got ${JSON.stringify(q.prefix)})`);
  }
  const keep = (p: Prefix) => !prefix || (p.addr === prefix.addr && p.len === prefix.len);
  const sessionIndex = (() => {
    if (q.neighbor === undefined) {
      if (q.direction) throw new QueryError(`--${q.direction} needs --neighbor`);
      return -1;
    }
    const ip = parseIp(q.neighbor);
    const i = sp.sessions.findIndex((s) => s.peerAddress === ip || state.speakers[s.peer].name === q.neighbor);
    if (i < 0) throw new QueryError(`${sp.name} has no established session with ${JSON.stringify(q.neighbor)} (neighbours: ${sp.sessions.map((s) => formatIp(s.peerAddress)).join(', ') || 'none'})`);
    if (!q.direction) throw new QueryError('--neighbor needs --advertised or --received');
    return i;
  })();

  const sessions: BgpSessionView[] = [
    ...sp.sessions.map((s) => ({ neighbor: formatIp(s.peerAddress), peer: state.speakers[s.peer].name, remoteAs: state.speakers[s.peer].asn, type: s.type, state: 'Established' as const })),
    ...sp.down.map((d) => ({ neighbor: formatIp(d.address), peer: null, remoteAs: null, type: 'unknown', state: 'Down' as const, reason: d.reason })),
  ];
  let routes: BgpRibEntry[] = [];
  if (sessionIndex >= 0 && q.direction === 'advertised') {
    routes = state.advertised(sp.index, sessionIndex)
      .filter((a) => keep(a.prefix))
      .map((a) => entry(a, { best: false, multipath: false, peer: null, reason: `advertised to ${formatIp(sp.sessions[sessionIndex].peerAddress)}` }));
  } else {
    const single = prefix ? state.entry(sp.index, prefix) : null;
    for (const e of prefix ? (single ? [single] : []) : state.table(sp.index)) {
      if (!keep(e.prefix)) continue;
      e.paths.forEach((p, i) => {
        if (sessionIndex >= 0 && p.session !== sessionIndex) return;
        const best = i === e.selection.best;
        routes.push(
          entry(p.attrs, {
            best,
            multipath: e.selection.multipath.length > 1 && e.selection.multipath.includes(i),
            peer: p.session < 0 ? null : formatIp(p.peerAddress),
            reason: p.session < 0 ? `${e.selection.reasons[i]} (${p.source})` : e.selection.reasons[i],
          }),
        );
      });
    }
  }
  const view: BgpView = { router: sp.owner, edge: sp.edge, asn: sp.asn, routerId: formatIp(sp.routerId), sessions, routes };
  if (q.rejected) {
    const from = sessionIndex >= 0 ? state.speakers[sp.sessions[sessionIndex].peer].name : null;
    view.rejected = state.rejected(sp.index)
      .filter((r) => keep(r.prefix) && (!from || r.from === from))
      .map((r) => ({ prefix: formatPrefix(r.prefix), from: r.from, where: r.where, nextHop: r.attrs ? formatIp(r.attrs.nextHop) : null, asPath: r.attrs ? r.attrs.asPath.slice() : null, reason: r.reason }));
  }
  if (state.oscillation) view.oscillation = state.oscillation;
  return view;
}
