// NAT rules of a gateway's SRs compiled for the forwarding core. Rules are ordered by section
// (INTERNAL < USER < DEFAULT), then sequence, then file order; the first matching rule decides and
// NO_SNAT/NO_DNAT stop translation. Inbound (from the uplink / router link) DNAT and REFLEXIVE
// rewrite the destination; outbound SNAT and REFLEXIVE rewrite the source.
import { ANY_PREFIX as ANY, contains, parseIp, parsePrefix, prefixKey, type Prefix } from '../../topology/ip.js';
import { parseService } from '../../topology/firewall-syntax.js';
import type { NatRuleSpec } from '../../topology/scenario.js';

export const NAT_SNAT = 0;
export const NAT_DNAT = 1;
export const NAT_REFLEXIVE = 2;
export const NAT_NO_SNAT = 3;
export const NAT_NO_DNAT = 4;
const ACTION: Record<NatRuleSpec['action'], number> = { SNAT: NAT_SNAT, DNAT: NAT_DNAT, REFLEXIVE: NAT_REFLEXIVE, NO_SNAT: NAT_NO_SNAT, NO_DNAT: NAT_NO_DNAT };
const SECTION = { INTERNAL: 0, USER: 1, DEFAULT: 2 } as const;

export interface NatTable {
  readonly names: readonly string[];
  readonly actions: Uint8Array;
  readonly source: readonly Prefix[];
  readonly destination: readonly Prefix[];
  readonly translated: readonly (Prefix | null)[];
  /** DNAT service: protocol (0 = none), port range; translated port (0 = keep). */
  readonly svcProto: Int32Array;
  readonly svcLo: Int32Array;
  readonly svcHi: Int32Array;
  readonly toPort: Int32Array;
}

function prefixOf(text: string | undefined): Prefix | null {
  if (text === undefined) return null;
  const ip = parseIp(text);
  return ip !== null ? { addr: ip, len: 32 } : parsePrefix(text);
}

export function compileNat(rules: readonly NatRuleSpec[] | undefined): NatTable | null {
  const active = (rules ?? [])
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.enabled !== false)
    .sort((a, b) => SECTION[a.r.section ?? 'USER'] - SECTION[b.r.section ?? 'USER'] || (a.r.sequence ?? 0) - (b.r.sequence ?? 0) || a.i - b.i)
    .map(({ r }) => r);
  if (!active.length) return null;
  const svc = active.map((r) => (r.service ? parseService(r.service) : null));
  return {
    names: active.map((r) => r.name),
    actions: Uint8Array.from(active.map((r) => ACTION[r.action])),
    source: active.map((r) => prefixOf(r.source) ?? ANY),
    destination: active.map((r) => prefixOf(r.destination) ?? ANY),
    translated: active.map((r) => prefixOf(r.translated)),
    svcProto: Int32Array.from(svc.map((x) => (x ? x[0] : 0))),
    svcLo: Int32Array.from(svc.map((x) => (x ? x[1] : 0))),
    svcHi: Int32Array.from(svc.map((x) => (x ? x[2] : 65535))),
    toPort: Int32Array.from(active.map((r) => r.translatedPort ?? 0)),
  };
}

/** Maps an address from one prefix into another: 1:1 by offset when the sizes match, else the pool's first address. */
export function mapAddress(ip: number, from: Prefix, to: Prefix): number {
  if (to.len === 32 || from.len !== to.len) return to.addr;
  return (to.addr + (ip - from.addr)) >>> 0;
}

/** The rule deciding an inbound packet (DNAT side), or -1. */
export function matchInbound(t: NatTable, src: number, dst: number, proto: number, dport: number): number {
  for (let r = 0; r < t.names.length; r++) {
    const a = t.actions[r];
    if (a === NAT_REFLEXIVE) {
      if (t.translated[r] && contains(t.translated[r]!, dst)) return r;
      continue;
    }
    if (a !== NAT_DNAT && a !== NAT_NO_DNAT) continue;
    if (!contains(t.destination[r], dst) || !contains(t.source[r], src)) continue;
    if (t.svcProto[r] !== 0 && (t.svcProto[r] !== proto || dport < t.svcLo[r] || dport > t.svcHi[r])) continue;
    return r;
  }
  return -1;
}

/** The rule deciding an outbound packet (SNAT side), or -1. */
export function matchOutbound(t: NatTable, src: number, dst: number): number {
  for (let r = 0; r < t.names.length; r++) {
    const a = t.actions[r];
    if (a !== NAT_SNAT && a !== NAT_NO_SNAT && a !== NAT_REFLEXIVE) continue;
    if (!contains(t.source[r], src) || !contains(t.destination[r], dst)) continue;
    return r;
  }
  return -1;
}

/**
 * The addresses a gateway's NAT rules make it answer for (what TIER1_NAT / TIER0_NAT advertise):
 * SNAT and REFLEXIVE translated pools, DNAT destinations; enabled rules, each prefix once.
 */
export function natAddresses(rules: readonly NatRuleSpec[] | undefined): { prefix: Prefix; rule: string }[] {
  const out: { prefix: Prefix; rule: string }[] = [];
  const seen = new Set<number>();
  for (const rule of rules ?? []) {
    if (rule.enabled === false) continue;
    const text = rule.action === 'DNAT' ? rule.destination : rule.action === 'SNAT' || rule.action === 'REFLEXIVE' ? rule.translated : undefined;
    const ip = text !== undefined ? parseIp(text) : null;
    const prefix = ip !== null ? { addr: ip, len: 32 } : parsePrefix(text);
    if (!prefix || seen.has(prefixKey(prefix))) continue;
    seen.add(prefixKey(prefix));
    out.push({ prefix, rule: rule.name });
  }
  return out;
}
