// Turns scenario text (YAML or JSON) into plain data plus a locator that maps an object path back
// to its line, so every later problem can name where it is. Syntax errors become Problems.
// Every text tries the fast path first (parse-fast.ts, js-yaml); the full parser (parse-yaml.ts,
// yaml) runs only when the fast path declines the text, or once a line number is asked for. This
// module imports neither yaml nor the full parser: whoever loads scenarios registers it — eagerly
// by importing parse-full.ts (the browser, load.ts, lab.ts, overrides.ts), or lazily with a
// provider that is called the first time it is needed (load-file.ts in Node, so that the command
// line never imports yaml for a file the fast path takes).
import type { Problem } from './errors.js';
import { parseFast } from './parse-fast.js';

/**
 * The deepest nesting of maps and lists a scenario (or a `--set` value) may have. Real scenarios
 * nest about ten levels; the limit keeps every recursive step (yaml's composer, validation) far
 * from the call-stack limit.
 */
export const MAX_NESTING = 128;

export interface ParsedText {
  data: unknown;
  /** 1-based line of the object at `path` (the key when `key` is true), if it can be found. */
  lineOf(path: readonly (string | number)[], key?: boolean): number | undefined;
  problems: Problem[];
}

export type FullParser = (text: string, file: string) => ParsedText;

let fullParser: FullParser | undefined;
let provider: (() => FullParser) | undefined;

/** Registers the full parser (parse-full.ts does on import). */
export function registerFullParser(parser: FullParser): void {
  fullParser = parser;
}

/** Registers a way to get the full parser synchronously the first time it is needed (unless one is registered by then). */
export function provideFullParser(get: () => FullParser): void {
  provider ??= get;
}

/** Whether the full parser has been registered (or fetched through its provider) yet. */
export function fullParserLoaded(): boolean {
  return fullParser !== undefined;
}

/** The full path: yaml's parser, bounded nesting, every syntax problem with its line. */
export function parseFully(text: string, file: string): ParsedText {
  if (!fullParser && provider) fullParser = provider();
  if (!fullParser) throw new Error('the full YAML parser is not registered: import src/topology/parse-full.js');
  return fullParser(text, file);
}

export function parseScenarioText(text: string, file: string): ParsedText {
  const fast = parseFast(text, MAX_NESTING);
  if (!fast) return parseFully(text, file);
  // Lines are only needed when a problem is reported: the full parse runs then, once.
  let full: ParsedText | undefined;
  return { data: fast.data, problems: [], lineOf: (path, key) => (full ??= parseFully(text, file)).lineOf(path, key) };
}
