// Public API of the topology layer: scenario types, loading, validation and errors.
export * from './scenario.js';
export * from './errors.js';
export * from './ip.js';
export { loadScenario, loadScenarioText, mergeInto, type LoadedScenario, type LoadOptions } from './load.js';
export { validateScenario, type Locator } from './validate.js';
export { scenarioSchema } from './scenario-schema.js';
export { realize, type Realized } from './realize/index.js';
export { parseLab, type Lab, type LabTask, type LabCheck } from './lab.js';
export { generateScenario, generateSize, GENERATED, SIZES, SIZE_PRESETS, aviDataSegment, type GenerateOptions, type Size } from './generate.js';
