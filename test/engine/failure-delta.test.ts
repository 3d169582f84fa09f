// The model with other failures (src/engine/model/expand.ts withFailures), from the previous
// model and the failures it was expanded with, visiting only what the names that failed or came
// back reach: for random sequences of failure sets on every bundled scenario and a generated
// fabric, the model equals expand's of the scenario with those failures, and the delta it gives
// equals model/delta's comparison of the two models.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { produce } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { generateScenario } from '../../src/topology/generate.js';
import { realize } from '../../src/topology/realize/index.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { expand, withFailures, type ExpandedNetwork } from '../../src/engine/model/expand.js';
import { modelDelta } from '../../src/engine/model/delta.js';

function bundled(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundled(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** What can fail: transport nodes, physical routers and hosts, workloads (the created ones too), and a name nothing has. */
function failable(s: Scenario): string[] {
  return [...Object.keys(s.transportNodes ?? {}), ...Object.keys(s.physicalRouters ?? {}), ...Object.keys(s.physicalHosts ?? {}), ...Object.keys(s.workloads ?? {}), 'no-such-object'];
}

/** The model as plain data (ids, names, states), for a readable comparison. */
function shape(n: ExpandedNetwork) {
  return {
    components: n.components.map((c) => `${c.id} ${c.type} ${c.name} ${c.node} ${c.ha} [${c.interfaces.join(',')}]`),
    interfaces: n.interfaces.map((i) => `${i.id} ${i.component} ${i.name} ${i.ip}/${i.len} ${i.domain} ${i.down} ${i.answersArp}`),
    endpoints: n.endpoints.map((e) => `${e.id} ${e.kind} ${e.name} ${e.ip} ${e.node} ${e.down}`),
  };
}

function check(file: string, start: Scenario): void {
  // The realized scenario (what the pipeline expands): created workloads included.
  const base = realize(start).scenario;
  const names = failable(base);
  fc.assert(
    fc.property(fc.array(fc.subarray(names, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), (sets) => {
      let was = base;
      let model = expand(was);
      for (const failed of sets) {
        const next = produce(was, (d) => void (d.failed = [...failed]));
        const { network, delta } = withFailures(model, next, was.failed);
        const whole = expand(next);
        expect(shape(network), `${file}: failed ${failed.join(',')}`).toEqual(shape(whole));
        const compared = modelDelta(model, network)!;
        expect([...delta.changedComponents].sort((x, y) => x - y)).toEqual([...compared.changedComponents].sort((x, y) => x - y));
        expect(delta.changedEndpoints).toEqual(compared.changedEndpoints);
        // Objects whose state did not change are the previous ones.
        network.endpoints.forEach((ep, i) => {
          if (ep.down === model.endpoints[i].down) expect(ep).toBe(model.endpoints[i]);
        });
        was = next;
        model = network;
      }
    }),
    { numRuns: 25 },
  );
}

describe('withFailures: the model and its delta without a whole pass', () => {
  for (const file of bundled()) {
    it(file, () => check(file, loadScenarioFile(file).scenario));
  }
  it('a generated fabric (A/S Tier-1 SRs on edge pairs, VIPs, SEs)', () => {
    check('generated', generateScenario({ tier1s: 8, segmentsPerTier1: 2, workloadsPerSegment: 2, hosts: 4, edges: 3, centralizedEvery: 2, virtualServices: 20 }));
  });
});
