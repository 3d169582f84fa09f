// The shared state of one realization: the user's scenario, the objects controllers add to it
// (Tier-1s, segments, workloads — never changing what the user wrote), and the problems found,
// each naming the user's object that caused it.
import { formatPath } from '../errors.js';
import { parseIp } from '../ip.js';
import { isFrozenObject, keysOfMap, nameMap, ownEntry, type Scenario, type SegmentSpec, type Tier1Spec, type WorkloadSpec } from '../scenario.js';

export type PathSeg = string | number;

export interface RealizeProblem {
  readonly path: readonly PathSeg[];
  readonly message: string;
}

export class RealizeContext {
  // Prototype-free maps: a created object named like an Object.prototype member is plain data.
  readonly tier1s: Record<string, Tier1Spec> = nameMap();
  readonly segments: Record<string, SegmentSpec> = nameMap();
  readonly workloads: Record<string, WorkloadSpec> = nameMap();
  /** Objects to mark failed (SE NICs of failed SEs). */
  readonly failed: string[] = [];
  readonly problems: RealizeProblem[] = [];
  /** Addresses in use on overlay/VLAN segments: user workloads and everything created so far. */
  private readonly used = new Set<number>();
  /** Created name (kind NUL name) → the path of the object it was created for (formatted only for a problem). */
  private readonly createdBy = new Map<string, readonly PathSeg[]>();
  /** Names a created workload must not take: the user's workloads, physical hosts and routers. */
  private readonly endpointNames: { has(name: string): boolean };

  /** `keys`: Object.keys of the user's maps (or the same lists, already made). */
  constructor(
    readonly input: Scenario,
    keys: (map: object) => readonly string[] = keysOfMap,
  ) {
    // Looked up in the user's maps (own enumerable keys, as Object.keys lists them), not copied.
    const maps: unknown[] = [input.workloads, input.physicalHosts, input.physicalRouters];
    this.endpointNames = maps.some((m) => typeof m === 'string')
      ? new Set(maps.flatMap((m) => Object.keys(m ?? {})))
      : { has: (name) => maps.some((m) => !!m && typeof m === 'object' && Object.prototype.propertyIsEnumerable.call(m, name)) };
    const workloads = input.workloads;
    if (workloads && typeof workloads === 'object') {
      for (const name of keys(workloads)) {
        const ip = parseIp(workloads[name].ip);
        if (ip !== null) this.used.add(ip);
      }
    }
  }

  problem(path: readonly PathSeg[], message: string): void {
    this.problems.push({ path, message });
  }

  /** True when `name` is an ESXi host transport node; otherwise reports it at `path`. */
  requireHost(path: readonly PathSeg[], name: string): boolean {
    const tn = ownEntry(this.input.transportNodes, name);
    if (tn && tn.type === 'host') return true;
    this.problem(path, `no host transport node named ${JSON.stringify(name)}`);
    return false;
  }

  isUsed(ip: number): boolean {
    return this.used.has(ip);
  }

  private claimName(kind: string, existing: object | undefined, name: string, by: readonly PathSeg[]): boolean {
    if (existing && (existing === this.endpointNames ? this.endpointNames.has(name) : Object.hasOwn(existing, name))) {
      this.problem(by, `would create ${kind} ${JSON.stringify(name)}, but the scenario already has one`);
      return false;
    }
    const key = `${kind}\u0000${name}`;
    const other = this.createdBy.get(key);
    if (other !== undefined) {
      this.problem(by, `would create ${kind} ${JSON.stringify(name)}, already created for ${formatPath(other)}`);
      return false;
    }
    this.createdBy.set(key, by);
    return true;
  }

  addTier1(by: readonly PathSeg[], name: string, t1: Tier1Spec): void {
    if (this.claimName('Tier-1', this.input.tier1s, name, by)) this.tier1s[name] = t1;
  }

  addSegment(by: readonly PathSeg[], name: string, seg: SegmentSpec): void {
    if (this.claimName('segment', this.input.segments, name, by)) this.segments[name] = seg;
  }

  addWorkload(by: readonly PathSeg[], name: string, w: WorkloadSpec): void {
    const ip = parseIp(w.ip);
    if (ip === null) {
      this.problem(by, `invalid IPv4 address ${JSON.stringify(w.ip)} for ${JSON.stringify(name)}`);
      return;
    }
    if (this.used.has(ip)) {
      this.problem(by, `address ${w.ip} of ${JSON.stringify(name)} is already in use`);
      return;
    }
    if (!this.claimName('workload', this.endpointNames, name, by)) return;
    this.used.add(ip);
    this.workloads[name] = w;
  }

  /** The user's scenario plus everything created, as one scenario (the user's objects first). */
  result(): Scenario {
    return mergeCreated(this.input, this);
  }
}

/** What the controllers created, beside the user's objects. */
export interface Created {
  readonly tier1s: Readonly<Record<string, Tier1Spec>>;
  readonly segments: Readonly<Record<string, SegmentSpec>>;
  readonly workloads: Readonly<Record<string, WorkloadSpec>>;
  readonly failed: readonly string[];
}

/** `s` plus the created objects, as one scenario (the user's objects first). */
export function mergeCreated(s: Scenario, created: Created): Scenario {
  const merged: Scenario = { ...s };
  if (hasEntries(created.tier1s)) merged.tier1s = mergedMap(s.tier1s, created.tier1s);
  if (hasEntries(created.segments)) merged.segments = mergedMap(s.segments, created.segments);
  if (hasEntries(created.workloads)) merged.workloads = mergedMap(s.workloads, created.workloads);
  if (created.failed.length) merged.failed = [...(s.failed ?? []), ...created.failed];
  return merged;
}

/**
 * Whether a created map has entries, answered once per map: a realization's created maps do not
 * change once it is made, and an edit that reuses it merges them again (Object.keys of the
 * 8,000 SE NICs of size L, each time, is a millisecond or two).
 */
const nonEmpty = new WeakMap<object, boolean>();

function hasEntries(map: object): boolean {
  let known = nonEmpty.get(map);
  if (known === undefined) nonEmpty.set(map, (known = Object.keys(map).length > 0));
  return known;
}

/**
 * A user's frozen map merged with a created one, per pair of maps: an edit that reuses the
 * previous realization (its created objects) and left this map of the user's alone gets the same
 * merged map — frozen, so its names are listed once (keysOfMap) — instead of copying 44,000
 * segments or 40,000 workloads again.
 */
const mergedMaps = new WeakMap<object, WeakMap<object, object>>();

function mergedMap<T>(user: Readonly<Record<string, T>> | undefined, created: Readonly<Record<string, T>>): Record<string, T> {
  if (user === undefined || !isFrozenObject(user)) return { ...user, ...created };
  let byCreated = mergedMaps.get(user);
  if (byCreated === undefined) mergedMaps.set(user, (byCreated = new WeakMap()));
  let merged = byCreated.get(created) as Record<string, T> | undefined;
  if (merged === undefined) byCreated.set(created, (merged = Object.freeze({ ...user, ...created })));
  return merged;
}
