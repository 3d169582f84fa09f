// Compiles the model and RIBs into the forwarding core's flat structures: one LPM table per
// router component whose values index FIB entries, each entry an ECMP group of next hops held in
// typed arrays, an ARP table keyed by (domain, address) with the Tier-0 SRs' proxy ARP behind it,
// and per-component own addresses. Traces read only these.
// Entries of one component with the same next hops share them (a ToR's 144k BGP prefixes learnt
// from the same eight SRs are one group of eight next hops, not 1.2 M): a next hop records its
// route as an offset from the entry's first route (`entryRoute`), so the group does not depend on
// the prefix. Each component's entries form a block, in table order; its LPM table holds positions
// in the block (the component's view adds the block's start), so components with the same
// prefixes share one LPM table. A table made of another's (ribs/table.ts RibTable.sharing: a
// Tier-0 SR's of its DR's, a ToR's of another ToR's) is written from the block its base table got
// earlier in the same compilation: per prefix of one shared route, the base entry's prefix and
// the group of the table's own list for the base's list, once per list (BlockWriter.shared,
// ribs/shared-tables tableLists). An incremental compilation keeps the blocks of unchanged
// components in place and appends new ones, patching a big table's block from its previous one
// (the entries of the very same routes copied, only the prefixes whose routes differ compiled),
// in place in the previous compilation's buffers while they have room (Column); once replaced
// blocks outweigh live ones, it compacts: live blocks copied into fresh entry columns. A changed
// table whose routes all kept their positions (only a few prefixes' next hops changed: the A/A
// SRs' default route after a ToR failed) keeps its block where it is, and those entries get their
// new groups in the compilation's group patch (`groupPatch`; `entryGroups`, `groupStart`). A kept
// block also takes prefixes it never had (a segment or a VIP added): their entries are written
// after the blocks and found through a small overlay on the block's LPM table (LpmTable.over), so
// that the 150k-prefix tables of a Tier-0 and its ToRs are not written again for one new prefix.
// A remapped table (ribs/table.ts: a ToR's after an edge failed, its routes holding other next
// hops) keeps its previous block where it is, LPM table and all, and its groups read as their new
// groups through the compilation's group map (`groupMap`; BlockWriter.remappedInPlace, from the
// block's groups by key: blockKeys), no entry written and no route read; a block whose groups
// cannot be remapped whole is copied with each entry's group remapped (BlockWriter.remapped).
import { buildLpm, lpmLookup, withBase, withOverlay, type LpmTable } from './lpm.js';
import { MISSING, PairHash } from './pair-hash.js';
import { Int32Chunks } from './int32-chunks.js';
import { compileRules, type RuleSet } from './firewall.js';
import { compileNat, type NatTable } from './nat.js';
import { changedNames, entriesOf, keysOfMap, type Scenario } from '../../topology/scenario.js';
import { samePrefix } from '../../topology/ip.js';
import type { ExpandedNetwork } from '../model/expand.js';
import type { RibRoute, RoutingState } from '../ribs/routes.js';
import { RibTable, alignTables, firstAtOrAfter, runEnd } from '../ribs/route.js';
import type { RouteRemap, SharedLayer } from '../ribs/table.js';
import { keyHops, sameLayout, tableKeys, type TableKeys } from '../ribs/install.js';
import { tableLists } from '../ribs/shared-tables.js';
import type { CompiledLoadBalancer } from './load-balancer.js';
import { sameValue } from '../incremental/same-value.js';
import { compileProxyArp, proxyArpEntry, sameProxyRoutes, withDomainCount, type ProxyArpTable } from './proxy-arp.js';
import { int32Array, uint32Array, uint8Array, withArena } from '../typed-arena.js';
import type { ModelDelta } from '../model/delta.js';
import { shapeMemo } from '../model/shape-memo.js';

export const NH_CONNECTED = 0;
export const NH_FORWARD = 1;
export const NH_BLACKHOLE = 2;

export const NODE_HOST = 0;
export const NODE_EDGE = 1;
export const NODE_PHYSICAL = 2;

export interface CompiledNetwork {
  readonly net: ExpandedNetwork;
  readonly routing: RoutingState;
  /** The (realized) scenario compiled (NAT, firewalls); absent for a compilation without one. */
  readonly scenario: Scenario | undefined;
  readonly fib: readonly LpmTable[];
  /**
   * Per FIB entry, two ints side by side: its group's first next hop and its size (an ECMP group;
   * entries of a component may share one). Entry e's are entryGroup[2e] and entryGroup[2e + 1],
   * unless `groupPatch` gives it another group: read them through entryGroups(c).
   */
  readonly entryGroup: Int32Array;
  /**
   * Entries whose group is not the one `entryGroup` holds, or null: (entry, first next hop, size)
   * triples by ascending entry. A block whose table kept its prefixes at the same positions and
   * changed only a few prefixes' next hops (a ToR failed: the A/A SRs' default route) keeps its
   * entries where they are, in the columns it shares with the previous compilation, and gives
   * those entries their new groups here (compile: inPlaceSlots).
   */
  readonly groupPatch: Int32Array | null;
  /**
   * Groups given other groups, or null: per next hop h, two ints side by side — when the group
   * starting at h is remapped, the first next hop and size of the group it reads as, else -1 and
   * 0 (next hops past its end: none is). An entry's group is the one its column or its patch
   * gives, read through this map. A table remapped to other next hops (ribs/table.ts: a ToR's
   * after an edge failed) keeps its block where it is and remaps its groups here
   * (BlockWriter.remappedInPlace): 150k entries change by a few groups, none written. The map is
   * carried from compilation to compilation (its next hops are the same) until one from scratch.
   */
  readonly groupMap: Int32Array | null;
  /** The components whose groups this compilation remapped (the group map differs from the previous compilation's for their groups only). */
  readonly remapped: readonly number[];
  /**
   * Per FIB entry: the position of its prefix's first route in its component's table, unless its
   * block has edits (`blockEdits`): read it through entryRoutePosition.
   */
  readonly entryRoute: Int32Array;
  /**
   * Per component: the edits its block took in place (prefixes that left the table or came back,
   * route positions moved), or null when its entries are as compiled (BlockEdits).
   */
  readonly blockEdits: readonly (BlockEdits | null)[];
  /** Per FIB entry: its prefix (what its block's LPM table was built from, and a patched block is built again from). */
  readonly entryAddr: Uint32Array;
  readonly entryLen: Uint8Array;
  /** Per next hop. */
  readonly nhKind: Uint8Array;
  readonly nhIp: Uint32Array;
  readonly nhDomain: Int32Array;
  readonly nhInterface: Int32Array;
  readonly nhExternal: Uint8Array;
  /** Per next hop: the route it came from, as an offset from its entry's `entryRoute`. */
  readonly nhRoute: Int32Array;
  /** Per next hop: the component whose table holds it (who asks ARP for it). */
  readonly nhComponent: Int32Array;
  /** Per component: where its block of FIB entries starts, and how many it holds (its entries are contiguous, in table order). */
  readonly blockStart: Int32Array;
  readonly blockEntries: Int32Array;
  /** FIB entries of blocks replaced by incremental compilations (unreachable; reclaimed by a compaction). */
  readonly garbage: number;
  /** Next hops when the columns were last compiled from scratch (compactions keep the next-hop columns: they are compiled from scratch again once those have doubled). */
  readonly nhAtFullCompile: number;
  /** Forwarded next hops: the ARP owner of the next-hop address, resolved at compile time (chunks an update shares where they are the same). */
  readonly nhOwner: Int32Chunks;
  /** Forwarded next hops answered by proxy ARP: the proxy entry, else -1 (chunks, as nhOwner). */
  readonly nhProxy: Int32Chunks;
  /** (domain, ip) → owner: interface id (≥ 0) or -(endpoint id + 1); MISSING when none. */
  readonly arp: PairHash;
  /** Proxy ARP of Tier-0 SRs on their uplinks (NAT addresses, Tier-1 NAT / LB addresses), asked when `arp` has no owner. */
  readonly proxyArp: ProxyArpTable;
  /** (component, ip) → the component's own interface holding that address. */
  readonly ownIp: PairHash;
  readonly componentNode: Int32Array;
  readonly interfaceComponent: Int32Array;
  readonly nodeKind: Uint8Array;
  /** 1 for overlay segments and internal links (crossed through Geneve tunnels). */
  readonly domainOverlay: Uint8Array;
  /** 1 for user segments (they appear as SEGMENT hops). */
  readonly domainIsSegment: Uint8Array;
  readonly endpointNode: Int32Array;
  readonly endpointIp: Uint32Array;
  readonly endpointLen: Uint8Array;
  readonly endpointDomain: Int32Array;
  readonly endpointGateway: Uint32Array;
  /** 1 for workloads (the distributed firewall applies at their vNIC). */
  readonly endpointIsWorkload: Uint8Array;
  /** Gateway firewall per component (set on the SRs of gateways that have one), else null. */
  readonly gatewayFirewall: readonly (RuleSet | null)[];
  readonly distributedFirewall: RuleSet | null;
  /** NAT table per component (the SRs of gateways with NAT rules), else null. */
  readonly nat: readonly (NatTable | null)[];
  /** Per interface: 1 when it is external (what a next hop through it records). */
  readonly interfaceExternal: Uint8Array;
  /** Per interface: 1 when a packet arriving on it comes from outside its gateway (uplink; Tier-1 SR router link). */
  readonly interfaceOutside: Uint8Array;
  /** NSX Advanced Load Balancer: VIPs on SE NICs, pools, VRFs; null without Avi. */
  readonly lb: CompiledLoadBalancer | null;
  /**
   * The compilation this one continued (its next-hop columns, and unless compacted its blocks,
   * are that one's values extended), while it is alive: what is derived from a compilation (the
   * walker's records) is derived from that one's where they agree. Null for a compilation from
   * scratch.
   */
  readonly previous: WeakRef<CompiledNetwork> | null;
  /** Whether this compilation compacted the blocks (its entry columns are fresh: entry i is not the previous one's entry i). */
  readonly compacted: boolean;
}

/**
 * How a block kept in place differs from its entries as written (inPlacePlan): prefixes that left
 * the table stay in the block as tombstones — the LPM table still finds them, and they answer as
 * their cover, the longest prefix of the table containing them, whose group the group patch gives
 * them (none: an empty group, no route) — and the route positions of the entries after a prefix
 * whose routes came, went or changed in number moved. Offsets are relative to the block's start.
 */
export interface BlockEdits {
  /** (offset, shift) steps by ascending offset: an entry's route position is its `entryRoute` plus the shift of the last step at or before it (0 before the first). */
  readonly steps: Int32Array;
  /** (offset, cover offset or -1) pairs by ascending offset: the block's tombstones. */
  readonly tombstones: Int32Array;
  /**
   * Entries of prefixes the block never had, in table order: written outside the block (after
   * the blocks), each with its route position as it is now, and found through the overlay of the
   * component's LPM table (LpmTable.over). Made again at every in-place update of the block.
   */
  readonly inserted: Int32Array;
}

/**
 * What a compilation can take from the previous one: the compiled network, and which components'
 * tables are new (the others are the same arrays as before and keep their FIB block).
 */
export interface CompileReuse {
  readonly previous: CompiledNetwork;
  readonly changed: ReadonlySet<number>;
  /**
   * A changed table whose previous block held at least this many entries is patched from it
   * (BlockWriter.patch), a smaller one compiled whole; PATCH_MIN_ENTRIES by default (tests set 0
   * or Infinity to compare the two ways).
   */
  readonly patchFrom?: number;
  /**
   * When the model has the previous compilation's shape (the same nodes, components, interfaces,
   * domains and end hosts by id, with their addresses): what changed since (model/delta). The
   * model's arrays and the own addresses are then the previous ones, proxy ARP's inputs on the
   * model side are the same unless a Tier-0 SR changed state, and only the addresses of the
   * changed components and end hosts may have another ARP owner. Absent: the models are compared.
   */
  readonly modelDelta?: ModelDelta;
}

/**
 * Compiles every component's FIB block (its LPM table, its ECMP groups and next hops) into shared
 * typed arrays. With `reuse`, unchanged components keep their block where it is (their LPM values
 * stay valid) and changed ones are appended; the space of replaced blocks is garbage. Once it
 * outweighs the live part, the blocks are compacted: unchanged ones copied into fresh entry
 * columns (their LPM tables kept, with the new start as base), changed ones compiled there.
 */
export function compile(net: ExpandedNetwork, routing: RoutingState, s?: Scenario, lb: CompiledLoadBalancer | null = null, reuse: CompileReuse | null = null): CompiledNetwork {
  const prev = reuse?.previous ?? null;
  const incremental = prev !== null && prev.fib.length === routing.ribs.length && prev.nhKind.length <= 2 * prev.nhAtFullCompile + 1024;
  const compact = incremental && reuse!.changed.size > 0 && prev.garbage * 2 > prev.entryRoute.length;
  const maxEcmp = net.settings.maxEcmp;
  // A table whose previous one compiled to a block of this size or more is patched from that block.
  const patchFrom = prev !== null && prev.net.settings.maxEcmp === maxEcmp ? (reuse!.patchFrom ?? PATCH_MIN_ENTRIES) : Infinity;
  // Changed tables whose block stays where it is, a few of its entries given new groups (inPlaceSlots).
  const inPlace = new Map<number, InPlacePlan>();
  // Changed tables of the previous one's layout (remapped: other next hops at the same positions)
  // whose block stays where it is, as written (no edits), its groups remapped in the group map.
  const remapKept = new Set<number>();
  if (incremental && !compact) {
    for (const comp of reuse!.changed) {
      if (prev.blockEntries[comp] < patchFrom) continue;
      if (sameLayout(routing.ribs[comp], prev.routing.ribs[comp])) {
        if (prev.blockEdits[comp] === null) remapKept.add(comp);
        continue;
      }
      const plan = inPlacePlan(prev, comp, prev.routing.ribs[comp], routing.ribs[comp]);
      if (plan !== null) inPlace.set(comp, plan);
    }
  }
  // Blocks compiled again: changed ones not kept in place; when compacting, also unchanged ones
  // with edits (their tombstones are not copied into the fresh columns).
  const rewritten = (comp: number) =>
    !incremental || (reuse!.changed.has(comp) ? !inPlace.has(comp) && !remapKept.has(comp) : compact && prev.blockEdits[comp] !== null);
  let routes = 0;
  for (let comp = 0; comp < routing.ribs.length; comp++) {
    if (rewritten(comp)) routes += routing.ribs[comp].length;
    else if (compact) routes += prev.blockEntries[comp];
  }
  // Entries of prefixes inserted beside kept blocks (written again at each update of the block).
  for (const plan of inPlace.values()) routes += plan.inserts.length / INSERT_FIELDS;
  const out = new FibColumns(incremental ? prev : null, routes, compact);
  const fib: LpmTable[] = incremental ? prev.fib.slice() : [];
  const blockEntries: Int32Array = incremental ? prev.blockEntries.slice() : new Int32Array(routing.ribs.length);
  const blockStart: Int32Array = incremental ? prev.blockStart.slice() : new Int32Array(routing.ribs.length);
  const blockEdits: (BlockEdits | null)[] = incremental ? prev.blockEdits.slice() : new Array<BlockEdits | null>(routing.ribs.length).fill(null);
  let garbage = incremental && !compact ? prev.garbage : 0;
  let entriesClaimed = !incremental || routes > 0;
  if (incremental && routes > 0) garbage += out.claim();
  else if (inPlace.size || remapKept.size) out.claimNextHops();
  // The group patch: the previous one's triples of entries still in kept blocks, then this one's.
  const patch: number[] = incremental && !compact && prev.groupPatch !== null ? keptPatch(prev, reuse!.changed, inPlace, remapKept) : [];
  // The group map's changes, (group, start, size) triples (applied to the previous map at the end), and whose groups they are.
  const remaps: number[] = [];
  const remapped: number[] = [];
  // Arrays of the model alone: the previous compilation's when the model is the same, or has its shape.
  const delta = reuse?.modelDelta;
  const model = prev !== null && (prev.net === net || (delta !== undefined && !delta.reshaped)) ? prev : null;
  // A reshaped model (segments added or removed at the end): its nodes, components and end hosts
  // are the previous ones; its interfaces and domains, more or fewer of them.
  const sameHosts = model ?? (prev !== null && delta?.reshaped ? prev : null);
  // A reshaped model's interfaces and domains before the added (or removed) ones are the previous model's very objects.
  const grownFrom = model === null && sameHosts !== null ? sameHosts : null;
  const perInterface = <A extends Int32Array | Uint8Array>(make: new (n: number) => A, previous: A | undefined, f: (itf: ExpandedNetwork['interfaces'][number]) => number): A =>
    previous !== undefined ? extended(make, previous, net.interfaces, f) : filled(make, net.interfaces, f);
  const perDomain = (previous: Uint8Array | undefined, f: (d: ExpandedNetwork['domains'][number]) => number): Uint8Array =>
    previous !== undefined ? extended(Uint8Array, previous, net.domains, f) : filled(Uint8Array, net.domains, f);
  const external = model?.interfaceExternal ?? perInterface(Uint8Array, grownFrom?.interfaceExternal, (itf) => (itf.external ? 1 : 0));
  const firstNew = out.nh.kind.length;
  const writer = new BlockWriter(out, net, external, maxEcmp);
  /** The tables whose block this compilation wrote in the columns, by component (a table made of one of them is written from its block). */
  const writtenHere = new Map<RibTable, number>();
  // The LPM values of a block: its entries' positions in the block, 0, 1, 2… (the table's base is
  // the block's start), so blocks of the same prefixes share one table (the A/A SRs of a Tier-0,
  // the ToRs peering with them).
  const tables = new SharedTables();
  for (let comp = 0; comp < routing.ribs.length; comp++) {
    if (incremental && !rewritten(comp) && !reuse!.changed.has(comp)) {
      if (compact) {
        // Compacting: the unchanged block copied as it is, its table answering from the new start.
        const start = out.entryRoute.length;
        writer.copy(prev, prev.blockStart[comp], prev.blockStart[comp] + prev.blockEntries[comp], 0);
        blockStart[comp] = start;
        fib[comp] = withBase(prev.fib[comp], start);
      }
      continue;
    }
    const rib = routing.ribs[comp];
    if (remapKept.has(comp)) {
      // The block where it is, its groups remapped (its LPM arrays again, in a table object of
      // its own: the walker sees a changed table).
      writer.begin(comp);
      const mark = remaps.length;
      if (writer.remappedInPlace(prev!, prev!.routing.ribs[comp], rib, remaps)) {
        if (remaps.length > mark) remapped.push(comp);
        fib[comp] = withBase(prev!.fib[comp], prev!.fib[comp].base);
        continue;
      }
      // Groups the block cannot take as a whole (one group read as two): written again, without its patches.
      dropBlockTriples(patch, prev!.blockStart[comp], prev!.blockStart[comp] + prev!.blockEntries[comp]);
      if (!entriesClaimed) garbage += out.claim();
      entriesClaimed = true;
    }
    const plan = inPlace.get(comp);
    if (plan !== undefined) {
      // The block where it is (its LPM arrays again, in a table object of its own: the walker
      // sees a changed table), each changed prefix's entry with its new group in the patch, each
      // tombstone with its cover's.
      writer.begin(comp);
      const mark = patch.length;
      const slots = plan.slots;
      let usable = true;
      for (let k = 0; k < slots.length && usable; k += 3) {
        usable = writer.group(rib, slots[k + 1], slots[k + 2]);
        patch.push(slots[k], writer.groupStart, writer.groupCount);
      }
      if (usable) {
        const from = prev!.blockStart[comp];
        // Prefixes the block does not have: entries after the blocks, each with its group (the
        // previous entry's when its routes are the same), found through the table's overlay.
        const ins = plan.inserts;
        const inserted = new Int32Array(ins.length / INSERT_FIELDS);
        let count = 0;
        // (The entry columns were claimed above: `routes` counts the inserted entries.)
        for (let k = 0; k < ins.length; k += INSERT_FIELDS) {
          const was = ins[k + 4];
          if (was >= 0) writer.insert(ins[k], ins[k + 1], ins[k + 2], prev!.entryGroup[2 * was], prev!.entryGroup[2 * was + 1]);
          else if (writer.group(rib, ins[k + 2], ins[k + 3])) writer.insert(ins[k], ins[k + 1], ins[k + 2], writer.groupStart, writer.groupCount);
          else continue; // no usable next hop: no entry, as a whole compilation gives none
          inserted[count++] = out.entryRoute.length - 1;
        }
        garbage += prev!.blockEdits[comp]?.inserted.length ?? 0;
        const tombs = plan.edits?.tombstones;
        for (let k = 0; tombs !== undefined && k < tombs.length; k += 2) {
          const cover = tombs[k + 1];
          if (cover < 0) patch.push(from + tombs[k], 0, 0);
          else {
            // The cover's group: given above when its routes changed too, else the previous one.
            const at = slotTriple(patch, mark, from + cover);
            if (at >= 0) patch.push(from + tombs[k], patch[at + 1], patch[at + 2]);
            else patch.push(from + tombs[k], rawStart(prev!, from + cover), rawSize(prev!, from + cover));
          }
        }
        const table = prev!.fib[comp];
        const edits = plan.edits;
        if (count === 0) {
          fib[comp] = withBase(table, table.base);
          blockEdits[comp] = edits;
        } else {
          const kept = inserted.subarray(0, count);
          fib[comp] = withOverlay(table, table.base, overlayOf(out, from, kept, plan.inside));
          blockEdits[comp] = { steps: edits?.steps ?? NO_EDITS, tombstones: edits?.tombstones ?? NO_EDITS, inserted: kept };
        }
        continue;
      }
      // A prefix with no usable next hop after all (no entry): the block is written again, without its patches.
      patch.length = mark;
      dropBlockTriples(patch, prev!.blockStart[comp], prev!.blockStart[comp] + prev!.blockEntries[comp]);
      if (!entriesClaimed) garbage += out.claim();
      entriesClaimed = true;
    }
    if (!compact) garbage += blockEntries[comp] + (blockEdits[comp]?.inserted.length ?? 0);
    const start = out.entryRoute.length;
    writer.begin(comp);
    // A table of the previous one's layout (its routes remapped to other next hops: the ToRs
    // after an edge failed) from the previous block, when that is as written; else patched when
    // the tables are alike (a table mostly emptied, as a failed router's, is compiled whole) and
    // the previous block is as written (no tombstones, no moved route positions).
    const before = incremental ? prev.routing.ribs[comp] : null;
    const remap = before !== null && prev!.blockEntries[comp] >= patchFrom && prev!.blockEdits[comp] === null && sameLayout(rib, before);
    const copiedRemapped = remap && writer.remapped(prev!, before, rib);
    if (!copiedRemapped) {
      if (remap) writer.dropFrom(start);
      if (incremental && blockEntries[comp] >= patchFrom && prev.blockEdits[comp] === null && 2 * rib.length >= prev.routing.ribs[comp].length && !remap) writer.patch(prev, prev.routing.ribs[comp], rib);
      else {
        // A table made of another's whose block was just written: from that block.
        const layer = rib.sharedLayer();
        const b = layer !== null ? writtenHere.get(layer.base) : undefined;
        if (b !== undefined) writer.shared(rib, layer!, blockStart[b], blockStart[b] + blockEntries[b]);
        else writer.table(rib);
      }
    }
    writtenHere.set(rib, comp);
    blockEdits[comp] = null;
    const end = out.entryRoute.length;
    blockStart[comp] = start;
    blockEntries[comp] = end - start;
    // A remapped block: the previous block's prefixes, and its LPM table.
    if (copiedRemapped) {
      fib[comp] = withBase(prev!.fib[comp], start);
      continue;
    }
    const addrs = out.entryAddr.range(start, end);
    const lens = out.entryLen.range(start, end);
    let table = tables.find(addrs, lens);
    // The prefixes of the component's previous block (only next hops changed): its table again.
    if (table === null && prev !== null) {
      const like = blockOfPrefixes(prev, comp, addrs, lens);
      if (like >= 0) table = tables.add(addrs, lens, withBase(prev.fib[like], 0));
    }
    if (table === null) {
      table = tables.add(addrs, lens, buildLpm(addrs, lens, positions(end - start)));
    }
    fib[comp] = withBase(table, start);
  }

  // The same model and the same VIP owners: the ARP tables are the previous ones. The same
  // interfaces (a model with other failures): the same own addresses, and the ARP table patched
  // where what it answers changed.
  const sameNet = incremental && prev.net === net && sameArpEntries(prev.lb, lb);
  let arp: PairHash;
  let ownIp: PairHash;
  /** The pairs whose ARP owner may differ from the previous compilation's, when known; else null. */
  let keys: PairHash | null = null;
  /** Whether every ARP answer is the previous one (known only when `keys` is not). */
  let arpSame = false;
  let log: Int32Array | null = null;
  if (sameNet) ({ arp, ownIp } = prev);
  else {
    ownIp = !incremental ? ownAddresses(net) : delta?.reshaped ? withOwnAddresses(prev!.ownIp, prev!.net, net) : delta !== undefined || sameOwnAddresses(prev!.net, net) ? prev!.ownIp : ownAddresses(net);
    const reshaped = incremental && delta?.reshaped && prev!.lb?.arpEntries === lb?.arpEntries ? reshapedArp(prev!, net) : null;
    keys = reshaped !== null ? reshaped.keys : incremental ? changedArpKeysOfModels(prev!.net, net, prev!.lb, lb, delta) : null;
    if (reshaped !== null) arp = prev!.arp.withChanges(reshaped.changes);
    else if (keys !== null) {
      // The changed pairs' first answers found through the model's answer index: no log of every answer.
      arp = prev!.arp.withChanges(firstAnswers(net, lb, keys));
    } else {
      log = arpLog(net, lb);
      keys = incremental ? changedArpKeys(answersOf(prev!), log) : null;
      arp = keys !== null ? patchedArp(prev!.arp, keys, log) : arpFromLog(log, net.interfaces.length + net.endpoints.length);
      arpSame = incremental && keys === null && sameInts(answersOf(prev!), log);
    }
  }
  // Proxy ARP reads the Tier-0 SRs (their state, uplinks and tables) and NAT rules: the previous
  // answers when those are the same (an SE, a host or a ToR failed, or segments were added or
  // removed at the end, leaves them alone; a reshaped model's per-domain index is cut or extended).
  const tier0SrsSame = sameNet || (incremental && (delta !== undefined ? !changesTier0Sr(net, delta.changedComponents) : sameTier0Srs(prev!.net, net, s)));
  const keptProxy = tier0SrsSame && sameProxyInputs(prev!, net, routing, s) ? withDomainCount(prev!.proxyArp, net.domains.length) : null;
  const proxyArp = keptProxy ?? compileProxyArp(net, routing, s);
  const proxySame = incremental && sameProxyArp(prev.proxyArp, proxyArp);
  if (sameNet) arpSame = true;
  // A few addresses answered by another owner (an SE or a host failed): only the next hops to
  // those addresses are resolved again.
  const arpChanged = proxySame && !arpSame ? keys : null;
  arpSame &&= proxySame;
  const nhKind = out.nh.kind.done();
  const nhIp = out.nh.ip.done();
  const nhDomain = out.nh.domain.done();
  const nhComponent = out.nh.component.done();
  // Per next hop: the proxy ARP entry answering for it (-1: none), and who owns its address
  // (kept for the blocks kept when nothing ARP answers changed).
  // (In chunks shared with the previous compilation where they keep its values: an edit writes the
  // few next hops whose owner changed and the new ones, not a copy of both columns.)
  const keepOwners = arpSame || arpChanged !== null ? Math.min(firstNew, prev!.nhKind.length) : 0;
  const nhProxy = Int32Chunks.writer(nhKind.length, keepOwners ? prev!.nhProxy : null, keepOwners);
  const nhOwner = Int32Chunks.writer(nhKind.length, keepOwners ? prev!.nhOwner : null, keepOwners);
  const resolve = (i: number) => {
    const owner = arp.get(nhDomain[i], nhIp[i]);
    const proxy = owner === MISSING ? proxyArpEntry(proxyArp, nhDomain[i], nhIp[i], nhComponent[i]) : -1;
    const now = proxy >= 0 ? proxyArp.entries[proxy].iface : owner;
    // (A next hop kept whose answers came out the same leaves its chunk shared.)
    if (i < keepOwners && nhProxy.at(i) === proxy && nhOwner.at(i) === now) return;
    nhProxy.set(i, proxy);
    nhOwner.set(i, now);
  };
  if (arpChanged !== null) {
    // The addresses whose answers changed (an SE's NICs, a host's workloads, an edge's SR
    // interfaces): a next hop is looked up in the changed pairs only when its address passes a
    // 64k-slot filter of them (one typed read per next hop, no hash).
    const filter = addressFilter(arpChanged);
    for (let i = 0; i < keepOwners; i++) {
      if (nhKind[i] !== NH_FORWARD) continue;
      const ip = nhIp[i];
      if (filter[(ip ^ (ip >>> 16)) & 0xffff] === 0) continue;
      if (arpChanged.get(nhDomain[i], ip) !== MISSING) resolve(i);
    }
  }
  for (let i = keepOwners; i < nhKind.length; i++) {
    if (nhKind[i] !== NH_FORWARD) {
      nhProxy.set(i, -1);
      nhOwner.set(i, MISSING);
      continue;
    }
    resolve(i);
  }

  const { gatewayFirewall, nat } = gatewayTables(net, s, incremental ? prev : null);
  const compiled: CompiledNetwork = {
    net,
    routing,
    scenario: s,
    fib,
    entryGroup: out.entryGroup.done(),
    groupPatch: patch.length ? sortedTriples(patch) : null,
    groupMap: !incremental ? null : remaps.length ? withRemaps(prev.groupMap, nhKind.length, remaps) : prev.groupMap,
    remapped,
    entryRoute: out.entryRoute.done(),
    blockEdits,
    entryAddr: out.entryAddr.done(),
    entryLen: out.entryLen.done(),
    nhKind,
    nhIp,
    nhDomain,
    nhInterface: out.nh.iface.done(),
    nhExternal: out.nh.ext.done(),
    nhRoute: out.nh.route.done(),
    nhComponent,
    nhOwner: nhOwner.done(),
    nhProxy: nhProxy.done(),
    blockStart,
    blockEntries,
    garbage,
    nhAtFullCompile: incremental ? prev.nhAtFullCompile : nhKind.length,
    arp,
    proxyArp,
    ownIp,
    interfaceExternal: external,
    componentNode: sameHosts?.componentNode ?? filled(Int32Array, net.components, (c) => c.node),
    interfaceComponent: model?.interfaceComponent ?? perInterface(Int32Array, grownFrom?.interfaceComponent, (i) => i.component),
    nodeKind: sameHosts?.nodeKind ?? filled(Uint8Array, net.nodes, (n) => (n.kind === 'host' ? NODE_HOST : n.kind === 'edge' ? NODE_EDGE : NODE_PHYSICAL)),
    domainOverlay: model?.domainOverlay ?? perDomain(grownFrom?.domainOverlay, (d) => (d.kind === 'vlan' || d.kind === 'physical' ? 0 : 1)),
    domainIsSegment: model?.domainIsSegment ?? perDomain(grownFrom?.domainIsSegment, (d) => (d.segment !== undefined ? 1 : 0)),
    endpointNode: sameHosts?.endpointNode ?? filled(Int32Array, net.endpoints, (e) => e.node),
    endpointIp: sameHosts?.endpointIp ?? filled(Uint32Array, net.endpoints, (e) => e.ip),
    endpointLen: sameHosts?.endpointLen ?? filled(Uint8Array, net.endpoints, (e) => e.len),
    endpointDomain: sameHosts?.endpointDomain ?? filled(Int32Array, net.endpoints, (e) => e.domain),
    endpointGateway: sameHosts?.endpointGateway ?? filled(Uint32Array, net.endpoints, (e) => e.gateway),
    endpointIsWorkload: sameHosts?.endpointIsWorkload ?? filled(Uint8Array, net.endpoints, (e) => (e.kind !== 'PHYSICAL_HOST' ? 1 : 0)),
    gatewayFirewall,
    distributedFirewall: s ? compileRules(s, s.distributedFirewall) : null,
    nat,
    interfaceOutside: model?.interfaceOutside ?? perInterface(Uint8Array, grownFrom?.interfaceOutside, (i) => (i.kind === 'uplink' || (i.kind === 'router-link' && net.components[i.component].type === 'T1_SR') ? 1 : 0)),
    lb,
    previous: incremental ? new WeakRef(prev) : null,
    compacted: compact,
  };
  if (log !== null) answersLog.set(compiled, log);
  return compiled;
}

/** Whether the previous compilation's block of `comp` holds these prefixes, in this order (its LPM table answers for them). */
function sameBlockPrefixes(prev: CompiledNetwork, comp: number, addrs: Uint32Array, lens: Uint8Array): boolean {
  if (comp >= prev.blockEntries.length || prev.blockEntries[comp] !== addrs.length || addrs.length === 0) return false;
  const from = prev.blockStart[comp];
  const pa = prev.entryAddr;
  const pl = prev.entryLen;
  for (let k = 0; k < addrs.length; k++) if (pa[from + k] !== addrs[k] || pl[from + k] !== lens[k]) return false;
  return true;
}

/**
 * A component of `prev` whose block holds these prefixes, in this order, as written (its LPM table
 * answers for them): `comp`'s own, else, for a big block, another's of the same size (a ToR back
 * from a failure: the other ToRs' blocks hold its prefixes; a few candidates compared, a typed
 * pass each, instead of an LPM table built for 144k prefixes). -1 when none.
 */
function blockOfPrefixes(prev: CompiledNetwork, comp: number, addrs: Uint32Array, lens: Uint8Array): number {
  if (sameBlockPrefixes(prev, comp, addrs, lens)) return comp;
  if (addrs.length < PATCH_MIN_ENTRIES) return -1;
  let tried = 0;
  for (let c = 0; c < prev.blockEntries.length && tried < 4; c++) {
    if (c === comp || prev.blockEntries[c] !== addrs.length || prev.blockEdits[c] !== null || prev.fib[c].over !== null) continue;
    tried++;
    if (sameBlockPrefixes(prev, c, addrs, lens)) return c;
  }
  return -1;
}

/** Tables this much larger than their changed prefixes and tombstones keep their block in place (inPlacePlan); the others are patched. */
const IN_PLACE_RATIO = 8;

/** Most tombstones and route-position steps a block kept in place holds (each tombstone's cover is found again at every in-place update of its block). */
const MAX_BLOCK_EDITS = 4096;

/** A block kept in place: (entry, first route, end route) triples of the entries given new groups, and the block's edits after this update (null: none). */
interface InPlacePlan {
  readonly slots: readonly number[];
  /** The block's steps and tombstones after this update (null: none; `inserted` is filled when written). */
  readonly edits: BlockEdits | null;
  /**
   * Prefixes the block does not have that select a route, in table order: INSERT_FIELDS values
   * each — address, length, first route, end route, and the previous compilation's entry of it
   * when its routes are the same (its group is taken), else -1.
   */
  readonly inserts: readonly number[];
  /** Offsets of the block's live entries inside an inserted prefix (the overlay answers for them too). */
  readonly inside: readonly number[];
}

const INSERT_FIELDS = 5;

/** Most prefixes a block kept in place takes beside it, and most of its own entries inside them (its LPM overlay's size). */
const MAX_INSERTED = 256;
const MAX_INSIDE = 4096;

/**
 * How `comp`'s previous block takes its new table (`next`, made from `before`) in place, or null
 * when its block must be written again. Prefix by prefix where the tables differ:
 *   - a prefix with an entry (or a tombstone) that still selects a route: the entry's group is
 *     given again (group patch) and, from a tombstone, it is live again;
 *   - a prefix with an entry that no longer selects a route (or left the table): a tombstone;
 *   - a prefix without an entry that now selects a route: inserted beside the block (an entry
 *     after the blocks, in the overlay of the block's LPM table with the block's own live entries
 *     inside it); one inserted by an earlier update is carried, at its position in `next`;
 *   - routes that came or went move the route positions of the entries after (a step).
 * Each tombstone's cover is found in the block (the longest live prefix containing it; an
 * inserted prefix containing a tombstone answers for it through the overlay). The changed
 * entries, tombstones and inserted prefixes must be few beside the block (IN_PLACE_RATIO,
 * MAX_BLOCK_EDITS, MAX_INSERTED, MAX_INSIDE).
 */
function inPlacePlan(prev: CompiledNetwork, comp: number, before: RibTable, next: RibTable): InPlacePlan | null {
  if (before === next) return null;
  const from = prev.blockStart[comp];
  const n = prev.blockEntries[comp];
  const old = prev.blockEdits[comp];
  const oldSteps = old?.steps ?? NO_EDITS;
  const tombs = new Set<number>();
  if (old !== null) for (let k = 0; k < old.tombstones.length; k += 2) tombs.add(old.tombstones[k]);
  const most = Math.min(MAX_BLOCK_EDITS, Math.floor(n / IN_PLACE_RATIO));
  const slots: number[] = [];
  const events: number[] = [];
  // Prefixes inserted by earlier updates (key → their entry): kept unless the tables differ there.
  const carried = new Map<number, number>();
  for (const g of old?.inserted ?? NO_EDITS) carried.set(prefixKey(prev.entryAddr[g], prev.entryLen[g]), g);
  const inserts: number[] = [];
  let ok = true;
  // Stopped at the first reason to write the block again (a table that lost or gained most of
  // its prefixes, a ToR gone down, is not walked to its end).
  alignTables(before, next, null, (i, i2, j, j2) => {
    const p = i2 > i ? before.shapeAt(i).prefix : next.shapeAt(j).prefix;
    const addr = p.addr >>> 0;
    const off = prefixOffset(prev, from, n, addr, p.len);
    const found = off < n && prev.entryAddr[from + off] === addr && prev.entryLen[from + off] === p.len;
    const selected = anySelected(next, j, j2);
    const delta = j2 - j - (i2 - i);
    if (!found) {
      // A prefix without an entry in the block: inserted beside it when it selects a route (its
      // routes changed: its group is made again); the entries from its place on move.
      carried.delete(prefixKey(addr, p.len));
      if (selected) inserts.push(addr, p.len, j, j2, -1);
      if (delta !== 0) events.push(off, delta);
      ok = inserts.length / INSERT_FIELDS <= MAX_INSERTED;
      return ok;
    }
    // The entry (or tombstone) must stand where the prefix's routes start in `before`.
    if (prev.entryRoute[from + off] + stepAt(oldSteps, off) !== i) {
      ok = false;
      return ok;
    }
    if (selected) {
      slots.push(from + off, j, j2);
      tombs.delete(off);
    } else tombs.add(off);
    if (delta !== 0) events.push(off + 1, delta);
    if (slots.length / 3 + tombs.size + inserts.length / INSERT_FIELDS > most) ok = false;
    return ok;
  });
  if (!ok) return null;
  // The inserted prefixes the tables agree on: the same routes, maybe at another position.
  for (const g of carried.values()) {
    const addr = prev.entryAddr[g];
    const len = prev.entryLen[g];
    const j = firstAtOrAfter(next, { addr, len });
    if (j >= next.length || next.shapeAt(j).prefix.addr >>> 0 !== addr || next.shapeAt(j).prefix.len !== len) return null;
    inserts.push(addr, len, j, runEnd(next, next.shapeAt(j).prefix, j + 1), g);
  }
  if (inserts.length / INSERT_FIELDS > MAX_INSERTED) return null;
  const inside = insertsInOrder(prev, from, n, inserts, tombs);
  if (inside === null) return null;
  const steps = withSteps(oldSteps, events);
  if (steps.length / 2 > most) return null;
  if (!tombs.size && !steps.length) return { slots, edits: null, inserts, inside };
  const tombstones = new Int32Array(2 * tombs.size);
  let t = 0;
  for (const off of [...tombs].sort((a, b) => a - b)) {
    tombstones[t++] = off;
    tombstones[t++] = coverOffset(prev, from, n, off, tombs);
  }
  return { slots, edits: { steps, tombstones, inserted: NO_EDITS }, inserts, inside };
}

/** A prefix as one number (address and length). */
function prefixKey(addr: number, len: number): number {
  return (addr >>> 0) * 33 + len;
}

/**
 * Sorts `inserts` (INSERT_FIELDS values each) into table order and returns the offsets of the
 * block's live entries (not tombstones) inside any of them, ascending, or null when there are
 * more than MAX_INSIDE (the block is written again).
 */
function insertsInOrder(c: CompiledNetwork, from: number, n: number, inserts: number[], tombs: ReadonlySet<number>): number[] | null {
  const count = inserts.length / INSERT_FIELDS;
  if (count === 0) return [];
  const order = Array.from({ length: count }, (_, k) => k).sort((a, b) => inserts[INSERT_FIELDS * a] - inserts[INSERT_FIELDS * b] || inserts[INSERT_FIELDS * a + 1] - inserts[INSERT_FIELDS * b + 1]);
  const sorted = order.flatMap((k) => inserts.slice(INSERT_FIELDS * k, INSERT_FIELDS * (k + 1)));
  // Copied by index: a push(...sorted) of a large delta would pass more arguments than a call takes.
  for (let k = 0; k < sorted.length; k++) inserts[k] = sorted[k];
  const inside: number[] = [];
  let next = 0; // offsets below this are taken (nested inserted prefixes)
  for (let k = 0; k < inserts.length; k += INSERT_FIELDS) {
    const addr = inserts[k];
    const end = addr + 2 ** (32 - inserts[k + 1]);
    for (let off = Math.max(next, prefixOffset(c, from, n, addr, inserts[k + 1])); off < n && c.entryAddr[from + off] < end; off++) {
      if (!tombs.has(off)) inside.push(off);
      next = off + 1;
      if (inside.length > MAX_INSIDE) return null;
    }
  }
  return inside;
}

/**
 * The LPM overlay of a block kept in place with prefixes inserted beside it: an interval table of
 * the inserted entries and of the block's live entries inside them (`inside`, offsets), values
 * relative to the block's start (`from`) as the table's own are.
 */
function overlayOf(out: FibColumns, from: number, inserted: Int32Array, inside: readonly number[]): LpmTable {
  const total = inserted.length + inside.length;
  const addrs = new Uint32Array(total);
  const lens = new Uint8Array(total);
  const values = new Int32Array(total);
  let k = 0;
  for (const e of inserted) {
    addrs[k] = out.entryAddr.at(e);
    lens[k] = out.entryLen.at(e);
    values[k++] = e - from;
  }
  for (const off of inside) {
    addrs[k] = out.entryAddr.at(from + off);
    lens[k] = out.entryLen.at(from + off);
    values[k++] = off;
  }
  return buildLpm(addrs, lens, values, 'intervals');
}

const NO_EDITS = new Int32Array(0);

/** The first offset of the block [from, from + n) whose prefix is `addr/len` or after it (entries are in table order: by address, then length). */
function prefixOffset(c: CompiledNetwork, from: number, n: number, addr: number, len: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const a = c.entryAddr[from + mid];
    if (a < addr || (a === addr && c.entryLen[from + mid] < len)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The offset of the longest live entry (not a tombstone) of the block whose prefix contains tombstone `off`'s, or -1. */
function coverOffset(c: CompiledNetwork, from: number, n: number, off: number, tombs: ReadonlySet<number>): number {
  const addr = c.entryAddr[from + off];
  for (let len = c.entryLen[from + off] - 1; len >= 0; len--) {
    const net = len === 0 ? 0 : (addr & (-1 << (32 - len))) >>> 0;
    const o = prefixOffset(c, from, n, net, len);
    if (o < n && c.entryAddr[from + o] === net && c.entryLen[from + o] === len && !tombs.has(o)) return o;
  }
  return -1;
}

/** The shift of the last (offset, shift) step at or before `off` (0 before the first). */
function stepAt(steps: Int32Array, off: number): number {
  const k = lowerBound(steps, 2, off + 1);
  return k === 0 ? 0 : steps[2 * k - 1];
}

/** The first record of `a` (records of `stride` values, ascending by their first) whose first value is `key` or more (a binary search). */
function lowerBound(a: Int32Array, stride: number, key: number): number {
  let lo = 0;
  let hi = a.length / stride;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[stride * mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `steps` with each (offset, delta) event added from its offset on, as steps again (no two alike in a row, none of 0 first). */
function withSteps(steps: Int32Array, events: readonly number[]): Int32Array {
  if (!events.length) return steps;
  const at = new Set<number>();
  for (let k = 0; k < steps.length; k += 2) at.add(steps[k]);
  for (let k = 0; k < events.length; k += 2) at.add(events[k]);
  const out: number[] = [];
  let last = 0;
  for (const off of [...at].sort((a, b) => a - b)) {
    let shift = stepAt(steps, off);
    for (let k = 0; k < events.length; k += 2) if (events[k] <= off) shift += events[k + 1];
    if (shift !== last) out.push(off, shift);
    last = shift;
  }
  return Int32Array.from(out);
}

/** Where this compilation's patch (from `mark`) gives entry `e` a group (its triple's index), or -1. */
function slotTriple(patch: readonly number[], mark: number, e: number): number {
  for (let k = mark; k < patch.length; k += 3) if (patch[k] === e) return k;
  return -1;
}

/**
 * Entry `e`'s route position in component `comp`'s table: where its prefix's routes start, its
 * next hops' route offsets counted from there. A tombstone answers as its cover (-1: none).
 */
export function entryRoutePosition(c: CompiledNetwork, comp: number, e: number): number {
  const edits = c.blockEdits[comp];
  if (edits === null) return c.entryRoute[e];
  const from = c.blockStart[comp];
  let off = e - from;
  // An entry inserted beside the block: its route position as written.
  if (off < 0 || off >= c.blockEntries[comp]) return c.entryRoute[e];
  const tombs = edits.tombstones;
  const k = lowerBound(tombs, 2, off);
  if (k < tombs.length / 2 && tombs[2 * k] === off) {
    off = tombs[2 * k + 1];
    if (off < 0) return -1;
  }
  return c.entryRoute[from + off] + stepAt(edits.steps, off);
}

function anySelected(rib: RibTable, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (rib.shapeAt(k).selected) return true;
  return false;
}

/**
 * The previous compilation's group patch without the entries of blocks this one writes again
 * (changed, not in place) and of the entries of blocks kept in place that it patches again (their
 * changed entries, and their tombstones, old and new).
 */
function keptPatch(prev: CompiledNetwork, changed: ReadonlySet<number>, inPlace: ReadonlyMap<number, InPlacePlan>, remapKept: ReadonlySet<number>): number[] {
  const p = prev.groupPatch!;
  const again = new Set<number>();
  // The entry ranges of the blocks written again, by start.
  const ranges: number[] = [];
  for (const comp of changed) {
    if (remapKept.has(comp)) continue;
    const from = prev.blockStart[comp];
    const plan = inPlace.get(comp);
    if (plan === undefined) {
      ranges.push(from, from + prev.blockEntries[comp]);
      continue;
    }
    for (let k = 0; k < plan.slots.length; k += 3) again.add(plan.slots[k]);
    for (const edits of [prev.blockEdits[comp], plan.edits]) {
      for (let k = 0; edits !== null && k < edits.tombstones.length; k += 2) again.add(from + edits.tombstones[k]);
    }
  }
  const order = Array.from({ length: ranges.length / 2 }, (_, k) => k).sort((a, b) => ranges[2 * a] - ranges[2 * b]);
  const starts = order.map((k) => ranges[2 * k]);
  const ends = order.map((k) => ranges[2 * k + 1]);
  const rewritten = (e: number) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= e) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && e < ends[lo - 1];
  };
  const kept: number[] = [];
  for (let k = 0; k < p.length; k += 3) {
    if (again.has(p[k]) || rewritten(p[k])) continue;
    kept.push(p[k], p[k + 1], p[k + 2]);
  }
  return kept;
}
/** Removes from a group patch (triples) the entries of [from, to). */
function dropBlockTriples(patch: number[], from: number, to: number): void {
  let w = 0;
  for (let k = 0; k < patch.length; k += 3) {
    if (patch[k] >= from && patch[k] < to) continue;
    patch[w++] = patch[k];
    patch[w++] = patch[k + 1];
    patch[w++] = patch[k + 2];
  }
  patch.length = w;
}

/** The group map `previous` (or none) over `nextHops` next hops with (group, start, size) triples set (start -1: the group as written again). */
function withRemaps(previous: Int32Array | null, nextHops: number, remaps: readonly number[]): Int32Array {
  const map = int32Array(2 * nextHops);
  for (let i = previous?.length ?? 0; i < map.length; i += 2) map[i] = -1;
  if (previous !== null) map.set(previous.subarray(0, Math.min(previous.length, map.length)));
  for (let k = 0; k < remaps.length; k += 3) {
    map[2 * remaps[k]] = remaps[k + 1];
    map[2 * remaps[k] + 1] = remaps[k + 2];
  }
  return map;
}

/** (entry, start, size) triples sorted by entry, as a typed array. */
function sortedTriples(list: readonly number[]): Int32Array {
  const order = Array.from({ length: list.length / 3 }, (_, k) => k).sort((a, b) => list[3 * a] - list[3 * b]);
  const out = new Int32Array(list.length);
  order.forEach((k, i) => out.set([list[3 * k], list[3 * k + 1], list[3 * k + 2]], 3 * i));
  return out;
}

/** Where entry `e` is in a group patch (the index of its triple), or -1: a binary search over a few triples. */
export function patchIndex(p: Int32Array, e: number): number {
  let lo = 0;
  let hi = p.length / 3 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = p[3 * mid];
    if (x === e) return 3 * mid;
    if (x < e) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Where entry `e`'s group as written is: its triple's index in the group patch (+1: start, +2: size), or -1: the group column's. */
function patchedEntry(c: CompiledNetwork, e: number): number {
  return c.groupPatch === null ? -1 : patchIndex(c.groupPatch, e);
}

/** Entry `e`'s group as written (its column's, or the group patch's when it has one), before the group map. */
function rawStart(c: CompiledNetwork, e: number, k = patchedEntry(c, e)): number {
  return k < 0 ? c.entryGroup[2 * e] : c.groupPatch![k + 1];
}

function rawSize(c: CompiledNetwork, e: number, k = patchedEntry(c, e)): number {
  return k < 0 ? c.entryGroup[2 * e + 1] : c.groupPatch![k + 2];
}

/** The group a group of `size` next hops from `start` reads as through a group map: its index in `map` (×2), or -1 when not remapped (an empty group never is). */
export function mapSlot(map: Int32Array | null, start: number, size: number): number {
  return map !== null && size > 0 && 2 * start < map.length && map[2 * start] >= 0 ? 2 * start : -1;
}

/** Entry `e`'s group: its first next hop and its size (the group patch's when it has one, through the group map). */
export function groupStart(c: CompiledNetwork, e: number): number {
  const k = patchedEntry(c, e);
  const start = rawStart(c, e, k);
  const m = mapSlot(c.groupMap, start, rawSize(c, e, k));
  return m < 0 ? start : c.groupMap![m];
}

export function groupSize(c: CompiledNetwork, e: number): number {
  const k = patchedEntry(c, e);
  const size = rawSize(c, e, k);
  const m = mapSlot(c.groupMap, rawStart(c, e, k), size);
  return m < 0 ? size : c.groupMap![m + 1];
}

/**
 * Every entry's group (first next hop, size) side by side: `entryGroup` with the group patch and
 * the group map applied (a copy, made once per compilation: for readers of every entry, as the
 * next update's compilation; the walk reads the patch and the map beside `entryGroup` instead),
 * or `entryGroup` itself when there are none.
 */
export function entryGroups(c: CompiledNetwork): Int32Array {
  const p = c.groupPatch;
  const map = c.groupMap;
  if (p === null && map === null) return c.entryGroup;
  let g = patchedGroups.get(c);
  if (g === undefined) {
    g = c.entryGroup.slice();
    for (let k = 0; p !== null && k < p.length; k += 3) {
      g[2 * p[k]] = p[k + 1];
      g[2 * p[k] + 1] = p[k + 2];
    }
    for (let e = 0; map !== null && e < g.length; e += 2) {
      const m = mapSlot(map, g[e], g[e + 1]);
      if (m < 0) continue;
      g[e] = map[m];
      g[e + 1] = map[m + 1];
    }
    patchedGroups.set(c, g);
  }
  return g;
}

const patchedGroups = new WeakMap<CompiledNetwork, Int32Array>();

/** `filled` over `list` whose first values are `previous`'s (a reshaped model: the same objects up to the shorter of the two). */
function extended<A extends Int32Array | Uint8Array, T>(make: new (n: number) => A, previous: A, list: readonly T[], f: (x: T) => number): A {
  const shared = Math.min(previous.length, list.length);
  const out = new make(list.length);
  out.set(previous.subarray(0, shared));
  for (let i = shared; i < list.length; i++) out[i] = f(list[i]);
  return out;
}

/** A typed array of `f` over `list`, filled by index (no iterator, no boxed number per element). */
function filled<A extends Int32Array | Uint32Array | Uint8Array, T>(make: new (n: number) => A, list: readonly T[], f: (x: T) => number): A {
  const out = new make(list.length);
  for (let i = 0; i < list.length; i++) out[i] = f(list[i]);
  return out;
}

/**
 * The route behind next hop `nh` of the FIB entry that component `comp` chose for `dst` (the
 * entry is looked up again: entries share next hops, the route is per entry): its prefix, type
 * and selection (RibTable.shapeAt: a Tier-0 SR's table made of its DR's is not made for a trace).
 */
export function routeOfHop(c: CompiledNetwork, comp: number, dst: number, nh: number): RibRoute {
  let e = lpmLookup(c.fib[comp], dst >>> 0);
  if (e < 0 || nh < groupStart(c, e) || nh >= groupStart(c, e) + groupSize(c, e)) e = entryHolding(c, entryGroups(c), comp, nh);
  return c.routing.ribs[comp].shapeAt(entryRoutePosition(c, comp, e) + c.nhRoute[nh]);
}

/** The next hops of `base`'s route at `i` under `remap` (null: as base holds them), read without making base's routes (hopsAt). */
function hopsUnder(base: RibTable, i: number, remap: RouteRemap | null): RibRoute['nextHops'] {
  const hops = base.hopsAt(i);
  return remap === null ? hops : remap.hopsOfKey(hops, base.shapeAt(i).origin);
}

/** An entry of `comp`'s block whose group holds `nh` (a scan of the block; not reached when the lookup agrees). */
function entryHolding(c: CompiledNetwork, grp: Int32Array, comp: number, nh: number): number {
  const from = c.blockStart[comp];
  for (let e = from; e < from + c.blockEntries[comp]; e++) {
    if (nh >= grp[2 * e] && nh < grp[2 * e] + grp[2 * e + 1] && c.nhComponent[nh] === comp) return e;
  }
  for (const e of c.blockEdits[comp]?.inserted ?? []) {
    if (nh >= grp[2 * e] && nh < grp[2 * e] + grp[2 * e + 1] && c.nhComponent[nh] === comp) return e;
  }
  throw new Error(`next hop ${nh} is in no FIB entry of component ${comp}`);
}

/**
 * The ARP answers of a reshaped model (segments added or removed at the end: model/grow) from the
 * previous compilation's, when nothing else changed (the same VIP answers): (domain, address,
 * owner) triples and their pairs. Answers come interfaces first, by id, then end hosts, so an
 * added interface (after every other) answers where no interface did, and a removed one's pair
 * answers no more (nothing else is on a removed segment's domain). Null when a removed interface
 * was not its pair's answer (another might be: the caller finds it through the whole model).
 */
function reshapedArp(prev: CompiledNetwork, net: ExpandedNetwork): { changes: number[]; keys: PairHash } | null {
  const a = prev.net;
  const kept = Math.min(a.interfaces.length, net.interfaces.length);
  const changes: number[] = [];
  for (let i = kept; i < a.interfaces.length; i++) {
    const { domain, ip } = a.interfaces[i];
    if (prev.arp.get(domain, ip >>> 0) !== i) return null;
    changes.push(domain, ip >>> 0, MISSING);
  }
  for (let i = kept; i < net.interfaces.length; i++) {
    const itf = net.interfaces[i];
    if (itf.down || !itf.answersArp) continue;
    const owner = prev.arp.get(itf.domain, itf.ip >>> 0);
    if (owner === MISSING || owner < 0) changes.push(itf.domain, itf.ip >>> 0, i);
  }
  const keys = new PairHash(Math.max(1, changes.length / 3));
  for (let k = 0; k < changes.length; k += 3) keys.setIfAbsent(changes[k], changes[k + 1], 1);
  return { changes, keys };
}

/**
 * What ARP answers, in order: (domain, address, owner) triples — interfaces up that answer ARP,
 * end hosts up, then VIPs inside an SE data subnet (the owning SE answers). The ARP table holds
 * each pair's first answer; the log is also compared with the previous compilation's to know
 * whose next hops to resolve again.
 */
function arpLog(net: ExpandedNetwork, lb: CompiledLoadBalancer | null): Int32Array {
  const log = new Column(int32Array, 3 * (net.interfaces.length + net.endpoints.length + (lb?.arpEntries.length ?? 0)) + 3);
  const answer = (domain: number, ip: number, owner: number) => {
    log.push(domain);
    log.push(ip | 0);
    log.push(owner);
  };
  for (const itf of net.interfaces) if (!itf.down && itf.answersArp) answer(itf.domain, itf.ip, itf.id);
  for (const ep of net.endpoints) if (!ep.down) answer(ep.domain, ep.ip, -(ep.id + 1));
  for (const e of lb?.arpEntries ?? []) answer(e.domain, e.vip, -(e.endpoint + 1));
  return log.done();
}

/** What a compilation's ARP table was built from (arpLog), made again when it was patched instead. */
function answersOf(c: CompiledNetwork): Int32Array {
  let log = answersLog.get(c);
  if (log === undefined) answersLog.set(c, (log = arpLog(c.net, c.lb)));
  return log;
}

const answersLog = new WeakMap<CompiledNetwork, Int32Array>();

/**
 * The first answer (arpLog's order) for each pair in `keys`, as changes for PairHash.withChanges:
 * (domain, address, owner) triples, owner MISSING when nothing answers. Through the model's index
 * of who may answer each pair (answerIndex), then the VIPs an SE answers for.
 */
function firstAnswers(net: ExpandedNetwork, lb: CompiledLoadBalancer | null, keys: PairHash): number[] {
  const index = answerIndex(net);
  const interfaces = net.interfaces.length;
  let vips: PairHash | null = null;
  const changes: number[] = [];
  keys.scan((domain, ip) => {
    let owner = MISSING;
    for (let c = index.first.get(domain, ip); c !== MISSING; c = index.next[c]) {
      if (c < interfaces) {
        const itf = net.interfaces[c];
        if (!itf.down && itf.answersArp) owner = itf.id;
      } else if (!net.endpoints[c - interfaces].down) owner = -(c - interfaces + 1);
      if (owner !== MISSING) break;
    }
    if (owner === MISSING && lb !== null && lb.arpEntries.length) {
      if (vips === null) {
        vips = new PairHash(lb.arpEntries.length);
        for (const e of lb.arpEntries) vips.setIfAbsent(e.domain, e.vip >>> 0, -(e.endpoint + 1));
      }
      owner = vips.get(domain, ip);
    }
    changes.push(domain, ip, owner);
  });
  return changes;
}

/**
 * Who may answer ARP for each (domain, address), in arpLog's order, up or down: interfaces (by id)
 * then end hosts (interfaces.length + id), as a chain — the first in `first`, each one's next in
 * `next` (MISSING ends it). One per model shape (model/shape-memo).
 */
interface AnswerIndex {
  readonly first: PairHash;
  readonly next: Int32Array;
}

const answerIndex = shapeMemo((net): AnswerIndex => {
  const n = net.interfaces.length + net.endpoints.length;
  const first = new PairHash(n);
  const next = new Int32Array(n).fill(MISSING);
  const last = new PairHash(n);
  const add = (domain: number, ip: number, c: number) => {
    const tail = last.get(domain, ip >>> 0);
    if (tail === MISSING) first.setIfAbsent(domain, ip, c);
    else {
      next[tail] = c;
      last.delete(domain, ip);
    }
    last.setIfAbsent(domain, ip, c);
  };
  net.interfaces.forEach((itf, i) => add(itf.domain, itf.ip, i));
  net.endpoints.forEach((ep, e) => add(ep.domain, ep.ip, net.interfaces.length + e));
  return { first, next };
});

/** The ARP table ((domain, address) → owner: interface id, or -(endpoint id + 1)) of an answers log: each pair's first answer. */
function arpFromLog(log: Int32Array, expected: number): PairHash {
  const arp = new PairHash(expected);
  for (let k = 0; k < log.length; k += 3) arp.setIfAbsent(log[k], log[k + 1] >>> 0, log[k + 2]);
  return arp;
}

/**
 * The previous ARP table with the pairs in `keys` (every pair whose owner may differ:
 * changedArpKeys) given their first answer in the new log, or dropped when it has none: the same
 * map as arpFromLog(log), without hashing every answer again, and without copying the previous
 * one (PairHash.withChanges: an overlay of the changed pairs).
 */
function patchedArp(previous: PairHash, keys: PairHash, log: Int32Array): PairHash {
  const owners = new PairHash(Math.max(keys.size, 1));
  for (let k = 0; k < log.length; k += 3) if (keys.get(log[k], log[k + 1] >>> 0) !== MISSING) owners.setIfAbsent(log[k], log[k + 1] >>> 0, log[k + 2]);
  const changes: number[] = [];
  keys.scan((domain, ip) => changes.push(domain, ip, owners.get(domain, ip)));
  return previous.withChanges(changes);
}

/** Own addresses: (component, address) → the component's interface holding it (the first). */
function ownAddresses(net: ExpandedNetwork): PairHash {
  const ownIp = new PairHash(net.interfaces.length);
  for (const itf of net.interfaces) ownIp.setIfAbsent(itf.component, itf.ip, itf.id);
  return ownIp;
}

/**
 * `ownIp` of model `a` made the own addresses of model `b`, which has `a`'s interfaces up to the
 * shorter of the two (a reshaped model): the addresses of the interfaces only one has, each held by
 * the first interface of its component that has it in `b`, or by none.
 */
function withOwnAddresses(ownIp: PairHash, a: ExpandedNetwork, b: ExpandedNetwork): PairHash {
  const changes: number[] = [];
  const kept = Math.min(a.interfaces.length, b.interfaces.length);
  for (const net of [a, b]) {
    for (let i = kept; i < net.interfaces.length; i++) {
      const { component, ip } = net.interfaces[i];
      let owner = MISSING;
      for (const j of b.components[component].interfaces) {
        if (b.interfaces[j].ip === ip) {
          owner = j;
          break;
        }
      }
      if (ownIp.get(component, ip) !== owner) changes.push(component, ip, owner);
    }
  }
  return changes.length ? ownIp.withChanges(changes) : ownIp;
}

/** Whether two models have the same interfaces (component and address by id): the same own addresses. */
function sameOwnAddresses(a: ExpandedNetwork, b: ExpandedNetwork): boolean {
  if (a.interfaces.length !== b.interfaces.length) return false;
  for (let i = 0; i < a.interfaces.length; i++) if (a.interfaces[i].component !== b.interfaces[i].component || a.interfaces[i].ip !== b.interfaces[i].ip) return false;
  return true;
}

/** 0, 1, 2… n - 1, a view of one array kept for every compilation (grown, never written again). */
let POSITIONS = new Int32Array(0);
function positions(n: number): Int32Array {
  if (POSITIONS.length < n) {
    const grown = new Int32Array(Math.max(n, 2 * POSITIONS.length, 1024));
    for (let k = 0; k < grown.length; k++) grown[k] = k;
    POSITIONS = grown;
  }
  return POSITIONS.subarray(0, n);
}

/**
 * Gateway firewall and NAT tables per component (on the SRs of each gateway). From a previous
 * compilation of a model of the same shape: the previous arrays when no gateway and nothing a
 * firewall address names (segments, workloads, physical hosts) changed; else the previous tables
 * of every gateway whose spec is the very same object, only the others compiled again.
 */
function gatewayTables(net: ExpandedNetwork, s: Scenario | undefined, prev: CompiledNetwork | null): { gatewayFirewall: (RuleSet | null)[]; nat: (NatTable | null)[] } {
  const was = prev?.scenario;
  const named = !!s && !!was && s.segments === was.segments && s.workloads === was.workloads && s.physicalHosts === was.physicalHosts;
  if (prev && named && s!.tier0s === was!.tier0s && s!.tier1s === was!.tier1s) return { gatewayFirewall: prev.gatewayFirewall as (RuleSet | null)[], nat: prev.nat as (NatTable | null)[] };
  const gatewayFirewall: (RuleSet | null)[] = prev && named ? prev.gatewayFirewall.slice() : net.components.map(() => null);
  const nat: (NatTable | null)[] = prev && named ? prev.nat.slice() : net.components.map(() => null);
  if (!s) return { gatewayFirewall, nat };
  for (const [map, before] of [
    [s.tier0s, was?.tier0s],
    [s.tier1s, was?.tier1s],
  ] as const) {
    if (!map) continue;
    // From the previous tables: the gateways that are not the previous objects alone (changedNames);
    // else every gateway that has SRs (nothing else holds the tables).
    const from = prev && named && before;
    for (const name of from ? changedNames(map, before) : gatewaysWithSrs(net, map)) {
      const gw = map[name];
      const srs = net.gateways.get(name)!.srs;
      if (!srs.length) continue; // no SR: nothing holds the tables
      const rules = compileRules(s, gw.gatewayFirewall);
      const table = compileNat(gw.nat);
      for (const sr of srs) {
        gatewayFirewall[sr] = rules;
        nat[sr] = table;
      }
    }
  }
  return { gatewayFirewall, nat };
}

/** The names of `map` (Tier-0s or Tier-1s) whose gateway has SRs, in map order; listed once per map and gateway index (which models reshaped or failed share). */
function gatewaysWithSrs(net: ExpandedNetwork, map: object): readonly string[] {
  let byMap = srGateways.get(net.gateways);
  if (byMap === undefined) srGateways.set(net.gateways, (byMap = new WeakMap()));
  let names = byMap.get(map);
  if (names === undefined) byMap.set(map, (names = keysOfMap(map).filter((name) => (net.gateways.get(name)?.srs.length ?? 0) > 0)));
  return names;
}
const srGateways = new WeakMap<ExpandedNetwork['gateways'], WeakMap<object, readonly string[]>>();

/**
 * The (domain, address) pairs whose ARP answers may differ between two models of the same shape
 * (the same interfaces and end hosts by id, with their addresses), from the objects whose state
 * changed: an interface up or down or answering ARP or not, an end host up or down, and the VIPs
 * an SE answers for when those changed. Every other pair keeps its answers in the same order,
 * so its first answer. Null when the models differ in shape or more than ARP_PATCH_MAX pairs may
 * change (the answers logs are compared instead). Failures spread over the model (a host's
 * workloads) are found here without the logs' differing middle spanning everything between them.
 */
function changedArpKeysOfModels(a: ExpandedNetwork, b: ExpandedNetwork, lbA: CompiledLoadBalancer | null, lbB: CompiledLoadBalancer | null, delta?: ModelDelta): PairHash | null {
  if ((a.interfaces.length !== b.interfaces.length && !delta?.reshaped) || a.endpoints.length !== b.endpoints.length) return null;
  const pairs: number[] = [];
  if (delta !== undefined) {
    // What changed is known: the interfaces of the components that changed state, the end hosts that went up or down.
    for (const c of delta.changedComponents) for (const i of b.components[c].interfaces) pairs.push(b.interfaces[i].domain, b.interfaces[i].ip);
    // Interfaces removed with their segments (a reshaped model): their pairs answer no more.
    if (delta.reshaped) for (let i = b.interfaces.length; i < a.interfaces.length; i++) pairs.push(a.interfaces[i].domain, a.interfaces[i].ip);
    for (const e of delta.changedEndpoints) pairs.push(b.endpoints[e].domain, b.endpoints[e].ip);
  } else {
    for (let i = 0; i < b.interfaces.length; i++) {
      const x = a.interfaces[i];
      const y = b.interfaces[i];
      if (x === y) continue;
      if (x.ip !== y.ip || x.domain !== y.domain) return null;
      if (x.down !== y.down || x.answersArp !== y.answersArp) pairs.push(y.domain, y.ip);
    }
    for (let i = 0; i < b.endpoints.length; i++) {
      const x = a.endpoints[i];
      const y = b.endpoints[i];
      if (x === y) continue;
      if (x.ip !== y.ip || x.domain !== y.domain) return null;
      if (x.down !== y.down) pairs.push(y.domain, y.ip);
    }
  }
  const entriesA = lbA?.arpEntries ?? [];
  const entriesB = lbB?.arpEntries ?? [];
  if (entriesA !== entriesB) for (const e of [...entriesA, ...entriesB]) pairs.push(e.domain, e.vip);
  if (pairs.length / 2 > ARP_PATCH_MAX) return null;
  const keys = new PairHash(Math.max(pairs.length / 2, 1));
  for (let k = 0; k < pairs.length; k += 2) keys.setIfAbsent(pairs[k], pairs[k + 1] >>> 0, 1);
  return keys;
}

/**
 * Most addresses whose ARP owner may change for the ARP table to be patched from them alone (else
 * every answer is logged and compared). An edge failing at size L changes ~4,200 (its SRs' interfaces).
 */
const ARP_PATCH_MAX = 16384;

/**
 * A set of (domain, address) pairs holding every pair whose ARP owner differs between two ARP
 * tables, from what each was built from (its answers log: triples in a fixed order, interfaces,
 * endpoints, then VIPs), or null when it would exceed ARP_PATCH_MAX. The logs are compared from
 * both ends: an answer outside the differing middle is in both at the same place, so its pair
 * keeps its owner unless the same pair is answered in the middle too — and then it is in the set.
 * (An SE failed: its NICs' few answers, next to each other.)
 */
function changedArpKeys(before: Int32Array, after: Int32Array): PairHash | null {
  const n = Math.min(before.length, after.length);
  let lo = 0;
  while (lo < n && before[lo] === after[lo]) lo++;
  lo -= lo % 3;
  let suffix = 0;
  while (suffix < n - lo && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  suffix -= suffix % 3;
  const keys = (before.length - suffix - lo + after.length - suffix - lo) / 3;
  if (keys > ARP_PATCH_MAX) return null;
  const changed = new PairHash(Math.max(keys, 1));
  for (const log of [before, after]) for (let k = lo; k < log.length - suffix; k += 3) changed.setIfAbsent(log[k], log[k + 1] >>> 0, 1);
  return changed;
}

function sameArpEntries(a: CompiledLoadBalancer | null, b: CompiledLoadBalancer | null): boolean {
  const x = a?.arpEntries ?? [];
  const y = b?.arpEntries ?? [];
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i].domain !== y[i].domain || x[i].vip !== y[i].vip || x[i].endpoint !== y[i].endpoint) return false;
  return true;
}

/** The proxy-ARP inputs of the same model are the same: every Tier-0 SR's table and every Tier-0's NAT rules. */
/** Whether every Tier-0 SR has the same HA state and the same uplinks up in two models of the same shape. */
/** Whether a Tier-0 SR is among the components whose state changed. */
function changesTier0Sr(net: ExpandedNetwork, changed: ReadonlySet<number>): boolean {
  for (const c of changed) if (net.components[c].type === 'T0_SR') return true;
  return false;
}

function sameTier0Srs(a: ExpandedNetwork, b: ExpandedNetwork, s: Scenario | undefined): boolean {
  if (a.components.length !== b.components.length || a.interfaces.length !== b.interfaces.length) return false;
  for (const name of s?.tier0s ? keysOfMap(s.tier0s) : []) {
    const gw = b.gateways.get(name);
    if (!gw || a.gateways.get(name)?.srs.length !== gw.srs.length) return false;
    for (const sr of gw.srs) {
      if (a.components[sr].ha !== b.components[sr].ha) return false;
      for (const i of b.components[sr].interfaces) if (b.interfaces[i].kind === 'uplink' && a.interfaces[i].down !== b.interfaces[i].down) return false;
    }
  }
  return true;
}

function sameProxyInputs(prev: CompiledNetwork, net: ExpandedNetwork, routing: RoutingState, s: Scenario | undefined): boolean {
  const was = prev.scenario;
  if (!s || !was) return s === was;
  for (const [name, t0] of entriesOf(s.tier0s)) {
    if (!sameValue(t0.nat, was.tier0s?.[name]?.nat)) return false;
    // A table that changed only where proxy ARP does not read (its routes on the uplinks' subnets) counts as the same.
    for (const sr of prev.net.gateways.get(name)?.srs ?? []) if (routing.ribs[sr] !== prev.routing.ribs[sr] && !sameProxyRoutes(net, sr, prev.routing.ribs[sr], routing.ribs[sr])) return false;
  }
  return entriesOf(was.tier0s).length === entriesOf(s.tier0s).length;
}

/** A filter of the addresses of changed (domain, address) pairs: slot (ip ^ ip >>> 16) & 0xffff set for each. */
function addressFilter(keys: PairHash): Uint8Array {
  const filter = new Uint8Array(0x10000);
  keys.scan((_, ip) => void (filter[(ip ^ (ip >>> 16)) & 0xffff] = 1));
  return filter;
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameProxyArp(a: ProxyArpTable, b: ProxyArpTable): boolean {
  if (a.entries.length !== b.entries.length) return false;
  for (let i = 0; i < a.entries.length; i++) {
    const x = a.entries[i];
    const y = b.entries[i];
    if (x.domain !== y.domain || x.lo !== y.lo || x.hi !== y.hi || x.iface !== y.iface || x.component !== y.component) return false;
  }
  return true;
}

/** The growable columns of the FIB blocks, starting as a copy of a previous compilation's. */
/**
 * The LPM tables built by one compilation, found again by their prefixes: a block whose entries
 * have the same prefixes as a block built before (same addresses and lengths, in order) takes that
 * block's table with its own base.
 */
class SharedTables {
  private readonly byHash = new Map<number, { addrs: Uint32Array; lens: Uint8Array; table: LpmTable }[]>();

  private static hash(addrs: Uint32Array, lens: Uint8Array): number {
    let h = addrs.length;
    for (let k = 0; k < addrs.length; k++) h = Math.imul(h ^ addrs[k], 0x9e3779b1) ^ lens[k];
    return h;
  }

  find(addrs: Uint32Array, lens: Uint8Array): LpmTable | null {
    for (const x of this.byHash.get(SharedTables.hash(addrs, lens)) ?? []) {
      if (x.addrs.length !== addrs.length) continue;
      let k = 0;
      while (k < addrs.length && x.addrs[k] === addrs[k] && x.lens[k] === lens[k]) k++;
      if (k === addrs.length) return x.table;
    }
    return null;
  }

  /** Keeps `table` (built from these prefixes, base 0) for the blocks to come; returns it. */
  add(addrs: Uint32Array, lens: Uint8Array, table: LpmTable): LpmTable {
    const h = SharedTables.hash(addrs, lens);
    const list = this.byHash.get(h);
    // Views of the columns: valid while this compilation appends after them.
    const x = { addrs, lens, table };
    if (list) list.push(x);
    else this.byHash.set(h, [x]);
    return table;
  }
}

/**
 * What a block's entries hold, by group: the distinct (group as written, key of the entry's
 * selected route in its table's keys, that route's offset) triples of the block of `comp` in
 * `c`, the groups of prefixes with several selected routes (`fixed`) and those prefixes' first
 * route positions (`multi`). It depends only on the entries as written — their group columns and
 * patch, route positions, and their table's layout, not on the group map (a group reads as
 * groups of hops of the same route offset) — so it is kept per block: an edge failing and coming
 * back again and again remaps the ToRs' blocks at the cost of their groups, not of their 150k
 * entries. Found by (base table, entry storage, block range); a block with patched entries is
 * read again each time.
 */
interface BlockKeys {
  readonly offset: number;
  readonly from: number;
  readonly to: number;
  readonly pairs: Int32Array;
  readonly fixed: readonly number[];
  readonly multi: readonly number[];
}

/** Per base table, per buffer of the block's group column (weakly: a reservation it was carved from is not kept alive by this), the blocks read. */
const blockKeysOf = new WeakMap<RibTable, WeakMap<ArrayBufferLike, BlockKeys[]>>();

/** Most blocks kept per table (lineages of edits that wrote its block elsewhere). */
const BLOCK_KEYS_PER_TABLE = 4;

function blockKeys(c: CompiledNetwork, comp: number, base: RibTable, keys: TableKeys): BlockKeys {
  const from = c.blockStart[comp];
  const to = from + c.blockEntries[comp];
  const col = c.entryGroup;
  const p = c.groupPatch;
  let pk = p === null ? 0 : firstTripleAtOrAfter(p, from);
  const patched = p !== null && pk < p.length && p[pk] < to;
  let byBuffer = blockKeysOf.get(base);
  const known = byBuffer?.get(col.buffer);
  if (!patched && known !== undefined) {
    for (const b of known) if (b.offset === col.byteOffset && b.from === from && b.to === to) return b;
  }
  const { keyAt, multi } = keys;
  const entryRoute = c.entryRoute;
  const nhRoute = c.nhRoute;
  // In typed reads per entry: per key, the first group met with it; other groups of a key (rare) in `more`.
  const firstGroup = new Int32Array(keys.hops.length + 1).fill(-1);
  const pairs: number[] = [];
  const more = new Set<number>();
  const fixed = new Set<number>();
  const multiAt: number[] = [];
  let lastGroup = -1;
  let lastKey = -1;
  for (let e = from; e < to; e++) {
    let g: number;
    let n: number;
    if (patched && pk < p!.length && p![pk] === e) {
      g = p![pk + 1];
      n = p![pk + 2];
      pk += 3;
    } else {
      g = col[2 * e];
      n = col[2 * e + 1];
    }
    if (n === 0) continue;
    const p0 = entryRoute[e];
    if (multi[p0] !== 0) {
      fixed.add(g);
      multiAt.push(p0);
      lastGroup = -1;
      continue;
    }
    // One selected route: the one the group's hops came from (its first hop's offset).
    const offset = nhRoute[g];
    const k = keyAt[p0 + offset];
    if (k === lastKey && g === lastGroup) continue;
    lastKey = k;
    lastGroup = g;
    if (firstGroup[k] === g) continue;
    if (firstGroup[k] < 0) firstGroup[k] = g;
    else if (more.has(g * 4097 + k)) continue;
    else more.add(g * 4097 + k);
    pairs.push(g, k, offset);
  }
  const out: BlockKeys = { offset: col.byteOffset, from, to, pairs: Int32Array.from(pairs), fixed: [...fixed], multi: multiAt };
  if (!patched) {
    const list = known ?? [];
    if (list.length >= BLOCK_KEYS_PER_TABLE) list.shift();
    list.push(out);
    if (byBuffer === undefined) blockKeysOf.set(base, (byBuffer = new WeakMap()));
    if (known === undefined) byBuffer.set(col.buffer, list);
  }
  return out;
}

/** Tables whose previous block held fewer entries than this are compiled whole (patching pays off on big tables). */
const PATCH_MIN_ENTRIES = 512;

/**
 * Writes one component's block of FIB entries at a time: from its whole table (`table`), or by
 * patching the block of its previous table (`patch`). Entries of a block with the same next hops
 * share one group.
 */
class BlockWriter {
  private comp = -1;
  private readonly hops = new HopList();
  private readonly pick: Int32Array;
  /** A group's hash → the first next hop of a group with that hash (in this block). */
  private readonly groups = new Map<number, number>();
  /** A one-route entry's next-hop list → the group it compiled to (and the route's offset), in this block. */
  private readonly memo = new Map<RibRoute['nextHops'], { offset: number; start: number; count: number }>();
  // The previous entry when it was one selected route: its next-hop list, offset and group.
  private lastHops: RibRoute['nextHops'] | null = null;
  private lastOffset = -1;
  private lastStart = -1;
  private lastCount = 0;

  constructor(
    private readonly out: FibColumns,
    private readonly net: ExpandedNetwork,
    private readonly external: Uint8Array,
    private readonly maxEcmp: number,
  ) {
    this.pick = new Int32Array(Math.max(1, maxEcmp));
  }

  begin(comp: number): void {
    this.comp = comp;
    this.groups.clear();
    this.memo.clear();
    this.lastHops = null;
    this.lastOffset = -1;
    this.lastStart = -1;
    this.lastCount = 0;
  }

  /** Every prefix of a table (sorted by prefix), run by run. */
  table(rib: RibTable): void {
    let i = 0;
    while (i < rib.length) {
      const j = runEnd(rib, rib.shapeAt(i).prefix, i + 1);
      this.run(rib, i, j);
      i = j;
    }
  }

  /**
   * The block of table `next` from the previous block of `before` (its table in the previous
   * compilation): where the two tables hold the very same route objects (routes of a final table
   * never change), the prefix's entry is copied — its group is still in the next-hop columns, its
   * route position moved by the routes added or removed before it — and only the prefixes whose
   * routes differ are compiled. Comparing references reads no route, so a 150k-route table with
   * a few prefixes changed costs a pass over two arrays of pointers.
   */
  patch(prev: CompiledNetwork, before: RibTable, next: RibTable): void {
    const route = prev.entryRoute;
    let e = prev.blockStart[this.comp];
    const eEnd = e + prev.blockEntries[this.comp];
    alignTables(
      before,
      next,
      (_, i2, shift) => {
        const from = e;
        e = entryAtOrAfter(route, e, eEnd, i2);
        this.copy(prev, from, e, shift);
      },
      (_, i2, j, j2) => {
        e = entryAtOrAfter(route, e, eEnd, i2);
        if (j2 > j) this.run(next, j, j2);
      },
    );
  }

  /** Entries [from, to) of the previous compilation, for the same routes `shift` positions further in the table (its group patch applied). */
  copy(prev: CompiledNetwork, from: number, to: number, shift: number): void {
    if (from === to) return;
    const out = this.out;
    const at = out.entryRoute.length;
    out.entryAddr.append(prev.entryAddr, from, to);
    out.entryLen.append(prev.entryLen, from, to);
    out.entryGroup.append(prev.entryGroup, 2 * from, 2 * to);
    out.entryRoute.append(prev.entryRoute, from, to, shift);
    const p = prev.groupPatch;
    if (p !== null) {
      for (let k = firstTripleAtOrAfter(p, from); k < p.length && p[k] < to; k += 3) {
        out.entryGroup.set(2 * (at + p[k] - from), p[k + 1]);
        out.entryGroup.set(2 * (at + p[k] - from) + 1, p[k + 2]);
      }
    }
  }

  /** First next hop and size of the group `group` found (valid after it returned true). */
  groupStart = -1;
  groupCount = 0;

  /**
   * The block of a table made of another's (RibTable.sharing: a Tier-0 SR's of its DR's, a ToR's
   * of another ToR's) whose base table's block this compilation wrote (entries [from, to) of the
   * columns): a prefix whose routes are one shared route, alone for its prefix in the base and
   * with an entry there, takes that entry's prefix and the group of this table's next-hop list
   * for it, found once per (base group, base list) — the list is the copier's function of the
   * base route's. Every other prefix (own routes, several routes, no base entry) is compiled as
   * table() compiles it: the same entries as table(), without a map look-up per entry (an SR's
   * 140k prefixes hold 4,000 lists in no order).
   */
  shared(rib: RibTable, layer: SharedLayer, from: number, to: number): void {
    const out = this.out;
    const base = layer.base;
    const copier = layer.copier;
    const positions = RibTable.positions(layer);
    const { alone, listId, lists } = tableLists(base);
    // Per list id of the base: this table's group for it (start, size; -1: not met yet, -2: none usable).
    const groups = new Int32Array(2 * lists.length).fill(-1);
    const n = rib.length;
    let e = from;
    let i = 0;
    while (i < n) {
      const p = positions[i];
      // A shared route alone for its prefix in the base, and so here: no own route is for a
      // shared route's prefix (SharedLayer); the next position's prefix is checked when own.
      if (p >= 0 && alone[p] === 1 && (i + 1 === n || positions[i + 1] >= 0 || !samePrefix(rib.shapeAt(i + 1).prefix, base.at(p).prefix))) {
        while (e < to && out.entryRoute.at(e) < p) e++;
        if (e < to && out.entryRoute.at(e) === p) {
          const id = listId[p];
          if (groups[2 * id] === -1) {
            groups[2 * id] = this.groupOfList(copier.hopsOf(base.at(p)), 0) ? this.lastStart : -2;
            groups[2 * id + 1] = this.lastCount;
          }
          if (groups[2 * id] >= 0) this.entry(out.entryAddr.at(e), out.entryLen.at(e), i, groups[2 * id], groups[2 * id + 1]);
          i++;
          continue;
        }
      }
      const j = runEnd(rib, rib.shapeAt(i).prefix, i + 1);
      this.run(rib, i, j);
      i = j;
    }
  }

  /**
   * The group of the routes rib[first, end) of one prefix that selects a route, written to the
   * next-hop columns unless this block has it already, in groupStart and groupCount; false when
   * it has no usable next hop (no entry).
   */
  group(rib: RibTable, first: number, end: number): boolean {
    if (!this.groupOf(rib, first, end)) return false;
    this.groupStart = this.lastStart;
    this.groupCount = this.lastCount;
    return true;
  }

  /** The routes rib[first, end) of one prefix: its entry, when one is selected and usable. */
  private run(rib: RibTable, first: number, end: number): void {
    if (!this.groupOf(rib, first, end)) return;
    const { addr, len } = rib.shapeAt(first).prefix;
    this.entry(addr, len, first, this.lastStart, this.lastCount);
  }

  /** The group of one prefix's routes rib[first, end) (lastStart, lastCount), written unless known; false when none is selected and usable. */
  private groupOf(rib: RibTable, first: number, end: number): boolean {
    let selected = 0;
    let only = -1;
    for (let j = first; j < end; j++) {
      if (rib.shapeAt(j).selected) {
        selected++;
        only = j;
      }
    }
    if (!selected) return false;
    // (Read once: a Tier-0 SR's table made of its DR's finds its list through a map.)
    const onlyHops = selected === 1 ? rib.hopsAt(only) : null;
    // One selected route with the very next-hop list (and offset) of the previous entry's one
    // route (BGP routes of one decision, a Tier-1's prefixes): the same group.
    if (onlyHops !== null && onlyHops === this.lastHops && only - first === this.lastOffset) {
      return true;
    }
    // One selected route whose next-hop list (at the same offset) an earlier entry of this block
    // compiled: its group (a Tier-0's prefixes of one Tier-1 are not contiguous).
    if (onlyHops !== null) {
      const known = this.memo.get(onlyHops);
      if (known !== undefined && known.offset === only - first) {
        this.lastHops = onlyHops;
        this.lastOffset = known.offset;
        this.lastStart = known.start;
        this.lastCount = known.count;
        return true;
      }
    }
    const hops = this.hops;
    hops.clear();
    for (let k = first; k < end; k++) {
      if (rib.shapeAt(k).selected) hops.addHops(rib.hopsAt(k), k - first, this.net);
    }
    this.lastOffset = only - first;
    return this.written(onlyHops);
  }

  /** The group of one prefix whose one selected route, `offset` routes after its first, holds `list` (lastStart, lastCount); false when none is usable. */
  private groupOfList(list: RibRoute['nextHops'], offset: number): boolean {
    const known = this.memo.get(list);
    if (known !== undefined && known.offset === offset) {
      this.lastHops = list;
      this.lastOffset = offset;
      this.lastStart = known.start;
      this.lastCount = known.count;
      return true;
    }
    this.hops.clear();
    this.hops.addHops(list, offset, this.net);
    this.lastOffset = offset;
    return this.written(list);
  }

  /**
   * The group of the hops collected (lastStart, lastCount): this block's equal group, else
   * written to the next-hop columns; remembered for `lastHops` (the one selected route's list,
   * at lastOffset) when there is one. False when no hop is usable.
   */
  private written(lastHops: RibRoute['nextHops'] | null): boolean {
    const out = this.out;
    const hops = this.hops;
    this.lastHops = lastHops;
    if (!hops.n) {
      this.lastHops = null;
      return false;
    }
    // Sorted, de-duplicated (same kind, address and interface), at most maxEcmp.
    const order = hops.sorted();
    const pick = this.pick;
    let used = 0;
    let hash = 0;
    for (let k = 0; k < order.length && used < this.maxEcmp; k++) {
      const h = order[k];
      if (k > 0 && hops.sameAs(h, order[k - 1])) continue;
      pick[used++] = h;
      hash = Math.imul(hash ^ hops.kind[h], 0x9e3779b1) ^ hops.ip[h];
      hash = Math.imul(hash ^ hops.iface[h], 0x85ebca6b) ^ hops.route[h];
    }
    this.lastCount = used;
    // The same group already in this block: share it.
    const seen = this.groups.get(hash);
    if (seen !== undefined && out.sameGroup(seen, used, hops, pick)) {
      this.lastStart = seen;
      if (lastHops !== null) this.memo.set(lastHops, { offset: this.lastOffset, start: seen, count: used });
      return true;
    }
    const start = (this.lastStart = out.nh.kind.length);
    if (lastHops !== null) this.memo.set(lastHops, { offset: this.lastOffset, start, count: used });
    if (seen === undefined) this.groups.set(hash, start);
    const external = this.external;
    const nh = out.nh;
    for (let k = 0; k < used; k++) {
      const h = pick[k];
      nh.kind.push(hops.kind[h]);
      nh.ip.push(hops.ip[h] | 0);
      nh.domain.push(hops.domain[h]);
      nh.iface.push(hops.iface[h]);
      nh.ext.push(hops.iface[h] >= 0 ? external[hops.iface[h]] : 0);
      nh.route.push(hops.route[h]);
      nh.component.push(this.comp);
    }
    return true;
  }

  /**
   * The block of `next`, a table of `before`'s layout (ribs/install sameLayout: the same routes at
   * the same positions, some holding other next hops), from `before`'s block (as written: no
   * edits): its entries copied, and each entry whose selected route holds another next-hop list
   * in `next` given that list's group. Next hops are read through hopsAt, so a remapped table's
   * routes are never made: 150k entries cost a pass over the block and the base table. False when
   * a prefix with several selected routes changed (the caller drops what was appended and
   * compiles the table whole).
   */
  remapped(prev: CompiledNetwork, before: RibTable, next: RibTable): boolean {
    const out = this.out;
    // Both tables read as their common base's routes through their remaps (none: the base itself).
    const base = next.remapLayer()?.base ?? next;
    const was = before.remapLayer()?.remap ?? null;
    const now = next.remapLayer()?.remap ?? null;
    const keys = tableKeys(base);
    // Per key of the base table: the next-hop list its routes hold in `next`, or null when the same as in `before`.
    const wasHops = keys !== null ? keyHops(before, keys) : [];
    const moved = keys !== null ? keyHops(next, keys).map((hops, k) => (hops === wasHops[k] ? null : hops)) : [];
    const from = prev.blockStart[this.comp];
    const to = from + prev.blockEntries[this.comp];
    const start = out.entryRoute.length;
    this.copy(prev, from, to, 0);
    const entryRoute = prev.entryRoute;
    const nhRoute = prev.nhRoute;
    // The group given last (entries of one decision follow each other).
    let lastList: RibRoute['nextHops'] | null = null;
    let lastOffset = -1;
    let lastStart = 0;
    let lastCount = 0;
    for (let e = from; e < to; e++) {
      const at = start + e - from;
      const p0 = entryRoute[e];
      let list: RibRoute['nextHops'] | null = null;
      let offset = -1;
      if (keys !== null && keys.multi[p0] === 0) {
        // One selected route: the one the group's hops came from (its first hop's offset).
        offset = nhRoute[out.entryGroup.at(2 * at)];
        const k = keys.keyAt[p0 + offset];
        if (k === 0 || (list = moved[k - 1]) === null) continue;
      } else {
        // Several selected routes (or no keys): the prefix's routes read.
        let changedAt = -1;
        let selected = 0;
        for (let j = p0, end = runEnd(base, base.shapeAt(p0).prefix, p0 + 1); j < end; j++) {
          if (!base.shapeAt(j).selected) continue;
          selected++;
          if (hopsUnder(base, j, was) !== hopsUnder(base, j, now)) changedAt = j;
        }
        if (changedAt < 0) continue;
        if (selected !== 1) return false;
        list = hopsUnder(base, changedAt, now);
        offset = changedAt - p0;
      }
      if (list !== lastList || offset !== lastOffset) {
        if (!this.groupOfList(list, offset)) return false;
        lastList = list;
        lastOffset = offset;
        lastStart = this.lastStart;
        lastCount = this.lastCount;
      }
      out.entryGroup.set(2 * at, lastStart);
      out.entryGroup.set(2 * at + 1, lastCount);
    }
    return true;
  }

  /**
   * The block of `next`, a table of `before`'s layout, as `before`'s block where it is (as
   * written: no edits), its groups given the groups they read as now in `remaps` — (group, start,
   * size) triples for the group map: each group of the block whose entries' selected route holds
   * another next-hop list in `next` (the same list for all of them) reads as that list's group.
   * A pass over the block's typed columns and the table's keys; no entry written, no route read
   * unless a prefix selects several routes. False when a group's entries would read as different
   * groups, or a prefix with several selected routes changed (the caller writes the block again).
   */
  remappedInPlace(prev: CompiledNetwork, before: RibTable, next: RibTable, remaps: number[]): boolean {
    const base = next.remapLayer()?.base ?? next;
    const keys = tableKeys(base);
    if (keys === null) return false;
    const was = before.remapLayer()?.remap ?? null;
    const now = next.remapLayer()?.remap ?? null;
    const wasHops = keyHops(before, keys);
    const nowHops = keyHops(next, keys);
    const block = blockKeys(prev, this.comp, base, keys);
    // A prefix with several selected routes whose routes changed: not a remap of its group.
    for (const p0 of block.multi) {
      for (let j = p0, end = runEnd(base, base.shapeAt(p0).prefix, p0 + 1); j < end; j++) {
        if (base.shapeAt(j).selected && hopsUnder(base, j, was) !== hopsUnder(base, j, now)) return false;
      }
    }
    // Each group reads as its key's list's group now (-1: as before), the same for all its keys.
    const target = new Map<number, number>();
    for (const g of block.fixed) target.set(g, -1);
    const sizes = new Map<number, number>();
    const pairs = block.pairs;
    for (let q = 0; q < pairs.length; q += 3) {
      const g = pairs[q];
      const k = pairs[q + 1];
      let t = -1;
      if (k !== 0 && nowHops[k - 1] !== wasHops[k - 1]) {
        if (!this.groupOfList(nowHops[k - 1], pairs[q + 2])) return false;
        t = this.lastStart;
        sizes.set(t, this.lastCount);
      }
      const had = target.get(g);
      if (had === undefined) target.set(g, t);
      else if (had !== t) return false;
    }
    for (const [g, t] of target) if (t >= 0) remaps.push(g, t, sizes.get(t)!);
    return true;
  }

  /** Drops the entries appended from `start` on (a block given up). */
  dropFrom(start: number): void {
    const out = this.out;
    out.entryRoute.length = start;
    out.entryAddr.length = start;
    out.entryLen.length = start;
    out.entryGroup.length = 2 * start;
  }

  /** An entry outside any block (a prefix inserted beside a kept block), appended after what was written. */
  insert(addr: number, len: number, route: number, groupStart: number, groupCount: number): void {
    this.entry(addr, len, route, groupStart, groupCount);
  }

  private entry(addr: number, len: number, route: number, groupStart: number, groupCount: number): void {
    const out = this.out;
    out.entryAddr.push(addr | 0);
    out.entryLen.push(len);
    out.entryRoute.push(route);
    out.entryGroup.push(groupStart);
    out.entryGroup.push(groupCount);
  }
}

/** The index of the first (entry, start, size) triple of a group patch whose entry is `entry` or more. */
function firstTripleAtOrAfter(p: Int32Array, entry: number): number {
  return 3 * lowerBound(p, 3, entry);
}

/**
 * The first entry of [from, to) whose route position is `position` or more (a block's entries are
 * in route order): a few steps forward, then a binary search (an unchanged stretch of a big
 * table is passed over without reading each of its entries).
 */
function entryAtOrAfter(route: Int32Array, from: number, to: number, position: number): number {
  let lo = from;
  for (let k = 0; k < 8; k++, lo++) if (lo >= to || route[lo] >= position) return lo;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (route[mid] < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Leaves the previous arrays of parallel columns of `width` values per row (the group pairs: two)
 * together: all append in place from the same row when all can, else all are copied. Returns the
 * rows another compilation wrote between their end and that row (garbage here).
 */
function together(cols: readonly Column<Uint8Array | Int32Array | Uint32Array>[], width: readonly number[] = cols.map(() => 1)): number {
  const have = cols[0].length / width[0];
  let at = cols[0].appendEnd() / width[0];
  cols.forEach((c, k) => {
    if (c.length !== have * width[k] || c.appendEnd() !== at * width[k]) at = -1;
  });
  cols.forEach((c, k) => c.claim(at < 0 ? -1 : at * width[k]));
  return at < 0 ? 0 : at - have;
}

class FibColumns {
  /** Two values per entry (see CompiledNetwork.entryGroup). */
  readonly entryGroup: Column<Int32Array>;
  readonly entryRoute: Column<Int32Array>;
  readonly entryAddr: Column<Uint32Array>;
  readonly entryLen: Column<Uint8Array>;
  readonly nh: {
    kind: Column<Uint8Array>;
    ip: Column<Uint32Array>;
    domain: Column<Int32Array>;
    iface: Column<Int32Array>;
    ext: Column<Uint8Array>;
    route: Column<Int32Array>;
    component: Column<Int32Array>;
  };
  /** Columns continuing `prev`'s (its entry columns too unless `freshEntries`: a compaction), with room for `entries` more entries. */
  constructor(prev: CompiledNetwork | null, entries: number, freshEntries = false) {
    // Typed columns: next hops number in the millions at scale, and typed storage is not GC-scanned.
    const from = freshEntries ? null : prev;
    this.entryGroup = Column.of(int32Array, from?.entryGroup, 2 * entries);
    this.entryRoute = Column.of(int32Array, from?.entryRoute, entries);
    this.entryAddr = Column.of(uint32Array, from?.entryAddr, entries);
    this.entryLen = Column.of(uint8Array, from?.entryLen, entries);
    this.nh = {
      kind: Column.of(uint8Array, prev?.nhKind),
      ip: Column.of(uint32Array, prev?.nhIp),
      domain: Column.of(int32Array, prev?.nhDomain),
      iface: Column.of(int32Array, prev?.nhInterface),
      ext: Column.of(uint8Array, prev?.nhExternal),
      route: Column.of(int32Array, prev?.nhRoute),
      component: Column.of(int32Array, prev?.nhComponent),
    };
  }

  /**
   * Leaves the previous compilation's arrays before anything is pushed, each set of parallel
   * columns together (its entry columns, its next-hop columns) so that they stay in step: they
   * append in place from the same position when all can, else all are copied. Returns how many
   * entries another compilation wrote between the previous arrays' end and this one's first
   * (unreachable here: garbage).
   */
  claim(): number {
    this.claimNextHops();
    return together([this.entryRoute, this.entryGroup, this.entryAddr, this.entryLen], [1, 2, 1, 1]);
  }

  /** claim() for the next-hop columns alone (a compilation that writes no entry: groups of blocks kept in place). */
  claimNextHops(): void {
    const nh = this.nh;
    together([nh.kind, nh.ip, nh.domain, nh.iface, nh.ext, nh.route, nh.component]);
  }

  /** Whether the `used` next hops at `start` are the picked hops (kind, address, interface, route offset). */
  sameGroup(start: number, used: number, hops: HopList, pick: Int32Array): boolean {
    if (start + used > this.nh.kind.length) return false;
    const { kind, ip, iface, route } = this.nh;
    for (let k = 0; k < used; k++) {
      const h = pick[k];
      const at = start + k;
      if (kind.at(at) !== hops.kind[h] || ip.at(at) !== hops.ip[h] >>> 0 || iface.at(at) !== hops.iface[h] || route.at(at) !== hops.route[h]) return false;
    }
    return true;
  }
}

/**
 * A column's storage: a typed array of its whole capacity (its own buffer, or a region carved from
 * a build's arena: typed-arena.ts), the identity every map below keys on. A compilation's columns
 * are exact-length views of a storage's first values (`storageOf` finds it back).
 */
type Storage = Uint8Array | Int32Array | Uint32Array;
const storageOf = new WeakMap<Storage, Storage>();

/**
 * Per storage: how far values have been written into it. An incremental compilation continuing a
 * view appends in place after that high-water mark (the previous compilation never reads past its
 * own length; what other compilations wrote in between is garbage to it) while it has room.
 */
const written = new WeakMap<Storage, number>();

/**
 * Per storage a column moved out of (copied when it had no room, or grown): the storage its values
 * went to, at the same positions, and up to where they are the same. A later compilation
 * continuing a view of the old storage no longer than that continues in the new one, so that
 * edits branching from one twin (a what-if panel toggling one thing after another) or following
 * each other copy a column once per storage, not once per edit: each copy is an allocation
 * outside the JavaScript heap, and enough of those (64 MiB) make V8 mark the whole heap. Only
 * storages of fresh columns (a full compilation's, a compaction's) are forwarded, each to the
 * latest copy made from it: a long-lived twin (the first of a session) keeps one more storage
 * alive, never a chain of copies made from copies.
 */
const forwarded = new WeakMap<Storage, { readonly storage: Storage; readonly upTo: number }>();

/** Storages of fresh columns: the ones forwarded. */
const roots = new WeakSet<Storage>();

function forward(from: Storage, to: Storage, upTo: number): void {
  if (roots.has(from)) forwarded.set(from, { storage: to, upTo });
}

/** How much garbage (values between a continued view's end and the append point) a storage may hold ahead of a continuation, relative to the view's length, before the view is copied on its own instead. */
const MAX_GARBAGE_RATIO = 2;

/** A column copied for want of room gets room for this many compilations like the one copying it. */
const COPY_ROOM = 4;

/**
 * A growable typed array (its capacity doubles): push, then `done` for the exact-length view.
 * A column continuing a previous compilation's array reads it until its first push, which then
 * appends in place in the storage holding its values (`forwarded`) when that has room for what
 * the compilation expects to write and not too much garbage ahead, else copies it with room for
 * a few more such compilations (an update that appends nothing copies nothing). V8 marks the
 * whole heap after every 64 MiB of new array buffers, so a big update (a Tier-0 prefix changing
 * 17 tables of 150k entries at L) should find room rather than allocate it; room never written
 * costs address space only. A fresh column keeps an eighth of room (a build allocates enough).
 */
class Column<A extends Uint8Array | Int32Array | Uint32Array> {
  /** The storage written (its whole capacity). */
  private data: A;
  /** The previous compilation's array this column continues, until the first push. */
  private initial: A | null = null;
  /** Once claimed: the storage of the array it continued, and that array's length (what a later move forwards it by). */
  private origin: A | null = null;
  private originLength = 0;
  /** A column of a compilation from scratch (or a compaction): its storages are roots. */
  private fresh = false;
  private more = 0;
  length = 0;

  constructor(
    private readonly make: (n: number) => A,
    capacity = 1024,
  ) {
    this.data = make(capacity);
  }

  /** A column continuing `initial` (read as it is until something is pushed), with room for `more` values, or an empty one. */
  static of<A extends Uint8Array | Int32Array | Uint32Array>(make: (n: number) => A, initial?: A, more = 0): Column<A> {
    // An eighth more than asked: room for later compilations to append small blocks in place.
    if (!initial || !initial.length) {
      const col = new Column(make, Math.max(1024, more + (more >>> 3)));
      col.fresh = true;
      roots.add(col.data);
      return col;
    }
    const col = new Column(make, 0);
    col.initial = initial;
    col.data = initial;
    col.length = initial.length;
    col.more = more;
    return col;
  }

  /** The storage holding the continued array's values where appending happens: its own, or the one it was forwarded to. */
  private liveStorage(): A | null {
    const initial = this.initial;
    const storage = initial === null ? undefined : (storageOf.get(initial) as A | undefined);
    if (storage === undefined) return null;
    const f = forwarded.get(storage);
    return f !== undefined && this.length <= f.upTo ? (f.storage as A) : storage;
  }

  /**
   * Where this column can append in the storage holding the array it continues: after everything
   * written there (by the compilation it continues, or by others continuing the same values),
   * when there is room, nobody is appending and the garbage in between is bounded; -1 when it
   * cannot (or continues nothing).
   */
  appendEnd(): number {
    const storage = this.liveStorage();
    if (storage === null) return -1;
    const end = written.get(storage);
    const capacity = storage.length;
    return end !== undefined && end >= this.length && capacity > end && capacity - end >= this.more && end - this.length <= MAX_GARBAGE_RATIO * this.length ? end : -1;
  }

  /**
   * Leaves the previous array before the first push: appends in its live storage from `at` (the
   * values between its end and `at` belong to another compilation and are unreachable here), or
   * with `at` -1 copies it with room for COPY_ROOM compilations like this one (forwarding its storage).
   */
  claim(at: number): void {
    const initial = this.initial;
    if (initial === null) return;
    const storage = this.liveStorage();
    this.initial = null;
    this.origin = (storageOf.get(initial) as A | undefined) ?? null;
    this.originLength = this.length;
    if (storage !== null && at >= this.length && at < storage.length && written.get(storage) === at) {
      written.set(storage, -1); // claimed until done(): nobody else appends here meanwhile
      this.data = storage;
      this.length = at;
      return;
    }
    const have = this.length;
    const copy = this.storage(have + Math.max(1024, COPY_ROOM * this.more, have >>> 3));
    copy.set(initial);
    this.data = copy;
    if (this.origin !== null) forward(this.origin, copy, have);
  }


  push(v: number): void {
    if (this.initial !== null) this.claim(this.appendEnd());
    if (this.length === this.data.length) this.grow(this.length * 2);
    this.data[this.length++] = v;
  }

  /**
   * Moves the values to a storage of `capacity`. A fresh column's new storage is a root (nothing
   * viewed the old one yet); a continuing column forwards the storage it started from (its values
   * are the same up to here when it appended there in place, else up to the continued length).
   */
  private grow(capacity: number): void {
    const old = this.data;
    const grown = this.storage(capacity);
    grown.set(old.subarray(0, this.length));
    this.data = grown;
    if (this.fresh) roots.add(grown);
    else if (this.origin !== null) forward(this.origin, grown, this.origin === old ? this.length : this.originLength);
  }

  /**
   * A new storage of `n` values. One a build's storage forwards to stays as long as that storage
   * (the twin's life), so it is not carved from an update's reservation (typed-arena.ts): it
   * would keep all of it.
   */
  private storage(n: number): A {
    return !this.fresh && this.origin !== null && roots.has(this.origin) ? withArena(null, () => this.make(n)) : this.make(n);
  }

  /** Appends src[from, to), each plus `add`. */
  append(src: A, from: number, to: number, add = 0): void {
    if (this.initial !== null) this.claim(this.appendEnd());
    const n = to - from;
    if (this.length + n > this.data.length) this.grow(Math.max(this.length * 2, this.length + n));
    const data = this.data;
    const at = this.length;
    data.set(src.subarray(from, to), at);
    if (add !== 0) for (let k = at; k < at + n; k++) data[k] += add;
    this.length += n;
  }

  /** The pushed values as an exact-length view of the storage (its spare room kept for the next update's appends). */
  done(): A {
    if (this.initial !== null) return this.initial;
    written.set(this.data, this.length);
    const view = this.data.subarray(0, this.length) as A;
    storageOf.set(view, this.data);
    return view;
  }

  /** Overwrites the value at `i`, one this column appended itself (never one it continues). */
  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** The value at `i` (< length). */
  at(i: number): number {
    return this.data[i];
  }

  /** Values [from, to) without a copy (valid until the next push). */
  range(from: number, to: number): A {
    return this.data.subarray(from, to) as A;
  }
}

/**
 * The next hops of one prefix's selected routes, as parallel arrays reused from prefix to prefix
 * (RIBs hold millions of routes: no object per hop).
 */
class HopList {
  readonly kind: number[] = [];
  /** Next-hop addresses as signed 32-bit integers (small integers in V8: no boxed number per hop); unsigned when compared. */
  readonly ip: number[] = [];
  readonly domain: number[] = [];
  readonly iface: number[] = [];
  readonly route: number[] = [];
  n = 0;
  private readonly order: number[] = [];

  clear(): void {
    this.n = 0;
  }

  private push(kind: number, ip: number, domain: number, iface: number, route: number): void {
    const k = this.n++;
    this.kind[k] = kind;
    this.ip[k] = ip;
    this.domain[k] = domain;
    this.iface[k] = iface;
    this.route[k] = route;
  }

  /** The next hops `list` of a route, recorded with `index` (its offset from its prefix's first route). */
  addHops(list: RibRoute['nextHops'], index: number, net: ExpandedNetwork): void {
    for (let k = 0; k < list.length; k++) {
      const h = list[k];
      if (h.blackhole) this.push(NH_BLACKHOLE, 0, -1, -1, index);
      else if (h.ip === null) {
        const itf = net.interfaces[h.interface!];
        this.push(NH_CONNECTED, 0, itf.domain, itf.id, index);
      } else if (h.via) {
        for (const v of h.via) this.push(NH_FORWARD, v.ip | 0, net.interfaces[v.interface].domain, v.interface, index);
      } else if (h.interface !== null) {
        this.push(NH_FORWARD, h.ip | 0, net.interfaces[h.interface].domain, h.interface, index);
      }
    }
  }

  /** The hops' indexes sorted by kind, address, interface and route (the ECMP group's order). */
  sorted(): readonly number[] {
    const order = this.order;
    order.length = this.n;
    for (let k = 0; k < this.n; k++) order[k] = k;
    if (this.n > 1) {
      const { kind, ip, iface, route } = this;
      order.sort((a, b) => kind[a] - kind[b] || (ip[a] >>> 0) - (ip[b] >>> 0) || iface[a] - iface[b] || route[a] - route[b]);
    }
    return order;
  }

  /** Same next hop (kind, address, interface): one member of the ECMP group. */
  sameAs(a: number, b: number): boolean {
    return this.kind[a] === this.kind[b] && this.ip[a] === this.ip[b] && this.iface[a] === this.iface[b];
  }
}
