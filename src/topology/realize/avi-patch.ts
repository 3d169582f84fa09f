// The Avi runtime of an edited scenario, patched from the previous one instead of realized again
// (avi-controller.ts realizes it whole): after an edit of virtual services or pools, or of the
// failure of SEs, hosts, workloads or physical hosts, only the SE groups whose placement can change
// are placed again and only the virtual services whose services or pools changed are computed
// again, with what the whole run kept beside its runtime (replayOf). realize/index.ts decides
// when an edit is one of these; test/topology/avi-patch.test.ts holds patches to whole runs.
import { parseIp } from '../ip.js';
import { changedNames, keysOfMap, ownEntry, sameStrings, type AviSpec } from '../scenario.js';
import { ReplacedMap } from './replaced-map.js';
import { dnsServices, keepReplay, NO_POOL_UP, poolUp, replayOf, runtimePool, vsReader, type AviPool, type AviRuntime, type AviVirtualService, type AllocationRange, type PlaceState, type Replay, type VsInputs } from './avi-controller.js';

function listIn<K, V>(m: Map<K, V[]>, key: K, value: V): void {
  const l = m.get(key);
  if (l === undefined) m.set(key, [value]);
  else if (!l.includes(value)) l.push(value);
}

/** Adds what a runtime record uses to the pool users. */
function addUses(users: Map<string, number[]>, k: number, r: AviVirtualService): void {
  for (const s of r.services) if (s.pool !== null) listIn(users, s.pool, k);
  for (const h of r.httpRoutes) listIn(users, h.pool, k);
}

/** Adds a pool's member addresses to the pools by address. */
function addMembers(pools: Map<number, string[]>, pool: AviPool): void {
  for (const m of pool.members) listIn(pools, m.ip, pool.name);
}

/** Failures an edit changed, for patchAvi: SEs, hosts, workloads or physical hosts failed or recovered, nothing else realization reads. */
export interface FailureChange {
  /** The user's failed names after the edit. */
  readonly failed: ReadonlySet<string>;
  /** SEs whose failure changed. */
  readonly ses: readonly string[];
  /** Hosts whose failure changed. */
  readonly hosts: ReadonlySet<string>;
  /**
   * Addresses that may have gone down or up: of the workloads failed or recovered by name, of the
   * workloads on the hosts (the user's and the created ones; host: where it runs) and of the
   * physical hosts (host: null) failed or recovered.
   */
  readonly addresses: readonly { readonly name: string; readonly ip: number; readonly host: string | null }[];
  /** When an NCP node failed or recovered: the names NCP now marks failed (the pods of failed nodes, in realization order). */
  readonly ncpFailed?: readonly string[];
}

/**
 * The runtime of an edited Avi section that differs from the one `prev` was realized from only in
 * virtual services and pools — the same names in the same order, every other part the same object
 * (realize/index.ts checks that, and that nothing else realization reads changed) — and in the
 * placement settings of the SE groups `groupsEdited` (HA mode, scale-out, most virtual services
 * per SE, algorithm: those groups are placed again), and in which SEs, hosts, workloads or
 * physical hosts failed or recovered (`failures`), or null when the edit needs a whole realization.
 * Exact, because:
 *   - VIPs are allocated in order before, and whatever, placement: an edited virtual service with
 *     the same SE group, Tier-1 and VIP spec keeps its VIP, and every other one its own;
 *   - the SE NICs follow from the groups' Tier-1s, which such an edit keeps (a failed SE keeps its
 *     NICs: they go down with it, as do pool members on their addresses or on a failed host);
 *   - placing a virtual service reads only whether it is enabled, and its own group's SEs and
 *     their load: a group with no SE failed or recovered and no virtual service enabled or
 *     disabled places as before, and a virtual service of it is only computed again on the same
 *     SEs (its services, pools and state) when it was edited or uses a pool that changed (edited,
 *     or with a member that went down or up so that whether any member is up changed: placement
 *     reads of a pool only that it exists and that).
 * The groups touched are placed again in order from no load; a record equal to the previous one is
 * the previous object (later stages compare records by identity). User virtual services appended
 * come before AKO's records, which move up as many places (every place from the first appended on
 * is then a changed one, and the pool lookups by index start again for the runtime made). Returns the runtime and the
 * created failed names (NCP's, then the NICs of failed SEs in SE order). Any problem (a missing
 * pool, an FQDN registered twice, a member that is not an address): null, and the whole
 * realization reports it.
 */
export function patchAvi(prev: AviRuntime, avi: AviSpec, createdFailed: readonly string[], failures: FailureChange | null = null, groupsEdited: readonly string[] = []): { avi: AviRuntime; failed: readonly string[] } | null {
  const replay = replayOf(prev);
  if (!replay) return null;
  const was = replay.inputs;
  const user = avi.virtualServices;
  /** SE groups placed again, and virtual services computed again on their SEs (by index). */
  const touched = new Set<string>(groupsEdited);
  const refresh = new Set<number>();
  const edited: string[] = [];
  // Virtual services added after the user's last one (realize/index.ts checks the names before are the same).
  const names = user && user !== was.user ? keysOfMap(user) : was.userNames;
  const appended = new Map<number, number>(); // index → its fixed VIP
  let vsOfGroup = replay.vsOfGroup;
  let allocation: Allocation = replay;
  // User virtual services appended come before AKO's: theirs move up by as many places (`shift`).
  const userCount = was.userNames.length;
  const shift = Math.max(0, names.length - userCount);
  /** The index a record of `prev` has now. */
  const moveUp = (k: number) => (k < userCount ? k : k + shift);
  /** AKO's VIPs to allocate again (an allocation for the user's, or an address only theirs reached, changed). */
  let akoAgain = false;
  if (names.length > userCount) {
    const placed = appendable(prev, replay, avi, names, userCount);
    if (placed === null) return null;
    allocation = { cursors: placed.cursors, addedReserved: placed.reserved, released: replay.released, userCursors: placed.userCursors };
    akoAgain = placed.akoAgain;
    const lists = new Map<string, readonly number[]>();
    // (A group's list is in index order: only one ending in AKO's records holds places that move.)
    for (const [group, list] of vsOfGroup) lists.set(group, shift && was.ako.length && list.length && list[list.length - 1] >= userCount ? list.map(moveUp) : list);
    for (const [k, vip] of placed.vips) {
      const group = user![names[k]].seGroup;
      appended.set(k, vip);
      touched.add(group);
      // In index order, as the whole run places them (an appended one before AKO's).
      const list = [...(lists.get(group) ?? []), k];
      if (was.ako.length) list.sort((x, y) => x - y);
      lists.set(group, list);
    }
    vsOfGroup = lists;
  }
  /** Whether AKO's records moved up (a user virtual service appended before them). */
  const shifted = shift > 0 && was.ako.length > 0;
  /** The previous record of the virtual service at index `k` now (undefined: appended). */
  const oldAt = (k: number): AviVirtualService | undefined => (k < userCount ? prev.virtualServices[k] : k < userCount + shift ? undefined : prev.virtualServices[k - shift]);
  const inputs: VsInputs = { user, userNames: names, ako: was.ako };
  /** Virtual services given another fixed VIP: name → the new address. */
  const moved = new Map<string, number>();
  if (user !== was.user) {
    if (!user || !was.user) return null;
    for (const name of changedNames(user, was.user)) {
      if (!Object.hasOwn(was.user, name)) continue; // appended
      const spec = user[name];
      const old = was.user[name];
      if (!spec || !old || spec.seGroup !== old.seGroup || spec.tier1 !== old.tier1 || !spec.vip) return null;
      if (spec.vip !== old.vip && (spec.vip.address !== old.vip.address || spec.vip.network !== old.vip.network)) {
        // Another fixed address (the network is not read for one): a move, checked below.
        const ip = parseIp(spec.vip.address);
        if (ip === null || parseIp(old.vip.address) === null) return null;
        moved.set(name, ip);
      }
      if ((spec.enabled ?? true) !== (old.enabled ?? true)) touched.add(spec.seGroup);
      else edited.push(name);
    }
  }
  if (moved.size) {
    const next = movedVips(prev, replay, allocation, moved, was.user!, appended);
    if (next === null) return null;
    allocation = next.allocation;
    akoAgain ||= next.akoAgain;
  }
  /** AKO's virtual services given another VIP (by index now): computed again on the same SEs. */
  const akoVips = new Map<number, number>();
  if (akoAgain) {
    const again = allocateAko(replay, allocation, userCount + shift, oldAt, akoVips);
    if (again === null) return null;
    allocation = again;
  }

  // Failures: SEs down or up (their groups placed again), addresses of NICs and workloads down or up.
  let downIps = replay.downIps;
  let failed = createdFailed;
  let failedBeforeSes = replay.failedBeforeSes;
  const flipped = new Set<number>();
  if (failures) {
    const down = new Set(downIps);
    const changedSes = new Set(failures.ses);
    for (const se of prev.serviceEngines) if (changedSes.has(se.name) || failures.hosts.has(se.host)) touched.add(se.group);
    if (changedSes.size || failures.ncpFailed) {
      const list = failures.ncpFailed ? [...failures.ncpFailed] : createdFailed.slice(0, replay.failedBeforeSes);
      if (changedSes.size) {
        for (const se of prev.serviceEngines) if (failures.failed.has(se.name)) for (const nic of se.nics) if (nic.workload !== se.name) list.push(nic.workload);
      } else for (let i = replay.failedBeforeSes; i < createdFailed.length; i++) list.push(createdFailed[i]);
      failedBeforeSes = failures.ncpFailed ? failures.ncpFailed.length : failedBeforeSes;
      failed = list;
    }
    const failedNow = new Set([...failures.failed, ...failed]);
    const set = (ip: number, isDown: boolean) => {
      if (down.has(ip) === isDown) return;
      if (isDown) down.add(ip);
      else down.delete(ip);
      flipped.add(ip);
    };
    for (const se of prev.serviceEngines) {
      if (!changedSes.has(se.name) && !failures.hosts.has(se.host)) continue;
      for (const nic of se.nics) set(nic.ip, failedNow.has(nic.workload) || failures.failed.has(se.host));
    }
    // A workload's address is down when it, or its host, failed; a physical host's when it failed (the whole run's rules).
    for (const w of failures.addresses) set(w.ip, failedNow.has(w.name) || (w.host !== null && failedNow.has(w.host)));
    downIps = down;
  }

  // Pools edited, and pools with a member on an address that went down or up: built again.
  const userPools = avi.pools;
  const before = replay.pools[0];
  let pools = prev.pools;
  const changedPools = new Set<string>();
  /**
   * Of the changed pools, those whose virtual services are computed again: every edited one, and a
   * pool with a member down or up only when whether any member is up changed (placement reads a
   * pool's existence and that alone: a pool of four with one member down serves as before).
   */
  const rereadPools: string[] = [];
  let bad = false;
  // The pools built again, over the previous map (ReplacedMap: no copy of 100,000 pools).
  const replaced = new Map<string, AviPool>();
  const lookups = replay.lookups;
  const poolsAt = (): Map<number, string[]> => {
    if (lookups.pools === null) {
      lookups.pools = new Map();
      for (const pool of prev.pools.values()) addMembers(lookups.pools, pool);
    }
    return lookups.pools;
  };
  if (userPools !== before) {
    if (!userPools || !before) return null;
    for (const name of changedNames(userPools, before)) {
      const p = userPools[name];
      if (!p || !Object.hasOwn(before, name)) return null;
      const pool = runtimePool(name, p, downIps, () => (bad = true));
      replaced.set(name, pool);
      addMembers(poolsAt(), pool);
      changedPools.add(name);
      rereadPools.push(name);
    }
  }
  if (flipped.size) {
    const byIp = poolsAt();
    for (const ip of flipped) {
      for (const name of byIp.get(ip) ?? []) {
        // (A pool with several members flipped is met once per member: rebuilt at the first. A
        // pool not in changedPools is not in `replaced` either: its previous value is current.)
        if (changedPools.has(name)) continue;
        const pool = prev.pools.get(name);
        if (pool === undefined || !pool.members.some((m) => flipped.has(m.ip))) continue;
        const next: AviPool = { name: pool.name, enabled: pool.enabled, defaultPort: pool.defaultPort, members: pool.members.map((m) => (flipped.has(m.ip) ? { ip: m.ip, port: m.port, enabled: m.enabled, up: !downIps.has(m.ip) } : m)) };
        replaced.set(name, next);
        changedPools.add(name);
        if (poolUp(next) !== poolUp(pool)) rereadPools.push(name);
      }
    }
  }
  if (bad) return null;
  pools = ReplacedMap.of(prev.pools, replaced);

  // The virtual services to compute again on their SEs: the edited ones, those using a changed pool.
  if (lookups.users === null) {
    lookups.users = new Map();
    prev.virtualServices.forEach((r, k) => addUses(lookups.users!, k, r));
  }
  const users = lookups.users;
  /** The edited virtual services' indexes (the others in `refresh` only use a pool that changed). */
  const editedAt = new Set<number>();
  if (edited.length) {
    const wanted = new Set(edited);
    for (const name of edited) {
      const group = user![name].seGroup;
      for (const k of replay.vsOfGroup.get(group) ?? []) if (k < was.userNames.length && wanted.has(was.userNames[k])) editedAt.add(k);
    }
    if (editedAt.size !== wanted.size) return null;
    for (const k of editedAt) refresh.add(k);
  }
  // AKO's virtual services with another VIP: computed again like an edited one.
  for (const k of akoVips.keys()) {
    editedAt.add(k);
    refresh.add(k);
  }
  // (The lookups are shared with other branches of edits: an index past this runtime's virtual services is another branch's.)
  for (const name of rereadPools) for (const k of users.get(name) ?? []) if (k < prev.virtualServices.length) refresh.add(moveUp(k));

  let problem = false;
  const engines = prev.serviceEngines.slice();
  const st: PlaceState = { ses: engines, load: new Float64Array(engines.length), pools, problem: () => void (problem = true) };
  for (const group of touched) {
    for (const i of replay.sesOfGroup.get(group) ?? []) {
      const se = engines[i];
      const isDown = failures ? failures.failed.has(se.name) || failures.failed.has(se.host) : se.down;
      engines[i] = { name: se.name, group: se.group, host: se.host, down: isDown, nics: se.nics, virtualServices: [] };
    }
  }
  // AKO's records moved up past the appended ones (their places below computed again).
  const out = shifted ? movedUp(prev.virtualServices, userCount, shift) : prev.virtualServices.slice();
  /** Indexes of the records that are new objects (each once: a record is computed again at most once). */
  const recomputed: number[] = [];
  const reader = vsReader(inputs, true);
  let dnsTouched = false;
  const again = (k: number, keep: boolean): boolean => {
    const v = reader.at(k);
    const old = oldAt(k);
    const g = ownEntry(avi.seGroups, v.spec.seGroup);
    const segment = replay.dataSegment.get(v.spec.tier1);
    const vip = (k < names.length ? moved.get(v.name) : akoVips.get(k)) ?? (old !== undefined ? old.vip : appended.get(k)!);
    const record = !g || segment === undefined ? null : replay.place(st, v, g, segment, vip, keep && old !== undefined ? old : null, old ?? null);
    if (problem || record === null) return false;
    // DNS records and DNS virtual services change only with a record that has or had some (an
    // appended virtual service without them registers nothing).
    if ((old !== undefined && (old.dns || old.fqdns.length)) || record.dns || record.fqdns.length) dnsTouched = true;
    if (old !== undefined && sameRecord(old, record)) out[k] = old;
    else {
      out[k] = record;
      // (Services and HTTP routes shared with the previous record name the pools it is listed under
      // already. With AKO's records moved up, the shared lookups keep the old places: not added to.)
      if (!shifted && (old === undefined || record.services !== old.services || record.httpRoutes !== old.httpRoutes)) addUses(users, k, record);
      recomputed.push(k);
    }
    return true;
  };
  for (const group of touched) for (const k of vsOfGroup.get(group) ?? []) if (!again(k, false)) return null;
  for (const k of refresh) if (!touched.has(reader.at(k).spec.seGroup) && !(!editedAt.has(k) && sameHealth(oldAt(k), pools)) && !again(k, true)) return null;
  for (const group of touched) {
    for (const i of replay.sesOfGroup.get(group) ?? []) {
      const old = prev.serviceEngines[i];
      if (engines[i].down === old.down && sameStrings(engines[i].virtualServices, old.virtualServices)) engines[i] = old;
    }
  }
  // DNS records, registered in order as the whole run does, when a virtual service computed again has any.
  let dns = prev.dns;
  let dnsVirtualServices = prev.dnsVirtualServices;
  if (dnsTouched) {
    const records = new Map<string, { vip: number; virtualService: string }>();
    for (const r of out) {
      if (!r.enabled || !r.serviceEngines.length) continue;
      for (const f of r.fqdns) {
        const key = f.toLowerCase();
        if (records.has(key)) return null;
        records.set(key, { vip: r.vip, virtualService: r.name });
      }
    }
    dns = records;
    dnsVirtualServices = dnsServices(out);
  }
  const runtime: AviRuntime = { cloud: prev.cloud, virtualServices: out, serviceEngines: engines, pools, vrfs: prev.vrfs, dns, dnsVirtualServices };
  // AKO's records moved up: the lookups by index start again for this runtime's patches, and every
  // moved place is a changed one (its record is another's than at that place before).
  const lookupsNow = shifted ? { users: null, pools: lookups.pools } : lookups;
  if (shifted) {
    const made = new Set(recomputed);
    for (let k = userCount; k < out.length; k++) if (!made.has(k)) recomputed.push(k);
  }
  keepReplay(runtime, { ...replay, inputs, vsOfGroup, failedBeforeSes, pools: [userPools, ...replay.pools.slice(1)], downIps, cursors: allocation.cursors, userCursors: allocation.userCursors, addedReserved: allocation.addedReserved, released: allocation.released, lookups: lookupsNow });
  patchedFrom.set(runtime, { from: prev, changed: recomputed.sort((x, y) => x - y) });
  return { avi: runtime, failed };
}

/** `records` with `shift` empty places before the one at `at` (filled by the caller): one copy, no spread of 100,000 records. */
function movedUp(records: readonly AviVirtualService[], at: number, shift: number): AviVirtualService[] {
  const out = records.slice();
  out.length = records.length + shift;
  for (let k = records.length - 1; k >= at; k--) out[k + shift] = records[k];
  return out;
}

/** What a patched runtime was patched from, and which of its virtual-service records are new objects. */
export interface AviRuntimeChange {
  readonly from: AviRuntime;
  /** Indexes (ascending) of the records that are not `from`'s (the others are `from`'s very objects; indexes past `from`'s are appended ones). */
  readonly changed: readonly number[];
}

const patchedFrom = new WeakMap<AviRuntime, AviRuntimeChange>();

/** How `runtime` differs from the runtime it was patched from, or null when it was not made by a patch. */
export function aviRuntimeChange(runtime: AviRuntime): AviRuntimeChange | null {
  return patchedFrom.get(runtime) ?? null;
}

/**
 * Whether the record of a virtual service that was not edited, placed on the same SEs, stays as it
 * is with its pools' health now: what place() would compute again for it differs from the record
 * only in its state and reason, and those only where place() checks the pools (a virtual service
 * UP before the check: enabled, on an SE, not DNS). Such a record is UP when a pool of it can take
 * traffic and DOWN for 'no pool member…' otherwise; it is the same when that answer did not
 * change. False (place() computes it again) when it did, or when a pool it names is gone.
 */
function sameHealth(old: AviVirtualService | undefined, pools: ReadonlyMap<string, AviPool>): boolean {
  if (old === undefined) return false;
  let up = false;
  for (const s of old.services) {
    if (s.pool === null) continue;
    const pool = pools.get(s.pool);
    if (pool === undefined) return false;
    up ||= poolUp(pool);
  }
  for (const h of old.httpRoutes) {
    const pool = pools.get(h.pool);
    if (pool === undefined) return false;
    up ||= poolUp(pool);
  }
  if (old.state === 'UP') return old.dns || up;
  if (old.state === 'DOWN' && old.reason === NO_POOL_UP) return !up;
  // DISABLED, or DOWN with no SE: place() does not look at the pools.
  return true;
}

/** Whether two runtime records of a virtual service say the same (field by field, lists by content). */
function sameRecord(a: AviVirtualService, b: AviVirtualService): boolean {
  if (a.name !== b.name || a.createdFor !== b.createdFor || a.tier1 !== b.tier1 || a.seGroup !== b.seGroup || a.haMode !== b.haMode || a.vip !== b.vip) return false;
  if (a.enabled !== b.enabled || a.trafficEnabled !== b.trafficEnabled || a.dns !== b.dns || a.state !== b.state || a.reason !== b.reason || a.arpOwner !== b.arpOwner) return false;
  if (!sameStrings(a.fqdns, b.fqdns) || !sameStrings(a.serviceEngines, b.serviceEngines) || !sameStrings(a.standby, b.standby) || !sameStrings(a.nics, b.nics)) return false;
  if (a.route !== b.route && (!a.route || !b.route || a.route.prefix !== b.route.prefix || a.route.type !== b.route.type || a.route.nextHops !== b.route.nextHops)) return false;
  if (a.services.length !== b.services.length || a.httpRoutes.length !== b.httpRoutes.length) return false;
  for (let i = 0; i < a.services.length; i++) {
    const x = a.services[i];
    const y = b.services[i];
    if (x.port !== y.port || x.protocol !== y.protocol || x.pool !== y.pool) return false;
  }
  for (let i = 0; i < a.httpRoutes.length; i++) {
    const x = a.httpRoutes[i];
    const y = b.httpRoutes[i];
    if (x.host !== y.host || x.path !== y.path || x.pool !== y.pool) return false;
  }
  return true;
}

/**
 * The virtual services appended to the user's (names from `from` on), each with its VIP, when
 * each can be placed after the user's without changing anything else: AKO's virtual services,
 * which come after them, move up by as many records (patchAvi) and keep their VIPs, or, when an
 * appended one allocates or takes an address only their allocations reached, are allocated
 * again after them (`akoAgain`: allocateAko, from `userCursors`), a fixed VIP
 * that is no other's and that no allocation before could have reached (every
 * range's addresses below its cursor are taken), and an SE group already serving its Tier-1 (its
 * SEs' NICs stay as they are). A VIP to allocate is allocated as the whole run would, last: the
 * fixed ones reserved first, then from the network's ranges where allocation stands. Null
 * otherwise (realized whole, which reports what is wrong). Returns the VIPs and where allocation
 * stands after them.
 */
function appendable(prev: AviRuntime, replay: Replay, avi: AviSpec, names: readonly string[], from: number): { vips: Map<number, number>; cursors: Map<AllocationRange, number>; reserved: Set<number>; userCursors: ReadonlyMap<AllocationRange, number> | null; akoAgain: boolean } | null {
  const vips = new Map<number, number>();
  const cursors = new Map(replay.cursors);
  const reserved = new Set(replay.addedReserved);
  // With AKO's virtual services, the user's allocate from where theirs stopped (AKO's after them,
  // allocated again: disjoint ranges only; else an allocation realizes whole, as before).
  const ako = replay.inputs.ako.length > 0;
  const userCursors = ako && replay.userCursors !== null && replay.disjoint ? new Map(replay.userCursors) : null;
  const cursor = (r: AllocationRange) => (userCursors ?? cursors).get(r) ?? r.cursor;
  let akoAgain = false;
  const toAllocate: number[] = [];
  for (let k = from; k < names.length; k++) {
    const spec = avi.virtualServices![names[k]];
    if (!spec || !spec.vip || !ownEntry(avi.seGroups, spec.seGroup) || !replay.dataSegment.has(spec.tier1)) return null;
    const serves = (replay.vsOfGroup.get(spec.seGroup) ?? []).some((i) => prev.virtualServices[i].tier1 === spec.tier1);
    if (!serves) return null;
    if (spec.vip.address === undefined) {
      if (spec.vip.network === undefined || !replay.networkRanges.has(spec.vip.network)) return null;
      toAllocate.push(k);
      continue;
    }
    const ip = parseIp(spec.vip.address);
    // Every VIP a virtual service holds was allocated (below its range's cursor) or is fixed
    // (reserved by the whole run, or by a patch since): an address either way may be another's,
    // and a whole realization decides (it reports a shared VIP). An address only AKO's
    // allocations reached (above the user's cursor) is theirs or free: they allocate again.
    if (ip === null || (userCursors ? reachedByAllocation(replay, userCursors, ip) : reachedByAllocation(replay, cursors, ip)) || replay.reserved.has(ip) || reserved.has(ip)) return null;
    if (userCursors && reachedByAllocation(replay, cursors, ip)) akoAgain = true;
    reserved.add(ip);
    vips.set(k, ip);
  }
  // AKO's virtual services come after the user's: an appended one that allocates moves theirs.
  if (toAllocate.length && ako) {
    if (userCursors === null) return null;
    akoAgain = true;
  }
  // The whole run's allocate(), from where it stands (a range's cursor only moves forward).
  for (const k of toAllocate) {
    let vip: number | null = null;
    for (const r of replay.networkRanges.get(avi.virtualServices![names[k]].vip.network!)!) {
      if (r.type !== 'VIP' && r.type !== 'VIP_AND_SE') continue;
      let c = cursor(r);
      for (; c <= r.to; c++) {
        // A fixed VIP a patch moved away: whether something else reserves it is not kept.
        if (replay.released.has(c)) return null;
        if (!replay.reserved.has(c) && !reserved.has(c) && !replay.isUsed(c)) break;
      }
      if (c <= r.to) {
        if (!replay.disjoint) reserved.add(c);
        vip = c;
        (userCursors ?? cursors).set(r, c + 1);
        break;
      }
      (userCursors ?? cursors).set(r, c);
    }
    if (vip === null) return null;
    vips.set(k, vip);
  }
  return { vips, cursors, reserved, userCursors, akoAgain };
}

/**
 * AKO's VIPs allocated again as the whole run allocates them, after the user's (`allocation`: as
 * the edit leaves the user's VIPs): each of AKO's virtual services that allocates (no
 * loadBalancerIP) takes, in order, the next address of its network's ranges from where the
 * user's allocation stands that no fixed VIP (of the whole run, not released since, or added by a
 * patch), SE address or workload holds. `first`: the index of AKO's first record now. Those that
 * come out with another VIP than their previous record (`oldAt`) go in `vips`. Returns where
 * allocation stands then, or null (ranges that overlap, or one exhausted: realized whole, which
 * reports it).
 */
function allocateAko(replay: Replay, allocation: Allocation, first: number, oldAt: (k: number) => AviVirtualService | undefined, vips: Map<number, number>): Allocation | null {
  if (!replay.disjoint || allocation.userCursors === null) return null;
  const cursors = new Map(allocation.userCursors);
  const taken = (c: number) => (replay.reserved.has(c) && !allocation.released.has(c)) || allocation.addedReserved.has(c) || replay.isUsed(c);
  const ako = replay.inputs.ako;
  for (let j = 0; j < ako.length; j++) {
    const vip = ako[j].spec.vip;
    if (vip.address !== undefined) continue; // a fixed VIP (loadBalancerIP): reserved, not allocated
    let got: number | null = null;
    for (const r of replay.networkRanges.get(vip.network!) ?? []) {
      if (r.type !== 'VIP' && r.type !== 'VIP_AND_SE') continue;
      let c = cursors.get(r) ?? r.cursor;
      while (c <= r.to && taken(c)) c++;
      if (c <= r.to) {
        got = c;
        cursors.set(r, c + 1);
        break;
      }
      cursors.set(r, c);
    }
    if (got === null) return null;
    if (oldAt(first + j)?.vip !== got) vips.set(first + j, got);
  }
  return { ...allocation, cursors };
}

/** Where allocation stands after patches: each range's cursor (and the user's, with AKO's), the addresses reserved since the whole run, and those released. */
type Allocation = Pick<Replay, 'cursors' | 'userCursors' | 'addedReserved' | 'released'>;

/** Whether an allocation looked at address `ip`: it is below the cursor of a range holding it (`cursors`: where patches moved them). */
function reachedByAllocation(replay: Replay, cursors: ReadonlyMap<AllocationRange, number>, ip: number): boolean {
  return replay.ranges.some((r) => ip >= r.from && ip < (cursors.get(r) ?? r.cursor));
}

/**
 * Where allocation stands after virtual services were given other fixed VIPs (`moved`: name → new
 * address), when the moves change no other virtual service's VIP or SE address, or null (realized
 * whole). The whole run reserves fixed VIPs before it allocates anything and allocates each range
 * from its start up, so a fixed address changes nothing else when neither the old nor the new one
 * is below a range's cursor (no allocation looked at them) and the new one is no other virtual
 * service's VIP (the whole run reports that). The new addresses are reserved for later appended
 * virtual services; the old ones are remembered as released: an allocation that reaches one gives
 * up (it cannot tell whether something else reserves that address).
 */
function movedVips(prev: AviRuntime, replay: Replay, allocation: Allocation, moved: ReadonlyMap<string, number>, before: Readonly<Record<string, { readonly vip: { readonly address?: string } }>>, appended: ReadonlyMap<number, number>): { allocation: Allocation; akoAgain: boolean } | null {
  // With AKO's virtual services, an address only their allocations reached (above the user's
  // cursor) may be freed or taken: they allocate again (allocateAko).
  const users = replay.inputs.ako.length > 0 && allocation.userCursors !== null && replay.disjoint ? allocation.userCursors : null;
  const reached = (ip: number) => reachedByAllocation(replay, users ?? allocation.cursors, ip);
  let akoAgain = false;
  const addedReserved = new Set(allocation.addedReserved);
  const released = new Set(allocation.released);
  const targets = new Set<number>();
  for (const [name, ip] of moved) {
    const was = parseIp(before[name].vip.address)!;
    if (reached(ip) || reached(was) || targets.has(ip)) return null;
    if (users !== null && (reachedByAllocation(replay, allocation.cursors, ip) || reachedByAllocation(replay, allocation.cursors, was))) akoAgain = true;
    targets.add(ip);
    released.add(was);
    addedReserved.delete(was);
  }
  // No other virtual service holds a new address (one pass over the records, no set of 100,000
  // VIPs) — but one of AKO's allocated: the address is reserved now, theirs allocated again.
  const userCount = replay.inputs.userNames.length;
  for (let k = 0; k < prev.virtualServices.length; k++) {
    const r = prev.virtualServices[k];
    if (!targets.has(r.vip) || (moved.has(r.name) && r.createdFor === null)) continue;
    if (users !== null && k >= userCount && replay.inputs.ako[k - userCount]?.spec.vip.address === undefined) akoAgain = true;
    else return null;
  }
  for (const ip of appended.values()) if (targets.has(ip)) return null;
  for (const ip of targets) {
    released.delete(ip);
    addedReserved.add(ip);
  }
  return { allocation: { cursors: allocation.cursors, userCursors: allocation.userCursors, addedReserved, released }, akoAgain };
}
