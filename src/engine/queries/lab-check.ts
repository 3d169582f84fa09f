// Evaluates a training lab's checks against a twin: a trace's disposition and the components it
// crosses (including the SE legs of a VIP trace), routes a table must or must not hold, BGP
// prefixes a speaker must or must not have, and a multiple-choice answer. Each result says why.
import type { LabCheck } from '../../topology/lab.js';
import type { Twin } from '../twin.js';
import type { TracePath } from './trace-report.js';

export interface CheckResult {
  readonly pass: boolean;
  /** What was found (shown to the learner; the failing reason when it fails). */
  readonly detail: string;
}

const memberPaths = (p: TracePath): TracePath[] => (p.loadBalancer?.members ?? []).flatMap((m) => m.paths);

/** `twinFor(file)` gives the twin of a check that names its own scenario (else `twin` is used). */
export function evaluateCheck(check: LabCheck, twin: Twin, answer?: number, twinFor?: (scenario: string) => Twin): CheckResult {
  if ('choice' in check) {
    if (answer === undefined) return { pass: false, detail: 'not answered yet' };
    return answer === check.choice.answer ? { pass: true, detail: `answered: ${check.choice.options[answer]}` } : { pass: false, detail: `"${check.choice.options[answer] ?? answer}" is not it` };
  }
  const tw = check.scenario !== undefined && twinFor ? twinFor(check.scenario) : twin;
  try {
    if ('trace' in check) {
      const r = tw.trace(check.trace);
      const dispositions = [...new Set(r.paths.map((p) => p.disposition))];
      const found = `${r.paths.length} path(s): ${dispositions.join(', ') || 'none'}`;
      if (check.disposition !== undefined && !(r.paths.length && r.paths.every((p) => p.disposition === check.disposition))) return { pass: false, detail: `expected every path to end ${check.disposition}; ${found}` };
      for (const c of check.crosses ?? []) if (!r.paths.every((p) => p.hops.some((h) => h.component === c))) return { pass: false, detail: `a path does not cross ${c}; ${found}` };
      for (const c of check.avoids ?? []) if (r.paths.some((p) => p.hops.some((h) => h.component === c))) return { pass: false, detail: `a path crosses ${c}` };
      for (const c of check.memberCrosses ?? []) {
        const legs = r.paths.flatMap(memberPaths);
        if (!legs.length || !legs.every((p) => p.hops.some((h) => h.component === c))) return { pass: false, detail: `the SE → member legs do not all cross ${c}` };
      }
      if (check.crossesEdge !== undefined) {
        const edges = new Set(tw.network.nodes.filter((n) => n.kind === 'edge').map((n) => n.name));
        const all = [...r.paths, ...r.paths.flatMap(memberPaths)];
        const onEdge = (p: TracePath) => p.hops.some((h) => edges.has(h.node) && h.componentType !== 'TUNNEL');
        const ok = check.crossesEdge ? all.every(onEdge) : !all.some(onEdge);
        if (!ok) return { pass: false, detail: check.crossesEdge ? 'a path stays off the edges' : 'a path is processed on an edge' };
      }
      return { pass: true, detail: found };
    }
    if ('routes' in check) {
      const t = tw.routes(check.routes);
      const selected = new Set(t.routes.filter((x) => x.selected).map((x) => x.prefix));
      for (const p of check.has ?? []) if (!selected.has(p)) return { pass: false, detail: `${t.name} has no selected route for ${p}` };
      for (const p of check.lacks ?? []) if (selected.has(p)) return { pass: false, detail: `${t.name} still routes ${p}` };
      return { pass: true, detail: `${t.name}: ${[...(check.has ?? []).map((p) => `has ${p}`), ...(check.lacks ?? []).map((p) => `no ${p}`)].join(', ')}` };
    }
    const v = tw.bgp(check.bgp);
    const best = new Set(v.routes.filter((x) => x.best).map((x) => x.prefix));
    for (const p of check.has ?? []) if (!best.has(p)) return { pass: false, detail: `${check.bgp.router} has no BGP path for ${p}` };
    for (const p of check.lacks ?? []) if (best.has(p)) return { pass: false, detail: `${check.bgp.router} still learns ${p}` };
    return { pass: true, detail: `${check.bgp.router}: ${[...(check.has ?? []).map((p) => `has ${p}`), ...(check.lacks ?? []).map((p) => `no ${p}`)].join(', ')}` };
  } catch (e) {
    return { pass: false, detail: (e as Error).message };
  }
}
