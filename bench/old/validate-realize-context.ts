// Baseline copy of scenario validation before the scale rework (second semantic pass over the
// whole realized scenario, per-object path arrays and messages, repeated address parsing), kept
// only so bench/validation-stages.ts and test/topology/validate-incremental-equal.test.ts can
// compare old and new. Do not use elsewhere.
// The shared state of one realization: the user's scenario, the objects controllers add to it
// (Tier-1s, segments, workloads — never changing what the user wrote), and the problems found,
// each naming the user's object that caused it.
import { formatPath } from '../../src/topology/errors.js';
import { parseIp } from '../../src/topology/ip.js';
import { entriesOf, nameMap, ownEntry, type Scenario, type SegmentSpec, type Tier1Spec, type WorkloadSpec } from '../../src/topology/scenario.js';

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
  private readonly createdBy = new Map<string, string>();
  /** Names a created workload must not take: the user's workloads, physical hosts and routers. */
  private readonly endpointNames: Set<string>;

  constructor(readonly input: Scenario) {
    this.endpointNames = new Set([...Object.keys(input.workloads ?? {}), ...Object.keys(input.physicalHosts ?? {}), ...Object.keys(input.physicalRouters ?? {})]);
    for (const [, w] of entriesOf(input.workloads)) {
      const ip = parseIp(w.ip);
      if (ip !== null) this.used.add(ip);
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

  private claimName(kind: string, existing: object | ReadonlySet<string> | undefined, name: string, by: readonly PathSeg[]): boolean {
    if (existing && (existing instanceof Set ? existing.has(name) : Object.hasOwn(existing, name))) {
      this.problem(by, `would create ${kind} ${JSON.stringify(name)}, but the scenario already has one`);
      return false;
    }
    const key = `${kind}\u0000${name}`;
    const other = this.createdBy.get(key);
    if (other !== undefined) {
      this.problem(by, `would create ${kind} ${JSON.stringify(name)}, already created for ${other}`);
      return false;
    }
    this.createdBy.set(key, formatPath(by));
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
    const s = this.input;
    const merged: Scenario = { ...s };
    if (Object.keys(this.tier1s).length) merged.tier1s = { ...s.tier1s, ...this.tier1s };
    if (Object.keys(this.segments).length) merged.segments = { ...s.segments, ...this.segments };
    if (Object.keys(this.workloads).length) merged.workloads = { ...s.workloads, ...this.workloads };
    if (this.failed.length) merged.failed = [...(s.failed ?? []), ...this.failed];
    return merged;
  }
}
