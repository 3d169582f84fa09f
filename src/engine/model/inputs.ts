// Whether an edit can have changed the expanded model: the parts of a (realized) scenario that
// expand.ts reads — transport nodes, edge clusters, segments, workloads, physical hosts, failures,
// settings, and of each gateway and physical router only its placement and interfaces (HA mode,
// edge cluster and edges, Tier-0, transit subnets, uplinks, router interfaces). An edit of a
// static route, a NAT or firewall rule, a route map, an advertisement type or a virtual service
// leaves them all the same, and the previous model is the model; an edit of the failures alone
// gives the previous model with other states (expand.ts withFailures). Compared by identity
// first (immer shares what an edit did not touch), then by value. Segments and workloads of a
// realized scenario are new maps after every realization (the user's merged with the created
// ones): given what they were merged from, those are compared instead.
import { changedNames, sameKeys, type Scenario } from '../../topology/scenario.js';
import type { Realized } from '../../topology/realize/index.js';
import { sameValue } from '../incremental/same-value.js';

const TIER0_MODEL_FIELDS = ['haMode', 'edgeCluster', 'internalTransitSubnet', 'transitSubnet', 'uplinks'] as const;
const TIER1_MODEL_FIELDS = ['tier0', 'edgeCluster', 'edges', 'haMode'] as const;

/** A realized scenario and what realization merged it from: the user's scenario and the created objects. */
export interface MergedFrom {
  readonly user: Scenario;
  readonly created: Realized['created'];
}

/** `exceptSegments`: the segments are not compared (the caller compares them: model/grow.ts). */
export function sameModelInputs(a: Scenario, b: Scenario, opts: { exceptFailures?: boolean; exceptSegments?: boolean; from?: readonly [MergedFrom, MergedFrom] } = {}): boolean {
  if (a === b) return true;
  const whole = ['settings', 'transportNodes', 'edgeClusters', 'segments', 'workloads', 'physicalHosts'] as const;
  for (const k of whole) {
    if (k === 'segments' && opts.exceptSegments) continue;
    if (!(k === 'segments' || k === 'workloads' ? sameMerged(a, b, k, opts.from) : sameValue(a[k], b[k]))) return false;
  }
  if (!opts.exceptFailures && !sameValue(a.failed, b.failed)) return false;
  return sameFields(a.tier0s, b.tier0s, TIER0_MODEL_FIELDS) && sameFields(a.tier1s, b.tier1s, TIER1_MODEL_FIELDS) && sameFields(a.physicalRouters, b.physicalRouters, ['interfaces']);
}

/**
 * The same realized map: the same user's map and the same created one (their merge is the same:
 * realize/context.ts result()); else, without what they were merged from, compared as they are.
 * Different parts answer false (the model is rebuilt: never a wrong answer, at worst a slower one).
 */
function sameMerged(a: Scenario, b: Scenario, k: 'segments' | 'workloads', from: readonly [MergedFrom, MergedFrom] | undefined): boolean {
  if (a[k] === b[k]) return true;
  const [x, y] = from ?? [];
  if (!x?.created || !y?.created) return sameValue(a[k], b[k]);
  return sameValue(x.user[k], y.user[k]) && sameValue(x.created[k], y.created[k]);
}

/**
 * The same keys in the same order, and for each entry the same values of `fields`: only the
 * entries that are not the same objects are read (changedNames, listed once per pair of maps and
 * shared with validation and realization), not every Tier-1 of the map.
 */
function sameFields<T extends object>(a: Record<string, T> | undefined, b: Record<string, T> | undefined, fields: readonly (keyof T)[]): boolean {
  if (a === b) return true;
  if (!a || !b || !sameKeys(a, b)) return false;
  for (const name of changedNames(a, b)) {
    const x = a[name];
    const y = b[name];
    for (const f of fields) if (!sameValue(x[f], y[f])) return false;
  }
  return true;
}
