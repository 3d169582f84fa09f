// Baseline copy of scenario validation before the scale rework (second semantic pass over the
// whole realized scenario, per-object path arrays and messages, repeated address parsing), kept
// only so bench/validation-stages.ts and test/topology/validate-incremental-equal.test.ts can
// compare old and new. Do not use elsewhere.
// The Avi controller in an NSX overlay cloud: SE data NICs (one per Tier-1 data segment the SE
// group serves) with addresses from SE ranges, VIPs from VIP ranges (deterministic: fixed
// addresses first, then the lowest free address in declaration order), virtual service placement
// by HA mode (N+M, active/active, legacy active/standby) around failed SEs, the VIP/32 route it
// injects on the VS's Tier-1 (or, for a VIP inside an SE data subnet, the SE that answers ARP),
// each Tier-1's VRF and the DNS records the DNS virtual service serves (avi-reference.md,
// modelling-decisions.md "Avi").
import { contains, formatIp, formatPrefix, maskOf, parseIfAddr, parseIp, parsePrefix, type Prefix } from '../../src/topology/ip.js';
import { entriesOf, ownEntry, type AviNetworkSpec, type PoolSpec, type SeGroupHaMode, type VirtualServiceSpec } from '../../src/topology/scenario.js';
import type { RealizeContext } from './validate-realize-context.js';
import type { VsFieldPaths } from './validate-realize-ako.js';
import { suggestion } from '../../src/topology/did-you-mean.js';

export interface AviServiceEngine {
  readonly name: string;
  readonly group: string;
  readonly host: string;
  readonly down: boolean;
  readonly nics: readonly { readonly segment: string; readonly tier1: string | null; readonly workload: string; readonly ip: number }[];
  readonly virtualServices: string[];
}

export interface AviVsService {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly pool: string | null;
}

export interface AviVirtualService {
  readonly name: string;
  /** The Kubernetes object AKO created it for, when it did. */
  readonly createdFor: string | null;
  readonly tier1: string;
  readonly seGroup: string;
  readonly haMode: SeGroupHaMode;
  readonly vip: number;
  readonly enabled: boolean;
  readonly trafficEnabled: boolean;
  readonly dns: boolean;
  readonly services: readonly AviVsService[];
  readonly httpRoutes: readonly { readonly host: string | null; readonly path: string; readonly pool: string }[];
  readonly fqdns: readonly string[];
  /** SEs carrying traffic (primary first) and standby SEs (legacy HA). */
  readonly serviceEngines: readonly string[];
  readonly standby: readonly string[];
  /** UP, DOWN (no SE, or no pool member up) or DISABLED. */
  readonly state: 'UP' | 'DOWN' | 'DISABLED';
  readonly reason: string;
  /** The route injected on the Tier-1 (null: none, see reason / arpOwner). */
  readonly route: { readonly prefix: string; readonly nextHops: readonly string[]; readonly type: 'LB_VIP' | 'STATIC' } | null;
  /** VIP inside an SE data subnet: the SE NIC (workload name) answering ARP for it. */
  readonly arpOwner: string | null;
  /** SE NIC (workload name) per carrying SE, on the VS's Tier-1 data segment. */
  readonly nics: readonly string[];
}

export interface AviPool {
  readonly name: string;
  readonly enabled: boolean;
  readonly defaultPort: number | null;
  /** up: false when the member's workload, pod, node or host has failed (the health monitor marks it down). */
  readonly members: readonly { readonly ip: number; readonly port: number | null; readonly enabled: boolean; readonly up: boolean }[];
}

export interface AviVrf {
  readonly tier1: string;
  readonly segment: string;
  /** Routes in order: connected, default (when on), user statics. nextHop 0 = connected. */
  readonly routes: readonly { readonly prefix: Prefix; readonly nextHop: number; readonly origin: string }[];
}

export interface AviRuntime {
  readonly cloud: string;
  readonly virtualServices: readonly AviVirtualService[];
  readonly serviceEngines: readonly AviServiceEngine[];
  readonly pools: ReadonlyMap<string, AviPool>;
  readonly vrfs: ReadonlyMap<string, AviVrf>;
  /** FQDN → VIP and VS, served by the DNS virtual services. */
  readonly dns: ReadonlyMap<string, { readonly vip: number; readonly virtualService: string }>;
  readonly dnsVirtualServices: readonly string[];
}

const DEFAULT_MAX_VS_PER_SE = 10;

export function realizeAvi(
  ctx: RealizeContext,
  virtualServices: readonly { name: string; spec: VirtualServiceSpec; createdFor: string | null; path: readonly (string | number)[]; fieldPaths: VsFieldPaths }[],
  pools: ReadonlyMap<string, PoolSpec>,
): AviRuntime | null {
  const avi = ctx.input.avi;
  if (!avi) {
    if (virtualServices.length) ctx.problem(['kubernetes'], 'AKO needs an avi section (cloud, networks, SE groups)');
    return null;
  }
  const failed = new Set(ctx.input.failed ?? []);
  const segments = new Map([...entriesOf(ctx.input.segments), ...entriesOf(ctx.segments)]);
  const tier1s = new Map([...entriesOf(ctx.input.tier1s), ...entriesOf(ctx.tier1s)]);
  // Memoized: every virtual service asks for its data segment's subnet.
  const subnets = new Map<string, { prefix: Prefix; gateway: number } | null>();
  const segmentSubnet = (name: string): { prefix: Prefix; gateway: number } | null => {
    const known = subnets.get(name);
    if (known !== undefined) return known;
    const seg = segments.get(name);
    const a = seg ? parseIfAddr(seg.gateway) : null;
    const sub = a ? { prefix: { addr: (a.ip & maskOf(a.len)) >>> 0, len: a.len }, gateway: a.ip } : null;
    subnets.set(name, sub);
    return sub;
  };

  // Data networks: Tier-1 → data segment (one VRF each).
  const dataSegment = new Map<string, string>();
  const vrfs = new Map<string, AviVrf>();
  avi.cloud.dataNetworks.forEach((dn, i) => {
    const path = ['avi', 'cloud', 'dataNetworks', i];
    if (!tier1s.has(dn.tier1)) return ctx.problem([...path, 'tier1'], `no Tier-1 named ${JSON.stringify(dn.tier1)}${suggestion(dn.tier1, tier1s.keys())}`);
    const seg = segments.get(dn.segment);
    if (!seg) return ctx.problem([...path, 'segment'], `no segment named ${JSON.stringify(dn.segment)}${suggestion(dn.segment, segments.keys())}`);
    if (seg.tier1 !== dn.tier1) return ctx.problem([...path, 'segment'], `segment ${JSON.stringify(dn.segment)} is not attached to Tier-1 ${JSON.stringify(dn.tier1)}`);
    if (dataSegment.has(dn.tier1)) return ctx.problem([...path, 'tier1'], `Tier-1 ${JSON.stringify(dn.tier1)} already has a data segment (one per Tier-1)`);
    const sub = segmentSubnet(dn.segment);
    if (!sub) return ctx.problem([...path, 'segment'], `segment ${JSON.stringify(dn.segment)} has no gateway address`);
    dataSegment.set(dn.tier1, dn.segment);
    const routes: { prefix: Prefix; nextHop: number; origin: string }[] = [{ prefix: sub.prefix, nextHop: 0, origin: `connected ${dn.segment}` }];
    if (avi.cloud.vrfDefaultRoute ?? true) routes.push({ prefix: { addr: 0, len: 0 }, nextHop: sub.gateway, origin: 'default route to the segment gateway' });
    (dn.staticRoutes ?? []).forEach((r, ri) => {
      const nh = parseIp(r.nextHop);
      const network = parsePrefix(r.network);
      if (network === null) ctx.problem([...path, 'staticRoutes', ri, 'network'], `invalid IPv4 prefix ${JSON.stringify(r.network)} (expected a.b.c.d/len)`);
      else if (nh === null) ctx.problem([...path, 'staticRoutes', ri, 'nextHop'], `invalid IPv4 address ${JSON.stringify(r.nextHop)}`);
      else if (!contains(sub.prefix, nh)) ctx.problem([...path, 'staticRoutes', ri, 'nextHop'], `${r.nextHop} is not on the data segment ${JSON.stringify(dn.segment)} (${formatPrefix(sub.prefix)})`);
      else routes.push({ prefix: network, nextHop: nh, origin: `VRF static route ${r.network}` });
    });
    vrfs.set(dn.tier1, { tier1: dn.tier1, segment: dn.segment, routes });
  });
  if (avi.cloud.managementSegment !== undefined && !segments.has(avi.cloud.managementSegment)) {
    ctx.problem(['avi', 'cloud', 'managementSegment'], `no segment named ${JSON.stringify(avi.cloud.managementSegment)}`);
  }

  // Avi networks: subnet (own or the segment's) and ranges.
  const networkSubnet = (name: string, n: AviNetworkSpec): Prefix | null => {
    if (n.segment !== undefined) {
      const sub = segmentSubnet(n.segment);
      if (!sub) ctx.problem(['avi', 'networks', name, 'segment'], `no overlay segment with a gateway named ${JSON.stringify(n.segment)}`);
      return sub ? sub.prefix : null;
    }
    if (n.subnet === undefined) {
      ctx.problem(['avi', 'networks', name], 'a network needs segment or subnet');
      return null;
    }
    const p = parsePrefix(n.subnet);
    if (!p) ctx.problem(['avi', 'networks', name, 'subnet'], `invalid IPv4 prefix ${JSON.stringify(n.subnet)} (expected a.b.c.d/len)`);
    return p;
  };
  // Per range: its bounds and a cursor below which every address is taken (taken addresses only
  // accumulate), so allocation stays linear in the number of VIPs and SEs.
  type Range = { from: number; to: number; type: string; cursor: number };
  const networks = new Map<string, { prefix: Prefix; spec: AviNetworkSpec; ranges: Range[] }>();
  for (const [name, n] of entriesOf(avi.networks)) {
    const prefix = networkSubnet(name, n);
    if (!prefix) continue;
    const valid: Range[] = [];
    (n.ranges ?? []).forEach((r, i) => {
      const from = parseIp(r.from);
      const to = parseIp(r.to);
      const path = ['avi', 'networks', name, 'ranges', i];
      if (from === null) ctx.problem([...path, 'from'], `invalid IPv4 address ${JSON.stringify(r.from)}`);
      else if (to === null) ctx.problem([...path, 'to'], `invalid IPv4 address ${JSON.stringify(r.to)}`);
      else if (!contains(prefix, from) || !contains(prefix, to)) ctx.problem(path, `range ${r.from}-${r.to} is outside ${formatPrefix(prefix)}`);
      else if (to < from) ctx.problem(path, `range ${r.from}-${r.to} ends before it starts`);
      else valid.push({ from, to, type: r.type ?? 'VIP_AND_SE', cursor: from });
    });
    networks.set(name, { prefix, spec: n, ranges: valid });
  }
  const reserved = new Set<number>();
  const allocate = (network: string, kind: 'VIP' | 'SE'): number | null => {
    for (const r of networks.get(network)?.ranges ?? []) {
      if (r.type !== kind && r.type !== 'VIP_AND_SE') continue;
      while (r.cursor <= r.to && (reserved.has(r.cursor) || ctx.isUsed(r.cursor))) r.cursor++;
      if (r.cursor <= r.to) {
        reserved.add(r.cursor);
        return r.cursor++;
      }
    }
    return null;
  };
  const networkBySegment = new Map<string, string>();
  for (const [name, n] of networks) if (n.spec.segment !== undefined && !networkBySegment.has(n.spec.segment)) networkBySegment.set(n.spec.segment, name);
  const networkOfSegment = (segment: string) => networkBySegment.get(segment);

  // Fixed VIPs and fixed SE addresses are reserved before anything is allocated.
  const vipOwner = new Map<number, string>();
  for (const { name, spec: vs, path, fieldPaths } of virtualServices) {
    const ip = parseIp(vs.vip.address);
    if (ip === null) continue;
    const other = vipOwner.get(ip);
    if (other !== undefined) ctx.problem(vipAddressPath(path, fieldPaths), `VIP ${vs.vip.address} is already the VIP of virtual service ${JSON.stringify(other)} (shared VIPs are not modelled)`);
    vipOwner.set(ip, name);
    reserved.add(ip);
  }
  for (const [, g] of entriesOf(avi.seGroups)) {
    for (const [, spec] of entriesOf(g.serviceEngines)) {
      for (const [, v] of entriesOf(spec.ips)) {
        const ip = parseIp(v);
        if (ip !== null) reserved.add(ip);
      }
    }
  }

  // SE NICs: per SE, one data NIC per Tier-1 its group's virtual services use (cloud order), plus management.
  const groupTier1s = new Map<string, Set<string>>();
  for (const { spec: vs } of virtualServices) {
    if (!groupTier1s.has(vs.seGroup)) groupTier1s.set(vs.seGroup, new Set());
    groupTier1s.get(vs.seGroup)!.add(vs.tier1);
  }
  // The cloud's data networks that are their Tier-1's data segment (by index, in cloud order),
  // by Tier-1 and by segment: an SE's NICs come from these lists, not from a scan of the cloud.
  const dataNetworksOfTier1 = new Map<string, number[]>();
  const dataNetworksOfSegment = new Map<string, number[]>();
  const listIn = (m: Map<string, number[]>, key: string, i: number) => {
    const l = m.get(key);
    if (l) l.push(i);
    else m.set(key, [i]);
  };
  avi.cloud.dataNetworks.forEach((dn, i) => {
    if (dataSegment.get(dn.tier1) !== dn.segment) return;
    listIn(dataNetworksOfTier1, dn.tier1, i);
    listIn(dataNetworksOfSegment, dn.segment, i);
  });
  const ses: AviServiceEngine[] = [];
  const seByName = new Map<string, AviServiceEngine>();
  for (const [group, g] of entriesOf(avi.seGroups)) {
    const used = groupTier1s.get(group) ?? new Set<string>();
    for (const [se, spec] of entriesOf(g.serviceEngines)) {
      // A data NIC per Tier-1 the group's virtual services use, or where the SE has a fixed address.
      const picked = new Set<number>();
      for (const t of used) for (const i of dataNetworksOfTier1.get(t) ?? []) picked.add(i);
      for (const [seg, v] of entriesOf(spec.ips)) if (v !== undefined) for (const i of dataNetworksOfSegment.get(seg) ?? []) picked.add(i);
      const nicSegments: { segment: string; tier1: string | null }[] = [...picked]
        .sort((a, b) => a - b)
        .map((i) => ({ segment: avi.cloud.dataNetworks[i].segment, tier1: avi.cloud.dataNetworks[i].tier1 }));
      if (avi.cloud.managementSegment !== undefined && segments.has(avi.cloud.managementSegment)) nicSegments.push({ segment: avi.cloud.managementSegment, tier1: null });
      let badFixedIp = false;
      for (const [seg, v] of entriesOf(spec.ips)) {
        const ipPath = ['avi', 'seGroups', group, 'serviceEngines', se, 'ips', seg];
        if (!nicSegments.some((n) => n.segment === seg)) ctx.problem(ipPath, `${JSON.stringify(seg)} is neither a data segment of the cloud nor its management segment`);
        if (parseIp(v) === null) {
          // Never silently replaced by an allocated address.
          ctx.problem(ipPath, `invalid IPv4 address ${JSON.stringify(v)}`);
          badFixedIp = true;
        }
      }
      if (badFixedIp) continue;
      const path = ['avi', 'seGroups', group, 'serviceEngines', se];
      if (seByName.has(se)) {
        ctx.problem(path, `SE name ${JSON.stringify(se)} is used twice`);
        continue;
      }
      if (!ctx.requireHost([...path, 'host'], spec.host)) continue;
      const down = failed.has(se) || failed.has(spec.host);
      const nics: { segment: string; tier1: string | null; workload: string; ip: number }[] = [];
      nicSegments.forEach(({ segment, tier1 }, k) => {
        let ip = parseIp(ownEntry(spec.ips, segment));
        if (ip === null) {
          const net = networkOfSegment(segment);
          ip = net !== undefined ? allocate(net, 'SE') : null;
          if (ip === null) {
            ctx.problem(path, net === undefined ? `needs an address on ${JSON.stringify(segment)}: give one in ips, or an avi network with segment ${JSON.stringify(segment)} and an SE range` : `no free SE address left in network ${JSON.stringify(net)} for ${JSON.stringify(segment)}`);
            return;
          }
        }
        const workload = tier1 === null ? `${se}/mgmt` : k === 0 ? se : `${se}/${segment}`;
        nics.push({ segment, tier1, workload, ip });
        ctx.addWorkload(path, workload, { host: spec.host, segment, ip: formatIp(ip), role: 'SERVICE_ENGINE' });
        if (failed.has(se) && workload !== se) ctx.failed.push(workload);
      });
      const record: AviServiceEngine = { name: se, group, host: spec.host, down, nics, virtualServices: [] };
      ses.push(record);
      seByName.set(se, record);
    }
  }

  // Pools; members on failed workloads (pods, nodes, hosts) are down.
  const downIps = new Set<number>();
  const failedNow = new Set([...failed, ...ctx.failed]);
  for (const [name, w] of [...entriesOf(ctx.input.workloads), ...entriesOf(ctx.workloads)]) {
    const ip = parseIp(w.ip);
    if (ip !== null && (failedNow.has(name) || failedNow.has(w.host))) downIps.add(ip);
  }
  for (const [name, h] of entriesOf(ctx.input.physicalHosts)) {
    const a = parseIfAddr(h.ip);
    if (a && failedNow.has(name)) downIps.add(a.ip);
  }
  const poolMap = new Map<string, AviPool>();
  for (const [name, p] of pools) {
    const members: AviPool['members'][number][] = [];
    p.members.forEach((m, i) => {
      const ip = parseIp(m.ip);
      // A member that is not an address is a problem, never 0.0.0.0.
      if (ip === null) ctx.problem(['avi', 'pools', name, 'members', i, 'ip'], `invalid IPv4 address ${JSON.stringify(m.ip)}`);
      else members.push({ ip, port: m.port ?? null, enabled: m.enabled ?? true, up: !downIps.has(ip) });
    });
    poolMap.set(name, { name, enabled: p.enabled ?? true, defaultPort: p.defaultPort ?? null, members });
  }
  const sesOfGroup = new Map<string, AviServiceEngine[]>();
  for (const se of ses) {
    const l = sesOfGroup.get(se.group);
    if (l) l.push(se);
    else sesOfGroup.set(se.group, [se]);
  }

  // Virtual services: VIP, placement, route.
  const load = new Map<string, number>();
  const out: AviVirtualService[] = [];
  const dns = new Map<string, { vip: number; virtualService: string }>();
  const routeType = avi.cloud.vipRouteType ?? 'LB_VIP';
  for (const { name, spec: vs, createdFor, path, fieldPaths } of virtualServices) {
    const g = ownEntry(avi.seGroups, vs.seGroup);
    if (!g) {
      ctx.problem(fieldPaths.seGroup ?? [...path, 'seGroup'], `no SE group named ${JSON.stringify(vs.seGroup)}${suggestion(vs.seGroup, Object.keys(avi.seGroups ?? {}))}`);
      continue;
    }
    const segment = dataSegment.get(vs.tier1);
    if (segment === undefined) {
      ctx.problem(fieldPaths.tier1 ?? [...path, 'tier1'], `Tier-1 ${JSON.stringify(vs.tier1)} is not a data network of cloud ${JSON.stringify(avi.cloud.name)} (avi.cloud.dataNetworks)`);
      continue;
    }
    let vip = parseIp(vs.vip.address);
    if (vs.vip.address !== undefined && vip === null) {
      ctx.problem(vipAddressPath(path, fieldPaths), `invalid IPv4 address ${JSON.stringify(vs.vip.address)}`);
      continue;
    }
    if (vip === null) {
      const vipNetworkPath = fieldPaths.vipNetwork ?? [...path, 'vip', 'network'];
      if (vs.vip.network === undefined) {
        ctx.problem([...path, 'vip'], 'a VIP needs address or network');
        continue;
      }
      if (!networks.has(vs.vip.network)) {
        const exists = ownEntry(avi.networks, vs.vip.network) !== undefined;
        // A network whose subnet or segment is invalid is reported there; here only that it has no subnet.
        ctx.problem(vipNetworkPath, exists ? `avi network ${JSON.stringify(vs.vip.network)} has no valid subnet` : `no avi network named ${JSON.stringify(vs.vip.network)}${suggestion(vs.vip.network, Object.keys(avi.networks ?? {}))}`);
        continue;
      }
      vip = allocate(vs.vip.network, 'VIP');
      if (vip === null) {
        ctx.problem(vipNetworkPath, `no free VIP address left in network ${JSON.stringify(vs.vip.network)}`);
        continue;
      }
    }
    const services = vs.services.map((s) => ({ port: s.port, protocol: s.protocol ?? (vs.dns ? 'UDP' : 'TCP'), pool: s.pool ?? vs.pool ?? null }));
    const httpRoutes = (vs.httpRoutes ?? []).map((r) => ({ host: r.host ?? null, path: r.path ?? '/', pool: r.pool }));
    for (const [i, p] of [...services.map((s) => s.pool), ...httpRoutes.map((r) => r.pool)].entries()) {
      if (p !== null && !poolMap.has(p)) ctx.problem(path, `no pool named ${JSON.stringify(p)} (reference ${i + 1})${suggestion(p, poolMap.keys())}`);
    }
    const haMode = g.haMode ?? 'HA_MODE_SHARED';
    const enabled = vs.enabled ?? true;
    const trafficEnabled = vs.trafficEnabled ?? true;
    let chosen: string[] = [];
    let standby: string[] = [];
    let state: AviVirtualService['state'] = 'UP';
    let reason = '';
    if (!enabled) {
      state = 'DISABLED';
      reason = 'the virtual service is disabled';
    } else {
      const maxVs = g.maxVsPerSe ?? DEFAULT_MAX_VS_PER_SE;
      const members = sesOfGroup.get(vs.seGroup) ?? [];
      const alive = members.filter((s) => !s.down && (load.get(s.name) ?? 0) < maxVs);
      const order = (g.algo ?? 'PACKED') === 'PACKED' ? -1 : 1;
      const ranked = alive.map((s, i) => ({ s, i, l: load.get(s.name) ?? 0 })).sort((a, b) => order * (a.l - b.l) || a.i - b.i);
      if (haMode === 'HA_MODE_LEGACY_ACTIVE_STANDBY') {
        const pair = members.slice(0, 2).filter((s) => !s.down);
        chosen = pair.slice(0, 1).map((s) => s.name);
        standby = pair.slice(1).map((s) => s.name);
      } else {
        const want = haMode === 'HA_MODE_SHARED_PAIR' ? Math.max(2, g.minScaleoutPerVs ?? 2) : (g.minScaleoutPerVs ?? 1);
        chosen = ranked.slice(0, want).map((r) => r.s.name);
        if (chosen.length && chosen.length < want) reason = `placed on ${chosen.length} of ${want} SEs (the others are down or full)`;
      }
      if (!chosen.length) {
        state = 'DOWN';
        reason = `no SE of ${JSON.stringify(vs.seGroup)} is available (failed or full)`;
      }
      for (const se of [...chosen, ...standby]) {
        load.set(se, (load.get(se) ?? 0) + 1);
        seByName.get(se)!.virtualServices.push(name);
      }
      if (state === 'UP' && !vs.dns) {
        const poolUp = (p: string | null) => {
          const pool = p === null ? undefined : poolMap.get(p);
          return pool !== undefined && pool.enabled && pool.members.some((m) => m.enabled && m.up);
        };
        if (![...services.map((s) => s.pool), ...httpRoutes.map((r) => r.pool)].some(poolUp)) {
          state = 'DOWN';
          reason = 'no pool member is enabled and up';
        }
      }
    }
    const nicOf = (se: string) => seByName.get(se)!.nics.find((n) => n.tier1 === vs.tier1);
    const nics = chosen.map(nicOf).filter((n) => n !== undefined);
    const sub = segmentSubnet(segment)!;
    let route: AviVirtualService['route'] = null;
    let arpOwner: string | null = null;
    if (nics.length && trafficEnabled) {
      if (contains(sub.prefix, vip)) arpOwner = nics[0]!.workload;
      else route = { prefix: `${formatIp(vip)}/32`, nextHops: nics.map((n) => formatIp(n!.ip)), type: routeType };
    } else if (enabled && !trafficEnabled) reason = 'traffic_enabled is off: no route is injected';
    out.push({
      name,
      createdFor,
      tier1: vs.tier1,
      seGroup: vs.seGroup,
      haMode,
      vip,
      enabled,
      trafficEnabled,
      dns: vs.dns ?? false,
      services,
      httpRoutes,
      fqdns: vs.fqdns ?? [],
      serviceEngines: chosen,
      standby,
      state,
      reason,
      route,
      arpOwner,
      nics: nics.map((n) => n!.workload),
    });
    if (enabled && chosen.length) {
      for (const f of vs.fqdns ?? []) {
        // DNS names are case-insensitive: records are kept in lower case.
        const key = f.toLowerCase();
        const other = dns.get(key);
        if (other) ctx.problem([...path, 'fqdns'], `FQDN ${JSON.stringify(f)} is already registered by ${JSON.stringify(other.virtualService)}`);
        else dns.set(key, { vip, virtualService: name });
      }
    }
  }
  return {
    cloud: avi.cloud.name,
    virtualServices: out,
    serviceEngines: ses,
    pools: poolMap,
    vrfs,
    dns,
    dnsVirtualServices: out.filter((v) => v.dns && v.serviceEngines.length).map((v) => v.name),
  };
}

/** Where a virtual service's VIP address was written (a Service's loadBalancerIP for AKO). */
function vipAddressPath(path: readonly (string | number)[], fieldPaths: VsFieldPaths): readonly (string | number)[] {
  return fieldPaths.vipAddress ?? [...path, 'vip', 'address'];
}
