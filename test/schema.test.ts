// The committed JSON Schema (used by editors) must match the schema the validator uses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../src/topology/scenario-schema.js';

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
