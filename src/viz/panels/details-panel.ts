// The details panel: everything nsx-twin knows about the selected object — routing tables per
// component, the BGP table with the reason of each path, NAT and firewall rules, Avi virtual
// services and the routes they caused, and shortcuts to trace from or to it.
import type { Twin } from '../../engine/index.js';
import type { ViewNode } from '../layout.js';
import { h, section, table } from '../dom.js';

export interface DetailActions {
  traceFrom(name: string): void;
  traceTo(name: string): void;
}

function routesBlock(twin: Twin, q: Parameters<Twin['routes']>[0], title: string): HTMLElement {
  try {
    const t = twin.routes(q);
    return section(
      `${title}${t.node ? ` on ${t.node}` : ''}${t.ha !== 'active' ? ` [${t.ha}]` : ''}`,
      table(
        ['', 'type', 'prefix', 'next hops', 'origin'],
        t.routes.map((r) => [
          r.selected ? '>*' : r.inactive ? 'x' : '',
          r.type,
          r.prefix,
          r.nextHops.map((n) => (n.ip === 'null' ? 'null' : n.ip ? `via ${n.ip}` : `connected ${n.interface ?? ''}`)).join(', '),
          r.origin,
        ]),
        'routes',
      ),
    );
  } catch (e) {
    return section(title, h('p', { class: 'muted' }, (e as Error).message));
  }
}

function bgpBlock(twin: Twin, router: string, edge?: string): HTMLElement | null {
  try {
    const v = twin.bgp({ router, edge, rejected: true });
    return section(
      `BGP (AS ${v.asn}, router id ${v.routerId})`,
      table(['neighbor', 'peer', 'AS', 'state'], v.sessions.map((s) => [s.neighbor, s.peer ?? '', String(s.remoteAs), s.state])),
      table(['', 'prefix', 'next hop', 'path', 'why'], v.routes.map((r) => [r.best ? '*>' : r.multipath ? '*=' : '', r.prefix, r.nextHop, r.asPath.join(' '), r.reason]), 'bgp'),
      v.rejected?.length ? h('details', {}, h('summary', {}, `${v.rejected.length} stopped paths`), table(['prefix', 'from', 'where', 'reason'], v.rejected.map((r) => [r.prefix, r.from, r.where, r.reason]))) : null,
    );
  } catch {
    return null;
  }
}

function aviBlock(twin: Twin, filter: (vs: { name: string; tier1: string; serviceEngines: { name: string }[] }) => boolean): HTMLElement | null {
  if (!twin.realized.avi) return null;
  const v = twin.avi();
  const list = v.virtualServices.filter(filter);
  if (!list.length) return null;
  return section(
    'NSX ALB virtual services',
    ...list.map((vs) =>
      h(
        'div',
        { class: 'vs' },
        h('h4', {}, vs.name, vs.createdFor ? h('span', { class: 'muted' }, ` (AKO: ${vs.createdFor})`) : null),
        table(
          ['', ''],
          [
            ['state', `${vs.state}${vs.reason ? ` — ${vs.reason}` : ''}`],
            ['VIP', `${vs.vip} ${vs.services.join(', ')} on ${vs.tier1}`],
            ['SEs', vs.serviceEngines.map((s) => `${s.name} ${s.dataIp ?? ''}${s.standby ? ' (standby)' : ''}`).join(', ') || 'none'],
            ...vs.pools.map((p) => [`pool ${p.name}`, p.members.map((m) => `${m.address}${m.enabled ? (m.up ? '' : ' (down)') : ' (disabled)'}`).join(', ')]),
            ['FQDNs', vs.fqdns.join(', ')],
            ['VIP path', vs.vipRealisation],
            ...vs.nsxRoutes.map((r) => [r.component, `${r.type} ${r.prefix} → ${r.nextHops.join(', ')}`]),
          ],
          'kv',
        ),
      ),
    ),
  );
}

function rules(title: string, list: { name: string }[] | undefined, cols: (r: Record<string, unknown>) => string[], header: string[]): HTMLElement | null {
  if (!list?.length) return null;
  return section(title, table(header, list.map((r) => cols(r as unknown as Record<string, unknown>))));
}

export function renderDetails(el: HTMLElement, twin: Twin, node: ViewNode | null, actions: DetailActions): void {
  el.replaceChildren();
  if (!node) {
    el.append(h('p', { class: 'muted' }, 'Click an object in the topology to see its tables.'));
    return;
  }
  const s = twin.realized.scenario;
  el.append(h('h2', {}, node.label), h('p', { class: 'muted' }, `${node.kind}${node.sub ? ` · ${node.sub}` : ''}${node.down ? ' · failed' : ''}`));
  const gw = node.name;
  const natCols = (r: Record<string, unknown>) => [String(r.name), String(r.action), String(r.source ?? 'any'), String(r.destination ?? 'any'), String(r.translated ?? '')];
  const fwCols = (r: Record<string, unknown>) => [String(r.name), String(r.action), ((r.sources as string[]) ?? ['ANY']).join(' '), ((r.destinations as string[]) ?? ['ANY']).join(' '), ((r.services as string[]) ?? ['ANY']).join(' ')];
  const gwSpec = s.tier0s?.[gw] ?? s.tier1s?.[gw];
  switch (node.kind) {
    case 't0-sr':
    case 't1-sr': {
      const edge = node.id.split(':')[2];
      el.append(routesBlock(twin, { gateway: gw, component: 'sr', node: edge }, `${gw} SR routes`));
      if (node.kind === 't0-sr') {
        const b = bgpBlock(twin, gw, edge);
        if (b) el.append(b);
      }
      const nat = rules('NAT rules', gwSpec?.nat, natCols, ['rule', 'action', 'source', 'destination', 'translated']);
      const fw = rules('Gateway firewall', gwSpec?.gatewayFirewall, fwCols, ['rule', 'action', 'sources', 'destinations', 'services']);
      if (nat) el.append(nat);
      if (fw) el.append(fw);
      break;
    }
    case 't0-dr':
    case 't1-dr': {
      el.append(routesBlock(twin, { gateway: gw, component: 'dr' }, `${gw} DR routes`));
      const t1 = s.tier1s?.[gw];
      if (t1) el.append(section('Route advertisement', h('p', {}, (t1.advertise ?? []).join(', ') || 'nothing')));
      const a = aviBlock(twin, (vs) => vs.tier1 === gw);
      if (a) el.append(a);
      break;
    }
    case 'physical-router': {
      el.append(routesBlock(twin, { router: gw }, `${gw} routes`));
      const b = bgpBlock(twin, gw);
      if (b) el.append(b);
      break;
    }
    case 'vip': {
      const a = aviBlock(twin, (vs) => vs.name === gw);
      if (a) el.append(a);
      break;
    }
    case 'segment':
    case 'uplink': {
      const seg = s.segments?.[gw];
      if (seg) el.append(section('Segment', table(['', ''], Object.entries(seg).map(([k, v]) => [k, String(v)]), 'kv')));
      break;
    }
    case 'endpoint':
    case 'physical-host': {
      el.append(
        section(
          'Traceflow',
          h('button', { type: 'button', 'data-action': 'trace-from' }, 'Trace from here'),
          ' ',
          h('button', { type: 'button', 'data-action': 'trace-to' }, 'Trace to here'),
        ),
      );
      el.querySelector('[data-action=trace-from]')!.addEventListener('click', () => actions.traceFrom(gw));
      el.querySelector('[data-action=trace-to]')!.addEventListener('click', () => actions.traceTo(gw));
      if (node.role === 'SERVICE_ENGINE') {
        const a = aviBlock(twin, (vs) => vs.serviceEngines.some((x) => gw === x.name || gw.startsWith(`${x.name}/`)));
        if (a) el.append(a);
      }
      break;
    }
    default:
      break;
  }
}
