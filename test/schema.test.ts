// The committed JSON Schema (used by editors) must match the schema the validator uses, and the
// committed ahead-of-time validators (scenario, lab) must be what `npm run schema` generates, giving
// the same errors (scenario: verbose, with data and parentSchema) as Ajv compiling at run time.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../src/topology/scenario-schema.js';
import { validateScenarioShape } from '../src/topology/scenario-validator.generated.js';
import { validateLabShape } from '../src/topology/lab-validator.generated.js';
import { labSchema } from '../src/topology/lab-schema.js';
import { VALIDATORS, validatorSource } from '../scripts/validator-source.js';

describe('schema/scenario.schema.json', () => {
  it('is the serialization of src/topology/scenario-schema.ts (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../schema/scenario.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioSchema)));
  });

  it('is referenced by the bundled scenarios through the yaml-language-server modeline', () => {
    const text = readFileSync(new URL('../scenarios/reference-lab.yaml', import.meta.url), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
  });
});

describe('the validators compiled ahead of time (Ajv standalone)', () => {
  it.each(VALIDATORS.map((v) => [v.file, v] as const))('%s is what `npm run schema` generates from its schema, with no run-time code generation', (file, v) => {
    const code = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
    expect(code === validatorSource(v)).toBe(true);
    expect(code).not.toMatch(/\brequire\(|new Function|\beval\(/);
  });

  it('the scenario validator gives the errors Ajv gives compiling the schema at run time, with data and parentSchema', () => {
    const runtime = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(scenarioSchema);
    const inputs: unknown[] = [
      { transportNodes: { 'esx-01': { type: 'host', tep: '10.0.0.1' } } },
      { transportNodes: { 'esx-01': { type: 'hots', tep: '10.0.0.300' } }, tier0s: { t0: { haMode: 'BOTH', extra: 1 } }, segments: { '': {} } },
      { transportNodes: 'none', tier1s: [] },
      null,
      { transportNodes: {}, segments: { s: { subnet: 'x', vlan: 'ten' } }, physicalRouters: { r: { asn: -1, interfaces: [{ ip: 5 }] } } },
    ];
    for (const data of inputs) {
      expect(validateScenarioShape(data)).toBe(runtime(data));
      expect(validateScenarioShape.errors ?? null).toEqual(runtime.errors ?? null);
      for (const e of validateScenarioShape.errors ?? []) {
        expect(e).toHaveProperty('data');
        expect(e).toHaveProperty('parentSchema');
      }
    }
    expect(validateScenarioShape({ transportNodes: 'none' })).toBe(false);
    expect(validateScenarioShape.errors![0]).toMatchObject({ instancePath: '/transportNodes', keyword: 'type', data: 'none', parentSchema: { type: 'object' } });
  });

  it('the lab validator gives the errors Ajv gives compiling the schema at run time', () => {
    const runtime = new Ajv({ allErrors: true, strict: false }).compile(labSchema);
    const inputs: unknown[] = [
      { title: 't', scenario: 's.yaml', tasks: [{ id: 'a', prompt: 'p', checks: [{ choice: { options: ['x', 'y'], answer: 1 } }] }] },
      { title: '', scenario: 1, tasks: [{ id: 'A B', prompt: 'p', checks: [{ trace: { from: 'a' }, disposition: 'LOST' }], extra: 1 }] },
      [],
    ];
    for (const data of inputs) {
      expect(validateLabShape(data)).toBe(runtime(data));
      expect(validateLabShape.errors ?? null).toEqual(runtime.errors ?? null);
    }
  });
});
