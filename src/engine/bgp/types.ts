// Data types of the BGP control plane: speakers (Tier-0 SRs and physical routers), their
// sessions, and the paths they hold, with the provenance needed to explain every decision.
import type { Prefix } from '../../topology/ip.js';
import type { PathAttributes, Policy } from './policy.js';

export type PeerType = 'ebgp' | 'ibgp' | 'inter-sr';

export interface Session {
  /** Index of the neighbour speaker. */
  readonly peer: number;
  /** Our address on the link (the next hop we advertise). */
  readonly localAddress: number;
  /** The neighbour's address (as configured). */
  readonly peerAddress: number;
  readonly type: PeerType;
  /** Neighbour configuration on our side (filters, next-hop-self, ...). */
  readonly config: NeighborConfig;
}

export interface NeighborConfig {
  readonly in?: { prefixList?: string; routeMap?: string };
  readonly out?: { prefixList?: string; routeMap?: string };
  readonly nextHopSelf: boolean;
  readonly defaultOriginate: boolean;
  /** How many times our own AS may appear in a received path (0 = none). */
  readonly allowAsIn: number;
  readonly weight: number;
}

/** A configured neighbour whose session could not be established, and why. */
export interface DownSession {
  readonly address: number;
  readonly reason: string;
}

export interface Speaker {
  readonly index: number;
  /** Display name: the router, or `<tier0>@<edge>` for an SR. */
  readonly name: string;
  readonly kind: 'router' | 'tier0-sr';
  /** Router or Tier-0 name (what --router names). */
  readonly owner: string;
  /** Edge of an SR, else null. */
  readonly edge: string | null;
  readonly component: number;
  readonly asn: number;
  readonly routerId: number;
  readonly policy: Policy;
  readonly sessions: Session[];
  readonly down: DownSession[];
  readonly maxPathsEbgp: number;
  readonly maxPathsIbgp: number;
  readonly multipathRelax: boolean;
  readonly alwaysCompareMed: boolean;
  /** Locally originated paths (network, redistribution; aggregates are not listed), in the order
   * originated; the control plane sets them (buildSpeakers: setLocalRoutes), possibly built when first read. */
  readonly local: LocalRoute[];
  readonly aggregates: { prefix: Prefix; summaryOnly: boolean }[];
}

export interface LocalRoute {
  readonly attrs: PathAttributes;
  /** Why the path is in the table but not valid (FRR import-check), if so. */
  readonly invalid?: string;
  /** How it was originated, e.g. `network 10.1.0.0/24`, `redistribute static (route "x")`. */
  readonly source: string;
}

/** A path in a speaker's BGP table. */
export interface BgpPath {
  readonly attrs: PathAttributes;
  /** Session index it was received on, or -1 for a locally originated path. */
  readonly session: number;
  readonly peerType: PeerType | 'local';
  /** Peer router id (0 for local). */
  readonly peerRouterId: number;
  /** Peer address (0 for local). */
  readonly peerAddress: number;
  readonly source: string;
  /** Why the path cannot be used (e.g. a network statement failing import-check). */
  readonly invalid?: string;
}

/** A path that did not make it into a speaker's table, and what stopped it where. */
export interface RejectedPath {
  readonly prefix: Prefix;
  readonly from: string;
  readonly attrs: PathAttributes | null;
  readonly where: 'out' | 'in';
  readonly reason: string;
}
