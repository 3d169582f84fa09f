// What a change did to the forwarding tables: the selected routes of every router component
// before and after, compared by component and prefix (components are named, so the comparison
// holds across scenarios whose component ids differ). When both twins have the same model shape
// (an update that added or removed nothing), only the components whose table is not the very same
// array are rendered and compared: the cost follows the change, not the network.
import { formatIp, formatPrefix } from '../../topology/ip.js';
import type { Twin } from '../twin.js';
import { modelDelta } from '../model/delta.js';

export interface RouteChange {
  /** e.g. "t0-lhr T0_SR (edge-01)", "The-Tier-1 T1_DR", "tor-01 PHYSICAL_ROUTER". */
  readonly component: string;
  readonly prefix: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** "type via next hops" before and after (absent when added / removed). */
  readonly before?: string;
  readonly after?: string;
}

function fib(t: Twin, only?: readonly number[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const net = t.network;
  for (const c of only ? only.map((id) => net.components[id]) : net.components) {
    const label = `${c.name} ${c.type}${c.node >= 0 && c.type !== 'PHYSICAL_ROUTER' ? ` (${net.nodes[c.node].name})` : ''}`;
    const table = new Map<string, string>();
    for (const r of t.routing.ribs[c.id]) {
      if (!r.selected) continue;
      const p = formatPrefix(r.prefix);
      const hops = r.nextHops.map((h) => (h.blackhole ? 'null' : h.ip === null ? 'connected' : formatIp(h.ip))).join(', ');
      const text = `${r.type} via ${hops}`;
      table.set(p, table.has(p) ? `${table.get(p)}; ${text}` : text);
    }
    out.set(label, table);
  }
  return out;
}

/** Route changes from `before` to `after`, sorted by component then prefix (deterministic); `everyComponent` compares every table (the reference the incremental comparison is tested against). */
export function diffRoutes(before: Twin, after: Twin, opts: { everyComponent?: boolean } = {}): RouteChange[] {
  let only: number[] | undefined;
  if (!opts.everyComponent && modelDelta(before.network, after.network)) {
    only = [];
    for (let c = 0; c < after.routing.ribs.length; c++) if (before.routing.ribs[c] !== after.routing.ribs[c]) only.push(c);
  }
  const a = fib(before, only);
  const b = fib(after, only);
  const out: RouteChange[] = [];
  for (const comp of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(comp) ?? new Map<string, string>();
    const y = b.get(comp) ?? new Map<string, string>();
    for (const p of [...new Set([...x.keys(), ...y.keys()])]) {
      const u = x.get(p);
      const v = y.get(p);
      if (u === v) continue;
      if (u === undefined) out.push({ component: comp, prefix: p, change: 'added', after: v });
      else if (v === undefined) out.push({ component: comp, prefix: p, change: 'removed', before: u });
      else out.push({ component: comp, prefix: p, change: 'changed', before: u, after: v });
    }
  }
  const key = (r: RouteChange) => `${r.component}\u0000${r.prefix.padStart(18)}`;
  return out.sort((m, n) => (key(m) < key(n) ? -1 : key(m) > key(n) ? 1 : 0));
}
