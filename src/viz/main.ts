// The browser app: wires the engine (in a Web Worker; see engine-client.ts) to the topology view
// and the panels. Opens the TKGi BYOT lab (or ?scenario=…&lab=… from the URL); every change is
// computed by the engine and the page re-renders from the plain data it returns. Every failure
// (a problem in a file, an engine exception, an unknown name in the URL) goes to the problem
// list and the open scenario stays.
import { BUNDLED } from './bundled.js';
import { pathNodeIds, type ViewModel, type ViewNode } from './layout.js';
import { renderTopology, type TopologyView } from './render.js';
import type { ChangeReport } from './workspace.js';
import { workerEngine, type EngineClient } from './engine-client.js';
import type { ChangeResult, LabView, ModelData, Snapshot } from './engine-host.js';
import { renderDetails } from './panels/details-panel.js';
import { legsOf, renderTraceResult, summary, type TraceState } from './panels/trace-panel.js';
import { renderWhatIf } from './panels/whatif-panel.js';
import { renderLabs } from './panels/labs-panel.js';
import { download, pngBlob, svgText } from './export.js';
import { h } from './dom.js';
import css from './style.css?raw';

const DEFAULT_SCENARIO = 'scenarios/tkgi-byot.yaml';
const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;

async function startEngine(): Promise<EngineClient> {
  try {
    return workerEngine(new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' }));
  } catch {
    // No worker support: the same engine in the page, loaded only then.
    const { localEngine } = await import('./engine-local.js');
    return localEngine({ ...BUNDLED });
  }
}

let engine!: EngineClient;
let snap: Snapshot | null = null;
let model: ViewModel | null = null;
let view: TopologyView | null = null;
let selected: string | null = null;
let lab: LabView | null = null;
let lastChange: { report: ChangeReport; before: string; after: string } | null = null;
const trace: TraceState & { req: { from: string; to: string; proto: 'tcp' | 'udp' | 'icmp'; dport?: number } | null; withReturn: boolean } = {
  result: null,
  error: null,
  pathIndex: 0,
  legIndex: 0,
  step: -1,
  req: null,
  withReturn: false,
};

const store = {
  get(k: string): Record<string, number> {
    try {
      return JSON.parse(localStorage.getItem(k) ?? '{}') as Record<string, number>;
    } catch {
      return {};
    }
  },
  set(k: string, v: Record<string, number>): void {
    try {
      localStorage.setItem(k, JSON.stringify(v));
    } catch {
      /* storage unavailable: progress is kept for this page only */
    }
  },
};
const labKey = (file: string) => `nsx-twin:lab:${file}`;

function showProblems(list: readonly string[], outcome = 'the previous scenario stays open'): void {
  const el = $('#problems');
  el.replaceChildren();
  el.hidden = !list.length;
  if (list.length) el.append(h('h3', {}, `${list.length} problem${list.length > 1 ? 's' : ''} — ${outcome}`), h('ul', { 'data-testid': 'problems' }, ...list.map((p) => h('li', {}, p))));
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs a UI action; whatever it throws (or the engine rejects) is shown as a problem. */
function run(action: Promise<unknown>): void {
  action.catch((e: unknown) => showProblems([messageOf(e)]));
}

function toModel(m: ModelData): ViewModel {
  return { ...m, byId: new Map(m.nodes.map((n) => [n.id, n])) };
}

async function select(node: ViewNode | null): Promise<void> {
  selected = node?.id ?? null;
  view?.select(selected);
  renderDetails($('#details'), node ? await engine.details(node.id) : null, { traceFrom: (x) => setEndpoint('from', x), traceTo: (x) => setEndpoint('to', x) });
}

/** Applies a snapshot from the engine: problems, picture (when it changed), inputs, toggles. */
async function apply(s: Snapshot): Promise<void> {
  snap = s;
  showProblems(s.problems);
  if (s.model) {
    model = toModel(s.model);
    view = renderTopology($('#topology'), model, (n) => run(select(n)));
    $('#title').textContent = s.title;
    $('#subtitle').textContent = s.file;
    const dl = $('#endpoints');
    // Through a fragment: a large deployment has more names than a call takes arguments.
    const options = document.createDocumentFragment();
    for (const n of s.names ?? []) options.append(h('option', { value: n }));
    dl.replaceChildren(options);
    const sel = $<HTMLSelectElement>('#scenario');
    if (![...sel.options].some((o) => o.value === s.file)) sel.append(h('option', { value: s.file }, s.file));
    sel.value = s.file;
    if (selected && model.byId.has(selected)) await select(model.byId.get(selected)!);
    else await select(null);
  }
  $<HTMLButtonElement>('#undo').disabled = !s.canUndo;
  $<HTMLButtonElement>('#redo').disabled = !s.canRedo;
}

function setEndpoint(which: 'from' | 'to', name: string): void {
  $<HTMLInputElement>(`#trace-${which}`).value = name;
}

async function rerunTrace(): Promise<void> {
  if (!trace.req) return;
  const r = await engine.trace(trace.req, trace.withReturn);
  trace.result = r.result;
  trace.error = r.error;
  if (trace.result && trace.pathIndex >= trace.result.paths.length) trace.pathIndex = 0;
}

function drawTrace(): void {
  renderTraceResult($('#trace-result'), trace, drawTrace);
  if (!view || !model) return;
  const legs = trace.result ? legsOf(trace.result, trace.pathIndex) : [];
  const leg = legs[Math.min(trace.legIndex, legs.length - 1)];
  if (!leg) {
    view.clearPath();
    return;
  }
  const ids = pathNodeIds(model, leg.path.hops);
  const upTo = trace.step < 0 ? -1 : pathNodeIds(model, leg.path.hops.slice(0, trace.step + 1)).length - 1;
  view.showPath(ids, upTo);
}

function drawSide(): void {
  if (!snap) return;
  renderWhatIf($('#whatif'), snap, lastChange, {
    toggle: (id) => run(change(() => engine.toggle(id))),
    undo: () => run(change(() => engine.undo())),
    redo: () => run(change(() => engine.redo())),
  });
  renderLabs($('#labs'), snap.files.filter((f) => f.startsWith('labs/')), lab, {
    open: (f) => run(openLab(f)),
    answer: (task, option) =>
      run(
        engine.labAnswer(task, option).then((v) => {
          lab = v;
          if (v) store.set(labKey(v.file), { ...v.answers });
          drawSide();
        }),
      ),
  });
}

/** A what-if change: the engine applies it; the trace runs again; before/after is shown. */
async function change(f: () => Promise<ChangeResult>): Promise<void> {
  const before = summary(trace.result, trace.error);
  const { snapshot, report } = await f();
  await apply(snapshot);
  if (report) {
    await rerunTrace();
    lastChange = { report, before, after: summary(trace.result, trace.error) };
  }
  lab = await engine.labView();
  drawTrace();
  drawSide();
}

async function openScenario(file: string): Promise<void> {
  const s = await engine.open(file);
  if (s.model) {
    lastChange = null;
    trace.result = null;
    trace.error = null;
  }
  await apply(s);
  await rerunTrace();
  lab = await engine.labView();
  drawTrace();
  drawSide();
}

async function openLab(file: string): Promise<void> {
  const v = await engine.labOpen(file, store.get(labKey(file)));
  if ('error' in v) {
    showProblems([v.error]);
    return;
  }
  lab = v;
  if (snap?.file !== v.scenarioFile) await openScenario(v.scenarioFile);
  drawSide();
}

async function loadUserFile(file: File): Promise<void> {
  const text = await file.text();
  const name = `local/${file.name}`;
  await engine.addFile(name, text);
  await openScenario(name);
}

async function setup(): Promise<void> {
  engine = await startEngine();
  const sel = $<HTMLSelectElement>('#scenario');
  for (const f of Object.keys(BUNDLED).sort().filter((x) => x.startsWith('scenarios/'))) sel.append(h('option', { value: f }, f.replace(/^scenarios\//, '')));
  sel.addEventListener('change', () => run(openScenario(sel.value)));
  $('#file').addEventListener('change', (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) run(loadUserFile(f));
  });
  document.body.addEventListener('dragover', (ev) => ev.preventDefault());
  document.body.addEventListener('drop', (ev) => {
    ev.preventDefault();
    const f = ev.dataTransfer?.files?.[0];
    if (f) run(loadUserFile(f));
  });
  $('#undo').addEventListener('click', () => run(change(() => engine.undo())));
  $('#redo').addEventListener('click', () => run(change(() => engine.redo())));
  $('#fit').addEventListener('click', () => view?.fit());
  $('#search').addEventListener('change', (ev) => {
    const q = (ev.target as HTMLInputElement).value.trim().toLowerCase();
    const hit = model?.nodes.find((n) => n.name.toLowerCase() === q) ?? model?.nodes.find((n) => n.label.toLowerCase().includes(q) || n.sub.toLowerCase().includes(q));
    if (hit && view) {
      view.focus(hit.id);
      run(select(hit));
    }
  });
  $('#trace-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const proto = $<HTMLSelectElement>('#trace-proto').value as 'tcp' | 'udp' | 'icmp';
    const port = $<HTMLInputElement>('#trace-port').value;
    trace.req = { from: $<HTMLInputElement>('#trace-from').value.trim(), to: $<HTMLInputElement>('#trace-to').value.trim(), proto, ...(proto !== 'icmp' && port ? { dport: Number(port) } : {}) };
    trace.withReturn = $<HTMLInputElement>('#trace-return').checked;
    trace.pathIndex = 0;
    trace.legIndex = 0;
    trace.step = -1;
    run(rerunTrace().then(drawTrace));
  });
  $('#export-svg').addEventListener('click', () => view && download(`${snap?.title ?? 'topology'}.svg`, new Blob([svgText(view.svg, css)], { type: 'image/svg+xml' })));
  $('#export-png').addEventListener('click', () => {
    if (!view || !model) return;
    run(pngBlob(svgText(view.svg, css), model.width, model.height).then((b) => download(`${snap?.title ?? 'topology'}.png`, b)));
  });

  // ?scenario=… and ?lab=… name bundled files (with or without their folder); an unknown name
  // is a problem, and the default scenario opens instead.
  const params = new URLSearchParams(location.search);
  const urlProblems: string[] = [];
  const bundled = (param: string, folder: string, what: string): string | null => {
    const name = params.get(param);
    if (name === null) return null;
    const hit = [name, `${folder}/${name}`, `${folder}/${name}.yaml`].find((f) => f.startsWith(`${folder}/`) && Object.hasOwn(BUNDLED, f));
    if (!hit) urlProblems.push(`?${param}=${name}: no bundled ${what} of that name`);
    return hit ?? null;
  };
  const scenarioFile = bundled('scenario', 'scenarios', 'scenario');
  const labFile = bundled('lab', 'labs', 'lab');
  await openScenario(scenarioFile ?? DEFAULT_SCENARIO);
  if (labFile) await openLab(labFile);
  if (urlProblems.length) showProblems([...(snap?.problems ?? []), ...urlProblems], `${snap?.file ?? 'no scenario'} is open`);
}

/** A handle for benchmarks and debugging: the current view. */
(window as unknown as { nsxTwin: unknown }).nsxTwin = {
  get view() {
    return view;
  },
};

// Last resort: an exception no handler caught still reaches the problem list.
window.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
  showProblems([messageOf(ev.reason)]);
});
window.addEventListener('error', (ev) => showProblems([ev.message]));

setup()
  .catch((e: unknown) => showProblems([messageOf(e)], 'no scenario is open'))
  .finally(() => (document.body.dataset.ready = 'true'));
