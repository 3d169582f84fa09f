// Writes the scenario JSON Schema to schema/scenario.schema.json (used by editors through the
// yaml-language-server modeline) and the validator compiled from it ahead of time, together
// with the lab validator (scripts/validator-source.ts). A test checks the committed files match.
import { writeFileSync } from 'node:fs';
import { scenarioSchema } from '../src/topology/scenario-schema.js';
import { VALIDATORS, validatorSource } from './validator-source.js';

writeFileSync(new URL('../schema/scenario.schema.json', import.meta.url), JSON.stringify(scenarioSchema, null, 2) + '\n');
console.log('wrote schema/scenario.schema.json');
for (const v of VALIDATORS) {
  writeFileSync(new URL(`../${v.file}`, import.meta.url), validatorSource(v));
  console.log(`wrote ${v.file}`);
}
