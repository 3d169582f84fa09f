// The topology view's model: every object the picture shows (physical hosts and routers, uplink
// VLANs, Tier-0 SRs per edge and DR, Tier-1 SRs and DRs, segments, VIPs, endpoints, transport
// nodes) with a deterministic layered layout — rows by layer, columns by the gateway → segment →
// endpoint tree in scenario order, every SR in its own column (no two boxes overlap) — and the
// links between them. DOM-free: the renderer and the tests read it. Uses the engine only through
// its public API.
import type { Twin } from '../engine/index.js';
import { formatIp as fmt, ownEntry as own } from '../topology/index.js';

export type ViewKind = 'physical-host' | 'physical-router' | 'uplink' | 't0-sr' | 't0-dr' | 't1-sr' | 't1-dr' | 'segment' | 'vip' | 'endpoint' | 'transport-node';

export interface ViewNode {
  /** Stable id, e.g. `t0sr:t0-lhr:edge-01`, `seg:avi-se-generic-data`, `ep:se-generic-01`. */
  readonly id: string;
  readonly kind: ViewKind;
  readonly label: string;
  /** Second line: address, edge, HA state. */
  readonly sub: string;
  /** The name the details panel and traces use (gateway, segment, endpoint, router...). */
  readonly name: string;
  /** Endpoint role (WORKLOAD, SERVICE_ENGINE, K8S_NODE, POD, PHYSICAL_HOST) or SR HA state. */
  readonly role: string;
  readonly down: boolean;
  readonly x: number;
  readonly y: number;
}

export type LinkKind = 'l2' | 'router-link' | 'internal' | 'vip' | 'runs-on';

export interface ViewLink {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly kind: LinkKind;
}

export interface ViewModel {
  readonly nodes: readonly ViewNode[];
  readonly links: readonly ViewLink[];
  readonly byId: ReadonlyMap<string, ViewNode>;
  readonly width: number;
  readonly height: number;
}

export const COLUMN = 120;
export const ROW = 96;
const MARGIN = 80;

const ROWS: Record<ViewKind, number> = {
  'physical-host': 0,
  'physical-router': 1,
  uplink: 2,
  't0-sr': 3,
  't0-dr': 4,
  't1-sr': 5,
  't1-dr': 6,
  segment: 7,
  vip: 7,
  endpoint: 8,
  'transport-node': 9,
};

interface Item {
  id: string;
  kind: ViewKind;
  label: string;
  sub: string;
  name: string;
  role: string;
  down: boolean;
  col: number;
}

/** Builds the view model of a twin: the same twin always gives the same model. */
export function buildViewModel(twin: Twin): ViewModel {
  const net = twin.network;
  const s = twin.realized.scenario;
  const items = new Map<string, Item>();
  /** Items in creation order: a subtree's items are the ones created since its walk began. */
  const created: Item[] = [];
  const links: ViewLink[] = [];
  const link = (source: string, target: string, kind: LinkKind) => {
    if (items.has(source) && items.has(target)) links.push({ id: `${source}|${target}`, source, target, kind });
  };
  const add = (id: string, kind: ViewKind, name: string, label: string, sub: string, role = '', down = false): Item => {
    const it: Item = { id, kind, label, sub, name, role, down, col: 0 };
    items.set(id, it);
    created.push(it);
    return it;
  };

  // Endpoints per L2 domain, in declaration order.
  const epsByDomain = new Map<number, number[]>();
  for (const ep of net.endpoints) {
    const ids = epsByDomain.get(ep.domain);
    if (ids === undefined) epsByDomain.set(ep.domain, [ep.id]);
    else ids.push(ep.id);
  }
  const domainOfSegment = new Map<string, number>();
  for (const d of net.domains) if (d.segment !== undefined) domainOfSegment.set(d.segment, d.id);

  // Column allocation: a depth-first walk of Tier-0 → Tier-1 → segment → endpoint; a parent sits
  // over the middle of its children. Every gateway's subtree owns the columns [from, next) — at
  // least one per SR (and per uplink VLAN) — so its SRs sit side by side, one column apart,
  // within its own columns: no two boxes of a row overlap.
  let next = 0;
  const place = (it: Item, children: Item[]) => {
    it.col = children.length ? (children[0].col + children[children.length - 1].col) / 2 : next++;
  };
  /** A subtree begun at column `from` (its items created since `mark`) gets at least `n` columns, centred. */
  const widen = (from: number, mark: number, n: number) => {
    const w = next - from;
    if (w >= n) return;
    const shift = (n - w) / 2;
    for (let i = mark; i < created.length; i++) created[i].col += shift;
    next = from + n;
  };
  /** Columns for `n` boxes side by side over the middle of [lo, hi], spread to lo..hi when that is wider, kept in [from, next). */
  const row = (n: number, lo: number, hi: number, from: number): number[] => {
    if (n === 0) return [];
    const step = n > 1 ? Math.max(1, (hi - lo) / (n - 1)) : 0;
    const start = Math.min(Math.max((lo + hi) / 2 - (step * (n - 1)) / 2, from), next - 1 - step * (n - 1));
    return Array.from({ length: n }, (_, i) => start + step * i);
  };
  const placedEndpoints = new Set<number>();
  const segmentItem = (name: string): Item => {
    const d = domainOfSegment.get(name);
    const spec = own(s.segments, name);
    const seg = add(`seg:${name}`, 'segment', name, name, spec?.gateway ?? spec?.subnet ?? '', spec?.type ?? 'overlay');
    const eps: Item[] = [];
    for (const e of d !== undefined ? (epsByDomain.get(d) ?? []) : []) {
      const ep = net.endpoints[e];
      placedEndpoints.add(e);
      const it = add(`ep:${ep.name}`, 'endpoint', ep.name, ep.name, fmt(ep.ip), ep.kind, ep.down);
      it.col = next++;
      eps.push(it);
    }
    place(seg, eps);
    for (const ep of eps) link(seg.id, ep.id, 'l2');
    return seg;
  };
  const byGateway = new Map<string, (typeof net.components)[number][]>();
  for (const c of net.components) if (c.type !== 'PHYSICAL_ROUTER') byGateway.set(c.name, [...(byGateway.get(c.name) ?? []), c]);
  const componentsOf = (gw: string) => byGateway.get(gw) ?? [];
  const srsOf = new Map<string, Item[]>();
  /** The SRs of a gateway over `span` (its DR, or a Tier-0's children), in its columns [from, next). */
  const srItems = (gw: string, kind: 't0-sr' | 't1-sr', prefix: string, span: Item[], from: number): Item[] => {
    const srs = componentsOf(gw).filter((c) => c.type === 'T0_SR' || c.type === 'T1_SR');
    const cols = row(srs.length, span[0].col, span[span.length - 1].col, from);
    const out = srs.map((c, i) => {
      const edge = net.nodes[c.node].name;
      const it = add(`${prefix}:${gw}:${edge}`, kind, gw, `${gw} SR`, `${edge} · ${c.ha}`, c.ha, c.ha === 'down');
      it.col = cols[i];
      return it;
    });
    srsOf.set(`${kind}:${gw}`, out);
    return out;
  };

  const vipsOf = (t1: string) => (twin.realized.avi?.virtualServices ?? []).filter((v) => v.tier1 === t1);
  const tier1Item = (name: string): Item => {
    const from = next;
    const mark = created.length;
    const children: Item[] = [];
    for (const [seg, spec] of Object.entries(s.segments ?? {})) if (spec.tier1 === name) children.push(segmentItem(seg));
    for (const vs of vipsOf(name)) {
      const it = add(`vip:${vs.name}`, 'vip', vs.name, `VIP ${fmt(vs.vip)}`, vs.name, vs.state, vs.state !== 'UP');
      it.col = next++;
      children.push(it);
    }
    const dr = add(`t1dr:${name}`, 't1-dr', name, name, 'Tier-1 DR');
    place(dr, children);
    for (const c of children) link(dr.id, c.id, c.kind === 'vip' ? 'vip' : 'l2');
    widen(from, mark, componentsOf(name).filter((c) => c.type === 'T1_SR').length);
    const srs = srItems(name, 't1-sr', 't1sr', [dr], from);
    for (const sr of srs) link(sr.id, dr.id, 'internal');
    return dr;
  };

  const t0Tops: Item[] = [];
  for (const [t0, spec] of Object.entries(s.tier0s ?? {})) {
    const from = next;
    const mark = created.length;
    const children: Item[] = [];
    for (const [t1, t1spec] of Object.entries(s.tier1s ?? {})) if (t1spec.tier0 === t0) children.push(tier1Item(t1));
    for (const [seg, segSpec] of Object.entries(s.segments ?? {})) if (segSpec.tier0 === t0) children.push(segmentItem(seg));
    const dr = add(`t0dr:${t0}`, 't0-dr', t0, t0, 'Tier-0 DR');
    place(dr, children);
    for (const c of children) {
      if (c.kind === 't1-dr') {
        const t1srs = srsOf.get(`t1-sr:${c.name}`) ?? [];
        if (t1srs.length) for (const sr of t1srs) link(dr.id, sr.id, 'router-link');
        else link(dr.id, c.id, 'router-link');
      } else link(dr.id, c.id, 'l2');
    }
    const uplinkSegs = [...new Set((spec.uplinks ?? []).map((u) => u.segment))];
    widen(from, mark, Math.max(uplinkSegs.length, componentsOf(t0).filter((c) => c.type === 'T0_SR').length));
    const srs = srItems(t0, 't0-sr', 't0sr', children.length ? children : [dr], from);
    for (const sr of srs) link(sr.id, dr.id, 'internal');
    t0Tops.push(...srs);
    // Uplink VLANs above the SRs, side by side.
    const upCols = srs.length ? row(uplinkSegs.length, srs[0].col, srs[srs.length - 1].col, from) : row(uplinkSegs.length, dr.col, dr.col, from);
    for (const [i, seg] of uplinkSegs.entries()) {
      const it = add(`seg:${seg}`, 'uplink', seg, seg, own(s.segments, seg)?.subnet ?? '', 'vlan');
      it.col = upCols[i];
      for (const u of spec.uplinks ?? []) if (u.segment === seg) link(it.id, `t0sr:${t0}:${u.edge}`, 'l2');
      // Physical hosts on the uplink VLAN are drawn with the physical hosts (linked below).
      const d = domainOfSegment.get(seg);
      for (const e of d !== undefined ? (epsByDomain.get(d) ?? []) : []) if (net.endpoints[e].kind !== 'PHYSICAL_HOST') placedEndpoints.add(e);
    }
  }
  // Tier-1s without a Tier-0, then segments no gateway owns (VLANs of physical hosts, orphans).
  for (const [t1, spec] of Object.entries(s.tier1s ?? {})) if (spec.tier0 === undefined || !own(s.tier0s, spec.tier0)) tier1Item(t1);
  for (const [seg] of Object.entries(s.segments ?? {})) if (!items.has(`seg:${seg}`)) segmentItem(seg);

  // Physical routers and hosts, centred over the whole width.
  const mid = (Math.max(next, 1) - 1) / 2;
  const spread = (list: Item[]) => list.forEach((it, i) => (it.col = mid + (i - (list.length - 1) / 2) * 1.5));
  const routers: Item[] = [];
  for (const [name, r] of Object.entries(s.physicalRouters ?? {})) {
    const c = net.components[net.routerByName.get(name)!];
    routers.push(add(`router:${name}`, 'physical-router', name, name, r.interfaces.map((i) => i.ip).join(' '), '', c.ha === 'down'));
  }
  spread(routers);
  const hosts: Item[] = [];
  for (const ep of net.endpoints) {
    if (ep.kind !== 'PHYSICAL_HOST' || placedEndpoints.has(ep.id)) continue;
    hosts.push(add(`host:${ep.name}`, 'physical-host', ep.name, ep.name, fmt(ep.ip), ep.kind, ep.down));
  }
  spread(hosts);
  // Physical L2: a host links to the routers on its subnet, an uplink VLAN to the routers on it.
  for (const h of hosts) {
    const ep = net.endpoints[net.endpointByName.get(h.name)!];
    const seg = net.domains[ep.domain].segment;
    if (seg !== undefined) link(h.id, `seg:${seg}`, 'l2');
    for (const r of routers) {
      const c = net.components[net.routerByName.get(r.name)!];
      if (c.interfaces.some((i) => net.interfaces[i].domain === ep.domain)) link(r.id, h.id, 'l2');
    }
  }
  for (const it of [...items.values()]) {
    if (it.kind !== 'uplink' && it.kind !== 'segment') continue;
    const d = domainOfSegment.get(it.name);
    for (const r of routers) {
      const c = net.components[net.routerByName.get(r.name)!];
      if (d !== undefined && c.interfaces.some((i) => net.interfaces[i].domain === d)) link(r.id, it.id, 'l2');
    }
  }
  // Transport nodes along the bottom, spread over the width (at least a column apart); endpoints
  // run on hosts, SRs on edges.
  const tns = net.nodes.filter((n) => n.kind !== 'physical');
  const tnStep = tns.length > 1 ? Math.max(1, (2 * mid) / (tns.length - 1)) : 0;
  tns.forEach((n, i) => {
    const it = add(`tn:${n.name}`, 'transport-node', n.name, n.name, `${n.kind} · TEP ${fmt(n.tep)}`, n.kind, false);
    it.col = mid + (i - (tns.length - 1) / 2) * tnStep;
  });
  for (const ep of net.endpoints) if (ep.kind !== 'PHYSICAL_HOST') link(`ep:${ep.name}`, `tn:${net.nodes[ep.node].name}`, 'runs-on');
  for (const it of items.values()) if (it.kind === 't0-sr' || it.kind === 't1-sr') link(it.id, `tn:${it.id.split(':')[2]}`, 'runs-on');
  // VIP → the SEs carrying it.
  for (const vs of twin.realized.avi?.virtualServices ?? []) for (const nic of vs.nics) link(`vip:${vs.name}`, `ep:${nic}`, 'vip');

  // Rows wider than the gateway tree (routers, hosts, transport nodes) widen the picture.
  const all = [...items.values()];
  const first = all.reduce((m, it) => Math.min(m, it.col), 0);
  const width = all.reduce((m, it) => Math.max(m, it.col - first + 1), 1);
  const nodes: ViewNode[] = all.map((it) => ({
    id: it.id,
    kind: it.kind,
    label: it.label,
    sub: it.sub,
    name: it.name,
    role: it.role,
    down: it.down,
    x: MARGIN + (it.col - first) * COLUMN,
    y: MARGIN + ROWS[it.kind] * ROW,
  }));
  return {
    nodes,
    links,
    byId: new Map(nodes.map((n) => [n.id, n])),
    width: MARGIN * 2 + (width - 1) * COLUMN,
    height: MARGIN * 2 + 9 * ROW,
  };
}

/**
 * The view nodes a trace path visits, in order (consecutive repeats folded): each hop mapped to
 * the object the picture shows for it.
 */
export function pathNodeIds(model: ViewModel, hops: readonly { node: string; component: string; componentType: string }[]): string[] {
  const out: string[] = [];
  const push = (id: string | null) => {
    if (id !== null && model.byId.has(id) && out[out.length - 1] !== id) out.push(id);
  };
  for (const h of hops) {
    switch (h.componentType) {
      case 'T0_SR':
        push(`t0sr:${h.component}:${h.node}`);
        break;
      case 'T1_SR':
        push(`t1sr:${h.component}:${h.node}`);
        break;
      case 'T0_DR':
        push(`t0dr:${h.component}`);
        break;
      case 'T1_DR':
        push(`t1dr:${h.component}`);
        break;
      case 'SEGMENT':
        push(`seg:${h.component}`);
        break;
      case 'PHYSICAL_ROUTER':
        push(`router:${h.component}`);
        break;
      case 'PHYSICAL_HOST':
        push(model.byId.has(`host:${h.component}`) ? `host:${h.component}` : `ep:${h.component}`);
        break;
      case 'TUNNEL':
      case 'GATEWAY_FIREWALL':
      case 'DISTRIBUTED_FIREWALL':
        break;
      case 'NAT':
        push(model.byId.has(`t1sr:${h.component}:${h.node}`) ? `t1sr:${h.component}:${h.node}` : `t0sr:${h.component}:${h.node}`);
        break;
      default:
        push(`ep:${h.component}`);
    }
  }
  return out;
}
