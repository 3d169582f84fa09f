// What a change did to the forwarding tables: the selected routes of every router component
// before and after, compared by component and prefix (components are named, so the comparison
// holds across scenarios whose component ids differ). When both twins have the same model shape
// (an update that added or removed nothing), only the tables that are not the very same array
// are compared, side by side by prefix, and only prefixes whose routes differ are rendered: the
// cost follows the change, not the network. Two tables of one layout (a ToR's remapped table
// after an edge failed) are compared through their keys, without making their routes. Twins of different shapes have their components
// matched by name and their tables walked the same way (text only for what differs).
import { formatIp, formatPrefix, samePrefix } from '../../topology/ip.js';
import { RibTable, alignTables, runEnd, sameRun, type RibRoute } from '../ribs/route.js';
import { keyHops, sameLayout, tableKeys } from '../ribs/install.js';
import type { Twin } from '../twin.js';
import { modelDelta, reshapedFrom } from '../model/delta.js';

export interface RouteChange {
  /** e.g. "t0-lhr T0_SR (edge-01)", "The-Tier-1 T1_DR", "tor-01 PHYSICAL_ROUTER". */
  readonly component: string;
  readonly prefix: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** "type via next hops" before and after (absent when added / removed). */
  readonly before?: string;
  readonly after?: string;
}

function labelOf(t: Twin, id: number): string {
  const net = t.network;
  const c = net.components[id];
  return `${c.name} ${c.type}${c.node >= 0 && c.type !== 'PHYSICAL_ROUTER' ? ` (${net.nodes[c.node].name})` : ''}`;
}

/**
 * The next hops of a route as the diff shows them, made once per next-hop list (a final table's
 * lists never change, and routes share them: a ToR's BGP routes of one decision hold one list).
 */
const hopsText = new WeakMap<RibRoute['nextHops'], { readonly hops: string; readonly byType: Partial<Record<RibRoute['type'], string>> }>();

/** A prefix's text, made once per prefix object (the tables of a Tier-0's SRs, or of the ToRs, share them). */
const prefixTexts = new WeakMap<RibRoute['prefix'], string>();

function prefixOf(p: RibRoute['prefix']): string {
  let text = prefixTexts.get(p);
  if (text === undefined) prefixTexts.set(p, (text = formatPrefix(p)));
  return text;
}

/** One route as the diff shows it: "type via next hops". */
function routeText(r: RibRoute): string {
  return textOf(r.type, r.nextHops);
}

/** "type via next hops", made once per next-hop list and type (the routes of one decision share both). */
function textOf(type: RibRoute['type'], list: RibRoute['nextHops']): string {
  let known = hopsText.get(list);
  if (known === undefined) {
    known = { hops: list.map((h) => (h.blackhole ? 'null' : h.ip === null ? 'connected' : formatIp(h.ip))).join(', '), byType: {} };
    hopsText.set(list, known);
  }
  return (known.byType[type] ??= `${type} via ${known.hops}`);
}

/** The selected routes of one prefix as the diff shows them ("; " between routes). */
function prefixText(rib: RibTable, from: number, to: number): string | undefined {
  return shownText(rib, rib, from, to);
}

/**
 * The selected routes `routes`[from, to) of one prefix as the diff shows them, with the next hops
 * `table` gives them (`routes` itself, or the base of the remapped `table`: read through hopsAt,
 * its routes not made).
 */
function shownText(routes: RibTable, table: RibTable, from: number, to: number): string | undefined {
  let text: string | undefined;
  for (let k = from; k < to; k++) {
    const r = routes.shapeAt(k);
    if (!r.selected) continue;
    const t = textOf(r.type, table.hopsAt(k));
    text = text === undefined ? t : `${text}; ${t}`;
  }
  return text;
}

function fib(t: Twin, only?: readonly number[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const id of only ?? t.network.components.map((c) => c.id)) {
    const table = new Map<string, string>();
    for (const r of t.routing.ribs[id]) {
      if (!r.selected) continue;
      const p = formatPrefix(r.prefix);
      const text = routeText(r);
      table.set(p, table.has(p) ? `${table.get(p)}; ${text}` : text);
    }
    out.set(labelOf(t, id), table);
  }
  return out;
}

/** The same route as the diff sees it (type, next-hop addresses, connected or null). */
function sameShown(a: RibRoute, b: RibRoute): boolean {
  if (a === b) return true;
  if (a.type !== b.type || a.selected !== b.selected || a.nextHops.length !== b.nextHops.length) return false;
  if (a.nextHops === b.nextHops) return true;
  for (let k = 0; k < a.nextHops.length; k++) {
    const x = a.nextHops[k];
    const y = b.nextHops[k];
    if (x.blackhole !== y.blackhole || x.ip !== y.ip) return false;
  }
  return true;
}

/**
 * The changes of one table, walking both (sorted by prefix) side by side: a prefix whose
 * routes are the same objects or show the same is skipped without building any text.
 */
function diffTable(label: string, a: RibTable, b: RibTable, out: RouteChange[]): void {
  if (sameLayout(a, b) && diffRemapped(label, a, b, out)) return;
  // Aligned by reference (an updated table keeps the route objects of what did not change): only
  // the prefixes around a difference are read.
  alignTables(a, b, null, (i, i2, j, j2) => {
    if (sameRun(a, i, i2, b, j, j2, sameShown)) return;
    const p = i2 > i ? a.shapeAt(i).prefix : b.shapeAt(j).prefix;
    const u = prefixText(a, i, i2);
    const v = prefixText(b, j, j2);
    if (u === v) return;
    const prefix = prefixOf(p);
    if (u === undefined) out.push({ component: label, prefix, change: 'added', after: v });
    else if (v === undefined) out.push({ component: label, prefix, change: 'removed', before: u });
    else out.push({ component: label, prefix, change: 'changed', before: u, after: v });
  });
}

/**
 * diffTable for two tables of one layout (one a remap of the other, or both of one base: a ToR's
 * table after an edge failed). Only the routes holding a key whose next-hop list differs between
 * the two (ribs/install tableKeys) can differ, found by the key at each position; their prefixes'
 * texts are made from each table's lists (`hopsAt`) without making either table's routes. False
 * when the base table has no keys (the caller aligns the tables).
 */
function diffRemapped(label: string, a: RibTable, b: RibTable, out: RouteChange[]): boolean {
  const base = b.remapLayer()?.base ?? b;
  const keys = tableKeys(base);
  if (keys === null) return false;
  const x = keyHops(a, keys);
  const y = keyHops(b, keys);
  // Per key (index + 1, as tableKeys numbers positions): 1 when its routes hold another list in `b`.
  const changed = new Uint8Array(keys.hops.length + 1);
  let any = false;
  for (let k = 0; k < keys.hops.length; k++) {
    if (x[k] === y[k]) continue;
    changed[k + 1] = 1;
    any = true;
  }
  if (!any) return true;
  // Read through shapes: a base made of another's (an alike ToR's) stays unmade.
  const { keyAt } = keys;
  for (let i = 0; i < base.length; i++) {
    if (!changed[keyAt[i]]) continue;
    // The prefix's routes [lo, hi) around position i.
    const p = base.shapeAt(i).prefix;
    let lo = i;
    while (lo > 0 && (base.shapeAt(lo - 1).prefix === p || samePrefix(base.shapeAt(lo - 1).prefix, p))) lo--;
    const hi = runEnd(base, p, i + 1);
    const u = shownText(base, a, lo, hi);
    const v = shownText(base, b, lo, hi);
    i = hi - 1;
    if (u === v) continue;
    const prefix = prefixOf(p);
    if (u === undefined) out.push({ component: label, prefix, change: 'added', after: v });
    else if (v === undefined) out.push({ component: label, prefix, change: 'removed', before: u });
    else out.push({ component: label, prefix, change: 'changed', before: u, after: v });
  }
  return true;
}

/** Route changes from `before` to `after`, sorted by component then prefix (deterministic); `everyComponent` compares every table (the reference the incremental comparison is tested against). */
export function diffRoutes(before: Twin, after: Twin, opts: { everyComponent?: boolean } = {}): RouteChange[] {
  const out: RouteChange[] = [];
  const byLabel = (t: Twin) => {
    const m = new Map<string, number>();
    for (let c = 0; c < t.network.components.length; c++) m.set(labelOf(t, c), c);
    return m.size === t.network.components.length ? m : null;
  };
  const a = opts.everyComponent ? null : byLabel(before);
  const b = a ? byLabel(after) : null;
  // The same components (the same model, with other states, or reshaped by segments added or
  // removed at the end): only the tables that are other objects are compared.
  if (!opts.everyComponent && (modelDelta(before.network, after.network) || reshapedFrom(before.network, after.network))) {
    for (let c = 0; c < after.routing.ribs.length; c++) {
      if (before.routing.ribs[c] !== after.routing.ribs[c]) diffTable(labelOf(after, c), before.routing.ribs[c], after.routing.ribs[c], out);
    }
  } else if (a && b) {
    // Different shapes: components matched by name, each pair of tables walked side by side.
    for (const label of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(label);
      const y = b.get(label);
      diffTable(label, x === undefined ? RibTable.empty : before.routing.ribs[x], y === undefined ? RibTable.empty : after.routing.ribs[y], out);
    }
  } else {
    const a = fib(before);
    const b = fib(after);
    for (const comp of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      const x = a.get(comp) ?? new Map<string, string>();
      const y = b.get(comp) ?? new Map<string, string>();
      for (const p of [...new Set([...x.keys(), ...y.keys()])]) {
        const u = x.get(p);
        const v = y.get(p);
        if (u === v) continue;
        if (u === undefined) out.push({ component: comp, prefix: p, change: 'added', after: v });
        else if (v === undefined) out.push({ component: comp, prefix: p, change: 'removed', before: u });
        else out.push({ component: comp, prefix: p, change: 'changed', before: u, after: v });
      }
    }
  }
  return sortChanges(out);
}

/**
 * The changes in the diff's order: by component label, then by the prefix text right-aligned in
 * 18 characters (a shorter text first, then character by character), changes that tie in the
 * order found. Compared without building a key per comparison (a failed edge at L changes 1.2 M
 * routes): labels are sorted once, and prefix texts (at most 18 characters) by length, then text.
 */
export function sortChanges(out: readonly RouteChange[]): RouteChange[] {
  const byLabel = new Map<string, number[]>();
  for (let i = 0; i < out.length; i++) {
    const list = byLabel.get(out[i].component);
    if (list) list.push(i);
    else byLabel.set(out[i].component, [i]);
  }
  const sorted: RouteChange[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const list = byLabel.get(label)!;
    list.sort((m, n) => {
      const a = out[m].prefix;
      const b = out[n].prefix;
      return a.length - b.length || (a < b ? -1 : a > b ? 1 : m - n);
    });
    for (const i of list) sorted.push(out[i]);
  }
  return sorted;
}
