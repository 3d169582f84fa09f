// Scenario loading, ready for any text: load-core.ts with the full YAML parser registered
// (parse-full.ts), so syntax problems and line numbers are there synchronously. The public
// loading API of the topology layer (index.ts, the browser, tests).
import './parse-full.js';

export { loadScenario, loadScenarioText, mergeInto, type LoadOptions, type LoadedScenario } from './load-core.js';
