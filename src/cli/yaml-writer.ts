// Scenario → YAML text for `nsx-twin generate`: block style for sections and big objects, one
// flow line for every small one (`esx-01: {type: host, tep: 172.16.0.1}`), keys in the order the
// object has them, scalars quoted by js-yaml wherever YAML would read them as something else. The
// same object always gives the same text.
import jsyaml from 'js-yaml';

/** An entry goes on one line when it has at most this many scalars and the line fits LINE_MAX. */
const FLOW_MAX_SCALARS = 16;
const LINE_MAX = 160;
const FLOW = { flowLevel: 0, lineWidth: -1, noRefs: true } as const;
const SCALAR = { lineWidth: -1, noRefs: true } as const;

const isCollection = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Whether v holds at most `budget` scalars (stops counting once over). */
function small(v: unknown, budget: { left: number }): boolean {
  if (!isCollection(v)) return --budget.left >= 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (!small(x, budget)) return false;
  return budget.left >= 0;
}

const scalar = (v: unknown) => jsyaml.dump(v, SCALAR).trimEnd();
const flow = (v: unknown) => jsyaml.dump(v, FLOW).trimEnd();

/** The text after `key: ` or `- ` when v fits one line after `prefix` characters, else null. */
function inline(v: unknown, prefix: number): string | null {
  if (!isCollection(v)) return scalar(v);
  if ((Array.isArray(v) ? v.length : Object.keys(v).length) === 0) return Array.isArray(v) ? '[]' : '{}';
  if (!small(v, { left: FLOW_MAX_SCALARS })) return null;
  const text = flow(v);
  return prefix + text.length <= LINE_MAX ? text : null;
}

function emit(out: string[], v: object, indent: number): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    for (const item of v) {
      const one = inline(item, indent + 2);
      if (one !== null) out.push(`${pad}- ${one}`);
      else {
        const start = out.length;
        emit(out, item as object, indent + 2);
        out[start] = `${pad}- ${out[start].slice(indent + 2)}`;
      }
    }
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    const key = scalar(k);
    // Top-level sections are always blocks: one entry (object) per line below them.
    const one = indent === 0 && isCollection(x) && Object.keys(x).length > 0 ? null : inline(x, indent + key.length + 2);
    if (one !== null) out.push(`${pad}${key}: ${one}`);
    else {
      out.push(`${pad}${key}:`);
      emit(out, x as object, indent + 2);
    }
  }
}

/** YAML text of a plain object (a scenario), with `header` lines (comments) first. */
export function toYaml(value: object, header: readonly string[] = []): string {
  const out = [...header];
  emit(out, value, 0);
  return out.join('\n') + '\n';
}
