// What a Tier-1 advertises to its Tier-0: the candidate prefixes (segments, static and injected
// routes, NAT addresses), the advertisement types and rules that decide each, and the route type
// an advertised prefix gets on the Tier-0 (t1c, t1s, t1n, t1l, ...).
import { contains, parsePrefix, type Prefix } from '../../topology/ip.js';
import type { Tier1AdvertisementType, Tier1Spec } from '../../topology/scenario.js';
import type { RouteType } from './route.js';

export const ADVERTISEMENT_ROUTE_TYPE: Record<Tier1AdvertisementType, RouteType> = {
  TIER1_CONNECTED: 't1c',
  TIER1_STATIC_ROUTES: 't1s',
  TIER1_NAT: 't1n',
  TIER1_LB_VIP: 't1l',
  TIER1_LB_SNAT: 't1ls',
  TIER1_DNS_FORWARDER_IP: 't1d',
  TIER1_IPSEC_LOCAL_ENDPOINT: 't1ipsec',
};

/** A candidate prefix a Tier-1 can advertise, with the advertisement type that covers it. */
export interface Tier1Candidate {
  readonly prefix: Prefix;
  readonly type: Tier1AdvertisementType;
  readonly origin: string;
}

/** The Tier-1's advertisement decision for one candidate: advertised, and the rule that decided. */
export function tier1Advertises(t1: Tier1Spec, c: Tier1Candidate): { advertised: boolean; reason: string } {
  const enabled = (t1.advertise ?? []).includes(c.type);
  if (!enabled) return { advertised: false, reason: `${c.type} not in advertise` };
  for (const rule of t1.advertisementRules ?? []) {
    if (rule.types && rule.types.length && !rule.types.includes(c.type)) continue;
    const matches = rule.subnets.some((sn) => {
      const p = parsePrefix(sn)!;
      return (rule.prefixOperator ?? 'GE') === 'EQ'
        ? p.addr === c.prefix.addr && p.len === c.prefix.len
        : c.prefix.len >= p.len && contains(p, c.prefix.addr);
    });
    if (matches) {
      const permit = (rule.action ?? 'PERMIT') === 'PERMIT';
      return { advertised: permit, reason: `advertisement rule ${JSON.stringify(rule.name)} ${permit ? 'permits' : 'denies'}` };
    }
  }
  return { advertised: true, reason: `${c.type} advertised` };
}

/** A route a controller injects on a Tier-1 (Avi's VIP/32 → SE data IPs), with its NSX classification. */
export interface InjectedRoute {
  readonly tier1: string;
  readonly prefix: Prefix;
  readonly nextHops: readonly number[];
  readonly origin: string;
  /** Advertised as TIER1_LB_VIP (t1l) or as TIER1_STATIC_ROUTES (t1s). */
  readonly advertiseAs: 'TIER1_LB_VIP' | 'TIER1_STATIC_ROUTES';
}

