// FRR configuration generated from a scenario's physical router (FRR dialect): the frr.conf a real
// FRRouting 8.4 router would run, plus the same text split per daemon (zebra, staticd, bgpd) so
// each daemon in the lab reads only commands it understands. Pure functions: no I/O, no root.
import { formatIp, parseIfAddr, parseIp } from '../../src/topology/ip.js';
import {
  entriesOf,
  type FrrNeighborSpec,
  type PhysicalRouterSpec,
  type RouteMapSet,
  type Scenario,
  type StaticRouteSpec,
} from '../../src/topology/scenario.js';

export interface FrrConfigOptions {
  /**
   * Lab timing knobs that change how fast FRR converges, never what it selects: `timers bgp 3 9`,
   * `neighbor X timers connect 1` and `neighbor X advertisement-interval 0`. Default true.
   */
  fastTimers?: boolean;
  /** `log file PATH` (omitted when absent). */
  logFile?: string;
}

export interface FrrRouterConfig {
  router: string;
  /** The BGP AS and router id written (null without a bgp section). */
  asn: number | null;
  routerId: string | null;
  /** The whole configuration, as `frr.conf`. */
  frrConf: string;
  /** The same commands split per daemon; staticd/bgpd are null when the router needs none. */
  daemons: { zebra: string; staticd: string | null; bgpd: string | null };
}

/** The scenario's default for both `maximum-paths` and `maximum-paths ibgp`. */
export const DEFAULT_MAXIMUM_PATHS = 64;
/** `neighbor X allowas-in` without a count means 3 in FRR. */
export const DEFAULT_ALLOWAS_IN = 3;

const WELL_KNOWN: Record<string, string> = {
  NO_EXPORT: 'no-export',
  'no-export': 'no-export',
  NO_ADVERTISE: 'no-advertise',
  'no-advertise': 'no-advertise',
  NO_EXPORT_SUBCONFED: 'local-AS',
  'no-export-subconfed': 'local-AS',
  internet: 'internet',
};

/** Splits a scenario community string into FRR standard and large communities. */
export function splitCommunities(text: string): { standard: string[]; large: string[] } {
  const standard: string[] = [];
  const large: string[] = [];
  for (const tok of text.split(/\s+/).filter(Boolean)) {
    if (/^\d+:\d+:\d+$/.test(tok)) large.push(tok);
    else if (/^\d+:\d+$/.test(tok)) standard.push(tok);
    else if (Object.hasOwn(WELL_KNOWN, tok)) standard.push(WELL_KNOWN[tok]);
    else throw new Error(`unsupported community ${JSON.stringify(tok)}`);
  }
  return { standard, large };
}

/** Highest interface address of a router (FRR's own choice is similar; we always write it). */
export function defaultRouterId(r: PhysicalRouterSpec): string | null {
  let best: number | null = null;
  for (const itf of r.interfaces ?? []) {
    const a = parseIfAddr(itf.ip);
    if (a && (best === null || a.ip > best)) best = a.ip;
  }
  return best === null ? null : formatIp(best);
}

function staticLines(routes: StaticRouteSpec[] | undefined): string[] {
  const out: string[] = [];
  for (const r of routes ?? []) {
    if (r.enabled === false) continue;
    for (const nh of r.nextHops) {
      const spec = typeof nh === 'string' ? { ip: nh } : nh;
      const target = spec.blackhole ? 'blackhole' : spec.ip;
      if (target === undefined) throw new Error(`static route ${r.network}: next hop without ip or blackhole`);
      const distance = spec.distance !== undefined && spec.distance !== 1 ? ` ${spec.distance}` : '';
      out.push(`ip route ${r.network} ${target}${distance}`);
    }
  }
  return out;
}

function prefixListLines(r: PhysicalRouterSpec): string[] {
  const out: string[] = [];
  for (const [name, entries] of entriesOf(r.prefixLists)) {
    let max = 0;
    for (const e of entries) {
      // FRR's automatic numbering: the next multiple of 5 above the highest seq so far.
      const seq = e.seq ?? Math.floor(max / 5) * 5 + 5;
      max = Math.max(max, seq);
      const ge = e.ge !== undefined ? ` ge ${e.ge}` : '';
      const le = e.le !== undefined ? ` le ${e.le}` : '';
      out.push(`ip prefix-list ${name} seq ${seq} ${e.action} ${e.prefix}${ge}${le}`);
    }
  }
  return out;
}

/** Community lists holding only large communities become `bgp large-community-list`s. */
function communityListKinds(r: PhysicalRouterSpec): Map<string, 'standard' | 'large'> {
  const kinds = new Map<string, 'standard' | 'large'>();
  for (const [name, entries] of entriesOf(r.communityLists)) {
    let kind: 'standard' | 'large' | null = null;
    for (const e of entries) {
      const c = splitCommunities(e.communities);
      const k = c.large.length && !c.standard.length ? 'large' : !c.large.length ? 'standard' : null;
      if (k === null || (kind !== null && k !== kind)) throw new Error(`community list ${name} mixes standard and large communities`);
      kind = k;
    }
    kinds.set(name, kind ?? 'standard');
  }
  return kinds;
}

function communityListLines(r: PhysicalRouterSpec, kinds: Map<string, 'standard' | 'large'>): string[] {
  const out: string[] = [];
  for (const [name, entries] of entriesOf(r.communityLists)) {
    const large = kinds.get(name) === 'large';
    for (const e of entries) {
      const c = splitCommunities(e.communities);
      out.push(`bgp ${large ? 'large-community-list' : 'community-list'} standard ${name} ${e.action} ${(large ? c.large : c.standard).join(' ')}`);
    }
  }
  return out;
}

function asPathListLines(r: PhysicalRouterSpec): string[] {
  const out: string[] = [];
  for (const [name, entries] of entriesOf(r.asPathLists)) {
    for (const e of entries) out.push(`bgp as-path access-list ${name} ${e.action} ${e.regex}`);
  }
  return out;
}

function setLines(set: RouteMapSet | undefined): string[] {
  if (!set) return [];
  const out: string[] = [];
  if (set.localPreference !== undefined) out.push(`set local-preference ${set.localPreference}`);
  if (set.med !== undefined) out.push(`set metric ${set.med}`);
  if (set.asPathPrepend !== undefined) out.push(`set as-path prepend ${set.asPathPrepend.trim().split(/\s+/).join(' ')}`);
  if (set.community !== undefined) {
    const c = splitCommunities(set.community);
    const additive = set.communityAdditive ? ' additive' : '';
    if (c.standard.length) out.push(`set community ${c.standard.join(' ')}${additive}`);
    if (c.large.length) out.push(`set large-community ${c.large.join(' ')}${additive}`);
  }
  if (set.weight !== undefined) out.push(`set weight ${set.weight}`);
  if (set.nextHopPeerAddress) out.push('set ip next-hop peer-address');
  return out;
}

function routeMapLines(r: PhysicalRouterSpec, kinds: Map<string, 'standard' | 'large'>): string[] {
  const out: string[] = [];
  for (const [name, entries] of entriesOf(r.routeMaps)) {
    for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
      out.push(`route-map ${name} ${e.action} ${e.seq}`);
      if (e.match?.prefixList !== undefined) out.push(` match ip address prefix-list ${e.match.prefixList}`);
      if (e.match?.communityList !== undefined) {
        const large = kinds.get(e.match.communityList) === 'large';
        out.push(` match ${large ? 'large-community' : 'community'} ${e.match.communityList}`);
      }
      if (e.match?.asPathList !== undefined) out.push(` match as-path ${e.match.asPathList}`);
      for (const l of setLines(e.set)) out.push(` ${l}`);
      out.push('exit', '!');
    }
  }
  return out;
}

function neighborAfLines(n: FrrNeighborSpec): string[] {
  const a = n.address;
  const out: string[] = [];
  if (n.nextHopSelf) out.push(`neighbor ${a} next-hop-self`);
  if (n.defaultOriginate) out.push(`neighbor ${a} default-originate`);
  if (n.allowAsIn !== undefined && n.allowAsIn !== false) {
    out.push(`neighbor ${a} allowas-in ${n.allowAsIn === true ? DEFAULT_ALLOWAS_IN : n.allowAsIn}`);
  }
  if (n.weight !== undefined) out.push(`neighbor ${a} weight ${n.weight}`);
  if (n.prefixListIn !== undefined) out.push(`neighbor ${a} prefix-list ${n.prefixListIn} in`);
  if (n.prefixListOut !== undefined) out.push(`neighbor ${a} prefix-list ${n.prefixListOut} out`);
  if (n.routeMapIn !== undefined) out.push(`neighbor ${a} route-map ${n.routeMapIn} in`);
  if (n.routeMapOut !== undefined) out.push(`neighbor ${a} route-map ${n.routeMapOut} out`);
  return out;
}

function bgpLines(r: PhysicalRouterSpec, routerId: string, fast: boolean): string[] {
  const b = r.bgp!;
  const out: string[] = [`router bgp ${b.asn}`, ` bgp router-id ${routerId}`];
  out.push(b.ebgpRequiresPolicy ? ' bgp ebgp-requires-policy' : ' no bgp ebgp-requires-policy');
  // nsx-twin has no arrival time: equal eBGP paths go to the lower router id. Without this FRR
  // keeps the older path, which depends on timing and made the comparison flaky.
  out.push(' bgp bestpath compare-routerid');
  if (b.multipathRelax) out.push(' bgp bestpath as-path multipath-relax');
  if (b.alwaysCompareMed) out.push(' bgp always-compare-med');
  if (fast) out.push(' timers bgp 3 9', ' coalesce-time 100');
  for (const n of b.neighbors ?? []) {
    out.push(` neighbor ${n.address} remote-as ${n.remoteAs}`);
    if (fast) out.push(` neighbor ${n.address} timers connect 1`, ` neighbor ${n.address} advertisement-interval 0`);
  }
  out.push(' !', ' address-family ipv4 unicast');
  for (const p of b.networks ?? []) out.push(`  network ${p}`);
  for (const d of b.redistribute ?? []) out.push(`  redistribute ${d.type}${d.routeMap !== undefined ? ` route-map ${d.routeMap}` : ''}`);
  for (const a of b.aggregates ?? []) out.push(`  aggregate-address ${a.prefix}${a.summaryOnly ? ' summary-only' : ''}`);
  for (const n of b.neighbors ?? []) for (const l of neighborAfLines(n)) out.push(`  ${l}`);
  out.push(`  maximum-paths ${b.maximumPaths ?? DEFAULT_MAXIMUM_PATHS}`);
  out.push(`  maximum-paths ibgp ${b.maximumPathsIbgp ?? DEFAULT_MAXIMUM_PATHS}`);
  out.push(' exit-address-family', 'exit', '!');
  return out;
}

const section = (lines: string[]) => (lines.length ? [...lines, '!'] : []);

/** The FRR configuration of one physical router of the scenario. */
export function frrConfig(scenario: Scenario, router: string, opts: FrrConfigOptions = {}): FrrRouterConfig {
  const r = scenario.physicalRouters?.[router];
  if (!r) throw new Error(`no physical router named ${JSON.stringify(router)}`);
  const fast = opts.fastTimers ?? true;
  const header = ['frr defaults traditional', `hostname ${router}`, ...(opts.logFile ? [`log file ${opts.logFile}`] : []), '!'];
  const statics = section(staticLines(r.staticRoutes));
  let routerId: string | null = null;
  let policy: string[] = [];
  let bgp: string[] = [];
  if (r.bgp) {
    routerId = r.bgp.routerId ?? defaultRouterId(r);
    if (routerId === null || parseIp(routerId) === null) throw new Error(`${router}: no router id (no interface address)`);
    const kinds = communityListKinds(r);
    policy = [
      ...section(prefixListLines(r)),
      ...section(communityListLines(r, kinds)),
      ...section(asPathListLines(r)),
      ...routeMapLines(r, kinds),
    ];
    bgp = bgpLines(r, routerId, fast);
  }
  const text = (lines: string[]) => [...lines, 'end', ''].join('\n');
  return {
    router,
    asn: r.bgp?.asn ?? null,
    routerId,
    frrConf: text([...header, ...statics, ...policy, ...bgp]),
    daemons: {
      zebra: text(header),
      staticd: statics.length ? text([...header, ...statics]) : null,
      bgpd: r.bgp ? text([...header, ...policy, ...bgp]) : null,
    },
  };
}
