// Route-table queries: one component's RIB (a gateway's DR, an SR on an edge, or a physical
// router) rendered as the `nsx-twin routes` JSON contract.
import { QueryError } from '../../topology/errors.js';
import { formatIp, formatPrefix } from '../../topology/ip.js';
import { suggestion } from '../../topology/did-you-mean.js';
import type { ExpandedNetwork } from '../model/expand.js';
import type { ComponentType } from '../model/types.js';
import type { RoutingState } from '../ribs/routes.js';

export interface RouteQuery {
  gateway?: string;
  router?: string;
  component?: 'dr' | 'sr';
  node?: string;
}

export interface RouteEntry {
  prefix: string;
  type: string;
  distance: number;
  nextHops: { ip: string | null; interface: string | null }[];
  selected: boolean;
  origin: string;
  inactive?: string;
}

export interface RouteTable {
  name: string;
  componentType: ComponentType;
  /** The edge of an SR, the router itself, or null for a DR (the same on every transport node). */
  node: string | null;
  ha: 'active' | 'standby' | 'down';
  routes: RouteEntry[];
}

/** Finds the component a query names; throws QueryError with the choices when it cannot. */
export function selectComponent(net: ExpandedNetwork, q: RouteQuery): number {
  if ((q.gateway === undefined) === (q.router === undefined)) throw new QueryError('name exactly one of --gateway or --router');
  if (q.router !== undefined) {
    const c = net.routerByName.get(q.router);
    if (c === undefined) throw new QueryError(`no physical router named ${JSON.stringify(q.router)}${suggestion(q.router, net.routerByName.keys())}`);
    if (q.component !== undefined) throw new QueryError('--component applies to gateways, not physical routers');
    return c;
  }
  const gw = net.gateways.get(q.gateway!);
  if (!gw) throw new QueryError(`no gateway named ${JSON.stringify(q.gateway)}${suggestion(q.gateway!, net.gateways.keys())}`);
  let node: number | undefined;
  if (q.node !== undefined) {
    node = net.nodeByName.get(q.node);
    if (node === undefined || net.nodes[node].kind === 'physical') throw new QueryError(`no transport node named ${JSON.stringify(q.node)}${suggestion(q.node, net.nodes.filter((n) => n.kind !== 'physical').map((n) => n.name))}`);
  }
  const component = q.component ?? (q.node !== undefined && gw.srs.some((sr) => net.components[sr].node === node) ? 'sr' : 'dr');
  if (component === 'dr') return gw.dr;
  if (!gw.srs.length) throw new QueryError(`${q.gateway} has no service router (no edge cluster): it is distributed only`);
  if (node === undefined) return gw.srs.find((sr) => net.components[sr].ha === 'active') ?? gw.srs[0];
  const sr = gw.srs.find((s) => net.components[s].node === node);
  if (sr === undefined) throw new QueryError(`${q.gateway} has no service router on ${q.node} (SRs on ${gw.srs.map((s) => net.nodes[net.components[s].node].name).join(', ')})`);
  return sr;
}

export function routeTable(net: ExpandedNetwork, routing: RoutingState, component: number): RouteTable {
  const comp = net.components[component];
  return {
    name: comp.name,
    componentType: comp.type,
    node: comp.node >= 0 ? net.nodes[comp.node].name : null,
    ha: comp.ha,
    routes: routing.ribs[component].map((r) => ({
      prefix: formatPrefix(r.prefix),
      type: r.type,
      distance: r.distance,
      nextHops: r.nextHops.map((h) => ({
        ip: h.blackhole ? 'null' : h.ip === null ? null : formatIp(h.ip),
        interface: h.interface === null ? null : net.interfaces[h.interface].name,
      })),
      selected: r.selected,
      origin: r.origin,
      ...(r.inactive ? { inactive: r.inactive } : {}),
    })),
  };
}
