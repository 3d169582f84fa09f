// Comparison of nsx-twin's BGP view and FIB with what FRR computed for the same scenario, and the
// per-topology expectations about FRR itself. Pure functions returning a list of human-readable
// differences (empty = equal), so a failing test prints a short diff.
import type { BgpRibEntry } from '../../src/engine/queries/bgp-view.js';
import type { FrrBgpEntry, FrrFibRoute } from './frr-lab.js';

/** nsx-twin's BGP table entry. */
export type TwinBgpEntry = BgpRibEntry;

/** A route of nsx-twin's `twin.routes({ router }).routes`. */
export interface TwinRoute {
  prefix: string;
  type: string;
  selected: boolean;
  nextHops: { ip: string | null; interface: string | null }[];
}

/** Fields of a BGP path that must be equal (prefix, nextHop and peer identify the path). */
export const COMPARED_FIELDS = ['asPath', 'origin', 'localPref', 'med', 'communities', 'largeCommunities', 'weight', 'best', 'multipath', 'peer'] as const;
type Field = (typeof COMPARED_FIELDS)[number];

/** Communities are sets: compared sorted. */
const SET_FIELDS = new Set<Field>(['communities', 'largeCommunities']);

/**
 * FRR's selection reasons that depend on history rather than attributes: which of two equally
 * good eBGP paths is best is the one that arrived first ("Older Path"). A model of the steady
 * state cannot predict it, so for such prefixes only "exactly one best, among FRR's valid paths"
 * is required.
 */
export const HISTORY_REASONS = new Set(['Older Path']);

const show = (v: unknown) => JSON.stringify(v);
const key = (e: { prefix: string; nextHop: string; peer: string | null }) => `${e.prefix} via ${e.nextHop} (${e.peer === null ? 'local' : `peer ${e.peer}`})`;

function fieldValue(e: FrrBgpEntry | TwinBgpEntry, f: Field): unknown {
  const v = e[f] as unknown;
  return SET_FIELDS.has(f) && Array.isArray(v) ? [...v].sort() : v;
}

function fieldDiffs(frr: FrrBgpEntry, twin: TwinBgpEntry, skip: ReadonlySet<Field>): string[] {
  const out: string[] = [];
  for (const f of COMPARED_FIELDS) {
    if (skip.has(f)) continue;
    const a = fieldValue(frr, f);
    const b = fieldValue(twin, f);
    if (show(a) !== show(b)) out.push(`${f}: FRR ${show(a)} ≠ nsx-twin ${show(b)}`);
  }
  return out;
}

/** Prefixes whose best path FRR chose by arrival order among several paths. */
export function historyDecided(frr: FrrBgpEntry[]): Set<string> {
  const count = new Map<string, number>();
  for (const e of frr) count.set(e.prefix, (count.get(e.prefix) ?? 0) + 1);
  return new Set(frr.filter((e) => e.best && (count.get(e.prefix) ?? 0) > 1 && HISTORY_REASONS.has(e.reason)).map((e) => e.prefix));
}

/**
 * nsx-twin's table must contain every FRR path (same prefix + nextHop + peer) with equal compared
 * fields, and the sets of (prefix, best) pairs must be equal.
 */
export function compareBgp(router: string, frr: FrrBgpEntry[], twin: TwinBgpEntry[]): string[] {
  const out: string[] = [];
  const relaxed = historyDecided(frr);
  for (const e of frr) {
    const candidates = twin.filter((t) => t.prefix === e.prefix && t.nextHop === e.nextHop && t.peer === e.peer);
    if (!candidates.length) {
      out.push(`${router}: ${key(e)}: missing in nsx-twin (FRR: ${summary(e)})`);
      continue;
    }
    const skip = new Set<Field>(relaxed.has(e.prefix) ? ['best'] : []);
    const diffs = candidates.map((t) => fieldDiffs(e, t, skip));
    if (diffs.every((d) => d.length)) out.push(`${router}: ${key(e)}: ${diffs.sort((a, b) => a.length - b.length)[0].join('; ')}`);
  }
  for (const prefix of relaxed) {
    const bests = twin.filter((t) => t.prefix === prefix && t.best);
    const ok = frr.filter((e) => e.prefix === prefix && e.valid);
    if (bests.length !== 1 || !ok.some((e) => e.nextHop === bests[0].nextHop && e.peer === bests[0].peer)) {
      out.push(`${router}: ${prefix}: FRR chose the best path by arrival order among ${ok.map(key).join(', ')}; nsx-twin's best: ${bests.map(key).join(', ') || 'none'}`);
    }
  }
  const pairs = (list: { prefix: string; best: boolean }[]) => new Set(list.map((e) => `${e.prefix} best=${e.best}`));
  const a = pairs(frr);
  const b = pairs(twin);
  for (const p of a) if (!b.has(p)) out.push(`${router}: (prefix, best) ${p} in FRR only`);
  for (const p of b) if (!a.has(p)) out.push(`${router}: (prefix, best) ${p} in nsx-twin only`);
  return out;
}

function summary(e: FrrBgpEntry): string {
  const parts = [`asPath [${e.asPath.join(' ')}]`, e.origin, `lp ${e.localPref}`, `med ${e.med}`, `weight ${e.weight}`];
  if (e.communities.length) parts.push(`comm ${e.communities.join(' ')}`);
  if (e.largeCommunities.length) parts.push(`large ${e.largeCommunities.join(' ')}`);
  parts.push(e.best ? `best (${e.reason})` : 'not best');
  if (e.multipath) parts.push('multipath');
  if (!e.valid) parts.push('INVALID');
  return parts.join(', ');
}

const hopsText = (hops: { ip: string | null; interface: string | null }[]) =>
  hops
    .map((h) => `${h.ip}@${h.interface}`)
    .sort()
    .join(', ');

/**
 * Same next-hop sets. An FRR next hop with an address but no interface is one zebra left
 * unresolved (shown "inactive", e.g. a BGP route for a connected subnet): it matches on the address.
 */
function sameHops(frr: FrrFibRoute['nextHops'], twin: TwinRoute['nextHops']): boolean {
  if (frr.length !== twin.length) return false;
  const left = [...twin];
  for (const h of frr) {
    const wildcard = h.interface === null && h.ip !== null && h.ip !== 'null';
    const i = left.findIndex((t) => t.ip === h.ip && (wildcard || t.interface === h.interface));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

/** FIB: the BGP routes (prefix, selected, next-hop set) must be the same on both sides. */
export function compareFib(router: string, frr: FrrFibRoute[], twin: TwinRoute[]): string[] {
  const out: string[] = [];
  const ours = twin.filter((r) => r.type === 'bgp');
  for (const r of frr) {
    const t = ours.filter((x) => x.prefix === r.prefix);
    if (!t.length) {
      out.push(`${router}: FIB ${r.prefix}: missing in nsx-twin (FRR: ${r.selected ? 'selected' : 'not selected'} via ${hopsText(r.nextHops)})`);
      continue;
    }
    const match = t.find((x) => x.selected === r.selected && sameHops(r.nextHops, x.nextHops));
    if (!match) {
      out.push(
        `${router}: FIB ${r.prefix}: FRR ${r.selected ? 'selected' : 'not selected'} via ${hopsText(r.nextHops)} ≠ nsx-twin ${t.map((x) => `${x.selected ? 'selected' : 'not selected'} via ${hopsText(x.nextHops)}`).join(' | ')}`,
      );
    }
  }
  const frrPrefixes = new Set(frr.map((r) => r.prefix));
  for (const r of ours) if (!frrPrefixes.has(r.prefix)) out.push(`${router}: FIB ${r.prefix}: bgp route in nsx-twin only (via ${hopsText(r.nextHops)})`);
  return out;
}

// ---- Expectations about FRR itself (each topology's comment, made executable) ----------------------

export interface PathExpectation {
  router: string;
  prefix: string;
  /** Identifies the path (with nextHop); null = locally originated. */
  peer?: string | null;
  nextHop?: string;
  best?: boolean;
  reason?: string;
  multipath?: boolean;
  valid?: boolean;
  suppressed?: boolean;
  asPath?: number[];
  origin?: FrrBgpEntry['origin'];
  localPref?: number | null;
  med?: number | null;
  communities?: string[];
  largeCommunities?: string[];
  weight?: number;
}

export interface TopologyExpectations {
  paths?: PathExpectation[];
  /** Prefixes a router must not have at all. */
  absent?: { router: string; prefixes: string[] }[];
  /** The exact set of prefixes in a router's BGP table. */
  prefixes?: { router: string; prefixes: string[] }[];
  /** BGP routes in a router's FIB; hops as "ip@interface". */
  fib?: { router: string; prefix: string; selected?: boolean; hops: string[] }[];
}

const IDENT = new Set(['router', 'prefix', 'peer', 'nextHop']);

export function checkExpectations(exp: TopologyExpectations, ribs: Map<string, FrrBgpEntry[]>, fibs: Map<string, FrrFibRoute[]>): string[] {
  const out: string[] = [];
  for (const p of exp.paths ?? []) {
    const rib = ribs.get(p.router) ?? [];
    const found = rib.filter((e) => e.prefix === p.prefix && (p.peer === undefined || e.peer === p.peer) && (p.nextHop === undefined || e.nextHop === p.nextHop));
    const what = `${p.router} ${p.prefix}${p.peer !== undefined ? ` peer ${p.peer}` : ''}${p.nextHop !== undefined ? ` via ${p.nextHop}` : ''}`;
    if (found.length !== 1) {
      out.push(`${what}: expected one path, FRR has ${found.length}${found.length ? `: ${found.map((e) => key(e)).join(', ')}` : ''}`);
      continue;
    }
    const e = found[0] as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(p)) {
      if (IDENT.has(k)) continue;
      if (show(e[k]) !== show(v)) out.push(`${what}: ${k} expected ${show(v)}, FRR has ${show(e[k])}`);
    }
  }
  for (const a of exp.absent ?? []) {
    const rib = ribs.get(a.router) ?? [];
    for (const prefix of a.prefixes) if (rib.some((e) => e.prefix === prefix)) out.push(`${a.router}: ${prefix} should be absent but FRR has it`);
  }
  for (const a of exp.prefixes ?? []) {
    const have = [...new Set((ribs.get(a.router) ?? []).map((e) => e.prefix))].sort();
    const want = [...a.prefixes].sort();
    if (show(have) !== show(want)) out.push(`${a.router}: prefixes expected ${want.join(' ')}, FRR has ${have.join(' ') || '(none)'}`);
  }
  for (const f of exp.fib ?? []) {
    const r = (fibs.get(f.router) ?? []).find((x) => x.prefix === f.prefix);
    if (!r) {
      out.push(`${f.router}: FIB ${f.prefix}: no bgp route in FRR`);
      continue;
    }
    const hops = r.nextHops.map((h) => `${h.ip}@${h.interface}`).sort();
    if (show(hops) !== show([...f.hops].sort())) out.push(`${f.router}: FIB ${f.prefix}: expected ${f.hops.join(', ')}, FRR has ${hops.join(', ')}`);
    if (f.selected !== undefined && r.selected !== f.selected) out.push(`${f.router}: FIB ${f.prefix}: selected expected ${f.selected}, FRR has ${r.selected}`);
  }
  return out;
}
