// `nsx-twin avi`: the load balancer as an architect reads it — each virtual service with its VIP,
// state, SEs (data IPs), pools and members, FQDNs, and the NSX routes its VIP caused (the
// injected VIP/32 on the Tier-1 and the copies the Tier-0 learned).
import { QueryError } from '../../topology/errors.js';
import { formatIp, formatPrefix } from '../../topology/ip.js';
import { suggestion } from '../../topology/did-you-mean.js';
import type { AviRuntime } from '../../topology/realize/index.js';
import type { ExpandedNetwork } from '../model/expand.js';
import type { RoutingState } from '../ribs/routes.js';

export interface AviQuery {
  /** One virtual service by name. */
  vs?: string;
}

export interface AviVsView {
  name: string;
  createdFor: string | null;
  state: string;
  reason: string | null;
  vip: string;
  tier1: string;
  seGroup: string;
  haMode: string;
  services: string[];
  serviceEngines: { name: string; dataIp: string | null; standby: boolean }[];
  pools: { name: string; host: string | null; path: string | null; enabled: boolean; members: { address: string; enabled: boolean; up: boolean }[] }[];
  fqdns: string[];
  /** VIP/32 next hops injected on the Tier-1, or how the VIP is reached instead. */
  vipRealisation: string;
  nsxRoutes: { component: string; prefix: string; type: string; nextHops: string[]; selected: boolean }[];
}

export interface AviView {
  cloud: string;
  virtualServices: AviVsView[];
  serviceEngines: { name: string; group: string; host: string; down: boolean; nics: { workload: string; segment: string; ip: string }[]; virtualServices: string[] }[];
  dns: { fqdn: string; vip: string; virtualService: string }[];
}

/**
 * Per routing state: its NSX components' /32 routes by address, as (component, position) pairs in
 * component then table order (built once, read per virtual service; the routes made when read).
 */
const hostRoutesOf = new WeakMap<RoutingState, Map<number, number[]>>();

function hostRoutes(routing: RoutingState, net: ExpandedNetwork): Map<number, number[]> {
  let byAddress = hostRoutesOf.get(routing);
  if (byAddress) return byAddress;
  byAddress = new Map();
  routing.ribs.forEach((rib, c) => {
    if (net.components[c].type === 'PHYSICAL_ROUTER') return;
    // (Read through shapeAt: a Tier-0 SR's table made of its DR's is not made for this index.)
    for (let k = 0; k < rib.length; k++) {
      const p = rib.shapeAt(k).prefix;
      if (p.len !== 32) continue;
      const list = byAddress!.get(p.addr >>> 0);
      if (list) list.push(c, k);
      else byAddress!.set(p.addr >>> 0, [c, k]);
    }
  });
  hostRoutesOf.set(routing, byAddress);
  return byAddress;
}

export function aviView(avi: AviRuntime, routing: RoutingState, net: ExpandedNetwork, q: AviQuery): AviView {
  let list = avi.virtualServices;
  if (q.vs !== undefined) {
    list = list.filter((v) => v.name === q.vs);
    if (!list.length) throw new QueryError(`no virtual service named ${JSON.stringify(q.vs)}${suggestion(q.vs, avi.virtualServices.map((v) => v.name))}`);
  }
  // SEs by name, made once (a scan of every SE per virtual service was 100,000 × 1,000 at size L).
  const seByName = new Map<string, AviRuntime['serviceEngines'][number]>();
  for (const se of avi.serviceEngines) if (!seByName.has(se.name)) seByName.set(se.name, se);
  const seIp = (se: string, tier1: string) => {
    const nic = seByName.get(se)?.nics.find((n) => n.tier1 === tier1);
    return nic ? formatIp(nic.ip) : null;
  };
  const virtualServices = list.map((vs): AviVsView => {
    const refs = [
      ...vs.services.filter((s) => s.pool !== null).map((s) => ({ pool: s.pool!, host: null, path: null })),
      ...vs.httpRoutes.map((r) => ({ pool: r.pool, host: r.host, path: r.path })),
    ];
    const pools = refs.map((r) => {
      const p = avi.pools.get(r.pool);
      return {
        name: r.pool,
        host: r.host,
        path: r.path,
        enabled: p?.enabled ?? false,
        members: (p?.members ?? []).map((m) => ({ address: m.port !== null ? `${formatIp(m.ip)}:${m.port}` : formatIp(m.ip), enabled: m.enabled, up: m.up })),
      };
    });
    const nsxRoutes: AviVsView['nsxRoutes'] = [];
    const at = hostRoutes(routing, net).get(vs.vip >>> 0) ?? [];
    for (let i = 0; i < at.length; i += 2) {
      const r = routing.ribs[at[i]].routeAt(at[i + 1]);
      const comp = net.components[r.component];
      nsxRoutes.push({
        component: `${comp.name} ${comp.type}${comp.node >= 0 ? ` (${net.nodes[comp.node].name})` : ''}`,
        prefix: formatPrefix(r.prefix),
        type: r.type,
        nextHops: r.nextHops.map((h) => (h.blackhole ? 'null' : h.ip === null ? 'connected' : formatIp(h.ip))),
        selected: r.selected,
      });
    }
    const vipRealisation = vs.route
      ? `VIP/32 route on ${vs.tier1} → ${vs.route.nextHops.join(', ')} (advertised as ${vs.route.type === 'LB_VIP' ? 'TIER1_LB_VIP' : 'TIER1_STATIC_ROUTES'})`
      : vs.arpOwner
        ? `inside the SE data subnet: ${vs.arpOwner} answers ARP`
        : `not reachable: ${vs.reason || 'no SE'}`;
    return {
      name: vs.name,
      createdFor: vs.createdFor,
      state: vs.state,
      reason: vs.reason || null,
      vip: formatIp(vs.vip),
      tier1: vs.tier1,
      seGroup: vs.seGroup,
      haMode: vs.haMode,
      services: vs.services.map((s) => `${s.protocol}/${s.port}`),
      serviceEngines: [...vs.serviceEngines.map((se) => ({ name: se, dataIp: seIp(se, vs.tier1), standby: false })), ...vs.standby.map((se) => ({ name: se, dataIp: seIp(se, vs.tier1), standby: true }))],
      pools,
      fqdns: [...vs.fqdns],
      vipRealisation,
      nsxRoutes,
    };
  });
  return {
    cloud: avi.cloud,
    virtualServices,
    serviceEngines: avi.serviceEngines.map((se) => ({
      name: se.name,
      group: se.group,
      host: se.host,
      down: se.down,
      nics: se.nics.map((n) => ({ workload: n.workload, segment: n.segment, ip: formatIp(n.ip) })),
      virtualServices: [...se.virtualServices],
    })),
    dns: [...avi.dns].map(([fqdn, r]) => ({ fqdn, vip: formatIp(r.vip), virtualService: r.virtualService })),
  };
}
