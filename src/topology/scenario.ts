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

export interface Tier0Spec {
  haMode?: HaMode;
  edgeCluster: string;
  internalTransitSubnet?: string;
  transitSubnet?: string;
  uplinks?: UplinkSpec[];
  staticRoutes?: StaticRouteSpec[];
}

export interface AdvertisementRuleSpec {
  name: string;
  action?: 'PERMIT' | 'DENY';
  subnets: string[];
  prefixOperator?: 'GE' | 'EQ';
  types?: Tier1AdvertisementType[];
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

export interface PhysicalRouterSpec {
  interfaces: RouterInterfaceSpec[];
  staticRoutes?: StaticRouteSpec[];
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
}

/** Own, enumerable entries of a name-keyed map, in file order; tolerant of absent maps. */
export function entriesOf<T>(map: Record<string, T> | undefined): [string, T][] {
  if (!map || typeof map !== 'object') return [];
  return Object.keys(map).map((k) => [k, map[k]] as [string, T]);
}
