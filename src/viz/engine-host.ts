// The engine side of the app: a workspace and a lab session answering the UI's requests with
// plain data (structured-clone safe), so the same host runs in a Web Worker (engine-worker.ts)
// or in the page (tests, small scenarios). Owns what the details panel shows for an object.
import type { TraceRequest, TraceResult, Twin } from '../engine/index.js';
import { buildViewModel, type ViewLink, type ViewNode } from './layout.js';
import { LabSession, type TaskStatus } from './lab-session.js';
import { Workspace, type ChangeReport, type Toggle } from './workspace.js';
import { ownEntry as own } from '../topology/index.js';

export interface ModelData {
  readonly nodes: readonly ViewNode[];
  readonly links: readonly ViewLink[];
  readonly width: number;
  readonly height: number;
}

export interface Snapshot {
  readonly file: string;
  readonly title: string;
  readonly files: readonly string[];
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly problems: readonly string[];
  readonly toggles: readonly Toggle[];
  /** Present when the scenario (and so the picture) changed. */
  readonly model?: ModelData;
  /** Endpoint names and FQDNs (trace inputs). */
  readonly names?: readonly string[];
}

export interface Block {
  readonly title: string;
  readonly text?: string;
  readonly table?: { readonly header: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly cls?: string };
  /** A collapsed table (e.g. stopped BGP paths). */
  readonly more?: { readonly summary: string; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] };
}

export interface Details {
  readonly title: string;
  readonly subtitle: string;
  /** Set for endpoints: the name to trace from or to. */
  readonly traceName?: string;
  readonly blocks: readonly Block[];
}

export interface LabView {
  readonly file: string;
  /** The scenario the lab is about (the page opens it). */
  readonly scenarioFile: string;
  readonly title: string;
  readonly intro?: string;
  readonly answers: Readonly<Record<string, number>>;
  readonly tasks: readonly { readonly id: string; readonly prompt: string; readonly hints: readonly string[]; readonly explanation?: string; readonly choices: readonly { readonly index: number; readonly options: readonly string[] }[]; readonly results: TaskStatus['results']; readonly pass: boolean }[];
}

export interface ChangeResult {
  readonly snapshot: Snapshot;
  readonly report: ChangeReport | null;
}

/** The requests the UI makes; every method's arguments and result are plain data. */
export interface EngineApi {
  open(file: string): Snapshot;
  addFile(name: string, text: string): void;
  toggle(id: string): ChangeResult;
  undo(): ChangeResult;
  redo(): ChangeResult;
  trace(req: TraceRequest, withReturn: boolean): { result: TraceResult | null; error: string | null };
  details(nodeId: string): Details | null;
  labOpen(file: string, answers: Record<string, number>): LabView | { error: string };
  labAnswer(task: string, option: number): LabView | null;
  labView(): LabView | null;
}

/** The message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class EngineHost implements EngineApi {
  private readonly ws: Workspace;
  private lab: LabSession | null = null;
  private model: ModelData | null = null;
  private files: Record<string, string>;

  constructor(files: Record<string, string>) {
    this.files = { ...files };
    this.ws = new Workspace({ ...files });
  }

  /**
   * The snapshot after an exception nothing below turned into a problem: the state as it was
   * (the previous scenario stays), the exception as the one problem.
   */
  private failed(file: string, what: string, e: unknown): Snapshot {
    let base: Snapshot;
    try {
      base = this.snapshot(false);
    } catch {
      base = { file: this.ws.file, title: this.ws.file, files: this.ws.fileNames, canUndo: false, canRedo: false, problems: [], toggles: [] };
    }
    return { ...base, problems: [`${file}: ${what}: ${messageOf(e)}`] };
  }

  private snapshot(changed: boolean): Snapshot {
    const ws = this.ws;
    const base = {
      file: ws.file,
      title: ws.scenario?.name ?? ws.file,
      files: ws.fileNames,
      canUndo: ws.canUndo,
      canRedo: ws.canRedo,
      problems: ws.problemText(),
      toggles: ws.toggles(),
    };
    if (!changed || !ws.twin) return base;
    const m = buildViewModel(ws.twin);
    this.model = { nodes: m.nodes, links: m.links, width: m.width, height: m.height };
    const names = [...ws.twin.network.endpoints.map((e) => e.name), ...(ws.twin.realized.avi?.dns.keys() ?? [])];
    return { ...base, model: this.model, names };
  }

  open(file: string): Snapshot {
    try {
      return this.snapshot(this.ws.open(file));
    } catch (e) {
      return this.failed(file, 'cannot be opened', e);
    }
  }

  addFile(name: string, text: string): void {
    this.ws.addFile(name, text);
    this.files = { ...this.files, [name]: text };
  }

  private change(f: () => ChangeReport | null): ChangeResult {
    try {
      const report = f();
      return { snapshot: this.snapshot(report !== null), report };
    } catch (e) {
      return { snapshot: this.failed(this.ws.file, 'the change failed', e), report: null };
    }
  }

  toggle(id: string): ChangeResult {
    return this.change(() => this.ws.toggle(id));
  }
  undo(): ChangeResult {
    return this.change(() => this.ws.undo());
  }
  redo(): ChangeResult {
    return this.change(() => this.ws.redo());
  }

  trace(req: TraceRequest, withReturn: boolean): { result: TraceResult | null; error: string | null } {
    if (!this.ws.twin) return { result: null, error: 'no scenario open' };
    try {
      return { result: this.ws.twin.trace(req, { withReturn }), error: null };
    } catch (e) {
      return { result: null, error: messageOf(e) };
    }
  }

  details(nodeId: string): Details | null {
    const node = this.model?.nodes.find((n) => n.id === nodeId);
    if (!node || !this.ws.twin) return null;
    try {
      return detailsOf(this.ws.twin, node);
    } catch (e) {
      return { title: node.label, subtitle: node.kind, blocks: [{ title: 'Details unavailable', text: messageOf(e) }] };
    }
  }

  labOpen(file: string, answers: Record<string, number>): LabView | { error: string } {
    if (!Object.hasOwn(this.files, file)) return { error: `${file}: no lab of that name` };
    let lab: LabSession;
    try {
      lab = new LabSession(file, this.files[file], this.files);
      lab.answers = { ...answers };
    } catch (e) {
      return { error: messageOf(e) };
    }
    this.lab = lab;
    try {
      return this.labView() ?? { error: 'no scenario open' };
    } catch (e) {
      return { error: `${file}: ${messageOf(e)}` };
    }
  }

  labAnswer(task: string, option: number): LabView | null {
    this.lab?.answer(task, option);
    return this.labView();
  }

  labView(): LabView | null {
    const lab = this.lab;
    if (!lab || !this.ws.twin) return null;
    return {
      file: lab.file,
      scenarioFile: lab.scenarioFile,
      title: lab.lab.title,
      intro: lab.lab.intro,
      answers: { ...lab.answers },
      tasks: lab.status(this.ws).map((st) => ({
        id: st.task.id,
        prompt: st.task.prompt,
        hints: st.task.hints ?? [],
        explanation: st.task.explanation,
        choices: st.task.checks.flatMap((c, index) => ('choice' in c ? [{ index, options: c.choice.options }] : [])),
        results: st.results,
        pass: st.pass,
      })),
    };
  }
}

// ---- what the details panel shows ---------------------------------------------------------------

function routesBlock(twin: Twin, q: Parameters<Twin['routes']>[0], title: string): Block {
  try {
    const t = twin.routes(q);
    return {
      title: `${title}${t.node ? ` on ${t.node}` : ''}${t.ha !== 'active' ? ` [${t.ha}]` : ''}`,
      table: {
        header: ['', 'type', 'prefix', 'next hops', 'origin'],
        rows: t.routes.map((r) => [
          r.selected ? '>*' : r.inactive ? 'x' : '',
          r.type,
          r.prefix,
          r.nextHops.map((n) => (n.ip === 'null' ? 'null' : n.ip ? `via ${n.ip}` : `connected ${n.interface ?? ''}`)).join(', '),
          r.origin,
        ]),
        cls: 'routes',
      },
    };
  } catch (e) {
    return { title, text: (e as Error).message };
  }
}

function bgpBlocks(twin: Twin, router: string, edge?: string): Block[] {
  try {
    const v = twin.bgp({ router, edge, rejected: true });
    return [
      { title: `BGP sessions (AS ${v.asn}, router id ${v.routerId})`, table: { header: ['neighbor', 'peer', 'AS', 'state'], rows: v.sessions.map((x) => [x.neighbor, x.peer ?? '', String(x.remoteAs), x.state]) } },
      {
        title: 'BGP table',
        table: { header: ['', 'prefix', 'next hop', 'AS path', 'why'], rows: v.routes.map((r) => [r.best ? '*>' : r.multipath ? '*=' : '', r.prefix, r.nextHop, r.asPath.join(' '), r.reason]), cls: 'bgp' },
        ...(v.rejected?.length ? { more: { summary: `${v.rejected.length} stopped paths`, header: ['prefix', 'from', 'where', 'reason'], rows: v.rejected.map((r) => [r.prefix, r.from, r.where, r.reason]) } } : {}),
      },
    ];
  } catch {
    return [];
  }
}

function aviBlocks(twin: Twin, filter: (vs: { name: string; tier1: string; serviceEngines: readonly { name: string }[] }) => boolean): Block[] {
  if (!twin.realized.avi) return [];
  return twin
    .avi()
    .virtualServices.filter(filter)
    .map((vs) => ({
      title: `Virtual service ${vs.name}${vs.createdFor ? ` (AKO: ${vs.createdFor})` : ''}`,
      table: {
        header: ['', ''],
        cls: 'kv',
        rows: [
          ['state', `${vs.state}${vs.reason ? ` — ${vs.reason}` : ''}`],
          ['VIP', `${vs.vip} ${vs.services.join(', ')} on ${vs.tier1}`],
          ['SEs', vs.serviceEngines.map((x) => `${x.name} ${x.dataIp ?? ''}${x.standby ? ' (standby)' : ''}`).join(', ') || 'none'],
          ...vs.pools.map((p) => [`pool ${p.name}`, p.members.map((m) => `${m.address}${m.enabled ? (m.up ? '' : ' (down)') : ' (disabled)'}`).join(', ')]),
          ['FQDNs', vs.fqdns.join(', ')],
          ['VIP path', vs.vipRealisation],
          ...vs.nsxRoutes.map((r) => [r.component, `${r.type} ${r.prefix} → ${r.nextHops.join(', ')}`]),
        ],
      },
    }));
}

function ruleBlock(title: string, list: readonly object[] | undefined, header: string[], cols: (r: Record<string, unknown>) => string[]): Block[] {
  return list?.length ? [{ title, table: { header, rows: list.map((r) => cols(r as Record<string, unknown>)) } }] : [];
}

export function detailsOf(twin: Twin, node: ViewNode): Details {
  const s = twin.realized.scenario;
  const gw = node.name;
  const blocks: Block[] = [];
  const gwSpec = own(s.tier0s, gw) ?? own(s.tier1s, gw);
  const natCols = (r: Record<string, unknown>) => [String(r.name), String(r.action), String(r.source ?? 'any'), String(r.destination ?? 'any'), String(r.translated ?? '')];
  const list = (v: unknown) => ((v as string[] | undefined) ?? ['ANY']).join(' ');
  const fwCols = (r: Record<string, unknown>) => [String(r.name), String(r.action), list(r.sources), list(r.destinations), list(r.services)];
  let traceName: string | undefined;
  switch (node.kind) {
    case 't0-sr':
    case 't1-sr': {
      const edge = node.id.split(':')[2];
      blocks.push(routesBlock(twin, { gateway: gw, component: 'sr', node: edge }, `${gw} SR routes`));
      if (node.kind === 't0-sr') blocks.push(...bgpBlocks(twin, gw, edge));
      blocks.push(...ruleBlock('NAT rules', gwSpec?.nat, ['rule', 'action', 'source', 'destination', 'translated'], natCols));
      blocks.push(...ruleBlock('Gateway firewall', gwSpec?.gatewayFirewall, ['rule', 'action', 'sources', 'destinations', 'services'], fwCols));
      break;
    }
    case 't0-dr':
    case 't1-dr': {
      blocks.push(routesBlock(twin, { gateway: gw, component: 'dr' }, `${gw} DR routes`));
      const t1 = own(s.tier1s, gw);
      if (t1) blocks.push({ title: 'Route advertisement', text: (t1.advertise ?? []).join(', ') || 'nothing' });
      blocks.push(...aviBlocks(twin, (vs) => vs.tier1 === gw));
      break;
    }
    case 'physical-router':
      blocks.push(routesBlock(twin, { router: gw }, `${gw} routes`), ...bgpBlocks(twin, gw));
      break;
    case 'vip':
      blocks.push(...aviBlocks(twin, (vs) => vs.name === gw));
      break;
    case 'segment':
    case 'uplink': {
      const seg = own(s.segments, gw);
      if (seg) blocks.push({ title: 'Segment', table: { header: ['', ''], rows: Object.entries(seg).map(([k, v]) => [k, String(v)]), cls: 'kv' } });
      break;
    }
    case 'endpoint':
    case 'physical-host':
      traceName = gw;
      if (node.role === 'SERVICE_ENGINE') blocks.push(...aviBlocks(twin, (vs) => vs.serviceEngines.some((x) => gw === x.name || gw.startsWith(`${x.name}/`))));
      break;
    default:
      break;
  }
  return { title: node.label, subtitle: `${node.kind}${node.sub ? ` · ${node.sub}` : ''}${node.down ? ' · failed' : ''}`, ...(traceName ? { traceName } : {}), blocks };
}
