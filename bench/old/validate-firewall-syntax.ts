// Baseline copy of scenario validation before the scale rework (second semantic pass over the
// whole realized scenario, per-object path arrays and messages, repeated address parsing), kept
// only so bench/validation-stages.ts and test/topology/validate-incremental-equal.test.ts can
// compare old and new. Do not use elsewhere.
// Firewall rule syntax shared by validation and the engine: addresses (ANY, prefixes,
// addresses, segment/workload/host names) and services (tcp/80, udp/53, tcp/8000-8100, icmp, ANY).
import { ANY_PREFIX as ANY, networkOf, parseIfAddr, parseIp, parsePrefix, type Prefix } from '../../src/topology/ip.js';
import type { Scenario } from '../../src/topology/scenario.js';

export const PROTO_ANY = 0;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;


/** Resolves a firewall address: ANY, a prefix, an address, or a segment/workload/host name. */
export function resolveFirewallAddress(s: Scenario, text: string): Prefix | null {
  if (text.toUpperCase() === 'ANY') return ANY;
  const p = parsePrefix(text);
  if (p) return p;
  const ip = parseIp(text);
  if (ip !== null) return { addr: ip, len: 32 };
  if (s.segments && Object.hasOwn(s.segments, text)) {
    const seg = s.segments[text];
    const gw = parseIfAddr(seg.gateway);
    return gw ? networkOf(gw) : parsePrefix(seg.subnet);
  }
  if (s.workloads && Object.hasOwn(s.workloads, text)) return { addr: parseIp(s.workloads[text].ip)!, len: 32 };
  if (s.physicalHosts && Object.hasOwn(s.physicalHosts, text)) return { addr: parseIfAddr(s.physicalHosts[text].ip)!.ip, len: 32 };
  return null;
}

/** Parses a service: "tcp/80", "udp/53", "tcp/8000-8100", "tcp", "icmp", "ANY"; null when malformed. */
export function parseService(text: string): [number, number, number] | null {
  const t = text.toLowerCase();
  if (t === 'any') return [PROTO_ANY, 0, 65535];
  if (t === 'icmp') return [PROTO_ICMP, 0, 65535];
  const m = /^(tcp|udp)(?:\/(\d{1,5})(?:-(\d{1,5}))?)?$/.exec(t);
  if (!m) return null;
  const proto = m[1] === 'tcp' ? PROTO_TCP : PROTO_UDP;
  const lo = m[2] === undefined ? 0 : Number(m[2]);
  const hi = m[3] === undefined ? (m[2] === undefined ? 65535 : lo) : Number(m[3]);
  return lo <= hi && hi <= 65535 ? [proto, lo, hi] : null;
}

