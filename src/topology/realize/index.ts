// Realization: what the controllers make of a scenario's declarations, as NSX objects the engine
// already models. NCP turns Kubernetes clusters into a Tier-1, segments, nodes and pods; AKO turns
// Services and Ingresses into Avi virtual services and pools; the Avi controller places virtual
// services on SEs, gives SEs their data NICs and injects VIP routes. The user's objects are never
// changed: created objects are added beside them (and listed apart, for validation), and
// conflicts are reported as problems.
import { changedNames, entriesOf, keysOfMap, sameKeys, sharedHead, type AviSpec, type Scenario, type SegmentSpec, type Tier1Spec, type WorkloadSpec } from '../scenario.js';
import { realizeAko } from './ako.js';
import { parseIfAddr, parseIp } from '../ip.js';
import { realizeAvi, type AviRuntime, type VsInput } from './avi-controller.js';
import { patchAvi, type FailureChange } from './avi-patch.js';
import { RealizeContext, mergeCreated, type RealizeProblem } from './context.js';
import { realizeKubernetes, type RealizedCluster } from './kubernetes.js';

export type { AviRuntime, AviVirtualService, AviServiceEngine, AviPool, AviVrf } from './avi-controller.js';
export { aviRuntimeChange, type AviRuntimeChange } from './avi-patch.js';
export type { RealizedCluster, RealizedPod } from './kubernetes.js';
export type { RealizeProblem } from './context.js';
export { fnv1a32, shardOf } from './ako.js';

export interface Realized {
  /** The user's scenario plus the created objects (what the NSX data plane sees). */
  readonly scenario: Scenario;
  readonly avi: AviRuntime | null;
  readonly clusters: readonly RealizedCluster[];
  readonly problems: readonly RealizeProblem[];
  /**
   * The objects the controllers created (in `scenario` after the user's, under the same names),
   * and the names they appended to `failed`: validation checks these again, not the user's.
   */
  readonly created?: {
    readonly tier1s: Readonly<Record<string, Tier1Spec>>;
    readonly segments: Readonly<Record<string, SegmentSpec>>;
    readonly workloads: Readonly<Record<string, WorkloadSpec>>;
    readonly failed: readonly string[];
  };
}

/**
 * Realizations of frozen scenarios (a loaded scenario is a deep-frozen immer snapshot, so its
 * realization cannot change): validation realizes the scenario and the Twin built from it then
 * finds the same result here instead of realizing it a second time. Edits make new snapshots.
 */
const realizedOf = new WeakMap<Scenario, Realized>();

/**
 * The realization of the frozen scenario realize() was last asked for. An edit leaves most of what the controllers read
 * as the same objects (immer shares them): when every part realization reads is the same, the
 * edited scenario's realization is that one — the same Avi runtime, clusters, problems and
 * created objects — merged with the edited scenario (a static route, a NAT rule or a Tier-1's
 * advertisement edited costs no new placement of 100,000 virtual services).
 */
let latest: { readonly s: Scenario; readonly r: Realized } | null = null;

/** What realization reads as a whole (a different object: realized again). */
const READ_WHOLE = ['avi', 'kubernetes', 'segments', 'workloads', 'physicalHosts', 'transportNodes'] as const;
/** What realization reads only the names of (existence, name clashes, suggestions). */
const READ_NAMES = ['tier1s', 'tier0s', 'physicalRouters', 'edgeClusters'] as const;

/**
 * Whether realizing `b` reads what realizing `a` (realized as `r`) read, so gives the same result.
 * Of `failed`, realization reads only whether certain names are in it (failureReads): a failed
 * edge or physical router leaves the controllers' objects as they were.
 */
function sameRealizeInputs(a: Scenario, r: Realized, b: Scenario, aviByEntries = false): boolean {
  for (const k of READ_WHOLE) if (a[k] !== b[k] && !(k === 'segments' && segmentsAtEnd(a, r, b)) && !(k === 'avi' && aviByEntries && sameEntries(a.avi, b.avi))) return false;
  if (a.failed !== b.failed) {
    const before = new Set(a.failed ?? []);
    const after = new Set(b.failed ?? []);
    const reads = failureReads(a, r);
    for (const n of before) if (!after.has(n) && reads.has(n)) return false;
    for (const n of after) if (!before.has(n) && reads.has(n)) return false;
  }
  for (const k of READ_NAMES) if (!sameKeys(a[k], b[k])) return false;
  return true;
}

/**
 * Whether two Avi sections hold the very same objects: the same names in the same order, and each
 * entry the other's object, or a map of the very same entries (an undo rebuilds the maps along
 * the path it patched: `applyPatches` makes new ones holding the same objects again).
 */
function sameEntries(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || !sameKeys(a, b)) return false;
  const x = a as Readonly<Record<string, unknown>>;
  const y = b as Readonly<Record<string, unknown>>;
  for (const k of keysOfMap(a)) {
    const u = x[k];
    const v = y[k];
    if (u === v) continue;
    if (!u || !v || typeof u !== 'object' || typeof v !== 'object' || Array.isArray(u) || Array.isArray(v)) return false;
    // (`b`'s names against `a`'s: edits record the names they changed from the newer map, which an undo's `b` is.)
    if (!sameKeys(u, v) || changedNames(v, u).length) return false;
  }
  return true;
}

/**
 * Whether one of `a`'s and `b`'s segments is the other's (the very same entries, in order)
 * followed by more that realization cannot have read: `a` realized without a problem (so nothing
 * named a segment that did not exist), no created segment has an added one's name, and nothing
 * the controllers read names a removed one (an Avi network, data network or management segment,
 * a Kubernetes node segment). The controllers look segments up by the names their objects give:
 * the other names change no answer.
 */
function segmentsAtEnd(a: Scenario, r: Realized, b: Scenario): boolean {
  if (r.problems.length || !r.created || !a.segments || !b.segments) return false;
  const shared = sharedHead(a.segments, b.segments);
  if (shared < 0) return false;
  const after = keysOfMap(b.segments);
  if (after.length > shared) return after.slice(shared).every((name) => !Object.hasOwn(r.created!.segments, name));
  const named = new Set<string>();
  for (const [, n] of entriesOf(a.avi?.networks)) if (typeof n?.segment === 'string') named.add(n.segment);
  for (const dn of a.avi?.cloud?.dataNetworks ?? []) if (typeof dn?.segment === 'string') named.add(dn.segment);
  if (typeof a.avi?.cloud?.managementSegment === 'string') named.add(a.avi.cloud.managementSegment);
  for (const [, k] of entriesOf(a.kubernetes)) if (typeof k?.nodeSegment === 'string') named.add(k.nodeSegment);
  return keysOfMap(a.segments).slice(shared).every((name) => !named.has(name));
}

/** The parts of the Avi section a patch of its runtime needs to be the same objects (virtual services and pools may differ; SE groups in their placement settings: placementEdits). */
const AVI_KEPT = ['cloud', 'networks', 'dnsDomains'] as const;

/** What placing a virtual service reads of its SE group (avi-controller place()); nothing else realization reads of it. */
const PLACEMENT_SETTINGS: ReadonlySet<string> = new Set(['haMode', 'minScaleoutPerVs', 'maxVsPerSe', 'algo']);

/**
 * The SE groups of `b` whose placement settings alone differ from `a`'s (HA mode, scale-out, most
 * virtual services per SE, algorithm): the same groups in the same order, each edited one with the
 * very same SEs (immer shares the map an edit left alone) and every other field the same — [] for
 * the same groups, null for any other edit (the SEs, their NICs and hosts follow from the rest).
 */
function placementEdits(a: AviSpec['seGroups'], b: AviSpec['seGroups']): readonly string[] | null {
  if (a === b) return [];
  if (!a || !b || !sameKeys(a, b)) return null;
  const edited: string[] = [];
  for (const name of changedNames(b, a)) {
    const x = a[name] as unknown as Record<string, unknown> | undefined;
    const y = b[name] as unknown as Record<string, unknown> | undefined;
    if (!x || !y || typeof x !== 'object' || typeof y !== 'object') return null;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (!PLACEMENT_SETTINGS.has(k) && x[k] !== y[k]) return null;
    edited.push(name);
  }
  return edited;
}

/**
 * The realization of `b`, edited from `a` (realized as `r`) in virtual services or pools only (the
 * same names, in the same order), in SE groups' placement settings, and in the failure of SEs,
 * hosts, workloads, physical hosts or Kubernetes nodes:
 * `r` with its Avi runtime patched (avi-controller patchAvi), or null when the edit needs a whole
 * realization. Kubernetes, AKO's output and the created objects are `r`'s (the created failed
 * names follow the SEs and NCP's nodes): AKO reads of the Avi section only the names of virtual services and
 * pools and the DNS domains, NCP of `failed` only Kubernetes nodes (their pods' failure follows).
 */
function patchedRealization(a: Scenario, r: Realized, b: Scenario): Realized | null {
  if (!r.avi || !r.created || r.problems.length || !a.avi || !b.avi) return null;
  for (const k of READ_WHOLE) if (k !== 'avi' && a[k] !== b[k]) return null;
  for (const k of READ_NAMES) if (!sameKeys(a[k], b[k])) return null;
  let failures: FailureChange | null = null;
  if (a.failed !== b.failed) {
    const before = new Set(a.failed ?? []);
    const after = new Set(b.failed ?? []);
    const reads = failureReads(a, r);
    const ses = new Set(r.avi.serviceEngines.map((se) => se.name));
    const isHost = (n: string) => Object.hasOwn(a.transportNodes ?? {}, n) && a.transportNodes[n]?.type === 'host';
    const isWorkload = (n: string) => !!a.workloads && Object.hasOwn(a.workloads, n);
    const isPhysicalHost = (n: string) => !!a.physicalHosts && Object.hasOwn(a.physicalHosts, n);
    const others = createdOrNodes(a, r);
    const antrea = antreaNodes(a);
    const ncp = ncpNodes(r.clusters);
    let ncpChanged = false;
    const changedSes: string[] = [];
    const hosts = new Set<string>();
    const addresses: { name: string; ip: number; host: string | null }[] = [];
    for (const n of [...[...before].filter((x) => !after.has(x)), ...[...after].filter((x) => !before.has(x))]) {
      if (!reads.has(n)) continue;
      // One kind of object only (a name that is two things is realized whole).
      const kinds = +ses.has(n) + +isHost(n) + +isWorkload(n) + +isPhysicalHost(n);
      // A Kubernetes node: the workload realization made of it goes down or up (an Antrea node's
      // pods live inside it, with no NSX objects; an NCP node's pods are NSX workloads that go
      // down or up with it, and NCP's created failed names are listed again).
      if (kinds === 0 && (antrea.has(n) || ncp.has(n))) {
        if (antrea.has(n) && ncp.has(n)) return null;
        const w = r.created.workloads[n];
        const ip = w !== undefined && w.role === 'K8S_NODE' ? parseIp(w.ip) : null;
        if (ip === null) return null;
        addresses.push({ name: n, ip, host: w.host });
        // A node of an NCP cluster: its pods (NSX workloads NCP created) go down or up with it.
        const pods = ncp.get(n);
        if (pods !== undefined) {
          if (pods === AMBIGUOUS) return null;
          for (const pod of pods) addresses.push(pod);
          ncpChanged = true;
        }
        continue;
      }
      if (kinds !== 1 || others.has(n)) return null;
      if (ses.has(n)) changedSes.push(n);
      else if (isHost(n)) hosts.add(n);
      else if (isWorkload(n)) {
        const ip = parseIp(a.workloads![n].ip);
        if (ip !== null) addresses.push({ name: n, ip, host: a.workloads![n].host });
      } else {
        const ip = parseIfAddr(a.physicalHosts![n].ip);
        if (ip !== null) addresses.push({ name: n, ip: ip.ip, host: null });
      }
    }
    if (hosts.size) {
      for (const map of [a.workloads, r.created.workloads]) {
        // In map order (as a pass over the map lists them: a later one of the same address wins).
        const byHost = workloadsByHost(map);
        const found: (readonly [string, number, number, string])[] = [];
        for (const host of hosts) for (const [name, ip, at] of byHost.get(host) ?? []) found.push([name, ip, at, host]);
        found.sort((x, y) => x[2] - y[2]);
        for (const [name, ip, , host] of found) addresses.push({ name, ip, host });
      }
    }
    failures = { failed: after, ses: changedSes, hosts, addresses, ...(ncpChanged ? { ncpFailed: ncpFailed(r.clusters, after) } : {}) };
  }
  let groupsEdited: readonly string[] = [];
  if (a.avi !== b.avi) {
    for (const k of AVI_KEPT) if (a.avi[k] !== b.avi[k]) return null;
    for (const k of Object.keys(b.avi)) if (k !== 'virtualServices' && k !== 'pools' && k !== 'seGroups' && !(AVI_KEPT as readonly string[]).includes(k)) return null;
    // Virtual services: the same names, or more after them (appended); pools: the same names.
    if (!namesExtend(a.avi.virtualServices, b.avi.virtualServices) || !sameKeys(a.avi.pools, b.avi.pools)) return null;
    const edits = placementEdits(a.avi.seGroups, b.avi.seGroups);
    if (edits === null) return null;
    groupsEdited = edits;
  }
  const patched = patchAvi(r.avi, b.avi, r.created.failed, failures, groupsEdited);
  if (!patched) return null;
  const created = patched.failed === r.created.failed ? r.created : { ...r.created, failed: patched.failed };
  const out: Realized = { ...r, scenario: mergeCreated(b, created), avi: patched.avi, created };
  patchedFromOf.set(out, { s: new WeakRef(a), r: new WeakRef(r) });
  return out;
}

/**
 * A patched realization's origin: the scenario and realization it was patched from (what an undo
 * returns to), held weakly: a chain of edits must not keep every realization before it alive
 * (~115 MB each at size L); an undo finds it while something else (the twin before) holds it.
 */
const patchedFromOf = new WeakMap<Realized, { readonly s: WeakRef<Scenario>; readonly r: WeakRef<Realized> }>();

/** The scenario and realization a patched realization came from, while they are alive. */
function patchedFrom(r: Realized): { readonly s: Scenario; readonly r: Realized } | undefined {
  const from = patchedFromOf.get(r);
  const s = from?.s.deref();
  const realized = from?.r.deref();
  return s !== undefined && realized !== undefined ? { s, r: realized } : undefined;
}

/** Whether map `b` has `a`'s names in `a`'s order, then possibly more (both absent counts). */
function namesExtend(a: object | undefined, b: object | undefined): boolean {
  if (a === b || sameKeys(a, b)) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const x = keysOfMap(a);
  const y = keysOfMap(b);
  if (y.length < x.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * The names in `failed` realization reads that a patch cannot follow: the workloads the
 * controllers created (Kubernetes nodes and pods, SE NICs other than an SE's first, which has the
 * SE's name) and Kubernetes nodes (NCP marks their pods failed).
 */
/**
 * The workloads of a map by host, each with its address (those with a valid one) and its place
 * among them, in map order;
 * once per map object (a host failed or back reads its own workloads, not all 40,000). A map is
 * a frozen scenario map or a realization's created map: neither changes once made.
 */
function workloadsByHost(map: Scenario['workloads']): ReadonlyMap<string, readonly (readonly [string, number, number])[]> {
  if (!map) return NO_HOSTS;
  let byHost = workloadsByHostOf.get(map);
  if (byHost === undefined) {
    const out = new Map<string, [string, number, number][]>();
    let at = 0;
    for (const [name, w] of entriesOf(map)) {
      const ip = parseIp(w.ip);
      if (ip === null) continue;
      const list = out.get(w.host);
      if (list) list.push([name, ip, at++]);
      else out.set(w.host, [[name, ip, at++]]);
    }
    workloadsByHostOf.set(map, (byHost = out));
  }
  return byHost;
}

const workloadsByHostOf = new WeakMap<object, ReadonlyMap<string, readonly (readonly [string, number, number])[]>>();
const NO_HOSTS: ReadonlyMap<string, readonly (readonly [string, number, number])[]> = new Map();

function createdOrNodes(s: Scenario, r: Realized): ReadonlySet<string> {
  // The SE names come from the SE groups; the rest from the created workloads and the clusters.
  return createdOrNodesMemo.get([r.created?.workloads, s.avi?.seGroups, s.kubernetes], () => {
    const names = new Set<string>();
    const ses = new Set((r.avi?.serviceEngines ?? []).map((se) => se.name));
    for (const [name, w] of entriesOf(r.created?.workloads)) if (!(w?.role === 'SERVICE_ENGINE' && ses.has(name))) names.add(name);
    for (const [, cluster] of entriesOf(s.kubernetes)) for (const [node] of entriesOf(cluster?.nodes)) names.add(node);
    return names;
  });
}

/**
 * A value made from some objects of frozen scenarios, kept while those are the very same objects
 * (so have the same content): an edit realized after another, or from the same scenario again,
 * does not walk every workload to find what it already found.
 */
class InputsMemo<T> {
  private inputs: readonly unknown[] | null = null;
  private value: T | undefined;

  get(inputs: readonly unknown[], make: () => T): T {
    const was = this.inputs;
    if (was !== null && was.length === inputs.length && was.every((x, i) => x === inputs[i])) return this.value as T;
    this.value = make();
    this.inputs = inputs;
    return this.value;
  }
}

const createdOrNodesMemo = new InputsMemo<ReadonlySet<string>>();

/** The nodes of the Antrea clusters (of one Kubernetes map: kept while it is the same object). */
function antreaNodes(s: Scenario): ReadonlySet<string> {
  return antreaNodesMemo.get([s.kubernetes], () => {
    const names = new Set<string>();
    for (const [, cluster] of entriesOf(s.kubernetes)) if (cluster?.cni === 'antrea') for (const [node] of entriesOf(cluster.nodes)) names.add(node);
    return names;
  });
}

const antreaNodesMemo = new InputsMemo<ReadonlySet<string>>();

/** A node name two NCP clusters give (which cluster's pods it takes down is not one answer: realized whole). */
const AMBIGUOUS: readonly PodAddress[] = [];

type PodAddress = { readonly name: string; readonly ip: number; readonly host: string };

/**
 * The nodes of the NCP clusters of a realization, each with its pods (the workloads NCP created for
 * them: name, address, the node's host), once per cluster list (a patched realization keeps it).
 */
function ncpNodes(clusters: readonly RealizedCluster[]): ReadonlyMap<string, readonly PodAddress[]> {
  let nodes = ncpNodesOf.get(clusters);
  if (nodes === undefined) {
    const out = new Map<string, PodAddress[]>();
    for (const c of clusters) {
      if (c.spec.cni !== 'ncp') continue; // Antrea: no NSX objects for pods
      const own = new Map<string, PodAddress[]>();
      for (const node of keysOfMap(c.spec.nodes)) own.set(node, []);
      for (const pod of c.pods) {
        const list = own.get(pod.node);
        const host = c.spec.nodes[pod.node]?.host;
        if (pod.ip !== null && list !== undefined && host !== undefined) list.push({ name: `${pod.namespace}/${pod.name}`, ip: pod.ip, host });
      }
      for (const [node, list] of own) out.set(node, out.has(node) ? (AMBIGUOUS as PodAddress[]) : list);
    }
    ncpNodesOf.set(clusters, (nodes = out));
  }
  return nodes;
}

const ncpNodesOf = new WeakMap<readonly RealizedCluster[], ReadonlyMap<string, readonly PodAddress[]>>();

/** The names NCP marks failed for the user's `failed` names: the pods of failed nodes, cluster by cluster, in pod order (as kubernetes.ts realizes them). */
function ncpFailed(clusters: readonly RealizedCluster[], failed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const c of clusters) {
    if (c.spec.cni !== 'ncp') continue;
    for (const pod of c.pods) if (pod.ip !== null && failed.has(pod.node)) out.push(`${pod.namespace}/${pod.name}`);
  }
  return out;
}

/**
 * The names whose presence in `failed` realization reads, for scenario `s` realized as `r`:
 * virtual service placement reads SEs and their hosts; pool members' health reads workloads
 * (the user's and the created ones: SE NICs, Kubernetes nodes and pods) and their hosts, and
 * physical hosts; NCP reads Kubernetes nodes (their pods go down with them). Kept while the maps
 * it reads are the same objects (InputsMemo).
 */
function failureReads(s: Scenario, r: Realized): ReadonlySet<string> {
  return failureReadsMemo.get([s.workloads, r.created?.workloads, s.avi?.seGroups, s.physicalHosts, s.kubernetes], () => {
    const names = new Set<string>();
    for (const map of [s.workloads, r.created?.workloads]) {
      for (const [name, w] of entriesOf(map)) {
        names.add(name);
        if (typeof w?.host === 'string') names.add(w.host);
      }
    }
    for (const [, g] of entriesOf(s.avi?.seGroups)) {
      for (const [se, spec] of entriesOf(g?.serviceEngines)) {
        names.add(se);
        if (typeof spec?.host === 'string') names.add(spec.host);
      }
    }
    for (const [name] of entriesOf(s.physicalHosts)) names.add(name);
    for (const [, cluster] of entriesOf(s.kubernetes)) for (const [node] of entriesOf(cluster?.nodes)) names.add(node);
    return names;
  });
}

const failureReadsMemo = new InputsMemo<ReadonlySet<string>>();

/**
 * The realization of `s`. `from`: the scenario `s` was edited from, when known (a what-if edit,
 * an undo): its realization, if made, is reused like the latest one's when the edit left what
 * realization reads alone (the latest is another scenario after an undo or a branch).
 */
export function realize(s: Scenario, from?: Scenario): Realized {
  if (!s.avi && !s.kubernetes) return { scenario: s, avi: null, clusters: [], problems: [] };
  const cached = realizedOf.get(s);
  if (cached) {
    latest = { s, r: cached };
    return cached;
  }
  const frozen = Object.isFrozen(s);
  const reusable = (x: { readonly s: Scenario; readonly r: Realized } | null) => (x !== null && x.r.created && sameRealizeInputs(x.s, x.r, s) ? x.r : null);
  const fromRealized = from !== undefined ? realizedOf.get(from) : undefined;
  // The realization of the scenario edited first (an update compares its results with that
  // scenario's: the very same objects where it reuses or patches that one), else the latest one.
  const before = frozen ? ((fromRealized ? reusable({ s: from!, r: fromRealized }) : null) ?? reusable(latest)) : null;
  // An undo back to the scenario the edited one's realization was patched from (a virtual
  // service added, then removed again): that scenario's realization, when what it read holds the
  // very same objects again (a patch cannot take virtual services away).
  const ancestor = frozen && !before && fromRealized !== undefined ? patchedFrom(fromRealized) : undefined;
  const undone = ancestor !== undefined && sameRealizeInputs(ancestor.s, ancestor.r, s, true) ? ancestor.r : null;
  // An edit of virtual services or pools, or of the failure of SEs, hosts or workloads: the
  // previous Avi runtime patched (patchedRealization).
  const patched = frozen && !before && !undone ? ((fromRealized && patchedRealization(from!, fromRealized, s)) ?? (latest && patchedRealization(latest.s, latest.r, s))) : null;
  const kept = before ?? undone;
  const r = kept ? { ...kept, scenario: mergeCreated(s, kept.created!) } : (patched ?? realizeNow(s));
  if (frozen) {
    realizedOf.set(s, r);
    latest = { s, r };
  }
  return r;
}

/**
 * What validation needs of a realization nothing will reuse (a scenario that is not frozen is
 * not cached, so a Twin realizes it again): the problems, the created objects and the merged
 * scenario, without building the Avi runtime (`avi` is null). For a frozen scenario, realize().
 * Only for a scenario that passed the schema and the semantic rules. `keys`: Object.keys, or the
 * same lists already made.
 */
export function realizeForChecks(s: Scenario, keys: (map: object) => readonly string[] = keysOfMap, from?: Scenario): Realized {
  if ((!s.avi && !s.kubernetes) || Object.isFrozen(s)) return realize(s, from);
  return realizeNow(s, true, keys);
}

/** `keys`: Object.keys of the user's maps (validation passes the keys it already listed). */
function realizeNow(s: Scenario, lean = false, keys: (map: object) => readonly string[] = keysOfMap): Realized {
  const ctx = new RealizeContext(s, keys);
  const clusters = realizeKubernetes(ctx);
  const ako = realizeAko(ctx, clusters);
  // The user's virtual services (read by name, no object each), then AKO's.
  const userVs = s.avi?.virtualServices && typeof s.avi.virtualServices === 'object' ? s.avi.virtualServices : undefined;
  const akoVs: VsInput[] = [];
  for (const [name, spec] of entriesOf(ako.virtualServices)) {
    const origin = ako.createdFor.get(name)!;
    akoVs.push({ name, spec, createdFor: origin.why, path: origin.path, fieldPaths: origin.fieldPaths });
  }
  const avi = realizeAvi(ctx, { user: userVs, userNames: userVs ? keys(userVs) : [], ako: akoVs }, [s.avi?.pools, ako.pools], lean, keys);
  return { scenario: ctx.result(), avi, clusters, problems: ctx.problems, created: { tier1s: ctx.tier1s, segments: ctx.segments, workloads: ctx.workloads, failed: ctx.failed } };
}
