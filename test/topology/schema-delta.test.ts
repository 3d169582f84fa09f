// Validating an edit against the scenario it was made from (validateScenario's `previous`: the
// schema checks only what the edit replaced, schema-delta.ts) must report exactly the problems
// of validating the edited scenario whole — same file, path, message, code, line and order —
// for edits that keep every object they do not touch (as immer snapshots do): the what-if
// edits of the incremental tests, and random structural mutations (wrong types, bad addresses,
// unknown keys, deletions, renamed and duplicated entries) on bundled and generated scenarios.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yamlFiles } from '../scenario-files.js';
import fc from 'fast-check';
import { freeze, produce, type Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { validateScenario, type PathSeg } from '../../src/topology/validate.js';
import { validateScenarioShape } from '../../src/topology/scenario-validator.generated.js';
import { scenarioSchema } from '../../src/topology/scenario-schema.js';
import { schemaDelta } from '../../src/topology/schema-delta.js';
import { formatPath } from '../../src/topology/errors.js';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { generateScenario, generateSize } from '../../src/topology/generate.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { mutateShared, mutationArb } from '../fuzz/mutations.js';
import { realize } from '../../src/topology/realize/index.js';
import { editsOf } from '../engine/incremental-edits.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.NSX_TWIN_FUZZ_RUNS ?? 0) || 120;


const BUNDLED: { name: string; data: Scenario }[] = yamlFiles(join(ROOT, 'scenarios')).map((f) => ({ name: f.slice(ROOT.length), data: loadScenarioFile(f).scenario }));
// Frozen, as loaded scenarios are: validation keeps the first pass of a frozen scenario that
// passed, and an edit of it takes the sections the edit left alone from there.
const GENERATED: { name: string; data: Scenario }[] = [
  { name: 'generated S', data: freeze(generateSize('S'), true) },
  { name: 'generated 6 Tier-1s, 60 VSes', data: freeze(generateScenario({ tier1s: 6, segmentsPerTier1: 2, workloadsPerSegment: 2, hosts: 4, edges: 2, centralizedEvery: 2, virtualServices: 60 }), true) },
];
const ALL = [...BUNDLED, ...GENERATED];

const locate = (path: readonly PathSeg[]) => {
  const p = formatPath(path);
  return { file: p.startsWith('avi') ? 'b.yaml' : 'a.yaml', line: (p.length * 7) % 13 };
};

/** The network of an interface address ("10.0.0.1/24" → "10.0.0.0/24"). */
const networkText = (ifaddr: string): string => {
  const [ip, len] = ifaddr.split('/');
  const n = Number(len);
  const v = ip.split('.').reduce((k, o) => k * 256 + Number(o), 0);
  const net = n === 0 ? 0 : Math.floor(v / 2 ** (32 - n)) * 2 ** (32 - n);
  return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${n}`;
};

/** The edit validated against its previous scenario and whole: the same problems. Returns them. */
function expectSameProblems(previous: unknown, next: unknown): number {
  const whole = validateScenario(next, locate);
  const delta = validateScenario(next, locate, { previous });
  expect(delta).toEqual(whole);
  // And the schema's own errors, before they become problems: the same list in the same order.
  validateScenarioShape(next);
  const all = (validateScenarioShape.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`);
  validateScenarioShape(schemaDelta(scenarioSchema, next, previous));
  const cut = (validateScenarioShape.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`);
  expect(cut).toEqual(all);
  return whole.length;
}

describe('validating an edit against the scenario it was made from', () => {
  it('every scenario checked here passes validation (each is a valid previous)', () => {
    for (const { name, data } of ALL) expect(validateScenario(data, locate), name).toEqual([]);
  });

  it('cuts the maps down to the entries an edit replaced', () => {
    const s = generateScenario({ tier1s: 6, segmentsPerTier1: 2, workloadsPerSegment: 2, hosts: 4, edges: 2, centralizedEvery: 2, virtualServices: 60 });
    const vs = Object.keys(s.avi!.virtualServices!)[7];
    const next = produce(s, (d) => {
      d.avi!.virtualServices![vs].enabled = false;
    });
    const cut = schemaDelta(scenarioSchema, next, s) as Scenario;
    expect(Object.keys(cut.avi!.virtualServices!)).toEqual([vs]);
    expect(cut.avi!.virtualServices![vs]).toEqual(next.avi!.virtualServices![vs]);
    expect(cut.segments).toEqual({});
    expect(cut.tier1s).toEqual({});
    expect(cut.workloads).toEqual({});
    // The fixed objects on the way keep their keys (required / unknown-key errors read them).
    expect(Object.keys(cut)).toEqual(Object.keys(next));
    expect(Object.keys(cut.avi!)).toEqual(Object.keys(next.avi!));
    // An entry new to a map is kept whole; nothing is cut from a scenario without a previous.
    const added = produce(next, (d) => {
      d.segments!['new-one'] = { tier1: Object.keys(s.tier1s!)[0], gateway: '198.18.77.1/24' };
    });
    expect(Object.keys((schemaDelta(scenarioSchema, added, next) as Scenario).segments!)).toEqual(['new-one']);
  });

  it('checks whole an object with a keyword that could read what a cut removes', () => {
    const schema = {
      type: 'object',
      properties: {
        counted: { type: 'object', minProperties: 2, additionalProperties: { type: 'object' } },
        plain: { type: 'object', additionalProperties: { type: 'object' } },
      },
    };
    const a = { x: { n: 1 } };
    const before = { counted: { a, b: { n: 2 } }, plain: { a, b: { n: 2 } } };
    const after = { counted: { ...before.counted, b: { n: 3 } }, plain: { ...before.plain, b: { n: 3 } } };
    expect(schemaDelta(schema, after, before)).toEqual({ counted: after.counted, plain: { b: { n: 3 } } });
  });

  it('checks the addresses of edited virtual services and pool members (rules local to an entry run on the edited maps)', () => {
    const s = GENERATED[1].data;
    const vs = Object.keys(s.avi!.virtualServices!)[3];
    const pool = Object.keys(s.avi!.pools!)[2];
    const edits: ((d: Draft<Scenario>) => void)[] = [
      (d) => void ((d.avi!.virtualServices![vs].vip as Record<string, unknown>).address = 7),
      (d) => void ((d.avi!.pools![pool].members[0] as Record<string, unknown>).ip = 7),
    ];
    for (const recipe of edits) {
      const next = produce(s, recipe);
      expectSameProblems(s, next);
      // The rule's own message (beside the schema's "must be string"): the edited map was checked.
      expect(validateScenario(next, locate, { previous: s }).map((p) => p.message)).toContain('invalid IPv4 address 7');
    }
  });

  it('finds an address claimed twice across a section taken from the previous validation and one checked again', () => {
    let cases = 0;
    for (const { name, data } of ALL) {
      const workloads = Object.entries(data.workloads ?? {}).filter(([, w]) => typeof w.ip === 'string');
      const gateways = Object.entries(data.segments ?? {}).filter(([, g]) => typeof g.gateway === 'string');
      if (!workloads.length || !gateways.length) continue;
      const [wName, w] = workloads[Math.floor(workloads.length / 2)];
      const [, seg] = gateways[0];
      const edits: ((d: Draft<Scenario>) => void)[] = [];
      // A physical router interface, a Tier-0 uplink or a physical host given a workload's address
      // or a segment gateway's (the segments and workloads themselves unchanged: taken over).
      for (const [r, router] of Object.entries(data.physicalRouters ?? {})) {
        if (router.interfaces[0]) edits.push((d) => void (d.physicalRouters![r].interfaces[0].ip = `${w.ip}/${router.interfaces[0].ip.split('/')[1]}`));
        if (router.interfaces[0]) edits.push((d) => void (d.physicalRouters![r].interfaces[0].ip = seg.gateway!));
        break;
      }
      for (const [t0, spec] of Object.entries(data.tier0s ?? {})) {
        if (spec.uplinks?.[0]) edits.push((d) => void (d.tier0s![t0].uplinks![0].ip = `${w.ip}/${spec.uplinks![0].ip.split('/')[1]}`));
        break;
      }
      for (const [h, host] of Object.entries(data.physicalHosts ?? {})) {
        edits.push((d) => void (d.physicalHosts![h].ip = `${w.ip}/${host.ip.split('/')[1]}`));
        break;
      }
      for (const recipe of edits) {
        const next = produce(data, recipe);
        expectSameProblems(data, next);
        const problems = validateScenario(next, locate, { previous: data });
        expect(problems.length, name).toBeGreaterThan(0);
        cases++;
      }
      // And a workload edited (its section checked again) onto another's address: found too.
      const [oName, other] = workloads[0];
      if (oName !== wName) {
        const next = produce(data, (d) => void (d.workloads![wName].ip = other.ip));
        expectSameProblems(data, next);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(6);
  });

  it('segments added after the others (the others taken from the previous validation): the problems of a whole validation', () => {
    let cases = 0;
    let found = 0;
    for (const { name, data } of ALL) {
      const segs = Object.entries(data.segments ?? {}).filter(([, g]) => typeof g.gateway === 'string' && (g.tier1 || g.tier0));
      const wl = Object.values(data.workloads ?? {}).find((w) => typeof w.ip === 'string');
      if (!segs.length) continue;
      // Validated whole first: its first pass is what the edits take their segments from.
      expect(validateScenario(data, locate), name).toEqual([]);
      const [, seg] = segs[segs.length - 1];
      const on = seg.tier1 ? { tier1: seg.tier1 } : { tier0: seg.tier0 };
      const add = (d: Draft<Scenario>, n: string, v: Record<string, unknown>) => void ((d.segments as Record<string, unknown>)[n] = v);
      const edits: ((d: Draft<Scenario>) => void)[] = [
        // A clean segment on the same gateway, one on a gateway with no segment yet (a new group).
        (d) => add(d, 'added-clean', { ...on, gateway: '198.18.77.1/24' }),
        (d) => add(d, 'added-new-group', { tier1: Object.keys(data.tier1s ?? {}).at(-1) ?? 'x', gateway: '198.18.78.1/24' }),
        // Overlapping an existing segment on its gateway; the same subnet as another new one.
        (d) => add(d, 'added-overlap', { ...on, gateway: seg.gateway }),
        (d) => {
          add(d, 'added-a', { ...on, gateway: '198.18.79.1/24' });
          add(d, 'added-b', { ...on, gateway: '198.18.79.2/24' });
        },
        // A workload's address as the gateway; a gateway that does not exist; a bad address.
        ...(wl ? [(d: Draft<Scenario>) => add(d, 'added-dup', { ...on, gateway: `${wl.ip}/24` })] : []),
        (d) => add(d, 'added-dangling', { tier1: 'no-such-tier1', gateway: '198.18.80.1/24' }),
        (d) => add(d, 'added-bad', { ...on, gateway: '198.18.81.0/24' }),
        // A VLAN segment with the subnet of a router interface that names no segment (the VLAN
        // segments by subnet: the previous pass's and the added one).
        ...Object.values(data.physicalRouters ?? {})
          .flatMap((r) => r.interfaces.filter((i) => i.segment === undefined))
          .slice(0, 1)
          .map((i) => (d: Draft<Scenario>) => add(d, 'added-vlan', { type: 'vlan', vlan: 3999, subnet: networkText(i.ip) })),
      ];
      for (const recipe of edits) {
        const next = produce(data, recipe);
        if (expectSameProblems(data, next)) found++;
        cases++;
      }
      // Chained: a segment added to the scenario made by adding one (the previous pass itself appended).
      const once = produce(data, edits[0]);
      if (validateScenario(once, locate).length === 0) {
        validateScenario(once, locate, { previous: data });
        expectSameProblems(once, produce(once, edits[2]));
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(20);
    expect(found).toBeGreaterThan(10);
  });

  it('segments added one after another (their claims merged past a few chunks), then addresses claimed twice against them: the problems of a whole validation', () => {
    let cases = 0;
    let found = 0;
    for (const { name, data } of ALL) {
      const seg = Object.values(data.segments ?? {}).find((g) => typeof g.gateway === 'string' && g.tier1);
      const wl = Object.keys(data.workloads ?? {}).find((w) => typeof data.workloads![w].ip === 'string');
      if (!seg) continue;
      expect(validateScenario(data, locate), name).toEqual([]);
      // Seven segments added one by one, each validated against the scenario before it (a chain of
      // passes, each taking the segments' claims of the one before).
      let previous = data;
      let six = data;
      for (let k = 1; k <= 7; k++) {
        const next = produce(previous, (d) => void ((d.segments as Record<string, unknown>)[`chained-${k}`] = { tier1: seg.tier1, gateway: `198.19.${k}.1/24` }));
        expect(expectSameProblems(previous, next), `${name} chained-${k}`).toBe(0);
        previous = next;
        if (k === 6) six = next;
        cases++;
      }
      // After six, a segment added and a Tier-0 uplink moved onto an earlier added gateway in one
      // edit: the section's chunks are merged in this pass, and the merged ones still meet the
      // uplinks checked before them.
      const t0 = Object.entries(six.tier0s ?? {}).find(([, t]) => t.uplinks?.[0]);
      if (t0) {
        const [t0Name, t0Spec] = t0;
        const both = produce(six, (d) => {
          (d.segments as Record<string, unknown>)['chained-7b'] = { tier1: seg.tier1, gateway: '198.19.77.1/24' };
          d.tier0s![t0Name].uplinks![0].ip = `198.19.2.1/${t0Spec.uplinks![0].ip.split('/')[1]}`;
        });
        if (expectSameProblems(six, both)) found++;
        cases++;
      }
      const last = previous;
      const edits: ((d: Draft<Scenario>) => void)[] = [
        // Another segment on an added one's gateway (its claim and overlap), a router interface and a
        // workload (its section checked again) on added gateways' addresses.
        (d) => void ((d.segments as Record<string, unknown>)['chained-dup'] = { tier1: seg.tier1, gateway: '198.19.2.1/24' }),
        ...Object.entries(data.physicalRouters ?? {})
          .filter(([, r]) => r.interfaces[0])
          .slice(0, 1)
          .map(([r]) => (d: Draft<Scenario>) => void (d.physicalRouters![r].interfaces[0].ip = '198.19.3.1/24')),
        ...(wl ? [(d: Draft<Scenario>) => void (d.workloads![wl].ip = '198.19.4.1')] : []),
      ];
      for (const recipe of edits) {
        if (expectSameProblems(last, produce(last, recipe))) found++;
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(20);
    expect(found).toBeGreaterThan(4);
  });

  it('an edit that keeps the created workloads takes their checks from the validation before, and still finds one of their addresses claimed again', () => {
    let cases = 0;
    let found = 0;
    for (const { name, data } of ALL) {
      const created = realize(data).created;
      const nic = Object.values(created?.workloads ?? {}).find((w) => typeof (w as { ip?: unknown }).ip === 'string') as { ip: string } | undefined;
      const t0 = Object.entries(data.tier0s ?? {}).find(([, t]) => t.uplinks?.[0]);
      const edge = Object.keys(data.transportNodes ?? {}).find((n) => data.transportNodes[n].type === 'edge');
      if (!nic || !t0 || !edge) continue;
      expect(validateScenario(data, locate), name).toEqual([]);
      // An edge failed (valid: its created workloads and their inputs are the same objects), then a
      // segment added (realization kept) with an SE NIC's address as its gateway: the reused claims
      // meet the segment's, checked in this validation.
      const failed = produce(data, (d) => void (d.failed ??= []).push(edge));
      expect(expectSameProblems(data, failed), name).toBe(0);
      const next = produce(failed, (d) => void ((d.segments as Record<string, unknown>)['on-a-nic'] = { tier0: t0[0], gateway: `${nic.ip}/31` }));
      expectSameProblems(failed, next);
      if (validateScenario(next, locate, { previous: failed }).some((p) => p.message.includes(`address ${nic.ip} is already used`))) found++;
      // And another failure on top (the created workloads' checks taken twice in a row).
      const again = produce(failed, (d) => void d.failed!.push(edge === 'x' ? 'y' : Object.keys(data.physicalRouters ?? {})[0] ?? edge));
      expectSameProblems(failed, again);
      cases++;
    }
    expect(cases).toBeGreaterThan(2);
    expect(found).toBe(cases);
  });

  it('reports what a whole validation reports for the what-if edits, and for chains of them', () => {
    let cases = 0;
    for (const { name, data } of ALL) {
      // At most 40 edits per scenario, spread over its list (every kind appears).
      const every = editsOf(data);
      const step = Math.max(1, Math.floor(every.length / 40));
      const edits = every.filter((_, i) => i % step === 0 || every[i - 1]?.kind !== every[i].kind);
      let previous = data;
      edits.forEach((edit, i) => {
        const next = produce(previous, (d) => void edit.recipe(d));
        const problems = expectSameProblems(previous, next);
        cases++;
        // Every third valid edit is kept: the next ones are made from it (a session of edits).
        if (!problems && i % 3 === 0) previous = next;
      });
      expect(cases, name).toBeGreaterThan(0);
    }
  });

  it('reports what a whole validation reports under random structural mutations', () => {
    let withProblems = 0;
    let schemaProblems = 0;
    fc.assert(
      fc.property(fc.constantFrom(...ALL), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), ({ data }, ms) => {
        // Frozen like an immer snapshot (what the objects it shares already are).
        const next = freeze(mutateShared(data, ms), true);
        const n = expectSameProblems(data, next);
        if (n) withProblems++;
        validateScenarioShape(next);
        if (validateScenarioShape.errors?.length) schemaProblems++;
      }),
      { numRuns: RUNS, seed: 20261127 },
    );
    // The mutations reach the schema's checks (not only the semantic rules).
    expect(withProblems).toBeGreaterThan(RUNS / 4);
    expect(schemaProblems).toBeGreaterThan(RUNS / 5);
  });
});
