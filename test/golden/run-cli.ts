// Golden-test harness shared by test/golden.test.ts and scripts/update-golden.ts: the case list,
// an in-process CLI run capturing exit code, stdout and stderr, and the stored .out text.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

/** The repository root: case arguments are paths relative to it, so runs need it as cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]$/, '');
export const GOLDEN_DIR = fileURLToPath(new URL('./', import.meta.url));
export const CASES_FILE = fileURLToPath(new URL('./cases.json', import.meta.url));

export interface GoldenCase {
  /** File name of the golden output, without `.out`. */
  name: string;
  /** CLI arguments after `nsx-twin` (paths relative to the repository root). */
  args: string[];
  /** Expected exit code. */
  exit: number;
  /** What the case pins (for readers; not used by the harness). */
  about?: string;
  /**
   * A known engine bug: the stored golden is the correct output, written by hand, and the test is
   * expected to fail until src/ is fixed (then drop this field). The update script keeps the file.
   */
  knownBug?: string;
}

export interface CliRun {
  exit: number;
  stdout: string;
  stderr: string;
}

/** Reads and checks test/golden/cases.json. */
export function loadCases(): GoldenCase[] {
  const cases = JSON.parse(readFileSync(CASES_FILE, 'utf8')) as GoldenCase[];
  const seen = new Set<string>();
  for (const c of cases) {
    const ok = /^[a-z0-9][a-z0-9-]*$/.test(c.name) && Array.isArray(c.args) && c.args.every((a) => typeof a === 'string') && Number.isInteger(c.exit);
    if (!ok) throw new Error(`test/golden/cases.json: malformed case ${JSON.stringify(c)}`);
    if (seen.has(c.name)) throw new Error(`test/golden/cases.json: duplicate case name ${JSON.stringify(c.name)}`);
    seen.add(c.name);
  }
  return cases;
}

export function goldenPath(name: string): string {
  return `${GOLDEN_DIR}${name}.out`;
}

/** The repository-relative name of a golden file, for messages. */
export function goldenLabel(name: string): string {
  return `test/golden/${name}.out`;
}

/**
 * Runs `nsx-twin ...args` in-process, capturing what it writes until main() resolves. Runs must
 * not overlap (await each one): the capture replaces process.stdout/stderr.write meanwhile.
 */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  if (process.cwd() !== REPO_ROOT) throw new Error(`golden cases run from the repository root (${REPO_ROOT}), not ${process.cwd()}`);
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const capture = (sink: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (done) process.nextTick(done);
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  let exit: number;
  try {
    exit = await main([...args]);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
  return { exit, stdout: out.join(''), stderr: err.join('') };
}

/** The stored form of a run: stdout, then stderr (when any) after a marker line. */
export function goldenText(run: CliRun): string {
  return run.stderr ? `${run.stdout}--- stderr ---\n${run.stderr}` : run.stdout;
}
