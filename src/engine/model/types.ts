// The expanded network model: every gateway as its DR and SR components, their interfaces and
// addresses, the L2 domains that connect them (segments, router links, transits, physical nets)
// and the end hosts. Integer ids throughout; names only for display.
import type { Prefix } from '../../topology/ip.js';

export type ComponentType = 'T0_DR' | 'T0_SR' | 'T1_DR' | 'T1_SR' | 'PHYSICAL_ROUTER';
export type HopComponentType = ComponentType | EndpointKind | 'SEGMENT' | 'TUNNEL' | 'LOAD_BALANCER' | 'GATEWAY_FIREWALL' | 'DISTRIBUTED_FIREWALL' | 'NAT';

export type NodeKind = 'host' | 'edge' | 'physical';

export interface Node {
  readonly id: number;
  readonly name: string;
  readonly kind: NodeKind;
  /** TEP address (transport nodes), else 0. */
  readonly tep: number;
}

export type InterfaceKind =
  | 'downlink' // DR LIF on an overlay segment
  | 'uplink' // Tier-0 SR external interface on a VLAN segment
  | 'router-link' // Tier-0 ↔ Tier-1 /31
  | 'backplane' // Tier-0 DR ↔ SR transit
  | 'inter-sr' // Tier-0 SR ↔ SR (ACTIVE_ACTIVE)
  | 'transit' // Tier-1 DR ↔ SR transit
  | 'physical'; // physical router interface

export interface Interface {
  readonly id: number;
  readonly component: number;
  readonly name: string;
  readonly kind: InterfaceKind;
  readonly ip: number;
  readonly len: number;
  readonly domain: number;
  /** Leads out of the modelled network (physical router `external: true`). */
  readonly external: boolean;
  /** Interface of a standby SR: present but not forwarding. */
  readonly down: boolean;
  /** Answers ARP for its address (false for an SR's copy of the DR's router-link address). */
  readonly answersArp: boolean;
}

export interface Component {
  readonly id: number;
  readonly type: ComponentType;
  /** Gateway or physical router name. */
  readonly name: string;
  /** SR: its edge; physical router: its own node; DR: -1 (present on every transport node). */
  readonly node: number;
  /** SR HA state; DRs and routers are 'active'; 'down' when its edge or router failed. */
  readonly ha: 'active' | 'standby' | 'down';
  readonly interfaces: number[];
}

export type DomainKind = 'overlay' | 'vlan' | 'router-link' | 'backplane' | 'inter-sr' | 'transit' | 'physical';

export interface Domain {
  readonly id: number;
  readonly name: string;
  readonly kind: DomainKind;
  /** The user's segment name for overlay/VLAN segments, else undefined (internal link). */
  readonly segment?: string;
  readonly prefix: Prefix | null;
}

export type EndpointKind = 'WORKLOAD' | 'PHYSICAL_HOST' | 'SERVICE_ENGINE' | 'K8S_NODE' | 'POD';

export interface Endpoint {
  readonly id: number;
  readonly kind: EndpointKind;
  readonly name: string;
  readonly ip: number;
  readonly len: number;
  readonly domain: number;
  readonly node: number;
  /** Default gateway address, 0 when none. */
  readonly gateway: number;
  /** Failed itself or runs on a failed host. */
  readonly down: boolean;
}

export interface GatewayInfo {
  readonly name: string;
  readonly tier: 0 | 1;
  readonly haMode: 'ACTIVE_ACTIVE' | 'ACTIVE_STANDBY' | null;
  readonly dr: number;
  readonly srs: readonly number[];
  /** Tier-1: its Tier-0 (name) and router link addresses. */
  readonly tier0?: string;
  readonly routerLink?: { readonly t0Ip: number; readonly t1Ip: number; readonly domain: number };
}

export interface Network {
  readonly nodes: readonly Node[];
  readonly components: readonly Component[];
  readonly interfaces: readonly Interface[];
  readonly domains: readonly Domain[];
  readonly endpoints: readonly Endpoint[];
  readonly gateways: ReadonlyMap<string, GatewayInfo>;
  readonly nodeByName: ReadonlyMap<string, number>;
  readonly endpointByName: ReadonlyMap<string, number>;
  /** Endpoint owning an address (the first declared, when validation was bypassed). */
  readonly endpointByIp: ReadonlyMap<number, number>;
  readonly routerByName: ReadonlyMap<string, number>;
  readonly settings: { readonly ttl: number; readonly maxEcmp: number; readonly maxPaths: number };
}

/** Whether a component is present (distributed) on a node. */
export function isDistributed(c: Component): boolean {
  return c.type === 'T0_DR' || c.type === 'T1_DR';
}
