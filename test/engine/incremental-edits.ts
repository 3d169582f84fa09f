// What-if edits for the incremental tests and benchmarks: the edits an architect makes in the
// what-if panel or with --fail/--set, listed from a scenario as immer recipes (failures, enabled
// flags of static routes / NAT / firewall rules / virtual services / pools / members, route-map
// and prefix-list actions, Tier-1 advertisement types, a static route or a segment added, a
// virtual service added, an SE group's placement settings), and the full state of a twin rendered for comparison (every routing
// table, every FIB group, every BGP table, a sample of traces).
import type { Draft } from 'immer';
import type { Scenario } from '../../src/topology/scenario.js';
import { formatIp, formatPrefix } from '../../src/topology/ip.js';
import type { Twin } from '../../src/engine/twin.js';
import { lpmLookup } from '../../src/engine/fib/lpm.js';
import { entryGroups, entryRoutePosition } from '../../src/engine/fib/compile.js';


export interface EditKind {
  readonly kind: string;
  readonly label: string;
  readonly recipe: (d: Draft<Scenario>) => void;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const at = (root: unknown, path: readonly (string | number)[]): Obj => path.reduce<any>((o, k) => o[k], root) as Obj;

/** Every edit the scenario offers, in a stable order. */
export function editsOf(s: Scenario): EditKind[] {
  const out: EditKind[] = [];
  const fail = (name: string) =>
    out.push({
      kind: 'fail',
      label: `toggle failure of ${name}`,
      recipe: (d) => {
        const list = (d.failed ??= []);
        const i = list.indexOf(name);
        if (i >= 0) list.splice(i, 1);
        else list.push(name);
      },
    });
  for (const name of Object.keys(s.transportNodes ?? {})) fail(name);
  for (const name of Object.keys(s.physicalRouters ?? {})) fail(name);
  for (const g of Object.values(s.avi?.seGroups ?? {})) for (const se of Object.keys(g.serviceEngines)) fail(se);
  for (const c of Object.values(s.kubernetes ?? {})) for (const n of Object.keys(c.nodes)) fail(n);
  for (const w of Object.keys(s.workloads ?? {}).slice(0, 3)) fail(w);

  // enabled flags and actions, found by walking the gateway, router and Avi sections.
  const walk = (v: unknown, path: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (isObj(v)) {
      const parentKey = path[path.length - 2];
      const togglable = ['staticRoutes', 'nat', 'gatewayFirewall', 'members', 'virtualServices', 'pools', 'rules'].includes(String(parentKey));
      if (togglable || 'enabled' in v) {
        out.push({
          kind: 'enabled',
          label: `toggle ${path.join('.')}.enabled`,
          recipe: (d) => {
            const o = at(d, path);
            o.enabled = o.enabled === false;
          },
        });
      }
      if (typeof v.action === 'string' && /^(permit|deny|PERMIT|DENY)$/.test(v.action)) {
        out.push({
          kind: 'policy',
          label: `flip ${path.join('.')}.action`,
          recipe: (d) => {
            const o = at(d, path);
            const a = o.action as string;
            o.action = a === 'permit' ? 'deny' : a === 'deny' ? 'permit' : a === 'PERMIT' ? 'DENY' : 'PERMIT';
          },
        });
      }
      for (const k of Object.keys(v)) walk(v[k], [...path, k]);
    }
  };
  for (const section of ['tier0s', 'tier1s', 'physicalRouters', 'avi', 'distributedFirewall'] as const) walk((s as unknown as Obj)[section], [section]);

  const types = ['TIER1_CONNECTED', 'TIER1_LB_VIP', 'TIER1_NAT', 'TIER1_STATIC_ROUTES'];
  for (const [name, t1] of Object.entries(s.tier1s ?? {})) {
    for (const type of types) {
      out.push({
        kind: 'advertise',
        label: `toggle ${type} on ${name}`,
        recipe: (d) => {
          const t = d.tier1s![name];
          const list = (t.advertise ??= []);
          const i = list.indexOf(type as never);
          if (i >= 0) list.splice(i, 1);
          else list.push(type as never);
        },
      });
    }
    out.push({
      kind: 'static',
      label: `add a null route on ${name}`,
      recipe: (d) => {
        (d.tier1s![name].staticRoutes ??= []).push({ name: `what-if-${name}`, network: '203.0.113.77/32', nextHops: [{ blackhole: true }] } as never);
      },
    });
    if (t1.edgeCluster) {
      out.push({
        kind: 'nat',
        label: `add a SNAT rule on ${name}`,
        recipe: (d) => {
          (d.tier1s![name].nat ??= []).push({ name: `what-if-snat-${name}`, action: 'SNAT', source: '10.0.0.0/8', translated: '203.0.113.50' } as never);
        },
      });
    }
    if (t1.tier0) {
      out.push({
        kind: 'segment',
        label: `add a segment on ${name}`,
        recipe: (d) => {
          (d.segments ??= {})[`what-if-${name}`] = { tier1: name, gateway: '198.18.77.1/24' } as never;
        },
      });
    }
  }
  for (const [name] of Object.entries(s.tier0s ?? {})) {
    out.push({
      kind: 'static-tier0',
      label: `add a null route on ${name}`,
      recipe: (d) => {
        (d.tier0s![name].staticRoutes ??= []).push({ name: `what-if-${name}`, network: '203.0.113.78/32', nextHops: [{ blackhole: true }] } as never);
      },
    });
  }
  // An SE group's placement settings (its virtual services placed again on its SEs): a tight
  // maximum per SE (some left without an SE), another HA mode.
  for (const [group, g] of Object.entries(s.avi?.seGroups ?? {}).slice(0, 3)) {
    out.push({
      kind: 'se-group',
      label: `SE group ${group}: at most 1 virtual service per SE, or back`,
      recipe: (d) => {
        const x = d.avi!.seGroups![group];
        if (x.maxVsPerSe === 1) delete x.maxVsPerSe;
        else x.maxVsPerSe = 1;
      },
    });
    out.push({
      kind: 'se-group',
      label: `SE group ${group}: ${g.haMode === 'HA_MODE_SHARED' ? 'a shared pair' : 'one SE'} per virtual service, or back`,
      recipe: (d) => {
        const x = d.avi!.seGroups![group];
        x.haMode = x.haMode === 'HA_MODE_SHARED' ? 'HA_MODE_SHARED_PAIR' : 'HA_MODE_SHARED';
      },
    });
  }
  for (const [name] of Object.entries(s.avi?.virtualServices ?? {}).slice(0, 12)) {
    out.push({
      kind: 'vip-move',
      label: `give virtual service ${name} the VIP 198.51.100.77`,
      recipe: (d) => {
        d.avi!.virtualServices![name].vip = { address: '198.51.100.77' };
      },
    });
  }
  // Virtual services on fixed VIPs (an imported deployment's), each given another fixed address.
  Object.entries(s.avi?.virtualServices ?? {})
    .filter(([, v]) => v.vip?.address !== undefined)
    .slice(-12)
    .forEach(([name], i) =>
      out.push({
        kind: 'vip-move-fixed',
        label: `give virtual service ${name} (a fixed VIP) the VIP 198.51.100.${80 + i}`,
        recipe: (d) => void (d.avi!.virtualServices![name].vip = { address: `198.51.100.${80 + i}` }),
      }),
    );
  const vs = Object.entries(s.avi?.virtualServices ?? {})[0];
  if (vs) {
    out.push({
      kind: 'vip',
      label: `add a virtual service like ${vs[0]}`,
      recipe: (d) => {
        const copy = JSON.parse(JSON.stringify(vs[1])) as Obj;
        delete copy.fqdns;
        delete copy.dns;
        copy.vip = { address: '198.51.100.77' };
        d.avi!.virtualServices![`${vs[0]}-what-if`] = copy as never;
      },
    });
    // The same allocating its VIP from a network (before AKO's, which then allocate past it).
    const network = Object.values(s.avi?.virtualServices ?? {}).find((v) => v.vip?.network !== undefined)?.vip.network;
    if (network !== undefined)
      out.push({
        kind: 'vip-alloc',
        label: `add a virtual service like ${vs[0]}, its VIP allocated from ${network}`,
        recipe: (d) => {
          const copy = JSON.parse(JSON.stringify(vs[1])) as Obj;
          delete copy.fqdns;
          delete copy.dns;
          copy.vip = { network };
          d.avi!.virtualServices![`${vs[0]}-allocated`] = copy as never;
        },
      });
  }
  return out;
}

/** Every routing table, as text (prefix, type, distance, next hops with their resolution, selection, origin). */
export function tablesOf(t: Twin): string[] {
  const net = t.network;
  return t.routing.ribs.map((rib, c) =>
    `${net.components[c].name} ${net.components[c].type} ${net.components[c].node}\n` +
    rib
      .map((r) => {
        const hops = r.nextHops.map((h) => (h.blackhole ? 'null' : `${h.ip === null ? 'connected' : formatIp(h.ip)}@${h.interface}${h.via ? `[${h.via.map((v) => `${formatIp(v.ip)}@${v.interface}`).join(' ')}]` : ''}`)).join(',');
        return `${formatPrefix(r.prefix)} ${r.type} ${r.distance} ${hops} ${r.selected ? '*' : ''} ${r.origin}${r.inactive ? ` (${r.inactive})` : ''}`;
      })
      .join('\n'),
  );
}

/** Every FIB group, looked up at each selected prefix of each component (next hops with owner, proxy and route). */
export function fibsOf(t: Twin): string[] {
  const c = t.compiled;
  return t.routing.ribs.map((rib, comp) => {
    const lines: string[] = [];
    for (const r of rib) {
      if (!r.selected) continue;
      const e = lpmLookup(c.fib[comp], r.prefix.addr >>> 0);
      // An empty group (a tombstone with no cover) is no route, as no entry is.
      if (e < 0 || entryGroups(c)[2 * e + 1] === 0) {
        lines.push(`${formatPrefix(r.prefix)} -`);
        continue;
      }
      const hops: string[] = [];
      for (let nh = entryGroups(c)[2 * e]; nh < entryGroups(c)[2 * e] + entryGroups(c)[2 * e + 1]; nh++) {
        const route = t.routing.ribs[comp].at(entryRoutePosition(c, comp, e) + c.nhRoute[nh]);
        hops.push(`${c.nhKind[nh]}:${formatIp(c.nhIp[nh])}:${c.nhInterface[nh]}:${c.nhDomain[nh]}:${c.nhExternal[nh]}:${c.nhOwner.at(nh)}:${c.nhProxy.at(nh)}:${formatPrefix(route.prefix)}/${route.type}/${route.origin}`);
      }
      lines.push(`${formatPrefix(r.prefix)} ${hops.join(' ')}`);
    }
    return lines.join('\n');
  });
}

/** The ARP table (every (domain, address) → owner pair), the own addresses ((component, address) → interface) and proxy ARP's per-domain index, sorted. */
export function arpOf(t: Twin): string[] {
  const c = t.compiled;
  const out: string[] = [];
  c.arp.scan((domain, ip, owner) => out.push(`arp ${domain} ${formatIp(ip)} ${owner}`));
  c.ownIp.scan((comp, ip, itf) => out.push(`own ${comp} ${formatIp(ip)} ${itf}`));
  out.push(`proxy ${Array.from(c.proxyArp.first).join(',')}`);
  return out.sort();
}

/** The gateway firewall and NAT table of every component (on SRs), the distributed firewall and the proxy ARP table, as JSON. */
export function rulesOf(t: Twin): string[] {
  const c = t.compiled;
  const json = (x: unknown) => JSON.stringify(x, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
  return [...t.network.components.map((comp) => `${comp.name}#${comp.id} fw ${json(c.gatewayFirewall[comp.id])} nat ${json(c.nat[comp.id])}`), `dfw ${json(c.distributedFirewall)}`, `proxy ARP ${json(c.proxyArp)}`];
}

/** Every BGP speaker's table (paths with attributes, best and multipath), rounds and oscillation. */
export function bgpOf(t: Twin): string[] {
  const b = t.bgpState;
  const out = [`rounds ${b.rounds} oscillation ${JSON.stringify(b.oscillation)}`];
  for (const sp of b.speakers) {
    out.push(
      `${sp.name}\n` +
        b
          .table(sp.index)
          .map((e) => `${formatPrefix(e.prefix)} best ${e.selection.best} multipath ${JSON.stringify(e.selection.multipath)} reasons ${JSON.stringify(e.selection.reasons)} ${JSON.stringify(e.paths.map((p) => ({ ...p.attrs, prefix: undefined, source: p.source, session: p.session })))}`)
          .join('\n'),
    );
  }
  return out;
}

/** Traces of a sample of flows (end host pairs, outside addresses, VIPs), as JSON. */
export function tracesOf(t: Twin, max = 24): string[] {
  const eps = t.network.endpoints.filter((e) => e.kind === 'WORKLOAD' || e.kind === 'PHYSICAL_HOST').map((e) => e.name);
  const names = eps.filter((_, i) => i % Math.max(1, Math.floor(eps.length / 6)) === 0).slice(0, 6);
  const targets = [...names, '8.8.8.8', ...(t.realized.avi?.virtualServices.slice(0, 2).map((v) => formatIp(v.vip)) ?? [])];
  const out: string[] = [];
  for (const from of names) {
    for (const to of targets) {
      if (out.length >= max) return out;
      if (from === to) continue;
      try {
        out.push(JSON.stringify(t.trace({ from, to, proto: 'tcp', dport: 80 })));
      } catch (e) {
        out.push(`error: ${(e as Error).message}`);
      }
    }
  }
  return out;
}
