// Node-side scenario loading: reads files from disk (never writes them) for the CLI and tests.
import { readFileSync } from 'node:fs';
import { dirname, resolve, relative, isAbsolute } from 'node:path';
import { loadScenario, type LoadedScenario } from './load.js';

export function loadScenarioFile(file: string): LoadedScenario {
  return loadScenario(file, {
    readText: (f) => readFileSync(f, 'utf8'),
    resolve: (from, ref) => {
      const abs = isAbsolute(ref) ? ref : resolve(dirname(from), ref);
      const rel = relative(process.cwd(), abs);
      return rel.startsWith('..') ? abs : rel;
    },
  });
}
