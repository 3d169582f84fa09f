// Baseline copy of scenario validation before the scale rework (second semantic pass over the
// whole realized scenario, per-object path arrays and messages, repeated address parsing), kept
// only so bench/validation-stages.ts and test/topology/validate-incremental-equal.test.ts can
// compare old and new. Do not use elsewhere.
// Realization: what the controllers make of a scenario's declarations, as NSX objects the engine
// already models. NCP turns Kubernetes clusters into a Tier-1, segments, nodes and pods; AKO turns
// Services and Ingresses into Avi virtual services and pools; the Avi controller places virtual
// services on SEs, gives SEs their data NICs and injects VIP routes. The user's objects are never
// changed: created objects are added beside them, and conflicts are reported as problems.
import { entriesOf, type PoolSpec, type Scenario } from '../../src/topology/scenario.js';
import { realizeAko } from './validate-realize-ako.js';
import { realizeAvi, type AviRuntime } from './validate-realize-avi-controller.js';
import { RealizeContext, type RealizeProblem } from './validate-realize-context.js';
import { realizeKubernetes, type RealizedCluster } from './validate-realize-kubernetes.js';

export type { AviRuntime, AviVirtualService, AviServiceEngine, AviPool, AviVrf } from './validate-realize-avi-controller.js';
export type { RealizedCluster, RealizedPod } from './validate-realize-kubernetes.js';
export type { RealizeProblem } from './validate-realize-context.js';
export { fnv1a32, shardOf } from './validate-realize-ako.js';

export interface Realized {
  /** The user's scenario plus the created objects (what the NSX data plane sees). */
  readonly scenario: Scenario;
  readonly avi: AviRuntime | null;
  readonly clusters: readonly RealizedCluster[];
  readonly problems: readonly RealizeProblem[];
}

/**
 * Realizations of frozen scenarios (a loaded scenario is a deep-frozen immer snapshot, so its
 * realization cannot change): validation realizes the scenario and the Twin built from it then
 * finds the same result here instead of realizing it a second time. Edits make new snapshots.
 */
const realizedOf = new WeakMap<Scenario, Realized>();

export function realize(s: Scenario): Realized {
  if (!s.avi && !s.kubernetes) return { scenario: s, avi: null, clusters: [], problems: [] };
  const cached = realizedOf.get(s);
  if (cached) return cached;
  const r = realizeNow(s);
  if (Object.isFrozen(s)) realizedOf.set(s, r);
  return r;
}

function realizeNow(s: Scenario): Realized {
  const ctx = new RealizeContext(s);
  const clusters = realizeKubernetes(ctx);
  const ako = realizeAko(ctx, clusters);
  const virtualServices = [
    ...entriesOf(s.avi?.virtualServices).map(([name, spec]) => ({ name, spec, createdFor: null, path: ['avi', 'virtualServices', name], fieldPaths: {} })),
    ...entriesOf(ako.virtualServices).map(([name, spec]) => {
      const origin = ako.createdFor.get(name)!;
      return { name, spec, createdFor: origin.why, path: origin.path, fieldPaths: origin.fieldPaths };
    }),
  ];
  const pools = new Map<string, PoolSpec>([...entriesOf(s.avi?.pools), ...entriesOf(ako.pools)]);
  const avi = realizeAvi(ctx, virtualServices, pools);
  return { scenario: ctx.result(), avi, clusters, problems: ctx.problems };
}
