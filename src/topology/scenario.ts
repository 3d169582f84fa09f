// The scenario document as users write it (YAML or JSON), after validation. Names are map keys,
// exactly as written in NSX. This is data only: the engine's modules take it as an argument.

export type HaMode = 'ACTIVE_ACTIVE' | 'ACTIVE_STANDBY';

export const TIER1_ADVERTISEMENT_TYPES = [
  'TIER1_CONNECTED',
  'TIER1_STATIC_ROUTES',
  'TIER1_NAT',
  'TIER1_LB_VIP',
  'TIER1_LB_SNAT',
  'TIER1_DNS_FORWARDER_IP',
  'TIER1_IPSEC_LOCAL_ENDPOINT',
] as const;
export type Tier1AdvertisementType = (typeof TIER1_ADVERTISEMENT_TYPES)[number];

/** Stateful services that need a service router (SR) on an edge. */
export const GATEWAY_SERVICES = ['NAT', 'LOAD_BALANCER', 'GATEWAY_FIREWALL', 'VPN', 'DHCP', 'DNS_FORWARDER'] as const;
export type GatewayService = (typeof GATEWAY_SERVICES)[number];

export interface TransportNodeSpec {
  type: 'host' | 'edge';
  tep: string;
}

export interface EdgeClusterSpec {
  members: string[];
}

export interface NextHopSpec {
  /** Next-hop address; absent when `blackhole` is set. */
  ip?: string;
  /** A null route: matching packets are dropped (NULL_ROUTED). */
  blackhole?: boolean;
  /** Administrative distance, 1-255, default 1. */
  distance?: number;
}

export interface StaticRouteSpec {
  name?: string;
  network: string;
  nextHops: (NextHopSpec | string)[];
  enabled?: boolean;
}

export interface UplinkSpec {
  name?: string;
  edge: string;
  segment: string;
  ip: string;
}

export const TIER0_REDISTRIBUTION_TYPES = [
  'TIER0_STATIC',
  'TIER0_CONNECTED',
  'TIER0_EXTERNAL_INTERFACE',
  'TIER0_LOOPBACK_INTERFACE',
  'TIER0_SEGMENT',
  'TIER0_ROUTER_LINK',
  'TIER0_SERVICE_INTERFACE',
  'TIER0_DNS_FORWARDER_IP',
  'TIER0_IPSEC_LOCAL_IP',
  'TIER0_NAT',
  'TIER0_EVPN_TEP_IP',
  'TIER1_CONNECTED',
  'TIER1_STATIC',
  'TIER1_NAT',
  'TIER1_LB_VIP',
  'TIER1_LB_SNAT',
  'TIER1_DNS_FORWARDER_IP',
  'TIER1_SERVICE_INTERFACE',
  'TIER1_SEGMENT',
  'TIER1_IPSEC_LOCAL_ENDPOINT',
] as const;
export type Tier0RedistributionType = (typeof TIER0_REDISTRIBUTION_TYPES)[number];

// ---- Routing policy (shared shapes; NSX on Tier-0s, FRR on physical routers) -------------------

/** NSX prefix-list entry: network is a prefix or the literal "ANY". */
export interface NsxPrefixEntry {
  network: string;
  action?: 'PERMIT' | 'DENY';
  ge?: number;
  le?: number;
}

/** FRR `ip prefix-list NAME seq N permit|deny PREFIX [ge N] [le N]`. */
export interface FrrPrefixEntry {
  seq?: number;
  action: 'permit' | 'deny';
  prefix: string;
  ge?: number;
  le?: number;
}

export interface NsxCommunityMatch {
  communityList: string;
  operator?: 'MATCH_ANY' | 'MATCH_ALL' | 'MATCH_EXACT';
}

/** Attribute changes applied by a permitting route-map entry. */
export interface RouteMapSet {
  localPreference?: number;
  med?: number;
  /** AS numbers prepended, e.g. "65146 65146". */
  asPathPrepend?: string;
  /** Communities, space separated: "65146:100", large "65146:1:2", well-known NO_EXPORT etc. */
  community?: string;
  /** FRR only: add to the route's communities instead of replacing them. */
  communityAdditive?: boolean;
  weight?: number;
  /** FRR only: `set ip next-hop peer-address`. */
  nextHopPeerAddress?: boolean;
}

export interface NsxRouteMapEntry {
  action: 'PERMIT' | 'DENY';
  prefixLists?: string[];
  communityLists?: NsxCommunityMatch[];
  set?: RouteMapSet;
}

export interface FrrRouteMapEntry {
  seq: number;
  action: 'permit' | 'deny';
  match?: { prefixList?: string; communityList?: string; asPathList?: string };
  set?: RouteMapSet;
}

export interface FrrCommunityListEntry {
  action: 'permit' | 'deny';
  /** Space-separated communities that must all be present, e.g. "65100:1 no-export". */
  communities: string;
}

export interface FrrAsPathListEntry {
  action: 'permit' | 'deny';
  /** FRR AS-path regular expression, e.g. "^65100_" or "_65146$". */
  regex: string;
}

export interface RouteFilterSpec {
  prefixList?: string;
  routeMap?: string;
}

export interface Tier0BgpNeighborSpec {
  name?: string;
  address: string;
  remoteAs: number;
  /** Uplink addresses the session is sourced from (default: each SR's uplink in the neighbour's subnet). */
  sourceAddresses?: string[];
  allowAsIn?: boolean;
  in?: RouteFilterSpec;
  out?: RouteFilterSpec;
}

export interface Tier0BgpSpec {
  localAs: number;
  enabled?: boolean;
  ecmp?: boolean;
  multipathRelax?: boolean;
  interSrIbgp?: boolean;
  neighbors?: Tier0BgpNeighborSpec[];
  aggregations?: { prefix: string; summaryOnly?: boolean }[];
}

export interface RedistributionRuleSpec {
  name: string;
  types: Tier0RedistributionType[];
  routeMap?: string;
}

export interface Tier0Spec {
  haMode?: HaMode;
  edgeCluster: string;
  internalTransitSubnet?: string;
  transitSubnet?: string;
  uplinks?: UplinkSpec[];
  staticRoutes?: StaticRouteSpec[];
  bgp?: Tier0BgpSpec;
  /** route_redistribution_config rules (into BGP). Nothing is redistributed without one. */
  redistribution?: RedistributionRuleSpec[];
  prefixLists?: Record<string, NsxPrefixEntry[]>;
  /** Communities per list: "aa:nn", "aa:bb:nn", NO_EXPORT, NO_ADVERTISE, NO_EXPORT_SUBCONFED. */
  communityLists?: Record<string, string[]>;
  routeMaps?: Record<string, NsxRouteMapEntry[]>;
  /** Gateway firewall, enforced on the Tier-0's SRs. */
  gatewayFirewall?: FirewallRuleSpec[];
  /** NAT rules on the Tier-0's SRs (an ACTIVE_ACTIVE Tier-0 accepts only REFLEXIVE). */
  nat?: NatRuleSpec[];
}

export interface AdvertisementRuleSpec {
  name: string;
  action?: 'PERMIT' | 'DENY';
  subnets: string[];
  prefixOperator?: 'GE' | 'EQ';
  types?: Tier1AdvertisementType[];
}

/** A firewall rule: first match wins; no match allows (NSX's default rule). */
export interface FirewallRuleSpec {
  name: string;
  action: 'ALLOW' | 'DROP' | 'REJECT';
  /** CIDRs, addresses, ANY, or names of segments, workloads and physical hosts (default ANY). */
  sources?: string[];
  destinations?: string[];
  /** "tcp/80", "udp/53", "tcp/8000-8100", "icmp", "ANY" (default ANY). */
  services?: string[];
  enabled?: boolean;
}

/** A NAT rule on a gateway's SR (sections INTERNAL < USER < DEFAULT, then sequence; first match wins). */
export interface NatRuleSpec {
  name: string;
  action: 'SNAT' | 'DNAT' | 'REFLEXIVE' | 'NO_SNAT' | 'NO_DNAT';
  section?: 'INTERNAL' | 'USER' | 'DEFAULT';
  sequence?: number;
  /** Address or prefix (absent = any). */
  source?: string;
  destination?: string;
  /** Address or prefix (a pool; REFLEXIVE maps 1:1 by offset). Not for NO_SNAT/NO_DNAT. */
  translated?: string;
  /** DNAT: the destination port to translate to (with `service`). */
  translatedPort?: number;
  /** DNAT: the service whose destination port is matched, e.g. tcp/8443. */
  service?: string;
  enabled?: boolean;
}

export interface Tier1Spec {
  tier0?: string;
  edgeCluster?: string;
  /** SR placement inside the edge cluster, active first (default: the cluster's first two edges). */
  edges?: string[];
  haMode?: HaMode;
  advertise?: Tier1AdvertisementType[];
  advertisementRules?: AdvertisementRuleSpec[];
  staticRoutes?: StaticRouteSpec[];
  services?: GatewayService[];
  /** Gateway firewall, enforced on the Tier-1's SR (needs an edge cluster). */
  gatewayFirewall?: FirewallRuleSpec[];
  /** NAT rules on the Tier-1's SR (needs an edge cluster). */
  nat?: NatRuleSpec[];
}

export interface SegmentSpec {
  type?: 'overlay' | 'vlan';
  vlan?: number;
  /** Gateway address in CIDR form, e.g. 10.146.50.1/24 (the DR downlink). */
  gateway?: string;
  /** Subnet of a segment without a gateway (e.g. an uplink VLAN), e.g. 10.146.10.0/24. */
  subnet?: string;
  tier0?: string;
  tier1?: string;
}

export interface WorkloadSpec {
  host: string;
  segment: string;
  ip: string;
  /** Set by realization only (not in the file format): what a created workload is. */
  readonly role?: 'SERVICE_ENGINE' | 'K8S_NODE' | 'POD';
}

export interface RouterInterfaceSpec {
  name: string;
  ip: string;
  segment?: string;
  /** Leads out of the modelled network: packets sent here end in EXITS_NETWORK. */
  external?: boolean;
}

export interface FrrNeighborSpec {
  address: string;
  remoteAs: number;
  routeMapIn?: string;
  routeMapOut?: string;
  prefixListIn?: string;
  prefixListOut?: string;
  nextHopSelf?: boolean;
  defaultOriginate?: boolean;
  /** `neighbor X allowas-in N` (true = 3, FRR's default count). */
  allowAsIn?: boolean | number;
  weight?: number;
}

export interface FrrBgpSpec {
  asn: number;
  routerId?: string;
  /** FRR's `bgp ebgp-requires-policy` (FRR's own default is on; the scenario default is off). */
  ebgpRequiresPolicy?: boolean;
  /** `maximum-paths` (eBGP) and `maximum-paths ibgp`; default 64 like FRR (the FIB keeps settings.maxEcmp). */
  maximumPaths?: number;
  maximumPathsIbgp?: number;
  /** `bgp bestpath as-path multipath-relax`. */
  multipathRelax?: boolean;
  /** `bgp always-compare-med`. */
  alwaysCompareMed?: boolean;
  neighbors?: FrrNeighborSpec[];
  /** `network PREFIX` statements (originated when the prefix is in the routing table). */
  networks?: string[];
  redistribute?: { type: 'connected' | 'static'; routeMap?: string }[];
  aggregates?: { prefix: string; summaryOnly?: boolean }[];
}

export interface PhysicalRouterSpec {
  interfaces: RouterInterfaceSpec[];
  staticRoutes?: StaticRouteSpec[];
  bgp?: FrrBgpSpec;
  prefixLists?: Record<string, FrrPrefixEntry[]>;
  communityLists?: Record<string, FrrCommunityListEntry[]>;
  asPathLists?: Record<string, FrrAsPathListEntry[]>;
  routeMaps?: Record<string, FrrRouteMapEntry[]>;
}

export interface PhysicalHostSpec {
  ip: string;
  gateway?: string;
  segment?: string;
}

export interface SettingsSpec {
  /** Hop budget of a trace (IP TTL). */
  ttl?: number;
  /** Most ECMP next hops installed per route (NSX: 8). */
  maxEcmp?: number;
  /** Most paths a single trace enumerates before it reports truncation. */
  maxPaths?: number;
}

export interface Scenario {
  name?: string;
  description?: string;
  extends?: string;
  settings?: SettingsSpec;
  transportNodes: Record<string, TransportNodeSpec>;
  edgeClusters?: Record<string, EdgeClusterSpec>;
  tier0s?: Record<string, Tier0Spec>;
  tier1s?: Record<string, Tier1Spec>;
  segments?: Record<string, SegmentSpec>;
  workloads?: Record<string, WorkloadSpec>;
  physicalRouters?: Record<string, PhysicalRouterSpec>;
  physicalHosts?: Record<string, PhysicalHostSpec>;
  /** Failed objects: transport nodes (edges, hosts), physical routers or hosts, workloads. */
  failed?: string[];
  /** Distributed firewall, enforced at every workload's vNIC (leaving the source, entering the destination). */
  distributedFirewall?: FirewallRuleSpec[];
  /** NSX Advanced Load Balancer: cloud, networks, SE groups, pools, virtual services. */
  avi?: AviSpec;
  /** Kubernetes clusters: what NCP creates in NSX, and what AKO creates in Avi. */
  kubernetes?: Record<string, K8sClusterSpec>;
}

/**
 * The entry a name refers to in a name-keyed map, own properties only: a name such as
 * `constructor`, `valueOf` or `__proto__` never reaches Object.prototype. Undefined when absent.
 */
export function ownEntry<T>(map: Readonly<Record<string, T>> | undefined, name: string | undefined): T | undefined {
  if (!map || typeof map !== 'object' || name === undefined) return undefined;
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/** A fresh name-keyed map without a prototype: assigning any name (even `__proto__`) stores data. */
export function nameMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Own, enumerable entries of a name-keyed map, in file order; tolerant of absent maps. */
export function entriesOf<T>(map: Record<string, T> | undefined): [string, T][] {
  if (!map || typeof map !== 'object') return [];
  return keysOfMap(map).map((k) => [k, map[k]] as [string, T]);
}

/**
 * The names of a frozen map, listed once per map object. A loaded scenario is a deep-frozen
 * immer snapshot and an edit shares every map it did not touch: validating and building an edit
 * at scale would otherwise list 100,000 virtual services and 44,000 segments again (Object.keys
 * of a big map sorts its keys: tens of milliseconds each time).
 */
const frozenKeys = new WeakMap<object, readonly string[]>();

/** Objects found frozen (an object stays frozen): Object.isFrozen reads every property of a big map (~0.4 ms for 40,000 names). */
const knownFrozen = new WeakSet<object>();

/** Object.isFrozen, answered from knownFrozen for an object already found frozen (what per-edit checks of the scenario's big maps ask). */
export function isFrozenObject(o: object): boolean {
  if (knownFrozen.has(o)) return true;
  if (!Object.isFrozen(o)) return false;
  knownFrozen.add(o);
  return true;
}

/** Object.keys of a map (never to be modified), from frozenKeys when the map is frozen. */
export function keysOfMap(map: object): readonly string[] {
  // Looked up first: only frozen maps are held (and stay frozen), and Object.isFrozen reads every
  // property of a big map (~2 ms for 100,000 names).
  let k = frozenKeys.get(map);
  if (k !== undefined) return k;
  if (!isFrozenObject(map)) return Object.keys(map);
  frozenKeys.set(map, (k = Object.freeze(Object.keys(map))));
  return k;
}

/**
 * The names of `map` whose entry is not `before`'s very object — added or replaced by an edit
 * (immer shares every entry an edit left alone) — in map order. Validation, its schema cut and
 * realization all ask this of the same edited map: for frozen maps it is computed once per pair
 * (a few pairs per map), and a pair two known edits link (an undo, against the map before the
 * edit it undoes) is found from those edits' names instead of a pass over the map.
 */
export function changedNames(map: object, before: object): readonly string[] {
  // (Only pairs of frozen maps are held: looked up before Object.isFrozen reads every property.)
  const known = changedOf.get(map);
  const direct = known?.find((x) => x.before === before);
  if (direct !== undefined) return direct.names;
  const m = map as Readonly<Record<string, unknown>>;
  const b = before as Readonly<Record<string, unknown>>;
  // Two edits known (an undo: `map` from a middle map, that one from `before`): only the names
  // either changed can differ (a name neither touched is the middle map's entry, and `before`'s).
  for (const step of known ?? []) {
    const via = changedOf.get(step.before)?.find((x) => x.before === before);
    if (via === undefined || step.names.length + via.names.length > FEW_CHANGED) continue;
    const order = keysOfMap(map);
    const names = [...new Set([...step.names, ...via.names])].filter((key) => Object.hasOwn(m, key) && (m[key] !== b[key] || !Object.hasOwn(b, key)));
    names.sort((x, y) => order.indexOf(x) - order.indexOf(y));
    remember(map, before, names);
    return names;
  }
  const frozen = isFrozenObject(map) && isFrozenObject(before);
  const names: string[] = [];
  for (const key of keysOfMap(map)) {
    const v = m[key];
    // An equal object is `before`'s own entry (no prototype holds scenario objects); anything else is asked.
    if (v !== b[key] || ((v === null || typeof v !== 'object') && !Object.hasOwn(b, key))) names.push(key);
  }
  if (frozen) remember(map, before, names);
  return names;
}

/** Keeps the names changed from `before` beside the ones known from other maps (the latest few: validation and realization ask several pairs of one edited map). */
function remember(map: object, before: object, names: readonly string[]): void {
  const list = changedOf.get(map);
  if (list === undefined) changedOf.set(map, [{ before, names }]);
  else {
    if (list.length >= KEPT_PAIRS) list.shift();
    list.push({ before, names });
  }
}

/** How many maps each map's changed names are kept against. */
const KEPT_PAIRS = 4;

const changedOf = new WeakMap<object, { readonly before: object; readonly names: readonly string[] }[]>();

/** Most names two known edits may have changed for changedNames to check only those (each is placed in map order by a search of its names). */
const FEW_CHANGED = 16;

/**
 * When one of two maps is the other's very entries, in the same order, followed by more names
 * (entries added after the others, or the last ones removed): how many names they share; else -1
 * (the same number of names included).
 */
export function sharedHead(a: object, b: object): number {
  const known = headOf.get(b);
  if (known !== undefined && known.a === a) return known.n;
  const x = keysOfMap(a);
  const y = keysOfMap(b);
  if (x.length === y.length) return -1;
  const n = Math.min(x.length, y.length);
  const ma = a as Readonly<Record<string, unknown>>;
  const mb = b as Readonly<Record<string, unknown>>;
  let head = n;
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i] || ma[x[i]] !== mb[y[i]]) {
      head = -1;
      break;
    }
  }
  // Frozen maps (their names held by keysOfMap) cannot change: realization and validation ask the same pair.
  if (frozenKeys.get(a) === x && frozenKeys.get(b) === y) headOf.set(b, { a, n: head });
  return head;
}

const headOf = new WeakMap<object, { readonly a: object; readonly n: number }>();

/**
 * Tells the name caches (keysOfMap, changedNames) what an immer edit of a frozen scenario changed,
 * from its patches: every object on a patch's path that the edit copied has the names of the one it
 * was copied from when no patch added or removed a name of it, and the names the patches went
 * through are its changed names. Validating and realizing the edit then list no map whose names
 * the edit left alone (a virtual service disabled at L: the 100,000-name map, tens of ms). A map
 * whose patches only replaced names and added new ones (a segment added) has the names of the
 * one it was copied from followed by the added ones, in the order they were added (an object
 * lists its names in insertion order; a name that reads as an array index would be listed first,
 * so such an edit is left to be listed when asked). A map whose patches only removed names and
 * replaced others (the undo of an addition) has the names of the one it was copied from but those
 * (a copy keeps the order of what it keeps).
 * Optional: without it the names are listed when first asked.
 */
export function noteEdit(before: unknown, after: unknown, patches: readonly { readonly op: string; readonly path: readonly (string | number)[] }[]): void {
  // Snapshots immer froze whole (every object an edit copies is frozen with its result): checked
  // at the top only, not map by map (Object.isFrozen reads every property of a big map).
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object' || !isFrozenObject(before) || !isFrozenObject(after)) return;
  const levels = new Map<object, { readonly was: object; readonly names: Set<string>; readonly added: string[]; readonly removed: string[]; renamed: boolean }>();
  for (const p of patches) {
    let a: unknown = before;
    let b: unknown = after;
    for (let d = 0; d < p.path.length; d++) {
      if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || a === b || Array.isArray(b)) break;
      let level = levels.get(b);
      if (level === undefined) levels.set(b, (level = { was: a, names: new Set(), added: [], removed: [], renamed: false }));
      const key = String(p.path[d]);
      // An object's new name is an `add`, a removed one a `remove` (immer replaces an existing name's value).
      if (d === p.path.length - 1 && p.op !== 'replace') {
        if (p.op === 'add' && !Object.hasOwn(a, key) && !level.names.has(key) && !isArrayIndex(key)) level.added.push(key);
        else if (p.op === 'remove' && Object.hasOwn(a, key) && !Object.hasOwn(b, key) && !level.names.has(key)) level.removed.push(key);
        else level.renamed = true;
      } else if (level.removed.includes(key)) level.renamed = true;
      level.names.add(key);
      a = (a as Record<string, unknown>)[key];
      b = (b as Record<string, unknown>)[key];
    }
  }
  for (const [map, { was, names, added, removed, renamed }] of levels) {
    if (renamed || Array.isArray(was) || (added.length && removed.length)) continue;
    let keys = frozenKeys.get(was);
    if (keys === undefined) frozenKeys.set(was, (keys = Object.freeze(Object.keys(was))));
    const gone = removed.length ? new Set(removed) : null;
    const all = added.length ? Object.freeze([...keys, ...added]) : gone !== null ? Object.freeze(keys.filter((k) => !gone.has(k))) : keys;
    if (!frozenKeys.has(map)) frozenKeys.set(map, all);
    // The changed names in map order (those of `was`, then the added ones; a removed name is no
    // name of the map): a few found by position, many by one pass.
    for (const k of removed) names.delete(k);
    const replaced = added.length ? [...names].filter((k) => !added.includes(k)) : [...names];
    const order = replaced.length <= 16 ? replaced.sort((x, y) => keys.indexOf(x) - keys.indexOf(y)) : keys.filter((k) => names.has(k));
    if (!changedOf.get(map)?.some((x) => x.before === was)) remember(map, was, added.length ? [...order, ...added] : order);
    // Names only added after the others (segments added): `was`'s very entries, then more.
    if (added.length && !replaced.length && frozenKeys.get(map) === all && !headOf.has(map)) headOf.set(map, { a: was, n: keys.length });
    // Only the last names removed (the undo of segments added): the map is `was`'s head.
    if (gone !== null && !replaced.length && frozenKeys.get(map) === all && !headOf.has(map) && keys.slice(keys.length - gone.size).every((k) => gone.has(k))) headOf.set(map, { a: was, n: keys.length - gone.size });
  }
}

/** An array index ("0", "17": a canonical integer below 2^32 - 1): an object lists such names before all others, out of insertion order. */
export const isArrayIndex = (k: string): boolean => /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;

/** Whether two maps have the same names in the same order (the same object, or two maps). */
export function sameKeys(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return false;
  return sameStrings(keysOfMap(a), keysOfMap(b));
}

/** The same strings in the same order (a list of names: no type dispatch per element). */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sets `key` as an own data property (a name such as `__proto__` stays data, never the prototype). */
export function defineOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---- NSX Advanced Load Balancer (Avi) -----------------------------------------------------------

export const SE_GROUP_HA_MODES = ['HA_MODE_SHARED', 'HA_MODE_SHARED_PAIR', 'HA_MODE_LEGACY_ACTIVE_STANDBY'] as const;
export type SeGroupHaMode = (typeof SE_GROUP_HA_MODES)[number];

/** An Avi VRF static route (per Tier-1 VRF). */
export interface AviStaticRouteSpec {
  network: string;
  nextHop: string;
}

/** One entry of the NSX cloud's data network config: a Tier-1 and its SE data segment (= one Avi VRF). */
export interface AviDataNetworkSpec {
  tier1: string;
  segment: string;
  /** Static routes of this Tier-1's Avi VRF (besides connected and the default route). */
  staticRoutes?: AviStaticRouteSpec[];
}

export interface AviCloudSpec {
  name: string;
  /** Overlay segment of the SEs' management NICs (optional). */
  managementSegment?: string;
  dataNetworks: AviDataNetworkSpec[];
  /** How NSX classifies the VIP/32 routes the controller injects: LB_VIP (t1l, default) or STATIC (t1s). */
  vipRouteType?: 'LB_VIP' | 'STATIC';
  /** Each Tier-1 VRF gets 0.0.0.0/0 → the data segment's gateway (default true). */
  vrfDefaultRoute?: boolean;
}

export interface AviIpRangeSpec {
  from: string;
  to: string;
  /** VIP (STATIC_IPS_FOR_VIP), SE (STATIC_IPS_FOR_SE) or VIP_AND_SE (default). */
  type?: 'VIP' | 'SE' | 'VIP_AND_SE';
}

export interface AviNetworkSpec {
  /** The NSX segment it mirrors (subnet taken from it), or a plain subnet (VIP-only networks). */
  segment?: string;
  subnet?: string;
  ranges?: AviIpRangeSpec[];
}

export interface ServiceEngineSpec {
  /** The ESXi transport node the SE VM runs on. */
  host: string;
  /** Fixed addresses per segment (data segments, management segment); otherwise allocated from SE ranges. */
  ips?: Record<string, string>;
}

export interface SeGroupSpec {
  haMode?: SeGroupHaMode;
  /** SEs per virtual service (HA_MODE_SHARED default 1, HA_MODE_SHARED_PAIR default 2). */
  minScaleoutPerVs?: number;
  maxVsPerSe?: number;
  /** PACKED (default) fills an SE before the next; DISTRIBUTED spreads. */
  algo?: 'PACKED' | 'DISTRIBUTED';
  serviceEngines: Record<string, ServiceEngineSpec>;
}

export interface PoolMemberSpec {
  ip: string;
  port?: number;
  enabled?: boolean;
}

export interface PoolSpec {
  members: PoolMemberSpec[];
  /** Port of members without their own (default: the VS service port). */
  defaultPort?: number;
  enabled?: boolean;
}

export interface VsServiceSpec {
  port: number;
  protocol?: 'TCP' | 'UDP';
  /** Pool for this port (default: the VS's pool). */
  pool?: string;
}

/** Content switching on an L7 VS: host and path prefix → pool. */
export interface HttpRouteSpec {
  host?: string;
  path?: string;
  pool: string;
}

export interface VirtualServiceSpec {
  /** The VsVip's tier1_lr: the Tier-1 the VIP route is injected on. */
  tier1: string;
  seGroup: string;
  /** A fixed VIP, or `network` to allocate from its VIP ranges. */
  vip: { address?: string; network?: string };
  services: VsServiceSpec[];
  pool?: string;
  httpRoutes?: HttpRouteSpec[];
  /** FQDNs registered in the VsVip's dns_info (served by the DNS VS). */
  fqdns?: string[];
  /** This VS is the Avi DNS service (System-DNS profile). */
  dns?: boolean;
  enabled?: boolean;
  trafficEnabled?: boolean;
}

export interface AviSpec {
  cloud: AviCloudSpec;
  networks?: Record<string, AviNetworkSpec>;
  seGroups?: Record<string, SeGroupSpec>;
  pools?: Record<string, PoolSpec>;
  virtualServices?: Record<string, VirtualServiceSpec>;
  /** DNS zones served by the DNS VS (for the FQDNs AKO generates). */
  dnsDomains?: string[];
}

// ---- Kubernetes clusters (TKGi/NCP, Antrea) and AKO --------------------------------------------

export interface K8sNodeSpec {
  host: string;
  role?: 'worker' | 'control-plane';
  /** Node address (NCP: allocated .11 upwards on the node subnet when absent). */
  ip?: string;
}

export interface K8sPodSpec {
  name: string;
  node: string;
  labels?: Record<string, string>;
  /** Pod address (NCP: allocated .2 upwards on the namespace's pod segment when absent). */
  ip?: string;
}

export interface K8sServicePortSpec {
  port: number;
  targetPort?: number;
  nodePort?: number;
  protocol?: 'TCP' | 'UDP';
}

export interface K8sServiceSpec {
  type?: 'LoadBalancer' | 'ClusterIP' | 'NodePort';
  selector: Record<string, string>;
  ports: K8sServicePortSpec[];
  /** AKO preferred IP (ako.vmware.com/load-balancer-ip). */
  loadBalancerIP?: string;
}

export interface K8sIngressSpec {
  rules: { host: string; paths: { path?: string; service: string; port: number }[] }[];
}

export interface NcpSpec {
  /** The cluster UUID; NCP names objects pks-<uuid>. */
  clusterId: string;
  tier0: string;
  edgeCluster: string;
  /** Name of the Tier-1 NCP creates (default t1-pks-<first 8 of the UUID>). */
  tier1?: string;
  nodeSubnet: string;
  podIpBlock: string;
  /** Prefix length of each namespace's pod subnet (default 24). */
  podSubnetLength?: number;
  floatingIpPool: string;
  /** SNAT every pod subnet to a floating IP (TKGi's NAT mode). */
  nat?: boolean;
}

export interface AkoSpec {
  clusterName: string;
  cniPlugin?: 'ncp' | 'antrea' | 'calico';
  serviceType?: 'ClusterIP' | 'NodePort' | 'NodePortLocal';
  /** Tier-1 name of the VIPs and pools (nsxtT1LR). */
  nsxtT1LR: string;
  /** Avi network the VIPs are allocated from (vipNetworkList). */
  vipNetwork: string;
  seGroup: string;
  autoFQDN?: 'default' | 'flat' | 'disabled';
  /** Subdomain of generated FQDNs (default: the first of avi.dnsDomains). */
  defaultDomain?: string;
  shardVSSize?: 'LARGE' | 'MEDIUM' | 'SMALL' | 'DEDICATED';
}

export interface K8sClusterSpec {
  /** ncp: TKGi BYOT (NCP creates the NSX objects); antrea: nodes on an existing segment, pods invisible to NSX. */
  cni: 'ncp' | 'antrea';
  ncp?: NcpSpec;
  /** Antrea: the NSX segment the nodes sit on. */
  nodeSegment?: string;
  nodes: Record<string, K8sNodeSpec>;
  /** NCP: namespaces in creation order (each gets a pod segment). */
  namespaces?: string[];
  /** Pods per namespace. */
  pods?: Record<string, K8sPodSpec[]>;
  /** Services by "namespace/name". */
  services?: Record<string, K8sServiceSpec>;
  /** Ingresses by "namespace/name". */
  ingresses?: Record<string, K8sIngressSpec>;
  ako?: AkoSpec;
}
