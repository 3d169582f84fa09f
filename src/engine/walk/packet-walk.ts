// The forwarding core's packet walk. A Walker owns preallocated hop columns (typed arrays) and
// walks a packet over the compiled network: DRs on the node where the packet is, Geneve tunnels
// between transport nodes, physical hops on VLANs, ECMP as depth-first branches in next-hop
// order, loops caught by the (component, node) positions of the routers on the path. Nothing is
// allocated per hop; each finished path is handed to a PathSink, which reads the columns.
//
// Shared suffixes: ECMP branches often converge on the same state (the Tier-1 DR reached through
// each of 8 Tier-0 SRs, on each SR's edge). Below an ECMP fan-out, every router entry is keyed by
// (component, ingress interface, TTL, src, dst, dport, sport); an entry records the paths of its
// subtree (rows from the entry depth into a per-trace path log) — a DR's first entry, another
// component's second — and later entries with the key replay them (rows copied with the depth,
// sequence numbers and entry node shifted) instead of walking again. A recording is replayed only
// where walking would give the same rows: at its node, or at another node of the same kind that
// none of its fixed-placement hops (SRs, endpoints) is on, when none of them was on its own entry
// node (`pinned`); none of the (component, node) marks it visits may be on the current path; and
// it hit no loop mark and was not truncated.
//
// Twin SRs: the SRs of an A/A gateway whose tables answer alike (below) walk alike but for their
// own component, edge node and next-hop indexes. The first of them an ECMP fan-out reaches (no
// gateway services) is recorded at once, and the others replay its whole subtree with its router
// rows given their component and next hop (same records, their own group start) and its node
// theirs — when the key but for the SR and ingress interface is theirs, the destination is none
// of their addresses, no proxy ARP answers on the group's connected domains (the answer depends on
// the asker) and the subtree is replayable at their node as a moved replay is (twinReplayable).
//
// Derived once per compiled network (a WeakMap, shared by its walkers, built on first use): the
// SRs of a gateway whose LPM tables are alike (twins: an A/A Tier-0's table per edge) are looked
// up in the first SR's table — one lookup per trace instead of one per SR, each twin's group
// start from a row per entry holding all twins' starts side by side — and read their next hops
// there when those read the same; next hops and endpoints as one record each (not six columns);
// the gateway-service flag per component; group starts and sizes side by side; the small interval
// tables flattened into one array; a filter of all interface addresses that rules the own-address
// check out for most destinations. After an edit, what the previous compilation's walker derived
// is carried over where the compilation continued it (compile.ts `previous`): its next-hop
// records but for the next hops whose ARP owner changed, its flattened tables of the blocks kept,
// its twin rows for gateways whose SR blocks and next hops are unchanged, its address filter and
// end-host records when those are the same — so an edit's first trace costs what the edit
// changed, not a pass over the whole network.
import { intervalValue, lpmLookup, type LpmTable } from '../fib/lpm.js';
import { NH_BLACKHOLE, NH_CONNECTED, NODE_PHYSICAL, entryGroups, groupSize, groupStart, mapSlot, patchIndex, type CompiledNetwork } from '../fib/compile.js';
import { MISSING } from '../fib/pair-hash.js';
import { CHUNK_SHIFT } from '../fib/int32-chunks.js';
import { FW_ALLOW, matchRule, type RuleSet } from '../fib/firewall.js';
import { NAT_DNAT, NAT_REFLEXIVE, NAT_SNAT, mapAddress, matchInbound, matchOutbound } from '../fib/nat.js';
import { LB_SERVES, serves } from '../fib/load-balancer.js';
import { proxyArpEntry } from '../fib/proxy-arp.js';

/** Values per chunk of the next-hop owner and proxy columns, less one (fib/int32-chunks.ts). */
const CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;

export const ROW_ENDPOINT = 0;
export const ROW_SEGMENT = 1;
export const ROW_ROUTER = 2;
export const ROW_TUNNEL_OUT = 3;
export const ROW_TUNNEL_IN = 4;
/** A firewall decision: rowRef = the gateway's SR component, or -1 for the distributed firewall; rowNh = rule index. */
export const ROW_FIREWALL = 5;
/** A translation: rowRef = the SR component, rowNh = rule index, rowFrom/rowTo = address before/after, rowPortFrom/rowPortTo = port before/after (0: unchanged). */
export const ROW_NAT = 6;

export const OBS_INJECTED = 0;
export const OBS_RECEIVED = 1;
export const OBS_FORWARDED = 2;
export const OBS_DELIVERED = 3;
export const OBS_DROPPED = 4;

export const DISP_DELIVERED = 0;
export const DISP_EXITS_NETWORK = 1;
export const DISP_NO_ROUTE = 2;
export const DISP_NULL_ROUTED = 3;
export const DISP_DENIED = 4;
export const DISP_ARP_FAILED = 5;
export const DISP_LOOP = 6;
export const DISP_NO_SERVICE = 7;
export { DISPOSITIONS, type Disposition } from './dispositions.js';

/** Why a row dropped or ended the packet (detail for materialization). */
export const WHY_NONE = 0;
export const WHY_NO_GATEWAY = 1;
export const WHY_NOT_A_ROUTER = 2;
export const WHY_TTL = 3;
export const WHY_REVISIT = 4;
/** A NAT row that reverses a forward translation (reply). */
export const WHY_REVERSE = 5;
/** An endpoint row: an SE received a packet for a VIP it carries (rowNh = the virtual service). */
export const WHY_VIP = 6;
/** A segment row: the receiver answered ARP by proxy (rowNh = proxy ARP entry, rowFrom = the address asked for). */
export const WHY_PROXY_ARP = 7;

/** Memo entry states (see the header): key seen once, subtree being recorded, replayable, not replayable. */
const M_SEEN = 0;
const M_RECORDING = 1;
const M_RECORDED = 2;
const M_UNUSABLE = 3;
/** Logged row flags: the row carries addresses (a translation, a proxy ARP answer); its rowRef is a node (tunnel rows). */
const L_ADDRESSES = 1 << 24;
/** Ints per logged row. */
const LOG_FIELDS = 8;
const L_REF_NODE = 1 << 25;

/** Memo entries per trace; past it, router entries are walked without a memo. */
const MEMO_CAP = 1024;
/** No row written since the last finished path (the watermark's reset value). */
const NO_ROW = 0x3fffffff;

/** No component (replay without a twin remap). */
const NO_COMP = -2;

/**
 * What the walker derives once per compiled network (shared by its walkers; see twinsOf and
 * ownFilter): per component, the component whose LPM table answers for it (itself, or its
 * gateway's first SR when both tables give the same intervals), with the twins' group starts per
 * entry of that table side by side; and a filter of every interface address.
 */
interface Derived {
  /** Per component: the component looked up in its place (itself when none); -1 until resolved. */
  readonly twin: Int32Array;
  /** Per twin: its column in its representative's `twinStart` rows. */
  readonly twinSlot: Int32Array;
  /** Per representative: per entry (from `twinBase`), its twins' group starts, one row of `twinStride`. */
  readonly twinStart: (Int32Array | null)[];
  readonly twinBase: Int32Array;
  readonly twinStride: Int32Array;
  /** Per component: 1 for an SR with twins (the representative or a twin of it), else 0; valid once `twin` is resolved. */
  readonly twinned: Uint8Array;
  /** Per component: 1 when it has a gateway firewall or NAT table (read those only then). */
  readonly svc: Uint8Array;
  /**
   * Per next hop, NH_FIELDS ints side by side (one cache line instead of six columns): kind |
   * external << 8, domain, proxy, ip, owner, the owner's component (-1 when not an interface).
   */
  nh: Int32Array | null;
  /** Per LPM entry, its group's first next hop and size side by side (c.entryGroup, as compiled)… */
  grp: Int32Array | null;
  /** …unless this group patch gives it another (c.groupPatch: a few entries, looked up by patchIndex)… */
  gpatch: Int32Array | null;
  /** …read through this group map (c.groupMap: per group start, the group it reads as; see mapSlot). */
  gmap: Int32Array | null;
  /**
   * The small interval tables (no first level, no /16 index: a Tier-1 DR's) in one array: at
   * flatAt[comp], the interval count, then (start, value) pairs — the search and its answer in a
   * few adjacent cache lines, without the table object and its arrays in between. -1: lpmLookup.
   */
  flat: Int32Array | null;
  flatAt: Int32Array;

  /** Per endpoint, EP_FIELDS ints: node, ip, prefix length, domain, gateway, 1 for a workload (c.endpoint* side by side). */
  readonly ep: Int32Array;
  /** Bit set of hashed interface addresses (null until the first trace): no bit, nobody's own address. */
  own: Int32Array | null;
  ownShift: number;
  /**
   * Once the next-hop records are made from the previous compilation's: per component, 1 when a
   * record of one of its next hops differs from that compilation's (its twins are resolved again);
   * null when they were made from scratch.
   */
  nhChanged: Uint8Array | null;
  /** Alongside nhChanged: per next hop, 1 when its record differs from the previous compilation's or is new. */
  nhChangedAt: Uint8Array | null;
  /** Alongside nhChanged: whether a record of a next hop the previous compilation had changed (not only new ones). */
  oldRecordsChanged: boolean;
  /** nhChangedAt's prefix sum (made when a gateway's twin rows are first rebased; see rebaseTwins). */
  changedBefore: Int32Array | null;
}

const DERIVED = new WeakMap<CompiledNetwork, Derived>();

/** Endpoint record width in `Derived.ep`. */
const EP_FIELDS = 8;

function derivedOf(c: CompiledNetwork): Derived {
  let d = DERIVED.get(c);
  if (d === undefined) {
    const n = c.net.components.length;
    const svc = Uint8Array.from(c.net.components, (_, i) => (c.gatewayFirewall[i] !== null || c.nat[i] !== null ? 1 : 0));
    const { prev, pd } = previousDerived(c);
    const ep = pd !== null && sameEndpoints(c, prev!) ? pd.ep : endpointRecords(c);
    d = { svc, ep, twin: new Int32Array(n).fill(-1), twinSlot: new Int32Array(n), twinStart: new Array<Int32Array | null>(n).fill(null), twinBase: new Int32Array(n), twinStride: new Int32Array(n), twinned: new Uint8Array(n), nh: null, grp: null, gpatch: null, gmap: null, flat: null, flatAt: new Int32Array(n).fill(-1), own: null, ownShift: 0, nhChanged: null, nhChangedAt: null, oldRecordsChanged: false, changedBefore: null };
    DERIVED.set(c, d);
  }
  return d;
}

/**
 * The compilation `c` continued and what the walker derived from it, when both are still there
 * (an edit's compilation, traced after its twin was): the records that agree are taken from it.
 */
function previousDerived(c: CompiledNetwork): { prev: CompiledNetwork | null; pd: Derived | null } {
  const prev = c.previous?.deref();
  const pd = prev !== undefined ? DERIVED.get(prev) : undefined;
  return prev !== undefined && pd !== undefined ? { prev, pd } : { prev: null, pd: null };
}

/** Whether two compilations hold the same end-host arrays (an edit that left the model's end hosts alone). */
function sameEndpoints(c: CompiledNetwork, p: CompiledNetwork): boolean {
  return c.endpointNode === p.endpointNode && c.endpointIp === p.endpointIp && c.endpointLen === p.endpointLen && c.endpointDomain === p.endpointDomain && c.endpointGateway === p.endpointGateway && c.endpointIsWorkload === p.endpointIsWorkload;
}

function endpointRecords(c: CompiledNetwork): Int32Array {
  const ep = new Int32Array(c.endpointNode.length * EP_FIELDS);
  for (let i = 0, k = 0; i < c.endpointNode.length; i++, k += EP_FIELDS) {
    ep[k] = c.endpointNode[i];
    ep[k + 1] = c.endpointIp[i] | 0;
    ep[k + 2] = c.endpointLen[i];
    ep[k + 3] = c.endpointDomain[i];
    ep[k + 4] = c.endpointGateway[i] | 0;
    ep[k + 5] = c.endpointIsWorkload[i];
  }
  return ep;
}

/**
 * Resolves the twins of component `comp`'s gateway (its SRs; other components have none). SR `b`
 * is a twin of the first SR `a` when their LPM tables have the same interval starts and the same
 * intervals without a route, and every entry of `a` found on an interval meets, on each of them,
 * entries of `b` with one group start and `a`'s group size: then `b`'s lookup of any address is
 * `a`'s entry with `b`'s group start from the row of `a`'s entry (A/A Tier-0 SRs: one table per
 * edge, alike; the lookup is made once, and the rows keep the eight starts on one cache line).
 */
function twinsOf(c: CompiledNetwork, d: Derived, comp: number): number {
  const cp = c.net.components[comp];
  const srs = cp.type === 'T0_SR' || cp.type === 'T1_SR' ? (c.net.gateways.get(cp.name)?.srs ?? []) : [];
  d.twin[comp] = comp;
  if (srs.length < 2 || !srs.includes(comp)) return comp;
  // Twins share the first SR's lookup: an SR whose table has an overlay (prefixes added beside
  // its block, entries outside it) is looked up on its own, and so are the others.
  if (srs.some((x) => c.fib[x].over !== null)) return comp;
  if (inheritTwins(c, d, srs) || rebaseTwins(c, d, srs)) return d.twin[comp];
  const a = srs[0];
  const A = c.fib[a];
  let lo = 0x7fffffff;
  let hi = -1;
  for (let i = 0; i < A.size; i++) {
    const v = intervalValue(A, i);
    if (v >= 0 && v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo + 1;
  // One column per candidate (the first SR's own lookups read its groups directly).
  const stride = srs.length - 1;
  const rows = hi < 0 ? null : new Int32Array(span * stride).fill(UNSET);
  for (let j = 1; j < srs.length; j++) {
    const b = srs[j];
    d.twin[b] = b;
    if (rows !== null && sameIntervals(c, c.fib[a], c.fib[b], rows, lo, stride, j - 1)) {
      d.twin[b] = a;
      d.twinSlot[b] = j - 1;
      d.twinned[a] = d.twinned[b] = 1;
    }
  }
  d.twin[a] = a;
  d.twinStart[a] = rows;
  d.twinBase[a] = lo;
  d.twinStride[a] = stride;
  return d.twin[comp];
}

/**
 * Whether tables A and B have the same intervals, with and without a route, and each entry of A
 * meets one group start of B of its size, noted in column `slot` of `rows` (per entry from `lo`):
 * the start when B's next hops read as A's (kind, external, domain, proxy, address, owner), else
 * its complement (~start; UNSET: not met).
 */
function sameIntervals(c: CompiledNetwork, A: LpmTable, B: LpmTable, rows: Int32Array, lo: number, stride: number, slot: number): boolean {
  if (A.size !== B.size) return false;
  const sa = A.starts;
  const sb = B.starts;
  const grp = entryGroups(c);
  for (let i = 0; i < sa.length; i++) {
    const x = intervalValue(A, i);
    const y = intervalValue(B, i);
    if (sa[i] !== sb[i] || (x < 0) !== (y < 0) || (x < 0 && x !== y)) return false;
    if (x < 0) continue;
    const k = (x - lo) * stride + slot;
    const g = grp[2 * y];
    const n = grp[2 * y + 1];
    if (n !== grp[2 * x + 1]) return false;
    let same = true;
    for (let t = 0, f = grp[2 * x]; t < n && same; t++) same = sameHop(c, f + t, g + t);
    const v = same ? g : ~g;
    if (rows[k] !== UNSET && rows[k] !== v) return false;
    rows[k] = v;
  }
  return true;
}

/**
 * Takes the twins of a gateway's SRs from the previous compilation when it resolved them and
 * nothing they read changed: each SR's LPM table is the same object (its block kept, not
 * compacted: the same entries and groups) and none of their next-hop records differs (nhChanged).
 * The rows are shared (never written once made).
 */
function inheritTwins(c: CompiledNetwork, d: Derived, srs: readonly number[]): boolean {
  if (d.nhChanged === null) return false;
  const { prev, pd } = previousDerived(c);
  if (pd === null) return false;
  for (const x of srs) {
    if (x >= prev!.fib.length || c.fib[x] !== prev!.fib[x] || d.nhChanged[x] === 1 || pd.twin[x] < 0) return false;
  }
  const a = srs[0];
  takeTwins(d, pd, srs, pd.twinStart[a], pd.twinBase[a]);
  return true;
}

/** The previous compilation's twins of a gateway's SRs (`pd`), with these rows from this base. */
function takeTwins(d: Derived, pd: Derived, srs: readonly number[], rows: Int32Array | null, base: number): void {
  const a = srs[0];
  for (const x of srs) {
    d.twin[x] = pd.twin[x];
    d.twinSlot[x] = pd.twinSlot[x];
    d.twinned[x] = pd.twinned[x];
  }
  d.twinStart[a] = rows;
  d.twinBase[a] = base;
  d.twinStride[a] = pd.twinStride[a];
}

/**
 * The twins of a gateway's SRs from the previous compilation's when their blocks were rewritten
 * but hold the same prefixes (a ToR failed: the eight SRs' default route changed): each SR's LPM
 * table has the previous one's arrays, all of them the same arrays (one table, per-SR bases), and
 * every SR was a twin of the first. A row then holds what it held for the entry at the same
 * offset, unless that entry's group (its start, size, or a next-hop record in it) differs, on the
 * first SR or on the twin: those cells are made again as sameIntervals makes them. False when a
 * condition fails (twinsOf then makes them all).
 */
function rebaseTwins(c: CompiledNetwork, d: Derived, srs: readonly number[]): boolean {
  const changedAt = d.nhChangedAt;
  if (changedAt === null) return false;
  const { prev, pd } = previousDerived(c);
  if (pd === null) return false;
  const p = prev!;
  const a = srs[0];
  const old = pd.twinStart[a];
  if (old === null || pd.twin[a] !== a) return false;
  const A = c.fib[a];
  // The SRs that were twins of the first (the others stay looked up on their own).
  const attached = srs.map((x) => x === a || pd.twin[x] === a);
  for (let j = 0; j < srs.length; j++) {
    const x = srs[j];
    if (!attached[j]) continue;
    if (x >= p.fib.length || c.blockEntries[x] !== p.blockEntries[x]) return false;
    const T = c.fib[x];
    if (T.starts !== A.starts || T.values !== A.values || p.fib[x].starts !== A.starts || p.fib[x].values !== A.values) return false;
  }
  const stride = pd.twinStride[a];
  const rows = old.slice();
  const span = rows.length / stride;
  const loOld = pd.twinBase[a];
  const loNew = loOld - p.fib[a].base + A.base;
  const g = c.entryGroup;
  const pg = p.entryGroup;
  // Per SR, the entry offsets whose group differs (start or size, or a record in it), in a typed
  // pass over its entries; entries either compilation's group patch names differ too (their
  // groups are not the columns'). A cell of a row is made again when the first SR's group there
  // differs, or the twin's own: the other cells stay as they were (an SR whose edge failed has
  // most of its groups changed, and is no longer a twin: the others' rows are not read again).
  const recordsChanged = d.oldRecordsChanged;
  // Next hops changed before each one (a prefix sum): whether a group holds a changed record is one subtraction.
  const changedBefore = recordsChanged ? (d.changedBefore ??= prefixSum(changedAt)) : null;
  // The group columns continue each other (one storage, appended to): an entry at the same place holds the same group.
  const sameStorage = g.buffer === pg.buffer && g.byteOffset === pg.byteOffset;
  // Groups read through the group maps: with another map, an entry holding the same group may read as another.
  const map = c.groupMap;
  const pmap = p.groupMap;
  const differs = (x: number, out: number[]): void => {
    // (The map differs only for the groups of the components this compilation remapped.)
    const sameMap = map === pmap || !c.remapped.includes(x);
    const eo0 = loOld - p.fib[a].base + p.fib[x].base;
    const en0 = loNew - A.base + c.fib[x].base;
    const kept = sameStorage && eo0 === en0;
    if (!kept || !sameMap || changedBefore !== null) {
      for (let r = 0; r < span; r++) {
        const en = en0 + r;
        let start = g[2 * en];
        let size = g[2 * en + 1];
        const m = mapSlot(map, start, size);
        if (m >= 0) {
          start = map![m];
          size = map![m + 1];
        }
        if (!kept || !sameMap) {
          const eo = eo0 + r;
          const om = mapSlot(pmap, pg[2 * eo], pg[2 * eo + 1]);
          if (start !== (om < 0 ? pg[2 * eo] : pmap![om]) || size !== (om < 0 ? pg[2 * eo + 1] : pmap![om + 1])) {
            out.push(r);
            continue;
          }
        }
        if (changedBefore !== null && changedBefore[start + size] !== changedBefore[start]) out.push(r);
      }
    }
    for (const patch of [c.groupPatch, p.groupPatch]) {
      const first = patch === c.groupPatch ? en0 : eo0;
      for (let k = 0; patch !== null && k < patch.length; k += 3) if (patch[k] >= first && patch[k] < first + span) out.push(patch[k] - first);
    }
  };
  // The rows that differ: the first SR's (every cell of them), then each twin's own (a row may come twice: made again alike).
  const repDiffers: number[] = [];
  differs(a, repDiffers);
  for (let j = 1; j < srs.length; j++) {
    if (!attached[j]) continue;
    const cells = repDiffers.slice();
    differs(srs[j], cells);
    for (let q = 0; q < cells.length && attached[j]; q++) {
      const r = cells[q];
      const k = r * stride + j - 1;
      if (rows[k] === UNSET) continue;
      const xn = loNew + r;
      const yn = xn - A.base + c.fib[srs[j]].base;
      const n = groupSize(c, yn);
      // A group of another size (an SR whose edge failed: its BGP routes gone): no longer a twin.
      if (n !== groupSize(c, xn)) {
        attached[j] = false;
        continue;
      }
      const h0 = groupStart(c, yn);
      let same = true;
      for (let t = 0, f = groupStart(c, xn), h = h0; t < n && same; t++) same = sameHop(c, f + t, h + t);
      rows[k] = same ? h0 : ~h0;
    }
  }
  takeTwins(d, pd, srs, rows, loNew);
  // Those that stopped being twins are looked up on their own (as twinsOf leaves an SR whose intervals differ).
  for (let j = 1; j < srs.length; j++) {
    if (attached[j] || pd.twin[srs[j]] !== a) continue;
    d.twin[srs[j]] = srs[j];
    d.twinned[srs[j]] = 0;
  }
  if (!attached.some((x, j) => x && j > 0)) d.twinned[a] = 0;
  return true;
}

/** Where entry `e` is in the compilation's group patch (its triple's index), or -1: its group is the column's. */
function patchedAt(d: Derived, e: number): number {
  return d.gpatch === null ? -1 : patchIndex(d.gpatch, e);
}

/** Per position i, how many of flags[0, i) are 1 (flags of 0 and 1). */
function prefixSum(flags: Uint8Array): Int32Array {
  const sum = new Int32Array(flags.length + 1);
  for (let i = 0; i < flags.length; i++) sum[i + 1] = sum[i] + flags[i];
  return sum;
}

/** An unset cell of a twin row (no group start is as low). */
const UNSET = -2147483648;

/** Whether next hops i and j read the same to the walk (equal records). */
function sameHop(c: CompiledNetwork, i: number, j: number): boolean {
  return c.nhKind[i] === c.nhKind[j] && c.nhExternal[i] === c.nhExternal[j] && c.nhDomain[i] === c.nhDomain[j] && c.nhProxy.at(i) === c.nhProxy.at(j) && c.nhIp[i] === c.nhIp[j] && c.nhOwner.at(i) === c.nhOwner.at(j);
}

/**
 * What the walker derived for a compiled network so far (its next-hop records, the twin rows of
 * `comp`'s gateway, the own-address filter, the end-host records), null before the first trace.
 * For tests: records made from the previous compilation's share what did not change.
 */
export function walkerRecords(c: CompiledNetwork, comp: number): { nh: Int32Array; twinRows: Int32Array | null; own: Int32Array | null; ep: Int32Array } | null {
  const d = DERIVED.get(c);
  if (d === undefined || d.nh === null) return null;
  const rep = d.twin[comp] >= 0 ? d.twin[comp] : twinsOf(c, d, comp);
  return { nh: d.nh, twinRows: d.twinStart[rep], own: d.own, ep: d.ep };
}

/**
 * The component whose LPM table the walker looks `comp`'s lookups up in: `comp` itself, or the
 * first SR of its gateway when their tables are alike (see twinsOf). For tests and diagnostics.
 */
export function lookupTwin(c: CompiledNetwork, comp: number): number {
  const d = derivedOf(c);
  return d.twin[comp] >= 0 ? d.twin[comp] : twinsOf(c, d, comp);
}

/** Next-hop record width in `Derived.nh`. */
const NH_FIELDS = 8;

/** Writes next hop `i`'s record (the columns the walk reads: c.nhKind, nhExternal, nhDomain, nhProxy, nhIp, nhOwner) at r[k]. */
function nhRecord(c: CompiledNetwork, i: number, r: Int32Array, k: number): void {
  const owner = c.nhOwner.at(i);
  r[k] = c.nhKind[i] | (c.nhExternal[i] << 8);
  r[k + 1] = c.nhDomain[i];
  r[k + 2] = c.nhProxy.at(i);
  r[k + 3] = c.nhIp[i] | 0;
  r[k + 4] = owner;
  r[k + 5] = owner >= 0 ? c.interfaceComponent[owner] : -1;
}

/**
 * The next-hop records (every next hop; they are a few per component block), the group records
 * and the flattened small tables. After an edit (the previous compilation traced), each is made
 * from the previous one's where they agree: the next-hop columns are that compilation's extended,
 * so its records are copied and only the next hops whose ARP owner or proxy entry changed, and the
 * new ones, are written; a small table kept as it was is copied. A first trace after an edit
 * then costs what the edit changed plus a few copies.
 */
function nhRecords(c: CompiledNetwork, d: Derived): Int32Array {
  const n = c.nhKind.length;
  const r = new Int32Array(n * NH_FIELDS);
  const { prev, pd } = previousDerived(c);
  let from = 0;
  // (A model reshaped by segments added or removed at the end has the interfaces both have at the
  // same ids: the records of next hops that kept their owner read the same.)
  if (pd !== null && pd.nh !== null && (c.interfaceComponent === prev!.interfaceComponent || samePrefix(c.interfaceComponent, prev!.interfaceComponent))) {
    const p = prev!;
    const m = Math.min(p.nhKind.length, n);
    r.set(pd.nh.subarray(0, m * NH_FIELDS));
    const changed = new Uint8Array(c.net.components.length);
    const changedAt = new Uint8Array(n);
    changedAt.fill(1, m);
    const { nhOwner, nhProxy } = c;
    for (let i = 0; i < m; i++) {
      // A chunk of both columns the two compilations share: the same values (skipped whole).
      if ((i & CHUNK_MASK) === 0 && nhOwner.chunks[i >>> CHUNK_SHIFT] === p.nhOwner.chunks[i >>> CHUNK_SHIFT] && nhProxy.chunks[i >>> CHUNK_SHIFT] === p.nhProxy.chunks[i >>> CHUNK_SHIFT]) {
        i += CHUNK_MASK;
        continue;
      }
      if (nhOwner.at(i) === p.nhOwner.at(i) && nhProxy.at(i) === p.nhProxy.at(i)) continue;
      nhRecord(c, i, r, i * NH_FIELDS);
      changed[c.nhComponent[i]] = 1;
      changedAt[i] = 1;
      d.oldRecordsChanged = true;
    }
    d.nhChanged = changed;
    d.nhChangedAt = changedAt;
    from = m;
  }
  for (let i = from; i < n; i++) nhRecord(c, i, r, i * NH_FIELDS);
  d.grp = c.entryGroup;
  d.gpatch = c.groupPatch;
  d.gmap = c.groupMap;
  let total = 0;
  // (A table with an overlay, prefixes added beside its block, is looked up by lpmLookup.)
  for (const t of c.fib) if (t.l1 === null && t.index16 === null && t.over === null) total += 1 + 2 * t.size;
  const f = new Int32Array(total);
  const reuse = pd !== null && pd.flat !== null ? pd : null;
  for (let comp = 0, o = 0; comp < c.fib.length; comp++) {
    const t = c.fib[comp];
    if (t.l1 !== null || t.index16 !== null || t.over !== null) continue;
    d.flatAt[comp] = o;
    const at = reuse !== null && comp < prev!.fib.length && prev!.fib[comp] === t ? reuse.flatAt[comp] : -1;
    if (at >= 0) {
      f.set(reuse!.flat!.subarray(at, at + 1 + 2 * t.size), o);
      o += 1 + 2 * t.size;
      continue;
    }
    f[o++] = t.size;
    for (let i = 0; i < t.size; i++, o += 2) {
      f[o] = t.starts[i] | 0;
      f[o + 1] = intervalValue(t, i);
    }
  }
  d.flat = f;
  return (d.nh = r);
}

/** Whether the shorter of `a` and `b` is where the longer begins. */
function samePrefix(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0, n = Math.min(a.length, b.length); i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** lpmLookup's interval search on a flattened table at f[o] (see Derived.flat): the last interval starting at or below ip. */
function flatLookup(f: Int32Array, o: number, ip: number): number {
  let lo = 0;
  let hi = f[o] - 1;
  const b = o + 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (f[b + 2 * mid] >>> 0 <= ip) lo = mid;
    else hi = mid - 1;
  }
  return f[b + 2 * lo + 1];
}

/** The LPM entry of `ip` in component `comp`'s own table as the walker looks it up (flattened or not). For tests. */
export function walkerLookup(c: CompiledNetwork, comp: number, ip: number): number {
  const d = derivedOf(c);
  if (d.nh === null) nhRecords(c, d);
  const o = d.flatAt[comp];
  return o >= 0 ? flatLookup(d.flat!, o, ip >>> 0) : lpmLookup(c.fib[comp], ip >>> 0);
}


/** Builds the filter of interface addresses (the addresses c.ownIp is built from). */
function ownFilter(c: CompiledNetwork, d: Derived): Int32Array {
  // The same own addresses as the previous compilation (compile keeps its table then): its filter.
  const { prev, pd } = previousDerived(c);
  if (pd !== null && pd.own !== null && prev!.ownIp === c.ownIp) {
    d.ownShift = pd.ownShift;
    return (d.own = pd.own);
  }
  let bits = 1024;
  while (bits < c.net.interfaces.length * 16) bits *= 2;
  d.ownShift = 32 - Math.log2(bits);
  const set = new Int32Array(bits >>> 5);
  for (const itf of c.net.interfaces) {
    const h = Math.imul(itf.ip, 0x9e3779b1) >>> d.ownShift;
    set[h >>> 5] |= 1 << (h & 31);
  }
  return (d.own = set);
}

export interface PathSink {
  /** Called once per finished path; rows [0, length) of the walker's columns describe it. */
  path(w: Walker, length: number, disposition: number): void;
}

export class Walker {
  readonly rowType: Uint8Array;
  readonly rowObs: Uint8Array;
  readonly rowWhy: Uint8Array;
  readonly rowNode: Int32Array;
  readonly rowRef: Int32Array;
  readonly rowNh: Int32Array;
  readonly rowSeq: Int32Array;
  readonly rowFrom: Uint32Array;
  readonly rowTo: Uint32Array;
  readonly rowPortFrom: Uint16Array;
  readonly rowPortTo: Uint16Array;
  /** The (component, node) positions (component × nodeCount + node) of the routers on the path: loop marks. */
  private readonly pathPos: Int32Array;
  private pathTop = 0;
  private readonly nodeCount: number;
  private dst = 0;
  /** Derived per compiled network: LPM twins, the interface address filter. */
  private readonly derived: Derived;
  /** Per trace: the last LPM lookup (table's component, address, entry). */
  private lkComp = -1;
  private lkDst = 0;
  private lkEntry = -1;
  /** Per trace: an address the filter found to be nobody's own (-1: none yet). */
  private notOwn = -1;
  private src = 0;
  /** Reply mode: stateful firewalls let it pass; NAT is reversed from the connection entries. */
  private reply = false;
  private connComp = new Int32Array(16);
  private connKind = new Uint8Array(16); // 0: reply dst back (un-SNAT), 1: reply src back (un-DNAT)
  private connMatch = new Uint32Array(16);
  private connTo = new Uint32Array(16);
  private connRule = new Int32Array(16);
  /** Un-DNAT of a port-translating rule: the reply's source port goes back to this (0: none). */
  private connPort = new Uint16Array(16);
  private connCount = 0;
  private proto = 0;
  private dport = 0;
  /** Source port (tracked for replies, whose source port a reversed DNAT restores). */
  private sport = 0;
  private sink: PathSink | null = null;
  /** Set just before l2(): the proxy ARP entry that answered for the target, else -1. */
  private proxy = -1;
  private proxyTarget = 0;
  private paths = 0;
  private maxPaths: number;
  /** True when the last trace stopped enumerating at settings.maxPaths. */
  truncated = false;
  /** HTTP host of the request (L7 virtual services pick pools by it); null = any. */
  host: string | null = null;
  /**
   * serves() verdicts per virtual service for one (protocol, port, host): the compiled network and
   * its load balancer do not change, so a verdict holds until the question does (servesGen).
   */
  private servesProto = -1;
  private servesPort = -1;
  private servesHost: string | null = null;
  private servesGen = 0;
  /** Per virtual service: servesGen << 4 | verdict (one read instead of a stamp and a verdict). */
  private servesState: Int32Array | null = null;

  // Shared-suffix memo, reset per trace. fanout > 0 below an ECMP group of 2+ next hops.
  private fanout = 0;
  private stamp = 0;
  /** Per component: first memo entry of this trace (valid when compStamp = stamp), chained by mNext. */
  private readonly compHead: Int32Array;
  private readonly compStamp: Uint32Array;
  private mCount = 0;
  private readonly mNext = new Int32Array(MEMO_CAP);
  private readonly mIface = new Int32Array(MEMO_CAP);
  private readonly mTtl = new Int32Array(MEMO_CAP);
  private readonly mSrc = new Uint32Array(MEMO_CAP);
  private readonly mDst = new Uint32Array(MEMO_CAP);
  private readonly mDport = new Int32Array(MEMO_CAP);
  private readonly mSport = new Int32Array(MEMO_CAP);
  private readonly mState = new Uint8Array(MEMO_CAP);
  /** Where the recording was made: entry node, depth, sequence number. */
  private readonly mNode = new Int32Array(MEMO_CAP);
  private readonly mDepth = new Int32Array(MEMO_CAP);
  private readonly mSeq = new Int32Array(MEMO_CAP);
  /** 1 when the subtree moved to its entry node by a fixed placement: replayable only there. */
  private readonly mPinned = new Uint8Array(MEMO_CAP);
  /** The recorded paths [mPathStart, mPathEnd) of the path log and visits of the visit log. */
  private readonly mPathStart = new Int32Array(MEMO_CAP);
  private readonly mPathEnd = new Int32Array(MEMO_CAP);
  private readonly mVisitStart = new Int32Array(MEMO_CAP);
  private readonly mVisitEnd = new Int32Array(MEMO_CAP);
  /**
   * Twin recordings (an SR with twins, entered with no gateway services): the SR, the entry of
   * its representative's table it forwarded by (-1: not replayable at a twin) and the first next
   * hop of its group there.
   */
  private readonly mComp = new Int32Array(MEMO_CAP);
  private readonly mEntry = new Int32Array(MEMO_CAP);
  private readonly mStart = new Int32Array(MEMO_CAP);
  /** Per representative SR: this trace's twin recording (valid when twinStamp = stamp). */
  private readonly twinRec: Int32Array;
  private readonly twinStamp: Uint32Array;
  /** The twin recording whose forwarding entry the next forward() notes (-1: none). */
  private recEntryFor = -1;
  /** Set by twinReplayable: the replaying twin's first next hop minus the recorded SR's. */
  private twinDelta = 0;
  /** SR subtrees replayed at a twin SR, since the walker was made (for tests and diagnostics). */
  twinReplays = 0;
  /** Open recordings, outermost first. */
  private readonly recStack = new Int32Array(MEMO_CAP);
  private recTop = 0;
  /** Set by memoEntry: whether the entry it returned was just added. */
  private memoAdded = false;
  /**
   * Path log: per path finished while a recording was open, its rows [pFrom, pLen) at row log pRow
   * (rows above pFrom are the previous path's; a recording's first path has all of its rows).
   */
  private pCount = 0;
  private pLen = new Int32Array(64);
  private pFrom = new Int32Array(64);
  private pRow = new Int32Array(64);
  private pDisp = new Uint8Array(64);
  private pSrc = new Uint32Array(64);
  private pDst = new Uint32Array(64);
  private pDport = new Int32Array(64);
  private pSport = new Int32Array(64);
  private lCount = 0;
  /** The lowest row written since the last finished path (rows above it are that path's). */
  private low = 0;
  /** Row log, LOG_FIELDS ints per row: type | obs << 8 | why << 16 (with L_ADDRESSES, L_REF_NODE), node, ref, nh, seq, from, to, portFrom | portTo << 16. */
  private log = new Int32Array(512 * LOG_FIELDS);
  /** Visit log: router entries (component, node) and moves to a fixed node (-1, node) while recording. */
  private vCount = 0;
  private vComp = new Int32Array(128);
  private vNode = new Int32Array(128);

  /** The packet's header as it is now (inside a PathSink callback: as delivered). */
  get currentSrc(): number {
    return this.src;
  }
  get currentDst(): number {
    return this.dst;
  }
  get currentDport(): number {
    return this.dport;
  }
  get currentSport(): number {
    return this.sport;
  }

  constructor(readonly c: CompiledNetwork) {
    const cap = c.net.settings.ttl * 8 + 16;
    this.rowType = new Uint8Array(cap);
    this.rowObs = new Uint8Array(cap);
    this.rowWhy = new Uint8Array(cap);
    this.rowNode = new Int32Array(cap);
    this.rowRef = new Int32Array(cap);
    this.rowNh = new Int32Array(cap);
    this.rowSeq = new Int32Array(cap);
    this.rowFrom = new Uint32Array(cap);
    this.rowTo = new Uint32Array(cap);
    this.rowPortFrom = new Uint16Array(cap);
    this.rowPortTo = new Uint16Array(cap);
    this.nodeCount = c.net.nodes.length;
    this.pathPos = new Int32Array(c.net.settings.ttl + 8);
    this.maxPaths = c.net.settings.maxPaths;
    this.compHead = new Int32Array(c.net.components.length);
    this.compStamp = new Uint32Array(c.net.components.length);
    this.twinRec = new Int32Array(c.net.components.length);
    this.twinStamp = new Uint32Array(c.net.components.length);
    this.derived = derivedOf(c);
  }

  /**
   * Traces a packet from endpoint `src` to address `dst` (protocol number and destination port
   * for the firewalls; 0 = none); returns the number of paths.
   */
  trace(src: number, dst: number, sink: PathSink, proto = 0, dport = 0): number {
    this.reply = false;
    this.connCount = 0;
    return this.walk(src, dst, sink, proto, dport, 0, 0, 0);
  }

  /**
   * Traces a packet that `src` sends to `dst` through first hop `via` (an address on its subnet):
   * an SE's leg to a pool member, routed by the SE's VRF rather than the endpoint's gateway.
   */
  traceVia(src: number, dst: number, via: number, sink: PathSink, proto: number, dport: number): number {
    this.reply = false;
    this.connCount = 0;
    return this.walk(src, dst, sink, proto, dport, 0, via, 0);
  }

  /**
   * Traces the reply of a traced flow: from endpoint `src` to `dst`, through the connection state
   * the forward path created (its NAT rows from `forward`, rows [0, length)): translations are
   * reversed where they were made, and stateful firewalls let the reply pass.
   */
  traceReply(src: number, dst: number, sink: PathSink, proto: number, dport: number, forward: Walker, length: number, srcIp = 0, sport = 0): number {
    this.reply = true;
    this.connCount = 0;
    for (let i = 0; i < length; i++) {
      if (forward.rowType[i] !== ROW_NAT) continue;
      const table = this.c.nat[forward.rowRef[i]]!;
      const action = table.actions[forward.rowNh[i]];
      if (action !== NAT_SNAT && action !== NAT_DNAT) continue;
      if (this.connCount === this.connComp.length) break;
      const k = this.connCount++;
      this.connComp[k] = forward.rowRef[i];
      this.connKind[k] = action === NAT_SNAT ? 0 : 1;
      this.connMatch[k] = forward.rowTo[i];
      this.connTo[k] = forward.rowFrom[i];
      this.connRule[k] = forward.rowNh[i];
      this.connPort[k] = action === NAT_DNAT ? forward.rowPortFrom[i] : 0;
    }
    return this.walk(src, dst, sink, proto, dport, srcIp, 0, sport);
  }

  /** srcIp: source address other than the endpoint's (an SE replying from a VIP); via: forced first hop. */
  private walk(src: number, dst: number, sink: PathSink, proto: number, dport: number, srcIp: number, via: number, sport: number): number {
    const c = this.c;
    this.sport = sport;
    this.dst = dst >>> 0;
    const eps = this.derived.ep;
    const e = src * EP_FIELDS;
    this.src = srcIp !== 0 ? srcIp >>> 0 : eps[e + 1] >>> 0;
    this.proto = proto;
    this.dport = dport;
    this.sink = sink;
    this.paths = 0;
    this.truncated = false;
    this.fanout = 0;
    this.recTop = 0;
    this.mCount = 0;
    this.pCount = 0;
    this.lCount = 0;
    this.vCount = 0;
    this.lkComp = -1;
    this.notOwn = -1;
    this.pathTop = 0;
    this.low = 0;
    if (this.derived.own === null) ownFilter(c, this.derived);
    if (this.derived.nh === null) nhRecords(c, this.derived);
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.compStamp.fill(0);
      this.twinStamp.fill(0);
      this.stamp = 1;
    }
    const node = eps[e];
    this.row(0, ROW_ENDPOINT, OBS_INJECTED, node, src, -1, 0);
    const ip = eps[e + 1] >>> 0;
    if (ip === this.dst) {
      this.rowObs[0] = OBS_DELIVERED;
      this.finish(1, DISP_DELIVERED);
      return this.paths;
    }
    const len = eps[e + 2];
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    let target: number;
    if (via !== 0) target = via >>> 0;
    else if (((ip & mask) >>> 0) === ((this.dst & mask) >>> 0)) target = this.dst;
    else if (eps[e + 4] !== 0) target = eps[e + 4] >>> 0;
    else {
      this.rowObs[0] = OBS_DROPPED;
      this.rowWhy[0] = WHY_NO_GATEWAY;
      this.finish(1, DISP_NO_ROUTE);
      return this.paths;
    }
    let depth = 1;
    if (eps[e + 5] !== 0 && c.distributedFirewall !== null && !this.reply) {
      // Distributed firewall, leaving the source vNIC.
      const d = this.firewall(c.distributedFirewall, -1, node, depth, 0);
      if (d < 0) return this.paths;
      depth = d;
    }
    this.l2(eps[e + 3], this.arpOwner(eps[e + 3], target, -1), -1, node, depth, 0, c.net.settings.ttl, 0);
    return this.paths;
  }

  /** The ARP owner of `ip` on `domain` as `asker` (component, -1: an end host) resolves it; notes a proxy answer. */
  private arpOwner(domain: number, ip: number, asker: number): number {
    const c = this.c;
    const owner = c.arp.get(domain, ip);
    this.proxy = -1;
    if (owner !== MISSING || c.proxyArp.first[domain] === c.proxyArp.first[domain + 1]) return owner;
    const e = proxyArpEntry(c.proxyArp, domain, ip, asker);
    if (e < 0) return MISSING;
    this.proxy = e;
    this.proxyTarget = ip;
    return c.proxyArp.entries[e].iface;
  }

  /**
   * Evaluates a rule set; a matching rule is recorded as a row. Returns the next row index, or -1
   * when the packet was dropped (the path is finished as DENIED).
   */
  private firewall(rules: RuleSet, ref: number, node: number, depth: number, seq: number): number {
    const r = matchRule(rules, this.src, this.dst, this.proto, this.dport);
    if (r < 0) return depth;
    const allow = rules.actions[r] === FW_ALLOW;
    this.row(depth, ROW_FIREWALL, allow ? OBS_FORWARDED : OBS_DROPPED, node, ref, r, seq);
    if (allow) return depth + 1;
    this.finish(depth + 1, DISP_DENIED);
    return -1;
  }

  /** Whether the router at `pos` is on the path (a scan: paths hold a handful of routers, and a matrix of marks costs a cache miss per hop). */
  private onPath(pos: number): boolean {
    for (let k = this.pathTop - 1; k >= 0; k--) if (this.pathPos[k] === pos) return true;
    return false;
  }

  private row(i: number, type: number, obs: number, node: number, ref: number, nh: number, seq: number): void {
    if (i < this.low) this.low = i;
    this.rowType[i] = type;
    this.rowObs[i] = obs;
    this.rowWhy[i] = WHY_NONE;
    this.rowNode[i] = node;
    this.rowRef[i] = ref;
    this.rowNh[i] = nh;
    this.rowSeq[i] = seq;
  }

  /** Hands a finished path to the sink; past settings.maxPaths, marks the trace truncated. */
  private finish(length: number, disposition: number): void {
    if (this.paths >= this.maxPaths) {
      this.truncated = true;
      return;
    }
    this.paths++;
    if (this.recTop > 0) this.logPath(length, disposition);
    this.sink!.path(this, length, disposition);
    this.low = NO_ROW;
  }

  /**
   * Appends a finished path's rows from the outermost open recording's entry depth to the path
   * log — from the lowest row written since the previous path when that is deeper (the rows above
   * it are the previous path's, logged with it or before).
   */
  private logPath(length: number, disposition: number): void {
    const entry = this.mDepth[this.recStack[0]];
    const from = this.low > entry ? this.low : entry;
    const n = length - from;
    if (this.pCount === this.pLen.length) this.growPaths();
    if ((this.lCount + n) * LOG_FIELDS > this.log.length) this.growRows((this.lCount + n) * LOG_FIELDS);
    const p = this.pCount++;
    this.pLen[p] = length;
    this.pFrom[p] = from;
    this.pRow[p] = this.lCount;
    this.pDisp[p] = disposition;
    this.pSrc[p] = this.src;
    this.pDst[p] = this.dst;
    this.pDport[p] = this.dport;
    this.pSport[p] = this.sport;
    let l = this.lCount;
    const rowType = this.rowType;
    const rowWhy = this.rowWhy;
    for (let i = from; i < length; i++, l++) {
      const type = rowType[i];
      const why = rowWhy[i];
      const extra = type === ROW_NAT || why === WHY_PROXY_ARP ? L_ADDRESSES : 0;
      const k = l * LOG_FIELDS;
      const log = this.log;
      log[k] = type | (this.rowObs[i] << 8) | (why << 16) | extra | (type === ROW_TUNNEL_OUT || type === ROW_TUNNEL_IN ? L_REF_NODE : 0);
      log[k + 1] = this.rowNode[i];
      log[k + 2] = this.rowRef[i];
      log[k + 3] = this.rowNh[i];
      log[k + 4] = this.rowSeq[i];
      if (type === ROW_NAT) {
        log[k + 5] = this.rowFrom[i];
        log[k + 6] = this.rowTo[i];
        log[k + 7] = this.rowPortFrom[i] | (this.rowPortTo[i] << 16);
      } else if (why === WHY_PROXY_ARP) log[k + 5] = this.rowFrom[i];
    }
    this.lCount = l;
  }

  private growPaths(): void {
    const n = this.pLen.length * 2;
    const g = <A extends Int32Array | Uint32Array | Uint8Array>(a: A, b: A): A => (b.set(a), b);
    this.pLen = g(this.pLen, new Int32Array(n));
    this.pFrom = g(this.pFrom, new Int32Array(n));
    this.pRow = g(this.pRow, new Int32Array(n));
    this.pDisp = g(this.pDisp, new Uint8Array(n));
    this.pSrc = g(this.pSrc, new Uint32Array(n));
    this.pDst = g(this.pDst, new Uint32Array(n));
    this.pDport = g(this.pDport, new Int32Array(n));
    this.pSport = g(this.pSport, new Int32Array(n));
  }

  private growRows(need: number): void {
    let n = this.log.length * 2;
    while (n < need) n *= 2;
    const log = new Int32Array(n);
    log.set(this.log);
    this.log = log;
  }

  /** Notes a visit for the open recordings: a router entry (comp ≥ 0), or a move to fixed node `node` (comp -1). */
  private noteVisit(comp: number, node: number): void {
    if (this.vCount === this.vComp.length) {
      const n = this.vComp.length * 2;
      const vc = new Int32Array(n);
      const vn = new Int32Array(n);
      vc.set(this.vComp);
      vn.set(this.vNode);
      this.vComp = vc;
      this.vNode = vn;
    }
    this.vComp[this.vCount] = comp;
    this.vNode[this.vCount++] = node;
    if (comp < 0) for (let k = 0; k < this.recTop; k++) if (this.mNode[this.recStack[k]] === node) this.mPinned[this.recStack[k]] = 1;
  }

  /**
   * The memo entry of this router entry's key, added (state M_SEEN, memoAdded set) when new; -1
   * when the table is full.
   */
  private memoEntry(comp: number, inIface: number, ttl: number): number {
    const fresh = this.compStamp[comp] === this.stamp;
    for (let m = fresh ? this.compHead[comp] : -1; m >= 0; m = this.mNext[m]) {
      if (this.mIface[m] === inIface && this.mTtl[m] === ttl && this.mDst[m] === this.dst && this.mSrc[m] === this.src && this.mDport[m] === this.dport && this.mSport[m] === this.sport) {
        this.memoAdded = false;
        return m;
      }
    }
    if (this.mCount === MEMO_CAP) return -1;
    this.memoAdded = true;
    const k = this.mCount++;
    this.mNext[k] = fresh ? this.compHead[comp] : -1;
    this.compHead[comp] = k;
    this.compStamp[comp] = this.stamp;
    this.mIface[k] = inIface;
    this.mTtl[k] = ttl;
    this.mSrc[k] = this.src;
    this.mDst[k] = this.dst;
    this.mDport[k] = this.dport;
    this.mSport[k] = this.sport;
    this.mState[k] = M_SEEN;
    return k;
  }

  /** Whether walking entry m's subtree at `node` now would give its recorded rows (see the header). */
  private replayable(m: number, node: number): boolean {
    const at = this.mNode[m];
    const moved = node !== at;
    if (moved && (this.mPinned[m] !== 0 || this.c.nodeKind[node] !== this.c.nodeKind[at])) return false;
    for (let v = this.mVisitStart[m]; v < this.mVisitEnd[m]; v++) {
      const comp = this.vComp[v];
      const n = this.vNode[v];
      if (comp < 0) {
        if (moved && n === node) return false;
      } else if (this.onPath(comp * this.nodeCount + (n === at ? node : n))) return false;
    }
    return true;
  }

  /**
   * Emits entry m's recorded paths as if its subtree were walked at `node` from row `depth`,
   * sequence `seq`; at a twin SR, router rows of SR `from` are SR `to`'s, their next hops shifted
   * by `nhDelta` (from = NO_COMP: none).
   */
  private replay(m: number, node: number, depth: number, seq: number, from: number, to: number, nhDelta: number): void {
    const at = this.mNode[m];
    const base = this.mDepth[m];
    const seqShift = seq - this.mSeq[m];
    if (this.recTop > 0) {
      for (let v = this.mVisitStart[m], end = this.mVisitEnd[m]; v < end; v++) {
        const n = this.vNode[v];
        const comp = this.vComp[v];
        this.noteVisit(comp === from ? to : comp, n === at ? node : n);
      }
    }
    const savedSrc = this.src;
    const savedDst = this.dst;
    const savedPort = this.dport;
    const savedSport = this.sport;
    // Columns in locals: the copy is the hot loop of a trace with many ECMP branches.
    const rowType = this.rowType;
    const rowObs = this.rowObs;
    const rowWhy = this.rowWhy;
    const rowNode = this.rowNode;
    const rowRef = this.rowRef;
    const rowNh = this.rowNh;
    const rowSeq = this.rowSeq;
    const log = this.log;
    for (let p = this.mPathStart[m], end = this.mPathEnd[m]; p < end && !this.truncated; p++) {
      const n = this.pLen[p] - base;
      // Rows above the path's logged ones are the previous path's, just written (the first path
      // of a recording has every row from its entry).
      const logged = this.pFrom[p];
      const skip = logged > base ? logged - base : 0;
      let l = this.pRow[p] + base + skip - logged;
      if (depth + skip < this.low) this.low = depth + skip;
      for (let i = depth + skip, stop = depth + n; i < stop; i++, l++) {
        const k = l * LOG_FIELDS;
        const code = log[k];
        const nd = log[k + 1];
        const ref = log[k + 2];
        rowType[i] = code & 0xff;
        rowObs[i] = (code >>> 8) & 0xff;
        rowWhy[i] = (code >>> 16) & 0xff;
        rowNode[i] = nd === at ? node : nd;
        if (ref === from && (code & 0xff) === ROW_ROUTER) {
          // The twin SR's own row: its component, its next hop.
          const nh = log[k + 3];
          rowRef[i] = to;
          rowNh[i] = nh >= 0 ? nh + nhDelta : nh;
        } else {
          rowRef[i] = ref === at && (code & L_REF_NODE) !== 0 ? node : ref;
          rowNh[i] = log[k + 3];
        }
        rowSeq[i] = log[k + 4] + seqShift;
        // Addresses and ports: where the walk writes them (translations, proxy ARP answers).
        if ((code & L_ADDRESSES) !== 0) {
          if ((code & 0xff) === ROW_NAT) {
            this.rowFrom[i] = log[k + 5];
            this.rowTo[i] = log[k + 6];
            this.rowPortFrom[i] = log[k + 7] & 0xffff;
            this.rowPortTo[i] = log[k + 7] >>> 16;
          } else this.rowFrom[i] = log[k + 5];
        }
      }
      this.src = this.pSrc[p];
      this.dst = this.pDst[p];
      this.dport = this.pDport[p];
      this.sport = this.pSport[p];
      this.finish(depth + n, this.pDisp[p]);
    }
    this.src = savedSrc;
    this.dst = savedDst;
    this.dport = savedPort;
    this.sport = savedSport;
  }

  /**
   * Delivers a frame on L2 domain `domain` to the ARP `owner` of its target address (MISSING when
   * nobody answers; `ownerComp`: its component when known, else -1), sent from `node`; row `depth` is next.
   */
  private l2(domain: number, owner: number, ownerComp: number, node: number, depth: number, seq: number, ttl: number, external: number): void {
    const c = this.c;
    if (owner === MISSING) {
      // Nobody answers ARP: out of the model through an external interface, else ARP failure.
      if (external) this.finish(depth, DISP_EXITS_NETWORK);
      else {
        this.rowObs[depth - 1] = OBS_DROPPED;
        this.finish(depth, DISP_ARP_FAILED);
      }
      return;
    }
    if (c.domainIsSegment[domain]) {
      this.row(depth, ROW_SEGMENT, OBS_FORWARDED, node, domain, this.proxy, seq);
      if (this.proxy >= 0) {
        this.rowWhy[depth] = WHY_PROXY_ARP;
        this.rowFrom[depth] = this.proxyTarget;
      }
      depth++;
    }
    this.proxy = -1;
    let to: number;
    let comp = -1;
    if (owner >= 0) {
      comp = ownerComp >= 0 ? ownerComp : c.interfaceComponent[owner];
      const home = c.componentNode[comp];
      to = home < 0 ? node : home;
      if (home >= 0 && this.recTop > 0) this.noteVisit(-1, to);
    } else {
      to = this.derived.ep[(-owner - 1) * EP_FIELDS];
      if (this.recTop > 0) this.noteVisit(-1, to);
    }
    if (to !== node) {
      if (c.domainOverlay[domain] && c.nodeKind[node] !== NODE_PHYSICAL && c.nodeKind[to] !== NODE_PHYSICAL) {
        this.row(depth, ROW_TUNNEL_OUT, OBS_FORWARDED, node, to, -1, seq);
        this.row(depth + 1, ROW_TUNNEL_IN, OBS_RECEIVED, to, node, -1, seq + 1);
        depth += 2;
      }
      seq++;
    }
    if (owner >= 0) this.router(comp, to, depth, seq, ttl, owner);
    else {
      const ep = -owner - 1;
      const e = ep * EP_FIELDS;
      if (this.derived.ep[e + 1] >>> 0 === this.dst) {
        if (this.derived.ep[e + 5] !== 0 && c.distributedFirewall !== null && !this.reply) {
          // Distributed firewall, entering the destination vNIC.
          depth = this.firewall(c.distributedFirewall, -1, to, depth, seq);
          if (depth < 0) return;
        }
        this.row(depth, ROW_ENDPOINT, OBS_DELIVERED, to, ep, -1, seq);
        this.finish(depth + 1, DISP_DELIVERED);
      } else {
        const vs = c.lb === null ? MISSING : c.lb.vipHost.get(ep, this.dst);
        if (vs !== MISSING) {
          // An SE carrying the VIP: the virtual service answers, if it listens and has a member up.
          if (c.distributedFirewall !== null && !this.reply) {
            depth = this.firewall(c.distributedFirewall, -1, to, depth, seq);
            if (depth < 0) return;
          }
          const ok = this.reply || this.serves(vs) === LB_SERVES;
          this.row(depth, ROW_ENDPOINT, ok ? OBS_DELIVERED : OBS_DROPPED, to, ep, vs, seq);
          this.rowWhy[depth] = WHY_VIP;
          this.finish(depth + 1, ok ? DISP_DELIVERED : DISP_NO_SERVICE);
        } else {
          this.row(depth, ROW_ENDPOINT, OBS_DROPPED, to, ep, -1, seq);
          this.rowWhy[depth] = WHY_NOT_A_ROUTER;
          this.finish(depth + 1, DISP_NO_ROUTE);
        }
      }
    }
  }

  /** Whether virtual service `vs` answers this packet: serves(), kept per (protocol, port, host). */
  private serves(vs: number): number {
    const lb = this.c.lb!;
    if (this.servesState === null) this.servesState = new Int32Array(lb.avi.virtualServices.length);
    if (this.proto !== this.servesProto || this.dport !== this.servesPort || this.host !== this.servesHost) {
      this.servesProto = this.proto;
      this.servesPort = this.dport;
      this.servesHost = this.host;
      this.servesGen = (this.servesGen + 1) & 0x7ffffff;
      if (this.servesGen === 0) {
        this.servesState.fill(0);
        this.servesGen = 1;
      }
    }
    const s = this.servesState[vs];
    if (s >>> 4 === this.servesGen) return s & 15;
    const verdict = serves(lb, vs, this.proto, this.dport, this.host);
    this.servesState[vs] = (this.servesGen << 4) | verdict;
    return verdict;
  }


  /** Translates on an SR with NAT: inbound DNAT/REFLEXIVE on dst, outbound SNAT/REFLEXIVE on src. Returns the next row. */
  private translate(comp: number, node: number, depth: number, seq: number, inbound: boolean): number {
    const t = this.c.nat[comp]!;
    if (inbound) {
      const r = matchInbound(t, this.src, this.dst, this.proto, this.dport);
      if (r < 0 || (t.actions[r] !== NAT_DNAT && t.actions[r] !== NAT_REFLEXIVE)) return depth;
      const to = t.actions[r] === NAT_REFLEXIVE ? mapAddress(this.dst, t.translated[r]!, t.source[r]) : mapAddress(this.dst, t.destination[r], t.translated[r]!);
      this.row(depth, ROW_NAT, OBS_FORWARDED, node, comp, r, seq);
      this.rowFrom[depth] = this.dst;
      this.rowTo[depth] = to;
      this.dst = to;
      this.rowPortFrom[depth] = 0;
      this.rowPortTo[depth] = 0;
      if (t.toPort[r] !== 0 && t.toPort[r] !== this.dport) {
        this.rowPortFrom[depth] = this.dport;
        this.rowPortTo[depth] = t.toPort[r];
        this.dport = t.toPort[r];
      }
      return depth + 1;
    }
    const r = matchOutbound(t, this.src, this.dst);
    if (r < 0 || (t.actions[r] !== NAT_SNAT && t.actions[r] !== NAT_REFLEXIVE)) return depth;
    const to = mapAddress(this.src, t.source[r], t.translated[r]!);
    this.row(depth, ROW_NAT, OBS_FORWARDED, node, comp, r, seq);
    this.rowFrom[depth] = this.src;
    this.rowTo[depth] = to;
    this.rowPortFrom[depth] = 0;
    this.rowPortTo[depth] = 0;
    this.src = to;
    return depth + 1;
  }

  /** Reverses the forward path's translations made on this SR (connection state). */
  private unTranslate(comp: number, node: number, depth: number, seq: number): number {
    for (let k = 0; k < this.connCount; k++) {
      if (this.connComp[k] !== comp) continue;
      const onDst = this.connKind[k] === 0;
      if ((onDst ? this.dst : this.src) !== this.connMatch[k]) continue;
      this.row(depth, ROW_NAT, OBS_FORWARDED, node, comp, this.connRule[k], seq);
      this.rowWhy[depth] = WHY_REVERSE;
      this.rowFrom[depth] = this.connMatch[k];
      this.rowTo[depth] = this.connTo[k];
      this.rowPortFrom[depth] = 0;
      this.rowPortTo[depth] = 0;
      if (onDst) this.dst = this.connTo[k];
      else {
        this.src = this.connTo[k];
        if (this.connPort[k] !== 0) {
          // The reply leaves from the translated port; the client sees the port it connected to.
          this.rowPortFrom[depth] = this.sport;
          this.rowPortTo[depth] = this.connPort[k];
          this.sport = this.connPort[k];
        }
      }
      depth++;
    }
    return depth;
  }

  /**
   * A router entry: below an ECMP fan-out, through the memo (note, record, then replay; see the
   * header); an SR with twins replays a twin's recorded subtree when it may (twinReplayable).
   */
  private router(comp: number, node: number, depth: number, seq: number, ttl: number, inIface: number): void {
    if (this.fanout > 0) {
      const d = this.derived;
      let rep = d.twin[comp];
      if (rep < 0) rep = twinsOf(this.c, d, comp);
      // An SR with twins and no gateway services: its subtree is a twin's, remapped (see twinReplayable).
      let twin = d.twinned[comp] !== 0 && d.svc[comp] === 0;
      if (twin && this.twinStamp[rep] === this.stamp) {
        const t = this.twinRec[rep];
        if (this.twinReplayable(t, comp, rep, node, ttl)) {
          this.twinReplays++;
          this.replay(t, node, depth, seq, this.mComp[t], comp, this.twinDelta);
          return;
        }
        // The twin recording stays unless its key differs (then this entry records in its place).
        twin = !this.sameKey(t, ttl);
      }
      const m = this.memoEntry(comp, inIface, ttl);
      if (m >= 0) {
        const state = this.mState[m];
        if (state === M_RECORDED && this.replayable(m, node)) {
          this.replay(m, node, depth, seq, NO_COMP, NO_COMP, 0);
          return;
        }
        // A DR (on every node) is recorded at once: sibling branches reach it on their own nodes;
        // so is an SR with twins (they reach its subtree on theirs). Others are recorded when
        // their key comes back, so single visits log nothing.
        if (state === M_SEEN && (!this.memoAdded || this.c.componentNode[comp] < 0 || twin)) {
          this.mState[m] = M_RECORDING;
          this.mNode[m] = node;
          this.mDepth[m] = depth;
          this.mSeq[m] = seq;
          this.mPinned[m] = 0;
          this.mPathStart[m] = this.pCount;
          this.mVisitStart[m] = this.vCount;
          this.mEntry[m] = -1;
          if (twin) {
            this.mComp[m] = comp;
            this.twinRec[rep] = m;
            this.twinStamp[rep] = this.stamp;
            this.recEntryFor = m;
          }
          this.recStack[this.recTop++] = m;
          this.route(comp, node, depth, seq, ttl, inIface);
          this.recEntryFor = -1;
          this.recTop--;
          this.mPathEnd[m] = this.pCount;
          this.mVisitEnd[m] = this.vCount;
          this.mState[m] = this.mState[m] === M_RECORDING && !this.truncated ? M_RECORDED : M_UNUSABLE;
          return;
        }
      }
    }
    this.route(comp, node, depth, seq, ttl, inIface);
  }

  /** Whether memo entry m's key, but for the component and ingress interface, is this packet's at `ttl`. */
  private sameKey(m: number, ttl: number): boolean {
    return this.mTtl[m] === ttl && this.mDst[m] === this.dst && this.mSrc[m] === this.src && this.mDport[m] === this.dport && this.mSport[m] === this.sport;
  }

  /**
   * Whether twin recording t (SR j's subtree, j with no gateway services) gives, remapped (j's
   * component, node and next hops to SR k's), the rows a walk of k at `node` would give now; sets
   * twinDelta. Walking k differs from walking j only where it reads k's own data: its own
   * addresses (dst must not be one), its next hops (the entry j forwarded by must read alike for
   * k: same records, at k's group start), the proxy ARP answers it would get as asker (none on
   * the connected domains of that group: checked when recorded), its loop mark and its node;
   * the ingress interface is read only by gateway services (k has none). Below it, the
   * subtree is replayed at k's node as a moved replay is (replayable), with j's visit read as k's.
   */
  private twinReplayable(t: number, k: number, rep: number, node: number, ttl: number): boolean {
    if (this.mState[t] !== M_RECORDED || this.mEntry[t] < 0 || !this.sameKey(t, ttl)) return false;
    const j = this.mComp[t];
    if (j === k || this.derived.svc[k] !== 0) return false;
    const c = this.c;
    const d = this.derived;
    const e = this.mEntry[t];
    const p = patchedAt(d, e);
    let start = p < 0 ? d.grp![2 * e] : d.gpatch![p + 1];
    const m = mapSlot(d.gmap, start, p < 0 ? d.grp![2 * e + 1] : d.gpatch![p + 2]);
    if (m >= 0) start = d.gmap![m];
    if (k !== rep) {
      const s = d.twinStart[rep]![(e - d.twinBase[rep]) * d.twinStride[rep] + d.twinSlot[k]];
      if (s < 0) return false;
      start = s;
    }
    if (this.dst !== this.notOwn && c.ownIp.get(k, this.dst) !== MISSING) return false;
    const at = this.mNode[t];
    const moved = node !== at;
    if (moved && (this.mPinned[t] !== 0 || c.nodeKind[node] !== c.nodeKind[at])) return false;
    for (let v = this.mVisitStart[t]; v < this.mVisitEnd[t]; v++) {
      const comp = this.vComp[v];
      const n = this.vNode[v];
      if (comp < 0) {
        if (moved && n === node) return false;
      } else if (this.onPath((comp === j ? k : comp) * this.nodeCount + (n === at ? node : n))) return false;
    }
    this.twinDelta = start - this.mStart[t];
    return true;
  }

  /** A router component's work on the packet: loop mark, SR services (NAT, gateway firewall), then forwarding. */
  private route(comp: number, node: number, depth: number, seq: number, ttl: number, inIface: number): void {
    const c = this.c;
    const pos = comp * this.nodeCount + node;
    this.row(depth, ROW_ROUTER, OBS_FORWARDED, node, comp, -1, seq);
    if (this.recTop > 0) this.noteVisit(comp, node);
    if (this.onPath(pos)) {
      // A loop mark hit inside a recording: its subtree depends on the path above it.
      for (let k = 0; k < this.recTop; k++) this.mState[this.recStack[k]] = M_UNUSABLE;
      this.rowObs[depth] = OBS_DROPPED;
      this.rowWhy[depth] = WHY_REVISIT;
      this.finish(depth + 1, DISP_LOOP);
      return;
    }
    // Services on an SR, before routing: inbound DNAT → firewall; outbound firewall → SNAT.
    const savedSrc = this.src;
    const savedDst = this.dst;
    const savedPort = this.dport;
    const savedSport = this.sport;
    const gfw = this.reply || this.derived.svc[comp] === 0 ? null : c.gatewayFirewall[comp];
    const nat = this.derived.svc[comp] === 0 ? null : c.nat[comp];
    if (this.reply && nat !== null) {
      const d = this.unTranslate(comp, node, depth, seq);
      if (d !== depth) {
        depth = d;
        this.row(depth, ROW_ROUTER, OBS_FORWARDED, node, comp, -1, seq);
      }
    } else if (gfw !== null || nat !== null) {
      const inbound = c.interfaceOutside[inIface] === 1;
      let d = depth;
      if (nat !== null && inbound) d = this.translate(comp, node, d, seq, true);
      if (gfw !== null) d = this.firewall(gfw, comp, node, d, seq);
      if (d >= 0 && nat !== null && !inbound) d = this.translate(comp, node, d, seq, false);
      if (d < 0) {
        this.src = savedSrc;
        this.dst = savedDst;
        this.dport = savedPort;
        this.sport = savedSport;
        return;
      }
      if (d !== depth) {
        depth = d;
        this.row(depth, ROW_ROUTER, OBS_FORWARDED, node, comp, -1, seq);
      }
    }
    this.forward(comp, node, depth, seq, ttl, pos);
    this.src = savedSrc;
    this.dst = savedDst;
    this.dport = savedPort;
    this.sport = savedSport;
  }

  /**
   * Notes on twin recording m the entry its SR forwards by and its group start there, unless
   * one of the group's connected next hops is on a domain with proxy ARP (the answer there
   * depends on who asks: replaying at a twin would need the twin's own).
   */
  private noteTwinEntry(m: number, entry: number, start: number, recStart: number): void {
    const c = this.c;
    const nhs = this.derived.nh!;
    const first = c.proxyArp.first;
    const d = this.derived;
    const p = patchedAt(d, entry);
    let size = p < 0 ? d.grp![2 * entry + 1] : d.gpatch![p + 2];
    const slot = mapSlot(d.gmap, p < 0 ? d.grp![2 * entry] : d.gpatch![p + 1], size);
    if (slot >= 0) size = d.gmap![slot + 1];
    for (let k = recStart * NH_FIELDS, end = (recStart + size) * NH_FIELDS; k < end; k += NH_FIELDS) {
      const domain = nhs[k + 1];
      if ((nhs[k] & 0xff) === NH_CONNECTED && first[domain] !== first[domain + 1]) return;
    }
    this.mEntry[m] = entry;
    this.mStart[m] = start;
  }

  /** Routing at a component: own address, TTL, LPM, then every ECMP next hop in order. */
  private forward(comp: number, node: number, depth: number, seq: number, ttl: number, pos: number): void {
    const c = this.c;
    const d = this.derived;
    const dst = this.dst;
    // A twin recording's SR notes the entry it forwards by (its first forward, before any other).
    const rec = this.recEntryFor;
    this.recEntryFor = -1;
    if (dst !== this.notOwn) {
      // The filter rules most addresses out for every component at once (one probe per trace).
      const h = Math.imul(dst, 0x9e3779b1) >>> d.ownShift;
      if ((d.own![h >>> 5] & (1 << (h & 31))) === 0) this.notOwn = dst;
      else if (c.ownIp.get(comp, dst) !== MISSING) {
        this.rowObs[depth] = OBS_DELIVERED;
        this.finish(depth + 1, DISP_DELIVERED);
        return;
      }
    }
    // Forwarding decrements the TTL; a router that would send it on as 0 drops the packet.
    if (ttl <= 1) {
      this.rowObs[depth] = OBS_DROPPED;
      this.rowWhy[depth] = WHY_TTL;
      this.finish(depth + 1, DISP_LOOP);
      return;
    }
    // The twin's table answers (the same lookup for each SR of an A/A gateway: done once per trace).
    let rep = d.twin[comp];
    if (rep < 0) rep = twinsOf(c, d, comp);
    let entry: number;
    if (rep === this.lkComp && dst === this.lkDst) entry = this.lkEntry;
    else {
      const o = d.flatAt[rep];
      entry = o >= 0 ? flatLookup(d.flat!, o, dst) : lpmLookup(c.fib[rep], dst);
      this.lkComp = rep;
      this.lkDst = dst;
      this.lkEntry = entry;
    }
    // A tombstone without a cover (fib/compile BlockEdits) has an empty group: no route either.
    const grp = d.grp!;
    const patched = entry < 0 ? -1 : patchedAt(d, entry);
    let size = entry < 0 ? 0 : patched < 0 ? grp[2 * entry + 1] : d.gpatch![patched + 2];
    if (size === 0) {
      this.rowObs[depth] = OBS_DROPPED;
      this.finish(depth + 1, DISP_NO_ROUTE);
      return;
    }
    this.pathPos[this.pathTop++] = pos;
    // A twin's next hops that read as its representative's are read there (already in cache).
    let start = patched < 0 ? grp[2 * entry] : d.gpatch![patched + 1];
    const m = mapSlot(d.gmap, start, size);
    if (m >= 0) {
      size = d.gmap![m + 1];
      start = d.gmap![m];
    }
    let recStart = start;
    let alike = true;
    if (rep !== comp) {
      const t = d.twinStart[rep]![(entry - d.twinBase[rep]) * d.twinStride[rep] + d.twinSlot[comp]];
      if (t >= 0) start = t;
      else {
        start = recStart = ~t;
        alike = false;
      }
    }
    if (rec >= 0 && alike) this.noteTwinEntry(rec, entry, start, recStart);
    const end = start + size;
    const fan = end - start > 1 ? 1 : 0;
    const nhs = d.nh!;
    this.fanout += fan;
    for (let nh = start; nh < end && !this.truncated; nh++) {
      this.row(depth, ROW_ROUTER, OBS_FORWARDED, node, comp, nh, seq);
      const k = (recStart + nh - start) * NH_FIELDS;
      const kind = nhs[k] & 0xff;
      const external = nhs[k] >>> 8;
      if (kind === NH_BLACKHOLE) {
        this.rowObs[depth] = OBS_DROPPED;
        this.finish(depth + 1, DISP_NULL_ROUTED);
      } else if (kind === NH_CONNECTED) {
        const domain = nhs[k + 1];
        this.l2(domain, this.arpOwner(domain, this.dst, comp), -1, node, depth + 1, seq, ttl - 1, external);
      } else {
        this.proxy = nhs[k + 2];
        this.proxyTarget = nhs[k + 3] >>> 0;
        this.l2(nhs[k + 1], nhs[k + 4], nhs[k + 5], node, depth + 1, seq, ttl - 1, external);
      }
    }
    this.fanout -= fan;
    this.pathTop--;
  }
}
