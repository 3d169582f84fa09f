// Route order and selection in one RIB: tables are sorted by prefix, distance, type and origin
// (locale-independent), and per prefix the usable routes of the lowest distance are selected
// (ties are ECMP).
import { comparePrefix, prefixKey, samePrefix } from '../../topology/ip.js';
import { TYPE_ORDER, type RibRoute } from './route.js';

/** Prefix, distance, type, then origin by code unit (locale-independent: same order everywhere). */
export function compareRoutes(a: RibRoute, b: RibRoute): number {
  return comparePrefix(a.prefix, b.prefix) || a.distance - b.distance || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0);
}

/**
 * Sorts a table in compareRoutes order. Large tables are sorted through one numeric key per route
 * (address, length, distance, type packed into 50 bits of a double), the origin text and the
 * table order breaking ties: the same order as compareRoutes, several times faster.
 */
export function sortRoutes(rib: RibRoute[]): void {
  const order = rib.length < 64 ? null : sortOrder(rib);
  if (order === null) {
    rib.sort(compareRoutes);
    return;
  }
  permute(rib, order);
}

/** The compareRoutes order of a table as a permutation (table order breaking ties), or null when a distance does not fit the packed key. */
export function sortOrder(rib: readonly RibRoute[]): Uint32Array | null {
  const n = rib.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rib[i];
    if (!(Number.isInteger(r.distance) && r.distance >= 0 && r.distance < 256)) return null;
    keys[i] = (r.prefix.addr >>> 0) * 262144 + r.prefix.len * 4096 + r.distance * 16 + TYPE_ORDER[r.type];
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => keys[a] - keys[b] || (rib[a].origin < rib[b].origin ? -1 : rib[a].origin > rib[b].origin ? 1 : a - b));
  return order;
}

/** Reorders `rib` in place: position i takes the route at order[i]. */
export function permute(rib: RibRoute[], order: Uint32Array): void {
  const copy = rib.slice();
  for (let i = 0; i < order.length; i++) rib[i] = copy[order[i]];
}

/**
 * Selection over a table sorted by prefix, one run of equal prefixes at a time (no map): for
 * each route, whether it is selected (usable, of the lowest usable distance of its prefix);
 * `set` writes it (and may replace the route in the table).
 */
export function forEachSelection(rib: RibRoute[], set: (k: number, selected: boolean) => void): void {
  selectRuns(rib, set);
}

/**
 * forEachSelection for the prefixes holding a marked route (`touched[k]` = 1) alone: the others'
 * selection is not asked for (their routes are those of a selected table).
 */
export function forEachTouchedSelection(rib: RibRoute[], touched: Uint8Array, set: (k: number, selected: boolean) => void): void {
  const n = rib.length;
  let k = touched.indexOf(1);
  while (k >= 0 && k < n) {
    const p = rib[k].prefix;
    let i = k;
    while (i > 0 && samePrefix(rib[i - 1].prefix, p)) i--;
    const j = arrayRunEnd(rib, p, k + 1);
    const best = bestDistance(rib, i, j);
    for (let m = i; m < j; m++) {
      const r = rib[m];
      set(m, !r.inactive && r.distance === best);
    }
    k = j < n ? touched.indexOf(1, j) : -1;
  }
}

/** selectRoutes on a table sorted by prefix. */
export function selectSorted(rib: RibRoute[]): void {
  selectRuns(rib, null);
}

/** The selection of each route, given to `set`, or (null) written to the route. */
function selectRuns(rib: RibRoute[], set: ((k: number, selected: boolean) => void) | null): void {
  const n = rib.length;
  let i = 0;
  while (i < n) {
    const j = arrayRunEnd(rib, rib[i].prefix, i + 1);
    const best = bestDistance(rib, i, j);
    for (let k = i; k < j; k++) {
      const r = rib[k];
      const selected = !r.inactive && r.distance === best;
      if (set === null) r.selected = selected;
      else set(k, selected);
    }
    i = j;
  }
}

/** The lowest distance of the usable routes rib[i, j) (Infinity when none is usable). */
function bestDistance(rib: readonly RibRoute[], i: number, j: number): number {
  let best = Infinity;
  for (let k = i; k < j; k++) {
    const r = rib[k];
    if (!r.inactive && r.distance < best) best = r.distance;
  }
  return best;
}

/** Marks, per prefix, the usable routes of the lowest distance as selected. */
export function selectRoutes(rib: RibRoute[]): void {
  const key = prefixKey;
  const best = new Map<number, number>();
  for (const r of rib) {
    if (r.inactive) continue;
    const d = best.get(key(r.prefix));
    if (d === undefined || r.distance < d) best.set(key(r.prefix), r.distance);
  }
  for (const r of rib) r.selected = !r.inactive && best.get(key(r.prefix)) === r.distance;
}

/**
 * Two tables sorted in compareRoutes order as one, the first one's route first on a tie (what
 * sorting their concatenation gives); `own` marks the positions that came from the second.
 * Where one side wins MIN_GALLOP times in a row (a few routes merged into a 150k-route table: a
 * ToR's own routes among its BGP routes, a Tier-0 table's head before its shared tail), the rest
 * of its stretch is found by galloping — doubling steps, then a binary search — and copied
 * without comparing each route (TimSort's rule: tables that interleave route by route, an SR's
 * routes and its BGP routes for the same prefixes, cost no more than a plain merge).
 */
export function mergeRuns(a: readonly RibRoute[], b: readonly RibRoute[]): { rib: RibRoute[]; own: Uint8Array } {
  const out = new Array<RibRoute>(a.length + b.length);
  const own = new Uint8Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  let winsA = 0;
  let winsB = 0;
  while (i < a.length && j < b.length) {
    if (compareRoutes(a[i], b[j]) <= 0) {
      out[k++] = a[i++];
      winsB = 0;
      if (++winsA >= MIN_GALLOP) {
        const bj = b[j];
        const end = gallop(a, i, (r) => compareRoutes(r, bj) <= 0);
        while (i < end) out[k++] = a[i++];
        winsA = 0;
      }
    } else {
      own[k] = 1;
      out[k++] = b[j++];
      winsA = 0;
      if (++winsB >= MIN_GALLOP && j < b.length) {
        const ai = a[i];
        const end = gallop(b, j, (r) => compareRoutes(ai, r) > 0);
        while (j < end) {
          own[k] = 1;
          out[k++] = b[j++];
        }
        winsB = 0;
      }
    }
  }
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) {
    own[k] = 1;
    out[k++] = b[j++];
  }
  return { rib: out, own };
}

/** Wins in a row after which mergeRuns gallops (TimSort's initial min_gallop). */
const MIN_GALLOP = 7;

/**
 * The first index from `from` on whose route fails `before` (which holds for a prefix of the
 * routes from `from` and fails for the rest): one comparison when the stretch is empty, and
 * O(log n) for a stretch of n.
 */
function gallop(list: readonly RibRoute[], from: number, before: (r: RibRoute) => boolean): number {
  if (from >= list.length || !before(list[from])) return from;
  // list[lo] is before; find a hi that is not (or the end), doubling the step.
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < list.length && before(list[hi])) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > list.length) hi = list.length;
  // Binary search in (lo, hi): the first that is not before.
  let l = lo + 1;
  while (l < hi) {
    const m = (l + hi) >>> 1;
    if (before(list[m])) l = m + 1;
    else hi = m;
  }
  return l;
}

/** The end of prefix `p`'s routes in `rib` (an array being built, sorted by prefix) from `lo` on (route.ts runEnd reads a final table). */
function arrayRunEnd(rib: readonly RibRoute[], p: RibRoute['prefix'], lo: number): number {
  let hi = lo;
  while (hi < rib.length) {
    const q = rib[hi].prefix;
    if (q !== p && !samePrefix(q, p)) break;
    hi++;
  }
  return hi;
}
