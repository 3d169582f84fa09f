// The browser app: wires the workspace (scenario, what-if edits, twin) to the topology view and
// the panels. Opens the reference lab (or ?scenario=…&lab=… from the URL); every change
// recomputes the twin and re-renders; nothing leaves the page.
import { BUNDLED } from './bundled.js';
import { buildViewModel, pathNodeIds, type ViewModel, type ViewNode } from './layout.js';
import { renderTopology, type TopologyView } from './render.js';
import { Workspace, type ChangeReport } from './workspace.js';
import { LabSession } from './lab-session.js';
import { renderDetails } from './panels/details-panel.js';
import { legsOf, renderTraceResult, runTrace, summary, type TraceState } from './panels/trace-panel.js';
import { renderWhatIf } from './panels/whatif-panel.js';
import { renderLabs } from './panels/labs-panel.js';
import { download, pngBlob, svgText } from './export.js';
import { h } from './dom.js';
import css from './style.css?raw';

const DEFAULT_SCENARIO = 'scenarios/tkgi-byot.yaml';
const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;

const ws = new Workspace({ ...BUNDLED });
let model: ViewModel | null = null;
let view: TopologyView | null = null;
let selected: ViewNode | null = null;
let lab: LabSession | null = null;
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
  get: (k: string) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set: (k: string, v: string) => {
    try {
      localStorage.setItem(k, v);
    } catch {
      /* storage unavailable: progress is kept for this page only */
    }
  },
};

function showProblems(): void {
  const el = $('#problems');
  el.replaceChildren();
  const list = ws.problemText();
  el.hidden = !list.length;
  if (list.length) el.append(h('h3', {}, `${list.length} problem${list.length > 1 ? 's' : ''} — the previous scenario stays open`), h('ul', { 'data-testid': 'problems' }, ...list.map((p) => h('li', {}, p))));
}

function redrawTopology(): void {
  if (!ws.twin) return;
  model = buildViewModel(ws.twin);
  view = renderTopology($('#topology'), model, (n) => {
    selected = n;
    view!.select(n?.id ?? null);
    renderDetails($('#details'), ws.twin!, n, { traceFrom: (x) => setEndpoint('from', x), traceTo: (x) => setEndpoint('to', x) });
  });
  if (selected && !model.byId.has(selected.id)) selected = null;
  view.select(selected?.id ?? null);
  $('#title').textContent = `${ws.scenario?.name ?? ws.file}`;
  $('#subtitle').textContent = ws.file;
}

function setEndpoint(which: 'from' | 'to', name: string): void {
  $<HTMLInputElement>(`#trace-${which}`).value = name;
}

function fillDatalist(): void {
  const dl = $('#endpoints');
  dl.replaceChildren();
  const names = [...(ws.twin?.network.endpoints.map((e) => e.name) ?? []), ...[...(ws.twin?.realized.avi?.dns.keys() ?? [])]];
  for (const n of names) dl.append(h('option', { value: n }));
}

function rerunTrace(): void {
  if (!trace.req || !ws.twin) return;
  const r = runTrace(ws.twin, trace.req, trace.withReturn);
  trace.result = r.result;
  trace.error = r.error;
  if (trace.result && trace.pathIndex >= trace.result.paths.length) trace.pathIndex = 0;
}

function drawTrace(): void {
  renderTraceResult($('#trace-result'), trace, drawTrace);
  if (!view || !model) return;
  if (!trace.result) {
    view.clearPath();
    return;
  }
  const legs = legsOf(trace.result, trace.pathIndex);
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
  renderWhatIf($('#whatif'), ws, lastChange, {
    toggle: (id) => change(() => ws.toggle(id)),
    undo: () => change(() => ws.undo()),
    redo: () => change(() => ws.redo()),
  });
  renderLabs($('#labs'), ws.fileNames.filter((f) => f.startsWith('labs/')), lab, ws, {
    open: openLab,
    answer: (task, option) => {
      lab?.answer(task, option);
      drawSide();
    },
  });
  const undo = $<HTMLButtonElement>('#undo');
  const redo = $<HTMLButtonElement>('#redo');
  undo.disabled = !ws.canUndo;
  redo.disabled = !ws.canRedo;
}

function change(f: () => ChangeReport | null): void {
  const before = summary(trace.result, trace.error);
  const report = f();
  showProblems();
  if (report) {
    rerunTrace();
    lastChange = { report, before, after: summary(trace.result, trace.error) };
    redrawTopology();
    fillDatalist();
  }
  drawTrace();
  drawSide();
  if (selected) renderDetails($('#details'), ws.twin!, model?.byId.get(selected.id) ?? null, { traceFrom: (x) => setEndpoint('from', x), traceTo: (x) => setEndpoint('to', x) });
}

function openScenario(file: string): boolean {
  const ok = ws.open(file);
  showProblems();
  if (!ok) return false;
  lastChange = null;
  selected = null;
  trace.result = null;
  trace.error = null;
  redrawTopology();
  fillDatalist();
  renderDetails($('#details'), ws.twin!, null, { traceFrom: () => {}, traceTo: () => {} });
  rerunTrace();
  drawTrace();
  drawSide();
  const sel = $<HTMLSelectElement>('#scenario');
  if (![...sel.options].some((o) => o.value === file)) sel.append(h('option', { value: file }, file));
  sel.value = file;
  return true;
}

function openLab(file: string): void {
  try {
    lab = new LabSession(file, BUNDLED[file] ?? '', { ...BUNDLED }, store);
  } catch (e) {
    $('#problems').hidden = false;
    $('#problems').replaceChildren(h('p', {}, (e as Error).message));
    return;
  }
  if (ws.file !== lab.scenarioFile) openScenario(lab.scenarioFile);
  drawSide();
}

async function loadUserFile(file: File): Promise<void> {
  const text = await file.text();
  const name = `local/${file.name}`;
  ws.addFile(name, text);
  openScenario(name);
}

function setup(): void {
  const sel = $<HTMLSelectElement>('#scenario');
  for (const f of ws.fileNames.filter((x) => x.startsWith('scenarios/'))) sel.append(h('option', { value: f }, f.replace(/^scenarios\//, '')));
  sel.addEventListener('change', () => openScenario(sel.value));
  $('#file').addEventListener('change', (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (f) void loadUserFile(f);
  });
  document.body.addEventListener('dragover', (ev) => ev.preventDefault());
  document.body.addEventListener('drop', (ev) => {
    ev.preventDefault();
    const f = ev.dataTransfer?.files?.[0];
    if (f) void loadUserFile(f);
  });
  $('#undo').addEventListener('click', () => change(() => ws.undo()));
  $('#redo').addEventListener('click', () => change(() => ws.redo()));
  $('#fit').addEventListener('click', () => view?.fit());
  $('#search').addEventListener('change', (ev) => {
    const q = (ev.target as HTMLInputElement).value.trim().toLowerCase();
    const hit = model?.nodes.find((n) => n.name.toLowerCase() === q) ?? model?.nodes.find((n) => n.label.toLowerCase().includes(q) || n.sub.toLowerCase().includes(q));
    if (hit && view) {
      view.focus(hit.id);
      selected = hit;
      view.select(hit.id);
      renderDetails($('#details'), ws.twin!, hit, { traceFrom: (x) => setEndpoint('from', x), traceTo: (x) => setEndpoint('to', x) });
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
    rerunTrace();
    drawTrace();
    drawSide();
  });
  $('#export-svg').addEventListener('click', () => view && download(`${ws.scenario?.name ?? 'topology'}.svg`, new Blob([svgText(view.svg, css)], { type: 'image/svg+xml' })));
  $('#export-png').addEventListener('click', () => {
    if (!view || !model) return;
    void pngBlob(svgText(view.svg, css), model.width, model.height).then((b) => download(`${ws.scenario?.name ?? 'topology'}.png`, b));
  });

  const params = new URLSearchParams(location.search);
  openScenario(params.get('scenario') ?? DEFAULT_SCENARIO);
  const labParam = params.get('lab');
  if (labParam) openLab(labParam);
  document.body.dataset.ready = 'true';
}

/** A handle for benchmarks and debugging: the current view and workspace. */
(window as unknown as { nsxTwin: unknown }).nsxTwin = {
  get view() {
    return view;
  },
  workspace: ws,
};

setup();
