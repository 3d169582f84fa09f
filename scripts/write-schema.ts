// Writes the scenario JSON Schema to schema/scenario.schema.json (used by editors through the
// yaml-language-server modeline). A test checks the committed file matches the source.
import { writeFileSync } from 'node:fs';
import { scenarioSchema } from '../src/topology/scenario-schema.js';

writeFileSync(new URL('../schema/scenario.schema.json', import.meta.url), JSON.stringify(scenarioSchema, null, 2) + '\n');
console.log('wrote schema/scenario.schema.json');
