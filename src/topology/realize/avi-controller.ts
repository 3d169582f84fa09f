// The Avi controller in an NSX overlay cloud: SE data NICs (one per Tier-1 data segment the SE
// group serves) with addresses from SE ranges, VIPs from VIP ranges (deterministic: fixed
// addresses first, then the lowest free address in declaration order), virtual service placement
// by HA mode (N+M, active/active, legacy active/standby) around failed SEs, the VIP/32 route it
// injects on the VS's Tier-1 (or, for a VIP inside an SE data subnet, the SE that answers ARP),
// each Tier-1's VRF and the DNS records the DNS virtual service serves (avi-reference.md,
// modelling-decisions.md "Avi"). Linear in virtual services and SEs: SEs are placed by index
// (no sort per virtual service), maps are looked up rather than copied.
import { contains, formatIp, formatPrefix, maskOf, parseIfAddr, parseIp, parsePrefix, type Prefix } from '../ip.js';
import { entriesOf, keysOfMap, ownEntry, type AviNetworkSpec, type PoolSpec, type SeGroupHaMode, type SeGroupSpec, type VirtualServiceSpec } from '../scenario.js';
import type { RealizeContext } from './context.js';
import type { VsFieldPaths } from './ako.js';
import { suggestion } from '../did-you-mean.js';

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

/** The reason of a virtual service placed on fewer SEs than it wants, one text per pair of counts (records share it). */
const PLACED_ON = new Map<number, string>();
function placedOn(placed: number, want: number): string {
  const key = placed * 4096 + want;
  let text = PLACED_ON.get(key);
  if (text === undefined) {
    text = `placed on ${placed} of ${want} SEs (the others are down or full)`;
    if (want < 4096 && PLACED_ON.size < 4096) PLACED_ON.set(key, text);
  }
  return text;
}

/** Whether `was` (a record's services) are what the spec's services make. */
function sameServices(was: AviVirtualService['services'], vs: VirtualServiceSpec): boolean {
  const given = vs.services;
  if (was.length !== given.length) return false;
  for (let i = 0; i < given.length; i++) {
    const s = given[i];
    const w = was[i];
    if (w.port !== s.port || w.protocol !== (s.protocol ?? (vs.dns ? 'UDP' : 'TCP')) || w.pool !== (s.pool ?? vs.pool ?? null)) return false;
  }
  return true;
}

/** Whether `was` (a record's HTTP routes) are what the spec's make. */
function sameHttpRoutes(was: AviVirtualService['httpRoutes'], vs: VirtualServiceSpec): boolean {
  const given = vs.httpRoutes;
  if (given == null) return was === NO_ROUTES;
  if (was.length !== given.length) return false;
  for (let i = 0; i < given.length; i++) {
    const r = given[i];
    const w = was[i];
    if (w.host !== (r.host ?? null) || w.path !== (r.path ?? '/') || w.pool !== r.pool) return false;
  }
  return true;
}

/**
 * SE NIC addresses as text, kept from one realization to the next (a pure function's results:
 * bounded, cleared when full). Next-hop texts then compare by reference between realizations.
 */
const NIC_IP_TEXTS = new Map<number, string>();
const NIC_IP_TEXTS_MAX = 65536;

/** A virtual service to place: the user's (path null: avi.virtualServices.<name>) or one AKO creates. */
export interface VsInput {
  readonly name: string;
  readonly spec: VirtualServiceSpec;
  readonly createdFor: string | null;
  readonly path: readonly (string | number)[] | null;
  readonly fieldPaths: VsFieldPaths;
}

/** The virtual services to place: the user's (avi.virtualServices, by name in order), then AKO's. */
export interface VsInputs {
  readonly user: Readonly<Record<string, VirtualServiceSpec>> | undefined;
  readonly userNames: readonly string[];
  readonly ako: readonly VsInput[];
}

/**
 * Reads VsInputs by position without an object per user virtual service: the user's are read
 * into one reused cursor (valid until the next call; paths are built from it only for a problem).
 * Their specs are looked up by name once (the placement reads them in three passes), or at each
 * read with `lookUp` (a patch reads only the virtual services of the SE groups it places again).
 */
export function vsReader(src: VsInputs, lookUp = false): { count: number; at(k: number): VsInput } {
  const n = src.userNames.length;
  const specs = lookUp ? null : new Array<VirtualServiceSpec>(n);
  if (specs) for (let k = 0; k < n; k++) specs[k] = src.user![src.userNames[k]];
  const cur: { name: string; spec: VirtualServiceSpec; createdFor: null; path: null; fieldPaths: VsFieldPaths } = { name: '', spec: undefined as unknown as VirtualServiceSpec, createdFor: null, path: null, fieldPaths: NO_FIELD_PATHS };
  return {
    count: n + src.ako.length,
    at(k) {
      if (k >= n) return src.ako[k - n];
      cur.name = src.userNames[k];
      cur.spec = specs ? specs[k] : src.user![cur.name];
      return cur;
    },
  };
}

/** Shared empty lists of the runtime (read-only, like the lists it shares with the scenario). */
const NO_NAMES: readonly string[] = Object.freeze([]);
const NO_INDEXES: readonly number[] = Object.freeze([]);
const NO_ROUTES: AviVirtualService['httpRoutes'] = Object.freeze([]);
const NO_SERVICES: AviVirtualService['services'] = Object.freeze([]);


/** The field paths of a user's virtual service: its own fields. */
export const NO_FIELD_PATHS: VsFieldPaths = Object.freeze({});

/** Where a virtual service was written (built only for a problem). */
function vsPath(v: VsInput): readonly (string | number)[] {
  return v.path ?? ['avi', 'virtualServices', v.name];
}

const hasOwnIn = (map: object | undefined, name: string): boolean => !!map && typeof map === 'object' && Object.hasOwn(map, name);
const keysOf = (map: object | undefined): string[] => (map && typeof map === 'object' ? Object.keys(map) : []);

/** End index of `list.slice(0, end)` for a list of `length` (ToIntegerOrInfinity, negatives from the end). */
function sliceEnd(end: unknown, length: number): number {
  const x = Number(end);
  const n = Number.isNaN(x) ? 0 : Math.trunc(x);
  return n < 0 ? Math.max(length + n, 0) : Math.min(n, length);
}

/** What placing a virtual service reads and writes: the SEs (their lists filled), their load, the pools, where problems go. */
export interface PlaceState {
  readonly ses: AviServiceEngine[];
  readonly load: Float64Array;
  readonly pools: ReadonlyMap<string, AviPool>;
  readonly problem: (path: readonly (string | number)[], message: string) => void;
}

/**
 * Places a virtual service (or, given the record to keep, computes it again on the same SEs: its
 * group's loads untouched). `was`: the virtual service's previous record, if any: the new record
 * shares the parts of it that come out the same (services, HTTP routes, the route or its text).
 */
export type Place = (st: PlaceState, v: VsInput, g: SeGroupSpec, segment: string, vip: number, keep?: AviVirtualService | null, was?: AviVirtualService | null) => AviVirtualService | null;

/** What a clean realization keeps beside its runtime, so that an edit of virtual services, pools or failures can patch it (avi-patch.ts). */
export interface Replay {
  readonly inputs: VsInputs;
  readonly pools: readonly (Readonly<Record<string, PoolSpec>> | undefined)[];
  /** Addresses of failed workloads and hosts (their pool members are down). */
  readonly downIps: ReadonlySet<number>;
  /** Virtual service indexes (= record indexes: a clean run places every one) per SE group, and SE indexes per group. */
  readonly vsOfGroup: ReadonlyMap<string, readonly number[]>;
  readonly sesOfGroup: ReadonlyMap<string, readonly number[]>;
  /** The placement of the run (its SE indexes, NIC next-hop lists and scratch). */
  readonly place: Place;
  /** Tier-1 → its data segment. */
  readonly dataSegment: ReadonlyMap<string, string>;
  /** How many of the created failed names NCP put before the NICs of failed SEs. */
  readonly failedBeforeSes: number;
  /** Who uses which pool, which pools have a member on which address: shared by the patches of one realization. */
  /** The address ranges with how far allocation went in each (below its cursor, every address is taken). */
  readonly ranges: readonly AllocationRange[];
  /** Each network's ranges, in order (what a virtual service's VIP is allocated from). */
  readonly networkRanges: ReadonlyMap<string, readonly AllocationRange[]>;
  /** Where allocation stands in a range after patches that allocated (else its `cursor`). */
  readonly cursors: ReadonlyMap<AllocationRange, number>;
  /**
   * With AKO's virtual services (allocated after the user's): where the user's allocation stands in
   * each range, below every address AKO's allocations gave (a patch that allocates for the user's,
   * or frees or reserves an address only AKO's allocations reached, allocates AKO's again from
   * there); null without them (the cursors are the user's).
   */
  readonly userCursors: ReadonlyMap<AllocationRange, number> | null;
  /** Addresses no allocation may give: the whole run's, and the fixed VIPs patches added (and, ranges overlapping, what they allocated). */
  readonly reserved: ReadonlySet<number>;
  readonly addedReserved: ReadonlySet<number>;
  /** Addresses of `reserved` no longer reserved: fixed VIPs that patches moved away (allocation may give them again). */
  readonly released: ReadonlySet<number>;
  /** Whether no two ranges overlap (allocated addresses need not be remembered). */
  readonly disjoint: boolean;
  /** Whether an address is already used by a workload or gateway (the realization's context: the same inputs). */
  readonly isUsed: (ip: number) => boolean;
  readonly lookups: PoolLookups;
}

/**
 * The virtual services (by index) using each pool and the pools with a member on each address,
 * made when a patch first needs them and then only added to: a patch adds what the records and
 * pools it makes use, never removes what they no longer do. Patches of one realization (one after
 * another, or branches after an undo) share them: each finds at least what it must compute again,
 * and computing a virtual service or pool again that did not change makes the same record.
 */
/** An address range of an Avi network: its bounds, whom it serves and how far a whole run allocated. */
export interface AllocationRange {
  readonly from: number;
  readonly to: number;
  readonly type: string;
  readonly cursor: number;
}

export interface PoolLookups {
  users: Map<string, number[]> | null;
  pools: Map<number, string[]> | null;
}

const replays = new WeakMap<AviRuntime, Replay>();

/** What a clean realization kept to patch `runtime` (patchAvi), if anything. */
export function replayOf(runtime: AviRuntime): Replay | undefined {
  return replays.get(runtime);
}

/** Keeps what a patched runtime can be patched from again. */
export function keepReplay(runtime: AviRuntime, replay: Replay): void {
  replays.set(runtime, replay);
}


/** Why an enabled virtual service on its SEs is DOWN when none of its pools can take traffic. */
export const NO_POOL_UP = 'no pool member is enabled and up';

/** Whether a pool can take traffic: enabled, with a member enabled and up (a virtual service with none is DOWN). */
export function poolUp(pool: AviPool | undefined): boolean {
  return pool !== undefined && pool.enabled && pool.members.some((m) => m.enabled && m.up);
}

/** A pool's runtime form: members with their addresses and health (`bad` hears of a member that is not an address; lean: only checked). */
export function runtimePool(name: string, p: PoolSpec, downIps: ReadonlySet<number>, bad: (i: number, ip: unknown) => void, lean = false): AviPool {
  const members: AviPool['members'][number][] = [];
  const given = p.members;
  for (let i = 0; i < given.length; i++) {
    const m = given[i];
    const ip = parseIp(m.ip);
    if (ip === null) bad(i, m.ip);
    else if (!lean) members.push({ ip, port: m.port ?? null, enabled: m.enabled ?? true, up: downIps.size === 0 || !downIps.has(ip) });
  }
  return { name, enabled: p.enabled ?? true, defaultPort: p.defaultPort ?? null, members };
}

/** The DNS virtual services placed on an SE. */
export function dnsServices(out: readonly AviVirtualService[]): string[] {
  return out.filter((v) => v.dns && v.serviceEngines.length).map((v) => v.name);
}

/**
 * The Avi controller's runtime state. `pools`: the user's pools and AKO's, as maps in that order
 * (AKO never creates a name the user has). `lean` (validation of a scenario that passed the
 * schema and the semantic rules): the same problems and created objects, but no runtime — pool
 * members, virtual service states, NICs and routes are not built, and null is returned. `keys`:
 * Object.keys of the user's maps, or the same lists already made.
 */
export function realizeAvi(ctx: RealizeContext, inputs: VsInputs, pools: readonly (Readonly<Record<string, PoolSpec>> | undefined)[], lean = false, keys: (map: object) => readonly string[] = keysOfMap): AviRuntime | null {
  const avi = ctx.input.avi;
  if (!avi) {
    if (inputs.userNames.length + inputs.ako.length) ctx.problem(['kubernetes'], 'AKO needs an avi section (cloud, networks, SE groups)');
    return null;
  }
  const virtualServices = vsReader(inputs);
  const failed = new Set(ctx.input.failed ?? []);
  // The user's segments and Tier-1s and the created ones (never the same names): looked up, not copied.
  const userSegments = ctx.input.segments;
  const segments = {
    get: (name: string) => (hasOwnIn(userSegments, name) ? userSegments![name] : ownEntry(ctx.segments, name)),
    has: (name: string) => hasOwnIn(userSegments, name) || Object.hasOwn(ctx.segments, name),
    keys: () => [...keysOf(userSegments), ...Object.keys(ctx.segments)],
  };
  const tier1s = {
    has: (name: string) => hasOwnIn(ctx.input.tier1s, name) || Object.hasOwn(ctx.tier1s, name),
    keys: () => [...keysOf(ctx.input.tier1s), ...Object.keys(ctx.tier1s)],
  };
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
  // An allocated address is below its range's cursor for good: only another range over the same
  // addresses could reach it again, so with disjoint ranges it need not be remembered.
  const allRanges = [...networks.values()].flatMap((n) => n.ranges).sort((a, b) => a.from - b.from);
  const disjoint = allRanges.every((r, i) => i === 0 || r.from > allRanges[i - 1].to);
  const allocate = (network: string, kind: 'VIP' | 'SE'): number | null => {
    for (const r of networks.get(network)?.ranges ?? []) {
      if (r.type !== kind && r.type !== 'VIP_AND_SE') continue;
      while (r.cursor <= r.to && (reserved.has(r.cursor) || ctx.isUsed(r.cursor))) r.cursor++;
      if (r.cursor <= r.to) {
        if (!disjoint) reserved.add(r.cursor);
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
  for (let k = 0; k < virtualServices.count; k++) {
    const v = virtualServices.at(k);
    const { name, spec: vs } = v;
    const ip = parseIp(vs.vip.address);
    if (ip === null) continue;
    const other = vipOwner.get(ip);
    if (other !== undefined) ctx.problem(vipAddressPath(vsPath(v), v.fieldPaths), `VIP ${vs.vip.address} is already the VIP of virtual service ${JSON.stringify(other)} (shared VIPs are not modelled)`);
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
  for (let k = 0; k < virtualServices.count; k++) {
    const vs = virtualServices.at(k).spec;
    const set = groupTier1s.get(vs.seGroup);
    if (set) set.add(vs.tier1);
    else groupTier1s.set(vs.seGroup, new Set([vs.tier1]));
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
  // What NCP marked failed (pods of failed nodes) comes before the NICs of failed SEs.
  const failedBeforeSes = ctx.failed.length;
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
  // (Nothing failed: no workload is down, and every workload was read once already by the context.)
  if (failedNow.size && !lean) {
    for (const map of [ctx.input.workloads, ctx.workloads]) {
      for (const name of keysOf(map)) {
        const w = map![name];
        const ip = parseIp(w.ip);
        if (ip !== null && (failedNow.has(name) || failedNow.has(w.host))) downIps.add(ip);
      }
    }
  }
  for (const [name, h] of entriesOf(ctx.input.physicalHosts)) {
    const a = parseIfAddr(h.ip);
    if (a && failedNow.has(name)) downIps.add(a.ip);
  }
  // (AKO never creates a pool named like one of the user's: each name appears once over the sources.)
  const poolMap = new Map<string, AviPool>();
  for (const source of pools) {
    for (const name of source && typeof source === 'object' ? keys(source) : []) {
      // A member that is not an address is a problem, never 0.0.0.0.
      const pool = runtimePool(name, source![name], downIps, (i, ip) => ctx.problem(['avi', 'pools', name, 'members', i, 'ip'], `invalid IPv4 address ${JSON.stringify(ip)}`), lean);
      if (!lean) poolMap.set(name, pool);
    }
  }
  // SEs by index into `ses` (names are unique there): per group, by name, and their load.
  const sesOfGroup = new Map<string, number[]>();
  const seIndex = new Map<string, number>();
  ses.forEach((se, i) => {
    seIndex.set(se.name, i);
    const l = sesOfGroup.get(se.group);
    if (l) l.push(i);
    else sesOfGroup.set(se.group, [i]);
  });
  const out: AviVirtualService[] = [];
  const dns = new Map<string, { vip: number; virtualService: string }>();
  const routeType = avi.cloud.vipRouteType ?? 'LB_VIP';
  // Scratch, reused by every virtual service: its pools (services', then HTTP routes'), and the
  // SE selection (indexes into the group's SEs; the chosen SEs as indexes into `ses`).
  const refPools: (AviPool | undefined)[] = [];
  const pickedIdx: number[] = [];
  const chosenSe: number[] = [];
  const nicScratch: AviServiceEngine['nics'][number][] = [];
  // An SE NIC's address as text, made once per NIC (its virtual services' routes share it), and
  // the same text object as the realization before (NIC_IP_TEXTS): an update compares the VIP
  // routes of 100,000 virtual services with the previous ones by reference, not by content.
  const nicIpText = (ip: number): string => {
    let text = NIC_IP_TEXTS.get(ip);
    if (text === undefined) {
      if (NIC_IP_TEXTS.size >= NIC_IP_TEXTS_MAX) NIC_IP_TEXTS.clear();
      NIC_IP_TEXTS.set(ip, (text = formatIp(ip)));
    }
    return text;
  };
  // A VIP route's next-hop list, one per distinct sequence of SE NICs (the virtual services placed
  // on the same SEs share it, and so do the routes the engine makes of them): a trie on the NIC
  // objects, so finding it costs a map lookup per NIC, no key text per virtual service.
  // The NICs' workload names are shared the same way (a record's `nics`).
  type HopNode = { list: readonly string[] | null; workloads: readonly string[] | null; next: Map<AviServiceEngine['nics'][number], HopNode> | null };
  const hopLists: HopNode = { list: null, workloads: null, next: null };
  const hopNode = (nics: readonly AviServiceEngine['nics'][number][]): HopNode => {
    let node = hopLists;
    for (const n of nics) {
      node.next ??= new Map();
      let child = node.next.get(n);
      if (child === undefined) node.next.set(n, (child = { list: null, workloads: null, next: null }));
      node = child;
    }
    return node;
  };
  const hopList = (nics: readonly AviServiceEngine['nics'][number][]): readonly string[] => {
    const node = hopNode(nics);
    return (node.list ??= nics.map((n) => nicIpText(n.ip)));
  };
  // The names of a set of chosen SEs, one list per distinct sequence of SE indexes (the virtual
  // services placed on the same SEs share it: records never change their lists).
  type SeNode = { list: readonly string[] | null; next: Map<number, SeNode> | null };
  const seLists: SeNode = { list: NO_NAMES, next: null };
  const seNames = (chosen: readonly number[], ses: readonly AviServiceEngine[]): readonly string[] => {
    let node = seLists;
    for (const i of chosen) {
      node.next ??= new Map();
      let child = node.next.get(i);
      if (child === undefined) node.next.set(i, (child = { list: null, next: null }));
      node = child;
    }
    if (node.list === null) {
      const list = new Array<string>(chosen.length);
      for (let k = 0; k < chosen.length; k++) list[k] = ses[chosen[k]].name;
      node.list = list;
    }
    // (A list made over other SE records of the same names: SE names are unique and never change.)
    return node.list;
  };
  const nicWorkloads = (nics: readonly AviServiceEngine['nics'][number][]): readonly string[] => {
    if (!nics.length) return NO_NAMES;
    const node = hopNode(nics);
    return (node.workloads ??= Object.freeze(nics.map((n) => n.workload)));
  };
  /**
   * Pool reference `i` of a virtual service (null: none): found, or a problem. Lean, the pools are
   * looked up in their maps (no runtime pool is built; poolMap stays empty).
   */
  const poolRef = (st: PlaceState, v: VsInput, p: string | null, i: number) => {
    if (lean) {
      if (p !== null && !pools.some((m) => !!m && typeof m === 'object' && Object.hasOwn(m, p))) {
        const names = pools.flatMap((m) => (m && typeof m === 'object' ? keys(m) : []));
        st.problem(vsPath(v), `no pool named ${JSON.stringify(p)} (reference ${i + 1})${suggestion(p, names)}`);
      }
      return;
    }
    const pool = p === null ? undefined : st.pools.get(p);
    refPools.push(pool);
    if (p !== null && pool === undefined) st.problem(vsPath(v), `no pool named ${JSON.stringify(p)} (reference ${i + 1})${suggestion(p, st.pools.keys())}`);
  };
  /** The DNS records of a placed virtual service (a name registered twice is a problem). */
  const fqdns = (v: VsInput, vip: number, enabled: boolean, chosen: readonly string[]) => {
    if (!enabled || !chosen.length) return;
    for (const f of v.spec.fqdns ?? []) {
      // DNS names are case-insensitive: records are kept in lower case.
      const key = f.toLowerCase();
      const other = dns.get(key);
      if (other) ctx.problem([...vsPath(v), 'fqdns'], `FQDN ${JSON.stringify(f)} is already registered by ${JSON.stringify(other.virtualService)}`);
      else dns.set(key, { vip, virtualService: v.name });
    }
  };

  /**
   * Places one virtual service (its SE group `g`, data segment and VIP found) on the SEs of
   * `st.ses` with their load so far, adds it to the SEs' lists, and returns its runtime record
   * (null when lean). The whole run calls it for every virtual service in order; a patch
   * (avi-patch.ts) calls it again for the virtual services of the SE groups an edit touched, and,
   * with `keep` (the previous record: the same SEs, no load or list touched), for one whose
   * services, pools or pool health changed.
   */
  const place = (st: PlaceState, v: VsInput, g: SeGroupSpec, segment: string, vip: number, keep: AviVirtualService | null = null, was: AviVirtualService | null = null): AviVirtualService | null => {
    const { name, spec: vs, createdFor } = v;
    const { ses, load } = st;
    chosenSe.length = 0;
    // Pool references: the services', then the HTTP routes' (numbered 1, 2, … across both).
    refPools.length = 0;
    let services: AviVirtualService['services'] = NO_SERVICES;
    let httpRoutes: AviVirtualService['httpRoutes'] = NO_ROUTES;
    if (lean) {
      let i = 0;
      for (const s of vs.services) poolRef(st, v, s.pool ?? vs.pool ?? null, i++);
      for (const r of vs.httpRoutes ?? NO_ROUTES) poolRef(st, v, r.pool, i++);
    } else {
      services = was !== null && sameServices(was.services, vs) ? was.services : vs.services.map((s) => ({ port: s.port, protocol: s.protocol ?? (vs.dns ? 'UDP' : 'TCP'), pool: s.pool ?? vs.pool ?? null }));
      httpRoutes = vs.httpRoutes == null ? NO_ROUTES : was !== null && sameHttpRoutes(was.httpRoutes, vs) ? was.httpRoutes : vs.httpRoutes.map((r) => ({ host: r.host ?? null, path: r.path ?? '/', pool: r.pool }));
      for (let i = 0; i < services.length + httpRoutes.length; i++) poolRef(st, v, i < services.length ? services[i].pool : httpRoutes[i - services.length].pool, i);
    }
    const haMode = g.haMode ?? 'HA_MODE_SHARED';
    const enabled = vs.enabled ?? true;
    const trafficEnabled = vs.trafficEnabled ?? true;
    let chosen: readonly string[] = NO_NAMES;
    let standby: readonly string[] = NO_NAMES;
    let state: AviVirtualService['state'] = 'UP';
    let reason = '';
    if (!enabled) {
      state = 'DISABLED';
      reason = 'the virtual service is disabled';
    } else {
      const maxVs = g.maxVsPerSe ?? DEFAULT_MAX_VS_PER_SE;
      const members = sesOfGroup.get(vs.seGroup) ?? [];
      if (keep !== null) {
        // The SEs of the record kept (placed as before: the group's loads are not touched).
        chosen = keep.serviceEngines;
        standby = keep.standby;
        for (const se of chosen) chosenSe.push(seIndex.get(se)!);
        const want = haMode === 'HA_MODE_LEGACY_ACTIVE_STANDBY' ? 0 : haMode === 'HA_MODE_SHARED_PAIR' ? Math.max(2, g.minScaleoutPerVs ?? 2) : (g.minScaleoutPerVs ?? 1);
        if (chosen.length && chosen.length < want) reason = placedOn(chosen.length, want);
      } else if (haMode === 'HA_MODE_LEGACY_ACTIVE_STANDBY') {
        const pair = members
          .slice(0, 2)
          .map((i) => ses[i])
          .filter((s) => !s.down);
        standby = pair.slice(1).map((s) => s.name);
        for (const s of pair.slice(0, 1)) chosenSe.push(seIndex.get(s.name)!);
        chosen = seNames(chosenSe, ses);
      } else {
        const want = haMode === 'HA_MODE_SHARED_PAIR' ? Math.max(2, g.minScaleoutPerVs ?? 2) : (g.minScaleoutPerVs ?? 1);
        // The first `want` of the SEs up and below maxVs, ranked by load (least first when
        // DISTRIBUTED, most first when PACKED), then group order: picked one by one, no sort.
        const order = (g.algo ?? 'PACKED') === 'PACKED' ? -1 : 1;
        let alive = 0;
        for (const i of members) if (!ses[i].down && load[i] < maxVs) alive++;
        const n = sliceEnd(want, alive);
        pickedIdx.length = 0;
        for (let k = 0; k < n; k++) {
          let best = -1;
          let bestLoad = 0;
          for (let j = 0; j < members.length; j++) {
            if (ses[members[j]].down) continue;
            const l = load[members[j]];
            if (!(l < maxVs) || pickedIdx.includes(j)) continue;
            if (best < 0 || order * (l - bestLoad) < 0) {
              best = j;
              bestLoad = l;
            }
          }
          pickedIdx.push(best);
          chosenSe.push(members[best]);
        }
        chosen = seNames(chosenSe, ses);
        if (chosen.length && chosen.length < want) reason = placedOn(chosen.length, want);
      }
      if (!chosen.length) {
        state = 'DOWN';
        reason = `no SE of ${JSON.stringify(vs.seGroup)} is available (failed or full)`;
      }
      for (const i of keep === null ? chosenSe : NO_INDEXES) {
        load[i]++;
        ses[i].virtualServices.push(name);
      }
      for (const se of keep === null ? standby : NO_NAMES) {
        const i = seIndex.get(se)!;
        load[i]++;
        ses[i].virtualServices.push(name);
      }
      if (state === 'UP' && !vs.dns && !lean) {
        let up = false;
        for (let i = 0; i < refPools.length && !up; i++) up = poolUp(refPools[i]);
        if (!up) {
          state = 'DOWN';
          reason = NO_POOL_UP;
        }
      }
    }
    if (lean) {
      fqdns(v, vip, enabled, chosen);
      return null;
    }
    // The chosen SEs' NICs on the VS's Tier-1.
    const nics = nicScratch;
    nics.length = 0;
    for (const i of chosenSe) {
      for (const nic of ses[i].nics) {
        if (nic.tier1 === vs.tier1) {
          nics.push(nic);
          break;
        }
      }
    }
    const sub = segmentSubnet(segment)!;
    let route: AviVirtualService['route'] = null;
    let arpOwner: string | null = null;
    if (nics.length && trafficEnabled) {
      if (contains(sub.prefix, vip)) arpOwner = nics[0].workload;
      else {
        // The previous record's route when it comes out the same (next-hop lists are shared per NIC sequence), else its text.
        const nextHops = hopList(nics);
        const old = was !== null && was.vip === vip ? was.route : null;
        route = old !== null && old.nextHops === nextHops && old.type === routeType ? old : { prefix: old !== null ? old.prefix : `${formatIp(vip)}/32`, nextHops, type: routeType };
      }
    } else if (enabled && !trafficEnabled) reason = 'traffic_enabled is off: no route is injected';
    return {
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
      fqdns: vs.fqdns ?? NO_NAMES,
      serviceEngines: chosen,
      standby,
      state,
      reason,
      route,
      arpOwner,
      nics: nicWorkloads(nics),
    };
  };

  const whole: PlaceState = { ses, load: new Float64Array(ses.length), pools: poolMap, problem: (path, message) => ctx.problem(path, message) };
  // The virtual services of each SE group, by index (what a patch places again).
  const vsOfGroup = new Map<string, number[]>();
  // Where allocation stood in each range before AKO's virtual services (after the user's) allocated.
  let userCursors: Map<AllocationRange, number> | null = null;
  for (let k = 0; k < virtualServices.count; k++) {
    if (k === inputs.userNames.length) userCursors = new Map(allRanges.map((r) => [r, r.cursor]));
    const v = virtualServices.at(k);
    const { spec: vs, fieldPaths } = v;
    const g = ownEntry(avi.seGroups, vs.seGroup);
    if (!g) {
      ctx.problem(fieldPaths.seGroup ?? [...vsPath(v), 'seGroup'], `no SE group named ${JSON.stringify(vs.seGroup)}${suggestion(vs.seGroup, Object.keys(avi.seGroups ?? {}))}`);
      continue;
    }
    const segment = dataSegment.get(vs.tier1);
    if (segment === undefined) {
      ctx.problem(fieldPaths.tier1 ?? [...vsPath(v), 'tier1'], `Tier-1 ${JSON.stringify(vs.tier1)} is not a data network of cloud ${JSON.stringify(avi.cloud.name)} (avi.cloud.dataNetworks)`);
      continue;
    }
    let vip = parseIp(vs.vip.address);
    if (vs.vip.address !== undefined && vip === null) {
      ctx.problem(vipAddressPath(vsPath(v), fieldPaths), `invalid IPv4 address ${JSON.stringify(vs.vip.address)}`);
      continue;
    }
    if (vip === null) {
      const vipNetworkPath = () => fieldPaths.vipNetwork ?? [...vsPath(v), 'vip', 'network'];
      if (vs.vip.network === undefined) {
        ctx.problem([...vsPath(v), 'vip'], 'a VIP needs address or network');
        continue;
      }
      if (!networks.has(vs.vip.network)) {
        const exists = ownEntry(avi.networks, vs.vip.network) !== undefined;
        // A network whose subnet or segment is invalid is reported there; here only that it has no subnet.
        ctx.problem(vipNetworkPath(), exists ? `avi network ${JSON.stringify(vs.vip.network)} has no valid subnet` : `no avi network named ${JSON.stringify(vs.vip.network)}${suggestion(vs.vip.network, Object.keys(avi.networks ?? {}))}`);
        continue;
      }
      vip = allocate(vs.vip.network, 'VIP');
      if (vip === null) {
        ctx.problem(vipNetworkPath(), `no free VIP address left in network ${JSON.stringify(vs.vip.network)}`);
        continue;
      }
    }
    const record = place(whole, v, g, segment, vip);
    if (record === null) continue; // lean: DNS records checked by place
    out.push(record);
    const list = vsOfGroup.get(vs.seGroup);
    if (list) list.push(k);
    else vsOfGroup.set(vs.seGroup, [k]);
    fqdns(v, vip, record.enabled, record.serviceEngines);
  }
  if (lean) return null;
  const runtime: AviRuntime = {
    cloud: avi.cloud.name,
    virtualServices: out,
    serviceEngines: ses,
    pools: poolMap,
    vrfs,
    dns,
    dnsVirtualServices: dnsServices(out),
  };
  // A clean realization can be patched after an edit of virtual services or pools (patchAvi).
  if (!ctx.problems.length) {
    const networkRanges = new Map([...networks].map(([name, n]) => [name, n.ranges]));
    replays.set(runtime, { inputs, pools, downIps, vsOfGroup, sesOfGroup, place, dataSegment, failedBeforeSes, ranges: allRanges, networkRanges, cursors: new Map(), userCursors, reserved, addedReserved: new Set(), released: new Set(), disjoint, isUsed: (ip) => ctx.isUsed(ip), lookups: { users: null, pools: null } });
  }
  return runtime;
}

/** Where a virtual service's VIP address was written (a Service's loadBalancerIP for AKO). */
function vipAddressPath(path: readonly (string | number)[], fieldPaths: VsFieldPaths): readonly (string | number)[] {
  return fieldPaths.vipAddress ?? [...path, 'vip', 'address'];
}
