// Traceflow: the user-facing trace. Resolves source and destination (names or addresses), runs
// the forwarding core, and turns its hop columns into NSX-style observations with the route that
// decided each routing hop (the JSON output contract of `nsx-twin trace`).
import { QueryError } from '../../topology/errors.js';
import { formatIp, formatPrefix, parseIp } from '../../topology/ip.js';
import { suggestion } from '../../topology/did-you-mean.js';
import { NH_BLACKHOLE, NH_CONNECTED, routeOfHop, type CompiledNetwork } from '../fib/compile.js';
import type { HopComponentType } from '../model/types.js';
import { LB_NO_LISTENER, poolsFor, serves, vrfLookup, type CompiledLoadBalancer } from '../fib/load-balancer.js';
import { describeProxyArp } from '../fib/proxy-arp.js';
import {
  DISPOSITIONS,
  OBS_DELIVERED,
  OBS_DROPPED,
  OBS_FORWARDED,
  OBS_INJECTED,
  OBS_RECEIVED,
  ROW_ENDPOINT,
  ROW_FIREWALL,
  ROW_NAT,
  ROW_ROUTER,
  ROW_SEGMENT,
  ROW_TUNNEL_IN,
  ROW_TUNNEL_OUT,
  WHY_NO_GATEWAY,
  WHY_PROXY_ARP,
  WHY_REVERSE,
  WHY_NOT_A_ROUTER,
  WHY_TTL,
  WHY_VIP,
  Walker,
  type Disposition,
  type PathSink,
} from '../walk/packet-walk.js';

export type Protocol = 'tcp' | 'udp' | 'icmp';
export type Observation = 'INJECTED' | 'RECEIVED' | 'FORWARDED' | 'DELIVERED' | 'DROPPED';

export interface TraceRequest {
  from: string;
  to: string;
  proto?: Protocol;
  sport?: number;
  dport?: number;
  /** HTTP host for L7 virtual services (default: the FQDN traced to, if any). */
  host?: string;
}

export interface Flow {
  from: string;
  to: string | null;
  src: string;
  dst: string;
  proto: Protocol;
  sport: number | null;
  dport: number | null;
  /** Set when `to` was an FQDN: the Avi DNS virtual service that resolved it. */
  resolved?: { fqdn: string; address: string; dnsVirtualService: string };
}

export interface HopRoute {
  prefix: string;
  type: string;
  /** Next-hop address; null when the destination is directly connected; "null" for a null route. */
  nextHop: string | null;
  interface: string | null;
}

export interface Hop {
  seq: number;
  node: string;
  component: string;
  componentType: HopComponentType;
  observation: Observation;
  route?: HopRoute;
  /** The firewall rule that decided (firewall hops). */
  rule?: string;
  detail: string;
}

export interface TracePath {
  disposition: Disposition;
  hops: Hop[];
  /** The path ended at an SE carrying the VIP: the virtual service and its leg to each pool member. */
  loadBalancer?: LoadBalancerLeg;
}

export interface MemberLeg {
  pool: string;
  member: string;
  /** L7 content switching that chose the pool. */
  host?: string | null;
  path?: string | null;
  /** Why no packet was sent to this member (disabled). */
  skipped?: string;
  /** The SE's VRF route that chose the first hop. */
  vrfRoute?: string;
  flow?: Flow;
  paths: TracePath[];
  /** Present (true) when the leg's enumeration stopped at settings.maxPaths. */
  truncated?: boolean;
  return?: TracePath[];
}

export interface LoadBalancerLeg {
  virtualService: string;
  serviceEngine: string;
  vip: string;
  /** Why the VS did not serve the request (NO_SERVICE). */
  reason?: string;
  /** SNAT address toward the members: the SE's data IP. */
  snat?: string;
  /** Present when the VS answers itself (DNS, ICMP): no member leg. */
  answeredBy?: string;
  members: MemberLeg[];
}

export interface ReturnTrace {
  /** Index of the forward path this reply answers. */
  forwardPath: number;
  flow: Flow;
  paths: TracePath[];
  truncated?: boolean;
}

export interface TraceResult {
  flow: Flow;
  paths: TracePath[];
  /** Present (true) when enumeration stopped at settings.maxPaths. */
  truncated?: boolean;
  /** With `withReturn`: the reply of every delivered forward path. */
  return?: ReturnTrace[];
}

const PROTOCOL_NUMBER: Record<Protocol, number> = { icmp: 1, tcp: 6, udp: 17 };

const OBSERVATIONS: Observation[] = ['INJECTED', 'RECEIVED', 'FORWARDED', 'DELIVERED', 'DROPPED'];

/**
 * Text made only of numbers and dots is meant as an IPv4 address, never a name or an FQDN (no
 * top-level domain is numeric): one that does not parse is a bad request, said as such.
 */
function checkAddressLike(role: 'source' | 'destination', text: string): void {
  if (/^[\d.]+$/.test(text) && text.includes('.') && parseIp(text) === null) {
    throw new QueryError(`${role} ${JSON.stringify(text)} is not a valid IPv4 address (four numbers 0-255 separated by dots, e.g. 10.146.10.1)`);
  }
}

/** Resolves a trace source: an endpoint name, or an address owned by an endpoint. */
export function resolveSource(c: CompiledNetwork, from: string): number {
  checkAddressLike('source', from);
  const byName = c.net.endpointByName.get(from);
  if (byName !== undefined) return byName;
  const ip = parseIp(from);
  if (ip !== null) {
    const ep = c.net.endpointByIp.get(ip);
    if (ep !== undefined) return ep;
    throw new QueryError(`no workload or physical host owns ${from}`);
  }
  throw new QueryError(`unknown source ${JSON.stringify(from)}: expected a workload, a physical host or an address one owns${suggestion(from, c.net.endpointByName.keys())}`);
}

/** Resolves a destination: an address, or the name of an endpoint (its address). */
export function resolveDestination(c: CompiledNetwork, to: string): { ip: number; name: string | null; resolved?: NonNullable<Flow['resolved']> } {
  checkAddressLike('destination', to);
  const ip = parseIp(to);
  if (ip !== null) {
    const ep = c.net.endpointByIp.get(ip);
    return { ip, name: ep !== undefined ? c.net.endpoints[ep].name : null };
  }
  const id = c.net.endpointByName.get(to);
  if (id !== undefined) return { ip: c.net.endpoints[id].ip, name: to };
  if (/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\.?$/.test(to)) return resolveFqdn(c.lb, to.replace(/\.$/, ''));
  throw new QueryError(`unknown destination ${JSON.stringify(to)}: expected an IPv4 address, a workload or a physical host${suggestion(to, c.net.endpointByName.keys())}`);
}

/** An FQDN, resolved through the records the Avi DNS virtual service serves. */
function resolveFqdn(lb: CompiledLoadBalancer | null, fqdn: string): { ip: number; name: string | null; resolved: NonNullable<Flow['resolved']> } {
  if (!lb || !lb.avi.dnsVirtualServices.length) throw new QueryError(`cannot resolve ${fqdn}: the scenario has no Avi DNS virtual service that is up`);
  const rec = lb.avi.dns.get(fqdn.toLowerCase());
  if (!rec) {
    const known = [...lb.avi.dns.keys()];
    throw new QueryError(`cannot resolve ${fqdn}: the Avi DNS virtual service has no record for it${suggestion(fqdn, known)}${known.length ? ` (records: ${known.join(', ')})` : ''}`);
  }
  return { ip: rec.vip, name: null, resolved: { fqdn, address: formatIp(rec.vip), dnsVirtualService: lb.avi.dnsVirtualServices[0] } };
}

export function makeFlow(c: CompiledNetwork, req: TraceRequest): { flow: Flow; src: number; dst: number } {
  const proto = req.proto ?? 'icmp';
  if (!['tcp', 'udp', 'icmp'].includes(proto)) throw new QueryError(`unknown protocol ${JSON.stringify(proto)}: expected tcp, udp or icmp`);
  if (proto === 'icmp' && (req.dport !== undefined || req.sport !== undefined)) throw new QueryError('ports apply to tcp and udp, not icmp');
  if (proto !== 'icmp' && req.dport === undefined) throw new QueryError(`${proto} needs a destination port (--dport)`);
  for (const [k, v] of [['dport', req.dport], ['sport', req.sport]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 65535)) throw new QueryError(`${k} must be an integer 1-65535 (got ${v})`);
  }
  const src = resolveSource(c, req.from);
  const dst = resolveDestination(c, req.to);
  const ep = c.net.endpoints[src];
  if (ep.down) throw new QueryError(`${ep.name} is down (it, or the host it runs on, is in failed)`);
  const flow: Flow = {
    from: ep.name,
    to: dst.name,
    src: formatIp(ep.ip),
    dst: formatIp(dst.ip),
    proto,
    sport: proto === 'icmp' ? null : (req.sport ?? 49152),
    dport: proto === 'icmp' ? null : req.dport!,
    ...(dst.resolved ? { resolved: dst.resolved } : {}),
  };
  return { flow, src, dst: dst.ip };
}

/**
 * Runs a traceflow and materializes every path. With `withReturn`, each delivered path is answered
 * by a reply from the destination, through the connection state that path created (NAT reversed
 * where it was made; stateful firewalls let the reply pass).
 */
export function traceflow(c: CompiledNetwork, req: TraceRequest, walker = new Walker(c), opts: { withReturn?: boolean } = {}): TraceResult {
  const { flow, src, dst } = makeFlow(c, req);
  const paths: TracePath[] = [];
  const replies: ReturnTrace[] = [];
  const replyWalker = opts.withReturn ? new Walker(c) : null;
  let memberWalker: Walker | null = null;
  const proto = PROTOCOL_NUMBER[flow.proto];
  walker.host = req.host ?? flow.resolved?.fqdn ?? null;
  const sink: PathSink = {
    path: (w, length, disposition) => {
      const path = materialize(c, w, length, disposition, dst);
      paths.push(path);
      const last = length - 1;
      const atVip = w.rowType[last] === ROW_ENDPOINT && w.rowWhy[last] === WHY_VIP && c.lb !== null;
      if (atVip) {
        memberWalker ??= new Walker(c);
        path.loadBalancer = loadBalancerLeg(c, c.lb!, w, last, flow, walker.host, memberWalker, replyWalker);
      }
      if (!replyWalker || DISPOSITIONS[disposition] !== 'DELIVERED' || w.rowType[last] !== ROW_ENDPOINT) return;
      const from = w.rowRef[last];
      const to = w.currentSrc;
      // An SE answers from the VIP it received the request on.
      const replySrc = atVip ? w.currentDst : c.net.endpoints[from].ip;
      const toEp = c.net.endpointByIp.get(to);
      const replyFlow: Flow = {
        from: c.net.endpoints[from].name,
        to: toEp !== undefined ? c.net.endpoints[toEp].name : null,
        src: formatIp(replySrc),
        dst: formatIp(to),
        proto: flow.proto,
        sport: flow.proto === 'icmp' ? null : w.currentDport,
        dport: flow.sport,
      };
      const replyPaths: TracePath[] = [];
      replyWalker.traceReply(from, to, { path: (rw, rl, rd) => replyPaths.push(materialize(c, rw, rl, rd, to, replySrc)) }, proto, flow.sport ?? 0, w, length, atVip ? replySrc : 0, w.currentDport);
      replies.push({ forwardPath: paths.length - 1, flow: replyFlow, paths: replyPaths, ...(replyWalker.truncated ? { truncated: true } : {}) });
    },
  };
  walker.trace(src, dst, sink, proto, flow.dport ?? 0);
  const result: TraceResult = walker.truncated ? { flow, paths, truncated: true } : { flow, paths };
  if (opts.withReturn) result.return = replies;
  return result;
}

const SE_SOURCE_PORT = 49153;

/**
 * The virtual service's side of a path that reached an SE: why it did not serve (NO_SERVICE), or
 * the SE's new connection to each pool member — source NATed to the SE's data IP, first hop from
 * the Tier-1 VRF — traced like any other flow (with its reply when asked).
 */
function loadBalancerLeg(c: CompiledNetwork, lb: CompiledLoadBalancer, w: Walker, row: number, flow: Flow, host: string | null, mw: Walker, replyWalker: Walker | null): LoadBalancerLeg {
  const vs = lb.avi.virtualServices[w.rowNh[row]];
  const nic = w.rowRef[row];
  const se = lb.seOfEndpoint.get(nic)!;
  const leg: LoadBalancerLeg = { virtualService: vs.name, serviceEngine: se, vip: formatIp(vs.vip), members: [] };
  const proto = PROTOCOL_NUMBER[flow.proto];
  const port = w.currentDport;
  if (flow.proto === 'icmp') {
    leg.answeredBy = `${se} answers ICMP on the VIP`;
    return leg;
  }
  const protocol = flow.proto === 'udp' ? 'UDP' : 'TCP';
  const verdict = serves(lb, w.rowNh[row], proto, port, host);
  if (verdict === LB_NO_LISTENER) {
    leg.reason = `virtual service ${vs.name} does not listen on ${protocol}/${port} (it listens on ${vs.services.map((s) => `${s.protocol}/${s.port}`).join(', ')})`;
    return leg;
  }
  if (vs.dns) {
    leg.answeredBy = `DNS virtual service ${vs.name} answers the query`;
    return leg;
  }
  const seIp = c.net.endpoints[nic].ip;
  const refs = poolsFor(vs, protocol, port, host);
  if (!refs.length) {
    leg.reason = host !== null ? `no HTTP route of virtual service ${vs.name} matches host ${host}` : `virtual service ${vs.name} has no pool for ${protocol}/${port}`;
    return leg;
  }
  for (const ref of refs) {
    const pool = lb.avi.pools.get(ref.pool);
    if (!pool) continue;
    for (const m of pool.members) {
      const mport = m.port ?? pool.defaultPort ?? port;
      const member: MemberLeg = { pool: ref.pool, member: `${formatIp(m.ip)}:${mport}`, ...(ref.host !== null || ref.path !== null ? { host: ref.host, path: ref.path } : {}), paths: [] };
      leg.members.push(member);
      if (!pool.enabled || !m.enabled || !m.up) {
        member.skipped = !pool.enabled ? 'pool disabled' : !m.enabled ? 'member disabled' : 'member down (its workload, node or host has failed)';
        continue;
      }
      const memberEp = c.net.endpointByIp.get(m.ip);
      member.flow = {
        from: c.net.endpoints[nic].name,
        to: memberEp !== undefined ? c.net.endpoints[memberEp].name : null,
        src: formatIp(seIp),
        dst: formatIp(m.ip),
        proto: flow.proto,
        sport: SE_SOURCE_PORT,
        dport: mport,
      };
      const route = vrfLookup(lb.avi, vs.tier1, m.ip);
      if (!route) {
        member.paths.push({
          disposition: 'NO_ROUTE',
          hops: [{ seq: 0, node: c.net.nodes[c.net.endpoints[nic].node].name, component: c.net.endpoints[nic].name, componentType: 'SERVICE_ENGINE', observation: 'DROPPED', detail: `no route to ${formatIp(m.ip)} in the VRF of ${vs.tier1}` }],
        });
        continue;
      }
      member.vrfRoute = route.origin;
      leg.snat = formatIp(seIp);
      mw.host = null;
      mw.traceVia(nic, m.ip, route.nextHop, {
        path: (rw, rl, rd) => {
          member.paths.push(materialize(c, rw, rl, rd, m.ip));
          if (!replyWalker || DISPOSITIONS[rd] !== 'DELIVERED' || rw.rowType[rl - 1] !== ROW_ENDPOINT) return;
          member.return ??= [];
          replyWalker.traceReply(rw.rowRef[rl - 1], seIp, { path: (qw, ql, qd) => member.return!.push(materialize(c, qw, ql, qd, seIp)) }, proto, SE_SOURCE_PORT, rw, rl);
        },
      }, proto, mport);
      if (mw.truncated) member.truncated = true;
    }
  }
  if (!leg.members.some((m) => m.skipped === undefined)) leg.reason = `no pool member enabled and up for ${protocol}/${port}${host !== null ? ` (host ${host})` : ''}`;
  return leg;
}

function materialize(c: CompiledNetwork, w: Walker, length: number, disposition: number, dst: number, src?: number): TracePath {
  const net = c.net;
  const hops: Hop[] = [];
  // The destination as the packet carries it at each hop (DNAT rewrites it).
  let dstNow = dst;
  for (let i = 0; i < length; i++) {
    const type = w.rowType[i];
    const obs = w.rowObs[i];
    const ref = w.rowRef[i];
    let component: string;
    let componentType: HopComponentType;
    let route: HopRoute | undefined;
    let rule: string | undefined;
    let detail = '';
    if (type === ROW_ENDPOINT) {
      const ep = net.endpoints[ref];
      component = ep.name;
      componentType = ep.kind;
      if (obs === OBS_INJECTED || (i === 0 && obs !== OBS_RECEIVED)) {
        detail = `${formatIp(src ?? ep.ip)} → ${formatIp(dst)}`;
        if (obs === OBS_DROPPED && w.rowWhy[i] === WHY_NO_GATEWAY) detail += `: not on ${formatIp(ep.ip)}/${ep.len} and no default gateway`;
        if (obs === OBS_DELIVERED) detail += ': the destination is the source itself';
      } else if (w.rowWhy[i] === WHY_VIP) {
        const vs = c.lb!.avi.virtualServices[w.rowNh[i]];
        detail = `VIP ${formatIp(vs.vip)} of virtual service ${vs.name} on SE ${c.lb!.seOfEndpoint.get(ref)}${obs === OBS_DROPPED ? ': not served (NO_SERVICE)' : ''}`;
      } else if (obs === OBS_DELIVERED) detail = `delivered to ${ep.name} (${formatIp(ep.ip)})`;
      else if (w.rowWhy[i] === WHY_NOT_A_ROUTER) detail = `next hop ${formatIp(ep.ip)} is ${ep.name}, an end host that does not route`;
    } else if (type === ROW_SEGMENT) {
      component = net.domains[ref].segment!;
      componentType = 'SEGMENT';
      detail = `switched to ${describeOwner(c, w, i, dstNow)}`;
      if (w.rowWhy[i] === WHY_PROXY_ARP) detail += `; ${describeProxyArp(net, c.proxyArp.entries[w.rowNh[i]], w.rowFrom[i])}`;
    } else if (type === ROW_TUNNEL_OUT || type === ROW_TUNNEL_IN) {
      const peer = net.nodes[ref];
      const here = net.nodes[w.rowNode[i]];
      component = 'GENEVE';
      componentType = 'TUNNEL';
      detail =
        type === ROW_TUNNEL_OUT
          ? `encapsulated TEP ${formatIp(here.tep)} → TEP ${formatIp(peer.tep)} (${peer.name})`
          : `decapsulated from TEP ${formatIp(peer.tep)} (${peer.name})`;
    } else if (type === ROW_NAT) {
      const t = c.nat[ref]!;
      const r = w.rowNh[i];
      component = net.components[ref].name;
      componentType = 'NAT';
      rule = t.names[r];
      const action = (w.rowWhy[i] === WHY_REVERSE ? 'reverse ' : '') + ['SNAT', 'DNAT', 'REFLEXIVE', 'NO_SNAT', 'NO_DNAT'][t.actions[r]];
      const field = w.rowFrom[i] === dstNow ? 'destination' : 'source';
      if (field === 'destination') dstNow = w.rowTo[i];
      const ports = w.rowPortTo[i] !== 0 ? [`:${w.rowPortFrom[i]}`, `:${w.rowPortTo[i]}`] : ['', ''];
      detail = `${action} ${field} ${formatIp(w.rowFrom[i])}${ports[0]} → ${formatIp(w.rowTo[i])}${ports[1]} (rule ${JSON.stringify(rule)})`;
    } else if (type === ROW_FIREWALL) {
      const rules = ref < 0 ? c.distributedFirewall! : c.gatewayFirewall[ref]!;
      const r = w.rowNh[i];
      component = ref < 0 ? 'DFW' : net.components[ref].name;
      componentType = ref < 0 ? 'DISTRIBUTED_FIREWALL' : 'GATEWAY_FIREWALL';
      rule = rules.names[r];
      const verb = ['allows', 'drops', 'rejects'][rules.actions[r]];
      detail = `rule ${JSON.stringify(rule)} ${verb} the packet${ref < 0 ? (i === 1 ? ' (leaving the source vNIC)' : ' (entering the destination vNIC)') : ''}`;
    } else {
      const comp = net.components[ref];
      component = comp.name;
      componentType = comp.type;
      if (w.rowNh[i] >= 0) route = routeOf(c, ref, dstNow, w.rowNh[i]);
      detail = routerDetail(c, w, i, disposition, dstNow, i === length - 1);
    }
    const seq = w.rowSeq[i];
    const node = net.nodes[w.rowNode[i]].name;
    const observation = OBSERVATIONS[obs];
    // Key order of the output contract.
    hops.push(
      route ? { seq, node, component, componentType, observation, route, detail } : rule !== undefined ? { seq, node, component, componentType, observation, rule, detail } : { seq, node, component, componentType, observation, detail },
    );
  }
  return { disposition: DISPOSITIONS[disposition], hops };
}

function routeOf(c: CompiledNetwork, comp: number, dst: number, nh: number): HopRoute {
  const r = routeOfHop(c, comp, dst, nh);
  const kind = c.nhKind[nh];
  const itf = c.nhInterface[nh];
  return {
    prefix: formatPrefix(r.prefix),
    type: r.type,
    nextHop: kind === NH_BLACKHOLE ? 'null' : kind === NH_CONNECTED ? null : formatIp(c.nhIp[nh]),
    interface: itf >= 0 ? c.net.interfaces[itf].name : null,
  };
}

function describeOwner(c: CompiledNetwork, w: Walker, row: number, dst: number): string {
  // The row after a segment is the receiver (possibly after tunnel rows).
  for (let j = row + 1; j < w.rowType.length; j++) {
    const t = w.rowType[j];
    // Tunnel rows, and an SR's services (NAT, gateway firewall) that come before its routing row.
    if (t === ROW_TUNNEL_IN || t === ROW_TUNNEL_OUT || t === ROW_NAT || (t === ROW_FIREWALL && w.rowRef[j] >= 0)) continue;
    if (t === ROW_ROUTER) {
      const comp = c.net.components[w.rowRef[j]];
      return `${comp.name} (${comp.type})`;
    }
    if (t === ROW_ENDPOINT) return c.net.endpoints[w.rowRef[j]].name;
    if (t === ROW_FIREWALL && w.rowRef[j] < 0) {
      const ep = c.net.endpointByIp.get(dst);
      return ep !== undefined ? c.net.endpoints[ep].name : 'the destination';
    }
    break;
  }
  return 'the next hop';
}

function routerDetail(c: CompiledNetwork, w: Walker, i: number, disposition: number, dst: number, last: boolean): string {
  const obs = w.rowObs[i];
  const nh = w.rowNh[i];
  const comp = c.net.components[w.rowRef[i]];
  if (obs === OBS_DELIVERED) return `${formatIp(dst)} is an address of ${comp.name}`;
  if (obs === OBS_DROPPED) {
    const name = DISPOSITIONS[disposition];
    if (name === 'NO_ROUTE') return `no route to ${formatIp(dst)}`;
    if (name === 'NULL_ROUTED') return `null route ${formatPrefix(routeOfHop(c, w.rowRef[i], dst, nh).prefix)} drops the packet`;
    if (name === 'ARP_FAILED') {
      const target = c.nhKind[nh] === NH_CONNECTED ? dst : c.nhIp[nh];
      return `ARP for ${formatIp(target)} on ${domainName(c, c.nhDomain[nh])}: no owner`;
    }
    if (name === 'LOOP') {
      if (w.rowWhy[i] === WHY_TTL) return 'TTL exhausted';
      const node = w.rowNode[i];
      const ref = w.rowRef[i];
      let first = 0;
      for (let j = 0; j < i; j++) if (w.rowType[j] === ROW_ROUTER && w.rowRef[j] === ref && w.rowNode[j] === node) first = j;
      const cycle: string[] = [];
      for (let j = first; j <= i; j++) {
        if (w.rowType[j] === ROW_ROUTER) cycle.push(`${c.net.components[w.rowRef[j]].name}@${c.net.nodes[w.rowNode[j]].name}`);
      }
      return `forwarding loop: ${cycle.join(' → ')}`;
    }
  }
  if (last && DISPOSITIONS[disposition] === 'EXITS_NETWORK') {
    return `leaves the modelled network via ${c.net.interfaces[c.nhInterface[nh]].name}`;
  }
  if (obs === OBS_FORWARDED && nh >= 0) {
    const itf = c.nhInterface[nh];
    return itf >= 0 ? `out ${c.net.interfaces[itf].name}` : '';
  }
  return '';
}

function domainName(c: CompiledNetwork, d: number): string {
  const dom = c.net.domains[d];
  return dom.segment !== undefined ? `segment ${dom.segment}` : dom.name;
}

