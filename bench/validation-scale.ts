// Benchmark section e (`npm run bench -- e`): validating very large scenario files. The text is
// generated here — a generated fabric (src/topology/generate.ts) with 100,000 and 1,000,000
// workloads, written as YAML with one flow map per workload line — and goes through the loader's
// steps: parse (YAML → data, duplicate keys, nesting and alias checks), locate (lineOf), and
// validation (src/topology/validate.ts). Figures with their goals, never assertions.
import { stringify } from 'yaml';
import { freeze } from 'immer';
import { generateScenario } from '../src/topology/generate.js';
import { parseFully, parseScenarioText } from '../src/topology/parse.js';
import { loadScenarioText } from '../src/topology/load.js';
import { validateScenario } from '../src/topology/validate.js';
import { bytes, int, line, ms, timed } from './util.js';

/** Goals: validating the whole file (parse + validation) within this many ms, by workload count. */
const GOALS: Record<number, number> = { 100_000: 2_000, 1_000_000: 20_000 };

/** Scenario text with `workloads` workloads: 200 per segment, 5 segments per Tier-1. */
export function scenarioText(workloads: number): string {
  const s = generateScenario({ tier1s: Math.ceil(workloads / 1000), segmentsPerTier1: 5, workloadsPerSegment: 200, hosts: 64, edges: 4 });
  const { workloads: ws, ...rest } = s;
  const out = [stringify(rest).trimEnd(), 'workloads:'];
  for (const [name, w] of Object.entries(ws ?? {})) out.push(`  ${name}: { host: ${w.host}, segment: ${w.segment}, ip: ${w.ip} }`);
  return `${out.join('\n')}\n`;
}

function goal(n: number, total: number): string {
  const g = GOALS[n];
  return g ? `   [goal ≤ ${ms(g)}: ${total <= g ? 'meets goal' : 'misses goal'}]` : '';
}

export function validationScaleSection(header: (title: string) => void, sizes: readonly number[] = [100_000, 1_000_000]): void {
  header(`e. Validation at scale: scenario files with ${sizes.map(int).join(' and ')} workloads`);
  for (const n of sizes) {
    const text = timed(() => scenarioText(n));
    line(`${int(n)} workloads: text`, `${bytes(text.value.length)}, ${int(text.value.split('\n').length)} lines, generated in ${ms(text.ms)}`);
    const parsed = timed(() => parseScenarioText(text.value, 'generated.yaml'));
    const p = parsed.value;
    line('  parse, fast path (js-yaml, parse-fast.ts)', `${ms(parsed.ms)}, ${p.problems.length} problems`);
    // The old path, in the same run: yaml's full parser (every line located); 1M only on request.
    if (n <= 100_000 || process.argv.includes('--full-parse')) {
      const full = timed(() => parseFully(text.value, 'generated.yaml'));
      line('  parse, full path (yaml; the old path)', `${ms(full.ms)} (${(full.ms / parsed.ms).toFixed(1)}× the fast path)`);
    } else line('  parse, full path (yaml; the old path)', 'skipped at this size (~130 s; --full-parse runs it)');
    const data = p.data as Record<string, unknown>;
    const frozen = timed(() => freeze(data, true));
    const validated = timed(() => validateScenario(data as never, (path) => ({ file: 'generated.yaml', line: p.lineOf(path) })));
    line('  freeze (immer snapshot)', ms(frozen.ms));
    line('  validate (validateScenario)', `${ms(validated.ms)}, ${validated.value.length} problems`);
    const sum = parsed.ms + frozen.ms + validated.ms;
    line('  parse + freeze + validate', ms(sum) + goal(n, sum));
    const whole = timed(() => loadScenarioText(text.value, 'generated.yaml'));
    line('  loadScenarioText (the whole loader)', ms(whole.ms) + goal(n, whole.ms));
    // A problem needs lines: the first lookup runs the full parse once, the rest are index steps.
    const names = Object.keys((p.data as { workloads: Record<string, unknown> }).workloads);
    const first = timed(() => p.lineOf(['workloads', names[names.length - 1], 'ip']));
    const probe = names.slice(-1000);
    const located = timed(() => probe.map((w) => p.lineOf(['workloads', w, 'ip'])));
    line('  first problem line (full parse, only when a problem is reported)', `${ms(first.ms)} (${names[names.length - 1]} on line ${first.value})`);
    line('  then 1,000 more lines (lineOf)', ms(located.ms));
  }
}
