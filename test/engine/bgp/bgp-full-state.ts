// What the BGP tests that compare two runs on full state share: every view of a BGP state as text
// (each speaker's table with every path attribute, source, session and selection reason, its
// originated paths, stopped paths, what it advertises on every session, rounds, oscillation, the
// RIB routes BGP installs), the scenario files such tests run on, and a generated fabric with
// policies of every kind (memoized per attribute set, run per prefix, an aggregate).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BgpState } from '../../../src/engine/bgp/control-plane.js';
import type { PathAttributes } from '../../../src/engine/bgp/policy.js';
import type { BgpPath, LocalRoute, RejectedPath } from '../../../src/engine/bgp/types.js';
import { expand } from '../../../src/engine/model/expand.js';
import { computeRoutes, type RibRoute } from '../../../src/engine/ribs/routes.js';
import { injectedRoutes } from '../../../src/engine/fib/load-balancer.js';
import { realize } from '../../../src/topology/realize/index.js';
import { generateSize } from '../../../src/topology/generate.js';
import { formatPrefix } from '../../../src/topology/ip.js';
import type { Scenario } from '../../../src/topology/scenario.js';
import type { BgpState as PrevState } from '../../../bench/old/bgp-control-plane-2.js';

export const attrsText = (a: PathAttributes | null): string =>
  a ? `${formatPrefix(a.prefix)} nh ${a.nextHop} as [${a.asPath.join(' ')}] ${a.origin} med ${a.med} lp ${a.localPref} c [${a.communities.join(' ')}] lc [${a.largeCommunities.join(' ')}] w ${a.weight}` : '-';
export const pathText = (p: BgpPath): string => `${p.source} | s ${p.session} ${p.peerType} ${p.peerRouterId} ${p.peerAddress} | ${p.invalid ?? ''} | ${attrsText(p.attrs)}`;
export const rejectedText = (r: RejectedPath): string => `${formatPrefix(r.prefix)} from ${r.from} ${r.where}: ${r.reason} | ${attrsText(r.attrs)}`;
export const localText = (l: LocalRoute): string => `${l.source} | ${l.invalid ?? ''} | ${attrsText(l.attrs)}`;
export const ribText = (r: Omit<RibRoute, 'id' | 'selected'>): string =>
  `${r.component} ${formatPrefix(r.prefix)} ${r.type} ${r.distance} ${r.origin} ${r.inactive ?? ''} ${r.nextHops.map((h) => `${h.ip}/${h.interface}/${h.blackhole}/${h.via?.map((v) => `${v.ip}@${v.interface}`).join('+') ?? ''}`).join(',')}`;

/** One engine's full result, as text, read through what every engine exposes. */
export interface Full {
  rounds: number;
  oscillation: string;
  speakers: {
    name: string;
    local: string[];
    table: string[];
    rejected: string[];
    advertised: string[][];
  }[];
  rib: string[];
}

type Entry = { prefix: { addr: number; len: number }; paths: readonly BgpPath[]; selection: { best: number; multipath: readonly number[]; reasons: readonly string[] } };
export const entryText = (e: Entry): string =>
  `${formatPrefix(e.prefix)} best ${e.selection.best} mp ${e.selection.multipath.join(',')} | ${e.selection.reasons.join('; ')} | ${e.paths.map(pathText).join(' / ')}`;

export function fullOf(st: BgpState | PrevState, rib: Omit<RibRoute, 'id' | 'selected'>[]): Full {
  return {
    rounds: st.rounds,
    oscillation: JSON.stringify(st.oscillation),
    speakers: st.speakers.map((sp) => ({
      name: sp.name,
      local: sp.local.map(localText),
      table: st.table(sp.index).map(entryText),
      rejected: st.rejected(sp.index).map(rejectedText),
      advertised: sp.sessions.map((_, si) => st.advertised(sp.index, si).map(attrsText)),
    })),
    rib: rib.map(ribText),
  };
}

export interface Built {
  rs: Scenario;
  net: ReturnType<typeof expand>;
  base: ReturnType<typeof computeRoutes>;
}

export function build(s: Scenario): Built {
  const rz = realize(s);
  const rs = rz.scenario;
  const net = expand(rs);
  return { rs, net, base: computeRoutes(rs, net, injectedRoutes(rz.avi)) };
}

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? yamlFiles(p) : f.endsWith('.yaml') ? [p] : [];
    })
    .sort();
}

export const root = (rel: string) => fileURLToPath(new URL(`../../../${rel}`, import.meta.url));
export const FILES = [...yamlFiles(root('scenarios')), ...yamlFiles(root('test/frr/topologies')), ...yamlFiles(root('test/fixtures/bgp'))];

/** A generated BGP fabric with policies on both dialects: route maps that cannot read the prefix
 * (memoized per attribute set), prefix lists and route maps that match on them (run per prefix),
 * a redistribution rule that denies, communities and local preference set on the way. */
export function withPolicies(tier1s: number): Scenario {
  const s = structuredClone(generateSize('S', { tier1s, virtualServices: tier1s * 2 }));
  const t0 = Object.values(s.tier0s!)[0];
  // Address-based lists: paths with the same attributes get different verdicts by prefix.
  t0.prefixLists = {
    p24: [
      { network: '10.0.16.0/20', le: 32, action: 'DENY' },
      { network: 'ANY', ge: 24, le: 24, action: 'PERMIT' },
    ],
    half: [
      { network: '10.0.0.0/20', le: 24, action: 'PERMIT' },
      { network: '172.24.0.12/30', le: 32, action: 'PERMIT' },
    ],
  };
  t0.routeMaps = {
    tag: [{ action: 'PERMIT', set: { community: '65000:100', med: 10 } }],
    only24: [{ action: 'PERMIT', prefixLists: ['p24'], set: { asPathPrepend: '65000' } }],
    someSegments: [{ action: 'PERMIT', prefixLists: ['half'], set: { med: 5 } }],
    never: [{ action: 'DENY' }],
  };
  t0.redistribution = [
    { name: 'vips', types: ['TIER1_LB_VIP'], routeMap: 'tag' },
    { name: 'segments', types: ['TIER1_CONNECTED'], routeMap: 'someSegments' },
    { name: 'other-segments', types: ['TIER1_CONNECTED'], routeMap: 'only24' },
    { name: 'fallback', types: ['TIER1_CONNECTED'], routeMap: 'never' },
  ];
  const n = t0.bgp!.neighbors!;
  n[0].out = { routeMap: 'tag' };
  n[1].out = { prefixList: 'half' };
  n[2].in = { routeMap: 'never' };
  n[3].in = { routeMap: 'tag' };
  n[4].out = { routeMap: 'only24' };
  const tors = Object.values(s.physicalRouters!);
  tors[0].communityLists = { c100: [{ action: 'permit', communities: '65000:100' }] };
  tors[0].routeMaps = { lp: [{ seq: 10, action: 'permit', match: { communityList: 'c100' }, set: { localPreference: 200 } }, { seq: 20, action: 'permit', set: { weight: 7 } }] };
  tors[0].bgp!.neighbors![0].routeMapIn = 'lp';
  tors[1].prefixLists = {
    agg: [
      { action: 'permit', prefix: '10.0.0.0/20', le: 24 },
      { action: 'permit', prefix: '172.24.0.8/29', le: 32 },
    ],
  };
  tors[2].prefixLists = tors[1].prefixLists;
  tors[2].bgp!.neighbors![0].prefixListIn = 'agg';
  tors[2].bgp!.neighbors![1].routeMapIn = 'out';
  tors[1].routeMaps = { out: [{ seq: 5, action: 'permit', match: { prefixList: 'agg' } }] };
  tors[2].routeMaps = tors[1].routeMaps;
  tors[1].bgp!.neighbors![1].routeMapIn = 'out';
  tors[1].bgp!.neighbors![2].routeMapOut = 'out';
  tors[2].bgp!.aggregates = [{ prefix: '10.0.0.0/8', summaryOnly: true }];
  return s;
}

