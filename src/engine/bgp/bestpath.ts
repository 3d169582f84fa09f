// BGP best-path selection as FRRouting does it, step by step, with the step that decided each
// comparison: weight, local preference, locally originated, AS-path length, origin, MED (same
// neighbour AS unless always-compare-med, grouped as FRR's deterministic-med), eBGP over iBGP,
// then router id and peer address (the deterministic tie-breaks; FRR's "oldest eBGP path" is
// not modelled). A path eliminated inside its deterministic-MED group is explained by the group
// winner that beat it, not by the overall best it was never compared with. NSX: on a Tier-0 SR a
// northbound path always beats the same prefix learned over inter-SR iBGP.
import { formatIp } from '../../topology/ip.js';
import type { BgpPath, Speaker } from './types.js';

export const ORIGIN_RANK = { igp: 0, egp: 1, incomplete: 2 } as const;
export const DEFAULT_LOCAL_PREF = 100;

export interface Comparison {
  /** < 0 when a is better, > 0 when b is better. */
  readonly order: number;
  /** The best-path step that decided, e.g. "local preference". */
  readonly step: string;
  /** a and b tie on every step before the tie-breaks and qualify as multipath partners. */
  readonly multipathEqual: boolean;
}

function neighborAs(p: BgpPath, sp: Speaker): number {
  return p.attrs.asPath.length ? p.attrs.asPath[0] : sp.asn;
}

function decided(order: number, step: string): Comparison {
  return { order, step, multipathEqual: false };
}

export function comparePaths(a: BgpPath, b: BgpPath, sp: Speaker): Comparison {
  if (sp.kind === 'tier0-sr') {
    const ai = a.peerType === 'inter-sr' ? 1 : 0;
    const bi = b.peerType === 'inter-sr' ? 1 : 0;
    if (ai !== bi) return decided(ai - bi, 'northbound over inter-SR (NSX)');
  }
  if (a.attrs.weight !== b.attrs.weight) return decided(b.attrs.weight - a.attrs.weight, 'weight');
  const lpA = a.attrs.localPref ?? DEFAULT_LOCAL_PREF;
  const lpB = b.attrs.localPref ?? DEFAULT_LOCAL_PREF;
  if (lpA !== lpB) return decided(lpB - lpA, 'local preference');
  const localA = a.session < 0 ? 0 : 1;
  const localB = b.session < 0 ? 0 : 1;
  if (localA !== localB) return decided(localA - localB, 'locally originated');
  if (a.attrs.asPath.length !== b.attrs.asPath.length) return decided(a.attrs.asPath.length - b.attrs.asPath.length, 'AS-path length');
  if (a.attrs.origin !== b.attrs.origin) return decided(ORIGIN_RANK[a.attrs.origin] - ORIGIN_RANK[b.attrs.origin], 'origin');
  if (sp.alwaysCompareMed || neighborAs(a, sp) === neighborAs(b, sp)) {
    const medA = a.attrs.med ?? 0;
    const medB = b.attrs.med ?? 0;
    if (medA !== medB) return decided(medA - medB, 'MED');
  }
  const ebgpA = a.peerType === 'ebgp' ? 0 : 1;
  const ebgpB = b.peerType === 'ebgp' ? 0 : 1;
  if (ebgpA !== ebgpB) return decided(ebgpA - ebgpB, 'eBGP over iBGP');
  // Multipath (FRR bgp_path_info_cmp): with multipath-relax any two paths that tie so far; else
  // eBGP paths from the same neighbouring AS, iBGP paths with an identical AS path.
  const samePath = a.attrs.asPath.length === b.attrs.asPath.length && a.attrs.asPath.every((x, i) => x === b.attrs.asPath[i]);
  const eligible = sp.multipathRelax || (a.peerType === 'ebgp' ? neighborAs(a, sp) === neighborAs(b, sp) : samePath);
  const multipathEqual = a.session >= 0 && b.session >= 0 && a.peerType === b.peerType && eligible;
  if (a.peerRouterId !== b.peerRouterId) return { order: a.peerRouterId - b.peerRouterId, step: 'router id', multipathEqual };
  if (a.peerAddress !== b.peerAddress) return { order: a.peerAddress - b.peerAddress, step: 'peer address', multipathEqual };
  return { order: 0, step: 'identical', multipathEqual };
}

export interface Selection {
  /** Index (into the candidate list) of the best path, -1 if none. */
  readonly best: number;
  /** Indexes of the multipath set (best first), within maximum-paths. */
  readonly multipath: readonly number[];
  /** Per candidate: why it won or lost — against the path that eliminated it (its
   * deterministic-MED group's best, or the overall best). */
  readonly reasons: readonly string[];
}

/**
 * Selects the best path and the multipath set among the candidates for one prefix. With
 * `explain` false the reasons are left empty (the control plane explains on demand).
 */
export function selectBest(paths: readonly BgpPath[], sp: Speaker, explain = true): Selection {
  if (!paths.length) return { best: -1, multipath: [], reasons: [] };
  // Deterministic MED (FRR `bgp deterministic-med`): the best of each neighbour-AS group first,
  // then the group winners, so the result never depends on the order paths arrived in.
  const groupBest = new Map<number, number>();
  for (let i = 0; i < paths.length; i++) {
    const g = neighborAs(paths[i], sp);
    const cur = groupBest.get(g);
    if (cur === undefined || comparePaths(paths[i], paths[cur], sp).order < 0) groupBest.set(g, i);
  }
  let best = -1;
  for (const i of [...groupBest.values()].sort((x, y) => x - y)) if (best < 0 || comparePaths(paths[i], paths[best], sp).order < 0) best = i;
  const reasons: string[] = new Array(paths.length);
  const multipath: number[] = [best];
  const bestPath = paths[best];
  const bestGroup = neighborAs(bestPath, sp);
  // The paths the best actually beat: its own group, then the other groups' winners. A path that
  // lost inside another group was never compared with the best (MED makes "better" intransitive).
  const max = bestPath.peerType === 'ebgp' ? sp.maxPathsEbgp : sp.maxPathsIbgp;
  const others = paths.map((_, i) => i).filter((i) => i !== best);
  // Candidates for multipath in tie-break order, so the set is deterministic.
  others.sort((i, j) => comparePaths(paths[i], paths[j], sp).order || i - j);
  let decidingStep = 'only path';
  for (const i of others) {
    const c = comparePaths(bestPath, paths[i], sp);
    if (decidingStep === 'only path' || decidingStep === 'identical') decidingStep = c.step;
    const group = neighborAs(paths[i], sp);
    const groupWinner = groupBest.get(group)!;
    if (c.multipathEqual && multipath.length < max) {
      multipath.push(i);
      if (explain) reasons[i] = `multipath with the best path (equal up to ${c.step})`;
    } else if (!explain) continue;
    else if (group !== bestGroup && groupWinner !== i) {
      // Eliminated inside its own neighbour-AS group before the group winners were compared.
      const g = comparePaths(paths[groupWinner], paths[i], sp);
      reasons[i] = `lost to ${describe(paths[groupWinner])} at ${g.step} (deterministic-MED group of AS ${group})`;
    } else reasons[i] = `lost to ${describe(bestPath)} at ${c.step}`;
  }
  if (!explain) return { best, multipath, reasons: [] };
  const beaten = paths.filter((p, i) => i !== best && (neighborAs(p, sp) === bestGroup || groupBest.get(neighborAs(p, sp)) === i));
  reasons[best] = others.length ? `best: won at ${firstDecidingStep(bestPath, beaten, sp)}` : 'best: only path';
  return { best, multipath, reasons };
}

/** The earliest step at which the best path beat any path it was compared with (what users ask: why this one). */
function firstDecidingStep(best: BgpPath, others: BgpPath[], sp: Speaker): string {
  const steps = ['northbound over inter-SR (NSX)', 'weight', 'local preference', 'locally originated', 'AS-path length', 'origin', 'MED', 'eBGP over iBGP', 'router id', 'peer address', 'identical'];
  let min = steps.length - 1;
  for (const o of others) min = Math.min(min, steps.indexOf(comparePaths(best, o, sp).step));
  return steps[min];
}

function describe(p: BgpPath): string {
  return p.session < 0 ? 'the locally originated path' : `the path from ${formatIp(p.peerAddress)}`;
}
