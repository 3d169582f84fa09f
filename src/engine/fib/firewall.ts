// Firewall rules compiled for the forwarding core: gateway firewall (on SRs) and distributed
// firewall (at workload vNICs). Addresses become prefix ranges, services protocol/port ranges;
// evaluation is first match in rule order over typed arrays, no match = allow (NSX default rule).
import { ANY_PREFIX as ANY, contains, type Prefix } from '../../topology/ip.js';
import type { FirewallRuleSpec, Scenario } from '../../topology/scenario.js';
import { PROTO_ANY, PROTO_ICMP, PROTO_TCP, PROTO_UDP, parseService, resolveFirewallAddress } from '../../topology/firewall-syntax.js';

export { PROTO_ANY, PROTO_ICMP, PROTO_TCP, PROTO_UDP };

export const FW_ALLOW = 0;
export const FW_DROP = 1;
export const FW_REJECT = 2;

export interface RuleSet {
  readonly names: readonly string[];
  readonly actions: Uint8Array;
  readonly sources: readonly (readonly Prefix[])[];
  readonly destinations: readonly (readonly Prefix[])[];
  /** Per rule: [proto, portLo, portHi] triples; empty = any service. */
  readonly services: readonly Int32Array[];
}


export function compileRules(s: Scenario, rules: readonly FirewallRuleSpec[] | undefined): RuleSet | null {
  const active = (rules ?? []).filter((r) => r.enabled !== false);
  if (!active.length) return null;
  const addrs = (list: string[] | undefined) => (list && list.length ? list.map((a) => resolveFirewallAddress(s, a)!).filter(Boolean) : [ANY]);
  return {
    names: active.map((r) => r.name),
    actions: Uint8Array.from(active.map((r) => (r.action === 'ALLOW' ? FW_ALLOW : r.action === 'DROP' ? FW_DROP : FW_REJECT))),
    sources: active.map((r) => addrs(r.sources)),
    destinations: active.map((r) => addrs(r.destinations)),
    services: active.map((r) => Int32Array.from((r.services ?? []).flatMap((x) => parseService(x)!))),
  };
}

function inAny(list: readonly Prefix[], ip: number): boolean {
  for (let i = 0; i < list.length; i++) if (contains(list[i], ip)) return true;
  return false;
}

/** Index of the first rule matching the packet, or -1 (the default rule: allow). */
export function matchRule(rs: RuleSet, src: number, dst: number, proto: number, dport: number): number {
  for (let r = 0; r < rs.names.length; r++) {
    if (!inAny(rs.sources[r], src) || !inAny(rs.destinations[r], dst)) continue;
    const sv = rs.services[r];
    if (sv.length) {
      let ok = false;
      for (let k = 0; k < sv.length && !ok; k += 3) {
        ok = sv[k] === PROTO_ANY || (sv[k] === proto && (proto === PROTO_ICMP || (dport >= sv[k + 1] && dport <= sv[k + 2])));
      }
      if (!ok) continue;
    }
    return r;
  }
  return -1;
}
