// Validation after the scale rework (one semantic pass over the user's scenario, then the created
// objects only; lazy paths and messages; addresses parsed once) must report exactly the problems
// of the validator before it (bench/old/validate-scenario.ts: a whole second pass over the realized
// scenario) — same file, path, message, code, line and order — and realization must produce the
// same state as before (bench/old/validate-realize-*.ts). Checked on every bundled scenario, on
// generated ones, under random structural mutations and under mutations aimed at the second pass
// (user objects given the addresses and names of created objects, tight transit subnets, failed
// SEs, created names that enumerate first).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yamlFiles } from '../scenario-files.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateScenario, type PathSeg } from '../../src/topology/validate.js';
import { validateScenario as oldValidateScenario } from '../../bench/old/validate-scenario.js';
import { realize, realizeForChecks } from '../../src/topology/realize/index.js';
import { validateScenarioShape } from '../../src/topology/scenario-validator.generated.js';
import { realize as oldRealize } from '../../bench/old/validate-realize-index.js';
import { formatPath } from '../../src/topology/errors.js';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { generateScenario, generateSize } from '../../src/topology/generate.js';
import { parseCidrInto, parseIfAddr } from '../../src/topology/ip.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { cloneTree, mutate, mutationArb, pathsOf, type Seg } from '../fuzz/mutations.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.NSX_TWIN_FUZZ_RUNS ?? 0) || 150;


/** Bundled scenarios as plain (unfrozen) data. */
const BUNDLED: { name: string; data: Scenario }[] = yamlFiles(join(ROOT, 'scenarios')).map((f) => ({ name: f.slice(ROOT.length), data: cloneTree(loadScenarioFile(f).scenario) }));
const GENERATED: { name: string; data: Scenario }[] = [
  { name: 'generated S', data: generateSize('S') },
  { name: 'generated 6 Tier-1s, 60 VSes, one SE group', data: generateScenario({ tier1s: 6, segmentsPerTier1: 2, workloadsPerSegment: 2, hosts: 4, edges: 2, centralizedEvery: 2, virtualServices: 60 }) },
];
const ALL = [...BUNDLED, ...GENERATED];

/** A locator with many equal and out-of-order lines, so the sort's tie order is exercised. */
const locate = (path: readonly PathSeg[]) => {
  const p = formatPath(path);
  return { file: p.startsWith('avi') ? 'b.yaml' : 'a.yaml', line: p.length % 7 === 3 ? undefined : (p.length * 7) % 13 };
};

/** Cases whose problems include some in the created objects (the second pass found them). */
let secondPassCases = 0;

function expectSame(data: unknown): void {
  const before = oldValidateScenario(data, locate);
  const after = validateScenario(data, locate);
  expect(after).toEqual(before);
  if (before.some((p) => p.message.endsWith('(in the objects the controllers create)'))) secondPassCases++;
}

function expectSameRealization(data: Scenario): void {
  let before: unknown;
  let after: unknown;
  try {
    before = oldRealize(data);
  } catch (e) {
    before = String(e);
  }
  try {
    after = realize(data);
  } catch (e) {
    after = String(e);
  }
  if (after && typeof after === 'object' && 'created' in after) {
    const { created: _created, ...rest } = after as { created?: unknown };
    after = rest;
  }
  expect(after).toEqual(before);
  // Validation's lean realization (no Avi runtime) of a schema-valid scenario: the same problems,
  // created objects and realized scenario as the full one.
  if (validateScenarioShape(data) && (data.avi || data.kubernetes)) {
    const full = realize(data);
    const lean = realizeForChecks(data);
    expect(lean.problems).toEqual(full.problems);
    expect(lean.created).toEqual(full.created);
    expect(lean.scenario).toEqual(full.scenario);
    leanCompared++;
  }
}

/** Cases where the lean realization was compared with the full one. */
let leanCompared = 0;

/** Realized values to plant in user objects: created workloads' addresses and names, created segments' gateways. */
function plantValues(data: Scenario): string[] {
  const out = new Set<string>();
  try {
    const r = oldRealize(data);
    const s = r.scenario;
    for (const [name, w] of Object.entries(s.workloads ?? {})) if (!Object.hasOwn(data.workloads ?? {}, name)) out.add(w.ip).add(name);
    for (const [name, seg] of Object.entries(s.segments ?? {})) if (!Object.hasOwn(data.segments ?? {}, name) && seg.gateway) out.add(seg.gateway).add(seg.gateway.split('/')[0]).add(name);
    for (const name of Object.keys(s.tier1s ?? {})) if (!Object.hasOwn(data.tier1s ?? {}, name)) out.add(name);
    for (const v of r.avi?.virtualServices ?? []) out.add(v.name);
  } catch {
    // realization of a broken scenario may throw in both versions: nothing to plant
  }
  return [...out].sort();
}

type Plant =
  | { at: number; value: number }
  | { kind: 'tiny-transit'; at: number }
  | { kind: 'tn-named'; value: number }
  | { kind: 'fail'; value: number }
  | { kind: 'digit-se'; at: number }
  | { kind: 'host-at'; value: number; len: number }
  | { kind: 'vs-edit'; at: number; edit: number };

const plantArb: fc.Arbitrary<Plant> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ at: fc.nat(), value: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('host-at' as const), value: fc.nat(), len: fc.constantFrom(32, 24, 31) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('vs-edit' as const), at: fc.nat(), edit: fc.nat(5) }) },
  fc.record({ kind: fc.constant('tiny-transit' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('tn-named' as const), value: fc.nat() }),
  fc.record({ kind: fc.constant('fail' as const), value: fc.nat() }),
  fc.record({ kind: fc.constant('digit-se' as const), at: fc.nat() }),
);

/** Applies plants to a copy: string fields set to created values, and the cross-object cases. */
function plant(data: Scenario, values: string[], plants: readonly Plant[]): Scenario {
  const doc = cloneTree(data) as unknown as Record<string, unknown>;
  for (const p of plants) {
    if (!('kind' in p)) {
      const stringPaths = (pathsOf(doc) as Seg[][]).filter((q) => typeof valueAt(doc, q) === 'string');
      if (!values.length || !stringPaths.length) continue;
      setAt(doc, stringPaths[p.at % stringPaths.length], values[p.value % values.length]);
    } else if (p.kind === 'tiny-transit') {
      const t0s = Object.keys((doc.tier0s as object) ?? {});
      if (t0s.length) (doc.tier0s as Record<string, Record<string, unknown>>)[t0s[p.at % t0s.length]].transitSubnet = ['100.64.0.0/30', '100.64.0.0/29', '100.64.0.0/31'][p.at % 3];
    } else if (p.kind === 'host-at') {
      // A physical host on an address a controller hands out (claimed after every workload).
      const ips = values.filter((v) => /^\d+\.\d+\.\d+\.\d+$/.test(v));
      if (ips.length) ((doc.physicalHosts ??= {}) as Record<string, unknown>)[`planted-${p.value % 5}`] = { ip: `${ips[p.value % ips.length]}/${p.len}` };
    } else if (p.kind === 'vs-edit') {
      // Realization problems of virtual services: a shared FQDN, a missing pool, a VIP taken twice, a tiny VIP range.
      const avi = doc.avi as Record<string, Record<string, Record<string, unknown>>> | undefined;
      const names = Object.keys(avi?.virtualServices ?? {});
      if (!avi || !names.length) continue;
      const vs = avi.virtualServices[names[p.at % names.length]];
      const other = avi.virtualServices[names[(p.at >> 3) % names.length]];
      if (p.edit === 0) vs.fqdns = ['shared.example.com'];
      else if (p.edit === 1) vs.pool = 'no-such-pool';
      else if (p.edit === 2 && typeof (other.vip as Record<string, unknown>)?.address === 'string') vs.vip = { address: (other.vip as Record<string, unknown>).address };
      else if (p.edit === 3) vs.enabled = false;
      else if (p.edit === 4) vs.trafficEnabled = false;
      else {
        const nets = Object.values(avi.networks ?? {}) as { ranges?: { from: string; to: string }[] }[];
        const r = nets[p.at % Math.max(1, nets.length)]?.ranges?.[0];
        if (r) r.to = r.from;
      }
    } else if (p.kind === 'tn-named') {
      if (values.length) ((doc.transportNodes ??= {}) as Record<string, unknown>)[values[p.value % values.length]] = { type: 'host', tep: '172.31.255.7' };
    } else if (p.kind === 'fail') {
      const names = [...values, ...seNames(doc)];
      if (names.length) ((doc.failed ??= []) as unknown[]).push(names[p.value % names.length]);
    } else {
      // An SE named like an array index: created names then enumerate before the user's.
      const groups = ((doc.avi as Record<string, unknown> | undefined)?.seGroups ?? {}) as Record<string, { serviceEngines?: Record<string, unknown> }>;
      const g = Object.values(groups)[p.at % Math.max(1, Object.keys(groups).length)];
      const ses = g?.serviceEngines;
      const first = ses && Object.keys(ses)[0];
      if (ses && first !== undefined) {
        ses[String(p.at % 10)] = ses[first];
        delete ses[first];
      }
    }
  }
  return doc as unknown as Scenario;
}

function seNames(doc: Record<string, unknown>): string[] {
  const groups = ((doc.avi as Record<string, unknown> | undefined)?.seGroups ?? {}) as Record<string, { serviceEngines?: Record<string, unknown> }>;
  return Object.values(groups).flatMap((g) => Object.keys(g?.serviceEngines ?? {}));
}

function valueAt(doc: unknown, path: readonly Seg[]): unknown {
  let node = doc as Record<string | number, unknown>;
  for (const s of path) node = node[s] as Record<string | number, unknown>;
  return node;
}

function setAt(doc: unknown, path: readonly Seg[], v: unknown): void {
  const parent = valueAt(doc, path.slice(0, -1)) as Record<string | number, unknown>;
  Object.defineProperty(parent, path[path.length - 1], { value: v, enumerable: true, writable: true, configurable: true });
}

describe('validation after the scale rework equals the validator before it', () => {
  it.each(ALL.map((s) => [s.name, s.data] as const))('%s: same problems, same realization', (_name, data) => {
    expectSame(data);
    expectSameRealization(data);
  });

  it('same problems under random structural mutations', () => {
    fc.assert(
      fc.property(fc.nat(ALL.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (i, ms) => {
        const data = mutate(ALL[i].data, ms) as Scenario;
        expectSame(data);
        expectSameRealization(data);
      }),
      { numRuns: RUNS, seed: 0x5ca1e },
    );
  });

  const withControllers = ALL.filter((s) => s.data.avi || s.data.kubernetes);
  const planted = withControllers.map((s) => plantValues(s.data));

  it('same problems when user objects take the addresses and names of created objects', () => {
    fc.assert(
      fc.property(fc.nat(withControllers.length - 1), fc.array(plantArb, { minLength: 1, maxLength: 4 }), (i, plants) => {
        const data = plant(withControllers[i].data, planted[i], plants);
        expectSame(data);
        expectSameRealization(data);
      }),
      { numRuns: RUNS * 2, seed: 0xc0ffee },
    );
    // The plants must reach the second pass, or this test proves nothing about it.
    expect(secondPassCases).toBeGreaterThan(RUNS / 10);
    expect(leanCompared).toBeGreaterThan(RUNS);
  });

  it('parseCidrInto agrees with parseIfAddr', () => {
    const out = new Uint32Array(2);
    const texts = ['10.0.0.1/24', '10.0.0.0/8', '1.2.3.4/33', '1.2.3.4/', '1.2.3.4/08', '1.2.3.4/0', '1.2.3.4/32', '01.2.3.4/8', '1.2.3/8', '1.2.3.4//8', '/8', '', '1.2.3.4/8 ', '255.255.255.255/32', '1.2.3.4/123', '1.2.3.4/3a'];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...texts), fc.stringMatching(/^[0-9./]{0,18}$/)), (t) => {
        const a = parseIfAddr(t);
        expect(parseCidrInto(t, out) ? { ip: out[0], len: out[1] } : null).toEqual(a);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
