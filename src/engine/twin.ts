// The engine facade: a scenario computed into its model, routing tables and compiled forwarding
// core (the stages of pipeline.ts), with the questions users ask of it (trace, routes, BGP, Avi,
// topology). `update` derives the twin of an edited scenario from this one, recomputing only what
// the edit can have changed.
import type { Scenario } from '../topology/scenario.js';
import type { CompiledNetwork } from './fib/compile.js';
import type { ExpandedNetwork } from './model/expand.js';
import { routeTable, selectComponent, type RouteQuery, type RouteTable } from './queries/route-tables.js';
import type { BaseRouting } from './ribs/compute.js';
import type { RoutingState } from './ribs/route.js';
import type { BgpState } from './bgp/control-plane.js';
import { bgpView, type BgpQuery, type BgpView } from './queries/bgp-view.js';
import { topologyGraph, type TopologyGraph } from './queries/topology-graph.js';
import { Walker } from './walk/packet-walk.js';
import { traceflow, type TraceRequest, type TraceResult } from './queries/trace-report.js';
import type { Realized } from '../topology/realize/index.js';
import { QueryError } from '../topology/errors.js';
import { aviView, type AviQuery, type AviView } from './queries/avi-view.js';
import { runPipeline, type PipelineState, type UpdateReport } from './pipeline.js';

export interface UpdateOptions {
  /** false: an edit undone is computed as any other edit (what the tests of each stage's way back use). Default: pipeline undoneDefaults. */
  readonly takeUndone?: boolean;
}

export class Twin {
  /** What NCP, AKO and the Avi controller made of the scenario (the created NSX objects included). */
  readonly realized: Realized;
  readonly network: ExpandedNetwork;
  /** The tables before BGP. */
  readonly base: BaseRouting;
  readonly routing: RoutingState;
  /** The BGP control plane's converged (or oscillating) state. */
  readonly bgpState: BgpState;
  readonly compiled: CompiledNetwork;
  /** What building this twin recomputed, stage by stage (everything, unless it came from `update`). */
  readonly report: UpdateReport;
  private readonly state: PipelineState;
  private walker: Walker | null = null;

  /** Builds the twin of `scenario`; with `previous` (the twin of the scenario before an edit), reuses its work. */
  constructor(
    readonly scenario: Scenario,
    previous?: Twin,
    opts: UpdateOptions = {},
  ) {
    const { state, report } = runPipeline(scenario, previous?.state ?? null, opts);
    this.state = state;
    this.report = report;
    this.realized = state.realized;
    this.network = state.network;
    this.base = state.base;
    this.bgpState = state.bgp;
    this.routing = state.routing;
    this.compiled = state.compiled;
  }

  /**
   * The twin of `next` (this twin's scenario after an edit), recomputing only what changed; an
   * edit undone (`next` equal to the scenario this twin was updated from, that twin still alive)
   * takes that twin's state again. This twin stays valid.
   */
  update(next: Scenario, opts: UpdateOptions = {}): Twin {
    return new Twin(next, this, opts);
  }

  /** Traces a flow hop by hop; every ECMP path, in deterministic order. */
  trace(req: TraceRequest, opts: { withReturn?: boolean } = {}): TraceResult {
    this.walker ??= new Walker(this.compiled);
    return traceflow(this.compiled, req, this.walker, opts);
  }

  /** One routing table: a gateway's DR or SR, or a physical router's. */
  routes(q: RouteQuery): RouteTable {
    return routeTable(this.network, this.routing, selectComponent(this.network, q));
  }

  /** A BGP speaker's table, advertisements or received paths, with the reasons. */
  bgp(q: BgpQuery): BgpView {
    return bgpView(this.bgpState, q);
  }

  /** NSX Advanced Load Balancer: virtual services with VIP, SEs, pool members, FQDNs and NSX routes. */
  avi(q: AviQuery = {}): AviView {
    if (!this.realized.avi) throw new QueryError('the scenario has no NSX Advanced Load Balancer (avi section)');
    return aviView(this.realized.avi, this.routing, this.network, q);
  }

  topology(): TopologyGraph {
    return topologyGraph(this.realized.scenario);
  }
}

export function buildTwin(scenario: Scenario): Twin {
  return new Twin(scenario);
}
