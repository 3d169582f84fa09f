// Training labs: a lab file names a scenario and lists tasks, each with a prompt, hints, checks
// the engine evaluates and (for the test suite) a solution. This module owns the file format:
// parsing and validation with problems as `FILE: path: message (line N)`.
import { validateLabShape } from './lab-validator.generated.js';
import { ScenarioError, formatPath, type Problem } from './errors.js';
import { parseScenarioText } from './parse.js';
import './parse-full.js'; // lab files are parsed synchronously, with their problems' lines

export type LabCheck =
  | {
      trace: { from: string; to: string; proto?: 'tcp' | 'udp' | 'icmp'; dport?: number };
      /** Every path ends in this disposition. */
      disposition?: string;
      /** Components every path crosses / never crosses (first leg). */
      crosses?: string[];
      avoids?: string[];
      /** Every path crosses an edge node (true) or none does (false); member legs included. */
      crossesEdge?: boolean;
      /** Components every member leg of a VIP trace crosses. */
      memberCrosses?: string[];
      scenario?: string;
    }
  | { routes: { gateway?: string; router?: string; component?: 'dr' | 'sr'; node?: string }; has?: string[]; lacks?: string[]; scenario?: string }
  | { bgp: { router: string; edge?: string }; has?: string[]; lacks?: string[]; scenario?: string }
  | { choice: { options: string[]; answer: number } };

export interface LabTask {
  id: string;
  prompt: string;
  hints?: string[];
  /** All must pass. */
  checks: LabCheck[];
  /** How the test suite solves it: a variant file, failures, overrides, or the choice answer. */
  solution?: { variant?: string; fail?: string[]; set?: string[]; answer?: number };
  /** Explanation shown once solved. */
  explanation?: string;
}

export interface Lab {
  title: string;
  /** The scenario the lab opens, relative to the lab file. */
  scenario: string;
  intro?: string;
  tasks: LabTask[];
}

// Compiled ahead of time from lab-schema.ts (npm run schema): no run-time code generation.
const validate = validateLabShape;

/** Parses and validates a lab file; throws ScenarioError listing every problem. */
export function parseLab(text: string, file: string): Lab {
  const parsed = parseScenarioText(text, file);
  const problems: Problem[] = [...parsed.problems];
  if (!problems.length && !validate(parsed.data)) {
    for (const e of validate.errors ?? []) {
      if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
      const path = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      const extra = e.keyword === 'additionalProperties' ? ` ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}` : '';
      problems.push({ file, path: formatPath(path), message: `${e.message ?? 'invalid'}${extra}`, code: 'invalid-value', line: parsed.lineOf(path) });
    }
  }
  const lab = parsed.data as Lab;
  if (!problems.length) {
    lab.tasks.forEach((t, i) => {
      t.checks.forEach((c, j) => {
        if ('choice' in c && c.choice.answer >= c.choice.options.length) problems.push({ file, path: formatPath(['tasks', i, 'checks', j, 'choice', 'answer']), message: `answer ${c.choice.answer} is not an option index (0-${c.choice.options.length - 1})`, code: 'invalid-value', line: parsed.lineOf(['tasks', i, 'checks', j, 'choice', 'answer']) });
      });
      if (lab.tasks.findIndex((x) => x.id === t.id) !== i) problems.push({ file, path: formatPath(['tasks', i, 'id']), message: `duplicate task id ${JSON.stringify(t.id)}`, code: 'duplicate-name', line: parsed.lineOf(['tasks', i, 'id']) });
    });
  }
  // Same problem reported by several oneOf branches: keep one.
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (unique.length) throw new ScenarioError(unique);
  return lab;
}
