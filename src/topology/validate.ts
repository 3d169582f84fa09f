// Scenario validation: structure against the JSON Schema (Ajv), then the semantic rules the
// schema cannot express (references, addresses, subnets, duplicates, placement), then — for a
// scenario with Avi or Kubernetes — realization and the same rules on the objects the controllers
// create (only those: the user's passed already; rules spanning objects are rechecked with them;
// the realization is lean unless the scenario is frozen and a Twin will reuse it).
// Every problem is collected — nothing stops at the first — and names its file, object path and
// line. Linear in the scenario: maps are read through indexes, each address is parsed once, and
// object paths and messages are built only for a problem (test/topology/validate-incremental-
// equal.test.ts holds it to the problems of the validator before, kept in bench/old/).
import type { ErrorObject } from 'ajv';
// Compiled ahead of time from scenario-schema.ts (npm run schema): no run-time code generation.
import { validateScenarioShape } from './scenario-validator.generated.js';
import { formatPath, type Problem, type ProblemCode } from './errors.js';
import { suggestion } from './did-you-mean.js';
import {
  contains,
  formatIp,
  formatPrefix,
  hasHostBits,
  isReservedHost,
  isReservedHostOf,
  maskOf,
  networkOf,
  overlaps,
  parseIfAddr,
  parseCidrInto,
  parseIp,
  parsePrefix,
  type IfAddr,
  type Prefix,
} from './ip.js';
import { changedNames, isArrayIndex, keysOfMap, sameKeys, sharedHead, type Scenario } from './scenario.js';
import { parseService, resolveFirewallAddress } from './firewall-syntax.js';
import { realizeForChecks } from './realize/index.js';
import { CIDR_PATTERN, IFADDR_DESCRIPTION, IPV4_PATTERN, scenarioSchema } from './scenario-schema.js';
import { schemaDelta } from './schema-delta.js';

export type PathSeg = string | number;

/** Maps an object path to the file and line that wrote it (several files with `extends:`). */
export type Locator = (path: readonly PathSeg[], key?: boolean) => { file: string; line?: number };

/** Most problems one validation lists; the rest are counted in a last line. */
export const MAX_PROBLEMS = 1000;

export interface ValidateOptions {
  /** Most problems listed (MAX_PROBLEMS by default). */
  readonly maxProblems?: number;
  /**
   * The scenario this one was edited from, when it passed validation with no problem and `data`
   * is an immer snapshot of the edit (sharing every object the edit left alone): the schema then
   * checks only what the edit replaced (schema-delta.ts), and realization reuses the previous
   * one's when the edit left what it reads alone. The problems are the same.
   */
  readonly previous?: unknown;
}

export function validateScenario(data: unknown, locate: Locator, opts: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (path: readonly PathSeg[], code: ProblemCode, message: string, key = false, at: readonly PathSeg[] = path) => {
    const id = formatPath(path) + '\u0000' + message;
    if (seen.has(id)) return;
    seen.add(id);
    const { file, line } = locate(at, key);
    problems.push({ file, path: formatPath(path), message, code, line });
  };
  const shape = opts.previous !== undefined ? schemaDelta(scenarioSchema, data, opts.previous) : data;
  if (!validateScenarioShape(shape)) {
    for (const e of selectAjvErrors(validateScenarioShape.errors ?? [], data)) reportAjv(e, data, add);
  }
  let pass1: SemanticChecks | null = null;
  let pass2: SemanticChecks | null = null;
  let reusable: SemanticChecks | undefined;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    // The previous scenario's first pass, when that validation passed (kept for frozen scenarios).
    reusable = opts.previous !== undefined && opts.previous !== null && typeof opts.previous === 'object' && Object.isFrozen(data) ? firstPassOf.get(opts.previous) : undefined;
    pass1 = new SemanticChecks(data as Scenario, add, undefined, opts.previous, reusable);
    pass1.run();
  }
  // What NCP, AKO and the Avi controller would create must itself be a valid network: the rules
  // again on the realized scenario, for the created objects (the user's passed them already).
  if (!problems.length && data && typeof data === 'object' && ((data as Scenario).avi || (data as Scenario).kubernetes)) {
    const realized = realizeForChecks(data as Scenario, pass1 ? (m) => pass1!.keysOf(m) : undefined, opts.previous as Scenario | undefined);
    for (const p of realized.problems) add(p.path, 'invalid-value', p.message);
    if (!realized.problems.length) {
      const created: Add = (path, code, message, key, at) => add(path, code, `${message} (in the objects the controllers create)`, key, at);
      if (pass1 && realized.created && createdOnlyApplies(realized.created)) {
        const reuse = reusable !== undefined ? secondPassOf.get(opts.previous as object) : undefined;
        pass2 = new SemanticChecks(realized.scenario, created, { pass1, created: realized.created, reuse });
        pass2.runCreated();
      } else new SemanticChecks(realized.scenario, created).run();
    }
  }
  // A frozen scenario that passed: its first pass is what an edit of it reuses (sections whose inputs the edit left alone).
  if (!problems.length && pass1 && Object.isFrozen(data)) {
    firstPassOf.set(data as object, pass1);
    if (pass2) secondPassOf.set(data as object, pass2);
  }
  // Report in file order so the list reads top to bottom (stable for equal lines).
  const sorted = problems.length < 2 ? problems : problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.file < b.p.file ? -1 : a.p.file > b.p.file ? 1 : 0) || (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
  const max = opts.maxProblems ?? MAX_PROBLEMS;
  if (sorted.length <= max) return sorted;
  const rest = sorted.length - max;
  const more: Problem = { file: locate([]).file, path: '', code: 'invalid-value', message: `… and ${count(rest)} more problem${rest === 1 ? '' : 's'} (the first ${count(max)} are listed)` };
  return [...sorted.slice(0, max), more];
}

/**
 * The first semantic pass of each frozen scenario that passed validation. Validating an edit of
 * it (ValidateOptions.previous) takes the sections whose every input is the very same object
 * from it — their address claims replayed, their segment groups shared — instead of checking
 * 44,000 segments and 40,000 workloads again: a section that passed with the same inputs passes
 * again, and only its claims can meet another section's.
 */
const firstPassOf = new WeakMap<object, SemanticChecks>();

/** The second pass (the created objects only) of each frozen scenario that passed: an edit of it takes the created workloads' claims from it when they and what their rules read are the same objects. */
const secondPassOf = new WeakMap<object, SemanticChecks>();

/** 2000 → "2,000" (fixed, not locale dependent). */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

type Add = (path: readonly PathSeg[], code: ProblemCode, message: string, key?: boolean, at?: readonly PathSeg[]) => void;

function pointerToPath(pointer: string, data: unknown): PathSeg[] {
  if (!pointer) return [];
  const out: PathSeg[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(seg));
      node = node[Number(seg)];
    } else {
      out.push(seg);
      node = node && typeof node === 'object' && Object.hasOwn(node, seg) ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/**
 * Keeps the errors a person needs: a failed `oneOf` (string or object next hop) reports the branch
 * that matches the value's shape. Pattern errors are kept: an address pattern reports the same
 * message as the semantic check of that field (so the two merge into one problem), and every
 * field the schema constrains — in every section — is checked before realization.
 */
function selectAjvErrors(errors: ErrorObject[], data: unknown): ErrorObject[] {
  return errors.filter((e) => {
    if (e.keyword === 'oneOf') return false;
    if (e.schemaPath.includes('/propertyNames/')) return false; // reported once, as the propertyNames error
    const m = /\/oneOf\/(\d+)\//.exec(e.schemaPath);
    if (!m) return true;
    const value = valueAt(data, e.instancePath.split('/').slice(0, depthOfOneOf(e)).join('/'));
    const branch = typeof value === 'string' ? '0' : '1';
    return m[1] === branch;
  });
}

function depthOfOneOf(e: ErrorObject): number {
  // The oneOf sits on the next-hop item: /…/nextHops/N — keep path up to and including N.
  const parts = e.instancePath.split('/');
  const i = parts.lastIndexOf('nextHops');
  return i >= 0 ? i + 2 : parts.length;
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  if (!pointer) return node;
  for (const raw of pointer.slice(1).split('/')) {
    if (!node || typeof node !== 'object') return undefined;
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = Object.hasOwn(node, seg) ? (node as Record<string, unknown>)[seg] : undefined;
  }
  return node;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'number' && Number.isNaN(v)) return 'a value that is not a number';
  if (typeof v === 'number' && !Number.isFinite(v)) return `an infinite number (${v > 0 ? 'too large' : 'too small'} for any field)`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function reportAjv(e: ErrorObject, data: unknown, add: Add): void {
  const path = pointerToPath(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
      add([...path, key], 'unknown-key', `unknown key ${JSON.stringify(key)}${suggestion(key, known)}`, true);
      return;
    }
    case 'required':
      add(path, 'missing', `missing required field ${JSON.stringify(String(p.missingProperty))}`, true);
      return;
    case 'type':
      add(path, 'type', `must be ${article(String(p.type))} (got ${describe(e.data)})`);
      return;
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      add(path, 'invalid-value', `${JSON.stringify(e.data)} is not one of ${allowed.join(', ')}${suggestion(String(e.data), allowed)}`);
      return;
    }
    case 'pattern': {
      const { code, message } = patternProblem(e);
      add(path, code, message);
      return;
    }
    case 'propertyNames':
      add(path, 'invalid-value', 'names must not be empty', true, [...path, String(p.propertyName)]);
      return;
    default:
      add(path, 'invalid-value', `${e.message ?? 'invalid'} (got ${describe(e.data)})`);
  }
}

/** Messages for address patterns, identical to the semantic checks' (see SemanticChecks.ip/prefix/ifaddr). */
const invalidAddress = {
  ip: (v: unknown) => `invalid IPv4 address ${JSON.stringify(v)}`,
  prefix: (v: unknown) => `invalid IPv4 prefix ${JSON.stringify(v)} (expected a.b.c.d/len)`,
  ifaddr: (v: unknown) => `invalid interface address ${JSON.stringify(v)} (expected a.b.c.d/len)`,
};

function patternProblem(e: ErrorObject): { code: ProblemCode; message: string } {
  const pattern = String((e.params as { pattern?: unknown }).pattern);
  const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
  if (pattern === IPV4_PATTERN) return { code: 'invalid-address', message: invalidAddress.ip(e.data) };
  if (pattern === CIDR_PATTERN) return { code: 'invalid-address', message: description === IFADDR_DESCRIPTION ? invalidAddress.ifaddr(e.data) : invalidAddress.prefix(e.data) };
  return { code: 'invalid-value', message: `must be ${typeof description === 'string' ? description : `text matching ${pattern}`} (got ${describe(e.data)})` };
}

function article(type: string): string {
  const words: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false' };
  return type.split(',').map((t) => words[t] ?? t).join(' or ');
}

// ---------------------------------------------------------------------------------------------

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);
const own = (d: unknown, k: string): unknown => (isDict(d) && Object.hasOwn(d, k) ? d[k] : undefined);
const keys = (d: unknown): string[] => (isDict(d) ? Object.keys(d) : []);

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A few names of a long list, then "…": messages stay short for any number of objects. */
function some(items: readonly string[], shown = 3): string {
  return items.length > shown ? `${items.slice(0, shown).join(', ')}, …` : items.join(', ');
}

/**
 * Sets of prefixes that overlap, in n log n: sorted by address then length, prefixes either nest
 * or are disjoint, so each set is a root prefix and the run of prefixes inside it. Members of a
 * set are in input order; the root (which overlaps every other member) is returned apart.
 */
export function overlapSets<T extends { readonly net: Prefix }>(items: readonly T[]): { root: T; members: T[] }[] {
  const sorted = items.map((it, order) => ({ it, order })).sort((a, b) => a.it.net.addr - b.it.net.addr || a.it.net.len - b.it.net.len || a.order - b.order);
  const sets: { root: T; members: { it: T; order: number }[] }[] = [];
  for (const x of sorted) {
    const last = sets[sets.length - 1];
    if (last && overlaps(last.root.net, x.it.net)) last.members.push(x);
    else sets.push({ root: x.it, members: [x] });
  }
  return sets
    .filter((s) => s.members.length > 1)
    .map((s) => ({ root: s.root, members: s.members.sort((a, b) => a.order - b.order).map((m) => m.it) }));
}

/** Absent: a field not given. BAD: a field given but not an address (already reported). */
const BAD = -1;

/** Scratch for parseCidrInto (address, length): no object per parsed address. */
const cidr = new Uint32Array(2);

/** Who claimed an address (see IpClaims); paths and labels are built only for a duplicate. */
const CLAIM_UPLINK = 0;
const CLAIM_GATEWAY = 1;
const CLAIM_WORKLOAD = 2;
const CLAIM_ROUTER_IF = 3;
const CLAIM_HOST = 4;

/**
 * Every address claim of a pass, in claim order, as parallel arrays: the claimant's kind, its
 * object name, its list index and (router interfaces) the interface's name or index.
 */
class ClaimLog {
  readonly ip: number[] = [];
  readonly kind: number[] = [];
  readonly name: string[] = [];
  readonly index: number[] = [];
  readonly ifName: (string | number)[] = [];
  push(ip: number, kind: number, name: string, index = 0, ifName: string | number = 0): number {
    this.ip.push(ip);
    this.kind.push(kind);
    this.name.push(name);
    this.index.push(index);
    this.ifName.push(ifName);
    return this.ip.length - 1;
  }
  path(id: number): PathSeg[] {
    const name = this.name[id];
    switch (this.kind[id]) {
      case CLAIM_UPLINK:
        return ['tier0s', name, 'uplinks', this.index[id], 'ip'];
      case CLAIM_GATEWAY:
        return ['segments', name, 'gateway'];
      case CLAIM_WORKLOAD:
        return ['workloads', name, 'ip'];
      case CLAIM_ROUTER_IF:
        return ['physicalRouters', name, 'interfaces', this.index[id], 'ip'];
      default:
        return ['physicalHosts', name, 'ip'];
    }
  }
  label(id: number): string {
    const name = JSON.stringify(this.name[id]);
    switch (this.kind[id]) {
      case CLAIM_UPLINK:
        return `Tier-0 ${name} uplink`;
      case CLAIM_GATEWAY:
        return `the gateway of segment ${name}`;
      case CLAIM_WORKLOAD:
        return `workload ${name}`;
      case CLAIM_ROUTER_IF:
        return `router ${name} interface ${JSON.stringify(this.ifName[id])}`;
      default:
        return `physical host ${name}`;
    }
  }
}

/** Address → first claim, and the later claims of addresses claimed twice (claim ids of a ClaimLog). */
class IpClaims {
  /** First claim per address: open addressing over typed arrays (100,000s of addresses at scale; a Map costs 5× more per claim). */
  private keys = new Uint32Array(1024);
  private ids = new Int32Array(1024).fill(-1);
  private count = 0;
  /** Later claims of an address already claimed, in order. */
  readonly duplicates = new Map<number, number[]>();

  private slot(ip: number): number {
    const h = Math.imul(ip ^ (ip >>> 16), 0x45d9f3b);
    return (h ^ (h >>> 15)) & (this.keys.length - 1);
  }

  claim(ip: number, id: number): void {
    const at = ip >>> 0;
    let i = this.slot(at);
    while (this.ids[i] !== -1) {
      if (this.keys[i] === at) {
        const dup = this.duplicates.get(at);
        if (dup) dup.push(id);
        else this.duplicates.set(at, [id]);
        return;
      }
      i = (i + 1) & (this.keys.length - 1);
    }
    this.keys[i] = at;
    this.ids[i] = id;
    if (++this.count * 2 > this.keys.length) this.grow();
  }

  /** Whether `ip` has been claimed. */
  has(ip: number): boolean {
    return this.first(ip) !== -1;
  }

  /** The first claim of `ip` (one that has been claimed; -1 for one that has not). */
  first(ip: number): number {
    const at = ip >>> 0;
    let i = this.slot(at);
    while (this.ids[i] !== -1 && this.keys[i] !== at) i = (i + 1) & (this.keys.length - 1);
    return this.ids[i];
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Uint32Array(keys.length * 2);
    this.ids = new Int32Array(keys.length * 2).fill(-1);
    for (let k = 0; k < keys.length; k++) {
      if (ids[k] === -1) continue;
      let i = this.slot(keys[k]);
      while (this.ids[i] !== -1) i = (i + 1) & (this.keys.length - 1);
      this.keys[i] = keys[k];
      this.ids[i] = ids[k];
    }
  }
}

/**
 * Claims made one after another in one pass (a section's, or part of one): their log, by local
 * id, and their address set. A pass lists its chunks in claim order; a later pass takes a chunk of
 * a pass that had no address claimed twice by reference (an edit's validation does not claim
 * 84,000 segment and workload addresses again), and a chunk is never written once its pass moved
 * on to another.
 */
class ClaimChunk {
  readonly log = new ClaimLog();
  readonly set = new IpClaims();

  /** Claims every claim of `other` again here, in its order. */
  append(other: ClaimChunk): void {
    const l = other.log;
    for (let k = 0; k < l.ip.length; k++) this.set.claim(l.ip[k], this.log.push(l.ip[k], l.kind[k], l.name[k], l.index[k], l.ifName[k]));
  }
}

/** Whether two chunks claim an address in common (the smaller one's addresses looked up in the other). */
function meets(a: ClaimChunk, b: ClaimChunk): boolean {
  const [small, big] = a.log.ip.length <= b.log.ip.length ? [a, b] : [b, a];
  for (const ip of small.log.ip) if (big.set.has(ip)) return true;
  return false;
}

/** A section's claims merged into fewer chunks past this many (segments appended edit after edit). */
const MAX_SECTION_CHUNKS = 4;

/** Where each section's chunks start in a pass's chunk list (see SemanticChecks.runCreated). */
interface ClaimSections {
  uplinks: number;
  segments: number;
  workloads: number;
  routers: number;
  hosts: number;
  end: number;
}

/** The maps whose entries can fail by name (with SEs and Kubernetes nodes, nested deeper). */
const FAILABLE_MAPS: readonly string[] = ['transportNodes', 'physicalRouters', 'physicalHosts', 'workloads'];

/** Segments attached to one gateway (overlap check), numbered by first appearance. */
interface GatewayGroup {
  readonly order: number;
  /** The gateway field's value (groups are keyed by its text; the last value is named). */
  gateway: unknown;
  readonly items: { name: string; net: Prefix }[];
}

/** The objects realization created (see Realized.created). */
export interface CreatedObjects {
  readonly tier1s: Readonly<Record<string, unknown>>;
  readonly segments: Readonly<Record<string, unknown>>;
  readonly workloads: Readonly<Record<string, unknown>>;
  readonly failed: readonly string[];
}


/**
 * True when checking only the created objects (runCreated) gives exactly the problems of a whole
 * second pass: created names enumerate after the user's (no array-index names), and no created
 * segment is a VLAN segment (those would change the user's physical addresses' checks).
 */
function createdOnlyApplies(c: CreatedObjects): boolean {
  return createdMapApplies(c.tier1s, false) && createdMapApplies(c.workloads, false) && createdMapApplies(c.segments, true);
}

/** Per created map (a realization's never changes once made; an edit that keeps it keeps the object): createdMapApplies' answer. */
const createdMapAnswers = new WeakMap<object, boolean>();

/** No name of the created map is an array index, and (`segments`) none of its entries is a VLAN segment. */
function createdMapApplies(m: Readonly<Record<string, unknown>>, segments: boolean): boolean {
  let known = createdMapAnswers.get(m);
  if (known === undefined) createdMapAnswers.set(m, (known = keysOfMap(m).every((k) => !isArrayIndex(k) && !(segments && own(m[k], 'type') === 'vlan'))));
  return known;
}

const TIERS = ['tier0', 'tier1'] as const;
/** What a Tier-1's firewall rules read besides it (the names they resolve). */
const FIREWALL_READS = ['segments', 'workloads', 'physicalHosts'] as const;
/** What the rules local to a Tier-1 read besides it. */
const TIER1_READS = ['tier0s', 'edgeClusters', 'settings'] as const;
const ENDPOINT_MAPS = ['transportNodes', 'physicalRouters', 'physicalHosts'] as const;

/** The semantic rules, tolerant of values the schema already rejected (they are skipped). */
class SemanticChecks {
  /**
   * Every address claim, in order, as chunks: this pass's own and chunks taken from another pass
   * (`origin`: pass 1's of the scenario edited from, pass 1's for pass 2, or the created workloads'
   * of the previous validation's pass 2). Addresses claimed
   * twice are only detected here (`collision`): the claims are listed one by one, in claim order,
   * only to report them (reportDuplicateIps), which a scenario that passes never does.
   */
  private readonly chunks: ClaimChunk[] = [];
  /** Per chunk: the pass it was taken from (which had no address claimed twice), or null for this pass's own. */
  private readonly origin: (SemanticChecks | null)[] = [];
  /** The chunks [from, to) of the created workloads' claims (pass 2), or null. */
  private createdWorkloads: readonly [number, number] | null = null;
  /** This pass's chunks as a set (asked of a pass chunks were taken from). */
  private chunkSet: Set<ClaimChunk> | null = null;
  /** The chunk this pass's claims go to (null: the next claim starts one). */
  private current: ClaimChunk | null = null;
  /** An address claimed twice somewhere in this pass's chunks. */
  private collision = false;
  private readonly sections: ClaimSections = { uplinks: 0, segments: 0, workloads: 0, routers: 0, hosts: 0, end: 0 };
  /** Segment name → its network (gateway's, else subnet's) as addr * 64 + len, or -1. */
  private readonly segNets: Map<string, number>;
  /** Object.keys of the large maps, once per pass (pass 2 shares the user's maps' keys). */
  private readonly keyCache: Map<object, readonly string[]>;
  /** Segments per gateway, by gateway name (Tier-0s and Tier-1s apart: names may repeat). */
  private groupsT0 = new Map<string, GatewayGroup>();
  private groupsT1 = new Map<string, GatewayGroup>();
  /** The two maps above are another pass's (takeSegments): copied before a segment changes them. */
  private groupMapsTaken = false;
  private groupCount = 0;
  /** Groups this pass made or copied (any other is another pass's, taken with its segments: copied before it changes). */
  private readonly ownGroups = new Set<GatewayGroup>();
  /** While segments are appended: the groups they join. */
  private joined: Set<GatewayGroup> | null = null;

  constructor(
    private readonly s: Scenario,
    private readonly add: Add,
    /** Pass 2 over a realized scenario: the first pass (over the user's scenario) and what was created. */
    private readonly prev?: { pass1: SemanticChecks; created: CreatedObjects; reuse?: SemanticChecks },
    /** The scenario this one was edited from, which passed validation (ValidateOptions.previous): rules local to a map's entries skip a map it shares. */
    private unchangedFrom?: unknown,
    /** That scenario's first pass (firstPassOf): sections with the same inputs are taken from it. */
    private reuse?: SemanticChecks,
  ) {
    this.segNets = prev ? prev.pass1.segNets : new Map();
    this.keyCache = prev ? prev.pass1.keyCache : new Map();
  }

  run(): void {
    this.nameCollisions();
    this.transportNodes();
    this.edgeClusters();
    this.sections.uplinks = this.mark();
    this.tier0s();
    this.tier1s();
    this.sections.segments = this.mark();
    const from = this.reuse;
    // Segments read their map and which Tier-0 and Tier-1 names exist; workloads read their map,
    // the transport nodes and the segments.
    const sameGateways = from !== undefined && sameKeys(from.s.tier0s, this.s.tier0s) && sameKeys(from.s.tier1s, this.s.tier1s);
    const sameSegments = sameGateways && from.s.segments === this.s.segments;
    // Segments added after the others, the others the same objects (an edit adding a segment):
    // the previous ones taken as they were, only the new ones checked.
    const added = sameGateways && !sameSegments ? this.appendedNames(from.s.segments, this.s.segments) : null;
    if (sameSegments) this.takeSegments(from);
    else if (added !== null) this.appendSegments(from!, added);
    else this.segments();
    // The VLAN segments by subnet, when the previous pass listed them: theirs, and the added ones'.
    if ((sameSegments || added !== null) && from!.vlanBySubnet !== null) this.vlanFrom = { map: from!.vlanBySubnet, added: added ?? [] };
    this.sections.workloads = this.compact(this.sections.segments, this.mark());
    // A workload reads its segment (every one it names was there before: the previous scenario passed).
    if ((sameSegments || added !== null) && from!.s.workloads === this.s.workloads && from!.s.transportNodes === this.s.transportNodes) this.takeClaims(from!, from!.sections.workloads, from!.sections.routers);
    else this.workloads();
    this.sections.routers = this.mark();
    this.physicalRouters();
    this.sections.hosts = this.mark();
    this.physicalHosts();
    this.sections.end = this.mark();
    this.routingPolicy();
    this.failures();
    this.firewalls();
    this.natRules();
    this.avi();
    this.kubernetes();
    this.reportDuplicateIps();
    this.done();
  }

  /**
   * A pass kept for the next edit's validation holds what that one reads of it (its scenario, chunks,
   * groups, sections), not the passes and the scenario it was itself made from: an editing session
   * does not keep every scenario it went through alive.
   */
  private done(): void {
    this.reuse = undefined;
    this.unchangedFrom = undefined;
    if (this.prev) this.prev.reuse = undefined;
    this.origin.length = 0;
  }

  /**
   * The second pass after a clean first pass and a clean realization: the rules for the created
   * objects only, in the order a whole pass over the realized scenario reports them. The user's
   * objects passed every rule in pass 1 and give the same result again, except where a rule spans
   * objects: addresses (pass 1's claims are replayed around the created ones), names shared across
   * maps, segments overlapping on a gateway, the Tier-1s a Tier-0's transit subnet holds and the
   * names `failed` may list — those are checked with the created objects included.
   */
  runCreated(): void {
    const { pass1, created } = this.prev!;
    const ps = pass1.sections;
    const createdT1s = this.cachedKeys(created.tier1s);
    const createdSegs = this.cachedKeys(created.segments);
    // Names shared across maps (a created name never equals one in its own map).
    for (const name of createdT1s) {
      if (isDict(this.s.tier0s) && Object.hasOwn(this.s.tier0s, name)) this.add(['tier1s', name], 'duplicate-name', `gateway name ${JSON.stringify(name)} is already used in tier0s`, true);
    }
    // The previous validation's second pass, when the created workloads and every map their rules
    // read are the same objects: their names, checks and claims were found clean there.
    const r2 = this.prev!.reuse;
    // Their rules read their host and segment, and the endpoint maps whose names they must not
    // share (segments added after the user's others leave every segment they name as it was).
    const sameWorkloads =
      r2 !== undefined &&
      r2.createdWorkloads !== null &&
      r2.prev!.created.workloads === created.workloads &&
      ENDPOINT_MAPS.every((m) => own(this.s, m) === own(r2.s, m)) &&
      (own(this.s, 'segments') === own(r2.s, 'segments') || (r2.prev!.created.segments === created.segments && this.appendedNames(r2.prev!.pass1.s.segments, pass1.s.segments) !== null));
    const createdWls = sameWorkloads ? [] : this.cachedKeys(created.workloads);
    if (!sameWorkloads) {
      for (const name of createdWls) {
        const prev = ENDPOINT_MAPS.find((m) => isDict(this.s[m]) && Object.hasOwn(this.s[m] as object, name));
        if (prev) this.add(['workloads', name], 'duplicate-name', `node or endpoint name ${JSON.stringify(name)} is already used in ${prev}`, true);
      }
    }
    // Tier-0s: only the transit subnet's capacity depends on the Tier-1s (created ones attach too).
    this.replay(ps.uplinks, ps.segments);
    if (createdT1s.length) {
      const createdOn = new Map<unknown, number>();
      for (const t1 of createdT1s) {
        const t0 = own(created.tier1s[t1], 'tier0');
        createdOn.set(t0, (createdOn.get(t0) ?? 0) + 1);
      }
      let all: Map<unknown, number> | null = null;
      for (const name of keys(this.s.tier0s)) {
        if (!createdOn.has(name)) continue;
        const ts = parsePrefix(own(own(this.s.tier0s, name), 'transitSubnet'));
        if (!ts) continue;
        all ??= this.tier1sPerTier0();
        const t1count = all.get(name) ?? 0;
        if (2 ** (32 - ts.len) < 2 * t1count) {
          this.add(['tier0s', name, 'transitSubnet'], 'invalid-value', `${formatPrefix(ts)} holds ${2 ** (32 - ts.len) / 2} router links but ${t1count} Tier-1s attach to this Tier-0`);
        }
      }
    }
    for (const name of createdT1s) this.tier1(name, created.tier1s[name]);
    // Segments: the user's claims, then the created segments; overlaps on the gateways they attach to.
    this.replay(ps.segments, ps.workloads);
    for (const name of createdSegs) this.segment(name, created.segments[name]);
    if (createdSegs.length) {
      // Groups with a created segment, in order of first appearance (user segments come first).
      const order: GatewayGroup[] = [];
      for (const [groups, userGroups] of [
        [this.groupsT0, pass1.groupsT0],
        [this.groupsT1, pass1.groupsT1],
      ] as const) {
        for (const [gateway, g] of groups) {
          const user = userGroups.get(gateway);
          order.push(user ? { order: user.order, gateway: g.gateway, items: [...user.items, ...g.items] } : { order: pass1.groupCount + g.order, gateway: g.gateway, items: g.items });
        }
      }
      order.sort((a, b) => a.order - b.order);
      for (const g of order) this.reportOverlaps(g.items, 'segment', g.gateway, (it) => ['segments', it.name, 'gateway']);
    }
    this.replay(ps.workloads, ps.routers);
    const wlFrom = this.mark();
    if (sameWorkloads) this.takeClaims(r2, r2.createdWorkloads![0], r2.createdWorkloads![1]);
    else for (const name of createdWls) this.workload(name, created.workloads[name]);
    this.createdWorkloads = [wlFrom, this.mark()];
    this.replay(ps.routers, ps.hosts);
    this.replay(ps.hosts, ps.end);
    this.createdFailures(created.failed);
    for (const name of createdT1s) this.tier1Firewall(name, created.tier1s[name]);
    for (const name of createdT1s) this.natCheck('tier1s', name, created.tier1s[name]);
    this.reportDuplicateIps();
    this.done();
  }

  /** The segments section of `from` (the same segments, the same gateway names): its claims and its segment groups. */
  private takeSegments(from: SemanticChecks): void {
    this.takeClaims(from, from.sections.segments, from.sections.workloads);
    this.groupsT0 = from.groupsT0;
    this.groupsT1 = from.groupsT1;
    this.groupMapsTaken = true;
    this.groupCount = from.groupCount;
  }

  /**
   * The names `map` adds after every name of `was` when it holds `was`'s entries as they were
   * (the same objects, in the same order), else null.
   */
  private appendedNames(was: unknown, map: unknown): readonly string[] | null {
    if (!isDict(was) || !isDict(map)) return null;
    const before = this.cachedKeys(was);
    const head = sharedHead(was, map);
    if (head !== before.length) return null;
    return this.cachedKeys(map).slice(head);
  }

  /**
   * The segments of the scenario edited from (`from`, which passed) taken as they were, then the
   * segments added after them checked; overlaps are reported for the gateways a new segment
   * joins (the others had none), in the order a whole pass reports them.
   */
  private appendSegments(from: SemanticChecks, added: readonly string[]): void {
    this.takeSegments(from);
    const segs = this.s.segments as Dict;
    const joined = new Set<GatewayGroup>();
    this.joined = joined;
    for (const name of added) this.segment(name, segs[name]);
    this.joined = null;
    for (const g of [...joined].sort((a, b) => a.order - b.order)) this.reportOverlaps(g.items, 'segment', g.gateway, (it) => ['segments', it.name, 'gateway']);
  }

  /** The chunks [a, b) of another pass that had no address claimed twice, taken as they are (in claim order, after this pass's so far). */
  private takeClaims(from: SemanticChecks, a: number, b: number): void {
    this.current = null;
    for (let i = a; i < b; i++) {
      this.chunks.push(from.chunks[i]);
      this.origin.push(from);
    }
  }

  /** Replays pass 1's claims of chunks [from, to) (the user's objects: unchanged, so not parsed again). */
  private replay(from: number, to: number): void {
    this.takeClaims(this.prev!.pass1, from, to);
  }

  /** This pass's chunks as a set (a pass that chunks were taken from: it is done, its list no longer changes). */
  private chunksAsSet(): Set<ClaimChunk> {
    return (this.chunkSet ??= new Set(this.chunks));
  }

  /** Ends the current chunk: the index the next chunk will have (a section boundary). */
  private mark(): number {
    this.current = null;
    return this.chunks.length;
  }

  /**
   * A section of chunks [a, b) with more than MAX_SECTION_CHUNKS: every chunk but its first merged
   * into one of this pass (its claims in order). Returns the section's end after it.
   */
  private compact(a: number, b: number): number {
    if (b - a <= MAX_SECTION_CHUNKS) return b;
    const merged = new ClaimChunk();
    for (let i = a + 1; i < b; i++) merged.append(this.chunks[i]);
    if (merged.set.duplicates.size) this.collision = true;
    // As this pass's own: met here with every chunk before it (as a claim is), and at the end with those taken after it.
    for (let i = 0; i <= a && !this.collision; i++) if (meets(merged, this.chunks[i])) this.collision = true;
    this.chunks.splice(a + 1, b - a - 1, merged);
    this.origin.splice(a + 1, b - a - 1, null);
    return a + 2;
  }

  private claim(ip: number, kind: number, name: string, index = 0, ifName: string | number = 0): void {
    let cur = this.current;
    if (cur === null) {
      cur = this.current = new ClaimChunk();
      this.chunks.push(cur);
      this.origin.push(null);
    }
    // Against every chunk before this one (those taken after it: at the end, reportDuplicateIps).
    if (!this.collision) {
      for (const c of this.chunks) {
        if (c !== cur && c.set.has(ip)) {
          this.collision = true;
          break;
        }
      }
    }
    cur.set.claim(ip, cur.log.push(ip, kind, name, index, ifName));
    if (cur.set.duplicates.size) this.collision = true;
  }

  /** Object.keys of a map, once per validation (realization reads the user's maps through it too). */
  keysOf(d: unknown): readonly string[] {
    return this.cachedKeys(d);
  }

  /** Object.keys of a map, once per validation. */
  private cachedKeys(d: unknown): readonly string[] {
    if (!isDict(d)) return [];
    let k = this.keyCache.get(d);
    if (!k) {
      k = keysOfMap(d);
      this.keyCache.set(d, k);
    }
    return k;
  }

  /**
   * The names of a map whose entries a rule local to each entry must check: all of them, or, when
   * the scenario this one was edited from (which passed) had a map there, only the entries the
   * edit added or replaced (in map order, so problems come in the same order).
   */
  private editedNames(map: unknown, was: unknown): readonly string[] {
    if (!isDict(map)) return [];
    if (map === was) return [];
    return isDict(was) ? changedNames(map, was) : this.cachedKeys(map);
  }

  /** Whether this scenario was edited from one that passed, and left the maps a rule reads (`reads`) the same objects. */
  private sameReads(reads: readonly string[]): boolean {
    const was = this.unchangedFrom;
    return was !== undefined && reads.every((m) => own(was, m) === own(this.s, m));
  }

  /** Tier-1s per Tier-0 name (by the value of their tier0 field). */
  private tier1sPerTier0(): Map<unknown, number> {
    const tier1sOf = new Map<unknown, number>();
    const t1s = this.s.tier1s;
    for (const t1 of this.cachedKeys(t1s)) {
      const t0 = own((t1s as Dict)[t1], 'tier0');
      tier1sOf.set(t0, (tier1sOf.get(t0) ?? 0) + 1);
    }
    return tier1sOf;
  }

  /** "Did you mean" for the first problems only: a flood of dangling names stays linear. */
  private suggestionBudget = MAX_PROBLEMS;
  private suggest(word: string, candidates: Iterable<string>): string {
    return this.suggestionBudget-- > 0 ? suggestion(word, candidates) : '';
  }

  /** Avi addresses and prefixes (references and allocation are checked by realization). */
  private avi(): void {
    const avi = own(this.s, 'avi');
    if (!isDict(avi)) return;
    // Every rule here is local to an entry: a part shared with the scenario this one was edited
    // from (which passed) has nothing wrong, and of a map, only the entries the edit added or
    // replaced are checked.
    const was = own(this.unchangedFrom, 'avi');
    const cloud = own(avi, 'cloud');
    if (cloud !== own(was, 'cloud')) list(own(cloud, 'dataNetworks')).forEach((dn, i) => {
      list(own(dn, 'staticRoutes')).forEach((r, j) => {
        const path = ['avi', 'cloud', 'dataNetworks', i, 'staticRoutes', j];
        this.prefix([...path, 'network'], own(r, 'network'));
        this.ip([...path, 'nextHop'], own(r, 'nextHop'));
      });
    });
    const networks = own(avi, 'networks');
    for (const name of this.editedNames(networks, own(was, 'networks'))) {
      const n = own(networks, name);
      this.prefix(['avi', 'networks', name, 'subnet'], own(n, 'subnet'));
      list(own(n, 'ranges')).forEach((r, i) => {
        this.ip(['avi', 'networks', name, 'ranges', i, 'from'], own(r, 'from'));
        this.ip(['avi', 'networks', name, 'ranges', i, 'to'], own(r, 'to'));
      });
    }
    const groups = own(avi, 'seGroups');
    for (const g of this.editedNames(groups, own(was, 'seGroups'))) {
      const ses = own(own(groups, g), 'serviceEngines');
      for (const se of keys(ses)) {
        const ips = own(own(ses, se), 'ips');
        for (const seg of keys(ips)) this.ip(['avi', 'seGroups', g, 'serviceEngines', se, 'ips', seg], own(ips, seg));
      }
    }
    // Pools and virtual services: tens of thousands, so no path is built unless there is a problem.
    const pools = own(avi, 'pools');
    for (const name of this.editedNames(pools, own(was, 'pools'))) {
      const members = own((pools as Dict)[name], 'members');
      if (!Array.isArray(members)) continue;
      for (let i = 0; i < members.length; i++) {
        const v = own(members[i], 'ip');
        if (v !== undefined && v !== null && parseIp(v) === null) this.add(['avi', 'pools', name, 'members', i, 'ip'], 'invalid-address', invalidAddress.ip(v));
      }
    }
    const vss = own(avi, 'virtualServices');
    for (const name of this.editedNames(vss, own(was, 'virtualServices'))) {
      const v = own(own((vss as Dict)[name], 'vip'), 'address');
      if (v !== undefined && v !== null && parseIp(v) === null) this.add(['avi', 'virtualServices', name, 'vip', 'address'], 'invalid-address', invalidAddress.ip(v));
    }
  }

  /** Kubernetes addresses and prefixes: what NCP carves its subnets and addresses from. */
  private kubernetes(): void {
    const k8s = own(this.s, 'kubernetes');
    for (const c of keys(k8s)) {
      const cluster = own(k8s, c);
      const base = ['kubernetes', c];
      const ncp = own(cluster, 'ncp');
      for (const f of ['nodeSubnet', 'podIpBlock', 'floatingIpPool'] as const) this.prefix([...base, 'ncp', f], own(ncp, f));
      for (const n of keys(own(cluster, 'nodes'))) this.ip([...base, 'nodes', n, 'ip'], own(own(own(cluster, 'nodes'), n), 'ip'));
      for (const ns of keys(own(cluster, 'pods'))) list(own(own(cluster, 'pods'), ns)).forEach((p, i) => this.ip([...base, 'pods', ns, i, 'ip'], own(p, 'ip')));
      for (const svc of keys(own(cluster, 'services'))) this.ip([...base, 'services', svc, 'loadBalancerIP'], own(own(own(cluster, 'services'), svc), 'loadBalancerIP'));
    }
  }

  /** Firewall rules of one list: addresses resolve, services parse, names unique per rule list. */
  private firewallRules(base: PathSeg[], rules: unknown): void {
    const names = new Set<string>();
    list(rules).forEach((r, i) => {
      const n = str(own(r, 'name'));
      if (n && names.has(n)) this.add([...base, i, 'name'], 'duplicate-name', `firewall rule name ${JSON.stringify(n)} is used twice`);
      if (n) names.add(n);
      for (const k of ['sources', 'destinations'] as const) {
        list(own(r, k)).forEach((a, j) => {
          if (typeof a === 'string' && !resolveFirewallAddress(this.s, a)) {
            this.add([...base, i, k, j], 'dangling-reference', `${JSON.stringify(a)} is not ANY, an address, a prefix, a segment, a workload or a physical host`);
          }
        });
      }
      list(own(r, 'services')).forEach((sv, j) => {
        if (typeof sv === 'string' && !parseService(sv)) this.add([...base, i, 'services', j], 'invalid-value', `invalid service ${JSON.stringify(sv)} (tcp/80, udp/53, tcp/8000-8100, icmp or ANY)`);
      });
    });
  }

  /** Firewall rules: per Tier-0, per Tier-1, then the distributed firewall. */
  private firewalls(): void {
    for (const name of keys(this.s.tier0s)) {
      const fw = own(own(this.s.tier0s, name), 'gatewayFirewall');
      if (fw !== undefined) this.firewallRules(['tier0s', name, 'gatewayFirewall'], fw);
    }
    const t1s = this.s.tier1s;
    // A Tier-1's rules read it and the names they resolve (segments, workloads, physical hosts):
    // those the same objects as the scenario edited from (which passed), only the Tier-1s the edit
    // added or replaced are checked.
    const names = this.sameReads(FIREWALL_READS) ? this.editedNames(t1s, own(this.unchangedFrom, 'tier1s')) : this.cachedKeys(t1s);
    for (const name of names) this.tier1Firewall(name, (t1s as Dict)[name]);
    this.firewallRules(['distributedFirewall'], own(this.s, 'distributedFirewall'));
  }

  private tier1Firewall(name: string, t1: unknown): void {
    const fw = own(t1, 'gatewayFirewall');
    if (fw === undefined) return;
    this.firewallRules(['tier1s', name, 'gatewayFirewall'], fw);
    if (list(fw).length && own(t1, 'edgeCluster') === undefined) {
      this.add(['tier1s', name, 'gatewayFirewall'], 'needs-edge-cluster', 'the gateway firewall runs on a service router and needs an edgeCluster');
    }
  }

  /** NAT rules: addresses, translated fields per action, REFLEXIVE sizes, SR and HA constraints. */
  private natRules(): void {
    for (const name of keys(this.s.tier0s)) this.natCheck('tier0s', name, own(this.s.tier0s, name));
    const t1s = this.s.tier1s;
    // (Local to a Tier-1: only those the edit added or replaced, after one that passed.)
    const names = this.editedNames(t1s, own(this.unchangedFrom, 'tier1s'));
    for (const name of names) this.natCheck('tier1s', name, (t1s as Dict)[name]);
  }

  private natCheck(tier: 'tier0s' | 'tier1s', name: string, gw: unknown): void {
    const rules = list(own(gw, 'nat'));
    if (!rules.length) return;
    const base: PathSeg[] = [tier, name, 'nat'];
    if (tier === 'tier1s' && own(gw, 'edgeCluster') === undefined) this.add(base, 'needs-edge-cluster', 'NAT runs on a service router and needs an edgeCluster');
    const aa = tier === 'tier0s' && (own(gw, 'haMode') ?? 'ACTIVE_ACTIVE') === 'ACTIVE_ACTIVE';
    const names = new Set<string>();
    rules.forEach((r, i) => {
      const path = [...base, i];
      const action = own(r, 'action');
      const n = str(own(r, 'name'));
      if (n && names.has(n)) this.add([...path, 'name'], 'duplicate-name', `NAT rule name ${JSON.stringify(n)} is used twice`);
      if (n) names.add(n);
      if (aa && typeof action === 'string' && action !== 'REFLEXIVE') {
        this.add([...path, 'action'], 'invalid-value', `an ACTIVE_ACTIVE Tier-0 accepts only REFLEXIVE NAT (stateful ${action} needs ACTIVE_STANDBY, or put it on a Tier-1)`);
      }
      const addr = (k: 'source' | 'destination' | 'translated') => {
        const v = own(r, k);
        if (v === undefined) return null;
        const p = parsePrefix(v) ?? (parseIp(v) !== null ? { addr: parseIp(v)!, len: 32 } : null);
        if (!p) this.add([...path, k], 'invalid-address', `${JSON.stringify(v)} is not an address or a prefix`);
        return p;
      };
      const src = addr('source');
      addr('destination');
      const tr = addr('translated');
      const needsSource = action === 'SNAT' || action === 'NO_SNAT' || action === 'REFLEXIVE';
      const needsDest = action === 'DNAT' || action === 'NO_DNAT';
      if (needsSource && own(r, 'source') === undefined) this.add(path, 'missing', `${action} needs a source`);
      if (needsDest && own(r, 'destination') === undefined) this.add(path, 'missing', `${action} needs a destination`);
      const exempt = action === 'NO_SNAT' || action === 'NO_DNAT';
      if (exempt && own(r, 'translated') !== undefined) this.add([...path, 'translated'], 'invalid-value', `${action} translates nothing: remove "translated"`);
      if (!exempt && typeof action === 'string' && own(r, 'translated') === undefined) this.add(path, 'missing', `${action} needs "translated"`);
      if (action === 'REFLEXIVE' && src && tr && src.len !== tr.len) this.add([...path, 'translated'], 'invalid-value', `REFLEXIVE maps 1:1: /${tr.len} differs from the source /${src.len}`);
      const svc = own(r, 'service');
      if (typeof svc === 'string' && !parseService(svc)) this.add([...path, 'service'], 'invalid-value', `invalid service ${JSON.stringify(svc)} (tcp/80, udp/53, ...)`);
      if (own(r, 'translatedPort') !== undefined && (action !== 'DNAT' || svc === undefined)) this.add([...path, 'translatedPort'], 'invalid-value', 'translatedPort applies to a DNAT rule with a service');
    });
  }

  /** The names `failed` may list (built only when a name is not found, for its suggestion). */
  private failableNames(): Set<string> {
    const known = new Set(FAILABLE_MAPS.flatMap((k) => keys(own(this.s, k))));
    for (const g of keys(own(own(this.s, 'avi'), 'seGroups'))) for (const se of keys(own(own(own(own(this.s, 'avi'), 'seGroups'), g), 'serviceEngines'))) known.add(se);
    for (const c of keys(own(this.s, 'kubernetes'))) for (const n of keys(own(own(own(this.s, 'kubernetes'), c), 'nodes'))) known.add(n);
    return known;
  }

  /**
   * Whether `name` is something that can fail (a name failableNames lists), looked up in the maps
   * that hold it rather than in a list of every name (40,000 workloads at L, on every edit).
   */
  private isFailable(name: string): boolean {
    for (const k of FAILABLE_MAPS) {
      const m = own(this.s, k);
      if (isDict(m) && Object.hasOwn(m, name)) return true;
    }
    if (this.nestedFailable === null) {
      const set = new Set<string>();
      for (const g of keys(own(own(this.s, 'avi'), 'seGroups'))) for (const se of keys(own(own(own(own(this.s, 'avi'), 'seGroups'), g), 'serviceEngines'))) set.add(se);
      for (const c of keys(own(this.s, 'kubernetes'))) for (const n of keys(own(own(own(this.s, 'kubernetes'), c), 'nodes'))) set.add(n);
      this.nestedFailable = set;
    }
    return this.nestedFailable.has(name);
  }

  /** SE and Kubernetes node names (isFailable's names inside nested maps), listed when first asked. */
  private nestedFailable: Set<string> | null = null;

  private failures(): void {
    const failed = list(own(this.s, 'failed'));
    if (!failed.length) return;
    failed.forEach((n, i) => {
      if (typeof n === 'string' && !this.isFailable(n)) this.add(['failed', i], 'dangling-reference', `nothing named ${JSON.stringify(n)} can fail (transport nodes, physical routers and hosts, workloads, SEs, Kubernetes nodes)${this.suggest(n, this.failableNames())}`);
    });
  }

  /** Pass 2: the names realization appended to `failed` (the user's passed in pass 1 and still do). */
  private createdFailures(createdFailed: readonly string[]): void {
    if (!createdFailed.length) return;
    const failed = list(own(this.s, 'failed'));
    const first = failed.length - createdFailed.length;
    for (let i = first; i < failed.length; i++) {
      const n = failed[i];
      if (typeof n !== 'string') continue;
      if (!this.isFailable(n)) this.add(['failed', i], 'dangling-reference', `nothing named ${JSON.stringify(n)} can fail (transport nodes, physical routers and hosts, workloads, SEs, Kubernetes nodes)${this.suggest(n, this.failableNames())}`);
    }
  }

  /** BGP and routing-policy references: every named list or map exists; ranges make sense. */
  private routingPolicy(): void {
    const refIn = (path: PathSeg[], kind: string, holder: unknown, mapKey: string, value: unknown) => {
      const n = str(value);
      if (n === undefined) return;
      const map = own(holder, mapKey);
      if (!isDict(map) || !Object.hasOwn(map, n)) this.add(path, 'dangling-reference', `no ${kind} named ${JSON.stringify(n)}${this.suggest(n, keys(map))}`);
    };
    const prefixEntry = (path: PathSeg[], e: unknown, networkKey: 'network' | 'prefix') => {
      const net = own(e, networkKey);
      const p = net === 'ANY' && networkKey === 'network' ? { addr: 0, len: 0 } : this.prefix([...path, networkKey], net);
      const ge = own(e, 'ge');
      const le = own(e, 'le');
      if (p && typeof ge === 'number' && ge < p.len) this.add([...path, 'ge'], 'invalid-value', `ge ${ge} is shorter than the prefix length /${p.len}`);
      if (p && typeof le === 'number' && le < p.len) this.add([...path, 'le'], 'invalid-value', `le ${le} is shorter than the prefix length /${p.len}`);
      if (typeof ge === 'number' && typeof le === 'number' && le < ge) this.add([...path, 'le'], 'invalid-value', `le ${le} is smaller than ge ${ge}`);
    };
    const communities = (path: PathSeg[], text: unknown) => {
      if (typeof text !== 'string') return;
      for (const tok of text.split(/\s+/).filter(Boolean)) {
        if (!/^(\d+:\d+|\d+:\d+:\d+|NO_EXPORT|NO_ADVERTISE|NO_EXPORT_SUBCONFED|no-export|no-advertise|no-export-subconfed|internet)$/.test(tok)) {
          this.add(path, 'invalid-value', `invalid community ${JSON.stringify(tok)} (expected aa:nn, aa:bb:nn or a well-known name)`);
        }
      }
    };
    /** AS numbers of a prepend (their shape is the schema's pattern; here their range). */
    const asPathPrepend = (path: PathSeg[], text: unknown) => {
      if (typeof text !== 'string' || !/^\d+( \d+)*$/.test(text)) return;
      const bad = text.split(' ').find((t) => !(Number(t) >= 1 && Number(t) <= 4294967295));
      if (bad !== undefined) this.add(path, 'invalid-value', `${JSON.stringify(bad)} is not an AS number 1-4294967295`);
    };
    const filter = (path: PathSeg[], t0: unknown, f: unknown) => {
      if (!isDict(f)) return;
      const hasPl = own(f, 'prefixList') !== undefined;
      const hasRm = own(f, 'routeMap') !== undefined;
      if (hasPl === hasRm) this.add(path, 'invalid-value', 'a route filter names one prefixList or one routeMap');
      refIn([...path, 'prefixList'], 'prefix list', t0, 'prefixLists', own(f, 'prefixList'));
      refIn([...path, 'routeMap'], 'route map', t0, 'routeMaps', own(f, 'routeMap'));
    };
    for (const name of keys(this.s.tier0s)) {
      const t0 = own(this.s.tier0s, name);
      const base = ['tier0s', name];
      for (const pl of keys(own(t0, 'prefixLists'))) list(own(own(t0, 'prefixLists'), pl)).forEach((e, i) => prefixEntry([...base, 'prefixLists', pl, i], e, 'network'));
      for (const cl of keys(own(t0, 'communityLists'))) list(own(own(t0, 'communityLists'), cl)).forEach((c, i) => communities([...base, 'communityLists', cl, i], c));
      for (const rm of keys(own(t0, 'routeMaps'))) {
        list(own(own(t0, 'routeMaps'), rm)).forEach((e, i) => {
          const path = [...base, 'routeMaps', rm, i];
          if (own(e, 'prefixLists') !== undefined && own(e, 'communityLists') !== undefined) this.add(path, 'invalid-value', 'an NSX route-map entry matches prefix lists or community lists, not both');
          list(own(e, 'prefixLists')).forEach((pl, j) => refIn([...path, 'prefixLists', j], 'prefix list', t0, 'prefixLists', pl));
          list(own(e, 'communityLists')).forEach((c, j) => refIn([...path, 'communityLists', j, 'communityList'], 'community list', t0, 'communityLists', own(c, 'communityList')));
          communities([...path, 'set', 'community'], own(own(e, 'set'), 'community'));
          asPathPrepend([...path, 'set', 'asPathPrepend'], own(own(e, 'set'), 'asPathPrepend'));
        });
      }
      list(own(t0, 'redistribution')).forEach((r, i) => refIn([...base, 'redistribution', i, 'routeMap'], 'route map', t0, 'routeMaps', own(r, 'routeMap')));
      const bgp = own(t0, 'bgp');
      const uplinkIps = new Set(list(own(t0, 'uplinks')).map((u) => parseIfAddr(own(u, 'ip'))?.ip).filter((x): x is number => x !== undefined));
      list(own(bgp, 'neighbors')).forEach((n, i) => {
        const path = [...base, 'bgp', 'neighbors', i];
        this.ip([...path, 'address'], own(n, 'address'));
        filter([...path, 'in'], t0, own(n, 'in'));
        filter([...path, 'out'], t0, own(n, 'out'));
        list(own(n, 'sourceAddresses')).forEach((a, j) => {
          const ip = this.ip([...path, 'sourceAddresses', j], a);
          if (ip !== null && !uplinkIps.has(ip)) this.add([...path, 'sourceAddresses', j], 'dangling-reference', `${formatIp(ip)} is not an uplink address of ${JSON.stringify(name)}`);
        });
      });
      list(own(bgp, 'aggregations')).forEach((a, i) => this.prefix([...base, 'bgp', 'aggregations', i, 'prefix'], own(a, 'prefix')));
      if (own(t0, 'redistribution') !== undefined && bgp === undefined) this.add([...base, 'redistribution'], 'invalid-value', 'redistribution into BGP needs bgp (localAs, neighbors)');
    }
    for (const name of keys(this.s.physicalRouters)) {
      const r = own(this.s.physicalRouters, name);
      const base = ['physicalRouters', name];
      for (const pl of keys(own(r, 'prefixLists'))) list(own(own(r, 'prefixLists'), pl)).forEach((e, i) => prefixEntry([...base, 'prefixLists', pl, i], e, 'prefix'));
      for (const cl of keys(own(r, 'communityLists'))) list(own(own(r, 'communityLists'), cl)).forEach((e, i) => communities([...base, 'communityLists', cl, i, 'communities'], own(e, 'communities')));
      for (const al of keys(own(r, 'asPathLists'))) {
        list(own(own(r, 'asPathLists'), al)).forEach((e, i) => {
          try {
            new RegExp(String(own(e, 'regex')).replace(/_/g, '(?:^|$|[ ,{}()])'));
          } catch {
            this.add([...base, 'asPathLists', al, i, 'regex'], 'invalid-value', `invalid regular expression ${JSON.stringify(own(e, 'regex'))}`);
          }
        });
      }
      for (const rm of keys(own(r, 'routeMaps'))) {
        const seqs = new Set<number>();
        list(own(own(r, 'routeMaps'), rm)).forEach((e, i) => {
          const path = [...base, 'routeMaps', rm, i];
          const seq = own(e, 'seq');
          if (typeof seq === 'number') {
            if (seqs.has(seq)) this.add([...path, 'seq'], 'duplicate-name', `route-map ${JSON.stringify(rm)} has seq ${seq} twice`);
            seqs.add(seq);
          }
          const m = own(e, 'match');
          refIn([...path, 'match', 'prefixList'], 'prefix list', r, 'prefixLists', own(m, 'prefixList'));
          refIn([...path, 'match', 'communityList'], 'community list', r, 'communityLists', own(m, 'communityList'));
          refIn([...path, 'match', 'asPathList'], 'AS-path list', r, 'asPathLists', own(m, 'asPathList'));
          communities([...path, 'set', 'community'], own(own(e, 'set'), 'community'));
          asPathPrepend([...path, 'set', 'asPathPrepend'], own(own(e, 'set'), 'asPathPrepend'));
        });
      }
      const bgp = own(r, 'bgp');
      this.ip([...base, 'bgp', 'routerId'], own(bgp, 'routerId'));
      list(own(bgp, 'neighbors')).forEach((n, i) => {
        const path = [...base, 'bgp', 'neighbors', i];
        this.ip([...path, 'address'], own(n, 'address'));
        for (const k of ['routeMapIn', 'routeMapOut'] as const) refIn([...path, k], 'route map', r, 'routeMaps', own(n, k));
        for (const k of ['prefixListIn', 'prefixListOut'] as const) refIn([...path, k], 'prefix list', r, 'prefixLists', own(n, k));
      });
      list(own(bgp, 'networks')).forEach((p, i) => this.prefix([...base, 'bgp', 'networks', i], p));
      list(own(bgp, 'redistribute')).forEach((d, i) => refIn([...base, 'bgp', 'redistribute', i, 'routeMap'], 'route map', r, 'routeMaps', own(d, 'routeMap')));
      list(own(bgp, 'aggregates')).forEach((a, i) => this.prefix([...base, 'bgp', 'aggregates', i, 'prefix'], own(a, 'prefix')));
    }
  }

  /** The object a name refers to in `mapKey` ({} for a value that is not a map), undefined when none or dangling (reported). */
  private ref(path: PathSeg[], kind: string, mapKey: keyof Scenario, value: unknown): Dict | undefined {
    const name = str(value);
    if (name === undefined) return undefined;
    const map = own(this.s, mapKey as string);
    if (isDict(map) && Object.hasOwn(map, name)) return isDict(map[name]) ? (map[name] as Dict) : {};
    this.add(path, 'dangling-reference', `no ${kind} named ${JSON.stringify(name)}${this.suggest(name, keys(map))}`);
    return undefined;
  }

  /** ref() of the field `field` of object `name` in `section` (the path is built only for a problem). */
  private refOf(section: string, name: string, field: string, kind: string, mapKey: keyof Scenario, value: unknown): Dict | undefined {
    if (typeof value !== 'string' || !value) return undefined;
    const map = own(this.s, mapKey as string);
    if (isDict(map) && Object.hasOwn(map, value)) {
      const v = map[value];
      return isDict(v) ? v : {};
    }
    this.add([section, name, field], 'dangling-reference', `no ${kind} named ${JSON.stringify(value)}${this.suggest(value, keys(map))}`);
    return undefined;
  }

  private nameCollisions(): void {
    const groups: [string, (keyof Scenario)[]][] = [
      ['gateway', ['tier0s', 'tier1s']],
      ['node or endpoint', ['transportNodes', 'physicalRouters', 'physicalHosts', 'workloads']],
    ];
    // A name is reported in each later map that has it, naming the first map that has it.
    for (const [what, maps] of groups) {
      // The maps of the scenario edited from (which passed), every one the same object: no collision.
      const from = this.reuse;
      if (from !== undefined && maps.every((m) => own(from.s, m as string) === own(this.s, m as string))) continue;
      maps.forEach((m, k) => {
        for (const name of this.cachedKeys(own(this.s, m as string))) {
          for (let j = 0; j < k; j++) {
            const earlier = own(this.s, maps[j] as string);
            if (isDict(earlier) && Object.hasOwn(earlier, name)) {
              this.add([m as string, name], 'duplicate-name', `${what} name ${JSON.stringify(name)} is already used in ${maps[j]}`, true);
              break;
            }
          }
        }
      });
    }
  }

  /**
   * One problem per shared address, on its second user, counting the others. Chunks taken from a
   * pass with no address claimed twice share none; this pass's claims met every chunk before them
   * as they were made, and meet here those taken after them. Only when some address is claimed
   * twice are the claims listed again, one by one in claim order, to name its users.
   */
  private reportDuplicateIps(): void {
    const { chunks, origin } = this;
    for (let j = 0; j < chunks.length && !this.collision; j++) {
      const q = origin[j];
      if (q === null) continue; // (its claims met every chunk before it as they were made)
      for (let i = 0; i < j && !this.collision; i++) {
        const p = origin[i];
        // Two chunks of one pass that passed share no address, nor do a chunk and one of a pass that passed and holds it too.
        if (p !== null && (p === q || q.chunksAsSet().has(chunks[i]) || p.chunksAsSet().has(chunks[j]))) continue;
        if (meets(chunks[i], chunks[j])) this.collision = true;
      }
    }
    if (!this.collision) return;
    const all = new ClaimChunk();
    for (const c of chunks) all.append(c);
    const { log, set: claims } = all;
    for (const [ip, others] of claims.duplicates) {
      const first = claims.first(ip);
      const more = others.length > 1 ? `; ${count(others.length - 1)} more use it too (${some(others.slice(1).map((o) => formatPath(log.path(o))))})` : '';
      this.add(log.path(others[0]), 'duplicate-ip', `address ${formatIp(ip)} is already used by ${log.label(first)} (${formatPath(log.path(first))})${more}`);
    }
  }

  /** One problem per set of overlapping prefixes, on the same gateway (a name) or the same router (null). */
  private reportOverlaps<T extends { name: string; net: Prefix }>(items: T[], kind: string, gateway: unknown, pathOf: (it: T) => PathSeg[]): void {
    if (items.length < 2) return;
    for (const { root, members } of overlapSets(items)) {
      const where = kind === 'segment' ? `on the same gateway ${JSON.stringify(gateway)}` : 'on the same router';
      if (members.length === 2) {
        const [a, b] = members;
        this.add(pathOf(b), 'overlap', `${formatPrefix(b.net)} overlaps ${kind} ${JSON.stringify(a.name)} (${formatPrefix(a.net)}) ${where}`);
        continue;
      }
      const others = members.filter((m) => m !== root);
      this.add(pathOf(root), 'overlap', `${formatPrefix(root.net)} overlaps ${count(others.length)} other ${kind}s ${where} (${some(others.map((o) => `${JSON.stringify(o.name)} ${formatPrefix(o.net)}`))})`);
    }
  }

  private ip(path: PathSeg[], v: unknown): number | null {
    if (v === undefined || v === null) return null;
    const ip = parseIp(v);
    if (ip === null) this.add(path, 'invalid-address', invalidAddress.ip(v));
    return ip;
  }

  private prefix(path: PathSeg[], v: unknown): Prefix | null {
    if (v === undefined || v === null) return null;
    const p = parsePrefix(v);
    if (p) return p;
    this.badPrefix(path, v);
    return null;
  }

  private badPrefix(path: PathSeg[], v: unknown): void {
    if (hasHostBits(v)) {
      const a = parseIfAddr(v)!;
      this.add(path, 'invalid-address', `${JSON.stringify(v)} has host bits set (did you mean "${formatPrefix(networkOf(a))}"?)`);
    } else this.add(path, 'invalid-address', invalidAddress.prefix(v));
  }

  private ifaddr(path: PathSeg[], v: unknown): IfAddr | null {
    if (v === undefined || v === null) return null;
    const a = parseIfAddr(v);
    if (!a) {
      this.add(path, 'invalid-address', invalidAddress.ifaddr(v));
      return null;
    }
    if (isReservedHost(a)) {
      this.add(path, 'invalid-address', `${JSON.stringify(v)} is the network or broadcast address of ${formatPrefix(networkOf(a))}`);
      return null;
    }
    return a;
  }

  private transportNodes(): void {
    const teps = new Map<number, string[]>();
    for (const name of keys(this.s.transportNodes)) {
      const tn = own(this.s.transportNodes, name);
      const tep = this.ip(['transportNodes', name, 'tep'], own(tn, 'tep'));
      if (tep === null) continue;
      const users = teps.get(tep);
      if (users) users.push(name);
      else teps.set(tep, [name]);
    }
    // One problem per shared TEP, on its second user.
    for (const [tep, [first, second, ...rest]] of teps) {
      if (second === undefined) continue;
      const more = rest.length ? `; ${count(rest.length)} more use it too (${some(rest.map((n) => JSON.stringify(n)))})` : '';
      this.add(['transportNodes', second, 'tep'], 'duplicate-ip', `TEP ${formatIp(tep)} is already used by transport node ${JSON.stringify(first)}${more}`);
    }
  }

  private edgeClusters(): void {
    const memberOf = new Map<string, string>();
    for (const name of keys(this.s.edgeClusters)) {
      list(own(own(this.s.edgeClusters, name), 'members')).forEach((m, i) => {
        const path = ['edgeClusters', name, 'members', i];
        const tn = this.ref(path, 'transport node', 'transportNodes', m);
        if (!tn || typeof m !== 'string') return;
        if (own(tn, 'type') !== undefined && own(tn, 'type') !== 'edge') this.add(path, 'invalid-value', `transport node ${JSON.stringify(m)} is a host, not an edge`);
        const prev = memberOf.get(m);
        if (prev) this.add(path, 'duplicate-name', `edge ${JSON.stringify(m)} is already a member of edge cluster ${JSON.stringify(prev)}`);
        else memberOf.set(m, name);
      });
    }
  }

  private clusterMembers(name: unknown): string[] {
    return list(own(own(this.s.edgeClusters, String(name)), 'members')).filter((m): m is string => typeof m === 'string');
  }

  private staticRoutes(base: PathSeg[], routes: unknown): void {
    if (!Array.isArray(routes) || !routes.length) return;
    const maxEcmp = Number(own(own(this.s, 'settings'), 'maxEcmp') ?? 8);
    routes.forEach((r, i) => {
      const path = [...base, i];
      this.prefix([...path, 'network'], own(r, 'network'));
      const perDistance = new Map<number, number>();
      list(own(r, 'nextHops')).forEach((nh, j) => {
        const nhPath = [...path, 'nextHops', j];
        if (typeof nh === 'string') {
          this.ip(nhPath, nh);
          perDistance.set(1, (perDistance.get(1) ?? 0) + 1);
          return;
        }
        if (!isDict(nh)) return;
        const hasIp = own(nh, 'ip') !== undefined;
        const blackhole = own(nh, 'blackhole') === true;
        if (hasIp && blackhole) this.add(nhPath, 'invalid-value', 'a next hop is either an ip or a blackhole, not both');
        else if (!hasIp && !blackhole) this.add(nhPath, 'missing', 'a next hop needs "ip" or "blackhole: true"');
        if (hasIp) this.ip([...nhPath, 'ip'], own(nh, 'ip'));
        const d = typeof own(nh, 'distance') === 'number' ? (own(nh, 'distance') as number) : 1;
        perDistance.set(d, (perDistance.get(d) ?? 0) + 1);
      });
      for (const [d, n] of perDistance) {
        if (n > maxEcmp) this.add([...path, 'nextHops'], 'invalid-value', `${n} next hops at distance ${d}: ECMP installs at most ${maxEcmp} (settings.maxEcmp)`);
      }
    });
  }

  private tier0s(): void {
    const t0OfEdge = new Map<string, string>();
    let tier1sOf: Map<unknown, number> | null = null;
    for (const name of keys(this.s.tier0s)) {
      const t0 = own(this.s.tier0s, name);
      const base = ['tier0s', name];
      const cluster = this.ref([...base, 'edgeCluster'], 'edge cluster', 'edgeClusters', own(t0, 'edgeCluster'));
      const members = cluster ? this.clusterMembers(own(t0, 'edgeCluster')) : [];
      const memberSet = new Set(members);
      for (const e of members) {
        const prev = t0OfEdge.get(e);
        if (prev) this.add([...base, 'edgeCluster'], 'invalid-value', `edge ${JSON.stringify(e)} already hosts the SR of Tier-0 ${JSON.stringify(prev)} (an edge hosts one Tier-0)`);
        else t0OfEdge.set(e, name);
      }
      const aa = (own(t0, 'haMode') ?? 'ACTIVE_ACTIVE') === 'ACTIVE_ACTIVE';
      const its = this.prefix([...base, 'internalTransitSubnet'], own(t0, 'internalTransitSubnet'));
      if (its && 2 ** (32 - its.len) < members.length + 3) {
        this.add([...base, 'internalTransitSubnet'], 'invalid-value', `${formatPrefix(its)} is too small for a DR and ${members.length} SRs`);
      }
      if (aa && its && its.len > 25) {
        this.add([...base, 'internalTransitSubnet'], 'invalid-value', `an ACTIVE_ACTIVE Tier-0 needs at least a /25 transit subnet (DR-SR plus inter-SR halves), got /${its.len}`);
      }
      const ts = this.prefix([...base, 'transitSubnet'], own(t0, 'transitSubnet'));
      if (ts) {
        tier1sOf ??= this.tier1sPerTier0();
        const t1count = tier1sOf.get(name) ?? 0;
        if (2 ** (32 - ts.len) < 2 * t1count) {
          this.add([...base, 'transitSubnet'], 'invalid-value', `${formatPrefix(ts)} holds ${2 ** (32 - ts.len) / 2} router links but ${t1count} Tier-1s attach to this Tier-0`);
        }
      }
      list(own(t0, 'uplinks')).forEach((u, i) => {
        const path = [...base, 'uplinks', i];
        const edge = str(own(u, 'edge'));
        if (edge && this.ref([...path, 'edge'], 'transport node', 'transportNodes', edge) && cluster && !memberSet.has(edge)) {
          this.add([...path, 'edge'], 'invalid-value', `edge ${JSON.stringify(edge)} is not a member of edge cluster ${JSON.stringify(own(t0, 'edgeCluster'))}`);
        }
        const seg = this.ref([...path, 'segment'], 'segment', 'segments', own(u, 'segment'));
        if (seg && own(seg, 'type') !== 'vlan') this.add([...path, 'segment'], 'invalid-value', `uplink segment ${JSON.stringify(own(u, 'segment'))} must be a VLAN segment (type: vlan)`);
        const a = this.ifaddr([...path, 'ip'], own(u, 'ip'));
        if (a) {
          if (seg) this.insideSegment([...path, 'ip'], a.ip, this.segmentNetwork(own(u, 'segment') as string, seg), own(u, 'segment'), a.len);
          this.claim(a.ip, CLAIM_UPLINK, name, i);
        }
      });
      this.staticRoutes([...base, 'staticRoutes'], own(t0, 'staticRoutes'));
    }
  }

  /**
   * Checks that an address lies inside the subnet (`net`: addr * 64 + len, -1 none) of the segment
   * it is attached to, and (`len` ≥ 0, an interface address) has the segment's prefix length.
   */
  private insideSegment(path: PathSeg[] | (() => PathSeg[]), ip: number, net: number, segName: unknown, len = -1): void {
    if (net < 0) return;
    const netLen = net % 64;
    const netAddr = (net - netLen) / 64;
    if (((ip & maskOf(netLen)) >>> 0) !== netAddr) {
      this.add(typeof path === 'function' ? path() : path, 'outside-subnet', `${formatIp(ip)} is outside segment ${JSON.stringify(segName)} (${formatIp(netAddr)}/${netLen})`);
    } else if (len >= 0 && len !== netLen) {
      this.add(typeof path === 'function' ? path() : path, 'outside-subnet', `prefix length /${len} differs from segment ${JSON.stringify(segName)} (${formatIp(netAddr)}/${netLen})`);
    }
  }

  /** VLAN segment by subnet ("addr/len"), the first declared; built once. */
  private vlanBySubnet: Map<number, string> | null = null;
  /** The previous pass's VLAN segments by subnet (its segments the same, or these added after them). */
  private vlanFrom: { readonly map: Map<number, string>; readonly added: readonly string[] } | null = null;

  /** A physical address given without `segment:` on the subnet of a VLAN segment (a separate L2 otherwise). */
  private vlanSubnetWithoutSegment(path: PathSeg[], a: IfAddr, holder: unknown): void {
    if (own(holder, 'segment') !== undefined) return;
    if (!this.vlanBySubnet && this.vlanFrom !== null) {
      const { map, added } = this.vlanFrom;
      const segs = this.s.segments as Dict;
      const vlans = added.filter((name) => isDict(segs[name]) && own(segs[name], 'type') === 'vlan');
      this.vlanBySubnet = vlans.length ? new Map(map) : map;
      for (const name of vlans) {
        const sn = this.segmentNetwork(name, segs[name] as Dict);
        if (sn >= 0 && !this.vlanBySubnet.has(sn)) this.vlanBySubnet.set(sn, name);
      }
    }
    if (!this.vlanBySubnet) {
      this.vlanBySubnet = new Map();
      const segs = this.s.segments;
      for (const name of this.cachedKeys(segs)) {
        const seg = (segs as Dict)[name];
        if (!isDict(seg) || own(seg, 'type') !== 'vlan') continue;
        const sn = this.segmentNetwork(name, seg);
        if (sn >= 0 && !this.vlanBySubnet.has(sn)) this.vlanBySubnet.set(sn, name);
      }
    }
    const net = networkOf(a);
    const name = this.vlanBySubnet.get(net.addr * 64 + net.len);
    if (name !== undefined) {
      this.add(path, 'invalid-value', `${formatPrefix(net)} is the subnet of VLAN segment ${JSON.stringify(name)}: add \`segment: ${JSON.stringify(name)}\` (without it this is a separate physical network)`);
    }
  }

  /**
   * The network of segment `name` (its gateway's, else its subnet) as addr * 64 + len, or -1;
   * parsed once per segment. `seg` is the segment's object ({} for a value that is not a map).
   */
  private segmentNetwork(name: string, seg: Dict): number {
    const known = this.segNets.get(name);
    if (known !== undefined) return known;
    let net = -1;
    if (parseCidrInto(own(seg, 'gateway'), cidr)) net = ((cidr[0] & maskOf(cidr[1])) >>> 0) * 64 + cidr[1];
    else if (parseCidrInto(own(seg, 'subnet'), cidr) && (cidr[0] & ~maskOf(cidr[1])) >>> 0 === 0) net = cidr[0] * 64 + cidr[1];
    this.segNets.set(name, net);
    return net;
  }

  private tier1s(): void {
    const t1s = this.s.tier1s;
    // The rules local to a Tier-1 read the Tier-0s, the edge clusters and the settings besides it:
    // those the same objects as the scenario edited from (which passed), only the Tier-1s the edit
    // added or replaced are checked.
    const names = this.sameReads(TIER1_READS) ? this.editedNames(t1s, own(this.unchangedFrom, 'tier1s')) : this.cachedKeys(t1s);
    for (const name of names) this.tier1(name, (t1s as Dict)[name]);
  }

  private tier1(name: string, t1: unknown): void {
    this.refOf('tier1s', name, 'tier0', 'Tier-0', 'tier0s', own(t1, 'tier0'));
    const hasCluster = own(t1, 'edgeCluster') !== undefined;
    const cluster = hasCluster ? this.refOf('tier1s', name, 'edgeCluster', 'edge cluster', 'edgeClusters', own(t1, 'edgeCluster')) : undefined;
    const edges = own(t1, 'edges');
    if (Array.isArray(edges) && edges.length) {
      const members = cluster ? this.clusterMembers(own(t1, 'edgeCluster')) : [];
      const memberSet = new Set(members);
      const seenEdges = new Set<unknown>();
      edges.forEach((e, i) => {
        const twice = typeof e === 'string' && seenEdges.has(e);
        seenEdges.add(e);
        if (twice) this.add(['tier1s', name, 'edges', i], 'duplicate-name', `edge ${JSON.stringify(e)} is listed twice (the active and standby SRs need two edges)`);
        else if (!hasCluster) this.add(['tier1s', name, 'edges'], 'needs-edge-cluster', 'SR placement (edges) needs an edgeCluster');
        else if (cluster && typeof e === 'string' && !memberSet.has(e)) {
          this.add(['tier1s', name, 'edges', i], 'invalid-value', `edge ${JSON.stringify(e)} is not a member of edge cluster ${JSON.stringify(own(t1, 'edgeCluster'))}${suggestion(e, members)}`);
        }
      });
    }
    const services = list(own(t1, 'services'));
    if (services.length && !hasCluster) {
      this.add(['tier1s', name, 'services'], 'needs-edge-cluster', `services ${services.join(', ')} run on a service router and need an edgeCluster`);
    }
    if (own(t1, 'haMode') !== undefined && !hasCluster) {
      this.add(['tier1s', name, 'haMode'], 'needs-edge-cluster', 'haMode applies to service routers and needs an edgeCluster (a DR-only Tier-1 has none)');
    }
    const rules = own(t1, 'advertisementRules');
    if (Array.isArray(rules) && rules.length) {
      const ruleNames = new Set<string>();
      rules.forEach((r, i) => {
        const rn = str(own(r, 'name'));
        if (rn && ruleNames.has(rn)) this.add(['tier1s', name, 'advertisementRules', i, 'name'], 'duplicate-name', `advertisement rule name ${JSON.stringify(rn)} is used twice`);
        if (rn) ruleNames.add(rn);
        list(own(r, 'subnets')).forEach((sn, j) => this.prefix(['tier1s', name, 'advertisementRules', i, 'subnets', j], sn));
      });
    }
    const routes = own(t1, 'staticRoutes');
    if (Array.isArray(routes) && routes.length) this.staticRoutes(['tier1s', name, 'staticRoutes'], routes);
  }

  private segments(): void {
    const segs = this.s.segments;
    for (const name of this.cachedKeys(segs)) this.segment(name, (segs as Dict)[name]);
    const groups = [...this.groupsT0.values(), ...this.groupsT1.values()].sort((a, b) => a.order - b.order);
    for (const g of groups) this.reportOverlaps(g.items, 'segment', g.gateway, (it) => ['segments', it.name, 'gateway']);
  }

  private segment(name: string, seg: unknown): void {
    const vlanType = own(seg, 'type') === 'vlan';
    const tier0 = own(seg, 'tier0');
    const tier1 = own(seg, 'tier1');
    if (tier0 !== undefined && tier1 !== undefined) {
      this.add(['segments', name, 'tier1'], 'invalid-value', 'a segment attaches to one gateway: set tier0 or tier1, not both');
    }
    const t0 = this.refOf('segments', name, 'tier0', 'Tier-0', 'tier0s', tier0);
    const t1 = this.refOf('segments', name, 'tier1', 'Tier-1', 'tier1s', tier1);
    if (vlanType) {
      for (const tier of TIERS) {
        if (own(seg, tier) !== undefined) {
          this.add(['segments', name, tier], 'invalid-value', `a VLAN segment cannot be a gateway downlink (only overlay segments attach to a ${tier === 'tier0' ? 'Tier-0' : 'Tier-1'}; VLANs reach a Tier-0 through uplinks)`);
        }
      }
    } else if (own(seg, 'vlan') !== undefined) this.add(['segments', name, 'vlan'], 'invalid-value', 'a VLAN id needs type: vlan');
    // The gateway (an interface address, not a network or broadcast address) and the subnet.
    const gwText = own(seg, 'gateway');
    let gwIp = BAD;
    let gwLen = 0;
    if (gwText !== undefined && gwText !== null) {
      if (!parseCidrInto(gwText, cidr)) this.add(['segments', name, 'gateway'], 'invalid-address', invalidAddress.ifaddr(gwText));
      else if (isReservedHostOf(cidr[0], cidr[1])) {
        this.add(['segments', name, 'gateway'], 'invalid-address', `${JSON.stringify(gwText)} is the network or broadcast address of ${formatPrefix(networkOf({ ip: cidr[0], len: cidr[1] }))}`);
      } else {
        gwIp = cidr[0];
        gwLen = cidr[1];
      }
    }
    const subnetText = own(seg, 'subnet');
    if (subnetText !== undefined && subnetText !== null) {
      const subnet = this.prefix(['segments', name, 'subnet'], subnetText);
      if (gwIp !== BAD && subnet && !(contains(subnet, gwIp) && subnet.len === gwLen)) {
        this.add(['segments', name, 'gateway'], 'outside-subnet', `gateway ${formatIp(gwIp)}/${gwLen} is outside the segment subnet ${formatPrefix(subnet)}`);
      }
    }
    const attached = (t0 || t1) && (tier0 ?? tier1);
    if (attached && gwText === undefined) {
      this.add(['segments', name], 'missing', `segment attached to gateway ${JSON.stringify(attached)} needs a "gateway" address (e.g. 10.0.0.1/24)`);
    }
    if (gwIp !== BAD) {
      this.claim(gwIp, CLAIM_GATEWAY, name);
      if (attached) {
        if (this.groupMapsTaken) {
          this.groupsT0 = new Map(this.groupsT0);
          this.groupsT1 = new Map(this.groupsT1);
          this.groupMapsTaken = false;
        }
        const groups = t0 ? this.groupsT0 : this.groupsT1;
        const item = { name, net: { addr: (gwIp & maskOf(gwLen)) >>> 0, len: gwLen } };
        const key = String(attached);
        let g = groups.get(key);
        // A group taken from another pass is copied before it changes (that pass keeps its own).
        if (g && !this.ownGroups.has(g)) {
          groups.set(key, (g = { order: g.order, gateway: g.gateway, items: g.items.slice() }));
          this.ownGroups.add(g);
        }
        if (g) {
          g.items.push(item);
          g.gateway = attached;
        } else {
          groups.set(key, (g = { order: this.groupCount++, gateway: attached, items: [item] }));
          this.ownGroups.add(g);
        }
        this.joined?.add(g);
      }
    }
  }

  private workloads(): void {
    const wls = this.s.workloads;
    for (const name of this.cachedKeys(wls)) this.workload(name, (wls as Dict)[name]);
  }

  private workload(name: string, w: unknown): void {
    const hostName = own(w, 'host');
    const host = this.refOf('workloads', name, 'host', 'transport node', 'transportNodes', hostName);
    if (host && own(host, 'type') === 'edge') this.add(['workloads', name, 'host'], 'invalid-value', `${JSON.stringify(hostName)} is an edge; workloads run on hosts`);
    const segName = own(w, 'segment');
    const seg = this.refOf('workloads', name, 'segment', 'segment', 'segments', segName);
    const v = own(w, 'ip');
    if (v === undefined || v === null) return;
    const ip = parseIp(v);
    if (ip === null) {
      this.add(['workloads', name, 'ip'], 'invalid-address', invalidAddress.ip(v));
      return;
    }
    if (seg) {
      const net = this.segmentNetwork(segName as string, seg);
      if (net >= 0) {
        const len = net % 64;
        if (((ip & maskOf(len)) >>> 0) === (net - len) / 64 && isReservedHostOf(ip, len)) {
          this.add(['workloads', name, 'ip'], 'invalid-address', `${formatIp(ip)} is the network or broadcast address of segment ${JSON.stringify(segName)}`);
        } else this.insideSegment(() => ['workloads', name, 'ip'], ip, net, segName);
      }
    }
    this.claim(ip, CLAIM_WORKLOAD, name);
  }

  private physicalRouters(): void {
    for (const name of keys(this.s.physicalRouters)) {
      const r = own(this.s.physicalRouters, name);
      const base = ['physicalRouters', name];
      const ifNames = new Set<string>();
      const nets: { name: string; net: Prefix; path: PathSeg[] }[] = [];
      list(own(r, 'interfaces')).forEach((itf, i) => {
        const path = [...base, 'interfaces', i];
        const ifName = str(own(itf, 'name'));
        if (ifName && ifNames.has(ifName)) this.add([...path, 'name'], 'duplicate-name', `interface name ${JSON.stringify(ifName)} is used twice on ${JSON.stringify(name)}`);
        if (ifName) ifNames.add(ifName);
        const seg = this.ref([...path, 'segment'], 'segment', 'segments', own(itf, 'segment'));
        if (seg && own(seg, 'type') !== 'vlan') this.add([...path, 'segment'], 'invalid-value', `physical routers attach to VLAN segments; ${JSON.stringify(own(itf, 'segment'))} is an overlay segment`);
        const a = this.ifaddr([...path, 'ip'], own(itf, 'ip'));
        if (!a) return;
        if (seg) this.insideSegment([...path, 'ip'], a.ip, this.segmentNetwork(own(itf, 'segment') as string, seg), own(itf, 'segment'), a.len);
        this.vlanSubnetWithoutSegment([...path, 'ip'], a, itf);
        nets.push({ name: ifName ?? String(i), net: networkOf(a), path: [...path, 'ip'] });
        this.claim(a.ip, CLAIM_ROUTER_IF, name, i, ifName ?? i);
      });
      this.reportOverlaps(nets, 'interface', null, (it) => it.path);
      this.staticRoutes([...base, 'staticRoutes'], own(r, 'staticRoutes'));
    }
  }

  private physicalHosts(): void {
    for (const name of keys(this.s.physicalHosts)) {
      const h = own(this.s.physicalHosts, name);
      const base = ['physicalHosts', name];
      const seg = this.ref([...base, 'segment'], 'segment', 'segments', own(h, 'segment'));
      if (seg && own(seg, 'type') !== 'vlan') this.add([...base, 'segment'], 'invalid-value', `physical hosts attach to VLAN segments; ${JSON.stringify(own(h, 'segment'))} is an overlay segment`);
      const a = this.ifaddr([...base, 'ip'], own(h, 'ip'));
      if (a && seg) this.insideSegment([...base, 'ip'], a.ip, this.segmentNetwork(own(h, 'segment') as string, seg), own(h, 'segment'), a.len);
      if (a) this.vlanSubnetWithoutSegment([...base, 'ip'], a, h);
      const gw = this.ip([...base, 'gateway'], own(h, 'gateway'));
      if (a && gw !== null) {
        if (((gw & maskOf(a.len)) >>> 0) !== networkOf(a).addr) {
          this.add([...base, 'gateway'], 'outside-subnet', `gateway ${formatIp(gw)} is outside the host's subnet ${formatPrefix(networkOf(a))}`);
        } else if (gw === a.ip) this.add([...base, 'gateway'], 'invalid-value', 'the gateway is the host\'s own address');
      }
      if (a) this.claim(a.ip, CLAIM_HOST, name);
    }
  }
}
