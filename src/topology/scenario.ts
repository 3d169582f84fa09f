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
}

/** Own, enumerable entries of a name-keyed map, in file order; tolerant of absent maps. */
export function entriesOf<T>(map: Record<string, T> | undefined): [string, T][] {
  if (!map || typeof map !== 'object') return [];
  return Object.keys(map).map((k) => [k, map[k]] as [string, T]);
}
