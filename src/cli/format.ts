// Human-readable rendering of engine results: aligned text tables for traces, route tables,
// topology summaries and validation reports. JSON output bypasses this module.
import type { RouteTable } from '../engine/queries/route-tables.js';
import type { BgpView } from '../engine/queries/bgp-view.js';
import type { LoadBalancerLeg, TracePath, TraceResult } from '../engine/queries/trace-report.js';
import type { AviView } from '../engine/queries/avi-view.js';
import type { TopologyGraph } from '../engine/queries/topology-graph.js';

export function table(header: string[], rows: string[][]): string {
  // A loop, not Math.max(...cells): a table may have more rows (a ToR's, 144k at L) than a call
  // can take arguments.
  const widths = header.map((h) => h.length);
  for (const r of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], (r[i] ?? '').length);
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function pathTable(p: TracePath): string {
  return table(
        ['seq', 'node', 'component', 'type', 'observation', 'route', 'detail'],
        p.hops.map((h) => [
          String(h.seq),
          h.node,
          h.component,
          h.componentType,
          h.observation,
          h.route ? `${h.route.type} ${h.route.prefix}${h.route.nextHop ? ` via ${h.route.nextHop}` : h.route.interface ? ` dev ${h.route.interface}` : ''}` : '',
          h.detail,
        ]),
      );
}

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

function formatLoadBalancer(lb: LoadBalancerLeg): string {
  const out = [`Virtual service ${lb.virtualService}, VIP ${lb.vip}, on SE ${lb.serviceEngine}`];
  if (lb.answeredBy) out.push(`  ${lb.answeredBy}`);
  if (lb.reason) out.push(`  NO_SERVICE: ${lb.reason}`);
  for (const m of lb.members) {
    const l7 = m.host !== undefined || m.path !== undefined ? ` [host ${m.host ?? '*'} path ${m.path ?? '/'}]` : '';
    if (m.skipped) {
      out.push('', `  → member ${m.member} (pool ${m.pool})${l7}: not used, ${m.skipped}`);
      continue;
    }
    const disp = [...new Set(m.paths.map((p) => p.disposition))].join(', ');
    out.push('', `  → member ${m.member} (pool ${m.pool})${l7}: ${disp}; SNAT source ${lb.snat}${m.vrfRoute ? `, VRF: ${m.vrfRoute}` : ''}`);
    m.paths.forEach((p, i) => out.push(indent(`Leg path ${i + 1}/${m.paths.length}: ${p.disposition}\n${pathTable(p)}`)));
    for (const [i, p] of (m.return ?? []).entries()) out.push(indent(`Reply ${i + 1}: ${p.disposition}\n${pathTable(p)}`));
  }
  return out.join('\n');
}

export function formatTrace(r: TraceResult): string {
  const f = r.flow;
  const ports = f.proto === 'icmp' ? 'icmp' : `${f.proto} ${f.sport} → ${f.dport}`;
  const out = [`Flow: ${f.from} ${f.src} → ${f.to ? `${f.to} ` : ''}${f.dst} (${ports})`];
  if (f.resolved) out.push(`Resolved ${f.resolved.fqdn} → ${f.resolved.address} by the Avi DNS virtual service ${f.resolved.dnsVirtualService}`);
  r.paths.forEach((p, i) => {
    out.push('', `Path ${i + 1}/${r.paths.length}: ${p.disposition}`);
    out.push(pathTable(p));
    if (p.loadBalancer) out.push('', formatLoadBalancer(p.loadBalancer));
  });
  if (r.truncated) out.push('', `(stopped after ${r.paths.length} paths: settings.maxPaths)`);
  for (const ret of r.return ?? []) {
    out.push('', `=== Reply to path ${ret.forwardPath + 1}`, formatTrace({ flow: ret.flow, paths: ret.paths, ...(ret.truncated ? { truncated: true } : {}) }));
  }
  return out.join('\n');
}

export function formatRoutes(t: RouteTable): string {
  const where = t.node ? ` on ${t.node}` : ' (every transport node)';
  const head = `${t.componentType} ${t.name}${where}${t.ha !== 'active' ? ` [${t.ha}]` : ''}`;
  const rows = t.routes.map((r) => [
    r.selected ? '>*' : r.inactive ? ' x' : '  ',
    r.type,
    r.prefix,
    `[${r.distance}]`,
    r.nextHops.map((h) => (h.ip === 'null' ? 'null' : h.ip ? `via ${h.ip}${h.interface ? ` ${h.interface}` : ''}` : `directly connected ${h.interface}`)).join(', '),
    r.origin + (r.inactive ? ` (inactive: ${r.inactive})` : ''),
  ]);
  return `${head}\n${table(['', 'type', 'prefix', 'dist', 'next hops', 'origin'], rows)}\n\n>* selected (in the forwarding table), x inactive`;
}

export function formatTopology(g: TopologyGraph): string {
  // Appended in place (a copy per node was quadratic: 190 s for the 250k nodes of size L) and
  // pushed one by one (a spread of a kind's items could pass more arguments than a call takes).
  const byKind = new Map<string, string[]>();
  g.forEachNode((_k, a) => {
    const items = byKind.get(a.kind);
    if (items === undefined) byKind.set(a.kind, [`${a.name}  ${a.detail}`]);
    else items.push(`${a.name}  ${a.detail}`);
  });
  const out: string[] = [];
  for (const [kind, items] of byKind) {
    out.push(`${kind} (${items.length})`);
    for (const i of items) out.push(`  ${i}`);
  }
  out.push(`links (${g.size})`);
  g.forEachEdge((_e, a, s, t) => out.push(`  ${s} —${a.relation}— ${t}`));
  return out.join('\n');
}

const ORIGIN_CODE = { igp: 'i', egp: 'e', incomplete: '?' } as const;

/** An FRR-like `show bgp` rendering, with the reason column nsx-twin adds. */
export function formatBgp(v: BgpView): string {
  const out = [`BGP table of ${v.router}${v.edge ? ` on ${v.edge}` : ''}: local AS ${v.asn}, router id ${v.routerId}`];
  if (v.oscillation) {
    out.push(`OSCILLATION: no stable state (period ${v.oscillation.period} rounds) — speakers ${v.oscillation.speakers.join(', ')}; prefixes ${v.oscillation.prefixes.join(', ')}`);
  }
  out.push('', table(['neighbor', 'peer', 'AS', 'type', 'state'], v.sessions.map((s) => [s.neighbor, s.peer ?? '-', s.remoteAs === null ? '-' : String(s.remoteAs), s.type, s.state + (s.reason ? `: ${s.reason}` : '')])));
  out.push(
    '',
    table(
      ['', 'prefix', 'next hop', 'metric', 'locprf', 'weight', 'path', 'communities', 'why'],
      v.routes.map((r) => [
        r.best ? '*>' : r.multipath ? '*=' : ' *',
        r.prefix,
        r.nextHop,
        r.med === null ? '' : String(r.med),
        r.localPref === null ? '' : String(r.localPref),
        String(r.weight),
        [...r.asPath, ORIGIN_CODE[r.origin]].join(' '),
        [...r.communities, ...r.largeCommunities].join(' '),
        r.reason,
      ]),
    ),
  );
  if (v.rejected) {
    out.push('', `Stopped paths (${v.rejected.length})`);
    out.push(table(['prefix', 'from', 'where', 'path', 'reason'], v.rejected.map((r) => [r.prefix, r.from, r.where, r.asPath ? r.asPath.join(' ') : '', r.reason])));
  }
  out.push('', '*> best, *= multipath; origin codes i IGP, e EGP, ? incomplete');
  return out.join('\n');
}

export function formatAvi(v: AviView): string {
  const out: string[] = [`Cloud ${v.cloud}`];
  for (const vs of v.virtualServices) {
    out.push('', `Virtual service ${vs.name}${vs.createdFor ? `  (AKO: ${vs.createdFor})` : ''}`);
    out.push(`  state     ${vs.state}${vs.reason ? ` — ${vs.reason}` : ''}`);
    out.push(`  VIP       ${vs.vip} ${vs.services.join(', ')} on ${vs.tier1}`);
    out.push(`  SEs       ${vs.seGroup} (${vs.haMode}): ${vs.serviceEngines.map((s) => `${s.name} ${s.dataIp ?? '?'}${s.standby ? ' (standby)' : ''}`).join(', ') || 'none'}`);
    for (const p of vs.pools) {
      const l7 = p.host !== null || p.path !== null ? ` [host ${p.host ?? '*'} path ${p.path ?? '/'}]` : '';
      out.push(`  pool      ${p.name}${l7}${p.enabled ? '' : ' (disabled)'}: ${p.members.map((m) => m.address + (!m.enabled ? ' (disabled)' : !m.up ? ' (down)' : '')).join(', ') || 'no members'}`);
    }
    if (vs.fqdns.length) out.push(`  FQDNs     ${vs.fqdns.join(', ')}`);
    out.push(`  VIP path  ${vs.vipRealisation}`);
    for (const r of vs.nsxRoutes) out.push(`  route     ${r.selected ? '>*' : '  '} ${r.component}: ${r.type} ${r.prefix} → ${r.nextHops.join(', ')}`);
  }
  out.push('', table(['SE', 'group', 'host', 'state', 'NICs', 'virtual services'], v.serviceEngines.map((s) => [s.name, s.group, s.host, s.down ? 'DOWN' : 'up', s.nics.map((n) => `${n.ip} (${n.segment})`).join(', '), s.virtualServices.join(', ')])));
  if (v.dns.length) out.push('', table(['FQDN', 'VIP', 'virtual service'], v.dns.map((d) => [d.fqdn, d.vip, d.virtualService])));
  return out.join('\n');
}
