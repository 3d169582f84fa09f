// Registers the full scenario parser (parse-yaml.ts with the `yaml` package) with parse.ts, and
// exports it. Importing this module is what makes every text parseable synchronously; modules
// whose callers load scenarios synchronously (load.ts, lab.ts, overrides.ts, the browser's
// engine host through index.ts) import it eagerly.
import * as yaml from 'yaml';
import { registerFullParser } from './parse.js';
import { fullParserWith } from './parse-yaml.js';

export const parseFully = fullParserWith(yaml);
registerFullParser(parseFully);
