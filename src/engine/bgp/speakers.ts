// BGP speakers and sessions from a scenario: every physical router with `bgp:` and every active
// SR of a Tier-0 with `bgp:` (a standby SR is down). A session exists when both ends are modelled,
// directly connected and configured for each other (addresses and AS numbers); otherwise the
// neighbour is listed as down with the reason. Inter-SR iBGP links the SRs of an A/A Tier-0.
// A speaker's locally originated paths (`local`) are set by the control plane, possibly as a
// function that builds them when first read (an SR at size L originates 144k).
import { contains, formatIp, maskOf, networkOf, parseIp, parsePrefix } from '../../topology/ip.js';
import { entriesOf, type Scenario } from '../../topology/scenario.js';
import type { ExpandedNetwork } from '../model/expand.js';
import type { Interface } from '../model/types.js';
import { shapeMemo } from '../model/shape-memo.js';
import { reshapedOrigin } from '../model/grow.js';
import { interfacesOfKind } from '../model/interface-kinds.js';
import { frrPolicy, nsxPolicy } from './policy.js';
import type { LocalRoute, NeighborConfig, PeerType, Speaker } from './types.js';

/** FRR's default `allowas-in` count. */
const ALLOWAS_IN_DEFAULT = 3;
/** FRR's default maximum-paths; NSX ECMP installs up to 8 paths. */
const FRR_MAX_PATHS = 64;
const NSX_MAX_PATHS = 8;

interface PendingNeighbor {
  speaker: number;
  address: number;
  remoteAs: number;
  /** Restrict to these local addresses (NSX source_addresses). */
  sources: number[] | null;
  config: NeighborConfig;
}

const localRoutes = new WeakMap<Speaker, LocalRoute[] | (() => LocalRoute[])>();

/** Sets what a speaker's `local` reads: the list, or a function building it on first read. */
export function setLocalRoutes(sp: Speaker, routes: LocalRoute[] | (() => LocalRoute[])): void {
  localRoutes.set(sp, routes);
}

function localOf(sp: Speaker): LocalRoute[] {
  let v = localRoutes.get(sp);
  if (typeof v === 'function') localRoutes.set(sp, (v = v()));
  else if (!v) localRoutes.set(sp, (v = []));
  return v;
}

export function buildSpeakers(s: Scenario, net: ExpandedNetwork): Speaker[] {
  const speakers: Speaker[] = [];
  const pending: PendingNeighbor[] = [];
  // A Tier-0 SR has a router link per Tier-1 (thousands at scale): its interfaces are read by id
  // where they are, the first one that fits ends a search, and no list of them is made.
  const firstInterface = (component: number, fits: (i: Interface) => boolean): Interface | undefined => {
    for (const id of net.components[component].interfaces) if (fits(net.interfaces[id])) return net.interfaces[id];
    return undefined;
  };
  const highestAddress = (component: number): number => {
    let best = -Infinity;
    for (const id of net.components[component].interfaces) best = Math.max(best, net.interfaces[id].ip);
    return best;
  };

  for (const [name, r] of entriesOf(s.physicalRouters)) {
    if (!r.bgp) continue;
    const component = net.routerByName.get(name)!;
    if (net.components[component].ha === 'down') continue;
    const index = speakers.length;
    speakers.push({
      index,
      name,
      kind: 'router',
      owner: name,
      edge: null,
      component,
      asn: r.bgp.asn,
      routerId: parseIp(r.bgp.routerId) ?? highestAddress(component),
      policy: frrPolicy(r),
      sessions: [],
      down: [],
      maxPathsEbgp: r.bgp.maximumPaths ?? FRR_MAX_PATHS,
      maxPathsIbgp: r.bgp.maximumPathsIbgp ?? FRR_MAX_PATHS,
      multipathRelax: !!r.bgp.multipathRelax,
      alwaysCompareMed: !!r.bgp.alwaysCompareMed,
      get local(): LocalRoute[] {
        return localOf(this);
      },
      aggregates: (r.bgp.aggregates ?? []).map((a) => ({ prefix: parsePrefix(a.prefix)!, summaryOnly: !!a.summaryOnly })),
    });
    for (const n of r.bgp.neighbors ?? []) {
      pending.push({
        speaker: index,
        address: parseIp(n.address)!,
        remoteAs: n.remoteAs,
        sources: null,
        config: {
          in: n.prefixListIn || n.routeMapIn ? { prefixList: n.prefixListIn, routeMap: n.routeMapIn } : undefined,
          out: n.prefixListOut || n.routeMapOut ? { prefixList: n.prefixListOut, routeMap: n.routeMapOut } : undefined,
          nextHopSelf: !!n.nextHopSelf,
          defaultOriginate: !!n.defaultOriginate,
          allowAsIn: n.allowAsIn === true ? ALLOWAS_IN_DEFAULT : typeof n.allowAsIn === 'number' ? n.allowAsIn : 0,
          weight: n.weight ?? 0,
        },
      });
    }
  }

  for (const [name, t0] of entriesOf(s.tier0s)) {
    if (!t0.bgp || t0.bgp.enabled === false) continue;
    const gw = net.gateways.get(name)!;
    const srIndexes: number[] = [];
    for (const sr of gw.srs) {
      const comp = net.components[sr];
      if (comp.ha !== 'active') continue;
      const uplinks = interfacesOfKind(net, sr, 'uplink').map((i) => net.interfaces[i]);
      const index = speakers.length;
      srIndexes.push(index);
      const edge = net.nodes[comp.node].name;
      speakers.push({
        index,
        name: `${name}@${edge}`,
        kind: 'tier0-sr',
        owner: name,
        edge,
        component: sr,
        asn: t0.bgp.localAs,
        routerId: uplinks.length ? Math.max(...uplinks.map((u) => u.ip)) : highestAddress(sr),
        policy: nsxPolicy(t0),
        sessions: [],
        down: [],
        maxPathsEbgp: t0.bgp.ecmp === false ? 1 : NSX_MAX_PATHS,
        maxPathsIbgp: t0.bgp.ecmp === false ? 1 : NSX_MAX_PATHS,
        multipathRelax: t0.bgp.multipathRelax !== false,
        alwaysCompareMed: false,
        get local(): LocalRoute[] {
          return localOf(this);
        },
        aggregates: (t0.bgp.aggregations ?? []).map((a) => ({ prefix: parsePrefix(a.prefix)!, summaryOnly: a.summaryOnly !== false })),
      });
      for (const n of t0.bgp.neighbors ?? []) {
        const address = parseIp(n.address)!;
        const sources = n.sourceAddresses ? n.sourceAddresses.map((a) => parseIp(a)!) : null;
        // The neighbour belongs to this SR when one of its uplinks is (or may be) the source.
        const mine = uplinks.some((u) => (sources ? sources.includes(u.ip) : contains(networkOf(u), address)));
        if (!mine) continue;
        pending.push({
          speaker: index,
          address,
          remoteAs: n.remoteAs,
          sources,
          config: {
            in: n.in,
            out: n.out,
            nextHopSelf: false,
            defaultOriginate: false,
            allowAsIn: n.allowAsIn ? ALLOWAS_IN_DEFAULT : 0,
            weight: 0,
          },
        });
      }
    }
    // Inter-SR iBGP between the active SRs of an ACTIVE_ACTIVE Tier-0 (NSX enables it there).
    const aa = (t0.haMode ?? 'ACTIVE_ACTIVE') === 'ACTIVE_ACTIVE';
    if (aa && t0.bgp.interSrIbgp !== false && srIndexes.length > 1) {
      const isr = new Map<number, number>();
      const isrAddr = (sp: number): number => {
        let ip = isr.get(sp);
        if (ip === undefined) isr.set(sp, (ip = firstInterface(speakers[sp].component, (i) => i.kind === 'inter-sr')!.ip));
        return ip;
      };
      for (const a of srIndexes) {
        for (const b of srIndexes) {
          if (a === b) continue;
          speakers[a].sessions.push({
            peer: b,
            localAddress: isrAddr(a),
            peerAddress: isrAddr(b),
            type: 'inter-sr',
            config: { nextHopSelf: false, defaultOriginate: false, allowAsIn: 0, weight: 0 },
          });
        }
      }
    }
  }

  // Interfaces by address: who holds a neighbour's address (its holder may be down).
  const byAddress = interfacesByAddress(net);
  const interfacesAt = (ip: number): Interface[] | undefined => byAddress.get(ip)?.map((i) => net.interfaces[i]);
  // The speaker owning an address: the first speaker with an interface holding it (found from the
  // holders of each neighbour address, not from every interface of every speaker).
  const speakerOf = new Map<number, number>();
  for (const sp of speakers) if (!speakerOf.has(sp.component)) speakerOf.set(sp.component, sp.index);
  const ownerOf = (ip: number): number | undefined => {
    let best: number | undefined;
    for (const i of byAddress.get(ip) ?? []) {
      const sp = speakerOf.get(net.interfaces[i].component);
      if (sp !== undefined && (best === undefined || sp < best)) best = sp;
    }
    return best;
  };
  // Match configured neighbours pairwise.
  for (const p of pending) {
    const sp = speakers[p.speaker];
    const local = firstInterface(sp.component, (i) => sameSubnet(i, p.address) && (!p.sources || p.sources.includes(i.ip)));
    const down = (reason: string) => sp.down.push({ address: p.address, reason });
    if (!local) {
      down(`not directly connected (no interface in the neighbour's subnet; multihop is not modelled)`);
      continue;
    }
    const peer = ownerOf(p.address);
    if (peer === undefined) {
      const holder = (interfacesAt(p.address) ?? []).find((i) => i.domain === local.domain);
      const comp = holder ? net.components[holder.component] : undefined;
      if (comp && comp.ha !== 'active') down(`${comp.name}${comp.node >= 0 ? ` on ${net.nodes[comp.node].name}` : ''} is ${comp.ha === 'down' ? 'down (failed)' : 'standby'}`);
      else down(`no BGP speaker owns ${formatIp(p.address)} in the model`);
      continue;
    }
    const psp = speakers[peer];
    if (psp.asn !== p.remoteAs) {
      down(`remote-as ${p.remoteAs} configured but ${psp.name} is AS ${psp.asn}`);
      continue;
    }
    const back = pending.find((q) => q.speaker === peer && q.address === local.ip);
    if (!back) {
      down(`${psp.name} has no neighbour ${formatIp(local.ip)}`);
      continue;
    }
    if (back.remoteAs !== sp.asn) {
      down(`${psp.name} expects AS ${back.remoteAs} from ${formatIp(local.ip)}, this side is AS ${sp.asn}`);
      continue;
    }
    const type: PeerType = psp.asn === sp.asn ? 'ibgp' : 'ebgp';
    sp.sessions.push({ peer, localAddress: local.ip, peerAddress: p.address, type, config: p.config });
  }
  return speakers;
}

/** Whether `ip` is in the subnet of interface `i` (networkOf(i) contains it), without making the prefix. */
function sameSubnet(i: Interface, ip: number): boolean {
  const mask = maskOf(i.len);
  return ((i.ip & mask) >>> 0) === ((ip & mask) >>> 0);
}

/** Interface ids holding an address, in id order. */
interface AddressIndex {
  get(ip: number): readonly number[] | undefined;
  /** How many reshaped models' indexes lie under this one (0: a whole index). */
  readonly depth: number;
}

/** Reshapes stacked on one whole index at most (a longer chain is made whole again). */
const MAX_INDEX_DEPTH = 8;

/**
 * Interface ids by address, made once per model shape (model/shape-memo): a ToR down leaves its
 * neighbours' addresses unowned, and every BGP run after it asks who holds them. A model
 * reshaped by segments added or removed at the end (model/grow) answers from its previous
 * model's index, with the added downlinks beside it and the removed ones left out, instead of an
 * index of its 100,000 interfaces made again.
 */
const interfacesByAddress = shapeMemo((net): AddressIndex => {
  const origin = reshapedOrigin(net);
  if (origin !== undefined) {
    const base = interfacesByAddress(origin.prev);
    if (base.depth < MAX_INDEX_DEPTH) {
      const added = addressMap(net.interfaces, origin.interfaces);
      const cut = net.interfaces.length;
      const cuts = cut < origin.prev.interfaces.length;
      return {
        depth: base.depth + 1,
        get(ip) {
          let ids = base.get(ip);
          if (cuts && ids !== undefined && ids[ids.length - 1] >= cut) {
            const kept = ids.filter((i) => i < cut);
            ids = kept.length ? kept : undefined;
          }
          const more = added.get(ip);
          return more === undefined ? ids : ids === undefined ? more : [...ids, ...more];
        },
      };
    }
  }
  const map = addressMap(net.interfaces, 0);
  return { depth: 0, get: (ip) => map.get(ip) };
});

/** Interface ids by address, of interfaces[from…]. */
function addressMap(interfaces: readonly Interface[], from: number): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (let k = from; k < interfaces.length; k++) {
    const i = interfaces[k];
    const l = map.get(i.ip);
    if (l) l.push(i.id);
    else map.set(i.ip, [i.id]);
  }
  return map;
}
